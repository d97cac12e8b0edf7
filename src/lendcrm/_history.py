"""Dated records of a relationship: ratings, facility observations, statements, valuations.

An entity's snapshot fields (`Client.rating_grade`, `Facility.drawn`, ...) say where a
relationship stands; these records say how it got there. Each is a frozen value object
with a date; an entity holds them as a tuple ordered by that date, one record per date
(`check_history`). Amounts are `Money` in one currency per series.

Examples:
    >>> import datetime as dt
    >>> r = RatingRecord(rated_on=dt.date(2025, 6, 30), grade="5", rater="corp-model-v3")
    >>> r.grade, r.override
    ('5', False)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

import attrs

from lendcrm._enums import CovenantMetric, ValuationMethod
from lendcrm._money import Money
from lendcrm._validators import (
    enum_of,
    fraction_in,
    instance_of,
    is_date,
    non_empty_str,
    non_negative_int,
    non_negative_money,
    optional,
    positive_int,
    same_currency,
)
from lendcrm.errors import InvalidValueError

__all__ = [
    "STATEMENT_AMOUNTS",
    "CollateralValuation",
    "FacilityObservation",
    "FinancialStatement",
    "RatingRecord",
    "check_client_histories",
    "check_history",
]


def check_history(records: Sequence[Any], *, date: str, owner: str, field: str) -> None:
    """Require records strictly ordered by their ``date`` attribute (one per date).

    Args:
        records: The records, oldest first.
        date: Name of the date attribute (``"period_end"``, ``"rated_on"``, ...).
        owner: The entity, for the message (``"client 'C-1'"``).
        field: The entity's field holding the records (``"ratings"``).

    Raises:
        InvalidValueError: A date repeats or is out of order; the message names the
            entity, the record's index and both dates.

    Examples:
        >>> import datetime as dt
        >>> recs = [RatingRecord(rated_on=dt.date(2025, 6, 30), grade="5"),
        ...         RatingRecord(rated_on=dt.date(2025, 6, 30), grade="6")]
        >>> check_history(recs, date="rated_on", owner="client 'C-1'", field="ratings")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `ratings[1].rated_on` must be after 2025-06-30 (one record per date, oldest first) for client 'C-1'; got datetime.date(2025, 6, 30).
    """
    previous: dt.date | None = None
    for i, record in enumerate(records):
        current: dt.date = getattr(record, date)
        if previous is not None and current <= previous:
            raise InvalidValueError(
                field=f"{field}[{i}].{date}",
                value=current,
                expected=f"after {previous.isoformat()} (one record per date, oldest "
                f"first) for {owner}",
            )
        previous = current


class _MeasuredPeriod(Protocol):
    """What the checks read of a `RelationshipMeasures`."""

    @property
    def period_end(self) -> dt.date: ...
    @property
    def revenue_to_bank(self) -> Money: ...


class _ClientHistories(Protocol):
    """What `check_client_histories` reads of a `Client` (the entities import this module)."""

    @property
    def id(self) -> str: ...
    @property
    def annual_revenue(self) -> Money: ...
    @property
    def measures(self) -> _MeasuredPeriod | None: ...
    @property
    def measures_history(self) -> tuple[_MeasuredPeriod, ...]: ...
    @property
    def rating_grade(self) -> str | None: ...
    @property
    def ratings(self) -> tuple[RatingRecord, ...]: ...
    @property
    def statements(self) -> tuple[FinancialStatement, ...]: ...


def check_client_histories(client: _ClientHistories) -> None:
    """The history rules of a `Client` (see its docstring); raises `InvalidValueError`."""
    owner = f"client {client.id!r}"
    check_history(
        client.measures_history,
        date="period_end",
        owner=owner,
        field="measures_history",
    )
    check_history(client.ratings, date="rated_on", owner=owner, field="ratings")
    check_history(client.statements, date="period_end", owner=owner, field="statements")
    if client.measures_history and client.measures != client.measures_history[-1]:
        raise InvalidValueError(
            field="measures",
            value=client.measures,
            expected=f"the last period of `measures_history` (period_end "
            f"{client.measures_history[-1].period_end}) for {owner}",
        )
    for i, m in enumerate(client.measures_history):
        same_currency(
            "client",
            client.annual_revenue.currency,
            {f"measures_history[{i}].revenue_to_bank": m.revenue_to_bank},
        )
    if client.ratings and client.rating_grade is not None:
        last = client.ratings[-1]
        if last.grade != client.rating_grade:
            raise InvalidValueError(
                field="rating_grade",
                value=client.rating_grade,
                expected=f"the grade of the latest rating ({last.grade!r} on "
                f"{last.rated_on}) for {owner}",
            )
    for i, st in enumerate(client.statements):
        if st.currency != client.statements[0].currency:
            raise InvalidValueError(
                field=f"statements[{i}].currency",
                value=st.currency,
                expected=f"{client.statements[0].currency!r}, the currency of the "
                f"client's first statement (one currency per series) for {owner}",
            )


@attrs.frozen(kw_only=True)
class RatingRecord:
    """One rating of a client: the grade a rater or model gave on a date.

    Attributes:
        rated_on: Date the rating was approved.
        grade: Grade on the bank's master scale (a label such as ``"5"`` or ``"BB"``).
        default_probability: One-year PD the grade stood for, in [0, 1], if known.
        rater: The model or the rating officer (``"corp-model-v3"``); may be empty.
        override: Whether the grade overrides the model's grade.
        override_reason: Why, required when ``override`` is true.

    Examples:
        >>> import datetime as dt
        >>> RatingRecord(rated_on=dt.date(2025, 6, 30), grade="7", override=True)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `override_reason` must be a non-empty reason when `override` is true; got None.
    """

    rated_on: dt.date = attrs.field(validator=is_date)
    grade: str = attrs.field(validator=non_empty_str)
    default_probability: float | None = attrs.field(
        default=None, validator=optional(fraction_in(0.0, 1.0))
    )
    rater: str = attrs.field(default="", validator=instance_of(str, what="a str"))
    override: bool = attrs.field(
        default=False, validator=instance_of(bool, what="a bool")
    )
    override_reason: str | None = attrs.field(
        default=None, validator=optional(non_empty_str)
    )

    def __attrs_post_init__(self) -> None:
        """An override states its reason."""
        if self.override and self.override_reason is None:
            raise InvalidValueError(
                field="override_reason",
                value=None,
                expected="a non-empty reason when `override` is true",
            )


@attrs.frozen(kw_only=True)
class FacilityObservation:
    """A facility at one period end: balance, limit, arrears and default flags.

    Attributes:
        period_end: Observation date (typically a month end).
        drawn: Drawn balance, >= 0, in the facility's currency.
        limit: Committed limit, >= 0, same currency.
        days_past_due: Days the oldest overdue amount is late, >= 0.
        in_default: Whether the facility was in default (Basel 90 days past due or
            unlikely to pay) at the period end.
        forborne: Whether it was restructured or forborne.

    Examples:
        >>> import datetime as dt
        >>> o = FacilityObservation(period_end=dt.date(2025, 11, 30),
        ...     drawn=Money.of("6000000", "EUR"), limit=Money.of("8000000", "EUR"),
        ...     days_past_due=12)
        >>> o.utilisation
        0.75
    """

    period_end: dt.date = attrs.field(validator=is_date)
    drawn: Money = attrs.field(validator=non_negative_money)
    limit: Money = attrs.field(validator=non_negative_money)
    days_past_due: int = attrs.field(default=0, validator=non_negative_int)
    in_default: bool = attrs.field(
        default=False, validator=instance_of(bool, what="a bool")
    )
    forborne: bool = attrs.field(
        default=False, validator=instance_of(bool, what="a bool")
    )

    def __attrs_post_init__(self) -> None:
        """Drawn and limit share a currency."""
        if self.drawn.currency != self.limit.currency:
            raise InvalidValueError(
                field="drawn.currency",
                value=self.drawn.currency,
                expected=f"the limit's currency {self.limit.currency!r}",
            )

    @property
    def utilisation(self) -> float:
        """Drawn / limit (a fraction; 0 without a limit)."""
        if self.limit.amount == 0:
            return 0.0
        return float(self.drawn.amount / self.limit.amount)


@attrs.frozen(kw_only=True)
class CollateralValuation:
    """A value of a collateral asset on a date.

    Attributes:
        valued_on: Date of the valuation.
        value: Value of the asset, >= 0.
        method: How it was valued (full appraisal, desktop, indexed, market price...).

    Examples:
        >>> import datetime as dt
        >>> v = CollateralValuation(valued_on=dt.date(2025, 3, 31),
        ...     value=Money.of("12000000", "EUR"), method=ValuationMethod.FULL_APPRAISAL)
        >>> v.method.value
        'full_appraisal'
    """

    valued_on: dt.date = attrs.field(validator=is_date)
    value: Money = attrs.field(validator=non_negative_money)
    method: ValuationMethod = attrs.field(
        default=ValuationMethod.FULL_APPRAISAL, validator=enum_of(ValuationMethod)
    )


def _opt_money(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, Money):
        raise InvalidValueError(
            field=attr.name, value=value, expected="a Money or None (not given)"
        )


def _opt_non_negative(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    _opt_money(inst, attr, value)
    if value is not None:
        non_negative_money(inst, attr, value)


#: The amount fields of a `FinancialStatement`, in the order of the statements frame.
STATEMENT_AMOUNTS: tuple[str, ...] = (
    "revenue",
    "ebitda",
    "ebit",
    "interest_expense",
    "total_debt",
    "cash",
    "net_debt",
    "total_assets",
    "total_liabilities",
    "equity",
    "current_assets",
    "current_liabilities",
    "capex",
    "operating_cash_flow",
    "debt_service",
)


@attrs.frozen(kw_only=True)
class FinancialStatement:
    """A client's spread financial statement for one fiscal period.

    Every amount is optional (a spreading is often partial) and in the statement's
    ``currency``. Flows (revenue, EBITDA, EBIT, interest, capex, operating cash flow,
    debt service) cover the ``period_months`` ending at ``period_end``; stocks (debt,
    cash, assets, liabilities, equity) are at ``period_end``. Ratios are computed from
    what is given and name what is missing (`metric`).

    Attributes:
        period_end: Last day of the fiscal period.
        currency: ISO 4217 code of every amount.
        period_months: Length of the period in months (12 for annual accounts).
        revenue, ebitda, ebit: Income-statement flows (EBITDA and EBIT may be negative).
        interest_expense: Interest paid in the period, >= 0.
        total_debt: Financial debt at period end, >= 0.
        cash: Cash and equivalents, >= 0.
        net_debt: Net financial debt if stated; otherwise ``total_debt - cash``.
        total_assets, total_liabilities: Balance-sheet totals, >= 0.
        equity: Shareholders' equity (may be negative).
        current_assets, current_liabilities: Working-capital totals, >= 0.
        capex: Capital expenditure in the period, >= 0.
        operating_cash_flow: Cash from operations in the period (may be negative).
        debt_service: Interest plus scheduled principal due in the period, >= 0.

    Raises:
        InvalidValueError: An amount in another currency, a negative amount where
            only >= 0 makes sense, or ``total_assets != total_liabilities + equity``
            where all three are given.

    Examples:
        >>> import datetime as dt
        >>> eur = lambda x: Money.of(x, "EUR")
        >>> s = FinancialStatement(period_end=dt.date(2024, 12, 31), currency="EUR",
        ...     ebitda=eur("50"), interest_expense=eur("10"), total_debt=eur("200"),
        ...     cash=eur("25"), equity=eur("100"))
        >>> s.net_debt_to_ebitda, s.interest_cover, s.gearing
        (3.5, 5.0, 2.0)
        >>> s.metric(CovenantMetric.CURRENT_RATIO)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `current_ratio` must be computable from the statement of 2024-12-31: needs current_assets, current_liabilities; got None.
    """

    period_end: dt.date = attrs.field(validator=is_date)
    currency: str = attrs.field(validator=non_empty_str)
    period_months: int = attrs.field(default=12, validator=positive_int)
    revenue: Money | None = attrs.field(default=None, validator=_opt_non_negative)
    ebitda: Money | None = attrs.field(default=None, validator=_opt_money)
    ebit: Money | None = attrs.field(default=None, validator=_opt_money)
    interest_expense: Money | None = attrs.field(
        default=None, validator=_opt_non_negative
    )
    total_debt: Money | None = attrs.field(default=None, validator=_opt_non_negative)
    cash: Money | None = attrs.field(default=None, validator=_opt_non_negative)
    net_debt: Money | None = attrs.field(default=None, validator=_opt_money)
    total_assets: Money | None = attrs.field(default=None, validator=_opt_non_negative)
    total_liabilities: Money | None = attrs.field(
        default=None, validator=_opt_non_negative
    )
    equity: Money | None = attrs.field(default=None, validator=_opt_money)
    current_assets: Money | None = attrs.field(
        default=None, validator=_opt_non_negative
    )
    current_liabilities: Money | None = attrs.field(
        default=None, validator=_opt_non_negative
    )
    capex: Money | None = attrs.field(default=None, validator=_opt_non_negative)
    operating_cash_flow: Money | None = attrs.field(default=None, validator=_opt_money)
    debt_service: Money | None = attrs.field(default=None, validator=_opt_non_negative)

    def __attrs_post_init__(self) -> None:
        """One currency; the balance sheet balances where it is given."""
        for name in STATEMENT_AMOUNTS:
            amount = getattr(self, name)
            if amount is not None and amount.currency != self.currency:
                raise InvalidValueError(
                    field=f"{name}.currency",
                    value=amount.currency,
                    expected=f"the statement's currency {self.currency!r}",
                )
        assets, liabilities, equity = (
            self.total_assets,
            self.total_liabilities,
            self.equity,
        )
        if (
            assets is not None
            and liabilities is not None
            and equity is not None
            and assets.amount != liabilities.amount + equity.amount
        ):
            raise InvalidValueError(
                field="total_assets",
                value=assets.amount,
                expected=f"total_liabilities + equity = "
                f"{liabilities.amount + equity.amount} (the balance sheet of "
                f"{self.period_end.isoformat()} must balance)",
            )

    def _value(self, name: str) -> float | None:
        if name == "net_debt" and self.net_debt is None:
            if self.total_debt is None or self.cash is None:
                return None
            return float(self.total_debt.amount - self.cash.amount)
        amount: Money | None = getattr(self, name)
        return None if amount is None else float(amount.amount)

    def _ratio(self, top: str, bottom: str) -> float | None:
        num, den = self._value(top), self._value(bottom)
        if num is None or den is None or den == 0:
            return None
        return num / den

    @property
    def net_debt_to_ebitda(self) -> float | None:
        """Net debt / EBITDA (x); ``None`` when either is missing or EBITDA is 0."""
        return self._ratio("net_debt", "ebitda")

    @property
    def interest_cover(self) -> float | None:
        """EBITDA / interest expense (x)."""
        return self._ratio("ebitda", "interest_expense")

    @property
    def leverage(self) -> float | None:
        """Total debt / EBITDA (x)."""
        return self._ratio("total_debt", "ebitda")

    @property
    def gearing(self) -> float | None:
        """Total debt / equity (x), the covenant metric ``debt_to_equity``."""
        return self._ratio("total_debt", "equity")

    @property
    def current_ratio(self) -> float | None:
        """Current assets / current liabilities (x)."""
        return self._ratio("current_assets", "current_liabilities")

    @property
    def dscr(self) -> float | None:
        """Corporate DSCR: (operating cash flow - capex) / debt service (x)."""
        cfo, capex, service = (
            self._value("operating_cash_flow"),
            self._value("capex"),
            self._value("debt_service"),
        )
        if cfo is None or capex is None or service is None or service == 0:
            return None
        return (cfo - capex) / service

    def metric(self, metric: CovenantMetric) -> float:
        """The value of a covenant metric on this statement.

        Args:
            metric: The covenant's metric.

        Returns:
            The ratio (x).

        Raises:
            InvalidValueError: The metric cannot be computed from a statement (LLCR,
                PLCR and loan to value need cash-flow forecasts or collateral values)
                or the statement lacks what it needs; the message names the fields.
        """
        needs = _METRIC_NEEDS.get(metric)
        if needs is None:
            raise InvalidValueError(
                field=metric.value,
                value=None,
                expected="a metric a financial statement carries (net_debt_to_ebitda, "
                "interest_cover, debt_to_equity, current_ratio, dscr); "
                f"{metric.value} needs cash-flow forecasts or collateral values",
            )
        attribute, fields = needs
        value: float | None = getattr(self, attribute)
        if value is None:
            missing = [f for f in fields if self._value(f) is None]
            # the last field is the denominator
            wanted = ", ".join(missing) if missing else f"a non-zero {fields[-1]}"
            raise InvalidValueError(
                field=metric.value,
                value=None,
                expected=f"computable from the statement of "
                f"{self.period_end.isoformat()}: needs {wanted}",
            )
        return value


_METRIC_NEEDS: dict[CovenantMetric, tuple[str, tuple[str, ...]]] = {
    CovenantMetric.NET_DEBT_TO_EBITDA: ("net_debt_to_ebitda", ("net_debt", "ebitda")),
    CovenantMetric.INTEREST_COVER: ("interest_cover", ("ebitda", "interest_expense")),
    CovenantMetric.DEBT_TO_EQUITY: ("gearing", ("total_debt", "equity")),
    CovenantMetric.CURRENT_RATIO: (
        "current_ratio",
        ("current_assets", "current_liabilities"),
    ),
    CovenantMetric.DSCR: ("dscr", ("operating_cash_flow", "capex", "debt_service")),
}
