import Foundation
import RoninCore

/// Cuts a clip out of recorded segments into a plain MP4 file (not fragmented: every player
/// reads it, seeks in it and knows its length), without re-encoding, for offline exports.
///
/// The same concat script as `ClipCutter` (segments read wherever their tier keeps them, cut at
/// the keyframe at or before the first inpoint); ffmpeg writes the file itself, since a plain MP4
/// is finished by seeking back to its start. It runs at niceness 10, reports how far it got
/// through `progress` (0 to 1 of the clip) about twice a second, and is killed as soon as
/// `shouldStop` says so, or the task is cancelled; the caller removes what it left.
public struct ClipFileCutter: Sendable {
    public let ffmpegPath: String
    /// Where concat list files are written while a cut runs.
    public let workDirectory: String

    public init(ffmpegPath: String, workDirectory: String) {
        self.ffmpegPath = ffmpegPath
        self.workDirectory = workDirectory
    }

    /// Writes `plan` to `output` (replaced if it exists). Throws `CancellationError` when stopped,
    /// `ClipCutError` when ffmpeg fails.
    public func cut(_ plan: ClipPlan, to output: String, shouldStop: @escaping @Sendable () -> Bool,
                    progress: @escaping @Sendable (Double) -> Void) async throws {
        try FileManager.default.createDirectory(atPath: workDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let listPath = workDirectory + "/export-\(UUID().uuidString.lowercased()).txt"
        guard FileManager.default.createFile(atPath: listPath, contents: Data(ClipCutter.concatList(plan).utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw ClipCutError(message: "cannot write the clip's segment list under \(workDirectory)")
        }
        defer { try? FileManager.default.removeItem(atPath: listPath) }
        let child: StreamingChild
        do {
            child = try StreamingChild(executable: ffmpegPath, arguments: Self.arguments(listPath: listPath, output: output), niceness: 10)
        } catch {
            throw ClipCutError(message: "cannot start ffmpeg: \(error)")
        }
        let total = max(plan.covered.seconds, 0.001)
        let report = FFmpegProgress()
        var stopped = false
        while let chunk = await child.read(upTo: 4096) {
            if shouldStop() || Task.isCancelled {
                stopped = true
                child.terminate()
                break
            }
            report.append(String(decoding: chunk, as: UTF8.self))
            if let position = report.mediaPosition { progress(min(1, Double(position) / 1_000_000 / total)) }
        }
        let exit = await child.finish()
        if stopped || shouldStop() || Task.isCancelled { throw CancellationError() }
        guard exit.succeeded else {
            throw ClipCutError(message: "ffmpeg could not cut the clip (status \(exit.status)): "
                               + SecretRedactor.redactStoredSecrets(exit.errorLines.suffix(3).joined(separator: " | ")))
        }
        progress(1)
    }

    static func arguments(listPath: String, output: String) -> [String] {
        ["-hide_banner", "-nostdin", "-loglevel", "error", "-nostats", "-progress", "pipe:1", "-stats_period", "0.5",
         "-f", "concat", "-safe", "0", "-protocol_whitelist", FFmpegCommand.remoteFootageProtocols, "-i", listPath,
         "-map", "0:v:0", "-map", "0:a?", "-c", "copy",
         "-avoid_negative_ts", "make_zero",
         "-f", "mp4", "-y", output]
    }
}
