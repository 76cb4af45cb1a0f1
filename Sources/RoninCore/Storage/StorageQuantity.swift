import Foundation

/// Durations and sizes as storage settings spell them (docs/design/tiers.md, Policies).
///
/// Durations: a number with a unit, `90s`, `15m`, `12h`, `7d`, `2w` (fractions allowed,
/// `1.5d`); a bare number is days when `bareUnit` says so (RETENTION_DAYS). Sizes: gigabytes,
/// fractions allowed (`0.5` is 500 MB), or with a unit `500MB`, `2TB`, `1.5GB` (powers of
/// 1000, as disks are sold). Zero and negative values are refused: a limit of nothing is
/// written by leaving the setting out.
public enum StorageQuantity {
    /// Why a value could not be read.
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    static let durationUnits: [(suffix: String, seconds: Double)] = [
        ("w", 7 * 86_400), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1),
    ]
    static let sizeUnits: [(suffix: String, bytes: Double)] = [
        ("tb", 1e12), ("gb", 1e9), ("mb", 1e6), ("kb", 1e3), ("t", 1e12), ("g", 1e9), ("m", 1e6), ("k", 1e3), ("b", 1),
    ]

    /// Seconds in `text`; a bare number counts in `bareUnit` seconds (nil: a unit is required).
    public static func seconds(_ text: String, bareUnit: Double? = nil) throws(Invalid) -> TimeInterval {
        let raw = text.trimmingCharacters(in: .whitespaces).lowercased()
        var seconds: Double
        if let unit = durationUnits.first(where: { raw.hasSuffix($0.suffix) }) {
            seconds = try positive(String(raw.dropLast(unit.suffix.count)), text) * unit.seconds
        } else if let bareUnit {
            seconds = try positive(raw, text) * bareUnit
        } else {
            throw Invalid(description: "'\(text)' is not a duration: write a number and a unit, such as 90s, 12h or 7d")
        }
        guard seconds >= 1, seconds <= maxSeconds else { throw Invalid(description: "'\(text)' must be from 1 second to 100 years") }
        return seconds
    }

    /// A hundred years: longer is a typing mistake.
    public static let maxSeconds: TimeInterval = 100 * 365 * 86_400

    /// Bytes in `text`: gigabytes unless a unit says otherwise.
    public static func bytes(_ text: String) throws(Invalid) -> Int64 {
        let raw = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "")
        var value: Double
        var scale = 1e9
        if let unit = sizeUnits.first(where: { raw.hasSuffix($0.suffix) && Double(raw.dropLast($0.suffix.count)) != nil }) {
            value = try positive(String(raw.dropLast(unit.suffix.count)), text)
            scale = unit.bytes
        } else {
            value = try positive(raw, text)
        }
        value *= scale
        guard value >= 1, value < 9e18 else { throw Invalid(description: "'\(text)' is not a size this disk could hold") }
        return Int64(value)
    }

    /// `90 s`, `12 h`, `7 d`: the largest whole unit that fits, for messages and the UI.
    public static func describe(seconds: TimeInterval) -> String {
        for unit in durationUnits where seconds >= unit.seconds && seconds.truncatingRemainder(dividingBy: unit.seconds) == 0 {
            return "\(Int(seconds / unit.seconds))\(unit.suffix)"
        }
        return String(format: "%gs", seconds)
    }

    private static func positive(_ number: String, _ original: String) throws(Invalid) -> Double {
        guard let value = Double(number.trimmingCharacters(in: .whitespaces)), value.isFinite, value > 0 else {
            throw Invalid(description: "'\(original)' must be a number greater than zero")
        }
        return value
    }
}
