import Foundation

/// Any JSON value, decoded strictly (a number is never a boolean, nor the other way round).
enum JSONValue: Sendable, Decodable, Equatable {
    case bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue]), null

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }
}

/// One object of a configuration file with typed, range-checked getters; errors name the file
/// and the dotted key path (`activity.confirm_hits`).
struct JSONSection: Sendable {
    let source: String
    let path: String
    let values: [String: JSONValue]

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func problem(_ key: String, _ message: String) -> PipelineConfigFile.Problem {
        PipelineConfigFile.Problem(message: "\(source): \(name(key)) \(message)")
    }

    func requireKnown(_ keys: [String]) throws(PipelineConfigFile.Problem) {
        if let unknown = values.keys.sorted().first(where: { !keys.contains($0) }) {
            throw problem(unknown, "is not a known setting (known: \(keys.joined(separator: ", ")))")
        }
    }

    func number(_ key: String, _ range: ClosedRange<Double>) throws(PipelineConfigFile.Problem) -> Double? {
        guard let value = values[key] else { return nil }
        guard case .number(let number) = value, range.contains(number) else {
            throw problem(key, "must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    func integer(_ key: String, _ range: ClosedRange<Int>) throws(PipelineConfigFile.Problem) -> Int? {
        guard let value = values[key] else { return nil }
        guard case .number(let number) = value, number.rounded() == number, range.contains(Int(exactly: number) ?? Int.min) else {
            throw problem(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return Int(number)
    }

    func flag(_ key: String) throws(PipelineConfigFile.Problem) -> Bool? {
        guard let value = values[key] else { return nil }
        guard case .bool(let flag) = value else { throw problem(key, "must be true or false") }
        return flag
    }

    func strings(_ key: String) throws(PipelineConfigFile.Problem) -> [String]? {
        guard let value = values[key] else { return nil }
        guard let list = Self.nonEmptyStrings(value) else { throw problem(key, "must be a non-empty list of class names") }
        return list
    }

    func stringGroups(_ key: String) throws(PipelineConfigFile.Problem) -> [[String]]? {
        guard let value = values[key] else { return nil }
        guard case .array(let items) = value else { throw problem(key, "must be a list of lists of class names") }
        var groups: [[String]] = []
        for item in items {
            guard let group = Self.nonEmptyStrings(item) else { throw problem(key, "must be a list of lists of class names") }
            groups.append(group)
        }
        return groups
    }

    func section(_ key: String) throws(PipelineConfigFile.Problem) -> JSONSection? {
        guard let value = values[key] else { return nil }
        guard case .object(let object) = value else { throw problem(key, "must be a JSON object") }
        return JSONSection(source: source, path: name(key), values: object)
    }

    private static func nonEmptyStrings(_ value: JSONValue) -> [String]? {
        guard case .array(let items) = value, !items.isEmpty else { return nil }
        var strings: [String] = []
        for item in items {
            guard case .string(let text) = item, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            strings.append(text)
        }
        return strings
    }
}
