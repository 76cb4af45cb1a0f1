import AsyncHTTPClient
import Foundation
import Logging
import RoninCore

/// The cold tier: footage as objects in an S3-compatible bucket, under the configured prefix, the
/// key being the recording's path. Uploads are verified by `S3Client.putObject` (size, SHA-256
/// metadata and S3's checksum) and again by `verify`; ffmpeg reads objects by presigned URLs with
/// ranges; browsers read them through `ColdFootageResponder`.
struct ColdTierStore: TierStore {
    let tier = StorageTier.cold
    let client: S3Client
    /// How long a presigned URL given to ffmpeg stays valid (long enough for the slowest read).
    static let urlLifetime: Duration = .seconds(6 * 3_600)

    var displayLocation: String {
        let prefix = client.configuration.keyPrefix
        return "s3://\(client.configuration.bucket)/\(prefix)" + " at " + client.configuration.endpoint.absoluteString
    }

    func readableLocation(_ key: String) async throws -> String {
        try client.presignedGetURL(key: key, expires: Self.urlLifetime).absoluteString
    }

    func localFile(_ key: String) -> String? { nil }

    func size(_ key: String) async throws -> Int64? {
        try await client.head(key: key)?.size
    }

    func store(localFile: String, key: String, recorded: String?, limiter: BandwidthLimiter?) async throws -> StoredCopy {
        StoredCopy(sha256: try await client.putObject(key: key, file: localFile, contentType: "video/mp4").sha256, verified: false)
    }

    func verify(key: String, size: Int64, sha256: String) async throws -> Bool {
        guard let info = try await client.head(key: key) else { return false }
        return info.size == size && info.sha256?.lowercased() == sha256.lowercased()
    }

    func existing(_ keys: [String]) async throws -> Set<String> {
        var found = Set<String>()
        var continuation: String?
        repeat {
            let page = try await client.list(prefix: "", continuation: continuation)
            found.formUnion(page.objects.map(\.key))
            continuation = page.nextContinuation
        } while continuation != nil
        return found.intersection(keys)
    }

    func delete(_ key: String) async throws {
        try await client.delete(key: key)
    }

    func diskUsage() -> (capacity: Int64, free: Int64)? { nil }

    func reachability() async -> String? {
        do {
            _ = try await client.list(prefix: "", maxKeys: 1)
            return nil
        } catch {
            return SecretRedactor.shared.redact("\(error)")
        }
    }

    /// The HTTP client every cold-storage request goes through: redirects are not followed (a
    /// redirected S3 request loses its signature), and it lives as long as the process.
    static let http = HTTPClient(eventLoopGroupProvider: .singleton,
                                 configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10))))

    /// The cold tier the settings describe, with the shared migration limiter.
    static func make(_ s3: StorageSettings.S3, limiter: BandwidthLimiter?, logger: Logger) throws -> ColdTierStore {
        guard let endpoint = URL(string: s3.endpoint) else { throw StorageIOError("COLD_STORAGE_S3_ENDPOINT is not a URL") }
        let configuration = S3Configuration(endpoint: endpoint, bucket: s3.bucket, region: s3.region, accessKeyID: s3.accessKeyID,
                                            secretAccessKey: s3.secretAccessKey, keyPrefix: s3.prefix, pathStyle: s3.pathStyle)
        return ColdTierStore(client: try S3Client(configuration: configuration, httpClient: http, limiter: limiter, logger: logger))
    }
}
