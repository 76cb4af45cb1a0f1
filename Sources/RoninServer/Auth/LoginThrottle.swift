import Foundation

/// Counts failed sign-ins per username and per client address over a sliding window and
/// locks either out once it reaches its limit.
///
/// A locked username or client gets `429` until enough failures have aged out of the window,
/// whatever password it sends. A successful sign-in clears the username's failures (not the
/// client's, so one client cannot unlock itself by signing in to a second account). Memory is
/// bounded: at most `maxTrackedKeys` keys are kept, oldest dropped first.
actor LoginThrottle {
    let maxFailuresPerUser: Int
    let maxFailuresPerClient: Int
    let window: TimeInterval
    let maxTrackedKeys = 50_000

    private var userFailures: [String: [Date]] = [:]
    private var clientFailures: [String: [Date]] = [:]

    init(maxFailuresPerUser: Int, maxFailuresPerClient: Int, window: TimeInterval) {
        self.maxFailuresPerUser = maxFailuresPerUser
        self.maxFailuresPerClient = maxFailuresPerClient
        self.window = window
    }

    /// Seconds until this username and client may try again, or nil when they may now.
    func retryAfter(username: String, client: String, now: Date = Date()) -> Int? {
        let waits = [
            wait(in: &userFailures, key: username.lowercased(), limit: maxFailuresPerUser, now: now),
            wait(in: &clientFailures, key: client, limit: maxFailuresPerClient, now: now),
        ].compactMap { $0 }
        return waits.max()
    }

    func recordFailure(username: String, client: String, now: Date = Date()) {
        record(in: &userFailures, key: username.lowercased(), now: now)
        record(in: &clientFailures, key: client, now: now)
    }

    func recordSuccess(username: String) {
        userFailures[username.lowercased()] = nil
    }

    private func wait(in table: inout [String: [Date]], key: String, limit: Int, now: Date) -> Int? {
        guard var times = table[key] else { return nil }
        times.removeAll { now.timeIntervalSince($0) >= window }
        table[key] = times.isEmpty ? nil : times
        guard times.count >= limit else { return nil }
        // Locked until the failure that made the count reach the limit ages out.
        let unlock = times[times.count - limit].addingTimeInterval(window)
        return max(1, Int(unlock.timeIntervalSince(now).rounded(.up)))
    }

    private func record(in table: inout [String: [Date]], key: String, now: Date) {
        if table[key] == nil, table.count >= maxTrackedKeys {
            let stale = table.filter { ($0.value.last.map { now.timeIntervalSince($0) } ?? .infinity) >= window }.map(\.key)
            for k in stale { table[k] = nil }
            if table.count >= maxTrackedKeys, let oldest = table.min(by: { ($0.value.last ?? .distantPast) < ($1.value.last ?? .distantPast) })?.key {
                table[oldest] = nil
            }
        }
        table[key, default: []].append(now)
        if let count = table[key]?.count, count > 1000 { table[key]?.removeFirst(count - 1000) }
    }
}
