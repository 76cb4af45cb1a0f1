import Foundation
import RoninCore

/// What one camera's ffmpeg produces, read as values that change whenever an output moves on,
/// for `StallWatch`: the media position of ffmpeg's progress report, the name and size of the
/// segment being recorded, and the modification times of the live playlists.
struct PipelineOutputs {
    static let media = "media"
    static let recording = "recording"
    static let live = "live"
    static let sub = "sub"

    let cadences: [String: StallWatch.Cadence]
    private let readers: [String: () -> String?]

    init(spec: PipelineSpec, report: FFmpegProgress) {
        func mtime(_ path: String) -> () -> String? {
            { FileStatus.of(path).map { String($0.modifiedAt.timeIntervalSince1970) } }
        }
        var readers: [String: () -> String?] = [Self.media: { report.mediaPosition.map(String.init) }]
        var cadences: [String: StallWatch.Cadence] = [Self.media: .steady]
        readers[Self.live] = mtime(spec.liveDirectory + "/stream.m3u8")
        cadences[Self.live] = .keyframeBound
        if spec.substreamPath != nil {
            readers[Self.sub] = mtime(spec.liveSubDirectory + "/stream.m3u8")
            cadences[Self.sub] = .keyframeBound
        }
        if spec.recording {
            let staging = spec.stagingDirectory
            // The header alone (before the first fragment) does not count as recording.
            readers[Self.recording] = {
                StagingScanner.segments(in: staging).last.flatMap { $0.size > 1024 ? "\($0.fileName):\($0.size)" : nil }
            }
            cadences[Self.recording] = .steady
        }
        self.readers = readers
        self.cadences = cadences
    }

    /// Every output's current value (nil: nothing there yet).
    func read() -> [(String, String?)] {
        readers.map { ($0.key, $0.value()) }
    }

    /// An output's name as the status and the log say it.
    static func describe(_ output: String) -> String {
        switch output {
        case media: "the camera's stream"
        case recording: "the recording"
        case live: "the live stream"
        case sub: "the sub-stream"
        default: output
        }
    }
}
