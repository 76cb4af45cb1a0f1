import Foundation

/// URL-safe Base64 (RFC 4648 §5) as Fernet uses it: `-` and `_` instead of `+` and `/`.
///
/// Encoding keeps the `=` padding, as Python's `base64.urlsafe_b64encode` does, so tokens we
/// make are byte-for-byte what other Fernet implementations make. Decoding accepts input with or
/// without padding and rejects any other character.
public enum Base64URL {
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    public static func decode(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !text.contains("+"), !text.contains("/") else { return nil }
        let remainder = standard.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { standard += String(repeating: "=", count: 4 - remainder) }
        guard let data = Data(base64Encoded: standard) else { return nil }
        return [UInt8](data)
    }
}
