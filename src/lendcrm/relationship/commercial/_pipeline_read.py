"""Frames back to entities: a `Pipeline` from its prospects and opportunities frames.

Each deal is rebuilt by advancing it along its dated stages through the lifecycle
engine (`advance_opportunity`), so the rebuilt history is audited like one recorded
live, and ``pipeline_from_frames(book, prospects_frame(p), opportunities_frame(p))``
equals ``p`` in everything but the actors and hashes of the history records (a frame
stores the dates of the moves, not who made them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from lendcrm import Book, ClientId, FacilityKind, Money, Sector
from lendcrm._frame_rows import rule_errors
from lendcrm.errors import BatchValidationError
from lendcrm.frames.columns import (
    AMOUNT,
    ANNUAL_REVENUE,
    CLIENT_ID,
    CLOSED_ON,
    COUNTRY,
    CREATED_ON,
    CURRENCY,
    KIND,
    NAME,
    OWNER,
    SECTOR,
    STAGE,
)
from lendcrm.relationship.commercial._opportunities import (
    LostReason,
    Opportunity,
    OpportunityId,
    SyndicationRole,
    advance_opportunity,
)
from lendcrm.relationship.commercial._pipeline_book import Pipeline
from lendcrm.relationship.commercial._pipeline_columnar import (
    validate_opportunities_frame,
    validate_prospects_frame,
)
from lendcrm.relationship.commercial._pipeline_machine import PipelineEvent
from lendcrm.relationship.commercial._prospects import (
    Prospect,
    ProspectId,
    ProspectSource,
)
from lendcrm.relationship.commercial.columns import (
    EXPECTED_CLOSE_ON,
    LOST_REASON,
    OPPORTUNITY_ID,
    PROSPECT_ID,
    REFERRED_BY,
    SOURCE,
    STAGE_ENTRY_COLUMNS,
    SYNDICATION_ROLE,
)

__all__ = ["pipeline_from_frames"]

_FORWARD = (
    PipelineEvent.QUALIFY,
    PipelineEvent.PROPOSE,
    PipelineEvent.SUBMIT,
    PipelineEvent.APPROVE,
)


def _date(value: object) -> dt.date | None:
    """A frame's date cell: a Timestamp, or NaT (missing)."""
    return value.date() if isinstance(value, pd.Timestamp) else None


def _text(value: object) -> str | None:
    """A frame's text cell: a string, or NaN/None (missing)."""
    return value if isinstance(value, str) else None


def _money(value: float, currency: object) -> Money:
    return Money.of(repr(float(value)), str(currency))


def _prospect(r: Mapping[Hashable, Any]) -> Prospect:
    referrer = _text(r[REFERRED_BY])
    return Prospect(
        id=ProspectId(str(r[PROSPECT_ID])),
        name=str(r[NAME]),
        sector=Sector(r[SECTOR]),
        country=str(r[COUNTRY]),
        size=_money(r[ANNUAL_REVENUE], r[CURRENCY]),
        source=ProspectSource(r[SOURCE]),
        referred_by=None if referrer is None else ClientId(referrer),
    )


def _deal(r: Mapping[Hashable, Any]) -> Opportunity:
    client, prospect = _text(r[CLIENT_ID]), _text(r[PROSPECT_ID])
    o = Opportunity(
        id=OpportunityId(str(r[OPPORTUNITY_ID])),
        kind=FacilityKind(r[KIND]),
        amount=_money(r[AMOUNT], r[CURRENCY]),
        created_on=_date(r[CREATED_ON]),  # type: ignore[arg-type]  # checked frame
        expected_close_on=_date(r[EXPECTED_CLOSE_ON]),  # type: ignore[arg-type]
        owner=str(r[OWNER]),
        client_id=None if client is None else ClientId(client),
        prospect_id=None if prospect is None else ProspectId(prospect),
        syndication_role=SyndicationRole(r[SYNDICATION_ROLE]),
    )
    for event, column in zip(_FORWARD, STAGE_ENTRY_COLUMNS, strict=True):
        on = _date(r[column])
        if on is None:
            break
        o = advance_opportunity(o, event, on=on)
    closed = _date(r[CLOSED_ON])
    if closed is not None and r[STAGE] == "won":
        o = advance_opportunity(o, PipelineEvent.SIGN, on=closed)
    elif closed is not None and r[STAGE] == "lost":
        reason = LostReason(r[LOST_REASON])
        o = advance_opportunity(o, PipelineEvent.LOSE, on=closed, reason=reason)
    return o


def pipeline_from_frames(
    book: Book, prospects: pd.DataFrame, opportunities: pd.DataFrame
) -> Pipeline:
    """Rebuild a `Pipeline` from its frames (checked first), deal by deal.

    Building entities costs Python work per row (a few hundred microseconds per deal);
    for a whole bank's pipeline work with the frames.

    Raises:
        SchemaError, BatchValidationError: a frame breaks its checker (see
            `validate_prospects_frame`, `validate_opportunities_frame`), the
            pipeline breaks an integrity rule against ``book``, or a deal's
            ``sector`` is not its counterparty's.

    Examples:
        >>> from lendcrm.synthetic import generate_pipeline
        >>> from lendcrm.relationship.commercial.frames import opportunities_frame
        >>> import datetime as dt
        >>> from lendcrm import Client, ClientId
        >>> sp = generate_pipeline(40, seed=1)
        >>> deals = sp.opportunities.dropna(subset=["client_id"])
        >>> sector = dict(zip(deals["client_id"], deals["sector"].astype(str)))
        >>> ids = set(sector) | set(sp.prospects["referred_by"].dropna())
        >>> book = Book(clients=tuple(Client(id=ClientId(c), legal_name=f"Client {c}",
        ...     sector=Sector(sector.get(c, "C")), country="DE",
        ...     onboarded_on=dt.date(2020, 1, 1), annual_revenue=Money.of("1000000", "EUR"))
        ...     for c in sorted(ids)))
        >>> p = pipeline_from_frames(book, sp.prospects, sp.opportunities)
        >>> len(p.opportunities), p.opportunities[0].stage.value
        (40, 'lost')
    """
    validate_prospects_frame(prospects)
    validate_opportunities_frame(opportunities)
    pipeline = Pipeline(
        book=book,
        prospects=tuple(_prospect(r) for r in prospects.to_dict("records")),
        opportunities=tuple(_deal(r) for r in opportunities.to_dict("records")),
    )
    sectors = np.array([pipeline.sector_of(o) for o in pipeline.opportunities])
    wrong = opportunities[SECTOR].astype(str).to_numpy() != sectors
    errors = rule_errors(
        opportunities,
        wrong,
        "opportunities",
        SECTOR,
        "the sector of the deal's client (in the book) or prospect",
    )
    if errors:
        raise BatchValidationError(errors, total=len(opportunities))
    return pipeline
