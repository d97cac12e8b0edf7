"""Lifecycle signals from histories: lendcrm against a well-written pandas baseline.

The book: ``n`` clients (10k, 100k, 1M) with one to three facilities each
(about 2 n), every facility observed at thirteen month ends (December 2024 to
December 2025: twelve monthly observations after the year-ago one, so every
year-on-year signal has its base), thirteen monthly measures periods per client and
one to three ratings per client, all built with numpy. Id columns of the child frames
are categoricals whose categories are the owners' ids (the "codes, not strings" rule
of the house style), and the small counts are held in the narrowest integer that
fits them (days past due int16, product and referral counts int8, transactions
int16: the schema asks for whole numbers, not for int64; 0.4 GB less at 1M
clients); both contestants read the same frames.

Contestants, both producing every ``SIG_*`` column for every client:

- lendcrm: `lendcrm.relationship.frames.signals_from_history` (checks included);
- pandas: the same derivation written with ``groupby``/``merge``/``shift``-style
  pandas (`pandas_signals` below), written to be fast: categorical keys, one
  ``groupby`` per aggregation, month periods as integers, no ``apply``.

The two frames are asserted equal (floats to 1e-12 relative), then each contestant is
timed three times (median and range) at 10k, 100k and 1M clients through the shared
harness (the pandas code is the floor), with the ids as categoricals and again as
``str`` columns. Peak memory is the process's resident high-water mark during one
run (reset before it), reported beside the resident size with the frames loaded.

Run: ``python benchmarks/bench_signals.py``.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
from collections.abc import Callable
from pathlib import Path

import _harness
import numpy as np
import pandas as pd

from lendcrm.frames import columns as schema
from lendcrm.relationship.frames import signals_from_history
from lendcrm.risk.scoring import DEFAULT_MASTER_SCALE

AS_OF = dt.date(2025, 12, 31)
MONTHS = 13


# --- the book ---------------------------------------------------------------------------


def _ids(prefix: str, n: int) -> pd.Index:
    width = len(str(n))
    return pd.Index(
        np.char.add(prefix, np.char.zfill(np.arange(n).astype(str), width)).astype(
            object
        ),
        dtype="str",
    )


def _cat(codes: np.ndarray, categories: pd.Index) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype(np.int32), categories=categories)


def _month_ends() -> np.ndarray:
    months = np.arange(
        np.datetime64("2024-12", "M"), np.datetime64("2024-12", "M") + MONTHS
    )
    return ((months + 1).astype("datetime64[D]") - 1).astype("datetime64[ns]")


def build_frames(n: int, seed: int = 7) -> dict[str, pd.DataFrame]:
    """The five history frames of a synthetic book, built with numpy."""
    rng = np.random.default_rng(seed)
    client_ids = _ids("C", n)
    onboarded = np.datetime64("2010-01-01", "D") + rng.integers(0, 5800, n)
    clients = pd.DataFrame(
        {
            schema.CLIENT_ID: client_ids,
            schema.ONBOARDED_ON: onboarded.astype("datetime64[ns]"),
            schema.ON_WATCHLIST: rng.random(n) < 0.03,
        }
    )
    per_client = 1 + rng.binomial(2, 0.5, n)
    owner = np.repeat(np.arange(n), per_client)
    k = owner.size
    facility_ids = _ids("F", k)
    start = np.maximum(
        onboarded[owner], np.datetime64("2015-01-01", "D") + rng.integers(0, 4000, k)
    )
    limit = np.round(rng.lognormal(13, 1, k), -3)
    facilities = pd.DataFrame(
        {
            schema.FACILITY_ID: facility_ids,
            schema.CLIENT_ID: _cat(owner, client_ids),
            schema.CURRENCY: pd.Categorical(np.full(k, "EUR")),
            schema.LIMIT: limit,
            schema.DRAWN: np.round(limit * rng.random(k), 2),
            schema.START_ON: start.astype("datetime64[ns]"),
        }
    )
    ends = _month_ends()
    fac = np.repeat(np.arange(k), MONTHS)
    use = np.clip(rng.random(k)[fac] + 0.1 * rng.standard_normal(fac.size), 0, 1)
    undrawn_start = rng.random(k) < 0.05
    use[np.repeat(undrawn_start, MONTHS) & (np.tile(np.arange(MONTHS), k) < 4)] = 0
    observations = pd.DataFrame(
        {
            schema.FACILITY_ID: _cat(fac, facility_ids),
            schema.PERIOD_END: np.tile(ends, k),
            schema.DRAWN: np.round(limit[fac] * use, 2),
            schema.LIMIT: limit[fac],
            schema.SIG_DAYS_PAST_DUE: np.where(
                rng.random(fac.size) < 0.02, rng.integers(1, 120, fac.size), 0
            ).astype(np.int16),
            "in_default": np.zeros(fac.size, dtype=bool),
            "forborne": np.zeros(fac.size, dtype=bool),
        }
    )
    cl = np.repeat(np.arange(n), MONTHS)
    revenue = rng.lognormal(10, 1, n)[cl] * np.exp(0.02 * rng.standard_normal(cl.size))
    measures = pd.DataFrame(
        {
            schema.CLIENT_ID: _cat(cl, client_ids),
            schema.MEASURED_ON: np.tile(ends, n),
            schema.REVENUE_TO_BANK: np.round(revenue, 2),
            schema.PROFIT_TO_BANK: np.round(revenue * 0.3, 2),
            schema.PRODUCT_COUNT: rng.integers(1, 6, cl.size).astype(np.int8),
            schema.TRANSACTION_COUNT: rng.integers(0, 200, cl.size).astype(np.int16),
            schema.LAST_TRANSACTION_ON: np.tile(ends, n),
            schema.REFERRAL_COUNT: np.zeros(cl.size, dtype=np.int8),
        }
    )
    per = 1 + rng.binomial(2, 0.4, n)
    rc = np.repeat(np.arange(n), per)
    nth = np.arange(rc.size) - np.repeat(np.cumsum(per) - per, per)
    rated_on = (
        np.datetime64("2023-03-31", "D") + 300 * nth + rng.integers(0, 200, rc.size)
    )
    grades = np.asarray(DEFAULT_MASTER_SCALE.grades, dtype=object)
    ratings = pd.DataFrame(
        {
            schema.CLIENT_ID: _cat(rc, client_ids),
            schema.RATED_ON: rated_on.astype("datetime64[ns]"),
            schema.RATING_GRADE: pd.Categorical(
                grades[rng.integers(0, 10, rc.size)],
                categories=list(DEFAULT_MASTER_SCALE.grades),
            ),
        }
    )
    return {
        "clients": clients,
        "facilities": facilities,
        "measures": measures,
        "ratings": ratings,
        "observations": observations,
    }


# --- the pandas baseline ------------------------------------------------------------------


def _month(dates: pd.Series) -> pd.Series:
    return dates.dt.year * 12 + dates.dt.month - 1


def _whole_months(start: pd.Series, end: pd.Timestamp) -> pd.Series:
    months = (end.year - start.dt.year) * 12 + (end.month - start.dt.month)
    return (months - (end.day < start.dt.day)).clip(lower=0)


def _ordered(frame: pd.DataFrame, key: str, date: str) -> pd.DataFrame:
    """The frame ordered by owner then date (sorted only when it is not)."""
    codes = frame[key].cat.codes.to_numpy()
    dates = frame[date].to_numpy()
    same = codes[1:] == codes[:-1]
    if (codes[1:] >= codes[:-1]).all() and (dates[1:][same] > dates[:-1][same]).all():
        return frame
    return frame.sort_values([key, date], kind="stable")


def _growth(now: pd.Series, then: pd.Series) -> pd.Series:
    base = then.fillna(0.0)
    return pd.Series(
        np.where(
            base > 0,
            (now - base) / base.where(base > 0, 1.0),
            np.where(now > 0, 1.0, 0.0),
        ),
        index=now.index,
    )


def _pandas_measures(
    measures: pd.DataFrame, day: pd.Timestamp, ids: pd.Index
) -> pd.DataFrame:
    m = _ordered(
        measures[measures[schema.MEASURED_ON] <= day],
        schema.CLIENT_ID,
        schema.MEASURED_ON,
    )
    m = m.assign(month=_month(m[schema.MEASURED_ON]))
    # the latest period of each (client, month): the last row before the key changes
    cid = m[schema.CLIENT_ID]
    last_in_month = (cid != cid.shift(-1)) | (m["month"] != m["month"].shift(-1))
    by_month = m[last_in_month.to_numpy()]
    now = by_month.groupby(schema.CLIENT_ID, observed=True).tail(1)
    then = (
        now[[schema.CLIENT_ID]]
        .assign(month=now["month"] - 12)
        .merge(by_month, on=[schema.CLIENT_ID, "month"], how="left")
    )
    now = now.set_index(schema.CLIENT_ID)
    then = then.set_index(schema.CLIENT_ID)
    out = pd.DataFrame(index=now.index)
    out["revenue"] = _growth(now[schema.REVENUE_TO_BANK], then[schema.REVENUE_TO_BANK])
    out["products"] = now[schema.PRODUCT_COUNT] - then[schema.PRODUCT_COUNT].fillna(0)
    return out.reindex(ids, fill_value=0)


def _pandas_observations(
    obs: pd.DataFrame, facilities: pd.DataFrame, day: pd.Timestamp, ids: pd.Index
) -> pd.DataFrame:
    o = _ordered(
        obs[obs[schema.PERIOD_END] <= day], schema.FACILITY_ID, schema.PERIOD_END
    )
    o = o.assign(
        month=_month(o[schema.PERIOD_END]),
        client=facilities[schema.CLIENT_ID].to_numpy()[
            o[schema.FACILITY_ID].cat.codes.to_numpy()
        ],
    )
    fid = o[schema.FACILITY_ID]
    o = o[((fid != fid.shift(-1)) | (o["month"] != o["month"].shift(-1))).to_numpy()]
    client_month = o.groupby("client", observed=True)["month"].transform("max")
    now = o[(o["month"] == client_month).to_numpy()]
    then = o[(o["month"] == client_month - 12).to_numpy()]
    agg = {"drawn": (schema.DRAWN, "sum"), "limit": (schema.LIMIT, "sum")}
    s_now = now.groupby("client", observed=True).agg(
        **agg, dpd=(schema.SIG_DAYS_PAST_DUE, "max")
    )
    s_then = then.groupby("client", observed=True).agg(**agg).reindex(s_now.index)
    util = lambda d, lim: (d / lim.where(lim > 0)).fillna(0.0).clip(0.0, 1.0)  # noqa: E731
    out = pd.DataFrame(index=s_now.index)
    out["exposure"] = _growth(s_now["drawn"], s_then["drawn"])
    out["utilisation"] = np.where(
        s_then["drawn"].notna(),
        util(s_now["drawn"], s_now["limit"]) - util(s_then["drawn"], s_then["limit"]),
        0.0,
    )
    out["dpd"] = s_now["dpd"]
    out = out.reindex(ids, fill_value=0)
    out.index = ids
    return out


def _pandas_drawdowns(
    obs: pd.DataFrame,
    facilities: pd.DataFrame,
    day: pd.Timestamp,
    clients: pd.DataFrame,
) -> pd.DataFrame:
    o = obs[obs[schema.PERIOD_END] <= day]
    fac = o.groupby(schema.FACILITY_ID, observed=True)
    first_day = fac[schema.PERIOD_END].min()
    drawn_rows = o[o[schema.DRAWN] > 0]
    first_drawn = drawn_rows.groupby(schema.FACILITY_ID, observed=True)[
        schema.PERIOD_END
    ].min()
    f = facilities.set_index(schema.FACILITY_ID)
    start = f[schema.START_ON]
    drawn_on = pd.Series(pd.NaT, index=f.index, dtype="datetime64[ns]")
    at = first_drawn.index
    drawn_on[at] = np.where(
        first_drawn == first_day[at],
        np.minimum(start[at].to_numpy(), first_drawn.to_numpy()),
        first_drawn.to_numpy(),
    )
    has_rows = f.index.isin(obs[schema.FACILITY_ID].unique())
    legacy = ~has_rows & (f[schema.DRAWN] > 0).to_numpy() & (start <= day).to_numpy()
    drawn_on[legacy] = start[legacy]
    by_client = pd.DataFrame(
        {
            "client": f[schema.CLIENT_ID].to_numpy(),
            "on": drawn_on.to_numpy(),
            "started": (start <= day).to_numpy(),
        }
    )
    g = by_client.groupby("client", observed=False)
    first = g["on"].min().reindex(clients[schema.CLIENT_ID])
    out = pd.DataFrame(index=clients[schema.CLIENT_ID])
    out["has_facility"] = (
        g["started"].any().reindex(out.index, fill_value=False).to_numpy()
    )
    out["has_drawn"] = first.notna().to_numpy()
    months = _whole_months(first.fillna(day), day)
    out["months"] = months.to_numpy()
    return out


def _pandas_ratings(
    ratings: pd.DataFrame, day: pd.Timestamp, year_ago: pd.Timestamp, ids: pd.Index
) -> pd.Series:
    r = _ordered(
        ratings[ratings[schema.RATED_ON] <= day], schema.CLIENT_ID, schema.RATED_ON
    )
    r = r.assign(grade=r[schema.RATING_GRADE].cat.codes)
    g = r.groupby(schema.CLIENT_ID, observed=True)["grade"]
    now = g.last()
    before = (
        r[r[schema.RATED_ON] <= year_ago]
        .groupby(schema.CLIENT_ID, observed=True)["grade"]
        .last()
    )
    after = (
        r[r[schema.RATED_ON] > year_ago]
        .groupby(schema.CLIENT_ID, observed=True)["grade"]
        .first()
    )
    base = before.reindex(now.index).fillna(after.reindex(now.index))
    return (now - base).reindex(ids, fill_value=0)


def pandas_signals(frames: dict[str, pd.DataFrame], as_of: dt.date) -> pd.DataFrame:
    """The signals, derived with pandas groupby / merge / shift."""
    day = pd.Timestamp(as_of)
    year_ago = pd.Timestamp(as_of) - pd.DateOffset(months=12)
    clients = frames["clients"]
    ids = pd.CategoricalIndex(
        clients[schema.CLIENT_ID], categories=clients[schema.CLIENT_ID]
    )
    m = _pandas_measures(frames["measures"], day, ids)
    o = _pandas_observations(frames["observations"], frames["facilities"], day, ids)
    d = _pandas_drawdowns(frames["observations"], frames["facilities"], day, clients)
    notches = _pandas_ratings(frames["ratings"], day, year_ago, ids)
    zeros = np.zeros(len(clients))
    return pd.DataFrame(
        {
            schema.CLIENT_ID: clients[schema.CLIENT_ID].array,
            schema.SIG_HAS_FACILITY: d["has_facility"].to_numpy(),
            schema.SIG_HAS_DRAWN: d["has_drawn"].to_numpy(),
            schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: np.where(
                d["has_drawn"], d["months"], 0
            ).astype(np.int64),
            schema.SIG_TENURE_MONTHS: _whole_months(
                clients[schema.ONBOARDED_ON], day
            ).to_numpy(dtype=np.int64),
            schema.SIG_EXPOSURE_GROWTH_YOY: o["exposure"].to_numpy(dtype=np.float64),
            schema.SIG_REVENUE_GROWTH_YOY: m["revenue"].to_numpy(dtype=np.float64),
            schema.SIG_PRODUCT_COUNT_CHANGE: m["products"].to_numpy(dtype=np.int64),
            schema.SIG_UTILISATION_CHANGE: o["utilisation"].to_numpy(dtype=np.float64),
            schema.SIG_RATING_NOTCHES_MOVED: notches.to_numpy(dtype=np.int64),
            schema.SIG_ON_WATCHLIST: clients[schema.ON_WATCHLIST].to_numpy(),
            schema.SIG_DAYS_PAST_DUE: o["dpd"].to_numpy(dtype=np.int64),
            schema.SIG_COVENANT_BREACHES: zeros.astype(np.int64),
            schema.SIG_HAS_DSCR: zeros.astype(bool),
            schema.SIG_DSCR_HEADROOM: zeros,
        },
        index=clients.index,
    )


# --- the run ------------------------------------------------------------------------------


def _memory() -> dict[str, float]:
    """VmRSS and VmHWM of this process, in MB (Linux)."""
    out = {}
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS", "VmHWM")):
                out[line.split(":")[0]] = int(line.split()[1]) / 1024
    return out


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        return None


_LIBC = _libc()
if _LIBC is not None:
    # glibc: every allocation above 128 kB is its own mapping, returned when freed, so
    # the resident size follows the live arrays (no dynamic threshold, no reuse of
    # freed heap hiding a peak)
    _LIBC.mallopt(-3, 128 * 1024)  # M_MMAP_THRESHOLD


def _reset_peak() -> bool:
    """Trim freed memory, then reset VmHWM to the current RSS (Linux >= 4.0)."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return False
    return True


def _peak(run: Callable[[], object]) -> tuple[float, float]:
    """(peak RSS during one run, peak above the RSS before it), MB."""
    if not _reset_peak():
        return float("nan"), float("nan")
    before = _memory()["VmRSS"]
    run()
    peak = _memory()["VmHWM"]
    return peak, peak - before


def _assert_same(ours: pd.DataFrame, theirs: pd.DataFrame) -> None:
    assert list(ours.columns) == list(theirs.columns)
    for column in ours.columns:
        a, b = ours[column].to_numpy(), theirs[column].to_numpy()
        if a.dtype.kind == "f":
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12, err_msg=column)
        else:
            assert np.array_equal(a, b), column


def _as_text(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames with every categorical id column as a ``str`` column (as
    `lendcrm.frames.book_frames` writes them), for the second lendcrm figure."""
    out = {}
    for name, frame in frames.items():
        ids = [
            c
            for c in (schema.CLIENT_ID, schema.FACILITY_ID)
            if c in frame.columns and isinstance(frame[c].dtype, pd.CategoricalDtype)
        ]
        out[name] = frame.astype(dict.fromkeys(ids, "str")) if ids else frame
    return out


_frames = _harness.cached(build_frames)


def setup(*, as_text: bool) -> _harness.Setup:
    """The book of `n` clients, ids as categoricals (or as ``str``); both agree."""

    def at(n: int) -> _harness.Contest:
        base = _frames(n)
        frames = _as_text(base) if as_text else base
        rows = {name: len(frame) for name, frame in frames.items()}
        _reset_peak()
        loaded = _memory()["VmRSS"]

        def ours() -> pd.DataFrame:
            return signals_from_history(**frames, as_of=AS_OF)

        def theirs() -> pd.DataFrame:
            return pandas_signals(base, AS_OF)

        _assert_same(ours(), theirs())
        peaks = {"lendcrm": _peak(ours)}
        if not as_text:
            peaks["pandas"] = _peak(theirs)
        print(
            f"  n={n:,} clients ({rows['facilities']:,} facilities, "
            f"{rows['observations']:,} observations, {rows['measures']:,} periods, "
            f"{rows['ratings']:,} ratings); frames loaded: RSS {loaded:,.0f} MB; peak RSS "
            + ", ".join(
                f"{k} {p:,.0f} MB (+{above:,.0f})" for k, (p, above) in peaks.items()
            )
        )
        return _harness.Contest(ours=ours, floor=theirs, floor_name="pandas")

    return at


def main() -> None:
    """Run at 10k, 100k and 1M clients (``BENCH_SIZES`` for others)."""
    _harness.scale("signals_from_history (ids as categoricals)", setup(as_text=False))
    _harness.scale("signals_from_history (ids as str columns)", setup(as_text=True))


if __name__ == "__main__":
    main()
