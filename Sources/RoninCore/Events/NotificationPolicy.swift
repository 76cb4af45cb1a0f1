import Foundation

/// Decides which activity events notify people, so a busy doorway sends one alert, not fifty.
///
/// Rules (docs/design/events.md, Notifications):
/// - A key is (camera, class, kind). An event is sent unless its key sent one less than
///   `cooldown` seconds ago: another class, or another kind (a departure after an arrival, a state
///   change), has its own key and is never swallowed by the first one's cooldown.
/// - Each camera sends at most `maxPerHour` events in any sliding hour, whatever their keys.
/// - Only sent events start a cooldown or count towards the cap.
///
/// Memory stays bounded: keys whose cooldown is over and sends older than an hour are forgotten.
public struct NotificationPolicy: Sendable {
    /// What the policy groups events by.
    public struct Key: Hashable, Sendable {
        public let camera: UUID
        public let className: String
        public let kind: ActivityKind

        public init(camera: UUID, className: String, kind: ActivityKind) {
            self.camera = camera
            self.className = className
            self.kind = kind
        }
    }

    /// Whether to notify, and if not, why not.
    public enum Decision: Equatable, Sendable {
        case send
        /// The same camera, class and kind sent one recently; quiet until `until`.
        case coolingDown(until: Date)
        /// The camera already sent `maxPerHour` in the past hour.
        case hourlyCapReached
    }

    public let cooldown: TimeInterval
    public let maxPerHour: Int
    private var lastSent: [Key: Date] = [:]
    private var sentByCamera: [UUID: [Date]] = [:]

    public init(cooldown: TimeInterval, maxPerHour: Int) {
        self.cooldown = max(0, cooldown)
        self.maxPerHour = max(0, maxPerHour)
    }

    /// Decides about one event at `now`, and remembers it when it is sent. `cooldown` overrides
    /// the policy's own for this event (a camera's own setting).
    public mutating func decide(_ key: Key, at now: Date, cooldown override: TimeInterval? = nil) -> Decision {
        forget(before: now)
        let cooldown = max(0, override ?? self.cooldown)
        if let last = lastSent[key], now.timeIntervalSince(last) < cooldown, now >= last {
            return .coolingDown(until: last.addingTimeInterval(cooldown))
        }
        let recent = sentByCamera[key.camera, default: []].filter { now.timeIntervalSince($0) < 3600 }
        if recent.count >= maxPerHour { return .hourlyCapReached }
        lastSent[key] = now
        sentByCamera[key.camera] = recent + [now]
        return .send
    }

    /// How many keys the policy remembers (for tests of its bound).
    public var rememberedKeys: Int { lastSent.count }

    private mutating func forget(before now: Date) {
        guard lastSent.count > 256 || sentByCamera.count > 256 else { return }
        let horizon = max(cooldown, 3600) * 2
        lastSent = lastSent.filter { now.timeIntervalSince($0.value) < horizon }
        sentByCamera = sentByCamera.compactMapValues { times in
            let kept = times.filter { now.timeIntervalSince($0) < 3600 }
            return kept.isEmpty ? nil : kept
        }
    }
}
