import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RoninCore

/// Delivers one notified event to one webhook receiver (`webhook` jobs): a JSON `POST` signed
/// with HMAC-SHA256 (docs/design/events.md, Notifications). A 2xx answer succeeds; anything
/// else, or no answer within 10 s, is retried with the queue's backoff and parked after the last
/// attempt, which the status shows.
struct WebhookJobHandler: JobHandler {
    static let kind = "webhook"
    static let timeout: TimeAmount = .seconds(10)

    /// A `webhook` job's payload: which event goes to which receiver.
    struct Payload: Codable, Sendable {
        let event_id: UUID
        let url: String
    }

    /// The body receivers get.
    struct Body: Encodable, Sendable {
        struct Camera: Encodable, Sendable {
            let id: UUID
            let name: String
        }

        struct Links: Encodable, Sendable {
            let event: String, snapshot: String, mosaic: String, clip: String
        }

        let type = "event"
        let event: EventResponse
        let camera: Camera
        let urls: Links
    }

    var kind: String { Self.kind }
    let store: EventStore
    let secret: String?
    let publicURL: String?
    let client: HTTPClient

    func unavailableReason() async -> String? { nil }

    static func job(event: EventModel, url: String) -> NewJob {
        let id = event.id!
        let payload = String(decoding: (try? JSONEncoder().encode(Payload(event_id: id, url: url))) ?? Data(), as: UTF8.self)
        return NewJob(kind: kind, payload: payload, priority: JobPriority.live, runAt: Date(), maxAttempts: 5,
                      uniqueKey: "webhook:\(id.uuidString.lowercased()):\(url.hashValueHex)", cameraID: event.cameraID, recordingID: nil)
    }

    /// A receiver's address as logs and the status may show it: no credentials, no query.
    static func display(_ url: String) -> String {
        guard var parts = URLComponents(string: url) else { return "(an unreadable URL)" }
        parts.user = nil
        parts.password = nil
        parts.query = nil
        parts.fragment = nil
        return parts.string ?? "(an unreadable URL)"
    }

    func run(_ job: Job, context: JobContext) async throws -> String? {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)) else {
            throw PermanentJobError("the job's payload is not a webhook delivery")
        }
        guard let event = try await store.find(payload.event_id) else { return #"{"skipped": "the event was deleted"}"# }
        let response = try await store.response(event)
        let base = publicURL ?? ""
        let body = Body(event: response, camera: .init(id: event.cameraID, name: response.camera_name),
                        urls: .init(event: base + "/api/events/\(response.id.uuidString.lowercased())", snapshot: base + response.snapshot_url,
                                    mosaic: base + response.mosaic_url, clip: base + response.clip_url))
        let encoder = JSONEncoder.api
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(body)
        let timestamp = Int(Date().timeIntervalSince1970)
        var request = HTTPClientRequest(url: payload.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Ronin-NVR/\(RoninVersion.current)")
        request.headers.add(name: "X-Ronin-Event", value: response.id.uuidString.lowercased())
        request.headers.add(name: "X-Ronin-Delivery", value: job.id.uuidString.lowercased())
        request.headers.add(name: WebhookSignature.timestampHeader, value: String(timestamp))
        if let secret { request.headers.add(name: WebhookSignature.signatureHeader, value: WebhookSignature.sign(body: data, timestamp: timestamp, secret: secret)) }
        request.body = .bytes(ByteBuffer(bytes: data))
        let answer: HTTPClientResponse
        do {
            answer = try await client.execute(request, timeout: Self.timeout)
        } catch {
            throw JobQueueError("\(Self.display(payload.url)) could not be reached: \(error)")
        }
        _ = try? await answer.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(Int(answer.status.code)) else {
            throw JobQueueError("\(Self.display(payload.url)) answered \(answer.status.code)")
        }
        return #"{"status": \#(answer.status.code)}"#
    }
}

private extension String {
    /// A short stable digest of the text, for unique keys (Swift's own hash changes per process).
    var hashValueHex: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
