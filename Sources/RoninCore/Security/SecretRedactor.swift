import Foundation

/// Removes secrets from text before it reaches a log line, an error message or an API response.
///
/// Two kinds of secret are removed: the password part of any URL's user information
/// (`rtsp://user:pass@host` becomes `rtsp://user:***@host`, for every scheme), and any literal
/// secret registered with `register(_:)` (camera passwords, keys), wherever it appears.
/// Registered secrets shorter than four characters are still redacted inside URLs but not as
/// free text, where they would mangle ordinary words.
public final class SecretRedactor: @unchecked Sendable {
    /// The process-wide redactor used by the log handler.
    public static let shared = SecretRedactor()

    public static let mask = "***"
    private let lock = NSLock()
    private var secrets: Set<String> = []

    public init() {}

    /// Remembers a secret so that it is masked wherever it appears from now on.
    public func register(_ secret: String) {
        guard secret.count >= 4 else { return }
        lock.lock()
        defer { lock.unlock() }
        secrets.insert(secret)
        // Percent-encoded forms appear inside URLs.
        if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != secret {
            secrets.insert(encoded)
        }
    }

    /// Returns `text` with every URL password, every password hash or Fernet token, and every
    /// registered secret replaced by `***`.
    public func redact(_ text: String) -> String {
        var result = Self.redactStoredSecrets(Self.redactURLPasswords(text))
        lock.lock()
        let known = secrets.sorted { $0.count > $1.count }
        lock.unlock()
        for secret in known where result.contains(secret) {
            result = result.replacingOccurrences(of: secret, with: Self.mask)
        }
        return result
    }

    /// bcrypt hashes (`$2b$12$…`) and Fernet tokens (`gAAAAA…`): what the database stores in
    /// place of passwords, which query logging could otherwise print.
    static let storedSecretPatterns: [NSRegularExpression] = [
        try! NSRegularExpression(pattern: #"\$2[abxy]?\$[0-9]{2}\$[./A-Za-z0-9]{53}"#),
        try! NSRegularExpression(pattern: #"gAAAAA[A-Za-z0-9_\-]{40,}={0,2}"#),
    ]

    public static func redactStoredSecrets(_ text: String) -> String {
        guard text.contains("$2") || text.contains("gAAAAA") else { return text }
        var result = text
        for pattern in storedSecretPatterns {
            result = pattern.stringByReplacingMatches(in: result, range: NSRange(result.startIndex..., in: result), withTemplate: mask)
        }
        return result
    }

    /// Masks the password in `scheme://user:password@` for any scheme, without touching the rest.
    public static func redactURLPasswords(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var output = ""
        var rest = Substring(text)
        while let schemeEnd = rest.range(of: "://") {
            output += rest[..<schemeEnd.upperBound]
            rest = rest[schemeEnd.upperBound...]
            // The authority ends at the first "/", "?", "#" or whitespace; its user info at the last "@".
            let authorityEnd = rest.firstIndex { "/?#".contains($0) || $0.isWhitespace || $0 == "\"" || $0 == "'" } ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                output += authority[...colon] + mask + authority[at...]
            } else {
                output += authority
            }
            rest = rest[authorityEnd...]
        }
        return output + rest
    }
}
