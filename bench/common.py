"""Shared benchmark helpers: CPU and memory of processes from /proc, and printing ratios."""
import os
import time
from dataclasses import dataclass

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, in seconds (0 when it is gone)."""
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_bytes(pid: int) -> int:
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except FileNotFoundError:
        pass
    return 0


def children(pid: int) -> list[int]:
    """Direct children of a process, whichever of its threads started them."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            parent = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append(int(entry))
    return found


@dataclass
class Usage:
    """CPU as a share of one core over the window, and peak resident memory."""
    cpu_percent: float
    peak_rss: int


def measure(pids_by_label: dict[str, list[int]], seconds: float, step: float = 2.0) -> dict[str, Usage]:
    """Samples the processes for `seconds`; each label's CPU is summed over its pids."""
    start_cpu = {label: sum(cpu_seconds(p) for p in pids) for label, pids in pids_by_label.items()}
    peak = {label: 0 for label in pids_by_label}
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        for label, pids in pids_by_label.items():
            peak[label] = max(peak[label], sum(rss_bytes(p) for p in pids))
        time.sleep(step)
    elapsed = time.monotonic() - started
    return {label: Usage(100 * (sum(cpu_seconds(p) for p in pids) - start_cpu[label]) / elapsed, peak[label])
            for label, pids in pids_by_label.items()}


def mib(n: int) -> str:
    return f"{n / 1048576:.1f} MiB"


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) of the values, by linear interpolation between ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Latency:
    """p50, p95 and max of a series of timings, in milliseconds."""
    p50: float
    p95: float
    max: float
    count: int

    @classmethod
    def of(cls, samples_ms: list[float]) -> "Latency":
        return cls(percentile(samples_ms, 50), percentile(samples_ms, 95), max(samples_ms, default=float("nan")),
                   len(samples_ms))

