import FluentKit
import Foundation
import Logging
import RoninCore
import ServiceLifecycle
import SQLKit

/// Keeps storage from filling and footage where the policies want it (docs/design/tiers.md):
/// every STORAGE_CHECK_SECONDS, and whenever a segment is indexed, it measures the disks and the
/// cameras' bandwidth, asks `StoragePlanner` what to move and what to delete, and queues that
/// as `migrate` and `retain` jobs (which verify before they delete). It never deletes or moves
/// anything itself, and never blocks indexing: a check requested while one runs is folded into
/// the next. When storage is critical it pauses the recording of the cameras of lowest priority.
actor StorageService: Service {
    let settings: StorageSettings
    let policies: StoragePolicyStore
    let index: StorageIndex
    let footage: FootageStore
    let queue: JobQueue
    private var recorder: RecordingManager?
    let logger: Logger
    let reconciler: StorageReconciler
    private(set) var report = StorageReport()
    /// A check was asked for while none was waiting (several asks make one check).
    private var pending = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var lastSample = Date.distantPast
    /// Since when no disk has lacked its reserve (nil: one does now).
    private var calmSince: Date?
    /// How long storage must stay out of danger before paused cameras record again.
    var calmBeforeResuming: TimeInterval { max(10, 3 * settings.checkSeconds) }
    static let sampleEvery: TimeInterval = 300

    init(settings: StorageSettings, policies: StoragePolicyStore, index: StorageIndex, footage: FootageStore, queue: JobQueue, logger: Logger) {
        self.settings = settings
        self.policies = policies
        self.index = index
        self.footage = footage
        self.queue = queue
        self.logger = logger
        reconciler = StorageReconciler(footage: footage, database: index.database, logger: logger)
    }

    /// The recorder whose cameras are paused when storage is critical.
    func attach(_ recorder: RecordingManager) {
        self.recorder = recorder
    }

    func run() async throws {
        report.reconciliation = await reconciler.run()
        await requeueUnfinishedDeletions()
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.check()
                await self.waitForNextCheck()
            }
        }
    }

    /// A segment was indexed (its bytes now count): check soon, without waiting for it.
    nonisolated func segmentIndexed() {
        Task { await self.poke() }
    }

    private func poke() {
        if let waiter {
            self.waiter = nil
            waiter.resume()
        } else {
            pending = true
        }
    }

    /// Until STORAGE_CHECK_SECONDS have passed, a check is asked for, or the service stops.
    private func waitForNextCheck() async {
        if pending {
            pending = false
            return
        }
        let timer = Task { [checkSeconds = settings.checkSeconds] in
            try? await Task.sleep(for: .seconds(checkSeconds))
            await self.poke()
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled || pending { continuation.resume() } else { waiter = continuation }
            }
        } onCancel: {
            Task { await self.poke() }
        }
        timer.cancel()
        pending = false
    }

    /// One round: measure, plan, queue. Returns what it found and did.
    @discardableResult
    func check(now: Date = Date()) async -> StorageReport {
        do {
            let policy = try await policies.policy()
            var unreachable: Set<StorageTier> = []
            var tierErrors: [StorageTier: String] = [:]
            for (tier, store) in footage.stores where tier != .hot {
                if let reason = await store.reachability() {
                    unreachable.insert(tier)
                    tierErrors[tier] = reason
                }
            }
            let bandwidths = try await index.bandwidths(now: now)
            let disks = measureDisks(policy: policy, bandwidths: bandwidths)
            let planner = StoragePlanner(policy: policy, unreachable: unreachable)
            let started = ContinuousClock.now
            // Most checks find nothing due and read no recordings at all.
            guard planner.needsPlanning(try await index.summary(), disks: disks.map(\.state), now: now) || report.pausedCameras.count > 0 else {
                report.update(at: now, policy: policy, disks: disks, bandwidths: bandwidths, plan: StoragePlan(), queued: 0, tierErrors: tierErrors,
                              planningSeconds: StoragePlanBenchmark.seconds(started.duration(to: .now)))
                await handleCritical(StoragePlan(), disks: disks, now: now)
                try await sampleIfDue(now: now, disks: disks)
                return report
            }
            let snapshot = try await index.snapshot()
            // Space that moves and deletions under way are about to free counts as free already.
            let states = disks.map { disk in
                let leaving = disk.tiers.reduce(Int64(0)) { $0 + (snapshot.leaving[$1] ?? 0) }
                return DiskState(tiers: disk.tiers, freeBytes: disk.free + leaving, requiredFreeBytes: disk.required)
            }
            let plan = planner.plan(snapshot.footage, disks: states, now: now)
            let planning = started.duration(to: .now)
            let queued = try await enqueue(plan)
            await handleCritical(plan, disks: disks, now: now)
            report.update(at: now, policy: policy, disks: disks, bandwidths: bandwidths, plan: plan, queued: queued, tierErrors: tierErrors,
                          planningSeconds: Double(planning.components.seconds) + Double(planning.components.attoseconds) / 1e18)
            if !plan.deletions.isEmpty || !plan.moves.isEmpty || plan.isCritical {
                logger.info("Storage check: \(plan.deletions.count) to delete, \(plan.moves.count) to move, \(queued) jobs queued\(plan.isCritical ? ", CRITICAL" : "")")
            }
            for (tier, error) in tierErrors where report.lastLoggedErrors[tier] != error {
                logger.warning("\(tier.rawValue.capitalized) storage is not reachable: \(error); its footage is kept as it is")
            }
            report.lastLoggedErrors = tierErrors
            try await sampleIfDue(now: now, disks: disks)
        } catch {
            report.error = SecretRedactor.shared.redact(String(reflecting: error))
            logger.error("Storage check failed: \(report.error ?? "")")
        }
        return report
    }

    /// The local disks the tiers are on (hot and warm on one file system count as one disk) and
    /// the free space each must keep.
    func measureDisks(policy: StoragePolicy, bandwidths: [UUID: Double]) -> [MeasuredDisk] {
        var disks: [MeasuredDisk] = []
        for tier in [StorageTier.hot, .warm] {
            guard let store = footage.stores[tier], let usage = store.diskUsage(), let local = store.localFile("") else { continue }
            let device = Self.device(of: local)
            if let same = disks.firstIndex(where: { $0.device == device && device != nil }) {
                disks[same].tiers.insert(tier)
                continue
            }
            disks.append(MeasuredDisk(tiers: [tier], device: device, capacity: usage.capacity, free: usage.free))
        }
        let recording = Array(bandwidths.values)
        for index in disks.indices {
            // Cameras record to hot storage: its disk keeps an hour of their bandwidth free.
            let rates = disks[index].tiers.contains(.hot) ? recording : []
            disks[index].required = FreeSpaceGuard.required(minFreeBytes: policy.minFreeBytes, bandwidths: rates)
        }
        return disks
    }

    static func device(of path: String) -> UInt64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt64(info.st_dev)
    }

    /// Queues the plan's jobs; those already waiting or running are left as they are.
    private func enqueue(_ plan: StoragePlan) async throws -> Int {
        var jobs = plan.deletions.map { RetentionJobHandler.job(recording: $0.footage.id, camera: $0.footage.camera, reason: $0.reason) }
        jobs += plan.moves.map { MigrationJobHandler.job(recording: $0.footage.id, camera: $0.footage.camera, to: $0.to, reason: $0.reason) }
        guard !jobs.isEmpty else { return 0 }
        // A job that failed for good stays parked for a person to see (and retry); one cancelled by
        // hand is queued again while the policy still wants it.
        let outcomes = try await queue.enqueue(jobs, requeue: [.succeeded, .cancelled])
        return outcomes.filter { if case .queued = $0 { return true } else if case .requeued = $0 { return true } else { return false } }.count
    }

    /// Pauses recording of the lowest-priority cameras while storage is critical (one more each
    /// round it stays so), and resumes them all once every disk has had its reserve free, with
    /// nothing critical, for `calmBeforeResuming` (so a disk at the edge does not make cameras
    /// stop and start at every check).
    private func handleCritical(_ plan: StoragePlan, disks: [MeasuredDisk], now: Date) async {
        guard let recorder else { return }
        if plan.isCritical {
            calmSince = nil
        } else if disks.allSatisfy({ $0.free >= $0.required }) {
            calmSince = calmSince ?? now
        } else {
            calmSince = nil
        }
        guard plan.isCritical, settings.stopCamerasWhenCritical else {
            let paused = await recorder.suspended
            if !paused.isEmpty {
                guard let calm = calmSince, now.timeIntervalSince(calm) >= calmBeforeResuming else {
                    report.pausedCameras = paused.sorted { $0.uuidString < $1.uuidString }
                    return
                }
                await recorder.suspendRecording([])
            }
            report.pausedCameras = []
            return
        }
        let documents = (try? await policies.documents()) ?? [:]
        guard let cameras = try? await CameraModel.query(on: index.database()).filter(\.$enabled == true)
            .filter(\.$recordingEnabled == true).all() else { return }
        let paused = await recorder.suspended
        let candidates = cameras.compactMap(\.id).filter { !paused.contains($0) }.sorted { a, b in
            let pa = documents[StoragePolicyStore.scope(a)]?.priority ?? StoragePolicyDocument.defaultPriority
            let pb = documents[StoragePolicyStore.scope(b)]?.priority ?? StoragePolicyDocument.defaultPriority
            return pa != pb ? pa < pb : a.uuidString < b.uuidString
        }
        // The last recording camera is never paused: some footage is better than none.
        guard let next = candidates.first, candidates.count > 1 || paused.isEmpty && cameras.count > 1 else {
            report.pausedCameras = paused.sorted { $0.uuidString < $1.uuidString }
            return
        }
        await recorder.suspendRecording(paused.union([next]))
        report.pausedCameras = (await recorder.suspended).sorted { $0.uuidString < $1.uuidString }
    }

    /// Deletions a crash interrupted (rows still `deleting`) are queued again.
    private func requeueUnfinishedDeletions() async {
        do {
            let rows = try await RecordingModel.query(on: index.database()).filter(\.$status == RecordingModel.Status.deleting.rawValue).all()
            let jobs = rows.map { RetentionJobHandler.job(recording: $0.id!, camera: $0.cameraID, reason: .freeSpace) }
            if !jobs.isEmpty {
                _ = try await queue.enqueue(jobs, requeue: [.succeeded, .cancelled, .parked, .failed])
                logger.notice("Finishing \(jobs.count) deletions a stop interrupted")
            }
        } catch {
            logger.error("Looking for interrupted deletions failed: \(error)")
        }
    }

    private func sampleIfDue(now: Date, disks: [MeasuredDisk]) async throws {
        guard now.timeIntervalSince(lastSample) >= Self.sampleEvery else { return }
        lastSample = now
        try await sample(now: now, disks: disks)
    }

    /// One row per tier in `storage_samples`, for the chart of storage over time.
    private func sample(now: Date, disks: [MeasuredDisk]) async throws {
        let totals = try await index.totals()
        guard let sql = index.database() as? any SQLDatabase else { return }
        for tier in StorageTier.allCases where footage.stores[tier] != nil {
            let total = totals[tier] ?? .init()
            let disk = disks.first { $0.tiers.contains(tier) }
            try await sql.raw("""
                INSERT INTO storage_samples (id, sampled_at, tier, used_bytes, recordings, free_bytes, capacity_bytes)
                VALUES (\(bind: UUID()), \(bind: now), \(bind: tier.rawValue), \(bind: total.bytes), \(bind: Int64(total.recordings)),
                        \(bind: disk?.free), \(bind: disk?.capacity))
                """).run()
        }
        try await sql.raw("DELETE FROM storage_samples WHERE sampled_at < \(bind: now.addingTimeInterval(-90 * 86_400))").run()
    }
}

/// A local disk as measured for one check.
struct MeasuredDisk: Sendable, Equatable {
    var tiers: Set<StorageTier>
    let device: UInt64?
    let capacity: Int64
    let free: Int64
    var required: Int64 = 0

    var state: DiskState { DiskState(tiers: tiers, freeBytes: free, requiredFreeBytes: required) }
}
