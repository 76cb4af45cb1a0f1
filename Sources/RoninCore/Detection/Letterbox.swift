import Foundation

/// Geometry of fitting a source frame into the model input while keeping its aspect ratio:
/// the frame is scaled by `scale`, centred, and the borders are padded with gray 114.
///
/// `padX` / `padY` are the left / top padding in target pixels (whole pixels, so the picture
/// starts on a pixel boundary). Sampling tables are built once here, so `fillTensor`, which runs
/// on every inferred frame, allocates nothing.
public struct Letterbox: Sendable, Equatable {
    public static let padValue: UInt8 = 114

    public let sourceWidth: Int
    public let sourceHeight: Int
    public let targetWidth: Int
    public let targetHeight: Int
    public let scale: Float
    public let padX: Float
    public let padY: Float
    /// Size of the scaled picture inside the target.
    public let contentWidth: Int
    public let contentHeight: Int

    private let columns: [Sample]
    private let rows: [Sample]

    /// Where one target column (or row) reads the source: two neighbours and the weight of the second.
    private struct Sample: Sendable, Equatable {
        var low: Int32
        var high: Int32
        var weight: Float
    }

    public init(sourceWidth: Int, sourceHeight: Int, targetWidth: Int, targetHeight: Int) {
        precondition(sourceWidth > 0 && sourceHeight > 0 && targetWidth > 0 && targetHeight > 0, "empty letterbox")
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.targetWidth = targetWidth
        self.targetHeight = targetHeight
        let scale = min(Float(targetWidth) / Float(sourceWidth), Float(targetHeight) / Float(sourceHeight))
        self.scale = scale
        contentWidth = min(targetWidth, max(1, Int((Float(sourceWidth) * scale).rounded())))
        contentHeight = min(targetHeight, max(1, Int((Float(sourceHeight) * scale).rounded())))
        padX = Float((targetWidth - contentWidth) / 2)
        padY = Float((targetHeight - contentHeight) / 2)
        columns = Self.samples(count: contentWidth, sourceCount: sourceWidth, scale: scale)
        rows = Self.samples(count: contentHeight, sourceCount: sourceHeight, scale: scale)
    }

    /// Bilinear taps with pixel centres aligned: target pixel t reads source (t + 0.5) / scale - 0.5.
    private static func samples(count: Int, sourceCount: Int, scale: Float) -> [Sample] {
        (0..<count).map { index in
            let position = min(max((Float(index) + 0.5) / scale - 0.5, 0), Float(sourceCount - 1))
            let low = Int(position)
            let high = min(low + 1, sourceCount - 1)
            return Sample(low: Int32(low), high: Int32(high), weight: position - Float(low))
        }
    }

    /// A box in model-input pixels mapped back to source pixels, clipped to the source frame.
    public func toSource(_ box: BoundingBox) -> BoundingBox {
        BoundingBox(
            x: (box.x - padX) / scale, y: (box.y - padY) / scale,
            width: box.width / scale, height: box.height / scale
        ).clipped(width: Float(sourceWidth), height: Float(sourceHeight))
    }

    /// A box in source pixels mapped into model-input pixels (the inverse of `toSource`, unclipped).
    public func toTarget(_ box: BoundingBox) -> BoundingBox {
        BoundingBox(x: box.x * scale + padX, y: box.y * scale + padY, width: box.width * scale, height: box.height * scale)
    }

    /// HWC RGB24 source pixels -> CHW float32 in 0...1 at target size (bilinear), padded with 114/255.
    /// `rgb.count` must be `3 * sourceWidth * sourceHeight` and `output.count` `3 * targetWidth * targetHeight`.
    public func fillTensor(rgb: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(rgb.count >= 3 * sourceWidth * sourceHeight, "source frame too small for the letterbox")
        precondition(output.count >= 3 * targetWidth * targetHeight, "tensor too small for the letterbox")
        let pad = Float(Self.padValue) / 255
        let plane = targetWidth * targetHeight
        let left = Int(padX), top = Int(padY)
        let rightStart = left + contentWidth
        let sourceStride = 3 * sourceWidth
        columns.withUnsafeBufferPointer { columns in
            for row in 0..<targetHeight {
                let rowBase = row * targetWidth
                let contentRow = row - top
                guard contentRow >= 0, contentRow < contentHeight else {
                    for channel in 0..<3 {
                        let start = channel * plane + rowBase
                        output[start..<(start + targetWidth)].update(repeating: pad)
                    }
                    continue
                }
                for channel in 0..<3 {
                    let start = channel * plane + rowBase
                    output[start..<(start + left)].update(repeating: pad)
                    output[(start + rightStart)..<(start + targetWidth)].update(repeating: pad)
                }
                let vertical = rows[contentRow]
                let upper = Int(vertical.low) * sourceStride
                let lower = Int(vertical.high) * sourceStride
                let wy = vertical.weight
                for column in 0..<contentWidth {
                    let tap = columns[column]
                    let l = 3 * Int(tap.low), h = 3 * Int(tap.high)
                    let wx = tap.weight
                    let destination = rowBase + left + column
                    for channel in 0..<3 {
                        let top = Float(rgb[upper + l + channel]) + wx * (Float(rgb[upper + h + channel]) - Float(rgb[upper + l + channel]))
                        let bottom = Float(rgb[lower + l + channel]) + wx * (Float(rgb[lower + h + channel]) - Float(rgb[lower + l + channel]))
                        output[channel * plane + destination] = (top + wy * (bottom - top)) / 255
                    }
                }
            }
        }
    }
}
