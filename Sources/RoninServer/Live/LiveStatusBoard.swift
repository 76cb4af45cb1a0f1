import Foundation

/// What live detection is doing on each camera, for the status: thread-safe, written by the
/// watchers, read by `GET /api/ml/status`.
final class LiveStatusBoard: @unchecked Sendable {
    /// One camera's live detection.
    struct Camera: Codable, Sendable, ExplicitNullEncodable {
        var camera_id: UUID
        /// starting, watching, waiting (no frames yet or the stream ended), elsewhere (another
        /// live worker watches it), off, unavailable
        var state: String
        /// The live worker that watches the camera (`host:pid:nonce`), when one does.
        var worker: String? = nil
        var since: Date
        var last_frame_at: Date?
        var frames: Int
        var analysed: Int
        var frames_per_second: Double?
        var inference_ms: Double?
        var objects: [String: Int]
        var error: String?
    }

    private let lock = NSLock()
    private var cameras: [UUID: Camera] = [:]

    func update(_ camera: UUID, _ change: (inout Camera) -> Void) {
        lock.withLock {
            var entry = cameras[camera] ?? Camera(camera_id: camera, state: "starting", since: Date(), last_frame_at: nil, frames: 0, analysed: 0,
                                                  frames_per_second: nil, inference_ms: nil, objects: [:], error: nil)
            let before = entry.state
            change(&entry)
            if entry.state != before { entry.since = Date() }
            cameras[camera] = entry
        }
    }

    func remove(_ camera: UUID) {
        _ = lock.withLock { cameras.removeValue(forKey: camera) }
    }

    var all: [Camera] {
        lock.withLock { cameras.values.sorted { $0.camera_id.uuidString < $1.camera_id.uuidString } }
    }
}
