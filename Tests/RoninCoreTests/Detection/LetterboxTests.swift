import XCTest
@testable import RoninCore

/// Box geometry and the letterbox that fits camera frames into the model input.
final class LetterboxTests: XCTestCase {
    func testIoUAndClipping() {
        let a = BoundingBox(x: 0, y: 0, width: 10, height: 10)
        let b = BoundingBox(x: 5, y: 0, width: 10, height: 10)
        XCTAssertEqual(a.iou(b), 50 / 150, accuracy: 1e-6)
        XCTAssertEqual(a.iou(a), 1)
        XCTAssertEqual(a.iou(BoundingBox(x: 20, y: 20, width: 5, height: 5)), 0)
        XCTAssertEqual(BoundingBox(centerX: 10, centerY: 20, width: 4, height: 6), BoundingBox(x: 8, y: 17, width: 4, height: 6))
        XCTAssertEqual(
            BoundingBox(x: -5, y: 90, width: 20, height: 20).clipped(width: 100, height: 100),
            BoundingBox(x: 0, y: 90, width: 15, height: 10))
        XCTAssertEqual(BoundingBox(x: 200, y: 0, width: 5, height: 5).clipped(width: 100, height: 100).area, 0)
    }

    func testPaddingGoesWhereThePictureFallsShort() {
        // Landscape frames are padded top and bottom, portrait frames left and right.
        let cases: [(source: (Int, Int), target: Int, scale: Float, content: (Int, Int), pad: (Float, Float))] = [
            ((768, 576), 416, 416.0 / 768.0, (416, 312), (0, 52)),
            ((1080, 1920), 640, 640.0 / 1920.0, (360, 640), (140, 0)),
        ]
        for item in cases {
            let letterbox = Letterbox(sourceWidth: item.source.0, sourceHeight: item.source.1, targetWidth: item.target, targetHeight: item.target)
            XCTAssertEqual(letterbox.scale, item.scale, accuracy: 1e-6)
            XCTAssertEqual(letterbox.contentWidth, item.content.0)
            XCTAssertEqual(letterbox.contentHeight, item.content.1)
            XCTAssertEqual(letterbox.padX, item.pad.0)
            XCTAssertEqual(letterbox.padY, item.pad.1)
        }
    }

    func testBoxesMapBackToSourcePixels() {
        for (width, height) in [(768, 576), (576, 768), (1920, 1080)] {
            let letterbox = Letterbox(sourceWidth: width, sourceHeight: height, targetWidth: 416, targetHeight: 416)
            let source = BoundingBox(x: 100, y: 50, width: 120, height: 300)
            let back = letterbox.toSource(letterbox.toTarget(source))
            XCTAssertEqual(back.x, source.x, accuracy: 1e-3)
            XCTAssertEqual(back.y, source.y, accuracy: 1e-3)
            XCTAssertEqual(back.width, source.width, accuracy: 1e-3)
            XCTAssertEqual(back.height, source.height, accuracy: 1e-3)
        }
        let letterbox = Letterbox(sourceWidth: 768, sourceHeight: 576, targetWidth: 416, targetHeight: 416)
        // A box reaching into the top padding is clipped to the frame.
        let mapped = letterbox.toSource(BoundingBox(x: 208, y: 40, width: 26, height: 32))
        XCTAssertEqual(mapped.y, 0)
        XCTAssertEqual(mapped.x, 384, accuracy: 1e-3)
        XCTAssertEqual(mapped.height, (72 - 52) / letterbox.scale, accuracy: 1e-3)
    }

    func testTensorIsPlanarRGBWithGrayPadding() {
        // 4x2 source into 8x8: scale 2, picture 8x4 starting at row 2, rows 0-1 and 6-7 padding.
        var rgb = [UInt8]()
        for _ in 0..<8 { rgb += [255, 0, 51] }
        let letterbox = Letterbox(sourceWidth: 4, sourceHeight: 2, targetWidth: 8, targetHeight: 8)
        var tensor = [Float](repeating: -1, count: 3 * 64)
        rgb.withUnsafeBufferPointer { source in
            tensor.withUnsafeMutableBufferPointer { letterbox.fillTensor(rgb: source, into: $0) }
        }
        let pad: Float = 114 / 255
        for channel in 0..<3 {
            for row in 0..<8 {
                for column in 0..<8 {
                    let value = tensor[channel * 64 + row * 8 + column]
                    let expected: Float = (2..<6).contains(row) ? [1, 0, 0.2][channel] : pad
                    XCTAssertEqual(value, expected, accuracy: 1e-6, "channel \(channel) row \(row) column \(column)")
                }
            }
        }
    }

    func testSameSizeCopiesPixelsAndUpscalingInterpolates() {
        let rgb: [UInt8] = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]  // 2x2
        let same = Letterbox(sourceWidth: 2, sourceHeight: 2, targetWidth: 2, targetHeight: 2)
        var tensor = [Float](repeating: 0, count: 12)
        rgb.withUnsafeBufferPointer { source in
            tensor.withUnsafeMutableBufferPointer { same.fillTensor(rgb: source, into: $0) }
        }
        XCTAssertEqual(tensor.map { ($0 * 255).rounded() }, [0, 30, 60, 90, 10, 40, 70, 100, 20, 50, 80, 110])

        let gray: [UInt8] = [0, 0, 0, 200, 200, 200]  // 2x1, black then light
        let wide = Letterbox(sourceWidth: 2, sourceHeight: 1, targetWidth: 4, targetHeight: 2)
        var upscaled = [Float](repeating: 0, count: 24)
        gray.withUnsafeBufferPointer { source in
            upscaled.withUnsafeMutableBufferPointer { wide.fillTensor(rgb: source, into: $0) }
        }
        XCTAssertEqual(Array(upscaled[0..<4].map { ($0 * 255).rounded() }), [0, 50, 150, 200])
    }
}
