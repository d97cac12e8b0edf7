"""Per-client facts: the aligned arrays early warning and next best action read.

`ClientFacts` is the numpy face of "what we know about each client today": stage and
tier as plain strings (so this module needs none of the subpackages), risk trend,
utilisation, arrears, covenants, project progress, feedback, maturities and pricing.
Build it with `client_facts`, which validates every array once and fills the facts you
do not have with neutral values (no signal fires on a neutral value).

Conventions: fractions, not percent (``utilisation`` 0.85 means 85 %); notches moved
are positive for a downgrade; NaN means "not applicable" where a field says so (no
DSCR tested, no project, fewer than two feedback scores, no live facility).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Protocol, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import (
    BoolArray,
    FloatArray,
    as_bool_array,
    as_float_array,
    check_same_length,
)
from lendcrm.errors import InvalidValueError

__all__ = ["FACT_NAMES", "ClientFacts", "client_facts"]

StrArray = npt.NDArray[np.str_]
_A = TypeVar("_A", FloatArray, BoolArray)


class _Warnings(Protocol):
    @property
    def client_ids(self) -> npt.NDArray[np.str_]: ...
    @property
    def score(self) -> FloatArray: ...
    @property
    def watchlist(self) -> BoolArray: ...


@attrs.frozen(kw_only=True, eq=False)
class ClientFacts:
    """Aligned per-client facts, shape ``(n,)`` each (build with `client_facts`).

    Attributes:
        client_ids: Client identifiers (str).
        stage: Lifecycle stage value (``"growth"``...), ``""`` when unknown.
        tier: Value tier (``"diamond"``, ``"gold"``, ``"silver"``, ``"basic"``), ``""``
            when unknown.
        rating_notches_moved: Notches moved over twelve months; positive = downgrade.
        utilisation: Drawn / limit of the live facilities, a fraction (0 without).
        utilisation_change: Change of utilisation over twelve months, fraction points.
        days_past_due: Days the oldest arrear is overdue, >= 0.
        covenant_breaches: Covenants breached at the last test, >= 0.
        dscr_headroom: Latest DSCR minus the covenant lock-up level (x); NaN when no
            DSCR is tested.
        dscr_change: Change of DSCR (x) from the latest to the weakest forecast
            period, <= 0 means deterioration ahead; NaN when no DSCR is tested.
        drawdown_gap: Share of project debt drawn minus certified progress (a
            fraction; > 0 means drawdowns run ahead of the works); NaN without a
            project.
        feedback_trend: Least-squares slope of feedback scores, points a year; NaN
            with fewer than two dated scores.
        last_feedback_score: Latest feedback score 0-10; NaN without feedback.
        has_facility: Holds at least one live facility.
        has_drawn: Has ever drawn.
        months_since_first_drawdown: Whole months since the first drawdown, >= 0;
            NaN when unknown.
        months_to_maturity: Months to the nearest maturity of a live facility; NaN
            without one.
        days_to_review: Days to the next credit review date (the client's service
            strategy, `lendcrm.relationship.workflows.review_calendar`), >= 0 (0:
            due or overdue).
        product_count: Products held, >= 0.
        rate_gap: Contractual margin minus the minimum margin meeting the hurdle
            (a fraction a year; < 0 means priced below the hurdle); NaN when unknown.
        referral_count: Referrals made in the measurement period, >= 0.
        early_warning_score: Early-warning score 0-100 (0 until computed).
        watchlist: Watchlist recommendation (False until computed).
        days_since_contact: Days since the last meaningful interaction (the
            contact standard's channels); NaN when never contacted or unknown.
        contact_gap: Meaningful interactions missing to meet the tier's contact
            standard, >= 0.
        attrition_probability: Probability of leaving within twelve months
            (`lendcrm.relationship.commercial.attrition_scores`); NaN when not
            given (the caller's ``commercial`` input to the view and the frame).
        overdue_tasks: Live tasks past their due date, >= 0 (0 without tasks).
        oldest_overdue_days: Days the oldest overdue task is past due, >= 0.
    """

    client_ids: StrArray
    stage: StrArray
    tier: StrArray
    rating_notches_moved: FloatArray
    utilisation: FloatArray
    utilisation_change: FloatArray
    days_past_due: FloatArray
    covenant_breaches: FloatArray
    dscr_headroom: FloatArray
    dscr_change: FloatArray
    drawdown_gap: FloatArray
    feedback_trend: FloatArray
    last_feedback_score: FloatArray
    has_facility: BoolArray
    has_drawn: BoolArray
    months_since_first_drawdown: FloatArray
    months_to_maturity: FloatArray
    days_to_review: FloatArray
    product_count: FloatArray
    rate_gap: FloatArray
    referral_count: FloatArray
    early_warning_score: FloatArray
    watchlist: BoolArray
    days_since_contact: FloatArray
    contact_gap: FloatArray
    attrition_probability: FloatArray
    overdue_tasks: FloatArray
    oldest_overdue_days: FloatArray

    def __len__(self) -> int:
        """Number of clients."""
        return len(self.client_ids)

    def with_early_warnings(self, warnings: _Warnings) -> ClientFacts:
        """A copy with ``early_warning_score`` and ``watchlist`` taken from ``warnings``.

        Args:
            warnings: An `EarlyWarnings` of the same clients, in the same order.

        Raises:
            InvalidValueError: ``warnings`` is for other clients.

        Examples:
            >>> from lendcrm.relationship import early_warnings
            >>> f = client_facts(client_ids=["A"], days_past_due=[120])
            >>> f.with_early_warnings(early_warnings(f)).watchlist.tolist()
            [True]
        """
        if not np.array_equal(warnings.client_ids, self.client_ids):
            raise InvalidValueError(
                field="warnings.client_ids",
                value=f"{len(warnings.client_ids)} ids",
                expected="the facts' client ids in the same order",
            )
        return attrs.evolve(
            self, early_warning_score=warnings.score, watchlist=warnings.watchlist
        )

    def take(self, index: npt.ArrayLike) -> ClientFacts:
        """The facts of the clients at positions ``index`` (in that order).

        Examples:
            >>> f = client_facts(client_ids=["A", "B", "C"])
            >>> f.take([2, 0]).client_ids.tolist()
            ['C', 'A']
        """
        idx = np.asarray(index, dtype=np.int64).reshape(-1)
        return ClientFacts(**{name: getattr(self, name)[idx] for name in _FIELDS})


_FIELDS: Final = tuple(a.name for a in attrs.fields(ClientFacts))
#: Names of the facts, in `ClientFacts` order (also the columns of a facts frame).
FACT_NAMES: Final[tuple[str, ...]] = _FIELDS

# name -> (lower, upper, allow_nan, neutral value)
_FLOATS: Final[dict[str, tuple[float | None, float | None, bool, float]]] = {
    "rating_notches_moved": (None, None, False, 0.0),
    "utilisation": (0.0, None, False, 0.0),
    "utilisation_change": (None, None, False, 0.0),
    "days_past_due": (0.0, None, False, 0.0),
    "covenant_breaches": (0.0, None, False, 0.0),
    "dscr_headroom": (None, None, True, np.nan),
    "dscr_change": (None, None, True, np.nan),
    "drawdown_gap": (-1.0, 1.0, True, np.nan),
    "feedback_trend": (None, None, True, np.nan),
    "last_feedback_score": (0.0, 10.0, True, np.nan),
    "months_since_first_drawdown": (0.0, None, True, np.nan),
    "months_to_maturity": (0.0, None, True, np.nan),
    "days_to_review": (0.0, None, False, 366.0),
    "product_count": (0.0, None, False, 0.0),
    "rate_gap": (None, None, True, np.nan),
    "referral_count": (0.0, None, False, 0.0),
    "early_warning_score": (0.0, 100.0, False, 0.0),
    "days_since_contact": (0.0, None, True, np.nan),
    "contact_gap": (0.0, None, False, 0.0),
    "attrition_probability": (0.0, 1.0, True, np.nan),
    "overdue_tasks": (0.0, None, False, 0.0),
    "oldest_overdue_days": (0.0, None, False, 0.0),
}
_BOOLS: Final = ("has_facility", "has_drawn", "watchlist")
_STRS: Final = ("stage", "tier")


def _strings(values: npt.ArrayLike, name: str, ids: StrArray) -> StrArray:
    arr = np.asarray(values, dtype=object).reshape(-1)
    check_same_length(client_ids=ids, **{name: arr})
    missing = np.asarray((arr == None) | (arr != arr), dtype=bool)  # noqa: E711, PLR0124 - None and NaN mean unknown
    if missing.any():
        arr = arr.copy()
        arr[missing] = ""
    return arr.astype(str)


def client_facts(
    *, client_ids: npt.ArrayLike, **facts: npt.ArrayLike | None
) -> ClientFacts:
    """Validate per-client facts once and fill the missing ones with neutral values.

    Args:
        client_ids: One id per client, shape ``(n,)``; unique.
        **facts: Any field of `ClientFacts` by name, shape ``(n,)`` (or a scalar,
            broadcast). A fact that is absent or ``None`` gets its neutral value:
            0 for counts, changes and utilisation, NaN where NaN means "not
            applicable", 366 days to the next review, ``""`` for stage and tier,
            False for flags.

    Returns:
        The validated `ClientFacts`.

    Raises:
        InvalidValueError: an unknown fact name, a length that differs from
            ``client_ids``, duplicate ids, a non-finite value where NaN is not allowed,
            or a value out of its range (names the field and the first bad index).

    Examples:
        >>> f = client_facts(client_ids=["A", "B"], utilisation=[0.9, 0.2],
        ...                  stage=["growth", None])
        >>> f.utilisation.tolist(), f.stage.tolist(), f.dscr_headroom.tolist()
        ([0.9, 0.2], ['growth', ''], [nan, nan])
        >>> client_facts(client_ids=["A"], utilisation=[-0.1])
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `utilisation[0]` must be a finite number >= 0; got -0.1.
    """
    return build_facts(client_ids, facts, check_unique=True)


def build_facts(
    client_ids: npt.ArrayLike,
    facts: Mapping[str, npt.ArrayLike | None],
    *,
    check_unique: bool,
) -> ClientFacts:
    """`client_facts`, optionally without the id uniqueness check.

    The batch view checks its ids once on the clients frame and passes
    ``check_unique=False`` here to skip a second pass over a million ids.
    """
    unknown = sorted(set(facts) - set(_FIELDS))
    if unknown:
        raise InvalidValueError(
            field=unknown[0],
            value=unknown[0],
            expected="a fact name of ClientFacts (" + ", ".join(_FIELDS[1:]) + ")",
        )
    ids = np.asarray(client_ids)
    # the batch view (check_unique=False) passes its checked ids as Python strings:
    # kept as they are, not copied into a fixed-width string array
    if ids.dtype.kind != "U" and (check_unique or ids.dtype.kind != "O"):
        ids = ids.astype(object).astype(str)
    ids = ids.reshape(-1)
    n = len(ids)
    if check_unique and n and len(set(ids.tolist())) != n:
        _, first = np.unique(ids, return_index=True)
        dup = np.setdiff1d(np.arange(n), first)[0]
        raise InvalidValueError(
            field=f"client_ids[{dup}]",
            value=str(ids[dup]),
            expected="a client id not already listed (one row per client)",
        )
    out: dict[str, object] = {"client_ids": ids}
    for name in _STRS:
        given = facts.get(name)
        out[name] = (
            np.full(n, "", dtype=str) if given is None else _strings(given, name, ids)
        )
    for name, (lower, upper, allow_nan, neutral) in _FLOATS.items():
        given = facts.get(name)
        if given is None:
            out[name] = np.full(n, neutral, dtype=np.float64)
            continue
        arr = as_float_array(
            given, name=name, lower=lower, upper=upper, allow_nan=allow_nan
        )
        out[name] = _sized(arr, name, ids)
    for name in _BOOLS:
        given = facts.get(name)
        out[name] = (
            np.zeros(n, dtype=bool)
            if given is None
            else _sized(as_bool_array(given, name=name), name, ids)
        )
    return ClientFacts(**out)  # type: ignore[arg-type]


def _sized(arr: _A, name: str, ids: StrArray) -> _A:
    """``arr`` with a single value repeated for every client; refuses other lengths."""
    if arr.shape == (1,) and len(ids) != 1:
        return np.repeat(arr, len(ids))
    check_same_length(client_ids=ids, **{name: arr})
    return arr
