import CRoninOnnx
import Foundation
import Synchronization

/// A loaded ONNX Runtime shared library: its path, version and function table, plus the one
/// process-wide `OrtEnv` every session is created in.
///
/// A library is opened once per path and never unloaded (sessions may outlive any caller), so
/// the table pointer stays valid for the life of the process. Safe to share between threads:
/// the function table is immutable, the environment is created under a lock, and the C API
/// itself is thread-safe for our uses.
public final class OnnxRuntimeLibrary: @unchecked Sendable {
    /// The file that was loaded.
    public let path: String
    /// The version the library reports, e.g. "1.32.0".
    public let version: String
    let api: UnsafePointer<RoninOrtApi>
    private let environment: Mutex<OpaquePointerBox?> = Mutex(nil)

    init(path: String, version: String, api: UnsafePointer<RoninOrtApi>) {
        self.path = path
        self.version = version
        self.api = api
    }

    /// The folder holding the library; execution-provider libraries sit beside it.
    public var directory: String { (path as NSString).deletingLastPathComponent }

    /// Where `onnxruntime-gpu` puts its CUDA provider: next to the core library.
    public var cudaProviderPath: String { directory + "/libonnxruntime_providers_cuda.so" }

    /// Whether this installation can run on CUDA at all (the GPU package is installed).
    public var hasCUDAProvider: Bool { FileManager.default.fileExists(atPath: cudaProviderPath) }

    /// The shared environment, created on first use.
    func sharedEnvironment() throws -> OpaquePointer {
        try environment.withLock { box in
            if let box { return box.pointer }
            var created: OpaquePointer?
            try check(api.pointee.CreateEnv!(Int32(RONIN_ORT_LOGGING_WARNING), "ronin", &created), "creating the environment")
            guard let created else { throw OnnxRuntimeError.runtime("creating the environment returned nothing") }
            box = OpaquePointerBox(pointer: created)
            return created
        }
    }

    /// Throws the message of a failed call (and frees its status); a nil status is success.
    func check(_ status: OpaquePointer?, _ context: String) throws {
        guard let status else { return }
        let message = api.pointee.GetErrorMessage!(status).map { String(cString: $0) } ?? "unknown error"
        ronin_ort_release_status(api, status)
        throw OnnxRuntimeError.runtime("\(context): \(message)")
    }

    /// The message of a failed call (its status freed), or nil on success.
    func failureMessage(_ status: OpaquePointer?) -> String? {
        guard let status else { return nil }
        let message = api.pointee.GetErrorMessage!(status).map { String(cString: $0) } ?? "unknown error"
        ronin_ort_release_status(api, status)
        return message
    }

    /// A string the library allocated with its default allocator, copied and freed.
    func takeString(_ produce: (OpaquePointer, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> OpaquePointer?,
                    _ context: String) throws -> String? {
        var allocator: OpaquePointer?
        try check(api.pointee.GetAllocatorWithDefaultOptions!(&allocator), "getting the default allocator")
        guard let allocator else { throw OnnxRuntimeError.runtime("no default allocator") }
        var value: UnsafeMutablePointer<CChar>?
        try check(produce(allocator, &value), context)
        guard let value else { return nil }
        defer { _ = failureMessage(api.pointee.AllocatorFree!(allocator, value)) }
        return String(cString: value)
    }
}

/// A C pointer held in a `Mutex` (raw pointers are not `Sendable` on their own).
struct OpaquePointerBox: @unchecked Sendable {
    let pointer: OpaquePointer
}
