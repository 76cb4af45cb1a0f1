import Foundation
import NIOCore

/// What a live viewer is sent, in order.
enum LiveFeedMessage: Sendable {
    /// The stream (re)starts: its init segment and codecs; media that follows decodes from it.
    case start(LiveFeedStart)
    /// A fragment of media; `bytes` are shared by every viewer (never copied per viewer).
    case fragment(ByteBuffer)
    /// The viewer fell behind: what it had not been sent was dropped, and it goes on from the
    /// next keyframe.
    case skipped
    /// The camera's stream stopped (camera outage, ffmpeg restarting); a `start` follows when it
    /// comes back.
    case waiting
}

/// The start of a live stream for a viewer.
struct LiveFeedStart: Sendable {
    let initSegment: ByteBuffer
    let mimeType: String
    let codecs: String
    let width: Int?
    let height: Int?
}

/// One viewer's queue between a feed and its WebSocket (docs/design/live.md, Fan-out): bounded by
/// bytes, so a viewer that cannot keep up never makes the server buffer without bound nor slows
/// anyone else. Past `maxBytes` everything waiting is dropped, the viewer is told (`skipped`) and
/// resumes at the next keyframe. Thread-safe; one producer (the feed), one consumer (the socket).
final class LiveViewerQueue: @unchecked Sendable {
    let maxBytes: Int
    private let lock = NSLock()
    private var items: [LiveFeedMessage] = []
    private var head = 0
    private var bytes = 0
    private var skipping = false
    private var closed = false
    private var waiter: CheckedContinuation<LiveFeedMessage?, Never>?
    /// How often the viewer fell behind.
    private(set) var skips = 0

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    /// Queues a message; a fragment is dropped while the viewer waits for a keyframe.
    func offer(_ message: LiveFeedMessage, keyframe: Bool = false) {
        let resume: (CheckedContinuation<LiveFeedMessage?, Never>, LiveFeedMessage)? = lock.withLock {
            guard !closed else { return nil }
            var message = message
            if case .fragment(let buffer) = message {
                if skipping {
                    guard keyframe else { return nil }
                    skipping = false
                    enqueue(.skipped)
                } else if bytes + buffer.readableBytes > maxBytes {
                    items.removeAll(keepingCapacity: true)
                    head = 0
                    bytes = 0
                    skips += 1
                    guard keyframe else {
                        skipping = true
                        return nil
                    }
                    enqueue(.skipped)
                }
            } else if case .start = message {
                // A new start makes whatever was waiting useless.
                items.removeAll(keepingCapacity: true)
                head = 0
                bytes = 0
                skipping = false
            }
            enqueue(message)
            guard let waiter else { return nil }
            self.waiter = nil
            message = dequeue()!
            return (waiter, message)
        }
        if let (waiter, message) = resume { waiter.resume(returning: message) }
    }

    /// The next message, waiting for one; nil once closed.
    func next() async -> LiveFeedMessage? {
        await withCheckedContinuation { continuation in
            let ready: LiveFeedMessage?? = lock.withLock {
                if let message = dequeue() { return .some(message) }
                if closed { return .some(nil) }
                waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    func close() {
        let waiter: CheckedContinuation<LiveFeedMessage?, Never>? = lock.withLock {
            closed = true
            defer { self.waiter = nil }
            return self.waiter
        }
        waiter?.resume(returning: nil)
    }

    var pendingBytes: Int { lock.withLock { bytes } }

    private func enqueue(_ message: LiveFeedMessage) {
        items.append(message)
        if case .fragment(let buffer) = message { bytes += buffer.readableBytes }
    }

    private func dequeue() -> LiveFeedMessage? {
        guard head < items.count else { return nil }
        let message = items[head]
        head += 1
        if head > 64, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        if case .fragment(let buffer) = message { bytes -= buffer.readableBytes }
        return message
    }
}
