import Foundation

/// The storage settings from the environment (docs/design/tiers.md): retention, the free-space
/// guard, the tiers and their policies, migration speed, and where offline exports may go.
/// Policies edited in the UI are stored in the database and laid over these.
public struct StorageSettings: Sendable, Equatable {
    /// An S3-compatible bucket for cold storage. The secret never appears in `description`.
    public struct S3: Sendable, Equatable, CustomStringConvertible {
        public var endpoint: String
        public var bucket: String
        public var region: String
        public var accessKeyID: String
        public var secretAccessKey: String
        public var prefix: String
        public var pathStyle: Bool

        public var description: String {
            "s3 \(endpoint) bucket \(bucket) prefix '\(prefix)' region \(region) key \(accessKeyID) (\(pathStyle ? "path-style" : "virtual-hosted"))"
        }
    }

    /// What storage keeps and where footage goes (before the UI's edits).
    public var policy: StoragePolicy
    public var warmPath: String?
    public var cold: S3?
    /// Migration copies at most this many bytes a second (nil: as fast as the disks go).
    public var migrationBytesPerSecond: Int64?
    /// How often the free-space guard and the policies are checked, at least.
    public var checkSeconds: Double
    /// Cold footage read through the NVR is cached locally up to this size.
    public var coldCacheBytes: Int64
    /// When only locked footage is left and a disk still lacks space: stop the cameras of lowest
    /// priority (`true`) or keep recording until the disk is full (`false`).
    public var stopCamerasWhenCritical: Bool
    /// Mount points of removable media that offline exports may be written under.
    public var exportRoots: [String]

    public init(environment env: [String: String], absolute: (String) -> String) throws(Settings.Problem) {
        func value(_ name: String) -> String? {
            guard let raw = env[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func duration(_ name: String, bareUnit: Double? = nil) throws(Settings.Problem) -> TimeInterval? {
            guard let raw = value(name) else { return nil }
            do { return try StorageQuantity.seconds(raw, bareUnit: bareUnit) } catch { throw Settings.Problem(name: name, message: error.description) }
        }
        func size(_ name: String) throws(Settings.Problem) -> Int64? {
            guard let raw = value(name) else { return nil }
            do { return try StorageQuantity.bytes(raw) } catch { throw Settings.Problem(name: name, message: error.description) }
        }
        func flag(_ name: String, _ fallback: Bool) throws(Settings.Problem) -> Bool {
            switch value(name)?.lowercased() {
            case nil: return fallback
            case "0", "false", "no", "off": return false
            case "1", "true", "yes", "on": return true
            case let other?: throw Settings.Problem(name: name, message: "expected true or false, got '\(other)'")
            }
        }

        if value("RETENTION_DAYS") != nil, value("RETENTION_MAX_AGE") != nil {
            throw Settings.Problem(name: "RETENTION_MAX_AGE", message: "set RETENTION_DAYS or RETENTION_MAX_AGE, not both")
        }
        var retentionAge = try duration("RETENTION_DAYS", bareUnit: 86_400)
        if retentionAge == nil { retentionAge = try duration("RETENTION_MAX_AGE") }
        warmPath = value("WARM_STORAGE_PATH").map(absolute)
        cold = try Self.parseS3(value)
        policy = StoragePolicy(
            hot: StorageLimits(maxAge: try duration("HOT_MAX_AGE"), maxBytes: try size("HOT_MAX_GB")),
            hotMinAge: try duration("HOT_MIN_AGE"),
            warmConfigured: warmPath != nil,
            warm: StorageLimits(maxAge: try duration("WARM_MAX_AGE"), maxBytes: try size("WARM_STORAGE_MAX_GB")),
            coldConfigured: cold != nil,
            retention: StorageLimits(maxAge: retentionAge, maxBytes: try size("RETENTION_MAX_GB")),
            minFreeBytes: try size("STORAGE_MIN_FREE_GB") ?? 1_000_000_000,
            protectNewest: try duration("STORAGE_PROTECT_NEWEST") ?? 3_600)
        if warmPath == nil, let name = ["WARM_MAX_AGE", "WARM_STORAGE_MAX_GB"].first(where: { value($0) != nil }) {
            throw Settings.Problem(name: name, message: "applies to warm storage: set WARM_STORAGE_PATH too")
        }
        migrationBytesPerSecond = nil
        if let raw = value("MIGRATION_MAX_MBPS") {
            guard let mb = Double(raw), mb >= 0.001, mb <= 100_000 else {
                throw Settings.Problem(name: "MIGRATION_MAX_MBPS", message: "expected megabytes per second from 0.001 to 100000, got '\(raw)'")
            }
            migrationBytesPerSecond = Int64(mb * 1_000_000)
        }
        let check = value("STORAGE_CHECK_SECONDS") ?? "30"
        guard let seconds = Double(check), seconds >= 0.5, seconds <= 3_600 else {
            throw Settings.Problem(name: "STORAGE_CHECK_SECONDS", message: "expected seconds from 0.5 to 3600, got '\(check)'")
        }
        checkSeconds = seconds
        coldCacheBytes = try size("COLD_CACHE_MAX_GB") ?? 2_000_000_000
        stopCamerasWhenCritical = try flag("STORAGE_STOP_CAMERAS_WHEN_FULL", true)
        exportRoots = (value("EXPORT_ROOTS") ?? "").split(separator: ",").map { absolute($0.trimmingCharacters(in: .whitespaces)) }
            .filter { $0 != "/" && !$0.isEmpty }
    }

    static func parseS3(_ value: (String) -> String?) throws(Settings.Problem) -> S3? {
        let names = ["COLD_STORAGE_S3_ENDPOINT", "COLD_STORAGE_S3_BUCKET", "COLD_STORAGE_S3_ACCESS_KEY_ID", "COLD_STORAGE_S3_SECRET_ACCESS_KEY"]
        let given = names.filter { value($0) != nil }
        guard !given.isEmpty else { return nil }
        if let missing = names.first(where: { value($0) == nil }) {
            throw Settings.Problem(name: missing, message: "cold storage needs \(names.joined(separator: ", "))")
        }
        let endpoint = value("COLD_STORAGE_S3_ENDPOINT")!
        guard let url = URLComponents(string: endpoint), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
            throw Settings.Problem(name: "COLD_STORAGE_S3_ENDPOINT", message: "expected an http:// or https:// URL")
        }
        let bucket = value("COLD_STORAGE_S3_BUCKET")!
        guard (3...63).contains(bucket.count), bucket.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" || $0 == "." }) else {
            throw Settings.Problem(name: "COLD_STORAGE_S3_BUCKET", message: "expected a bucket name: 3 to 63 lower-case letters, digits, '-' and '.'")
        }
        var prefix = value("COLD_STORAGE_S3_PREFIX") ?? ""
        while prefix.hasPrefix("/") { prefix.removeFirst() }
        if !prefix.isEmpty, !prefix.hasSuffix("/") { prefix += "/" }
        let pathStyle: Bool
        switch value("COLD_STORAGE_S3_PATH_STYLE")?.lowercased() {
        case nil, "0", "false", "no", "off": pathStyle = false
        case "1", "true", "yes", "on": pathStyle = true
        case let other?: throw Settings.Problem(name: "COLD_STORAGE_S3_PATH_STYLE", message: "expected true or false, got '\(other)'")
        }
        return S3(endpoint: endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint, bucket: bucket,
                  region: value("COLD_STORAGE_S3_REGION") ?? "us-east-1", accessKeyID: value("COLD_STORAGE_S3_ACCESS_KEY_ID")!,
                  secretAccessKey: value("COLD_STORAGE_S3_SECRET_ACCESS_KEY")!, prefix: prefix, pathStyle: pathStyle)
    }
}
