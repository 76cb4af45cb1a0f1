"""Reading media files packet by packet, without decoding: what a copy without re-encoding keeps.

`stream_packets` lists the MD5 of every packet's data per stream type, in file order, as ffmpeg's
framemd5 muxer reports it when it copies the streams (`-c copy`), plus the hash of each stream's
extradata (H.264 SPS/PPS, AAC config). Two files whose packets hash alike carry the same
compressed frames; a re-encoded copy has other packets, even at the same codec and duration.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class StreamPackets:
    """One stream's packets: the MD5 of each packet's data in file order, and of its extradata."""
    hashes: list[str] = field(default_factory=list)
    extradata: str | None = None


def stream_packets(path: Path) -> dict[str, StreamPackets]:
    """Packets of `path` by media type ("video", "audio"), the first stream of each type."""
    r = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy",
                        "-f", "framemd5", "-"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, f"ffmpeg cannot read the packets of {path}: {r.stderr}"
    kinds: dict[str, str] = {}
    extradata: dict[str, str] = {}
    hashes: dict[str, list[str]] = {}
    for line in r.stdout.splitlines():
        if line.startswith("#media_type"):
            index, kind = line.removeprefix("#media_type").split(":")
            kinds[index.strip()] = kind.strip()
        elif line.startswith("#extradata"):
            index, _size, digest = line.removeprefix("#extradata").split(",")
            extradata[index.strip()] = digest.strip()
        elif line and not line.startswith("#"):
            # stream, dts, pts, duration, size, hash, then side data (S=n, size, hash) if any
            columns = [c.strip() for c in line.split(",")]
            hashes.setdefault(columns[0], []).append(columns[5])
    return {kind: StreamPackets(hashes.get(index, []), extradata.get(index)) for index, kind in kinds.items()}


def contiguous_run_at(needle: list[str], haystack: list[str]) -> int | None:
    """Where `needle` occurs in `haystack` as one unbroken run, or None."""
    for start in range(len(haystack) - len(needle) + 1):
        if haystack[start] == needle[0] and haystack[start:start + len(needle)] == needle:
            return start
    return None
