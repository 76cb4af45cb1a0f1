"""The footage index the timeline benchmark loads: a year of 24/7 recording per camera, cut into
clock-aligned 15-minute segments with a few outages, and detections clustered in local daytime.

Everything is drawn from a seeded generator per camera, so both databases get the same rows.
Times are float seconds since the epoch (UTC); ids are lowercase UUID strings. The loaders turn
them into what each database stores.
"""
import bisect
import random
import uuid
from array import array
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Iterator
from zoneinfo import ZoneInfo

SEGMENT_SECONDS = 900
# Crash cuts and reconnects leave pieces shorter than a slot; pieces under this are not written.
MIN_PIECE_SECONDS = 10.0
# The longest segment the index holds: the baseline bounds its start-time range scan with it.
LONGEST_SEGMENT_SECONDS = SEGMENT_SECONDS + 1.0
CLASSES = ["person", "car", "dog", "truck", "bicycle", "cat", "bird", "motorcycle"]
CLASS_WEIGHTS = [0.44, 0.27, 0.07, 0.06, 0.06, 0.04, 0.04, 0.02]
# 1080p H.264 at about 4 Mbit/s.
BYTES_PER_SECOND = 500_000


@dataclass(frozen=True)
class Span:
    """The year the index covers: `days` whole UTC days ending at `end` (a UTC midnight)."""
    start: float
    end: float
    zone: ZoneInfo

    @classmethod
    def last_year(cls, zone: str, days: int = 365) -> "Span":
        today = datetime.now(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
        return cls((today - timedelta(days=days)).timestamp(), today.timestamp(), ZoneInfo(zone))


@dataclass(frozen=True)
class Segment:
    """One recordings row before it is given a camera: [start, end) in epoch seconds."""
    id: str
    start: float
    end: float
    path: str
    size_bytes: int
    status: str


@dataclass(frozen=True)
class Detection:
    """One detections row before it is given a camera; `recording_id` is the segment it is in."""
    id: str
    recording_id: str
    detected_at: float
    class_name: str
    confidence: float
    box: tuple[float, float, float, float]
    track_id: int


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def outages(rng: random.Random, span: Span) -> list[tuple[float, float]]:
    """A few periods without footage: short network drops, a few hours, and one long one."""
    lengths = [rng.uniform(300, 1800) for _ in range(rng.randint(2, 4))]
    lengths += [rng.uniform(3600, 6 * 3600) for _ in range(rng.randint(1, 2))]
    lengths.append(rng.uniform(20 * 3600, 50 * 3600))
    found = []
    for length in lengths:
        begin = rng.uniform(span.start + 86400, span.end - length - 86400)
        found.append((begin, begin + length))
    found.sort()
    merged: list[tuple[float, float]] = []
    for begin, end in found:
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((begin, end))
    return merged


def _pieces(begin: float, end: float, cuts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """[begin, end) less the outages that overlap it."""
    pieces = [(begin, end)]
    for cut_begin, cut_end in cuts:
        if cut_end <= begin or cut_begin >= end:
            continue
        pieces = [p for piece in pieces
                  for p in ((piece[0], min(piece[1], cut_begin)), (max(piece[0], cut_end), piece[1]))
                  if p[1] - p[0] >= MIN_PIECE_SECONDS]
    return pieces


def segments(rng: random.Random, span: Span, folder: str,
             cuts: list[tuple[float, float]]) -> list[Segment]:
    """Clock-aligned segments with the sub-second holes real segment boundaries leave, named by
    local start time like the server names files."""
    found = []
    used: set[str] = set()
    slot = span.start
    next_cut = 0
    while slot < span.end:
        slot_end = slot + SEGMENT_SECONDS
        while next_cut < len(cuts) and cuts[next_cut][1] <= slot:
            next_cut += 1
        nearby = cuts[next_cut:next_cut + 2]
        for begin, end in _pieces(slot + rng.uniform(0.0, 0.4), slot_end - rng.uniform(0.0, 0.4), nearby):
            stamp = datetime.fromtimestamp(begin, span.zone)
            path = f"{folder}/{stamp:%Y-%m-%d}/{stamp:%H-%M-%S}.mp4"
            if path in used:  # the hour that repeats when clocks fall back, named as the server does
                path = path.removesuffix(".mp4") + "-2.mp4"
            used.add(path)
            # One file in a few thousand was lost from disk: its row stays, marked missing.
            status = "missing" if rng.random() < 0.0003 else "complete"
            found.append(Segment(_uuid(rng), begin, end, path, int((end - begin) * BYTES_PER_SECOND), status))
        slot = slot_end
    return found


def _event_instant(rng: random.Random, span: Span) -> float:
    """An instant weighted towards local daytime: most activity between 7:00 and 20:00."""
    day = span.start + 86400 * rng.randrange(int((span.end - span.start) // 86400))
    local = datetime.fromtimestamp(day, span.zone).replace(hour=0, minute=0, second=0)
    if rng.random() < 0.85:
        hour = min(23.999, max(0.0, rng.gauss(13.5, 3.2)))
    else:
        hour = rng.uniform(0, 24)
    return local.timestamp() + hour * 3600


def detections(rng: random.Random, span: Span, recorded: list[Segment], count: int) -> Iterator[Detection]:
    """`count` detections in tracks: an object seen in consecutive frames, half a second apart,
    with its box drifting across the frame. Only instants inside a complete segment get any."""
    starts = [s.start for s in recorded]
    made = 0
    track = 0
    while made < count:
        at = _event_instant(rng, span)
        index = bisect.bisect_right(starts, at) - 1
        if index < 0:
            continue
        track += 1
        class_name = rng.choices(CLASSES, CLASS_WEIGHTS)[0]
        frames = min(count - made, 1 + int(rng.expovariate(1 / 9)))
        x, y = rng.uniform(0, 0.8), rng.uniform(0.2, 0.8)
        w, h = rng.uniform(0.05, 0.2), rng.uniform(0.1, 0.3)
        dx = rng.uniform(-0.02, 0.02)
        for frame in range(frames):
            t = at + frame * 0.5
            while index + 1 < len(recorded) and recorded[index + 1].start <= t:
                index += 1
            segment = recorded[index]
            if t >= segment.end or segment.status != "complete":
                continue
            bx = min(max(x + dx * frame, 0.0), 1.0 - w)
            yield Detection(_uuid(rng), segment.id, t, class_name, round(rng.uniform(0.3, 0.98), 3),
                            (round(bx, 4), round(y, 4), round(w, 4), round(min(h, 1.0 - y), 4)), track)
            made += 1


class DrawnDetections:
    """The instant and class of every detection a camera's index handed out (to the loader), in
    compact arrays: what the benchmark checks answers against without drawing 5M rows twice."""

    def __init__(self) -> None:
        self.times = array("d")
        self.classes = array("B")
        self._codes = {name: code for code, name in enumerate(CLASSES)}

    def add(self, detection: Detection) -> None:
        self.times.append(detection.detected_at)
        self.classes.append(self._codes[detection.class_name])

    def __len__(self) -> int:
        return len(self.times)


@dataclass
class CameraIndex:
    """One camera's rows: its segments and a way to draw its detections (5M do not fit in a list).
    `drawn` holds what the last draw handed out."""
    folder: str
    segments: list[Segment]
    detection_count: int
    seed: int
    span: Span
    drawn: DrawnDetections = field(default_factory=DrawnDetections)

    def detections(self) -> Iterator[Detection]:
        self.drawn = DrawnDetections()
        for detection in detections(random.Random(self.seed + 1), self.span, self.segments, self.detection_count):
            self.drawn.add(detection)
            yield detection


def camera_index(number: int, folder: str, span: Span, detection_count: int, seed: int = 2026) -> CameraIndex:
    """The rows of the `number`th camera; the same arguments always give the same rows."""
    rng = random.Random(seed * 1000 + number)
    cuts = outages(rng, span)
    return CameraIndex(folder, segments(rng, span, folder, cuts), detection_count, seed * 1000 + number, span)


def split(total: int, parts: int) -> list[int]:
    """`total` spread over `parts` as evenly as integers allow."""
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


def local_day_bounds(day: str, zone: ZoneInfo) -> tuple[float, float]:
    """UTC instants of a local date's midnight and the next one (23 or 25 hours on DST days)."""
    start = datetime.fromisoformat(day).replace(tzinfo=zone)
    end = start + timedelta(days=1)
    return start.timestamp(), datetime(end.year, end.month, end.day, tzinfo=zone).timestamp()


def local_month_bounds(month: str, zone: ZoneInfo) -> tuple[float, float]:
    """UTC instants of the first local midnight of a month and of the next month."""
    year, number = (int(part) for part in month.split("-"))
    following = (year + number // 12, number % 12 + 1)
    return (datetime(year, number, 1, tzinfo=zone).timestamp(),
            datetime(following[0], following[1], 1, tzinfo=zone).timestamp())

