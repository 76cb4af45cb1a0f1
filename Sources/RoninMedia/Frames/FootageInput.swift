import Foundation

/// How ffmpeg is told to read recorded footage: a local file (with `file:`, so a path with a
/// colon is not taken for a protocol), or footage in cold storage at an HTTP(S) URL (a presigned
/// URL, read with ranges), for which the protocols it needs are allowed.
public enum FootageInput {
    public static func isRemote(_ location: String) -> Bool {
        let lower = location.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    /// `-i` and the input, preceded by the options the input needs.
    public static func arguments(_ location: String) -> [String] {
        isRemote(location) ? ["-protocol_whitelist", FFmpegCommand.remoteFootageProtocols, "-i", location] : ["-i", "file:" + location]
    }
}
