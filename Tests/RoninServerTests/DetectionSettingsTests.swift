import Foundation
import RoninCore
import Testing
@testable import RoninServer

/// Detection settings made in the UI: validation naming the field, inheritance, and historical
/// arrivals lasting until their object departs.
@Suite(.timeLimit(.minutes(5))) struct DetectionSettingsTests {
    func parse(_ json: String) throws(PipelineConfigFile.Problem) -> DetectionSettingsDocument {
        try DetectionSettingsDocument.parse(Data(json.utf8))
    }

    @Test func aGoodDocumentIsKeptAndAppliedOnTopOfTheDefaults() throws {
        let document = try parse(#"{"live_enabled": false, "cooldown_seconds": 30, "pipeline": {"fps": 1, "classes": {"person": 0.6}, "class_filter": ["person"]}}"#)
        #expect(document.live_enabled == false && document.cooldown_seconds == 30 && document.fps == 1)
        var config = DetectionPipelineConfig()
        try document.apply(to: &config)
        #expect(config.thresholds.perClass["person"] == 0.6 && config.thresholds.allowedClasses == ["person"] && config.fps == 1)
    }

    @Test func badValuesNameTheirField() {
        #expect(throws: PipelineConfigFile.Problem.self) { try parse(#"{"pipeline": {"classes": {"person": 7}}}"#) }
        do {
            _ = try parse(#"{"pipeline": {"classes": {"person": 7}}}"#)
        } catch let problem as PipelineConfigFile.Problem {
            #expect(problem.message.contains("pipeline.classes.person"), "\(problem.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
        for bad in [#"{"cooldown_seconds": -1}"#, #"{"live_enabled": "yes"}"#, #"{"colour": 1}"#, #"{"pipeline": {"fps": 12}}"#,
                    #"{"pipeline": [1]}"#, "[]", "not json"] {
            #expect(throws: PipelineConfigFile.Problem.self, "\(bad)") { try parse(bad) }
        }
        do {
            _ = try parse(#"{"pipeline": {"fps": 12}}"#)
        } catch let problem as PipelineConfigFile.Problem {
            #expect(problem.message.contains("pipeline.fps"), "\(problem.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func nullInheritsLikeAMissingKey() throws {
        #expect(try parse(#"{"live_enabled": null, "cooldown_seconds": null, "pipeline": null}"#) == .empty)
    }

    @Test func historicalArrivalsLastUntilTheirObjectDeparts() {
        let box = TimedBox(time: 1, box: BoundingBox(x: 0, y: 0, width: 10, height: 10), confidence: 0.5)
        let events = [
            ActivityEvent(kind: .arrival, className: "person", trackID: 3, start: 1, end: 2, boxes: [box]),
            ActivityEvent(kind: .arrival, className: "car", trackID: 4, start: 5, end: 6),
            ActivityEvent(kind: .departure, className: "person", trackID: 3, start: 1, end: 40,
                          boxes: [box, TimedBox(time: 40, box: BoundingBox(x: 5, y: 5, width: 10, height: 10), confidence: 0.9)]),
        ]
        let paired = AnalysisRun.pairedEvents(events)
        #expect(paired[0].end == 40 && paired[0].boxes.count == 2)
        #expect(paired[1].end == 6)
        #expect(paired[2] == events[2])
    }
}
