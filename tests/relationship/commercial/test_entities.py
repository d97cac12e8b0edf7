"""Prospects, opportunities, the pipeline machine and the `Pipeline` container.

Every bad input of the issue has a test here that pins its message: a skipped stage,
a reopened deal, a close date before creation, a non-positive amount, a prospect that
is already a client (and the unknown references).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm import Book, ClientId, FacilityKind, Money
from lendcrm.errors import (
    BatchValidationError,
    GuardRefusedError,
    IllegalTransitionError,
    InvalidValueError,
    OutOfOrderTransitionError,
    UnknownReferenceError,
)
from lendcrm.lifecycle import History, replay, to_mermaid
from lendcrm.relationship.commercial import (
    OPEN_STAGES,
    PIPELINE,
    LostReason,
    OpportunityId,
    Pipeline,
    PipelineStage,
    ProspectId,
    ProspectSource,
    advance_opportunity,
)
from tests.factories import client
from tests.relationship.commercial.pipeline_factories import (
    deal,
    eur,
    prospect,
    small_pipeline,
    walked,
)


def _raises(exc: type[Exception], message: str) -> Any:
    return pytest.raises(exc, match="^" + re.escape(message) + "$")


# --- the machine ------------------------------------------------------------------------
def test_the_machine_is_the_funnel_with_lost_from_every_open_stage():
    assert PIPELINE.initial is PipelineStage.LEAD
    assert PIPELINE.terminal == {PipelineStage.WON, PipelineStage.LOST}
    for stage in OPEN_STAGES:
        assert [str(e) for e in PIPELINE.allowed_events(stage)][1] == "lose"
    assert PIPELINE.allowed_events(PipelineStage.WON) == ()
    assert "lead --> qualified : qualify" in to_mermaid(PIPELINE)


def test_a_deal_walks_the_funnel_and_its_history_replays_to_its_stage():
    o = walked(deal(), 5)
    assert o.stage is PipelineStage.WON
    assert replay(PIPELINE, o.history) is PipelineStage.WON
    assert len(o.history) == 5
    assert o.closed_on == dt.date(2026, 2, 24)
    assert o.cycle_days() == 50
    assert o.furthest_stage is PipelineStage.DOCUMENTATION
    assert not o.is_open


def test_stage_ageing_counts_days_since_the_last_move():
    o = walked(deal(), 2)  # proposal entered 2026-01-25
    assert o.days_in_stage(dt.date(2026, 2, 4)) == 10
    assert deal().days_in_stage(dt.date(2026, 1, 5)) == 0


def test_stage_ageing_before_the_stage_began_is_refused():
    with _raises(
        InvalidValueError,
        "`as_of` must be a date on or after 2026-01-25 (when the current stage "
        "began); got datetime.date(2026, 1, 20).",
    ):
        walked(deal(), 2).days_in_stage(dt.date(2026, 1, 20))


def test_a_lost_deal_keeps_its_reason_and_furthest_stage():
    o = walked(deal(), 2, lose="price")
    assert o.stage is PipelineStage.LOST
    assert o.lost_reason is LostReason.PRICE
    assert o.furthest_stage is PipelineStage.PROPOSAL
    assert o.history.last.reason == "price"  # type: ignore[union-attr]
    assert o.cycle_days() is None


def test_skipping_a_stage_is_refused_naming_the_deal():
    with _raises(
        IllegalTransitionError,
        "Cannot apply event 'submit' to a deal 'O-1' in stage 'qualified'. "
        "Allowed events from 'qualified': propose, lose.",
    ):
        advance_opportunity(walked(deal(), 1), "submit", on=dt.date(2026, 3, 1))


def test_reopening_a_won_deal_is_refused_naming_the_deal():
    with _raises(
        IllegalTransitionError,
        "Cannot apply event 'lose' to a deal 'O-1' in stage 'won'. "
        "Allowed events from 'won': none ('won' is terminal).",
    ):
        advance_opportunity(
            walked(deal(), 5), "lose", on=dt.date(2026, 3, 1), reason="price"
        )


def test_reopening_a_lost_deal_is_refused_naming_the_deal():
    with _raises(
        IllegalTransitionError,
        "Cannot apply event 'qualify' to a deal 'O-1' in stage 'lost'. "
        "Allowed events from 'lost': none ('lost' is terminal).",
    ):
        advance_opportunity(
            walked(deal(), 0, lose="timing"), "qualify", on=dt.date(2026, 3, 1)
        )


def test_a_history_that_skips_a_stage_is_refused_at_construction():
    skipping = History(machine=PIPELINE.name, entity_id="O-1").append(
        from_stage="lead", to_stage="proposal", event="propose", on=dt.date(2026, 2, 1)
    )
    with _raises(
        InvalidValueError,
        "`opportunity['O-1'].history[0]` must be a move the pipeline allows (one stage "
        "at a time, lost from an open stage, nothing after won or lost); got 'proposal'.",
    ):
        deal(history=skipping)


def test_a_history_of_another_deal_is_refused():
    with _raises(
        InvalidValueError,
        "`opportunity['O-2'].history.entity_id` must be this deal's id 'O-2'; got 'O-1'.",
    ):
        attrs.evolve(walked(deal(), 1), id=OpportunityId("O-2"))


def test_losing_needs_a_lost_reason():
    with _raises(
        GuardRefusedError,
        "Guard 'lost_reason_given' refused event 'lose' in stage 'lead': a written "
        "reason is required.",
    ):
        advance_opportunity(deal(), "lose", on=dt.date(2026, 2, 1))


def test_an_unknown_lost_reason_is_refused():
    with _raises(
        InvalidValueError,
        "`opportunity['O-1'].lost_reason` must be one of 'price', 'structure', "
        "'credit_declined', 'competitor', 'client_withdrew', 'timing'; got 'bad luck'.",
    ):
        advance_opportunity(deal(), "lose", on=dt.date(2026, 2, 1), reason="bad luck")


def test_a_lost_reason_on_an_open_deal_is_refused():
    with _raises(
        InvalidValueError,
        "`opportunity['O-1'].lost_reason` must be a LostReason exactly when the stage "
        "is 'lost' (stage 'lead'); got <LostReason.PRICE: 'price'>.",
    ):
        deal(lost_reason=LostReason.PRICE)


def test_a_move_before_the_creation_is_refused():
    with _raises(
        InvalidValueError,
        "`opportunity['O-1'].history.on` must be a date on or after created_on "
        "(2026-01-05); got datetime.date(2026, 1, 1).",
    ):
        advance_opportunity(deal(), "qualify", on=dt.date(2026, 1, 1))


def test_moves_out_of_date_order_are_refused():
    o = walked(deal(), 2)
    with pytest.raises(OutOfOrderTransitionError):
        advance_opportunity(o, "submit", on=dt.date(2026, 1, 20))


def test_a_close_date_before_creation_is_refused():
    with _raises(
        InvalidValueError,
        "`opportunity['O-1'].expected_close_on` must be a date on or after created_on "
        "(2026-01-05); got datetime.date(2025, 12, 31).",
    ):
        deal(expected_close_on=dt.date(2025, 12, 31))


@pytest.mark.parametrize("amount", ["0", "-5"])
def test_a_non_positive_amount_is_refused(amount: str):
    with _raises(
        InvalidValueError,
        f"`opportunity['O-1'].amount` must be a Money amount > 0; got "
        f"Money(amount=Decimal('{amount}'), currency='EUR').",
    ):
        deal(amount=eur(amount))


def test_a_deal_needs_exactly_one_counterparty():
    with _raises(
        InvalidValueError,
        "`opportunity['O-1'].client_id` must be set exactly when `prospect_id` is not "
        "(a deal is with a client or with a prospect); got 'C-1'.",
    ):
        deal(prospect_id=ProspectId("P-1"))


def test_a_referral_names_its_client_and_only_a_referral_does():
    with _raises(
        InvalidValueError,
        "`prospect['P-1'].source` must be 'referral' when `referred_by` names a client; "
        "got 'outbound'.",
    ):
        prospect(referred_by=ClientId("C-1"))
    with _raises(
        InvalidValueError,
        "`prospect['P-1'].country` must be an ISO 3166-1 alpha-2 country code such as "
        "'DE'; got 'XX'.",
    ):
        prospect(country="XX")


def test_name_stays_out_of_repr():
    assert "Prospect P-1 SA" not in repr(prospect())
    assert prospect().currency == "EUR"


# --- the container --------------------------------------------------------------------
def test_the_small_pipeline_builds_and_finds_its_entities():
    p = small_pipeline()
    assert p.prospect(ProspectId("P-2")).is_referred
    assert p.opportunity(OpportunityId("O-4")).stage is PipelineStage.CREDIT_APPROVAL
    assert p.sector_of(p.opportunity(OpportunityId("O-3"))) == "D"
    with _raises(
        UnknownReferenceError, "No prospect with id 'P-9'. Did you mean 'P-2'?"
    ):
        p.prospect(ProspectId("P-9"))


def _children(exc: pytest.ExceptionInfo[BatchValidationError]) -> list[str]:
    return [str(e) for e in exc.value.exceptions]


def test_a_prospect_that_is_already_a_client_is_refused_by_id_and_by_name():
    book = Book(clients=(client("C-1"),))
    twins = (
        prospect("C-1"),
        prospect("P-2", name="  client c-1   GMBH"),
    )
    with pytest.raises(BatchValidationError) as exc:
        Pipeline(book=book, prospects=twins)
    assert _children(exc) == [
        (
            "`prospects['C-1'].id` must be a company that is not yet a client; got 'C-1'. "
            "It is client 'C-1': record its opportunities with client_id instead."
        ),
        (
            "`prospects['P-2'].name` must be a company that is not yet a client; got 'the "
            "legal name of a client'. It is client 'C-1': record its opportunities with "
            "client_id instead."
        ),
    ]


def test_unknown_clients_prospects_and_duplicates_are_all_reported():
    book = Book(clients=(client("C-1"),))
    with pytest.raises(BatchValidationError) as exc:
        Pipeline(
            book=book,
            prospects=(
                prospect(
                    "P-1", source=ProspectSource.REFERRAL, referred_by=ClientId("C-7")
                ),
            ),
            opportunities=(
                deal("O-1", client_id=ClientId("C-9")),
                deal("O-1", client_id=None, prospect_id=ProspectId("P-5")),
            ),
        )
    assert _children(exc) == [
        (
            "`opportunities['O-1'].id` must be an id not used by another of the "
            "pipeline's opportunities; got 'O-1'."
        ),
        (
            "No client with id 'C-7' (referenced by `prospects['P-1'].referred_by`). "
            "Did you mean 'C-1'?"
        ),
        (
            "No client with id 'C-9' (referenced by `opportunities['O-1'].client_id`). "
            "Did you mean 'C-1'?"
        ),
        (
            "No prospect with id 'P-5' (referenced by `opportunities['O-1'].prospect_id`). "
            "Did you mean 'P-1'?"
        ),
    ]


def test_a_pipeline_needs_a_book():
    with _raises(InvalidValueError, "`book` must be a Book; got None."):
        Pipeline(book=None)  # type: ignore[arg-type]


def test_entities_are_frozen_and_evolve_revalidates():
    o = deal()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        o.owner = "rm-9"  # type: ignore[misc]
    assert attrs.evolve(o, amount=Money.of("5", "EUR")).amount == eur("5")
    assert deal(kind=FacilityKind.BRIDGE).kind is FacilityKind.BRIDGE


_EVENTS = ["qualify", "propose", "submit", "approve", "sign", "lose"]
_NEXT = {
    "lead": "qualified",
    "qualified": "proposal",
    "proposal": "credit_approval",
    "credit_approval": "documentation",
    "documentation": "won",
}


@given(st.lists(st.sampled_from(_EVENTS), max_size=12))
def test_any_event_sequence_keeps_the_deal_on_a_legal_path(events):
    """A model of the funnel: the forward event of the current stage or lose; else refused."""
    o, stage = deal(), "lead"
    on = o.created_on
    for event in events:
        on += dt.timedelta(days=3)
        allowed = stage in _NEXT and (
            event == "lose" or _EVENTS.index(event) == list(_NEXT).index(stage)
        )
        if not allowed:
            with pytest.raises(IllegalTransitionError, match="to a deal 'O-1'"):
                advance_opportunity(o, event, on=on, reason="price")
            continue
        o = advance_opportunity(
            o, event, on=on, reason="price" if event == "lose" else None
        )
        stage = "lost" if event == "lose" else _NEXT[stage]
        assert o.stage.value == stage
    assert replay(PIPELINE, o.history) is o.stage
    dates = o.stage_entry_dates()
    assert list(dates.values()) == sorted(dates.values())
    assert (o.lost_reason is not None) == (o.stage is PipelineStage.LOST)
