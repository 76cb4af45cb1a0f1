import Foundation
import RoninCore

/// A tier on a local or mounted disk: `{root}/{key}`. Footage is copied in through a temporary
/// name in the destination folder, synced to disk and renamed into place, so a crash leaves
/// either the whole file or a `.partial` file that the next copy replaces, never half a file
/// under the real name.
struct LocalTierStore: TierStore {
    let tier: StorageTier
    let root: String
    static let chunk = FileHash.chunk

    var displayLocation: String { root }

    func path(_ key: String) -> String { root + "/" + key }

    func localFile(_ key: String) -> String? { path(key) }

    func readableLocation(_ key: String) async throws -> String { path(key) }

    func size(_ key: String) async throws -> Int64? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path(key)) else { return nil }
        return (attributes[.size] as? NSNumber)?.int64Value
    }

    /// At once, each on a niced thread or in the kernel: the source is copied in the kernel
    /// (`sendfile`, no copy through this process, its writeback started chunk by chunk), and the
    /// copy is read back and hashed right behind the writing; the source is hashed too unless its
    /// SHA-256 as recorded is given. Once the copy is synced, only one whose SHA-256 is the
    /// source's is renamed into place: verified before it exists under its real name.
    func store(localFile source: String, key: String, recorded: String?, limiter: BandwidthLimiter?) async throws -> StoredCopy {
        let destination = path(key)
        let folder = (destination as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let partial = destination + ".partial"
        guard access(source, R_OK) == 0 else { throw FootageUnavailable(description: "cannot read \(source): \(String(cString: strerror(errno)))") }
        let progress = CopyProgress()
        let sourceHash = recorded == nil ? Task { try await NicedThread.run { try FileHash.sha256(of: source) } } : nil
        async let copyHash = NicedThread.run { try FileHash.sha256(of: partial, following: progress) }
        let copied: String
        do {
            do {
                try await Self.copy(source, to: partial, limiter: limiter, progress: progress)
                progress.end(failed: false)
            } catch {
                progress.end(failed: true)
                throw error
            }
            try await NicedThread.run { try Self.sync(partial) }
            copied = try await copyHash
            if let recorded {
                guard copied == recorded.lowercased() else {
                    throw StorageIOError("the copy of \(source) differs from the footage as recorded (SHA-256 \(copied), recorded \(recorded))")
                }
            } else if let read = try await sourceHash?.value, copied != read {
                throw StorageIOError("the copy of \(source) differs from it (SHA-256 \(copied), not \(read))")
            }
        } catch {
            _ = try? await copyHash
            _ = try? await sourceHash?.value
            unlink(partial)
            throw error
        }
        guard rename(partial, destination) == 0 else {
            unlink(partial)
            throw StorageIOError("cannot move \(partial) into place: \(String(cString: strerror(errno)))")
        }
        Self.syncFolder(folder)
        return StoredCopy(sha256: copied, verified: true)
    }

    /// Copies `source` to `target` in the kernel, in chunks: a megabyte at a time through the
    /// bandwidth limit when there is one, larger ones otherwise; cancellation is checked between.
    /// Each chunk's writeback to disk starts at once (the final sync then has little left), and
    /// `progress` is told how far the copy has got.
    static func copy(_ source: String, to target: String, limiter: BandwidthLimiter?, progress: CopyProgress? = nil) async throws {
        let input = open(source, O_RDONLY)
        guard input >= 0 else { throw FootageUnavailable(description: "cannot read \(source): \(String(cString: strerror(errno)))") }
        defer { close(input) }
        let output = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0o640)
        guard output >= 0 else { throw StorageIOError("cannot write \(target): \(String(cString: strerror(errno)))") }
        defer { close(output) }
        var status = stat()
        guard fstat(input, &status) == 0 else { throw FootageUnavailable(description: "cannot read \(source): \(String(cString: strerror(errno)))") }
        let size = Int(status.st_size)
        let step = limiter == nil ? 2 * chunk : chunk
        var offset: off_t = 0
        while true {
            try Task.checkCancellation()
            let next = max(1, min(step, size - Int(offset)))
            try await limiter?.admit(next)
            let before = offset
            let sent = sendfile(output, input, &offset, next)
            guard sent >= 0 else { throw StorageIOError("cannot copy \(source) to \(target): \(String(cString: strerror(errno)))") }
            if sent == 0 { break }
            _ = Self.startWriteback?(output, Int64(before), Int64(sent), Self.writebackStart)
            progress?.advance(to: Int(offset))
        }
    }

    /// `sync_file_range(2)`, which Glibc's Swift module does not declare: starts writing a range
    /// of a file to disk without waiting for it (nil where the C library has no such call).
    static let startWriteback: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32)? = dlsym(nil, "sync_file_range")
        .map { unsafeBitCast($0, to: (@convention(c) (Int32, Int64, Int64, UInt32) -> Int32).self) }
    /// `SYNC_FILE_RANGE_WRITE`.
    static let writebackStart: UInt32 = 2

    /// Flushes a file (or a folder's entries) to disk.
    static func sync(_ path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            if descriptor >= 0 { close(descriptor) }
            throw StorageIOError("cannot sync \(path): \(reason)")
        }
        close(descriptor)
    }

    func verify(key: String, size expected: Int64, sha256: String) async throws -> Bool {
        guard try await size(key) == expected else { return false }
        return try FileHash.sha256(of: path(key)) == sha256
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

    /// Makes a rename in `folder` durable.
    static func syncFolder(_ folder: String) {
        try? sync(folder)
    }
}

/// Footage could not be read or written on a tier's disk.
struct StorageIOError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
