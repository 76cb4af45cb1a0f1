import Foundation
@testable import RoninVision

/// Real inputs for the vision tests: the provisioned model, the installed ONNX Runtime and a
/// frame of vtest.avi (people walking past parked cars), all as `make test` installs them.
///
/// Nothing here is optional: a test whose input is missing fails with the install step that
/// provides it (`require`), on a developer's machine as on CI, so a missing step cannot pass.
enum VisionFixtures {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let modelPath = repositoryRoot.appendingPathComponent("models/yolov3-tiny.onnx").path
    static let vtestPath = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"
    /// The project's Python (with onnx and numpy), else the one on PATH.
    static var python: String {
        let venv = repositoryRoot.appendingPathComponent(".venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3"
    }

    /// What a test needs; each implies the ones before it.
    enum Need { case runtime, model, footage }

    /// Throws, naming the install step, unless everything `need` implies is there.
    static func require(_ need: Need) throws {
        do {
            _ = try OnnxRuntime.load()
        } catch {
            throw FixtureError("ONNX Runtime is not installed (\(error)): run scripts/install-deps.sh")
        }
        if need != .runtime, !FileManager.default.fileExists(atPath: modelPath) {
            throw FixtureError("models/yolov3-tiny.onnx is missing: run scripts/install-deps.sh (it runs scripts/provision-model.py)")
        }
        if need == .footage, !FileManager.default.fileExists(atPath: vtestPath) {
            throw FixtureError("\(vtestPath) is missing: run scripts/install-deps.sh test (Debian package opencv-doc)")
        }
    }

    /// One frame of vtest.avi at `seconds`, decoded by ffmpeg to RGB24 at its own 768x576.
    static func vtestFrame(at seconds: Double = 3) throws -> (rgb: [UInt8], width: Int, height: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ffmpeg", "-v", "error", "-ss", String(seconds), "-i", vtestPath,
                             "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, data.count == 768 * 576 * 3 else {
            throw FixtureError("ffmpeg gave \(data.count) bytes (exit \(process.terminationStatus)) for \(vtestPath)")
        }
        return ([UInt8](data), 768, 576)
    }

    /// Writes a small ONNX model with the YOLOv8 layout `[1, 4+C, N]` whose output is the given
    /// constant, and ultralytics-style `names` metadata; built with the `onnx` Python package.
    static func makeChannelsFirstModel(inputSize: Int, output: [[Float]], names: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("ronin-yolov8-\(UUID().uuidString).onnx").path
        let script = """
        import json, sys, numpy as np, onnx
        from onnx import helper, numpy_helper, TensorProto
        size, rows, names, path = int(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]
        value = np.array(rows, np.float32)[None]
        graph = helper.make_graph(
            [helper.make_node("Identity", ["constant"], ["output0"])], "stub",
            [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, 3, size, size])],
            [helper.make_tensor_value_info("output0", TensorProto.FLOAT, list(value.shape))],
            [numpy_helper.from_array(value, "constant")])
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
        model.ir_version = 8
        helper.set_model_props(model, {"names": names})
        onnx.save(model, path)
        """
        let rows = String(data: try JSONSerialization.data(withJSONObject: output), encoding: .utf8)!
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-c", script, String(inputSize), rows, names, path]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureError("\(python) could not write the test model (needs the onnx package)") }
        return path
    }
}

/// A fixture could not be prepared.
struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
