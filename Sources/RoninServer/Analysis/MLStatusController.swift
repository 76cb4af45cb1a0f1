import Foundation
import Hummingbird
import RoninCore

/// `GET /api/ml/status`: whether detection can run and why not, the queue per kind with its
/// backlog in seconds of footage, and every worker pool on any machine with what it runs.
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
                  backlog_seconds: (summary.backlogSeconds * 10).rounded() / 10)
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
        return JSONResponse(Report(
            detection: Detection(enabled: work.settings.mlEnabled, available: reason == nil, reason: reason, model: model, provider: provider,
                                 historical_fps: work.settings.mlHistoricalFPS),
            queues: queues, workers: workers, live: work.events.liveBoard.all,
            notifications: notifications))
    }
}
