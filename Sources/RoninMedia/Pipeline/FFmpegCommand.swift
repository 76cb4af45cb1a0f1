import Foundation
import RoninCore

/// The ffmpeg arguments for one camera: one RTSP connection to the main stream feeding, through
/// the tee muxer, live HLS and (when recording) crash-safe MP4 segments; and, when the camera has
/// a sub-stream, a second input whose live HLS serves the grid.
///
/// With a tap port, the stream live detection reads (the sub-stream's where there is one, the
/// main stream's otherwise) also goes, video only, as MPEG-TS over unconnected UDP to
/// 127.0.0.1: writes to it never block or fail, so a missing or slow reader cannot hold up
/// recording (docs/design/events.md).
///
/// Video is always copied. Audio is copied when it is AAC, otherwise encoded once (the tee
/// shares the encoded packets between both outputs).
///
/// Segments are fragmented MP4: a fragment starts at every keyframe and at least every
/// `fragmentSeconds`, and is flushed to the file as soon as it is complete, so a segment cut
/// short by a crash plays up to a second before it, however long the camera's GOP and however
/// low its bitrate. ffmpeg reports its progress on standard output (`-progress pipe:1`, every
/// second), which the stall watchdog reads.
public enum FFmpegCommand {
    public static let hlsSegmentSeconds = 2
    public static let hlsListSize = 10
    /// The longest a recording fragment may be: what a crash can cost at most, beyond a GOP's start.
    public static let fragmentSeconds = 1
    public static let protocolWhitelist = "file,rtsp,rtsps,rtp,srtp,udp,tcp,tls"
    /// What ffmpeg may open to read recorded footage over HTTP (cold storage).
    public static let remoteFootageProtocols = "file,http,https,tcp,tls,crypto"

    public static func arguments(for spec: PipelineSpec, mainSource: String, subSource: String?) -> [String] {
        var args = ["-hide_banner", "-nostdin", "-loglevel", "warning", "-nostats", "-progress", "pipe:1", "-stats_period", "1",
                    "-fflags", "+genpts"]
        args += input(mainSource)
        if let subSource { args += input(subSource) }

        args += ["-map", "0:v:0"]
        switch spec.audio {
        case .none:
            args += ["-c:v", "copy", "-an"]
        case .copy:
            args += ["-map", "0:a:0", "-c:v", "copy", "-c:a", "copy"]
        case .transcode(let bitrate):
            args += ["-map", "0:a:0", "-c:v", "copy", "-c:a", "aac", "-b:a", String(bitrate)]
        }
        args += ["-flags", "+global_header", "-f", "tee", teeTargets(spec)]

        if subSource != nil {
            // The grid's sub-stream: video only, copied.
            args += ["-map", "1:v:0", "-c:v", "copy", "-an"]
            var targets = ["[f=hls:" + hlsTeeOptions + "]\(spec.liveSubDirectory)/stream.m3u8"]
            if let tap = spec.tapPort { targets.append(tapTarget(port: tap)) }
            if let feed = spec.liveFeedSub { targets.append(liveFeedTarget(socket: feed)) }
            args += targets.count == 1 ? hls(directory: spec.liveSubDirectory) : ["-f", "tee", targets.joined(separator: "|")]
        }
        return args
    }

    /// The tee target of the live view's fragmented MP4 (docs/design/live.md): a fragment at every
    /// keyframe and at least every `liveFragmentMicroseconds` (a tenth of a second: sub-second
    /// latency for a fraction of what a fragment per frame costs), to a UNIX socket the server
    /// reads. Through a queue of its own that drops packets when the reader lags, and dropped
    /// itself when the socket fails: live view can never hold up recording.
    static func liveFeedTarget(socket: String) -> String {
        let fifo = ["queue_size=120", "drop_pkts_on_overflow=1", "attempt_recovery=0"].joined(separator: "\\\\:")
        return "[f=mp4:movflags=+empty_moov+default_base_moof+frag_keyframe:frag_duration=\(liveFragmentMicroseconds):flush_packets=1"
            + ":use_fifo=1:fifo_options=\(fifo):onfail=ignore]unix:\(socket)"
    }

    /// The longest a live view fragment lasts.
    public static let liveFragmentMicroseconds = 100_000

    /// The tee target of the live-detection tap: video only; a failure drops the tap, never the rest.
    static func tapTarget(port: Int) -> String {
        "[f=mpegts:select=v:onfail=ignore]udp://127.0.0.1:\(port)?pkt_size=1316"
    }

    static var hlsTeeOptions: String {
        hlsOptions.map { "\($0.0)=\($0.1)" }.joined(separator: ":")
    }

    static func input(_ source: String) -> [String] {
        ["-f", "concat", "-safe", "0", "-protocol_whitelist", protocolWhitelist, "-i", source]
    }

    static func hls(directory: String) -> [String] {
        ["-f", "hls"] + hlsOptions.flatMap { ["-\($0.0)", $0.1] } + ["\(directory)/stream.m3u8"]
    }

    static var hlsOptions: [(String, String)] {
        [
            ("hls_time", String(hlsSegmentSeconds)),
            ("hls_list_size", String(hlsListSize)),
            ("hls_flags", "delete_segments+omit_endlist+independent_segments+temp_file"),
            ("hls_segment_type", "fmp4"),
            ("hls_fmp4_init_filename", "init.mp4"),
        ]
    }

    /// The tee muxer's output list: `[options]target|[options]target`.
    static func teeTargets(_ spec: PipelineSpec) -> String {
        var live = "[f=hls:" + hlsTeeOptions + ":onfail=ignore]\(spec.liveDirectory)/stream.m3u8"
        if let tap = spec.tapPort, spec.substreamPath == nil { live += "|" + tapTarget(port: tap) }
        if let feed = spec.liveFeedMain { live += "|" + liveFeedTarget(socket: feed) }
        guard spec.recording else { return live }
        // The segment muxer's own options for its MP4 files; inside a tee target their `:`
        // separators are escaped twice (once for the tee, once for the segment muxer).
        let mp4Options = [
            "movflags=+frag_keyframe+empty_moov+default_base_moof",
            "frag_duration=\(fragmentSeconds * 1_000_000)",
            "flush_packets=1",
        ].joined(separator: "\\\\:")
        let recording = [
            "f=segment", "segment_time=\(spec.segmentSeconds)", "segment_atclocktime=1", "strftime=1", "reset_timestamps=1",
            "segment_format=mp4", "segment_format_options=" + mp4Options,
        ].joined(separator: ":")
        return "[\(recording)]\(spec.stagingDirectory)/\(SegmentLayout.stagingPattern)|\(live)"
    }
}

