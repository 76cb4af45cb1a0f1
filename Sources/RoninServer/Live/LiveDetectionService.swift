import FluentKit
import Foundation
import Logging
import RoninCore
import ServiceLifecycle

/// Live detection in one process (docs/design/events.md, Live workers): in `ronin serve`, which
/// records the cameras, and in `ronin worker --kinds live` on other machines. Every few seconds it
/// says this process is alive, takes its share of the cameras that want live detection
/// (`LiveCameraShare`, claimed under a lease in `live_assignments`), runs a `LiveCameraWatcher` for
/// each camera it holds and stops those it no longer holds, so cameras added, removed, switched off
/// or reconfigured, and workers that come and go, are followed without a restart. The recording
/// process also relays the tap of every camera a worker elsewhere holds to that worker.
///
/// When a camera is taken over, the watch its previous holder left open ends at its last frame and
/// that holder's ongoing events close there. On shutdown every watch ends cleanly (pending
/// departures written) and the leases are given up, so other workers take the cameras at once.
actor LiveDetectionService: Service {
    static let reconcileEvery = 3.0

    /// What this process does for live detection.
    enum Role: Sendable {
        /// `ronin serve`: records the cameras, reads their taps itself, relays those others watch.
        case recorder(RecordingManager)
        /// A live worker on another machine: the server relays the taps to `advertisedHost`.
        case worker(advertisedHost: String)
    }

    let role: Role
    let engine: DetectionEngine
    let settings: DetectionSettingsStore
    let taps: LiveTaps
    let assignments: LiveAssignments
    let identity: WorkerIdentity
    let makeWatcher: @Sendable (UUID) -> LiveCameraWatcher
    let store: EventStore
    let flow: EventFlow
    let board: LiveStatusBoard
    let database: @Sendable () -> any Database
    let logger: Logger
    private var watchers: [UUID: Task<Void, Never>] = [:]
    private var relays: [UUID: LiveTapRelay] = [:]

    init(role: Role, engine: DetectionEngine, settings: DetectionSettingsStore, taps: LiveTaps, store: EventStore, flow: EventFlow,
         board: LiveStatusBoard, database: @escaping @Sendable () -> any Database, identity: WorkerIdentity = .current(), logger: Logger,
         makeWatcher: @escaping @Sendable (UUID) -> LiveCameraWatcher) {
        self.role = role
        self.engine = engine
        self.settings = settings
        self.taps = taps
        self.assignments = LiveAssignments(database: database)
        self.identity = identity
        self.store = store
        self.flow = flow
        self.board = board
        self.database = database
        self.logger = logger
        self.makeWatcher = makeWatcher
    }

    var owner: String { identity.description }

    func run() async throws {
        await recoverFromCrash()
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
        for relay in relays.values { relay.stop() }
        relays.removeAll()
        do { try await assignments.releaseAll(owner: owner) } catch { logger.warning("Giving up the live cameras failed: \(error)") }
        logger.notice("Live detection stopped")
    }

    /// The leases of this machine's processes that are gone run out now, and the watches of
    /// cameras nobody holds end at their last frame, closing the events a crash left open.
    private func recoverFromCrash() async {
        do {
            _ = try await assignments.releaseLeases(ofOwnersOn: identity.host, whoseProcessIsGone: WorkerIdentity.processIsAlive)
            let held = Set(try await assignments.all().filter { $0.leaseExpiresAt >= Date() }.map(\.camera))
            for camera in try await CameraModel.query(on: database()).all().compactMap(\.id) where !held.contains(camera) {
                for event in try await store.endAbandonedWatches(camera: camera) { await flow.closed(event) }
            }
        } catch {
            logger.error("Closing the live events a crash left open failed: \(error)")
        }
    }

    /// Takes this process's share of the cameras and starts and stops watchers and relays to match.
    func reconcile() async {
        let reason = await engine.unavailableReason()
        let cameras: [CameraModel]
        let holders: [LiveAssignments.Assignment]
        let workers: Set<String>
        do {
            if reason == nil { try await assignments.heartbeat(worker: owner, host: identity.host) }
            cameras = try await CameraModel.query(on: database()).all()
            holders = try await assignments.all()
            workers = try await assignments.aliveWorkers()
        } catch {
            logger.warning("Live detection cannot read the cameras: \(error)")
            return
        }
        var wanted: [UUID] = []
        var enabled: [UUID: Bool] = [:]
        for camera in cameras {
            guard let id = camera.id else { continue }
            let live = (try? await settings.effective(camera: id).liveEnabled) ?? false
            let on = camera.enabled && live
            enabled[id] = on
            // The recording process watches only what it records; a worker elsewhere cannot tell,
            // and waits for the frames the server relays.
            if case .recorder = role, !(await isRecordedHere(id)) { continue }
            if on { wanted.append(id) }
        }
        // A process that cannot detect takes no cameras (and lets go of those it held).
        let now = Date()
        let decision = LiveCameraShare.decide(
            me: owner, wanted: reason == nil ? wanted : [],
            holders: Dictionary(holders.map { ($0.camera, .init(owner: $0.owner, expired: $0.leaseExpiresAt < now)) }, uniquingKeysWith: { a, _ in a }),
            workers: workers)
        var held: Set<UUID> = []
        do {
            for camera in decision.release { try await assignments.release(camera, owner: owner) }
            held = try await assignments.renew(decision.keep, owner: owner)
            for camera in decision.claim where try await assignments.claim(camera, owner: owner, address: await address(camera)) {
                // Whoever watched it before is gone: its watch ends, and its ongoing events close.
                if watchers[camera] == nil {
                    for event in try await store.endAbandonedWatches(camera: camera) { await flow.closed(event) }
                }
                held.insert(camera)
                logger.info("Live detection of camera \(camera) runs here")
            }
        } catch {
            logger.warning("Live detection cannot update its cameras: \(error)")
            held.formUnion(decision.keep.filter { watchers[$0] != nil })
        }
        for (id, task) in watchers where !held.contains(id) {
            task.cancel()
            watchers[id] = nil
            await task.value
        }
        for id in held where watchers[id] == nil {
            let watcher = makeWatcher(id)
            watchers[id] = Task { await watcher.run() }
        }
        let others = Dictionary(holders.filter { $0.owner != owner && $0.leaseExpiresAt >= now }.map { ($0.camera, $0) }, uniquingKeysWith: { a, _ in a })
        await relay(others)
        let isRecorder = self.isRecorder
        for camera in cameras {
            guard let id = camera.id, !held.contains(id) else { continue }
            let elsewhere = others[id]
            let running = await isRecordedHere(id)
            board.update(id) { status in
                status.worker = elsewhere?.owner
                // What a worker elsewhere sees comes over the event link (`EventBusLink`).
                if elsewhere == nil { status.objects = [:] }
                if let elsewhere {
                    status.state = "elsewhere"
                    status.error = elsewhere.address == nil || running ? nil : "the camera is not recording"
                } else {
                    status.state = reason != nil ? "unavailable" : "off"
                    status.error = reason ?? (enabled[id] == true && !running && isRecorder ? "the camera is not recording here" : nil)
                }
            }
        }
        for id in held { board.update(id) { $0.worker = owner } }
        let known = Set(cameras.compactMap(\.id))
        for status in board.all where !known.contains(status.camera_id) { board.remove(status.camera_id) }
    }

    /// Where this process wants `camera`'s tap: nil in the recording process (it reads its own
    /// taps), `host:port` in a worker elsewhere.
    private func address(_ camera: UUID) async -> String? {
        guard case .worker(let host) = role, let port = await taps.port(for: camera) else { return nil }
        return "\(host):\(port)"
    }

    private var isRecorder: Bool {
        if case .recorder = role { return true }
        return false
    }

    private func isRecordedHere(_ camera: UUID) async -> Bool {
        guard case .recorder(let recorder) = role else { return false }
        return await recorder.isRunning(camera)
    }

    /// In the recording process: relays each tap that a worker elsewhere holds to that worker.
    private func relay(_ others: [UUID: LiveAssignments.Assignment]) async {
        guard case .recorder = role else { return }
        for (camera, relay) in relays where others[camera]?.address != relay.destination || watchers[camera] != nil {
            relay.stop()
            relays[camera] = nil
        }
        for (camera, assignment) in others where relays[camera] == nil && watchers[camera] == nil {
            guard let destination = assignment.address, await isRecordedHere(camera), let port = await taps.existingPort(for: camera) else { continue }
            do {
                let relay = try LiveTapRelay(camera: camera, port: port, destination: destination)
                relay.start()
                relays[camera] = relay
                logger.info("Relaying the live tap of camera \(camera) to \(destination)")
            } catch {
                logger.warning("Cannot relay the live tap of camera \(camera): \(error)")
            }
        }
    }
}
