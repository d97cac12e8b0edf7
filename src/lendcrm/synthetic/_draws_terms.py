"""Repayment terms, their profiles and syndicate participations of the synthetic book.

Drawn from the finished facilities frame with a generator of their own (a child
spawned last), so every other frame stays what it was, value for value:

- revolving kinds (revolving credit, receivables finance, guarantees, letters of
  credit): a quarterly revolver whose utilisation profile starts at the facility's
  utilisation at the start and moves geometrically (half-life of about two quarters)
  to a long-run utilisation drawn from Beta(2, 3);
- project-finance facilities (with a ``project_id``): a semi-annual sculpted loan
  whose principal instalments grow by a rate drawn from U(0 %, 6 %) a period (the
  shape of a debt sculpted to rising cash flows);
- bridges: bullet; other term and construction loans: annuity 40 %, linear 35 %,
  balloon 15 % (balloon U(20 %, 50 %)), bullet 10 %, paid quarterly (70 %), monthly
  (10 %), semi-annually (15 %) or yearly (5 %), with 0-4 grace periods on a quarter
  of them (fewer than the loan's periods);
- day count: ACT/365F for GBP, else ACT/360, 30/360 on 10 % of term loans; floors
  at zero;
- participations: a project-finance facility with a limit of at least
  `SYNDICATED_LIMIT` is syndicated: the bank holds U(20 %, 60 %) (to 0.5 %) as agent
  (30 %), arranger (40 %) or participant, 2-4 other banks hold the rest (Dirichlet
  shares), one of them the agent when the bank is not.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import IntArray
from lendcrm._dates import month_numbers, month_starts, whole_months
from lendcrm.frames import (
    PARTICIPATIONS_DTYPES,
    REPAYMENT_PROFILES_DTYPES,
    REPAYMENT_TERMS_DTYPES,
)
from lendcrm.frames import columns as col

__all__ = ["SYNDICATED_LIMIT", "draw_terms"]

#: Limit (facility currency) from which a project-finance facility is syndicated.
SYNDICATED_LIMIT: Final = 50_000_000.0
_REVOLVING: Final = ("revolving_credit", "receivables_finance", "guarantee")
_REVOLVING_KINDS: Final = (*_REVOLVING, "letter_of_credit")
_TERM_KINDS: Final = ("annuity", "linear", "balloon", "bullet")
_TERM_WEIGHTS: Final = (0.4, 0.35, 0.15, 0.1)
_FREQUENCIES: Final = (4, 12, 2, 1)
_FREQUENCY_WEIGHTS: Final = (0.7, 0.1, 0.15, 0.05)
_OTHER_BANKS: Final = (
    "Banco del Norte",
    "Crédit Rhodanien",
    "Hanseatische Landesbank",
    "Nordic Project Bank",
    "Thames Merchant Bank",
    "Banca Adriatica",
)


def _add_months(days: IntArray, months: IntArray) -> IntArray:
    m0 = month_numbers(days)
    m = m0 + months
    first = month_starts(m)
    out: IntArray = first + np.minimum(
        days - month_starts(m0), month_starts(m + 1) - first - 1
    )
    return out


def period_counts(start: IntArray, maturity: IntArray, step: IntArray) -> IntArray:
    """Payment periods of ``step`` months from start to maturity (as the schedules)."""
    full = whole_months(start, maturity) // step
    out: IntArray = full + (_add_months(start, full * step) < maturity)
    return np.maximum(out, 1)


def _frame(data: dict[str, npt.ArrayLike], dtypes: object) -> pd.DataFrame:
    return pd.DataFrame(data).astype(dtypes)  # type: ignore[arg-type]


def _concat(parts: list[Any], dtype: type) -> npt.NDArray[Any]:
    return np.concatenate(parts) if parts else np.array([], dtype=dtype)


def _profiles(
    rng: np.random.Generator,
    f: pd.DataFrame,
    kind: npt.NDArray[np.str_],
    periods: IntArray,
) -> pd.DataFrame:
    """One row per period of every sculpted loan and revolver."""
    n = len(f)
    growth = rng.uniform(0.0, 0.06, n)
    start_use = np.clip(
        f[col.DRAWN].to_numpy(dtype=np.float64)
        / np.maximum(f[col.LIMIT].to_numpy(dtype=np.float64), 1e-9),
        0.0,
        1.0,
    )
    long_run = rng.beta(2.0, 3.0, n)
    fids = f[col.FACILITY_ID].to_numpy(dtype=object)
    ids: list[npt.NDArray[np.object_]] = []
    period: list[IntArray] = []
    fraction: list[npt.NDArray[np.float64]] = []
    for i in np.flatnonzero((kind == "sculpted") | (kind == "revolver")):
        k = np.arange(int(periods[i]))
        if kind[i] == "sculpted":
            w = (1.0 + growth[i]) ** k
            x = w / w.sum()
            x[-1] = 1.0 - x[:-1].sum()
        else:
            x = long_run[i] + (start_use[i] - long_run[i]) * 0.7**k
        ids.append(np.full(k.size, fids[i], dtype=object))
        period.append(k + 1)
        fraction.append(np.round(np.clip(x, 0.0, 1.0), 12))
    return _frame(
        {
            col.FACILITY_ID: _concat(ids, object),
            col.PROFILE_PERIOD: _concat(period, np.int64),
            col.PROFILE_FRACTION: _concat(fraction, np.float64),
        },
        REPAYMENT_PROFILES_DTYPES,
    )


def _terms(
    rng: np.random.Generator, f: pd.DataFrame
) -> tuple[pd.DataFrame, npt.NDArray[np.str_], IntArray]:
    n = len(f)
    fkind = f[col.KIND].astype(str).to_numpy()
    project = f[col.PROJECT_ID].notna().to_numpy()
    revolving = np.isin(fkind, _REVOLVING_KINDS)
    term = rng.choice(np.array(_TERM_KINDS), size=n, p=_TERM_WEIGHTS)
    kind = np.where(
        revolving,
        "revolver",
        np.where(project, "sculpted", np.where(fkind == "bridge", "bullet", term)),
    )
    freq = rng.choice(np.array(_FREQUENCIES), size=n, p=_FREQUENCY_WEIGHTS)
    freq = np.where(revolving, 4, np.where(project, 2, freq))
    start = f[col.START_ON].to_numpy(dtype="datetime64[D]").astype(np.int64)
    maturity = f[col.MATURITY_ON].to_numpy(dtype="datetime64[D]").astype(np.int64)
    periods = period_counts(start, maturity, 12 // freq)
    grace_draw = np.where(rng.random(n) < 0.25, rng.integers(1, 5, n), 0)  # noqa: PLR2004
    amortising = np.isin(kind, ("annuity", "linear", "balloon"))
    grace = np.where(amortising, np.minimum(grace_draw, periods - 1), 0)
    balloon = np.where(kind == "balloon", np.round(rng.uniform(0.2, 0.5, n), 2), 0.0)
    thirty = (rng.random(n) < 0.1) & ~revolving & ~project  # noqa: PLR2004
    currency = f[col.CURRENCY].astype(str).to_numpy()
    day_count = np.where(
        thirty, "30/360", np.where(currency == "GBP", "ACT/365F", "ACT/360")
    )
    terms = _frame(
        {
            col.FACILITY_ID: f[col.FACILITY_ID].to_numpy(dtype=object),
            col.AMORTISATION: kind,
            col.PAYMENTS_PER_YEAR: freq.astype(np.int64),
            col.DAY_COUNT: day_count,
            col.GRACE_PERIODS: grace.astype(np.int64),
            col.BALLOON_FRACTION: balloon,
            col.ZERO_FLOOR: np.ones(n, dtype=bool),
        },
        REPAYMENT_TERMS_DTYPES,
    )
    return terms, kind, periods


def _participations(rng: np.random.Generator, f: pd.DataFrame) -> pd.DataFrame:
    """The syndicate of every large project-finance facility, the bank's share first."""
    large = f[col.PROJECT_ID].notna().to_numpy() & (
        f[col.LIMIT].to_numpy(dtype=np.float64) >= SYNDICATED_LIMIT
    )
    rows: dict[str, list[object]] = {k: [] for k in PARTICIPATIONS_DTYPES}
    fids = f[col.FACILITY_ID].to_numpy(dtype=object)
    for i in np.flatnonzero(large):
        own = round(float(rng.uniform(0.2, 0.6)) * 200) / 200
        role = str(rng.choice(["agent", "arranger", "participant"], p=[0.3, 0.4, 0.3]))
        others = int(rng.integers(2, 5))
        split = rng.dirichlet(np.full(others, 2.0)) * (1.0 - own)
        split = np.round(split, 4)
        split[-1] = round(1.0 - own - float(split[:-1].sum()), 4)
        names = rng.choice(np.array(_OTHER_BANKS), size=others, replace=False)
        fid = fids[i]
        for bank, r, share, is_own in (
            ("Own bank", role, own, True),
            *(
                (str(b), "agent" if k == 0 and role != "agent" else "participant",
                 float(s), False)
                for k, (b, s) in enumerate(zip(names, split, strict=True))
            ),
        ):  # fmt: skip
            rows[col.FACILITY_ID].append(fid)
            rows[col.BANK].append(bank)
            rows[col.ROLE].append(r)
            rows[col.SHARE].append(share)
            rows[col.OWN].append(is_own)
    return _frame(rows, PARTICIPATIONS_DTYPES)  # type: ignore[arg-type]


def draw_terms(
    rng: np.random.Generator, facilities: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """The repayment_terms, repayment_profiles and participations frames of a book."""
    terms, kind, periods = _terms(rng, facilities)
    return {
        "repayment_terms": terms,
        "repayment_profiles": _profiles(rng, facilities, kind, periods),
        "participations": _participations(rng, facilities),
    }
