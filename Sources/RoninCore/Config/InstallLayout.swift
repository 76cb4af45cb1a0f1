import Foundation

/// Where the files that come with the `ronin` executable are, found from the executable's own
/// location rather than the working directory, so the NVR works when a service manager starts it
/// from `/` as well as from a checkout.
///
/// The web UI (and likewise the default model) is looked for, in order:
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

    /// The folders above the executable's, nearest first (a checkout's root is among them).
    public var ancestorFolders: [String] {
        var folders: [String] = []
        var folder = URL(fileURLWithPath: executableDirectory)
        for _ in 0..<5 {
            folder = folder.deletingLastPathComponent()
            folders.append(folder.path)
            if folder.path == "/" { break }
        }
        return folders
    }

    /// Where `make install` puts `relative`: `{prefix}/share/ronin/{relative}` for `{prefix}/bin/ronin`,
    /// and beside the executable (an unpacked release folder).
    public func installed(_ relative: String) -> [String] {
        let directory = URL(fileURLWithPath: executableDirectory)
        return [directory.deletingLastPathComponent().appendingPathComponent("share/ronin").appendingPathComponent(relative).path,
                directory.appendingPathComponent(relative).path]
    }

    /// Every place a file that ships with the NVR may be, most specific first: under
    /// `{prefix}/share/ronin/` as `installed`, beside the executable as `installed`, in the nearest
    /// folder above it as `checkout`, and in the working directory as `checkout`.
    public func candidates(installed: String, checkout: String) -> [String] {
        var candidates = self.installed(installed)
        candidates += ancestorFolders.map { URL(fileURLWithPath: $0).appendingPathComponent(checkout).path }
        candidates.append(URL(fileURLWithPath: workingDirectory).appendingPathComponent(checkout).standardizedFileURL.path)
        var seen = Set<String>()
        return candidates.filter { seen.insert($0).inserted }
    }

    /// Every place the web UI may be, most specific first.
    public var webRootCandidates: [String] { candidates(installed: "web", checkout: "Frontend/dist") }

    /// The first candidate that holds an `index.html`, or the working directory's
    /// `Frontend/dist` (whose absence the server then reports) when none does.
    public func webRoot(fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> String {
        let candidates = webRootCandidates
        return candidates.first { fileExists($0 + "/index.html") } ?? candidates.last!
    }

    /// The default detection model, found the same way (`models/yolov3-tiny.onnx` of a checkout,
    /// `{prefix}/share/ronin/models/…` when installed); the working directory's when none exists.
    public func model(named name: String, fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }) -> String {
        let candidates = candidates(installed: "models/" + name, checkout: "models/" + name)
        return candidates.first(where: fileExists) ?? candidates.last!
    }
}
