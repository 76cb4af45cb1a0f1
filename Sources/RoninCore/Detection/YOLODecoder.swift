import Foundation

/// Turns one raw YOLO output tensor into detections in model-input pixels, before NMS.
///
/// Each candidate box takes its best-scoring class (over all classes, so a box that is really a
/// person is not relabelled as the best allowed class), then the thresholds decide whether it is
/// kept. Boxes with a non-finite or non-positive size are dropped. The output buffer must hold
/// `layout.elementCount` floats; a shorter one decodes to nothing.
public struct YOLODecoder: Sendable {
    public let layout: YOLOOutputLayout
    public let classNames: [String]
    public let thresholds: DetectionThresholds
    private let floor: Float

    public init(layout: YOLOOutputLayout, classNames: [String], thresholds: DetectionThresholds) {
        self.layout = layout
        self.classNames = classNames
        self.thresholds = thresholds
        self.floor = thresholds.lowestMinimum
    }

    /// The name of class `index`, or `class<index>` when the model did not name it.
    public func name(of index: Int) -> String {
        index < classNames.count ? classNames[index] : "class\(index)"
    }

    public func decode(_ output: UnsafeBufferPointer<Float>) -> [Detection] {
        guard output.count >= layout.elementCount, layout.classCount > 0 else { return [] }
        switch layout {
        case .channelsFirst(let classCount, let boxes):
            return decodeChannelsFirst(output, classCount: classCount, boxes: boxes)
        case .rowsWithObjectness(let classCount, let boxes):
            return decodeRows(output, classCount: classCount, boxes: boxes)
        }
    }

    /// `[4+C, N]`: walk class planes one after another (contiguous reads), keeping each box's best.
    private func decodeChannelsFirst(_ output: UnsafeBufferPointer<Float>, classCount: Int, boxes: Int) -> [Detection] {
        var bestScore = [Float](repeating: -.infinity, count: boxes)
        var bestClass = [Int](repeating: 0, count: boxes)
        for classIndex in 0..<classCount {
            let plane = (4 + classIndex) * boxes
            for box in 0..<boxes where output[plane + box] > bestScore[box] {
                bestScore[box] = output[plane + box]
                bestClass[box] = classIndex
            }
        }
        var detections: [Detection] = []
        for box in 0..<boxes where bestScore[box] >= floor {
            appendIfAccepted(
                &detections, classIndex: bestClass[box], score: bestScore[box],
                cx: output[box], cy: output[boxes + box], w: output[2 * boxes + box], h: output[3 * boxes + box])
        }
        return detections
    }

    /// `[N, 5+C]`: one row per box; objectness bounds every class score, so low rows are skipped early.
    private func decodeRows(_ output: UnsafeBufferPointer<Float>, classCount: Int, boxes: Int) -> [Detection] {
        let stride = 5 + classCount
        var detections: [Detection] = []
        for box in 0..<boxes {
            let row = box * stride
            let objectness = output[row + 4]
            guard objectness >= floor else { continue }
            var best: Float = -.infinity
            var bestClass = 0
            for classIndex in 0..<classCount where output[row + 5 + classIndex] > best {
                best = output[row + 5 + classIndex]
                bestClass = classIndex
            }
            appendIfAccepted(
                &detections, classIndex: bestClass, score: objectness * best,
                cx: output[row], cy: output[row + 1], w: output[row + 2], h: output[row + 3])
        }
        return detections
    }

    private func appendIfAccepted(
        _ detections: inout [Detection], classIndex: Int, score: Float, cx: Float, cy: Float, w: Float, h: Float
    ) {
        guard score.isFinite, cx.isFinite, cy.isFinite, w.isFinite, h.isFinite, w > 0, h > 0 else { return }
        let className = name(of: classIndex)
        guard thresholds.accepts(className: className, confidence: score) else { return }
        detections.append(Detection(
            classIndex: classIndex, className: className, confidence: score,
            box: BoundingBox(centerX: cx, centerY: cy, width: w, height: h)))
    }
}
