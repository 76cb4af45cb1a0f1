import Foundation
import Testing
@testable import RoninCore

/// Whatever prints the settings (a debug dump of a service holding them), their secrets are
/// masked once they are registered.
@Suite(.timeLimit(.minutes(2))) struct SettingsSecretsTests {
    @Test func everySecretOfTheSettingsIsMaskedInADumpOfThem() throws {
        let environment = [
            "RONIN_ADMIN_PASSWORD": "first-admin-pass-9",
            "JWT_SECRET_KEY": "token-signing-secret-0123456789abcdef",
            "ENCRYPTION_KEY": "c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzISE=",
            "NOTIFY_WEBHOOK_SECRET": "hook-signing-secret",
            "COLD_STORAGE_S3_ENDPOINT": "http://127.0.0.1:9000",
            "COLD_STORAGE_S3_BUCKET": "footage",
            "COLD_STORAGE_S3_ACCESS_KEY_ID": "AKIAEXAMPLE",
            "COLD_STORAGE_S3_SECRET_ACCESS_KEY": "s3-secret-access-key-42",
        ]
        let settings = try Settings(environment: environment, workingDirectory: "/srv/ronin")
        let secrets = ["first-admin-pass-9", "token-signing-secret-0123456789abcdef", "c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzISE=",
                       "hook-signing-secret", "s3-secret-access-key-42"]
        #expect(Set(settings.secrets) == Set(secrets))
        let redactor = SecretRedactor()
        settings.registerSecrets(with: redactor)
        let dump = redactor.redact(String(describing: settings))
        for secret in secrets { #expect(!dump.contains(secret), "\(secret) is in the dump") }
        #expect(dump.contains("AKIAEXAMPLE"), "an access key id is not a secret")
    }

    @Test func settingsWithoutSecretsHaveNone() throws {
        #expect(try Settings(environment: [:], workingDirectory: "/srv/ronin").secrets.isEmpty)
    }
}
