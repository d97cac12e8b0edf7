"""Bringing a bank's export in: mapping plus one-pass validation, against today's checks.

The export: ``N`` clients (1,000,000 by default) and about ``2 N`` facilities, every
value text as a German core system writes it (``1.234,56``, ``dd.mm.yyyy``, NACE
classes, the bank's product codes), with one row in a thousand broken (a negative
turnover, an unknown client, a blank balance), built with numpy.

Figures (median of three runs, with the range):

- ``today``: `validate_clients_frame` plus `validate_facilities_frame` on the typed
  frames, what a caller of `book_frames`'s inverse ran before (the issue's yardstick);
- ``map``: the two `ColumnMapping.apply` calls alone;
- ``pandas map``: the same parsing written in plain pandas (``str.replace``,
  ``astype(float)``, ``to_datetime`` with the format, a dict ``map``), to show the
  floor of the mapping; results asserted equal to lendcrm's;
- ``ingest``: `check_book_frames` on the raw text (mapping, defaults, every rule,
  ids, references, cycles), raising its one `BatchValidationError`;
- ``quarantine``: the same with ``quarantine=True`` (the rejected rows and their
  dependants set aside, reasons written).

- ``filed`` (with ``--filed SRC``): the same two validators of the release the issue
  was filed against (v0.1, commit 8b0a89a: ``git worktree add /tmp/v01 8b0a89a``,
  then ``--filed /tmp/v01/src``), timed in a child process on the same typed frames:
  the issue's "today" is the day it was written, and the validators have since become
  about four times faster, which moves the ``today`` yardstick with them.

Targets (#16): ingest <= 10 s, <= 4 GB, <= 2x today; quarantine <= 1.2x ingest. Peak
memory is the process's resident peak (``ru_maxrss``) after all runs; each figure is
printed with the 1-minute load average after it and its median CPU time (the machine
may be shared: wall times then depend on the other processes, CPU times much less).

Run: ``python benchmarks/bench_ingest.py [n_clients] [--filed SRC]``.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from lendcrm.errors import BatchValidationError
from lendcrm.frames import validate_clients_frame, validate_facilities_frame
from lendcrm.frames.mapping import Column, ColumnMapping, check_book_frames

RUNS = 3
GERMAN = {"decimal": ",", "thousands": "."}
NACE = np.array(
    ["25.62", "41.20", "49.41", "20.14", "46.90", "62.01", "68.20", "86.10"]
)
PRODUCTS = {"KK": "revolving_credit", "DL": "term_loan", "BR": "bridge"}

CLIENTS_MAP = ColumnMapping(frame="clients", columns=[
    Column(target="client_id", source="KDNR"),
    Column(target="legal_name", source="NAME"),
    Column(target="sector", source="WZ2008", parse="nace"),
    Column(target="country", source="LAND"),
    Column(target="onboarded_on", source="SEIT", parse="date", date_format="%d.%m.%Y"),
    Column(target="currency", constant="EUR"),
    Column(target="annual_revenue", source="UMSATZ", parse="decimal", **GERMAN),
    Column(target="parent_id", source="KONZERN", parse="text"),
])  # fmt: skip
FACILITIES_MAP = ColumnMapping(frame="facilities", columns=[
    Column(target="facility_id", source="KONTO"),
    Column(target="client_id", source="KDNR"),
    Column(target="kind", source="PRODUKT", parse="code", aliases=PRODUCTS),
    Column(target="currency", constant="EUR"),
    Column(target="limit", source="LIMIT", parse="decimal", **GERMAN),
    Column(target="drawn", source="SALDO", parse="decimal", **GERMAN),
    Column(target="start_on", source="BEGINN", parse="date", date_format="%d.%m.%Y"),
    Column(target="maturity_on", source="ENDE", parse="date", date_format="%d.%m.%Y"),
    Column(target="seniority", constant="senior_unsecured"),
    Column(target="reference_rate", constant="EURIBOR_3M"),
    Column(target="margin_bps", constant=150),
    Column(target="status", constant="active"),
])  # fmt: skip


def _ids(prefix: str, n: int) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(np.arange(n).astype(str), 8)).astype(
        object
    )


def _german(cents: np.ndarray) -> list[str]:
    return [
        f"{c // 100:,}".replace(",", ".") + f",{c % 100:02d}" for c in cents.tolist()
    ]


def _dates(days: np.ndarray) -> np.ndarray:
    iso = np.datetime_as_string(np.datetime64("2000-01-01") + days, unit="D")
    parts = np.char.split(iso.astype(str), "-")
    return np.array([f"{d}.{m}.{y}" for y, m, d in parts], dtype=object)


def build_export(n: int, seed: int = 11) -> dict[str, pd.DataFrame]:
    """A raw clients and facilities export of ``n`` clients, one row in 1000 broken."""
    rng = np.random.default_rng(seed)
    ids = _ids("K", n)
    parent = np.full(n, "", dtype=object)
    grouped = rng.random(n) < 0.1
    parent[grouped] = ids[np.maximum(np.flatnonzero(grouped) - 1, 0)]
    parent[0] = ""
    revenue = rng.integers(10_000_00, 500_000_000_00, n)
    revenue[rng.random(n) < 0.001] *= -1
    clients = pd.DataFrame({
        "KDNR": ids, "NAME": np.char.add("Firma ", ids.astype(str)).astype(object),
        "WZ2008": NACE[rng.integers(0, len(NACE), n)].astype(object),
        "LAND": np.full(n, "DE", dtype=object),
        "SEIT": _dates(rng.integers(0, 8000, n)),
        "UMSATZ": [s if r >= 0 else "-" + s for s, r in
                   zip(_german(np.abs(revenue)), revenue, strict=True)],
        "KONZERN": parent,
    })  # fmt: skip
    per = 1 + rng.binomial(2, 0.5, n)
    owner = np.repeat(np.arange(n), per)
    k = owner.size
    client_of = ids[owner].copy()
    client_of[rng.random(k) < 0.001] = "K-UNKNOWN"
    limit = rng.integers(10_000, 5_000_000, k) * 100
    drawn = _german((limit * rng.random(k)).astype(np.int64))
    for i in np.flatnonzero(rng.random(k) < 0.001):
        drawn[i] = ""
    start = rng.integers(7000, 9000, k)
    facilities = pd.DataFrame({
        "KONTO": _ids("F", k), "KDNR": client_of,
        "PRODUKT": np.array(list(PRODUCTS), dtype=object)[rng.integers(0, 3, k)],
        "LIMIT": _german(limit), "SALDO": drawn,
        "BEGINN": _dates(start), "ENDE": _dates(start + rng.integers(365, 3650, k)),
    })  # fmt: skip
    return {"clients": clients, "facilities": facilities}


def pandas_map(raw: pd.DataFrame, numbers: list[str], dates: list[str]) -> pd.DataFrame:
    """The parsing of the mapping in plain pandas (no checks of the text's form)."""
    out = {}
    for column in numbers:
        text = raw[column].str.replace(".", "", regex=False).str.replace(",", ".")
        out[column] = pd.to_numeric(text.where(text != ""), errors="coerce")
    for column in dates:
        out[column] = pd.to_datetime(raw[column], format="%d.%m.%Y").astype(
            "datetime64[ns]"
        )
    return pd.DataFrame(out, index=raw.index)


def _timed(run: Callable[[], object]) -> tuple[float, float, float, float, float]:
    """Median, min and max of ``RUNS`` timings, the 1-minute load average after, and
    the median CPU time of the process (less sensitive to a shared machine's load).
    """
    times, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        with contextlib.suppress(BatchValidationError):  # the export has bad rows
            run()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    load = os.getloadavg()[0]
    return (statistics.median(times), min(times), max(times), load,
            statistics.median(cpu))  # fmt: skip


_FILED = """
import json, os, sys, time
import pandas as pd
from lendcrm.frames import validate_clients_frame, validate_facilities_frame
clients = pd.read_pickle(sys.argv[1])
facilities = pd.read_pickle(sys.argv[2])
times, cpu = [], []
for k in range(int(sys.argv[3]) + 1):  # the first call warms up, untimed
    start, start_cpu = time.perf_counter(), time.process_time()
    validate_clients_frame(clients)
    validate_facilities_frame(facilities)
    if k:
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
print(json.dumps({"times": times, "cpu": cpu, "load": os.getloadavg()[0]}))
"""


def filed_today(
    src: Path, clients: pd.DataFrame, facilities: pd.DataFrame
) -> tuple[float, float, float, float, float]:
    """``today`` on the validators of the source tree ``src`` (the release the issue
    was filed against), in a child process importing lendcrm from there."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = [str(Path(tmp) / "clients.pkl"), str(Path(tmp) / "facilities.pkl")]
        clients.to_pickle(paths[0])
        facilities.to_pickle(paths[1])
        env = {**os.environ, "PYTHONPATH": str(src)}
        out = subprocess.run(  # noqa: S603 - this interpreter, our own script
            [sys.executable, "-c", _FILED, *paths, str(RUNS)],
            env=env, check=True, capture_output=True, text=True,
        )  # fmt: skip
    got = json.loads(out.stdout.splitlines()[-1])
    times = got["times"]
    return (statistics.median(times), min(times), max(times), got["load"],
            statistics.median(got["cpu"]))  # fmt: skip


def _ingest(frames: dict[str, pd.DataFrame], *, quarantine: bool) -> None:
    check_book_frames(
        frames, mappings=[CLIENTS_MAP, FACILITIES_MAP], quarantine=quarantine
    )


def main() -> None:
    """Time and compare; print the figures and the ratios."""
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1_000_000
    filed = (
        Path(sys.argv[sys.argv.index("--filed") + 1]) if "--filed" in sys.argv else None
    )
    raw = build_export(n)
    typed = check_book_frames(
        raw, mappings=[CLIENTS_MAP, FACILITIES_MAP], quarantine=True
    ).frames
    ours = FACILITIES_MAP.map_rows(raw["facilities"]).frame
    theirs = pandas_map(raw["facilities"], ["LIMIT", "SALDO"], ["BEGINN", "ENDE"])
    pd.testing.assert_series_equal(ours["limit"], theirs["LIMIT"], check_names=False)
    pd.testing.assert_series_equal(ours["drawn"], theirs["SALDO"], check_names=False)
    pd.testing.assert_series_equal(
        ours["start_on"], theirs["BEGINN"], check_names=False
    )

    def today() -> None:
        validate_clients_frame(typed.clients)
        validate_facilities_frame(typed.facilities)

    def mapping() -> None:
        CLIENTS_MAP.map_rows(raw["clients"])
        FACILITIES_MAP.map_rows(raw["facilities"])

    def plain() -> None:
        pandas_map(raw["clients"], ["UMSATZ"], ["SEIT"])
        pandas_map(raw["facilities"], ["LIMIT", "SALDO"], ["BEGINN", "ENDE"])

    figures = {
        "today": _timed(today),
        "map": _timed(mapping),
        "pandas map": _timed(plain),
        "ingest": _timed(lambda: _ingest(raw, quarantine=False)),
        "quarantine": _timed(lambda: _ingest(raw, quarantine=True)),
    }
    if filed is not None:
        figures["filed"] = filed_today(filed, typed.clients, typed.facilities)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    facilities = len(raw["facilities"])
    print(f"{n:,} clients, {facilities:,} facilities; peak RSS {peak:.2f} GB")
    print(f"  (machine: {os.cpu_count()} cores; load = 1-minute load average after)")
    for name, (median, low, high, load, cpu) in figures.items():
        print(f"  {name:<11} {median:7.2f} s  ({low:.2f}-{high:.2f})  load {load:.1f}"
              f"  cpu {cpu:.2f} s")  # fmt: skip
    for clock, k in (("wall", 0), ("cpu", 4)):
        ingest, today = figures["ingest"][k], figures["today"][k]
        quarantine, plain = figures["quarantine"][k], figures["pandas map"][k]
        print(f"  {clock:<4} ingest / today      {ingest / today:5.2f}  (target <= 2)")
        print(
            f"  {clock:<4} quarantine / ingest {quarantine / ingest:5.2f}  (target <= 1.2)"
        )
        print(f"  {clock:<4} map / pandas map    {figures['map'][k] / plain:5.2f}")
        if filed is not None:
            print(
                f"  {clock:<4} ingest / filed      {ingest / figures['filed'][k]:5.2f}"
                "  (target <= 2 against the validators of the day the issue was filed)"
            )


if __name__ == "__main__":
    main()
