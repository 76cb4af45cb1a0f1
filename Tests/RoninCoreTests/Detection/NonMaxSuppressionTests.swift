import XCTest
@testable import RoninCore

/// Overlapping boxes: one per object, per class unless asked otherwise.
final class NonMaxSuppressionTests: XCTestCase {
    func detection(_ classIndex: Int, _ confidence: Float, x: Float) -> Detection {
        Detection(classIndex: classIndex, className: "c\(classIndex)", confidence: confidence,
                  box: BoundingBox(x: x, y: 0, width: 100, height: 100))
    }

    func testOverlappingBoxesOfOneClassKeepTheMostConfident() {
        let kept = NonMaxSuppression.apply([detection(0, 0.6, x: 10), detection(0, 0.9, x: 0), detection(0, 0.5, x: 300)])
        XCTAssertEqual(kept, [detection(0, 0.9, x: 0), detection(0, 0.5, x: 300)])
    }

    func testClassAwareKeepsOverlappingBoxesOfDifferentClasses() {
        let person = detection(0, 0.9, x: 0)
        let car = detection(2, 0.7, x: 5)
        XCTAssertEqual(NonMaxSuppression.apply([car, person]), [person, car])
        XCTAssertEqual(NonMaxSuppression.apply([car, person], classAware: false), [person])
    }

    func testThresholdAndLimit() {
        // IoU of boxes shifted by 40 is 60/140 = 0.43: below 0.45, above 0.4.
        let pair = [detection(0, 0.9, x: 0), detection(0, 0.8, x: 40)]
        XCTAssertEqual(NonMaxSuppression.apply(pair).count, 2)
        XCTAssertEqual(NonMaxSuppression.apply(pair, iouThreshold: 0.4).count, 1)
        let many = (0..<10).map { detection(0, Float($0) / 10, x: Float($0) * 200) }
        XCTAssertEqual(NonMaxSuppression.apply(many, limit: 3).map(\.confidence), [0.9, 0.8, 0.7])
        XCTAssertEqual(NonMaxSuppression.apply(many, limit: 0), [])
    }
}
