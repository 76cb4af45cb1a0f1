import Foundation
import Logging
import RoninCore

/// What happens after an event is written or updated, wherever it came from: it is published
/// on the bus, its artifacts jobs are queued, and (live events only) the notifier decides
/// whether to tell people.
struct EventFlow: Sendable {
    let store: EventStore
    let bus: EventBus
    let queue: JobQueue
    let notifier: Notifier
    let postSeconds: Double
    let logger: Logger

    /// A new event: publish, make its snapshot, notify.
    /// `artifactsMadeElsewhere`: another event's job makes its files (a departure beside the
    /// arrival it closes).
    func written(_ event: EventModel, artifactsMadeElsewhere: Bool = false) async {
        await publish(event)
        if !artifactsMadeElsewhere { await queueArtifacts(event, generation: 1) }
        if event.source == EventModel.Source.live.rawValue { await notifier.consider(event) }
    }

    /// An event that closed (its object left, or the watch ended): publish, make its snapshot again
    /// from the whole event (and, when it is locked, its mosaic and clip), also for `shared`
    /// events of the same object and time.
    func closed(_ event: EventModel, shared: [UUID] = []) async {
        await publish(event)
        await queueArtifacts(event, generation: 2, shared: shared)
    }

    /// Queues an event's own artifacts job (when the event it was to share them with is gone).
    func makeArtifacts(of event: EventModel) async {
        await queueArtifacts(event, generation: 1)
    }

    private func publish(_ event: EventModel) async {
        do {
            bus.publish(.activity(try await store.response(event)))
        } catch {
            logger.warning("Cannot publish event \(event.id?.uuidString ?? "?"): \(error)")
        }
    }

    private func queueArtifacts(_ event: EventModel, generation: Int, shared: [UUID] = []) async {
        let over = !event.ongoing
        // The file holds a moment about a second after it happened (one fragment).
        let runAt = over ? (event.end ?? event.lastSeen).addingTimeInterval(postSeconds + 2)
                         : (event.bestBox?.time ?? event.start).addingTimeInterval(1.5)
        do {
            _ = try await queue.enqueue(ArtifactJobHandler.job(for: event, final: over, generation: generation, runAt: max(runAt, Date()), shared: shared))
        } catch {
            logger.warning("Cannot queue the artifacts of event \(event.id?.uuidString ?? "?"): \(error)")
        }
    }
}

/// Sends notifications of live events as `NotificationPolicy` allows: one `webhook` job per
/// receiver. Remembers what it decided, for the status.
actor Notifier {
    /// What the notifier did, for `GET /api/ml/status`.
    struct Counts: Sendable, Codable {
        var sent = 0
        var cooling_down = 0
        var hourly_cap = 0
    }

    private var policy: NotificationPolicy
    private(set) var counts = Counts()
    let urls: [String]
    let queue: JobQueue
    let cooldown: @Sendable (UUID) async -> Double?
    let logger: Logger

    init(cooldown defaultCooldown: Double, maxPerHour: Int, urls: [String], queue: JobQueue,
         cameraCooldown: @escaping @Sendable (UUID) async -> Double?, logger: Logger) {
        policy = NotificationPolicy(cooldown: defaultCooldown, maxPerHour: maxPerHour)
        self.urls = urls
        self.queue = queue
        cooldown = cameraCooldown
        self.logger = logger
    }

    func consider(_ event: EventModel, now: Date = Date()) async {
        guard let kind = ActivityKind(rawValue: event.kind) else { return }
        let key = NotificationPolicy.Key(camera: event.cameraID, className: event.className, kind: kind)
        let cameraCooldown = await cooldown(event.cameraID)
        switch policy.decide(key, at: now, cooldown: cameraCooldown) {
        case .send:
            counts.sent += 1
            for url in urls {
                do {
                    _ = try await queue.enqueue(WebhookJobHandler.job(event: event, url: url))
                } catch {
                    logger.warning("Cannot queue the webhook to \(WebhookJobHandler.display(url)): \(error)")
                }
            }
        case .coolingDown:
            counts.cooling_down += 1
        case .hourlyCapReached:
            counts.hourly_cap += 1
            logger.notice("Camera \(event.cameraID): \(policy.maxPerHour) notifications in the past hour; quiet until the hour has passed")
        }
    }
}
