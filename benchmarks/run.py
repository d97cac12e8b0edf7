"""Run the benchmark modules in this folder and print one table of every workload.

``python benchmarks/run.py [bench_x ...] [--markdown]``: runs each named
``bench_*.py`` (all by default) in turn; each prints its own details, then the
workloads measured through the shared harness (`_harness`) are printed again as one
table: median (min–max) of three runs at 10k, 100k and 1M rows, the ratio to the
plain numpy/pandas floor, the peer, and the growth slope from 100k to 1M.
``--markdown`` prints that table as the one in ``benchmarks/README.md``, with the
machine named.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import _harness


def main() -> int:
    """Run each ``bench_*.py`` file's ``main()`` in turn, then the summary table."""
    here = Path(__file__).parent
    args = sys.argv[1:]
    markdown = "--markdown" in args
    names = [a for a in args if not a.startswith("--")]
    for path in sorted(here.glob("bench_*.py")):
        if names and path.stem not in names:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"== {path.stem}")
        _harness.BENCH = path.stem
        module.main()
    if _harness.ROWS:
        print(f"\n== summary ({_harness.machine()})")
        _harness.print_table(_harness.ROWS, markdown=markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
