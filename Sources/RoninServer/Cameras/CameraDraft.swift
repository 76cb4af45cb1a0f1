import Foundation
import RoninCore

/// A camera's complete, validated settings before they are saved: the result of applying a
/// client's fields to defaults (create) or to the stored camera (update).
///
/// Building a draft is where every rule about camera input lives, so create, update and
/// import cannot disagree.
struct CameraDraft: Sendable {
    var name: CameraName
    var endpoint: CameraEndpoint
    var substreamPath: String?
    var enabled: Bool
    var recordingEnabled: Bool
    var audioEnabled: Bool
    var group: String?
    var sortOrder: Int

    static let sortOrderRange = -1_000_000...1_000_000

    /// A draft for a new camera. `name` and `host` are required.
    init(creating fields: CameraFields) throws {
        guard let name = fields.name.given else { throw APIError.validation("name is required") }
        guard let host = fields.host.given else { throw APIError.validation("host is required") }
        try self.init(
            name: name, host: host, port: fields.port.given ?? 554, username: fields.username.given ?? "",
            password: fields.password.given ?? "", streamPath: fields.stream_path.given ?? "/",
            substreamPath: fields.substream_path.given, transport: fields.transport.given ?? .tcp,
            enabled: fields.enabled.given ?? true, recordingEnabled: fields.recording_enabled.given ?? true,
            audioEnabled: fields.audio_enabled.given ?? false, group: fields.group.given, sortOrder: fields.sort_order.given ?? 0)
    }

    /// A draft for an update: fields left out keep `current`'s values; `currentPassword` is the
    /// stored password, kept unless `password` is given ("" removes it). The stored password is
    /// never sent to a new address: when `host` or `port` changes and no password comes with
    /// it, the camera goes on without one.
    init(updating current: CameraModel, currentPassword: String, with fields: CameraFields) throws {
        let moved = fields.host.given.map { $0.trimmingCharacters(in: .whitespaces).lowercased() != current.host.lowercased() } == true
            || fields.port.given.map { $0 != current.port } == true
        let keptPassword = moved ? "" : currentPassword
        func pick<T>(_ field: PatchField<T>, _ existing: T) -> T { field.given ?? existing }
        func optional<T>(_ field: PatchField<T>, _ existing: T?) -> T? {
            switch field {
            case .absent: existing
            case .null: nil
            case .value(let value): value
            }
        }
        try self.init(
            name: pick(fields.name, current.name), host: pick(fields.host, current.host), port: pick(fields.port, current.port),
            username: pick(fields.username, current.username), password: pick(fields.password, keptPassword),
            streamPath: pick(fields.stream_path, current.streamPath), substreamPath: optional(fields.substream_path, current.substreamPath),
            transport: pick(fields.transport, CameraEndpoint.Transport(rawValue: current.transport) ?? .tcp),
            enabled: pick(fields.enabled, current.enabled), recordingEnabled: pick(fields.recording_enabled, current.recordingEnabled),
            audioEnabled: pick(fields.audio_enabled, current.audioEnabled), group: optional(fields.group, current.group),
            sortOrder: pick(fields.sort_order, current.sortOrder))
    }

    init(name: String, host: String, port: Int, username: String, password: String, streamPath: String,
         substreamPath: String?, transport: CameraEndpoint.Transport, enabled: Bool, recordingEnabled: Bool,
         audioEnabled: Bool, group: String?, sortOrder: Int) throws {
        do {
            self.name = try CameraName(name)
        } catch {
            throw APIError.validation("name: \(error)")
        }
        do {
            endpoint = try CameraEndpoint(host: host, port: port, username: username, password: password,
                                          streamPath: streamPath, transport: transport)
            let trimmed = substreamPath?.trimmingCharacters(in: .whitespaces)
            self.substreamPath = try trimmed.flatMap { $0.isEmpty ? nil : try CameraEndpoint.validPath($0, field: "substream_path") }
        } catch let problem as CameraEndpoint.Problem {
            throw APIError.validation(problem.description)
        }
        let trimmedGroup = group?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let trimmedGroup, trimmedGroup.count > 64 || trimmedGroup.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw APIError.validation("group must be at most 64 characters without control characters")
        }
        self.group = trimmedGroup?.isEmpty == true ? nil : trimmedGroup
        guard Self.sortOrderRange.contains(sortOrder) else {
            throw APIError.validation("sort_order must be between \(Self.sortOrderRange.lowerBound) and \(Self.sortOrderRange.upperBound)")
        }
        self.enabled = enabled
        self.recordingEnabled = recordingEnabled
        self.audioEnabled = audioEnabled
        self.sortOrder = sortOrder
    }

    /// Writes the draft into a row; `folderName` and the sealed password come from the service.
    func apply(to camera: CameraModel, folderName: String, passwordEncrypted: String?, now: Date) {
        camera.name = name.display
        camera.nameKey = name.display.lowercased()
        camera.folderName = folderName
        camera.host = endpoint.host
        camera.port = endpoint.port
        camera.username = endpoint.username
        camera.passwordEncrypted = passwordEncrypted
        camera.streamPath = endpoint.streamPath
        camera.substreamPath = substreamPath
        camera.transport = endpoint.transport.rawValue
        camera.enabled = enabled
        camera.recordingEnabled = recordingEnabled
        camera.audioEnabled = audioEnabled
        camera.group = group
        camera.sortOrder = sortOrder
        camera.updatedAt = now
    }
}
