import Foundation

/// Which detections are worth keeping: a confidence floor per class (falling back to
/// `defaultConfidence`) and an optional allow-list of class names (`nil` keeps every class).
/// Filled from ML_CONFIDENCE_THRESHOLD, ML_CLASS_FILTER and the pipeline JSON.
public struct DetectionThresholds: Sendable, Equatable, Codable {
    public var defaultConfidence: Float
    public var perClass: [String: Float]
    public var allowedClasses: Set<String>?

    public init(defaultConfidence: Float = 0.25, perClass: [String: Float] = [:], allowedClasses: Set<String>? = nil) {
        self.defaultConfidence = defaultConfidence
        self.perClass = perClass
        self.allowedClasses = allowedClasses
    }

    /// The confidence a detection of `className` needs to be kept.
    public func minimum(for className: String) -> Float {
        perClass[className] ?? defaultConfidence
    }

    /// The lowest floor any allowed class has: scores below it can be skipped without a lookup.
    public var lowestMinimum: Float {
        let relevant = perClass.filter { allowedClasses?.contains($0.key) ?? true }.values
        return min(defaultConfidence, relevant.min() ?? defaultConfidence)
    }

    public func accepts(className: String, confidence: Float) -> Bool {
        if let allowedClasses, !allowedClasses.contains(className) { return false }
        return confidence >= minimum(for: className)
    }
}
