"""Run every benchmark module in this folder and print its side-by-side ratios."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def main() -> int:
    """Run each ``bench_*.py`` file's ``main()`` in turn."""
    here = Path(__file__).parent
    names = sys.argv[1:]
    for path in sorted(here.glob("bench_*.py")):
        if names and path.stem not in names:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"== {path.stem}")
        module.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
