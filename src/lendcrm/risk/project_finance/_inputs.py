"""The array inputs of `covenant_tests`: facilities, covenants and their histories.

Entities travel as integer codes: a facility is its row in `FacilityArrays`, a client
or a project any code shared by the facilities and the statements or cash flows that
belong to it. Dates are ``datetime64[D]``; amounts are float64 in the owner's currency
with NaN for "not given" where a field allows it. Histories are sorted by owner, then
date, one record per owner and date, so a test date finds its record with one
`numpy.searchsorted`.

`METRIC_INPUTS` names the inputs a metric can lack; a test's ``missing`` bit mask has
bit ``i`` set when it lacks ``METRIC_INPUTS[i]``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Final, TypeVar

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray
from lendcrm._enums import CovenantMetric
from lendcrm._history import STATEMENT_AMOUNTS
from lendcrm._validators import require_int, require_labels
from lendcrm.errors import InvalidValueError
from lendcrm.risk.project_finance._calendar import FREQUENCY_MONTHS, DayArray

__all__ = [
    "METRIC_INPUTS",
    "CashFlowArrays",
    "CollateralArrays",
    "CovenantArrays",
    "FacilityArrays",
    "ObservationArrays",
    "StatementArrays",
    "missing_bit",
    "missing_input_names",
]

#: What a covenant metric can lack on a test date, in bit order: no statement on or
#: before the date; a statement amount that is not given (or zero where it divides);
#: observations that exist but none on or before the date; no collateral; a
#: collateral valued before but not on or before the date; a zero collateral value;
#: no project (LLCR and PLCR need one); no cash-flow period for the date or a
#: cash-flow forecast the project-finance ratios refuse; no debt rate (LLCR, PLCR).
METRIC_INPUTS: Final[tuple[str, ...]] = (
    "statement",
    *STATEMENT_AMOUNTS,
    "observation",
    "collateral",
    "valuation",
    "collateral_value",
    "project",
    "cash_flows",
    "debt_rate",
)


def missing_bit(name: str) -> int:
    """The bit of ``name`` in a ``missing`` mask.

    Examples:
        >>> missing_bit("statement"), missing_bit("ebitda")
        (1, 4)
    """
    return 1 << METRIC_INPUTS.index(name)


def missing_input_names(mask: int) -> tuple[str, ...]:
    """The inputs a ``missing`` bit mask names, in `METRIC_INPUTS` order.

    Raises:
        InvalidValueError: ``mask`` is not an int >= 0.

    Examples:
        >>> missing_input_names(missing_bit("ebitda") | missing_bit("interest_expense"))
        ('ebitda', 'interest_expense')
    """
    bits = require_int(mask, name="mask", lower=0)
    return tuple(name for i, name in enumerate(METRIC_INPUTS) if bits >> i & 1)


class _UnconvertibleError(Exception):
    """Values numpy cannot convert; `_names_fields` turns it into a named refusal."""

    def __init__(self, values: object, dtype: str) -> None:
        super().__init__(dtype)
        self.values = values
        self.dtype = dtype


def _as(values: object, dtype: str) -> npt.NDArray[Any]:
    try:
        return np.asarray(values, dtype=dtype)
    except (TypeError, ValueError, OverflowError):  # OverflowError: inf as a code
        raise _UnconvertibleError(values, dtype) from None


_C = TypeVar("_C", bound=type)


def _names_fields(owner: str) -> Callable[[_C], _C]:
    """Make a conversion refusal name the field, ``owner.field``.

    attrs does not tell a converter which field it converts: the refusal is raised
    here, where the arguments are known.
    """

    def wrap(cls: _C) -> _C:
        init = vars(cls)["__init__"]
        names = [f.name for f in attrs.fields(cls)]

        @functools.wraps(init)
        def checked_init(self: object, **kwargs: object) -> None:
            try:
                init(self, **kwargs)
            except (
                _UnconvertibleError
            ) as exc:  # the first field (attrs order) holding it
                name = next(n for n in names if kwargs.get(n) is exc.values)
                raise InvalidValueError(
                    field=f"{owner}.{name}",
                    value=type(exc.values).__name__,
                    expected=f"{exc.dtype} values",
                ) from None

        setattr(cls, "__init__", checked_init)  # noqa: B010 - mypy: no method assignment
        return cls

    return wrap


def _days(values: object) -> DayArray:
    return _as(values, "datetime64[D]")


def _codes(values: object) -> IntArray:
    return _as(values, "int64")


def _floats(values: object) -> FloatArray:
    return _as(values, "float64")


def _ids(values: object) -> npt.NDArray[np.object_] | None:
    if values is None:
        return None
    labels = require_labels(values, name="facilities.ids", what="facility ids")
    return np.asarray(labels, dtype=object)


def _fail(
    name: str, bad: npt.NDArray[np.bool_], arr: npt.NDArray[Any], rule: str
) -> None:
    if bad.any():
        i = int(np.argmax(bad))
        value = arr[i].item() if arr.ndim == 1 else arr[i].tolist()
        raise InvalidValueError(field=f"{name}[{i}]", value=value, expected=rule)


def _check(owner: str, **arrays: npt.NDArray[Any]) -> int:
    """One length for all; dates not NaT; floats not infinite; codes >= 0 (or -1)."""
    n = -1
    first = ""
    for name, arr in arrays.items():
        if arr.ndim != 1 and not (name == "amounts" and arr.ndim == 2):  # noqa: PLR2004
            raise InvalidValueError(
                field=f"{owner}.{name}",
                value=f"array of shape {arr.shape}",
                expected="one-dimensional",
            )
        if n < 0:
            n, first = len(arr), name
        elif len(arr) != n:
            raise InvalidValueError(
                field=f"{owner}.{name}",
                value=f"length {len(arr)}",
                expected=f"the same length as `{first}` ({n})",
            )
        path = f"{owner}.{name}"
        if arr.dtype.kind == "M":
            _fail(path, np.isnat(arr), arr, "a date")
        elif arr.dtype.kind == "f":
            _fail(path, np.isinf(arr), arr, "a finite number or NaN (not given)")
        elif name != "project":
            _fail(path, arr < 0, arr, "a code >= 0")
        else:
            _fail(path, arr < -1, arr, "a code >= 0, or -1 for none")
    return n


def _check_sorted(owner: str, codes: IntArray, days: DayArray, date: str) -> None:
    """Owners in ascending order, then dates strictly ascending within an owner."""
    if len(codes) < 2:  # noqa: PLR2004
        return
    step = np.diff(codes)
    bad = (step < 0) | ((step == 0) & (np.diff(days) <= np.timedelta64(0, "D")))
    if bad.any():
        i = int(np.argmax(bad)) + 1
        raise InvalidValueError(
            field=f"{owner}.{date}[{i}]",
            value=str(days[i]),
            expected=f"after {days[i - 1]} (sorted by owner, then date, one record "
            "per owner and date)",
        )


@_names_fields("facilities")
@attrs.frozen(kw_only=True, eq=False)
class FacilityArrays:
    """Per facility, ``(n_facilities,)`` each: dates, owners and drawn balance.

    Attributes:
        start_on: Start date (``datetime64[D]``).
        maturity_on: Final maturity.
        client: Code of the borrower (matches `StatementArrays.client`).
        project: Code of the financed project (matches `CashFlowArrays.project`),
            -1 for a corporate facility.
        drawn: Drawn balance today, >= 0 (used where it has no observations).
        ids: Facility ids for error messages (optional; else the position ``i``).

    Examples:
        >>> f = FacilityArrays(start_on=["2024-01-15"], maturity_on=["2031-01-15"],
        ...                    client=[0], project=[-1], drawn=[8.0])
        >>> len(f), f.start_on.dtype
        (1, dtype('<M8[D]'))
    """

    start_on: DayArray = attrs.field(converter=_days)
    maturity_on: DayArray = attrs.field(converter=_days)
    client: IntArray = attrs.field(converter=_codes)
    project: IntArray = attrs.field(converter=_codes)
    drawn: FloatArray = attrs.field(converter=_floats)
    ids: npt.NDArray[np.object_] | None = attrs.field(default=None, converter=_ids)

    def __attrs_post_init__(self) -> None:
        """Aligned arrays, dates given, drawn >= 0."""
        _check(
            "facilities",
            start_on=self.start_on,
            maturity_on=self.maturity_on,
            client=self.client,
            project=self.project,
            drawn=self.drawn,
        )
        if self.ids is not None and len(self.ids) != len(self.start_on):
            raise InvalidValueError(
                field="facilities.ids",
                value=f"length {len(self.ids)}",
                expected=f"the same length as `start_on` ({len(self.start_on)})",
            )
        _fail("facilities.drawn", ~(self.drawn >= 0), self.drawn, "an amount >= 0")

    def __len__(self) -> int:
        """Number of facilities."""
        return len(self.start_on)

    def label(self, i: int) -> str:
        """How messages name facility ``i``: its id, else its position."""
        return repr(str(self.ids[i])) if self.ids is not None else str(i)


@_names_fields("covenants")
@attrs.frozen(kw_only=True, eq=False)
class CovenantArrays:
    """Per covenant, ``(n_covenants,)`` each: the `Covenant` fields as codes and floats.

    Attributes:
        facility: Row of the covenant's facility in `FacilityArrays`.
        metric: Position of the metric in ``tuple(CovenantMetric)``.
        operator: Position of the operator in ``tuple(CovenantOperator)``
            (0 ``at_least``, a floor; 1 ``at_most``, a cap).
        threshold: The covenant level (x, or a fraction for loan to value).
        lock_up_level: Lock-up level, NaN when there is none.
        default_level: Event-of-default level, NaN when there is none.
        frequency_months: Months between tests (`TestFrequency.months`).

    Examples:
        >>> c = CovenantArrays(facility=[0], metric=[4], operator=[1],
        ...     threshold=[3.5], lock_up_level=[float("nan")],
        ...     default_level=[4.5], frequency_months=[3])
        >>> len(c)
        1
    """

    facility: IntArray = attrs.field(converter=_codes)
    metric: IntArray = attrs.field(converter=_codes)
    operator: IntArray = attrs.field(converter=_codes)
    threshold: FloatArray = attrs.field(converter=_floats)
    lock_up_level: FloatArray = attrs.field(converter=_floats)
    default_level: FloatArray = attrs.field(converter=_floats)
    frequency_months: IntArray = attrs.field(converter=_codes)

    def __attrs_post_init__(self) -> None:
        """Aligned arrays and codes in range."""
        _check(
            "covenants",
            facility=self.facility,
            metric=self.metric,
            operator=self.operator,
            threshold=self.threshold,
            lock_up_level=self.lock_up_level,
            default_level=self.default_level,
            frequency_months=self.frequency_months,
        )
        last = len(CovenantMetric) - 1
        _fail(
            "covenants.metric", self.metric > last, self.metric, f"a code in 0..{last}"
        )
        _fail("covenants.operator", self.operator > 1, self.operator, "0 or 1")
        _fail(
            "covenants.threshold",
            np.isnan(self.threshold),
            self.threshold,
            "a finite number",
        )
        _fail(
            "covenants.frequency_months",
            ~np.isin(self.frequency_months, FREQUENCY_MONTHS),
            self.frequency_months,
            f"one of {FREQUENCY_MONTHS}",
        )

    def __len__(self) -> int:
        """Number of covenants."""
        return len(self.facility)


@_names_fields("statements")
@attrs.frozen(kw_only=True, eq=False)
class StatementArrays:
    """Financial statements, sorted by client, then ``period_end`` (one per date).

    Attributes:
        client: Code of the client (as `FacilityArrays.client`).
        period_end: Last day of the fiscal period.
        amounts: ``(n, 15)`` float64, the `FinancialStatement` amounts in the order
            of ``lendcrm._history.STATEMENT_AMOUNTS`` (revenue, ebitda, ebit,
            interest_expense, total_debt, cash, net_debt, total_assets,
            total_liabilities, equity, current_assets, current_liabilities, capex,
            operating_cash_flow, debt_service); NaN where not given.

    Examples:
        >>> s = StatementArrays(client=[0], period_end=["2024-12-31"],
        ...                     amounts=np.full((1, 15), np.nan))
        >>> len(s)
        1
    """

    client: IntArray = attrs.field(converter=_codes)
    period_end: DayArray = attrs.field(converter=_days)
    amounts: FloatArray = attrs.field(converter=_floats)

    def __attrs_post_init__(self) -> None:
        """Aligned, 15 amount columns, sorted."""
        _check(
            "statements",
            client=self.client,
            period_end=self.period_end,
            amounts=self.amounts,
        )
        if self.amounts.ndim != 2 or self.amounts.shape[1] != len(STATEMENT_AMOUNTS):  # noqa: PLR2004
            raise InvalidValueError(
                field="statements.amounts",
                value=f"array of shape {self.amounts.shape}",
                expected=f"shape (n, {len(STATEMENT_AMOUNTS)}): one column per "
                "statement amount",
            )
        _check_sorted("statements", self.client, self.period_end, "period_end")

    def __len__(self) -> int:
        """Number of statements."""
        return len(self.client)


@_names_fields("observations")
@attrs.frozen(kw_only=True, eq=False)
class ObservationArrays:
    """Facility observations, sorted by facility, then ``period_end``.

    Attributes:
        facility: Row of the facility in `FacilityArrays`.
        period_end: Observation date.
        drawn: Drawn balance at that date, >= 0.

    Examples:
        >>> len(ObservationArrays(facility=[0, 0], drawn=[8.0, 7.5],
        ...                       period_end=["2025-03-31", "2025-06-30"]))
        2
    """

    facility: IntArray = attrs.field(converter=_codes)
    period_end: DayArray = attrs.field(converter=_days)
    drawn: FloatArray = attrs.field(converter=_floats)

    def __attrs_post_init__(self) -> None:
        """Aligned, drawn >= 0, sorted."""
        _check(
            "observations",
            facility=self.facility,
            period_end=self.period_end,
            drawn=self.drawn,
        )
        _fail("observations.drawn", ~(self.drawn >= 0), self.drawn, "an amount >= 0")
        _check_sorted("observations", self.facility, self.period_end, "period_end")

    def __len__(self) -> int:
        """Number of observations."""
        return len(self.facility)


@_names_fields("collateral")
@attrs.frozen(kw_only=True, eq=False)
class CollateralArrays:
    """Collateral items (sorted by facility) and their dated valuations.

    Attributes:
        facility: Row of the secured facility in `FacilityArrays`, ascending.
        value: Market value today, >= 0 (used where an item has no valuations).
        valuation_collateral: Row of the valued item in these arrays.
        valued_on: Valuation date; sorted by item, then date.
        valuation_value: The value on that date, >= 0.

    Examples:
        >>> c = CollateralArrays(facility=[0], value=[12.0], valuation_collateral=[0],
        ...                      valued_on=["2024-12-31"], valuation_value=[11.0])
        >>> len(c)
        1
    """

    facility: IntArray = attrs.field(converter=_codes)
    value: FloatArray = attrs.field(converter=_floats)
    valuation_collateral: IntArray = attrs.field(
        factory=lambda: np.zeros(0, np.int64), converter=_codes
    )
    valued_on: DayArray = attrs.field(
        factory=lambda: np.zeros(0, "datetime64[D]"), converter=_days
    )
    valuation_value: FloatArray = attrs.field(
        factory=lambda: np.zeros(0), converter=_floats
    )

    def __attrs_post_init__(self) -> None:
        """Aligned, values >= 0, sorted, valuations of known items."""
        _check("collateral", facility=self.facility, value=self.value)
        _fail("collateral.value", ~(self.value >= 0), self.value, "an amount >= 0")
        _fail(
            "collateral.facility",
            np.diff(self.facility, prepend=0) < 0,
            self.facility,
            "ascending (collateral sorted by facility)",
        )
        _check(
            "collateral",
            valuation_collateral=self.valuation_collateral,
            valued_on=self.valued_on,
            valuation_value=self.valuation_value,
        )
        _fail(
            "collateral.valuation_value",
            ~(self.valuation_value >= 0),
            self.valuation_value,
            "an amount >= 0",
        )
        _fail(
            "collateral.valuation_collateral",
            self.valuation_collateral >= len(self.facility),
            self.valuation_collateral,
            f"a collateral row < {len(self.facility)}",
        )
        _check_sorted(
            "collateral", self.valuation_collateral, self.valued_on, "valued_on"
        )

    def __len__(self) -> int:
        """Number of collateral items."""
        return len(self.facility)


@_names_fields("cash_flows")
@attrs.frozen(kw_only=True, eq=False)
class CashFlowArrays:
    """Project cash-flow forecasts, sorted by project, then ``period_end``.

    The arrays of `lendcrm.CashFlow` per project, as the ``project_*`` forms read
    them: CFADS per period and the debt service of the leading run of periods that
    set it (NaN after the debt's maturity).

    Attributes:
        project: Code of the project (as `FacilityArrays.project`).
        period_end: Last day of the cash-flow period.
        cfads: CFADS of the period (may be negative).
        debt_service: Debt service of the period, >= 0, NaN when unset.
        debt_rate: Per project code, the debt's interest rate *per cash-flow period*
            (as `llcr`), NaN when unknown (then LLCR and PLCR are missing).

    Examples:
        >>> cf = CashFlowArrays(project=[0, 0], period_end=["2025-12-31", "2026-12-31"],
        ...     cfads=[130.0, 143.0], debt_service=[100.0, float("nan")],
        ...     debt_rate=[0.10])
        >>> len(cf)
        2
    """

    project: IntArray = attrs.field(converter=_codes)
    period_end: DayArray = attrs.field(converter=_days)
    cfads: FloatArray = attrs.field(converter=_floats)
    debt_service: FloatArray = attrs.field(converter=_floats)
    debt_rate: FloatArray = attrs.field(factory=lambda: np.zeros(0), converter=_floats)

    def __attrs_post_init__(self) -> None:
        """Aligned, sorted, CFADS given, debt service >= 0, rates > -1."""
        _check(
            "cash_flows",
            project=self.project,
            period_end=self.period_end,
            cfads=self.cfads,
            debt_service=self.debt_service,
        )
        _fail("cash_flows.project", self.project < 0, self.project, "a code >= 0")
        _fail("cash_flows.cfads", np.isnan(self.cfads), self.cfads, "a finite number")
        _fail(
            "cash_flows.debt_service",
            self.debt_service < 0,
            self.debt_service,
            "an amount >= 0 or NaN (unset)",
        )
        _check("cash_flows", debt_rate=self.debt_rate)
        _fail(
            "cash_flows.debt_rate",
            self.debt_rate <= -1,
            self.debt_rate,
            "a rate per period > -1, or NaN (unknown)",
        )
        _check_sorted("cash_flows", self.project, self.period_end, "period_end")

    def __len__(self) -> int:
        """Number of cash-flow periods."""
        return len(self.project)
