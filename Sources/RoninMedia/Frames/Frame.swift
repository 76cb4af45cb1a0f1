/// One decoded video frame: packed RGB24 pixels, top-left origin, rows of `width * 3` bytes.
///
/// Invariant: `rgb.count == width * height * 3`. `time` is seconds on the source's own clock
/// (`start + index / fps` for a `FrameSource`), not wall-clock time.
public struct Frame: Sendable {
    public let index: Int
    public let time: Double
    public let width: Int
    public let height: Int
    public let rgb: [UInt8]

    public init(index: Int, time: Double, width: Int, height: Int, rgb: [UInt8]) {
        precondition(rgb.count == width * height * 3, "RGB24 frame of \(width)x\(height) needs \(width * height * 3) bytes")
        self.index = index
        self.time = time
        self.width = width
        self.height = height
        self.rgb = rgb
    }
}

/// A frame size in pixels; ffmpeg's scaler and most codecs want both sides even.
public struct FrameSize: Sendable, Equatable, CustomStringConvertible {
    public let width: Int
    public let height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// This size shrunk (never enlarged) to at most `maxWidth` wide, keeping the aspect ratio,
    /// with both sides rounded to even numbers of at least 2.
    public func fitted(maxWidth: Int) -> FrameSize {
        let scale = min(1.0, Double(maxWidth) / Double(max(width, 1)))
        func even(_ value: Double) -> Int { max(2, Int((value / 2).rounded()) * 2) }
        return FrameSize(width: even(Double(width) * scale), height: even(Double(height) * scale))
    }

    public var description: String { "\(width)x\(height)" }
}
