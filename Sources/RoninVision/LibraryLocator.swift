import Foundation
import RoninCore

/// Where to look for libonnxruntime, in order:
///
/// 1. `ORT_LIBRARY_PATH` (a file, or a folder holding `libonnxruntime.so*`): when set it is the
///    only place tried, so a wrong setting is reported rather than silently bypassed;
/// 2. `{prefix}/share/ronin/lib` of an installed `ronin` (`make install` copies the library there);
///    then the `capi` folder of the `onnxruntime` / `onnxruntime-gpu` Python package, found by globbing
///    the usual site-packages folders (the project's .venv beside the working directory or the
///    executable's checkout, VIRTUAL_ENV, pyenv, ~/.local, /usr/local, /usr/lib);
///    asking `python3` where the package is only when no glob matched;
/// 3. the system loader's own search (`libonnxruntime.so`, `libonnxruntime.so.1`).
enum LibraryLocator {
    static let environmentKey = "ORT_LIBRARY_PATH"
    static let fileName = "libonnxruntime.so"

    /// One place to try: `path` is handed to dlopen; `label` names it in errors.
    struct Candidate: Equatable {
        let path: String
        let label: String
    }

    /// The override from ORT_LIBRARY_PATH, resolved to a file when it names a folder.
    static func override(environment: [String: String]) -> Candidate? {
        guard let value = environment[environmentKey], !value.isEmpty else { return nil }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: value, isDirectory: &isFolder), isFolder.boolValue {
            let inside = libraries(in: value).first ?? (value as NSString).appendingPathComponent(fileName)
            return Candidate(path: inside, label: "\(environmentKey)=\(value)")
        }
        return Candidate(path: value, label: "\(environmentKey)=\(value)")
    }

    /// Every place to try when there is no override, best first.
    static func candidates(environment: [String: String], askPython: Bool = true) -> [Candidate] {
        // `make install` puts the library in {prefix}/share/ronin/lib, beside the model and the UI.
        let installed = InstallLayout.current().installed("lib")
        var found = (installed + pythonPackageFolders(environment: environment)).flatMap(libraries(in:))
        if found.isEmpty, askPython, let folder = pythonReportedFolder(environment: environment) {
            found = libraries(in: folder)
        }
        var seen = Set<String>()
        let packaged = found.filter { seen.insert($0).inserted }.map { Candidate(path: $0, label: $0) }
        let system = [fileName, fileName + ".1"].map { Candidate(path: $0, label: "system library path (\($0))") }
        return packaged + system
    }

    /// Folders that would hold `onnxruntime/capi` in a Python installation.
    static func pythonPackageFolders(environment: [String: String]) -> [String] {
        let home = environment["HOME"] ?? NSHomeDirectory()
        var roots: [String] = []
        if let venv = environment["VIRTUAL_ENV"], !venv.isEmpty { roots.append("\(venv)/lib/python3*/site-packages") }
        // The project's own virtual environment: the working directory's, and the checkout's
        // the executable was built in (so a server started from anywhere finds it).
        roots += (["."] + InstallLayout.current().ancestorFolders).map { "\($0)/.venv/lib/python3*/site-packages" }
        roots += [
            "\(environment["PYENV_ROOT"] ?? home + "/.pyenv")/versions/*/lib/python3*/site-packages",
            "\(home)/.local/lib/python3*/site-packages",
            "/usr/local/lib/python3*/site-packages",
            "/usr/local/lib/python3*/dist-packages",
            "/usr/lib/python3/dist-packages",
        ]
        return roots.flatMap { FileGlob.matches("\($0)/onnxruntime/capi") }
    }

    /// `libonnxruntime.so*` files in a folder, newest version first.
    static func libraries(in folder: String) -> [String] {
        FileGlob.matches((folder as NSString).appendingPathComponent(fileName + "*"))
            .sorted { $0.compare($1, options: .numeric) == .orderedDescending }
    }

    /// The capi folder of the package `python3` imports, or nil (no python3, no package).
    static func pythonReportedFolder(environment: [String: String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import os, onnxruntime; print(os.path.dirname(onnxruntime.__file__))"]
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let folder = String(data: output, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
              !folder.isEmpty else { return nil }
        return folder + "/capi"
    }
}
