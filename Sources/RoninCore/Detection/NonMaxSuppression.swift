import Foundation

/// Greedy non-maximum suppression: the most confident box wins and removes every remaining box
/// that overlaps it by more than `iouThreshold`. Class-aware (the default) only lets a box
/// suppress boxes of its own class, so a person standing in front of a car keeps both.
/// The result is sorted by confidence, highest first, and holds at most `limit` boxes.
public enum NonMaxSuppression {
    public static func apply(
        _ detections: [Detection], iouThreshold: Float = 0.45, classAware: Bool = true, limit: Int = 300
    ) -> [Detection] {
        guard limit > 0 else { return [] }
        let ordered = detections.enumerated().sorted {
            $0.element.confidence != $1.element.confidence
                ? $0.element.confidence > $1.element.confidence : $0.offset < $1.offset
        }.map(\.element)
        var kept: [Detection] = []
        for candidate in ordered {
            let suppressed = kept.contains { winner in
                (!classAware || winner.classIndex == candidate.classIndex)
                    && winner.box.iou(candidate.box) > iouThreshold
            }
            if !suppressed {
                kept.append(candidate)
                if kept.count == limit { break }
            }
        }
        return kept
    }
}
