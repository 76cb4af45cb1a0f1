import Crypto
import CryptoExtras
import Foundation

/// Fernet symmetric encryption, compatible with the specification at
/// github.com/fernet/spec and with Python's `cryptography.fernet`.
///
/// A token is the URL-safe Base64 of
/// `0x80 ‖ timestamp (u64 big-endian seconds) ‖ IV (16) ‖ AES-128-CBC(PKCS#7) ciphertext ‖ HMAC-SHA256 (32)`,
/// where the HMAC covers everything before it. The 32-byte key is the signing key (first 16
/// bytes) followed by the encryption key (last 16 bytes), itself URL-safe Base64 encoded.
///
/// Invariant: `decrypt` never returns plaintext unless the HMAC verifies, and compares it in
/// constant time.
public struct Fernet: Sendable {
    /// Why a token or key was refused. The cases say nothing about the plaintext.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case invalidKey
        case malformedToken
        case unsupportedVersion
        case invalidSignature
        case expired
        case timestampInFuture

        public var description: String {
            switch self {
            case .invalidKey: "the Fernet key must be 32 bytes of URL-safe Base64"
            case .malformedToken: "the token is not well-formed Fernet"
            case .unsupportedVersion: "the token's version byte is not 0x80"
            case .invalidSignature: "the token's signature does not match (wrong key or tampered token)"
            case .expired: "the token is older than its allowed age"
            case .timestampInFuture: "the token's timestamp lies too far in the future"
            }
        }
    }

    static let version: UInt8 = 0x80
    static let maxClockSkew: TimeInterval = 60

    private let signingKey: SymmetricKey
    private let encryptionKey: SymmetricKey

    /// Creates a Fernet instance from a URL-safe Base64 key of 32 bytes.
    public init(key: String) throws {
        guard let bytes = Base64URL.decode(key.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw Failure.invalidKey
        }
        try self.init(keyBytes: bytes)
    }

    /// Creates a Fernet instance from 32 raw key bytes.
    public init(keyBytes: [UInt8]) throws {
        guard keyBytes.count == 32 else { throw Failure.invalidKey }
        signingKey = SymmetricKey(data: keyBytes[0..<16])
        encryptionKey = SymmetricKey(data: keyBytes[16..<32])
    }

    /// A new random key, URL-safe Base64 encoded.
    public static func generateKey() -> String {
        Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// Encrypts `plaintext` with a fresh random IV and the current time.
    public func encrypt(_ plaintext: [UInt8], now: Date = Date()) throws -> String {
        var iv = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for index in iv.indices { iv[index] = generator.next() }
        return try encrypt(plaintext, now: now, iv: iv)
    }

    /// Encrypts a UTF-8 string.
    public func encrypt(_ plaintext: String, now: Date = Date()) throws -> String {
        try encrypt(Array(plaintext.utf8), now: now)
    }

    /// Encrypts with a given IV; only tests should choose the IV.
    public func encrypt(_ plaintext: [UInt8], now: Date, iv: [UInt8]) throws -> String {
        let ciphertext = try AES._CBC.encrypt(plaintext, using: encryptionKey, iv: AES._CBC.IV(ivBytes: iv))
        var token: [UInt8] = [Self.version]
        token += Self.bigEndianBytes(UInt64(max(0, now.timeIntervalSince1970.rounded(.down))))
        token += iv
        token += ciphertext
        let mac = HMAC<SHA256>.authenticationCode(for: token, using: signingKey)
        token += Array(mac)
        return Base64URL.encode(token)
    }

    /// Decrypts and verifies a token. `ttl` limits the token's age when given.
    public func decrypt(_ token: String, ttl: TimeInterval? = nil, now: Date = Date()) throws -> [UInt8] {
        guard let bytes = Base64URL.decode(token), bytes.count >= 1 + 8 + 16 + 16 + 32,
              (bytes.count - (1 + 8 + 16 + 32)) % 16 == 0
        else { throw Failure.malformedToken }
        guard bytes[0] == Self.version else { throw Failure.unsupportedVersion }
        let signed = bytes[0..<(bytes.count - 32)]
        let mac = bytes[(bytes.count - 32)...]
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: signed, using: signingKey) else {
            throw Failure.invalidSignature
        }
        let timestamp = bytes[1..<9].reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
        let issued = TimeInterval(timestamp)
        if let ttl, issued + ttl < now.timeIntervalSince1970 { throw Failure.expired }
        if issued > now.timeIntervalSince1970 + Self.maxClockSkew, ttl != nil { throw Failure.timestampInFuture }
        let iv = try AES._CBC.IV(ivBytes: bytes[9..<25])
        do {
            return Array(try AES._CBC.decrypt(bytes[25..<(bytes.count - 32)], using: encryptionKey, iv: iv))
        } catch {
            throw Failure.malformedToken
        }
    }

    /// Decrypts a token holding UTF-8 text.
    public func decryptString(_ token: String, ttl: TimeInterval? = nil, now: Date = Date()) throws -> String {
        guard let text = String(bytes: try decrypt(token, ttl: ttl, now: now), encoding: .utf8) else {
            throw Failure.malformedToken
        }
        return text
    }

    static func bigEndianBytes(_ value: UInt64) -> [UInt8] {
        (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (UInt64($0) * 8)) }
    }
}

extension Fernet {
    /// Derives a Fernet key from a passphrase with PBKDF2-HMAC-SHA256, for moving camera
    /// credentials between installations.
    public static func derived(passphrase: String, salt: [UInt8], iterations: Int) throws -> Fernet {
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: Array(passphrase.utf8), salt: salt, using: .sha256, outputByteCount: 32, rounds: iterations)
        return try Fernet(keyBytes: key.withUnsafeBytes { Array($0) })
    }
}
