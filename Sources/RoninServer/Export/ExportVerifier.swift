import Foundation
import RoninCore

/// `ronin verify-export`: re-hashes every file of an export folder and compares the folder with
/// its `SHA256SUMS` and its `manifest.json` (sizes and SHA-256), without the NVR or its database.
/// Reports files missing, files that should not be there (a symbolic link never counts as a
/// file), files whose contents changed, and a checksum file or manifest that cannot be read or
/// that disagree with each other. Nothing outside the folder is read, whatever the lists say.
public enum ExportVerifier {
    /// What a check found.
    public struct Report: Sendable {
        /// Files in the folder that were hashed.
        public let files: Int
        public let differences: ExportDifferences
        /// The export the manifest names, when it could be read.
        public let exportID: String?
    }

    public static func verify(folder raw: String) throws -> Report {
        let path = raw.count > 1 && raw.hasSuffix("/") ? String(raw.dropLast()) : raw
        guard LocalExportFileSystem().kind(of: path) == .directory || LocalExportFileSystem().realPath(path).map({
            LocalExportFileSystem().kind(of: $0) == .directory }) == true else {
            throw CommandLineFailure(message: "\(raw) is not a folder")
        }
        let folder = ExportFolder(path: path)
        let fileSystem = LocalExportFileSystem()
        guard fileSystem.kind(of: folder.absolute(ExportChecksums.fileName)) == .file || fileSystem.kind(of: folder.absolute(ExportManifest.fileName)) == .file else {
            throw CommandLineFailure(message: "\(raw) is not an offline export: it has neither \(ExportChecksums.fileName) nor \(ExportManifest.fileName)")
        }
        var actual: [String: ExportFolder.Progress.Entry] = [:]
        for file in folder.regularFiles() {
            do {
                actual[file] = try ExportFolder.measure(folder.absolute(file))
            } catch {
                actual[file] = .init(size: -1, sha256: "unreadable")
            }
        }
        var differences = ExportDifferences()
        // Links and other non-files are never part of an export.
        differences.extra += strangers(in: folder)

        let hashes = actual.filter { $0.key != ExportChecksums.fileName }.mapValues(\.sha256)
        if let text = readText(folder.absolute(ExportChecksums.fileName)) {
            do {
                let sums = try ExportChecksums.parse(text)
                differences.merge(ExportChecksums.compare(expected: sums.entries, actual: hashes))
            } catch {
                differences.problems.append(error.description)
            }
        } else {
            differences.missing.append(ExportChecksums.fileName)
        }

        var exportID: String?
        if let data = FileManager.default.contents(atPath: folder.absolute(ExportManifest.fileName)),
           LocalExportFileSystem().kind(of: folder.absolute(ExportManifest.fileName)) == .file {
            do {
                let manifest = try ExportManifest.decode(data)
                exportID = manifest.exportID.uuidString.lowercased()
                differences.merge(compare(manifest: manifest, with: actual))
            } catch {
                differences.problems.append("manifest.json cannot be read: \(error)")
            }
        } else if !differences.missing.contains(ExportManifest.fileName) {
            differences.missing.append(ExportManifest.fileName)
        }
        differences.sort()
        return Report(files: actual.count, differences: differences, exportID: exportID)
    }

    /// The manifest's files against the folder: size and SHA-256 of each; anything in the folder
    /// that it does not list (besides itself and SHA256SUMS) is extra.
    static func compare(manifest: ExportManifest, with actual: [String: ExportFolder.Progress.Entry]) -> ExportDifferences {
        var differences = ExportDifferences()
        var listed: Set<String> = [ExportManifest.fileName, ExportChecksums.fileName]
        for file in manifest.files {
            guard ExportChecksums.isSafeRelativePath(file.path) else {
                differences.problems.append("manifest.json lists '\(file.path.prefix(80))', which is not a path inside the export")
                continue
            }
            listed.insert(file.path)
            guard let found = actual[file.path] else {
                differences.missing.append(file.path)
                continue
            }
            if found.size != file.size || found.sha256 != file.sha256.lowercased() { differences.changed.append(file.path) }
        }
        differences.extra = actual.keys.filter { !listed.contains($0) }
        differences.sort()
        return differences
    }

    /// Relative paths of whatever in the folder is neither a file nor a folder (links above all).
    static func strangers(in folder: ExportFolder) -> [String] {
        var found: [String] = []
        func walk(_ relative: String) {
            let current = relative.isEmpty ? folder.path : folder.absolute(relative)
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: current)) ?? []).sorted() {
                let child = relative.isEmpty ? name : relative + "/" + name
                switch LocalExportFileSystem().kind(of: folder.absolute(child)) {
                case .directory: walk(child)
                case .file, .missing: break
                case .symlink, .other: found.append(child)
                }
            }
        }
        walk("")
        return found
    }

    static func readText(_ file: String) -> String? {
        guard LocalExportFileSystem().kind(of: file) == .file, let data = FileManager.default.contents(atPath: file) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
