import Foundation

/// Reads class names from a model's `names` metadata, in either form detectors ship:
/// a JSON list (`["person", "bicycle"]`, our converted models) or a dict keyed by class index,
/// as JSON (`{"0": "person"}`) or as ultralytics writes it, a Python literal
/// (`{0: 'person', 1: 'bicycle'}`). Returns nil for anything else, so a model with unreadable
/// names still runs with generic `class<N>` names.
public enum ModelClassNames {
    public static func parse(_ text: String) -> [String]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let data = trimmed.data(using: .utf8), let json = try? JSONSerialization.jsonObject(with: data) {
            if let list = json as? [String] { return list }
            if let dict = json as? [String: String] { return ordered(dict.map { ($0.key, $0.value) }) }
            return nil
        }
        return parsePythonDict(trimmed)
    }

    /// Entries "index: name" placed by index; nil when an index is not a number or one is missing.
    private static func ordered(_ pairs: [(String, String)]) -> [String]? {
        var byIndex: [Int: String] = [:]
        for (key, name) in pairs {
            guard let index = Int(key.trimmingCharacters(in: .whitespaces)), index >= 0 else { return nil }
            byIndex[index] = name
        }
        guard !byIndex.isEmpty, byIndex.keys.max() == byIndex.count - 1 else { return nil }
        return (0..<byIndex.count).map { byIndex[$0]! }
    }

    /// `{0: 'person', 1: "traffic light"}` with Python's quoting and backslash escapes.
    private static func parsePythonDict(_ text: String) -> [String]? {
        var scanner = Substring(text)
        guard scanner.first == "{", scanner.last == "}" else { return nil }
        scanner = scanner.dropFirst().dropLast()
        var pairs: [(String, String)] = []
        while true {
            scanner = scanner.drop(while: { $0.isWhitespace || $0 == "," })
            if scanner.isEmpty { break }
            let key = scanner.prefix(while: { $0 != ":" })
            guard key.count < scanner.count else { return nil }
            scanner = scanner.dropFirst(key.count + 1).drop(while: \.isWhitespace)
            guard let quote = scanner.first, quote == "'" || quote == "\"" else { return nil }
            scanner = scanner.dropFirst()
            var name = ""
            var closed = false
            while let character = scanner.popFirst() {
                if character == "\\", let escaped = scanner.popFirst() {
                    name.append(escaped)
                } else if character == quote {
                    closed = true
                    break
                } else {
                    name.append(character)
                }
            }
            guard closed else { return nil }
            pairs.append((String(key), name))
        }
        return ordered(pairs)
    }
}
