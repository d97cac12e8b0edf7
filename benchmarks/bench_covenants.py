"""Covenant tests for 1,000,000 facility-test dates (#12; target <= 1 s).

A synthetic book of corporate facilities, each with two covenants drawn from the five
statement metrics (net debt / EBITDA, interest cover, debt to equity, current ratio,
corporate DSCR; floors and caps with lock-up and default levels), tested quarterly
for two years on quarterly statements of their clients (some amounts not given).

Three ways to the same numbers, each the median of 3 runs with its range:

- ``lendcrm arrays``: `covenant_tests` on the array inputs (ids already codes);
- ``lendcrm frames``: `covenant_compliance` from the frames (validation, coding of
  ids, sorting of the statements included);
- ``plain pandas``: the best plain pandas code for the same work, from the same
  frames — the calendar by month arithmetic and ``Index.repeat``, the latest
  statement by ``merge_asof(by="client_id")``, ratios, headroom and status with
  vector operations, cure with ``groupby().shift()``, per-facility breaches and the
  tightest latest headroom with ``groupby``.

The pandas result is checked against lendcrm's (values, statuses, cures, breaches)
before anything is timed. The shared harness times each way at 10k, 100k and 1M test
rows (the plain pandas code is the floor) and prints the growth slope.
"""

from __future__ import annotations

import datetime as dt

import _harness
import numpy as np
import pandas as pd

from lendcrm._history import STATEMENT_AMOUNTS
from lendcrm.risk.project_finance import (
    CovenantArrays,
    FacilityArrays,
    StatementArrays,
    covenant_tests,
)
from lendcrm.risk.project_finance.frames import covenant_compliance

AS_OF = dt.date(2025, 12, 31)
TESTS_PER_COVENANT = 8  # quarter ends 2024-03-31 .. 2025-12-31
COVENANTS_PER_FACILITY = 2
METRICS = (
    "net_debt_to_ebitda",
    "interest_cover",
    "debt_to_equity",
    "current_ratio",
    "dscr",
)
CAPS = {"net_debt_to_ebitda", "debt_to_equity"}
Frames = dict[str, pd.DataFrame]


def make_frames(n_tests: int, seed: int = 12) -> Frames:
    """Facilities, covenants and statements giving ``n_tests`` facility-test dates."""
    rng = np.random.default_rng(seed)
    n_fac = n_tests // (TESTS_PER_COVENANT * COVENANTS_PER_FACILITY)
    n_clients = max(1, int(n_fac * 0.8))
    fac_ids = np.array([f"F{i}" for i in range(n_fac)], dtype=object)
    client_ids = np.array([f"C{i}" for i in range(n_clients)], dtype=object)
    start = np.datetime64("2024-01-01") + rng.integers(0, 90, n_fac)
    facilities = pd.DataFrame(
        {
            "facility_id": pd.array(fac_ids, dtype="str"),
            "client_id": pd.array(client_ids[rng.integers(0, n_clients, n_fac)], "str"),
            "drawn": rng.uniform(1e5, 1e7, n_fac),
            "start_on": start.astype("datetime64[ns]"),
            "maturity_on": (start + 365 * 5).astype("datetime64[ns]"),
        }
    )
    n_cov = n_fac * COVENANTS_PER_FACILITY
    metric = np.array(METRICS)[rng.integers(0, len(METRICS), n_cov)]
    cap = np.isin(metric, list(CAPS))
    threshold = np.where(cap, 3.5, 1.2)
    covenants = pd.DataFrame(
        {
            "facility_id": pd.array(np.repeat(fac_ids, COVENANTS_PER_FACILITY), "str"),
            "metric": pd.array(metric, "str"),
            "operator": pd.array(np.where(cap, "at_most", "at_least"), "str"),
            "threshold": threshold,
            "lock_up_level": np.where(cap, 4.0, 1.1),
            "default_level": np.where(cap, 5.0, 1.0),
            "test_frequency": pd.array(np.full(n_cov, "quarterly"), "str"),
        }
    )
    quarters = pd.date_range("2023-03-31", "2025-12-31", freq="QE").to_numpy()
    n_st = n_clients * len(quarters)
    ebitda = rng.uniform(10, 100, n_st)
    amounts = {
        "ebitda": ebitda,
        "interest_expense": ebitda / rng.uniform(1.0, 8.0, n_st),
        "total_debt": ebitda * rng.uniform(0.5, 6.0, n_st),
        "cash": ebitda * rng.uniform(0.0, 1.0, n_st),
        "equity": ebitda * rng.uniform(0.5, 4.0, n_st),
        "current_assets": rng.uniform(10, 100, n_st),
        "current_liabilities": rng.uniform(10, 100, n_st),
        "operating_cash_flow": ebitda * rng.uniform(0.5, 1.0, n_st),
        "capex": ebitda * rng.uniform(0.0, 0.3, n_st),
        "debt_service": ebitda * rng.uniform(0.3, 0.8, n_st),
    }
    for name, values in amounts.items():  # about 2 % of each amount not given
        values[rng.random(n_st) < 0.02] = np.nan
        amounts[name] = values
    statements = pd.DataFrame(
        {
            "client_id": pd.array(np.repeat(client_ids, len(quarters)), "str"),
            "period_end": np.tile(quarters, n_clients),
            **{a: amounts.get(a, np.full(n_st, np.nan)) for a in STATEMENT_AMOUNTS},
        }
    )
    return {"facilities": facilities, "covenants": covenants, "statements": statements}


def make_arrays(frames: Frames) -> dict[str, object]:
    """The same book as `covenant_tests` inputs (ids as codes), built once."""
    fac, cov, st = frames["facilities"], frames["covenants"], frames["statements"]
    client, clients = pd.factorize(fac["client_id"])
    st_client = pd.Index(clients).get_indexer(st["client_id"])
    st = st[st_client >= 0]  # statements of clients with a facility, in client order
    st_client = st_client[st_client >= 0]
    order = np.lexsort((st["period_end"].to_numpy(), st_client))
    metric_codes = {
        "dscr": 0,
        "net_debt_to_ebitda": 3,
        "interest_cover": 4,
        "debt_to_equity": 5,
        "current_ratio": 7,
    }
    return {
        "facilities": FacilityArrays(
            start_on=fac["start_on"].to_numpy().astype("datetime64[D]"),
            maturity_on=fac["maturity_on"].to_numpy().astype("datetime64[D]"),
            client=client,
            project=np.full(len(fac), -1),
            drawn=fac["drawn"].to_numpy(),
        ),
        "covenants": CovenantArrays(
            facility=np.repeat(np.arange(len(fac)), COVENANTS_PER_FACILITY),
            metric=cov["metric"].map(metric_codes).to_numpy(),
            operator=(cov["operator"] == "at_most").to_numpy().astype(np.int64),
            threshold=cov["threshold"].to_numpy(),
            lock_up_level=cov["lock_up_level"].to_numpy(),
            default_level=cov["default_level"].to_numpy(),
            frequency_months=np.full(len(cov), 3),
        ),
        "statements": StatementArrays(
            client=st_client[order],
            period_end=st["period_end"].to_numpy().astype("datetime64[D]")[order],
            amounts=st[list(STATEMENT_AMOUNTS)].to_numpy(np.float64)[order],
        ),
    }


def lendcrm_arrays(arrays: dict[str, object]) -> object:
    return covenant_tests(**arrays, as_of=AS_OF, missing="nan")  # type: ignore[arg-type]


def lendcrm_frames(frames: Frames) -> object:
    return covenant_compliance(**frames, as_of=AS_OF, missing="nan")


def _calendar(cov: pd.DataFrame) -> pd.DataFrame:
    """Quarter ends after start, up to maturity and as_of (month arithmetic)."""
    months = {"monthly": 1, "quarterly": 3, "semi_annual": 6, "annual": 12}
    k = cov["test_frequency"].map(months).to_numpy()
    start = cov["start_on"].dt.to_period("M").astype("int64").to_numpy()
    start_day = cov["start_on"].to_numpy()
    first = np.where(
        (cov["start_on"] + pd.offsets.MonthEnd(0)).to_numpy() > start_day,
        start,
        start + 1,
    )
    first = first + (-(first + 1)) % k
    last_day = cov["maturity_on"].clip(upper=pd.Timestamp(AS_OF))
    last = last_day.dt.to_period("M").astype("int64").to_numpy()
    last = np.where((last_day + pd.offsets.MonthEnd(0)) > last_day, last - 1, last)
    last = last - (last + 1) % k
    count = np.where(last >= first, (last - first) // k + 1, 0)
    tests = cov.loc[cov.index.repeat(count)]
    step = tests.groupby(level=0).cumcount().to_numpy()
    month = first.repeat(count) + step * k.repeat(count)
    tests = tests.assign(
        test_date=pd.PeriodIndex.from_ordinals(month, freq="M")
        .to_timestamp(how="end")
        .normalize()
    )
    return tests.rename_axis("covenant").reset_index()


def plain_pandas(frames: Frames) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The best plain pandas code for the same tests."""
    fac, st = frames["facilities"], frames["statements"]
    cov = frames["covenants"].merge(
        fac[["facility_id", "client_id", "start_on", "maturity_on"]], on="facility_id"
    )
    tests = _calendar(cov).sort_values("test_date", kind="stable")
    st = st.sort_values("period_end")
    t = pd.merge_asof(
        tests, st, left_on="test_date", right_on="period_end", by="client_id"
    ).sort_values(["covenant", "test_date"], ignore_index=True)
    net = t["net_debt"].fillna(t["total_debt"] - t["cash"])
    ratios = {
        "net_debt_to_ebitda": (net, t["ebitda"]),
        "interest_cover": (t["ebitda"], t["interest_expense"]),
        "debt_to_equity": (t["total_debt"], t["equity"]),
        "current_ratio": (t["current_assets"], t["current_liabilities"]),
        "dscr": (t["operating_cash_flow"] - t["capex"], t["debt_service"]),
    }
    value = pd.Series(np.nan, index=t.index)
    for name, (top, bottom) in ratios.items():
        rows = t["metric"] == name
        value[rows] = (top / bottom.where(bottom != 0))[rows]
    floor = t["operator"] == "at_least"
    thr, lock, dflt = t["threshold"], t["lock_up_level"], t["default_level"]
    t["value"] = value
    t["headroom"] = np.where(floor, value - thr, thr - value)
    t["headroom_share"] = t["headroom"] / thr.abs()

    def fails(level: pd.Series) -> pd.Series:
        return level.notna() & ~np.where(floor, value >= level, value <= level)

    t["status"] = np.select(
        [value.isna(), fails(dflt), fails(lock), fails(thr)],
        ["missing", "in_default", "locked_up", "below_threshold"],
        "met",
    )
    t["breach"] = ~t["status"].isin(["met", "missing"])
    prev = t.groupby("covenant")["breach"].shift(fill_value=False)
    t["cure"] = prev & (t["status"] == "met")
    recent = t["breach"] & (
        t["test_date"] > pd.Timestamp(AS_OF) - pd.DateOffset(years=1)
    )
    computed = t[t["value"].notna()]
    latest = computed.groupby("covenant").tail(1)
    per_facility = pd.DataFrame(
        {
            "covenant_breaches_12m": recent.groupby(t["facility_id"]).sum(),
            "latest_headroom_share": latest.groupby("facility_id")[
                "headroom_share"
            ].min(),
        }
    ).reindex(fac["facility_id"])
    return t, per_facility


def check_agreement(frames: Frames) -> None:
    ours = lendcrm_frames(frames)
    theirs, per_facility = plain_pandas(frames)
    tests = ours.tests  # type: ignore[attr-defined]
    np.testing.assert_allclose(tests["metric_value"], theirs["value"], rtol=1e-12)
    assert (tests["covenant_status"].astype(str).to_numpy() == theirs["status"]).all()
    assert (tests["cure"].to_numpy() == theirs["cure"].to_numpy()).all()
    summary = ours.facilities  # type: ignore[attr-defined]
    np.testing.assert_array_equal(
        summary["covenant_breaches_12m"],
        per_facility["covenant_breaches_12m"].fillna(0),
    )
    np.testing.assert_allclose(
        summary["latest_headroom_share"], per_facility["latest_headroom_share"]
    )


@_harness.cached
def _book(n: int) -> tuple[Frames, dict[str, object]]:
    frames = make_frames(n)
    return frames, make_arrays(frames)


def setup(way: str) -> _harness.Setup:
    """lendcrm from arrays or from frames, against plain pandas on the same frames."""

    def at(n: int) -> _harness.Contest:
        frames, arrays = _book(n)
        ours = (
            (lambda: lendcrm_arrays(arrays))
            if way == "arrays"
            else (lambda: lendcrm_frames(frames))
        )
        return _harness.Contest(
            ours=ours, floor=lambda: plain_pandas(frames), floor_name="plain pandas"
        )

    return at


def main() -> None:
    check_agreement(make_frames(20_000))
    print(
        "agreement on 20,000 test rows: values (rtol 1e-12), statuses, cures, summaries"
    )
    _harness.scale("covenant_tests (arrays, ids as codes)", setup("arrays"))
    _harness.scale("covenant_compliance (frames)", setup("frames"))
    print("target: 1M facility-test dates <= 1 s")


if __name__ == "__main__":
    main()
