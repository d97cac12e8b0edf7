"""The entity face of the pipeline analytics: one deal, or a `Pipeline`, at a time.

These are the readable counterparts of the batch paths in
`lendcrm.relationship.commercial.frames`: the same figures, computed deal by deal in
plain Python, so a relationship manager's screen and the nightly batch agree (the
tests hold them equal).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Literal, NamedTuple

import numpy as np

from lendcrm._validators import require_instance
from lendcrm.errors import CurrencyMismatchError, InvalidValueError
from lendcrm.relationship.commercial._opportunities import Opportunity
from lendcrm.relationship.commercial._pipeline_book import Pipeline
from lendcrm.relationship.commercial._pipeline_machine import (
    OPEN_STAGES,
    PipelineStage,
)
from lendcrm.relationship.commercial._pipeline_probabilities import (
    MIN_CLOSED_DEALS,
    StageProbabilities,
    estimate_stage_probabilities,
)

__all__ = [
    "FORECAST_KEYS",
    "SEGMENT_KEYS",
    "ForecastKey",
    "ForecastLine",
    "SegmentKey",
    "deal_key",
    "fit_stage_probabilities",
    "pipeline_forecast",
    "win_probability",
]

#: What a forecast can be grouped by.
ForecastKey = Literal["close_month", "owner", "kind", "sector", "syndication_role"]
#: What win probabilities can be segmented by.
SegmentKey = Literal["kind", "sector", "owner", "syndication_role"]
FORECAST_KEYS: Final = ("close_month", "owner", "kind", "sector", "syndication_role")
SEGMENT_KEYS: Final = ("kind", "sector", "owner", "syndication_role")


class ForecastLine(NamedTuple):
    """One group of a forecast: open amount, weighted amount, open deals."""

    pipeline: float
    weighted: float
    deals: int


def _check_key(by: object, allowed: tuple[str, ...], name: str) -> str:
    if not isinstance(by, str) or by not in allowed:
        raise InvalidValueError(
            field=name,
            value=by,
            expected="one of " + ", ".join(repr(k) for k in allowed),
        )
    return str(by)


def deal_key(pipeline: Pipeline, opportunity: Opportunity, by: str) -> str:
    """The label of ``opportunity`` under a grouping (``"2026-05"`` for a close month).

    The entity-face twin of the batch path's group codes: the sector is the
    counterparty's (the client's in ``pipeline.book``, else the prospect's).
    """
    if by == "close_month":
        d = opportunity.expected_close_on
        return f"{d.year:04d}-{d.month:02d}"
    if by == "sector":
        return pipeline.sector_of(opportunity)
    if by == "owner":
        return opportunity.owner
    if by == "kind":
        return opportunity.kind.value
    return opportunity.syndication_role.value


def fit_stage_probabilities(
    pipeline: Pipeline,
    *,
    by: SegmentKey | None = None,
    min_closed: int = MIN_CLOSED_DEALS,
    confidence: float = 0.9,
) -> StageProbabilities:
    """Win probability by stage from the pipeline's closed deals (see the module).

    Segments are the sorted distinct labels of the closed deals under ``by``.

    Raises:
        InvalidValueError: ``by`` is unknown, or too few closed deals reached a stage.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Book, Client, ClientId, Money, Sector
        >>> from lendcrm.synthetic import generate_pipeline
        >>> from lendcrm.relationship.commercial.frames import pipeline_from_frames
        >>> sp = generate_pipeline(300, seed=4)
        >>> deals = sp.opportunities.dropna(subset=["client_id"])
        >>> sector = dict(zip(deals["client_id"], deals["sector"].astype(str)))
        >>> ids = sorted(set(sector) | set(sp.prospects["referred_by"].dropna()))
        >>> book = Book(clients=tuple(Client(id=ClientId(c), legal_name=c,
        ...     sector=Sector(sector.get(c, "C")), country="DE",
        ...     onboarded_on=dt.date(2020, 1, 1),
        ...     annual_revenue=Money.of("1000000", "EUR")) for c in ids))
        >>> pipeline = pipeline_from_frames(book, sp.prospects, sp.opportunities)
        >>> p = fit_stage_probabilities(pipeline, min_closed=10)
        >>> p.closed.tolist(), p.probability.round(3).tolist()
        ([276, 123, 75, 52, 41], [0.145, 0.325, 0.533, 0.769, 0.976])
    """
    require_instance(pipeline, Pipeline, name="pipeline", what="a Pipeline")
    closed = [o for o in pipeline.opportunities if not o.is_open]
    reached = [OPEN_STAGES.index(o.furthest_stage) for o in closed]
    won = [o.stage is PipelineStage.WON for o in closed]
    if by is None:
        return estimate_stage_probabilities(
            reached, won, min_closed=min_closed, confidence=confidence
        )
    key = _check_key(by, SEGMENT_KEYS, "by")
    labels = [deal_key(pipeline, o, key) for o in closed]
    segments = tuple(sorted(set(labels)))
    codes = np.array([segments.index(x) for x in labels], dtype=np.int64)
    return estimate_stage_probabilities(
        reached,
        won,
        segment=codes,
        segments=segments,
        min_closed=min_closed,
        confidence=confidence,
    )


def win_probability(
    opportunity: Opportunity,
    probabilities: StageProbabilities,
    *,
    segment: str | None = None,
) -> float:
    """The deal's win probability from its stage (and segment): 1 won, 0 lost.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import ClientId, FacilityKind, Money
        >>> from lendcrm.relationship.commercial import (Opportunity, OpportunityId,
        ...     advance_opportunity, estimate_stage_probabilities)
        >>> sp = estimate_stage_probabilities([4] * 6 + [1] * 4, [True] * 3 + [False] * 7,
        ...                                   min_closed=5)
        >>> o = Opportunity(id=OpportunityId("O-1"), kind=FacilityKind.BRIDGE,
        ...     amount=Money.of("1000000", "EUR"), created_on=dt.date(2026, 1, 5),
        ...     expected_close_on=dt.date(2026, 5, 20), owner="rm-1",
        ...     client_id=ClientId("C-1"))
        >>> win_probability(o, sp), win_probability(
        ...     advance_opportunity(o, "qualify", on=dt.date(2026, 1, 9)), sp)
        (0.3, 0.3)
    """
    require_instance(
        opportunity, Opportunity, name="opportunity", what="an Opportunity"
    )
    require_instance(
        probabilities,
        StageProbabilities,
        name="probabilities",
        what="a StageProbabilities",
    )
    return probabilities.probability_of(opportunity.stage, segment)


def _open_in_one_currency(opportunities: Iterable[Opportunity]) -> list[Opportunity]:
    open_deals = [o for o in opportunities if o.is_open]
    if open_deals:
        first = open_deals[0].currency
        for o in open_deals:
            if o.currency != first:
                raise CurrencyMismatchError(
                    left=first, right=o.currency, operation="add"
                )
    return open_deals


def pipeline_forecast(
    pipeline: Pipeline,
    probabilities: StageProbabilities,
    *,
    by: ForecastKey = "close_month",
    segment_by: SegmentKey | None = None,
) -> dict[str, ForecastLine]:
    """The probability-weighted open pipeline per group, deal by deal.

    Each open deal counts ``amount × p(stage, segment)``; the groups are sorted.

    Args:
        pipeline: The deals (their amounts in one currency).
        probabilities: From `fit_stage_probabilities` (segmented by ``segment_by``).
        by: The grouping: expected close month (``"YYYY-MM"``), owner, product
            kind, sector or syndication role.
        segment_by: The segmentation of ``probabilities`` (``None``: pooled).

    Raises:
        InvalidValueError: ``by`` or ``segment_by`` is unknown.
        CurrencyMismatchError: open deals in two currencies.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Book, Client, ClientId, Money, Sector
        >>> from lendcrm.synthetic import generate_pipeline
        >>> from lendcrm.relationship.commercial.frames import pipeline_from_frames
        >>> sp = generate_pipeline(300, seed=4)
        >>> deals = sp.opportunities.dropna(subset=["client_id"])
        >>> sector = dict(zip(deals["client_id"], deals["sector"].astype(str)))
        >>> ids = sorted(set(sector) | set(sp.prospects["referred_by"].dropna()))
        >>> book = Book(clients=tuple(Client(id=ClientId(c), legal_name=c,
        ...     sector=Sector(sector.get(c, "C")), country="DE",
        ...     onboarded_on=dt.date(2020, 1, 1),
        ...     annual_revenue=Money.of("1000000", "EUR")) for c in ids))
        >>> pipeline = pipeline_from_frames(book, sp.prospects, sp.opportunities)
        >>> p = fit_stage_probabilities(pipeline, min_closed=10)
        >>> pipeline_forecast(pipeline, p, by="kind")["bridge"]
        ForecastLine(pipeline=21400000.0, weighted=13734181.6896..., deals=2)
    """
    require_instance(pipeline, Pipeline, name="pipeline", what="a Pipeline")
    require_instance(
        probabilities,
        StageProbabilities,
        name="probabilities",
        what="a StageProbabilities",
    )
    key = _check_key(by, FORECAST_KEYS, "by")
    seg = (
        None
        if segment_by is None
        else _check_key(segment_by, SEGMENT_KEYS, "segment_by")
    )
    lines: dict[str, list[float]] = {}
    for o in _open_in_one_currency(pipeline.opportunities):
        label = deal_key(pipeline, o, key)
        segment = None if seg is None else deal_key(pipeline, o, seg)
        p = probabilities.probability_of(o.stage, segment)
        amount = float(o.amount.amount)
        line = lines.setdefault(label, [0.0, 0.0, 0])
        line[0] += amount
        line[1] += amount * p
        line[2] += 1
    return {k: ForecastLine(v[0], v[1], int(v[2])) for k, v in sorted(lines.items())}
