/// Every environment variable the NVR reads, with its default and meaning.
///
/// This list is the single source for `ronin serve --help` and for the README's configuration
/// table; `Settings` reads exactly these names.
public struct SettingDefinition: Sendable {
    public let name: String
    public let defaultValue: String
    public let summary: String
}

public enum SettingsCatalog {
    public static let all: [SettingDefinition] = [
        .init(name: "RONIN_HOST", defaultValue: "0.0.0.0", summary: "Address the web server listens on"),
        .init(name: "RONIN_PORT", defaultValue: "8080", summary: "Port the web server listens on"),
        .init(name: "RONIN_DATA_DIR", defaultValue: "./data", summary: "Folder for the SQLite database, generated keys and default storage"),
        .init(name: "DATABASE_URL", defaultValue: "sqlite://<RONIN_DATA_DIR>/ronin.sqlite", summary: "sqlite:///path/file.sqlite or postgres://user:pass@host:5432/db"),
        .init(name: "STORAGE_ROOT", defaultValue: "<RONIN_DATA_DIR>/storage", summary: "Hot storage for recordings"),
        .init(name: "RETENTION_DAYS", defaultValue: "unset (kept until space runs short)", summary: "Days footage is kept, fractions allowed (e.g. 0.5); cameras may have their own"),
        .init(name: "RETENTION_MAX_AGE", defaultValue: "unset", summary: "The same as a duration (90s, 12h, 7d); instead of RETENTION_DAYS"),
        .init(name: "RETENTION_MAX_GB", defaultValue: "unset", summary: "Most footage kept in all tiers together, in GB (fractions allowed); cameras may have their own"),
        .init(name: "STORAGE_MIN_FREE_GB", defaultValue: "1", summary: "Free space every disk the NVR writes to keeps at the least (and never less than an hour of recording)"),
        .init(name: "STORAGE_PROTECT_NEWEST", defaultValue: "1h", summary: "Footage this recent goes only when nothing older is left to free space"),
        .init(name: "STORAGE_CHECK_SECONDS", defaultValue: "30", summary: "How often free space and the storage policies are checked (also whenever a segment is indexed)"),
        .init(name: "STORAGE_STOP_CAMERAS_WHEN_FULL", defaultValue: "true", summary: "When only locked footage is left to free space, stop the cameras of lowest storage priority"),
        .init(name: "HOT_MAX_AGE", defaultValue: "unset", summary: "Hot footage older than this (90s, 12h, 7d) moves to the next tier, or is deleted without one"),
        .init(name: "HOT_MAX_GB", defaultValue: "unset", summary: "Beyond this much hot footage the oldest moves to the next tier, or is deleted without one"),
        .init(name: "HOT_MIN_AGE", defaultValue: "unset", summary: "Footage younger than this stays hot whatever HOT_MAX_AGE and HOT_MAX_GB say"),
        .init(name: "WARM_STORAGE_PATH", defaultValue: "unset (no warm tier)", summary: "A larger, slower local or network disk for footage leaving hot storage"),
        .init(name: "WARM_STORAGE_MAX_GB", defaultValue: "unset", summary: "Beyond this much warm footage the oldest moves to cold storage, or is deleted without it"),
        .init(name: "WARM_MAX_AGE", defaultValue: "unset", summary: "Warm footage older than this moves to cold storage, or is deleted without it"),
        .init(name: "COLD_STORAGE_S3_ENDPOINT", defaultValue: "unset (no cold tier)", summary: "S3-compatible service for the cold tier, e.g. https://s3.eu-west-1.amazonaws.com"),
        .init(name: "COLD_STORAGE_S3_BUCKET", defaultValue: "unset", summary: "Bucket of the cold tier"),
        .init(name: "COLD_STORAGE_S3_REGION", defaultValue: "us-east-1", summary: "Region the requests are signed for"),
        .init(name: "COLD_STORAGE_S3_ACCESS_KEY_ID", defaultValue: "unset", summary: "Access key of the cold tier"),
        .init(name: "COLD_STORAGE_S3_SECRET_ACCESS_KEY", defaultValue: "unset", summary: "Secret key of the cold tier (never logged or shown)"),
        .init(name: "COLD_STORAGE_S3_PREFIX", defaultValue: "empty", summary: "Key prefix for the NVR's objects in the bucket"),
        .init(name: "COLD_STORAGE_S3_PATH_STYLE", defaultValue: "false", summary: "Address the bucket in the path (MinIO, moto and most self-hosted services) instead of the host name"),
        .init(name: "COLD_CACHE_MAX_GB", defaultValue: "2", summary: "Local cache for cold footage played or exported through the NVR"),
        .init(name: "MIGRATION_MAX_MBPS", defaultValue: "unset (no limit)", summary: "Megabytes per second footage is copied between tiers, so migration never starves recording"),
        .init(name: "EXPORT_ROOTS", defaultValue: "unset (offline export off)", summary: "Comma-separated mount points of removable media that offline exports may be written under"),
        .init(name: "RONIN_WEB_ROOT", defaultValue: "found next to the ronin executable", summary: "Folder holding the built web UI (<prefix>/share/ronin/web when installed, Frontend/dist in a checkout)"),
        .init(name: "JWT_SECRET_KEY", defaultValue: "generated into <RONIN_DATA_DIR>/jwt_secret.key", summary: "Secret that signs login tokens (HS256; at least 32 characters)"),
        .init(name: "JWT_EXPIRE_MINUTES", defaultValue: "1440", summary: "Lifetime of a login token in minutes"),
        .init(name: "ENCRYPTION_KEY", defaultValue: "generated into <RONIN_DATA_DIR>/encryption.key", summary: "Fernet key encrypting camera passwords at rest"),
        .init(name: "RONIN_ADMIN_USERNAME", defaultValue: "admin", summary: "Name of the admin user created on first start"),
        .init(name: "RONIN_ADMIN_PASSWORD", defaultValue: "generated and printed once", summary: "Password of the admin user created on first start"),
        .init(name: "LOGIN_MAX_FAILURES", defaultValue: "5", summary: "Failed sign-ins for one username from one client (or known browser) before that client is locked out"),
        .init(name: "LOGIN_MAX_FAILURES_PER_CLIENT", defaultValue: "20", summary: "Failed sign-ins from one client address, any username, before it is locked out"),
        .init(name: "LOGIN_MAX_FAILURES_PER_USERNAME", defaultValue: "50", summary: "Failed sign-ins for one username from all clients before new clients are locked out (browsers that signed in before are not)"),
        .init(name: "LOGIN_WINDOW_SECONDS", defaultValue: "300", summary: "Window over which failures count, and length of a lockout"),
        .init(name: "LOGIN_MAX_CONCURRENT", defaultValue: "4", summary: "Sign-ins checked at the same moment; more get 503 with Retry-After"),
        .init(name: "LOGIN_DEVICE_DAYS", defaultValue: "30", summary: "Days a browser that signed in counts as known to the lockout"),
        .init(name: "COOKIE_SECURE", defaultValue: "false (true with TLS)", summary: "Mark the session cookie Secure (set when HTTPS is terminated by a proxy in front)"),
        .init(name: "RONIN_TLS_CERT_PATH", defaultValue: "unset", summary: "PEM certificate chain: serve HTTPS (with RONIN_TLS_KEY_PATH)"),
        .init(name: "RONIN_TLS_KEY_PATH", defaultValue: "unset", summary: "PEM private key for RONIN_TLS_CERT_PATH"),
        .init(name: "HTTP_IDLE_TIMEOUT_SECONDS", defaultValue: "60", summary: "Close connections idle (or sending a request this slowly) for this long"),
        .init(name: "HTTP_MAX_CONNECTIONS", defaultValue: "1024", summary: "HTTP connections served at once; more wait until one closes"),
        .init(name: "CAMERA_PROBE_TIMEOUT_SECONDS", defaultValue: "10", summary: "How long a camera stream check may take"),
        .init(name: "RECORDING_SEGMENT_MINUTES", defaultValue: "15", summary: "Length of a recording segment file"),
        .init(name: "RECORDING_SEGMENT_SECONDS", defaultValue: "unset", summary: "Segment length in seconds, overriding the minutes (short segments for tests)"),
        .init(name: "EXPORT_MAX_HOURS", defaultValue: "24", summary: "Longest range one clip export may span"),
        .init(name: "EXPORT_MAX_CONCURRENT", defaultValue: "4", summary: "Clip exports running at once; more get 429 with Retry-After"),
        .init(name: "EXPORT_MAX_CONCURRENT_PER_USER", defaultValue: "2", summary: "Clip exports one user may run at once"),
        .init(name: "EXPORT_STALL_SECONDS", defaultValue: "60", summary: "Stop an export whose client has not read anything for this long"),
        .init(name: "PIPELINE_STALL_SECONDS", defaultValue: "20", summary: "Restart a camera's ffmpeg when its outputs stop advancing this long"),
        .init(name: "RONIN_RUN_PIPELINES", defaultValue: "true", summary: "Record and stream cameras in this process (false for an API-only node)"),
        .init(name: "FFPROBE_PATH", defaultValue: "ffprobe", summary: "ffprobe executable"),
        .init(name: "FFMPEG_PATH", defaultValue: "ffmpeg", summary: "ffmpeg executable"),
        .init(name: "ML_ENABLED", defaultValue: "true", summary: "Run object detection (needs the ONNX Runtime library)"),
        .init(name: "ML_CONFIDENCE_THRESHOLD", defaultValue: "0.25", summary: "Lowest detection confidence kept, 0.01 to 1"),
        .init(name: "ML_CLASS_FILTER", defaultValue: "all classes", summary: "Comma-separated classes to detect, e.g. person,car,truck"),
        .init(name: "ML_PIPELINE_CONFIG", defaultValue: "unset", summary: "JSON file with per-class thresholds, class filter, fps, motion and activity settings"),
        .init(name: "ML_FPS", defaultValue: "2", summary: "Frames per second analysed by detection"),
        .init(name: "ML_HISTORICAL_FPS", defaultValue: "2", summary: "Frames per second of each recording analysed in the background"),
        .init(name: "ML_WORKER_CONCURRENCY", defaultValue: "1", summary: "Recordings one process analyses at the same time"),
        .init(name: "JOB_POLL_SECONDS", defaultValue: "5", summary: "The longest an idle worker waits before looking for jobs again (new jobs wake it at once)"),
        .init(name: "ML_JOB_LEASE_SECONDS", defaultValue: "60", summary: "How long a worker's claim on a job lasts without a heartbeat (another takes it after)"),
        .init(name: "LIVE_WEBSOCKET", defaultValue: "true", summary: "Live view as fragmented MP4 over a WebSocket, under a second behind the camera (false: HLS only)"),
        .init(name: "LIVE_DETECTION_ENABLED", defaultValue: "true", summary: "Watch cameras live for objects and activity events (when detection is available)"),
        .init(name: "LIVE_DETECTION_FPS", defaultValue: "2", summary: "Frames per second live detection looks at (0.5 to 5)"),
        .init(name: "LIVE_WORKER_ADDRESS", defaultValue: "the machine's name", summary: "Where the server sends the cameras' streams to a live worker on another machine (ronin worker --kinds live)"),
        .init(name: "LIVE_DETECTION_COOLDOWN", defaultValue: "60", summary: "Seconds after a notification during which the same camera, class and kind stays quiet"),
        .init(name: "NOTIFY_MAX_PER_HOUR", defaultValue: "30", summary: "Notifications one camera may send in any hour"),
        .init(name: "NOTIFY_WEBHOOK_URLS", defaultValue: "unset", summary: "Comma-separated URLs that receive a signed JSON POST for every notified event"),
        .init(name: "NOTIFY_WEBHOOK_SECRET", defaultValue: "unset", summary: "Key of the webhooks' HMAC-SHA256 signature (X-Ronin-Signature)"),
        .init(name: "EVENT_PRE_SECONDS", defaultValue: "5", summary: "Footage before an event that its clip holds"),
        .init(name: "EVENT_POST_SECONDS", defaultValue: "5", summary: "Footage after an event that its clip holds"),
        .init(name: "RONIN_PUBLIC_URL", defaultValue: "unset", summary: "Address users reach the NVR at, for absolute links in notifications"),
        .init(name: "RONIN_RUN_WORKERS", defaultValue: "true", summary: "Run background workers (detection) in ronin serve (false for an API-and-recording node)"),
        .init(name: "ML_MODEL_PATH", defaultValue: "models/yolov3-tiny.onnx found next to ronin", summary: "ONNX detection model: the provisioned YOLOv3-tiny or a YOLOv8 / YOLO11 export"),
        .init(name: "ML_THREADS", defaultValue: "0 (automatic)", summary: "Threads one detection may use; 0: one per core for ronin detect, half the cores for background analysis"),
        .init(name: "ML_PROVIDER", defaultValue: "cpu", summary: "cpu, or cuda to run detection on NVIDIA GPUs (needs onnxruntime-gpu)"),
        .init(name: "ML_CUDA_DEVICE_IDS", defaultValue: "0", summary: "Comma list of GPUs used with ML_PROVIDER=cuda, one model session each"),
        .init(name: "ORT_LIBRARY_PATH", defaultValue: "the onnxruntime Python package, then system paths", summary: "libonnxruntime.so, or the folder holding it"),
        .init(name: "LOG_LEVEL", defaultValue: "info", summary: "trace, debug, info, notice, warning, error or critical"),
        .init(name: "RONIN_ENV_FILE", defaultValue: "./.env", summary: "File of KEY=value lines read before the environment (the environment wins)"),
    ]

    /// The catalog as text for `--help`: each name on a line of its own, its meaning and
    /// default indented below (so long names never push the text past the terminal's width).
    public static func helpText() -> String {
        all.map { "  \($0.name)\n      \($0.summary) (default: \($0.defaultValue))" }.joined(separator: "\n")
    }
}
