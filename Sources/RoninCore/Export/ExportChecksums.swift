import Foundation

/// An export's `SHA256SUMS`: one line per file, `<sha256 hex>  <path relative to the export
/// folder>`, sorted by path, as `sha256sum` writes it and `sha256sum -c` reads it.
///
/// Paths are relative, `/`-separated, without `.` or `..` components: a checksum file read from a
/// stick someone handed over can never send a check outside the folder it describes. Names with a
/// backslash or a newline are written escaped, the line starting with `\`, as GNU coreutils does.
public struct ExportChecksums: Sendable, Equatable {
    /// File name inside the export folder.
    public static let fileName = "SHA256SUMS"

    /// Relative path → SHA-256, lower-case hex.
    public private(set) var entries: [String: String]

    public init(_ entries: [String: String] = [:]) {
        self.entries = entries
    }

    /// A line of the file that cannot be used, with its number (1-based).
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "SHA256SUMS line \(line): \(reason)" }
    }

    /// Reads the file's text; blank lines are allowed, anything else malformed is refused.
    public static func parse(_ text: String) throws(ParseError) -> ExportChecksums {
        var entries: [String: String] = [:]
        // "\r\n" is one Character to Swift: make every line end a plain "\n" first.
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for (index, raw) in lines.enumerated() {
            var line = Substring(raw)
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let number = index + 1
            let escaped = line.hasPrefix("\\")
            if escaped { line = line.dropFirst() }
            let hash = line.prefix(64)
            guard hash.count == 64, hash.allSatisfy({ $0.isHexDigit && $0.isASCII }) else {
                throw ParseError(line: number, reason: "expected 64 hexadecimal digits")
            }
            let rest = line.dropFirst(64)
            // Two spaces (text mode) or a space and `*` (binary mode) separate hash and name.
            guard rest.hasPrefix("  ") || rest.hasPrefix(" *") else { throw ParseError(line: number, reason: "expected two spaces after the checksum") }
            var path = String(rest.dropFirst(2))
            if escaped {
                guard let unescaped = unescape(path) else { throw ParseError(line: number, reason: "a bad escape in the file name") }
                path = unescaped
            }
            guard isSafeRelativePath(path) else { throw ParseError(line: number, reason: "'\(path.prefix(80))' is not a path inside the export") }
            guard entries[path] == nil else { throw ParseError(line: number, reason: "'\(path.prefix(80))' is listed twice") }
            entries[path] = hash.lowercased()
        }
        return ExportChecksums(entries)
    }

    /// Adds or replaces a file's checksum.
    public mutating func set(_ path: String, sha256: String) {
        entries[path] = sha256.lowercased()
    }

    /// The file's text: sorted by path (byte order), one line each, ending in a newline.
    public var text: String {
        entries.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map { path in
            let hash = entries[path]!
            if path.contains("\\") || path.contains("\n") {
                let escaped = path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
                return "\\\(hash)  \(escaped)\n"
            }
            return "\(hash)  \(path)\n"
        }.joined()
    }

    /// Whether `path` names something inside a folder: relative, with no empty, `.` or `..`
    /// components and no NUL byte.
    public static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.unicodeScalars.contains("\0"), path.utf8.count <= 4096 else { return false }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    /// What differs between the checksums a folder should have (`expected`) and those its files
    /// have now (`actual`), each relative path → SHA-256.
    public static func compare(expected: [String: String], actual: [String: String]) -> ExportDifferences {
        var differences = ExportDifferences()
        for (path, hash) in expected {
            guard let found = actual[path] else {
                differences.missing.append(path)
                continue
            }
            if found.lowercased() != hash.lowercased() { differences.changed.append(path) }
        }
        differences.extra = actual.keys.filter { expected[$0] == nil }
        differences.sort()
        return differences
    }

    static func unescape(_ text: String) -> String? {
        var result = ""
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            guard character == "\\" else {
                result.append(character)
                continue
            }
            switch iterator.next() {
            case "\\": result.append("\\")
            case "n": result.append("\n")
            default: return nil
            }
        }
        return result
    }
}

/// How an export folder differs from what its checksums and manifest say, each list sorted.
public struct ExportDifferences: Sendable, Equatable {
    /// Listed, but not in the folder.
    public var missing: [String] = []
    /// In the folder, but not listed.
    public var extra: [String] = []
    /// In the folder with other contents (or another size) than listed.
    public var changed: [String] = []
    /// Other problems (an unreadable or inconsistent manifest), for people.
    public var problems: [String] = []

    public init() {}

    public var isEmpty: Bool { missing.isEmpty && extra.isEmpty && changed.isEmpty && problems.isEmpty }

    /// Adds `other`'s findings, without repeating a path already listed.
    public mutating func merge(_ other: ExportDifferences) {
        missing = Array(Set(missing + other.missing))
        extra = Array(Set(extra + other.extra))
        changed = Array(Set(changed + other.changed))
        problems += other.problems.filter { !problems.contains($0) }
        sort()
    }

    /// Sorts each list.
    public mutating func sort() {
        missing.sort()
        extra.sort()
        changed.sort()
    }

    /// One line per finding: `missing: path`, `extra: path`, `changed: path`, `problem: text`.
    public var lines: [String] {
        missing.map { "missing: \($0)" } + extra.map { "extra: \($0)" } + changed.map { "changed: \($0)" } + problems.map { "problem: \($0)" }
    }
}
