import Crypto
import Foundation

/// Proof that a browser signed in successfully as a user before: a random device id and the
/// time of that sign-in, bound to the username and signed with a server key (HMAC-SHA256).
///
/// The sign-in throttle counts failures of a known device apart from those of its address and
/// exempts it from the username's ceiling, so the owner's own browser can still sign in while a
/// stranger keeps the account's other counters locked. The token grants nothing else: it is no
/// session, and a stolen one only lets its holder guess at the per-device rate.
///
/// Format: `d1.{device id}.{issued, unix seconds}.{MAC}`, all URL-safe; the MAC covers the
/// first three parts and the lowercased username.
public struct DeviceToken: Sendable {
    private let key: SymmetricKey

    /// `secret` is the server's signing secret; the key is derived from it for this use only.
    public init(secret: String) {
        key = SymmetricKey(data: SHA256.hash(data: Data(("ronin device token\u{0}" + secret).utf8)))
    }

    /// A new token for `username`, with a fresh device id.
    public func issue(username: String, now: Date) -> String {
        var generator = SystemRandomNumberGenerator()
        let device = Base64URL.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
            .replacingOccurrences(of: "=", with: "")
        let head = "d1.\(device).\(Int(now.timeIntervalSince1970))"
        return head + "." + mac(head, username: username)
    }

    /// The device id of a valid token for `username` issued at most `maxAge` seconds ago.
    public func device(in token: String, username: String, now: Date, maxAge: TimeInterval) -> String? {
        guard token.utf8.count <= 200 else { return nil }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "d1", let issued = Int(parts[2]) else { return nil }
        let head = parts[0...2].joined(separator: ".")
        guard let given = Base64URL.decode(String(parts[3])), let expected = Base64URL.decode(mac(head, username: username)),
              given.count == expected.count, zip(given, expected).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return nil }
        let age = now.timeIntervalSince1970 - Double(issued)
        guard age >= -300, age <= maxAge else { return nil }
        return String(parts[1])
    }

    private func mac(_ head: String, username: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data((head + "\u{0}" + username.lowercased()).utf8), using: key)
        return Base64URL.encode(Data(code)).replacingOccurrences(of: "=", with: "")
    }
}
