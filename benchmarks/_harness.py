"""The shared benchmark harness: one workload at 10k, 100k and 1M rows, against its floor.

Every converted benchmark describes a workload as a ``setup(n)`` that builds the data
for ``n`` rows, checks that lendcrm and the floor agree, and returns a `Contest`: the
lendcrm call, the floor (the best plain numpy/pandas code a competent user would
write for the same result) and, where one exists, a peer library. `scale` then times
each contestant ``RUNS`` times per size (median and min–max), prints the workload's
rows with the ratio to the floor, and the growth slope of each contestant: the
log-log slope ``log(t_1M / t_100k) / log(10)``, 1.0 for linear cost, above it for
cost that grows faster than the rows.

The rows are also kept in `ROWS`, so ``benchmarks/run.py`` prints one table of every
workload at the end (``--markdown`` prints it as the table of
``benchmarks/README.md``).

Sizes: ``BENCH_SIZES=10000,100000`` (environment) runs fewer or other sizes, for a
quick look; the figures in the README come from the default three.
"""

from __future__ import annotations

import gc
import math
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

SIZES: tuple[int, ...] = (10_000, 100_000, 1_000_000)
RUNS = 3
#: A slow peer stops repeating once its runs at one size took this long (seconds).
PEER_BUDGET = 20.0


def sizes() -> tuple[int, ...]:
    """The sizes to run: ``BENCH_SIZES`` (comma-separated) or `SIZES`."""
    raw = os.environ.get("BENCH_SIZES", "")
    if not raw.strip():
        return SIZES
    return tuple(int(s.replace("_", "")) for s in raw.split(",") if s.strip())


@dataclass(frozen=True)
class Timing:
    """Median and range of repeated runs, in seconds."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(
        cls, fn: Callable[[], object], runs: int = RUNS, budget: float = math.inf
    ) -> Timing:
        """Time `fn` `runs` times (fewer once `budget` seconds are spent, at least 1)."""
        times: list[float] = []
        while len(times) < runs and sum(times) < budget:
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return cls(statistics.median(times), min(times), max(times), len(times))

    def text(self) -> str:
        """``median (min–max)`` with units chosen for the size of the figure."""
        unit, k = _unit(self.median)
        return (
            f"{_num(self.median * k)} {unit} "
            f"({_num(self.low * k)}–{_num(self.high * k)})"
            + ("" if self.runs >= RUNS else f" [{self.runs} run]")
        )


def _num(v: float) -> str:
    if v >= 100:
        return f"{v:.0f}"
    return f"{v:.1f}" if v >= 10 else f"{v:.2f}"


def _unit(seconds: float) -> tuple[str, float]:
    if seconds >= 1.0:
        return "s", 1.0
    if seconds >= 1e-3:
        return "ms", 1e3
    return "µs", 1e6


@dataclass(frozen=True)
class Contest:
    """One size of a workload: lendcrm, the floor and an optional peer, all agreeing."""

    ours: Callable[[], object]
    floor: Callable[[], object] | None
    floor_name: str = "numpy"
    peer: Callable[[], object] | None = None
    peer_name: str = ""


#: Builds the data for ``n`` rows, checks agreement, returns the contestants.
Setup = Callable[[int], Contest]


@dataclass(frozen=True)
class Row:
    """The timings of one workload at one size."""

    bench: str
    workload: str
    n: int
    ours: Timing
    floor: Timing | None
    floor_name: str
    peer: Timing | None = None
    peer_name: str = ""

    @property
    def to_floor(self) -> float | None:
        """lendcrm's median over the floor's: 1.0 is at the floor."""
        return None if self.floor is None else self.ours.median / self.floor.median


#: The benchmark module being run (``run.py`` sets it; rows are grouped by it).
BENCH = ""
#: Every row measured in this process, in order (``run.py`` prints them as one table).
ROWS: list[Row] = []


def slope(rows: Sequence[Row], pick: Callable[[Row], Timing | None]) -> float | None:
    """Log-log growth slope between 100k and 1M (the two largest sizes ≥ 100k)."""
    big = [(r.n, pick(r)) for r in rows if r.n >= 100_000]
    points = [(n, t.median) for n, t in big if t is not None]
    if len(points) < 2:
        return None
    (n0, t0), (n1, t1) = points[-2], points[-1]
    return math.log(t1 / t0) / math.log(n1 / n0)


def scale(
    workload: str,
    setup: Setup,
    *,
    at: Sequence[int] | None = None,
    runs: int = RUNS,
) -> list[Row]:
    """Run `setup(n)` at each size, time every contestant, print and keep the rows.

    `at` limits the sizes (for a workload that is not a batch path); the environment's
    ``BENCH_SIZES`` applies within it.
    """
    chosen = (
        sizes() if at is None else tuple(n for n in sizes() if n in at) or tuple(at)
    )
    rows: list[Row] = []
    for n in chosen:
        contest = setup(n)
        peer = (
            None
            if contest.peer is None
            else Timing.of(contest.peer, runs, budget=PEER_BUDGET)
        )
        rows.append(
            Row(
                bench=BENCH,
                workload=workload,
                n=n,
                ours=Timing.of(contest.ours, runs),
                floor=None if contest.floor is None else Timing.of(contest.floor, runs),
                floor_name=contest.floor_name,
                peer=peer,
                peer_name=contest.peer_name,
            )
        )
        del contest
        gc.collect()
    ROWS.extend(rows)
    print_table(rows)
    return rows


def cached(build: Callable[[int], T]) -> Callable[[int], T]:
    """`build(n)`, kept for the last `n` only: workloads on the same data share it."""
    last: dict[int, T] = {}

    def get(n: int) -> T:
        if n not in last:
            last.clear()
            gc.collect()
            last[n] = build(n)
        return last[n]

    return get


def _slope_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def table_lines(rows: Sequence[Row], *, markdown: bool = False) -> list[str]:
    """The rows as text (or markdown) lines, with each workload's slopes."""
    head = (
        "workload",
        "n",
        "lendcrm",
        "floor",
        "÷ floor",
        "peer",
        "peer ÷ lendcrm",
        "slope lendcrm / floor",
    )
    body: list[tuple[str, ...]] = []
    groups: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        groups.setdefault((r.bench, r.workload), []).append(r)
    for (_, workload), group in groups.items():
        s_ours = slope(group, lambda r: r.ours)
        s_floor = slope(group, lambda r: r.floor)
        for k, r in enumerate(group):
            last = k == len(group) - 1
            body.append(
                (
                    workload if k == 0 else "",
                    f"{r.n:,}",
                    r.ours.text(),
                    "" if r.floor is None else f"{r.floor_name}: {r.floor.text()}",
                    "" if r.to_floor is None else f"{r.to_floor:.2f}×",
                    "" if r.peer is None else f"{r.peer_name}: {r.peer.text()}",
                    "" if r.peer is None else f"{r.peer.median / r.ours.median:.1f}×",
                    f"{_slope_text(s_ours)} / {_slope_text(s_floor)}"
                    if last and s_ours is not None
                    else "",
                )
            )
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
        return lines
    widths = [max(len(c) for c in col) for col in zip(head, *body, strict=True)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return [fmt.format(*head).rstrip()] + [fmt.format(*c).rstrip() for c in body]


def print_table(rows: Sequence[Row], *, markdown: bool = False) -> None:
    """Print `table_lines`."""
    for line in table_lines(rows, markdown=markdown):
        print(line)


def machine() -> str:
    """CPU model, cores and load average of this machine, for the README's table."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = Path("/proc/loadavg")
    avg = " ".join(load.read_text().split()[:3]) if load.exists() else "n/a"
    return f"{model}, {os.cpu_count()} cores, load average {avg}"
