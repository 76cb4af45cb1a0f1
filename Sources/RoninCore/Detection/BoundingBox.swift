import Foundation

/// An axis-aligned box in pixels, top-left origin (`x`, `y` is the top-left corner).
/// Which pixel space it lives in (model input or source frame) is up to the holder;
/// see docs/design/detection.md. A box with a non-positive side has zero area.
public struct BoundingBox: Sendable, Equatable, Codable {
    public var x: Float
    public var y: Float
    public var width: Float
    public var height: Float

    public init(x: Float, y: Float, width: Float, height: Float) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// A box from its centre and size, the way YOLO heads describe boxes.
    public init(centerX: Float, centerY: Float, width: Float, height: Float) {
        self.init(x: centerX - width / 2, y: centerY - height / 2, width: width, height: height)
    }

    public var area: Float { max(0, width) * max(0, height) }
    public var centerX: Float { x + width / 2 }
    public var centerY: Float { y + height / 2 }
    public var maxX: Float { x + width }
    public var maxY: Float { y + height }

    /// Intersection over union in 0...1; 0 when either box is empty.
    public func iou(_ other: BoundingBox) -> Float {
        let overlapWidth = min(maxX, other.maxX) - max(x, other.x)
        let overlapHeight = min(maxY, other.maxY) - max(y, other.y)
        guard overlapWidth > 0, overlapHeight > 0 else { return 0 }
        let intersection = overlapWidth * overlapHeight
        let union = area + other.area - intersection
        return union > 0 ? intersection / union : 0
    }

    /// The part of the box inside `0...width` x `0...height` (zero-sized when fully outside).
    public func clipped(width limitWidth: Float, height limitHeight: Float) -> BoundingBox {
        let left = min(max(x, 0), limitWidth)
        let top = min(max(y, 0), limitHeight)
        let right = min(max(maxX, 0), limitWidth)
        let bottom = min(max(maxY, 0), limitHeight)
        return BoundingBox(x: left, y: top, width: max(0, right - left), height: max(0, bottom - top))
    }
}
