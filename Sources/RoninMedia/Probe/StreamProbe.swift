import Foundation
import RoninCore

/// What a camera stream carries, as ffprobe saw it.
public struct StreamDescription: Sendable, Equatable, Codable {
    public struct Video: Sendable, Equatable, Codable {
        public let codec: String
        public let width: Int
        public let height: Int
        public let fps: Double?
    }

    public struct Audio: Sendable, Equatable, Codable {
        public let codec: String
        public let sampleRate: Int?
        public let channels: Int?

        enum CodingKeys: String, CodingKey {
            case codec
            case sampleRate = "sample_rate"
            case channels
        }
    }

    public let video: Video
    public let audio: Audio?
}

/// Why a stream could not be probed, in words a user can act on. Never contains credentials.
public struct ProbeFailure: Error, Sendable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case authenticationFailed = "authentication_failed"
        case notFound = "stream_not_found"
        case connectionRefused = "connection_refused"
        case unknownHost = "unknown_host"
        case unreachable
        case timedOut = "timed_out"
        case noVideo = "no_video"
        case unavailable = "probe_unavailable"
        case other
    }

    public let reason: Reason
    public let message: String
    public var description: String { message }
}

/// Opens an RTSP stream with ffprobe under a deadline and describes its video and audio.
public struct StreamProbe: Sendable {
    public let ffprobePath: String
    public let timeout: Double
    private let runner = ProcessRunner()

    public init(ffprobePath: String = "ffprobe", timeout: Double = 10) {
        self.ffprobePath = ffprobePath
        self.timeout = timeout
    }

    public func probe(_ endpoint: CameraEndpoint) async throws(ProbeFailure) -> StreamDescription {
        let socketTimeoutMicroseconds = Int(timeout * 1_000_000)
        // The URL carries credentials: it goes to ffprobe in a private file, not as an argument.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ronin-probe-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let source: SourceListFile
        do {
            source = try SourceListFile.write(
                url: endpoint.url(), options: [("rtsp_transport", endpoint.transport.rawValue), ("timeout", String(socketTimeoutMicroseconds))],
                directory: directory, name: "probe")
        } catch {
            throw ProbeFailure(reason: .unavailable, message: "Cannot prepare the probe: \(error)")
        }
        let arguments = [
            "-v", "error", "-hide_banner",
            "-f", "concat", "-safe", "0", "-protocol_whitelist", FFmpegCommand.protocolWhitelist,
            "-analyzeduration", "3000000", "-probesize", "2000000",
            "-show_entries", "stream=codec_type,codec_name,width,height,avg_frame_rate,r_frame_rate,sample_rate,channels",
            "-of", "json",
            source.path,
        ]
        let result: ProcessRunner.Result
        do {
            result = try await runner.run(ffprobePath, arguments: arguments, timeout: timeout)
        } catch {
            throw ProbeFailure(reason: .unavailable, message: "Cannot run ffprobe: \(error)")
        }
        let where_ = endpoint.displayURL()
        if result.timedOut {
            throw ProbeFailure(reason: .timedOut, message: "Timed out after \(Int(timeout)) s waiting for \(where_)")
        }
        guard result.exitCode == 0 else {
            throw Self.classify(stderr: SecretRedactor.shared.redact(result.stderrText), endpoint: endpoint)
        }
        return try Self.parse(result.stdout, source: where_)
    }

    /// Turns ffprobe's error output into a reason and a sentence.
    static func classify(stderr: String, endpoint: CameraEndpoint) -> ProbeFailure {
        let text = SecretRedactor.redactURLPasswords(stderr)
        let target = endpoint.displayURL()
        let lowered = text.lowercased()
        if lowered.contains("401") || lowered.contains("unauthorized") {
            let detail = endpoint.username.isEmpty ? "the camera requires a username and password" : "the username or password was not accepted"
            return ProbeFailure(reason: .authenticationFailed, message: "Authentication failed at \(target): \(detail)")
        }
        if lowered.contains("404") || lowered.contains("not found") && !lowered.contains("name or service") {
            return ProbeFailure(reason: .notFound, message: "No stream at \(target): check the stream path")
        }
        if lowered.contains("connection refused") {
            return ProbeFailure(reason: .connectionRefused, message: "Connection refused by \(endpoint.host):\(endpoint.port): is the port right and RTSP enabled?")
        }
        if lowered.contains("name or service not known") || lowered.contains("name resolution") || lowered.contains("no address associated") {
            return ProbeFailure(reason: .unknownHost, message: "Unknown host \(endpoint.host)")
        }
        if lowered.contains("no route to host") || lowered.contains("network is unreachable") {
            return ProbeFailure(reason: .unreachable, message: "Cannot reach \(endpoint.host): no route to host")
        }
        if lowered.contains("timed out") || lowered.contains("timeout") {
            return ProbeFailure(reason: .timedOut, message: "Timed out waiting for \(target)")
        }
        let lastLine = text.split(separator: "\n").last.map(String.init) ?? "ffprobe failed"
        return ProbeFailure(reason: .other, message: "Cannot read \(target): \(lastLine)")
    }

    /// Reads ffprobe's JSON (`-show_entries stream=…`).
    static func parse(_ json: Data, source: String) throws(ProbeFailure) -> StreamDescription {
        struct Output: Decodable {
            struct Stream: Decodable {
                let codec_type: String?
                let codec_name: String?
                let width: Int?
                let height: Int?
                let avg_frame_rate: String?
                let r_frame_rate: String?
                let sample_rate: String?
                let channels: Int?
            }
            let streams: [Stream]?
        }
        guard let output = try? JSONDecoder().decode(Output.self, from: json) else {
            throw ProbeFailure(reason: .other, message: "ffprobe gave no readable description of \(source)")
        }
        let streams = output.streams ?? []
        guard let video = streams.first(where: { $0.codec_type == "video" }), let width = video.width, let height = video.height else {
            throw ProbeFailure(reason: .noVideo, message: "\(source) carries no video stream")
        }
        let fps = frameRate(video.avg_frame_rate) ?? frameRate(video.r_frame_rate)
        let audio = streams.first(where: { $0.codec_type == "audio" }).map {
            StreamDescription.Audio(codec: $0.codec_name ?? "unknown", sampleRate: $0.sample_rate.flatMap { Int($0) }, channels: $0.channels)
        }
        return StreamDescription(
            video: .init(codec: video.codec_name ?? "unknown", width: width, height: height, fps: fps),
            audio: audio)
    }

    /// "30000/1001" → 29.97; "0/0" → nil.
    static func frameRate(_ text: String?) -> Double? {
        guard let parts = text?.split(separator: "/"), parts.count == 2,
              let numerator = Double(parts[0]), let denominator = Double(parts[1]), denominator > 0, numerator > 0
        else { return nil }
        let rate = numerator / denominator
        return rate > 1000 ? nil : (rate * 100).rounded() / 100
    }
}
