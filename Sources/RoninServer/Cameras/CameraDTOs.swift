import Foundation
import RoninCore
import RoninMedia

/// A camera as the API shows it. The password never leaves the server: only `has_password`.
///
/// How the camera is reached and stored (`folder_name`, `host`, `port`, `username`,
/// `has_password`, `stream_path`, `substream_path`, `transport`) is for admins; viewers get
/// those keys as `null`, and `has_substream` tells their live view which stream to ask for.
struct CameraResponse: Codable, Sendable, ExplicitNullEncodable {
    let id: UUID
    let name: String
    let folder_name: String?
    let host: String?
    let port: Int?
    let username: String?
    let has_password: Bool?
    let stream_path: String?
    let substream_path: String?
    let has_substream: Bool
    let transport: String?
    let enabled: Bool
    let recording_enabled: Bool
    let audio_enabled: Bool
    let group: String?
    let sort_order: Int
    let created_at: Date
    let updated_at: Date

    /// `wiring`: whether the caller may see how the camera is reached (admins).
    init(_ camera: CameraModel, wiring: Bool = true) {
        id = camera.id!
        name = camera.name
        folder_name = wiring ? camera.folderName : nil
        host = wiring ? camera.host : nil
        port = wiring ? camera.port : nil
        username = wiring ? camera.username : nil
        has_password = wiring ? camera.passwordEncrypted != nil : nil
        stream_path = wiring ? camera.streamPath : nil
        substream_path = wiring ? camera.substreamPath : nil
        has_substream = camera.substreamPath != nil
        transport = wiring ? camera.transport : nil
        enabled = camera.enabled
        recording_enabled = camera.recordingEnabled
        audio_enabled = camera.audioEnabled
        group = camera.group
        sort_order = camera.sortOrder
        created_at = camera.createdAt
        updated_at = camera.updatedAt
    }

    /// The camera as `context`'s user may see it.
    init(_ camera: CameraModel, for context: RoninRequestContext) {
        self.init(camera, wiring: context.user?.role == .admin)
    }
}

/// A field of a partial update: left out, explicitly null, or given.
enum PatchField<Value: Sendable>: Sendable {
    case absent
    case null
    case value(Value)

    var given: Value? {
        if case .value(let value) = self { return value }
        return nil
    }
}

extension KeyedDecodingContainer {
    func patch<Value: Decodable>(_ type: Value.Type, _ key: Key) throws -> PatchField<Value> {
        guard contains(key) else { return .absent }
        if try decodeNil(forKey: key) { return .null }
        return .value(try decode(Value.self, forKey: key))
    }
}

/// Camera fields as a client sends them, for create (missing fields take defaults) and for
/// update (missing fields keep their value). `password`: absent keeps, "" removes.
struct CameraFields: Decodable, Sendable {
    var name: PatchField<String> = .absent
    var host: PatchField<String> = .absent
    var port: PatchField<Int> = .absent
    var username: PatchField<String> = .absent
    var password: PatchField<String> = .absent
    var stream_path: PatchField<String> = .absent
    var substream_path: PatchField<String> = .absent
    var transport: PatchField<CameraEndpoint.Transport> = .absent
    var enabled: PatchField<Bool> = .absent
    var recording_enabled: PatchField<Bool> = .absent
    var audio_enabled: PatchField<Bool> = .absent
    var group: PatchField<String> = .absent
    var sort_order: PatchField<Int> = .absent

    enum CodingKeys: String, CodingKey {
        case name, host, port, username, password, stream_path, substream_path, transport, enabled
        case recording_enabled, audio_enabled, group, sort_order
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.patch(String.self, .name)
        host = try c.patch(String.self, .host)
        port = try c.patch(Int.self, .port)
        username = try c.patch(String.self, .username)
        password = try c.patch(String.self, .password)
        stream_path = try c.patch(String.self, .stream_path)
        substream_path = try c.patch(String.self, .substream_path)
        transport = try c.patch(CameraEndpoint.Transport.self, .transport)
        enabled = try c.patch(Bool.self, .enabled)
        recording_enabled = try c.patch(Bool.self, .recording_enabled)
        audio_enabled = try c.patch(Bool.self, .audio_enabled)
        group = try c.patch(String.self, .group)
        sort_order = try c.patch(Int.self, .sort_order)
    }

    /// Whether any field that changes how the stream is reached is present.
    var touchesConnection: Bool {
        func present<T>(_ field: PatchField<T>) -> Bool {
            if case .absent = field { return false }
            return true
        }
        return present(host) || present(port) || present(username) || present(password)
            || present(stream_path) || present(substream_path) || present(transport)
    }
}

/// The outcome of probing a stream, as `POST /api/cameras/test` returns it.
struct ProbeResponse: Codable, Sendable, ExplicitNullEncodable {
    let ok: Bool
    let video: StreamDescription.Video
    let audio: StreamDescription.Audio?
    let elapsed_ms: Int
}
