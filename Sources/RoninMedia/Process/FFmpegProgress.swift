import Foundation

/// Reads the report ffmpeg writes with `-progress pipe:1`: blocks of `key=value` lines, each
/// ending in `progress=continue` (or `progress=end`), about once per `-stats_period`.
///
/// Keeps the media position of the newest complete block: how far into the stream ffmpeg has
/// written, in microseconds. That position advances as frames are muxed, whatever the bitrate
/// or the GOP, so it tells a quiet camera from a stalled one. Thread-safe: the pipe's reader
/// thread appends while the supervisor reads.
final class FFmpegProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var partial = ""
    private var block: [String: String] = [:]
    private var position: Int64?
    private var frames: Int64?

    func attach(to pipe: Pipe) {
        pipe.forwardText { [weak self] in self?.append($0) }
    }

    func append(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        partial += text
        var lines = partial.split(separator: "\n", omittingEmptySubsequences: false)
        partial = String(lines.removeLast())
        for line in lines {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if key == "progress" {
                if let microseconds = block["out_time_us"].flatMap({ Int64($0) }), microseconds >= 0 { position = microseconds }
                if let count = block["frame"].flatMap({ Int64($0) }) { frames = count }
                block = [:]
            } else {
                block[key] = value
            }
        }
    }

    /// Microseconds of media written so far, from the newest complete report; nil before the first.
    var mediaPosition: Int64? {
        lock.lock(); defer { lock.unlock() }
        return position
    }

    /// Video frames written so far, from the newest complete report.
    var framesWritten: Int64? {
        lock.lock(); defer { lock.unlock() }
        return frames
    }
}
