import Foundation
import RoninCore
import Testing
@testable import RoninVision

/// The provisioned YOLOv3-tiny model on real footage, and a YOLOv8-layout model, end to end.
@Suite(.timeLimit(.minutes(5))) struct YOLODetectorTests {
    @Test
    func readsInputSizeNamesAndLayoutFromTheModel() throws {
        try VisionFixtures.require(.model)
        let detector = try YOLODetector(modelPath: VisionFixtures.modelPath, options: SessionOptions(), thresholds: .init())
        #expect(detector.inputWidth == 416 && detector.inputHeight == 416)
        #expect(detector.classNames.count == 80)
        #expect(Array(detector.classNames.prefix(3)) == ["person", "bicycle", "car"])
        #expect(detector.declaredLayout == .rowsWithObjectness(classCount: 80, boxes: 2535))
        #expect(detector.session.inputs.map(\.name) == ["images"])
        #expect(detector.session.outputs.first?.shape == [1, 2535, 85])
        #expect(try detector.session.metadata("no-such-key") == nil)
    }

    @Test
    func findsThePeopleInAVtestFrameWithTightBoxes() throws {
        try VisionFixtures.require(.footage)
        let frame = try VisionFixtures.vtestFrame(at: 3)
        let detector = try YOLODetector(
            modelPath: VisionFixtures.modelPath, options: SessionOptions(intraOpThreads: 2), thresholds: .init(defaultConfidence: 0.3))
        let detections = try frame.rgb.withUnsafeBufferPointer {
            try detector.detect(rgb: $0, width: frame.width, height: frame.height)
        }
        let people = detections.filter { $0.className == "person" }
        #expect(people.count >= 2)
        // The man near the lamp post (checked by eye on this frame): about 38x94 pixels at (380, 183).
        let lampPost = BoundingBox(x: 380, y: 183, width: 38, height: 94)
        let best = people.map { $0.box.iou(lampPost) }.max() ?? 0
        #expect(best > 0.6, "best IoU with the person at the lamp post was \(best); boxes: \(people.map(\.box))")
        for person in people {
            #expect(person.box.height > person.box.width, "a walking person is taller than wide: \(person.box)")
            #expect(person.box.x >= 0 && person.box.y >= 0)
            #expect(person.box.x + person.box.width <= 768 && person.box.y + person.box.height <= 576)
        }
        // The parked vehicles at the top right are found too, and the list is sorted by confidence.
        #expect(detections.contains { ["car", "truck"].contains($0.className) && $0.box.x > 600 && $0.box.y < 120 })
        #expect(detections.map(\.confidence) == detections.map(\.confidence).sorted(by: >))
    }

    @Test
    func concurrentCallsOnOneDetectorAgree() async throws {
        try VisionFixtures.require(.footage)
        let frame = try VisionFixtures.vtestFrame(at: 10)
        let detector = try YOLODetector(modelPath: VisionFixtures.modelPath, options: SessionOptions(), thresholds: .init())
        let alone = try frame.rgb.withUnsafeBufferPointer { try detector.detect(rgb: $0, width: 768, height: 576) }
        #expect(!alone.isEmpty)
        let together = try await withThrowingTaskGroup(of: [Detection].self) { group in
            for _ in 0..<4 {
                group.addTask { try frame.rgb.withUnsafeBufferPointer { try detector.detect(rgb: $0, width: 768, height: 576) } }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(together.count == 4)
        #expect(together.allSatisfy { $0 == alone })
    }

    @Test
    func classFilterKeepsOnlyAllowedClasses() throws {
        try VisionFixtures.require(.footage)
        let frame = try VisionFixtures.vtestFrame(at: 3)
        let detector = try YOLODetector(modelPath: VisionFixtures.modelPath, options: SessionOptions(),
                                        thresholds: .init(defaultConfidence: 0.3, allowedClasses: ["car", "truck"]))
        let detections = try frame.rgb.withUnsafeBufferPointer { try detector.detect(rgb: $0, width: 768, height: 576) }
        #expect(!detections.isEmpty)
        #expect(detections.allSatisfy { ["car", "truck"].contains($0.className) })
    }

    @Test
    func badFramesAreRejectedWithAnError() throws {
        try VisionFixtures.require(.model)
        let detector = try YOLODetector(modelPath: VisionFixtures.modelPath, options: SessionOptions(), thresholds: .init())
        let small = [UInt8](repeating: 0, count: 10)
        #expect(throws: OnnxRuntimeError.self) {
            try small.withUnsafeBufferPointer { try detector.detect(rgb: $0, width: 640, height: 480) }
        }
        #expect(throws: OnnxRuntimeError.invalidInput("frame size 0x480")) {
            try small.withUnsafeBufferPointer { try detector.detect(rgb: $0, width: 0, height: 480) }
        }
        // A plain gray frame holds nothing.
        let gray = [UInt8](repeating: 128, count: 320 * 240 * 3)
        #expect(try gray.withUnsafeBufferPointer { try detector.detect(rgb: $0, width: 320, height: 240) }.isEmpty)
    }

    @Test
    func aMissingModelSaysHowToProvisionIt() throws {
        try VisionFixtures.require(.runtime)
        #expect {
            try YOLODetector(modelPath: "/nonexistent/model.onnx", options: SessionOptions(), thresholds: .init())
        } throws: { error in
            error as? OnnxRuntimeError == .modelNotFound(path: "/nonexistent/model.onnx")
                && "\(error)".contains("scripts/provision-model.py") && "\(error)".contains("ML_MODEL_PATH")
        }
    }

    @Test
    func aYOLOv8LayoutModelWithUltralyticsNamesIsDecoded() throws {
        try VisionFixtures.require(.runtime)
        // Three candidate boxes in [1, 4+2, 3]: rows cx, cy, w, h, score(person), score(car).
        let output: [[Float]] = [
            [32, 40, 10], [32, 20, 10], [16, 8, 4], [32, 8, 4],
            [0.9, 0.1, 0.05], [0.05, 0.8, 0.01],
        ]
        let path = try VisionFixtures.makeChannelsFirstModel(inputSize: 64, output: output, names: "{0: 'person', 1: 'car'}")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let detector = try YOLODetector(modelPath: path, options: SessionOptions(), thresholds: .init(defaultConfidence: 0.5))
        #expect(detector.classNames == ["person", "car"])
        #expect(detector.declaredLayout == .channelsFirst(classCount: 2, boxes: 3))
        // A 128x64 frame letterboxes into 64x64 at scale 0.5 with 16 pixels of padding above and below.
        let frame = [UInt8](repeating: 90, count: 128 * 64 * 3)
        let detections = try frame.withUnsafeBufferPointer { try detector.detect(rgb: $0, width: 128, height: 64) }
        #expect(detections.map(\.className) == ["person", "car"])
        #expect(detections.first?.box == BoundingBox(x: 48, y: 0, width: 32, height: 64))
        #expect(detections.last?.box == BoundingBox(x: 72, y: 0, width: 16, height: 16))
    }
}
