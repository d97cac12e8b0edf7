"""The batch face of the pipeline analytics: opportunities frames in, small frames out.

Each function factorises the columns it needs once (categorical codes are used as
they are) and hands integer codes to the kernels of `_pipeline_forecast`; no Python
loop runs over deals. The results equal the entity face (`pipeline_forecast`,
`fit_stage_probabilities`, `Opportunity.days_in_stage`, ...), deal for deal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import IntArray
from lendcrm._collections import object_column
from lendcrm._dates import check_as_of
from lendcrm._validators import refuse_object, require_instance
from lendcrm.errors import CurrencyMismatchError, InvalidValueError
from lendcrm.frames.columns import AMOUNT, CREATED_ON, CURRENCY, STAGE
from lendcrm.relationship.commercial._pipeline_columnar import check_columns
from lendcrm.relationship.commercial._pipeline_forecast import (
    grouped_forecast,
    month_codes,
    win_probability_codes,
)
from lendcrm.relationship.commercial._pipeline_frames import (
    category_codes,
    day_numbers,
    stage_codes,
)
from lendcrm.relationship.commercial._pipeline_probabilities import (
    MIN_CLOSED_DEALS,
    StageProbabilities,
    estimate_stage_probabilities,
)
from lendcrm.relationship.commercial._pipeline_views import FORECAST_KEYS, SEGMENT_KEYS
from lendcrm.relationship.commercial.columns import (
    DAYS_IN_STAGE,
    DEALS,
    EXPECTED_CLOSE_ON,
    PIPELINE_AMOUNT,
    STAGE_ENTRY_COLUMNS,
    WEIGHTED_AMOUNT,
    WIN_PROBABILITY,
)

__all__ = [
    "fit_stage_probabilities_frame",
    "forecast_by",
    "forecasts",
    "group_codes",
    "reached_codes",
    "stage_ages",
    "win_probabilities",
]

_WON: Final = 5
_LOST: Final = 6
_COLUMN_OF: Final = {"close_month": EXPECTED_CLOSE_ON}
_NAT: Final = np.iinfo(np.int64).min


def _key(by: object, allowed: tuple[str, ...], name: str) -> str:
    if not isinstance(by, str) or by not in allowed:
        raise InvalidValueError(
            field=name,
            value=by,
            expected="one of " + ", ".join(repr(k) for k in allowed),
        )
    return str(by)


def group_codes(frame: pd.DataFrame, by: str) -> tuple[IntArray, list[str]]:
    """Integer codes of a grouping column and their labels (``"YYYY-MM"`` for months)."""
    if by == "close_month":
        codes, first = month_codes(day_numbers(frame[EXPECTED_CLOSE_ON]))
        months = np.arange(int(codes.max()) + 1 if codes.size else 0) + int(first)
        labels = [str(m) for m in months.astype("datetime64[M]")]
        return codes, labels
    column = frame[by]
    if isinstance(column.dtype, pd.CategoricalDtype):
        return (
            np.asarray(column.cat.codes, dtype=np.int64),
            [str(c) for c in column.cat.categories],
        )
    codes_, uniques = pd.factorize(column, sort=True)
    return np.asarray(codes_, dtype=np.int64), [str(u) for u in uniques]


def reached_codes(frame: pd.DataFrame, stage: IntArray) -> IntArray:
    """The furthest open stage each deal reached (4 for won; dated stages for lost)."""
    dated = np.zeros(len(frame), dtype=np.int64)
    for column in STAGE_ENTRY_COLUMNS:  # four columns, not rows
        dated += frame[column].notna().to_numpy()
    return np.where(stage == _WON, 4, np.where(stage == _LOST, dated, stage))


def _segment(
    frame: pd.DataFrame, segment_by: str | None, probabilities: StageProbabilities
) -> IntArray | None:
    if segment_by is None:
        return None
    key = _key(segment_by, SEGMENT_KEYS, "segment_by")
    out = category_codes(frame[key], probabilities.segments)
    out[out < 0] = len(probabilities.segments)  # unseen segment: the pooled row
    return out


def fit_stage_probabilities_frame(
    frame: pd.DataFrame,
    *,
    by: str | None = None,
    min_closed: int = MIN_CLOSED_DEALS,
    confidence: float = 0.9,
) -> StageProbabilities:
    """Win probability by stage from the frame's closed deals (see `estimate_stage_probabilities`).

    Segments are the sorted distinct labels of the closed deals under ``by``, as in
    `fit_stage_probabilities`, so both faces give the same estimate.

    Raises:
        InvalidValueError: ``by`` is unknown, or too few closed deals reached a stage.
        SchemaError, BatchValidationError: the columns it reads are missing or bad.

    Examples:
        >>> from lendcrm.synthetic import generate_pipeline
        >>> sp = generate_pipeline(2_000, seed=7)
        >>> deals = sp.opportunities
        >>> p = fit_stage_probabilities_frame(deals, by="kind", min_closed=20)
        >>> p.segments[:2], p.segment_probability[:2, 0].round(3).tolist()
        (('bridge', 'construction_loan'), [0.084, 0.06])
    """
    if by is not None and not isinstance(by, str):
        refuse_object(by, name="by", what="a column name or None")
    names = (STAGE, *STAGE_ENTRY_COLUMNS) + ((by,) if by else ())
    check_columns(frame, names, "opportunities")
    stage = stage_codes(frame)
    closed = stage >= _WON
    reached = reached_codes(frame, stage)[closed]
    won = stage[closed] == _WON
    if by is None:
        return estimate_stage_probabilities(
            reached, won, min_closed=min_closed, confidence=confidence
        )
    key = _key(by, SEGMENT_KEYS, "by")
    values = frame.loc[closed, key].astype(object).to_numpy()
    codes, uniques = pd.factorize(values, sort=True)
    return estimate_stage_probabilities(
        reached,
        won,
        segment=np.asarray(codes, dtype=np.int64),
        segments=tuple(str(u) for u in uniques),
        min_closed=min_closed,
        confidence=confidence,
    )


def win_probabilities(
    frame: pd.DataFrame,
    probabilities: StageProbabilities,
    *,
    segment_by: str | None = None,
) -> pd.Series:
    """Each deal's win probability (1 won, 0 lost), indexed like ``frame``.

    Examples:
        >>> from lendcrm.synthetic import generate_pipeline
        >>> sp = generate_pipeline(2_000, seed=7)
        >>> deals = sp.opportunities
        >>> p = fit_stage_probabilities_frame(deals, min_closed=20)
        >>> wp = win_probabilities(deals, p)
        >>> float(wp[deals["stage"] == "won"].min()), float(wp[deals["stage"] == "lead"].max())
        (1.0, 0.1167...)
    """
    require_instance(
        probabilities,
        StageProbabilities,
        name="probabilities",
        what="a StageProbabilities",
    )
    check_columns(
        frame, (STAGE,) + ((segment_by,) if segment_by else ()), "opportunities"
    )
    stage = stage_codes(frame)
    p = win_probability_codes(
        np.minimum(stage, 4),
        _segment(frame, segment_by, probabilities),
        probabilities.matrix(),
    )
    p = np.where(stage == _WON, 1.0, np.where(stage == _LOST, 0.0, p))
    return pd.Series(p, index=frame.index, name=WIN_PROBABILITY)


def _one_currency(frame: pd.DataFrame, rows: npt.NDArray[np.bool_]) -> None:
    column = frame[CURRENCY]
    if isinstance(column.dtype, pd.CategoricalDtype):
        if len(column.cat.categories) <= 1:
            return
        codes = np.asarray(column.cat.codes)[rows]
        present = np.flatnonzero(
            np.bincount(codes, minlength=len(column.cat.categories))
        )
        found = [str(column.cat.categories[int(i)]) for i in present]
    else:
        found = sorted(set(column.to_numpy()[rows].tolist()))
    if len(found) > 1:
        raise CurrencyMismatchError(left=found[0], right=found[1], operation="add")


def forecasts(
    frame: pd.DataFrame,
    probabilities: StageProbabilities,
    *,
    by: Sequence[str] = ("close_month", "owner", "kind", "sector"),
    segment_by: str | None = None,
) -> dict[str, pd.DataFrame]:
    """`forecast_by` for several groupings at once: one check, one probability gather.

    Returns:
        ``{grouping: frame}``, each frame as `forecast_by` returns it.

    Examples:
        >>> from lendcrm.synthetic import generate_pipeline
        >>> from lendcrm.relationship.commercial.frames import fit_stage_probabilities_frame
        >>> deals = generate_pipeline(3_000, seed=2).opportunities
        >>> sp = fit_stage_probabilities_frame(deals, by="kind")
        >>> out = forecasts(deals, sp, by=("close_month", "sector"), segment_by="kind")
        >>> sorted(out), out["sector"].index.name
        (['close_month', 'sector'], 'sector')
    """
    require_instance(
        probabilities,
        StageProbabilities,
        name="probabilities",
        what="a StageProbabilities",
    )
    if isinstance(by, str):
        by = (by,)
    keys = [_key(b, FORECAST_KEYS, "by") for b in object_column(by, name="by")]
    extra = (_key(segment_by, SEGMENT_KEYS, "segment_by"),) if segment_by else ()
    columns = tuple(dict.fromkeys(_COLUMN_OF.get(k, k) for k in keys))
    check_columns(frame, (STAGE, AMOUNT, CURRENCY, *columns, *extra), "opportunities")
    stage = stage_codes(frame)
    is_open = stage < _WON
    _one_currency(frame, is_open)
    segment = _segment(frame, segment_by, probabilities)
    p = win_probability_codes(
        stage[is_open],
        None if segment is None else segment[is_open],
        probabilities.matrix(),
    )
    amount = frame[AMOUNT].to_numpy(dtype=np.float64)[is_open]
    return {key: _grouped(frame, key, is_open, amount, p) for key in keys}


def _grouped(
    frame: pd.DataFrame,
    key: str,
    is_open: npt.NDArray[np.bool_],
    amount: npt.NDArray[np.float64],
    p: npt.NDArray[np.float64],
) -> pd.DataFrame:
    codes, labels = group_codes(frame, key)
    totals = grouped_forecast(amount, p, codes[is_open], len(labels))
    keep = np.flatnonzero(totals.deals > 0)
    order = keep[np.argsort(np.asarray(labels, dtype=object)[keep], kind="stable")]
    return pd.DataFrame(
        {
            PIPELINE_AMOUNT: totals.pipeline[order],
            WEIGHTED_AMOUNT: totals.weighted[order],
            DEALS: totals.deals[order],
        },
        index=pd.Index([labels[i] for i in order], name=key),
    )


def forecast_by(
    frame: pd.DataFrame,
    probabilities: StageProbabilities,
    *,
    by: str = "close_month",
    segment_by: str | None = None,
) -> pd.DataFrame:
    """The probability-weighted open pipeline per group, vectorised.

    Each open deal counts ``amount × p(stage, segment)``: one gather of the
    probability matrix by stage and segment code, then ``np.bincount`` per group.
    `forecasts` does several groupings in one pass.

    Args:
        frame: An opportunities frame (the columns read: stage, amount, currency,
            the grouping column and the segment column).
        probabilities: From `fit_stage_probabilities_frame` (segmented by
            ``segment_by``) or `fit_stage_probabilities`.
        by: ``close_month`` (expected close, ``"YYYY-MM"``), ``owner``, ``kind``,
            ``sector`` or ``syndication_role``.
        segment_by: The segmentation of ``probabilities`` (``None``: pooled).

    Returns:
        One row per group with open deals, sorted by label (index named ``by``):
        `PIPELINE_AMOUNT`, `WEIGHTED_AMOUNT`, `DEALS`.

    Raises:
        InvalidValueError: ``by``/``segment_by`` unknown or ``probabilities`` missing.
        CurrencyMismatchError: open deals in two currencies.
        SchemaError, BatchValidationError: the columns it reads are missing or bad.
    """
    return forecasts(frame, probabilities, by=(by,), segment_by=segment_by)[by]


def stage_ages(frame: pd.DataFrame, *, as_of: dt.date) -> pd.Series:
    """Stage ageing: whole days each open deal has been in its stage (NaN: closed).

    The current stage's entry date is its column (``created_on`` for a lead).

    Raises:
        InvalidValueError: ``as_of`` is not a date, or a deal entered its stage after it.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.synthetic import generate_pipeline
        >>> sp = generate_pipeline(2_000, seed=7)
        >>> deals = sp.opportunities
        >>> ages = stage_ages(deals, as_of=dt.date(2026, 6, 30))
        >>> int(ages.notna().sum()), ages.dropna().head(3).tolist()
        (192, [23.0, 40.0, 26.0])
    """
    day = np.datetime64(check_as_of(as_of), "D").astype(np.int64)
    check_columns(frame, (STAGE, CREATED_ON, *STAGE_ENTRY_COLUMNS), "opportunities")
    stage = stage_codes(frame)
    entered = day_numbers(frame[CREATED_ON])
    for j, column in enumerate(STAGE_ENTRY_COLUMNS, start=1):  # four columns
        entered = np.where(stage == j, day_numbers(frame[column]), entered)
    is_open = stage < _WON
    bad = is_open & ((entered == _NAT) | (entered > day))
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=f"opportunities[{frame.index[int(i)]!r}].{STAGE}",
            value=frame[STAGE].iloc[i],
            expected=f"a stage entered on or before as_of ({as_of})",
        )
    days = np.where(is_open, day - entered, np.nan)
    return pd.Series(days, index=frame.index, name=DAYS_IN_STAGE)
