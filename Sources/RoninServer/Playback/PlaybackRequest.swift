import FluentKit
import Foundation
import Hummingbird
import RoninCore

/// Reads and checks the query parameters playback endpoints share: the viewer's time zone,
/// a day or month, a bucket size, and one or several camera ids that must exist.
struct PlaybackRequest {
    static let maxCameras = 64

    let request: Request

    /// `tz` as given (the answer echoes it) and the zone it names; UTC when absent.
    func timeZone() throws -> (name: String, zone: TimeZone) {
        let raw = query("tz") ?? "UTC"
        return (raw.isEmpty ? "UTC" : raw, try Self.checked { () throws(LocalCalendar.InvalidInput) in try LocalCalendar.timeZone(named: raw) })
    }

    func query(_ name: String) -> String? {
        request.uri.queryParameters.get(name).map { String($0) }
    }

    /// Runs calendar arithmetic, turning its complaint about the input into a `400`.
    static func checked<T>(_ work: () throws(LocalCalendar.InvalidInput) -> T) throws -> T {
        do {
            return try work()
        } catch {
            throw APIError.badRequest(ErrorMiddleware.printable(error.message))
        }
    }

    func day(in zone: TimeZone) throws -> LocalDay {
        guard let raw = query("date") else { throw APIError.badRequest("Query parameter 'date' is required (YYYY-MM-DD)") }
        return try Self.checked { () throws(LocalCalendar.InvalidInput) in try LocalCalendar.day(raw, in: zone) }
    }

    func month(in zone: TimeZone) throws -> (name: String, days: [LocalDay]) {
        guard let raw = query("month") else { throw APIError.badRequest("Query parameter 'month' is required (YYYY-MM)") }
        return (raw, try Self.checked { () throws(LocalCalendar.InvalidInput) in try LocalCalendar.month(raw, in: zone) })
    }

    /// `bucket_seconds` for detection markers: 10 to 3600, 60 by default.
    func bucketSeconds() throws -> Int {
        guard let raw = query("bucket_seconds") else { return 60 }
        guard let value = Int(raw), (10...3600).contains(value) else {
            throw APIError.badRequest("'bucket_seconds' must be a whole number from 10 to 3600")
        }
        return value
    }

    /// The cameras named by `camera_ids` (comma-separated), in the order asked, each existing.
    func cameras(on database: any Database) async throws -> [CameraModel] {
        guard let raw = query("camera_ids"), !raw.isEmpty else {
            throw APIError.badRequest("Query parameter 'camera_ids' is required: camera ids separated by commas")
        }
        var ids: [UUID] = []
        for part in raw.split(separator: ",", omittingEmptySubsequences: true) {
            let text = part.trimmingCharacters(in: .whitespaces)
            guard let id = UUID(uuidString: text) else { throw APIError.badRequest("'\(ErrorMiddleware.printable(text))' is not a valid camera id") }
            if !ids.contains(id) { ids.append(id) }
        }
        guard !ids.isEmpty else { throw APIError.badRequest("'camera_ids' names no camera") }
        guard ids.count <= Self.maxCameras else { throw APIError.badRequest("At most \(Self.maxCameras) cameras per request") }
        let found = try await CameraModel.query(on: database).filter(\.$id ~~ ids).all()
        return try ids.map { id in
            guard let camera = found.first(where: { $0.id == id }) else { throw APIError.notFound("No camera with id \(id.uuidString.lowercased())") }
            return camera
        }
    }

    /// The camera in the path's `{camera_id}`.
    static func camera(_ context: RoninRequestContext, on database: any Database) async throws -> CameraModel {
        let id = try context.uuid("camera_id", of: "camera")
        guard let camera = try await CameraModel.find(id, on: database) else { throw APIError.notFound("No camera with id \(id.uuidString.lowercased())") }
        return camera
    }
}
