import Foundation
import Logging
import NIOCore
import RoninCore

/// One camera stream's live view as fragmented MP4 (docs/design/live.md): the bytes the camera's
/// ffmpeg writes to the feed's socket are read into an init segment and fragments (a fragment per
/// frame), and handed to every viewer. A viewer that joins gets the init segment and the
/// fragments since the last keyframe, so it starts at once and decodes from a keyframe; it then
/// catches up to the live edge itself.
actor LiveFeed {
    /// The most a viewer may have waiting before it skips to the next keyframe.
    static let viewerQueueBytes = 4 << 20
    /// A GOP kept for joining viewers is never longer than this (a camera sending no keyframes).
    static let maxGOPBytes = 16 << 20

    let camera: UUID
    let stream: LiveStreamKind
    let logger: Logger
    private var reader = FragmentedMP4Stream()
    private var start: LiveFeedStart?
    private var gop: [ByteBuffer] = []
    private var gopBytes = 0
    private var viewers: [UUID: LiveViewerQueue] = [:]
    private(set) var fragments = 0
    private(set) var bytesIn = 0
    private(set) var connectedAt: Date?
    private(set) var lastFragmentAt: Date?
    /// The connection whose bytes count (an ffmpeg that restarts quickly may connect before the
    /// old connection is seen to close).
    private var source = 0

    init(camera: UUID, stream: LiveStreamKind, logger: Logger) {
        self.camera = camera
        self.stream = stream
        self.logger = logger
    }

    var viewerCount: Int { viewers.count }
    var codecs: String? { start?.codecs }
    var isLive: Bool { start != nil }

    /// A new viewer: its queue, primed with the stream's start and the current GOP.
    func join() -> (id: UUID, queue: LiveViewerQueue) {
        let id = UUID()
        let queue = LiveViewerQueue(maxBytes: Self.viewerQueueBytes)
        if let start {
            queue.offer(.start(start))
            for (index, fragment) in gop.enumerated() { queue.offer(.fragment(fragment), keyframe: index == 0) }
        } else {
            queue.offer(.waiting)
        }
        viewers[id] = queue
        return (id, queue)
    }

    func leave(_ id: UUID) {
        viewers.removeValue(forKey: id)?.close()
    }

    /// ffmpeg connected: a new stream begins. Returns the connection's number.
    func sourceConnected() -> Int {
        source += 1
        reader = FragmentedMP4Stream()
        connectedAt = Date()
        return source
    }

    /// Bytes from ffmpeg's connection `from` (ignored unless it is the newest).
    func ingest(_ buffer: ByteBuffer, from connection: Int) {
        guard connection == source else { return }
        bytesIn += buffer.readableBytes
        let pieces: [FragmentedMP4Stream.Piece]
        do {
            pieces = try reader.append(buffer.readableBytesView)
        } catch {
            logger.warning("Live view of camera \(camera) (\(stream.rawValue)): \(error); waiting for the stream to start again")
            reader = FragmentedMP4Stream()
            sourceEnded(connection)
            return
        }
        for piece in pieces {
            switch piece {
            case .initSegment(let segment):
                let video = segment.tracks.first { $0.handler == "vide" }
                let begin = LiveFeedStart(initSegment: ByteBuffer(bytes: segment.bytes), mimeType: segment.mimeType, codecs: segment.codecs,
                                          width: video?.width, height: video?.height)
                start = begin
                gop.removeAll()
                gopBytes = 0
                for viewer in viewers.values { viewer.offer(.start(begin)) }
            case .fragment(let fragment):
                guard start != nil else { continue }
                let bytes = ByteBuffer(bytes: fragment.bytes)
                if fragment.startsWithKeyframe || gopBytes + bytes.readableBytes > Self.maxGOPBytes {
                    gop.removeAll(keepingCapacity: true)
                    gopBytes = 0
                }
                // A GOP that did not start with a keyframe is of no use to a joining viewer.
                if fragment.startsWithKeyframe || !gop.isEmpty {
                    gop.append(bytes)
                    gopBytes += bytes.readableBytes
                }
                fragments += 1
                lastFragmentAt = Date()
                for viewer in viewers.values { viewer.offer(.fragment(bytes), keyframe: fragment.startsWithKeyframe) }
            }
        }
    }

    /// ffmpeg's connection `connection` went away (camera outage, restart): viewers wait for the
    /// next start.
    func sourceEnded(_ connection: Int) {
        guard connection == source, start != nil else { return }
        start = nil
        gop.removeAll()
        gopBytes = 0
        for viewer in viewers.values { viewer.offer(.waiting) }
    }

    /// The feed is closed for good (camera removed, server stopping).
    func close() {
        for viewer in viewers.values { viewer.close() }
        viewers.removeAll()
    }
}

/// Which of a camera's streams: the main stream or the sub-stream (the grid's).
enum LiveStreamKind: String, Sendable, CaseIterable {
    case main
    case sub
}
