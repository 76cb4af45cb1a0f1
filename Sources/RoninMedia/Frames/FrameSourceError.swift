import RoninCore

/// Why frames could not be read, in one line a user can act on. Never contains credentials:
/// every message passes through the shared `SecretRedactor`.
public struct FrameSourceError: Error, Sendable, CustomStringConvertible, Equatable {
    public let message: String
    public var description: String { message }

    public init(_ message: String) {
        self.message = SecretRedactor.shared.redact(message)
    }

    /// Builds the error for a failed ffmpeg/ffprobe run from its last output lines; the private
    /// source file's path, which means nothing to a user, is dropped from them.
    static func failed(_ tool: String, input: FrameInput, status: Int32, lines: [String], sourceFile: SourceListFile?) -> FrameSourceError {
        var detail = lines.last { !$0.isEmpty }.map { $0.trimmingCharacters(in: .whitespaces) } ?? "\(tool) exited with status \(status)"
        if let path = sourceFile?.path { detail = detail.replacingOccurrences(of: path + ": ", with: "").replacingOccurrences(of: path, with: "the stream") }
        return FrameSourceError("Cannot read \(input.displayName): \(detail)")
    }
}
