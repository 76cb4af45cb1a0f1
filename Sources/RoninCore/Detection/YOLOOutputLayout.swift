import Foundation

/// The two YOLO output layouts the detector accepts, recognised from the output tensor's shape.
///
/// - `channelsFirst`: `[1, 4+C, N]`, rows cx, cy, w, h then C class scores, each row N long
///   (YOLOv8 / YOLO11 exports; no objectness).
/// - `rowsWithObjectness`: `[1, N, 5+C]`, each box a row of cx, cy, w, h, objectness, then C class
///   probabilities (our converted Darknet YOLOv3-tiny); the score is objectness x class probability.
///
/// Box coordinates are in model-input pixels in both.
public enum YOLOOutputLayout: Sendable, Equatable {
    case channelsFirst(classCount: Int, boxes: Int)
    case rowsWithObjectness(classCount: Int, boxes: Int)

    public var classCount: Int {
        switch self {
        case .channelsFirst(let classCount, _), .rowsWithObjectness(let classCount, _): classCount
        }
    }

    public var boxes: Int {
        switch self {
        case .channelsFirst(_, let boxes), .rowsWithObjectness(_, let boxes): boxes
        }
    }

    /// Floats in one output tensor of this layout.
    public var elementCount: Int {
        switch self {
        case .channelsFirst(let classCount, let boxes): (4 + classCount) * boxes
        case .rowsWithObjectness(let classCount, let boxes): (5 + classCount) * boxes
        }
    }

    /// The layout of an output of `shape` for a model with `classCount` classes, or `nil` when the
    /// shape fits neither (wrong rank, a batch other than 1, sizes that match no class count).
    /// When `classCount` is 0 or less (a model without class names) the count is taken from the
    /// shape: the short side holds the channels.
    public static func infer(shape: [Int], classCount: Int) -> YOLOOutputLayout? {
        var dimensions = shape
        if dimensions.count == 3 {
            guard dimensions[0] == 1 else { return nil }
            dimensions.removeFirst()
        }
        guard dimensions.count == 2, dimensions.allSatisfy({ $0 > 0 }) else { return nil }
        let (first, second) = (dimensions[0], dimensions[1])
        if classCount > 0 {
            if first == 4 + classCount { return .channelsFirst(classCount: classCount, boxes: second) }
            if second == 5 + classCount { return .rowsWithObjectness(classCount: classCount, boxes: first) }
            return nil
        }
        if first < second, first > 4 { return .channelsFirst(classCount: first - 4, boxes: second) }
        if second < first, second > 5 { return .rowsWithObjectness(classCount: second - 5, boxes: first) }
        return nil
    }
}
