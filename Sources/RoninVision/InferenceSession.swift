import CRoninOnnx
import Foundation

/// One loaded model, ready to run: its inputs, outputs and metadata, and `run` for a single
/// float input producing a float output.
///
/// `run` may be called from several threads at once (ONNX Runtime sessions are thread-safe);
/// the session is released when the object goes away.
public final class InferenceSession: @unchecked Sendable {
    /// Name, element type and shape of one model input or output; -1 marks a dynamic dimension.
    public struct TensorInfo: Sendable, Equatable {
        public let name: String
        public let shape: [Int]
        /// ONNX element type (1 = float32).
        public let elementType: Int32
    }

    public let library: OnnxRuntimeLibrary
    public let modelPath: String
    public let options: SessionOptions
    public let inputs: [TensorInfo]
    public let outputs: [TensorInfo]
    private let session: OpaquePointer
    private let memoryInfo: OpaquePointer

    /// Loads `modelPath` with `options`, using `library` or the one `options.libraryPath` / the
    /// default search finds.
    public init(modelPath: String, options: SessionOptions = .init(), library: OnnxRuntimeLibrary? = nil) throws {
        let library = try library ?? OnnxRuntime.load(path: options.libraryPath)
        try ModelProvisioning.requireModel(at: modelPath)
        let api = library.api.pointee
        let environment = try library.sharedEnvironment()
        let ortOptions = try options.makeOrtOptions(library)
        defer { api.ReleaseSessionOptions!(ortOptions) }

        var created: OpaquePointer?
        try library.check(api.CreateSession!(environment, modelPath, ortOptions, &created), "loading \(modelPath)")
        guard let session = created else { throw OnnxRuntimeError.runtime("loading \(modelPath) returned no session") }
        var createdInfo: OpaquePointer?
        let reason = library.failureMessage(
            api.CreateCpuMemoryInfo!(Int32(RONIN_ORT_DEVICE_ALLOCATOR), Int32(RONIN_ORT_MEM_TYPE_DEFAULT), &createdInfo))
        guard reason == nil, let info = createdInfo else {
            api.ReleaseSession!(session)
            throw OnnxRuntimeError.runtime("creating CPU memory info: \(reason ?? "nothing returned")")
        }
        do {
            inputs = try Self.describe(library, session, input: true)
            outputs = try Self.describe(library, session, input: false)
        } catch {
            api.ReleaseMemoryInfo!(info)
            api.ReleaseSession!(session)
            throw error
        }
        self.library = library
        self.modelPath = modelPath
        self.options = options
        self.session = session
        self.memoryInfo = info
    }

    deinit {
        library.api.pointee.ReleaseMemoryInfo!(memoryInfo)
        library.api.pointee.ReleaseSession!(session)
    }

    /// A custom metadata value (e.g. `names`), or nil when the model does not have the key.
    public func metadata(_ key: String) throws -> String? {
        let api = library.api.pointee
        var created: OpaquePointer?
        try library.check(api.SessionGetModelMetadata!(session, &created), "reading model metadata")
        guard let metadata = created else { return nil }
        defer { api.ReleaseModelMetadata!(metadata) }
        return try library.takeString({ allocator, value in
            api.ModelMetadataLookupCustomMetadataMap!(metadata, allocator, key, value)
        }, "reading metadata \(key)")
    }

    /// Runs the model on one float tensor (the first input) and hands the first output, with its
    /// actual shape, to `body`. The output memory is only valid inside `body`.
    public func run<Result>(
        input: UnsafeMutableBufferPointer<Float>, shape: [Int],
        _ body: (UnsafeBufferPointer<Float>, [Int]) throws -> Result
    ) throws -> Result {
        guard let inputInfo = inputs.first, let outputInfo = outputs.first else {
            throw OnnxRuntimeError.unsupportedModel("the model has no inputs or no outputs")
        }
        guard let base = input.baseAddress, shape.reduce(1, *) == input.count, !shape.isEmpty else {
            throw OnnxRuntimeError.invalidInput("tensor of \(input.count) floats does not match shape \(shape)")
        }
        let api = library.api.pointee
        let dimensions = shape.map(Int64.init)
        var value: OpaquePointer?
        try library.check(api.CreateTensorWithDataAsOrtValue!(
            memoryInfo, base, input.count * MemoryLayout<Float>.stride, dimensions, dimensions.count,
            Int32(RONIN_ORT_ELEMENT_FLOAT), &value), "creating the input tensor")
        defer { api.ReleaseValue!(value) }

        var output: OpaquePointer?
        let status = inputInfo.name.withCString { inputName in
            outputInfo.name.withCString { outputName in
                var inputNames: [UnsafePointer<CChar>?] = [inputName]
                var outputNames: [UnsafePointer<CChar>?] = [outputName]
                var inputValues: [OpaquePointer?] = [value]
                return api.Run!(session, nil, &inputNames, &inputValues, 1, &outputNames, 1, &output)
            }
        }
        try library.check(status, "running \(modelPath)")
        guard let output else { throw OnnxRuntimeError.runtime("running \(modelPath) produced no output") }
        defer { api.ReleaseValue!(output) }

        var shapeInfo: OpaquePointer?
        try library.check(api.GetTensorTypeAndShape!(output, &shapeInfo), "reading the output shape")
        let (outputShape, elementType) = try Self.shape(library, shapeInfo!)
        api.ReleaseTensorTypeAndShapeInfo!(shapeInfo)
        guard elementType == Int32(RONIN_ORT_ELEMENT_FLOAT) else {
            throw OnnxRuntimeError.unsupportedModel("output \(outputInfo.name) is not float32")
        }
        var data: UnsafeMutableRawPointer?
        try library.check(api.GetTensorMutableData!(output, &data), "reading the output")
        let count = outputShape.reduce(1, *)
        let floats = UnsafeBufferPointer(start: data?.assumingMemoryBound(to: Float.self), count: data == nil ? 0 : count)
        return try body(floats, outputShape)
    }

    /// Names and shapes of the inputs or outputs.
    private static func describe(_ library: OnnxRuntimeLibrary, _ session: OpaquePointer, input: Bool) throws -> [TensorInfo] {
        let api = library.api.pointee
        var count = 0
        try library.check(input ? api.SessionGetInputCount!(session, &count) : api.SessionGetOutputCount!(session, &count),
                          "counting model \(input ? "inputs" : "outputs")")
        return try (0..<count).map { index in
            let name = try library.takeString({ allocator, value in
                input ? api.SessionGetInputName!(session, index, allocator, value)
                      : api.SessionGetOutputName!(session, index, allocator, value)
            }, "reading a tensor name") ?? ""
            var typeInfo: OpaquePointer?
            try library.check(input ? api.SessionGetInputTypeInfo!(session, index, &typeInfo)
                                    : api.SessionGetOutputTypeInfo!(session, index, &typeInfo), "reading \(name)'s type")
            defer { api.ReleaseTypeInfo!(typeInfo) }
            var tensorInfo: OpaquePointer?
            try library.check(api.CastTypeInfoToTensorInfo!(typeInfo, &tensorInfo), "reading \(name)'s tensor type")
            guard let tensorInfo else { return TensorInfo(name: name, shape: [], elementType: 0) }
            let (shape, elementType) = try shape(library, tensorInfo)
            return TensorInfo(name: name, shape: shape, elementType: elementType)
        }
    }

    /// Dimensions and element type of a tensor type-and-shape info (not released here).
    private static func shape(_ library: OnnxRuntimeLibrary, _ info: OpaquePointer) throws -> ([Int], Int32) {
        let api = library.api.pointee
        var rank = 0
        try library.check(api.GetDimensionsCount!(info, &rank), "reading a tensor rank")
        var dimensions = [Int64](repeating: 0, count: rank)
        try library.check(api.GetDimensions!(info, &dimensions, rank), "reading tensor dimensions")
        var elementType: Int32 = 0
        try library.check(api.GetTensorElementType!(info, &elementType), "reading a tensor element type")
        return (dimensions.map(Int.init), elementType)
    }
}
