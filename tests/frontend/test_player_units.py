"""Unit checks of the web UI's player modules under node: the HLS playlist parser, the MP4 box
reader that builds MSE codec strings, zoom geometry, stored Live View settings.

Frontend/test/player.test.ts is bundled with Debian's esbuild and run with node. Besides its own
synthetic cases, it reads live HLS that ffmpeg writes here with the same muxer options as the
server's pipeline (fMP4, init.mp4, 2-second segments); the codec strings it builds must agree with
what ffprobe reads from the same stream (H.264 profile and level, AAC).
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .node_checks import bundle_checks, run_checks

# H.264 profile names as ffprobe prints them -> profile_idc
PROFILE_IDC = {"Baseline": 0x42, "Constrained Baseline": 0x42, "Main": 0x4D, "High": 0x64}

# (name, x264 profile, level, with audio)
VARIANTS = [
    ("main30-aac", "main", "3.0", True),
    ("high40-silent", "high", "4.0", False),
    ("baseline31-aac", "baseline", "3.1", True),
]


def _write_live_hls(folder: Path, profile: str, level: str, audio: bool) -> None:
    folder.mkdir(parents=True)
    cmd = ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=10"]
    if audio:
        cmd += ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=8000"]
    cmd += ["-t", "6", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-profile:v", profile, "-level", level, "-g", "10"]
    cmd += ["-c:a", "aac", "-ac", "1"] if audio else ["-an"]
    cmd += ["-f", "hls", "-hls_time", "2", "-hls_list_size", "10", "-hls_segment_type", "fmp4",
            "-hls_fmp4_init_filename", "init.mp4", "-hls_flags", "independent_segments+omit_endlist",
            str(folder / "stream.m3u8")]
    subprocess.run(cmd, check=True, timeout=120, stdin=subprocess.DEVNULL)


def _ffprobe_streams(playlist: Path) -> list[dict]:
    r = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,profile,level",
                        "-of", "json", str(playlist)], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(r.stdout)["streams"]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    return bundle_checks("player.test.ts", tmp_path_factory.mktemp("frontend-units"))


def test_player_modules_and_codec_strings(bundle, tmp_path):
    folders = {}
    for name, profile, level, audio in VARIANTS:
        folder = tmp_path / name
        _write_live_hls(folder, profile, level, audio)
        folders[str(folder)] = (profile, level, audio)

    _, printed = run_checks(bundle, *folders)

    results = [json.loads(line) for line in printed.splitlines() if line.startswith("{")]
    assert len(results) == len(VARIANTS)
    for result in results:
        profile, level, audio = folders[result["dir"]]
        probed = _ffprobe_streams(Path(result["dir"]) / "stream.m3u8")
        video = next(s for s in probed if s["codec_name"] == "h264")
        codecs = result["codecs"]
        assert codecs[0].startswith("avc1."), codecs
        assert int(codecs[0][5:7], 16) == PROFILE_IDC[video["profile"]], (codecs, video)
        assert int(codecs[0][9:11], 16) == video["level"], (codecs, video)
        if audio:
            assert codecs[1:] == ["mp4a.40.2"], codecs  # ffmpeg's AAC encoder writes AAC-LC
            assert result["mime"] == f'video/mp4; codecs="{codecs[0]},mp4a.40.2"'
        else:
            assert codecs[1:] == [], codecs
        playlist = result["playlist"]
        assert playlist["mapUri"] == "init.mp4" and playlist["targetDuration"] == 2
        assert [s["uri"] for s in playlist["segments"]] == [f"stream{i}.m4s" for i in range(len(playlist["segments"]))]
        assert len(playlist["segments"]) >= 2 and not playlist["ended"]
