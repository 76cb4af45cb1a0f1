import Foundation

/// Decides which sign-in attempts may be evaluated, from the failures (and the attempts still
/// being evaluated) over a sliding window. Pure: time is passed in; the server keeps one in an
/// actor.
///
/// Three counters, each over `window` seconds:
/// - per **username and source**: `perSource` failures lock that username for that source
///   only, so a stranger guessing `admin` from one machine does not lock the owner out. The
///   source is the client's address, or the device a browser proved it is (a cookie given at
///   an earlier successful sign-in), which is how the owner's own browser keeps its own count;
/// - per **client address** across usernames: `perClient` failures lock the address
///   (password spraying);
/// - per **username** across sources: a slower ceiling, `perUsername`, against guessing from
///   many addresses. Known devices are exempt from this and from the client limit: only one
///   that signed in successfully has such a cookie.
///
/// `begin` checks and reserves in one step: an attempt in flight counts as a failure until
/// `finish` says how it ended, so forty attempts sent at once cannot all be evaluated. A success
/// clears the username-and-source count (not the client's, so one client cannot unlock itself by
/// signing in to a second account).
///
/// Memory is bounded whatever clients send: at most `maxKeys` keys per counter (expired ones
/// dropped first, then the oldest), and at most `limit` timestamps per key.
public struct SignInThrottle: Sendable {
    /// How many failures each counter allows within the window.
    public struct Limits: Sendable, Equatable {
        public var perSource: Int
        public var perClient: Int
        public var perUsername: Int

        public init(perSource: Int, perClient: Int, perUsername: Int) {
            self.perSource = perSource
            self.perClient = perClient
            self.perUsername = perUsername
        }
    }

    /// An attempt admitted for evaluation; hand it back to `finish`.
    public struct Attempt: Sendable, Equatable {
        let keys: [Key]
    }

    /// The answer to `begin`.
    public enum Admission: Sendable, Equatable {
        case admitted(Attempt)
        /// Locked: try again in this many seconds.
        case refused(retryAfter: Int)
    }

    enum Counter: Sendable { case source, client, username }

    struct Key: Hashable, Sendable {
        let counter: Counter
        let value: String
    }

    private struct Entry: Sendable {
        var failures: [Date] = []
        var inFlight = 0
        var lastSeen: Date
    }

    public let limits: Limits
    public let window: TimeInterval
    public let maxKeys: Int
    private var sources: [String: Entry] = [:]
    private var clients: [String: Entry] = [:]
    private var usernames: [String: Entry] = [:]

    public init(limits: Limits, window: TimeInterval, maxKeys: Int = 50_000) {
        self.limits = limits
        self.window = window
        self.maxKeys = max(1, maxKeys)
    }

    /// Checks whether `username` may be tried now from `client` (or from the known `device`),
    /// and if so reserves the attempt.
    public mutating func begin(username: String, client: String, device: String? = nil, now: Date) -> Admission {
        let name = username.lowercased()
        var keys = [Key(counter: .source, value: name + "\u{1F}" + (device.map { "device:" + $0 } ?? client))]
        if device == nil {
            keys.append(Key(counter: .client, value: client))
            keys.append(Key(counter: .username, value: name))
        }
        let waits = keys.compactMap { wait(for: $0, now: now) }
        if let longest = waits.max() { return .refused(retryAfter: longest) }
        for key in keys { update(key, now: now) { $0.inFlight += 1 } }
        return .admitted(Attempt(keys: keys))
    }

    /// Ends an attempt: a failure is counted, a success clears the username-and-source count.
    public mutating func finish(_ attempt: Attempt, succeeded: Bool, now: Date) {
        for key in attempt.keys {
            update(key, now: now) { entry in
                entry.inFlight = max(0, entry.inFlight - 1)
                if succeeded {
                    if key.counter == .source { entry.failures = [] }
                } else {
                    entry.failures.append(now)
                }
            }
        }
        for key in attempt.keys { trim(key, now: now) }
    }

    /// How many keys a counter holds now (for tests of the memory bound).
    func keyCount(_ counter: Counter) -> Int { table(counter).count }

    private func table(_ counter: Counter) -> [String: Entry] {
        switch counter {
        case .source: sources
        case .client: clients
        case .username: usernames
        }
    }

    /// Changes one counter's table in place (no copy of the table).
    private mutating func modify<Result>(_ counter: Counter, _ body: (inout [String: Entry]) -> Result) -> Result {
        switch counter {
        case .source: body(&sources)
        case .client: body(&clients)
        case .username: body(&usernames)
        }
    }

    private func limit(_ counter: Counter) -> Int {
        switch counter {
        case .source: limits.perSource
        case .client: limits.perClient
        case .username: limits.perUsername
        }
    }

    /// Seconds until `key` is below its limit again, or nil when it is below now.
    private func wait(for key: Key, now: Date) -> Int? {
        guard let entry = table(key.counter)[key.value] else { return nil }
        let recent = entry.failures.filter { now.timeIntervalSince($0) < window }
        let limit = limit(key.counter)
        guard recent.count + entry.inFlight >= limit else { return nil }
        // Attempts in flight end within seconds; failures age out of the window.
        guard recent.count >= limit else { return 1 }
        let unlock = recent[recent.count - limit].addingTimeInterval(window)
        return max(1, Int(unlock.timeIntervalSince(now).rounded(.up)))
    }

    private mutating func update(_ key: Key, now: Date, _ change: (inout Entry) -> Void) {
        let (maxKeys, window) = (maxKeys, window)
        modify(key.counter) { table in
            if table[key.value] == nil, table.count >= maxKeys { Self.evict(from: &table, maxKeys: maxKeys, window: window, now: now) }
            change(&table[key.value, default: Entry(lastSeen: now)])
            table[key.value]?.lastSeen = now
        }
    }

    /// Drops failures older than the window, keeps at most the counter's limit of them, and
    /// forgets a key with nothing left.
    private mutating func trim(_ key: Key, now: Date) {
        let (limit, window) = (limit(key.counter), window)
        modify(key.counter) { table in
            guard var entry = table[key.value] else { return }
            entry.failures.removeAll { now.timeIntervalSince($0) >= window }
            if entry.failures.count > limit { entry.failures.removeFirst(entry.failures.count - limit) }
            table[key.value] = entry.failures.isEmpty && entry.inFlight == 0 ? nil : entry
        }
    }

    /// Makes room in a full table: expired keys go first, then the tenth least recently seen
    /// (so a flood of new keys costs one sort per tenth of the table, not one per key).
    private static func evict(from table: inout [String: Entry], maxKeys: Int, window: TimeInterval, now: Date) {
        table = table.filter { _, entry in
            entry.inFlight > 0 || entry.failures.contains { now.timeIntervalSince($0) < window }
        }
        guard table.count >= maxKeys else { return }
        let idle = table.filter { $0.value.inFlight == 0 }.sorted { $0.value.lastSeen < $1.value.lastSeen }
        for (key, _) in idle.prefix(max(1, maxKeys / 10)) { table[key] = nil }
    }
}
