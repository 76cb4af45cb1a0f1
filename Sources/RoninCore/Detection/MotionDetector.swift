import Foundation

/// MOG2-style background subtraction with one running Gaussian (mean and variance) per pixel of a
/// small gray frame, shadow-free: a pixel has changed when its squared distance from the mean
/// exceeds `varianceThreshold` variances, and the frame has motion when enough pixels changed.
///
/// The background learns every frame at `learningRate` (faster during the first frames, so it
/// settles quickly), which absorbs slow changes and objects that stop for long. A uniform
/// brightness shift, measured as the median difference to the background, is removed before
/// pixels are compared, so lights and clouds are not motion. All buffers are allocated once.
public struct MotionDetector: Sendable {
    public let width: Int
    public let height: Int
    public let config: MotionConfig
    private var mean: [Float]
    private var variance: [Float]
    private var histogram: [Int32]
    private var frames = 0

    public init(width: Int, height: Int, config: MotionConfig = .init()) {
        precondition(width > 0 && height > 0, "empty motion frame")
        self.width = width
        self.height = height
        self.config = config
        mean = [Float](repeating: 0, count: width * height)
        variance = [Float](repeating: config.initialVariance, count: width * height)
        histogram = [Int32](repeating: 0, count: 511)
    }

    /// Compares one gray frame (`width * height` bytes, row-major) with the background, then
    /// learns it.
    public mutating func apply(gray: UnsafeBufferPointer<UInt8>) -> MotionResult {
        precondition(gray.count >= width * height, "gray frame smaller than the motion detector")
        let count = width * height
        defer { frames += 1 }
        guard frames > 0 else {
            for index in 0..<count { mean[index] = Float(gray[index]) }
            return MotionResult(changedFraction: 0, hasMotion: false)
        }
        let rate = max(config.learningRate, 1 / Float(frames + 1))
        let offset = config.compensateBrightness ? medianDifference(gray) : 0
        let threshold = config.varianceThreshold
        let (low, high) = (config.minimumVariance, config.maximumVariance)
        var changed = 0
        mean.withUnsafeMutableBufferPointer { mean in
            variance.withUnsafeMutableBufferPointer { variance in
                for index in 0..<count {
                    let raw = Float(gray[index]) - mean[index]
                    let distance = raw - offset
                    let squared = distance * distance
                    if squared > threshold * variance[index] { changed += 1 }
                    mean[index] += rate * raw
                    variance[index] = min(max(variance[index] + rate * (squared - variance[index]), low), high)
                }
            }
        }
        let fraction = Double(changed) / Double(count)
        let warm = frames > config.warmUpFrames
        return MotionResult(changedFraction: fraction, hasMotion: warm && fraction >= config.minimumChangedFraction)
    }

    /// The median of (frame - background), in whole gray levels: the part of the change that is
    /// shared by the whole frame.
    private mutating func medianDifference(_ gray: UnsafeBufferPointer<UInt8>) -> Float {
        let count = width * height
        return histogram.withUnsafeMutableBufferPointer { bins in
            bins.update(repeating: 0)
            for index in 0..<count {
                let difference = (Float(gray[index]) - mean[index]).rounded()
                bins[Int(min(max(difference, -255), 255)) + 255] += 1
            }
            var seen = 0
            for bin in 0..<bins.count {
                seen += Int(bins[bin])
                if 2 * seen >= count { return Float(bin - 255) }
            }
            return 0
        }
    }
}
