import FluentKit
import Foundation
import RoninCore
import RoninMedia

/// Saves cameras: validation (through `CameraDraft`), optional stream probing, unique names
/// and storage folders, and password sealing. Controllers and import go through here.
struct CameraService: Sendable {
    let cipher: CredentialCipher
    let probe: StreamProbe
    let database: @Sendable () -> any Database

    func find(_ id: UUID) async throws -> CameraModel {
        guard let camera = try await CameraModel.find(id, on: database()) else { throw APIError.notFound("No camera with id \(id)") }
        return camera
    }

    /// The stored password in clear text ("" when none).
    func password(of camera: CameraModel) throws -> String {
        guard let sealed = camera.passwordEncrypted else { return "" }
        do {
            return try cipher.open(sealed)
        } catch {
            throw APIError(.internalServerError, "internal", "The stored password of \(camera.name) cannot be decrypted: is ENCRYPTION_KEY the one it was saved with?")
        }
    }

    func create(_ draft: CameraDraft, validate: Bool) async throws -> CameraModel {
        if validate { try await check(draft) }
        let db = database()
        try await ensureNameFree(draft.name, except: nil, on: db)
        let camera = CameraModel()
        let now = Date()
        camera.createdAt = now
        draft.apply(to: camera, folderName: try await folder(for: draft.name, except: nil, on: db),
                    passwordEncrypted: try sealedPassword(draft.endpoint.password), now: now)
        try await save(camera, on: db)
        return camera
    }

    func update(_ camera: CameraModel, with draft: CameraDraft, validate: Bool) async throws -> CameraModel {
        if validate { try await check(draft) }
        let db = database()
        try await ensureNameFree(draft.name, except: camera.id, on: db)
        let folder = draft.name.display == camera.name ? camera.folderName : try await folder(for: draft.name, except: camera.id, on: db)
        draft.apply(to: camera, folderName: folder, passwordEncrypted: try sealedPassword(draft.endpoint.password), now: Date())
        try await save(camera, on: db)
        return camera
    }

    /// Probes the main stream, and the sub-stream when there is one; `422 probe_failed` otherwise.
    func check(_ draft: CameraDraft) async throws {
        async let main = describe(draft.endpoint)
        if let sub = draft.substreamPath {
            var subEndpoint = draft.endpoint
            subEndpoint.streamPath = sub
            do {
                _ = try await describe(subEndpoint)
            } catch let error as APIError {
                throw APIError(error.status, error.code, "Sub-stream: \(error.message)")
            }
        }
        _ = try await main
    }

    func describe(_ endpoint: CameraEndpoint) async throws -> StreamDescription {
        do {
            return try await probe.probe(endpoint)
        } catch {
            throw APIError(.unprocessableContent, "probe_failed", SecretRedactor.shared.redact(error.message))
        }
    }

    private func sealedPassword(_ password: String) throws -> String? {
        password.isEmpty ? nil : try cipher.seal(password)
    }

    private func ensureNameFree(_ name: CameraName, except id: UUID?, on db: any Database) async throws {
        let query = CameraModel.query(on: db).filter(\.$nameKey == name.display.lowercased())
        if let id { query.filter(\.$id != id) }
        if try await query.first() != nil { throw APIError.conflict("A camera named '\(name.display)' already exists") }
    }

    private func folder(for name: CameraName, except id: UUID?, on db: any Database) async throws -> String {
        let others = try await CameraModel.query(on: db).all().filter { $0.id != id }.map(\.folderName)
        return CameraName.uniqueFolderName(name.folder, taken: Set(others))
    }

    private func save(_ camera: CameraModel, on db: any Database) async throws {
        do {
            try await camera.save(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw APIError.conflict("A camera named '\(camera.name)' already exists")
        }
    }
}
