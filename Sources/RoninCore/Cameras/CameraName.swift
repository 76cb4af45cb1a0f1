import Foundation

/// A camera's display name and the storage folder name derived from it.
///
/// The display name is what users typed, trimmed: 1 to 64 characters, no control characters.
/// The folder name is the display name made safe as one path component on any file system a
/// user might keep footage on (ext4, NTFS and exFAT over a share, S3 keys):
/// - path separators and characters Windows forbids (`/ \ : * ? " < > |`) become `_`;
/// - leading dots and trailing dots or spaces are dropped, so the result is never `.`, `..` or
///   hidden;
/// - Windows device names (`CON`, `NUL`, `COM1`, `LPT9`, … with or without an extension) get a
///   `_` after the name part (`nul.txt` → `nul_.txt`);
/// - the result is at most 64 UTF-8 bytes and never empty (`camera` stands in).
/// Uniqueness between cameras is the caller's job (see `uniqueFolderName`).
public struct CameraName: Sendable, Equatable {
    public static let maxLength = 64

    public let display: String
    public let folder: String

    /// Why a name was refused.
    public enum Problem: Error, Equatable, CustomStringConvertible {
        case empty
        case tooLong(Int)
        case controlCharacters

        public var description: String {
            switch self {
            case .empty: "name must not be empty"
            case .tooLong(let max): "name must be at most \(max) characters"
            case .controlCharacters: "name must not contain control characters"
            }
        }
    }

    public init(_ raw: String) throws(Problem) {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format && $0.value != 0x200D }) {
            throw .controlCharacters
        }
        guard !trimmed.isEmpty else { throw .empty }
        guard trimmed.count <= Self.maxLength else { throw .tooLong(Self.maxLength) }
        display = trimmed
        folder = Self.folderName(for: trimmed)
    }

    static let forbidden: Set<Character> = ["/", "\\", ":", "*", "?", "\"", "<", ">", "|"]
    static let deviceNames: Set<String> = {
        var names: Set<String> = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
        for n in 0...9 { names.insert("COM\(n)"); names.insert("LPT\(n)") }
        return names
    }()

    /// The safe folder name for an already validated display name.
    public static func folderName(for name: String) -> String {
        var folder = String(name.map { forbidden.contains($0) || $0.isNewline ? "_" : $0 })
        while folder.hasPrefix(".") { folder.removeFirst() }
        while let last = folder.last, last == "." || last == " " { folder.removeLast() }
        folder = folder.trimmingCharacters(in: .whitespaces)
        while folder.utf8.count > maxLength { folder.removeLast() }
        if folder.isEmpty { folder = "camera" }
        // Windows treats "NUL.txt" as the NUL device too: the suffix goes on the stem.
        let stem = folder.split(separator: ".", maxSplits: 1).first.map(String.init) ?? folder
        if deviceNames.contains(stem.uppercased().trimmingCharacters(in: .whitespaces)) {
            folder = stem + "_" + folder.dropFirst(stem.count)
        }
        return folder
    }

    /// `folder`, or `folder-2`, `folder-3`, … whichever is not yet taken (compared without case,
    /// since case-insensitive file systems would merge them).
    public static func uniqueFolderName(_ folder: String, taken: Set<String>) -> String {
        let lowered = Set(taken.map { $0.lowercased() })
        if !lowered.contains(folder.lowercased()) { return folder }
        var n = 2
        while lowered.contains("\(folder)-\(n)".lowercased()) { n += 1 }
        return "\(folder)-\(n)"
    }
}
