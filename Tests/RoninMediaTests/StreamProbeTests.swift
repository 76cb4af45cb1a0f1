import Foundation
import Testing
import RoninCore
@testable import RoninMedia

/// Reading ffprobe's output and turning its errors into sentences a user can act on.
@Suite(.timeLimit(.minutes(5))) struct StreamProbeTests {
    let endpoint = try! CameraEndpoint(host: "cam.local", port: 554, username: "admin", password: "hunter22", streamPath: "/live")

    @Test func parsesVideoAndAudio() throws {
        let json = Data("""
        {"streams": [
          {"codec_type": "video", "codec_name": "h264", "width": 1920, "height": 1080, "avg_frame_rate": "30000/1001", "r_frame_rate": "30/1"},
          {"codec_type": "audio", "codec_name": "pcm_mulaw", "sample_rate": "8000", "channels": 1}
        ]}
        """.utf8)
        let description = try StreamProbe.parse(json, source: "x")
        #expect(description.video == .init(codec: "h264", width: 1920, height: 1080, fps: 29.97))
        #expect(description.audio == .init(codec: "pcm_mulaw", sampleRate: 8000, channels: 1))
    }

    @Test func fallsBackToTheNominalFrameRateAndAllowsNoAudio() throws {
        let json = Data(#"{"streams": [{"codec_type": "video", "codec_name": "hevc", "width": 640, "height": 360, "avg_frame_rate": "0/0", "r_frame_rate": "15/1"}]}"#.utf8)
        let description = try StreamProbe.parse(json, source: "x")
        #expect(description.video.fps == 15)
        #expect(description.audio == nil)
    }

    @Test func refusesStreamsWithoutVideo() {
        let json = Data(#"{"streams": [{"codec_type": "audio", "codec_name": "aac"}]}"#.utf8)
        #expect { try StreamProbe.parse(json, source: "x") } throws: { ($0 as? ProbeFailure)?.reason == .noVideo }
    }

    @Test(arguments: [
        ("[rtsp @ 0x55] method DESCRIBE failed: 401 Unauthorized\nrtsp://admin:hunter22@cam.local:554/live: Server returned 401 Unauthorized", ProbeFailure.Reason.authenticationFailed),
        ("[rtsp @ 0x55] method DESCRIBE failed: 404 Not Found", .notFound),
        ("rtsp://admin:hunter22@cam.local:554/live: Connection refused", .connectionRefused),
        ("[tcp @ 0x1] Failed to resolve hostname cam.local: Name or service not known", .unknownHost),
        ("rtsp://cam.local:554/live: No route to host", .unreachable),
        ("[tcp @ 0x1] Connection to tcp://cam.local:554 failed: Connection timed out", .timedOut),
        ("something odd happened", .other),
    ])
    func classifiesFailuresWithoutLeakingPasswords(stderr: String, reason: ProbeFailure.Reason) {
        let failure = StreamProbe.classify(stderr: stderr, endpoint: endpoint)
        #expect(failure.reason == reason)
        #expect(!failure.message.contains("hunter22"))
        #expect(failure.message.contains("cam.local"))
    }

    @Test func frameRates() {
        #expect(StreamProbe.frameRate("25/1") == 25)
        #expect(StreamProbe.frameRate("0/0") == nil)
        #expect(StreamProbe.frameRate("90000/1") == nil)
        #expect(StreamProbe.frameRate(nil) == nil)
    }

    @Test func runnerTimesOutAndKillsTheChild() async throws {
        let result = try await ProcessRunner().run("sleep", arguments: ["30"], timeout: 0.5)
        #expect(result.timedOut)
    }

    @Test func runnerCollectsOutputAndExitCode() async throws {
        let result = try await ProcessRunner().run("sh", arguments: ["-c", "echo out; echo err >&2; exit 3"], timeout: 10)
        #expect(String(decoding: result.stdout, as: UTF8.self) == "out\n")
        #expect(result.stderrText == "err\n")
        #expect(result.exitCode == 3)
        #expect(!result.timedOut)
    }

    @Test func runnerReportsMissingPrograms() async {
        await #expect(throws: ProcessRunner.LaunchFailure.self) {
            try await ProcessRunner().run("no-such-program-ronin", arguments: [], timeout: 1)
        }
    }
}
