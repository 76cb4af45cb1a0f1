import Foundation

/// Where the next page of a list ordered by (instant, id) begins: the last row's instant and id,
/// as an opaque URL-safe string (`v1.` then Base64URL of "seconds-bits:uuid", the instant's
/// exact bits). The next page holds the rows after it: a later instant, or the same instant
/// (within `sameInstant`) and a greater id. Clients pass it back unchanged; anything that does
/// not decode is refused, never guessed at.
public struct PageCursor: Sendable, Equatable {
    public let instant: Date
    public let id: UUID

    /// Instants closer than this count as the same one, ordered by id: a stored instant
    /// (seconds as a double in SQLite, whole microseconds in PostgreSQL) and the same instant
    /// read back and written again may differ in their last bit.
    public static let sameInstant: TimeInterval = 0.000_001

    /// The lower and upper bounds of "the same instant as the cursor's".
    public var instantBefore: Date { instant.addingTimeInterval(-Self.sameInstant) }
    public var instantAfter: Date { instant.addingTimeInterval(Self.sameInstant) }

    public init(instant: Date, id: UUID) {
        self.instant = instant
        self.id = id
    }

    public var encoded: String {
        let bits = String(instant.timeIntervalSince1970.bitPattern, radix: 16)
        let text = "\(bits):\(id.uuidString.lowercased())"
        return "v1." + Base64URL.encode(Array(text.utf8)).replacingOccurrences(of: "=", with: "")
    }

    public init?(encoded: String) {
        guard encoded.hasPrefix("v1."), encoded.utf8.count < 200, let bytes = Base64URL.decode(String(encoded.dropFirst(3))),
              let text = String(bytes: bytes, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let bits = UInt64(parts[0], radix: 16), let id = UUID(uuidString: String(parts[1])) else { return nil }
        let seconds = Double(bitPattern: bits)
        guard seconds.isFinite else { return nil }
        instant = Date(timeIntervalSince1970: seconds)
        self.id = id
    }
}
