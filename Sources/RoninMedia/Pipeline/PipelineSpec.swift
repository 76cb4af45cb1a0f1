import Foundation
import RoninCore

/// Everything one camera's ffmpeg needs to know: where to read, what to write, and how.
public struct PipelineSpec: Sendable, Equatable {
    /// What happens to the camera's audio.
    public enum AudioMode: Sendable, Equatable {
        /// No audio (the camera sends none, or audio is switched off).
        case none
        /// Already AAC: copied as is.
        case copy
        /// Anything else (G.711, G.726, Opus…): transcoded once to AAC at this bitrate.
        case transcode(bitsPerSecond: Int)
    }

    public let cameraID: UUID
    public let endpoint: CameraEndpoint
    /// The sub-stream path, whose live HLS feeds the grid.
    public let substreamPath: String?
    public let audio: AudioMode
    public let recording: Bool
    public let segmentSeconds: Int
    public let layout: SegmentLayout
    public let ffmpegPath: String
    /// The UDP port on 127.0.0.1 that live detection reads the camera from (the sub-stream when
    /// there is one), as MPEG-TS; nil: no tap.
    public let tapPort: Int?
    /// UNIX sockets the live view's fragmented MP4 of the main stream and of the sub-stream goes
    /// to (docs/design/live.md); nil: none.
    public var liveFeedMain: String?
    public var liveFeedSub: String?

    public init(cameraID: UUID, endpoint: CameraEndpoint, substreamPath: String?, audio: AudioMode, recording: Bool,
                segmentSeconds: Int, layout: SegmentLayout, ffmpegPath: String, tapPort: Int? = nil, liveFeedMain: String? = nil,
                liveFeedSub: String? = nil) {
        self.liveFeedMain = liveFeedMain
        self.liveFeedSub = liveFeedSub
        self.cameraID = cameraID
        self.endpoint = endpoint
        self.substreamPath = substreamPath
        self.audio = audio
        self.recording = recording
        self.segmentSeconds = segmentSeconds
        self.layout = layout
        self.ffmpegPath = ffmpegPath
        self.tapPort = tapPort
    }

    public var liveDirectory: String { layout.liveDirectory(cameraID: cameraID) }
    public var liveSubDirectory: String { liveDirectory + "/sub" }
    public var stagingDirectory: String { layout.stagingDirectory(cameraID: cameraID) }

    /// The audio mode for what a probe saw.
    public static func audioMode(for audio: StreamDescription.Audio?, enabled: Bool) -> AudioMode {
        guard enabled, let audio else { return .none }
        if audio.codec == "aac" { return .copy }
        // AAC-LC caps at 6144 bits per channel per 1024-sample frame.
        let channels = max(1, audio.channels ?? 1)
        let ceiling = (audio.sampleRate ?? 8000) * 6 * channels
        return .transcode(bitsPerSecond: min(64_000 * channels, ceiling * 95 / 100))
    }
}
