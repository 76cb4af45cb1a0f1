import Foundation

extension Settings {
    /// Every secret the settings hold (the admin's first password, the token and encryption
    /// keys, the webhook signing secret, the cold storage secret key): registered with
    /// `SecretRedactor` as soon as the settings are read, so that no log line can carry one,
    /// whatever prints them (a debug dump of a service included).
    public var secrets: [String] {
        [adminPassword, jwtSecret, encryptionKey, notifyWebhookSecret, storage.cold?.secretAccessKey].compactMap { $0 }
    }

    /// Registers `secrets` with the process-wide redactor.
    public func registerSecrets(with redactor: SecretRedactor = .shared) {
        for secret in secrets { redactor.register(secret) }
    }
}
