import FluentKit
import Foundation
import RoninCore
import SQLKit

/// The detection configuration made in the UI (`detection_settings`), cached, and what it
/// amounts to for each camera. `generation` grows on every change, so live detectors notice and
/// take the new settings without a restart.
///
/// A change made through this process takes effect at once; one made through another process
/// sharing the database (the server, when this is `ronin worker --kinds live`) is read within
/// `refreshEvery` seconds, when the cache is read again and found to differ.
actor DetectionSettingsStore {
    static let globalScope = "global"
    /// How long the cached documents are trusted before the table is read again.
    static let refreshEvery: TimeInterval = 5

    /// What live detection of one camera runs with.
    struct Effective: Sendable, Equatable {
        let liveEnabled: Bool
        let cooldown: Double
        let fps: Double
        let pipeline: DetectionPipelineConfig
    }

    let base: DetectionPipelineConfig
    let settings: Settings
    let database: @Sendable () -> any Database
    private var documents: [String: DetectionSettingsDocument]?
    private var loadedAt = Date.distantPast
    private var generationValue = 0

    /// Grows with every change of the stored settings, wherever it was made.
    var generation: Int {
        get async {
            _ = try? await load()
            return generationValue
        }
    }

    init(base: DetectionPipelineConfig, settings: Settings, database: @escaping @Sendable () -> any Database) {
        self.base = base
        self.settings = settings
        self.database = database
    }

    static func scope(_ camera: UUID?) -> String {
        camera.map { $0.uuidString.lowercased() } ?? globalScope
    }

    func document(camera: UUID?) async throws -> DetectionSettingsDocument {
        try await load()[Self.scope(camera)] ?? .empty
    }

    /// Stores a scope's document (validated by the caller) and makes it take effect.
    func put(_ document: DetectionSettingsDocument, camera: UUID?) async throws {
        let text = String(decoding: try JSONEncoder().encode(document), as: UTF8.self)
        let scope = Self.scope(camera)
        try await database().writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { return }
            try await sql.raw("DELETE FROM detection_settings WHERE scope = \(bind: scope)").run()
            try await sql.raw("INSERT INTO detection_settings (scope, document, updated_at) VALUES (\(bind: scope), \(bind: text), \(bind: Date()))").run()
        }
        documents = nil
        generationValue += 1
    }

    /// Forgets a deleted camera's settings.
    func remove(camera: UUID) async throws {
        guard let sql = database() as? any SQLDatabase else { return }
        try await sql.raw("DELETE FROM detection_settings WHERE scope = \(bind: Self.scope(camera))").run()
        documents = nil
        generationValue += 1
    }

    /// What one camera's live detection runs with: the environment, then the global document,
    /// then the camera's. A stored document that no longer applies (written by another version)
    /// is skipped rather than stopping detection.
    func effective(camera: UUID) async throws -> Effective {
        let documents = try await load()
        let global = documents[Self.globalScope] ?? .empty
        let own = documents[Self.scope(camera)] ?? .empty
        var pipeline = base
        try? global.apply(to: &pipeline)
        try? own.apply(to: &pipeline)
        let fps = own.fps ?? global.fps ?? settings.liveDetectionFPS
        pipeline.fps = fps
        return Effective(liveEnabled: own.live_enabled ?? global.live_enabled ?? settings.liveDetectionEnabled,
                         cooldown: own.cooldown_seconds ?? global.cooldown_seconds ?? settings.liveDetectionCooldown,
                         fps: fps, pipeline: pipeline)
    }

    /// The stored documents, read again when the cache is older than `refreshEvery`; a read that
    /// finds them changed by another process counts as a change here too.
    private func load(now: Date = Date()) async throws -> [String: DetectionSettingsDocument] {
        if let documents, now.timeIntervalSince(loadedAt) < Self.refreshEvery { return documents }
        guard let sql = database() as? any SQLDatabase else { return [:] }
        var loaded: [String: DetectionSettingsDocument] = [:]
        for row in try await sql.raw("SELECT scope, document FROM detection_settings").all() {
            let scope = try row.decode(column: "scope", as: String.self)
            let text = try row.decode(column: "document", as: String.self)
            if let document = try? JSONDecoder().decode(DetectionSettingsDocument.self, from: Data(text.utf8)) { loaded[scope] = document }
        }
        if let documents, documents != loaded { generationValue += 1 }
        documents = loaded
        loadedAt = now
        return loaded
    }
}
