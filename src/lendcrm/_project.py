"""The project-finance vehicle entity: `Project`.

A frozen, keyword-only attrs class like `lendcrm.Client` and `lendcrm.Facility`
(:mod:`lendcrm._entities`): single fields are checked by validators, cross-field rules
(sources equal uses, sponsor shares summing to 1, schedules in order) in
``__attrs_post_init__``; every failure raises `lendcrm.errors.InvalidValueError` naming
the field.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Final

import attrs

from lendcrm._enums import EquatorCategory, ProjectPhase, Sector
from lendcrm._money import Money
from lendcrm._validators import (
    country_code,
    enum_of,
    identifier,
    non_empty_str,
    non_negative_money,
    optional,
    same_currency,
    tuple_of,
)
from lendcrm._values import (
    CashFlow,
    Drawdown,
    Milestone,
    ProjectId,
    Sponsor,
)
from lendcrm.errors import InvalidValueError

__all__ = ["Project"]

#: Sponsor equity shares are floats; their sum must be within this of 1.
SPONSOR_SHARE_TOLERANCE: Final = 1e-9


@attrs.frozen(kw_only=True)
class Project:
    """A project-finance vehicle: a special-purpose company building and running one asset.

    Rules: every amount is in one currency; ``debt + equity == total_cost`` exactly
    (sources equal uses); sponsor equity shares are floats summing to 1 within
    `SPONSOR_SHARE_TOLERANCE` (1e-9) and name each sponsor once; milestone names are
    unique; drawdowns are in date order and sum to at most ``debt``; cash-flow periods
    are strictly increasing.

    Attributes:
        id: Stable identifier.
        name: Project name (not personal data).
        sponsors: Equity holders and their shares; at least one.
        sector: NACE Rev. 2 section of the project's activity.
        country: ISO 3166-1 alpha-2 code of the project's location.
        total_cost: Total project cost (uses of funds), > 0.
        debt: Senior and other debt financing, >= 0.
        equity: Sponsor equity, >= 0.
        phase: Where the project stands.
        milestones: Construction and development milestones.
        drawdowns: Debt drawn so far, in date order.
        cash_flows: CFADS forecast per period, in period order.
        equator_category: Equator Principles environmental and social risk category
            (A: significant adverse impacts, B: limited, C: minimal), if categorised.

    Examples:
        >>> from lendcrm import (ClientId, Money, Project, ProjectId, ProjectPhase,
        ...                      Sector, Sponsor)
        >>> p = Project(
        ...     id=ProjectId("P-1"), name="Baltic Wind II",
        ...     sponsors=(Sponsor(sponsor_id=ClientId("S-1"), equity_share=0.7),
        ...               Sponsor(sponsor_id=ClientId("S-2"), equity_share=0.3)),
        ...     sector=Sector.ELECTRICITY_GAS_STEAM, country="PL",
        ...     total_cost=Money.of("400000000", "EUR"), debt=Money.of("300000000", "EUR"),
        ...     equity=Money.of("100000000", "EUR"), phase=ProjectPhase.CONSTRUCTION)
        >>> p.gearing
        0.75
    """

    id: ProjectId = attrs.field(validator=identifier)
    name: str = attrs.field(validator=non_empty_str)
    sponsors: tuple[Sponsor, ...] = attrs.field(
        validator=tuple_of(Sponsor, what="Sponsor")
    )
    sector: Sector = attrs.field(validator=enum_of(Sector))
    country: str = attrs.field(validator=country_code)
    total_cost: Money = attrs.field(validator=non_negative_money)
    debt: Money = attrs.field(validator=non_negative_money)
    equity: Money = attrs.field(validator=non_negative_money)
    phase: ProjectPhase = attrs.field(validator=enum_of(ProjectPhase))
    milestones: tuple[Milestone, ...] = attrs.field(
        default=(), validator=tuple_of(Milestone, what="Milestone")
    )
    drawdowns: tuple[Drawdown, ...] = attrs.field(
        default=(), validator=tuple_of(Drawdown, what="Drawdown")
    )
    cash_flows: tuple[CashFlow, ...] = attrs.field(
        default=(), validator=tuple_of(CashFlow, what="CashFlow")
    )
    equator_category: EquatorCategory | None = attrs.field(
        default=None, validator=optional(enum_of(EquatorCategory))
    )

    def __attrs_post_init__(self) -> None:
        """Cross-field rules (see the class docstring)."""
        self._check_currency()
        if self.total_cost.amount <= 0:
            raise InvalidValueError(
                field="total_cost", value=self.total_cost, expected="a Money amount > 0"
            )
        if self.debt.amount + self.equity.amount != self.total_cost.amount:
            raise InvalidValueError(
                field="equity",
                value=self.equity,
                expected=f"`total_cost` - `debt` = {self.total_cost - self.debt} "
                "(debt + equity must equal total cost)",
            )
        self._check_sponsors()
        names = [m.name for m in self.milestones]
        for i, name in enumerate(names):
            if name in names[:i]:
                raise InvalidValueError(
                    field=f"milestones[{i}].name",
                    value=name,
                    expected="a name not used by another milestone of the project",
                )
        self._check_schedule()

    def _check_currency(self) -> None:
        amounts = {"debt": self.debt, "equity": self.equity}
        amounts.update(
            {f"drawdowns[{i}].amount": d.amount for i, d in enumerate(self.drawdowns)}
        )
        amounts.update(
            {f"cash_flows[{i}].cfads": c.cfads for i, c in enumerate(self.cash_flows)}
        )
        same_currency("project", self.total_cost.currency, amounts)

    def _check_sponsors(self) -> None:
        if not self.sponsors:
            raise InvalidValueError(
                field="sponsors", value=(), expected="at least one sponsor"
            )
        ids = [s.sponsor_id for s in self.sponsors]
        for i, sid in enumerate(ids):
            if sid in ids[:i]:
                raise InvalidValueError(
                    field=f"sponsors[{i}].sponsor_id",
                    value=sid,
                    expected="a sponsor not already listed (one share per sponsor)",
                )
        total = math.fsum(s.equity_share for s in self.sponsors)
        if abs(total - 1.0) > SPONSOR_SHARE_TOLERANCE:
            raise InvalidValueError(
                field="sponsors",
                value=round(total, 12),
                expected="equity shares whose sum is 1 (within 1e-9)",
            )

    def _check_schedule(self) -> None:
        for i in range(1, len(self.drawdowns)):
            if self.drawdowns[i].on < self.drawdowns[i - 1].on:
                raise InvalidValueError(
                    field=f"drawdowns[{i}].on",
                    value=self.drawdowns[i].on,
                    expected=f"a date on or after the previous drawdown "
                    f"({self.drawdowns[i - 1].on})",
                )
        drawn = sum((d.amount.amount for d in self.drawdowns), Decimal(0))
        if drawn > self.debt.amount:
            raise InvalidValueError(
                field="drawdowns",
                value=Money(drawn, self.currency),
                expected=f"amounts whose sum is at most the debt {self.debt}",
            )
        for i in range(1, len(self.cash_flows)):
            if self.cash_flows[i].period_end <= self.cash_flows[i - 1].period_end:
                raise InvalidValueError(
                    field=f"cash_flows[{i}].period_end",
                    value=self.cash_flows[i].period_end,
                    expected=f"a date after the previous period end "
                    f"({self.cash_flows[i - 1].period_end})",
                )

    @property
    def currency(self) -> str:
        """The project's currency (that of ``total_cost``)."""
        return self.total_cost.currency

    @property
    def gearing(self) -> float:
        """``debt / total_cost``, a fraction."""
        return float(self.debt.amount / self.total_cost.amount)

    @property
    def drawn_to_date(self) -> Money:
        """Sum of the drawdowns."""
        return Money(
            sum((d.amount.amount for d in self.drawdowns), Decimal(0)), self.currency
        )

    @property
    def percent_complete(self) -> float:
        """Mean progress of the milestones in percent (0 without milestones)."""
        if not self.milestones:
            return 0.0
        return math.fsum(m.percent_complete for m in self.milestones) / len(
            self.milestones
        )
