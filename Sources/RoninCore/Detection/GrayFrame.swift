import Foundation

extension MotionDetector {
    /// Downscaled luma (BT.601 weights) of an RGB24 frame: each output pixel averages the source
    /// pixels it covers (at most a 4x4 grid of them, evenly spread, so a 1080p frame costs little),
    /// which also smooths sensor noise.
    public static func gray(fromRGB rgb: UnsafeBufferPointer<UInt8>, width: Int, height: Int, outWidth: Int, outHeight: Int) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: outWidth * outHeight)
        output.withUnsafeMutableBufferPointer { buffer in
            gray(fromRGB: rgb, width: width, height: height, into: buffer, outWidth: outWidth, outHeight: outHeight)
        }
        return output
    }

    /// As `gray(fromRGB:width:height:outWidth:outHeight:)`, writing into a caller-owned buffer of
    /// `outWidth * outHeight` bytes so a frame loop can reuse it.
    public static func gray(
        fromRGB rgb: UnsafeBufferPointer<UInt8>, width: Int, height: Int,
        into output: UnsafeMutableBufferPointer<UInt8>, outWidth: Int, outHeight: Int
    ) {
        precondition(width > 0 && height > 0 && outWidth > 0 && outHeight > 0, "empty frame")
        precondition(rgb.count >= 3 * width * height, "RGB frame smaller than its size")
        precondition(output.count >= outWidth * outHeight, "gray buffer smaller than its size")
        for row in 0..<outHeight {
            let top = row * height / outHeight
            let bottom = max(top + 1, (row + 1) * height / outHeight)
            for column in 0..<outWidth {
                let left = column * width / outWidth
                let right = max(left + 1, (column + 1) * width / outWidth)
                var sum = 0
                var count = 0
                for y in stride(from: top, to: bottom, by: Self.step(bottom - top)) {
                    for x in stride(from: left, to: right, by: Self.step(right - left)) {
                        let pixel = 3 * (y * width + x)
                        sum += 77 * Int(rgb[pixel]) + 150 * Int(rgb[pixel + 1]) + 29 * Int(rgb[pixel + 2])
                        count += 1
                    }
                }
                let pixels = count * 256
                output[row * outWidth + column] = UInt8(min(255, (sum + pixels / 2) / pixels))
            }
        }
    }

    /// Stride that visits at most four of `span` pixels, spread across it.
    private static func step(_ span: Int) -> Int {
        max(1, (span + 3) / 4)
    }
}
