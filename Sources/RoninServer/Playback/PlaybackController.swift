import FluentKit
import Foundation
import Hummingbird
import RoninCore

/// `/api/playback`: the calendar's days with footage and the day timeline, for one camera or
/// several at once (see docs/design/playback.md).
struct PlaybackController {
    let service: PlaybackService
    let database: @Sendable () -> any Database

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.get, "/api/playback/{camera_id}/days", "Local dates in a month that have footage", tag: "playback", access: .signedIn)
            .query("month", "string", "YYYY-MM").query("tz", "string", "IANA time zone of the viewer (default UTC)")
            .returns(200, "Days with footage", "PlaybackDays").returns(400, "Bad month or time zone", "Error").returns(404, "No such camera", "Error"),
            handler: days)
        api.add(APIOperation(.get, "/api/playback/days", "Days with footage for several cameras", tag: "playback", access: .signedIn)
            .query("camera_ids", "string", "Camera ids separated by commas (at most 64)").query("month", "string", "YYYY-MM")
            .query("tz", "string", "IANA time zone of the viewer (default UTC)")
            .returns(200, "Days with footage, per camera and in all", "PlaybackDaysMulti").returns(404, "No such camera", "Error"),
            handler: multiDays)
        api.add(APIOperation(.get, "/api/playback/{camera_id}/timeline", "A local day's footage ranges, gaps and detection markers", tag: "playback", access: .signedIn)
            .query("date", "string", "YYYY-MM-DD").query("tz", "string", "IANA time zone of the viewer (default UTC)")
            .query("bucket_seconds", "integer", "Marker bucket size, 10 to 3600 (default 60)")
            .returns(200, "The day's timeline", "PlaybackTimeline").returns(400, "Bad date or time zone", "Error").returns(404, "No such camera", "Error"),
            handler: timeline)
        api.add(APIOperation(.get, "/api/playback/timeline", "A local day's timeline for several cameras", tag: "playback", access: .signedIn)
            .query("camera_ids", "string", "Camera ids separated by commas (at most 64)").query("date", "string", "YYYY-MM-DD")
            .query("tz", "string", "IANA time zone of the viewer (default UTC)").query("bucket_seconds", "integer", "Marker bucket size, 10 to 3600")
            .returns(200, "The day's timeline per camera", "PlaybackTimelineMulti").returns(404, "No such camera", "Error"),
            handler: multiTimeline)
    }

    @Sendable func days(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<DaysResponse> {
        let parameters = PlaybackRequest(request: request)
        let (tz, zone) = try parameters.timeZone()
        let month = try parameters.month(in: zone)
        let camera = try await PlaybackRequest.camera(context, on: database())
        let days = try await service.daysWithFootage(camera: camera.id!, among: month.days)
        return JSONResponse(DaysResponse(camera_id: camera.id!, month: month.name, tz: tz, days: days))
    }

    @Sendable func multiDays(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<MultiDaysResponse> {
        let parameters = PlaybackRequest(request: request)
        let (tz, zone) = try parameters.timeZone()
        let month = try parameters.month(in: zone)
        let perCamera = try await Self.inOrder(try await parameters.cameras(on: database())) { [service] camera in
            CameraDaysResponse(camera_id: camera.id!, days: try await service.daysWithFootage(camera: camera.id!, among: month.days))
        }
        let union = Set(perCamera.flatMap(\.days)).sorted()
        return JSONResponse(MultiDaysResponse(month: month.name, tz: tz, days: union, cameras: perCamera))
    }

    @Sendable func timeline(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<TimelineResponse> {
        let parameters = PlaybackRequest(request: request)
        let (tz, zone) = try parameters.timeZone()
        let day = try parameters.day(in: zone)
        let bucket = try parameters.bucketSeconds()
        let camera = try await PlaybackRequest.camera(context, on: database())
        let footage = try await service.timeline(camera: camera.id!, day: day, bucketSeconds: bucket)
        return JSONResponse(TimelineResponse(day: TimelineDay(day, tz: tz, bucketSeconds: bucket), camera: footage))
    }

    @Sendable func multiTimeline(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<MultiTimelineResponse> {
        let parameters = PlaybackRequest(request: request)
        let (tz, zone) = try parameters.timeZone()
        let day = try parameters.day(in: zone)
        let bucket = try parameters.bucketSeconds()
        let cameras = try await Self.inOrder(try await parameters.cameras(on: database())) { [service] camera in
            try await service.timeline(camera: camera.id!, day: day, bucketSeconds: bucket)
        }
        return JSONResponse(MultiTimelineResponse(day: TimelineDay(day, tz: tz, bucketSeconds: bucket), cameras: cameras))
    }

    /// `work` for each camera, a few at a time (the database serves them side by side), with the
    /// answers in the cameras' order.
    static func inOrder<T: Sendable>(_ cameras: [CameraModel], concurrency: Int = 4,
                                     _ work: @escaping @Sendable (CameraModel) async throws -> T) async throws -> [T] {
        return try await withThrowingTaskGroup(of: (Int, T).self) { group in
            var results = [T?](repeating: nil, count: cameras.count)
            var next = 0
            func launch() {
                let index = next
                let camera = cameras[index]
                group.addTask { (index, try await work(camera)) }
                next += 1
            }
            while next < min(concurrency, cameras.count) { launch() }
            while let (index, value) = try await group.next() {
                results[index] = value
                if next < cameras.count { launch() }
            }
            return results.map { $0! }
        }
    }
}
