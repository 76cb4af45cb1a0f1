import Crypto
import Foundation
import RoninCore

/// A tier on a local or mounted disk: `{root}/{key}`. Footage is copied in through a temporary
/// name in the destination folder, synced to disk and renamed into place, so a crash leaves
/// either the whole file or a `.partial` file that the next copy replaces, never half a file
/// under the real name.
struct LocalTierStore: TierStore {
    let tier: StorageTier
    let root: String
    static let chunk = 1 << 20

    var displayLocation: String { root }

    func path(_ key: String) -> String { root + "/" + key }

    func localFile(_ key: String) -> String? { path(key) }

    func readableLocation(_ key: String) async throws -> String { path(key) }

    func size(_ key: String) async throws -> Int64? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path(key)) else { return nil }
        return (attributes[.size] as? NSNumber)?.int64Value
    }

    func store(localFile source: String, key: String, limiter: BandwidthLimiter?) async throws -> String {
        let destination = path(key)
        let folder = (destination as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let partial = destination + ".partial"
        let input = open(source, O_RDONLY)
        guard input >= 0 else { throw FootageUnavailable(description: "cannot read \(source): \(String(cString: strerror(errno)))") }
        defer { close(input) }
        let output = open(partial, O_WRONLY | O_CREAT | O_TRUNC, 0o640)
        guard output >= 0 else { throw StorageIOError("cannot write \(partial): \(String(cString: strerror(errno)))") }
        var hash = SHA256()
        var buffer = [UInt8](repeating: 0, count: Self.chunk)
        do {
            while true {
                try Task.checkCancellation()
                let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, Self.chunk) }
                guard count >= 0 else { throw StorageIOError("cannot read \(source): \(String(cString: strerror(errno)))") }
                if count == 0 { break }
                try await limiter?.admit(count)
                try buffer.withUnsafeBytes { raw in
                    var offset = 0
                    while offset < count {
                        let written = write(output, raw.baseAddress! + offset, count - offset)
                        guard written > 0 else { throw StorageIOError("cannot write \(partial): \(String(cString: strerror(errno)))") }
                        offset += written
                    }
                }
                buffer.withUnsafeBytes { hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            }
            guard fsync(output) == 0 else { throw StorageIOError("cannot sync \(partial): \(String(cString: strerror(errno)))") }
        } catch {
            close(output)
            unlink(partial)
            throw error
        }
        close(output)
        guard rename(partial, destination) == 0 else {
            unlink(partial)
            throw StorageIOError("cannot move \(partial) into place: \(String(cString: strerror(errno)))")
        }
        Self.syncFolder(folder)
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }

    func verify(key: String, size expected: Int64, sha256: String) async throws -> Bool {
        guard try await size(key) == expected else { return false }
        return try Self.sha256(of: path(key)) == sha256
    }

    func existing(_ keys: [String]) async throws -> Set<String> {
        Set(keys.filter { FileManager.default.fileExists(atPath: path($0)) })
    }

    func delete(_ key: String) async throws {
        let file = path(key)
        guard unlink(file) == 0 || errno == ENOENT else { throw StorageIOError("cannot delete \(file): \(String(cString: strerror(errno)))") }
        // Day folders left empty go too (never the tier's root or a camera's folder).
        let day = (file as NSString).deletingLastPathComponent
        if day.hasPrefix(root + "/"), (day as NSString).deletingLastPathComponent != root { rmdir(day) }
    }

    func diskUsage() -> (capacity: Int64, free: Int64)? {
        var stats = statvfs()
        guard statvfs(root, &stats) == 0 else { return nil }
        let block = Int64(stats.f_frsize)
        return (Int64(stats.f_blocks) * block, Int64(stats.f_bavail) * block)
    }

    func reachability() async -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
            return "\(root) is not there (not mounted?)"
        }
        guard access(root, W_OK) == 0 else { return "\(root) cannot be written" }
        return nil
    }

    /// The SHA-256 (hex) of a local file, read a megabyte at a time into one buffer.
    static func sha256(of path: String) throws -> String {
        let input = open(path, O_RDONLY)
        guard input >= 0 else { throw FootageUnavailable(description: "cannot read \(path)") }
        defer { close(input) }
        var hash = SHA256()
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, chunk) }
            guard count >= 0 else { throw FootageUnavailable(description: "cannot read \(path): \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            buffer.withUnsafeBytes { hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        return hash.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Makes a rename in `folder` durable.
    static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}

/// Footage could not be read or written on a tier's disk.
struct StorageIOError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
