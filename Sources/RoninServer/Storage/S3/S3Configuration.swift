import Foundation
import RoninCore

/// Where cold storage keeps footage: an S3 bucket on any S3-compatible service, the credentials
/// to reach it, and how uploads behave (when to switch to multipart, how fast to go).
///
/// Invariants: the secret access key never appears in `description`, `debugDescription` or a
/// reflection `dump`; keys handed to the client are relative to `keyPrefix`, which is a folder
/// (no leading or trailing `/`) inside the bucket, "" for the bucket root.
struct S3Configuration: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    static let mebibyte: Int64 = 1_048_576
    /// S3's smallest part (all but the last) and its largest single PUT.
    static let minimumPartSize: Int64 = 5 * mebibyte
    static let maximumSinglePut: Int64 = 5 * 1_024 * mebibyte

    /// The service's base URL, `https://s3.eu-central-1.amazonaws.com` or `http://127.0.0.1:9000`.
    var endpoint: URL
    var bucket: String
    var region: String
    var accessKeyID: String
    var secretAccessKey: String
    /// A folder inside the bucket under which every key lives ("" for the root).
    var keyPrefix: String {
        didSet { keyPrefix = Self.normalizedPrefix(keyPrefix) }
    }
    /// `https://endpoint/bucket/key` when true (MinIO, moto, most self-hosted services);
    /// `https://bucket.endpoint/key` (virtual-hosted, AWS's default) when false.
    var pathStyle: Bool
    /// At most this many bytes per second for uploads, across all uploads of one client; nil
    /// for no limit. Archiving uses it so that it never starves recording of disk or network.
    var uploadBytesPerSecond: Int?
    /// Files up to this size go in one PUT; larger ones in multipart uploads.
    var singlePutLimit: Int64 = 64 * mebibyte
    /// The size of each part of a multipart upload but the last.
    var partSize: Int64 = 16 * mebibyte
    var retry = S3RetryPolicy()
    /// The limit for one request without a large body (uploads get longer, by their size).
    var requestTimeout: Duration = .seconds(60)

    init(endpoint: URL, bucket: String, region: String, accessKeyID: String, secretAccessKey: String,
         keyPrefix: String = "", pathStyle: Bool = false, uploadBytesPerSecond: Int? = nil) {
        self.endpoint = endpoint
        self.bucket = bucket
        self.region = region
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.keyPrefix = Self.normalizedPrefix(keyPrefix)
        self.pathStyle = pathStyle
        self.uploadBytesPerSecond = uploadBytesPerSecond
    }

    /// Why this configuration cannot work, or nil when it can.
    var problem: String? {
        guard let scheme = endpoint.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return "the S3 endpoint must be an http or https URL"
        }
        guard let host = endpoint.host, !host.isEmpty else { return "the S3 endpoint has no host" }
        guard (3...63).contains(bucket.count), bucket.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }) else {
            return "the bucket name must be 3 to 63 lowercase letters, digits, '-' or '.'"
        }
        if region.isEmpty { return "the S3 region is empty" }
        if accessKeyID.isEmpty || secretAccessKey.isEmpty { return "the S3 access key id and secret access key are required" }
        if partSize < Self.minimumPartSize { return "the multipart part size must be at least 5 MiB" }
        if singlePutLimit < 1 || singlePutLimit > Self.maximumSinglePut { return "the single PUT limit must be 1 byte to 5 GiB" }
        if let rate = uploadBytesPerSecond, rate < 1 { return "the upload bandwidth limit must be at least 1 byte per second" }
        return nil
    }

    var description: String {
        "S3Configuration(endpoint: \(endpoint.absoluteString), bucket: \(bucket), region: \(region), "
            + "accessKeyID: \(accessKeyID), secretAccessKey: ***, keyPrefix: \(keyPrefix), pathStyle: \(pathStyle), "
            + "uploadBytesPerSecond: \(uploadBytesPerSecond.map(String.init) ?? "unlimited"))"
    }

    var debugDescription: String { description }

    var customMirror: Mirror {
        Mirror(self, children: [
            "endpoint": endpoint.absoluteString, "bucket": bucket, "region": region, "accessKeyID": accessKeyID,
            "secretAccessKey": "***", "keyPrefix": keyPrefix, "pathStyle": pathStyle,
            "uploadBytesPerSecond": uploadBytesPerSecond as Any,
        ])
    }

    static func normalizedPrefix(_ prefix: String) -> String {
        prefix.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
    }

    // MARK: - Keys and addresses

    /// The key in the bucket for a key relative to the prefix.
    func storedKey(_ key: String) -> String {
        keyPrefix.isEmpty ? key : keyPrefix + "/" + key
    }

    /// The key relative to the prefix for a key in the bucket (nil when outside the prefix).
    func relativeKey(_ storedKey: String) -> String? {
        if keyPrefix.isEmpty { return storedKey }
        let folder = keyPrefix + "/"
        return storedKey.hasPrefix(folder) ? String(storedKey.dropFirst(folder.count)) : nil
    }

    /// The URL, Host header and unencoded path (what is signed) of the bucket (`key` nil) or of
    /// an object (`key` as stored in the bucket, prefix included).
    func address(storedKey key: String?) -> S3Address {
        let scheme = endpoint.scheme?.lowercased() ?? "https"
        var host = endpoint.host ?? ""
        if host.contains(":") && !host.hasPrefix("[") { host = "[" + host + "]" }
        if !pathStyle { host = bucket + "." + host }
        if let port = endpoint.port { host += ":\(port)" }
        var path = endpoint.path
        while path.hasSuffix("/") { path.removeLast() }
        if pathStyle {
            path += "/" + bucket
            if let key { path += "/" + key }
        } else {
            path += "/" + (key ?? "")
        }
        return S3Address(scheme: scheme, host: host, path: path)
    }
}

/// Where one S3 request goes: scheme, the Host header value (port included when the endpoint
/// names one) and the path as S3 stores it (unencoded; the URL carries its canonical encoding).
struct S3Address: Sendable, Equatable {
    let scheme: String
    let host: String
    let path: String

    /// The URL to request, with the query (already canonical) when there is one.
    func url(query: String = "") -> String {
        scheme + "://" + host + S3Signer.canonicalURI(path: path) + (query.isEmpty ? "" : "?" + query)
    }
}
