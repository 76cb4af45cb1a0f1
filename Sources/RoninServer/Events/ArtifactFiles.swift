import Foundation

/// Where an event's artifacts live: `{data}/artifacts/<camera>/<event>/`, one folder per event,
/// deleted with the event.
struct ArtifactFiles: Sendable {
    let root: String

    func directory(camera: UUID, event: UUID) -> String {
        "\(root)/\(camera.uuidString.lowercased())/\(event.uuidString.lowercased())"
    }

    func snapshot(camera: UUID, event: UUID, boxes: Bool = true) -> String {
        directory(camera: camera, event: event) + (boxes ? "/snapshot.jpg" : "/clean.jpg")
    }

    func scaledSnapshot(camera: UUID, event: UUID, boxes: Bool, height: Int) -> String {
        directory(camera: camera, event: event) + "/\(boxes ? "snapshot" : "clean")-\(height).jpg"
    }

    func mosaic(camera: UUID, event: UUID) -> String {
        directory(camera: camera, event: event) + "/mosaic.jpg"
    }

    func clip(camera: UUID, event: UUID) -> String {
        directory(camera: camera, event: event) + "/clip.mp4"
    }

    /// The frame live detection saw the event's best box in (raw RGB24), and its description.
    func liveFrame(camera: UUID, event: UUID) -> (pixels: String, description: String) {
        let folder = directory(camera: camera, event: event)
        return (folder + "/frame.rgb", folder + "/frame.json")
    }

    func prepare(camera: UUID, event: UUID) throws -> String {
        let folder = directory(camera: camera, event: event)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return folder
    }

    func remove(camera: UUID, event: UUID) {
        try? FileManager.default.removeItem(atPath: directory(camera: camera, event: event))
    }
}
