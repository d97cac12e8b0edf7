"""Hand-built prospects, deals and pipelines for the commercial tests, and a row reader.

`deal_from_row` turns one row of an opportunities frame into an `Opportunity` by
advancing it along its dated stages: the tests use it to rebuild the entity face of a
synthetic pipeline and hold it equal to the batch face (a test helper, so a loop over
rows is fine here).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from lendcrm import Book, ClientId, FacilityKind, Money, Sector
from lendcrm.frames import columns as core
from lendcrm.frames.columns import CLOSED_ON, CREATED_ON, OWNER
from lendcrm.relationship.commercial import (
    LostReason,
    Opportunity,
    OpportunityId,
    Pipeline,
    PipelineEvent,
    Prospect,
    ProspectId,
    ProspectSource,
    SyndicationRole,
    advance_opportunity,
)
from lendcrm.relationship.commercial import columns as col
from tests.factories import client

FORWARD = (
    PipelineEvent.QUALIFY,
    PipelineEvent.PROPOSE,
    PipelineEvent.SUBMIT,
    PipelineEvent.APPROVE,
    PipelineEvent.SIGN,
)


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def prospect(pid: str = "P-1", **changes: object) -> Prospect:
    fields: dict[str, object] = {
        "id": ProspectId(pid),
        "name": f"Prospect {pid} SA",
        "sector": Sector.ELECTRICITY_GAS_STEAM,
        "country": "FR",
        "size": eur("40000000"),
        "source": ProspectSource.OUTBOUND,
    }
    fields.update(changes)
    return Prospect(**fields)  # type: ignore[arg-type]


def deal(oid: str = "O-1", **changes: object) -> Opportunity:
    fields: dict[str, object] = {
        "id": OpportunityId(oid),
        "kind": FacilityKind.TERM_LOAN,
        "amount": eur("10000000"),
        "created_on": dt.date(2026, 1, 5),
        "expected_close_on": dt.date(2026, 6, 30),
        "owner": "rm-1",
        "client_id": ClientId("C-1"),
    }
    fields.update(changes)
    return Opportunity(**fields)  # type: ignore[arg-type]


def walked(
    o: Opportunity, steps: int, *, lose: str | None = None, every: int = 10
) -> Opportunity:
    """``o`` moved ``steps`` stages forward (then lost, if ``lose``), ``every`` days apart."""
    on = o.created_on
    for event in FORWARD[:steps]:
        on += dt.timedelta(days=every)
        o = advance_opportunity(o, event, on=on)
    if lose is not None:
        o = advance_opportunity(
            o, "lose", on=on + dt.timedelta(days=every), reason=lose
        )
    return o


def small_pipeline() -> Pipeline:
    """Two clients, two prospects, eight deals in every state."""
    book = Book(clients=(client("C-1"), client("C-2", sector=Sector.CONSTRUCTION)))
    prospects = (
        prospect("P-1"),
        prospect("P-2", source=ProspectSource.REFERRAL, referred_by=ClientId("C-1")),
    )
    deals = (
        walked(deal("O-1"), 5),
        walked(deal("O-2", kind=FacilityKind.BRIDGE), 2, lose="price"),
        walked(deal("O-3", client_id=None, prospect_id=ProspectId("P-1")), 1),
        walked(deal("O-4", client_id=ClientId("C-2"), owner="rm-2"), 3),
        walked(deal("O-5", expected_close_on=dt.date(2026, 7, 15)), 0),
        walked(
            deal(
                "O-6",
                client_id=None,
                prospect_id=ProspectId("P-2"),
                kind=FacilityKind.BRIDGE,
            ),
            4,
        ),
        walked(deal("O-7", owner="rm-2"), 0, lose="timing"),
        walked(deal("O-8", syndication_role=SyndicationRole.ARRANGER), 5, every=30),
    )
    return Pipeline(book=book, prospects=prospects, opportunities=deals)


def _date(value: Any) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def deal_from_row(row: pd.Series) -> Opportunity:
    """The `Opportunity` an opportunities-frame row describes (walked stage by stage)."""
    o = Opportunity(
        id=OpportunityId(row[col.OPPORTUNITY_ID]),
        kind=FacilityKind(row[core.KIND]),
        amount=Money.of(repr(float(row[core.AMOUNT])), row[core.CURRENCY]),
        created_on=_date(row[CREATED_ON]),  # type: ignore[arg-type]
        expected_close_on=_date(row[col.EXPECTED_CLOSE_ON]),  # type: ignore[arg-type]
        owner=str(row[OWNER]),
        client_id=None
        if pd.isna(row[core.CLIENT_ID])
        else ClientId(row[core.CLIENT_ID]),
        prospect_id=None
        if pd.isna(row[col.PROSPECT_ID])
        else ProspectId(row[col.PROSPECT_ID]),
        syndication_role=SyndicationRole(row[col.SYNDICATION_ROLE]),
    )
    for event, column in zip(FORWARD, col.STAGE_ENTRY_COLUMNS, strict=False):
        on = _date(row[column])
        if on is None:
            break
        o = advance_opportunity(o, event, on=on)
    closed = _date(row[CLOSED_ON])
    if row[core.STAGE] == "won":
        o = advance_opportunity(o, PipelineEvent.SIGN, on=closed)  # type: ignore[arg-type]
    elif row[core.STAGE] == "lost":
        reason = LostReason(row[col.LOST_REASON])
        o = advance_opportunity(o, "lose", on=closed, reason=reason)  # type: ignore[arg-type]
    return o
