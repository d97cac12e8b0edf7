"""Column names of the pipeline frames: prospects, opportunities, snapshots, results.

Names that mean the same as a core column are not repeated here: the prospects and
opportunities frames also use `lendcrm.frames.columns` ``CLIENT_ID``, ``NAME``,
``SECTOR``, ``COUNTRY``, ``CURRENCY``, ``ANNUAL_REVENUE`` (a prospect's size),
``KIND`` (the product), ``AMOUNT`` (the bank's ticket) and ``STAGE`` (the pipeline
stage value). `lendcrm.synthetic.generate_pipeline` writes its frames with these names.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "AMOUNT_WIN_RATE",
    "CLOSED_DEALS",
    "CONVERSION",
    "CREDIT_APPROVAL_ON",
    "CYCLE_DAYS_MEAN",
    "CYCLE_DAYS_MEDIAN",
    "DAYS_IN_STAGE",
    "DEALS",
    "DOCUMENTATION_ON",
    "EXPECTED_CLOSE_ON",
    "FIRST_EXPECTED_CLOSE_ON",
    "FORECAST_AMOUNT",
    "FORECAST_ERROR",
    "LAST_EXPECTED_CLOSE_ON",
    "LOST_REASON",
    "OPPORTUNITY_ID",
    "PIPELINE_AMOUNT",
    "PROPOSAL_ON",
    "PROSPECT_ID",
    "PUSHES",
    "QUALIFIED_ON",
    "REACHED",
    "REFERRED_BY",
    "SLIP_DAYS",
    "SNAPSHOTS",
    "SNAPSHOT_ON",
    "SOURCE",
    "STAGE_ENTRY_COLUMNS",
    "SYNDICATION_ROLE",
    "WEIGHTED_AMOUNT",
    "WIN_PROBABILITY",
    "WIN_RATE",
    "WON_AMOUNT",
    "WON_DEALS",
]

# --- prospects ------------------------------------------------------------------------
#: Prospect identifier (a company that is not a client yet).
PROSPECT_ID: Final = "prospect_id"
#: How the bank came to know the prospect (a `ProspectSource` value).
SOURCE: Final = "source"
#: The client that introduced the prospect (missing unless the source is a referral).
REFERRED_BY: Final = "referred_by"

# --- opportunities --------------------------------------------------------------------
#: Deal identifier.
OPPORTUNITY_ID: Final = "opportunity_id"
#: When the owner expects the deal to close.
EXPECTED_CLOSE_ON: Final = "expected_close_on"
#: Why the deal was lost (a `LostReason` value; missing unless lost).
LOST_REASON: Final = "lost_reason"
#: The bank's role in the financing (a `SyndicationRole` value).
SYNDICATION_ROLE: Final = "syndication_role"
#: Date the deal entered ``qualified`` (missing: not reached).
QUALIFIED_ON: Final = "qualified_on"
#: Date the deal entered ``proposal``.
PROPOSAL_ON: Final = "proposal_on"
#: Date the deal entered ``credit_approval``.
CREDIT_APPROVAL_ON: Final = "credit_approval_on"
#: Date the deal entered ``documentation``.
DOCUMENTATION_ON: Final = "documentation_on"
#: The entry-date column of each open stage after ``lead`` (whose entry is
#: ``created_on``), in funnel order.
STAGE_ENTRY_COLUMNS: Final = (
    QUALIFIED_ON,
    PROPOSAL_ON,
    CREDIT_APPROVAL_ON,
    DOCUMENTATION_ON,
)

# --- snapshots of the pipeline --------------------------------------------------------
#: Date a pipeline snapshot was taken (one row per deal and snapshot).
SNAPSHOT_ON: Final = "snapshot_on"

# --- results --------------------------------------------------------------------------
#: A deal's win probability from its stage (and segment).
WIN_PROBABILITY: Final = "win_probability"
#: Stage ageing: whole days in the current stage at ``as_of``.
DAYS_IN_STAGE: Final = "days_in_stage"
#: Open amount of a group (sum of ``amount``).
PIPELINE_AMOUNT: Final = "pipeline_amount"
#: Probability-weighted open amount of a group (sum of ``amount × p``).
WEIGHTED_AMOUNT: Final = "weighted_amount"
#: Number of deals in a group.
DEALS: Final = "deals"
#: Closed deals of a group.
CLOSED_DEALS: Final = "closed_deals"
#: Won deals of a group.
WON_DEALS: Final = "won_deals"
#: Won amount of a group.
WON_AMOUNT: Final = "won_amount"
#: ``won_deals / closed_deals``.
WIN_RATE: Final = "win_rate"
#: Won amount over closed amount.
AMOUNT_WIN_RATE: Final = "amount_win_rate"
#: Mean days from lead to signing, won deals.
CYCLE_DAYS_MEAN: Final = "cycle_days_mean"
#: Median days from lead to signing, won deals.
CYCLE_DAYS_MEDIAN: Final = "cycle_days_median"
#: Deals that reached a stage (funnel).
REACHED: Final = "reached"
#: Share of the deals at a stage that reached the next one (funnel).
CONVERSION: Final = "conversion"
#: Number of snapshots of a deal.
SNAPSHOTS: Final = "snapshots"
#: Expected close date in a deal's first snapshot.
FIRST_EXPECTED_CLOSE_ON: Final = "first_expected_close_on"
#: Expected close date in a deal's last snapshot.
LAST_EXPECTED_CLOSE_ON: Final = "last_expected_close_on"
#: How many times the expected close date moved later.
PUSHES: Final = "pushes"
#: Last minus first expected close date, in days.
SLIP_DAYS: Final = "slip_days"
#: The weighted amount a past forecast expected in a month (backtest).
FORECAST_AMOUNT: Final = "forecast_amount"
#: Won amount minus forecast amount (backtest).
FORECAST_ERROR: Final = "forecast_error"
