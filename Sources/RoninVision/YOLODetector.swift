import Foundation
import RoninCore

/// Object detection with a YOLO ONNX model: letterbox the frame into the model input, run it,
/// decode the output, suppress overlaps, and map boxes back to the frame's pixels.
///
/// The model describes itself: the input size comes from its `[1, 3, H, W]` input (640 when
/// dynamic), the class names from metadata `names`, and the output layout (`[1, N, 5+C]` with
/// objectness, or YOLOv8/11's `[1, 4+C, N]`) from the output shape. `detect` is safe to call from
/// several threads; calls on one detector run one at a time (they share the input buffer), so
/// use one detector per concurrent stream or a `DetectorPool`.
public final class YOLODetector: @unchecked Sendable {
    public let session: InferenceSession
    public let inputWidth: Int
    public let inputHeight: Int
    public let classNames: [String]
    /// The layout the output shape declares, nil when it has dynamic sizes (then found per run).
    public let declaredLayout: YOLOOutputLayout?
    public let thresholds: DetectionThresholds
    public let nmsIoU: Float
    private let namedClassCount: Int
    private let lock = NSLock()
    private var tensor: [Float]
    private var letterbox: Letterbox?

    public convenience init(modelPath: String, options: SessionOptions, thresholds: DetectionThresholds, nmsIoU: Float = 0.45) throws {
        try self.init(session: InferenceSession(modelPath: modelPath, options: options), thresholds: thresholds, nmsIoU: nmsIoU)
    }

    public init(session: InferenceSession, thresholds: DetectionThresholds, nmsIoU: Float = 0.45) throws {
        guard let input = session.inputs.first, session.outputs.first != nil else {
            throw OnnxRuntimeError.unsupportedModel("the model has no inputs or no outputs")
        }
        guard input.shape.count == 4, input.shape[0] <= 1, input.shape[1] == 3 || input.shape[1] < 0 else {
            throw OnnxRuntimeError.unsupportedModel("input \(input.name) has shape \(input.shape); expected [1, 3, height, width]")
        }
        let names = try session.metadata("names").flatMap(ModelClassNames.parse) ?? []
        let outputShape = session.outputs[0].shape
        let layout = outputShape.allSatisfy { $0 > 0 } ? YOLOOutputLayout.infer(shape: outputShape, classCount: names.count) : nil
        if outputShape.allSatisfy({ $0 > 0 }), layout == nil {
            throw OnnxRuntimeError.unsupportedModel(
                "output shape \(outputShape) is not a YOLO output for \(names.count) classes ([1, 4+C, N] or [1, N, 5+C])")
        }
        self.session = session
        self.inputHeight = input.shape[2] > 0 ? input.shape[2] : 640
        self.inputWidth = input.shape[3] > 0 ? input.shape[3] : 640
        self.declaredLayout = layout
        self.namedClassCount = names.count
        self.classNames = names.isEmpty ? (0..<(layout?.classCount ?? 0)).map { "class\($0)" } : names
        self.thresholds = thresholds
        self.nmsIoU = nmsIoU
        self.tensor = [Float](repeating: 0, count: 3 * inputWidth * inputHeight)
    }

    /// Objects in one RGB24 frame (`width * height * 3` bytes, rows top to bottom), in frame
    /// pixels, most confident first.
    public func detect(rgb: UnsafeBufferPointer<UInt8>, width: Int, height: Int) throws -> [Detection] {
        guard width > 0, height > 0 else {
            throw OnnxRuntimeError.invalidInput("frame size \(width)x\(height)")
        }
        guard rgb.count >= width * height * 3 else {
            throw OnnxRuntimeError.invalidInput("\(rgb.count) bytes is too little for a \(width)x\(height) RGB frame")
        }
        lock.lock()
        defer { lock.unlock() }
        // Kept between calls: a stream's frames share one size, and the letterbox holds its taps.
        if letterbox?.sourceWidth != width || letterbox?.sourceHeight != height {
            letterbox = Letterbox(sourceWidth: width, sourceHeight: height, targetWidth: inputWidth, targetHeight: inputHeight)
        }
        let letterbox = letterbox!
        let shape = [1, 3, inputHeight, inputWidth]
        let found = try tensor.withUnsafeMutableBufferPointer { buffer in
            letterbox.fillTensor(rgb: UnsafeBufferPointer(rebasing: rgb[0..<(width * height * 3)]), into: buffer)
            return try session.run(input: buffer, shape: shape) { output, outputShape in
                try decoder(for: outputShape).decode(output)
            }
        }
        return NonMaxSuppression.apply(found, iouThreshold: nmsIoU).compactMap { detection in
            var mapped = detection
            mapped.box = letterbox.toSource(detection.box)
            return mapped.box.width > 0 && mapped.box.height > 0 ? mapped : nil
        }
    }

    /// The decoder for an actual output shape (the declared layout when it was static).
    private func decoder(for outputShape: [Int]) throws -> YOLODecoder {
        guard let layout = declaredLayout ?? YOLOOutputLayout.infer(shape: outputShape, classCount: namedClassCount) else {
            throw OnnxRuntimeError.unsupportedModel("output shape \(outputShape) is not a YOLO output")
        }
        return YOLODecoder(layout: layout, classNames: classNames, thresholds: thresholds)
    }
}
