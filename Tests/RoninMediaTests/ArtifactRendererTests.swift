import Foundation
import Testing
@testable import RoninMedia

/// Event pictures made with real ffmpeg from a real clip: boxes drawn where they should be,
/// the clean frame untouched, four panels in a mosaic, scaled copies, and text that cannot
/// break the filter graph.
@Suite(.timeLimit(.minutes(5))) struct ArtifactRendererTests {
    static func jpegSize(_ path: String) async throws -> (width: Int, height: Int) {
        let result = try await ProcessRunner().run("ffprobe", arguments: ["-v", "error", "-select_streams", "v:0", "-show_entries",
                                                                          "stream=width,height", "-of", "csv=p=0", path], timeout: 30)
        let parts = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").compactMap { Int($0) }
        return (parts.first ?? 0, parts.last ?? 0)
    }

    /// Mean of the green channel minus the others inside a region of a picture (RGB24 decode).
    static func greenness(_ path: String, x: Int, y: Int, width: Int, height: Int) async throws -> Double {
        let result = try await ProcessRunner().run("ffmpeg", arguments: ["-v", "error", "-i", path, "-vf", "crop=\(width):\(height):\(x):\(y)",
                                                                         "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], timeout: 30)
        let bytes = [UInt8](result.stdout)
        var total = 0.0
        for pixel in stride(from: 0, to: bytes.count - 2, by: 3) {
            total += Double(bytes[pixel + 1]) - (Double(bytes[pixel]) + Double(bytes[pixel + 2])) / 2
        }
        return total / Double(max(1, bytes.count / 3))
    }

    @Test func snapshotDrawsTheBoxOnlyOnTheAnnotatedFrame() async throws {
        let clip = try await FrameSourceTests.makeClip("testsrc=size=320x240:rate=10:duration=4")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("artifacts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(atPath: clip)
            try? FileManager.default.removeItem(atPath: folder)
        }
        let renderer = ArtifactRenderer()
        // A label with characters that mean something to ffmpeg's filter graph.
        let box = ArtifactRenderer.Box(x: 0.25, y: 0.25, width: 0.5, height: 0.5, label: "person 87% [a]:b,c;d'e\\")
        try await renderer.snapshot(path: clip, offset: 2, width: nil, boxes: [box], annotated: folder + "/snapshot.jpg", clean: folder + "/clean.jpg")
        #expect(try await Self.jpegSize(folder + "/snapshot.jpg") == (320, 240))
        #expect(try await Self.jpegSize(folder + "/clean.jpg") == (320, 240))
        // The box's left edge (x = 80) is drawn in green on the snapshot, not on the clean frame.
        let edge = try await Self.greenness(folder + "/snapshot.jpg", x: 79, y: 100, width: 4, height: 40)
        let cleanEdge = try await Self.greenness(folder + "/clean.jpg", x: 79, y: 100, width: 4, height: 40)
        #expect(edge > cleanEdge + 40, "box edge greenness \(edge) vs clean \(cleanEdge)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/snapshot.jpg.tmp"))

        try await renderer.scaled(folder + "/snapshot.jpg", height: 120, output: folder + "/small.jpg")
        #expect(try await Self.jpegSize(folder + "/small.jpg") == (160, 120))

        let panels = (0..<4).map { ArtifactRenderer.Panel(path: clip, offset: Double($0), caption: "08:12:0\($0)") }
        try await renderer.mosaic(panels, panelWidth: 160, output: folder + "/mosaic.jpg")
        #expect(try await Self.jpegSize(folder + "/mosaic.jpg") == (320, 240))
    }

    @Test func aRawFrameBecomesASnapshot() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("artifacts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A mid-gray 64x48 frame.
        FileManager.default.createFile(atPath: folder + "/frame.rgb", contents: Data(repeating: 128, count: 64 * 48 * 3))
        let box = ArtifactRenderer.Box(x: 0.25, y: 0.25, width: 0.5, height: 0.5, label: "car 50%")
        try await ArtifactRenderer().snapshot(rawFrame: folder + "/frame.rgb", width: 64, height: 48, boxes: [box],
                                              annotated: folder + "/snapshot.jpg", clean: folder + "/clean.jpg")
        #expect(try await Self.jpegSize(folder + "/snapshot.jpg") == (64, 48))
        let edge = try await Self.greenness(folder + "/snapshot.jpg", x: 16, y: 20, width: 2, height: 8)
        let cleanEdge = try await Self.greenness(folder + "/clean.jpg", x: 16, y: 20, width: 2, height: 8)
        #expect(edge > cleanEdge + 40, "box edge greenness \(edge) vs clean \(cleanEdge)")
    }

    @Test func missingFootageFailsWithoutLeavingAFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("artifacts-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        await #expect(throws: ArtifactError.self) {
            try await ArtifactRenderer().snapshot(path: folder + "/gone.mp4", offset: 0, width: nil, boxes: [],
                                                  annotated: folder + "/s.jpg", clean: folder + "/c.jpg")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }

    @Test func textIsEscapedForBothParsers() {
        #expect(ArtifactRenderer.escape("08:12:03") == "08\\\\:12\\\\:03")
        #expect(ArtifactRenderer.escape("a,b;c[d]") == "a\\,b\\;c\\[d\\]")
        #expect(ArtifactRenderer.escape("x\ny") == "xy")
    }
}
