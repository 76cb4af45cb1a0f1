"""What the timeline benchmark asks: random (camera, local day) and (camera, local month) pairs,
every DST day among them, and the warm-up asks kept apart from the timed ones."""
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from dataset import Span, local_day_bounds, local_month_bounds


@dataclass(frozen=True)
class Ask:
    """One request: a camera and a local day (`YYYY-MM-DD`) or month (`YYYY-MM`) with its UTC bounds."""
    camera_id: str
    period: str
    start: float
    end: float


def local_days(span: Span) -> list[str]:
    """The local dates wholly inside the span."""
    first = datetime.fromtimestamp(span.start, span.zone).date() + timedelta(days=1)
    last = datetime.fromtimestamp(span.end, span.zone).date() - timedelta(days=1)
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]


def dst_days(days: list[str], span: Span) -> list[str]:
    """The days of `days` with 23 or 25 hours in the span's zone."""
    return [d for d in days if local_day_bounds(d, span.zone)[1] - local_day_bounds(d, span.zone)[0] != 86400]


def day_asks(rng: random.Random, camera_ids: list[str], span: Span, count: int) -> list[Ask]:
    """`count` random (camera, day) pairs; the DST days come first so a short run has them too."""
    days = local_days(span)
    chosen = dst_days(days, span)[:count]
    chosen += [rng.choice(days) for _ in range(count - len(chosen))]
    return [Ask(rng.choice(camera_ids), d, *local_day_bounds(d, span.zone)) for d in chosen]


def month_asks(rng: random.Random, camera_ids: list[str], span: Span, count: int) -> list[Ask]:
    """`count` random (camera, month) pairs over the months the span touches."""
    months = sorted({d[:7] for d in local_days(span)})
    return [Ask(rng.choice(camera_ids), m, *local_month_bounds(m, span.zone))
            for m in (rng.choice(months) for _ in range(count))]


def apart(candidates: list[Ask], timed: list[Ask], count: int) -> list[Ask]:
    """`count` warm-up asks from the candidates, each (camera, period) kept out of the timed set
    where the candidates allow it (so no timed request finds its answer already warm)."""
    taken = {(a.camera_id, a.period) for a in timed}
    fresh = list({(a.camera_id, a.period): a for a in candidates if (a.camera_id, a.period) not in taken}.values())
    return (fresh + [a for a in candidates if (a.camera_id, a.period) in taken])[:count]


def days_covered(rows: list[tuple[float, float]], ask: Ask, span: Span) -> list[str]:
    """The local dates of the month that some of the recordings overlap (what `days` must say)."""
    found = set()
    for start, end in rows:
        first = datetime.fromtimestamp(max(start, ask.start), span.zone).date()
        last = datetime.fromtimestamp(min(end, ask.end) - 1e-6, span.zone).date()
        day = first
        while day <= last:
            found.add(day.isoformat())
            day += timedelta(days=1)
    return sorted(d for d in found if d.startswith(ask.period))
