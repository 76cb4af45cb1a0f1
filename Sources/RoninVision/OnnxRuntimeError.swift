import Foundation

/// Why ONNX Runtime, a model or an inference could not be used. Each text says what is wrong and
/// what to do about it, because it is what a user reads when object detection is off.
public enum OnnxRuntimeError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// No library at any place searched (listed in order).
    case libraryNotFound(searched: [String])
    /// A library file was found but could not be loaded.
    case libraryUnloadable(path: String, reason: String)
    /// The file loaded but is not ONNX Runtime (no `OrtGetApiBase`).
    case symbolMissing(path: String)
    /// The library is older than the API version we need.
    case apiVersionTooOld(path: String, reason: String)
    /// CUDA was asked for but the CUDA provider library is not beside the core library.
    case cudaProviderMissing(expectedAt: String)
    /// The CUDA provider is installed but refused the device.
    case cudaUnavailable(deviceID: Int, reason: String)
    /// No model file at the path.
    case modelNotFound(path: String)
    /// The model loaded but is not one the detector can use.
    case unsupportedModel(String)
    /// The caller passed something unusable (empty frame, buffer too small).
    case invalidInput(String)
    /// ONNX Runtime reported an error.
    case runtime(String)

    public var description: String {
        switch self {
        case .libraryNotFound(let searched):
            "ONNX Runtime library not found; object detection is off. Looked in: "
                + searched.joined(separator: "; ")
                + ". Install it with `python3 -m pip install onnxruntime` (or onnxruntime-gpu), or set ORT_LIBRARY_PATH to libonnxruntime.so."
        case .libraryUnloadable(let path, let reason):
            "ONNX Runtime library at \(path) could not be loaded: \(reason)"
        case .symbolMissing(let path):
            "\(path) is not an ONNX Runtime library (it has no OrtGetApiBase)"
        case .apiVersionTooOld(let path, let reason):
            "ONNX Runtime at \(path) is too old: \(reason); install onnxruntime 1.20 or newer"
        case .cudaProviderMissing(let expectedAt):
            "CUDA was requested (ML_PROVIDER=cuda) but the CUDA provider library is missing: expected \(expectedAt). "
                + "Install `onnxruntime-gpu` instead of `onnxruntime`, or set ML_PROVIDER=cpu."
        case .cudaUnavailable(let deviceID, let reason):
            "CUDA device \(deviceID) could not be used: \(reason)"
        case .modelNotFound(let path):
            "No detection model at \(path); run scripts/provision-model.py (or `make run`) to create the default one, or set ML_MODEL_PATH."
        case .unsupportedModel(let reason):
            "Unsupported detection model: \(reason)"
        case .invalidInput(let reason):
            "Invalid input: \(reason)"
        case .runtime(let message):
            "ONNX Runtime error: \(message)"
        }
    }

    public var errorDescription: String? { description }
}
