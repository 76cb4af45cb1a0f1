import Foundation

/// What a frame source's input holds before decoding starts: the picture size, and the length
/// for files (nil for live streams). Read with ffprobe through the same private-input path as
/// the decoder, so stream credentials stay out of `ps`.
public struct FrameSourceProbe: Sendable {
    /// The input's picture size, and its length in seconds for files.
    public struct Description: Sendable, Equatable {
        public let size: FrameSize
        public let duration: Double?
    }

    public let ffprobePath: String
    public let timeout: Double

    public init(ffprobePath: String = "ffprobe", timeout: Double = 15) {
        self.ffprobePath = ffprobePath
        self.timeout = timeout
    }

    public func describe(_ input: FrameInput) async throws(FrameSourceError) -> Description {
        if case .file(let path) = input, !FileManager.default.fileExists(atPath: path) {
            throw FrameSourceError("Cannot read \(path): no such file")
        }
        let directory = FrameInput.privateDirectory()
        let prepared: (arguments: [String], sourceFile: SourceListFile?)
        do {
            prepared = try input.arguments(directory: directory)
        } catch {
            throw FrameSourceError("Cannot prepare \(input.displayName): \(error)")
        }
        defer { prepared.sourceFile?.remove() }
        let arguments = ["-v", "error", "-hide_banner", "-select_streams", "v:0",
                         "-show_entries", "stream=width,height:format=duration", "-of", "json"] + prepared.arguments
        let result: ProcessRunner.Result
        do {
            result = try await ProcessRunner().run(ffprobePath, arguments: arguments, timeout: timeout)
        } catch {
            throw FrameSourceError("Cannot run ffprobe: \(error)")
        }
        if result.timedOut { throw FrameSourceError("Timed out after \(Int(timeout)) s opening \(input.displayName)") }
        guard result.exitCode == 0 else {
            throw FrameSourceError.failed("ffprobe", input: input, status: result.exitCode, lines: result.stderrText.split(separator: "\n").map(String.init),
                                            sourceFile: prepared.sourceFile)
        }
        guard let description = Self.parse(result.stdout, isStream: input.isStream) else {
            throw FrameSourceError("\(input.displayName) carries no video stream")
        }
        return description
    }

    static func parse(_ json: Data, isStream: Bool) -> Description? {
        struct Output: Decodable {
            struct Stream: Decodable { let width: Int?; let height: Int? }
            struct Format: Decodable { let duration: String? }
            let streams: [Stream]?
            let format: Format?
        }
        guard let output = try? JSONDecoder().decode(Output.self, from: json),
              let stream = output.streams?.first, let width = stream.width, let height = stream.height, width > 0, height > 0 else { return nil }
        let duration = isStream ? nil : output.format?.duration.flatMap(Double.init)
        return Description(size: FrameSize(width: width, height: height), duration: duration)
    }
}
