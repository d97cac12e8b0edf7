"""`Opportunity`: one deal in the pipeline, with its audited stage history.

The stage is not a free field: it is what the deal's hash-chained
`lendcrm.lifecycle.History` replays to on the `PIPELINE` machine, so a deal cannot skip
a stage or reopen after it was won or lost. `advance_opportunity` is the one way to
move a deal; it appends to the history through the lifecycle engine.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, NewType

import attrs

from lendcrm import ClientId, FacilityKind, Money
from lendcrm._validators import enum_of, identifier, is_date, non_empty_str, optional
from lendcrm.errors import (
    IllegalTransitionError,
    InvalidValueError,
    TamperedHistoryError,
)
from lendcrm.lifecycle import History, LifecycleState, advance, replay
from lendcrm.relationship.commercial._pipeline_machine import (
    PIPELINE,
    PipelineEvent,
    PipelineStage,
    days_in_stage,
)
from lendcrm.relationship.commercial._prospects import ProspectId

__all__ = [
    "LostReason",
    "Opportunity",
    "OpportunityId",
    "SyndicationRole",
    "advance_opportunity",
]

#: Identifier of an opportunity (a deal in the pipeline).
OpportunityId = NewType("OpportunityId", str)


class SyndicationRole(StrEnum):
    """The bank's role in the financing.

    Examples:
        >>> SyndicationRole("mandated_lead_arranger").value
        'mandated_lead_arranger'
    """

    #: A bilateral loan: the bank is the only lender.
    BILATERAL = "bilateral"
    #: Arranges and underwrites a syndicated loan.
    MANDATED_LEAD_ARRANGER = "mandated_lead_arranger"
    #: Takes a senior ticket in a syndicate arranged by another bank.
    ARRANGER = "arranger"
    #: Joins a syndicate with a smaller ticket.
    PARTICIPANT = "participant"


class LostReason(StrEnum):
    """Why a deal was lost (the reason recorded with the ``lose`` event).

    Examples:
        >>> LostReason("price")
        <LostReason.PRICE: 'price'>
    """

    PRICE = "price"
    STRUCTURE = "structure"
    CREDIT_DECLINED = "credit_declined"
    COMPETITOR = "competitor"
    CLIENT_WITHDREW = "client_withdrew"
    TIMING = "timing"


def _path(inst: object, name: str) -> str:
    key = getattr(inst, "id", None)
    return f"opportunity[{key!r}].{name}" if isinstance(key, str) else name


def _positive_amount(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Money) or value.amount <= 0:
        raise InvalidValueError(
            field=_path(inst, attr.name), value=value, expected="a Money amount > 0"
        )


def _empty_history(inst: Opportunity) -> History:
    return History(machine=PIPELINE.name, entity_id=inst.id)


@attrs.frozen(kw_only=True)
class Opportunity:
    """A deal the bank is working on, with a client or with a prospect.

    Attributes:
        id: Stable identifier.
        kind: The product: the kind of facility offered.
        amount: The bank's ticket (its share in a syndicate), > 0.
        created_on: When the deal was opened (it entered ``lead`` then).
        expected_close_on: When the owner expects it to close; not before
            ``created_on``.
        owner: The relationship manager who owns the deal.
        client_id: The client, for a deal with an existing client.
        prospect_id: The prospect, for a deal with a company not yet a client;
            exactly one of ``client_id`` and ``prospect_id`` is set.
        syndication_role: The bank's role in the financing.
        history: The audited stage moves on `PIPELINE` (empty: still a lead).
        lost_reason: Why it was lost; set exactly when the stage is ``lost``
            (it is the reason recorded with the ``lose`` event).
        stage: The current stage (derived: the history replayed).

    Raises:
        InvalidValueError: a field is invalid, or the history is not a valid path
            of `PIPELINE` for this deal; the message names the deal and the field.

    Examples:
        >>> import datetime as dt
        >>> o = Opportunity(id=OpportunityId("O-1"), kind=FacilityKind.TERM_LOAN,
        ...                 amount=Money.of("25000000", "EUR"),
        ...                 created_on=dt.date(2026, 1, 12),
        ...                 expected_close_on=dt.date(2026, 6, 30), owner="rm-7",
        ...                 client_id=ClientId("C-1"))
        >>> o.stage, o.is_open
        (<PipelineStage.LEAD: 'lead'>, True)
        >>> attrs.evolve(o, expected_close_on=dt.date(2025, 12, 31))
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `opportunity['O-1'].expected_close_on` must be a date on or after created_on (2026-01-12); got datetime.date(2025, 12, 31).
    """

    id: OpportunityId = attrs.field(validator=identifier)
    kind: FacilityKind = attrs.field(validator=enum_of(FacilityKind))
    amount: Money = attrs.field(validator=_positive_amount)
    created_on: dt.date = attrs.field(validator=is_date)
    expected_close_on: dt.date = attrs.field(validator=is_date)
    owner: str = attrs.field(validator=non_empty_str)
    client_id: ClientId | None = attrs.field(
        default=None, validator=optional(identifier)
    )
    prospect_id: ProspectId | None = attrs.field(
        default=None, validator=optional(identifier)
    )
    syndication_role: SyndicationRole = attrs.field(
        default=SyndicationRole.BILATERAL, validator=enum_of(SyndicationRole)
    )
    history: History = attrs.field(
        default=attrs.Factory(_empty_history, takes_self=True), repr=False
    )
    lost_reason: LostReason | None = attrs.field(
        default=None, validator=optional(enum_of(LostReason))
    )
    stage: PipelineStage = attrs.field(init=False, default=PipelineStage.LEAD)

    def __attrs_post_init__(self) -> None:
        """Cross-field rules: one counterparty, dates in order, a valid history."""
        if (self.client_id is None) == (self.prospect_id is None):
            raise InvalidValueError(
                field=_path(self, "client_id"),
                value=self.client_id,
                expected="set exactly when `prospect_id` is not (a deal is with a "
                "client or with a prospect)",
            )
        if self.expected_close_on < self.created_on:
            raise InvalidValueError(
                field=_path(self, "expected_close_on"),
                value=self.expected_close_on,
                expected=f"a date on or after created_on ({self.created_on})",
            )
        stage = self._replayed()
        object.__setattr__(self, "stage", stage)  # derived; attrs' documented way
        self._check_lost_reason(stage)

    def _replayed(self) -> PipelineStage:
        history = self.history
        given: object = history
        if not isinstance(given, History) or history.machine != PIPELINE.name:
            raise InvalidValueError(
                field=_path(self, "history"),
                value=getattr(history, "machine", history),
                expected=f"a History of the {PIPELINE.name!r} machine",
            )
        if history.entity_id != self.id:
            raise InvalidValueError(
                field=_path(self, "history.entity_id"),
                value=history.entity_id,
                expected=f"this deal's id {self.id!r}",
            )
        try:
            stage = replay(PIPELINE, history)
        except TamperedHistoryError as exc:
            raise InvalidValueError(
                field=_path(self, f"history[{exc.index}]"),
                value=history.records[exc.index].to_stage,
                expected="a move the pipeline allows (one stage at a time, lost from "
                "an open stage, nothing after won or lost)",
            ) from exc
        first = history.records[0] if len(history) else None
        if first is not None and first.on < self.created_on:
            raise InvalidValueError(
                field=_path(self, "history[0].on"),
                value=first.on,
                expected=f"a date on or after created_on ({self.created_on})",
            )
        return stage

    def _check_lost_reason(self, stage: PipelineStage) -> None:
        lost = stage is PipelineStage.LOST
        if lost != (self.lost_reason is not None):
            raise InvalidValueError(
                field=_path(self, "lost_reason"),
                value=self.lost_reason,
                expected="a LostReason exactly when the stage is 'lost' "
                f"(stage {stage.value!r})",
            )
        last = self.history.last
        if lost and last is not None and last.reason != self.lost_reason:
            raise InvalidValueError(
                field=_path(self, "lost_reason"),
                value=self.lost_reason,
                expected=f"the reason recorded with the lose event ({last.reason!r})",
            )

    @property
    def is_open(self) -> bool:
        """Whether the deal is still being worked (not won, not lost)."""
        return self.stage not in PIPELINE.terminal

    @property
    def currency(self) -> str:
        """The currency of ``amount``."""
        return self.amount.currency

    @property
    def closed_on(self) -> dt.date | None:
        """The date it was won or lost, or ``None`` while open."""
        last = self.history.last
        return None if self.is_open or last is None else last.on

    @property
    def furthest_stage(self) -> PipelineStage:
        """The furthest open stage reached (``documentation`` for a won deal)."""
        if self.stage is PipelineStage.WON:
            return PipelineStage.DOCUMENTATION
        last = self.history.last
        if self.stage is PipelineStage.LOST and last is not None:
            return PipelineStage(last.from_stage)
        return self.stage

    def stage_entry_dates(self) -> dict[PipelineStage, dt.date]:
        """When the deal entered each stage it reached (``lead``: ``created_on``).

        Examples:
            >>> import datetime as dt
            >>> o = Opportunity(id=OpportunityId("O-1"), kind=FacilityKind.BRIDGE,
            ...                 amount=Money.of("1000000", "EUR"),
            ...                 created_on=dt.date(2026, 1, 5),
            ...                 expected_close_on=dt.date(2026, 3, 1), owner="rm-1",
            ...                 client_id=ClientId("C-1"))
            >>> o = advance_opportunity(o, "qualify", on=dt.date(2026, 1, 20))
            >>> {s.value: d.isoformat() for s, d in o.stage_entry_dates().items()}
            {'lead': '2026-01-05', 'qualified': '2026-01-20'}
        """
        dates = {PipelineStage.LEAD: self.created_on}
        for record in self.history.records:
            dates[PipelineStage(record.to_stage)] = record.on
        return dates

    def days_in_stage(self, as_of: dt.date) -> int:
        """Stage ageing: whole days in the current stage at ``as_of``.

        Raises:
            InvalidValueError: ``as_of`` is before the stage was entered.
        """
        return days_in_stage(self.history, self.created_on, as_of)

    def cycle_days(self) -> int | None:
        """Days from creation (lead) to signing, for a won deal; else ``None``."""
        closed = self.closed_on
        if self.stage is not PipelineStage.WON or closed is None:
            return None
        return (closed - self.created_on).days


def advance_opportunity(
    opportunity: Opportunity,
    event: PipelineEvent | str,
    *,
    on: dt.date,
    reason: LostReason | str | None = None,
    actor: str | None = None,
) -> Opportunity:
    """Move a deal one step along the pipeline and record the move.

    Args:
        opportunity: The deal (unchanged).
        event: The event (`PipelineEvent` or its value).
        on: Business date of the move; not before the last move or the creation.
        reason: For ``lose``, the `LostReason` (required); otherwise a free text.
        actor: Who moves it (user id, system name).

    Returns:
        The deal with one more history record (and its lost reason, when lost).

    Raises:
        IllegalTransitionError: the pipeline has no such move from the current stage
            (a skipped stage, anything after won or lost); names the deal.
        GuardRefusedError: ``lose`` without a reason.
        InvalidValueError: the lost reason is not a `LostReason`, or ``on`` is before
            the deal was created.
        OutOfOrderTransitionError: ``on`` is before the last move.

    Examples:
        >>> import datetime as dt
        >>> o = Opportunity(id=OpportunityId("O-9"), kind=FacilityKind.TERM_LOAN,
        ...                 amount=Money.of("5000000", "EUR"),
        ...                 created_on=dt.date(2026, 2, 1),
        ...                 expected_close_on=dt.date(2026, 5, 1), owner="rm-2",
        ...                 client_id=ClientId("C-3"))
        >>> advance_opportunity(o, "propose", on=dt.date(2026, 2, 9))
        Traceback (most recent call last):
        ...
        lendcrm.errors.IllegalTransitionError: Cannot apply event 'propose' to a deal 'O-9' in stage 'lead'. Allowed events from 'lead': qualify, lose.
        >>> lost = advance_opportunity(o, "lose", on=dt.date(2026, 2, 9), reason="price")
        >>> lost.stage, lost.lost_reason, lost.closed_on
        (<PipelineStage.LOST: 'lost'>, <LostReason.PRICE: 'price'>, datetime.date(2026, 2, 9))
    """
    if not isinstance(opportunity, Opportunity):
        raise InvalidValueError(
            field="opportunity", value=opportunity, expected="an Opportunity"
        )
    lost_reason = None
    if str(event) == PipelineEvent.LOSE and reason is not None:
        try:
            lost_reason = LostReason(reason)
        except ValueError:
            raise InvalidValueError(
                field=_path(opportunity, "lost_reason"),
                value=reason,
                expected="one of " + ", ".join(repr(r.value) for r in LostReason),
            ) from None
    day: object = on
    if isinstance(day, dt.date) and day < opportunity.created_on:
        raise InvalidValueError(
            field=_path(opportunity, "history.on"),
            value=on,
            expected=f"a date on or after created_on ({opportunity.created_on})",
        )
    state = LifecycleState(
        machine=PIPELINE, stage=opportunity.stage, history=opportunity.history
    )
    try:
        moved = advance(
            state,
            event,
            on=on,
            reason=None if reason is None else str(reason),
            actor=actor,
        )
    except IllegalTransitionError as exc:
        raise IllegalTransitionError(
            stage=exc.stage,
            event=exc.event,
            allowed=exc.allowed,
            subject=f"deal {opportunity.id!r}",
        ) from None
    return attrs.evolve(opportunity, history=moved.history, lost_reason=lost_reason)
