import ArgumentParser
import Foundation
import RoninCore
import RoninServer

/// `ronin export`: export cameras' footage and events of a range to removable media, and follow it.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export cameras' footage and events of a time range to a folder on removable media, and show the progress.",
        discussion: "The folder must be under one of EXPORT_ROOTS; the export goes into a new folder ronin-export-<local start>-<id> inside it, "
            + "with one MP4 per camera and hour of footage, the events' snapshots, index.html (plays everything offline), manifest.json and "
            + "SHA256SUMS. `ronin serve` writes it. Times are UTC ISO 8601, e.g. 2026-11-25T03:00:00Z. Exits 0 when the export succeeded.")

    @Option(parsing: .upToNextOption, help: "Camera names (or ids); repeat or list several.") var camera: [String]
    @Option(help: "Range start, UTC ISO 8601.") var from: String
    @Option(help: "Range end, UTC ISO 8601.") var to: String
    @Option(name: .customLong("to-dir"), help: "The folder to export into, under EXPORT_ROOTS.") var toDir: String
    @Option(help: "IANA time zone of the file names and the page (default: the server's).") var tz: String?
    @Flag(name: .customLong("no-wait"), help: "Queue the export and return at once.") var noWait = false

    func run() async throws {
        let settings = try SettingsLoader.load()
        RedactingLogHandler.bootstrap(level: "warning")
        let destination = toDir.hasPrefix("/") ? toDir : FileManager.default.currentDirectoryPath + "/" + toDir
        let succeeded = try await ExportCommandRunner(settings: settings).run(
            cameras: camera, from: try AnalyzeCommand.time(from, "--from"), to: try AnalyzeCommand.time(to, "--to"), destination: destination,
            timeZone: tz, wait: !noWait) { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        if !succeeded { throw ExitCode.failure }
    }
}

/// `ronin verify-export`: check an export folder against its SHA256SUMS and manifest.json.
struct VerifyExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-export",
        abstract: "Check an offline export: re-hash every file against SHA256SUMS and manifest.json.",
        discussion: "Needs neither the server nor its database. Exits 0 when every file matches; otherwise 1, listing each file that is "
            + "missing, extra or changed.")

    @Argument(help: "The export folder (ronin-export-…).") var folder: String

    func run() async throws {
        let report = try ExportVerifier.verify(folder: folder)
        if report.differences.isEmpty {
            print("OK: all \(report.files) files of \(folder) match SHA256SUMS and manifest.json")
            return
        }
        print("\(folder) differs from its SHA256SUMS or manifest.json:")
        for line in report.differences.lines { print("  " + line) }
        throw ExitCode.failure
    }
}
