import XCTest
@testable import RoninCore

/// Output layouts, thresholds and box decoding on hand-built tensors.
final class YOLODecoderTests: XCTestCase {
    let names = ["person", "car", "dog"]

    func testLayoutIsInferredFromTheShape() {
        XCTAssertEqual(YOLOOutputLayout.infer(shape: [1, 84, 8400], classCount: 80), .channelsFirst(classCount: 80, boxes: 8400))
        XCTAssertEqual(YOLOOutputLayout.infer(shape: [1, 8400, 85], classCount: 80), .rowsWithObjectness(classCount: 80, boxes: 8400))
        XCTAssertEqual(YOLOOutputLayout.infer(shape: [1, 2535, 85], classCount: 80), .rowsWithObjectness(classCount: 80, boxes: 2535))
        XCTAssertEqual(YOLOOutputLayout.infer(shape: [84, 8400], classCount: 80), .channelsFirst(classCount: 80, boxes: 8400))
        // Without class names the short side holds the channels.
        XCTAssertEqual(YOLOOutputLayout.infer(shape: [1, 84, 8400], classCount: 0), .channelsFirst(classCount: 80, boxes: 8400))
        XCTAssertEqual(YOLOOutputLayout.infer(shape: [1, 8400, 85], classCount: 0), .rowsWithObjectness(classCount: 80, boxes: 8400))
        XCTAssertEqual(YOLOOutputLayout.infer(shape: [1, 8400, 85], classCount: 80)?.elementCount, 8400 * 85)
    }

    func testNonsenseShapesAreRejected() {
        XCTAssertNil(YOLOOutputLayout.infer(shape: [1, 8400, 84], classCount: 80))  // no objectness, wrong way round
        XCTAssertNil(YOLOOutputLayout.infer(shape: [2, 84, 8400], classCount: 80))  // a batch
        XCTAssertNil(YOLOOutputLayout.infer(shape: [1, 10, 10], classCount: 80))
        XCTAssertNil(YOLOOutputLayout.infer(shape: [1, 84, 0], classCount: 80))
        XCTAssertNil(YOLOOutputLayout.infer(shape: [1, 1, 84, 8400], classCount: 80))
        XCTAssertNil(YOLOOutputLayout.infer(shape: [], classCount: 80))
        XCTAssertNil(YOLOOutputLayout.infer(shape: [1, 4, 4], classCount: 0))
    }

    func testThresholdsPerClassAndFilter() {
        let thresholds = DetectionThresholds(defaultConfidence: 0.5, perClass: ["dog": 0.8], allowedClasses: ["person", "dog"])
        XCTAssertEqual(thresholds.minimum(for: "person"), 0.5)
        XCTAssertEqual(thresholds.minimum(for: "dog"), 0.8)
        XCTAssertTrue(thresholds.accepts(className: "person", confidence: 0.5))
        XCTAssertFalse(thresholds.accepts(className: "dog", confidence: 0.7))
        XCTAssertFalse(thresholds.accepts(className: "car", confidence: 0.99))
        XCTAssertEqual(thresholds.lowestMinimum, 0.5)
        XCTAssertEqual(DetectionThresholds(defaultConfidence: 0.5, perClass: ["cat": 0.1]).lowestMinimum, 0.1)
    }

    /// `[1, 4+3, 4]`: row-major planes cx, cy, w, h, then one plane per class.
    func testChannelsFirstDecodesBestClassPerBox() {
        let cx: [Float] = [100, 200, 300, 50]
        let cy: [Float] = [110, 210, 310, 60]
        let w: [Float] = [20, 30, 40, 0]
        let h: [Float] = [40, 50, 60, 10]
        let person: [Float] = [0.1, 0.1, 0.3, 0.9]
        let car: [Float] = [0.9, 0.1, 0.2, 0.1]
        let dog: [Float] = [0.2, 0.2, 0.7, 0.1]
        let tensor = cx + cy + w + h + person + car + dog
        let layout = YOLOOutputLayout.infer(shape: [1, 7, 4], classCount: 3)!
        let all = decode(tensor, layout, DetectionThresholds(defaultConfidence: 0.25))
        // Box 1 is below every threshold; box 3 has no width.
        XCTAssertEqual(all, [
            Detection(classIndex: 1, className: "car", confidence: 0.9, box: BoundingBox(x: 90, y: 90, width: 20, height: 40)),
            Detection(classIndex: 2, className: "dog", confidence: 0.7, box: BoundingBox(x: 280, y: 280, width: 40, height: 60)),
        ])
        // A stricter dog threshold drops box 2, and a filter without cars drops box 0 (it is not relabelled).
        let strict = decode(tensor, layout, DetectionThresholds(defaultConfidence: 0.25, perClass: ["dog": 0.75]))
        XCTAssertEqual(strict.map(\.className), ["car"])
        let people = decode(tensor, layout, DetectionThresholds(defaultConfidence: 0.15, allowedClasses: ["person", "dog"]))
        XCTAssertEqual(people.map(\.className), ["dog", "dog"])
        XCTAssertEqual(people.map(\.box.x), [185, 280])
    }

    /// `[1, 3, 5+3]`: rows of cx, cy, w, h, objectness, class probabilities.
    func testRowsMultiplyObjectnessByClassProbability() {
        let tensor: [Float] = [
            100, 100, 20, 40, 0.8, 0.5, 0.1, 0.0,  // person 0.4
            200, 200, 30, 30, 0.4, 0.0, 0.9, 0.0,  // car 0.36: class probability alone would pass 0.38
            300, 300, 10, 10, 0.2, 0.0, 0.0, 1.0,  // objectness below every threshold
        ]
        let layout = YOLOOutputLayout.infer(shape: [1, 3, 8], classCount: 3)!
        XCTAssertEqual(layout, .rowsWithObjectness(classCount: 3, boxes: 3))
        let kept = decode(tensor, layout, DetectionThresholds(defaultConfidence: 0.38))
        XCTAssertEqual(kept, [Detection(classIndex: 0, className: "person", confidence: 0.4, box: BoundingBox(x: 90, y: 80, width: 20, height: 40))])
        let loose = decode(tensor, layout, DetectionThresholds(defaultConfidence: 0.3))
        XCTAssertEqual(loose.map(\.className), ["person", "car"])
        XCTAssertEqual(loose[1].confidence, 0.36, accuracy: 1e-6)
    }

    func testShortBuffersAndUnnamedClasses() {
        let layout = YOLOOutputLayout.rowsWithObjectness(classCount: 4, boxes: 1)
        XCTAssertEqual(decode([1, 1, 1, 1, 1, 0, 0, 0], layout, .init()), [])
        let unnamed = decode([10, 10, 4, 4, 1, 0, 0, 0, 0.9], layout, .init())
        XCTAssertEqual(unnamed.map(\.className), ["class3"])
    }

    private func decode(_ tensor: [Float], _ layout: YOLOOutputLayout, _ thresholds: DetectionThresholds) -> [Detection] {
        let decoder = YOLODecoder(layout: layout, classNames: names, thresholds: thresholds)
        return tensor.withUnsafeBufferPointer { decoder.decode($0) }
    }
}
