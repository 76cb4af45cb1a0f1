import AsyncHTTPClient
import Foundation
import NIOCore
import RoninCore

/// Uploads: a local file goes up streamed, in one PUT up to `singlePutLimit` or in parts of
/// `partSize` above it, and is verified before the upload counts as done.
///
/// Integrity, end to end: the file is hashed once before sending (SHA-256 of the whole and of
/// each part). Each request signs its body's SHA-256 as `x-amz-content-sha256` and declares
/// it as `x-amz-checksum-sha256`, so S3 rejects bytes that changed on the way (BadDigest,
/// XAmzContentSHA256Mismatch); the file's SHA-256 is stored as `x-amz-meta-sha256`. Afterwards
/// a HEAD must show the file's size, that metadata, and S3's checksum (where the service keeps
/// one) equal to the file's SHA-256, or for multipart the SHA-256 of the parts' SHA-256s.
extension S3Client {
    /// Uploads the local file at `path` as `key` and verifies it; a failed multipart upload is
    /// aborted so that no parts stay behind. `contentType` defaults from the file's extension.
    @discardableResult
    func putObject(key: String, file path: String, contentType: String? = nil) async throws -> S3PutResult {
        let stored = try storedKey(key, for: .putObject)
        let file: LocalFileReader
        let digest: FileDigest
        let multipart: Bool
        do {
            file = try await LocalFileReader.open(path)
            multipart = file.size > configuration.singlePutLimit
            digest = try await FileDigest.compute(file, partSize: multipart ? configuration.partSize : nil)
        } catch let error as LocalFileError {
            throw S3Error(.putObject, key: key, kind: .localFile, message: error.description)
        }
        let type = contentType ?? Self.contentType(forPath: path)
        let common = [S3Header("content-type", type), S3Header("x-amz-meta-sha256", digest.hex)]

        var etag: String?
        if multipart {
            etag = try await multipartUpload(key: key, stored: stored, file: file, digest: digest, headers: common)
        } else {
            etag = try await perform(
                .putObject, key: key, method: .PUT, storedKey: stored,
                headers: common + [S3Header("x-amz-checksum-sha256", digest.base64), S3Header("x-amz-sdk-checksum-algorithm", "SHA256")],
                payloadHash: digest.hex, body: body(file, 0..<digest.size), timeout: uploadTimeout(digest.size)
            ) { response in
                _ = try await response.body.collect(upTo: 1_048_576)
                return response.headers.first(name: "etag").map(Self.unquoted)
            }
        }
        let info = try await verifyUpload(key: key, digest: digest, multipart: multipart)
        logger.debug("S3 upload verified", metadata: ["key": "\(key)", "bytes": "\(digest.size)", "parts": "\(digest.parts.count)"])
        return S3PutResult(key: key, size: digest.size, sha256: digest.hex, etag: etag ?? info.etag,
                           parts: multipart ? digest.parts.count : 0, checksumSHA256: info.checksumSHA256)
    }

    /// CreateMultipartUpload, UploadPart for each part in order, CompleteMultipartUpload; any
    /// failure aborts the upload. Returns the ETag, or nil when a retried completion found the
    /// upload already completed (verification then decides).
    private func multipartUpload(key: String, stored: String, file: LocalFileReader, digest: FileDigest,
                                 headers: [S3Header]) async throws -> String? {
        let uploadID = try await perform(
            .createMultipartUpload, key: key, method: .POST, storedKey: stored, query: [S3QueryItem("uploads")],
            headers: headers + [S3Header("x-amz-checksum-algorithm", "SHA256")]
        ) { response -> String in
            let answer = try await Self.xml(response, .createMultipartUpload, key: key)
            guard let id = answer.value("UploadId"), !id.isEmpty else {
                throw S3Error(.createMultipartUpload, key: key, kind: .invalidResponse, message: "no UploadId")
            }
            return id
        }
        do {
            var completed: [(number: Int, etag: String, checksum: String)] = []
            for index in digest.parts.indices {
                let number = index + 1
                let range = digest.partRange(index)
                let checksum = Data(digest.parts[index]).base64EncodedString()
                let etag = try await perform(
                    .uploadPart, key: key, method: .PUT, storedKey: stored,
                    query: [S3QueryItem("partNumber", String(number)), S3QueryItem("uploadId", uploadID)],
                    headers: [S3Header("x-amz-checksum-sha256", checksum), S3Header("x-amz-sdk-checksum-algorithm", "SHA256")],
                    payloadHash: FileDigest.hex(digest.parts[index]), body: body(file, range),
                    timeout: uploadTimeout(Int64(range.count))
                ) { response -> String in
                    _ = try await response.body.collect(upTo: 1_048_576)
                    if let echoed = response.headers.first(name: "x-amz-checksum-sha256"), echoed != checksum {
                        throw S3Error(.uploadPart, key: key, kind: .integrity, message: "part \(number) checksum \(echoed), sent \(checksum)")
                    }
                    guard let etag = response.headers.first(name: "etag") else {
                        throw S3Error(.uploadPart, key: key, kind: .invalidResponse, message: "part \(number) has no ETag")
                    }
                    return etag
                }
                completed.append((number, etag, checksum))
            }
            var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            for part in completed {
                xml += "<Part><PartNumber>\(part.number)</PartNumber><ETag>\(S3XML.escape(part.etag))</ETag>"
                    + "<ChecksumSHA256>\(part.checksum)</ChecksumSHA256></Part>"
            }
            xml += "</CompleteMultipartUpload>"
            let payload = ByteBuffer(string: xml)
            do {
                return try await perform(
                    .completeMultipartUpload, key: key, method: .POST, storedKey: stored, query: [S3QueryItem("uploadId", uploadID)],
                    headers: [S3Header("content-type", "application/xml")],
                    payloadHash: S3Signer.payloadHash(payload.readableBytesView),
                    body: { (.bytes(payload), Int64(payload.readableBytes)) },
                    timeout: configuration.requestTimeout * 5
                ) { response -> String? in
                    // S3 may answer 200 and report a failure in the body, after a long wait.
                    let answer = try await Self.xml(response, .completeMultipartUpload, key: key)
                    return answer.value("ETag").map(Self.unquoted)
                }
            } catch let error as S3Error where error.code == "NoSuchUpload" && error.attempts > 1 {
                // An earlier attempt completed it and its answer was lost.
                return nil
            }
        } catch {
            await abortMultipartUpload(key: key, stored: stored, uploadID: uploadID)
            throw error
        }
    }

    /// Aborts the upload, even when the upload's own task was cancelled (the abort runs in a
    /// task of its own, which does not inherit the cancellation).
    private func abortMultipartUpload(key: String, stored: String, uploadID: String) async {
        let client = self
        await Task { await client.abortNow(key: key, stored: stored, uploadID: uploadID) }.value
    }

    private func abortNow(key: String, stored: String, uploadID: String) async {
        do {
            try await perform(.abortMultipartUpload, key: key, method: .DELETE, storedKey: stored,
                              query: [S3QueryItem("uploadId", uploadID)]) { response in
                _ = try await response.body.collect(upTo: 1_048_576)
            }
        } catch {
            logger.error("S3 multipart upload could not be aborted; its parts stay until a lifecycle rule removes them",
                         metadata: ["key": "\(key)", "error": "\(error)"])
        }
    }

    /// HEAD after upload: size, `x-amz-meta-sha256` and S3's checksum must match the file.
    private func verifyUpload(key: String, digest: FileDigest, multipart: Bool) async throws -> S3ObjectInfo {
        func failure(_ message: String) -> S3Error {
            S3Error(.putObject, key: key, kind: .integrity, message: message)
        }
        guard let info = try await head(key: key) else { throw failure("the object is not there after its upload") }
        guard info.size == digest.size else { throw failure("S3 holds \(info.size) bytes, the file has \(digest.size)") }
        guard info.sha256?.lowercased() == digest.hex else {
            throw failure("the stored sha256 metadata is \(info.sha256 ?? "missing"), the file's is \(digest.hex)")
        }
        if let checksum = info.checksumSHA256 {
            let expected = multipart ? digest.compositeChecksum : digest.base64
            // Some services leave out the "-N" part count of a composite checksum.
            let matches = checksum == expected || (multipart && checksum == expected.split(separator: "-").first.map(String.init))
            guard matches else { throw failure("S3's SHA-256 checksum is \(checksum), expected \(expected)") }
        }
        return info
    }

    // MARK: - Helpers

    /// The body of one attempt: `range` of the file, read in chunks and paced by the limiter.
    private func body(_ file: LocalFileReader, _ range: Range<Int64>) -> BodyMaker {
        let limiter = limiter
        let chunkSize = limiter?.suggestedChunkSize ?? 262_144
        return {
            let length = Int64(range.count)
            if length == 0 { return (.bytes(ByteBuffer()), 0) }
            return (.stream(FileChunks(file: file, range: range, chunkSize: chunkSize, limiter: limiter), length: .known(length)), length)
        }
    }

    /// The time one upload of `bytes` may take: the request timeout plus twice the time at the
    /// slower of the bandwidth limit and 512 KiB/s.
    private func uploadTimeout(_ bytes: Int64) -> Duration {
        let rate = min(limiter?.bytesPerSecond ?? 524_288, 524_288)
        return configuration.requestTimeout + BandwidthLimiter.duration(bytes: Int(bytes), rate: rate) * 2
    }

    private static func xml(_ response: HTTPClientResponse, _ operation: S3Error.Operation, key: String) async throws -> S3XMLElement {
        let body = try await response.body.collect(upTo: 1_048_576)
        let root: S3XMLElement
        do {
            root = try S3XML.parse(String(buffer: body))
        } catch {
            throw S3Error(operation, key: key, kind: .invalidResponse, message: "\(error)")
        }
        if root.name == "Error" {
            throw S3Error(operation, key: key, kind: .http(status: Int(response.status.code), code: root.value("Code")),
                          message: root.value("Message") ?? "")
        }
        return root
    }

    static func contentType(forPath path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "mp4", "m4v": return "video/mp4"
        case "jpg", "jpeg": return "image/jpeg"
        case "png": return "image/png"
        case "json": return "application/json"
        default: return "application/octet-stream"
        }
    }
}
