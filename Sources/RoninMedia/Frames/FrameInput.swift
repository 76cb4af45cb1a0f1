import Foundation
import RoninCore

/// What a `FrameSource` decodes: a local file (footage, a recording segment) or a stream URL.
///
/// Stream URLs may carry credentials. They reach ffmpeg and ffprobe only through a private
/// 0600 ffconcat file (`SourceListFile`), never as an argument visible in `ps`, and every text
/// shown to users or logs uses `displayName`, where the password is masked.
public enum FrameInput: Sendable, Equatable {
    case file(path: String)
    case stream(url: String)
    /// A recorded file read over HTTP(S) with ranges (footage in cold storage, by a presigned
    /// URL): seekable and finite like a file; its URL, a credential, stays off the command line.
    case remoteFile(url: String)

    /// A local path stays a file; an http(s) URL of footage is a remote file.
    public static func footage(_ location: String) -> FrameInput {
        let lower = location.lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://") ? .remoteFile(url: location) : .file(path: location)
    }

    /// A URL (`scheme://…`) is a stream; anything else is a file path.
    public init(_ text: String) {
        if text.range(of: "^[A-Za-z][A-Za-z0-9+.-]*://", options: .regularExpression) != nil {
            self = .stream(url: text)
        } else {
            self = .file(path: text)
        }
    }

    /// The input as it may be shown: stream passwords replaced by `***`.
    public var displayName: String {
        switch self {
        case .file(let path): path
        case .stream(let url): SecretRedactor.redactURLPasswords(url)
        case .remoteFile(let url): url.components(separatedBy: "?").first ?? "footage"
        }
    }

    /// Whether the input is a live stream (no seeking, no end expected).
    public var isStream: Bool {
        if case .stream = self { return true }
        return false
    }

    /// Registers a stream password with the shared redactor so no log line or error can show it.
    func registerSecrets() {
        guard case .stream(let url) = self, let password = URLComponents(string: url)?.password, !password.isEmpty else { return }
        SecretRedactor.shared.register(password)
        SecretRedactor.shared.register(password.removingPercentEncoding ?? password)
    }

    /// ffmpeg/ffprobe input arguments (format options, then `-i` and the input) and the
    /// private source file to remove afterwards, if one was written.
    func arguments(directory: String) throws -> (arguments: [String], sourceFile: SourceListFile?) {
        switch self {
        case .file(let path):
            // The `file:` prefix keeps a path with a colon from being read as a protocol.
            let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
            return (["-i", "file:" + absolute], nil)
        case .remoteFile(let url):
            let file = try SourceListFile.write(url: url, options: [], directory: directory, name: "footage-\(UUID().uuidString)")
            return (["-f", "concat", "-safe", "0", "-protocol_whitelist", FFmpegCommand.remoteFootageProtocols, "-i", file.path], file)
        case .stream(let url):
            registerSecrets()
            var options: [(String, String)] = []
            if url.lowercased().hasPrefix("rtsp") { options.append(("rtsp_transport", "tcp")) }
            let file = try SourceListFile.write(url: url, options: options, directory: directory, name: "frames-\(UUID().uuidString)")
            return (["-f", "concat", "-safe", "0", "-protocol_whitelist", FFmpegCommand.protocolWhitelist, "-i", file.path], file)
        }
    }

    /// A fresh private folder for source files (0700, under the temporary directory).
    static func privateDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("ronin-frames-\(getuid())").path
    }
}
