"""The entities of lendcrm: `Client` and `Facility` (`Project` is in :mod:`lendcrm._project`).

Each entity is a frozen, keyword-only attrs class. Single fields are checked by
validators; rules that tie several fields together (drawn within limit, maturity after
start, one currency per facility, sponsor shares summing to 1, ...) are checked in
``__attrs_post_init__``. Every failure raises `lendcrm.errors.InvalidValueError` naming
the field. Change an entity with ``attrs.evolve``, which validates again.

Identifiers, enumerations and value objects live in :mod:`lendcrm._values` and are
re-exported by the top-level ``lendcrm`` package.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from lendcrm._contacts import Contact, Interaction, check_client_contacts
from lendcrm._enums import FacilityKind, FacilityStatus, Sector, Seniority
from lendcrm._history import (
    FacilityObservation,
    FinancialStatement,
    RatingRecord,
    check_client_histories,
    check_history,
)
from lendcrm._loan_terms import (
    Participation,
    RepaymentTerms,
    check_participations,
    check_terms_fit,
)
from lendcrm._money import Money, currency_code
from lendcrm._validators import (
    country_code,
    enum_of,
    fraction_in,
    identifier,
    instance_of,
    is_date,
    non_empty_str,
    non_negative_money,
    optional,
    same_currency,
    tuple_of,
)
from lendcrm._values import (
    ClientId,
    Collateral,
    Covenant,
    FacilityId,
    Feedback,
    Guarantee,
    Pricing,
    ProjectId,
    Referral,
    RelationshipMeasures,
)
from lendcrm.errors import InvalidValueError

__all__ = ["Client", "Facility"]

_opt_fraction = optional(fraction_in(0.0, 1.0))


@attrs.frozen(kw_only=True)
class Client:
    """A client of the bank: a borrower, a group parent, a sponsor.

    One currency per client: ``annual_revenue`` and the relationship ``measures``
    share it (the ``currency`` column of the clients frame).

    Attributes:
        id: Stable identifier.
        legal_name: Registered name (personal data: not in ``repr``).
        sector: NACE Rev. 2 section of the client's main activity.
        country: ISO 3166-1 alpha-2 code of the country of incorporation.
        onboarded_on: Date the relationship started.
        annual_revenue: The client's own yearly turnover, >= 0.
        parent_id: Id of the parent company in the client's group, if any.
        measures: What the client was worth to the bank over the latest measurement
            period, if measured.
        feedback: Feedback received, in any order.
        referrals: Referrals this client made (each with ``referrer == id``).
        rating_grade: Internal rating grade on the bank's master scale, if rated.
        default_probability: One-year probability of default, in [0, 1], if known.
        on_watchlist: Whether the client is on the credit watchlist.
        measures_history: Every measured period, oldest first, one per
            ``period_end``; its last period is ``measures`` (not in ``repr``).
        ratings: The rating history, oldest first, one per ``rated_on``; the last
            grade is ``rating_grade`` when both are given (not in ``repr``).
        statements: Spread financial statements, oldest first, one per fiscal
            ``period_end``, all in one currency (not in ``repr``).
        relationship_manager: Id of the client's primary relationship manager, if
            assigned.
        contacts: The people at the client the bank deals with, each id once (not
            in ``repr``).
        interactions: The interaction log, oldest first, none before
            ``onboarded_on``, each naming only the client's own contacts (not in
            ``repr``).

    Examples:
        >>> import datetime as dt
        >>> c = Client(id=ClientId("C-1"), legal_name="Nordwind Energie GmbH",
        ...            sector=Sector.ELECTRICITY_GAS_STEAM, country="DE",
        ...            onboarded_on=dt.date(2019, 4, 1),
        ...            annual_revenue=Money.of("85000000", "EUR"))
        >>> c
        Client(id='C-1', sector=<Sector.ELECTRICITY_GAS_STEAM: 'D'>, country='DE', onboarded_on=datetime.date(2019, 4, 1), annual_revenue=Money(amount=Decimal('85000000'), currency='EUR'), parent_id=None, measures=None, feedback=(), referrals=(), rating_grade=None, default_probability=None, on_watchlist=False, relationship_manager=None)
        >>> c.currency, c.tenure_days(dt.date(2020, 4, 1))
        ('EUR', 366)
    """

    id: ClientId = attrs.field(validator=identifier)
    legal_name: str = attrs.field(repr=False, validator=non_empty_str)
    sector: Sector = attrs.field(validator=enum_of(Sector))
    country: str = attrs.field(validator=country_code)
    onboarded_on: dt.date = attrs.field(validator=is_date)
    annual_revenue: Money = attrs.field(validator=non_negative_money)
    parent_id: ClientId | None = attrs.field(
        default=None, validator=optional(identifier)
    )
    measures: RelationshipMeasures | None = attrs.field(
        default=None,
        validator=optional(
            instance_of(RelationshipMeasures, what="a RelationshipMeasures")
        ),
    )
    feedback: tuple[Feedback, ...] = attrs.field(
        default=(), validator=tuple_of(Feedback, what="Feedback")
    )
    referrals: tuple[Referral, ...] = attrs.field(
        default=(), validator=tuple_of(Referral, what="Referral")
    )
    rating_grade: str | None = attrs.field(
        default=None, validator=optional(non_empty_str)
    )
    default_probability: float | None = attrs.field(
        default=None, validator=_opt_fraction
    )
    on_watchlist: bool = attrs.field(
        default=False, validator=instance_of(bool, what="a bool")
    )
    measures_history: tuple[RelationshipMeasures, ...] = attrs.field(
        default=(),
        repr=False,
        validator=tuple_of(RelationshipMeasures, what="RelationshipMeasures"),
    )
    ratings: tuple[RatingRecord, ...] = attrs.field(
        default=(), repr=False, validator=tuple_of(RatingRecord, what="RatingRecord")
    )
    statements: tuple[FinancialStatement, ...] = attrs.field(
        default=(),
        repr=False,
        validator=tuple_of(FinancialStatement, what="FinancialStatement"),
    )
    relationship_manager: str | None = attrs.field(
        default=None, validator=optional(non_empty_str)
    )
    contacts: tuple[Contact, ...] = attrs.field(
        default=(), repr=False, validator=tuple_of(Contact, what="Contact")
    )
    interactions: tuple[Interaction, ...] = attrs.field(
        default=(), repr=False, validator=tuple_of(Interaction, what="Interaction")
    )

    def __attrs_post_init__(self) -> None:
        """Cross-field rules: no self-parent, one currency, own referrals only."""
        check_client_histories(self)
        check_client_contacts(self)
        if self.parent_id == self.id:
            raise InvalidValueError(
                field="parent_id",
                value=self.parent_id,
                expected="the id of another client (a client cannot own itself)",
            )
        if self.measures is not None:
            same_currency(
                "client",
                self.annual_revenue.currency,
                {"measures.revenue_to_bank": self.measures.revenue_to_bank},
            )
        for i, referral in enumerate(self.referrals):
            if referral.referrer != self.id:
                raise InvalidValueError(
                    field=f"referrals[{i}].referrer",
                    value=referral.referrer,
                    expected=f"this client's id {self.id!r} (a client lists the "
                    "referrals it made)",
                )

    @property
    def currency(self) -> str:
        """The client's currency (that of ``annual_revenue``)."""
        return self.annual_revenue.currency

    @property
    def is_subsidiary(self) -> bool:
        """Whether the client has a parent in its group."""
        return self.parent_id is not None

    def tenure_days(self, as_of: dt.date) -> int:
        """Days since onboarding at ``as_of`` (0 before onboarding)."""
        return max((as_of - self.onboarded_on).days, 0)

    @property
    def average_feedback_score(self) -> float | None:
        """Mean feedback score (0-10), ``None`` without feedback."""
        if not self.feedback:
            return None
        return sum(f.score for f in self.feedback) / len(self.feedback)


@attrs.frozen(kw_only=True)
class Facility:
    """A credit line granted to a client, possibly for a project.

    Every amount on a facility (limit, drawn, fees, collateral values, guaranteed
    amounts) is in the facility's ``currency``.

    Attributes:
        id: Stable identifier.
        client_id: The borrower.
        kind: What kind of credit it is.
        currency: ISO 4217 code of the facility.
        limit: Committed amount, >= 0.
        drawn: Amount outstanding, >= 0 and <= ``limit`` unless ``allows_overdraw``.
        start_on: Start (signing) date.
        maturity_on: Final maturity; strictly after ``start_on``.
        seniority: Rank of the claim.
        pricing: Reference rate, margin and fees.
        status: Where the facility stands in its lifecycle.
        project_id: The project it finances, for project-finance facilities.
        collateral: Assets securing it.
        guarantees: Third-party guarantees.
        covenants: Financial covenants.
        allows_overdraw: Whether ``drawn`` may exceed ``limit``.
        default_probability: One-year PD of the exposure, in [0, 1], if known.
        loss_given_default: LGD, a fraction in [0, 1], if known.
        credit_conversion_factor: CCF applied to the undrawn amount, in [0, 1], if
            known.
        observations: Balance, limit, arrears and default flags per period end,
            oldest first, one per ``period_end``, in the facility's currency (not in
            ``repr``).
        terms: How it repays (amortisation, frequency, day count, profiles), if
            known; the rate is `pricing`'s (not in ``repr``).
        participations: The syndicate's shares, the bank's own marked ``own``;
            empty for a bilateral facility (not in ``repr``). Amounts on the
            facility are the whole facility's; `bank_share` is the bank's part.

    Examples:
        >>> import datetime as dt
        >>> f = Facility(
        ...     id=FacilityId("F-1"), client_id=ClientId("C-1"),
        ...     kind=FacilityKind.TERM_LOAN, currency="EUR",
        ...     limit=Money.of("10000000", "EUR"), drawn=Money.of("7500000", "EUR"),
        ...     start_on=dt.date(2024, 1, 15), maturity_on=dt.date(2031, 1, 15),
        ...     seniority=Seniority.SENIOR_SECURED,
        ...     pricing=Pricing(reference_rate="EURIBOR_3M", margin_bps=225,
        ...                     arrangement_fee=Money.of("100000", "EUR")),
        ...     status=FacilityStatus.ACTIVE)
        >>> f.undrawn, f.utilisation, round(f.tenor_years, 2)
        (Money(amount=Decimal('2500000'), currency='EUR'), 0.75, 7.0)
    """

    id: FacilityId = attrs.field(validator=identifier)
    client_id: ClientId = attrs.field(validator=identifier)
    kind: FacilityKind = attrs.field(validator=enum_of(FacilityKind))
    currency: str = attrs.field(converter=currency_code)
    limit: Money = attrs.field(validator=non_negative_money)
    drawn: Money = attrs.field(validator=non_negative_money)
    start_on: dt.date = attrs.field(validator=is_date)
    maturity_on: dt.date = attrs.field(validator=is_date)
    seniority: Seniority = attrs.field(validator=enum_of(Seniority))
    pricing: Pricing = attrs.field(validator=instance_of(Pricing, what="a Pricing"))
    status: FacilityStatus = attrs.field(validator=enum_of(FacilityStatus))
    project_id: ProjectId | None = attrs.field(
        default=None, validator=optional(identifier)
    )
    collateral: tuple[Collateral, ...] = attrs.field(
        default=(), validator=tuple_of(Collateral, what="Collateral")
    )
    guarantees: tuple[Guarantee, ...] = attrs.field(
        default=(), validator=tuple_of(Guarantee, what="Guarantee")
    )
    covenants: tuple[Covenant, ...] = attrs.field(
        default=(), validator=tuple_of(Covenant, what="Covenant")
    )
    allows_overdraw: bool = attrs.field(
        default=False, validator=instance_of(bool, what="a bool")
    )
    default_probability: float | None = attrs.field(
        default=None, validator=_opt_fraction
    )
    loss_given_default: float | None = attrs.field(
        default=None, validator=_opt_fraction
    )
    credit_conversion_factor: float | None = attrs.field(
        default=None, validator=_opt_fraction
    )
    observations: tuple[FacilityObservation, ...] = attrs.field(
        default=(),
        repr=False,
        validator=tuple_of(FacilityObservation, what="FacilityObservation"),
    )
    terms: RepaymentTerms | None = attrs.field(
        default=None,
        repr=False,
        validator=optional(instance_of(RepaymentTerms, what="a RepaymentTerms")),
    )
    participations: tuple[Participation, ...] = attrs.field(
        default=(),
        repr=False,
        validator=tuple_of(Participation, what="Participation"),
    )

    def __attrs_post_init__(self) -> None:
        """Cross-field rules: one currency, drawn within limit, maturity after start."""
        check_history(
            self.observations,
            date="period_end",
            owner=f"facility {self.id!r}",
            field="observations",
        )
        amounts = {
            "limit": self.limit,
            "drawn": self.drawn,
            "pricing.arrangement_fee": self.pricing.arrangement_fee,
        }
        amounts.update(
            {
                f"observations[{i}].drawn": o.drawn
                for i, o in enumerate(self.observations)
            }
        )
        for i, collateral in enumerate(self.collateral):
            amounts.update(
                {
                    f"collateral[{i}].valuations[{j}].value": v.value
                    for j, v in enumerate(collateral.valuations)
                }
            )
        amounts.update(
            {f"collateral[{i}].value": c.value for i, c in enumerate(self.collateral)}
        )
        amounts.update(
            {
                f"guarantees[{i}].covered": g.covered
                for i, g in enumerate(self.guarantees)
            }
        )
        same_currency("facility", self.currency, amounts)
        if not self.allows_overdraw and self.drawn.amount > self.limit.amount:
            raise InvalidValueError(
                field="drawn",
                value=self.drawn,
                expected=f"at most the limit {self.limit}",
                hint="Set allows_overdraw=True for a facility that may be overdrawn.",
            )
        if self.maturity_on <= self.start_on:
            raise InvalidValueError(
                field="maturity_on",
                value=self.maturity_on,
                expected=f"a date after `start_on` ({self.start_on})",
            )
        check_participations(self.participations, facility=self.id)
        if self.terms is not None:
            check_terms_fit(
                self.terms, self.start_on, self.maturity_on, facility=self.id
            )

    @property
    def bank_share(self) -> float:
        """The bank's share of the facility: 1 when bilateral, else its participations'."""
        return check_participations(self.participations, facility=self.id)

    @property
    def undrawn(self) -> Money:
        """``limit − drawn``, never below zero."""
        gap = self.limit.amount - self.drawn.amount
        return Money(max(gap, Decimal(0)), self.currency)

    @property
    def utilisation(self) -> float:
        """``drawn / limit`` as a fraction (above 1 when overdrawn; 0 for a zero limit)."""
        if self.limit.amount == 0:
            return 0.0
        return float(self.drawn.amount / self.limit.amount)

    @property
    def tenor_days(self) -> int:
        """Days from start to maturity."""
        return (self.maturity_on - self.start_on).days

    @property
    def tenor_years(self) -> float:
        """Tenor in years, actual/365.25."""
        return self.tenor_days / 365.25

    def remaining_years(self, as_of: dt.date) -> float:
        """Years from ``as_of`` to maturity (actual/365.25), never below zero."""
        return max((self.maturity_on - as_of).days, 0) / 365.25

    @property
    def collateral_value(self) -> Money:
        """Sum of collateral values after haircuts."""
        total = Money(Decimal(0), self.currency)
        for c in self.collateral:
            total = total + c.value_after_haircut
        return total

    @property
    def guaranteed_amount(self) -> Money:
        """Sum of the amounts covered by guarantees."""
        total = Money(Decimal(0), self.currency)
        for g in self.guarantees:
            total = total + g.covered
        return total

    @property
    def is_project_finance(self) -> bool:
        """Whether the facility finances a project vehicle."""
        return self.project_id is not None
