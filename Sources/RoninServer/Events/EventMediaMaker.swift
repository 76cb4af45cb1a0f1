import Foundation
import RoninCore
import RoninMedia

/// Makes an event's mosaic and clip from its footage when they are first asked for
/// (docs/design/events.md, Artifacts): a busy camera has dozens of events an hour that nobody
/// opens, and a stored clip is a second copy of footage that is already on disk. What it makes
/// for an event that is over is kept in the event's folder and served from there ever after; for
/// an event still going on it is made again when older than a few seconds, and not kept.
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

    let files: ArtifactFiles
    let renderer: ArtifactRenderer
    let clips: EventClipMaker
    let locator: FootageLocator
    let timeZone: TimeZone
    let concurrency: Int
    private var inFlight: [String: Task<String, any Error>] = [:]
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

    /// Where an event's mosaic or clip is for good (an event that is over) or for now.
    nonisolated func path(_ kind: Kind, of event: EventModel) -> String {
        let id = event.id!
        switch (kind, event.ongoing) {
        case (.mosaic, false): return files.mosaic(camera: event.cameraID, event: id)
        case (.clip, false): return files.clip(camera: event.cameraID, event: id)
        case (.mosaic, true): return files.directory(camera: event.cameraID, event: id) + "/mosaic-early.jpg"
        case (.clip, true): return files.directory(camera: event.cameraID, event: id) + "/clip-early.mp4"
        }
    }

    /// The file of an event's mosaic or clip, made now when it is not there (or, for an ongoing
    /// event, is older than `earlyLifetime`). Throws `NoEventFootage` when there is no footage.
    func file(_ kind: Kind, of event: EventModel) async throws -> String {
        let path = path(kind, of: event)
        if Self.usable(path, ongoing: event.ongoing) { return path }
        let key = "\(event.id!.uuidString):\(kind.rawValue):\(event.ongoing)"
        if let task = inFlight[key] { return try await task.value }
        let task = Task { try await self.make(kind, of: event, at: path) }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        return try await task.value
    }

    private func make(_ kind: Kind, of event: EventModel, at path: String) async throws -> String {
        await acquire()
        defer { release() }
        _ = try files.prepare(camera: event.cameraID, event: event.id!)
        do {
            try await render(kind, of: event, at: path)
        } catch is NoEventFootage {
            throw NoEventFootage()
        } catch {
            // The segment being written may have been closed and moved between finding the
            // footage and reading it: find it again, once.
            try await Task.sleep(for: .milliseconds(500))
            try await render(kind, of: event, at: path)
        }
        return path
    }

    private func render(_ kind: Kind, of event: EventModel, at path: String) async throws {
        switch kind {
        case .mosaic:
            try await renderer.mosaic(try await panels(event), panelWidth: Self.mosaicPanelWidth, output: path)
        case .clip:
            guard try await clips.make(event, output: path) else { throw NoEventFootage() }
        }
    }

    /// Four moments spread over the event (at 1/8, 3/8, 5/8 and 7/8 of it), each in the footage.
    private func panels(_ event: EventModel) async throws -> [ArtifactRenderer.Panel] {
        let end = event.end ?? event.lastSeen
        let span = max(0, end.timeIntervalSince(event.start))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = timeZone
        formatter.dateFormat = "HH:mm:ss"
        var panels: [ArtifactRenderer.Panel] = []
        for eighth in [1.0, 3, 5, 7] {
            let instant = event.start.addingTimeInterval(span * eighth / 8)
            if let frame = try await locator.frame(camera: event.cameraID, at: instant) {
                panels.append(.init(path: frame.path, offset: frame.offset, caption: formatter.string(from: instant)))
            }
        }
        guard let first = panels.first else { throw NoEventFootage() }
        while panels.count < 4 { panels.append(panels.last ?? first) }
        return panels
    }

    private static func usable(_ path: String, ongoing: Bool) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return false }
        guard ongoing else { return true }
        let made = attributes[.modificationDate] as? Date ?? .distantPast
        return Date().timeIntervalSince(made) < earlyLifetime
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
