"""Mutation testing of lendcrm, one module at a time (`make mutation`, issue #23).

For each module of ``src/lendcrm`` (all those listed in ``modules.toml``, or the ones
named on the command line) this script lays out a scratch copy of the project in
``.mutation/<module>/``, writes a mutmut configuration that mutates only that module
and runs it against the tests ``modules.toml`` maps it to (plus its own doctests),
runs ``mutmut run`` under ``nice`` with the Hypothesis ``ci`` profile (a fixed seed,
so two runs give the same verdicts), and finally prints one table:

    module  mutants  killed  (timeout)  survived  equiv  other  score

``score`` is killed / (mutants - equivalent) in per cent; a timeout counts as killed
(the mutant made the tests hang; ``(timeout)`` says how many), a mutant no test reached counts as survived. The
equivalent mutants are listed, with the reason, in ``equivalent.toml``.

Usage (from the project root; mutmut comes from the ``mutation`` extra)::

    python tests/mutation/run_mutmut.py [--jobs N] [--timeout S] [--report] [MODULE ...]
    python tests/mutation/run_mutmut.py --changed-since REF --slice auto/N [--budget S]
    python tests/mutation/run_mutmut.py --all

MODULE is a path under ``src/`` such as ``lendcrm/_money.py``. The exit status is 1
when a module scores under its target (95 % in the core and ``lendcrm.risk``, 90 %
elsewhere) or did not finish.

Choosing modules. The whole library is about 74,000 mutants; at the 1-4 s per mutant
measured on the 2-core development machine that is one to three days of machine time,
so no single run covers it. ``--all`` runs every module of ``src/lendcrm`` that has a
function to mutate (``make mutation-all``). The bounded run (``make mutation``) takes
the modules whose source, or whose mapped tests, differ from ``--changed-since REF``,
plus one slice of the rest: ``--slice K/N`` cuts the sorted module list into N slices
of about equal size (round robin over the modules ordered by size) and takes slice K;
``auto/N`` takes slice (day number mod N), so consecutive days rotate through the whole
library in N days. ``--budget S`` starts no module after S seconds; a module not
started is listed as not run. The table says how much of the library a run covered:
nothing not run is reported as passing.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SCRATCH = ROOT / ".mutation"

# mutmut's exit codes (mutmut.stats.status_by_exit_code) grouped into the three
# verdicts the table counts; anything else (a crash, a run cut short) is "other".
TIMEOUT_CODES = frozenset({24, -24, 36, 152, 255})
KILLED_CODES = frozenset({1, 3}) | TIMEOUT_CODES
SURVIVED_CODES = frozenset({0, 5, 33})
CORE_TARGET = 95.0
OTHER_TARGET = 90.0


@dataclass(frozen=True)
class Score:
    """The verdicts of one module's mutants."""

    module: str
    mutants: int
    killed: int
    survived: int
    equivalent: int
    other: int
    timeout: int = 0  # of the killed: by running too long (shown so load is visible)

    @property
    def score(self) -> float:
        """Per cent of the non-equivalent mutants killed (100 when there are none)."""
        counted = self.mutants - self.equivalent
        return 100.0 if counted <= 0 else 100.0 * self.killed / counted

    @property
    def target(self) -> float:
        """95 % for the core (``lendcrm/_x.py``) and ``lendcrm.risk``, else 90 %."""
        parts = Path(self.module).parts
        core = len(parts) == 2
        return CORE_TARGET if core or parts[1] == "risk" else OTHER_TARGET


def tally(
    module: str, exit_codes: dict[str, int | None], equivalent: set[str]
) -> Score:
    """Count one module's verdicts from mutmut's exit code per mutant.

    Examples:
        >>> s = tally("lendcrm/_m.py", {"a": 1, "b": 0, "c": 0, "d": 36}, {"c"})
        >>> (s.mutants, s.killed, s.survived, s.equivalent, s.timeout, round(s.score, 1))
        (4, 2, 1, 1, 1, 66.7)
    """
    killed = survived = eq = other = timeout = 0
    for name, code in exit_codes.items():
        if name in equivalent:
            eq += 1
        elif code in KILLED_CODES:
            killed += 1
            timeout += code in TIMEOUT_CODES
        elif code in SURVIVED_CODES:
            survived += 1
        else:
            other += 1
    return Score(module, len(exit_codes), killed, survived, eq, other, timeout)


def table(scores: list[Score]) -> str:
    """The per-module table, one line per module.

    Examples:
        >>> print(table([Score("lendcrm/_m.py", 10, 9, 1, 0, 0)]))
        module                              mutants  killed  (timeout)  survived  equiv  other   score
        lendcrm/_m.py                            10       9          0         1      0      0   90.0%
    """
    head = (
        f"{'module':<34}{'mutants':>9}{'killed':>8}{'(timeout)':>11}{'survived':>10}"
        f"{'equiv':>7}{'other':>7}{'score':>8}"
    )
    rows = [
        f"{s.module:<34}{s.mutants:>9}{s.killed:>8}{s.timeout:>11}{s.survived:>10}"
        f"{s.equivalent:>7}{s.other:>7}{s.score:>7.1f}%"
        for s in scores
    ]
    return "\n".join([head, *rows])


def load_equivalent() -> set[str]:
    """The names of the mutants ``equivalent.toml`` lists."""
    data = tomllib.loads((HERE / "equivalent.toml").read_text("utf-8"))
    return {entry["mutant"] for entry in data.get("equivalent", [])}


def load_modules() -> dict[str, list[str]]:
    """Module path (under ``src/``) → the test paths it is run against."""
    data = tomllib.loads((HERE / "modules.toml").read_text("utf-8"))
    return {name: list(spec["tests"]) for name, spec in data["modules"].items()}


def prepare(module: str, tests: list[str]) -> Path:
    """A fresh scratch copy of the project set up to mutate ``module`` only."""
    work = scratch(module)
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(ROOT / "src", work / "src")
    shutil.copytree(ROOT / "tests", work / "tests")
    shutil.copy2(ROOT / "pyproject.toml", work / "pyproject.toml")
    selection = "\n".join(f"    {p}" for p in [*tests, f"src/{module}"])
    (work / "setup.cfg").write_text(
        "[mutmut]\n"
        "source_paths = src/lendcrm\n"
        f"only_mutate = src/{module}\n"
        f"pytest_add_cli_args_test_selection =\n{selection}\n"
        # the mutated module's doctests are collected once per mutant copy of each
        # function (hundreds of copies of one example); the original's are enough
        "pytest_add_cli_args =\n    -p\n    no:cacheprovider\n    -k\n    not __mutmut_\n"
        # a loaded machine slows every test: a generous limit keeps slow-but-correct
        # runs from being counted as timeouts (which mutmut counts as killed)
        "timeout_multiplier = 50.0\n",
        "utf-8",
    )
    return work


def scratch(module: str) -> Path:
    """The scratch directory of one module."""
    return SCRATCH / module.removesuffix(".py").replace("/", ".")


def results(module: str) -> dict[str, int | None]:
    """mutmut's exit code per mutant of the module's last run ({} if none)."""
    meta = scratch(module) / "mutants" / "src" / f"{module}.meta"
    if not meta.exists():
        sys.stderr.write(f"{module}: no mutmut results in {meta.parent}\n")
        return {}
    data = json.loads(meta.read_text("utf-8"))
    codes: dict[str, int | None] = data["exit_code_by_key"]
    return codes


def run(
    module: str, tests: list[str], jobs: int, timeout: float
) -> dict[str, int | None]:
    """Run mutmut on one module; return its exit code per mutant (partial on timeout)."""
    work = prepare(module, tests)
    mutmut = Path(sys.executable).parent / "mutmut"
    env = {**os.environ, "HYPOTHESIS_PROFILE": "ci", "PYTHONPATH": ""}
    command = ["nice", "-n", "19", str(mutmut), "run", "--max-children", str(jobs)]
    log = work / "mutmut.log"
    with log.open("w") as out:
        try:
            subprocess.run(  # noqa: S603 - our own venv's mutmut, fixed arguments
                command,
                cwd=work,
                env=env,
                stdout=out,
                stderr=out,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            sys.stderr.write(f"{module}: stopped after {timeout:.0f} s (see {log})\n")
    return results(module)


def library_modules() -> dict[str, int]:
    """Every module of ``src/lendcrm`` with something to mutate → its size.

    mutmut mutates only code inside functions and methods, so a module without one
    (a front door of imports, a table of constants) has no mutant and is left out. The
    size is the number of syntax nodes inside functions: it orders and balances the
    slices (mutant counts are proportional to it, and counting real mutants takes
    mutmut minutes).
    """
    sizes = {}
    for path in sorted((ROOT / "src" / "lendcrm").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        functions = [
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        ]
        if functions:
            size = sum(1 for f in functions for _ in ast.walk(f))
            sizes[path.relative_to(ROOT / "src").as_posix()] = size
    return sizes


def slice_of(sizes: dict[str, int], index: int, count: int) -> list[str]:
    """Slice ``index`` of ``count``: round robin over the modules, largest first.

    Examples:
        >>> sizes = {"a.py": 9, "b.py": 7, "c.py": 5, "d.py": 1}
        >>> slice_of(sizes, 0, 2), slice_of(sizes, 1, 2)
        (['a.py', 'c.py'], ['b.py', 'd.py'])
    """
    ordered = sorted(sizes, key=lambda m: (-sizes[m], m))
    return sorted(ordered[index % count :: count])


def parse_slice(text: str, today: dt.date | None = None) -> tuple[int, int]:
    """``K/N`` → (K, N); ``auto/N`` → (day number mod N, N).

    Examples:
        >>> parse_slice("2/7"), parse_slice("auto/7", dt.date(2026, 12, 7))
        ((2, 7), (1, 7))
    """
    index, _, count = text.partition("/")
    n = int(count)
    if n < 1:
        msg = f"--slice {text}: N must be at least 1"
        raise ValueError(msg)
    day = (today or dt.datetime.now(dt.UTC).date()).toordinal()
    k = day % n if index == "auto" else int(index)
    if not 0 <= k < n:
        msg = f"--slice {text}: K must be in 0..{n - 1}"
        raise ValueError(msg)
    return k, n


def changed_since(ref: str, mapping: dict[str, list[str]]) -> list[str]:
    """Modules whose source, or one of whose mapped tests, differs from ``ref``.

    Compares the working tree (committed or not) with the commit where this branch
    left ``ref`` (``git merge-base``), so later work on ``ref`` itself is not counted.
    """
    base = subprocess.run(  # noqa: S603 - git with fixed arguments
        ["git", "merge-base", ref, "HEAD"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    diff = subprocess.run(  # noqa: S603 - git with fixed arguments
        ["git", "diff", "--name-only", base or ref, "--", "src/lendcrm", "tests"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if diff.returncode:
        sys.stderr.write(f"--changed-since {ref}: git diff failed, none taken\n")
        return []
    untracked = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "src/lendcrm", "tests"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    out = diff.stdout.split()
    return modules_touched([*out, *untracked], mapping)


def modules_touched(paths: Iterable[str], mapping: dict[str, list[str]]) -> list[str]:
    """The modules that changed files touch: a source file, or a test mapped to it.

    Examples:
        >>> m = {"lendcrm/_a.py": ["tests/test_a.py"], "lendcrm/_b.py": ["tests/b"]}
        >>> modules_touched(["src/lendcrm/_c.py", "tests/b/test_x.py"], m)
        ['lendcrm/_b.py', 'lendcrm/_c.py']
    """
    touched = set()
    for path in paths:
        if path.startswith("src/") and path.endswith(".py"):
            touched.add(path.removeprefix("src/"))
        for module, tests in mapping.items():
            if any(path == t or path.startswith(t.rstrip("/") + "/") for t in tests):
                touched.add(module)
    return sorted(touched)


def select(args: argparse.Namespace, mapping: dict[str, list[str]]) -> list[str]:
    """The modules this run covers, in the order they run."""
    if args.modules:
        return list(args.modules)
    if args.all:
        return sorted(library_modules())
    if args.changed_since is None and args.slice is None:
        return sorted(mapping)
    sizes = library_modules()
    chosen: list[str] = []
    if args.changed_since is not None:
        chosen += [m for m in changed_since(args.changed_since, mapping) if m in sizes]
    if args.slice is not None:
        k, n = parse_slice(args.slice)
        sys.stdout.write(f"rotating slice {k} of {n} (0..{n - 1})\n")
        chosen += [m for m in slice_of(sizes, k, n) if m not in chosen]
    return chosen


def coverage_line(run: list[str], asked: list[str]) -> str:
    """How much of the library this run covered (by module count and size)."""
    sizes = library_modules()
    total = sum(sizes.values()) or 1
    done = sum(sizes.get(m, 0) for m in run)
    lines = [
        (
            f"covered: {len(run)} of {len(sizes)} modules, about {100 * done / total:.1f} %"
            " of the library's mutants; the rest was not run (make mutation-all runs all)."
        )
    ]
    skipped = [m for m in asked if m not in run]
    if skipped:
        lines.append(f"not run (--budget reached): {', '.join(skipped)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the modules asked for and print the table; 1 if any is under target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "modules", nargs="*", help="e.g. lendcrm/_money.py (default: all listed)"
    )
    parser.add_argument(
        "--jobs", type=int, default=2, help="mutmut workers (default 2)"
    )
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds per module"
    )
    parser.add_argument(
        "--report",
        action="store_true",
        help="only re-tally the last run's results (after editing equivalent.toml)",
    )
    parser.add_argument(
        "--all", action="store_true", help="every module of src/lendcrm (slow: days)"
    )
    parser.add_argument(
        "--changed-since",
        metavar="REF",
        help="the modules whose source or mapped tests differ from git REF",
    )
    parser.add_argument(
        "--slice",
        metavar="K/N",
        help="plus slice K of N of the library (K=auto: day number mod N)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=None,
        help="seconds after which no further module is started",
    )
    args = parser.parse_args(argv)
    mapping = load_modules()
    equivalent = load_equivalent()
    asked = select(args, mapping)
    scores = []
    start = time.monotonic()
    for module in asked:
        if args.budget is not None and time.monotonic() - start > args.budget:
            break
        codes = (
            results(module)
            if args.report
            else run(module, mapping.get(module, ["tests"]), args.jobs, args.timeout)
        )
        scores.append(tally(module, codes, equivalent))
        sys.stdout.write(table(scores[-1:]).splitlines()[1] + "\n")
        sys.stdout.flush()
    sys.stdout.write("\n" + table(scores) + "\n")
    if args.all or args.changed_since is not None or args.slice is not None:
        sys.stdout.write(coverage_line([s.module for s in scores], asked) + "\n")
    failing = [s for s in scores if s.mutants == 0 or s.other or s.score < s.target]
    return 1 if failing or len(scores) < len(asked) else 0


if __name__ == "__main__":
    sys.exit(main())
