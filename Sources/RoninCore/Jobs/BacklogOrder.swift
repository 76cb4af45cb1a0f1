import Foundation

/// The order in which found footage is analysed: newest first, so the backlog left by an outage
/// or by detection being off fills in from the present backwards (what just happened matters
/// most). Jobs of one priority run by `run_at`, so each gets a `run_at` a millisecond after the
/// one before, starting at `now`, newest recording first. Pure.
public enum BacklogOrder {
    public static func runTimes<Item>(_ items: [Item], start: (Item) -> Date, now: Date) -> [(Item, Date)] {
        items.sorted { start($0) > start($1) }.enumerated().map { index, item in
            (item, now.addingTimeInterval(Double(index) / 1000))
        }
    }
}
