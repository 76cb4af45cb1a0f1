import Foundation
import Testing
import RoninCore
@testable import RoninMedia

/// The ffmpeg command for a camera: copy video, AAC audio once, secrets only in files.
@Suite(.timeLimit(.minutes(5))) struct FFmpegCommandTests {
    func spec(audio: PipelineSpec.AudioMode, recording: Bool = true, sub: String? = nil, tap: Int? = nil) throws -> PipelineSpec {
        PipelineSpec(cameraID: UUID(uuidString: "D366FC16-FCEC-45D2-9E73-F99BDDE831A8")!,
                     endpoint: try CameraEndpoint(host: "cam", port: 554, username: "admin", password: "hunter22", streamPath: "/main"),
                     substreamPath: sub, audio: audio, recording: recording, segmentSeconds: 900,
                     layout: SegmentLayout(storageRoot: "/s"), ffmpegPath: "ffmpeg", tapPort: tap)
    }

    @Test func theTapCarriesTheMainStreamOverUDPWithoutHoldingUpRecording() throws {
        let args = FFmpegCommand.arguments(for: try spec(audio: .copy, tap: 40123), mainSource: "/run/c", subSource: nil)
        let tee = try #require(args.first { $0.hasPrefix("[f=segment") })
        #expect(tee.hasSuffix("|[f=mpegts:select=v:onfail=ignore]udp://127.0.0.1:40123?pkt_size=1316"))
        // Without a tap port there is no third output.
        let plain = FFmpegCommand.arguments(for: try spec(audio: .copy), mainSource: "/run/c", subSource: nil)
        #expect(!plain.joined(separator: " ").contains("udp://"))
    }

    @Test func withASubStreamTheTapCarriesTheSubStream() throws {
        let args = FFmpegCommand.arguments(for: try spec(audio: .copy, sub: "/sub", tap: 40124), mainSource: "/run/c", subSource: "/run/c-sub")
        let main = try #require(args.first { $0.hasPrefix("[f=segment") })
        #expect(!main.contains("udp://"))
        #expect(args.last == "[f=hls:hls_time=2:hls_list_size=10:hls_flags=delete_segments+omit_endlist+independent_segments+temp_file:"
                + "hls_segment_type=fmp4:hls_fmp4_init_filename=init.mp4]/s/.streams/d366fc16-fcec-45d2-9e73-f99bdde831a8/sub/stream.m3u8|"
                + "[f=mpegts:select=v:onfail=ignore]udp://127.0.0.1:40124?pkt_size=1316")
    }

    @Test func copiesVideoAndAACAndNeverCarriesCredentials() throws {
        let args = FFmpegCommand.arguments(for: try spec(audio: .copy), mainSource: "/run/cam.ffconcat", subSource: nil)
        let line = args.joined(separator: " ")
        #expect(line.contains("-c:v copy -c:a copy"))
        #expect(!line.contains("hunter22") && !line.contains("rtsp://"))
        #expect(line.contains("segment_time=900") && line.contains("frag_keyframe+empty_moov"))
        #expect(line.contains("/s/.recording/d366fc16-fcec-45d2-9e73-f99bdde831a8/%s.mp4"))
        #expect(line.contains("/s/.streams/d366fc16-fcec-45d2-9e73-f99bdde831a8/stream.m3u8"))
    }

    @Test func fragmentsAreShortAndFlushedAndProgressIsReported() throws {
        let args = FFmpegCommand.arguments(for: try spec(audio: .none), mainSource: "/run/c", subSource: nil)
        let tee = try #require(args.first { $0.hasPrefix("[f=segment") })
        // Escaped twice: the tee splits on `:`, then the segment muxer splits its options on `:`.
        #expect(tee.contains("segment_format_options=movflags=+frag_keyframe+empty_moov+default_base_moof\\\\:frag_duration=1000000\\\\:flush_packets=1"))
        let line = args.joined(separator: " ")
        #expect(line.contains("-progress pipe:1 -stats_period 1"))
    }

    @Test func transcodesOtherAudioOnceThroughTheTee() throws {
        let args = FFmpegCommand.arguments(for: try spec(audio: .transcode(bitsPerSecond: 45_600)), mainSource: "/run/c", subSource: nil)
        #expect(args.filter { $0 == "-c:a" }.count == 1)
        #expect(args.joined(separator: " ").contains("-c:a aac -b:a 45600"))
        #expect(args.contains("tee"))
    }

    @Test func camerasWithoutAudioAndWithoutRecording() throws {
        let args = FFmpegCommand.arguments(for: try spec(audio: .none, recording: false), mainSource: "/run/c", subSource: nil)
        #expect(args.contains("-an"))
        #expect(!args.joined(separator: " ").contains("f=segment"))
    }

    @Test func subStreamGetsItsOwnLivePlaylist() throws {
        let args = FFmpegCommand.arguments(for: try spec(audio: .copy, sub: "/sub"), mainSource: "/run/c", subSource: "/run/c-sub")
        #expect(args.filter { $0 == "-i" }.count == 2)
        #expect(args.last == "/s/.streams/d366fc16-fcec-45d2-9e73-f99bdde831a8/sub/stream.m3u8")
    }

    @Test func audioModeFollowsTheCamera() {
        #expect(PipelineSpec.audioMode(for: .init(codec: "aac", sampleRate: 16000, channels: 1), enabled: true) == .copy)
        #expect(PipelineSpec.audioMode(for: .init(codec: "pcm_mulaw", sampleRate: 8000, channels: 1), enabled: true) == .transcode(bitsPerSecond: 45_600))
        #expect(PipelineSpec.audioMode(for: .init(codec: "aac", sampleRate: 16000, channels: 1), enabled: false) == PipelineSpec.AudioMode.none)
        #expect(PipelineSpec.audioMode(for: nil, enabled: true) == PipelineSpec.AudioMode.none)
    }

    @Test func sourceFilesAreQuotedAndPrivate() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ronin-src-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = try SourceListFile.write(url: "rtsp://u:it's@cam/x", options: [("rtsp_transport", "tcp")], directory: directory, name: "c")
        let text = try String(contentsOfFile: file.path, encoding: .utf8)
        #expect(text == "ffconcat version 1.0\nfile 'rtsp://u:it'\\''s@cam/x'\noption rtsp_transport 'tcp'\n")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        file.remove()
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }
}
