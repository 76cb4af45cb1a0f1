import FluentKit
import Foundation
import Logging
import ServiceLifecycle

/// Runs a `LiveCameraWatcher` for every camera that records here and has live detection on
/// (LIVE_DETECTION_ENABLED, then the detection settings), while detection is available. Every
/// few seconds it compares what runs with what should, so cameras added, removed, switched off
/// or reconfigured are followed without a restart. At start-up it closes what a crash left open;
/// on shutdown every watch ends cleanly (pending departures written).
actor LiveDetectionService: Service {
    static let reconcileEvery = 3.0

    let engine: DetectionEngine
    let settings: DetectionSettingsStore
    let recorder: RecordingManager
    let makeWatcher: @Sendable (UUID) -> LiveCameraWatcher
    let store: EventStore
    let flow: EventFlow
    let board: LiveStatusBoard
    let database: @Sendable () -> any Database
    let logger: Logger
    private var watchers: [UUID: Task<Void, Never>] = [:]

    init(engine: DetectionEngine, settings: DetectionSettingsStore, recorder: RecordingManager, store: EventStore, flow: EventFlow,
         board: LiveStatusBoard, database: @escaping @Sendable () -> any Database, logger: Logger,
         makeWatcher: @escaping @Sendable (UUID) -> LiveCameraWatcher) {
        self.engine = engine
        self.settings = settings
        self.recorder = recorder
        self.store = store
        self.flow = flow
        self.board = board
        self.database = database
        self.logger = logger
        self.makeWatcher = makeWatcher
    }

    func run() async throws {
        do {
            for event in try await store.endAbandonedWatches() { await flow.closed(event) }
        } catch {
            logger.error("Closing the live events a crash left open failed: \(error)")
        }
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.reconcile()
                try await Task.sleep(for: .seconds(Self.reconcileEvery))
            }
        }
        let running = watchers
        watchers.removeAll()
        for task in running.values { task.cancel() }
        for task in running.values { await task.value }
        logger.notice("Live detection stopped")
    }

    /// Starts and stops watchers to match the cameras and settings now.
    func reconcile() async {
        let reason = await engine.unavailableReason()
        let cameras: [CameraModel]
        do {
            cameras = try await CameraModel.query(on: database()).all()
        } catch {
            logger.warning("Live detection cannot read the cameras: \(error)")
            return
        }
        var wanted: Set<UUID> = []
        for camera in cameras {
            guard let id = camera.id else { continue }
            let running = await recorder.isRunning(id)
            let enabled = (try? await settings.effective(camera: id).liveEnabled) ?? false
            if reason == nil, running, enabled {
                wanted.insert(id)
            } else {
                board.update(id) { status in
                    status.state = reason != nil ? "unavailable" : "off"
                    status.error = reason ?? (running ? nil : "the camera is not recording here")
                    status.objects = [:]
                }
            }
        }
        for (id, task) in watchers where !wanted.contains(id) {
            task.cancel()
            watchers[id] = nil
            await task.value
        }
        for id in wanted where watchers[id] == nil {
            let watcher = makeWatcher(id)
            watchers[id] = Task { await watcher.run() }
        }
        let known = Set(cameras.compactMap(\.id))
        for status in board.all where !known.contains(status.camera_id) { board.remove(status.camera_id) }
    }
}
