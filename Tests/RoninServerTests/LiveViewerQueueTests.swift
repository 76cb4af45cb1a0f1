import Foundation
import NIOCore
import Testing
@testable import RoninServer

/// A live viewer's queue: in order, bounded by bytes, and a viewer that falls behind is told and
/// goes on from the next keyframe.
@Suite(.timeLimit(.minutes(2))) struct LiveViewerQueueTests {
    func fragment(_ byte: UInt8, size: Int = 100) -> LiveFeedMessage { .fragment(ByteBuffer(bytes: [UInt8](repeating: byte, count: size))) }

    func describe(_ message: LiveFeedMessage?) -> String {
        switch message {
        case .start?: "start"
        case .fragment(let buffer)?: "f\(buffer.getInteger(at: 0, as: UInt8.self) ?? 0)"
        case .skipped?: "skipped"
        case .waiting?: "waiting"
        case nil: "end"
        }
    }

    func drain(_ queue: LiveViewerQueue, _ count: Int) async -> [String] {
        var seen: [String] = []
        for _ in 0..<count { seen.append(describe(await queue.next())) }
        return seen
    }

    @Test func messagesComeInOrder() async {
        let queue = LiveViewerQueue(maxBytes: 1_000)
        queue.offer(.waiting)
        queue.offer(fragment(1), keyframe: true)
        queue.offer(fragment(2))
        #expect(await drain(queue, 3) == ["waiting", "f1", "f2"])
        #expect(queue.pendingBytes == 0)
    }

    @Test func aViewerThatFallsBehindSkipsToTheNextKeyframeAndIsTold() async {
        let queue = LiveViewerQueue(maxBytes: 1_000)
        for n in 1...9 { queue.offer(fragment(UInt8(n)), keyframe: n == 1) }
        #expect(queue.pendingBytes == 900)
        queue.offer(fragment(10))      // over the limit, not a keyframe: everything goes
        queue.offer(fragment(11))      // still waiting for a keyframe: dropped
        #expect(queue.pendingBytes == 0)
        queue.offer(fragment(12), keyframe: true)
        queue.offer(fragment(13))
        #expect(await drain(queue, 3) == ["skipped", "f12", "f13"])
        #expect(queue.skips == 1)
    }

    @Test func aKeyframeOverTheLimitStartsAfreshAtOnce() async {
        let queue = LiveViewerQueue(maxBytes: 250)
        queue.offer(fragment(1), keyframe: true)
        queue.offer(fragment(2))
        queue.offer(fragment(3), keyframe: true)   // 300 bytes would be over: the old go, this one stays
        #expect(await drain(queue, 2) == ["skipped", "f3"])
    }

    @Test func aNewStartDropsWhatWasWaitingAndCloseEndsTheViewer() async {
        let queue = LiveViewerQueue(maxBytes: 10_000)
        queue.offer(fragment(1), keyframe: true)
        queue.offer(.start(LiveFeedStart(initSegment: ByteBuffer(), mimeType: "video/mp4", codecs: "avc1.42C01E", width: 1, height: 1)))
        queue.offer(fragment(2), keyframe: true)
        #expect(await drain(queue, 2) == ["start", "f2"])
        let waiting = Task { await queue.next() }
        queue.close()
        #expect(describe(await waiting.value) == "end")
        queue.offer(fragment(3), keyframe: true)
        #expect(describe(await queue.next()) == "end", "nothing comes after the end")
    }
}
