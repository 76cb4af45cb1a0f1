import Foundation
import RoninCore

/// The file that carries a set of cameras between installations (`ronin-cameras`, version 1).
///
/// Credentials are either left out (`credentials: "none"`) or carried as Fernet tokens under
/// a key derived from a passphrase with PBKDF2-HMAC-SHA256 (`credentials: "encrypted"`, salt
/// and iteration count in `kdf`). The installation's own ENCRYPTION_KEY never leaves it.
struct CameraTransferDocument: Codable, Sendable {
    static let formatName = "ronin-cameras"
    static let currentVersion = 1
    static let iterations = 210_000

    struct KDF: Codable, Sendable {
        let name: String
        let iterations: Int
        let salt: String
    }

    /// One camera's settings, without its id, folder or timestamps.
    struct Entry: Codable, Sendable {
        var name: String?
        var host: String?
        var port: Int?
        var username: String?
        var stream_path: String?
        var substream_path: String?
        var transport: String?
        var enabled: Bool?
        var recording_enabled: Bool?
        var audio_enabled: Bool?
        var group: String?
        var sort_order: Int?
        var password_encrypted: String?
    }

    let format: String
    let version: Int
    let exported_at: Date?
    let credentials: String
    let kdf: KDF?
    let cameras: [Entry]

    /// The Fernet key for a passphrase and this document's salt.
    static func cipher(passphrase: String, kdf: KDF) throws -> Fernet {
        guard kdf.name == "pbkdf2-sha256", (210_000...10_000_000).contains(kdf.iterations),
              let salt = Data(base64Encoded: kdf.salt), salt.count >= 16 else {
            throw APIError.validation("The file's key derivation settings are not supported")
        }
        return try Fernet.derived(passphrase: passphrase, salt: [UInt8](salt), iterations: kdf.iterations)
    }

    static func newKDF() -> KDF {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return KDF(name: "pbkdf2-sha256", iterations: iterations, salt: Data(salt).base64EncodedString())
    }
}

/// What an import did with each camera.
struct ImportReport: Codable, Sendable {
    struct Created: Codable, Sendable { let name: String; let id: UUID }
    struct Passed: Codable, Sendable { let name: String; let reason: String }

    var created: [Created] = []
    var skipped: [Passed] = []
    var refused: [Passed] = []
}
