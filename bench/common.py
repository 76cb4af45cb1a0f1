"""Shared benchmark helpers: CPU and memory of whole process trees from /proc, a whole run of a
command measured from outside, percentiles, and the verdict that decides a benchmark's exit status.

CPU of a process tree. `/proc/PID/stat` gives each process its own CPU (utime + stime, all its
threads, those that ended included) and the CPU of the children it has reaped (cutime + cstime,
which hold each reaped child's own CPU plus what that child had reaped in turn). So the CPU a tree
has used so far is, over the processes alive in it (zombies included, their stat is still there),
the sum of own + reaped: a process that exited is counted by its parent once reaped and by itself
until then, never both, and grandchildren are counted the same way one level down. A process that
loses its parent would be reaped by init and lost: the benchmark makes itself the subreaper
(PR_SET_CHILD_SUBREAPER) so such orphans come to it instead, and keeps counting every process it
has seen in the tree wherever it went (they stay zombies, and readable, until the benchmark ends).
"""
import ctypes
import os
import subprocess
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> None:
    """Orphans of this process's descendants are reparented here rather than to init, so their
    CPU cannot leave the accounting by way of init's wait."""
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


@dataclass(frozen=True)
class ProcStat:
    """One line of /proc/PID/stat: times in clock ticks, memory in pages."""
    pid: int
    ppid: int
    comm: str
    state: str
    own: int  # utime + stime
    reaped: int  # cutime + cstime
    start: int  # starttime: with the pid, names one process even after the pid is reused
    rss_pages: int

    @property
    def key(self) -> tuple[int, int]:
        return self.pid, self.start

    @property
    def total(self) -> int:
        return self.own + self.reaped


def proc_stat(pid: int) -> ProcStat | None:
    """The process's stat line, or None when it is gone (reaped)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    head, tail = text.rsplit(")", 1)
    f = tail.split()
    return ProcStat(pid, int(f[1]), head.split("(", 1)[1], f[0], int(f[11]) + int(f[12]),
                    int(f[13]) + int(f[14]), int(f[19]), int(f[21]))


def process_table() -> dict[int, ProcStat]:
    """Every process on the machine, by pid."""
    table = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := proc_stat(int(entry))) is not None:
            table[stat.pid] = stat
    return table


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


@dataclass
class TreeSnapshot:
    """The processes of a tree at one instant."""
    at: float
    members: dict[tuple[int, int], ProcStat]

    @property
    def cpu_ticks(self) -> int:
        return sum(m.total for m in self.members.values())

    @property
    def rss_bytes(self) -> int:
        return sum(m.rss_pages for m in self.members.values() if m.state != "Z") * PAGE_SIZE

    def rss_of(self, pids: set[int]) -> int:
        return sum(m.rss_pages for m in self.members.values() if m.pid in pids and m.state != "Z") * PAGE_SIZE

    def own_ticks(self, pid: int) -> int:
        """The process's own CPU (0 when it is not in the snapshot)."""
        return sum(m.own for m in self.members.values() if m.pid == pid)

    def named(self, comm: str) -> list[ProcStat]:
        return [m for m in self.members.values() if m.comm == comm and m.state != "Z"]


class ProcessTree:
    """Some root processes and all their descendants, including every process seen in the tree
    before that has since lost its parent, and every orphan this (subreaper) process adopted
    that is not one of the children named in `others` (a test camera, say): while one tree is
    measured, an orphan can only come from it.

    `snapshot` reads a consistent instant: it reads the tree twice and retries while a process
    was reaped or born in between (else a child read just before its parent reaped it would be
    counted twice, or one reaped just before being read missed)."""

    def __init__(self, roots: list[int], others: set[int] = frozenset()) -> None:
        self.roots = list(roots)
        self.others = set(others)
        self.seen: dict[tuple[int, int], ProcStat] = {}

    def _members(self, table: dict[int, ProcStat]) -> dict[tuple[int, int], ProcStat]:
        tops = {pid for pid in self.roots if pid in table}
        tops |= {pid for pid, start in self.seen if pid in table and table[pid].start == start}
        tops |= {s.pid for s in table.values() if s.ppid == os.getpid() and s.pid not in self.others}
        by_parent: dict[int, list[int]] = {}
        for stat in table.values():
            by_parent.setdefault(stat.ppid, []).append(stat.pid)
        found, queue = {}, list(tops)
        while queue:
            stat = table[queue.pop()]
            if stat.key not in found:
                found[stat.key] = stat
                queue.extend(by_parent.get(stat.pid, []))
        return found

    def snapshot(self, attempts: int = 50) -> TreeSnapshot:
        first = self._members(process_table())
        for _ in range(attempts):
            second = self._members(process_table())
            if first.keys() == second.keys() and all(first[k].reaped == second[k].reaped for k in first):
                break
            first = second
        self.seen.update(second)
        return TreeSnapshot(time.monotonic(), second)


@dataclass
class Window:
    """A measured stretch: the tree at its start and end, the processes seen in it, and the peak
    resident memory of the whole tree and of its roots."""
    start: TreeSnapshot
    end: TreeSnapshot
    peak_rss: int
    peak_root_rss: int
    samples: int
    seen: dict[tuple[int, int], ProcStat]

    @property
    def seconds(self) -> float:
        return self.end.at - self.start.at

    @property
    def cpu_seconds(self) -> float:
        """CPU of the whole tree over the window, in seconds."""
        return (self.end.cpu_ticks - self.start.cpu_ticks) / CLOCK_TICKS

    def cpu_percent(self, ticks: int | None = None) -> float:
        """CPU as a share of one core: of the whole tree, or of `ticks` used in the window."""
        used = self.end.cpu_ticks - self.start.cpu_ticks if ticks is None else ticks
        return 100 * used / CLOCK_TICKS / self.seconds

    def own_percent(self, pid: int) -> float:
        return self.cpu_percent(self.end.own_ticks(pid) - self.start.own_ticks(pid))

    def reaped_percent(self, pid: int) -> float:
        """CPU of the children the process reaped during the window (their whole lives)."""
        reaped = [sum(m.reaped for m in snap.members.values() if m.pid == pid) for snap in (self.start, self.end)]
        return self.cpu_percent(reaped[1] - reaped[0])

    def exited(self) -> list[ProcStat]:
        """Processes seen during the window that were gone (or zombies) by its end."""
        return [m for k, m in self.seen.items() if k not in self.end.members or self.end.members[k].state == "Z"]


def measure(tree: ProcessTree, seconds: float, step: float = 2.0, on_sample=None) -> Window:
    """Samples the tree every `step` seconds for `seconds`; `on_sample(snapshot)` runs after each
    sample (checks of the outputs, say), the first one included."""
    tree.seen.clear()
    roots = set(tree.roots)
    snap = start = tree.snapshot()
    peak, peak_root, samples = 0, 0, 0
    while True:
        peak, peak_root, samples = max(peak, snap.rss_bytes), max(peak_root, snap.rss_of(roots)), samples + 1
        if on_sample:
            on_sample(snap)
        if (left := seconds - (time.monotonic() - start.at)) <= 0:
            return Window(start, snap, peak, peak_root, samples, dict(tree.seen))
        time.sleep(min(step, left))
        snap = tree.snapshot()


def measure_until(tree: ProcessTree, done, timeout: float, step: float = 0.2, begin=None) -> Window | None:
    """Samples the tree from now until `done()` holds, checking it every `step` seconds; `begin()`
    runs once right after the first sample (the request that starts the work, say), so the window
    holds all the work it causes. None when `done()` did not hold within `timeout` seconds."""
    tree.seen.clear()
    roots = set(tree.roots)
    snap = start = tree.snapshot()
    if begin:
        begin()
    peak, peak_root, samples = 0, 0, 0
    while True:
        peak, peak_root, samples = max(peak, snap.rss_bytes), max(peak_root, snap.rss_of(roots)), samples + 1
        if done():
            end = tree.snapshot()
            return Window(start, end, max(peak, end.rss_bytes), max(peak_root, end.rss_of(roots)), samples + 1, dict(tree.seen))
        if time.monotonic() - start.at > timeout:
            return None
        time.sleep(step)
        snap = tree.snapshot()


def reap_adopted(exclude: set[int] = frozenset()) -> float:
    """Reaps the orphans this subreaper adopted that have exited (not the children it started,
    named in `exclude`, which their own `wait` reaps); answers their CPU seconds."""
    cpu = 0.0
    for stat in process_table().values():
        if stat.ppid == os.getpid() and stat.pid not in exclude and stat.state == "Z":
            _, _, usage = os.wait4(stat.pid, 0)
            cpu += usage.ru_utime + usage.ru_stime
    return cpu


@dataclass
class OutsideRun:
    """A whole run of a command as seen from outside: wall clock from spawn to exit, the
    process's own CPU, and the CPU of every child it started (decoders, probes), in seconds."""
    returncode: int
    wall_seconds: float
    own_cpu: float
    children_cpu: float
    stdout: str
    stderr: str
    outlived: list[str]

    @property
    def cpu(self) -> float:
        return self.own_cpu + self.children_cpu


def run_outside(args: list[str], cwd: str | Path | None = None) -> OutsideRun:
    """Runs `args` to completion and measures it from outside. The exited process is first
    waited for without reaping it (waitid WNOWAIT), so its stat still splits its own CPU from its
    reaped children's; wait4's resource usage then gives the total. Children that outlived it
    (reparented here, the caller being a subreaper) are waited for and added, and named."""
    import tempfile
    before = {s.pid for s in process_table().values() if s.ppid == os.getpid()}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd)
        os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
        wall = time.perf_counter() - started
        zombie = proc_stat(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        total = usage.ru_utime + usage.ru_stime
        own = zombie.own / CLOCK_TICKS if zombie else total
        outlived = []
        for stat in process_table().values():
            if stat.ppid == os.getpid() and stat.pid not in before:
                outlived.append(f"{stat.comm} {stat.pid}")
                _, _, late = os.wait4(stat.pid, 0)
                total += late.ru_utime + late.ru_stime
        out.seek(0)
        err.seek(0)
        return OutsideRun(proc.returncode, wall, own, max(0.0, total - own), out.read().decode(errors="replace"),
                          err.read().decode(errors="replace"), outlived)


def ronin_env(settings: dict[str, str]) -> dict[str, str]:
    """This process's environment without any RONIN_* or DATABASE_URL setting, plus `settings`:
    a `ronin` command the benchmark starts sees only the configuration it is given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RONIN_", "DATABASE_URL"))}
    env.update(settings)
    return env


def on_each_database(databases: list[str], bench) -> None:
    """Calls `bench(database, postgres)` for each of `databases` ("sqlite", "postgres") in turn:
    `postgres` is a throwaway PostgreSQL (tests/support/postgres.py) started once for the
    PostgreSQL runs and stopped after them, None for SQLite."""
    from support.postgres import ThrowawayPostgres
    postgres = ThrowawayPostgres().start() if "postgres" in databases else None
    try:
        for database in databases:
            bench(database, postgres if database == "postgres" else None)
    finally:
        if postgres:
            postgres.stop()


def instant(text: str) -> float:
    """Epoch seconds of an ISO 8601 instant as the API writes them (`…Z`, milliseconds optional)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def iso(seconds: float) -> str:
    """The UTC ISO 8601 form the API accepts, to the second."""
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


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


class Verdict:
    """What a benchmark's exit status says: every target met and every answer agreeing with the
    data it was checked against. A fast figure over wrong or empty answers is a failure."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.failures: list[str] = []

    def target(self, met: bool, what: str) -> str:
        """Records a target; answers the word to print beside it."""
        if not met:
            self.failures.append(f"target missed: {what}")
        return "OK" if met else "MISSED"

    def wrong(self, what: str) -> None:
        """An answer or an output that disagrees with what it was checked against."""
        self.failures.append(what)

    def check(self, holds: bool, what: str) -> bool:
        if not holds:
            self.wrong(what)
        return holds

    def exit_status(self) -> int:
        if not self.failures:
            print(f"\n{self.name}: every target met, every answer checked and agreeing")
            return 0
        print(f"\n{self.name}: FAILED ({len(self.failures)})")
        for failure in self.failures[:40]:
            print(f"  - {failure}")
        if len(self.failures) > 40:
            print(f"  … and {len(self.failures) - 40} more")
        return 1
