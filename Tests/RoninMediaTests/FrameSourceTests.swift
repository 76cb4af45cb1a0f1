import Foundation
import Testing
@testable import RoninMedia

/// Decoding real clips (made at test time with ffmpeg's test sources) into RGB frames.
@Suite(.timeLimit(.minutes(5))) struct FrameSourceTests {
    /// A clip from one of ffmpeg's lavfi sources, e.g. `testsrc=size=320x240:rate=25:duration=3`.
    static func makeClip(_ lavfi: String) async throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("frames-\(UUID().uuidString).mp4").path
        let result = try await ProcessRunner().run("ffmpeg", arguments: [
            "-v", "error", "-y", "-f", "lavfi", "-i", lavfi, "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast", path,
        ], timeout: 60)
        #expect(result.exitCode == 0, "\(result.stderrText)")
        return path
    }

    static func collect(_ source: FrameSource) async throws -> [Frame] {
        var frames: [Frame] = []
        for try await frame in source { frames.append(frame) }
        return frames
    }

    @Test func decodesAtTheChosenRateAndSize() async throws {
        let clip = try await Self.makeClip("testsrc=size=320x240:rate=25:duration=3")
        defer { try? FileManager.default.removeItem(atPath: clip) }
        let source = try FrameSource(input: .file(path: clip), fps: 5, size: FrameSize(width: 160, height: 120))
        let frames = try await Self.collect(source)
        #expect(frames.count == 15)
        #expect(frames.allSatisfy { $0.width == 160 && $0.height == 120 && $0.rgb.count == 160 * 120 * 3 })
        #expect(frames.map(\.index) == Array(0..<15))
        #expect(frames.map(\.time) == (0..<15).map { Double($0) / 5 })
        // testsrc moves: consecutive frames differ.
        #expect(frames[0].rgb != frames[1].rgb)
    }

    @Test func startOffsetSeeksAndShiftsTimes() async throws {
        let clip = try await Self.makeClip("testsrc=size=320x240:rate=25:duration=3")
        defer { try? FileManager.default.removeItem(atPath: clip) }
        let frames = try await Self.collect(try FrameSource(input: .file(path: clip), fps: 5, size: FrameSize(width: 64, height: 48), start: 1))
        #expect(frames.count == 10)
        #expect(frames.first?.time == 1.0)
        #expect(frames.last?.time == 1.0 + 9.0 / 5)
        let limited = try await Self.collect(try FrameSource(input: .file(path: clip), fps: 5, size: FrameSize(width: 64, height: 48), duration: 1))
        #expect(limited.count == 5)
    }

    @Test func pixelsArePackedRGB() async throws {
        let clip = try await Self.makeClip("color=c=red:size=64x48:rate=10:duration=1")
        defer { try? FileManager.default.removeItem(atPath: clip) }
        let frames = try await Self.collect(try FrameSource(input: .file(path: clip), fps: 2, size: FrameSize(width: 32, height: 24)))
        let frame = try #require(frames.first)
        let middle = (12 * 32 + 16) * 3
        #expect(frame.rgb[middle] > 200 && frame.rgb[middle + 1] < 60 && frame.rgb[middle + 2] < 60)
    }

    @Test func probeReadsSizeAndLength() async throws {
        let clip = try await Self.makeClip("testsrc=size=320x240:rate=25:duration=3")
        defer { try? FileManager.default.removeItem(atPath: clip) }
        let description = try await FrameSourceProbe().describe(.file(path: clip))
        #expect(description.size == FrameSize(width: 320, height: 240))
        #expect(abs((description.duration ?? 0) - 3) < 0.2)
    }

    @Test func unreadableFileEndsWithAClearError() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("garbage-\(UUID().uuidString).mp4").path
        FileManager.default.createFile(atPath: path, contents: Data(repeating: 0x42, count: 4096))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = try FrameSource(input: .file(path: path), fps: 2, size: FrameSize(width: 64, height: 48))
        let error = await #expect(throws: FrameSourceError.self) { _ = try await Self.collect(source) }
        #expect(error?.message.contains(path) == true)
        #expect(error?.message.contains("Invalid data") == true)
        let missing = await #expect(throws: FrameSourceError.self) { _ = try await FrameSourceProbe().describe(.file(path: path + ".missing")) }
        #expect(missing?.message == "Cannot read \(path).missing: no such file")
    }

    @Test func streamCredentialsNeverShowInErrors() async throws {
        let input = FrameInput("rtsp://viewer:s3cretPass@127.0.0.1:1/stream")
        #expect(input.isStream)
        #expect(input.displayName == "rtsp://viewer:***@127.0.0.1:1/stream")
        let source = try FrameSource(input: input, fps: 2, size: FrameSize(width: 64, height: 48))
        let error = await #expect(throws: FrameSourceError.self) { _ = try await Self.collect(source) }
        #expect(error?.message.contains("s3cretPass") == false)
        #expect(error?.message.hasPrefix("Cannot read rtsp://viewer:***@127.0.0.1:1/stream: ") == true)
        #expect(error?.message.contains("ffconcat") == false)
        let probeError = await #expect(throws: FrameSourceError.self) { _ = try await FrameSourceProbe().describe(input) }
        #expect(probeError?.message.contains("s3cretPass") == false)
    }

    @Test func droppingTheIteratorKillsFFmpeg() async throws {
        let clip = try await Self.makeClip("testsrc=size=320x240:rate=25:duration=20")
        defer { try? FileManager.default.removeItem(atPath: clip) }
        // One frame a second of 20 s footage at full size keeps ffmpeg busy past the first frame.
        let source = try FrameSource(input: .file(path: clip), fps: 25, size: FrameSize(width: 320, height: 240))
        var iterator: FrameSource.Iterator? = source.makeAsyncIterator()
        _ = try await iterator?.next()
        let pid = try #require(iterator?.reader.processID)
        iterator = nil
        var alive = true
        for _ in 0..<100 where alive {
            let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: ")").last?.split(separator: " ").first
            alive = state != nil && state != "Z"
            if alive { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        #expect(!alive)
    }

    @Test func cancellingTheReaderKillsFFmpeg() async throws {
        let clip = try await Self.makeClip("testsrc=size=320x240:rate=25:duration=20")
        defer { try? FileManager.default.removeItem(atPath: clip) }
        let source = try FrameSource(input: .file(path: clip), fps: 25, size: FrameSize(width: 320, height: 240))
        let started = AsyncStream<Void>.makeStream()
        let reader = Task {
            var count = 0
            for try await _ in source {
                count += 1
                if count == 1 { started.continuation.yield() }
                try await Task.sleep(nanoseconds: 20_000_000)
            }
            return count
        }
        for await _ in started.stream { break }
        reader.cancel()
        await #expect(throws: CancellationError.self) { _ = try await reader.value }
        let leftovers = try await ProcessRunner().run("pgrep", arguments: ["-f", clip], timeout: 5)
        #expect(leftovers.stdout.isEmpty, "ffmpeg still running: \(leftovers.stdout)")
    }

    @Test func badOptionsAreRefused() {
        #expect(throws: FrameSourceError.self) { try FrameSource(input: .file(path: "x"), fps: 0, size: FrameSize(width: 64, height: 48)) }
        #expect(throws: FrameSourceError.self) { try FrameSource(input: .file(path: "x"), fps: 2, size: FrameSize(width: 0, height: 48)) }
    }

    @Test func sizesFitKeepingAspect() {
        #expect(FrameSize(width: 768, height: 576).fitted(maxWidth: 640) == FrameSize(width: 640, height: 480))
        #expect(FrameSize(width: 1920, height: 1080).fitted(maxWidth: 640) == FrameSize(width: 640, height: 360))
        #expect(FrameSize(width: 320, height: 240).fitted(maxWidth: 640) == FrameSize(width: 320, height: 240))
        #expect(FrameSize(width: 333, height: 199).fitted(maxWidth: 640) == FrameSize(width: 334, height: 200))
    }

    @Test func inputsAreRecognised() {
        #expect(FrameInput("/data/footage.mp4") == .file(path: "/data/footage.mp4"))
        #expect(FrameInput("clip:with:colons.mp4") == .file(path: "clip:with:colons.mp4"))
        #expect(FrameInput("rtsps://cam.local/main").isStream)
    }
}
