import AsyncHTTPClient
import FluentKit
import Foundation
import Logging
import RoninCore
import RoninMedia

/// Everything events need, made once from the settings and shared by `ronin serve` and
/// `ronin worker`: the store, the bus, the artifacts and their handlers, notifications and the
/// detection settings.
struct EventWork: Sendable {
    let store: EventStore
    let bus: EventBus
    let files: ArtifactFiles
    let renderer: ArtifactRenderer
    let clips: EventClipMaker
    let locator: FootageLocator
    let settingsStore: DetectionSettingsStore
    let notifier: Notifier
    let flow: EventFlow
    let media: EventMediaMaker
    let artifacts: ArtifactJobHandler
    let webhooks: WebhookJobHandler
    let liveBoard: LiveStatusBoard

    init(settings: Settings, pipelineConfig: DetectionPipelineConfig, footage: FootageStore, queue: JobQueue,
         database: @escaping @Sendable () -> any Database, logger: Logger) {
        let store = EventStore(database: database)
        let bus = EventBus()
        let layout = SegmentLayout(storageRoot: settings.storageRoot)
        // Beside the footage (not in the data folder), so workers on other machines that share
        // the storage make and serve the same files.
        let files = ArtifactFiles(root: settings.storageRoot + "/.events")
        let renderer = ArtifactRenderer(ffmpegPath: settings.ffmpegPath)
        let locator = FootageLocator(footage: footage, layout: layout, probe: MediaFileProbe(ffprobePath: settings.ffprobePath), database: database)
        let clips = EventClipMaker(locator: locator, cutter: ClipCutter(ffmpegPath: settings.ffmpegPath, workDirectory: settings.dataDirectory + "/run/clips"),
                                   ffmpegPath: settings.ffmpegPath, preSeconds: settings.eventPreSeconds, postSeconds: settings.eventPostSeconds)
        let settingsStore = DetectionSettingsStore(base: pipelineConfig, settings: settings, database: database)
        if let secret = settings.notifyWebhookSecret { SecretRedactor.shared.register(secret) }
        let notifier = Notifier(cooldown: settings.liveDetectionCooldown, maxPerHour: settings.notifyMaxPerHour, urls: settings.notifyWebhookURLs,
                                queue: queue, cameraCooldown: { camera in try? await settingsStore.effective(camera: camera).cooldown }, logger: logger)
        self.store = store
        self.bus = bus
        self.files = files
        self.renderer = renderer
        self.clips = clips
        self.locator = locator
        self.settingsStore = settingsStore
        self.notifier = notifier
        flow = EventFlow(store: store, bus: bus, queue: queue, notifier: notifier, postSeconds: settings.eventPostSeconds, logger: logger)
        let media = EventMediaMaker(files: files, renderer: renderer, clips: clips, locator: locator)
        self.media = media
        artifacts = ArtifactJobHandler(store: store, files: files, renderer: renderer, media: media, locator: locator, bus: bus)
        webhooks = WebhookJobHandler(store: store, secret: settings.notifyWebhookSecret, publicURL: settings.publicURL, client: HTTPClient.shared)
        liveBoard = LiveStatusBoard()
    }
}
