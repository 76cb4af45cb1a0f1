"""What the loader wrote, and what each answer must therefore say: the timeline benchmark checks
the server's answers and the baseline's rows against the dataset itself, not against each other.

A day's timeline is rebuilt here from the written segments the way docs/design/playback.md
defines it (complete segments clipped to the day, neighbours merged across holes of at most 2 s,
gaps for the rest of the day, recorded seconds the sum of the ranges), with the day's detections
counted per class and per marker bucket; a month's days are the dates some complete segment
overlaps. Instants are taken as the database keeps them (PostgreSQL: microseconds).
"""
import bisect
from dataclasses import dataclass

import numpy as np

from common import instant
from dataset import CLASSES, CameraIndex, Span
from workload import Ask, days_covered

MERGE_TOLERANCE = 2.0
# API answers carry instants to the millisecond.
INSTANT_TOLERANCE = 0.002
SECONDS_TOLERANCE = 0.01
BUCKET_SECONDS = 60


@dataclass(frozen=True)
class DayTimeline:
    """A camera's day as the timeline must show it."""
    ranges: list[tuple[float, float, int]]
    gaps: list[tuple[float, float]]
    recorded_seconds: float
    counts: dict[str, int]
    markers: dict[tuple[str, int], int]


class CameraRows:
    """One camera's written rows, sorted for range lookups: complete segments, detections."""

    def __init__(self, index: CameraIndex, decimals: int | None) -> None:
        keep = (lambda t: round(t, decimals)) if decimals is not None else float
        complete = [s for s in index.segments if s.status == "complete"]
        self.starts = [keep(s.start) for s in complete]
        self.ends = [keep(s.end) for s in complete]
        times = np.frombuffer(index.drawn.times, np.float64)
        order = np.argsort(times, kind="stable")
        self.times = times[order] if decimals is None else np.round(times[order], decimals)
        self.classes = np.frombuffer(index.drawn.classes, np.uint8)[order]

    def segments(self, start: float, end: float) -> list[tuple[float, float]]:
        """The complete segments overlapping [start, end) (segments follow one another, so their
        ends are as sorted as their starts)."""
        first, last = bisect.bisect_right(self.ends, start), bisect.bisect_left(self.starts, end)
        return list(zip(self.starts[first:last], self.ends[first:last]))

    def detections(self, start: float, end: float) -> tuple[np.ndarray, np.ndarray]:
        first, last = np.searchsorted(self.times, [start, end], side="left")
        return self.times[first:last], self.classes[first:last]

    def counts(self, start: float, end: float) -> dict[str, int]:
        _, classes = self.detections(start, end)
        return {CLASSES[code]: int(n) for code, n in enumerate(np.bincount(classes, minlength=len(CLASSES))) if n}

    def timeline(self, start: float, end: float) -> DayTimeline:
        ranges: list[list] = []
        for s, e in self.segments(start, end):
            s, e = max(s, start), min(e, end)
            if ranges and s - ranges[-1][1] <= MERGE_TOLERANCE:
                ranges[-1][1] = max(ranges[-1][1], e)
                ranges[-1][2] += 1
            else:
                ranges.append([s, e, 1])
        gaps, cursor = [], start
        for s, e, _ in ranges:
            if s > cursor:
                gaps.append((cursor, s))
            cursor = max(cursor, e)
        if cursor < end:
            gaps.append((cursor, end))
        times, classes = self.detections(start, end)
        buckets = ((times - start) / BUCKET_SECONDS).astype(np.int64) * len(CLASSES) + classes
        keys, counts = np.unique(buckets, return_counts=True)
        markers = {(CLASSES[int(k) % len(CLASSES)], int(k) // len(CLASSES)): int(n) for k, n in zip(keys, counts)}
        return DayTimeline([tuple(r) for r in ranges], gaps, sum(e - s for s, e, _ in ranges), self.counts(start, end), markers)


class Written:
    """Every camera's written rows, as the named database keeps them."""

    def __init__(self, cameras: list[tuple[str, CameraIndex]], database: str) -> None:
        decimals = 6 if database == "postgres" else None
        self.cameras = {camera_id: CameraRows(index, decimals) for camera_id, index in cameras}
        self.recordings = sum(len(index.segments) for _, index in cameras)
        self.detections = sum(len(index.drawn) for _, index in cameras)

    def days(self, camera_id: str, ask: Ask, span: Span) -> list[str]:
        return days_covered(self.cameras[camera_id].segments(ask.start, ask.end), ask, span)


def _near(a: float, b: float, tolerance: float = INSTANT_TOLERANCE) -> bool:
    return abs(a - b) <= tolerance


def _spans(items: list[dict], *extra: str) -> list[tuple]:
    return [(instant(i["start"]), instant(i["end"]), *(i[k] for k in extra)) for i in items]


def day_header_disagreement(answer: dict, ask: Ask) -> str | None:
    """Why the day an answer describes is not the day asked, or None."""
    if not (_near(instant(answer.get("day_start", "1970-01-01T00:00:00Z")), ask.start)
            and _near(instant(answer.get("day_end", "1970-01-01T00:00:00Z")), ask.end)):
        return f"day {answer.get('day_start')}..{answer.get('day_end')} is not {ask.period}"
    if answer.get("bucket_seconds") != BUCKET_SECONDS:
        return f"bucket_seconds {answer.get('bucket_seconds')}, not the default {BUCKET_SECONDS}"
    return None


def timeline_disagreement(camera: dict, day_start: float, expected: DayTimeline) -> str | None:
    """Why one camera's timeline answer is not what the written rows say, or None."""
    ranges = _spans(camera.get("ranges", []), "recordings")
    if len(ranges) != len(expected.ranges):
        return f"{len(ranges)} ranges but the day holds {len(expected.ranges)}"
    for got, want in zip(ranges, expected.ranges):
        if not (_near(got[0], want[0]) and _near(got[1], want[1]) and got[2] == want[2]):
            return f"range {got} but the day holds {want}"
    gaps = _spans(camera.get("gaps", []))
    if len(gaps) != len(expected.gaps) or not all(_near(g[0], w[0]) and _near(g[1], w[1]) for g, w in zip(gaps, expected.gaps)):
        return f"gaps {gaps[:3]} but the day's are {expected.gaps[:3]} ({len(gaps)} against {len(expected.gaps)})"
    recorded = camera.get("recorded_seconds")
    if not isinstance(recorded, (int, float)) or not _near(recorded, expected.recorded_seconds, SECONDS_TOLERANCE):
        return f"recorded_seconds {recorded} but the day holds {expected.recorded_seconds:.3f}"
    if camera.get("counts") != expected.counts:
        return f"counts {camera.get('counts')} but the day holds {expected.counts}"
    markers = {(m["class"], round((instant(m["start"]) - day_start) / BUCKET_SECONDS)): m["count"]
               for m in camera.get("markers", [])}
    if markers != expected.markers:
        wrong = sorted(set(markers.items()) ^ set(expected.markers.items()))[:3]
        return f"markers differ from the day's detections, e.g. {wrong}"
    return None


def rows_disagreement(rows: list[tuple], expected: list[tuple[float, float]]) -> str | None:
    """Why the recordings rows a baseline read are not the written ones, or None."""
    if len(rows) != len(expected):
        return f"read {len(rows)} recordings, {len(expected)} were written"
    bad = next(((r, w) for r, w in zip(rows, expected) if not (_near(r[0], w[0], 1e-6) and _near(r[1], w[1], 1e-6))), None)
    return f"read recording {bad[0]}, the one written is {bad[1]}" if bad else None


def counts_disagreement(detections: list[tuple], expected: dict[str, int]) -> str | None:
    """Why the detections a baseline read are not the written ones (per class), or None."""
    counts: dict[str, int] = {}
    for _, class_name in detections:
        counts[class_name] = counts.get(class_name, 0) + 1
    return None if counts == expected else f"read detections {counts}, written {expected}"
