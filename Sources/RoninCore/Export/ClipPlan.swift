import Foundation

/// Which parts of which segment files make up an exported clip.
///
/// Segments are the camera's complete recordings overlapping the requested range, in time
/// order; each part says how far into its file to start (`inpoint`) and stop (`outpoint`),
/// in seconds of the file's own media time (a segment's media time 0 is its `start`). A
/// segment entirely covered needs neither. The cutter starts at the keyframe at or before
/// `inpoint`, so the clip covers the request to within one GOP.
public struct ClipPlan: Sendable, Equatable {
    /// One segment file and the slice of it that the clip needs.
    public struct Part: Sendable, Equatable {
        public let path: String
        public let inpoint: TimeInterval?
        public let outpoint: TimeInterval?
    }

    /// A segment as the planner needs it.
    public struct Segment: Sendable, Equatable {
        public let path: String
        public let span: TimeSpan

        public init(path: String, span: TimeSpan) {
            self.path = path
            self.span = span
        }
    }

    public let parts: [Part]
    /// The footage the clip holds: the request clipped to the first and last segments.
    public let covered: TimeSpan

    /// Nil when no segment overlaps the request.
    public init?(segments: [Segment], request: TimeSpan) {
        let overlapping = segments.filter { $0.span.overlaps(request) }.sorted { $0.span.start < $1.span.start }
        guard let first = overlapping.first, let last = overlapping.last else { return nil }
        parts = overlapping.map { segment in
            let skip = request.start.timeIntervalSince(segment.span.start)
            let stop = request.end.timeIntervalSince(segment.span.start)
            return Part(path: segment.path,
                        inpoint: skip > 0.001 ? skip : nil,
                        outpoint: stop < segment.span.seconds - 0.001 ? stop : nil)
        }
        covered = TimeSpan(start: max(request.start, first.span.start), end: min(request.end, last.span.end))
    }
}

/// File names for exports: the camera's folder name and the local start and end, readable and
/// safe on every file system (`Front_Door_2026-11-25_03-00-00_to_03-15-00.mp4`).
public enum ExportFileName {
    /// Spaces in the folder name become underscores: names with spaces are awkward in shells.
    public static func clip(folder: String, span: TimeSpan, in zone: TimeZone) -> String {
        let name = String(folder.map { $0.isWhitespace ? "_" : $0 })
        return "\(name)_\(range(span, in: zone)).mp4"
    }

    public static func archive(span: TimeSpan, in zone: TimeZone) -> String {
        "ronin_\(range(span, in: zone)).zip"
    }

    /// `2026-11-25_03-00-00_to_03-15-00`, with the end's date too when it differs.
    static func range(_ span: TimeSpan, in zone: TimeZone) -> String {
        let startDate = LocalCalendar.dateString(span.start, in: zone)
        let endDate = LocalCalendar.dateString(span.end, in: zone)
        let end = endDate == startDate ? clock(span.end, zone) : "\(endDate)_\(clock(span.end, zone))"
        return "\(startDate)_\(clock(span.start, zone))_to_\(end)"
    }

    static func clock(_ instant: Date, _ zone: TimeZone) -> String {
        let c = LocalCalendar.gregorian(zone).dateComponents([.hour, .minute, .second], from: instant)
        return String(format: "%02d-%02d-%02d", c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
