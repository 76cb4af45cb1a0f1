import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import RoninCore

/// The S3 API as cold storage needs it, over AsyncHTTPClient with AWS Signature Version 4:
/// verified uploads of local files (single PUT or multipart), HEAD, ranged GET, download to a
/// file, DELETE, paged ListObjectsV2 and presigned GET URLs.
///
/// Every request is signed afresh for each attempt and retried with exponential backoff on
/// network failures and 5xx answers (503 SlowDown included), never on 4xx. Keys are relative
/// to the configuration's prefix. Files are read in chunks, never whole. Uploads pass through
/// the bandwidth limiter when there is one. Errors are `S3Error`s; neither they nor the logs
/// hold the secret key or a signature (the secret is registered with `SecretRedactor.shared`).
///
/// Redirects: S3 answers a request in the wrong region with a redirect; give the client an
/// `HTTPClient` that does not follow redirects (a followed one loses its signature and fails).
struct S3Client: Sendable {
    let configuration: S3Configuration
    /// Paces uploads; shared by every upload of this client (and of clients given the same one).
    let limiter: BandwidthLimiter?
    let http: HTTPClient
    let logger: Logger
    let signer: S3Signer
    /// The time requests are signed with.
    let now: @Sendable () -> Date

    struct InvalidConfiguration: Error, CustomStringConvertible {
        let description: String
    }

    init(configuration: S3Configuration, httpClient: HTTPClient = .shared, limiter: BandwidthLimiter? = nil,
         logger: Logger = Logger(label: "ronin.s3"), now: @escaping @Sendable () -> Date = { Date() }) throws {
        if let problem = configuration.problem { throw InvalidConfiguration(description: problem) }
        SecretRedactor.shared.register(configuration.secretAccessKey)
        self.configuration = configuration
        self.limiter = limiter ?? configuration.uploadBytesPerSecond.map { BandwidthLimiter(bytesPerSecond: $0) }
        self.http = httpClient
        self.logger = logger
        self.now = now
        self.signer = S3Signer(accessKeyID: configuration.accessKeyID, secretAccessKey: configuration.secretAccessKey,
                               region: configuration.region)
    }

    // MARK: - Objects

    /// Size, ETag, the stored SHA-256 metadata and S3's checksum of `key`; nil when there is no
    /// such object.
    func head(key: String) async throws -> S3ObjectInfo? {
        let stored = try storedKey(key, for: .headObject)
        return try await perform(.headObject, key: key, method: .HEAD, storedKey: stored,
                                 headers: [S3Header("x-amz-checksum-mode", "ENABLED")],
                                 accept: { (200..<300).contains($0) || $0 == 404 }) { response -> S3ObjectInfo? in
            if response.status == .notFound { return nil }
            let headers = response.headers
            guard let length = headers.first(name: "content-length").flatMap({ Int64($0) }) else {
                throw S3Error(.headObject, key: key, kind: .invalidResponse, message: "no Content-Length")
            }
            return S3ObjectInfo(key: key, size: length, etag: Self.unquoted(headers.first(name: "etag") ?? ""),
                                lastModified: headers.first(name: "last-modified").flatMap(Self.httpDate),
                                contentType: headers.first(name: "content-type"),
                                sha256: headers.first(name: "x-amz-meta-sha256"),
                                checksumSHA256: headers.first(name: "x-amz-checksum-sha256"))
        }
    }

    /// The bytes of `key`, or of `range` of it (inclusive, as in HTTP; a range past the end
    /// gives the bytes there are). For whole recordings use `download(key:to:)`: this collects
    /// at most `maxBytes` in memory and throws beyond.
    func get(key: String, range: ClosedRange<Int64>? = nil, maxBytes: Int = 64 * 1_048_576) async throws -> ByteBuffer {
        let stored = try storedKey(key, for: .getObject)
        let headers = try rangeHeader(range, key: key)
        return try await perform(.getObject, key: key, method: .GET, storedKey: stored, headers: headers,
                                 timeout: downloadTimeout) { response in
            try Self.checkRangeAnswer(response, range: range, key: key)
            let body: ByteBuffer
            do {
                body = try await response.body.collect(upTo: maxBytes)
            } catch is NIOTooManyBytesError {
                throw S3Error(.getObject, key: key, kind: .invalidRequest, message: "the object is larger than \(maxBytes) bytes; download it to a file")
            }
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length != body.readableBytes {
                throw S3Error(.getObject, key: key, kind: .integrity, message: "received \(body.readableBytes) of \(length) bytes")
            }
            return body
        }
    }

    /// Streams `key` (or `range` of it) into the local file `path`, created or replaced, and
    /// hashes it on the way. A whole object is checked against its `x-amz-meta-sha256`; on a
    /// mismatch, or any failure, the file is removed.
    @discardableResult
    func download(key: String, range: ClosedRange<Int64>? = nil, to path: String) async throws -> S3DownloadResult {
        let stored = try storedKey(key, for: .getObject)
        let headers = try rangeHeader(range, key: key)
        return try await perform(.getObject, key: key, method: .GET, storedKey: stored, headers: headers,
                                 timeout: downloadTimeout) { response in
            try Self.checkRangeAnswer(response, range: range, key: key)
            let writer = try await LocalFileWriter.create(path)
            do {
                var hasher = SHA256()
                var written: Int64 = 0
                for try await chunk in response.body {
                    chunk.withUnsafeReadableBytes { hasher.update(bufferPointer: $0) }
                    try await writer.write(chunk, at: written)
                    written += Int64(chunk.readableBytes)
                }
                try await writer.finish()
                if let length = response.headers.first(name: "content-length").flatMap(Int64.init), length != written {
                    throw S3Error(.getObject, key: key, kind: .integrity, message: "received \(written) of \(length) bytes")
                }
                let sha256 = S3Signer.hex(hasher.finalize())
                var verified = false
                if range == nil, let expected = response.headers.first(name: "x-amz-meta-sha256") {
                    guard expected.lowercased() == sha256 else {
                        throw S3Error(.getObject, key: key, kind: .integrity, message: "the bytes read have SHA-256 \(sha256), the object declares \(expected)")
                    }
                    verified = true
                }
                return S3DownloadResult(bytes: written, sha256: sha256, verified: verified)
            } catch {
                writer.discard()
                throw error
            }
        }
    }

    /// Removes `key`; removing a key that is not there succeeds (S3 answers 204 either way).
    func delete(key: String) async throws {
        let stored = try storedKey(key, for: .deleteObject)
        try await perform(.deleteObject, key: key, method: .DELETE, storedKey: stored) { response in
            _ = try await response.body.collect(upTo: 1_048_576)
        }
    }

    /// One page of the keys under `prefix` (relative to the configuration's prefix), in key
    /// order; pass the page's `nextContinuation` to get the next one.
    func list(prefix: String = "", continuation: String? = nil, maxKeys: Int = 1000) async throws -> S3ListPage {
        guard (1...1000).contains(maxKeys) else {
            throw S3Error(.listObjects, key: prefix, kind: .invalidRequest, message: "max-keys must be 1 to 1000")
        }
        let storedPrefix = configuration.keyPrefix.isEmpty ? prefix : configuration.keyPrefix + "/" + prefix
        var query = [S3QueryItem("list-type", "2"), S3QueryItem("encoding-type", "url"), S3QueryItem("max-keys", String(maxKeys))]
        if !storedPrefix.isEmpty { query.append(S3QueryItem("prefix", storedPrefix)) }
        if let continuation { query.append(S3QueryItem("continuation-token", continuation)) }
        return try await perform(.listObjects, key: prefix, method: .GET, storedKey: nil, query: query) { response in
            let body = try await response.body.collect(upTo: 32 * 1_048_576)
            let root: S3XMLElement
            do {
                root = try S3XML.parse(String(buffer: body))
            } catch {
                throw S3Error(.listObjects, key: prefix, kind: .invalidResponse, message: "\(error)")
            }
            let urlEncoded = root.value("EncodingType") == "url"
            var objects: [S3ObjectSummary] = []
            for item in root.children("Contents") {
                guard let rawKey = item.value("Key"), let size = item.value("Size").flatMap({ Int64($0) }) else {
                    throw S3Error(.listObjects, key: prefix, kind: .invalidResponse, message: "an entry without Key or Size")
                }
                let storedKey = urlEncoded ? Self.formDecoded(rawKey) : rawKey
                guard let key = configuration.relativeKey(storedKey) else { continue }
                objects.append(S3ObjectSummary(key: key, size: size, etag: Self.unquoted(item.value("ETag") ?? ""),
                                               lastModified: item.value("LastModified").flatMap(Self.isoDate)))
            }
            let truncated = root.value("IsTruncated") == "true"
            let next = truncated ? root.value("NextContinuationToken") : nil
            if truncated && (next ?? "").isEmpty {
                throw S3Error(.listObjects, key: prefix, kind: .invalidResponse, message: "a truncated page without a continuation token")
            }
            return S3ListPage(objects: objects, nextContinuation: next)
        }
    }

    /// A URL that lets anyone holding it GET `key` until `expires` from now (1 second to 7 days),
    /// signed with query-string authentication; nothing is sent to S3.
    func presignedGetURL(key: String, expires: Duration = .seconds(3_600)) throws -> URL {
        let stored = try storedKey(key, for: .presignGetObject)
        let seconds = Int(expires.components.seconds)
        guard (1...S3Signer.maximumPresignedExpiry).contains(seconds) else {
            throw S3Error(.presignGetObject, key: key, kind: .invalidRequest, message: "a presigned URL lasts 1 second to 7 days")
        }
        let address = configuration.address(storedKey: stored)
        let query = signer.presignedQuery(path: address.path, host: address.host, expires: seconds, date: now())
        guard let url = URL(string: address.url(query: query)) else {
            throw S3Error(.presignGetObject, key: key, kind: .invalidRequest, message: "the endpoint and key do not make a URL")
        }
        return url
    }

    /// Creates the bucket (in the configured region); a bucket that this account already owns
    /// counts as created.
    func createBucket() async throws {
        var body = ByteBuffer()
        if configuration.region != "us-east-1" {
            body = ByteBuffer(string: "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                + "<LocationConstraint>\(S3XML.escape(configuration.region))</LocationConstraint></CreateBucketConfiguration>")
        }
        let payload = body
        do {
            try await perform(.createBucket, key: nil, method: .PUT, storedKey: nil,
                              payloadHash: S3Signer.payloadHash(payload.readableBytesView),
                              body: { (.bytes(payload), Int64(payload.readableBytes)) }) { response in
                _ = try await response.body.collect(upTo: 1_048_576)
            }
        } catch let error as S3Error where error.code == "BucketAlreadyOwnedByYou" {
            return
        }
    }

    // MARK: - Requests

    /// Makes a request body for one attempt, with its length.
    typealias BodyMaker = @Sendable () -> (HTTPClientRequest.Body, Int64)

    /// One S3 request, signed afresh and retried per the policy. `accept` says which statuses
    /// are answers for `handle` (2xx by default); any other becomes an `S3Error` carrying S3's
    /// error code. Errors from `handle` that are retryable (a body cut off) are retried too.
    @discardableResult
    func perform<T: Sendable>(
        _ operation: S3Error.Operation, key: String?, method: HTTPMethod, storedKey: String?,
        query: [S3QueryItem] = [], headers: [S3Header] = [], payloadHash: String = S3Signer.emptyPayloadHash,
        body: BodyMaker? = nil, timeout: Duration? = nil,
        accept: @Sendable (Int) -> Bool = { (200..<300).contains($0) },
        handle: (HTTPClientResponse) async throws -> T
    ) async throws -> T {
        let policy = configuration.retry
        var attempt = 1
        while true {
            do {
                return try await attemptOnce(operation, key: key, method: method, storedKey: storedKey, query: query,
                                             headers: headers, payloadHash: payloadHash, body: body,
                                             timeout: timeout ?? configuration.requestTimeout, accept: accept, handle: handle)
            } catch let error as S3Error {
                guard policy.shouldRetry(error.kind), attempt < policy.maxAttempts, !Task.isCancelled else {
                    throw error.after(attempts: attempt)
                }
                let delay = policy.delay(beforeAttempt: attempt + 1)
                logger.warning("S3 request failed, retrying", metadata: [
                    "operation": "\(operation.rawValue)", "key": "\(key ?? "")", "attempt": "\(attempt)",
                    "error": "\(error)", "retryIn": "\(delay)",
                ])
                try await Task.sleep(for: delay)
                attempt += 1
            }
        }
    }

    private func attemptOnce<T: Sendable>(
        _ operation: S3Error.Operation, key: String?, method: HTTPMethod, storedKey: String?, query: [S3QueryItem],
        headers: [S3Header], payloadHash: String, body: BodyMaker?, timeout: Duration,
        accept: @Sendable (Int) -> Bool, handle: (HTTPClientResponse) async throws -> T
    ) async throws -> T {
        let address = configuration.address(storedKey: storedKey)
        let unsigned = S3SignableRequest(method: method.rawValue, path: address.path, query: query,
                                         headers: [S3Header("host", address.host)] + headers)
        let signed = signer.signed(unsigned, payloadHash: payloadHash, date: now())
        var request = HTTPClientRequest(url: address.url(query: S3Signer.canonicalQuery(query)))
        request.method = method
        for header in signed.headers { request.headers.add(name: header.name, value: header.value) }
        if let body { request.body = body().0 }

        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: TimeAmount(timeout), logger: logger)
        } catch {
            throw classify(error, operation: operation, key: key)
        }
        let status = Int(response.status.code)
        guard accept(status) else {
            let answer = (try? await response.body.collect(upTo: 1_048_576)).map { String(buffer: $0) } ?? ""
            let parsed = try? S3XML.parse(answer)
            let code = parsed?.value("Code")
            let message = parsed?.value("Message") ?? response.status.reasonPhrase
            throw S3Error(operation, key: key, kind: .http(status: status, code: code), message: message)
        }
        do {
            return try await handle(response)
        } catch {
            throw classify(error, operation: operation, key: key)
        }
    }

    /// An error while sending or reading as an `S3Error`: cancellation stays itself, local-file
    /// failures are `.localFile`, anything else from the connection is `.network`.
    private func classify(_ error: Error, operation: S3Error.Operation, key: String?) -> Error {
        switch error {
        case let error as S3Error: return error
        case is CancellationError: return error
        case let error as LocalFileError: return S3Error(operation, key: key, kind: .localFile, message: error.description)
        default:
            if Task.isCancelled { return CancellationError() }
            return S3Error(operation, key: key, kind: .network, message: String(describing: error))
        }
    }

    // MARK: - Helpers

    /// How long a download may take: it streams a whole recording at whatever speed the link gives.
    var downloadTimeout: Duration { max(configuration.requestTimeout, .seconds(3_600)) }

    func storedKey(_ key: String, for operation: S3Error.Operation) throws -> String {
        let stored = configuration.storedKey(key)
        guard !key.isEmpty, stored.utf8.count <= 1_024 else {
            throw S3Error(operation, key: key, kind: .invalidRequest, message: "a key is 1 to 1024 bytes, prefix included")
        }
        return stored
    }

    private func rangeHeader(_ range: ClosedRange<Int64>?, key: String) throws -> [S3Header] {
        guard let range else { return [] }
        guard range.lowerBound >= 0 else {
            throw S3Error(.getObject, key: key, kind: .invalidRequest, message: "a byte range starts at 0 or later")
        }
        return [S3Header("range", "bytes=\(range.lowerBound)-\(range.upperBound)")]
    }

    /// A ranged GET must be answered with 206 (a 200 would be the whole object).
    private static func checkRangeAnswer(_ response: HTTPClientResponse, range: ClosedRange<Int64>?, key: String) throws {
        if range != nil && response.status != .partialContent {
            throw S3Error(.getObject, key: key, kind: .invalidResponse, message: "asked for a byte range, got HTTP \(response.status.code)")
        }
    }

    static func unquoted(_ etag: String) -> String {
        etag.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// `application/x-www-form-urlencoded` decoding (`+` is a space), as S3 encodes keys in
    /// listings with `encoding-type=url`.
    static func formDecoded(_ text: String) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    static func isoDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}
