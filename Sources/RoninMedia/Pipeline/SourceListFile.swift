import Foundation

/// An ffconcat file naming a camera's RTSP URL, so the URL (and its credentials) reaches ffmpeg
/// through a file only its owner can read instead of a command line every local user can see
/// in `ps`. The file lives in a 0700 folder, is written 0600, and is removed when the pipeline
/// stops.
public struct SourceListFile: Sendable {
    public let path: String

    /// Writes the file for `url` with ffmpeg input options (e.g. `rtsp_transport`).
    public static func write(url: String, options: [(String, String)], directory: String, name: String) throws -> SourceListFile {
        let manager = FileManager.default
        try manager.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        _ = try? manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
        var text = "ffconcat version 1.0\nfile \(quote(url))\n"
        for (key, value) in options { text += "option \(key) \(quote(value))\n" }
        let path = "\(directory)/\(name).ffconcat"
        try? manager.removeItem(atPath: path)
        guard manager.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        return SourceListFile(path: path)
    }

    /// ffconcat quoting: single quotes, with `'` written as `'\''`.
    static func quote(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
