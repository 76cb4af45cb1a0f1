import Foundation

/// The detection configuration of one scope (everything, or one camera) as it is stored and
/// edited: whether live detection watches, the notification cooldown, and overrides in the
/// ML_PIPELINE_CONFIG format. Every part may be missing, which inherits (camera ← global ←
/// environment).
struct DetectionSettingsDocument: Codable, Sendable, Equatable, ExplicitNullEncodable {
    var live_enabled: Bool?
    var cooldown_seconds: Double?
    var pipeline: JSONValue?

    static let empty = DetectionSettingsDocument()
    static let liveFPS: ClosedRange<Double> = 0.5...5

    /// A document from JSON, checked the way `ronin detect` checks its file: unknown keys, wrong
    /// types and values out of range are errors naming the field.
    static func parse(_ data: Data) throws(PipelineConfigFile.Problem) -> DetectionSettingsDocument {
        guard let root = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw PipelineConfigFile.Problem(message: "The request body is not valid JSON")
        }
        guard case .object(let values) = root else { throw PipelineConfigFile.Problem(message: "Expected a JSON object") }
        let section = JSONSection(source: "configuration", path: "", values: values)
        try section.requireKnown(["live_enabled", "cooldown_seconds", "pipeline"])
        var document = DetectionSettingsDocument()
        if values["live_enabled"] != JSONValue.null { document.live_enabled = try section.flag("live_enabled") }
        if values["cooldown_seconds"] != JSONValue.null { document.cooldown_seconds = try section.number("cooldown_seconds", 0...86_400) }
        if let pipeline = values["pipeline"], pipeline != JSONValue.null {
            guard case .object = pipeline else { throw PipelineConfigFile.Problem(message: "configuration: pipeline must be an object") }
            document.pipeline = pipeline
            try document.validatePipeline()
        }
        return document
    }

    /// A document holding only pipeline overrides (an imported ML_PIPELINE_CONFIG file).
    static func pipelineOnly(_ data: Data) throws(PipelineConfigFile.Problem) -> JSONValue {
        guard let root = try? JSONDecoder().decode(JSONValue.self, from: data), case .object = root else {
            throw PipelineConfigFile.Problem(message: "Expected the pipeline configuration as a JSON object")
        }
        try DetectionSettingsDocument(pipeline: root).validatePipeline()
        return root
    }

    /// Applies the pipeline overrides to `config`.
    func apply(to config: inout DetectionPipelineConfig) throws(PipelineConfigFile.Problem) {
        guard case .object(let values) = pipeline else { return }
        try PipelineConfigFile.Overrides(section: JSONSection(source: "configuration", path: "pipeline", values: values)).apply(to: &config)
    }

    /// The frame rate the overrides set, if they set one.
    var fps: Double? {
        if case .object(let values) = pipeline, case .number(let fps) = values["fps"] { return fps }
        return nil
    }

    private func validatePipeline() throws(PipelineConfigFile.Problem) {
        var config = DetectionPipelineConfig()
        try apply(to: &config)
        if let fps, !Self.liveFPS.contains(fps) {
            throw PipelineConfigFile.Problem(message: "configuration: pipeline.fps must be from 0.5 to 5 for live detection")
        }
    }
}
