import Foundation

/// Where a recording's bytes are, for everything that reads footage (detection first; serving,
/// export and reconciliation move behind it as tiers arrive, see docs/design/storage.md).
/// Callers ask for a recording's file; they never build storage paths themselves.
protocol FootageStore: Sendable {
    /// A local file holding the recording, readable now; throws `FootageUnavailable` otherwise.
    func localFile(path relativePath: String) throws -> String
}

/// A recording's footage cannot be read (its file is gone, or its storage is not reachable).
struct FootageUnavailable: Error, CustomStringConvertible {
    let description: String
}

/// Footage on hot storage: `{STORAGE_ROOT}/{relative path}`.
struct HotFootageStore: FootageStore {
    let storageRoot: String

    func localFile(path relativePath: String) throws -> String {
        let path = storageRoot + "/" + relativePath
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw FootageUnavailable(description: "the file \(relativePath) is not on storage")
        }
        return path
    }
}
