"""Small worked examples of the core entities, for the examples of the docs.

Every builder returns a fresh, fully valid object; the figures are the worked examples
of the documentation.
"""

from __future__ import annotations

import datetime as dt

from lendcrm._enums import ProjectPhase, Sector
from lendcrm._money import Money
from lendcrm._project import Project
from lendcrm._values import CashFlow, ClientId, ProjectId, Sponsor

__all__ = ["example_project"]


def example_project() -> Project:
    """The project-finance worked example of the docs as a `Project`.

    Four years of CFADS (130, 143, 156, 110 EUR) and a three-year debt schedule
    (100, 110, 120 EUR): a DSCR of 1.30 in every debt period.

    Examples:
        >>> p = example_project()
        >>> [str(c.cfads.amount) for c in p.cash_flows]
        ['130', '143', '156', '110']
    """
    flows = [("130", "100"), ("143", "110"), ("156", "120"), ("110", None)]
    return Project(
        id=ProjectId("P-1"),
        name="Example solar park",
        sponsors=(Sponsor(sponsor_id=ClientId("S-1"), equity_share=1.0),),
        sector=Sector.ELECTRICITY_GAS_STEAM,
        country="ES",
        total_cost=Money.of("400", "EUR"),
        debt=Money.of("272", "EUR"),
        equity=Money.of("128", "EUR"),
        phase=ProjectPhase.OPERATIONS,
        cash_flows=tuple(
            CashFlow(
                period_end=dt.date(2027 + i, 12, 31),
                cfads=Money.of(c, "EUR"),
                debt_service=None if d is None else Money.of(d, "EUR"),
            )
            for i, (c, d) in enumerate(flows)
        ),
    )
