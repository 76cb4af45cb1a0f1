import FluentKit
import Foundation
import Logging
import RoninCore
import RoninMedia
import ServiceLifecycle

/// Runs one `CameraPipeline` per enabled camera and indexes what they record.
///
/// At start-up it reconciles each camera's storage, then starts the pipelines; every two
/// seconds it indexes finished segments; on graceful shutdown it stops every ffmpeg (each
/// finishes its segment) and indexes what they wrote. Controllers call `apply(_:)` after a
/// camera changes, and `remove(_:)` after one is deleted.
actor RecordingManager: Service {
    struct Configuration: Sendable {
        let layout: SegmentLayout
        let runtimeDirectory: String
        let segmentSeconds: Int
        let stallTimeout: Double
        let ffmpegPath: String
        /// False on an API-only node: cameras are listed and managed, but not recorded here.
        let runPipelines: Bool
        /// Ports of the live-detection taps; nil: no tap (detection off).
        var taps: LiveTaps? = nil
        /// The live view's WebSocket feeds; nil: HLS only.
        var feeds: LiveFeeds? = nil
    }

    /// A running pipeline and what it was started with.
    private struct Entry {
        let pipeline: CameraPipeline
        var folder: String
        let fingerprint: String
    }

    let configuration: Configuration
    let cameras: CameraService
    let indexer: SegmentIndexer
    let logger: Logger
    private var entries: [UUID: Entry] = [:]
    /// Cameras whose recording is paused because storage is critical (they stay live).
    private(set) var suspended: Set<UUID> = []
    /// When each camera without a pipeline stopped (cameras never started: when this began).
    private var stoppedSince: [UUID: Date] = [:]
    private let startedAt = Date()

    init(configuration: Configuration, cameras: CameraService, indexer: SegmentIndexer, logger: Logger) {
        self.configuration = configuration
        self.cameras = cameras
        self.indexer = indexer
        self.logger = logger
    }

    func run() async throws {
        try FileManager.default.createDirectory(atPath: configuration.runtimeDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        for camera in try await CameraModel.ordered(on: cameras.database()) where configuration.runPipelines {
            do {
                _ = try await indexer.reconcile(cameraID: camera.id!, folder: camera.folderName)
            } catch {
                logger.error("Reconciling \(camera.name) failed: \(error)")
            }
            await apply(camera)
        }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(2))
                await self.indexFinishedSegments()
            }
        }
        for id in entries.keys { await remove(id) }
        logger.notice("Recording stopped")
    }

    /// Pauses recording of `cameras` (live view goes on) and resumes every other camera's, when
    /// storage is critical (docs/design/tiers.md, Critical). Returns the cameras that changed.
    @discardableResult
    func suspendRecording(_ cameras: Set<UUID>) async -> Set<UUID> {
        let changed = cameras.symmetricDifference(suspended)
        guard !changed.isEmpty else { return [] }
        suspended = cameras
        for id in changed {
            guard let camera = try? await self.cameras.find(id) else { continue }
            if cameras.contains(id) {
                logger.critical("Recording of \(camera.name) paused: storage is full and only locked footage is left to free")
            } else {
                logger.notice("Recording of \(camera.name) resumes: storage has room again")
            }
            await apply(camera)
        }
        return changed
    }

    /// Starts, restarts or stops a camera's pipeline to match its settings.
    func apply(_ camera: CameraModel) async {
        guard configuration.runPipelines, let id = camera.id else { return }
        let fingerprint = Self.fingerprint(camera) + (suspended.contains(id) ? "\u{1F}suspended" : "")
        if let entry = entries[id] {
            if entry.fingerprint == fingerprint {
                entries[id]?.folder = camera.folderName
                return
            }
            await remove(id)
        }
        guard camera.enabled else { return }
        let pipeline = CameraPipeline(
            cameraID: id, address: (camera.host, camera.port), runtimeDirectory: configuration.runtimeDirectory, stallTimeout: configuration.stallTimeout,
            logger: logger, prepare: { [cameras, configuration, suspended] in
                try await Self.spec(for: id, cameras: cameras, configuration: configuration, paused: suspended.contains(id))
            },
            onExit: { [weak self] in await self?.indexAll(id) })
        entries[id] = Entry(pipeline: pipeline, folder: camera.folderName, fingerprint: fingerprint)
        stoppedSince[id] = nil
        await pipeline.start()
    }

    /// Stops a camera's pipeline and indexes everything it wrote.
    func remove(_ id: UUID) async {
        guard let entry = entries[id] else { return }
        await entry.pipeline.stop()
        _ = await indexer.finalize(cameraID: id, folder: entry.folder, writerActive: false)
        entries[id] = nil
        stoppedSince[id] = Date()
    }

    /// A deleted camera's live feeds end, and their viewers are let go.
    func forgetLiveFeeds(_ id: UUID) async {
        await configuration.feeds?.remove(camera: id)
    }

    /// Whether the camera's pipeline is running here (live detection watches only those).
    func isRunning(_ id: UUID) -> Bool {
        entries[id] != nil
    }

    func status(of id: UUID) async -> PipelineStatus {
        guard let entry = entries[id] else { return PipelineStatus(state: .stopped, since: stoppedSince[id] ?? startedAt) }
        return await entry.pipeline.status
    }

    private func indexFinishedSegments() async {
        for (id, entry) in entries {
            // The newest staged file may still be open: leave it to the pipeline's exit hook, and
            // show it as in progress meanwhile.
            _ = await indexer.finalize(cameraID: id, folder: entry.folder, writerActive: true)
            await indexer.trackInProgress(cameraID: id)
        }
    }

    /// Called by a pipeline between ffmpeg runs, when nothing is writing.
    private func indexAll(_ id: UUID) async {
        guard let entry = entries[id] else { return }
        _ = await indexer.finalize(cameraID: id, folder: entry.folder, writerActive: false)
    }

    /// What must match for a running pipeline to be kept as is.
    static func fingerprint(_ camera: CameraModel) -> String {
        [camera.host, String(camera.port), camera.username, camera.passwordEncrypted ?? "", camera.streamPath,
         camera.substreamPath ?? "", camera.transport, String(camera.enabled), String(camera.recordingEnabled),
         String(camera.audioEnabled)].joined(separator: "\u{1F}")
    }

    /// A fresh spec for a (re)start: re-reads the camera and probes what it sends now.
    static func spec(for id: UUID, cameras: CameraService, configuration: Configuration, paused: Bool = false) async throws -> PipelineSpec {
        let camera = try await cameras.find(id)
        let endpoint = try CameraEndpoint(host: camera.host, port: camera.port, username: camera.username,
                                          password: try cameras.password(of: camera), streamPath: camera.streamPath,
                                          transport: CameraEndpoint.Transport(rawValue: camera.transport) ?? .tcp)
        let description = try await cameras.probe.probe(endpoint)
        return PipelineSpec(cameraID: id, endpoint: endpoint, substreamPath: camera.substreamPath,
                            audio: PipelineSpec.audioMode(for: description.audio, enabled: camera.audioEnabled),
                            recording: camera.recordingEnabled && !paused, segmentSeconds: configuration.segmentSeconds,
                            layout: configuration.layout, ffmpegPath: configuration.ffmpegPath, tapPort: await configuration.taps?.port(for: id),
                            liveFeedMain: try await configuration.feeds?.socketPath(camera: id, stream: .main),
                            liveFeedSub: camera.substreamPath == nil ? nil : try await configuration.feeds?.socketPath(camera: id, stream: .sub))
    }
}
