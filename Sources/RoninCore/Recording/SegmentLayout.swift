import Foundation

/// Where recording segments live on disk, and how their names are chosen.
///
/// ffmpeg writes each segment into the camera's staging folder
/// `{storage}/.recording/{camera id}/{unix seconds at start}.mp4`. Once a segment is finished,
/// it is moved (same file system, atomic) to its permanent place
/// `{storage}/{folder}/{YYYY-MM-DD}/{HH-MM-SS}.mp4`, in the server's local time zone.
/// When that name is taken (the repeated hour when clocks fall back, or two segments started in
/// the same second), `-2`, `-3`, … is appended before `.mp4`. The database row, not the name,
/// holds the true UTC start and end: see docs/design/storage.md.
public struct SegmentLayout: Sendable, Equatable {
    public let storageRoot: String
    public let timeZone: TimeZone

    public init(storageRoot: String, timeZone: TimeZone = .current) {
        self.storageRoot = storageRoot
        self.timeZone = timeZone
    }

    /// The folder ffmpeg writes a camera's segments into.
    public func stagingDirectory(cameraID: UUID) -> String {
        "\(storageRoot)/.recording/\(cameraID.uuidString.lowercased())"
    }

    /// A staging file's path relative to the storage root: the key of the row of a segment still
    /// being written.
    public func stagingKey(cameraID: UUID, fileName: String) -> String {
        ".recording/\(cameraID.uuidString.lowercased())/\(fileName)"
    }

    /// The folder of a camera's live HLS playlist and segments (ephemeral).
    public func liveDirectory(cameraID: UUID) -> String {
        "\(storageRoot)/.streams/\(cameraID.uuidString.lowercased())"
    }

    /// The ffmpeg `strftime` pattern of staging names.
    public static let stagingPattern = "%s.mp4"

    /// The start time a staging file name records, or nil for other files.
    public static func stagingStart(fileName: String) -> Date? {
        guard fileName.hasSuffix(".mp4"), let seconds = Int(fileName.dropLast(4)), seconds > 0 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// The permanent path, relative to the storage root, for a segment starting at `start`.
    /// `exists` tells whether a relative path is already taken.
    public func permanentPath(folder: String, start: Date, exists: (String) -> Bool) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: start)
        let day = String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        let time = String(format: "%02d-%02d-%02d", c.hour!, c.minute!, c.second!)
        let base = "\(folder)/\(day)/\(time)"
        var candidate = base + ".mp4"
        var n = 2
        while exists(candidate) {
            candidate = "\(base)-\(n).mp4"
            n += 1
        }
        return candidate
    }
}
