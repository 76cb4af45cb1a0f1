import Foundation

/// Where the files that come with the `ronin` executable are, found from the executable's own
/// location rather than the working directory, so the NVR works when a service manager starts it
/// from `/` as well as from a checkout.
///
/// The web UI is looked for, in order:
/// 1. `{prefix}/share/ronin/web`, when the executable is `{prefix}/bin/ronin` (`make install`);
/// 2. `web/` beside the executable (an unpacked release folder);
/// 3. `Frontend/dist` in the nearest folder above the executable that has one (a checkout,
///    whose builds live in `.build/{configuration}/ronin`);
/// 4. `./Frontend/dist` in the working directory.
public struct InstallLayout: Sendable, Equatable {
    /// The folder holding the running executable, symlinks resolved.
    public let executableDirectory: String
    public let workingDirectory: String

    public init(executableDirectory: String, workingDirectory: String) {
        self.executableDirectory = executableDirectory
        self.workingDirectory = workingDirectory
    }

    /// The layout of the running process (Linux: `/proc/self/exe`).
    public static func current() -> InstallLayout {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let path = executable == "/proc/self/exe" ? (CommandLine.arguments.first ?? "") : executable
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        return InstallLayout(executableDirectory: absolute.deletingLastPathComponent().path,
                             workingDirectory: FileManager.default.currentDirectoryPath)
    }

    /// Every place the web UI may be, most specific first.
    public var webRootCandidates: [String] {
        let directory = URL(fileURLWithPath: executableDirectory)
        var candidates = [
            directory.deletingLastPathComponent().appendingPathComponent("share/ronin/web").path,
            directory.appendingPathComponent("web").path,
        ]
        var folder = directory
        for _ in 0..<5 {
            folder = folder.deletingLastPathComponent()
            candidates.append(folder.appendingPathComponent("Frontend/dist").path)
            if folder.path == "/" { break }
        }
        candidates.append(URL(fileURLWithPath: workingDirectory).appendingPathComponent("Frontend/dist").standardizedFileURL.path)
        var seen = Set<String>()
        return candidates.filter { seen.insert($0).inserted }
    }

    /// The first candidate that holds an `index.html`, or the working directory's
    /// `Frontend/dist` (whose absence the server then reports) when none does.
    public func webRoot(fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> String {
        let candidates = webRootCandidates
        return candidates.first { fileExists($0 + "/index.html") } ?? candidates.last!
    }
}
