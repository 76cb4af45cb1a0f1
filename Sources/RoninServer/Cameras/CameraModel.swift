import FluentKit
import Foundation

/// A row of `cameras`. The password is only ever stored as a Fernet token
/// (`password_encrypted`); `CredentialCipher` turns it back into text when a stream is opened.
final class CameraModel: Model, @unchecked Sendable {
    static let schema = "cameras"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "name_key") var nameKey: String
    @Field(key: "folder_name") var folderName: String
    @Field(key: "host") var host: String
    @Field(key: "port") var port: Int
    @Field(key: "username") var username: String
    @OptionalField(key: "password_encrypted") var passwordEncrypted: String?
    @Field(key: "stream_path") var streamPath: String
    @OptionalField(key: "substream_path") var substreamPath: String?
    @Field(key: "transport") var transport: String
    @Field(key: "enabled") var enabled: Bool
    @Field(key: "recording_enabled") var recordingEnabled: Bool
    @Field(key: "audio_enabled") var audioEnabled: Bool
    @OptionalField(key: "group_name") var group: String?
    @Field(key: "sort_order") var sortOrder: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    /// Cameras in display order: sort order, then name.
    static func ordered(on db: any Database) async throws -> [CameraModel] {
        try await CameraModel.query(on: db).sort(\.$sortOrder).sort(\.$nameKey).all()
    }
}
