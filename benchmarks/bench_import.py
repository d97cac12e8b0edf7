"""Import cost of lendcrm's front doors: ``-X importtime`` and wall time, fresh processes.

Targets (#20, deliverable 5): ``import lendcrm`` <= 150 ms and ``import lendcrm.risk``
<= 300 ms. Every figure comes from a new interpreter (nothing cached in
``sys.modules``), so it is what a user's script pays once:

- **wall**: ``time.perf_counter()`` around the import statement, median of ``RUNS``
  processes with the min–max range;
- **importtime**: the sum of the ``self`` column of ``python -X importtime``, median of
  ``RUNS`` processes (the interpreter's own bookkeeping, close to wall);
- the **floors** the same way: ``import numpy`` and ``import scipy.special``, which
  ``lendcrm.risk`` needs and no import order avoids;
- the **top modules** by cumulative ``-X importtime`` of the last run, to show where
  the time goes.

The source tree measured is this checkout's ``src``; pass other ``src`` folders
(e.g. an export of an older commit) to print their figures beside it as "before".

Run: ``python benchmarks/bench_import.py [before_src ...]``.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

RUNS = 5
TOP = 12
HERE = Path(__file__).resolve().parent.parent / "src"
TARGETS_MS = {"lendcrm": 150.0, "lendcrm.risk": 300.0}
#: Every risk area loaded: what a user of the areas pays (no target; the areas load
#: on first access since #20, so ``import lendcrm.risk`` alone is the front door).
ALL_RISK = "lendcrm.risk.{capital,impairment,portfolio,pricing,project_finance,schedules,scoring}"
FLOORS = ("numpy", "scipy.special")


def _python(src: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(  # noqa: S603 - this interpreter, fixed statements
        [sys.executable, *args], capture_output=True, text=True, check=True, env=env
    )


def _expand(module: str) -> str:
    """``a.{b,c}`` -> ``a.b, a.c`` (the modules one import statement loads)."""
    if "{" not in module:
        return module
    stem, rest = module.split("{")
    return ", ".join(stem + name for name in rest.rstrip("}").split(","))


def wall_ms(module: str, src: Path) -> float:
    """Milliseconds ``import module`` takes in a fresh interpreter (perf_counter)."""
    code = (
        "import time\nt = time.perf_counter()\n"
        f"import {_expand(module)}\nprint(time.perf_counter() - t)"
    )
    return 1000.0 * float(_python(src, "-c", code).stdout)


def importtime(module: str, src: Path) -> tuple[float, list[tuple[float, str]]]:
    """Total ``-X importtime`` ms of ``import module`` and (cumulative ms, name) rows."""
    err = _python(src, "-X", "importtime", "-c", f"import {_expand(module)}").stderr
    total = 0.0
    rows: list[tuple[float, str]] = []
    for line in err.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|")
        total += int(own) / 1000.0
        rows.append((int(cumulative) / 1000.0, name.rstrip()))
    return total, rows


def _summary(values: list[float]) -> str:
    return f"{statistics.median(values):7.1f} ms ({min(values):.0f}–{max(values):.0f})"


def measure(module: str, src: Path) -> tuple[float, float, list[tuple[float, str]]]:
    """Print and return the medians (wall, importtime) of ``import module``."""
    walls = [wall_ms(module, src) for _ in range(RUNS)]
    totals: list[float] = []
    rows: list[tuple[float, str]] = []
    for _ in range(RUNS):
        total, rows = importtime(module, src)
        totals.append(total)
    print(
        f"  import {module:<15} wall {_summary(walls)}   -X importtime {_summary(totals)}"
    )
    return statistics.median(walls), statistics.median(totals), rows


def main() -> None:
    """Print the floors, each source tree's figures and the top modules of this one."""
    trees = [(Path(p).resolve(), "before") for p in sys.argv[1:] if p != "bench_import"]
    trees.append((HERE, "now"))
    print(
        f"fresh interpreter per figure, median of {RUNS} (min–max); load {os.getloadavg()[0]:.1f}"
    )
    print("floors (third-party, unavoidable where needed):")
    for module in FLOORS:
        measure(module, HERE)
    last: dict[str, list[tuple[float, str]]] = {}
    for src, label in trees:
        print(f"{label}: {src}")
        for module, target in TARGETS_MS.items():
            wall, total, rows = measure(module, src)
            verdict = "within" if max(wall, total) <= target else "OVER"
            print(f"    target <= {target:.0f} ms: {verdict}")
            last[module] = rows
        print("    every risk area:")
        last[ALL_RISK] = measure(ALL_RISK, src)[2]
    for module, rows in last.items():
        print(f"top {TOP} modules by cumulative -X importtime, import {module} (now):")
        for cumulative, name in sorted(rows, reverse=True)[:TOP]:
            print(f"  {cumulative:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
