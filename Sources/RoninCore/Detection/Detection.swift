import Foundation

/// One object found in one frame: its class (index into the model's class list and its name),
/// the score the decoder kept (class score, times objectness where the model has one) and its box.
public struct Detection: Sendable, Equatable, Codable {
    public var classIndex: Int
    public var className: String
    public var confidence: Float
    public var box: BoundingBox

    public init(classIndex: Int, className: String, confidence: Float, box: BoundingBox) {
        self.classIndex = classIndex
        self.className = className
        self.confidence = confidence
        self.box = box
    }
}
