import Foundation
import RoninCore
import RoninMedia

/// Writes a detection run as text: one human-readable line per detection and event, or one JSON
/// object per line (`--json`), ending with a summary.
///
/// Boxes are reported in source pixels: `scaleX` / `scaleY` map the analysed frame (scaled down
/// for the model) back to the footage's own size. Times are seconds on the source's clock.
public struct DetectionReport: Sendable {
    public let json: Bool
    public let scaleX: Float
    public let scaleY: Float

    public init(json: Bool, analysed: FrameSize, source: FrameSize) {
        self.json = json
        scaleX = Float(source.width) / Float(analysed.width)
        scaleY = Float(source.height) / Float(analysed.height)
    }

    /// Lines for one frame: its detections, then the events it completed.
    public func lines(for analysis: FrameAnalysis) -> [String] {
        analysis.detections.map { detection(analysis, $0) } + analysis.events.map(event)
    }

    public func detection(_ analysis: FrameAnalysis, _ item: FrameDetection) -> String {
        let box = sourceBox(item.box)
        if json {
            return object([("type", quoted("detection")), ("time", number(analysis.time)), ("frame", "\(analysis.index)"),
                           ("class", quoted(item.className)), ("confidence", number(Double(item.confidence), digits: 3)),
                           ("box", boxArray(box)), ("track_id", "\(item.trackID)")])
        }
        return String(format: "%9.2fs  frame %-5d ", analysis.time, analysis.index)
            + "\(item.className) #\(item.trackID)  " + String(format: "%.2f", item.confidence)
            + "  at \(Int(box.x)),\(Int(box.y)) size \(Int(box.width))x\(Int(box.height))"
    }

    public func event(_ event: ActivityEvent) -> String {
        let last = event.boxes.last.map { sourceBox($0.box) }
        if json {
            var fields: [(String, String)] = [("type", quoted("event")), ("kind", quoted(event.kind.rawValue)), ("class", quoted(event.className)),
                                              ("track_id", "\(event.trackID)"), ("start", number(event.start)), ("end", number(event.end))]
            if let from = event.from { fields.append(("from", quoted(from.rawValue))) }
            if let to = event.to { fields.append(("to", quoted(to.rawValue))) }
            if let last { fields.append(("box", boxArray(last))) }
            return object(fields)
        }
        var text = String(format: "%9.2fs  ", event.end) + "\(event.kind.rawValue.uppercased()) \(event.className) #\(event.trackID) "
            + String(format: "(%.1fs-%.1fs)", event.start, event.end)
        if let from = event.from, let to = event.to { text += " \(from.rawValue) -> \(to.rawValue)" }
        return text
    }

    public func summary(_ summary: DetectionSummary, elapsed: Double) -> String {
        if json {
            return object([("type", quoted("summary")), ("frames", "\(summary.frames)"), ("analysed", "\(summary.analysed)"),
                           ("skipped_by_motion", "\(summary.skippedByMotion)"), ("events", "\(summary.events)"),
                           ("elapsed_seconds", number(elapsed, digits: 3))])
        }
        return String(format: "%d frames: %d analysed, %d skipped by the motion filter; %d events; %.1f s", summary.frames,
                      summary.analysed, summary.skippedByMotion, summary.events, elapsed)
    }

    func sourceBox(_ box: BoundingBox) -> BoundingBox {
        BoundingBox(x: box.x * scaleX, y: box.y * scaleY, width: box.width * scaleX, height: box.height * scaleY)
    }

    private func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\(quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    private func boxArray(_ box: BoundingBox) -> String {
        "[" + [box.x, box.y, box.width, box.height].map { number(Double($0), digits: 1) }.joined(separator: ",") + "]"
    }

    private func number(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return "null" }
        var text = String(format: "%.\(digits)f", value)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    private func quoted(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
