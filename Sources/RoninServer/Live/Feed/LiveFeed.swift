import Foundation
import Logging
import NIOCore
import RoninCore

/// One camera stream's live view as fragmented MP4 (docs/design/live.md): the bytes the camera's
/// ffmpeg writes to the feed's socket are cut into an init segment and fragments (a fragment every
/// tenth of a second) where they arrive, on the socket's event loop, without being copied, and
/// handed to every viewer. A viewer that joins gets the init segment and the fragments since the
/// last keyframe, so it starts at once and decodes from a keyframe; it then catches up to the live
/// edge itself. Thread-safe: the socket's event loop feeds it while viewers join and leave.
final class LiveFeed: @unchecked Sendable {
    /// The most a viewer may have waiting before it skips to the next keyframe.
    static let viewerQueueBytes = 4 << 20
    /// A GOP kept for joining viewers is never longer than this (a camera sending no keyframes).
    static let maxGOPBytes = 16 << 20

    let camera: UUID
    let stream: LiveStreamKind
    let logger: Logger
    private let lock = NSLock()
    private var framer = FragmentedMP4Framer()
    /// What the source sent that no piece has taken yet.
    private var pending = ByteBuffer()
    private var start: LiveFeedStart?
    private var gop: [ByteBuffer] = []
    private var gopBytes = 0
    private var viewers: [UUID: LiveViewerQueue] = [:]
    /// The connection whose bytes count (an ffmpeg that restarts quickly may connect before the
    /// old connection is seen to close).
    private var source = 0

    init(camera: UUID, stream: LiveStreamKind, logger: Logger) {
        self.camera = camera
        self.stream = stream
        self.logger = logger
    }

    /// A new viewer: its queue, primed with the stream's start and the current GOP.
    func join() -> (id: UUID, queue: LiveViewerQueue) {
        let id = UUID()
        let queue = LiveViewerQueue(maxBytes: Self.viewerQueueBytes)
        lock.withLock {
            if let start {
                queue.offer(.start(start))
                for (index, fragment) in gop.enumerated() { queue.offer(.fragment(fragment), keyframe: index == 0) }
            } else {
                queue.offer(.waiting)
            }
            viewers[id] = queue
        }
        return (id, queue)
    }

    func leave(_ id: UUID) {
        lock.withLock { viewers.removeValue(forKey: id) }?.close()
    }

    /// ffmpeg connected: a new stream begins. Returns the connection's number.
    func sourceConnected() -> Int {
        lock.withLock {
            source += 1
            framer = FragmentedMP4Framer()
            pending = ByteBuffer()
            return source
        }
    }

    /// Bytes from ffmpeg's connection `from` (ignored unless it is the newest).
    func ingest(_ buffer: inout ByteBuffer, from connection: Int) {
        lock.withLock {
            guard connection == source else { return }
            if pending.readableBytes == 0 {
                pending = buffer
            } else {
                pending.writeBuffer(&buffer)
            }
            do {
                while let piece = try pending.withUnsafeReadableBytes({ (bytes) throws(FragmentedMP4Framer.Broken) in try framer.next(in: bytes) }) {
                    take(piece)
                }
            } catch {
                logger.warning("Live view of camera \(camera) (\(stream.rawValue)): \(error); waiting for the stream to start again")
                framer = FragmentedMP4Framer()
                pending = ByteBuffer()
                endStream()
            }
            // Nothing pending keeps the last network buffer alive.
            if pending.readableBytes == 0 { pending = ByteBuffer() }
        }
    }

    /// One piece cut from the front of `pending` (called with the lock held).
    private func take(_ piece: FragmentedMP4Framer.Piece) {
        switch piece {
        case .initSegment(let length, let tracks):
            let video = tracks.first { $0.handler == "vide" }
            let begin = LiveFeedStart(initSegment: pending.readSlice(length: length)!, mimeType: MP4InitInfo.mimeType(of: tracks),
                                      codecs: MP4InitInfo.codecs(of: tracks), width: video?.width, height: video?.height)
            start = begin
            gop.removeAll()
            gopBytes = 0
            for viewer in viewers.values { viewer.offer(.start(begin)) }
        case .fragment(let length, let keyframe):
            let bytes = pending.readSlice(length: length)!
            guard start != nil else { return }
            if keyframe || gopBytes + bytes.readableBytes > Self.maxGOPBytes {
                gop.removeAll(keepingCapacity: true)
                gopBytes = 0
            }
            // A GOP that did not start with a keyframe is of no use to a joining viewer.
            if keyframe || !gop.isEmpty {
                gop.append(bytes)
                gopBytes += bytes.readableBytes
            }
            for viewer in viewers.values { viewer.offer(.fragment(bytes), keyframe: keyframe) }
        case .unusable(let length):
            pending.moveReaderIndex(forwardBy: length)
        }
    }

    /// ffmpeg's connection `connection` went away (camera outage, restart): viewers wait for the
    /// next start.
    func sourceEnded(_ connection: Int) {
        lock.withLock {
            guard connection == source else { return }
            pending = ByteBuffer()
            endStream()
        }
    }

    /// The stream stopped (called with the lock held).
    private func endStream() {
        guard start != nil else { return }
        start = nil
        gop.removeAll()
        gopBytes = 0
        for viewer in viewers.values { viewer.offer(.waiting) }
    }

    /// The feed is closed for good (camera removed, server stopping).
    func close() {
        let leaving = lock.withLock {
            defer { viewers.removeAll() }
            return Array(viewers.values)
        }
        for viewer in leaving { viewer.close() }
    }
}

/// Reads the bytes of one ffmpeg connection to a feed's socket into the feed, where they arrive
/// on the event loop (no task is woken per read).
final class LiveFeedSourceHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    let feed: LiveFeed
    private var connection = 0

    init(feed: LiveFeed) {
        self.feed = feed
    }

    func channelActive(context: ChannelHandlerContext) {
        connection = feed.sourceConnected()
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        feed.ingest(&buffer, from: connection)
    }

    func channelInactive(context: ChannelHandlerContext) {
        feed.sourceEnded(connection)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }
}

/// Which of a camera's streams: the main stream or the sub-stream (the grid's).
enum LiveStreamKind: String, Sendable, CaseIterable {
    case main
    case sub
}
