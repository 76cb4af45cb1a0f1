import Foundation
import RoninCore
import Testing
@testable import RoninServer

/// ML_PIPELINE_CONFIG files: every key applied, and every mistake named.
@Suite(.timeLimit(.minutes(5))) struct PipelineConfigFileTests {
    func apply(_ json: String) throws(PipelineConfigFile.Problem) -> DetectionPipelineConfig {
        var config = DetectionPipelineConfig()
        try PipelineConfigFile.parse(Data(json.utf8), source: "pipeline.json").apply(to: &config)
        return config
    }

    func problem(_ json: String) -> String? {
        do {
            _ = try apply(json)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func appliesEveryKnownKey() throws {
        let config = try apply("""
            {"confidence": 0.3, "classes": {"person": 0.45}, "class_filter": ["person", "car"], "fps": 1, "max_width": 480,
             "nms_iou": 0.5, "motion": {"enabled": false, "force_every": 5, "width": 120, "min_changed_fraction": 0.01, "warm_up_frames": 3},
             "tracker": {"iou_threshold": 0.2, "max_age": 4},
             "activity": {"warm_up": 1, "confirm_hits": 3, "departure_grace": 5, "class_groups": [["car", "van"]]}}
            """)
        #expect(config.thresholds == DetectionThresholds(defaultConfidence: 0.3, perClass: ["person": 0.45], allowedClasses: ["person", "car"]))
        #expect(config.fps == 1 && config.maxWidth == 480 && config.nmsIoU == 0.5)
        #expect(!config.motionEnabled && config.forceInferenceEvery == 5 && config.motionWidth == 120)
        #expect(config.motion.minimumChangedFraction == 0.01 && config.motion.warmUpFrames == 3)
        #expect(config.trackerIoU == 0.2 && config.trackerMaxAge == 4)
        #expect(config.activity.warmUp == 1 && config.activity.confirmHits == 3 && config.activity.departureGrace == 5)
        #expect(config.activity.classGroups == [["car", "van"]])
        #expect(try apply("{}") == DetectionPipelineConfig())
    }

    @Test func mistakesAreNamed() {
        #expect(problem("{\"confidance\": 0.3}")?.hasPrefix("pipeline.json: confidance is not a known setting") == true)
        #expect(problem("{\"motion\": {\"enabld\": true}}")?.hasPrefix("pipeline.json: motion.enabld is not a known setting") == true)
        #expect(problem("{\"fps\": 0}") == "pipeline.json: fps must be a number from 0.1 to 30.0")
        #expect(problem("{\"fps\": \"2\"}") == "pipeline.json: fps must be a number from 0.1 to 30.0")
        #expect(problem("{\"motion\": {\"enabled\": 1}}") == "pipeline.json: motion.enabled must be true or false")
        #expect(problem("{\"activity\": {\"confirm_hits\": 2.5}}") == "pipeline.json: activity.confirm_hits must be a whole number from 1 to 100")
        #expect(problem("{\"classes\": {\"person\": 2}}") == "pipeline.json: classes.person must be a number from 0.01 to 1.0")
        #expect(problem("{\"class_filter\": []}") == "pipeline.json: class_filter must be a non-empty list of class names")
        #expect(problem("{\"activity\": {\"moving_threshold\": 0.1, \"stationary_threshold\": 0.3}}")?.contains("must not exceed") == true)
        #expect(problem("[1, 2]") == "pipeline.json: expected a JSON object")
        #expect(problem("{nope") == "pipeline.json: not valid JSON")
    }

    @Test func settingsAndTheFileCombine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString).json").path
        FileManager.default.createFile(atPath: path, contents: Data("{\"classes\": {\"car\": 0.5}, \"fps\": 1}".utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let settings = try Settings(environment: ["ML_CONFIDENCE_THRESHOLD": "0.4", "ML_CLASS_FILTER": "person, car", "ML_FPS": "3",
                                                  "ML_PIPELINE_CONFIG": path])
        let config = try DetectionPipelineConfig(settings: settings)
        #expect(config.thresholds == DetectionThresholds(defaultConfidence: 0.4, perClass: ["car": 0.5], allowedClasses: ["person", "car"]))
        #expect(config.fps == 1)
        #expect(throws: Settings.Problem.self) { try Settings(environment: ["ML_CONFIDENCE_THRESHOLD": "2"]) }
        #expect(throws: Settings.Problem.self) { try Settings(environment: ["ML_CLASS_FILTER": " , "]) }
        let missing = try Settings(environment: ["ML_PIPELINE_CONFIG": path + ".missing"])
        #expect(throws: PipelineConfigFile.Problem.self) { try DetectionPipelineConfig(settings: missing) }
    }
}
