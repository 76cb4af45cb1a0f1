import Foundation
import Testing
@testable import RoninCore

/// Fernet against the specification's vector and tokens made by Python's `cryptography`
/// (`Fernet(key).encrypt_at_time(data, 1764000000)`), plus tampering and key checks.
@Suite(.timeLimit(.minutes(2))) struct FernetTests {
    static let specKey = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="
    static let specToken = "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA=="
    static let specTime = Date(timeIntervalSince1970: 499_162_800)
    static let pythonKey = "QqP4Ko-bOQ5BOdUcsMkvYKm2PwyGcYq1U0DX9xRLaQI="
    static let pythonTime = Date(timeIntervalSince1970: 1_764_000_000)

    @Test func encryptsTheSpecificationVectorByteForByte() throws {
        let fernet = try Fernet(key: Self.specKey)
        let token = try fernet.encrypt(Array("hello".utf8), now: Self.specTime, iv: Array(0..<16))
        #expect(token == Self.specToken)
    }

    @Test func decryptsTheSpecificationVector() throws {
        let fernet = try Fernet(key: Self.specKey)
        #expect(try fernet.decryptString(Self.specToken, ttl: 60, now: Self.specTime.addingTimeInterval(30)) == "hello")
    }

    @Test(arguments: [
        ("gAAAAABpJIEAWv8nk4XDn7ZEZHYnf6ZaiKc3BkKLQU4pY7oV5noiUZTgYPCstUJVw2Rr-B7cB25oUXFC4IexQLWjISquEPSZ9V8x2clBv3ePF0dDEqbPe8U=", "camera pässwörd 🔑"),
        ("gAAAAABpJIEAUH71zMWD6KzqmYWZbkckGyHCksHO4-yzvZNSp0wH55XYqK6UOtdSwDxm7IFTUbaN6m-KOVdu2iI-mlL4OlcSuQ==", ""),
        ("gAAAAABpJIEA4lZN49PNIuAkzjNDw1vrKohUbgB-shFRKB246hNSORmAFVOVznW0YsOGdWm_khjMP19i00wyweOeRA9m1K3NEokCekcFRVMxCyRmdZrI21AnYGxJ9stTF93RbkU3tawDtFkOynnfLRAG_tUSUnPCf5hRdnvy0rbSWdH0buTiqEu2FagoEz-ZZxJ1H6kjqNWaICsP_hDxKNoBC60KBOh7eg==", String(repeating: "x", count: 100)),
    ])
    func decryptsTokensMadeByPythonCryptography(token: String, plaintext: String) throws {
        let fernet = try Fernet(key: Self.pythonKey)
        #expect(try fernet.decryptString(token) == plaintext)
        // Unpadded Base64 (as some implementations emit) is accepted too.
        #expect(try fernet.decryptString(token.replacingOccurrences(of: "=", with: "")) == plaintext)
    }

    @Test func roundTripsWithRandomIVs() throws {
        let fernet = try Fernet(key: Fernet.generateKey())
        let first = try fernet.encrypt("secret")
        let second = try fernet.encrypt("secret")
        #expect(first != second)
        #expect(try fernet.decryptString(first) == "secret")
        #expect(first.hasPrefix("gAAAAA"))
    }

    @Test func rejectsEveryTamperedByte() throws {
        let fernet = try Fernet(key: Self.specKey)
        var bytes = Base64URL.decode(Self.specToken)!
        for index in bytes.indices {
            bytes[index] ^= 0x01
            let tampered = Base64URL.encode(bytes)
            #expect(throws: Fernet.Failure.self) { try fernet.decrypt(tampered) }
            bytes[index] ^= 0x01
        }
    }

    @Test func rejectsTheWrongKey() throws {
        let other = try Fernet(key: Self.pythonKey)
        #expect(throws: Fernet.Failure.invalidSignature) { try other.decrypt(Self.specToken) }
    }

    @Test func rejectsMalformedTokensAndKeys() throws {
        let fernet = try Fernet(key: Self.specKey)
        for token in ["", "not base64 at all!", "gAAAAA", String(Self.specToken.dropLast(8)), Self.specToken.replacingOccurrences(of: "_", with: "/")] {
            #expect(throws: Fernet.Failure.self) { try fernet.decrypt(token) }
        }
        for key in ["", "short", String(Self.specKey.dropLast(4)), Self.specKey + "AAAA"] {
            #expect(throws: Fernet.Failure.invalidKey) { try Fernet(key: key) }
        }
    }

    @Test func enforcesTimeToLive() throws {
        let fernet = try Fernet(key: Self.specKey)
        #expect(throws: Fernet.Failure.expired) {
            try fernet.decrypt(Self.specToken, ttl: 60, now: Self.specTime.addingTimeInterval(61))
        }
    }

    @Test func passphraseDerivedKeysAgreeAndDiffer() throws {
        let salt = Array(repeating: UInt8(7), count: 16)
        let a = try Fernet.derived(passphrase: "correct horse", salt: salt, iterations: 210_000)
        let b = try Fernet.derived(passphrase: "correct horse", salt: salt, iterations: 210_000)
        let c = try Fernet.derived(passphrase: "wrong horse", salt: salt, iterations: 210_000)
        let token = try a.encrypt("pw")
        #expect(try b.decryptString(token) == "pw")
        #expect(throws: Fernet.Failure.invalidSignature) { try c.decrypt(token) }
    }
}
