import XCTest
@testable import RoninCore

/// Background subtraction on small gray frames, the luma downscaler, and the inference gate.
final class MotionDetectorTests: XCTestCase {
    let width = 160, height = 90

    /// A textured, static scene (so brightness compensation cannot hide real changes).
    func scene(brightness: Int = 0) -> [UInt8] {
        (0..<(width * height)).map { index in
            let (x, y) = (index % width, index / width)
            return UInt8(clamping: 60 + (x * 7 + y * 13) % 50 + brightness)
        }
    }

    func run(_ detector: inout MotionDetector, _ frame: [UInt8]) -> MotionResult {
        frame.withUnsafeBufferPointer { detector.apply(gray: $0) }
    }

    func testStaticFramesHaveNoMotionAfterWarmUp() {
        var detector = MotionDetector(width: width, height: height)
        for _ in 0..<30 {
            let result = run(&detector, scene())
            XCTAssertEqual(result, MotionResult(changedFraction: 0, hasMotion: false))
        }
    }

    func testSensorNoiseIsNotMotion() {
        var detector = MotionDetector(width: width, height: height)
        var generator = SplitMix(seed: 7)
        for frame in 0..<60 {
            let noisy = scene().map { UInt8(clamping: Int($0) + Int(generator.next() % 7) - 3) }
            let result = run(&detector, noisy)
            if frame > 10 { XCTAssertFalse(result.hasMotion, "frame \(frame): \(result.changedFraction)") }
        }
    }

    func testAMovingBlockIsMotion() {
        var detector = MotionDetector(width: width, height: height)
        for _ in 0..<10 { _ = run(&detector, scene()) }
        for step in 0..<10 {
            var frame = scene()
            for y in 30..<50 {
                for x in (step * 8)..<(step * 8 + 20) { frame[y * width + x] = 230 }
            }
            let result = run(&detector, frame)
            XCTAssertTrue(result.hasMotion, "step \(step)")
            XCTAssertGreaterThan(result.changedFraction, 0.02)
            XCTAssertLessThan(result.changedFraction, 0.08)
        }
    }

    func testWarmUpFramesOnlyTeachTheBackground() {
        var detector = MotionDetector(width: width, height: height)
        var frame = scene()
        _ = run(&detector, frame)
        for step in 1...7 {
            for y in 30..<50 { for x in (step * 8)..<(step * 8 + 20) { frame[y * width + x] = 230 } }
            let result = run(&detector, frame)
            XCTAssertGreaterThan(result.changedFraction, 0)
            XCTAssertEqual(result.hasMotion, step > MotionConfig().warmUpFrames, "frame \(step)")
        }
    }

    func testAnObjectThatStopsIsAbsorbedIntoTheBackground() {
        var detector = MotionDetector(width: width, height: height)
        for _ in 0..<10 { _ = run(&detector, scene()) }
        var parked = scene()
        for y in 30..<50 { for x in 40..<80 { parked[y * width + x] = 230 } }
        XCTAssertTrue(run(&detector, parked).hasMotion)
        var last = MotionResult(changedFraction: 1, hasMotion: true)
        for _ in 0..<400 { last = run(&detector, parked) }
        XCTAssertFalse(last.hasMotion)
    }

    func testGradualLightingChangeIsAbsorbed() {
        var detector = MotionDetector(width: width, height: height)
        for frame in 0..<120 {
            let result = run(&detector, scene(brightness: frame))
            XCTAssertFalse(result.hasMotion, "frame \(frame): \(result.changedFraction)")
        }
        // Without brightness compensation the same dawn would look like motion everywhere.
        var plain = MotionDetector(width: width, height: height, config: MotionConfig(compensateBrightness: false))
        let flagged = (0..<120).filter { run(&plain, scene(brightness: $0)).hasMotion }
        XCTAssertFalse(flagged.isEmpty)
    }

    func testGrayIsDownscaledLuma() {
        // 4x2: left half white, right half pure red.
        let rgb: [UInt8] = [255, 255, 255, 255, 255, 255, 255, 0, 0, 255, 0, 0,
                            255, 255, 255, 255, 255, 255, 255, 0, 0, 255, 0, 0]
        let halves = rgb.withUnsafeBufferPointer { MotionDetector.gray(fromRGB: $0, width: 4, height: 2, outWidth: 2, outHeight: 1) }
        XCTAssertEqual(halves, [255, 77])
        let one = rgb.withUnsafeBufferPointer { MotionDetector.gray(fromRGB: $0, width: 4, height: 2, outWidth: 1, outHeight: 1) }
        XCTAssertEqual(one, [166])
        let same = rgb.withUnsafeBufferPointer { MotionDetector.gray(fromRGB: $0, width: 4, height: 2, outWidth: 4, outHeight: 2) }
        XCTAssertEqual(same, [255, 255, 77, 77, 255, 255, 77, 77])
    }

    func testGateInfersOnMotionAndForcesPeriodically() {
        var gate = MotionGate(forceEvery: 10)
        XCTAssertTrue(gate.shouldInfer(motion: false, at: 100), "first frame")
        XCTAssertFalse(gate.shouldInfer(motion: false, at: 101))
        XCTAssertTrue(gate.shouldInfer(motion: true, at: 102))
        XCTAssertFalse(gate.shouldInfer(motion: false, at: 111.5))
        XCTAssertTrue(gate.shouldInfer(motion: false, at: 112), "forced 10 s after the last inference")
        XCTAssertFalse(gate.shouldInfer(motion: false, at: 113))
        XCTAssertTrue(gate.shouldInfer(motion: false, at: 5), "a clock that went back starts over")
        XCTAssertFalse(gate.shouldInfer(motion: false, at: 6))
    }
}

/// A small deterministic generator, so noisy frames are the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
