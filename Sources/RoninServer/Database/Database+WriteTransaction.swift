import FluentKit
import SQLKit

extension Database {
    /// A transaction that writes. On SQLite it takes the write lock as it begins (`BEGIN
    /// IMMEDIATE`): a transaction begun the default way reads first and fails with
    /// `SQLITE_BUSY_SNAPSHOT` when another connection commits before it writes, which waiting
    /// cannot cure; begun immediately, it waits its turn (the busy timeout) instead, so jobs can
    /// run side by side on one file. Elsewhere (PostgreSQL) it is an ordinary transaction.
    func writeTransaction<T: Sendable>(_ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        guard !inTransaction, let sql = self as? any SQLDatabase, sql.dialect.name == "sqlite" else { return try await transaction(body) }
        return try await withConnection { connection in
            guard let sql = connection as? any SQLDatabase else { return try await connection.transaction(body) }
            try await sql.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(connection)
                try await sql.raw("COMMIT").run()
                return result
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }
}
