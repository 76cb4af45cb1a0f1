import Foundation
import Logging
import RoninCore

/// Keeps generated secrets in the data folder: `jwt_secret.key` and `encryption.key`, each
/// created once with mode 0600 and read back on every later start. A value given in the
/// environment always wins and is never written to disk.
struct KeyFileStore {
    let directory: String

    /// The JWT signing secret: the configured one, or the kept one, or a new one.
    func jwtSecret(configured: String?, logger: Logger) throws -> String {
        try secret(configured: configured, file: "jwt_secret.key", logger: logger) {
            var generator = SystemRandomNumberGenerator()
            return Base64URL.encode((0..<48).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
    }

    /// The Fernet key for camera passwords.
    func encryptionKey(configured: String?, logger: Logger) throws -> String {
        let key = try secret(configured: configured, file: "encryption.key", logger: logger) { Fernet.generateKey() }
        guard (try? Fernet(key: key)) != nil else {
            throw Settings.Problem(name: "ENCRYPTION_KEY", message: "\(directory)/encryption.key does not hold a Fernet key")
        }
        return key
    }

    private func secret(configured: String?, file: String, logger: Logger, generate: () -> String) throws -> String {
        if let configured {
            SecretRedactor.shared.register(configured)
            return configured
        }
        let path = directory + "/" + file
        let manager = FileManager.default
        if let data = manager.contents(atPath: path), let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            if let mode = (try? manager.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
                logger.warning("\(path) is readable by other users; run: chmod 600 \(path)")
            }
            SecretRedactor.shared.register(text)
            return text
        }
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let value = generate()
        try Self.writePrivately(value + "\n", to: path, setting: file)
        SecretRedactor.shared.register(value)
        logger.notice("Generated a new secret in \(path) (mode 0600); keep it with your backups")
        return value
    }

    /// Writes a secret so that no other user can ever read it, not even for a moment: the file
    /// is created with mode 0600 (whatever the umask), written and synced under a temporary name,
    /// then renamed into place, so a crash leaves either no key or the whole key.
    static func writePrivately(_ text: String, to path: String, setting: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        unlink(temporary)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Settings.Problem(name: setting, message: "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw Settings.Problem(name: setting, message: "cannot write \(path)")
        }
    }
}
