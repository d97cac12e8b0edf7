"""Identifiers and value objects of the lendcrm domain model.

Entities (:mod:`lendcrm._entities`) are built from these pieces. Every class is a frozen,
keyword-only attrs class validated at construction with lendcrm errors. The
enumerations live in :mod:`lendcrm._enums`; all of them import from ``lendcrm``.
Personal data (guarantor names, certifiers, free-text feedback) is kept out of
``repr`` so it never reaches logs or tracebacks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NewType

import attrs

from lendcrm._enums import (
    CollateralKind,
    CovenantMetric,
    CovenantOperator,
    FeedbackChannel,
    TestFrequency,
)
from lendcrm._history import CollateralValuation, check_history
from lendcrm._money import Money
from lendcrm._validators import (
    Validator,
    enum_of,
    fraction_in,
    identifier,
    instance_of,
    is_date,
    is_money,
    non_empty_str,
    non_negative_int,
    non_negative_money,
    number_in,
    optional,
    positive_money,
    same_currency,
    tuple_of,
)
from lendcrm.errors import InvalidValueError

__all__ = [
    "CashFlow",
    "ClientId",
    "Collateral",
    "Covenant",
    "Drawdown",
    "FacilityId",
    "Feedback",
    "Guarantee",
    "Milestone",
    "Pricing",
    "ProjectId",
    "Referral",
    "RelationshipMeasures",
    "Sponsor",
]

#: Identifier of a client (a borrower, guarantor or sponsor the bank knows).
ClientId = NewType("ClientId", str)
#: Identifier of a facility (a credit line).
FacilityId = NewType("FacilityId", str)
#: Identifier of a project-finance vehicle.
ProjectId = NewType("ProjectId", str)


# --- validators used by the value objects only --------------------------------------
def _whole_int(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidValueError(field=attr.name, value=value, expected="an int")


def _rank(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise InvalidValueError(
            field=attr.name, value=value, expected="an integer >= 1 (1 = first claim)"
        )


def _opt_float_fraction() -> Validator:
    return optional(fraction_in(0.0, 1.0))


# --- value objects ---------------------------------------------------------------------
@attrs.frozen(kw_only=True)
class Collateral:
    """An asset pledged to secure a facility.

    Attributes:
        kind: What the asset is.
        value: Market value of the asset, >= 0, in the facility's currency.
        haircut: Fraction of ``value`` the bank does not count, in [0, 1]
            (0.3 means the bank counts 70 % of the value).
        valuations: Dated values of the asset, oldest first, in its currency (not
            in ``repr``); ``value`` is the one the bank uses today.
        asset_id: Identifier of the asset when it secures several facilities: every
            collateral row of one asset (one per facility it secures) carries the
            same id, kind, value and valuations. ``None``: the row is its own asset.
        claim_rank: Rank of this facility's claim on the asset, >= 1 (1 = first
            claim), used by the ``by_rank`` allocation; ``None`` if not ranked.

    Examples:
        >>> c = Collateral(kind=CollateralKind.REAL_ESTATE,
        ...                value=Money.of("1000000", "EUR"), haircut=0.3)
        >>> c.value_after_haircut
        Money(amount=Decimal('700000.0'), currency='EUR')
        >>> Collateral(kind=CollateralKind.REAL_ESTATE, value=Money.of("1000000", "EUR"),
        ...            asset_id="plant-1", claim_rank=0)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `claim_rank` must be an integer >= 1 (1 = first claim); got 0.
    """

    kind: CollateralKind = attrs.field(validator=enum_of(CollateralKind))
    value: Money = attrs.field(validator=non_negative_money)
    haircut: float = attrs.field(default=0.0, validator=fraction_in(0.0, 1.0))
    valuations: tuple[CollateralValuation, ...] = attrs.field(
        default=(),
        repr=False,
        validator=tuple_of(CollateralValuation, what="CollateralValuation"),
    )
    asset_id: str | None = attrs.field(default=None, validator=optional(non_empty_str))
    claim_rank: int | None = attrs.field(default=None, validator=optional(_rank))

    def __attrs_post_init__(self) -> None:
        """Valuations are dated, oldest first, in the collateral's currency."""
        check_history(
            self.valuations,
            date="valued_on",
            owner="the collateral",
            field="valuations",
        )
        same_currency(
            "collateral",
            self.value.currency,
            {f"valuations[{i}].value": v.value for i, v in enumerate(self.valuations)},
        )

    @property
    def value_after_haircut(self) -> Money:
        """``value × (1 − haircut)``, exact in Decimal (the haircut via ``str``)."""
        return self.value * (1 - Decimal(str(self.haircut)))


@attrs.frozen(kw_only=True)
class Guarantee:
    """A third party's promise to pay part of a facility if the borrower does not.

    Give the guarantor's client id when the guarantor is a client of the bank, or its
    name otherwise (at least one of the two). The name stays out of ``repr``.

    Attributes:
        covered: Amount the guarantee covers, > 0, in the facility's currency.
        guarantor_id: Client id of the guarantor, if it is a client of the bank.
        guarantor_name: Legal name of the guarantor (personal data: not in ``repr``).
        guarantor_default_probability: The guarantor's one-year PD, in [0, 1], if
            known (used for substitution in risk mitigation).

    Examples:
        >>> Guarantee(covered=Money.of("500000", "EUR"), guarantor_name="ACME Holding")
        Guarantee(covered=Money(amount=Decimal('500000'), currency='EUR'), guarantor_id=None, guarantor_default_probability=None)
    """

    covered: Money = attrs.field(validator=positive_money)
    guarantor_id: ClientId | None = attrs.field(
        default=None, validator=optional(identifier)
    )
    guarantor_name: str | None = attrs.field(
        default=None, repr=False, validator=optional(non_empty_str)
    )
    guarantor_default_probability: float | None = attrs.field(
        default=None, validator=_opt_float_fraction()
    )

    def __attrs_post_init__(self) -> None:
        """A guarantee needs a guarantor: an id or a name."""
        if self.guarantor_id is None and self.guarantor_name is None:
            raise InvalidValueError(
                field="guarantor_id",
                value=None,
                expected="a client id or a guarantor_name (at least one)",
            )


@attrs.frozen(kw_only=True)
class Covenant:
    """A financial covenant: a ratio tested against levels at a fixed frequency.

    For a floor (``at_least``, e.g. DSCR) the levels must satisfy
    ``threshold >= lock_up_level >= default_level``; for a cap (``at_most``, e.g.
    leverage) the order is reversed. Breaching ``lock_up_level`` blocks distributions
    to sponsors; breaching ``default_level`` is an event of default.

    Attributes:
        metric: The ratio tested.
        operator: Floor or cap.
        threshold: The covenant level (x, or a fraction for loan to value).
        lock_up_level: Distribution lock-up level, if any.
        default_level: Event-of-default level, if any.
        test_frequency: How often the covenant is tested.

    Examples:
        >>> cov = Covenant(metric=CovenantMetric.DSCR, operator=CovenantOperator.AT_LEAST,
        ...                threshold=1.20, lock_up_level=1.10, default_level=1.05,
        ...                test_frequency=TestFrequency.SEMI_ANNUAL)
        >>> cov.is_met(1.15), cov.is_locked_up(1.15), cov.is_in_default(1.15)
        (False, False, False)
        >>> cov.is_locked_up(1.08), cov.is_in_default(1.02)
        (True, True)
    """

    metric: CovenantMetric = attrs.field(validator=enum_of(CovenantMetric))
    operator: CovenantOperator = attrs.field(validator=enum_of(CovenantOperator))
    threshold: float = attrs.field(validator=number_in())
    lock_up_level: float | None = attrs.field(
        default=None, validator=optional(number_in())
    )
    default_level: float | None = attrs.field(
        default=None, validator=optional(number_in())
    )
    test_frequency: TestFrequency = attrs.field(
        default=TestFrequency.QUARTERLY,
        validator=enum_of(TestFrequency),
    )

    def __attrs_post_init__(self) -> None:
        """Check the order of the levels for the covenant's direction."""
        floor = self.operator is CovenantOperator.AT_LEAST
        word = "<=" if floor else ">="
        previous_name, previous = "threshold", self.threshold
        for name, level in (
            ("lock_up_level", self.lock_up_level),
            ("default_level", self.default_level),
        ):
            if level is None:
                continue
            if (level > previous) if floor else (level < previous):
                raise InvalidValueError(
                    field=name,
                    value=level,
                    expected=f"{word} `{previous_name}` ({previous}) for an "
                    f"{self.operator.value} covenant",
                )
            previous_name, previous = name, level

    def is_met(self, value: float) -> bool:
        """Whether ``value`` meets the covenant threshold."""
        return self.operator.holds(value, self.threshold)

    def is_locked_up(self, value: float) -> bool:
        """Whether ``value`` breaches the lock-up level (False when there is none)."""
        return self.lock_up_level is not None and not self.operator.holds(
            value, self.lock_up_level
        )

    def is_in_default(self, value: float) -> bool:
        """Whether ``value`` breaches the default level (False when there is none)."""
        return self.default_level is not None and not self.operator.holds(
            value, self.default_level
        )


@attrs.frozen(kw_only=True)
class Milestone:
    """A construction or development milestone of a project.

    Attributes:
        name: Short name, unique within the project (``"foundations"``).
        planned_on: Planned completion date.
        actual_on: Actual completion date; only set once ``percent_complete`` is 100.
        percent_complete: Progress in percent, in [0, 100] (not a fraction).
        certified_by: Who certified the progress, e.g. the lenders' technical adviser
            (personal data: not in ``repr``).

    Examples:
        >>> import datetime as dt
        >>> m = Milestone(name="grid connection", planned_on=dt.date(2026, 6, 30),
        ...               percent_complete=40.0)
        >>> m.is_complete, m.days_late(dt.date(2026, 7, 10))
        (False, 10)
    """

    name: str = attrs.field(validator=non_empty_str)
    planned_on: dt.date = attrs.field(validator=is_date)
    actual_on: dt.date | None = attrs.field(default=None, validator=optional(is_date))
    percent_complete: float = attrs.field(default=0.0, validator=number_in(0, 100))
    certified_by: str | None = attrs.field(
        default=None, repr=False, validator=optional(non_empty_str)
    )

    def __attrs_post_init__(self) -> None:
        """An actual completion date needs 100 % progress."""
        if self.actual_on is not None and self.percent_complete != 100:  # noqa: PLR2004
            raise InvalidValueError(
                field="percent_complete",
                value=self.percent_complete,
                expected="100 when `actual_on` is set (a completed milestone)",
            )

    @property
    def is_complete(self) -> bool:
        """Whether the milestone is done (100 %)."""
        return self.percent_complete == 100  # noqa: PLR2004

    def days_late(self, as_of: dt.date) -> int:
        """Days past the planned date: at completion, or at ``as_of`` if not done.

        Zero when on time or early.
        """
        end = self.actual_on if self.actual_on is not None else as_of
        return max((end - self.planned_on).days, 0)


@attrs.frozen(kw_only=True)
class Drawdown:
    """Money drawn under a project's debt on one date.

    Attributes:
        on: Value date of the drawdown.
        amount: Amount drawn, > 0.

    Examples:
        >>> import datetime as dt
        >>> Drawdown(on=dt.date(2026, 3, 31), amount=Money.of("2500000", "EUR")).amount
        Money(amount=Decimal('2500000'), currency='EUR')
    """

    on: dt.date = attrs.field(validator=is_date)
    amount: Money = attrs.field(validator=positive_money)


@attrs.frozen(kw_only=True)
class CashFlow:
    """Forecast cash flow available for debt service (CFADS) of one period.

    Attributes:
        period_end: Last day of the period.
        cfads: Cash flow available for debt service in the period (may be negative
            during construction).
        debt_service: Scheduled principal + interest of the period, >= 0, if known.

    Examples:
        >>> import datetime as dt
        >>> cf = CashFlow(period_end=dt.date(2027, 6, 30), cfads=Money.of("1300", "EUR"),
        ...               debt_service=Money.of("1000", "EUR"))
        >>> cf.dscr
        1.3
    """

    period_end: dt.date = attrs.field(validator=is_date)
    cfads: Money = attrs.field(validator=is_money)
    debt_service: Money | None = attrs.field(
        default=None, validator=optional(non_negative_money)
    )

    def __attrs_post_init__(self) -> None:
        """CFADS and debt service share one currency."""
        if self.debt_service is not None:
            same_currency(
                "cash flow", self.cfads.currency, {"debt_service": self.debt_service}
            )

    @property
    def dscr(self) -> float | None:
        """CFADS / debt service (x); ``None`` without a positive debt service."""
        if self.debt_service is None or self.debt_service.amount == 0:
            return None
        return float(self.cfads.amount / self.debt_service.amount)


@attrs.frozen(kw_only=True)
class Sponsor:
    """An equity holder of a project vehicle.

    Attributes:
        sponsor_id: Client id of the sponsor (it may, but need not, be a client in
            the same book).
        equity_share: Share of the project's equity, a fraction in (0, 1].

    Examples:
        >>> Sponsor(sponsor_id=ClientId("S-1"), equity_share=0.6)
        Sponsor(sponsor_id='S-1', equity_share=0.6)
    """

    sponsor_id: ClientId = attrs.field(validator=identifier)
    equity_share: float = attrs.field(validator=number_in(0, 1, lower_open=True))


@attrs.frozen(kw_only=True)
class Feedback:
    """One piece of client feedback.

    Attributes:
        on: Date the feedback was given.
        channel: How it was collected.
        score: Satisfaction / likelihood-to-recommend score, an integer 0-10
            (9-10 promoter, 7-8 passive, 0-6 detractor, as in the Net Promoter Score).
        text: Free text (personal data: not in ``repr``).

    Examples:
        >>> import datetime as dt
        >>> fb = Feedback(on=dt.date(2026, 5, 2), channel=FeedbackChannel.SURVEY,
        ...               score=9, text="Fast credit decision")
        >>> fb, fb.is_promoter
        (Feedback(on=datetime.date(2026, 5, 2), channel=<FeedbackChannel.SURVEY: 'survey'>, score=9), True)
    """

    on: dt.date = attrs.field(validator=is_date)
    channel: FeedbackChannel = attrs.field(validator=enum_of(FeedbackChannel))
    score: int = attrs.field(validator=non_negative_int)
    text: str = attrs.field(
        default="", repr=False, validator=instance_of(str, what="a str")
    )

    def __attrs_post_init__(self) -> None:
        """Scores run from 0 to 10."""
        if self.score > 10:  # noqa: PLR2004
            raise InvalidValueError(
                field="score", value=self.score, expected="an integer in [0, 10]"
            )

    @property
    def is_promoter(self) -> bool:
        """Score 9 or 10."""
        return self.score >= 9  # noqa: PLR2004

    @property
    def is_detractor(self) -> bool:
        """Score 0 to 6."""
        return self.score <= 6  # noqa: PLR2004


@attrs.frozen(kw_only=True)
class Referral:
    """A client introducing another to the bank.

    Attributes:
        referrer: The client who made the introduction.
        referee: The client (or prospect) introduced.
        on: Date of the introduction.
        converted_amount: Business won from the referral (e.g. limit granted), >= 0,
            if it converted.

    Examples:
        >>> import datetime as dt
        >>> Referral(referrer=ClientId("C-1"), referee=ClientId("C-1"),
        ...          on=dt.date(2026, 1, 5))
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `referee` must be a different client than the referrer; got 'C-1'.
    """

    referrer: ClientId = attrs.field(validator=identifier)
    referee: ClientId = attrs.field(validator=identifier)
    on: dt.date = attrs.field(validator=is_date)
    converted_amount: Money | None = attrs.field(
        default=None, validator=optional(non_negative_money)
    )

    def __attrs_post_init__(self) -> None:
        """A client cannot refer itself."""
        if self.referee == self.referrer:
            raise InvalidValueError(
                field="referee",
                value=self.referee,
                expected="a different client than the referrer",
            )

    @property
    def converted(self) -> bool:
        """Whether the referral brought business."""
        return self.converted_amount is not None and self.converted_amount.amount > 0


@attrs.frozen(kw_only=True)
class RelationshipMeasures:
    """What a client was worth to the bank over one measurement period.

    These are the figures value segmentation reads; in frames they are the columns
    ``lendcrm.frames.columns.REVENUE_TO_BANK``, ``PROFIT_TO_BANK``, ``PRODUCT_COUNT``,
    ``TRANSACTION_COUNT``, ``LAST_TRANSACTION_ON`` and ``REFERRAL_COUNT``.

    Attributes:
        period_end: Last day of the measurement period (typically twelve months).
        revenue_to_bank: Interest and fees the client paid the bank, >= 0.
        profit_to_bank: Profit contribution (revenue less funding, operating cost and
            expected loss); may be negative.
        product_count: Number of distinct products held, >= 0.
        transaction_count: Number of transactions in the period, >= 0.
        last_transaction_on: Date of the last transaction, if any; not after
            ``period_end``.
        referral_count: Referrals made in the period, >= 0.

    Examples:
        >>> import datetime as dt
        >>> m = RelationshipMeasures(
        ...     period_end=dt.date(2025, 12, 31), revenue_to_bank=Money.of("120000", "EUR"),
        ...     profit_to_bank=Money.of("-5000", "EUR"), product_count=3,
        ...     transaction_count=240, last_transaction_on=dt.date(2025, 12, 19))
        >>> m.profit_margin
        -0.041666666666666664
    """

    period_end: dt.date = attrs.field(validator=is_date)
    revenue_to_bank: Money = attrs.field(validator=non_negative_money)
    profit_to_bank: Money = attrs.field(validator=is_money)
    product_count: int = attrs.field(default=0, validator=non_negative_int)
    transaction_count: int = attrs.field(default=0, validator=non_negative_int)
    last_transaction_on: dt.date | None = attrs.field(
        default=None, validator=optional(is_date)
    )
    referral_count: int = attrs.field(default=0, validator=non_negative_int)

    def __attrs_post_init__(self) -> None:
        """One currency; the last transaction falls within the period."""
        same_currency(
            "measurement",
            self.revenue_to_bank.currency,
            {"profit_to_bank": self.profit_to_bank},
        )
        if (
            self.last_transaction_on is not None
            and self.last_transaction_on > self.period_end
        ):
            raise InvalidValueError(
                field="last_transaction_on",
                value=self.last_transaction_on,
                expected=f"a date on or before `period_end` ({self.period_end})",
            )

    @property
    def profit_margin(self) -> float | None:
        """Profit / revenue (a fraction); ``None`` when revenue is zero."""
        if self.revenue_to_bank.amount == 0:
            return None
        return float(self.profit_to_bank.amount / self.revenue_to_bank.amount)


@attrs.frozen(kw_only=True)
class Pricing:
    """How a facility is priced.

    Attributes:
        reference_rate: Name of the floating reference rate (``"EURIBOR_3M"``,
            ``"SOFR"``, ``"SONIA"``) or ``"FIXED"`` for a fixed-rate facility.
        margin_bps: Margin over the reference rate, in whole basis points
            (250 means 2.50 % a year); may be negative.
        arrangement_fee: One-off fee at signing, >= 0, in the facility's currency.
        commitment_fee_bps: Annual fee on the undrawn amount, whole basis points >= 0.

    Examples:
        >>> p = Pricing(reference_rate="EURIBOR_3M", margin_bps=250,
        ...             arrangement_fee=Money.of("25000", "EUR"), commitment_fee_bps=75)
        >>> p.margin
        0.025
    """

    reference_rate: str = attrs.field(validator=non_empty_str)
    margin_bps: int = attrs.field(validator=_whole_int)
    arrangement_fee: Money = attrs.field(validator=non_negative_money)
    commitment_fee_bps: int = attrs.field(default=0, validator=non_negative_int)

    @property
    def margin(self) -> float:
        """Margin as a fraction a year (``margin_bps / 10_000``)."""
        return self.margin_bps / 10_000

    @property
    def commitment_fee(self) -> float:
        """Commitment fee as a fraction a year."""
        return self.commitment_fee_bps / 10_000
