import Foundation
import RoninCore

/// Cuts a clip out of recorded segments with ffmpeg, without re-encoding, as a fragmented MP4
/// written to a pipe: the caller reads it piece by piece and can send it before it is complete.
///
/// ffmpeg's concat demuxer reads the plan's parts with their `inpoint` / `outpoint`; packets are
/// copied, so the clip starts at the keyframe at or before the first inpoint. Timestamps are
/// shifted to start at zero. The list file lives in a private folder and is removed at the end.
public struct ClipCutter: Sendable {
    public let ffmpegPath: String
    /// Where concat list files are written while a cut runs.
    public let workDirectory: String

    public init(ffmpegPath: String, workDirectory: String) {
        self.ffmpegPath = ffmpegPath
        self.workDirectory = workDirectory
    }

    /// A running cut: read its output, then `finish` to learn whether ffmpeg succeeded.
    public final class Run: @unchecked Sendable {
        let child: StreamingChild
        let listPath: String

        init(child: StreamingChild, listPath: String) {
            self.child = child
            self.listPath = listPath
        }

        deinit {
            child.terminate()
            try? FileManager.default.removeItem(atPath: listPath)
        }

        /// The next piece of the MP4, nil at its end.
        public func next(chunkSize: Int = 256 * 1024) async -> [UInt8]? {
            await child.read(upTo: chunkSize)
        }

        /// Stops the cut early (the client went away).
        public func cancel() {
            child.terminate()
        }

        /// Waits for ffmpeg; throws with its last error lines when it failed.
        public func finish() async throws {
            let exit = await child.finish()
            try? FileManager.default.removeItem(atPath: listPath)
            guard exit.succeeded || child.wasTerminated else {
                throw ClipCutError(message: "ffmpeg could not cut the clip (status \(exit.status)): "
                                   + SecretRedactor.redactStoredSecrets(exit.errorLines.suffix(3).joined(separator: " | ")))
            }
        }
    }

    /// Starts ffmpeg for `plan`.
    public func start(_ plan: ClipPlan) throws -> Run {
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let listPath = workDirectory + "/clip-\(UUID().uuidString.lowercased()).txt"
        guard FileManager.default.createFile(atPath: listPath, contents: Data(Self.concatList(plan).utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw ClipCutError(message: "cannot write the clip's segment list under \(workDirectory)")
        }
        do {
            return Run(child: try StreamingChild(executable: ffmpegPath, arguments: Self.arguments(listPath: listPath)), listPath: listPath)
        } catch {
            try? FileManager.default.removeItem(atPath: listPath)
            throw ClipCutError(message: "cannot start ffmpeg: \(error)")
        }
    }

    static func arguments(listPath: String) -> [String] {
        ["-hide_banner", "-nostdin", "-loglevel", "error",
         "-f", "concat", "-safe", "0", "-protocol_whitelist", FFmpegCommand.remoteFootageProtocols, "-i", listPath,
         "-map", "0:v:0", "-map", "0:a?", "-c", "copy",
         "-avoid_negative_ts", "make_zero",
         "-movflags", "frag_keyframe+empty_moov+default_base_moof",
         "-f", "mp4", "pipe:1"]
    }

    /// The concat demuxer's script: one `file` line per part, quoted, with its in/out points.
    static func concatList(_ plan: ClipPlan) -> String {
        var lines = ["ffconcat version 1.0"]
        for part in plan.parts {
            lines.append("file '\(part.path.replacingOccurrences(of: "'", with: "'\\''"))'")
            if let inpoint = part.inpoint { lines.append("inpoint \(String(format: "%.3f", inpoint))") }
            if let outpoint = part.outpoint { lines.append("outpoint \(String(format: "%.3f", outpoint))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// An export that ffmpeg could not make.
public struct ClipCutError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }
}
