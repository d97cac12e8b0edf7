"""The deal pipeline as a lifecycle machine: stages, events, the table and stage ageing.

An opportunity moves lead → qualified → proposal → credit approval → documentation →
won, one stage at a time; it can be lost from any open stage (with a written reason,
the lost reason) and never moves again once won or lost. The table is a
`lendcrm.lifecycle.Machine`, so every move is checked by the engine and recorded in a
hash-chained `lendcrm.lifecycle.History`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Final

from lendcrm._dates import check_as_of
from lendcrm.errors import InvalidValueError
from lendcrm.lifecycle import Guard, History, Machine, reason_required

__all__ = [
    "OPEN_STAGES",
    "PIPELINE",
    "PipelineEvent",
    "PipelineStage",
    "days_in_stage",
    "stage_entered_on",
]


class PipelineStage(StrEnum):
    """Where a deal stands in the pipeline (five open stages, then won or lost).

    Examples:
        >>> PipelineStage("credit_approval")
        <PipelineStage.CREDIT_APPROVAL: 'credit_approval'>
    """

    LEAD = "lead"
    QUALIFIED = "qualified"
    PROPOSAL = "proposal"
    CREDIT_APPROVAL = "credit_approval"
    DOCUMENTATION = "documentation"
    WON = "won"
    LOST = "lost"


class PipelineEvent(StrEnum):
    """What moves a deal along the pipeline.

    Examples:
        >>> str(PipelineEvent.SUBMIT)
        'submit'
    """

    #: The lead is a real need the bank can serve (lead → qualified).
    QUALIFY = "qualify"
    #: An indicative term sheet is sent (qualified → proposal).
    PROPOSE = "propose"
    #: The deal goes to the credit committee (proposal → credit approval).
    SUBMIT = "submit"
    #: Credit approves; legal documentation starts (credit approval → documentation).
    APPROVE = "approve"
    #: The facility agreement is signed (documentation → won).
    SIGN = "sign"
    #: The deal is lost, from any open stage (needs the lost reason).
    LOSE = "lose"


_S, _E = PipelineStage, PipelineEvent

#: The open stages in funnel order; a deal's code in the batch paths is its position.
OPEN_STAGES: Final = (
    _S.LEAD,
    _S.QUALIFIED,
    _S.PROPOSAL,
    _S.CREDIT_APPROVAL,
    _S.DOCUMENTATION,
)
_FORWARD: Final = (_E.QUALIFY, _E.PROPOSE, _E.SUBMIT, _E.APPROVE, _E.SIGN)
_NEXT: Final = (*OPEN_STAGES[1:], _S.WON)

#: The deal pipeline: one forward event per open stage, ``lose`` (with a reason) from
#: any open stage, won and lost terminal.
PIPELINE: Final[Machine[PipelineStage, PipelineEvent]] = Machine(
    name="deal_pipeline",
    subject="deal",
    stages=PipelineStage,
    events=PipelineEvent,
    initial=_S.LEAD,
    terminal={_S.WON, _S.LOST},
    transitions={
        stage: {forward: target, _E.LOSE: _S.LOST}
        for stage, forward, target in zip(OPEN_STAGES, _FORWARD, _NEXT, strict=True)
    },
    guards=[
        Guard(name="lost_reason_given", stage=s, event=_E.LOSE, check=reason_required)
        for s in OPEN_STAGES
    ],
)


def stage_entered_on(history: History, created_on: dt.date) -> dt.date:
    """The date the deal entered its current stage: its last move, else its creation.

    Examples:
        >>> from lendcrm.lifecycle import advance, start
        >>> s = advance(start(PIPELINE, entity_id="O-1"), "qualify", on=dt.date(2026, 3, 2))
        >>> stage_entered_on(s.history, dt.date(2026, 1, 10))
        datetime.date(2026, 3, 2)
    """
    last = history.last
    return created_on if last is None else last.on


def days_in_stage(history: History, created_on: dt.date, as_of: dt.date) -> int:
    """Stage ageing: whole days from entering the current stage to ``as_of``.

    Args:
        history: The deal's audit history (`PIPELINE` records).
        created_on: When the deal was created (it entered ``lead`` then).
        as_of: The reporting date; not before the stage was entered.

    Raises:
        InvalidValueError: ``as_of`` is not a date or is before the stage was entered.

    Examples:
        >>> from lendcrm.lifecycle import advance, start
        >>> s = advance(start(PIPELINE, entity_id="O-1"), "qualify", on=dt.date(2026, 3, 2))
        >>> days_in_stage(s.history, dt.date(2026, 1, 10), dt.date(2026, 3, 31))
        29
    """
    as_of = check_as_of(as_of)
    entered = stage_entered_on(history, created_on)
    if as_of < entered:
        raise InvalidValueError(
            field="as_of",
            value=as_of,
            expected=f"a date on or after {entered} (when the current stage began)",
        )
    return (as_of - entered).days
