import Foundation

/// One local calendar day in a time zone, as the UTC instants it spans.
///
/// `start` is the first instant of the date in `timeZone` (local midnight, or the first instant
/// that exists when a DST jump skips midnight); `end` is the next date's `start`. A day is
/// 23 or 25 hours long on DST transition days.
public struct LocalDay: Sendable, Equatable {
    /// `YYYY-MM-DD`.
    public let date: String
    public let start: Date
    public let end: Date

    public var lengthSeconds: TimeInterval { end.timeIntervalSince(start) }
    /// Whole hours in the day: 24, or 23 / 25 on DST days (rounded for zones with half-hour shifts).
    public var hours: Int { Int((lengthSeconds / 3600).rounded()) }
}

/// Local dates and months in an IANA time zone, for the calendar and the day timeline.
/// Pure date arithmetic: no clock, no I/O.
public enum LocalCalendar {
    /// A calendar request that cannot be answered, with a message for the user.
    public struct InvalidInput: Error, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The time zone for an IANA name (`Europe/Berlin`); nil or empty means UTC.
    public static func timeZone(named name: String?) throws(InvalidInput) -> TimeZone {
        guard let name, !name.isEmpty else { return TimeZone(identifier: "UTC")! }
        guard name.count <= 64, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/_+-".contains($0)) }),
              let zone = TimeZone(identifier: name) else {
            throw InvalidInput(message: "'tz' must be an IANA time zone name such as Europe/Berlin")
        }
        return zone
    }

    /// The local day `YYYY-MM-DD` in `zone`.
    public static func day(_ date: String, in zone: TimeZone) throws(InvalidInput) -> LocalDay {
        let parts = date.split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              let start = startOfDay(year: year, month: month, day: day, in: zone) else {
            throw InvalidInput(message: "'date' must be a calendar date YYYY-MM-DD, got '\(date.prefix(40))'")
        }
        return make(start: start, in: zone)
    }

    /// Every local day of the month `YYYY-MM` in `zone`, in order.
    public static func month(_ month: String, in zone: TimeZone) throws(InvalidInput) -> [LocalDay] {
        let parts = month.split(separator: "-", omittingEmptySubsequences: false)
        guard month.count == 7, parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let year = Int(parts[0]), let number = Int(parts[1]),
              var start = startOfDay(year: year, month: number, day: 1, in: zone) else {
            throw InvalidInput(message: "'month' must be YYYY-MM, got '\(month.prefix(40))'")
        }
        var days: [LocalDay] = []
        let calendar = gregorian(zone)
        while calendar.component(.month, from: start) == number {
            let day = make(start: start, in: zone)
            days.append(day)
            start = day.end
        }
        return days
    }

    /// The local date (`YYYY-MM-DD`) of an instant in `zone`.
    public static func dateString(_ instant: Date, in zone: TimeZone) -> String {
        let c = gregorian(zone).dateComponents([.year, .month, .day], from: instant)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    static func make(start: Date, in zone: TimeZone) -> LocalDay {
        let calendar = gregorian(zone)
        // Noon of the next date always exists; its start of day is this day's end.
        let nextNoon = calendar.date(byAdding: .hour, value: 36, to: start)!
        let end = calendar.startOfDay(for: nextNoon)
        return LocalDay(date: dateString(start, in: zone), start: start, end: end)
    }

    static func startOfDay(year: Int, month: Int, day: Int, in zone: TimeZone) -> Date? {
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        let calendar = gregorian(zone)
        guard let noon = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: 12)),
              calendar.component(.day, from: noon) == day else { return nil }  // rejects 2026-02-30
        return calendar.startOfDay(for: noon)
    }

    static func gregorian(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
