import Crypto
import Foundation

/// One HTTP request as AWS Signature Version 4 sees it: the method, the path and query as
/// they mean (not yet percent-encoded), and the headers that are to be signed.
///
/// `path` is the object's path exactly as S3 stores it (`/bucket/cam 1/2026-05-01/10-00-00.mp4`);
/// S3 does not normalise paths, so `//` and `.` segments are kept and encoded as they are. The
/// URL actually sent must use `S3Signer.canonicalURI(path:)` as its path, so that what is signed
/// and what is sent are the same bytes.
public struct S3SignableRequest: Sendable, Equatable {
    public var method: String
    public var path: String
    public var query: [S3QueryItem]
    public var headers: [S3Header]

    public init(method: String, path: String, query: [S3QueryItem] = [], headers: [S3Header] = []) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
    }
}

/// A query parameter, unencoded (`prefix=cam 1/`); a parameter without a value has `value` "".
public struct S3QueryItem: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String = "") {
        self.name = name
        self.value = value
    }
}

/// A request header as sent; names compare case-insensitively when signed.
public struct S3Header: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// AWS Signature Version 4 for S3 (and, with another `service`, any AWS query API), pure: no
/// clock and no network; the time of signing is passed in.
///
/// Invariants: the signature covers the method, the canonical URI (each path segment
/// percent-encoded per RFC 3986 unreserved characters, `/` kept), the query sorted by encoded
/// name then value, every header in the request (lowercased, values trimmed with inner runs of
/// spaces collapsed), and the payload hash: a lowercase hex SHA-256 of the body or
/// `UNSIGNED-PAYLOAD`. The secret access key never leaves this type: `description` and the
/// reflection mirror redact it, and no derived value (signing key, signature) contains it.
public struct S3Signer: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The payload hash for a body whose bytes are not covered by the signature.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// The hex SHA-256 of an empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The longest validity S3 accepts for a presigned URL: seven days.
    public static let maximumPresignedExpiry = 604_800

    public let accessKeyID: String
    private let secretAccessKey: String
    public let region: String
    public let service: String

    public init(accessKeyID: String, secretAccessKey: String, region: String, service: String = "s3") {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.region = region
        self.service = service
    }

    public var description: String {
        "S3Signer(accessKeyID: \(accessKeyID), secretAccessKey: ***, region: \(region), service: \(service))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": accessKeyID, "secretAccessKey": "***", "region": region, "service": service])
    }

    // MARK: - Time

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, the form of `x-amz-date`.
    public static func timestamp(_ date: Date) -> String {
        let c = utcComponents(date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// `yyyyMMdd` in UTC, the date of the credential scope.
    public static func dateStamp(_ date: Date) -> String {
        let c = utcComponents(date)
        return String(format: "%04d%02d%02d", c.year!, c.month!, c.day!)
    }

    private static func utcComponents(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Whole seconds, rounded down, as in the header.
        let whole = Date(timeIntervalSince1970: (date.timeIntervalSince1970).rounded(.down))
        return calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
    }

    // MARK: - Canonical request

    /// Percent-encodes `text` the way SigV4 wants: the unreserved characters `A-Z a-z 0-9 - _ . ~`
    /// stay, every other UTF-8 byte becomes `%XX` (uppercase hex); `/` stays only when
    /// `keepingSlash` (object paths) and is encoded otherwise (query names and values).
    public static func uriEncode(_ text: String, keepingSlash: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlash:
                out.append("/")
            default:
                out.append("%")
                out.append(hexDigitsUpper[Int(byte >> 4)])
                out.append(hexDigitsUpper[Int(byte & 0x0F)])
            }
        }
        return out
    }

    private static let hexDigitsUpper: [Character] = Array("0123456789ABCDEF")

    /// The encoded path: each segment encoded, `/` kept; an empty path is `/`.
    public static func canonicalURI(path: String) -> String {
        let encoded = uriEncode(path, keepingSlash: true)
        if encoded.isEmpty { return "/" }
        return encoded.hasPrefix("/") ? encoded : "/" + encoded
    }

    /// The query as SigV4 signs it (and as it may be sent): names and values encoded, pairs
    /// sorted by encoded name and then encoded value, `name=value` joined with `&`.
    public static func canonicalQuery(_ items: [S3QueryItem]) -> String {
        let encoded: [(name: String, value: String)] = items.map { (uriEncode($0.name), uriEncode($0.value)) }
        let sorted = encoded.sorted { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
        return sorted.map { $0.name + "=" + $0.value }.joined(separator: "&")
    }

    /// The canonical header block (`name:value\n` per header, sorted by lowercased name, values
    /// of repeated headers joined with `,`) and the signed-headers list (`host;x-amz-date`).
    public static func canonicalHeaders(_ headers: [S3Header]) -> (block: String, signed: String) {
        var byName: [String: [String]] = [:]
        for header in headers {
            byName[header.name.lowercased(), default: []].append(normalizedHeaderValue(header.value))
        }
        let names = byName.keys.sorted()
        var block = ""
        for name in names {
            let values: [String] = byName[name] ?? []
            block += name + ":" + values.joined(separator: ",") + "\n"
        }
        return (block, names.joined(separator: ";"))
    }

    /// Trims the value and collapses each inner run of spaces to one.
    static func normalizedHeaderValue(_ value: String) -> String {
        var out = ""
        var pendingSpace = false
        for ch in value.trimmingCharacters(in: .whitespaces) {
            if ch == " " || ch == "\t" {
                pendingSpace = true
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(ch)
            }
        }
        return out
    }

    /// The canonical request: method, URI, query, headers, signed headers, payload hash.
    public static func canonicalRequest(_ request: S3SignableRequest, payloadHash: String) -> String {
        let headers = canonicalHeaders(request.headers)
        return [
            request.method.uppercased(),
            canonicalURI(path: request.path),
            canonicalQuery(request.query),
            headers.block,
            headers.signed,
            payloadHash,
        ].joined(separator: "\n")
    }

    // MARK: - Signing

    /// `yyyyMMdd/region/service/aws4_request`.
    public func credentialScope(date: Date) -> String {
        "\(Self.dateStamp(date))/\(region)/\(service)/aws4_request"
    }

    /// The string to sign: algorithm, timestamp, scope and the hex SHA-256 of the canonical request.
    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        [
            Self.algorithm,
            Self.timestamp(date),
            credentialScope(date: date),
            Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8))),
        ].joined(separator: "\n")
    }

    /// The signing key: HMAC-SHA256 chained over the date, region, service and `aws4_request`,
    /// starting from `AWS4` + secret. Valid for one day, region and service.
    public func signingKey(date: Date) -> SymmetricKey {
        var key = SymmetricKey(data: Data(("AWS4" + secretAccessKey).utf8))
        for part in [Self.dateStamp(date), region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// The hex signature of `stringToSign`.
    public func signature(stringToSign: String, date: Date) -> String {
        Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(date: date)))
    }

    /// The `Authorization` header value for `request` as it stands (it must already carry every
    /// header that is to be signed, `host` and `x-amz-date` among them).
    public func authorization(for request: S3SignableRequest, payloadHash: String, date: Date) -> String {
        let canonical = Self.canonicalRequest(request, payloadHash: payloadHash)
        let signed = Self.canonicalHeaders(request.headers).signed
        let signature = signature(stringToSign: stringToSign(canonicalRequest: canonical, date: date), date: date)
        return "\(Self.algorithm) Credential=\(accessKeyID)/\(credentialScope(date: date)), SignedHeaders=\(signed), Signature=\(signature)"
    }

    /// Adds `x-amz-date`, `x-amz-content-sha256` and `Authorization` to an S3 request (whose
    /// headers must include `host`) and returns it.
    public func signed(_ request: S3SignableRequest, payloadHash: String, date: Date) -> S3SignableRequest {
        var request = request
        request.headers.removeAll { ["x-amz-date", "x-amz-content-sha256", "authorization"].contains($0.name.lowercased()) }
        request.headers.append(S3Header("x-amz-date", Self.timestamp(date)))
        request.headers.append(S3Header("x-amz-content-sha256", payloadHash))
        let value = authorization(for: request, payloadHash: payloadHash, date: date)
        request.headers.append(S3Header("Authorization", value))
        return request
    }

    /// The query string of a presigned request (query-string authentication): the request's own
    /// parameters plus `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
    /// `X-Amz-SignedHeaders` (`host`), sorted, with `X-Amz-Signature` last. The payload is unsigned.
    /// `expires` is in seconds, 1 to 604800.
    public func presignedQuery(method: String = "GET", path: String, query: [S3QueryItem] = [], host: String,
                               expires: Int, date: Date) -> String {
        precondition((1...Self.maximumPresignedExpiry).contains(expires), "a presigned URL lasts 1 s to 7 days")
        var items = query
        items.append(S3QueryItem("X-Amz-Algorithm", Self.algorithm))
        items.append(S3QueryItem("X-Amz-Credential", "\(accessKeyID)/\(credentialScope(date: date))"))
        items.append(S3QueryItem("X-Amz-Date", Self.timestamp(date)))
        items.append(S3QueryItem("X-Amz-Expires", String(expires)))
        items.append(S3QueryItem("X-Amz-SignedHeaders", "host"))
        let request = S3SignableRequest(method: method, path: path, query: items, headers: [S3Header("host", host)])
        let canonical = Self.canonicalRequest(request, payloadHash: Self.unsignedPayload)
        let signature = signature(stringToSign: stringToSign(canonicalRequest: canonical, date: date), date: date)
        return Self.canonicalQuery(items) + "&X-Amz-Signature=" + signature
    }

    // MARK: - Hashes

    /// Lowercase hex of a digest or MAC.
    public static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        var out = ""
        for byte in bytes {
            out.append(hexDigitsLower[Int(byte >> 4)])
            out.append(hexDigitsLower[Int(byte & 0x0F)])
        }
        return out
    }

    private static let hexDigitsLower: [Character] = Array("0123456789abcdef")

    /// The hex SHA-256 of `data`, as `x-amz-content-sha256` wants it.
    public static func payloadHash(_ data: some DataProtocol) -> String {
        hex(SHA256.hash(data: data))
    }
}
