#!/usr/bin/python3
"""Ronin test camera: a real RTSP server (gst-rtsp-server) serving looped real footage.

Run it with Debian's /usr/bin/python3 (it has `gi`); see README.md for the mounts and options.

How the footage mounts work (and the invariants they keep):

* vtest.avi is encoded ONCE with ffmpeg/x264 into the cache dir (H.264 main profile, no B-frames,
  a keyframe every 2 s) and muxed with a pre-encoded audio track (AAC or G.711 mu-law). Serving a
  footage mount never encodes anything: GStreamer only demuxes, restamps and payloads.
* Each footage mount is a *shared* media: all clients of a mount share one pipeline, so 16
  clients cost the same as one (plus socket writes).
* A `LoopingFeeder` demuxes the file in its own small pipeline and pushes the elementary-stream
  buffers into `appsrc` elements of the RTSP media pipeline. Every time the file ends it seeks
  back to the start and adds the loop span to all timestamps, so PTS/DTS keep increasing across
  loop boundaries for as long as the media lives. The RTSP sinks sync on the clock, which paces
  the whole thing in real time; `appsrc block=true` gives the feeder back-pressure.

The `/clock` mount (for measuring live latency, camera to screen):

* Frames are made in Python, 640x360 I420 at 25 fps, each showing the wall-clock time it was
  made as a machine-readable code (clock_code.py: a ring of fixed black/white blocks around 40
  blocks holding milliseconds since the epoch mod 2^32 and a CRC-8), plus a readable clock at
  the top left. A frame's time is read from time.time() just before it is drawn and pushed, so
  a reader on the same machine that decodes a frame at instant T knows the frame is
  T - code old (encoding, RTP, the NVR, the network, the player, the screen).
* Encoded live by x264 (ultrafast, tune=zerolatency: no B-frames, no lookahead), a keyframe
  every 50 frames (a 2 s GOP), H.264 constrained baseline, payloaded as RTP, no audio. Shared:
  one pipeline and one frame thread for every client of the mount; the thread starts on the
  first `need-data` and stops when the media is unprepared.
"""
from __future__ import annotations

import argparse
import ctypes
import faulthandler
import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

import clock_code
import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstApp", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstApp, GstRtsp, GstRtspServer  # noqa: E402,F401

VTEST_AVI = "/usr/share/doc/opencv-doc/examples/data/vtest.avi"
# Bump when the ffmpeg encode settings below change, so stale cache files are not reused.
ENCODE_VERSION = "v2"
QUEUE_TIME_NS = 2 * Gst.SECOND  # how far ahead of the clock the feeder may run


def log(msg: str) -> None:
    print(f"[ronin-test-camera] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Pre-encoded media cache
# --------------------------------------------------------------------------------------------

def _die_with_parent() -> None:
    """In the child: get SIGKILL when the camera dies (a killed camera leaves no encoder)."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _run_ffmpeg(args: list[str]) -> None:
    cmd = ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y"] + args
    result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=_die_with_parent)
    if result.returncode != 0:
        raise RuntimeError(f"ffmpeg failed ({result.returncode}): {' '.join(cmd)}\n{result.stderr}")


def _duration_seconds(path: str) -> str:
    result = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                             "-of", "csv=p=0", path], stdout=subprocess.PIPE, text=True, check=True)
    return result.stdout.strip()


def prepare_vtest_cache(cache_dir: str) -> dict[str, str]:
    """Encode vtest.avi once into `cache_dir`; returns {"aac": path, "pcmu": path}.

    Files are keyed by the source's size/mtime and ENCODE_VERSION, written under a temp name and
    renamed, and guarded by an flock so several cameras starting at once encode only once.
    """
    if not os.path.exists(VTEST_AVI):
        raise RuntimeError(f"{VTEST_AVI} is missing (install Debian's opencv-doc)")
    os.makedirs(cache_dir, exist_ok=True)
    st = os.stat(VTEST_AVI)
    key = hashlib.sha1(f"{st.st_size}:{int(st.st_mtime)}:{ENCODE_VERSION}".encode()).hexdigest()[:10]
    video = os.path.join(cache_dir, f"vtest-{key}-video.mkv")
    outputs = {
        "aac": os.path.join(cache_dir, f"vtest-{key}-h264-aac.mkv"),
        "pcmu": os.path.join(cache_dir, f"vtest-{key}-h264-pcmu.mkv"),
    }
    with open(os.path.join(cache_dir, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if all(os.path.exists(p) for p in outputs.values()):
            return outputs
        started = time.monotonic()
        log(f"pre-encoding {VTEST_AVI} into {cache_dir} (once)")
        if not os.path.exists(video):
            tmp = video + ".tmp.mkv"
            _run_ffmpeg(["-i", VTEST_AVI, "-an", "-c:v", "libx264", "-preset", "veryfast",
                         "-profile:v", "main", "-pix_fmt", "yuv420p", "-crf", "23",
                         "-g", "20", "-keyint_min", "20", "-sc_threshold", "0", "-bf", "0",
                         "-x264-params", "threads=2", tmp])
            os.replace(tmp, video)
        # The audio lasts exactly as long as the video, so loops join without a gap.
        seconds = _duration_seconds(video)
        audio = {
            "aac": ("16000", ["-c:a", "aac", "-b:a", "32k"]),
            "pcmu": ("8000", ["-c:a", "pcm_mulaw"]),
        }
        for name, path in outputs.items():
            if os.path.exists(path):
                continue
            rate, codec = audio[name]
            tmp = path + ".tmp.mkv"
            # A quiet 440 Hz tone with a little noise on top: audible, obviously synthetic.
            tone = (f"sine=frequency=440:sample_rate={rate}:duration={seconds},volume=0.05[a];"
                    f"anoisesrc=color=pink:amplitude=0.01:sample_rate={rate}:duration={seconds}[n];"
                    f"[a][n]amix=inputs=2:duration=shortest")
            _run_ffmpeg(["-i", video, "-f", "lavfi", "-i", tone, "-map", "0:v", "-map", "1:a",
                         "-c:v", "copy", *codec, "-ac", "1", tmp])
            os.replace(tmp, path)
        log(f"pre-encoding done in {time.monotonic() - started:.1f}s")
        return outputs


# --------------------------------------------------------------------------------------------
# Probing a file: its elementary streams and the span of one loop
# --------------------------------------------------------------------------------------------

@dataclass
class StreamInfo:
    """One elementary stream of a file, as parsebin exposes it."""
    index: int
    caps: Gst.Caps

    @property
    def media_type(self) -> str:
        return self.caps.get_structure(0).get_name()

    def duration_of(self, buf: Gst.Buffer) -> int | None:
        """The buffer's duration; for G.711 derived from its size when the demuxer left it out."""
        if buf.duration != Gst.CLOCK_TIME_NONE:
            return buf.duration
        if self.media_type in ("audio/x-mulaw", "audio/x-alaw"):
            st = self.caps.get_structure(0)
            ok_rate, rate = st.get_int("rate")
            ok_ch, channels = st.get_int("channels")
            if ok_rate and rate > 0:
                return buf.get_size() * Gst.SECOND // (rate * (channels if ok_ch and channels > 0 else 1))
        return None


@dataclass
class FileInfo:
    """Streams of a file plus the timestamps needed to loop it seamlessly.

    All values are signed running times in the file. `first_ns` is the smallest PTS or DTS of
    any stream (with B-frames, DTS come before PTS). The video defines the loop: `start_ns` is
    its smallest PTS and `end_ns` its largest PTS+duration, and one loop spans `end_ns -
    start_ns`, so loop k+1 is presented right where loop k ended and DTS (a constant decoding
    delay before PTS) continue at the same rate. Other streams are trimmed to [start, end) so
    they never overlap the next loop (a gap of at most one audio frame at the boundary).
    `step_ns` is each stream's frame duration, for buffers that carry none.
    """
    path: str
    streams: list[StreamInfo] = field(default_factory=list)
    first_ns: int = 0
    start_ns: int = 0
    end_ns: int = 0
    step_ns: dict[int, int] = field(default_factory=dict)

    @property
    def span_ns(self) -> int:
        return self.end_ns - self.start_ns

    def inside_loop(self, index: int, pts: int | None, buf: Gst.Buffer) -> bool:
        """Whether a buffer of a non-video stream fits in one loop without overlapping."""
        if pts is None:
            return True
        duration = self.streams[index].duration_of(buf)
        if duration is None:
            duration = self.step_ns.get(index, 0)
        return self.start_ns <= pts and pts + duration <= self.end_ns


def _signed_running_time(segment: Gst.Segment, ts: int) -> int | None:
    if ts == Gst.CLOCK_TIME_NONE:
        return None
    sign, value = segment.to_running_time_full(Gst.Format.TIME, ts)
    if sign == 0:
        return None
    return value if sign > 0 else -value


class _Demuxer:
    """`filesrc ! parsebin` with one appsink per stream; calls on_sample(stream_index, sample).

    Without `expected`, streams are numbered in order of appearance (probing). With it, each
    pad gets the index of the next expected stream of the same media type, so the numbering
    matches the probe even if pads appear in another order.
    """

    def __init__(self, path: str, on_sample, name: str, expected: list[StreamInfo] | None = None):
        self.pipeline = Gst.Pipeline.new(name)
        src = Gst.ElementFactory.make("filesrc")
        src.set_property("location", path)
        parse = Gst.ElementFactory.make("parsebin")
        if parse is None:
            raise RuntimeError("GStreamer parsebin is missing")
        self.pipeline.add(src)
        self.pipeline.add(parse)
        src.link(parse)
        self.caps: list[Gst.Caps] = []
        self._expected = expected
        self._assigned: set[int] = set()
        self._on_sample = on_sample
        self._lock = threading.Lock()
        parse.connect("pad-added", self._pad_added)

    def _pad_added(self, _parse, pad):
        with self._lock:
            caps = pad.get_current_caps() or pad.query_caps(None)
            self.caps.append(caps)
            index = len(self.caps) - 1
            if self._expected is not None:
                kind = caps.get_structure(0).get_name() if caps.get_size() else ""
                matches = [s.index for s in self._expected
                           if s.media_type == kind and s.index not in self._assigned]
                index = matches[0] if matches else -1  # -1: not in the probe, ignored
                self._assigned.add(index)
        # A queue per stream: the demuxer has one thread for all streams, so without queues a
        # sink blocked on one stream (preroll, or a full appsrc downstream) starves the others.
        queue = Gst.ElementFactory.make("queue")
        queue.set_property("max-size-time", 5 * Gst.SECOND)
        queue.set_property("max-size-buffers", 0)
        queue.set_property("max-size-bytes", 64 * 1024 * 1024)
        sink = Gst.ElementFactory.make("appsink")
        sink.set_property("sync", False)
        sink.set_property("async", False)
        sink.set_property("emit-signals", True)
        sink.set_property("max-buffers", 4)
        sink.connect("new-sample", self._new_sample, index)
        self.pipeline.add(queue)
        self.pipeline.add(sink)
        queue.link(sink)
        sink.sync_state_with_parent()
        queue.sync_state_with_parent()
        pad.link(queue.get_static_pad("sink"))

    def _new_sample(self, sink, index):
        sample = sink.emit("pull-sample")
        if sample is None:
            return Gst.FlowReturn.EOS
        return self._on_sample(index, sample)


def probe_file(path: str) -> FileInfo:
    """Demux the whole file once (no decoding) to learn its streams and exact loop span."""
    info = FileInfo(path=path)
    first: dict[int, Gst.Caps] = {}
    earliest: dict[int, int] = {}  # per stream: smallest PTS or DTS
    start: dict[int, int] = {}     # per stream: smallest PTS
    end: dict[int, int] = {}       # per stream: largest PTS + duration
    last_dts: dict[int, int] = {}

    def on_sample(index: int, sample: Gst.Sample) -> Gst.FlowReturn:
        buf, seg = sample.get_buffer(), sample.get_segment()
        stream = StreamInfo(index, first.setdefault(index, sample.get_caps()))
        pts = _signed_running_time(seg, buf.pts)
        dts = _signed_running_time(seg, buf.dts)
        for t in (pts, dts):
            if t is not None and t < earliest.get(index, t + 1):
                earliest[index] = t
        dec = dts if dts is not None else pts
        if dec is not None:
            if index in last_dts and dec > last_dts[index]:
                info.step_ns[index] = dec - last_dts[index]
            last_dts[index] = dec
        ref = pts if pts is not None else dts
        if ref is not None:
            start[index] = min(start.get(index, ref), ref)
            # The last buffer of a stream often lacks a duration: use the stream's frame step.
            dur = stream.duration_of(buf)
            dur = dur if dur is not None else info.step_ns.get(index, 0)
            end[index] = max(end.get(index, ref + dur), ref + dur)
        return Gst.FlowReturn.OK

    demux = _Demuxer(path, on_sample, "probe")
    bus = demux.pipeline.get_bus()
    demux.pipeline.set_state(Gst.State.PLAYING)
    try:
        msg = bus.timed_pop_filtered(300 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
        if msg is None:
            raise RuntimeError(f"probing {path} timed out")
        if msg.type == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            raise RuntimeError(f"cannot read {path}: {err.message} ({dbg})")
    finally:
        demux.pipeline.set_state(Gst.State.NULL)
    for index, caps in enumerate(demux.caps):
        info.streams.append(StreamInfo(index, first.get(index, caps)))
    video = [s.index for s in info.streams if s.media_type.startswith("video/") and s.index in end]
    master = video or list(end)
    if not master:
        raise RuntimeError(f"{path}: no timestamped media found")
    info.first_ns = min(earliest.values())
    info.start_ns = min(start[i] for i in master)
    info.end_ns = max(end[i] for i in master)
    if info.end_ns <= info.start_ns:
        raise RuntimeError(f"{path}: no timestamped media found")
    return info


# --------------------------------------------------------------------------------------------
# The looping feeder and the media factory that uses it
# --------------------------------------------------------------------------------------------

PAYLOADERS = {
    "video/x-h264": ("rtph264pay", {"config-interval": -1}),
    "video/x-h265": ("rtph265pay", {"config-interval": -1}),
    "audio/mpeg": ("rtpmp4gpay", {}),
    # G.711 payloaders otherwise count samples for RTP time and drift at a loop boundary
    # whose audio does not end exactly where the video does; take RTP time from PTS instead.
    "audio/x-mulaw": ("rtppcmupay", {"perfect-rtptime": False}),
    "audio/x-alaw": ("rtppcmapay", {"perfect-rtptime": False}),
}


class LoopingFeeder:
    """Feeds one media's appsrcs from a file, forever, with ever-increasing timestamps.

    Output timestamp = running time in the file - file.first_ns + loop * file.span_ns, so the
    earliest DTS of the first loop is 0 and every loop is shifted by exactly one span.
    Lives as long as its media: started on the first need-data, stopped when the media is
    unprepared (the appsrcs then return FLUSHING, which unblocks any waiting push).
    """

    def __init__(self, file: FileInfo, appsrcs: dict[int, GstApp.AppSrc], mount: str):
        self.file = file
        self.appsrcs = appsrcs
        self.mount = mount
        self.video = {s.index for s in file.streams if s.media_type.startswith("video/")}
        self.loop = 0
        self._stop = threading.Event()
        self._started = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start_once(self, *_args) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        self._thread = threading.Thread(target=self._run, name=f"feeder{self.mount}", daemon=True)
        self._thread.start()

    def stop(self, *_args) -> None:
        self._stop.set()

    def _on_sample(self, index: int, sample: Gst.Sample) -> Gst.FlowReturn:
        if self._stop.is_set():
            return Gst.FlowReturn.FLUSHING
        appsrc = self.appsrcs.get(index)
        if appsrc is None:
            return Gst.FlowReturn.OK  # a stream this mount does not serve
        seg = sample.get_segment()
        src = sample.get_buffer()
        pts = _signed_running_time(seg, src.pts)
        dts = _signed_running_time(seg, src.dts)
        if index not in self.video and not self.file.inside_loop(index, pts, src):
            return Gst.FlowReturn.OK  # audio past the end of the video would overlap the next loop
        shift = self.loop * self.file.span_ns - self.file.first_ns
        buf = src.copy()  # shallow: shares memory, but its metadata is ours to change
        buf.pts = pts + shift if pts is not None else Gst.CLOCK_TIME_NONE
        buf.dts = dts + shift if dts is not None else Gst.CLOCK_TIME_NONE
        # Demuxers set sample offsets that restart with every loop, and audio payloaders prefer
        # them over PTS for RTP timestamps: drop them so RTP time always follows PTS.
        buf.offset = Gst.BUFFER_OFFSET_NONE
        buf.offset_end = Gst.BUFFER_OFFSET_NONE
        ret = appsrc.push_buffer(buf)
        if ret != Gst.FlowReturn.OK:
            self._stop.set()
        return ret

    def _run(self) -> None:
        demux = _Demuxer(self.file.path, self._on_sample, f"feeder{self.mount}",
                         expected=self.file.streams)
        bus = demux.pipeline.get_bus()
        demux.pipeline.set_state(Gst.State.PLAYING)
        try:
            while not self._stop.is_set():
                msg = bus.timed_pop_filtered(200 * Gst.MSECOND,
                                             Gst.MessageType.EOS | Gst.MessageType.ERROR)
                if msg is None:
                    continue
                if msg.type == Gst.MessageType.ERROR:
                    err, dbg = msg.parse_error()
                    if not self._stop.is_set():
                        log(f"{self.mount}: demuxer error: {err.message} ({dbg})")
                        for appsrc in self.appsrcs.values():
                            appsrc.end_of_stream()  # clients see the stream end, not a stall
                    break
                # EOS: every stream delivered its last buffer; start the next loop.
                self.loop += 1
                if not demux.pipeline.seek_simple(Gst.Format.TIME,
                                                  Gst.SeekFlags.FLUSH | Gst.SeekFlags.KEY_UNIT, 0):
                    log(f"{self.mount}: seek to start failed; stopping feeder")
                    break
        finally:
            self._stop.set()
            demux.pipeline.set_state(Gst.State.NULL)


class LoopedFileFactory(GstRtspServer.RTSPMediaFactory):
    """A shared media that serves a pre-encoded file looped, payloading only (no transcoding)."""

    def __init__(self, file: FileInfo, mount: str, stream_filter=None):
        super().__init__()
        self.file = file
        self.mount = mount
        self.streams: list[StreamInfo] = []
        for s in file.streams:
            if s.media_type not in PAYLOADERS:
                log(f"{mount}: skipping unsupported stream {s.caps.to_string()[:60]}")
                continue
            if stream_filter is not None and not stream_filter(s):
                continue
            self.streams.append(s)
        if not any(s.media_type.startswith("video/") for s in self.streams):
            raise RuntimeError(f"{file.path}: no H.264/H.265 video stream")
        self.set_shared(True)
        self.set_eos_shutdown(False)
        self.connect("media-configure", self._media_configure)

    def do_create_element(self, url):
        bin_ = Gst.Bin.new(None)
        for pt_index, s in enumerate(self.streams):
            src = Gst.ElementFactory.make("appsrc", f"src{s.index}")
            src.set_property("caps", s.caps)
            src.set_property("format", Gst.Format.TIME)
            src.set_property("is-live", False)
            src.set_property("block", True)
            src.set_property("max-time", QUEUE_TIME_NS)
            src.set_property("max-bytes", 64 * 1024 * 1024)
            factory_name, props = PAYLOADERS[s.media_type]
            pay = Gst.ElementFactory.make(factory_name, f"pay{pt_index}")
            pay.set_property("pt", 96 + pt_index)
            for k, v in props.items():
                pay.set_property(k, v)
            bin_.add(src)
            bin_.add(pay)
            src.link(pay)
        return bin_

    def _media_configure(self, _factory, media):
        element = media.get_element()
        appsrcs = {s.index: element.get_by_name(f"src{s.index}") for s in self.streams}
        feeder = LoopingFeeder(self.file, appsrcs, self.mount)
        for src in appsrcs.values():
            src.connect("need-data", feeder.start_once)
        media.connect("unprepared", feeder.stop)
        # Keep the feeder alive as long as the media object.
        media._ronin_feeder = feeder  # type: ignore[attr-defined]
        log(f"{self.mount}: new shared media")


def pattern_factory() -> GstRtspServer.RTSPMediaFactory:
    """Synthetic live camera: moving pattern with wall clock + running time overlay, H.264 + AAC.

    Live-encoded, but shared, so it is encoded once however many clients watch.
    """
    f = GstRtspServer.RTSPMediaFactory()
    f.set_launch(
        "( videotestsrc is-live=true pattern=ball "
        "! video/x-raw,width=640,height=360,framerate=15/1 "
        "! clockoverlay time-format=\"%Y-%m-%d %H:%M:%S\" halignment=left valignment=top "
        "! timeoverlay halignment=right valignment=bottom "
        "! videoconvert ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 "
        "bitrate=600 threads=1 ! video/x-h264,profile=baseline "
        "! rtph264pay name=pay0 pt=96 config-interval=-1 "
        "audiotestsrc is-live=true wave=sine freq=440 volume=0.05 "
        "! audio/x-raw,rate=16000,channels=1 ! audioconvert ! voaacenc bitrate=32000 "
        "! rtpmp4gpay name=pay1 pt=97 )")
    f.set_shared(True)
    return f


def quiet_factory() -> GstRtspServer.RTSPMediaFactory:
    """A quiet camera at night: a clock on a black picture, 640x360 at 10 fps, about 75 kbit/s.

    The picture hardly changes, so the encoder spends little: fragments of a few kilobytes, a
    keyframe every 4 s (key-int-max=40), no audio. Recorders that judge progress by how often
    bytes reach the disk mistake such a camera for a stalled one.
    """
    f = GstRtspServer.RTSPMediaFactory()
    f.set_launch(
        "( videotestsrc is-live=true pattern=black "
        "! video/x-raw,width=640,height=360,framerate=10/1 "
        "! clockoverlay time-format=\"%Y-%m-%d %H:%M:%S\" halignment=left valignment=top "
        "! videoconvert ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=40 "
        "bitrate=75 threads=1 ! video/x-h264,profile=baseline "
        "! rtph264pay name=pay0 pt=96 config-interval=-1 )")
    f.set_shared(True)
    return f


class ClockFeeder:
    """Pushes `/clock` frames into the media's appsrc in real time, each with the code of the
    wall-clock instant it was made (clock_code.py). The appsrc timestamps them on push
    (do-timestamp), so presentation follows the pushes. A thread late by more than a frame skips
    frames rather than sending a burst of stale ones. Lives as long as its media: started on the
    first need-data, stopped when the media is unprepared."""

    def __init__(self, appsrc: GstApp.AppSrc):
        self.appsrc = appsrc
        self.base = clock_code.base_frame()
        self._stop = threading.Event()
        self._started = False
        self._lock = threading.Lock()

    def start_once(self, *_args) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        threading.Thread(target=self._run, name="feeder/clock", daemon=True).start()

    def stop(self, *_args) -> None:
        self._stop.set()

    def _run(self) -> None:
        step = 1.0 / clock_code.FPS
        began = time.monotonic()
        frame_number = 0
        while not self._stop.is_set():
            due = began + frame_number * step
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            frame = bytearray(self.base)
            clock_code.paint(frame, time.time_ns() // 1_000_000)
            buf = Gst.Buffer.new_wrapped(bytes(frame))
            buf.duration = Gst.SECOND // clock_code.FPS
            if self.appsrc.push_buffer(buf) != Gst.FlowReturn.OK:
                break  # flushing: the media is going away
            frame_number = max(frame_number + 1, int((time.monotonic() - began) / step))


def clock_factory() -> GstRtspServer.RTSPMediaFactory:
    """A live camera whose every frame shows when it was made, as a code (see ClockFeeder): H.264
    constrained baseline 640x360 at 25 fps, a keyframe every 2 s, about 1 Mbit/s, no audio."""
    gop = 2 * clock_code.FPS
    caps = (f"video/x-raw,format=I420,width={clock_code.WIDTH},height={clock_code.HEIGHT},"
            f"framerate={clock_code.FPS}/1,pixel-aspect-ratio=1/1")
    f = GstRtspServer.RTSPMediaFactory()
    f.set_launch(
        f"( appsrc name=clocksrc is-live=true do-timestamp=true format=time caps=\"{caps}\" "
        "max-buffers=3 leaky-type=downstream block=false "
        "! clockoverlay time-format=\"%H:%M:%S\" halignment=left valignment=top "
        f"! x264enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} bitrate=1000 threads=1 "
        "! video/x-h264,profile=constrained-baseline "
        "! rtph264pay name=pay0 pt=96 config-interval=-1 )")
    f.set_shared(True)

    def configure(_factory, media):
        appsrc = media.get_element().get_by_name("clocksrc")
        feeder = ClockFeeder(appsrc)
        appsrc.connect("need-data", feeder.start_once)
        media.connect("unprepared", feeder.stop)
        media._ronin_feeder = feeder  # type: ignore[attr-defined]

    f.connect("media-configure", configure)
    return f


# --------------------------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------------------------

def set_auth_methods(auth: GstRtspServer.RTSPAuth, methods: int) -> None:
    """gst_rtsp_auth_set_supported_methods with a combination of methods.

    GstRTSPAuthMethod is declared as an enum, so PyGObject refuses BASIC|DIGEST; call the C
    function directly through ctypes with the object's pointer.
    """
    if methods in (int(GstRtsp.RTSPAuthMethod.BASIC), int(GstRtsp.RTSPAuthMethod.DIGEST)):
        auth.set_supported_methods(GstRtsp.RTSPAuthMethod(methods))
        return
    ctypes.pythonapi.PyCapsule_GetPointer.restype = ctypes.c_void_p
    ctypes.pythonapi.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    pointer = ctypes.pythonapi.PyCapsule_GetPointer(auth.__gpointer__, None)
    lib = ctypes.CDLL("libgstrtspserver-1.0.so.0")
    lib.gst_rtsp_auth_set_supported_methods.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.gst_rtsp_auth_set_supported_methods(pointer, methods)


def parse_file_arg(value: str, index: int) -> tuple[str, str]:
    path, mount = value, f"/file{index}"
    if ":" in value:
        head, tail = value.rsplit(":", 1)
        if tail.startswith("/"):
            path, mount = head, tail
    return path, mount


def main() -> int:
    ap = argparse.ArgumentParser(description="Ronin NVR test camera (RTSP, looped real footage)")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8554, help="0 picks a free port")
    ap.add_argument("--username")
    ap.add_argument("--password")
    ap.add_argument("--auth", choices=["basic", "digest", "both"], default="both",
                    help="RTSP auth schemes offered when --username is set (default both)")
    ap.add_argument("--ready-file", help="write the bound port here once serving")
    ap.add_argument("--cache-dir", default=os.path.join(tempfile.gettempdir(),
                                                        "ronin-test-camera-cache"))
    ap.add_argument("--file", action="append", default=[], metavar="PATH[:/MOUNT]",
                    help="serve a pre-encoded H.264 MP4/MKV looped without re-encoding")
    args = ap.parse_args()
    if bool(args.username) != bool(args.password):
        ap.error("--username and --password go together")

    Gst.init(None)
    cache = prepare_vtest_cache(args.cache_dir)
    vtest_aac = probe_file(cache["aac"])
    vtest_pcmu = probe_file(cache["pcmu"])

    factories: dict[str, GstRtspServer.RTSPMediaFactory] = {
        "/vtest": LoopedFileFactory(vtest_aac, "/vtest"),
        "/vtest-g711": LoopedFileFactory(vtest_pcmu, "/vtest-g711"),
        "/vtest-noaudio": LoopedFileFactory(vtest_aac, "/vtest-noaudio",
                                            lambda s: s.media_type.startswith("video/")),
        "/pattern": pattern_factory(),
        "/quiet": quiet_factory(),
        "/clock": clock_factory(),
    }
    for i, value in enumerate(args.file):
        path, mount = parse_file_arg(value, i)
        if not os.path.isfile(path):
            ap.error(f"--file {path}: no such file")
        factories[mount] = LoopedFileFactory(probe_file(path), mount)

    server = GstRtspServer.RTSPServer()
    server.set_address(args.host)
    server.set_service(str(args.port))
    if args.username:
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string("media.factory.role", "viewer")
        methods = 0
        if args.auth in ("basic", "both"):
            auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.username, args.password), token)
            methods |= int(GstRtsp.RTSPAuthMethod.BASIC)
        if args.auth in ("digest", "both"):
            auth.add_digest(args.username, args.password, token)
            methods |= int(GstRtsp.RTSPAuthMethod.DIGEST)
        set_auth_methods(auth, methods)
        server.set_auth(auth)
    mounts = server.get_mount_points()
    for mount, factory in factories.items():
        if args.username:
            perms = GstRtspServer.RTSPPermissions()
            perms.add_role("viewer")
            perms.add_permission_for_role("viewer", "media.factory.access", True)
            perms.add_permission_for_role("viewer", "media.factory.construct", True)
            factory.set_permissions(perms)
        mounts.add_factory(mount, factory)

    loop = GLib.MainLoop()
    if server.attach(None) == 0:
        log(f"cannot listen on {args.host}:{args.port}")
        return 2
    port = server.get_bound_port()

    def shutdown(signame: str) -> bool:
        log(f"{signame}: shutting down")
        # Close every client connection; their sessions and media are torn down with them.
        server.client_filter(lambda _s, _c, *_: GstRtspServer.RTSPFilterResult.REMOVE, None)
        GLib.timeout_add(200, lambda: loop.quit() or False)
        return GLib.SOURCE_REMOVE

    # SIGUSR1 writes every thread's stack to the log: how a camera that stopped answering is
    # looked into (TestCamera.heal sends it before restarting one).
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, shutdown, "SIGTERM")
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, shutdown, "SIGINT")

    print(f"ronin-test-camera listening on port {port}", flush=True)
    for mount, factory in factories.items():
        desc = getattr(factory, "file", None)
        what = f" <- {desc.path} (looped, {desc.span_ns / 1e9:.2f}s)" if desc else ""
        print(f"  rtsp://{args.host}:{port}{mount}{what}", flush=True)
    if args.ready_file:
        tmp = args.ready_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.replace(tmp, args.ready_file)

    loop.run()
    # A watchdog: never let a stuck pipeline keep a stopped camera's port busy.
    threading.Timer(3.0, lambda: os._exit(0)).start()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)
