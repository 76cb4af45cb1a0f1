import Foundation
import Logging
import ServiceLifecycle

/// Carries what a live worker on another machine puts on its event bus to the server's bus, over
/// PostgreSQL's NOTIFY (docs/design/events.md, Live workers), so the server's event stream, badge
/// and presence show the worker's cameras as they show its own. The worker sends, in order; the
/// server listens, reads each event again from the database (the message names only its id) and
/// publishes it. A message lost while the connection is down costs the stream that message; the
/// events themselves are in the database.
struct EventBusLink: Sendable {
    static let channel = "ronin_events"

    /// What goes over the channel.
    struct Wire: Codable, Sendable {
        var type: String
        var event: UUID?
        var camera: UUID?
        var objects: [String: Int]?
    }

    let notifications: DatabaseNotifications
    let logger: Logger

    /// Worker side: sends every message published on `bus` until the task is cancelled.
    func send(from bus: EventBus) async {
        for await message in bus.subscribe() {
            let wire: Wire
            switch message {
            case .activity(let event): wire = Wire(type: "activity", event: event.id)
            case .presence(let camera, let objects): wire = Wire(type: "presence", camera: camera, objects: objects)
            case .deleted(let event): wire = Wire(type: "deleted", event: event)
            }
            guard let payload = try? String(decoding: JSONEncoder().encode(wire), as: UTF8.self) else { continue }
            do {
                try await notifications.send(Self.channel, payload)
            } catch {
                logger.warning("Cannot pass an event on to the server: \(error)")
            }
        }
    }

    /// Server side: publishes on `bus` what workers send, until the task is cancelled.
    func receive(into bus: EventBus, store: EventStore, board: LiveStatusBoard) async {
        await notifications.listen(Self.channel, what: "events of live workers") { payload in
            guard let wire = try? JSONDecoder().decode(Wire.self, from: Data(payload.utf8)) else { return }
            switch wire.type {
            case "activity":
                guard let id = wire.event, let event = try? await store.find(id), let response = try? await store.response(event) else { return }
                bus.publish(.activity(response))
            case "presence":
                guard let camera = wire.camera else { return }
                let objects = wire.objects ?? [:]
                board.update(camera) { $0.objects = objects }
                bus.publish(.presence(camera: camera, objects: objects))
            case "deleted":
                if let id = wire.event { bus.publish(.deleted(event: id)) }
            default:
                return
            }
        }
    }
}

/// Runs one end of an `EventBusLink` as a service: a worker sends until it stops (the messages
/// its last watches publish go out first); the server receives until it stops.
struct EventBusLinkService: Service {
    enum End: Sendable {
        case send
        case receive(store: EventStore, board: LiveStatusBoard)
    }

    let link: EventBusLink
    let bus: EventBus
    let end: End

    func run() async throws {
        switch end {
        case .send:
            async let sending: Void = link.send(from: bus)
            try? await gracefulShutdown()
            bus.close()
            await sending
        case .receive(let store, let board):
            try? await cancelWhenGracefulShutdown { await link.receive(into: bus, store: store, board: board) }
        }
    }
}

/// Service lifecycle logs its services by description: a name, not a dump of what it holds.
extension EventBusLinkService: CustomStringConvertible {
    var description: String { "EventBusLinkService" }
}
