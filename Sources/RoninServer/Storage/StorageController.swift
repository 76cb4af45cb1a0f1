import FluentKit
import Foundation
import Hummingbird
import RoninCore
import SQLKit

/// `/api/storage`: the tiers and their policies (docs/design/tiers.md), editing the policies,
/// moving footage by hand, the deletions log and storage over time.
struct StorageController {
    static let maxMigrateRecordings = 100_000

    let service: StorageService
    let work: StorageWork
    let footage: FootageStore
    let queue: JobQueue
    let database: @Sendable () -> any Database

    struct MigrateRequest: Decodable, Sendable {
        let camera_ids: [UUID]
        let before: String
        let to_tier: StorageTier
    }

    struct MigrateResult: Codable, Sendable {
        let recordings: Int
        let bytes: Int64
        let queued: Int
        let already_queued: Int
    }

    struct PolicyAnswer: Codable, Sendable, ExplicitNullEncodable {
        /// What the UI stored (null inherits the environment).
        let document: StoragePolicyDocument
        /// What is in force.
        let effective: StorageStatus.Limits
        let hot: StorageStatus.Limits
        let warm: StorageStatus.Limits
        let min_free_bytes: Int64
        /// Each camera's own document (retention and priority), for cameras that have one and still exist.
        let cameras: [CameraDocument]
    }

    struct CameraDocument: Codable, Sendable {
        let camera_id: UUID
        let document: StoragePolicyDocument
    }

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.get, "/api/storage", "Each storage tier: use, policy, backlog, days held; cameras' bandwidth; the last check",
                             tag: "storage", access: .signedIn)
            .returns(200, "The storage status", "StorageStatus"), handler: status)
        api.add(APIOperation(.post, "/api/storage/check", "Check free space and the policies now, and queue what they call for", tag: "storage",
                             access: .admin)
            .returns(200, "The storage status after the check", "StorageStatus"), handler: checkNow)
        api.add(APIOperation(.get, "/api/storage/policy", "The storage policy edited here, and what is in force", tag: "storage", access: .signedIn)
            .returns(200, "The policy", "StoragePolicy"), handler: policy)
        api.add(APIOperation(.put, "/api/storage/policy", "Edit the storage policy (null inherits the environment)", tag: "storage", access: .admin)
            .body("StoragePolicyDocument").returns(200, "The policy", "StoragePolicy").returns(422, "A value that cannot be used, named", "Error"),
                handler: putPolicy)
        api.add(APIOperation(.put, "/api/storage/cameras/{id}", "A camera's own retention and storage priority", tag: "storage", access: .admin)
            .body("CameraStoragePolicy").returns(200, "The camera's storage settings", "CameraStoragePolicy")
            .returns(404, "No such camera", "Error").returns(422, "A value that cannot be used, named", "Error"), handler: putCamera)
        api.add(APIOperation(.post, "/api/storage/migrate", "Move cameras' footage recorded before an instant down to a tier", tag: "storage",
                             access: .admin)
            .body("MigrateRequest").returns(202, "What was queued", "MigrateResult").returns(404, "No such camera", "Error")
            .returns(422, "Bad tier or cameras", "Error"), handler: migrate)
        api.add(APIOperation(.get, "/api/storage/deletions", "Footage deleted, newest first: what, when and why", tag: "storage", access: .signedIn)
            .query("limit", "integer", "At most this many (1 to 1000, default 100)").query("cursor", "string", "The next page")
            .returns(200, "A page of deletions", "StorageDeletionPage"), handler: deletions)
        api.add(APIOperation(.get, "/api/storage/history", "Storage used per tier over time (a sample every five minutes)", tag: "storage",
                             access: .signedIn)
            .query("hours", "integer", "How far back (1 to 2160, default 168)").returns(200, "Samples", "StorageHistory"), handler: history)
    }

    private func admin(_ context: RoninRequestContext) -> Bool { context.user?.role == .admin }

    @Sendable func status(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<StorageStatus> {
        JSONResponse(try await StorageStatus.make(report: await service.report, footage: footage, index: work.index, policies: work.policies,
                                                  admin: admin(context)))
    }

    @Sendable func checkNow(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<StorageStatus> {
        let report = await service.check()
        return JSONResponse(try await StorageStatus.make(report: report, footage: footage, index: work.index, policies: work.policies, admin: true))
    }

    @Sendable func policy(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<PolicyAnswer> {
        JSONResponse(try await policyAnswer())
    }

    private func policyAnswer() async throws -> PolicyAnswer {
        let policy = try await work.policies.policy()
        func limits(_ value: StorageLimits, _ minAge: TimeInterval? = nil) -> StorageStatus.Limits {
            .init(max_age_seconds: value.maxAge, max_bytes: value.maxBytes, min_age_seconds: minAge)
        }
        let documents = try await work.policies.documents()
        let known = Set(try await CameraModel.query(on: database()).all().compactMap(\.id))
        let cameras = documents.compactMap { scope, document in UUID(uuidString: scope).map { CameraDocument(camera_id: $0, document: document) } }
            .filter { known.contains($0.camera_id) }.sorted { $0.camera_id.uuidString < $1.camera_id.uuidString }
        return PolicyAnswer(document: documents[StoragePolicyStore.globalScope] ?? StoragePolicyDocument(), effective: limits(policy.retention),
                            hot: limits(policy.hot, policy.hotMinAge), warm: limits(policy.warm), min_free_bytes: policy.minFreeBytes,
                            cameras: cameras)
    }

    @Sendable func putPolicy(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<PolicyAnswer> {
        let document = try Self.document(try await JSONBody.data(from: request), keys: StoragePolicyDocument.globalKeys)
        try await work.policies.put(document, camera: nil)
        context.logger.notice("Storage policy changed by '\(context.user?.username ?? "?")'")
        footageChanged()
        return JSONResponse(try await policyAnswer())
    }

    @Sendable func putCamera(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<StoragePolicyDocument> {
        let id = try context.uuid("id", of: "camera")
        guard try await CameraModel.find(id, on: database()) != nil else { throw APIError.notFound("No camera with id \(id)") }
        let document = try Self.document(try await JSONBody.data(from: request), keys: StoragePolicyDocument.cameraKeys)
        try await work.policies.put(document, camera: id)
        footageChanged()
        return JSONResponse(document)
    }

    /// A policy document from a JSON body; a value that cannot be used is a 422 naming its field.
    static func document(_ data: Data, keys: [String]) throws -> StoragePolicyDocument {
        guard let root = try? JSONDecoder().decode(JSONValue.self, from: data) else { throw APIError.badRequest("The request body is not valid JSON") }
        guard case .object(let values) = root else { throw APIError.badRequest("Expected a JSON object") }
        var plain: [String: Any?] = [:]
        for (key, value) in values {
            switch value {
            case .null: plain[key] = .some(nil)
            case .string(let text): plain[key] = text
            case .number(let number):
                plain[key] = key == "priority" ? (number == number.rounded() && abs(number) < 1e9 ? Int(number) : number as Any) : number
            case .bool(let flag): plain[key] = flag
            case .array, .object: plain[key] = [String]()
            }
        }
        do {
            return try StoragePolicyDocument.parse(plain, keys: keys)
        } catch {
            throw APIError.validation(error.description)
        }
    }

    @Sendable func migrate(_ request: Request, context: RoninRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(MigrateRequest.self, from: request)
        guard !body.camera_ids.isEmpty, body.camera_ids.count <= 64 else { throw APIError.validation("camera_ids must name 1 to 64 cameras") }
        let before = try RecordingsController.time(body.before, name: "before")
        guard body.to_tier != .hot else { throw APIError.validation("to_tier must be warm or cold: footage only moves down") }
        guard footage.stores[body.to_tier] != nil else { throw APIError.validation("This server has no \(body.to_tier.rawValue) storage") }
        for id in Set(body.camera_ids) where try await CameraModel.find(id, on: database()) == nil {
            throw APIError.notFound("No camera with id \(id)")
        }
        let upper = StorageTier.allCases.filter { $0 < body.to_tier }.map(\.rawValue)
        let rows = try await RecordingModel.query(on: database()).filter(\.$cameraID ~~ body.camera_ids).filter(\.$end <= before)
            .filter(\.$status == RecordingModel.Status.complete.rawValue).filter(\.$tier ~~ upper)
            .sort(\.$start).limit(Self.maxMigrateRecordings).all()
        let jobs = rows.map { MigrationJobHandler.job(recording: $0.id!, camera: $0.cameraID, to: body.to_tier, reason: .manual) }
        let outcomes = try await queue.enqueue(jobs, requeue: [.succeeded, .cancelled, .parked, .failed])
        let queued = outcomes.filter { if case .alreadyActive = $0 { return false } else { return true } }.count
        context.logger.notice("Moving \(rows.count) recordings to \(body.to_tier.rawValue) storage, asked for by '\(context.user?.username ?? "?")'")
        let result = MigrateResult(recordings: rows.count, bytes: rows.reduce(0) { $0 + $1.sizeBytes }, queued: queued,
                                   already_queued: outcomes.count - queued)
        return try JSONResponse(result, status: .accepted).response(from: request, context: context)
    }

    /// Policies changed: check at once rather than at the next interval.
    private func footageChanged() {
        service.segmentIndexed()
    }
}
