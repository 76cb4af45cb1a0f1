import Foundation

/// An offline export's `manifest.json`: what the export holds and where it came from, so that the
/// footage can be checked and understood without the NVR.
///
/// Instants are UTC, ISO 8601 with `Z` (milliseconds when they have them); `time_zone` is the IANA
/// zone the file names and the page use. `files` lists every file of the folder except
/// `manifest.json` itself and `SHA256SUMS` (which lists the manifest too), with size and SHA-256.
/// Paths are relative to the export folder, `/`-separated.
public struct ExportManifest: Codable, Sendable, Equatable {
    public static let fileName = "manifest.json"
    public static let formatName = "ronin-export"
    public static let currentVersion = 1

    /// A camera in the export.
    public struct Camera: Codable, Sendable, Equatable {
        public var id: UUID
        public var name: String
        /// Its folder in the export: `cameras/<its storage folder name>`.
        public var folder: String

        public init(id: UUID, name: String, folder: String) {
            self.id = id
            self.name = name
            self.folder = folder
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id.uuidString.lowercased(), forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encode(folder, forKey: .folder)
        }

        enum CodingKeys: String, CodingKey {
            case id, name, folder
        }
    }

    /// What a file is.
    public enum FileKind: String, Codable, Sendable {
        case video, snapshot, page
    }

    /// A file of the export.
    public struct File: Codable, Sendable, Equatable {
        public var path: String
        public var size: Int64
        public var sha256: String
        public var kind: FileKind
        public var cameraID: UUID?
        /// The footage a video holds (it may start up to a keyframe interval earlier).
        public var start: Date?
        public var end: Date?

        public init(path: String, size: Int64, sha256: String, kind: FileKind, cameraID: UUID? = nil, start: Date? = nil, end: Date? = nil) {
            self.path = path
            self.size = size
            self.sha256 = sha256
            self.kind = kind
            self.cameraID = cameraID
            self.start = start
            self.end = end
        }

        enum CodingKeys: String, CodingKey {
            case path, size, sha256, kind, start, end
            case cameraID = "camera_id"
        }

        /// Every key, `null` where there is no value, so readers see the same keys every time.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(path, forKey: .path)
            try container.encode(size, forKey: .size)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(kind, forKey: .kind)
            try container.encode(cameraID?.uuidString.lowercased(), forKey: .cameraID)
            try container.encode(start, forKey: .start)
            try container.encode(end, forKey: .end)
        }
    }

    /// An activity event of the range.
    public struct Event: Codable, Sendable, Equatable {
        public var id: UUID
        public var cameraID: UUID
        public var kind: String
        public var className: String
        public var start: Date
        public var end: Date?
        public var peakConfidence: Double
        /// Its snapshot in the export, when the NVR had one.
        public var snapshot: String?

        public init(id: UUID, cameraID: UUID, kind: String, className: String, start: Date, end: Date?, peakConfidence: Double, snapshot: String?) {
            self.id = id
            self.cameraID = cameraID
            self.kind = kind
            self.className = className
            self.start = start
            self.end = end
            self.peakConfidence = peakConfidence
            self.snapshot = snapshot
        }

        enum CodingKeys: String, CodingKey {
            case id, kind, start, end, snapshot
            case cameraID = "camera_id"
            case className = "class"
            case peakConfidence = "peak_confidence"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id.uuidString.lowercased(), forKey: .id)
            try container.encode(cameraID.uuidString.lowercased(), forKey: .cameraID)
            try container.encode(kind, forKey: .kind)
            try container.encode(className, forKey: .className)
            try container.encode(start, forKey: .start)
            try container.encode(end, forKey: .end)
            try container.encode(peakConfidence, forKey: .peakConfidence)
            try container.encode(snapshot, forKey: .snapshot)
        }
    }

    public var format = ExportManifest.formatName
    public var version = ExportManifest.currentVersion
    public var exportID: UUID
    public var nvrVersion: String
    public var createdAt: Date
    public var timeZone: String
    public var range: TimeSpan
    public var cameras: [Camera]
    public var files: [File]
    public var events: [Event]

    public init(exportID: UUID, nvrVersion: String, createdAt: Date, timeZone: String, range: TimeSpan, cameras: [Camera], files: [File],
                events: [Event]) {
        self.exportID = exportID
        self.nvrVersion = nvrVersion
        self.createdAt = createdAt
        self.timeZone = timeZone
        self.range = range
        self.cameras = cameras
        self.files = files
        self.events = events
    }

    enum CodingKeys: String, CodingKey {
        case format, version, range, cameras, files, events
        case exportID = "export_id"
        case nvrVersion = "nvr_version"
        case createdAt = "created_at"
        case timeZone = "time_zone"
    }

    /// Ids are written in lower case, as the API and the folder names spell them.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(format, forKey: .format)
        try container.encode(version, forKey: .version)
        try container.encode(exportID.uuidString.lowercased(), forKey: .exportID)
        try container.encode(nvrVersion, forKey: .nvrVersion)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(timeZone, forKey: .timeZone)
        try container.encode(range, forKey: .range)
        try container.encode(cameras, forKey: .cameras)
        try container.encode(files, forKey: .files)
        try container.encode(events, forKey: .events)
    }

    /// The manifest as the file holds it: pretty-printed, keys sorted, instants in UTC.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.iso8601(date))
        }
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// A manifest read back; throws when it is not one (another format, a newer version, bad JSON).
    public static func decode(_ data: Data) throws -> ExportManifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = parseISO8601(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 instant: \(text)"))
            }
            return date
        }
        let manifest = try decoder.decode(ExportManifest.self, from: data)
        guard manifest.format == formatName else { throw ManifestError(description: "not a Ronin export manifest (format '\(manifest.format)')") }
        guard manifest.version <= currentVersion else { throw ManifestError(description: "manifest version \(manifest.version) is newer than this program reads") }
        return manifest
    }

    /// A manifest that cannot be read.
    public struct ManifestError: Error, CustomStringConvertible {
        public let description: String
    }

    /// `2026-11-25T03:00:00Z`, or `2026-11-25T03:00:00.250Z` when there are milliseconds.
    public static func iso8601(_ date: Date) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let seconds = (milliseconds / 1000).rounded(.down)
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        let text = formatter.string(from: Date(timeIntervalSince1970: seconds))
        let remainder = Int(milliseconds - seconds * 1000)
        return remainder == 0 ? text : String(text.dropLast()) + String(format: ".%03dZ", remainder)
    }

    static func parseISO8601(_ text: String) -> Date? {
        let plain = ISO8601DateFormatter()
        if let date = plain.date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return fractional.date(from: text)
    }
}
