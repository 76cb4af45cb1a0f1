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
    private var blockPosition: Int64?
    private var blockFrames: Int64?
    private var position: Int64?
    private var frames: Int64?

    func attach(to pipe: Pipe) {
        pipe.forwardText { [weak self] in self?.append($0) }
    }

    /// Reads the lines a block is made of; only the keys kept here are looked at (a report comes
    /// every second from every camera's ffmpeg).
    func append(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        partial += text
        guard let lastNewline = partial.utf8.lastIndex(of: UInt8(ascii: "\n")) else { return }
        for line in partial.utf8[..<lastNewline].split(separator: UInt8(ascii: "\n")) {
            guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let key = line[..<equals]
            let value = String(decoding: line[line.index(after: equals)...], as: UTF8.self)
            if key.elementsEqual("progress".utf8) {
                if let microseconds = blockPosition, microseconds >= 0 { position = microseconds }
                if let count = blockFrames { frames = count }
                blockPosition = nil
                blockFrames = nil
            } else if key.elementsEqual("out_time_us".utf8) {
                blockPosition = Int64(value)
            } else if key.elementsEqual("frame".utf8) {
                blockFrames = Int64(value)
            }
        }
        partial = String(partial[partial.utf8.index(after: lastNewline)...])
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
