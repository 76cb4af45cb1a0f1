import CRoninOnnx
import Foundation
import Synchronization

/// Finds and opens the ONNX Runtime library (see `LibraryLocator` for the search order).
///
/// Each library path is opened at most once per process; later calls return the same
/// `OnnxRuntimeLibrary`. Nothing here crashes when the library is absent or wrong: every
/// failure is an `OnnxRuntimeError` whose text says why detection is off.
public enum OnnxRuntime {
    private static let opened: Mutex<[String: OnnxRuntimeLibrary]> = Mutex([:])

    /// Opens the library at `path`, or the first one found (ORT_LIBRARY_PATH, the Python package,
    /// system paths) when `path` is nil.
    public static func load(
        path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> OnnxRuntimeLibrary {
        if let path {
            return try open(LibraryLocator.Candidate(path: path, label: path))
        }
        if let override = LibraryLocator.override(environment: environment) {
            return try open(override)
        }
        var notFound: [String] = ["\(LibraryLocator.environmentKey) (unset)"]
        for candidate in LibraryLocator.candidates(environment: environment) {
            do {
                return try open(candidate)
            } catch OnnxRuntimeError.libraryNotFound(let searched) {
                notFound += searched
            }
        }
        if !notFound.contains(where: { $0.contains("onnxruntime/capi") }) {
            notFound.insert("the onnxruntime Python package (not installed)", at: 1)
        }
        throw OnnxRuntimeError.libraryNotFound(searched: notFound)
    }

    /// The default library, or why there is none (for status pages and start-up logs).
    public static func availability(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Result<OnnxRuntimeLibrary, OnnxRuntimeError> {
        do {
            return .success(try load(environment: environment))
        } catch let error as OnnxRuntimeError {
            return .failure(error)
        } catch {
            return .failure(.runtime(String(describing: error)))
        }
    }

    /// dlopen + API table for one candidate; a missing file reads as "not found" so the search
    /// goes on, anything else (a broken or foreign file) is reported as it is.
    private static func open(_ candidate: LibraryLocator.Candidate) throws -> OnnxRuntimeLibrary {
        let isBareName = !candidate.path.contains("/")
        if !isBareName, !FileManager.default.fileExists(atPath: candidate.path) {
            throw OnnxRuntimeError.libraryNotFound(searched: [candidate.label])
        }
        // One entry per file, however the path to it was spelled (relative, with `..`).
        let key = isBareName ? candidate.path : URL(fileURLWithPath: candidate.path).standardizedFileURL.path
        return try opened.withLock { cache in
            if let library = cache[key] { return library }
            var handle = RoninOrtLibrary()
            var message = [CChar](repeating: 0, count: 1024)
            let result = ronin_ort_open(candidate.path, &handle, &message, message.count)
            let reason = String(cString: message)
            switch result {
            case RONIN_ORT_OPENED:
                guard let api = handle.api else { throw OnnxRuntimeError.symbolMissing(path: candidate.path) }
                let version = handle.version.map { String(cString: $0) } ?? "unknown"
                let library = OnnxRuntimeLibrary(path: resolvedPath(of: candidate.path, handle: handle), version: version, api: api)
                cache[key] = library
                return library
            case RONIN_ORT_DLOPEN_FAILED where isBareName:
                throw OnnxRuntimeError.libraryNotFound(searched: [candidate.label])
            case RONIN_ORT_DLOPEN_FAILED:
                throw OnnxRuntimeError.libraryUnloadable(path: candidate.path, reason: reason)
            case RONIN_ORT_SYMBOL_MISSING:
                throw OnnxRuntimeError.symbolMissing(path: candidate.path)
            default:
                throw OnnxRuntimeError.apiVersionTooOld(path: candidate.path, reason: reason)
            }
        }
    }

    /// The absolute file behind a path or bare name the system loader resolved.
    private static func resolvedPath(of path: String, handle: RoninOrtLibrary) -> String {
        if path.contains("/") { return URL(fileURLWithPath: path).standardizedFileURL.path }
        var file = [CChar](repeating: 0, count: 4096)
        var handle = handle
        return ronin_ort_library_file(&handle, &file, file.count) != 0 ? String(cString: file) : path
    }
}
