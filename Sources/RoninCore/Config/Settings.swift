import Foundation

/// The NVR's configuration, read from environment variables (see `SettingsCatalog`).
///
/// Values are validated here, once, so the rest of the program never meets a malformed
/// setting. Secrets that are not given (`jwtSecret`, `encryptionKey`, `adminPassword`) stay
/// `nil`; the server generates and keeps them on first start.
public struct Settings: Sendable, Equatable {
    public enum DatabaseKind: String, Sendable {
        case sqlite
        case postgresql
    }

    /// Where the database lives.
    public enum Database: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)

        public var kind: DatabaseKind {
            switch self {
            case .sqlite: .sqlite
            case .postgres: .postgresql
            }
        }
    }

    /// A setting that could not be used, with the reason.
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public let name: String
        public let message: String
        public var description: String { "\(name): \(message)" }

        public init(name: String, message: String) {
            self.name = name
            self.message = message
        }
    }

    public var host: String
    public var port: Int
    public var dataDirectory: String
    public var database: Database
    public var storageRoot: String
    /// Retention, the free-space guard, warm and cold tiers, migration, offline export roots.
    public var storage: StorageSettings
    /// The built web UI; nil: found next to the executable (see `WebRootLocator`).
    public var webRoot: String?
    public var jwtSecret: String?
    public var jwtLifetimeMinutes: Int
    public var encryptionKey: String?
    public var adminUsername: String
    public var adminPassword: String?
    /// Failed sign-ins for one username from one client (or known browser) before it is locked.
    public var loginMaxFailures: Int
    public var loginMaxFailuresPerClient: Int
    /// Failed sign-ins for one username from all clients together before strangers are locked out.
    public var loginMaxFailuresPerUsername: Int
    public var loginWindowSeconds: Int
    /// Sign-ins evaluated at the same moment; more are answered 503 at once.
    public var loginMaxConcurrent: Int
    /// How long a browser that signed in counts as known to the sign-in throttle.
    public var loginDeviceDays: Int
    /// Whether the session cookie is marked Secure (always when TLS is on).
    public var cookieSecure: Bool
    /// PEM certificate chain and private key for HTTPS; both or neither.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// Seconds a connection may stay idle (or send a request this slowly) before it is closed.
    public var httpIdleTimeoutSeconds: Int
    /// Open HTTP connections served at once; more wait until one closes.
    public var httpMaxConnections: Int
    /// Clip exports running at once, for everyone and for one user.
    public var exportMaxConcurrent: Int
    public var exportMaxConcurrentPerUser: Int
    /// Seconds an export waits for a client that stopped reading before it gives up.
    public var exportStallSeconds: Int
    public var probeTimeoutSeconds: Double
    public var segmentSeconds: Int
    public var stallSeconds: Int
    public var exportMaxHours: Int
    public var runPipelines: Bool
    public var ffprobePath: String
    public var ffmpegPath: String
    public var logLevel: String
    /// Object detection: on unless ML_ENABLED says otherwise (it still needs ONNX Runtime).
    public var mlEnabled: Bool
    public var mlConfidenceThreshold: Float
    /// Classes to keep (nil: every class the model knows).
    public var mlClassFilter: [String]?
    /// JSON file refining the detection pipeline (per-class thresholds, motion, activity).
    public var mlPipelineConfig: String?
    /// Frames per second analysed by detection.
    public var mlFPS: Double
    /// Frames per second historical analysis decodes from each recording.
    public var mlHistoricalFPS: Double
    /// Recordings analysed at the same time by one process.
    public var mlWorkerConcurrency: Int
    /// Seconds a worker's claim on a job lasts without a heartbeat.
    public var mlJobLeaseSeconds: Int
    /// The longest an idle worker sleeps before looking for jobs again (wake-ups come sooner).
    public var jobPollSeconds: Int
    /// Run background workers (detection) in `ronin serve`; false for an API-and-recording node.
    public var runWorkers: Bool
    /// Live view over WebSocket (fragmented MP4, under a second behind); false: HLS only.
    public var liveWebSocket: Bool
    /// Watch cameras live (when detection is available); per-camera settings may turn it off.
    public var liveDetectionEnabled: Bool
    /// Frames per second live detection looks at.
    public var liveDetectionFPS: Double
    /// Seconds during which another event of the same camera, class and kind does not notify.
    public var liveDetectionCooldown: Double
    /// Notifications one camera may send in any hour.
    public var notifyMaxPerHour: Int
    /// Webhook receivers of every notified event.
    public var notifyWebhookURLs: [String]
    /// The key webhook bodies are signed with (HMAC-SHA256); nil: unsigned.
    public var notifyWebhookSecret: String?
    /// Footage before and after an event that its clip holds.
    public var eventPreSeconds: Double
    public var eventPostSeconds: Double
    /// The address users reach the NVR at, for links in notifications (nil: links are relative).
    public var publicURL: String?
    /// The host name or IPv4 address at which the server reaches this live worker (`ronin worker
    /// --kinds live` on another machine), to send it the cameras' streams; nil: the machine's name.
    public var liveWorkerAddress: String?

    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Reads settings from an environment. Relative paths are resolved against `workingDirectory`.
    public init(environment env: [String: String], workingDirectory: String = FileManager.default.currentDirectoryPath) throws(Problem) {
        func value(_ name: String) -> String? {
            guard let raw = env[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func absolute(_ path: String) -> String {
            let expanded = (path as NSString).expandingTildeInPath
            let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : URL(fileURLWithPath: workingDirectory).appendingPathComponent(expanded)
            return url.standardizedFileURL.path
        }
        func integer(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws(Problem) -> Int {
            guard let raw = value(name) else { return fallback }
            guard let number = Int(raw), range.contains(number) else {
                throw Problem(name: name, message: "expected a whole number from \(range.lowerBound) to \(range.upperBound), got '\(raw)'")
            }
            return number
        }

        host = value("RONIN_HOST") ?? "0.0.0.0"
        port = try integer("RONIN_PORT", 8080, 1...65535)
        dataDirectory = absolute(value("RONIN_DATA_DIR") ?? "./data")
        database = try Self.parseDatabase(value("DATABASE_URL"), dataDirectory: dataDirectory, absolute: absolute)
        storageRoot = absolute(value("STORAGE_ROOT") ?? dataDirectory + "/storage")
        storage = try StorageSettings(environment: env, absolute: absolute)
        if let warm = storage.warmPath, warm == storageRoot || warm.hasPrefix(storageRoot + "/") || storageRoot.hasPrefix(warm + "/") {
            throw Problem(name: "WARM_STORAGE_PATH", message: "must be a folder of its own, neither STORAGE_ROOT nor inside it (nor around it)")
        }
        webRoot = value("RONIN_WEB_ROOT").map(absolute)
        jwtSecret = value("JWT_SECRET_KEY")
        // HS256 wants a key at least as long as its digest: 32 bytes.
        if let secret = jwtSecret, secret.utf8.count < 32 {
            throw Problem(name: "JWT_SECRET_KEY", message: "must be at least 32 characters (bytes), as long as an HS256 digest")
        }
        jwtLifetimeMinutes = try integer("JWT_EXPIRE_MINUTES", 1440, 1...525_600)
        encryptionKey = value("ENCRYPTION_KEY")
        if let key = encryptionKey, (try? Fernet(key: key)) == nil {
            throw Problem(name: "ENCRYPTION_KEY", message: "must be a Fernet key: 32 bytes of URL-safe Base64 (44 characters)")
        }
        adminUsername = value("RONIN_ADMIN_USERNAME") ?? "admin"
        adminPassword = value("RONIN_ADMIN_PASSWORD")
        if let password = adminPassword, password.count < 8 {
            throw Problem(name: "RONIN_ADMIN_PASSWORD", message: "must be at least 8 characters")
        }
        loginMaxFailures = try integer("LOGIN_MAX_FAILURES", 5, 1...1000)
        loginMaxFailuresPerClient = try integer("LOGIN_MAX_FAILURES_PER_CLIENT", 20, 1...100_000)
        loginMaxFailuresPerUsername = try integer("LOGIN_MAX_FAILURES_PER_USERNAME", max(50, loginMaxFailures * 10), 1...1_000_000)
        loginWindowSeconds = try integer("LOGIN_WINDOW_SECONDS", 300, 1...86_400)
        loginMaxConcurrent = try integer("LOGIN_MAX_CONCURRENT", 4, 1...1000)
        loginDeviceDays = try integer("LOGIN_DEVICE_DAYS", 30, 1...3650)
        func flag(_ name: String, _ fallback: Bool) throws(Problem) -> Bool {
            switch value(name)?.lowercased() {
            case nil: return fallback
            case "0", "false", "no", "off": return false
            case "1", "true", "yes", "on": return true
            case let other?: throw Problem(name: name, message: "expected true or false, got '\(other)'")
            }
        }
        tlsCertificatePath = value("RONIN_TLS_CERT_PATH").map(absolute)
        tlsKeyPath = value("RONIN_TLS_KEY_PATH").map(absolute)
        if (tlsCertificatePath == nil) != (tlsKeyPath == nil) {
            throw Problem(name: tlsCertificatePath == nil ? "RONIN_TLS_CERT_PATH" : "RONIN_TLS_KEY_PATH",
                          message: "RONIN_TLS_CERT_PATH and RONIN_TLS_KEY_PATH go together")
        }
        cookieSecure = try flag("COOKIE_SECURE", false) || tlsCertificatePath != nil
        httpIdleTimeoutSeconds = try integer("HTTP_IDLE_TIMEOUT_SECONDS", 60, 1...3600)
        httpMaxConnections = try integer("HTTP_MAX_CONNECTIONS", 1024, 16...1_000_000)
        runPipelines = try flag("RONIN_RUN_PIPELINES", true)
        let timeout = value("CAMERA_PROBE_TIMEOUT_SECONDS") ?? "10"
        guard let seconds = Double(timeout), seconds >= 1, seconds <= 120 else {
            throw Problem(name: "CAMERA_PROBE_TIMEOUT_SECONDS", message: "expected seconds from 1 to 120, got '\(timeout)'")
        }
        probeTimeoutSeconds = seconds
        segmentSeconds = try integer("RECORDING_SEGMENT_MINUTES", 15, 1...1440) * 60
        if value("RECORDING_SEGMENT_SECONDS") != nil {
            segmentSeconds = try integer("RECORDING_SEGMENT_SECONDS", 900, 2...86_400)
        }
        stallSeconds = try integer("PIPELINE_STALL_SECONDS", 20, 5...600)
        exportMaxHours = try integer("EXPORT_MAX_HOURS", 24, 1...168)
        exportMaxConcurrent = try integer("EXPORT_MAX_CONCURRENT", 4, 1...100)
        exportMaxConcurrentPerUser = try integer("EXPORT_MAX_CONCURRENT_PER_USER", 2, 1...100)
        exportStallSeconds = try integer("EXPORT_STALL_SECONDS", 60, 1...3600)
        ffprobePath = value("FFPROBE_PATH") ?? "ffprobe"
        ffmpegPath = value("FFMPEG_PATH") ?? "ffmpeg"
        logLevel = value("LOG_LEVEL")?.lowercased() ?? "info"
        guard Self.logLevels.contains(logLevel) else {
            throw Problem(name: "LOG_LEVEL", message: "expected one of \(Self.logLevels.joined(separator: ", "))")
        }
        mlEnabled = try flag("ML_ENABLED", true)
        func fraction(_ name: String, _ fallback: Double, _ range: ClosedRange<Double>) throws(Problem) -> Double {
            guard let raw = value(name) else { return fallback }
            guard let number = Double(raw), range.contains(number) else {
                throw Problem(name: name, message: "expected a number from \(range.lowerBound) to \(range.upperBound), got '\(raw)'")
            }
            return number
        }
        mlConfidenceThreshold = Float(try fraction("ML_CONFIDENCE_THRESHOLD", 0.25, 0.01...1))
        mlClassFilter = value("ML_CLASS_FILTER").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        if mlClassFilter?.isEmpty == true { throw Problem(name: "ML_CLASS_FILTER", message: "expected a comma-separated list of class names") }
        mlPipelineConfig = value("ML_PIPELINE_CONFIG").map(absolute)
        mlFPS = try fraction("ML_FPS", 2, 0.1...30)
        mlHistoricalFPS = try fraction("ML_HISTORICAL_FPS", 2, 0.1...30)
        mlWorkerConcurrency = try integer("ML_WORKER_CONCURRENCY", 1, 1...64)
        mlJobLeaseSeconds = try integer("ML_JOB_LEASE_SECONDS", 60, 3...3600)
        jobPollSeconds = try integer("JOB_POLL_SECONDS", 5, 1...600)
        runWorkers = try flag("RONIN_RUN_WORKERS", true)
        liveDetectionEnabled = try flag("LIVE_DETECTION_ENABLED", true)
        liveWebSocket = try flag("LIVE_WEBSOCKET", true)
        liveDetectionFPS = try fraction("LIVE_DETECTION_FPS", 2, 0.5...5)
        liveDetectionCooldown = try fraction("LIVE_DETECTION_COOLDOWN", 60, 0...86_400)
        notifyMaxPerHour = try integer("NOTIFY_MAX_PER_HOUR", 30, 1...100_000)
        notifyWebhookURLs = value("NOTIFY_WEBHOOK_URLS").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } } ?? []
        for url in notifyWebhookURLs {
            guard let parsed = URLComponents(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host?.isEmpty == false else {
                throw Problem(name: "NOTIFY_WEBHOOK_URLS", message: "expected comma-separated http:// or https:// URLs")
            }
        }
        notifyWebhookSecret = value("NOTIFY_WEBHOOK_SECRET")
        eventPreSeconds = try fraction("EVENT_PRE_SECONDS", 5, 0...300)
        eventPostSeconds = try fraction("EVENT_POST_SECONDS", 5, 0...300)
        publicURL = value("RONIN_PUBLIC_URL").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        liveWorkerAddress = value("LIVE_WORKER_ADDRESS")
        if let address = liveWorkerAddress, address.isEmpty || address.contains(where: { $0 == ":" || $0 == "/" || $0.isWhitespace }) {
            throw Problem(name: "LIVE_WORKER_ADDRESS", message: "expected a host name or IPv4 address, without a port")
        }
    }

    static func parseDatabase(_ raw: String?, dataDirectory: String, absolute: (String) -> String) throws(Problem) -> Database {
        guard let raw else { return .sqlite(path: dataDirectory + "/ronin.sqlite") }
        if raw.hasPrefix("postgres://") || raw.hasPrefix("postgresql://") {
            guard let url = URL(string: raw), url.host != nil, url.path.count > 1 else {
                throw Problem(name: "DATABASE_URL", message: "expected postgres://user:password@host:port/database")
            }
            return .postgres(url: raw)
        }
        for prefix in ["sqlite://", "sqlite:"] where raw.hasPrefix(prefix) {
            let path = String(raw.dropFirst(prefix.count))
            guard !path.isEmpty else { break }
            return .sqlite(path: absolute(path))
        }
        throw Problem(name: "DATABASE_URL", message: "expected sqlite:///path/to/file.sqlite or postgres://… (got a value starting '\(SecretRedactor.redactURLPasswords(String(raw.prefix(12))))')")
    }
}
