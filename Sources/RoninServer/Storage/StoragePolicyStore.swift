import FluentKit
import Foundation
import RoninCore
import SQLKit

/// The storage policies edited in the UI (`storage_policies`), read on every planning round and
/// laid over the environment's: a change applies at the next check, without a restart, in every
/// process that shares the database.
struct StoragePolicyStore: Sendable {
    static let globalScope = "global"
    let base: StoragePolicy
    let database: @Sendable () -> any Database

    static func scope(_ camera: UUID?) -> String { camera.map { $0.uuidString.lowercased() } ?? globalScope }

    /// Every stored document by scope.
    func documents() async throws -> [String: StoragePolicyDocument] {
        guard let sql = database() as? any SQLDatabase else { return [:] }
        var found: [String: StoragePolicyDocument] = [:]
        for row in try await sql.raw("SELECT scope, document FROM storage_policies").all() {
            let scope = try row.decode(column: "scope", as: String.self)
            let text = try row.decode(column: "document", as: String.self)
            if let document = try? JSONDecoder().decode(StoragePolicyDocument.self, from: Data(text.utf8)) { found[scope] = document }
        }
        return found
    }

    func document(camera: UUID?) async throws -> StoragePolicyDocument {
        try await documents()[Self.scope(camera)] ?? StoragePolicyDocument()
    }

    /// Stores one scope's document (validated by the caller).
    func put(_ document: StoragePolicyDocument, camera: UUID?) async throws {
        let text = String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
        let scope = Self.scope(camera)
        try await database().writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { return }
            try await sql.raw("DELETE FROM storage_policies WHERE scope = \(bind: scope)").run()
            try await sql.raw("INSERT INTO storage_policies (scope, document, updated_at) VALUES (\(bind: scope), \(bind: text), \(bind: Date()))").run()
        }
    }

    /// The policy in force now.
    func policy() async throws -> StoragePolicy {
        let all = try await documents()
        var cameras: [UUID: StoragePolicyDocument] = [:]
        for (scope, document) in all where scope != Self.globalScope {
            if let id = UUID(uuidString: scope) { cameras[id] = document }
        }
        return StoragePolicyDocument.apply(global: all[Self.globalScope] ?? StoragePolicyDocument(), cameras: cameras, to: base)
    }
}
