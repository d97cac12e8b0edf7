"""Contractual loan terms a repayment schedule needs, and a facility's syndicate.

`RepaymentTerms` says how a facility repays: the amortisation kind, the payment
frequency, a grace period, the day-count convention, and the profile that a balloon,
a sculpted loan or a revolver needs. The rate itself stays on the facility's `Pricing`
(reference rate and margin; a ``"FIXED"`` facility's margin is its whole rate), so a
rate has one home. `Participation` is one lender's share of a syndicated facility.

The schedules built from these terms are in `lendcrm.risk.schedules`.
"""

from __future__ import annotations

import datetime as dt
import math
from enum import StrEnum
from typing import Final

import attrs

from lendcrm._validators import (
    enum_of,
    instance_of,
    non_empty_str,
    non_negative_int,
    number_in,
    one_of,
)
from lendcrm.errors import InvalidValueError

__all__ = [
    "Amortisation",
    "DayCount",
    "Participation",
    "ParticipationRole",
    "RepaymentTerms",
    "check_participations",
    "check_terms_fit",
    "payment_dates",
]

#: How far from 1 a profile of principal fractions may sum (round-off of a sculpted
#: debt schedule divided by its debt capacity).
PROFILE_TOLERANCE: Final = 1e-9


class Amortisation(StrEnum):
    """How the principal is repaid.

    Examples:
        >>> Amortisation("annuity"), Amortisation.REVOLVER.value
        (<Amortisation.ANNUITY: 'annuity'>, 'revolver')
    """

    #: Level instalments: principal + interest constant for a fixed rate.
    ANNUITY = "annuity"
    #: Equal principal repayments.
    LINEAR = "linear"
    #: All principal at maturity.
    BULLET = "bullet"
    #: Annuity down to a residual (`balloon_fraction` of the principal) paid at maturity.
    BALLOON = "balloon"
    #: A given principal profile, e.g. sculpted to a target DSCR.
    SCULPTED = "sculpted"
    #: A revolving line drawn along an expected utilisation profile.
    REVOLVER = "revolver"


class DayCount(StrEnum):
    """Day-count convention of interest accrual (ISDA 2006 Definitions, section 4.16).

    Examples:
        >>> DayCount("ACT/360"), DayCount.THIRTY_360.value
        (<DayCount.ACT_360: 'ACT/360'>, '30/360')
    """

    #: Actual days / 360 (4.16(e)): money-market loans in EUR and USD.
    ACT_360 = "ACT/360"
    #: Actual days / 365, fixed (4.16(d)): GBP loans.
    ACT_365F = "ACT/365F"
    #: 30/360 bond basis (4.16(f)): every month 30 days, the year 360.
    THIRTY_360 = "30/360"


class ParticipationRole(StrEnum):
    """A lender's role in a syndicate.

    Examples:
        >>> ParticipationRole("agent")
        <ParticipationRole.AGENT: 'agent'>
    """

    #: Administers the loan for the syndicate.
    AGENT = "agent"
    #: Arranged and underwrote the facility.
    ARRANGER = "arranger"
    #: Holds a share only.
    PARTICIPANT = "participant"


def _fractions(
    _inst: object, attr: attrs.Attribute[tuple[float, ...]], value: object
) -> None:
    """Require a tuple of finite floats (a per-period profile)."""
    if not isinstance(value, tuple):
        raise InvalidValueError(
            field=attr.name,
            value=type(value).__name__,
            expected="a tuple of finite numbers",
        )
    for i, item in enumerate(value):
        if (
            isinstance(item, bool)
            or not isinstance(item, int | float)
            or not math.isfinite(item)
        ):
            raise InvalidValueError(
                field=f"{attr.name}[{i}]", value=item, expected="a finite number"
            )


@attrs.frozen(kw_only=True)
class RepaymentTerms:
    """How a facility repays: amortisation, frequency, grace, day count, profiles.

    Attributes:
        amortisation: The `Amortisation` kind.
        payments_per_year: Payment (and interest) periods a year: 1, 2, 4 or 12.
        day_count: Day-count convention of the interest accrual.
        grace_periods: Interest-only periods before the amortisation starts, >= 0
            (annuity, linear and balloon).
        balloon_fraction: Share of the principal left for maturity, in (0, 1); only
            for a balloon.
        principal_profile: Fractions of the principal repaid in each period, summing
            to 1 (a period's entry may be negative: the balance grows); only for a
            sculpted loan, one entry per period.
        utilisation_profile: Expected drawn fraction of the limit in each period, in
            [0, 1]; only for a revolver, one entry per period.
        zero_floor: Whether a floating all-in rate (reference + margin) is floored at
            zero, the Loan Market Association standard since 2015.

    Examples:
        >>> RepaymentTerms(amortisation=Amortisation.ANNUITY, payments_per_year=4)
        RepaymentTerms(amortisation=<Amortisation.ANNUITY: 'annuity'>, payments_per_year=4, day_count=<DayCount.ACT_360: 'ACT/360'>, grace_periods=0, balloon_fraction=0.0, principal_profile=(), utilisation_profile=(), zero_floor=True)
        >>> RepaymentTerms(amortisation=Amortisation.SCULPTED,
        ...                principal_profile=(0.5, 0.4))
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `principal_profile` must be fractions of the principal summing to 1 (a schedule that repays the principal); got 'sums to 0.9'.
    """

    amortisation: Amortisation = attrs.field(validator=enum_of(Amortisation))
    payments_per_year: int = attrs.field(
        default=4, validator=one_of((1, 2, 4, 12), what="one of")
    )
    day_count: DayCount = attrs.field(
        default=DayCount.ACT_360, validator=enum_of(DayCount)
    )
    grace_periods: int = attrs.field(default=0, validator=non_negative_int)
    balloon_fraction: float = attrs.field(
        default=0.0, validator=number_in(0.0, 1.0, upper_open=True)
    )
    principal_profile: tuple[float, ...] = attrs.field(default=(), validator=_fractions)
    utilisation_profile: tuple[float, ...] = attrs.field(
        default=(), validator=_fractions
    )
    zero_floor: bool = attrs.field(
        default=True, validator=instance_of(bool, what="a bool")
    )

    def __attrs_post_init__(self) -> None:
        """Each profile belongs to its kind; a sculpted profile repays the principal."""
        kind = self.amortisation
        if (kind is Amortisation.BALLOON) != (self.balloon_fraction > 0):
            raise InvalidValueError(
                field="balloon_fraction",
                value=self.balloon_fraction,
                expected="in (0, 1) for a balloon and 0 for any other kind",
            )
        if (kind is Amortisation.SCULPTED) != bool(self.principal_profile):
            raise InvalidValueError(
                field="principal_profile",
                value=len(self.principal_profile),
                expected="one entry per period for a sculpted loan, none otherwise",
            )
        total = math.fsum(self.principal_profile)
        if self.principal_profile and abs(total - 1.0) > PROFILE_TOLERANCE:
            raise InvalidValueError(
                field="principal_profile",
                value=f"sums to {total:g}",
                expected="fractions of the principal summing to 1 (a schedule "
                "that repays the principal)",
            )
        if (kind is Amortisation.REVOLVER) != bool(self.utilisation_profile):
            raise InvalidValueError(
                field="utilisation_profile",
                value=len(self.utilisation_profile),
                expected="one entry per period for a revolver, none otherwise",
            )
        for i, u in enumerate(self.utilisation_profile):
            if not 0.0 <= u <= 1.0:
                raise InvalidValueError(
                    field=f"utilisation_profile[{i}]",
                    value=u,
                    expected="a drawn fraction of the limit in [0, 1]",
                )


@attrs.frozen(kw_only=True)
class Participation:
    """One lender's share of a syndicated facility.

    Attributes:
        bank: The lender's name.
        role: Agent, arranger or participant.
        share: Fraction of the facility the lender holds, in (0, 1].
        own: Whether this is the bank's own participation (the book's bank).

    Examples:
        >>> Participation(bank="Our Bank", role=ParticipationRole.ARRANGER,
        ...               share=0.4, own=True)
        Participation(bank='Our Bank', role=<ParticipationRole.ARRANGER: 'arranger'>, share=0.4, own=True)
    """

    bank: str = attrs.field(validator=non_empty_str)
    role: ParticipationRole = attrs.field(validator=enum_of(ParticipationRole))
    share: float = attrs.field(validator=number_in(0.0, 1.0, lower_open=True))
    own: bool = attrs.field(default=False, validator=instance_of(bool, what="a bool"))


def check_participations(
    participations: tuple[Participation, ...], *, facility: str
) -> float:
    """The bank's share of a facility, after checking its syndicate.

    Bilateral (no participations): 1. Otherwise the shares sum to at most 100 % and
    the bank's own participations (`own=True`) give its share.

    Raises:
        InvalidValueError: shares summing over 100 %, or no own participation,
            naming the facility and the field.

    Examples:
        >>> agent, member = ParticipationRole.AGENT, ParticipationRole.PARTICIPANT
        >>> p = (Participation(bank="A", role=agent, share=0.5, own=True),
        ...      Participation(bank="B", role=member, share=0.6))
        >>> check_participations(p, facility="F-1")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `facility 'F-1' participations` must be shares summing to at most 1 (100 %); got 'sums to 1.1'.
    """
    if not participations:
        return 1.0
    total = math.fsum(p.share for p in participations)
    if total > 1.0 + PROFILE_TOLERANCE:
        raise InvalidValueError(
            field=f"facility {facility!r} participations",
            value=f"sums to {total:g}",
            expected="shares summing to at most 1 (100 %)",
        )
    own = math.fsum(p.share for p in participations if p.own)
    if own == 0.0:
        raise InvalidValueError(
            field=f"facility {facility!r} participations",
            value="no own participation",
            expected="the bank's own share among them (own=True)",
            hint="A syndicated facility on the book lists the bank's participation.",
        )
    return own


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later, clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first_next = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (first_next - dt.timedelta(days=1)).day
    return dt.date(year, month + 1, min(day.day, last_day))


def payment_dates(
    start: dt.date, maturity: dt.date, payments_per_year: int
) -> list[dt.date]:
    """The payment dates of a schedule: every ``12 / payments_per_year`` months.

    Dates roll from ``start`` by whole months (a day past a month's end is clamped
    to it); the last date is ``maturity`` (a short last period when it is not on
    the grid).

    Examples:
        >>> payment_dates(dt.date(2026, 1, 31), dt.date(2026, 8, 15), 4)
        [datetime.date(2026, 4, 30), datetime.date(2026, 7, 31), datetime.date(2026, 8, 15)]
    """
    step = 12 // payments_per_year
    out: list[dt.date] = []
    k = 1
    while (day := add_months(start, k * step)) < maturity:
        out.append(day)
        k += 1
    out.append(maturity)
    return out


def check_terms_fit(
    terms: RepaymentTerms, start: dt.date, maturity: dt.date, *, facility: str
) -> int:
    """The number of periods; a profile must have one entry per period.

    Raises:
        InvalidValueError: a sculpted or utilisation profile of another length, or
            a grace period as long as the loan, naming the facility and field.
    """
    n = len(payment_dates(start, maturity, terms.payments_per_year))
    for name in ("principal_profile", "utilisation_profile"):
        profile: tuple[float, ...] = getattr(terms, name)
        if profile and len(profile) != n:
            raise InvalidValueError(
                field=f"facility {facility!r} terms.{name}",
                value=f"{len(profile)} entries",
                expected=f"one entry per payment period ({n})",
            )
    if terms.grace_periods >= n and terms.amortisation in (
        Amortisation.ANNUITY,
        Amortisation.LINEAR,
        Amortisation.BALLOON,
    ):
        raise InvalidValueError(
            field=f"facility {facility!r} terms.grace_periods",
            value=terms.grace_periods,
            expected=f"fewer than the {n} payment periods (a schedule that repays "
            "the principal)",
        )
    return n
