"""Column names of the relationship frame (one row per client, index ``client_id``).

Each name is also the name of the `ClientView` attribute that holds the same value,
so ``relationship_frame(...).loc[cid, EXPOSURE] == client_view(...).exposure``.
Amounts are float64 in the models' reporting currency.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ACTIONS",
    "ATTRITION_REASON",
    "COVENANT_BREACHES",
    "CROSS_SELL_PRODUCT",
    "DAYS_TO_REVIEW",
    "DRAWDOWN_GAP",
    "DSCR",
    "DSCR_CHANGE",
    "DSCR_HEADROOM",
    "EARLY_WARNING_SCORE",
    "EVA",
    "EXPOSURE",
    "FACILITY_COUNT",
    "FEEDBACK_COUNT",
    "FEEDBACK_TREND",
    "GRADE",
    "LAST_FEEDBACK_SCORE",
    "LIFETIME_RAROC",
    "MEETS_LIFETIME_HURDLE",
    "MONTHS_TO_MATURITY",
    "NEXT_ACTION",
    "NEXT_ACTION_REASON",
    "NPS",
    "PROJECT_COUNT",
    "RAROC",
    "RATE_GAP",
    "REFERRALS_CONVERTED",
    "REFERRALS_MADE",
    "SCORED_PD",
    "SEPARATOR",
    "STAGE_REASONS",
    "TIER",
    "UTILISATION",
    "VALUE_SCORE",
    "WARNING_REASONS",
    "WATCHLIST",
]

#: Drawn amount of the live facilities.
EXPOSURE: Final = "exposure"
#: ``exposure / limit`` (0 without a limit), a fraction.
UTILISATION: Final = "utilisation"
#: Number of live facilities (approved, active, watchlist, non-performing,
#: restructured).
FACILITY_COUNT: Final = "facility_count"
#: Number of distinct projects the live facilities finance.
PROJECT_COUNT: Final = "project_count"
#: Months to the nearest maturity of a live facility after ``as_of`` (NaN: none).
MONTHS_TO_MATURITY: Final = "months_to_maturity"
#: Days to the next credit review of the client's service strategy (#13: tier, stage,
#: watchlist, PD, last rating or review; the onboarding anniversary for an untiered,
#: unrated, standard-risk client), >= 0 (0: due or overdue).
DAYS_TO_REVIEW: Final = "days_to_review"
#: Stage rules that fired, joined by ``","``.
STAGE_REASONS: Final = "stage_reasons"
#: Value tier after the risk overlay ("" without tiering or measures).
TIER: Final = "tier"
#: The value the tier is cut on (the tiering's measure; NaN when not tiered).
VALUE_SCORE: Final = "value_score"
#: Probability of default implied by the score (NaN without a scorecard).
SCORED_PD: Final = "scored_pd"
#: Master-scale grade of the scored PD, else of the stored PD ("" without a master
#: scale or a PD in (0, 1)).
GRADE: Final = "grade"
#: DSCR covenants breached at the next test (or the warehouse's count, if larger).
COVENANT_BREACHES: Final = "covenant_breaches"
#: Weakest next-period DSCR of the financed projects (x; NaN: none).
DSCR: Final = "dscr"
#: Weakest DSCR headroom over the covenant lock-up level (x; NaN: none).
DSCR_HEADROOM: Final = "dscr_headroom"
#: Weakest forecast DSCR minus the next-period DSCR (x, <= 0; NaN: none).
DSCR_CHANGE: Final = "dscr_change"
#: Largest drawn share of project debt minus certified progress (NaN: none).
DRAWDOWN_GAP: Final = "drawdown_gap"
#: Feedback records.
FEEDBACK_COUNT: Final = "feedback_count"
#: The client's own Net Promoter Score over its feedback (NaN: none).
NPS: Final = "nps"
#: Latest feedback score 0-10 (NaN: none).
LAST_FEEDBACK_SCORE: Final = "last_feedback_score"
#: Satisfaction slope, points a year (NaN: fewer than two dates).
FEEDBACK_TREND: Final = "feedback_trend"
#: Referrals the client made.
REFERRALS_MADE: Final = "referrals_made"
#: Referrals that converted into business.
REFERRALS_CONVERTED: Final = "referrals_converted"
#: Relationship RAROC (NaN without capital or pricing parameters).
RAROC: Final = "raroc"
#: Relationship RAROC over the facilities' lives, in present value at the bank's
#: share (only with ``RelationshipPricing(lifetime=True)``; NaN when a priced facility
#: has no repayment terms or is in default, or no capital is held).
LIFETIME_RAROC: Final = "lifetime_raroc"
#: Whether the lifetime RAROC reaches the hurdle rate (false where it is NaN; only
#: with ``RelationshipPricing(lifetime=True)``).
MEETS_LIFETIME_HURDLE: Final = "meets_lifetime_hurdle"
#: Economic value added: income minus hurdle × capital.
EVA: Final = "eva"
#: Weakest margin over the minimum margin meeting the hurdle (a fraction a year).
RATE_GAP: Final = "rate_gap"
#: Early-warning score 0-100.
EARLY_WARNING_SCORE: Final = "early_warning_score"
#: Watchlist recommendation.
WATCHLIST: Final = "watchlist"
#: Early-warning signals that fired, joined by ``","``.
WARNING_REASONS: Final = "warning_reasons"
#: The best next action ("" when none).
NEXT_ACTION: Final = "next_action"
#: Why the best next action is proposed.
NEXT_ACTION_REASON: Final = "next_action_reason"
#: Every proposed action by rank, joined by ``","``.
ACTIONS: Final = "actions"
#: Separator of joined names.
SEPARATOR: Final = ","
#: The product the cross-sell action names ("" where it did not fire or the client
#: has no product gap); only with the caller's cross-sell input (#14).
CROSS_SELL_PRODUCT: Final = "cross_sell_product"
#: The attrition factor with the most points ("" when none); only with the caller's
#: attrition input (#14).
ATTRITION_REASON: Final = "attrition_reason"
