"""Core benchmarks: frame validation vs a bare pandas pass, and the two round trips.

Figures printed (medians of a few runs, peak memory from a separate traced run):

1. ``validate_clients_frame`` on a 1M-row clients frame vs ``frame.isna().any()`` over
   the same frame in the same run (target ratio <= 3x).
2. entities -> frames -> entities for 100k clients (``book_frames`` + ``book_from_frames``).
3. ``to_dict`` / ``from_dict`` for 100k facilities.

Validation runs on two 1M-row frames: one built here with numpy (plain ``str`` columns)
and one from ``lendcrm.synthetic.generate_frames`` (categorical codes) when available.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal

import attrs
import numpy as np
import pandas as pd

from lendcrm import (
    Book,
    Client,
    ClientId,
    Facility,
    FacilityId,
    FacilityKind,
    FacilityStatus,
    Money,
    Pricing,
    Sector,
    Seniority,
)
from lendcrm.frames import (
    CLIENTS_DTYPES,
    book_frames,
    book_from_frames,
    validate_clients_frame,
)
from lendcrm.serialization import from_dict, to_dict

N_FRAME = 1_000_000
N_ENTITIES = 100_000
REPEATS = 7
#: Timed runs of the 100k-entity round trips (each takes tens of seconds on 2 cores).
REPEATS_LARGE = 2


def _median_seconds(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _paired_medians(
    a: Callable[[], object], b: Callable[[], object], repeats: int
) -> tuple[float, float]:
    """Alternate a and b so both see the same machine load; medians of each."""
    ta, tb = [], []
    for _ in range(repeats):
        ta.append(_median_seconds(a, 1))
        tb.append(_median_seconds(b, 1))
    return statistics.median(ta), statistics.median(tb)


def _peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def clients_frame_1m(n: int, seed: int = 7) -> pd.DataFrame:
    """A valid clients frame of ``n`` rows with the schema's columns and dtypes."""
    rng = np.random.default_rng(seed)
    sectors = np.array([s.value for s in Sector])
    countries = np.array(["DE", "FR", "PL", "NL", "ES", "IT", "US", "GB"])
    currencies = np.array(["EUR", "USD", "GBP"])
    ids = np.char.add("C", np.arange(n).astype(str))
    onboarded = np.datetime64("2010-01-01") + rng.integers(0, 5000, n).astype(
        "timedelta64[D]"
    )
    has_parent = rng.random(n) < 0.2
    parent = np.roll(ids, 1).astype(object)
    parent[~has_parent] = None
    revenue_to_bank = rng.lognormal(11, 1.5, n).round(2)
    data = {
        "client_id": ids,
        "legal_name": np.char.add("Company ", np.arange(n).astype(str)),
        "sector": rng.choice(sectors, n),
        "country": rng.choice(countries, n),
        "parent_id": parent,
        "onboarded_on": onboarded.astype("datetime64[ns]"),
        "currency": rng.choice(currencies, n),
        "annual_revenue": rng.lognormal(16, 1.5, n).round(2),
        "measured_on": np.full(n, np.datetime64("2025-12-31", "ns")),
        "revenue_to_bank": revenue_to_bank,
        "profit_to_bank": (revenue_to_bank * rng.normal(0.3, 0.3, n)).round(2),
        "product_count": rng.integers(1, 12, n),
        "transaction_count": rng.integers(0, 5000, n),
        "last_transaction_on": np.full(n, np.datetime64("2025-12-20", "ns")),
        "referral_count": rng.poisson(0.3, n),
        "rating_grade": rng.choice(np.array(["AA", "A", "BBB", "BB", "B"]), n),
        "default_probability": rng.beta(1, 60, n),
        "on_watchlist": rng.random(n) < 0.03,
    }
    frame = pd.DataFrame(data)
    return frame.astype(dict(CLIENTS_DTYPES))


def _book(n: int) -> Book:
    eur = "EUR"
    clients = []
    facilities = []
    pricing = Pricing(
        reference_rate="EURIBOR_3M",
        margin_bps=200,
        arrangement_fee=Money(Decimal("1000.00"), eur),
    )
    for i in range(n):
        cid = ClientId(f"C{i}")
        clients.append(
            Client(
                id=cid,
                legal_name=f"Company {i}",
                sector=Sector.MANUFACTURING,
                country="DE",
                onboarded_on=dt.date(2015, 1, 1) + dt.timedelta(days=i % 3000),
                annual_revenue=Money(Decimal(1_000_000 + i).scaleb(-2), eur),
            )
        )
        facilities.append(
            Facility(
                id=FacilityId(f"F{i}"),
                client_id=cid,
                kind=FacilityKind.TERM_LOAN,
                currency=eur,
                limit=Money(Decimal(500_000 + i), eur),
                drawn=Money(Decimal(250_000 + i).scaleb(-1), eur),
                start_on=dt.date(2024, 1, 1),
                maturity_on=dt.date(2030, 1, 1),
                seniority=Seniority.SENIOR_SECURED,
                pricing=pricing,
                status=FacilityStatus.ACTIVE,
                default_probability=0.01,
            )
        )
    return Book(clients=tuple(clients), facilities=tuple(facilities))


def _bench_validation_on(frame: pd.DataFrame, source: str) -> None:
    validate_clients_frame(frame)  # warm up, and prove the frame is valid
    ours, bare = _paired_medians(
        lambda: validate_clients_frame(frame), lambda: frame.isna().any(), REPEATS
    )
    mem = _peak_mib(lambda: validate_clients_frame(frame))
    mem_bare = _peak_mib(lambda: frame.isna().any())
    print(
        f"validate_clients_frame, {len(frame):,} rows x {frame.shape[1]} cols ({source})"
    )
    print(
        f"  lendcrm {ours * 1e3:8.1f} ms   pandas isna().any() {bare * 1e3:8.1f} ms   "
        f"ratio {ours / bare:5.2f}x (target <= 3x)"
    )
    print(f"  peak memory: lendcrm {mem:7.1f} MiB   isna().any() {mem_bare:7.1f} MiB")


def bench_validation() -> None:
    # str columns throughout: the harder case for pandas (object hashing)
    _bench_validation_on(clients_frame_1m(N_FRAME), "numpy-built, str columns")
    try:
        from lendcrm.synthetic import generate_frames
    except ImportError as exc:
        print(f"  lendcrm.synthetic not available ({exc}); skipped the synthetic frame")
        return
    start = time.perf_counter()
    synthetic = generate_frames(N_FRAME, seed=7, as_of=dt.date(2026, 1, 1))
    print(f"generate_frames({N_FRAME:,}): {time.perf_counter() - start:.1f} s")
    _bench_validation_on(synthetic.clients, "lendcrm.synthetic, categorical codes")


def bench_frames_round_trip() -> None:
    book = _book(N_ENTITIES)
    t_out = _median_seconds(lambda: book_frames(book), REPEATS_LARGE)
    frames = book_frames(book)
    t_back = _median_seconds(lambda: book_from_frames(frames), REPEATS_LARGE)
    back: list[Book] = []
    mem = _peak_mib(lambda: back.append(book_from_frames(book_frames(book))))
    assert back[0] == book  # the round trip is exact
    print(
        f"entities -> frames -> entities, {N_ENTITIES:,} clients + {N_ENTITIES:,} facilities"
    )
    print(
        f"  book_frames {t_out:6.2f} s   book_from_frames {t_back:6.2f} s   "
        f"({(t_out + t_back) / (2 * N_ENTITIES) * 1e6:5.1f} us per entity)   "
        f"peak {mem:7.1f} MiB"
    )


def bench_dicts() -> None:
    facilities = _book(N_ENTITIES).facilities
    t_out = _median_seconds(lambda: [to_dict(f) for f in facilities], REPEATS_LARGE)
    # reference: attrs.asdict, a plain unstructure with no Decimal/date/enum conversion
    t_asdict = _median_seconds(
        lambda: [attrs.asdict(f) for f in facilities], REPEATS_LARGE
    )
    dicts = [to_dict(f) for f in facilities]
    t_back = _median_seconds(
        lambda: [from_dict(d, Facility) for d in dicts], REPEATS_LARGE
    )
    # reference: rebuilding each facility from its own (already typed) field values,
    # i.e. the entity's validation alone, without parsing a dict
    fields = [attrs.asdict(f, recurse=False) for f in facilities]
    t_init = _median_seconds(lambda: [Facility(**kw) for kw in fields], REPEATS_LARGE)
    assert [from_dict(d, Facility) for d in dicts[:100]] == list(facilities[:100])
    mem = _peak_mib(lambda: [from_dict(to_dict(f), Facility) for f in facilities])
    print(f"to_dict / from_dict, {N_ENTITIES:,} facilities")
    print(
        f"  to_dict   {t_out:6.2f} s ({t_out / N_ENTITIES * 1e6:5.1f} us each)   "
        f"attrs.asdict {t_asdict:6.2f} s   ratio {t_out / t_asdict:4.2f}x"
    )
    print(
        f"  from_dict {t_back:6.2f} s ({t_back / N_ENTITIES * 1e6:5.1f} us each)   "
        f"Facility(**fields) {t_init:6.2f} s   ratio {t_back / t_init:4.2f}x"
    )
    print(f"  peak memory of to_dict + from_dict: {mem:7.1f} MiB")


def main() -> None:
    bench_validation()
    bench_frames_round_trip()
    bench_dicts()


if __name__ == "__main__":
    main()
