import Foundation

/// What HEAD says about a stored object.
struct S3ObjectInfo: Sendable, Equatable {
    /// The key relative to the configuration's prefix.
    let key: String
    let size: Int64
    /// The ETag without its quotes (an MD5 for a plain single PUT, `md5-N` for multipart).
    let etag: String
    let lastModified: Date?
    let contentType: String?
    /// `x-amz-meta-sha256`: the hex SHA-256 of the whole object as its uploader declared it.
    let sha256: String?
    /// `x-amz-checksum-sha256` as S3 reports it (asked for with `x-amz-checksum-mode: ENABLED`):
    /// the base64 SHA-256 of the object for a single PUT, `base64-N` (the SHA-256 of the N
    /// parts' SHA-256s) for a multipart upload; nil where the service keeps no checksum.
    let checksumSHA256: String?
}

/// One object in a listing.
struct S3ObjectSummary: Sendable, Equatable {
    /// The key relative to the configuration's prefix.
    let key: String
    let size: Int64
    let etag: String
    let lastModified: Date?
}

/// A page of ListObjectsV2: objects in key order, and the token of the next page (nil on the last).
struct S3ListPage: Sendable, Equatable {
    let objects: [S3ObjectSummary]
    let nextContinuation: String?
}

/// An upload that S3 accepted and that was verified afterwards (size, SHA-256 metadata and,
/// where the service keeps one, S3's own checksum).
struct S3PutResult: Sendable, Equatable {
    let key: String
    let size: Int64
    /// Hex SHA-256 of the file, stored as `x-amz-meta-sha256`.
    let sha256: String
    let etag: String
    /// Parts of the multipart upload, 0 for a single PUT.
    let parts: Int
    /// S3's checksum as read back, nil where the service keeps none.
    let checksumSHA256: String?
}

/// A download written to a local file.
struct S3DownloadResult: Sendable, Equatable {
    let bytes: Int64
    /// Hex SHA-256 of the bytes written.
    let sha256: String
    /// True when the whole object was read and matched its `x-amz-meta-sha256`.
    let verified: Bool
}
