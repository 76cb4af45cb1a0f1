import Foundation
import Hummingbird
import ServiceLifecycle

/// `GET /api/events/stream`: Server-Sent Events of the bus for browsers (docs/api.md, Events):
/// `event: activity`, `event: presence` (what each camera sees now first, then every change) and
/// `event: deleted` messages, and a comment every 15 s that keeps
/// proxies and the idle timeout from closing the connection. A client that reads too slowly
/// loses its oldest messages (the bus's bounded buffer), never slowing anyone else.
struct EventStreamController {
    static let keepAlive: Duration = .seconds(15)

    let bus: EventBus
    /// What live detection sees now, sent first so a new page shows it without waiting for a change.
    let board: LiveStatusBoard

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.get, "/api/events/stream", "Events as they happen (Server-Sent Events)", tag: "events", access: .signedIn)
            .returns(200, "text/event-stream: activity and presence messages", nil, contentType: "text/event-stream"), handler: stream)
    }

    @Sendable func stream(_ request: Request, context: RoninRequestContext) async throws -> Response {
        let messages = bus.subscribe()
        let current = board.all.filter { !$0.objects.isEmpty }.compactMap { Self.text(.presence(camera: $0.camera_id, objects: $0.objects)) }
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store", .init("X-Accel-Buffering")!: "no"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            let (lines, sink) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(EventBus.bufferPerSubscriber))
            let forward = Task {
                for await message in messages { if let text = Self.text(message) { sink.yield(text) } }
                sink.finish()
            }
            let ticks = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: Self.keepAlive)
                    sink.yield(": keep-alive\n\n")
                }
            }
            defer {
                forward.cancel()
                ticks.cancel()
            }
            try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n" + current.joined()))
            for await line in lines { try await writer.write(ByteBuffer(string: line)) }
            try await writer.finish(nil)
        })
    }

    /// One message in the event-stream format.
    static func text(_ message: BusMessage) -> String? {
        let encoder = JSONEncoder.api
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        switch message {
        case .activity(let event):
            guard let data = try? encoder.encode(event) else { return nil }
            return "event: activity\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
        case .presence(let camera, let objects):
            struct Presence: Encodable { let camera_id: UUID; let objects: [String: Int] }
            guard let data = try? encoder.encode(Presence(camera_id: camera, objects: objects)) else { return nil }
            return "event: presence\ndata: \(String(decoding: data, as: UTF8.self))\n\n"
        case .deleted(let event):
            return "event: deleted\ndata: {\"id\":\"\(event.uuidString)\"}\n\n"
        }
    }
}

/// Ends the event streams when the server stops, so the web server's graceful shutdown does
/// not wait for them. Runs last in the service group, and so is told to stop first.
struct EventStreamCloser: Service {
    let bus: EventBus

    func run() async throws {
        try? await gracefulShutdown()
        bus.close()
    }
}

/// Service lifecycle logs its services by description: a name, not a dump of what it holds.
extension EventStreamCloser: CustomStringConvertible {
    var description: String { "EventStreamCloser" }
}
