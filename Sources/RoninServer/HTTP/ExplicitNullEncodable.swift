/// Response types whose optional fields appear as `null` when absent, instead of being left
/// out as synthesized `Encodable` does, so clients see the same keys every time.
///
/// Conforming types are plain structs of stored properties whose labels are the JSON keys.
protocol ExplicitNullEncodable: Encodable {}

extension ExplicitNullEncodable {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        for child in Mirror(reflecting: self).children {
            guard let label = child.label else { continue }
            let key = AnyKey(stringValue: label)
            if case Optional<Any>.none = child.value as Any? ?? nil {
                try container.encodeNil(forKey: key)
            } else if let value = Self.unwrap(child.value) as? any Encodable {
                try container.encode(value, forKey: key)
            } else {
                try container.encodeNil(forKey: key)
            }
        }
    }

    /// The wrapped value of an optional, or the value itself.
    private static func unwrap(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}

/// A coding key made from any string.
struct AnyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
