import Foundation

/// Decoded frames of a file, a recording or a live stream, as an `AsyncSequence`.
///
/// One ffmpeg per iteration decodes the input, keeps `fps` frames per second of source time
/// (`-vf fps=N,scale=W:H`) and writes them as raw RGB24 to a pipe; the iterator reads exact
/// frame-sized chunks, so memory stays at one frame and a slow consumer slows ffmpeg down
/// instead of queueing frames. Frame `i` has time `start + i / fps`.
///
/// The sequence ends at the end of the input. A failing ffmpeg surfaces as a `FrameSourceError`
/// carrying its last error line (credentials redacted). Cancelling the consuming task, or
/// dropping the iterator, kills ffmpeg.
public struct FrameSource: AsyncSequence, Sendable {
    public typealias Element = Frame

    public let input: FrameInput
    public let fps: Double
    public let size: FrameSize
    /// Where decoding starts in a file, in seconds; also the time of the first frame.
    public let start: Double
    /// How many seconds to decode at most (nil: to the end).
    public let duration: Double?
    public let ffmpegPath: String
    /// The decoder's niceness: 10 for background analysis, which must yield to recording.
    public let niceness: Int32

    public init(input: FrameInput, fps: Double, size: FrameSize, start: Double = 0, duration: Double? = nil,
                ffmpegPath: String = "ffmpeg", niceness: Int32 = 0) throws(FrameSourceError) {
        guard fps.isFinite, fps > 0, fps <= 120 else { throw FrameSourceError("Frame rate must be above 0 and at most 120, got \(fps)") }
        guard size.width >= 2, size.height >= 2, size.width <= 8192, size.height <= 8192 else {
            throw FrameSourceError("Frame size must be from 2x2 to 8192x8192, got \(size)")
        }
        guard start.isFinite, start >= 0 else { throw FrameSourceError("Start must be 0 or more seconds, got \(start)") }
        if let duration, !(duration.isFinite && duration > 0) { throw FrameSourceError("Duration must be above 0 seconds, got \(duration)") }
        self.input = input
        self.fps = fps
        self.size = size
        self.start = start
        self.duration = duration
        self.ffmpegPath = ffmpegPath
        self.niceness = niceness
    }

    /// Bytes of one RGB24 frame.
    public var frameBytes: Int { size.width * size.height * 3 }

    /// ffmpeg's arguments around the given input arguments.
    func arguments(input inputArguments: [String]) -> [String] {
        var arguments = ["-hide_banner", "-nostdin", "-loglevel", "error"]
        if start > 0, !input.isStream { arguments += ["-ss", Self.seconds(start)] }
        if let duration { arguments += ["-t", Self.seconds(duration)] }
        arguments += inputArguments
        arguments += ["-an", "-sn", "-dn", "-vf", "fps=\(Self.seconds(fps)),scale=\(size.width):\(size.height):flags=bilinear",
                      "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"]
        return arguments
    }

    static func seconds(_ value: Double) -> String {
        String(format: "%.6f", value)
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(reader: FrameReader(source: self))
    }

    /// Reads frames from the ffmpeg started on the first `next()`.
    public struct Iterator: AsyncIteratorProtocol {
        let reader: FrameReader

        public mutating func next() async throws -> Frame? {
            try await reader.next()
        }
    }
}
