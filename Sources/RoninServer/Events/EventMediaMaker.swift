import Foundation
import RoninCore
import RoninMedia

/// Makes an event's mosaic and clip from its footage when they are first asked for
/// (docs/design/events.md, Artifacts): a busy camera has dozens of events an hour that nobody
/// opens, and a stored clip is a second copy of footage that is already on disk. What it makes
/// for an event that is over, from footage that reaches as far as it should
/// (`EventMediaCompleteness`), is kept in the event's folder and served from there ever after;
/// anything else (an event still going on, a departure whose post-roll is still being recorded)
/// is made again when older than a few seconds, and not kept.
///
/// One making per event and kind at a time (a second request waits for the first), and at most
/// `concurrency` at once overall, each ffmpeg at background priority.
actor EventMediaMaker {
    enum Kind: String, Sendable {
        case mosaic
        case clip
    }

    static let mosaicPanelWidth = 480
    /// How long an ongoing event's mosaic or clip is served before it is made again.
    static let earlyLifetime: TimeInterval = 5
    /// How many times a failed making is tried again before the request gets an error.
    static let renderRetries = 3

    let files: ArtifactFiles
    let renderer: ArtifactRenderer
    let clips: EventClipMaker
    let locator: FootageLocator
    let timeZone: TimeZone
    let concurrency: Int
    let completeness = EventMediaCompleteness()
    private var inFlight: [String: Task<Made, any Error>] = [:]
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(files: ArtifactFiles, renderer: ArtifactRenderer, clips: EventClipMaker, locator: FootageLocator, timeZone: TimeZone = .current,
         concurrency: Int = 2) {
        self.files = files
        self.renderer = renderer
        self.clips = clips
        self.locator = locator
        self.timeZone = timeZone
        self.concurrency = max(1, concurrency)
    }

    /// A mosaic or clip as made: where it is, and whether it is the one kept for good.
    struct Made: Sendable, Equatable {
        let path: String
        let final: Bool
    }

    /// Where an event's mosaic or clip is kept for good.
    nonisolated func finalPath(_ kind: Kind, of event: EventModel) -> String {
        let id = event.id!
        switch kind {
        case .mosaic: return files.mosaic(camera: event.cameraID, event: id)
        case .clip: return files.clip(camera: event.cameraID, event: id)
        }
    }

    /// Where one made from incomplete footage is served from for a few seconds.
    nonisolated func provisionalPath(_ kind: Kind, of event: EventModel) -> String {
        let folder = files.directory(camera: event.cameraID, event: event.id!)
        switch kind {
        case .mosaic: return folder + "/mosaic-early.jpg"
        case .clip: return folder + "/clip-early.mp4"
        }
    }

    /// The file of an event's mosaic or clip: the kept one when there is one, a provisional one
    /// made less than `earlyLifetime` ago, or one made now. Throws `NoEventFootage` when there
    /// is no footage.
    func file(_ kind: Kind, of event: EventModel, now: Date = Date()) async throws -> Made {
        let kept = finalPath(kind, of: event)
        if !event.ongoing, FileManager.default.fileExists(atPath: kept) { return Made(path: kept, final: true) }
        let early = provisionalPath(kind, of: event)
        if Self.recent(early, now: now) { return Made(path: early, final: false) }
        let key = "\(event.id!.uuidString):\(kind.rawValue):\(event.ongoing)"
        if let task = inFlight[key] { return try await task.value }
        let task = Task { try await self.make(kind, of: event) }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        return try await task.value
    }

    private func make(_ kind: Kind, of event: EventModel) async throws -> Made {
        await acquire()
        defer { release() }
        _ = try files.prepare(camera: event.cameraID, event: event.id!)
        let early = provisionalPath(kind, of: event)
        // The segment being written may be closed and moved between finding the footage and
        // reading it (its row follows once the indexer has probed it), or its last fragment may
        // not have reached the file yet: find the footage again, a few times, a second apart.
        var attempt = 0
        var reach: (wanted: Date, reached: Date?)
        while true {
            do {
                reach = try await render(kind, of: event, at: early)
                break
            } catch let error where !(error is NoEventFootage) && attempt < Self.renderRetries {
                attempt += 1
                try await Task.sleep(for: .seconds(1))
            }
        }
        guard completeness.isFinal(eventOver: !event.ongoing, wanted: reach.wanted, reached: reach.reached, now: Date()) else {
            return Made(path: early, final: false)
        }
        let kept = finalPath(kind, of: event)
        guard rename(early, kept) == 0 else { throw ArtifactError("cannot keep the event's \(kind.rawValue) (errno \(errno))") }
        return Made(path: kept, final: true)
    }

    /// Makes the mosaic or clip at `path`; returns the instant its footage should reach and how
    /// far the footage it found reaches.
    private func render(_ kind: Kind, of event: EventModel, at path: String) async throws -> (wanted: Date, reached: Date?) {
        switch kind {
        case .mosaic:
            let found = try await panels(event)
            try await renderer.mosaic(found.panels, panelWidth: Self.mosaicPanelWidth, output: path)
            return (found.wanted, found.reached)
        case .clip:
            guard let covered = try await clips.make(event, output: path) else { throw NoEventFootage() }
            return (clips.range(of: event).end, covered.end)
        }
    }

    /// Four moments spread over the event (at 1/8, 3/8, 5/8 and 7/8 of it), each in the footage;
    /// a moment not in the footage (yet) repeats the panel before it. `wanted` is the last
    /// moment, `reached` the last moment found before the first one missing.
    private func panels(_ event: EventModel) async throws -> (panels: [ArtifactRenderer.Panel], wanted: Date, reached: Date?) {
        let end = event.end ?? event.lastSeen
        let span = max(0, end.timeIntervalSince(event.start))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "HH:mm:ss"
        var panels: [ArtifactRenderer.Panel] = []
        var reached: Date?
        var complete = true
        let instants = [1.0, 3, 5, 7].map { event.start.addingTimeInterval(span * $0 / 8) }
        for instant in instants {
            if let frame = try await locator.frame(camera: event.cameraID, at: instant) {
                panels.append(.init(path: frame.path, offset: frame.offset, caption: formatter.string(from: instant)))
                if complete { reached = instant }
            } else {
                complete = false
            }
        }
        guard let first = panels.first else { throw NoEventFootage() }
        while panels.count < 4 { panels.append(panels.last ?? first) }
        return (panels, instants[3], reached)
    }

    /// Whether a provisional file was made less than `earlyLifetime` ago.
    private static func recent(_ path: String, now: Date) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return false }
        let made = attributes[.modificationDate] as? Date ?? .distantPast
        return now.timeIntervalSince(made) < earlyLifetime
    }

    private func acquire() async {
        if running < concurrency {
            running += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// The footage of an event is not there (never recorded, or deleted).
struct NoEventFootage: Error, CustomStringConvertible {
    var description: String { "there is no footage of this event" }
}
