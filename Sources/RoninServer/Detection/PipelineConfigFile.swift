import Foundation
import RoninCore

/// The ML_PIPELINE_CONFIG JSON file: optional overrides of the detection pipeline's defaults.
///
/// ```json
/// {"confidence": 0.3, "classes": {"person": 0.4, "car": 0.5}, "class_filter": ["person", "car", "truck"],
///  "fps": 2, "max_width": 640, "nms_iou": 0.45,
///  "motion": {"enabled": true, "force_every": 10, "min_changed_fraction": 0.002},
///  "tracker": {"iou_threshold": 0.3, "max_age": 2},
///  "activity": {"warm_up": 3, "confirm_hits": 2, "departure_grace": 3}}
/// ```
/// Every key is optional. An unknown key, a value of the wrong type or out of range is an
/// error naming the key, so a typo never silently leaves a default in place.
public enum PipelineConfigFile {
    /// Why the file cannot be used, naming the file and the key.
    public struct Problem: Error, Sendable, CustomStringConvertible, Equatable {
        public let message: String
        public var description: String { message }
    }

    public static func load(path: String) throws(Problem) -> Overrides {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(message: "\(path): cannot read the pipeline configuration file")
        }
        return try parse(data, source: path)
    }

    public static func parse(_ data: Data, source: String) throws(Problem) -> Overrides {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw Problem(message: "\(source): not valid JSON")
        }
        guard case .object(let values) = root else { throw Problem(message: "\(source): expected a JSON object") }
        return Overrides(section: JSONSection(source: source, path: "", values: values))
    }

    /// A parsed file, applied on top of a configuration.
    public struct Overrides: Sendable {
        let section: JSONSection

        public func apply(to config: inout DetectionPipelineConfig) throws(Problem) {
            let root = section
            try root.requireKnown(["confidence", "classes", "class_filter", "fps", "max_width", "nms_iou", "motion", "tracker", "activity"])
            if let value = try root.number("confidence", 0.01...1) { config.thresholds.defaultConfidence = Float(value) }
            if let classes = try root.section("classes") {
                for key in classes.values.keys.sorted() {
                    if let value = try classes.number(key, 0.01...1) { config.thresholds.perClass[key] = Float(value) }
                }
            }
            if let filter = try root.strings("class_filter") { config.thresholds.allowedClasses = Set(filter) }
            if let value = try root.number("fps", 0.1...30) { config.fps = value }
            if let value = try root.integer("max_width", 32...4096) { config.maxWidth = value }
            if let value = try root.number("nms_iou", 0.05...0.95) { config.nmsIoU = Float(value) }
            if let motion = try root.section("motion") { try Self.applyMotion(motion, to: &config) }
            if let tracker = try root.section("tracker") {
                try tracker.requireKnown(["iou_threshold", "max_age"])
                if let value = try tracker.number("iou_threshold", 0.01...0.99) { config.trackerIoU = Float(value) }
                if let value = try tracker.number("max_age", 0.1...600) { config.trackerMaxAge = value }
            }
            if let activity = try root.section("activity") { try Self.applyActivity(activity, to: &config.activity) }
        }

        static func applyMotion(_ motion: JSONSection, to config: inout DetectionPipelineConfig) throws(Problem) {
            try motion.requireKnown(["enabled", "force_every", "width", "learning_rate", "variance_threshold", "min_changed_fraction",
                                     "warm_up_frames", "compensate_brightness"])
            if let value = try motion.flag("enabled") { config.motionEnabled = value }
            if let value = try motion.number("force_every", 0.5...3600) { config.forceInferenceEvery = value }
            if let value = try motion.integer("width", 16...640) { config.motionWidth = value }
            if let value = try motion.number("learning_rate", 0.0001...1) { config.motion.learningRate = Float(value) }
            if let value = try motion.number("variance_threshold", 1...1000) { config.motion.varianceThreshold = Float(value) }
            if let value = try motion.number("min_changed_fraction", 0...1) { config.motion.minimumChangedFraction = value }
            if let value = try motion.integer("warm_up_frames", 0...1000) { config.motion.warmUpFrames = value }
            if let value = try motion.flag("compensate_brightness") { config.motion.compensateBrightness = value }
        }

        static func applyActivity(_ activity: JSONSection, to config: inout ActivityConfig) throws(Problem) {
            try activity.requireKnown(["warm_up", "confirm_hits", "departure_grace", "departure_misses", "motion_window", "moving_threshold",
                                       "stationary_threshold", "stationary_span", "arrival_needs_movement", "reassociation_iou",
                                       "class_groups", "recent_boxes"])
            if let value = try activity.number("warm_up", 0...3600) { config.warmUp = value }
            if let value = try activity.integer("confirm_hits", 1...100) { config.confirmHits = value }
            if let value = try activity.number("departure_grace", 0...3600) { config.departureGrace = value }
            if let value = try activity.integer("departure_misses", 0...100) { config.departureMisses = value }
            if let value = try activity.number("motion_window", 0.1...3600) { config.motionWindow = value }
            if let value = try activity.number("moving_threshold", 0...100) { config.movingThreshold = value }
            if let value = try activity.number("stationary_threshold", 0...100) { config.stationaryThreshold = value }
            if let value = try activity.number("stationary_span", 0...3600) { config.stationarySpan = value }
            if let value = try activity.flag("arrival_needs_movement") { config.arrivalNeedsMovement = value }
            if let value = try activity.number("reassociation_iou", 0...1) { config.reassociationIoU = Float(value) }
            if let value = try activity.integer("recent_boxes", 0...100) { config.recentBoxes = value }
            if let groups = try activity.stringGroups("class_groups") { config.classGroups = groups }
            if config.stationaryThreshold > config.movingThreshold {
                throw Problem(message: "\(activity.source): activity.stationary_threshold must not exceed activity.moving_threshold")
            }
        }
    }
}
