import Foundation
import RoninCore
import RoninMedia
import Testing
@testable import RoninServer

/// A detector that plays a script: what it "finds" depends on how often it has been called.
final class ScriptedDetector: ObjectDetecting, @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    private let script: @Sendable (Int) -> [Detection]

    init(_ script: @escaping @Sendable (Int) -> [Detection]) {
        self.script = script
    }

    var calls: Int { lock.withLock { count } }

    func detect(rgb: UnsafeBufferPointer<UInt8>, width: Int, height: Int) throws -> [Detection] {
        let call = lock.withLock { count += 1; return count - 1 }
        return script(call)
    }
}

/// The detection pipeline over synthetic frames: motion gating, thresholds, tracks and events.
@Suite(.timeLimit(.minutes(5))) struct DetectionPipelineTests {
    static func frame(_ index: Int, fps: Double = 2, square: Int? = nil) -> Frame {
        var rgb = [UInt8](repeating: 60, count: 160 * 120 * 3)
        if let square {  // a bright 20x20 square at x = square
            for y in 50..<70 { for x in square..<min(160, square + 20) { for c in 0..<3 { rgb[(y * 160 + x) * 3 + c] = 250 } } }
        }
        return Frame(index: index, time: Double(index) / fps, width: 160, height: 120, rgb: rgb)
    }

    static func person(x: Float, confidence: Float = 0.9) -> Detection {
        Detection(classIndex: 0, className: "person", confidence: confidence, box: BoundingBox(x: x, y: 30, width: 20, height: 50))
    }

    @Test func stillSceneOnlyReachesTheDetectorWhileLearningAndWhenForced() throws {
        let detector = ScriptedDetector { _ in [] }
        var pipeline = DetectionPipeline(config: DetectionPipelineConfig(), detector: detector)
        let analysed = try (0..<60).map { try pipeline.process(Self.frame($0)) }.filter(\.analysed).map(\.time)
        // Five frames while the background model learns, then one forced frame every 10 s.
        #expect(analysed == [0, 0.5, 1, 1.5, 2, 12, 22])
        #expect(detector.calls == 7)
        #expect(pipeline.summary == { var s = DetectionSummary(); s.frames = 60; s.analysed = 7; s.skippedByMotion = 53; return s }())
    }

    @Test func motionSendsFramesToTheDetector() throws {
        let detector = ScriptedDetector { _ in [] }
        var pipeline = DetectionPipeline(config: DetectionPipelineConfig(), detector: detector)
        for index in 0..<20 { _ = try pipeline.process(Self.frame(index)) }
        let moving = try (20..<30).map { try pipeline.process(Self.frame($0, square: ($0 - 20) * 12)) }
        #expect(moving.allSatisfy { $0.analysed && $0.motion?.hasMotion == true })
    }

    @Test func withoutTheMotionFilterEveryFrameIsAnalysed() throws {
        var config = DetectionPipelineConfig()
        config.motionEnabled = false
        let detector = ScriptedDetector { _ in [] }
        var pipeline = DetectionPipeline(config: config, detector: detector)
        for index in 0..<30 { #expect(try pipeline.process(Self.frame(index)).motion == nil) }
        #expect(pipeline.summary.analysed == 30 && pipeline.summary.skippedByMotion == 0 && detector.calls == 30)
    }

    @Test func someoneWalkingInArrivesKeepsOneTrackAndDeparts() throws {
        var config = DetectionPipelineConfig()
        config.motionEnabled = false
        // Nobody for 5 s, then a person crossing 8 px per frame for 6 s, then nobody again.
        let detector = ScriptedDetector { call in
            (10..<22).contains(call) ? [Self.person(x: Float(call - 10) * 8), Self.person(x: 100, confidence: 0.1)] : []
        }
        var pipeline = DetectionPipeline(config: config, detector: detector)
        let results = try (0..<40).map { try pipeline.process(Self.frame($0)) }
        let closing = pipeline.finish()
        let detections = results.flatMap(\.detections)
        #expect(detections.count == 12, "the 0.1 detection is below the 0.25 threshold")
        #expect(Set(detections.map(\.trackID)).count == 1)
        let events = results.flatMap(\.events) + closing
        #expect(events.map(\.kind) == [.arrival, .departure])
        #expect(events.allSatisfy { $0.className == "person" && $0.trackID == detections[0].trackID })
        #expect(pipeline.summary.events == 2)
    }

    @Test func classFilterAndPerClassThresholdsApply() throws {
        var config = DetectionPipelineConfig()
        config.motionEnabled = false
        config.thresholds = DetectionThresholds(defaultConfidence: 0.25, perClass: ["person": 0.6], allowedClasses: ["person", "car"])
        let detector = ScriptedDetector { _ in
            [Self.person(x: 10, confidence: 0.5), Self.person(x: 60, confidence: 0.7),
             Detection(classIndex: 2, className: "car", confidence: 0.3, box: BoundingBox(x: 100, y: 10, width: 40, height: 20)),
             Detection(classIndex: 16, className: "dog", confidence: 0.9, box: BoundingBox(x: 120, y: 80, width: 20, height: 20))]
        }
        var pipeline = DetectionPipeline(config: config, detector: detector)
        let found = try pipeline.process(Self.frame(0)).detections
        #expect(found.map(\.className).sorted() == ["car", "person"])
        #expect(found.first { $0.className == "person" }?.box.x == 60)
    }
}
