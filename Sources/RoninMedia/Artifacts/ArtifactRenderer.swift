import Foundation

/// Makes the pictures of an event from footage with ffmpeg (at low priority, `nice 10`): the
/// snapshot (one frame with boxes and labels drawn, and the same frame clean), the 2x2 mosaic
/// (four moments, each with its time written on it) and scaled copies for thumbnails.
///
/// Every output is written to a temporary name beside the final one and renamed, so a reader
/// sees the whole JPEG or nothing. Frames are taken by seeking in the file, which works in a
/// segment still being written (its fragments reach the file within a second).
public struct ArtifactRenderer: Sendable {
    /// A box to draw, in fractions of the frame (top-left origin), with its label.
    public struct Box: Sendable, Equatable {
        public let x: Double, y: Double, width: Double, height: Double
        public let label: String

        public init(x: Double, y: Double, width: Double, height: Double, label: String) {
            self.x = x
            self.y = y
            self.width = width
            self.height = height
            self.label = label
        }
    }

    /// One moment of a mosaic: a file, the offset in it, and the caption (its time).
    public struct Panel: Sendable, Equatable {
        public let path: String
        public let offset: Double
        public let caption: String

        public init(path: String, offset: Double, caption: String) {
            self.path = path
            self.offset = offset
            self.caption = caption
        }
    }

    public let ffmpegPath: String
    public let timeout: Double

    public init(ffmpegPath: String = "ffmpeg", timeout: Double = 60) {
        self.ffmpegPath = ffmpegPath
        self.timeout = timeout
    }

    /// The frame at `offset` seconds into `path`, at `width` pixels wide (nil: as it is), with
    /// `boxes` drawn into `annotated`, and untouched into `clean`.
    public func snapshot(path: String, offset: Double, width: Int?, boxes: [Box], annotated: String, clean: String) async throws {
        try await render(Self.snapshotArguments(path: path, offset: offset, width: width, boxes: boxes, annotated: annotated + ".tmp",
                                                clean: clean + ".tmp"),
                         outputs: [annotated, clean])
    }

    /// The same from a raw RGB24 frame of `width` x `height` in a file (the very frame live
    /// detection saw the box in).
    public func snapshot(rawFrame path: String, width frameWidth: Int, height frameHeight: Int, boxes: [Box], annotated: String,
                         clean: String) async throws {
        var arguments = Self.snapshotArguments(path: path, offset: 0, width: nil, boxes: boxes, annotated: annotated + ".tmp", clean: clean + ".tmp")
        if let input = arguments.firstIndex(of: "-ss") { arguments.removeSubrange(input...(input + 1)) }
        if let input = arguments.firstIndex(of: "-i") {
            arguments.insert(contentsOf: ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "\(frameWidth)x\(frameHeight)"], at: input)
        }
        try await render(arguments, outputs: [annotated, clean])
    }

    /// Four moments side by side, two by two, each `panelWidth` wide (the height keeps the
    /// footage's aspect ratio) with its caption.
    public func mosaic(_ panels: [Panel], panelWidth: Int, output: String) async throws {
        guard panels.count == 4 else { throw ArtifactError("a mosaic needs four moments, got \(panels.count)") }
        try await render(Self.mosaicArguments(panels, panelWidth: panelWidth, output: output + ".tmp"), outputs: [output])
    }

    /// A copy of a JPEG scaled to `height` pixels high (width keeping the aspect ratio).
    public func scaled(_ jpeg: String, height: Int, output: String) async throws {
        let arguments = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", "file:" + jpeg,
                         "-vf", "scale=-2:\(height)", "-frames:v", "1", "-q:v", "4", "-f", "mjpeg", "file:" + output + ".tmp"]
        try await render(arguments, outputs: [output])
    }

    static func snapshotArguments(path: String, offset: Double, width: Int?, boxes: [Box], annotated: String, clean: String) -> [String] {
        let scale = width.map { "scale=\($0):-2," } ?? ""
        var drawing = boxes.map(drawBox).joined(separator: ",")
        if drawing.isEmpty { drawing = "null" }
        let graph = "[0:v]\(scale)split[clean][boxed];[boxed]\(drawing)[annotated]"
        return ["-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-ss", seconds(offset)] + FootageInput.arguments(path) + [
                "-filter_complex", graph,
                "-map", "[annotated]", "-frames:v", "1", "-q:v", "3", "-f", "mjpeg", "file:" + annotated,
                "-map", "[clean]", "-frames:v", "1", "-q:v", "3", "-f", "mjpeg", "file:" + clean]
    }

    static func mosaicArguments(_ panels: [Panel], panelWidth: Int, output: String) -> [String] {
        var arguments = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
        for panel in panels { arguments += ["-ss", seconds(panel.offset)] + FootageInput.arguments(panel.path) }
        let names = ["a", "b", "c", "d"]
        var chains = panels.enumerated().map { index, panel in
            "[\(index):v]scale=\(panelWidth):-2,setsar=1," + caption(panel.caption) + "[\(names[index])]"
        }
        chains.append("[a][b][c][d]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0[mosaic]")
        arguments += ["-filter_complex", chains.joined(separator: ";"), "-map", "[mosaic]", "-frames:v", "1", "-q:v", "3",
                      "-f", "mjpeg", "file:" + output]
        return arguments
    }

    /// A box outline with its label above it (inside it when the box touches the top).
    static func drawBox(_ box: Box) -> String {
        let x = fraction(box.x), y = fraction(box.y), w = fraction(box.width), h = fraction(box.height)
        let outline = "drawbox=x=iw*\(x):y=ih*\(y):w=iw*\(w):h=ih*\(h):color=lime@0.9:t=3"
        let labelY = box.y > 0.06 ? "h*\(y)-th-4" : "h*\(y)+4"
        let label = "drawtext=expansion=none:text=\(escape(box.label)):x=min(w*\(x)+2\\,w-tw-4):y=\(labelY):fontsize=h/28:fontcolor=black:box=1:boxcolor=lime@0.9:boxborderw=3"
        return outline + "," + label
    }

    static func caption(_ text: String) -> String {
        "drawtext=expansion=none:text=\(escape(text)):x=8:y=h-th-8:fontsize=h/14:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=5"
    }

    /// Text as a drawtext value: the option parser's escapes first (`\`, `'`, `:`), then the
    /// filter graph's (`\`, `'`, `[`, `]`, `,`, `;`). Control characters are dropped.
    static func escape(_ text: String) -> String {
        let printable = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.prefix(80).map(Character.init))
        var option = ""
        for character in printable {
            if "\\':".contains(character) { option.append("\\") }
            option.append(character)
        }
        var graph = ""
        for character in option {
            if "\\'[],;".contains(character) { graph.append("\\") }
            graph.append(character)
        }
        return graph
    }

    static func fraction(_ value: Double) -> String {
        String(format: "%.4f", min(1, max(0, value.isFinite ? value : 0)))
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.3f", max(0, value.isFinite ? value : 0))
    }

    private func render(_ arguments: [String], outputs: [String]) async throws {
        let result = try await ProcessRunner().runInBackground(ffmpegPath, arguments: arguments, timeout: timeout)
        let temporary = outputs.map { $0 + ".tmp" }
        guard !result.timedOut, result.exitCode == 0,
              temporary.allSatisfy({ ((try? FileManager.default.attributesOfItem(atPath: $0))?[.size] as? Int ?? 0) > 0 }) else {
            for file in temporary { try? FileManager.default.removeItem(atPath: file) }
            let reason = result.timedOut ? "timed out after \(Int(timeout)) s"
                : String(decoding: result.stderr, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "exit status \(result.exitCode)"
            throw ArtifactError("ffmpeg could not make \((outputs.first! as NSString).lastPathComponent): \(reason)")
        }
        for (from, to) in zip(temporary, outputs) {
            if rename(from, to) != 0 { throw ArtifactError("cannot move \(from) into place (errno \(errno))") }
        }
    }
}

/// Why an artifact could not be made.
public struct ArtifactError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
