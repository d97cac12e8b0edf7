"""Core benchmarks: frame validation vs a bare pandas pass, and the two round trips.

On the shared harness (`_harness`: 10k, 100k and 1M rows, median of 3 with range,
the floor beside it, the growth slope):

1. ``validate_clients_frame`` vs ``frame.isna().any()`` over the same frame (target
   ratio <= 3x), on two frames: one built here with numpy (``str`` columns: Arrow
   strings with pyarrow, Python strings without) and one from
   ``lendcrm.synthetic.generate_frames`` (categorical codes).
2. ``book_from_frames`` for a book of n clients + n facilities (the entity face)
   vs the entity constructors alone on the same field values (``Client(**fields)``:
   the least any frames -> entities path must pay). At 10k and 100k only: a 1M
   book is 2M entities, minutes per run and several GB on these machines.

Printed on their own (``python benchmarks/bench_core.py <name>`` runs one):

3. ``round_trip``: entities -> frames -> entities for 100k clients.
4. ``dicts``: ``to_dict`` / ``from_dict`` for 100k facilities.
5. ``history``: frames -> entities -> frames of a 100k-client book with twelve monthly
   periods of histories (measures and facility observations monthly, ratings and
   collateral valuations quarterly, statements half-yearly), beside the same book's
   single-period round trip.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from decimal import Decimal

import _harness
import attrs
import numpy as np
import numpy.typing as npt
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
    MEASURES_DTYPES,
    OBSERVATIONS_DTYPES,
    RATINGS_DTYPES,
    STATEMENTS_DTYPES,
    VALUATIONS_DTYPES,
    BookFrames,
    book_frames,
    book_from_frames,
    validate_clients_frame,
)
from lendcrm.serialization import from_dict, to_dict

N_ENTITIES = 100_000
#: Timed runs of the 100k-entity round trips (each takes tens of seconds on 2 cores).
REPEATS_LARGE = 2


def _median_seconds(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def clients_frame(n: int, seed: int = 7) -> pd.DataFrame:
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
    # optional schema columns (relationship_manager) are left out of this frame
    return frame.astype({k: v for k, v in CLIENTS_DTYPES.items() if k in frame})


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


def _validation(build: Callable[[int], pd.DataFrame]) -> _harness.Setup:
    """``validate_clients_frame`` on ``build(n)`` against a bare ``isna().any()``."""

    def at(n: int) -> _harness.Contest:
        frame = build(n)
        validate_clients_frame(frame)  # warm up, and prove the frame is valid
        return _harness.Contest(
            ours=lambda: validate_clients_frame(frame),
            floor=lambda: frame.isna().any(),
            floor_name="isna().any()",
        )

    return at


def _synthetic_clients(n: int) -> pd.DataFrame:
    from lendcrm.synthetic import generate_frames

    return generate_frames(n, seed=7, as_of=dt.date(2026, 1, 1), periods=1).clients


def bench_validation() -> None:
    # str columns: Arrow strings with pyarrow (pandas 3's default), else Python ones
    _harness.scale(
        "validate_clients_frame, numpy-built str columns", _validation(clients_frame)
    )
    try:
        import lendcrm.synthetic  # noqa: F401
    except ImportError as exc:
        print(f"  lendcrm.synthetic not available ({exc}); skipped the synthetic frame")
        return
    _harness.scale(
        "validate_clients_frame, generate_frames (categorical codes)",
        _validation(_synthetic_clients),
    )


def _constructors(book: Book) -> Callable[[], Book]:
    """The book's entities rebuilt from their own field values (validation alone)."""
    clients = [attrs.asdict(c, recurse=False) for c in book.clients]
    facilities = [attrs.asdict(f, recurse=False) for f in book.facilities]

    def build() -> Book:
        return Book(
            clients=tuple(Client(**kw) for kw in clients),
            facilities=tuple(Facility(**kw) for kw in facilities),
        )

    return build


def _book_from_frames(n: int) -> _harness.Contest:
    book = _book(n)
    frames = book_frames(book)
    floor = _constructors(book)
    assert book_from_frames(frames) == book == floor()  # the same entities
    return _harness.Contest(
        ours=lambda: book_from_frames(frames),
        floor=floor,
        floor_name="constructors alone",
    )


def bench_book_from_frames() -> None:
    _harness.scale(
        "book_from_frames, n clients + n facilities",
        _book_from_frames,
        at=(10_000, 100_000),
    )


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


# --- a 12-period book: the synthetic frames plus numpy-drawn histories -----------------
N_PERIODS = 12
AS_OF = dt.date(2025, 12, 31)


def _month_ends(
    last: npt.NDArray[np.datetime64], back: npt.NDArray[np.int_]
) -> npt.NDArray[np.datetime64]:
    """The month end ``back`` months before the month of each date in ``last``."""
    month = last.astype("datetime64[M]") - back
    return ((month + 1).astype("datetime64[D]") - 1).astype("datetime64[ns]")


def _cents(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Whole cents as float64: the nearest float to each cent amount (lossless)."""
    return np.rint(values * 100) / 100


def _series(n_owners: int, n: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """(owner position, period 0..n-1) of each row, owners in order, oldest first."""
    return np.repeat(np.arange(n_owners), n), np.tile(np.arange(n), n_owners)


def _measures(clients: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    c = clients[clients["measured_on"].notna()]
    owner, k = _series(len(c), N_PERIODS)
    last = k == N_PERIODS - 1
    end = c["measured_on"].to_numpy()[owner]
    on = np.where(last, end, _month_ends(end, N_PERIODS - 1 - k))
    revenue = c["revenue_to_bank"].to_numpy()[owner]
    profit = c["profit_to_bank"].to_numpy()[owner]
    drift = rng.uniform(0.7, 1.1, len(owner))
    txn_on = on - rng.integers(0, 20, len(owner)).astype("timedelta64[D]")
    frame = pd.DataFrame({
        "client_id": c["client_id"].to_numpy()[owner],
        "measured_on": on,
        "revenue_to_bank": np.where(last, revenue, _cents(revenue * drift)),
        "profit_to_bank": np.where(last, profit, _cents(profit * drift)),
        "product_count": np.where(last, c["product_count"].to_numpy()[owner],
                                  rng.integers(0, 8, len(owner))),
        "transaction_count": np.where(last, c["transaction_count"].to_numpy()[owner],
                                      rng.integers(0, 500, len(owner))),
        "last_transaction_on": np.where(last, c["last_transaction_on"].to_numpy()[owner],
                                        txn_on),
        "referral_count": np.where(last, c["referral_count"].to_numpy()[owner],
                                   rng.poisson(0.1, len(owner))),
    })  # fmt: skip
    return frame.astype(dict(MEASURES_DTYPES))


def _ratings(clients: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    c = clients[clients["rating_grade"].notna()]
    n = N_PERIODS // 3  # quarterly
    owner, k = _series(len(c), n)
    last = k == n - 1
    grades = c["rating_grade"].astype(str).to_numpy()
    drawn_grade = rng.integers(1, 11, len(owner)).astype(str)
    override = ~last & (rng.random(len(owner)) < 0.05)
    pd_last = c["default_probability"].to_numpy()[owner]
    reason = np.full(len(owner), None, dtype=object)
    reason[override] = "sector outlook"
    frame = pd.DataFrame({
        "client_id": c["client_id"].to_numpy()[owner],
        "rated_on": _month_ends(c["measured_on"].to_numpy()[owner], 3 * (n - 1 - k)),
        "rating_grade": np.where(last, grades[owner], drawn_grade),
        "default_probability": np.where(last, pd_last, rng.beta(1, 60, len(owner))),
        "rater": "corp-model-v3",
        "rating_override": override,
        "override_reason": reason,
    })  # fmt: skip
    return frame.astype(dict(RATINGS_DTYPES))


def _statements(clients: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = 2  # half-yearly
    owner, k = _series(len(clients), n)
    m = len(owner)
    half_year = clients["annual_revenue"].to_numpy()[owner] / 2
    revenue = _cents(half_year * rng.uniform(0.8, 1.2, m))
    ebitda = _cents(revenue * rng.uniform(-0.05, 0.25, m))
    debt = _cents(revenue * rng.uniform(0.0, 3.0, m))
    cash = _cents(revenue * rng.uniform(0.0, 0.3, m))
    liabilities_c = np.rint(debt * 100 * rng.uniform(1.0, 1.5, m)).astype(np.int64)
    equity_c = np.rint(revenue * 100 * rng.uniform(-0.1, 1.0, m)).astype(np.int64)
    assets_c = liabilities_c + equity_c  # balances exactly, in whole cents
    amounts = {
        "revenue": revenue, "ebitda": ebitda, "ebit": _cents(ebitda * 0.7),
        "interest_expense": _cents(debt * 0.025), "total_debt": debt, "cash": cash,
        "net_debt": np.full(m, np.nan),  # not stated: total_debt - cash
        "total_assets": np.where(assets_c >= 0, assets_c / 100, np.nan),
        "total_liabilities": liabilities_c / 100, "equity": equity_c / 100,
        "current_assets": _cents(revenue * 0.4), "current_liabilities": _cents(revenue * 0.3),
        "capex": _cents(revenue * 0.05), "operating_cash_flow": _cents(ebitda * 0.8),
        "debt_service": _cents(debt * 0.15),
    }  # fmt: skip
    frame = pd.DataFrame({
        "client_id": clients["client_id"].to_numpy()[owner],
        "period_end": _month_ends(np.full(m, np.datetime64(AS_OF, "ns")), 6 * (n - 1 - k)),
        "currency": clients["currency"].astype(str).to_numpy()[owner],
        "period_months": 6,
        **amounts,
    })  # fmt: skip
    return frame.astype(dict(STATEMENTS_DTYPES))


def _observations(facilities: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    owner, k = _series(len(facilities), N_PERIODS)
    m = len(owner)
    limit = facilities["limit"].to_numpy()[owner]
    dpd = np.where(rng.random(m) < 0.03, rng.integers(1, 180, m), 0)
    frame = pd.DataFrame({
        "facility_id": facilities["facility_id"].to_numpy()[owner],
        "period_end": _month_ends(np.full(m, np.datetime64(AS_OF, "ns")), N_PERIODS - 1 - k),
        "drawn": _cents(limit * rng.uniform(0.0, 1.0, m)),
        "limit": limit,
        "days_past_due": dpd,
        "in_default": dpd >= 90,
        "forborne": rng.random(m) < 0.01,
    })  # fmt: skip
    return frame.astype(dict(OBSERVATIONS_DTYPES))


def _valuations(collateral: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = N_PERIODS // 3  # quarterly
    owner, k = _series(len(collateral), n)
    m = len(owner)
    index = collateral.groupby("facility_id", sort=False).cumcount().to_numpy()
    frame = pd.DataFrame({
        "facility_id": collateral["facility_id"].to_numpy()[owner],
        "collateral_index": index[owner],
        "valued_on": _month_ends(np.full(m, np.datetime64(AS_OF, "ns")), 3 * (n - 1 - k)),
        "collateral_value": _cents(collateral["value"].to_numpy()[owner]
                                   * rng.uniform(0.8, 1.2, m)),
        "valuation_method": np.where(k == 0, "full_appraisal", "indexed"),
    })  # fmt: skip
    return frame.astype(dict(VALUATIONS_DTYPES))


def frames_with_histories(base: BookFrames, seed: int = 7) -> BookFrames:
    """``base`` plus twelve periods of every history, drawn with numpy."""
    rng = np.random.default_rng(seed)
    return attrs.evolve(
        base,
        measures=_measures(base.clients, rng),
        ratings=_ratings(base.clients, rng),
        statements=_statements(base.clients, rng),
        observations=_observations(base.facilities, rng),
        valuations=_valuations(base.collateral, rng),
    )


def _round_trip_times(frames: BookFrames) -> tuple[float, float]:
    """Median seconds of frames -> entities and of entities -> frames (checked exact)."""
    t_back = _median_seconds(lambda: book_from_frames(frames), REPEATS_LARGE)
    book = book_from_frames(frames)
    t_out = _median_seconds(lambda: book_frames(book), REPEATS_LARGE)
    assert book_from_frames(book_frames(book)) == book  # lossless
    return t_back, t_out


def bench_history_round_trip(n_clients: int = N_ENTITIES) -> None:
    from lendcrm.synthetic import generate_frames

    base = generate_frames(n_clients, seed=7, as_of=AS_OF).book_frames()
    frames = frames_with_histories(base)
    names = ("measures", "ratings", "statements", "observations", "valuations")
    rows = {name: len(getattr(frames, name)) for name in names}
    single = _round_trip_times(base)
    history = _round_trip_times(frames)
    records = sum(rows.values())
    print(
        f"frames -> entities -> frames, {n_clients:,} clients, "
        f"{len(base.facilities):,} facilities, {N_PERIODS} periods of histories"
    )
    print("  history rows: " + ", ".join(f"{k} {v:,}" for k, v in rows.items()))
    for label, (t_back, t_out) in (
        ("single period", single),
        ("12 periods", history),
    ):
        print(
            f"  {label:13}  book_from_frames {t_back:6.2f} s   book_frames "
            f"{t_out:6.2f} s   total {t_back + t_out:6.2f} s"
        )
    extra = history[0] + history[1] - single[0] - single[1]
    print(
        f"  the histories add {extra:6.2f} s for {records:,} records "
        f"({extra / records * 1e6:5.1f} us per record, both ways); lossless: yes"
    )


def main(only: Sequence[str] = ()) -> None:
    benches = {
        "validation": bench_validation,
        "book_from_frames": bench_book_from_frames,
        "round_trip": bench_frames_round_trip,
        "dicts": bench_dicts,
        "history": bench_history_round_trip,
    }
    # the harness workloads by default; the others when named
    chosen = only or ("validation", "book_from_frames")
    for name, bench in benches.items():
        if name in chosen:
            bench()


if __name__ == "__main__":
    main(sys.argv[1:])
