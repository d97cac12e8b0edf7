"""Tour, part #13 A: one relationship manager's morning.

The RM with the most clients in a synthetic book opens the day: the calendar of the
next 30 days (credit reviews, annual reviews, KYC refreshes, covenant tests), the
reviews already overdue, and the clients below their tier's contact standard. Tiers are
cut on revenue to the bank (top 5 % diamond, next 15 % gold, next 30 % silver); the
service strategies are the built-in ones.

Run alone with ``python examples/tour_wf_a.py``; `examples/tour.py` calls
`rm_morning`.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from lendcrm.frames import columns as schema
from lendcrm.relationship.workflows.service_frames import (
    CONTACT_STANDING,
    DAYS_SINCE_CONTACT,
    DUE_ON,
    ITEM,
    OVERDUE_DAYS,
    calendar_frame,
    contact_standard_frame,
)
from lendcrm.synthetic import generate_frames

AS_OF = dt.date(2025, 12, 31)


def _tiers(clients: pd.DataFrame) -> pd.Series:
    rank = clients[schema.REVENUE_TO_BANK].rank(ascending=False, method="first")
    share = (rank - 1) / len(clients)
    tier = np.select(
        [share < 0.05, share < 0.20, share < 0.50],
        ["diamond", "gold", "silver"],
        "basic",
    )
    return pd.Series(tier, index=clients[schema.CLIENT_ID].astype(str))


def rm_morning(n_clients: int = 3000, seed: int = 21) -> dict[str, int]:
    """Print one RM's morning and return the counts it printed."""
    book = generate_frames(n_clients, seed=seed, as_of=AS_OF)
    frames = book.book_frames()
    tiers = _tiers(book.clients)
    stages = book.stages.set_index(schema.CLIENT_ID)[schema.STAGE].astype(str)
    rm = book.clients[schema.RELATIONSHIP_MANAGER].value_counts().index[0]
    mine = set(
        book.clients.loc[
            book.clients[schema.RELATIONSHIP_MANAGER] == rm, schema.CLIENT_ID
        ]
    )
    cal = calendar_frame(
        frames,
        as_of=AS_OF,
        until=AS_OF + dt.timedelta(days=30),
        tiers=tiers,
        stages=stages,
    )
    cal = cal[cal[schema.CLIENT_ID].isin(mine)]
    overdue = cal[cal[OVERDUE_DAYS] > 0]
    upcoming = cal[cal[OVERDUE_DAYS] == 0]
    contact = contact_standard_frame(frames, as_of=AS_OF, tiers=tiers, stages=stages)
    contact = contact[contact.index.isin(mine)]
    lapsed = contact[contact[CONTACT_STANDING] == "no_contact"]
    print(f"\n== {rm}'s morning, {AS_OF}: {len(mine)} clients")
    print(f"Due in the next 30 days: {len(upcoming)} items")
    print(upcoming[ITEM].value_counts().sort_index().to_string())
    print(f"Overdue: {len(overdue)} items")
    worst = overdue.sort_values(OVERDUE_DAYS, ascending=False).head(5)
    print(worst[[schema.CLIENT_ID, ITEM, DUE_ON, OVERDUE_DAYS]].to_string(index=False))
    print(f"Clients without a meaningful contact in their window: {len(lapsed)}")
    print(
        lapsed.assign(tier=tiers.reindex(lapsed.index))
        .sort_values(DAYS_SINCE_CONTACT, ascending=False, na_position="first")
        .head(5)[["tier", DAYS_SINCE_CONTACT]]
        .to_string()
    )
    return {
        "clients": len(mine),
        "upcoming": len(upcoming),
        "overdue": len(overdue),
        "no_contact": len(lapsed),
    }


if __name__ == "__main__":
    rm_morning()
