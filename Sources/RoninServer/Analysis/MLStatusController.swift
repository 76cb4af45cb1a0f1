import Foundation
import Hummingbird
import RoninCore

/// `GET /api/ml/status`: whether detection can run and why not, the queue per kind with its
/// backlog in seconds of footage, and every worker pool on any machine with what it runs.
///
/// Admins see how the system is wired (worker hosts, webhook receivers, why detection cannot
/// run, in the words of the library or file at fault); viewers see the same numbers with
/// workers named `worker 1`, `worker 2`, … and the reasons in general words (`forViewer`).
struct MLStatusController {
    let work: BackgroundWork

    struct Detection: Codable, Sendable, ExplicitNullEncodable {
        let enabled: Bool
        let available: Bool
        let reason: String?
        let model: String?
        let provider: String
        let historical_fps: Double
    }

    struct Queue: Codable, Sendable {
        let kind: String
        let queued: Int
        let running: Int
        let failed: Int
        let parked: Int
        let backlog_seconds: Double
        /// The same backlog in hours of footage, to one hundredth.
        let backlog_hours: Double
    }

    struct WorkerJob: Codable, Sendable, ExplicitNullEncodable {
        let id: UUID
        let camera_id: UUID?
        let recording_id: UUID?
        let progress: Double
    }

    struct Worker: Codable, Sendable, ExplicitNullEncodable {
        let id: String
        let host: String
        let kinds: [String]
        let started_at: Date
        let heartbeat_at: Date
        let alive: Bool
        let jobs: [WorkerJob]
        let frames_per_second: Double?
        let inference_ms: Double?
        let detection_available: Bool
        let reason: String?
    }

    /// Notifications: how many were sent and held back, and the webhook receivers.
    struct Notifications: Codable, Sendable {
        let webhooks: [String]
        let signed: Bool
        let sent: Int
        let cooling_down: Int
        let hourly_cap: Int
        let failed_deliveries: Int
    }

    struct Report: Codable, Sendable {
        let detection: Detection
        let queues: [Queue]
        let workers: [Worker]
        let live: [LiveStatusBoard.Camera]
        let notifications: Notifications
    }

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.get, "/api/ml/status", "Detection availability, job backlog and workers", tag: "detection", access: .signedIn)
            .returns(200, "The report", "MLStatus"), handler: report)
    }

    @Sendable func report(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<Report> {
        let reason = await work.engine.unavailableReason()
        let model = reason == nil ? try? await work.engine.model() : nil
        let provider: String
        switch work.vision.sessionOptions.provider {
        case .cpu: provider = "cpu"
        case .cuda: provider = "cuda"
        }
        var summaries = try await work.queue.summary()
        if summaries[DetectionJobHandler.kind] == nil { summaries[DetectionJobHandler.kind] = .init() }
        let queues = summaries.sorted { $0.key < $1.key }.map { kind, summary in
            Queue(kind: kind, queued: summary.queued, running: summary.running, failed: summary.failed, parked: summary.parked,
                  backlog_seconds: (summary.backlogSeconds * 10).rounded() / 10,
                  backlog_hours: (summary.backlogSeconds / 36).rounded() / 100)
        }
        let counts = await work.events.notifier.counts
        let webhookQueue = summaries[WebhookJobHandler.kind]
        let failedDeliveries: Int = (webhookQueue?.failed ?? 0) + (webhookQueue?.parked ?? 0)
        let notifications = Notifications(webhooks: work.settings.notifyWebhookURLs.map(WebhookJobHandler.display),
                                          signed: work.settings.notifyWebhookSecret != nil, sent: counts.sent,
                                          cooling_down: counts.cooling_down, hourly_cap: counts.hourly_cap, failed_deliveries: failedDeliveries)
        let now = Date()
        let workers = try await work.board.entries().map { entry in
            let report = entry.report
            return Worker(id: report.id, host: report.host, kinds: report.kinds, started_at: report.startedAt, heartbeat_at: entry.heartbeatAt,
                          alive: now.timeIntervalSince(entry.heartbeatAt) < WorkerStatusBoard.aliveWithin,
                          jobs: report.jobs.map { WorkerJob(id: $0.id, camera_id: $0.cameraID, recording_id: $0.recordingID, progress: $0.progress) },
                          frames_per_second: report.framesPerSecond.map { ($0 * 10).rounded() / 10 },
                          inference_ms: report.inferenceMilliseconds.map { ($0 * 10).rounded() / 10 },
                          detection_available: report.detectionAvailable, reason: report.reason)
        }
        let report = Report(
            detection: Detection(enabled: work.settings.mlEnabled, available: reason == nil, reason: reason, model: model, provider: provider,
                                 historical_fps: work.settings.mlHistoricalFPS),
            queues: queues, workers: workers, live: work.events.liveBoard.all,
            notifications: notifications)
        return JSONResponse(context.user?.role == .admin ? report : report.forViewer())
    }
}

extension MLStatusController.Report {
    /// What a viewer is shown: no host names, process ids, webhook addresses or error texts
    /// (which name files and libraries); workers keep their order and numbers.
    func forViewer() -> Self {
        var names: [String: String] = [:]
        for (index, worker) in workers.enumerated() { names[worker.id] = "worker \(index + 1)" }
        func name(_ id: String?) -> String? { id.map { names[$0] ?? "another worker" } }
        let general = "not available on this server (an administrator can see why)"
        return .init(
            // Switched off by a setting is no secret; anything else names files and libraries.
            detection: .init(enabled: detection.enabled, available: detection.available,
                             reason: detection.enabled ? detection.reason.map { _ in "Detection is \(general)" } : detection.reason,
                             model: detection.model, provider: detection.provider, historical_fps: detection.historical_fps),
            queues: queues,
            workers: workers.map { worker in
                .init(id: name(worker.id)!, host: name(worker.id)!, kinds: worker.kinds, started_at: worker.started_at, heartbeat_at: worker.heartbeat_at,
                      alive: worker.alive, jobs: worker.jobs, frames_per_second: worker.frames_per_second, inference_ms: worker.inference_ms,
                      detection_available: worker.detection_available, reason: worker.reason.map { _ in "Detection is \(general)" })
            },
            live: live.map { camera in
                var seen = camera
                seen.worker = name(camera.worker)
                seen.error = camera.error.map { _ in "Live detection is waiting (an administrator can see why)" }
                return seen
            },
            notifications: .init(webhooks: [], signed: notifications.signed, sent: notifications.sent, cooling_down: notifications.cooling_down,
                                 hourly_cap: notifications.hourly_cap, failed_deliveries: notifications.failed_deliveries))
    }
}
