import AsyncHTTPClient
import FluentKit
import Foundation
import Logging
import NIOCore
import RoninCore
import RoninMedia
import RoninVision
import SQLKit

/// The job queue and what runs its jobs, as the settings describe them: shared by `ronin serve`
/// (queue, workers, and the hook that queues every recording as it is indexed) and
/// `ronin worker` (workers alone).
struct BackgroundWork: Sendable {
    let queue: JobQueue
    let engine: DetectionEngine
    let detection: DetectionJobHandler
    let board: WorkerStatusBoard
    let threads: BackgroundThreads
    let settings: Settings
    let vision: VisionSettings
    let logger: Logger
    let database: @Sendable () -> any Database
    let events: EventWork
    /// Every tier's footage.
    let footage: FootageStore
    /// Moving and deleting footage (`migrate`, `retain`).
    let storage: StorageWork

    static func assemble(settings: Settings, vision: VisionSettings, connector: DatabaseConnector, logger: Logger) async throws -> BackgroundWork {
        let database: @Sendable () -> any Database = { connector.database }
        let queue = JobQueue(database: database, wakeups: await connector.makeWakeups())
        var vision = vision
        // Background analysis shares the machine with recording: half the cores unless told.
        if vision.sessionOptions.intraOpThreads == 0 { vision.sessionOptions.intraOpThreads = max(1, System.coreCount / 2) }
        let threads = BackgroundThreads(threads: settings.mlWorkerConcurrency)
        let engine = DetectionEngine(enabled: settings.mlEnabled, vision: vision, pipelineConfig: try DetectionPipelineConfig(settings: settings),
                                     threads: threads, logger: logger)
        let limiter = settings.storage.migrationBytesPerSecond.map { BandwidthLimiter(bytesPerSecond: Int(clamping: $0)) }
        let footage = try FootageStore.configured(settings, limiter: limiter, logger: logger)
        let events = EventWork(settings: settings, pipelineConfig: engine.pipelineConfig, footage: footage, queue: queue, database: database,
                               logger: logger)
        let detection = DetectionJobHandler(engine: engine, footage: footage,
                                            store: DetectionStore(database: database), events: events.store, flow: events.flow,
                                            fps: settings.mlHistoricalFPS, ffmpegPath: settings.ffmpegPath, database: database)
        return BackgroundWork(queue: queue, engine: engine, detection: detection, board: WorkerStatusBoard(database: database, logger: logger),
                              threads: threads, settings: settings, vision: vision, logger: logger, database: database, events: events,
                              footage: footage, storage: StorageWork(settings: settings, footage: footage, artifacts: events.files, limiter: limiter,
                                                                     database: database, logger: logger))
    }

    /// Every kind of job a pool can run.
    static let allKinds = [DetectionJobHandler.kind, ArtifactJobHandler.kind, WebhookJobHandler.kind, MigrationJobHandler.kind,
                           RetentionJobHandler.kind, OfflineExportJobHandler.kind]

    /// What `ronin serve` runs itself: storage work always, detection and event work when
    /// detection is on and RONIN_RUN_WORKERS is not false.
    var inProcessKinds: [String] {
        let storage = [MigrationJobHandler.kind, RetentionJobHandler.kind, OfflineExportJobHandler.kind]
        return settings.mlEnabled && settings.runWorkers ? Self.allKinds : storage
    }

    /// A pool running workers of `kinds` (all known kinds by default).
    func pool(kinds: [String] = BackgroundWork.allKinds) -> JobWorkerPool {
        var slots: [String: Int] = [:]
        if kinds.contains(DetectionJobHandler.kind) { slots[DetectionJobHandler.kind] = settings.mlWorkerConcurrency }
        if kinds.contains(ArtifactJobHandler.kind) { slots[ArtifactJobHandler.kind] = 2 }
        if kinds.contains(WebhookJobHandler.kind) { slots[WebhookJobHandler.kind] = 2 }
        // Three moves at a time: one copies while the others sync or write their rows (a move
        // spends most of its time waiting on the disk; the bandwidth limit is shared); deletions
        // are quick.
        if kinds.contains(MigrationJobHandler.kind) { slots[MigrationJobHandler.kind] = 3 }
        if kinds.contains(RetentionJobHandler.kind) { slots[RetentionJobHandler.kind] = 1 }
        if kinds.contains(OfflineExportJobHandler.kind) { slots[OfflineExportJobHandler.kind] = 1 }
        return JobWorkerPool(configuration: .init(slots: slots, lease: TimeInterval(settings.mlJobLeaseSeconds),
                                                  pollInterval: .seconds(settings.jobPollSeconds)),
                             queue: queue, handlers: [detection, events.artifacts, events.webhooks, storage.migration, storage.retention, offlineExport], board: board,
                             logger: logger)
    }

    /// The detection job of one recording.
    func detectionJob(recording: UUID, camera: UUID, priority: Int, runAt: Date = Date()) -> NewJob {
        NewJob(kind: DetectionJobHandler.kind, payload: DetectionJobHandler.payload(recording: recording), priority: priority, runAt: runAt,
               uniqueKey: DetectionJobHandler.uniqueKey(recording: recording), cameraID: camera, recordingID: recording)
    }

    /// The current model's identity, or nil while there is no usable model (then "analysed"
    /// means analysed by any model, and jobs wait until one is there).
    func currentModel() async -> String? {
        guard FileManager.default.fileExists(atPath: vision.modelPath) else { return nil }
        return try? await engine.model()
    }

    /// `analyses` rows that count as "this recording is analysed": by the current model, or by
    /// any model while none is usable.
    static func analysedCondition(model: String?) -> SQLQueryString {
        if let model { return "EXISTS (SELECT 1 FROM analyses a WHERE a.recording_id = r.id AND a.model = \(bind: model))" }
        return "EXISTS (SELECT 1 FROM analyses a WHERE a.recording_id = r.id)"
    }

    /// Queues the analysis of a segment just indexed (also while detection cannot run yet: the
    /// job then waits, and the status says why).
    func recordingIndexed(_ recording: RecordingModel) async {
        guard settings.mlEnabled, let id = recording.id else { return }
        do {
            try await queue.enqueue(detectionJob(recording: id, camera: recording.cameraID, priority: JobPriority.newSegment))
        } catch {
            logger.warning("Cannot queue the analysis of \(recording.path): \(error)")
        }
    }

    /// Queues every complete recording that has no analysis by the current model and no detection
    /// job in progress, parked or cancelled (those wait for a person), newest first. Returns how
    /// many were queued.
    @discardableResult
    func backfill(now: Date = Date()) async -> Int {
        guard settings.mlEnabled else { return 0 }
        do {
            let model = await currentModel()
            guard let sql = database() as? any SQLDatabase else { return 0 }
            let rows = try await sql.raw("""
                SELECT r.id AS id, r.camera_id AS camera_id, r.start_time AS start_time FROM recordings r
                WHERE r.status = 'complete' AND NOT \(Self.analysedCondition(model: model))
                  AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.recording_id = r.id AND j.kind = \(bind: DetectionJobHandler.kind)
                                  AND j.state IN ('queued', 'running', 'failed', 'parked', 'cancelled'))
                """).all()
            let found = try rows.map { (id: try $0.decode(column: "id", as: UUID.self), camera: try $0.decode(column: "camera_id", as: UUID.self),
                                        start: try $0.decode(column: "start_time", as: Date.self)) }
            let ordered = BacklogOrder.runTimes(found, start: \.start, now: now)
            let jobs = ordered.map { detectionJob(recording: $0.0.id, camera: $0.0.camera, priority: JobPriority.backfill, runAt: $0.1) }
            // A job that succeeded without leaving the current model's analysis ran with another model.
            let outcomes = try await queue.enqueue(jobs, requeue: [.succeeded])
            let queued = outcomes.filter { if case .alreadyActive = $0 { return false } else if case .kept = $0 { return false } else { return true } }.count
            if queued > 0 { logger.notice("Queued \(queued) recordings for analysis that had none (newest first)") }
            return queued
        } catch {
            logger.error("Queueing unanalysed recordings failed: \(error)")
            return 0
        }
    }
}
