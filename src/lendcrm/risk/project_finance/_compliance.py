"""Covenant compliance over a book: every covenant, every test date, vectorised.

For each (facility, covenant, test date) `covenant_tests` computes the metric
(`_metric_values`), its headroom to the threshold, a status by the covenant's levels,
breaches and cures; per facility it counts the breaches of the last twelve months and
keeps the tightest latest headroom. The status reuses the semantics of `Covenant`
exactly: ``met`` is `Covenant.is_met`, ``locked_up`` is `Covenant.is_locked_up`,
``in_default`` is `Covenant.is_in_default` (a value exactly at a level passes it).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Final, Literal

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray, FloatArray, IntArray
from lendcrm._dates import check_as_of
from lendcrm._enums import CovenantMetric
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.risk.project_finance._calendar import DayArray, covenant_calendar
from lendcrm.risk.project_finance._inputs import (
    CashFlowArrays,
    CollateralArrays,
    CovenantArrays,
    FacilityArrays,
    ObservationArrays,
    StatementArrays,
    missing_input_names,
)
from lendcrm.risk.project_finance._metric_values import MetricSources, metric_values

__all__ = [
    "CovenantStatus",
    "CovenantTests",
    "MissingPolicy",
    "covenant_tests",
    "missing_error",
    "twelve_months_before",
]

#: What to do with a test whose metric cannot be computed: raise, or report NaN.
MissingPolicy = Literal["raise", "nan"]


class CovenantStatus(StrEnum):
    """The outcome of one covenant test, from best to worst (`missing`: not computed).

    Examples:
        >>> [s.value for s in CovenantStatus]
        ['met', 'below_threshold', 'locked_up', 'in_default', 'missing']
    """

    #: The metric meets the threshold (`Covenant.is_met`).
    MET = "met"
    #: Not met, but within the lock-up level (or there is none).
    BELOW_THRESHOLD = "below_threshold"
    #: Beyond the lock-up level (`Covenant.is_locked_up`), not in default.
    LOCKED_UP = "locked_up"
    #: Beyond the event-of-default level (`Covenant.is_in_default`).
    IN_DEFAULT = "in_default"
    #: The metric could not be computed (only with ``missing="nan"``).
    MISSING = "missing"


_STATUS_CODE: Final = {s: np.int8(i) for i, s in enumerate(CovenantStatus)}


@attrs.frozen(kw_only=True, eq=False)
class CovenantTests:
    """Covenant tests of a book: one row per (facility, covenant, test date).

    Rows are ordered by covenant, then test date. Per-facility arrays are
    ``(n_facilities,)`` in the order of the facilities given.

    Attributes:
        covenant: Row of the covenant in the `CovenantArrays` (or its position in
            ``facility.covenants`` for `facility_covenant_tests`).
        facility: Row of the facility.
        test_date: The test date (``datetime64[D]``).
        value: The metric on that date (x, or a fraction for loan to value); NaN
            when missing.
        headroom: ``value - threshold`` for a floor (``at_least``), ``threshold -
            value`` for a cap (``at_most``), in the metric's units; negative when
            the threshold is not met.
        headroom_share: ``headroom / |threshold|`` (a fraction; NaN for a zero
            threshold).
        status: Code of the `CovenantStatus` (its position in ``tuple(CovenantStatus)``).
        breach: The threshold is not met (statuses below ``met``; not ``missing``).
        cure: A met test right after a breach of the same covenant.
        missing: Bit mask of the inputs the metric lacks (`missing_input_names`).
        facility_breaches_12m: Per facility, breaches of all its covenants with a
            test date in the twelve months up to ``as_of`` (after the same day a year
            earlier).
        facility_latest_headroom_share: Per facility, the smallest
            ``headroom_share`` among its covenants' latest computed tests (the
            tightest covenant); NaN without one.
    """

    covenant: IntArray
    facility: IntArray
    test_date: DayArray
    value: FloatArray
    headroom: FloatArray
    headroom_share: FloatArray
    status: npt.NDArray[np.int8]
    breach: BoolArray
    cure: BoolArray
    missing: IntArray
    facility_breaches_12m: IntArray
    facility_latest_headroom_share: FloatArray

    def __len__(self) -> int:
        """Number of tests."""
        return len(self.covenant)

    def statuses(self) -> tuple[CovenantStatus, ...]:
        """The status of every test as `CovenantStatus` members."""
        members = tuple(CovenantStatus)
        return tuple(members[int(c)] for c in self.status)

    def missing_inputs(self, i: int) -> tuple[str, ...]:
        """The inputs test ``i`` lacks (empty when it was computed)."""
        return missing_input_names(int(self.missing[i]))


def twelve_months_before(as_of: dt.date) -> dt.date:
    """The same day a year earlier (28 February for 29 February).

    Examples:
        >>> twelve_months_before(dt.date(2024, 2, 29))
        datetime.date(2023, 2, 28)
    """
    day = 28 if (as_of.month, as_of.day) == (2, 29) else as_of.day
    return dt.date(as_of.year - 1, as_of.month, day)


def missing_error(
    *,
    facility: str,
    position: int,
    metric: str,
    on: object,
    names: tuple[str, ...],
    count: int,
    total: int,
    detail: str = "",
) -> InvalidValueError:
    """The error for a covenant metric that cannot be computed (both forms)."""
    hint = (
        f"{count} of {total} covenant tests lack inputs; pass missing='nan' to report "
        "them as NaN with the inputs they lack."
    )
    return InvalidValueError(
        field=f"facilities[{facility}].covenants[{position}].{metric}",
        value=None,
        expected=f"computable on {on}: needs {', '.join(names)}",
        hint=f"{detail} {hint}" if detail else hint,
    )


def _status(
    value: FloatArray,
    floor: BoolArray,
    threshold: FloatArray,
    lock_up: FloatArray,
    default: FloatArray,
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.int8]]:
    """Headroom, headroom share and status code per test (NaN value: missing)."""
    with np.errstate(invalid="ignore"):
        headroom = np.where(floor, value - threshold, threshold - value)
    share = np.full(len(value), np.nan)
    nonzero = threshold != 0.0
    share[nonzero] = headroom[nonzero] / np.abs(threshold[nonzero])

    def holds(level: FloatArray) -> BoolArray:  # CovenantOperator.holds, vectorised
        return np.where(floor, value >= level, value <= level)

    status = np.where(
        holds(threshold),
        _STATUS_CODE[CovenantStatus.MET],
        _STATUS_CODE[CovenantStatus.BELOW_THRESHOLD],
    )
    status = np.where(
        ~np.isnan(lock_up) & ~holds(lock_up),
        _STATUS_CODE[CovenantStatus.LOCKED_UP],
        status,
    )
    status = np.where(
        ~np.isnan(default) & ~holds(default),
        _STATUS_CODE[CovenantStatus.IN_DEFAULT],
        status,
    )
    status = np.where(np.isnan(value), _STATUS_CODE[CovenantStatus.MISSING], status)
    return headroom, share, status.astype(np.int8)


def _per_facility(
    n_facilities: int,
    *,
    covenant: IntArray,
    facility: IntArray,
    test_date: DayArray,
    breach: BoolArray,
    share: FloatArray,
    computed: BoolArray,
    as_of: dt.date,
) -> tuple[IntArray, FloatArray]:
    """Breaches in the twelve months to ``as_of`` and the tightest latest headroom."""
    recent = breach & (test_date > np.datetime64(twelve_months_before(as_of), "D"))
    breaches = np.bincount(facility[recent], minlength=n_facilities).astype(np.int64)
    rows = np.flatnonzero(computed)
    keys = covenant[rows]
    last = rows[np.append(keys[1:] != keys[:-1], True)] if len(rows) else rows
    latest = np.full(n_facilities, np.inf)
    np.minimum.at(latest, facility[last], share[last])
    has = np.bincount(facility[last], minlength=n_facilities) > 0
    return breaches, np.where(has, latest, np.nan)


def _check_sources(
    *,
    facilities: object,
    covenants: object,
    statements: object,
    observations: object,
    collateral: object,
    cash_flows: object,
) -> None:
    """Refuse a source of the wrong type by its parameter name."""
    require_instance(
        facilities, FacilityArrays, name="facilities", what="a FacilityArrays"
    )
    require_instance(
        covenants, CovenantArrays, name="covenants", what="a CovenantArrays"
    )
    optional = (
        ("statements", statements, StatementArrays),
        ("observations", observations, ObservationArrays),
        ("collateral", collateral, CollateralArrays),
        ("cash_flows", cash_flows, CashFlowArrays),
    )
    for name, value, cls in optional:
        if value is not None:
            require_instance(value, cls, name=name, what=f"a {cls.__name__} or None")


def covenant_tests(
    facilities: FacilityArrays,
    covenants: CovenantArrays,
    *,
    as_of: dt.date,
    statements: StatementArrays | None = None,
    observations: ObservationArrays | None = None,
    collateral: CollateralArrays | None = None,
    cash_flows: CashFlowArrays | None = None,
    missing: MissingPolicy = "raise",
) -> CovenantTests:
    """Test every covenant of a book on every test date up to ``as_of``.

    The test dates come from each covenant's frequency (`covenant_calendar`); the
    metric from the statements, observations, collateral values or project cash flows
    of the date (see the "Covenant compliance" explanation page); the status from the
    covenant's levels, as `Covenant.is_met`, `Covenant.is_locked_up` and
    `Covenant.is_in_default` decide.

    Args:
        facilities: The facilities (dates, owners, drawn balance).
        covenants: The covenants, each pointing at its facility.
        as_of: Business date: the last date a test may fall on.
        statements: Financial statements of the facilities' clients.
        observations: Facility observations (drawn balance per period end).
        collateral: Collateral items and their valuations.
        cash_flows: Project cash-flow forecasts and debt rates.
        missing: ``"raise"`` (default): a metric that cannot be computed raises,
            naming the facility, covenant, date and inputs; ``"nan"``: its value is
            NaN, its status ``missing``, and `CovenantTests.missing` names the inputs.

    Returns:
        A `CovenantTests`.

    Raises:
        InvalidValueError: a covenant points at no facility, an invalid ``as_of`` or
            ``missing``; or, with ``missing="raise"``, a metric that cannot be
            computed (the first one in row order; the message counts them all).

    Examples:
        >>> import datetime as dt
        >>> import numpy as np
        >>> f = FacilityArrays(start_on=["2024-01-15"], maturity_on=["2031-01-15"],
        ...                    client=[0], project=[-1], drawn=[8.0])
        >>> c = CovenantArrays(facility=[0], metric=[4], operator=[0],  # interest cover
        ...     threshold=[4.0], lock_up_level=[3.0], default_level=[2.0],
        ...     frequency_months=[6])
        >>> amounts = np.full((2, 15), np.nan)
        >>> amounts[:, [1, 3]] = [[50.0, 10.0], [30.0, 10.0]]  # EBITDA, interest
        >>> s = StatementArrays(client=[0, 0], period_end=["2023-12-31", "2024-12-31"],
        ...                     amounts=amounts)
        >>> t = covenant_tests(f, c, statements=s, as_of=dt.date(2025, 3, 31))
        >>> t.test_date.astype(str).tolist(), t.value.tolist()
        (['2024-06-30', '2024-12-31'], [5.0, 3.0])
        >>> [s.value for s in t.statuses()], t.headroom.tolist(), t.cure.tolist()
        (['met', 'below_threshold'], [1.0, -1.0], [False, False])
        >>> t.facility_breaches_12m.tolist(), t.facility_latest_headroom_share.tolist()
        ([1], [-0.25])
    """
    as_of = check_as_of(as_of)
    _check_sources(
        facilities=facilities,
        covenants=covenants,
        statements=statements,
        observations=observations,
        collateral=collateral,
        cash_flows=cash_flows,
    )
    if not isinstance(missing, str) or missing not in ("raise", "nan"):  # type: ignore[redundant-expr]
        raise InvalidValueError(
            field="missing", value=missing, expected="'raise' or 'nan'"
        )
    outside = covenants.facility >= len(facilities)
    if outside.any():
        i = int(np.argmax(outside))
        raise InvalidValueError(
            field=f"covenants.facility[{i}]",
            value=int(covenants.facility[i]),
            expected=f"a facility row < {len(facilities)}",
        )
    fac_of = covenants.facility
    owner, test_date = covenant_calendar(
        facilities.start_on[fac_of],
        facilities.maturity_on[fac_of],
        covenants.frequency_months,
        as_of=as_of,
    )
    facility = fac_of[owner]
    sources = MetricSources(
        facilities, statements, observations, collateral, cash_flows
    )
    value, lacks = metric_values(facility, covenants.metric[owner], test_date, sources)
    if missing == "raise" and lacks.any():
        raise _first_missing(
            covenants,
            facilities,
            owner=owner,
            test_date=test_date,
            lacks=lacks,
            sources=sources,
        )
    headroom, share, status = _status(
        value,
        covenants.operator[owner] == 0,
        covenants.threshold[owner],
        covenants.lock_up_level[owner],
        covenants.default_level[owner],
    )
    met = status == _STATUS_CODE[CovenantStatus.MET]
    breach = ~met & (status != _STATUS_CODE[CovenantStatus.MISSING])
    cure = np.zeros(len(owner), dtype=bool)
    cure[1:] = (owner[1:] == owner[:-1]) & breach[:-1] & met[1:]
    breaches, latest = _per_facility(
        len(facilities),
        covenant=owner,
        facility=facility,
        test_date=test_date,
        breach=breach,
        share=share,
        computed=~np.isnan(value),
        as_of=as_of,
    )
    return CovenantTests(
        covenant=owner,
        facility=facility,
        test_date=test_date,
        value=value,
        headroom=headroom,
        headroom_share=share,
        status=status,
        breach=breach,
        cure=cure,
        missing=lacks,
        facility_breaches_12m=breaches,
        facility_latest_headroom_share=latest,
    )


def _first_missing(
    covenants: CovenantArrays,
    facilities: FacilityArrays,
    *,
    owner: IntArray,
    test_date: DayArray,
    lacks: IntArray,
    sources: MetricSources,
) -> InvalidValueError:
    row = int(np.argmax(lacks != 0))
    j = int(owner[row])
    f = int(covenants.facility[j])
    metric = tuple(CovenantMetric)[int(covenants.metric[j])]
    project = int(facilities.project[f])
    return missing_error(
        facility=facilities.label(f),
        position=int(np.count_nonzero(covenants.facility[:j] == f)),
        metric=metric.value,
        on=test_date[row],
        names=missing_input_names(int(lacks[row])),
        count=int(np.count_nonzero(lacks)),
        total=len(lacks),
        detail=sources.project_errors.get((project, int(covenants.metric[j])), ""),
    )
