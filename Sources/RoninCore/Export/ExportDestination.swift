import Foundation

/// What one path is, as `lstat` sees it: a symbolic link is itself, never what it points at.
public enum ExportPathKind: Sendable, Equatable {
    case missing, directory, symlink, file, other
}

/// The questions destination checks ask of the file system, so the decision stays pure and
/// tests can hand it a made-up disk.
public protocol ExportFileSystem {
    /// What `path` is, without following a final symbolic link (`lstat`).
    func kind(of path: String) -> ExportPathKind
    /// The canonical path with every link resolved (`realpath`), nil when it cannot be resolved.
    func realPath(_ path: String) -> String?
    /// The id of the offline export the folder holds (its marker or manifest), nil when it holds none.
    func exportID(inFolder path: String) -> String?
}

/// A folder an offline export may be written into: under one of EXPORT_ROOTS (the mount points of
/// removable media), reached without symbolic links, never inside another export.
///
/// Invariants of a value: `folder` is absolute and normalised (no `.`, `..`, repeated or trailing
/// slashes), equals `root` or lies below it, every component from `root` down that exists is a
/// real folder (not a link, not a file), its canonical path lies under the root's canonical path,
/// and no existing component is an export folder. Components from `firstMissing` on do not exist
/// yet and are made by the caller, one at a time, without following links.
///
/// The checks run when the export is asked for and again each time its job starts: media can be
/// swapped in between.
public struct ExportDestination: Sendable, Equatable {
    /// Longest destination path, in UTF-8 bytes (Linux's PATH_MAX is 4096; a stick's paths stay far shorter).
    public static let maxPathBytes = 1024
    /// Longest single name, in UTF-8 bytes (what ext4, exFAT and FAT's long names allow).
    public static let maxComponentBytes = 255

    /// The EXPORT_ROOTS entry the folder is under, normalised.
    public let root: String
    /// The destination folder, normalised.
    public let folder: String
    /// The components of `folder` below `root` that do not exist yet (outermost first).
    public let missing: [String]

    /// Why a destination was refused; `description` is for the person who asked.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case exportOff
        case empty
        case nulByte
        case controlCharacter
        case tooLong(bytes: Int)
        case componentTooLong(String)
        case notAbsolute
        case relativeComponent(String)
        case outsideRoots(roots: [String])
        case rootUnavailable(String)
        case symlink(String)
        case notAFolder(String)
        case escapesRoot(String)
        case insideExport(String)

        public var description: String {
            switch self {
            case .exportOff: "Offline export is off: set EXPORT_ROOTS to the mount points of removable media"
            case .empty: "destination is empty"
            case .nulByte: "destination contains a NUL byte"
            case .controlCharacter: "destination contains a control character"
            case .tooLong(let bytes): "destination is \(bytes) bytes long; at most \(ExportDestination.maxPathBytes) are allowed"
            case .componentTooLong(let name): "the name '\(name.prefix(40))…' in destination is longer than \(ExportDestination.maxComponentBytes) bytes"
            case .notAbsolute: "destination must be an absolute path"
            case .relativeComponent(let name): "destination must not contain '\(name)' components"
            case .outsideRoots(let roots): "destination is not under an export root (EXPORT_ROOTS: \(roots.joined(separator: ", ")))"
            case .rootUnavailable(let root): "the export root \(root) is not there (not mounted?)"
            case .symlink(let path): "\(path) is a symbolic link; exports follow no links below the export root"
            case .notAFolder(let path): "\(path) exists and is not a folder"
            case .escapesRoot(let path): "\(path) resolves to a place outside its export root"
            case .insideExport(let path): "\(path) is an existing export folder; choose the folder that holds it"
            }
        }
    }

    /// Checks `raw` against `roots` (absolute paths; empty: offline export is off), asking
    /// `fileSystem` about each component below the root.
    public static func validate(_ raw: String, roots: [String], fileSystem: some ExportFileSystem) throws(Problem) -> ExportDestination {
        guard !roots.isEmpty else { throw .exportOff }
        guard !raw.isEmpty else { throw .empty }
        guard !raw.unicodeScalars.contains("\0") else { throw .nulByte }
        guard raw.utf8.count <= maxPathBytes else { throw .tooLong(bytes: raw.utf8.count) }
        guard !raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { throw .controlCharacter }
        guard raw.hasPrefix("/") else { throw .notAbsolute }
        let components = try Self.components(raw)
        let folder = "/" + components.joined(separator: "/")
        // The deepest root the folder is under (roots may nest).
        let candidates = roots.compactMap { root -> (String, [String])? in
            guard let parts = try? Self.components(root), !parts.isEmpty else { return nil }
            return components.starts(with: parts) ? ("/" + parts.joined(separator: "/"), parts) : nil
        }
        guard let (root, rootParts) = candidates.max(by: { $0.1.count < $1.1.count }) else {
            throw .outsideRoots(roots: roots)
        }
        guard let realRoot = fileSystem.realPath(root), fileSystem.kind(of: realRoot) == .directory else { throw .rootUnavailable(root) }
        if fileSystem.exportID(inFolder: root) != nil { throw .insideExport(root) }
        var path = root
        var deepestExisting = root
        var missing: [String] = []
        for name in components.dropFirst(rootParts.count) {
            path += "/" + name
            if !missing.isEmpty {
                missing.append(name)
                continue
            }
            switch fileSystem.kind(of: path) {
            case .missing: missing.append(name)
            case .symlink: throw .symlink(path)
            case .file, .other: throw .notAFolder(path)
            case .directory:
                if fileSystem.exportID(inFolder: path) != nil { throw .insideExport(path) }
                deepestExisting = path
            }
        }
        // Belt and braces: what exists of the path resolves under the root (a link raced in, a
        // bind mount).
        guard let resolved = fileSystem.realPath(deepestExisting), resolved == realRoot || resolved.hasPrefix(realRoot + "/") else {
            throw .escapesRoot(folder)
        }
        return ExportDestination(root: root, folder: folder, missing: missing)
    }

    /// The non-empty components of an absolute path; `.` and `..` and over-long names refused.
    static func components(_ path: String) throws(Problem) -> [String] {
        var parts: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." || part == ".." { throw .relativeComponent(String(part)) }
            if part.utf8.count > maxComponentBytes { throw .componentTooLong(String(part)) }
            parts.append(String(part))
        }
        return parts
    }

    /// The export's own folder inside the destination: `ronin-export-<local start>-<id8>`, e.g.
    /// `ronin-export-2026-11-25_03-00-00-1a2b3c4d`.
    public static func exportFolderName(start: Date, zone: TimeZone, id: UUID) -> String {
        "ronin-export-\(LocalCalendar.dateString(start, in: zone))_\(ExportFileName.clock(start, zone))-\(id.uuidString.lowercased().prefix(8))"
    }
}
