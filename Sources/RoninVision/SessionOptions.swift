import CRoninOnnx
import Foundation

/// How an inference session runs: thread counts, graph optimisation and execution provider.
///
/// Thread counts of 0 leave the choice to ONNX Runtime (one intra-op thread per physical core).
/// `libraryPath` picks a specific libonnxruntime; nil searches as `OnnxRuntime.load` does.
public struct SessionOptions: Sendable, Equatable {
    /// Where the model's operators run.
    public enum Provider: Sendable, Equatable {
        case cpu
        /// An NVIDIA GPU through the CUDA provider of `onnxruntime-gpu`; unsupported operators
        /// fall back to the CPU.
        case cuda(deviceID: Int)
    }

    /// ONNX Runtime's graph optimisation levels.
    public enum GraphOptimization: Int32, Sendable {
        case disabled = 0
        case basic = 1
        case extended = 2
        case all = 99
    }

    public var intraOpThreads: Int
    public var interOpThreads: Int
    public var graphOptimization: GraphOptimization
    public var provider: Provider
    public var libraryPath: String?

    public init(
        intraOpThreads: Int = 0, interOpThreads: Int = 1, graphOptimization: GraphOptimization = .all,
        provider: Provider = .cpu, libraryPath: String? = nil
    ) {
        self.intraOpThreads = intraOpThreads
        self.interOpThreads = interOpThreads
        self.graphOptimization = graphOptimization
        self.provider = provider
        self.libraryPath = libraryPath
    }

    /// The same options on another CUDA device (unchanged when running on the CPU).
    public func onDevice(_ deviceID: Int) -> SessionOptions {
        guard case .cuda = provider else { return self }
        var copy = self
        copy.provider = .cuda(deviceID: deviceID)
        return copy
    }

    /// Builds the library's session options; the caller releases them with ReleaseSessionOptions.
    /// CUDA is checked first for the provider library, so a CPU-only install gets a message that
    /// says which package to install instead of a loader error.
    func makeOrtOptions(_ library: OnnxRuntimeLibrary) throws -> OpaquePointer {
        let api = library.api.pointee
        var created: OpaquePointer?
        try library.check(api.CreateSessionOptions!(&created), "creating session options")
        guard let options = created else { throw OnnxRuntimeError.runtime("creating session options returned nothing") }
        do {
            try library.check(api.SetIntraOpNumThreads!(options, Int32(clamping: max(0, intraOpThreads))), "setting intra-op threads")
            try library.check(api.SetInterOpNumThreads!(options, Int32(clamping: max(0, interOpThreads))), "setting inter-op threads")
            try library.check(api.SetSessionGraphOptimizationLevel!(options, graphOptimization.rawValue), "setting graph optimisation")
            if case .cuda(let deviceID) = provider {
                guard library.hasCUDAProvider else {
                    throw OnnxRuntimeError.cudaProviderMissing(expectedAt: library.cudaProviderPath)
                }
                var cuda = ronin_ort_cuda_options(Int32(clamping: deviceID))
                if let reason = library.failureMessage(api.SessionOptionsAppendExecutionProvider_CUDA!(options, &cuda)) {
                    throw OnnxRuntimeError.cudaUnavailable(deviceID: deviceID, reason: reason)
                }
            }
        } catch {
            api.ReleaseSessionOptions!(options)
            throw error
        }
        return options
    }
}
