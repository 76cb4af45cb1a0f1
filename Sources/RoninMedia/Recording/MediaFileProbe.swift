import Foundation

/// What a finished recording file holds, read with ffprobe.
public struct MediaFileInfo: Sendable, Equatable {
    public let duration: Double
    public let videoCodec: String?
    public let width: Int?
    public let height: Int?
    public let audioCodec: String?

    public init(duration: Double, videoCodec: String?, width: Int?, height: Int?, audioCodec: String?) {
        self.duration = duration
        self.videoCodec = videoCodec
        self.width = width
        self.height = height
        self.audioCodec = audioCodec
    }
}

/// Reads duration, codecs and resolution of a local media file.
public struct MediaFileProbe: Sendable {
    public let ffprobePath: String
    private let runner = ProcessRunner()

    public init(ffprobePath: String = "ffprobe") {
        self.ffprobePath = ffprobePath
    }

    /// nil when the file holds no readable media (empty, or cut before its first fragment).
    public func inspect(_ path: String) async -> MediaFileInfo? {
        let arguments = ["-v", "error", "-show_entries", "format=duration:stream=codec_type,codec_name,width,height", "-of", "json", path]
        guard let result = try? await runner.run(ffprobePath, arguments: arguments, timeout: 30), result.exitCode == 0 else { return nil }
        return Self.parse(result.stdout)
    }

    static func parse(_ json: Data) -> MediaFileInfo? {
        struct Output: Decodable {
            struct Format: Decodable { let duration: String? }
            struct Stream: Decodable {
                let codec_type: String?
                let codec_name: String?
                let width: Int?
                let height: Int?
            }
            let format: Format?
            let streams: [Stream]?
        }
        guard let output = try? JSONDecoder().decode(Output.self, from: json),
              let duration = output.format?.duration.flatMap(Double.init), duration > 0 else { return nil }
        let video = output.streams?.first { $0.codec_type == "video" }
        let audio = output.streams?.first { $0.codec_type == "audio" }
        return MediaFileInfo(duration: duration, videoCodec: video?.codec_name, width: video?.width, height: video?.height,
                             audioCodec: audio?.codec_name)
    }
}
