import Foundation

/// Parses `.env` files: `KEY=value` lines, `#` comments, an optional `export ` prefix, and
/// single- or double-quoted values (double quotes understand `\n`, `\t`, `\"` and `\\`).
/// Lines that are not assignments are reported, not ignored silently.
public enum DotEnvFile {
    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> [String: String] {
        var values: [String: String] = [:]
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(line: index + 1, message: "expected KEY=value")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !(key.first?.isNumber ?? true) else {
                throw ParseError(line: index + 1, message: "invalid variable name '\(key)'")
            }
            values[key] = try parseValue(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces), line: index + 1)
        }
        return values
    }

    static func parseValue(_ raw: String, line: Int) throws(ParseError) -> String {
        guard let quote = raw.first, quote == "\"" || quote == "'" else {
            // Unquoted: an inline comment starts at " #".
            if let comment = raw.range(of: " #") { return raw[..<comment.lowerBound].trimmingCharacters(in: .whitespaces) }
            return raw
        }
        var value = ""
        var escaped = false
        for char in raw.dropFirst() {
            if escaped {
                switch char {
                case "n": value.append("\n")
                case "t": value.append("\t")
                default: value.append(char)
                }
                escaped = false
            } else if char == "\\" && quote == "\"" {
                escaped = true
            } else if char == quote {
                return value
            } else {
                value.append(char)
            }
        }
        throw ParseError(line: line, message: "unterminated quoted value")
    }

    /// Reads and parses a file; a missing file is an empty set of values.
    public static func load(path: String) throws -> [String: String] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        return try parse(String(contentsOfFile: path, encoding: .utf8))
    }
}
