import Foundation
import RoninCore

/// The object-detection settings read from the environment: which model, which library, how
/// many threads, CPU or CUDA and on which GPUs (ML_MODEL_PATH, ORT_LIBRARY_PATH, ML_THREADS,
/// ML_PROVIDER, ML_CUDA_DEVICE_IDS). Malformed values are reported as `Settings.Problem`.
public struct VisionSettings: Sendable, Equatable {
    public var modelPath: String
    public var sessionOptions: SessionOptions
    /// GPUs to run on, one session each; `[]` on the CPU.
    public var cudaDeviceIDs: [Int]

    public init(modelPath: String = ModelProvisioning.defaultModelPath,
                sessionOptions: SessionOptions = .init(), cudaDeviceIDs: [Int] = []) {
        self.modelPath = modelPath
        self.sessionOptions = sessionOptions
        self.cudaDeviceIDs = cudaDeviceIDs
    }

    public init(environment: [String: String]) throws {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        modelPath = value("ML_MODEL_PATH") ?? ModelProvisioning.defaultModelPath
        sessionOptions = SessionOptions(libraryPath: value(LibraryLocator.environmentKey))
        if let threads = value("ML_THREADS") {
            guard let count = Int(threads), count >= 0 else {
                throw Settings.Problem(name: "ML_THREADS", message: "expected a whole number of threads (0 = automatic), got \(threads)")
            }
            sessionOptions.intraOpThreads = count
        }
        switch value("ML_PROVIDER")?.lowercased() ?? "cpu" {
        case "cpu":
            cudaDeviceIDs = []
        case "cuda":
            cudaDeviceIDs = try Self.deviceIDs(value("ML_CUDA_DEVICE_IDS") ?? "0")
            sessionOptions.provider = .cuda(deviceID: cudaDeviceIDs[0])
        case let other:
            throw Settings.Problem(name: "ML_PROVIDER", message: "expected cpu or cuda, got \(other)")
        }
    }

    /// "0,1" -> [0, 1]: distinct non-negative ids, in the order given, at least one.
    public static func deviceIDs(_ list: String) throws -> [Int] {
        var ids: [Int] = []
        for part in list.split(separator: ",", omittingEmptySubsequences: false) {
            let text = part.trimmingCharacters(in: .whitespaces)
            guard let id = Int(text), id >= 0 else {
                throw Settings.Problem(name: "ML_CUDA_DEVICE_IDS", message: "expected a comma list of GPU numbers such as 0,1, got \(list)")
            }
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }
}
