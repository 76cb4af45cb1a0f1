import Foundation

/// One object followed across frames by `ObjectTracker`. `id` never changes and is never reused
/// by the same tracker; `box` and `confidence` are from the latest matched detection; `hits`
/// counts the frames it was matched in (1 when born). Times are frame timestamps in seconds.
public struct TrackedObject: Sendable, Equatable {
    public let id: Int
    public var className: String
    public var box: BoundingBox
    public var confidence: Float
    public var firstSeen: Double
    public var lastSeen: Double
    public var hits: Int

    public init(id: Int, className: String, box: BoundingBox, confidence: Float, firstSeen: Double, lastSeen: Double, hits: Int) {
        self.id = id
        self.className = className
        self.box = box
        self.confidence = confidence
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.hits = hits
    }
}
