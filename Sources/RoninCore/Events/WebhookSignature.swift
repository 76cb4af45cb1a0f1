import Crypto
import Foundation

/// The signature a webhook receiver checks: HMAC-SHA256 under the shared secret of
/// `<timestamp>.<body>`, written `sha256=<lowercase hex>` in `X-Ronin-Signature`, with the
/// timestamp (Unix seconds) in `X-Ronin-Timestamp`. Signing the timestamp lets receivers refuse
/// replays of old deliveries.
public enum WebhookSignature {
    public static let signatureHeader = "X-Ronin-Signature"
    public static let timestampHeader = "X-Ronin-Timestamp"

    public static func sign(body: Data, timestamp: Int, secret: String) -> String {
        var message = Data("\(timestamp).".utf8)
        message.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `signature` is the one `sign` makes (compared in constant time).
    public static func verify(signature: String, body: Data, timestamp: Int, secret: String) -> Bool {
        let expected = Array(sign(body: body, timestamp: timestamp, secret: secret).utf8)
        let given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
