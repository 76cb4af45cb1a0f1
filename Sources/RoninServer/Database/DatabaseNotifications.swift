import FluentKit
import Foundation
import Logging
import NIOPosix
import PostgresNIO
import SQLKit

/// PostgreSQL's `NOTIFY` and `LISTEN` between the processes that share one database: the job
/// queue's wake-ups and the event bus's link use them. Sending goes through the shared pool;
/// listening keeps a connection of its own, reconnecting after errors (what is sent meanwhile is
/// lost: every user of a channel also polls or reads the database, so it is never the only way).
struct DatabaseNotifications: Sendable {
    let configuration: PostgresConnection.Configuration
    let database: @Sendable () -> any Database
    let logger: Logger

    /// Sends `payload` (at most 8000 bytes) to the listeners of `channel`.
    func send(_ channel: String, _ payload: String) async throws {
        guard let sql = database() as? any SQLDatabase else { return }
        try await sql.raw("SELECT pg_notify(\(bind: channel), \(bind: payload))").run()
    }

    /// Calls `handle` with every payload sent on `channel` until the task is cancelled.
    func listen(_ channel: String, what: String, handle: @escaping @Sendable (String) async -> Void) async {
        var attempt = 0
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
                attempt = 0
                do {
                    for try await notification in try await connection.listen(channel) {
                        await handle(notification.payload)
                    }
                } catch {
                    if !Task.isCancelled { logger.warning("\(what) stopped: \(error); reconnecting") }
                }
                try? await connection.close()
            } catch {
                attempt += 1
                if attempt == 1 { logger.warning("Cannot listen for \(what): \(String(reflecting: error)); polling meanwhile") }
            }
            try? await Task.sleep(for: .seconds(min(30, 2 * max(1, attempt))))
        }
    }
}
