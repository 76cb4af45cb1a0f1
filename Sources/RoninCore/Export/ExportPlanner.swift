import Foundation

/// Decides which files an offline export writes and what they are called, so that a person
/// browsing the stick finds what they expect:
///
/// ```
/// ronin-export-2026-11-25_03-00-00-1a2b3c4d/
///   index.html  manifest.json  SHA256SUMS
///   cameras/Front Door/Front_Door_2026-11-25_03-00-00_to_04-00-00.mp4
///   cameras/Front Door/events/2026-11-25_03-12-05_person_arrival_5e6f7a8b.jpg
/// ```
///
/// Each camera's footage in the range becomes one MP4 per contiguous run (segments whose holes are
/// at most `mergeTolerance` apart), cut again at every local clock hour, so no file is longer
/// than an hour and each is named by its local start and end. Names are unique within a camera's
/// folder without regard to case (the hour that repeats when clocks fall back gets `-2`). Camera
/// folders are the cameras' storage folder names, already safe on every file system
/// (docs/design/camera-names.md). Pure: no clock, no I/O; the same input gives the same plan, which
/// is what lets a restarted export skip the files it already wrote.
public enum ExportPlanner {
    /// A camera's footage as the planner needs it.
    public struct Camera: Sendable, Equatable {
        public let id: UUID
        public let folder: String
        public let segments: [Segment]

        public init(id: UUID, folder: String, segments: [Segment]) {
            self.id = id
            self.folder = folder
            self.segments = segments
        }
    }

    /// One recorded segment: where ffmpeg reads it, the time it covers, its size.
    public struct Segment: Sendable, Equatable {
        public let location: String
        public let span: TimeSpan
        public let bytes: Int64

        public init(location: String, span: TimeSpan, bytes: Int64) {
            self.location = location
            self.span = span
            self.bytes = bytes
        }
    }

    /// One MP4 to write.
    public struct Video: Sendable, Equatable {
        public let cameraID: UUID
        /// Relative to the export folder.
        public let path: String
        /// The footage it holds.
        public let span: TimeSpan
        public let clip: ClipPlan
        /// The segments it is cut from (a caller whose locations expire, presigned URLs of cold
        /// footage, plans the clip again from these just before cutting).
        public let segments: [Segment]
        /// About how many bytes it will take (the segments' sizes, pro rata).
        public let estimatedBytes: Int64
    }

    /// Folder of the cameras in the export.
    public static let camerasFolder = "cameras"

    /// Every video of the export, camera by camera in the order given, oldest first.
    public static func videos(cameras: [Camera], range: TimeSpan, zone: TimeZone,
                              mergeTolerance: TimeInterval = TimelineConsolidator.defaultMergeTolerance) -> [Video] {
        var videos: [Video] = []
        for camera in cameras {
            let spans = camera.segments.map(\.span)
            let runs = TimelineConsolidator.consolidate(spans, within: range, mergeTolerance: mergeTolerance).ranges.map(\.span)
            var taken: Set<String> = []
            for run in runs {
                for piece in hours(of: run, zone: zone) {
                    let segments = camera.segments.filter { $0.span.overlaps(piece) }
                    guard let clip = ClipPlan(segments: segments.map { ClipPlan.Segment(path: $0.location, span: $0.span) }, request: piece) else {
                        continue
                    }
                    let name = unique(ExportFileName.clip(folder: camera.folder, span: clip.covered, in: zone), taken: &taken)
                    let estimate = segments.reduce(Int64(0)) { total, segment in
                        let overlap = min(segment.span.end, piece.end).timeIntervalSince(max(segment.span.start, piece.start))
                        let share = segment.span.seconds > 0 ? max(0, overlap) / segment.span.seconds : 1
                        return total + Int64((Double(segment.bytes) * share).rounded(.up))
                    }
                    videos.append(Video(cameraID: camera.id, path: "\(cameraFolder(camera.folder))/\(name)", span: clip.covered, clip: clip,
                                        segments: segments, estimatedBytes: estimate))
                }
            }
        }
        return videos
    }

    /// `span` cut at every local clock hour it crosses (and at every change of the zone's offset,
    /// which falls on a local hour in every zone that has one).
    public static func hours(of span: TimeSpan, zone: TimeZone) -> [TimeSpan] {
        var pieces: [TimeSpan] = []
        var start = span.start
        while start < span.end {
            let offset = TimeInterval(zone.secondsFromGMT(for: start))
            let local = start.timeIntervalSince1970 + offset
            var end = Date(timeIntervalSince1970: ((local / 3600).rounded(.down) + 1) * 3600 - offset)
            if let change = zone.nextDaylightSavingTimeTransition(after: start), change < end { end = change }
            end = min(max(end, start.addingTimeInterval(1)), span.end)
            pieces.append(TimeSpan(start: start, end: end))
            start = end
        }
        return pieces
    }

    /// A camera's folder in the export.
    public static func cameraFolder(_ folder: String) -> String {
        "\(camerasFolder)/\(folder)"
    }

    /// Where an event's snapshot goes: `cameras/<folder>/events/<local date>_<time>_<class>_<kind>_<id8>.jpg`.
    public static func snapshotPath(cameraFolder folder: String, eventID: UUID, className: String, kind: String, start: Date, zone: TimeZone) -> String {
        let time = "\(LocalCalendar.dateString(start, in: zone))_\(ExportFileName.clock(start, zone))"
        let name = "\(time)_\(safeWord(className))_\(safeWord(kind))_\(eventID.uuidString.lowercased().prefix(8)).jpg"
        return "\(cameraFolder(folder))/events/\(name)"
    }

    /// Letters, digits, `-` and `_` only (spaces become `_`), at most 32 characters.
    static func safeWord(_ text: String) -> String {
        let word = String(text.prefix(32).map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "_" })
        return word.isEmpty ? "_" : word
    }

    /// `name`, or `name-2.mp4`, `name-3.mp4`, … whichever is free, compared without case.
    static func unique(_ name: String, taken: inout Set<String>) -> String {
        var candidate = name
        var n = 2
        let stem = name.hasSuffix(".mp4") ? String(name.dropLast(4)) : name
        while taken.contains(candidate.lowercased()) {
            candidate = "\(stem)-\(n).mp4"
            n += 1
        }
        taken.insert(candidate.lowercased())
        return candidate
    }
}
