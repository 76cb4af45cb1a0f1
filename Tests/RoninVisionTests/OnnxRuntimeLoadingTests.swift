import Foundation
import Testing
@testable import RoninVision

/// Finding and opening libonnxruntime, and the errors when it is absent or wrong.
@Suite(.timeLimit(.minutes(5))) struct OnnxRuntimeLoadingTests {
    @Test
    func findsTheInstalledLibraryAndItsVersion() throws {
        try VisionFixtures.require(.runtime)
        let library = try OnnxRuntime.load()
        #expect(library.path.contains("libonnxruntime.so"))
        #expect(library.path.hasPrefix("/"))
        #expect(library.version.split(separator: ".").count == 3)
        #expect(library.version.hasPrefix("1."))
        // Opened once per path: the same object comes back.
        #expect(try OnnxRuntime.load() === library)
        #expect(try OnnxRuntime.load(path: library.path) === library)
    }

    @Test
    func libraryPathSettingMayNameTheFolder() throws {
        try VisionFixtures.require(.runtime)
        let library = try OnnxRuntime.load()
        let folder = (library.path as NSString).deletingLastPathComponent
        let viaFolder = try OnnxRuntime.load(environment: ["ORT_LIBRARY_PATH": folder])
        #expect(viaFolder.path == library.path)
        guard case .success(let available) = OnnxRuntime.availability() else {
            Issue.record("availability() should find the installed library")
            return
        }
        #expect(available.path == library.path)
    }

    @Test func aMissingFileIsAClearErrorNotACrash() {
        #expect {
            try OnnxRuntime.load(path: "/nonexistent/libonnxruntime.so")
        } throws: { error in
            guard case OnnxRuntimeError.libraryNotFound(let searched) = error else { return false }
            return searched == ["/nonexistent/libonnxruntime.so"]
                && "\(error)".contains("object detection is off") && "\(error)".contains("pip install onnxruntime")
        }
    }

    @Test func aWrongLibraryPathSettingIsReportedNotBypassed() {
        let result = OnnxRuntime.availability(environment: ["ORT_LIBRARY_PATH": "/nonexistent/ort"])
        guard case .failure(let error) = result else {
            Issue.record("a wrong ORT_LIBRARY_PATH must not fall back to another library")
            return
        }
        #expect(error == .libraryNotFound(searched: ["ORT_LIBRARY_PATH=/nonexistent/ort"]))
        #expect(error.description.contains("ORT_LIBRARY_PATH=/nonexistent/ort"))
    }

    @Test func aSharedLibraryThatIsNotOnnxRuntimeIsNamed() throws {
        let libm = try #require(["/lib/x86_64-linux-gnu/libm.so.6", "/lib/aarch64-linux-gnu/libm.so.6", "/usr/lib/libm.so.6"]
            .first { FileManager.default.fileExists(atPath: $0) })
        #expect(throws: OnnxRuntimeError.symbolMissing(path: libm)) { try OnnxRuntime.load(path: libm) }
    }

    @Test func aFileThatIsNoLibraryIsUnloadable() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ronin-not-a-library-\(UUID()).so").path
        try Data("not an ELF file".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            try OnnxRuntime.load(path: path)
        } throws: { error in
            guard case OnnxRuntimeError.libraryUnloadable(let failed, let reason) = error else { return false }
            return failed == path && !reason.isEmpty
        }
    }

    @Test func searchLooksInPythonPackagesThenTheSystem() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ronin-pyenv-\(UUID())")
        let capi = root.appendingPathComponent("versions/3.11.7/lib/python3.11/site-packages/onnxruntime/capi")
        try FileManager.default.createDirectory(at: capi, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["libonnxruntime.so.1.9.0", "libonnxruntime.so.1.32.0", "libonnxruntime_providers_shared.so"] {
            FileManager.default.createFile(atPath: capi.appendingPathComponent(name).path, contents: Data())
        }
        let candidates = LibraryLocator.candidates(
            environment: ["PYENV_ROOT": root.path, "HOME": "/nonexistent"], askPython: false).map(\.path)
        let packaged = candidates.filter { $0.hasPrefix(root.path) }
        #expect(packaged.map { ($0 as NSString).lastPathComponent } == ["libonnxruntime.so.1.32.0", "libonnxruntime.so.1.9.0"])
        #expect(Array(candidates.suffix(2)) == ["libonnxruntime.so", "libonnxruntime.so.1"])
    }
}
