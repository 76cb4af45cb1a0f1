import Crypto
import Foundation
import RoninCore

/// The real disk as `ExportDestination` asks about it: `lstat`, `realpath`, and whether a folder
/// holds an export (its progress file or its manifest name one).
struct LocalExportFileSystem: ExportFileSystem {
    func kind(of path: String) -> ExportPathKind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        case S_IFREG: return .file
        default: return .other
        }
    }

    func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    func exportID(inFolder path: String) -> String? {
        let folder = ExportFolder(path: path)
        return folder.ownerID()?.uuidString.lowercased()
    }
}

/// One export's own folder on the removable media, and every write into it (docs/design/tiers.md,
/// Offline export): files are written as `<name>.partial`, synced, read back for their SHA-256 and
/// renamed into place, so a crash or an unplugged stick leaves whole files or `.partial` ones,
/// never half a file under its real name. Folders are made one at a time with mode 0750 and never
/// through a symbolic link.
///
/// `.ronin-export.json` in the folder names the export it belongs to and lists the files already
/// written with their size and SHA-256: a restarted job re-checks those and skips them. It is
/// removed once `manifest.json` and `SHA256SUMS` are written (the manifest then names the export).
struct ExportFolder: Sendable {
    static let progressFile = ".ronin-export.json"
    static let partialSuffix = ".partial"
    static let chunk = 1 << 20

    let path: String

    /// What the progress file holds.
    struct Progress: Codable, Sendable {
        struct Entry: Codable, Sendable, Equatable {
            let size: Int64
            let sha256: String
        }

        let export_id: UUID
        var files: [String: Entry]
    }

    func absolute(_ relative: String) -> String { path + "/" + relative }

    /// The export the folder belongs to, from its progress file or its manifest.
    func ownerID() -> UUID? {
        if let progress = readProgress() { return progress.export_id }
        return readManifest()?.exportID
    }

    func readProgress() -> Progress? {
        guard let data = readSmallFile(absolute(Self.progressFile), limit: 64 << 20) else { return nil }
        return try? JSONDecoder().decode(Progress.self, from: data)
    }

    func readManifest() -> ExportManifest? {
        guard let data = readSmallFile(absolute(ExportManifest.fileName), limit: 256 << 20) else { return nil }
        return try? ExportManifest.decode(data)
    }

    func saveProgress(_ progress: Progress) throws {
        let data = try JSONEncoder().encode(progress)
        _ = try write(data, to: Self.progressFile)
    }

    func removeProgress() {
        unlink(absolute(Self.progressFile))
        Self.syncFolder(path)
    }

    /// Whether anything is in the folder.
    func isEmpty() -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).isEmpty
    }

    /// Makes `folder` (mode 0750) unless it is there; refuses a link or a file in its place.
    static func makeFolder(_ folder: String) throws {
        if mkdir(folder, 0o750) != 0 {
            guard errno == EEXIST else { throw ExportWriteError("cannot make the folder \(folder): \(String(cString: strerror(errno)))") }
            guard LocalExportFileSystem().kind(of: folder) == .directory else {
                throw ExportWriteError("\(folder) is in the way: it is not a folder (or it is a link)")
            }
            return
        }
        chmod(folder, 0o750)  // whatever the umask took away
        syncFolder((folder as NSString).deletingLastPathComponent)
    }

    /// Makes the folders of `relative` (a file's path) inside this folder.
    func makeParents(of relative: String) throws {
        var current = path
        for part in relative.split(separator: "/").dropLast() {
            current += "/" + part
            try Self.makeFolder(current)
        }
    }

    /// A file's `.partial` name, cleared (a leftover from a stopped run is not trusted).
    func freshPartial(for relative: String) throws -> String {
        try makeParents(of: relative)
        let partial = absolute(relative) + Self.partialSuffix
        guard unlink(partial) == 0 || errno == ENOENT else { throw ExportWriteError("cannot replace \(partial): \(String(cString: strerror(errno)))") }
        return partial
    }

    /// Syncs a finished `.partial` file, reads it back for its size and SHA-256, and renames it
    /// into place.
    func commit(partial: String, as relative: String) throws -> Progress.Entry {
        let descriptor = open(partial, O_RDONLY | O_NOFOLLOW)
        guard descriptor >= 0 else { throw ExportWriteError("cannot open \(partial): \(String(cString: strerror(errno)))") }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard synced else { throw ExportWriteError("cannot sync \(partial): \(String(cString: strerror(errno)))") }
        let entry = try Self.measure(partial)
        let final = absolute(relative)
        guard rename(partial, final) == 0 else { throw ExportWriteError("cannot move \(partial) into place: \(String(cString: strerror(errno)))") }
        Self.syncFolder((final as NSString).deletingLastPathComponent)
        return entry
    }

    /// Writes `data` as `relative`, durably.
    func write(_ data: Data, to relative: String) throws -> Progress.Entry {
        let partial = try freshPartial(for: relative)
        let descriptor = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o640)
        guard descriptor >= 0 else { throw ExportWriteError("cannot write \(partial): \(String(cString: strerror(errno)))") }
        do {
            try data.withUnsafeBytes { raw in try Self.writeAll(descriptor, raw.baseAddress!, raw.count, name: partial) }
        } catch {
            close(descriptor)
            unlink(partial)
            throw error
        }
        close(descriptor)
        return try commit(partial: partial, as: relative)
    }

    /// Copies the local file `source` in as `relative`, a megabyte at a time, checking `stop`
    /// between pieces.
    func copy(_ source: String, to relative: String, stop: () throws -> Void) throws -> Progress.Entry {
        let input = open(source, O_RDONLY)
        guard input >= 0 else { throw ExportWriteError("cannot read \(source): \(String(cString: strerror(errno)))") }
        defer { close(input) }
        let partial = try freshPartial(for: relative)
        let output = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o640)
        guard output >= 0 else { throw ExportWriteError("cannot write \(partial): \(String(cString: strerror(errno)))") }
        var buffer = [UInt8](repeating: 0, count: Self.chunk)
        do {
            while true {
                try stop()
                let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, Self.chunk) }
                guard count >= 0 else { throw ExportWriteError("cannot read \(source): \(String(cString: strerror(errno)))") }
                if count == 0 { break }
                try buffer.withUnsafeBytes { try Self.writeAll(output, $0.baseAddress!, count, name: partial) }
            }
        } catch {
            close(output)
            unlink(partial)
            throw error
        }
        close(output)
        return try commit(partial: partial, as: relative)
    }

    /// Whether `relative` is there as a regular file of this size and SHA-256.
    func holds(_ relative: String, _ entry: Progress.Entry) -> Bool {
        guard LocalExportFileSystem().kind(of: absolute(relative)) == .file, let found = try? Self.measure(absolute(relative)) else { return false }
        return found == entry
    }

    /// Every regular file in the folder, relative, without following links.
    func regularFiles() -> [String] {
        var found: [String] = []
        func walk(_ relative: String) {
            let folder = relative.isEmpty ? path : absolute(relative)
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
                let child = relative.isEmpty ? name : relative + "/" + name
                switch LocalExportFileSystem().kind(of: absolute(child)) {
                case .directory: walk(child)
                case .file: found.append(child)
                default: break
                }
            }
        }
        walk("")
        return found
    }

    /// Removes a file of the export (a leftover of an earlier plan, a `.partial`).
    func remove(_ relative: String) {
        unlink(absolute(relative))
    }

    /// Size and SHA-256 of a file, read a megabyte at a time.
    static func measure(_ file: String) throws -> Progress.Entry {
        let descriptor = open(file, O_RDONLY | O_NOFOLLOW)
        guard descriptor >= 0 else { throw ExportWriteError("cannot read \(file): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var hash = SHA256()
        var size: Int64 = 0
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, chunk) }
            guard count >= 0 else { throw ExportWriteError("cannot read \(file): \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            hash.update(data: buffer[0..<count])
            size += Int64(count)
        }
        return Progress.Entry(size: size, sha256: hash.finalize().map { String(format: "%02x", $0) }.joined())
    }

    static func writeAll(_ descriptor: Int32, _ base: UnsafeRawPointer, _ count: Int, name: String) throws {
        var offset = 0
        while offset < count {
            let written = Foundation.write(descriptor, base + offset, count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw ExportWriteError("cannot write \(name): \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    static func syncFolder(_ folder: String) {
        let descriptor = open(folder, O_RDONLY)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private func readSmallFile(_ file: String, limit: Int) -> Data? {
        guard LocalExportFileSystem().kind(of: file) == .file, let handle = FileHandle(forReadingAtPath: file) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: limit), data.count < limit else { return nil }
        return data
    }
}

/// Writing into an export folder failed (the media is full, gone, read-only, or something is in the way).
struct ExportWriteError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
