import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix
import RoninCore

/// `GET /api/cameras/export` and `POST /api/cameras/import`: moving camera sets between
/// installations, with credentials left out or encrypted under a passphrase.
struct CameraTransferController {
    static let importLimit = 8 << 20
    static let exportPassphraseHeader = HTTPField.Name("X-Export-Passphrase")!
    static let importPassphraseHeader = HTTPField.Name("X-Import-Passphrase")!

    let service: CameraService
    let recorder: RecordingManager
    let database: @Sendable () -> any Database

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.get, "/api/cameras/export", "Download every camera's settings (credentials only with X-Export-Passphrase)", tag: "cameras", access: .admin)
            .returns(200, "The export file", "CameraExport").returns(422, "Passphrase too short", "Error"), handler: export)
        api.add(APIOperation(.post, "/api/cameras/import", "Add cameras from an export file (X-Import-Passphrase for credentials)", tag: "cameras", access: .admin)
            .query("validate", "boolean", "Probe each stream before adding it (default false)")
            .body("CameraExport").returns(200, "What happened to each camera", "ImportReport")
            .returns(413, "File larger than 8 MiB", "Error"), handler: importCameras)
    }

    @Sendable func export(_ request: Request, context: RoninRequestContext) async throws -> Response {
        let passphrase = request.headers[Self.exportPassphraseHeader]
        if let passphrase, passphrase.count < 8 { throw APIError.validation("The export passphrase must be at least 8 characters") }
        let kdf = passphrase.map { _ in CameraTransferDocument.newKDF() }
        let fernet = try await kdf.asyncMap { kdf in try await Self.offload { try CameraTransferDocument.cipher(passphrase: passphrase!, kdf: kdf) } }
        var entries: [CameraTransferDocument.Entry] = []
        for camera in try await CameraModel.ordered(on: database()) {
            var entry = CameraTransferDocument.Entry(
                name: camera.name, host: camera.host, port: camera.port, username: camera.username, stream_path: camera.streamPath,
                substream_path: camera.substreamPath, transport: camera.transport, enabled: camera.enabled,
                recording_enabled: camera.recordingEnabled, audio_enabled: camera.audioEnabled, group: camera.group, sort_order: camera.sortOrder)
            if let fernet, camera.passwordEncrypted != nil {
                entry.password_encrypted = try fernet.encrypt(try service.password(of: camera))
            }
            entries.append(entry)
        }
        let document = CameraTransferDocument(format: CameraTransferDocument.formatName, version: CameraTransferDocument.currentVersion,
                                              exported_at: Date(), credentials: fernet == nil ? "none" : "encrypted", kdf: kdf, cameras: entries)
        let day = ISO8601DateFormatter.string(from: Date(), timeZone: .gmt, formatOptions: [.withFullDate])
        context.logger.info("Exported \(entries.count) cameras (\(document.credentials) credentials)")
        return try JSONResponse(document, headers: [.contentDisposition: "attachment; filename=\"ronin-cameras-\(day).json\""])
            .response(from: request, context: context)
    }

    @Sendable func importCameras(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<ImportReport> {
        let document = try await JSONBody.decode(CameraTransferDocument.self, from: request, limit: Self.importLimit)
        guard document.format == CameraTransferDocument.formatName else {
            throw APIError.validation("This is not a Ronin camera export (format '\(ErrorMiddleware.printable(document.format))')")
        }
        guard document.version == CameraTransferDocument.currentVersion else {
            throw APIError.validation("Export version \(document.version) is not supported; this server reads version \(CameraTransferDocument.currentVersion)")
        }
        guard document.cameras.count <= 10_000 else { throw APIError.validation("An import holds at most 10000 cameras") }
        let validate = try request.flag("validate", default: false)
        let fernet = try await passphraseCipher(document, request: request)
        var report = ImportReport()
        var seen = Set<String>()
        for (index, entry) in document.cameras.enumerated() {
            let label = entry.name.map { ErrorMiddleware.printable($0) } ?? "camera #\(index + 1)"
            do {
                let fields = try Self.fields(from: entry, fernet: fernet)
                let draft = try CameraDraft(creating: fields)
                let key = draft.name.display.lowercased()
                let exists = try await CameraModel.query(on: database()).filter(\.$nameKey == key).first() != nil
                if seen.contains(key) || exists {
                    report.skipped.append(.init(name: draft.name.display, reason: "a camera with this name already exists"))
                    continue
                }
                seen.insert(key)
                let camera = try await service.create(draft, validate: validate)
                await recorder.apply(camera)
                report.created.append(.init(name: camera.name, id: camera.id!))
            } catch let error as APIError {
                report.refused.append(.init(name: label, reason: error.message))
            }
        }
        context.logger.info("Imported cameras: \(report.created.count) created, \(report.skipped.count) skipped, \(report.refused.count) refused")
        return JSONResponse(report)
    }

    private func passphraseCipher(_ document: CameraTransferDocument, request: Request) async throws -> Fernet? {
        guard let passphrase = request.headers[Self.importPassphraseHeader], let kdf = document.kdf else { return nil }
        return try await Self.offload { try CameraTransferDocument.cipher(passphrase: passphrase, kdf: kdf) }
    }

    /// Turns an export entry into camera fields, decrypting its password when it carries one.
    static func fields(from entry: CameraTransferDocument.Entry, fernet: Fernet?) throws -> CameraFields {
        var fields = CameraFields()
        func set<T>(_ value: T?, _ keyPath: WritableKeyPath<CameraFields, PatchField<T>>) {
            if let value { fields[keyPath: keyPath] = .value(value) }
        }
        set(entry.name, \.name); set(entry.host, \.host); set(entry.port, \.port); set(entry.username, \.username)
        set(entry.stream_path, \.stream_path); set(entry.substream_path, \.substream_path)
        set(entry.enabled, \.enabled); set(entry.recording_enabled, \.recording_enabled); set(entry.audio_enabled, \.audio_enabled)
        set(entry.group, \.group); set(entry.sort_order, \.sort_order)
        if let transport = entry.transport {
            guard let parsed = CameraEndpoint.Transport(rawValue: transport) else { throw APIError.validation("transport must be tcp or udp") }
            fields.transport = .value(parsed)
        }
        if let sealed = entry.password_encrypted {
            guard let fernet else { throw APIError.validation("carries an encrypted password: give the passphrase to import it") }
            guard let password = try? fernet.decryptString(sealed) else {
                throw APIError.validation("its password cannot be decrypted: wrong passphrase or damaged file")
            }
            fields.password = .value(password)
        }
        return fields
    }

    /// Key derivation is deliberately slow; keep it off the event loops.
    static func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
