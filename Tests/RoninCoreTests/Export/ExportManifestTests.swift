import Foundation
import RoninCore
import Testing

/// The manifest's JSON, the plan of video files (runs, local hours, DST, unique names) and the
/// offline page made from the manifest.
@Suite(.timeLimit(.minutes(2))) struct ExportManifestTests {
    static func instant(_ iso: String) -> Date { ISO8601DateFormatter().date(from: iso)! }
    let camera = UUID(uuidString: "0B5E7F4A-1111-2222-3333-444455556666")!
    let berlin = TimeZone(identifier: "Europe/Berlin")!

    func manifest() -> ExportManifest {
        let start = Self.instant("2026-11-25T03:00:00Z")
        return ExportManifest(
            exportID: UUID(uuidString: "1A2B3C4D-0000-0000-0000-000000000001")!, nvrVersion: "0.1.0", createdAt: start.addingTimeInterval(7200.25),
            timeZone: "Europe/Berlin", range: TimeSpan(start: start, end: start.addingTimeInterval(3600)),
            cameras: [.init(id: camera, name: "Front <Door> & \"Porch\"", folder: "Front Door")],
            files: [.init(path: "cameras/Front Door/Front_Door_2026-11-25_04-00-00_to_05-00-00.mp4", size: 12_345_678, sha256: String(repeating: "a", count: 64),
                          kind: .video, cameraID: camera, start: start, end: start.addingTimeInterval(3600))],
            events: [.init(id: UUID(uuidString: "5E6F7A8B-0000-0000-0000-000000000002")!, cameraID: camera, kind: "arrival", className: "person",
                           start: start.addingTimeInterval(725), end: start.addingTimeInterval(740), peakConfidence: 0.91,
                           snapshot: "cameras/Front Door/events/2026-11-25_04-12-05_person_arrival_5e6f7a8b.jpg")])
    }

    @Test func jsonUsesSnakeCaseAndUTCInstantsAndReadsBack() throws {
        let data = try manifest().encoded()
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"export_id\" : \"1a2b3c4d-0000-0000-0000-000000000001\""))
        #expect(text.contains("\"created_at\" : \"2026-11-25T05:00:00.250Z\""))
        #expect(text.contains("\"start\" : \"2026-11-25T03:00:00Z\""))
        #expect(text.contains("\"class\" : \"person\""))
        #expect(text.contains("\"camera_id\" : \"0b5e7f4a-1111-2222-3333-444455556666\""))
        #expect(!text.contains("0B5E7F4A"))
        #expect(text.contains("\"format\" : \"ronin-export\""))
        #expect(text.contains("\"nvr_version\" : \"0.1.0\""))
        #expect(text.contains("\"time_zone\" : \"Europe/Berlin\""))
        var noSnapshot = manifest()
        noSnapshot.events[0].snapshot = nil
        noSnapshot.events[0].end = nil
        let nulls = String(decoding: try noSnapshot.encoded(), as: UTF8.self)
        #expect(nulls.contains("\"snapshot\" : null") && nulls.contains("\"end\" : null"))
        #expect(try ExportManifest.decode(Data(nulls.utf8)) == noSnapshot)
        #expect(try ExportManifest.decode(data) == manifest())
    }

    @Test func otherDocumentsAreNotManifests() {
        #expect(throws: (any Error).self) { try ExportManifest.decode(Data("{}".utf8)) }
        var other = String(decoding: try! manifest().encoded(), as: UTF8.self)
        other = other.replacingOccurrences(of: "\"ronin-export\"", with: "\"something-else\"")
        #expect(throws: ExportManifest.ManifestError.self) { try ExportManifest.decode(Data(other.utf8)) }
    }

    func segments(_ spans: [(String, Double)]) -> [ExportPlanner.Segment] {
        spans.enumerated().map { index, item in
            let start = Self.instant(item.0)
            return .init(location: "/s/\(index).mp4", span: TimeSpan(start: start, end: start.addingTimeInterval(item.1)), bytes: Int64(item.1 * 1000))
        }
    }

    @Test func oneVideoPerRunCutAtLocalHours() {
        // 03:50-04:20 UTC in 15-minute segments with sub-second holes, then a gap, then 04:40-04:45.
        let camera = ExportPlanner.Camera(id: self.camera, folder: "Front Door", segments: segments([
            ("2026-11-25T03:50:00Z", 599.6), ("2026-11-25T04:00:00Z", 599.5), ("2026-11-25T04:10:00Z", 600),
            ("2026-11-25T04:40:00Z", 300)]))
        let range = TimeSpan(start: Self.instant("2026-11-25T03:55:00Z"), end: Self.instant("2026-11-25T05:00:00Z"))
        let videos = ExportPlanner.videos(cameras: [camera], range: range, zone: berlin)
        #expect(videos.map(\.path) == [
            // The first segment ends 0.4 s before the hour: the file holds what there is.
            "cameras/Front Door/Front_Door_2026-11-25_04-55-00_to_04-59-59.mp4",
            "cameras/Front Door/Front_Door_2026-11-25_05-00-00_to_05-20-00.mp4",
            "cameras/Front Door/Front_Door_2026-11-25_05-40-00_to_05-45-00.mp4",
        ])
        #expect(videos[0].clip.parts.map(\.path) == ["/s/0.mp4"])
        #expect(videos[0].clip.parts[0].inpoint == 300)
        #expect(videos[1].clip.parts.map(\.path) == ["/s/1.mp4", "/s/2.mp4"])
        #expect(videos[1].estimatedBytes == 599_500 + 600_000)
        #expect(abs(videos[0].estimatedBytes - 299_600) <= 1)  // 299.6 s of the 599.6 s segment
        #expect(videos.allSatisfy { $0.cameraID == self.camera })
    }

    @Test func theHourThatRepeatsWhenClocksFallBackGetsItsOwnNames() {
        // Berlin, 2026-10-25: 02:00-03:00 CEST (00:00 UTC), then 02:00-03:00 CET (01:00 UTC). The
        // same ten minutes of wall-clock time in both get distinct names.
        let camera = ExportPlanner.Camera(id: self.camera, folder: "Yard", segments: segments([("2026-10-25T00:10:00Z", 600), ("2026-10-25T01:10:00Z", 600)]))
        let range = TimeSpan(start: Self.instant("2026-10-25T00:00:00Z"), end: Self.instant("2026-10-25T02:00:00Z"))
        let videos = ExportPlanner.videos(cameras: [camera], range: range, zone: berlin)
        #expect(videos.map(\.path) == ["cameras/Yard/Yard_2026-10-25_02-10-00_to_02-20-00.mp4", "cameras/Yard/Yard_2026-10-25_02-10-00_to_02-20-00-2.mp4"])
        // Two hours of footage across the change are two files, each an hour.
        let hours = ExportPlanner.hours(of: range, zone: berlin)
        #expect(hours.map(\.seconds) == [3600, 3600])
        #expect(hours[0].end == Self.instant("2026-10-25T01:00:00Z"))
        // Spring forward (2026-03-29, 02:00 CET becomes 03:00 CEST at 01:00 UTC): hours stay hours.
        let spring = TimeSpan(start: Self.instant("2026-03-29T00:30:00Z"), end: Self.instant("2026-03-29T02:30:00Z"))
        #expect(ExportPlanner.hours(of: spring, zone: berlin).map(\.seconds) == [1800, 3600, 1800])
        // A zone half an hour off UTC cuts at its own hours.
        let kolkata = TimeZone(identifier: "Asia/Kolkata")!
        let india = TimeSpan(start: Self.instant("2026-11-25T03:00:00Z"), end: Self.instant("2026-11-25T05:00:00Z"))
        #expect(ExportPlanner.hours(of: india, zone: kolkata).map(\.seconds) == [1800, 3600, 1800])
    }

    @Test func footageOutsideTheRangeGivesNothing() {
        let camera = ExportPlanner.Camera(id: self.camera, folder: "Yard", segments: segments([("2026-11-25T01:00:00Z", 600)]))
        let range = TimeSpan(start: Self.instant("2026-11-25T03:00:00Z"), end: Self.instant("2026-11-25T04:00:00Z"))
        #expect(ExportPlanner.videos(cameras: [camera], range: range, zone: berlin).isEmpty)
    }

    @Test func snapshotNamesAreSafeWords() {
        let path = ExportPlanner.snapshotPath(cameraFolder: "Front Door", eventID: UUID(uuidString: "5E6F7A8B-0000-0000-0000-000000000002")!,
                                              className: "traffic light/../x", kind: "state_change", start: Self.instant("2026-11-25T03:12:05Z"), zone: berlin)
        #expect(path == "cameras/Front Door/events/2026-11-25_04-12-05_traffic_light____x_state_change_5e6f7a8b.jpg")
    }

    @Test func thePagePlaysTheFilesAndShowsTheEventsEscaped() {
        let html = ExportIndexPage.html(manifest())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<video data-testid=\"export-video\" controls preload=\"metadata\" src=\"cameras/Front%20Door/Front_Door_2026-11-25_04-00-00_to_05-00-00.mp4\""))
        #expect(html.contains("src=\"cameras/Front%20Door/events/2026-11-25_04-12-05_person_arrival_5e6f7a8b.jpg\""))
        #expect(html.contains("Front &lt;Door&gt; &amp; &quot;Porch&quot;"))
        #expect(!html.contains("<Door>"))
        #expect(html.contains("2026-11-25 04:00:00 to 2026-11-25 05:00:00 (Europe/Berlin)"))
        #expect(html.contains("2026-11-25 04:12:05 to 04:12:20"))
        #expect(html.contains("confidence 91%"))
        // Nothing from elsewhere: no absolute URL of any kind.
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("src=\"/") && !html.contains("//cdn"))
    }
}
