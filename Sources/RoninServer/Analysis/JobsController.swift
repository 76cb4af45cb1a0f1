import Foundation
import Hummingbird
import RoninCore

/// `/api/jobs`: the background job queue for admins: list, one job, cancel, retry.
struct JobsController {
    let queue: JobQueue

    /// A job as the API shows it.
    struct JobResponse: Codable, Sendable, ExplicitNullEncodable {
        let id: UUID
        let kind: String
        let state: String
        let priority: Int
        let attempt: Int
        let max_attempts: Int
        let run_at: Date
        let lease_owner: String?
        let lease_expires_at: Date?
        let progress: Double
        let payload: JSONValue
        let result: JSONValue?
        let last_error: String?
        let camera_id: UUID?
        let recording_id: UUID?
        let created_at: Date
        let updated_at: Date
        let started_at: Date?
        let finished_at: Date?

        init(_ job: Job) {
            id = job.id
            kind = job.kind
            state = job.state.rawValue
            priority = job.priority
            attempt = job.attempt
            max_attempts = job.maxAttempts
            run_at = job.runAt
            lease_owner = job.leaseOwner
            lease_expires_at = job.leaseExpiresAt
            progress = job.progress
            payload = JSONValue.parse(job.payload) ?? .null
            result = job.result.flatMap(JSONValue.parse)
            last_error = job.lastError
            camera_id = job.cameraID
            recording_id = job.recordingID
            created_at = job.createdAt
            updated_at = job.updatedAt
            started_at = job.startedAt
            finished_at = job.finishedAt
        }
    }

    struct Page: Codable, Sendable, ExplicitNullEncodable {
        let jobs: [JobResponse]
        let total: Int
        let next_cursor: String?
    }

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.get, "/api/jobs", "Background jobs, newest first, page by page", tag: "jobs", access: .admin)
            .query("kind", "string", "Only this kind (detect)").query("state", "string", "Only these states, comma-separated")
            .query("camera_id", "string", "Only this camera's").query("limit", "integer", "Jobs per page, 1 to 500 (default 100)")
            .query("cursor", "string", "next_cursor of the previous page").returns(200, "A page of jobs", "JobPage")
            .returns(400, "Bad parameters", "Error"), handler: list)
        api.add(APIOperation(.get, "/api/jobs/{id}", "One background job", tag: "jobs", access: .admin)
            .returns(200, "The job", "Job").returns(404, "No such job", "Error")) { _, context in
            let id = try context.uuid("id", of: "job")
            guard let job = try await queue.find(id) else { throw APIError.notFound("No job \(id.uuidString.lowercased())") }
            return JSONResponse(JobResponse(job))
        }
        api.add(APIOperation(.post, "/api/jobs/{id}/cancel", "Cancel a job that has not finished (a running one stops at its next frame, wherever it runs)", tag: "jobs", access: .admin)
            .returns(200, "The cancelled job", "Job").returns(404, "No such job", "Error").returns(409, "Already finished", "Error")) { _, context in
            let job = try await queue.cancel(try context.uuid("id", of: "job"))
            context.logger.info("Job \(job.kind) \(job.id) cancelled by '\(context.user?.username ?? "?")'")
            return JSONResponse(JobResponse(job))
        }
        api.add(APIOperation(.post, "/api/jobs/{id}/retry", "Queue a parked, failed or cancelled job again", tag: "jobs", access: .admin)
            .returns(200, "The queued job", "Job").returns(404, "No such job", "Error").returns(409, "Not parked, failed or cancelled", "Error")) { _, context in
            let job = try await queue.retry(try context.uuid("id", of: "job"))
            context.logger.info("Job \(job.kind) \(job.id) queued again by '\(context.user?.username ?? "?")'")
            return JSONResponse(JobResponse(job))
        }
    }

    @Sendable func list(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<Page> {
        let query = request.uri.queryParameters
        var filter = JobQueue.Filter()
        if let kind = query.get("kind") {
            guard kind.count <= 64, kind.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "_" }) else { throw APIError.badRequest("'kind' is not a job kind") }
            filter.kind = kind
        }
        if let states = query.get("state") {
            filter.states = try states.split(separator: ",").map { name in
                guard let state = JobState(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                    throw APIError.badRequest("'\(ErrorMiddleware.printable(String(name)))' is not a job state (\(JobState.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                return state
            }
        }
        if let camera = query.get("camera_id") {
            guard let id = UUID(uuidString: camera) else { throw APIError.badRequest("'\(ErrorMiddleware.printable(camera))' is not a valid camera id") }
            filter.cameraID = id
        }
        let limit = try DetectionsController.limit(query.get("limit"), default: 100, max: 500)
        let cursor = try query.get("cursor").map { raw -> PageCursor in
            guard let cursor = PageCursor(encoded: raw) else { throw APIError.badRequest("'cursor' is not one this server gave out") }
            return cursor
        }
        let page = try await queue.list(filter, limit: limit, after: cursor)
        return JSONResponse(Page(jobs: page.jobs.map(JobResponse.init), total: page.total, next_cursor: page.next?.encoded))
    }
}
