import Testing
@testable import RoninCore

/// Secrets never survive redaction, whatever text they hide in.
@Suite(.timeLimit(.minutes(2))) struct SecretRedactorTests {
    @Test func masksURLPasswordsForAnyScheme() {
        #expect(SecretRedactor.redactURLPasswords("open rtsp://admin:hunter2@10.0.0.5:554/live failed")
                == "open rtsp://admin:***@10.0.0.5:554/live failed")
        #expect(SecretRedactor.redactURLPasswords("postgres://ronin:pw@db/ronin") == "postgres://ronin:***@db/ronin")
        #expect(SecretRedactor.redactURLPasswords("rtsp://user@cam/x and rtsp://a:b@c/d") == "rtsp://user@cam/x and rtsp://a:***@c/d")
        #expect(SecretRedactor.redactURLPasswords("no urls here") == "no urls here")
    }

    @Test func masksPasswordsContainingAtSigns() {
        #expect(SecretRedactor.redactURLPasswords("rtsp://u:p@ss@cam:554/") == "rtsp://u:***@cam:554/")
    }

    @Test func masksRegisteredSecretsAnywhere() {
        let redactor = SecretRedactor()
        redactor.register("s3cret-rtsp")
        redactor.register("p@ss word")
        #expect(redactor.redact("Error: password s3cret-rtsp rejected") == "Error: password *** rejected")
        #expect(redactor.redact("rtsp://x:p%40ss%20word@cam/") == "rtsp://x:***@cam/")
        #expect(redactor.redact("plain p@ss word") == "plain ***")
    }

    @Test func masksPasswordHashesAndFernetTokens() {
        let line = #"input=[["password_hash": "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW", "password_encrypted": "gAAAAABpJIEAUH71zMWD6KzqmYWZbkckGyHCksHO4-yzvZNSp0wH55XYqK6UOtdSwDxm7IFTUbaN6m-KOVdu2iI-mlL4OlcSuQ=="]]"#
        let redacted = SecretRedactor().redact(line)
        #expect(!redacted.contains("R9h/cIPz0gi") && !redacted.contains("UH71zMWD6"))
        #expect(redacted.contains("password_hash") && redacted.contains("***"))
    }

    @Test func ignoresTooShortSecretsInFreeText() {
        let redactor = SecretRedactor()
        redactor.register("ab")
        #expect(redactor.redact("about") == "about")
    }
}
