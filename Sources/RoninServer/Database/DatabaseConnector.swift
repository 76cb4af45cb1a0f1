import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import RoninCore
import SQLKit

/// Opens the configured database (SQLite file or PostgreSQL), runs the migrations, and hands
/// out `Database` handles. One schema and one migration list serve both databases.
///
/// Call `shutdown()` once, after every user of the database has stopped.
public final class DatabaseConnector: Sendable {
    public let kind: Settings.DatabaseKind
    let databases: Databases
    let logger: Logger
    /// The PostgreSQL connection settings, for the job queue's LISTEN connection.
    let postgres: SQLPostgresConfiguration?

    public init(_ configuration: Settings.Database, logger: Logger) throws {
        // Query logging (with bound values) stays off below info, whatever LOG_LEVEL says.
        var databaseLogger = logger
        databaseLogger.logLevel = max(logger.logLevel, .info)
        self.logger = databaseLogger
        kind = configuration.kind
        databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        var postgres: SQLPostgresConfiguration?
        switch configuration {
        case .sqlite(let path):
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            databases.use(.sqlite(.file(path), sqlLogLevel: .trace), as: .sqlite)
        case .postgres(let url):
            var config: SQLPostgresConfiguration
            do {
                config = try SQLPostgresConfiguration(url: url)
            } catch {
                throw Settings.Problem(name: "DATABASE_URL", message: "not a usable PostgreSQL URL: \(SecretRedactor.redactURLPasswords(String(describing: error)))")
            }
            config.searchPath = ["public"]
            postgres = config
            databases.use(.postgres(configuration: config, maxConnectionsPerEventLoop: 4, sqlLogLevel: .trace), as: .psql)
        }
        self.postgres = postgres
    }

    /// A database handle for one unit of work.
    public var database: any Database {
        databases.database(logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())!
    }

    /// Creates or upgrades the schema. Safe to run on every start.
    public func migrate() async throws {
        let migrations = Migrations()
        migrations.add(SchemaMigrations.all)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger,
                                on: MultiThreadedEventLoopGroup.singleton.any(), migrationLogLevel: .info)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
        if kind == .sqlite, let sql = database as? any SQLDatabase {
            // WAL lets readers proceed while a segment row is written; the busy timeout rides out
            // short write contention instead of failing a request.
            try await sql.raw("PRAGMA journal_mode=WAL").run()
            try await sql.raw("PRAGMA foreign_keys=ON").run()
            // Per connection (one per event loop): in WAL mode NORMAL syncs at checkpoints, not at
            // every commit. A crash of the process loses nothing; a power cut can lose the last
            // commits, which reconciliation (files without rows) and the job queue (leases) redo.
            for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
                if let each = databases.database(logger: logger, on: loop) as? any SQLDatabase {
                    try await each.raw("PRAGMA synchronous=NORMAL").run()
                    // A writer waiting for the lock sleeps between tries (up to 10 s) instead of
                    // retrying at once and burning a core while the other commits.
                    try await each.raw("PRAGMA busy_timeout=10000").run()
                }
            }
        }
    }

    /// NOTIFY and LISTEN between processes, on PostgreSQL; nil on SQLite (one process).
    var notifications: DatabaseNotifications? {
        guard let postgres else { return nil }
        return DatabaseNotifications(configuration: postgres.coreConfiguration, database: { [self] in database }, logger: logger)
    }

    /// Wake-ups for the job queue: in-process, and on PostgreSQL across processes through
    /// `NOTIFY` (sent on the shared pool) and `LISTEN` (on a connection of its own).
    func makeWakeups() async -> JobWakeups {
        guard let notifications else { return JobWakeups() }
        let logger = logger
        let wakeups = JobWakeups(broadcast: { kind in
            do {
                try await notifications.send(JobWakeups.channel, kind)
            } catch {
                logger.warning("Cannot notify other workers of new jobs: \(error)")
            }
        })
        await wakeups.listen(notifications)
        return wakeups
    }

    public func shutdown() async {
        await databases.shutdownAsync()
    }
}
