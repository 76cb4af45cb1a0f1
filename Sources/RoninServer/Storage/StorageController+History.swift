import FluentKit
import Foundation
import Hummingbird
import RoninCore
import SQLKit

/// The deletions log and the storage-over-time samples.
extension StorageController {
    struct Deletion: Codable, Sendable, ExplicitNullEncodable {
        let id: UUID
        let recording_id: UUID
        let camera_id: UUID
        let start: Date
        let end: Date
        let size_bytes: Int64
        let tier: String
        /// The file, for admins.
        let path: String?
        /// age, size, free_space, tier_age, tier_size
        let reason: String
        let deleted_at: Date
    }

    struct DeletionPage: Codable, Sendable, ExplicitNullEncodable {
        let deletions: [Deletion]
        let total: Int
        let next_cursor: String?
    }

    struct Sample: Codable, Sendable, ExplicitNullEncodable {
        let at: Date
        let tier: String
        let used_bytes: Int64
        let recordings: Int64
        let free_bytes: Int64?
        let capacity_bytes: Int64?
    }

    struct History: Codable, Sendable {
        let samples: [Sample]
    }

    @Sendable func deletions(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<DeletionPage> {
        let query = request.uri.queryParameters
        var limit = 100
        if let raw = query.get("limit") {
            guard let value = Int(raw), (1...1000).contains(value) else { throw APIError.badRequest("'limit' must be a whole number from 1 to 1000") }
            limit = value
        }
        var page = StorageDeletionModel.query(on: database())
        if let raw = query.get("cursor") {
            guard let cursor = PageCursor(encoded: raw) else { throw APIError.badRequest("'cursor' is not one this server gave out") }
            page = page.group(.or) { group in
                group.filter(\.$deletedAt < cursor.instantBefore)
                    .group(.and) { $0.filter(\.$deletedAt <= cursor.instantAfter).filter(\.$id < cursor.id) }
            }
        }
        var rows = try await page.sort(\.$deletedAt, .descending).sort(\.$id, .descending).limit(limit + 1).all()
        let more = rows.count > limit
        if more { rows.removeLast() }
        let total = try await StorageDeletionModel.query(on: database()).count()
        let admin = context.user?.role == .admin
        let next = more ? rows.last.map { PageCursor(instant: $0.deletedAt, id: $0.id!).encoded } : nil
        return JSONResponse(DeletionPage(deletions: rows.map { row in
            Deletion(id: row.id!, recording_id: row.recordingID, camera_id: row.cameraID, start: row.start, end: row.end, size_bytes: row.sizeBytes,
                     tier: row.tier, path: admin ? row.path : nil, reason: row.reason, deleted_at: row.deletedAt)
        }, total: total, next_cursor: next))
    }

    @Sendable func history(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<History> {
        var hours = 168
        if let raw = request.uri.queryParameters.get("hours") {
            guard let value = Int(raw), (1...2160).contains(value) else { throw APIError.badRequest("'hours' must be a whole number from 1 to 2160") }
            hours = value
        }
        guard let sql = database() as? any SQLDatabase else { return JSONResponse(History(samples: [])) }
        let rows = try await sql.raw("""
            SELECT sampled_at, tier, used_bytes, recordings, free_bytes, capacity_bytes FROM storage_samples
            WHERE sampled_at >= \(bind: Date().addingTimeInterval(-Double(hours) * 3_600)) ORDER BY sampled_at, tier
            """).all()
        return JSONResponse(History(samples: try rows.map { row in
            Sample(at: try row.decode(column: "sampled_at", as: Date.self), tier: try row.decode(column: "tier", as: String.self),
                   used_bytes: try row.decode(column: "used_bytes", as: Int64.self), recordings: try row.decode(column: "recordings", as: Int64.self),
                   free_bytes: try row.decode(column: "free_bytes", as: Int64?.self), capacity_bytes: try row.decode(column: "capacity_bytes", as: Int64?.self))
        }))
    }
}
