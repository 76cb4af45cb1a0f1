import FluentKit
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
import Logging
import NIOCore
import RoninCore
import RoninMedia
import RoninVision
import ServiceLifecycle

/// Everything `ronin serve` runs, assembled from settings: database, keys, first admin,
/// HTTP router, and the service group that starts them in order and stops them gracefully
/// on SIGTERM/SIGINT (in-flight requests finish; the database closes last).
public struct RoninApp {
    public let settings: Settings
    /// Model, ONNX Runtime and session settings for detection (ML_MODEL_PATH, ML_THREADS, …).
    public let vision: VisionSettings
    let logger: Logger

    public init(settings: Settings, vision: VisionSettings = VisionSettings(), logger: Logger = Logger(label: "ronin")) {
        self.settings = settings
        self.vision = vision
        self.logger = logger
    }

    /// Runs the server until a shutdown signal arrives.
    public func serve() async throws {
        ProcessLimits.prepare(logger: logger)
        try Self.prepareDataDirectory(settings.dataDirectory)
        let connector = try DatabaseConnector(settings.database, logger: logger)
        do {
            try await connector.migrate()
            if case .sqlite(let path) = settings.database { ProcessLimits.restrict(databaseFiles: path) }
            let components = try await assemble(connector: connector)
            let app = try makeApplication(router: components.router, liveSockets: components.liveSockets, databaseKind: connector.kind)
            // Services stop in reverse order: the web server first (in-flight requests finish),
            // then recording (each ffmpeg closes its segment and the last segments are indexed),
            // then the workers (their jobs are handed back for the next start).
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
            // Storage jobs always run here, beside the disk the cameras record to (a disk must never
            // fill for want of a worker elsewhere); detection and event work when detection is on
            // and this node runs workers.
            services.append(.init(service: components.work.pool(kinds: components.work.inProcessKinds)))
            if !settings.runWorkers && settings.mlEnabled && connector.kind == .sqlite {
                logger.warning("""
                    RONIN_RUN_WORKERS=false on SQLite: no process can run this server's detection jobs (detection, event pictures, \
                    webhooks), because `ronin worker` needs PostgreSQL; they wait until the server runs with RONIN_RUN_WORKERS=true \
                    (storage jobs run here regardless)
                    """)
            }
            services.append(.init(service: StartupBackfill(work: components.work)))
            services.append(.init(service: components.feeds))
            services.append(.init(service: components.recorder))
            // Storage checks start with recording (the recorder indexes first at start-up) and stop
            // before it; what they queue is done by the workers.
            services.append(.init(service: components.storage))
            // Live detection stops before recording (its watches end while the streams still run).
            if settings.mlEnabled { services.append(.init(service: components.live)) }
            // On PostgreSQL, what live workers elsewhere see reaches this server's event streams.
            if let notifications = connector.notifications {
                let events = components.work.events
                services.append(.init(service: EventBusLinkService(link: EventBusLink(notifications: notifications, logger: logger), bus: events.bus,
                                                                   end: .receive(store: events.store, board: events.liveBoard))))
            }
            // The event streams end first, so the web server's graceful stop does not wait for them.
            services += [.init(service: app), .init(service: EventStreamCloser(bus: components.work.events.bus))]
            let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        } catch {
            await connector.shutdown()
            throw error
        }
        await connector.shutdown()
        logger.notice("Stopped")
    }

    /// The data folder holds the database and keys: only its owner may enter it, whatever
    /// its mode was (it is set again at every start).
    static func prepareDataDirectory(_ path: String) throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
    }

    func makeApplication(router: Router<RoninRequestContext>, liveSockets: LiveSocketController, databaseKind: Settings.DatabaseKind) throws
        -> some ApplicationProtocol {
        // HTTP/1.1, and the live view's WebSocket upgrade (decided before the router, see
        // LiveSocketController); the server's pings keep a quiet viewer's socket from idling out.
        // A connection's first request is held to the idle timeout too (RequestHeadDeadline).
        let idleTimeout = TimeAmount.seconds(Int64(settings.httpIdleTimeoutSeconds))
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: .init(idleTimeout: idleTimeout), ws: .init(maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: .seconds(20))))
        let http = HTTPServerBuilder { responder in
            RequestHeadDeadlineChannel(
                base: HTTP1WebSocketUpgradeChannel(responder: responder, configuration: configuration,
                                                   shouldUpgrade: { request, _, logger in try await liveSockets.shouldUpgrade(request, logger: logger) }),
                timeout: idleTimeout)
        }
        let server = try TLSSetup(settings: settings).map { try HTTPServerBuilder.tls(http, tlsConfiguration: $0.configuration()) } ?? http
        let scheme = settings.tlsCertificatePath == nil ? "http" : "https"
        return Application(
            router: router,
            server: server,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "Ronin NVR",
                                 availableConnectionsDelegate: MaximumAvailableConnections(settings.httpMaxConnections)),
            onServerRunning: { [logger, settings] _ in
                logger.notice("Ronin NVR \(RoninVersion.current) listening on \(scheme)://\(settings.host):\(settings.port) (\(databaseKind.rawValue))")
            },
            logger: logger)
    }

    /// The parts `serve` runs: the HTTP router, the recording service and background work.
    struct Components {
        let router: Router<RoninRequestContext>
        let liveSockets: LiveSocketController
        let feeds: LiveFeeds
        let recorder: RecordingManager
        let storage: StorageService
        let work: BackgroundWork
        let live: LiveDetectionService
    }

    /// The router alone, for in-process tests.
    func makeRouter(connector: DatabaseConnector) async throws -> Router<RoninRequestContext> {
        try await assemble(connector: connector).router
    }

    /// Every controller, middleware and service, wired to one database.
    func assemble(connector: DatabaseConnector) async throws -> Components {
        let keys = KeyFileStore(directory: settings.dataDirectory)
        let jwtSecret = try keys.jwtSecret(configured: settings.jwtSecret, logger: logger)
        let cipher = try CredentialCipher(key: try keys.encryptionKey(configured: settings.encryptionKey, logger: logger))
        try FileManager.default.createDirectory(atPath: settings.storageRoot, withIntermediateDirectories: true)

        let database: @Sendable () -> any Database = { connector.database }
        let hasher = PasswordHasher()
        try await AdminBootstrap(accounts: UserAccounts(hasher: hasher, database: database()), logger: logger)
            .run(username: settings.adminUsername, password: settings.adminPassword)

        let tokens = await TokenService(secret: jwtSecret, lifetimeMinutes: settings.jwtLifetimeMinutes)
        let gate = SignInGate(limits: .init(perSource: settings.loginMaxFailures, perClient: settings.loginMaxFailuresPerClient,
                                            perUsername: settings.loginMaxFailuresPerUsername),
                              window: TimeInterval(settings.loginWindowSeconds), maxConcurrent: settings.loginMaxConcurrent)
        let cameras = CameraService(cipher: cipher, probe: StreamProbe(ffprobePath: settings.ffprobePath, timeout: settings.probeTimeoutSeconds),
                                    database: database)

        let work = try await BackgroundWork.assemble(settings: settings, vision: vision, connector: connector, logger: logger)
        let layout = SegmentLayout(storageRoot: settings.storageRoot)
        let taps = LiveTaps()
        let feeds = LiveFeeds(runtimeDirectory: settings.dataDirectory + "/run", logger: logger)
        let storage = StorageService(settings: settings.storage, policies: work.storage.policies, index: work.storage.index, footage: work.footage,
                                     queue: work.queue, logger: logger)
        let indexer = SegmentIndexer(layout: layout, probe: MediaFileProbe(ffprobePath: settings.ffprobePath), database: database, logger: logger,
                                     onIndexed: {
                                         storage.segmentIndexed()
                                         await work.recordingIndexed($0)
                                     })
        let recorder = RecordingManager(
            configuration: .init(layout: layout, runtimeDirectory: settings.dataDirectory + "/run", segmentSeconds: settings.segmentSeconds,
                                 stallTimeout: Double(settings.stallSeconds), ffmpegPath: settings.ffmpegPath,
                                 runPipelines: settings.runPipelines, taps: settings.mlEnabled ? taps : nil,
                                 feeds: settings.liveWebSocket ? feeds : nil),
            cameras: cameras, indexer: indexer, logger: logger)
        await storage.attach(recorder)
        let events = work.events
        let live = work.liveDetection(role: .recorder(recorder), taps: taps)

        let router = Router(context: RoninRequestContext.self)
        let api = APIRouteTable(router: router)
        // Outermost first: every answer, errors included, carries the security headers and is
        // logged with its final status.
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: ErrorMiddleware(routes: api))
        let webRoot = settings.webRoot ?? InstallLayout.current().webRoot()
        logger.info("Web UI from \(webRoot)")
        router.add(middleware: WebAppMiddleware(root: webRoot))
        let revocations = SessionRevocations(database: database)
        let authentication = AuthenticationMiddleware(tokens: tokens, revocations: revocations, database: database)
        router.add(middleware: authentication)
        let liveSockets = LiveSocketController(feeds: feeds, authentication: authentication, enabled: settings.liveWebSocket, database: database)
        liveSockets.register(on: api)

        HealthController(databaseKind: connector.kind).register(on: api)
        AuthController(tokens: tokens, revocations: revocations, gate: gate, hasher: hasher, devices: DeviceToken(secret: jwtSecret),
                       deviceLifetime: TimeInterval(settings.loginDeviceDays) * 86_400, cookieSecure: settings.cookieSecure,
                       database: database).register(on: api)
        UsersController(hasher: hasher, database: database).register(on: api)
        CameraTransferController(service: cameras, recorder: recorder, database: database).register(on: api)
        CamerasController(service: cameras, recorder: recorder, database: database).register(on: api)
        var recordings = RecordingsController(footage: work.footage, database: database)
        if let cold = work.footage.stores[.cold] as? ColdTierStore {
            recordings.cold = ColdFootageResponder(store: cold, cache: ColdBlockCache(directory: settings.dataDirectory + "/cache/cold",
                                                                                      maxBytes: settings.storage.coldCacheBytes))
        }
        recordings.register(on: api)
        LiveStreamController(layout: layout, database: database).register(on: api)
        PlaybackController(service: PlaybackService(queries: PlaybackQueries(database: database)), database: database).register(on: api)
        ClipExportController(footage: work.footage, maxHours: settings.exportMaxHours,
                             cutter: ClipCutter(ffmpegPath: settings.ffmpegPath, workDirectory: settings.dataDirectory + "/run/exports"),
                             slots: ExportSlots(total: settings.exportMaxConcurrent, perUser: settings.exportMaxConcurrentPerUser),
                             stallSeconds: settings.exportStallSeconds,
                             database: database, logger: logger).register(on: api)
        StatusController(databaseKind: connector.kind, storageRoot: settings.storageRoot, recorder: recorder, database: database).register(on: api)
        DetectionsController(database: database).register(on: api)
        AnalysisController(work: work).register(on: api)
        JobsController(queue: work.queue).register(on: api)
        MLStatusController(work: work).register(on: api)
        EventsController(store: events.store, files: events.files, renderer: events.renderer, media: events.media, queue: work.queue, bus: events.bus,
                         logger: logger)
            .register(on: api)
        EventStreamController(bus: events.bus, board: events.liveBoard).register(on: api)
        DetectionConfigController(store: events.settingsStore, database: database).register(on: api)
        StorageController(service: storage, work: work.storage, footage: work.footage, queue: work.queue, database: database).register(on: api)
        OfflineExportController(service: OfflineExportService(settings: settings, queue: work.queue, database: database, logger: logger)).register(on: api)
        return Components(router: router, liveSockets: liveSockets, feeds: feeds, recorder: recorder, storage: storage, work: work, live: live)
    }
}
