import Foundation
import RoninCore

/// Where the detection model lives and how a missing one is explained.
///
/// `scripts/provision-model.py` (run by `scripts/install-deps.sh`, so by `make run` and
/// `make test`) writes the default model from the Darknet YOLOv3-tiny weights.
public enum ModelProvisioning {
    /// ML_MODEL_PATH's default: the provisioned model found from where `ronin` is (a checkout's
    /// `models/`, or `{prefix}/share/ronin/models/` when installed), so it is found whatever the
    /// working directory; `./models/yolov3-tiny.onnx` when it is nowhere.
    public static var defaultModelPath: String { InstallLayout.current().model(named: "yolov3-tiny.onnx") }
    /// The script that creates the default model.
    public static let provisioningScript = "scripts/provision-model.py"

    /// Throws `modelNotFound` (which names the script to run) unless `path` is a readable file.
    public static func requireModel(at path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
              FileManager.default.isReadableFile(atPath: path) else {
            throw OnnxRuntimeError.modelNotFound(path: path)
        }
    }
}
