import FluentKit
import Foundation
import Hummingbird
import Logging
import RoninCore
import RoninMedia
import ServiceLifecycle

/// Everything `ronin serve` runs, assembled from settings: database, keys, first admin,
/// HTTP router, and the service group that starts them in order and stops them gracefully
/// on SIGTERM/SIGINT (in-flight requests finish; the database closes last).
public struct RoninApp {
    public let settings: Settings
    let logger: Logger

    public init(settings: Settings, logger: Logger = Logger(label: "ronin")) {
        self.settings = settings
        self.logger = logger
    }

    /// Runs the server until a shutdown signal arrives.
    public func serve() async throws {
        try Self.prepareDataDirectory(settings.dataDirectory)
        let connector = try DatabaseConnector(settings.database, logger: logger)
        do {
            try await connector.migrate()
            let app = try await makeApplication(connector: connector)
            let group = ServiceGroup(
                configuration: .init(services: [.init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        } catch {
            await connector.shutdown()
            throw error
        }
        await connector.shutdown()
        logger.notice("Stopped")
    }

    /// The data folder holds the database and keys: only its owner may enter it.
    static func prepareDataDirectory(_ path: String) throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
    }

    func makeApplication(connector: DatabaseConnector) async throws -> some ApplicationProtocol {
        let router = try await makeRouter(connector: connector)
        return Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "Ronin NVR"),
            onServerRunning: { [logger, settings] _ in
                logger.notice("Ronin NVR \(RoninVersion.current) listening on http://\(settings.host):\(settings.port) (\(connector.kind.rawValue))")
            },
            logger: logger)
    }

    /// The router with every controller and middleware; also used by in-process tests.
    func makeRouter(connector: DatabaseConnector) async throws -> Router<RoninRequestContext> {
        let keys = KeyFileStore(directory: settings.dataDirectory)
        let jwtSecret = try keys.jwtSecret(configured: settings.jwtSecret, logger: logger)
        let cipher = try CredentialCipher(key: try keys.encryptionKey(configured: settings.encryptionKey, logger: logger))
        try FileManager.default.createDirectory(atPath: settings.storageRoot, withIntermediateDirectories: true)

        let database: @Sendable () -> any Database = { connector.database }
        let hasher = PasswordHasher()
        try await AdminBootstrap(accounts: UserAccounts(hasher: hasher, database: database()), logger: logger)
            .run(username: settings.adminUsername, password: settings.adminPassword)

        let tokens = await TokenService(secret: jwtSecret, lifetimeMinutes: settings.jwtLifetimeMinutes)
        let throttle = LoginThrottle(maxFailuresPerUser: settings.loginMaxFailures, maxFailuresPerClient: settings.loginMaxFailuresPerClient,
                                     window: TimeInterval(settings.loginWindowSeconds))
        let cameras = CameraService(cipher: cipher, probe: StreamProbe(ffprobePath: settings.ffprobePath, timeout: settings.probeTimeoutSeconds),
                                    database: database)

        let router = Router(context: RoninRequestContext.self)
        let api = APIRouteTable(router: router)
        router.add(middleware: ErrorMiddleware(routes: api))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: WebAppMiddleware(root: settings.webRoot))
        router.add(middleware: AuthenticationMiddleware(tokens: tokens, database: database))

        HealthController(databaseKind: connector.kind).register(on: api)
        AuthController(tokens: tokens, throttle: throttle, hasher: hasher, cookieSecure: settings.cookieSecure, database: database).register(on: api)
        UsersController(hasher: hasher, database: database).register(on: api)
        CameraTransferController(service: cameras, database: database).register(on: api)
        CamerasController(service: cameras, database: database).register(on: api)
        return router
    }
}
