import Foundation

/// What the bus carries: an event written or updated, and what live detection sees on a camera.
enum BusMessage: Sendable {
    case activity(EventResponse)
    case presence(camera: UUID, objects: [String: Int])
    case deleted(event: UUID)
}

/// The in-process publish/subscribe of events (docs/design/events.md): the event stream, the
/// notifier and later MQTT and metrics subscribe; live detection and the event store publish.
///
/// Publishing never waits: each subscriber has its own bounded buffer, and one that falls behind
/// loses its oldest messages, never slowing the publisher or the other subscribers.
final class EventBus: @unchecked Sendable {
    static let bufferPerSubscriber = 256

    private let lock = NSLock()
    private var subscribers: [UUID: AsyncStream<BusMessage>.Continuation] = [:]
    private var closed = false

    /// Messages published from now on, until the stream is dropped or cancelled.
    func subscribe() -> AsyncStream<BusMessage> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: BusMessage.self, bufferingPolicy: .bufferingNewest(Self.bufferPerSubscriber))
        continuation.onTermination = { [weak self] _ in
            self?.locked { $0[id] = nil }
        }
        let isClosed = locked { subscribers -> Bool in
            if closed { return true }
            subscribers[id] = continuation
            return false
        }
        if isClosed { continuation.finish() }
        return stream
    }

    func publish(_ message: BusMessage) {
        for continuation in locked({ Array($0.values) }) { continuation.yield(message) }
    }

    /// Ends every subscription (at shutdown, so long-lived streams let the server stop).
    func close() {
        let all = locked { subscribers -> [AsyncStream<BusMessage>.Continuation] in
            closed = true
            return Array(subscribers.values)
        }
        for continuation in all { continuation.finish() }
    }

    var subscriberCount: Int { locked { $0.count } }

    private func locked<T>(_ body: (inout [UUID: AsyncStream<BusMessage>.Continuation]) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&subscribers)
    }
}
