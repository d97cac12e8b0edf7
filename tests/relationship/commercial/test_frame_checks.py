"""The frame checkers name the first offending rows of every broken rule (one test each),
and the outcome functions on hand-built frames: slippage and the backtest.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest

from lendcrm.errors import (
    BatchValidationError,
    CurrencyMismatchError,
    InvalidValueError,
)
from lendcrm.frames import columns as core
from lendcrm.frames.columns import CLOSED_ON
from lendcrm.relationship.commercial import columns as col
from lendcrm.relationship.commercial import estimate_stage_probabilities
from lendcrm.relationship.commercial.frames import (
    close_date_slippage,
    forecast_backtest,
    forecast_by,
    opportunities_frame,
    pipeline_from_frames,
    prospects_frame,
    stage_ages,
    validate_opportunities_frame,
    validate_prospects_frame,
)
from tests.relationship.commercial.pipeline_factories import small_pipeline

T = pd.Timestamp


@pytest.fixture
def frame() -> pd.DataFrame:
    out = opportunities_frame(small_pipeline())
    out.index = pd.Index(out[col.OPPORTUNITY_ID].tolist())
    return out


def _messages(check, frame: pd.DataFrame, **kwargs) -> list[str]:
    with pytest.raises(BatchValidationError) as exc:
        check(frame, **kwargs)
    return [str(e) for e in exc.value.exceptions]


def test_a_skipped_stage_is_named(frame):
    frame.loc["O-4", col.PROPOSAL_ON] = pd.NaT  # qualified, then credit approval
    assert _messages(validate_opportunities_frame, frame) == [
        (
            "`opportunities['O-4'].proposal_on` must be a date: a later stage is dated, so "
            "the deal passed this one (no stage is skipped); got NaT. 1 row fails this "
            "rule: 'O-4'."
        ),
        (
            "`opportunities['O-4'].stage` must be the furthest stage with an entry date (won "
            "needs every stage dated); got 'credit_approval'. 1 row fails this rule: 'O-4'."
        ),
    ]


def test_a_reopened_deal_is_named(frame):
    frame.loc["O-1", core.STAGE] = "documentation"  # won, then back to documentation
    assert _messages(validate_opportunities_frame, frame) == [
        (
            "`opportunities['O-1'].closed_on` must be missing while the deal is open (a won "
            "or lost deal is not reopened); got Timestamp('2026-02-24 00:00:00'). 1 row "
            "fails this rule: 'O-1'."
        ),
    ]


def test_a_close_date_before_creation_is_named(frame):
    frame.loc["O-7", CLOSED_ON] = T("2025-12-01")
    frame.loc["O-5", col.EXPECTED_CLOSE_ON] = T("2025-12-31")
    assert _messages(validate_opportunities_frame, frame) == [
        (
            "`opportunities['O-5'].expected_close_on` must be a date on or after "
            "`created_on`; got Timestamp('2025-12-31 00:00:00'). 1 row fails this rule: 'O-5'."
        ),
        (
            "`opportunities['O-7'].closed_on` must be a date on or after `created_on` (dates "
            "follow the stages); got Timestamp('2025-12-01 00:00:00'). 1 row fails this "
            "rule: 'O-7'."
        ),
    ]


def test_stage_dates_out_of_order_are_named(frame):
    frame.loc["O-4", col.PROPOSAL_ON] = T("2026-03-01")
    assert _messages(validate_opportunities_frame, frame) == [
        (
            "`opportunities['O-4'].credit_approval_on` must be a date on or after the "
            "previous stage's date (dates follow the stages); got Timestamp('2026-02-04 "
            "00:00:00'). 1 row fails this rule: 'O-4'."
        ),
    ]


@pytest.mark.parametrize("amount", [0.0, -1.0])
def test_a_non_positive_amount_is_named(frame, amount):
    frame.loc["O-2", core.AMOUNT] = amount
    assert _messages(validate_opportunities_frame, frame) == [
        (
            f"`opportunities['O-2'].amount` must be a finite number > 0; got {amount}. "
            "1 row fails this rule: 'O-2'."
        ),
    ]


def test_a_lost_reason_on_a_live_deal_and_two_counterparties_are_named(frame):
    frame.loc["O-5", col.LOST_REASON] = "price"
    frame.loc["O-3", core.CLIENT_ID] = "C-1"
    assert _messages(validate_opportunities_frame, frame) == [
        (
            "`opportunities['O-3'].client_id` must be set exactly when `prospect_id` is "
            "missing (a deal is with a client or with a prospect); got 'C-1'. 1 row fails "
            "this rule: 'O-3'."
        ),
        (
            "`opportunities['O-5'].lost_reason` must be set exactly when the stage is "
            "'lost'; got 'price'. 1 row fails this rule: 'O-5'."
        ),
    ]


def test_a_won_deal_without_a_close_date_is_named(frame):
    frame.loc["O-8", CLOSED_ON] = pd.NaT
    assert _messages(validate_opportunities_frame, frame) == [
        (
            "`opportunities['O-8'].closed_on` must be the date the deal was won or lost; "
            "got NaT. 1 row fails this rule: 'O-8'."
        ),
    ]


def test_a_prospect_that_is_already_a_client_is_named():
    pipeline = small_pipeline()
    prospects = prospects_frame(pipeline)
    clients = pd.DataFrame(
        {core.CLIENT_ID: ["C-1", "P-1"], core.LEGAL_NAME: ["Client C-1 GmbH", "x"]}
    )
    prospects.loc[1, core.NAME] = "CLIENT  c-1 gmbh"
    assert _messages(validate_prospects_frame, prospects, clients=clients) == [
        (
            "`prospects[0].prospect_id` must be a company that is not yet a client (the id "
            "is a client's); got 'P-1'. 1 row fails this rule: 0."
        ),
        (
            "`prospects[1].name` must be a company that is not yet a client (a client has "
            "this legal name); got 'CLIENT  c-1 gmbh'. 1 row fails this rule: 1."
        ),
    ]


def test_a_referral_without_a_referrer_and_an_unknown_referrer_are_named():
    prospects = prospects_frame(small_pipeline())
    prospects.loc[0, col.SOURCE] = "referral"
    clients = pd.DataFrame({core.CLIENT_ID: ["C-2"]})
    assert _messages(validate_prospects_frame, prospects, clients=clients) == [
        (
            "`prospects[0].referred_by` must be the id of the client who made the referral "
            "(source 'referral'); got nan. 1 row fails this rule: 0."
        ),
        (
            "`prospects[1].referred_by` must be the id of a client in the clients frame; "
            "got 'C-1'. 1 row fails this rule: 1."
        ),
    ]


def test_the_forecast_refuses_two_currencies_and_an_unknown_grouping(frame):
    sp = estimate_stage_probabilities([4, 0], [True, False], min_closed=1)
    with pytest.raises(InvalidValueError, match=re.escape("`by` must be one of")):
        forecast_by(frame, sp, by="colour")
    frame.loc["O-5", core.CURRENCY] = "USD"
    with pytest.raises(CurrencyMismatchError):
        forecast_by(frame, sp)


def test_stage_ages_by_hand(frame):
    ages = stage_ages(frame, as_of=dt.date(2026, 3, 1))
    assert ages["O-4"] == (dt.date(2026, 3, 1) - dt.date(2026, 2, 4)).days
    assert ages["O-5"] == (dt.date(2026, 3, 1) - dt.date(2026, 1, 5)).days
    assert np.isnan(ages["O-1"])
    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`opportunities['O-3'].stage` must be a stage entered on or before as_of "
            "(2026-01-10); got 'qualified'."
        ),
    ):
        stage_ages(frame, as_of=dt.date(2026, 1, 10))


def test_slippage_by_hand():
    snaps = pd.DataFrame(
        {
            col.OPPORTUNITY_ID: ["B", "A", "A", "A", "B"],
            col.SNAPSHOT_ON: pd.to_datetime(
                ["2026-01-31", "2026-03-31", "2026-01-31", "2026-02-28", "2026-02-28"]
            ),
            col.EXPECTED_CLOSE_ON: pd.to_datetime(
                ["2026-06-30", "2026-05-15", "2026-04-30", "2026-05-31", "2026-06-15"]
            ),
        }
    )
    out = close_date_slippage(snaps)
    assert out.index.tolist() == ["A", "B"]
    assert out[col.SNAPSHOTS].tolist() == [3, 2]
    assert out[col.PUSHES].tolist() == [
        1,
        0,
    ]  # A: 04-30 -> 05-31 pushed, then pulled in
    assert out[col.SLIP_DAYS].tolist() == [15, -15]
    assert out.loc["A", col.LAST_EXPECTED_CLOSE_ON] == T("2026-05-15")


def test_the_backtest_by_hand():
    sp = estimate_stage_probabilities(
        [4, 4, 0, 0], [True, False, False, False], min_closed=1
    )
    # p(lead) = 1/4, p(documentation) = 1/2
    past = pd.DataFrame(
        {
            col.OPPORTUNITY_ID: ["A", "B", "C"],
            core.STAGE: ["lead", "documentation", "won"],
            core.AMOUNT: [100.0, 200.0, 50.0],
            col.EXPECTED_CLOSE_ON: pd.to_datetime(
                ["2026-03-10", "2026-03-20", "2026-01-05"]
            ),
        }
    )
    outcome = pd.DataFrame(
        {
            col.OPPORTUNITY_ID: ["B", "A", "C"],
            core.STAGE: ["won", "lost", "won"],
            core.AMOUNT: [210.0, 100.0, 50.0],
            CLOSED_ON: pd.to_datetime(["2026-04-02", "2026-03-01", "2026-01-05"]),
        }
    )
    out = forecast_backtest(past, outcome, sp)
    assert out.index.tolist() == ["2026-03", "2026-04"]
    assert out[col.FORECAST_AMOUNT].tolist() == [100 * 0.25 + 200 * 0.5, 0.0]
    assert out[col.WON_AMOUNT].tolist() == [0.0, 210.0]
    assert out[col.FORECAST_ERROR].tolist() == [-125.0, 210.0]


def test_the_reader_refuses_a_sector_that_is_not_the_counterpartys():
    pipeline = small_pipeline()
    deals = opportunities_frame(pipeline)
    assert (
        pipeline_from_frames(pipeline.book, prospects_frame(pipeline), deals)
        == pipeline
    )
    deals.loc[0, core.SECTOR] = "K"
    assert _messages(
        lambda f: pipeline_from_frames(pipeline.book, prospects_frame(pipeline), f),
        deals,
    ) == [
        (
            "`opportunities[0].sector` must be the sector of the deal's client (in the book) "
            "or prospect; got 'K'. 1 row fails this rule: 0."
        ),
    ]
