"""Column names of lendcrm's frames: the contract between entities and frames.

Every frame lendcrm reads or writes uses these names; they are ``Final`` constants,
never configurable globally. One row per entity, per nested value object or per dated
record of a history; amounts are float64 in the currency column of the same row (the
book's reporting currency for client measures), or, in a history frame without one, in
the owner's currency (the client's for ``measures``, the facility's for
``observations`` and ``valuations``); rates are fractions (0.05 means 5 %), dates are
``datetime64[ns]`` (midnight, no time zone).

Signals (the ``SIG_*`` names) are the per-client facts the lifecycle stage assessment
reads; :func:`lendcrm.synthetic.generate_frames` produces them for synthetic books.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ACTUAL_ON",
    "ALLOWS_OVERDRAW",
    "AMORTISATION",
    "AMOUNT",
    "ANNUAL_REVENUE",
    "ARRANGEMENT_FEE",
    "ASSET_ID",
    "BALLOON_FRACTION",
    "BANK",
    "CAPEX",
    "CAPITAL",
    "CASH",
    "CERTIFIED_BY",
    "CFADS",
    "CHANNEL",
    "CLAIM_RANK",
    "CLIENT_ID",
    "CLOSED_ON",
    "COLLATERAL_INDEX",
    "COLLATERAL_KIND",
    "COLLATERAL_VALUE",
    "COMMITMENT_FEE_BPS",
    "CONTACT_EMAIL",
    "CONTACT_ID",
    "CONTACT_IDS",
    "CONTACT_NAME",
    "CONTACT_PHONE",
    "CONTACT_ROLE",
    "CONVERTED_AMOUNT",
    "COUNTRY",
    "COVERED",
    "CREATED_ON",
    "CREDIT_CONVERSION_FACTOR",
    "CURRENCY",
    "CURRENT_ASSETS",
    "CURRENT_LIABILITIES",
    "DAY_COUNT",
    "DEBT",
    "DEBT_SERVICE",
    "DECISION_MAKER",
    "DEFAULT_LEVEL",
    "DEFAULT_PROBABILITY",
    "DRAWN",
    "DRAWN_ON",
    "EBIT",
    "EBITDA",
    "EQUATOR_CATEGORY",
    "EQUITY",
    "EQUITY_SHARE",
    "EXPECTED_LOSS",
    "FACILITY_ID",
    "FEEDBACK_ON",
    "FOLLOW_UP_ON",
    "FORBORNE",
    "GRACE_PERIODS",
    "GUARANTEED_AMOUNT",
    "GUARANTOR_DEFAULT_PROBABILITY",
    "GUARANTOR_ID",
    "GUARANTOR_NAME",
    "HAIRCUT",
    "INTERACTION_ON",
    "INTEREST_EXPENSE",
    "IN_DEFAULT",
    "KIND",
    "LAST_TRANSACTION_ON",
    "LEGAL_NAME",
    "LIMIT",
    "LOCK_UP_LEVEL",
    "LOSS_GIVEN_DEFAULT",
    "MARGIN_BPS",
    "MATURITY_ON",
    "MEASURED_ON",
    "METRIC",
    "MILESTONE",
    "NAME",
    "NET_DEBT",
    "ONBOARDED_ON",
    "ON_WATCHLIST",
    "OPERATING_CASH_FLOW",
    "OPERATOR",
    "OUTCOME",
    "OVERRIDE_REASON",
    "OWN",
    "OWNER",
    "PARENT_ID",
    "PAYMENTS_PER_YEAR",
    "PERCENT_COMPLETE",
    "PERIOD_END",
    "PERIOD_MONTHS",
    "PHASE",
    "PLANNED_ON",
    "PRODUCT_COUNT",
    "PROFILE_FRACTION",
    "PROFILE_PERIOD",
    "PROFIT_TO_BANK",
    "PROJECT_ID",
    "RATED_ON",
    "RATER",
    "RATING_GRADE",
    "RATING_OVERRIDE",
    "REFEREE_ID",
    "REFERENCE_RATE",
    "REFERRAL_AMOUNT",
    "REFERRAL_COUNT",
    "REFERRED_ON",
    "RELATIONSHIP_MANAGER",
    "REVENUE",
    "REVENUE_TO_BANK",
    "ROLE",
    "SCORE",
    "SECTOR",
    "SENIORITY",
    "SHARE",
    "SIG_COVENANT_BREACHES",
    "SIG_DAYS_PAST_DUE",
    "SIG_DSCR_HEADROOM",
    "SIG_EXPOSURE_GROWTH_YOY",
    "SIG_HAS_DRAWN",
    "SIG_HAS_DSCR",
    "SIG_HAS_FACILITY",
    "SIG_MONTHS_SINCE_FIRST_DRAWDOWN",
    "SIG_ON_WATCHLIST",
    "SIG_PRODUCT_COUNT_CHANGE",
    "SIG_RATING_NOTCHES_MOVED",
    "SIG_REVENUE_GROWTH_YOY",
    "SIG_TENURE_MONTHS",
    "SIG_UTILISATION_CHANGE",
    "SPONSOR_ID",
    "STAGE",
    "START_ON",
    "STATUS",
    "TEST_FREQUENCY",
    "TEXT",
    "THRESHOLD",
    "TOPIC",
    "TOTAL_ASSETS",
    "TOTAL_COST",
    "TOTAL_DEBT",
    "TOTAL_LIABILITIES",
    "TRANSACTION_COUNT",
    "VALUATION_METHOD",
    "VALUATION_VALUE",
    "VALUE",
    "VALUED_ON",
    "ZERO_FLOOR",
]

# --- clients --------------------------------------------------------------------------
CLIENT_ID: Final = "client_id"
LEGAL_NAME: Final = "legal_name"
SECTOR: Final = "sector"
COUNTRY: Final = "country"
PARENT_ID: Final = "parent_id"
ONBOARDED_ON: Final = "onboarded_on"
CURRENCY: Final = "currency"
ANNUAL_REVENUE: Final = "annual_revenue"
#: Revenue the client brought the bank over the measurement period (interest + fees).
REVENUE_TO_BANK: Final = "revenue_to_bank"
#: Profit contribution to the bank over the period (revenue less funding, costs, EL).
PROFIT_TO_BANK: Final = "profit_to_bank"
PRODUCT_COUNT: Final = "product_count"
TRANSACTION_COUNT: Final = "transaction_count"
LAST_TRANSACTION_ON: Final = "last_transaction_on"
REFERRAL_COUNT: Final = "referral_count"
REFERRAL_AMOUNT: Final = "referral_amount"
#: Last day of the period the relationship measures cover; missing (NaT) when the
#: client has no measures (then the measure columns are NaN / 0).
MEASURED_ON: Final = "measured_on"
RATING_GRADE: Final = "rating_grade"
DEFAULT_PROBABILITY: Final = "default_probability"
ON_WATCHLIST: Final = "on_watchlist"

# --- facilities -----------------------------------------------------------------------
FACILITY_ID: Final = "facility_id"
PROJECT_ID: Final = "project_id"
KIND: Final = "kind"
LIMIT: Final = "limit"
DRAWN: Final = "drawn"
START_ON: Final = "start_on"
MATURITY_ON: Final = "maturity_on"
SENIORITY: Final = "seniority"
REFERENCE_RATE: Final = "reference_rate"
MARGIN_BPS: Final = "margin_bps"
ARRANGEMENT_FEE: Final = "arrangement_fee"
COMMITMENT_FEE_BPS: Final = "commitment_fee_bps"
STATUS: Final = "status"
ALLOWS_OVERDRAW: Final = "allows_overdraw"
LOSS_GIVEN_DEFAULT: Final = "loss_given_default"
CREDIT_CONVERSION_FACTOR: Final = "credit_conversion_factor"
COLLATERAL_VALUE: Final = "collateral_value"
GUARANTEED_AMOUNT: Final = "guaranteed_amount"

# --- projects -------------------------------------------------------------------------
NAME: Final = "name"
TOTAL_COST: Final = "total_cost"
DEBT: Final = "debt"
EQUITY: Final = "equity"
PHASE: Final = "phase"
PERCENT_COMPLETE: Final = "percent_complete"

# --- child frames (one row per nested value object, keyed by the owner's id) ---------
#: Collateral: kind, market value, haircut (a fraction).
COLLATERAL_KIND: Final = "collateral_kind"
VALUE: Final = "value"
HAIRCUT: Final = "haircut"
#: Collateral: id of an asset that secures several facilities (one row per facility,
#: the same id on each; missing: the row is its own asset).
ASSET_ID: Final = "asset_id"
#: Collateral: rank of the facility's claim on the asset, >= 1 (1 first; missing: none).
CLAIM_RANK: Final = "claim_rank"
#: Guarantees: covered amount and the guarantor.
COVERED: Final = "covered"
GUARANTOR_ID: Final = "guarantor_id"
GUARANTOR_NAME: Final = "guarantor_name"
GUARANTOR_DEFAULT_PROBABILITY: Final = "guarantor_default_probability"
#: Covenants: metric, operator, levels and test frequency.
METRIC: Final = "metric"
OPERATOR: Final = "operator"
THRESHOLD: Final = "threshold"
LOCK_UP_LEVEL: Final = "lock_up_level"
DEFAULT_LEVEL: Final = "default_level"
TEST_FREQUENCY: Final = "test_frequency"
#: Milestones (``PERCENT_COMPLETE`` is in percent, 0-100).
MILESTONE: Final = "milestone"
PLANNED_ON: Final = "planned_on"
ACTUAL_ON: Final = "actual_on"
CERTIFIED_BY: Final = "certified_by"
#: Drawdowns of a project's debt.
DRAWN_ON: Final = "drawn_on"
AMOUNT: Final = "amount"
#: Cash-flow forecast: CFADS and debt service per period.
PERIOD_END: Final = "period_end"
CFADS: Final = "cfads"
DEBT_SERVICE: Final = "debt_service"
#: Sponsors of a project and their equity shares (fractions summing to 1).
SPONSOR_ID: Final = "sponsor_id"
EQUITY_SHARE: Final = "equity_share"
#: Feedback of a client (score 0-10).
FEEDBACK_ON: Final = "feedback_on"
CHANNEL: Final = "channel"
SCORE: Final = "score"
TEXT: Final = "text"
#: Referrals a client made (the referrer is ``CLIENT_ID``).
REFEREE_ID: Final = "referee_id"
REFERRED_ON: Final = "referred_on"
CONVERTED_AMOUNT: Final = "converted_amount"

# --- contacts and interactions (#13) --------------------------------------------------
#: Clients: id of the client's primary relationship manager (missing: unassigned).
RELATIONSHIP_MANAGER: Final = "relationship_manager"
#: Projects: Equator Principles category ``A``, ``B`` or ``C`` (missing: none).
EQUATOR_CATEGORY: Final = "equator_category"
#: Contacts: the person's id (unique within the client) and role, a `ContactRole` value.
CONTACT_ID: Final = "contact_id"
CONTACT_ROLE: Final = "contact_role"
#: Contacts: whether the person signs off decisions.
DECISION_MAKER: Final = "decision_maker"
#: Contacts: personal data (name required, email and phone may be missing).
CONTACT_NAME: Final = "contact_name"
CONTACT_EMAIL: Final = "contact_email"
CONTACT_PHONE: Final = "contact_phone"
#: Interactions: date of the interaction (``CHANNEL`` is an `InteractionChannel` value).
INTERACTION_ON: Final = "interaction_on"
#: Interactions: what it was about, an `InteractionTopic` value.
TOPIC: Final = "topic"
#: Interactions: the contacts who took part, ids joined by ``;`` (missing: none).
CONTACT_IDS: Final = "contact_ids"
#: Interactions: what came of it, free text (missing: not recorded).
OUTCOME: Final = "outcome"
#: Interactions: date agreed for the follow-up (missing: none).
FOLLOW_UP_ON: Final = "follow_up_on"

# --- histories (one row per dated record, keyed by the owner's id, oldest first) -----
# The measures history reuses the clients frame's measure columns (``MEASURED_ON`` is
# the period end), observations reuse ``PERIOD_END``, ``DRAWN``, ``LIMIT`` and
# ``SIG_DAYS_PAST_DUE``, statements ``PERIOD_END``, ``EQUITY`` and ``DEBT_SERVICE``.
#: Ratings: date the rating was approved.
RATED_ON: Final = "rated_on"
#: Ratings: the model or rating officer that gave the grade (may be "").
RATER: Final = "rater"
#: Ratings: whether the grade overrides the model's grade.
RATING_OVERRIDE: Final = "rating_override"
#: Ratings: why the grade was overridden (required when ``RATING_OVERRIDE``).
OVERRIDE_REASON: Final = "override_reason"
#: Statements: length of the fiscal period ending at ``PERIOD_END``, in months.
PERIOD_MONTHS: Final = "period_months"
#: Statements: the client's own revenue over the period, >= 0.
REVENUE: Final = "revenue"
EBITDA: Final = "ebitda"
EBIT: Final = "ebit"
#: Statements: interest paid in the period, >= 0.
INTEREST_EXPENSE: Final = "interest_expense"
#: Statements: financial debt at the period end, >= 0.
TOTAL_DEBT: Final = "total_debt"
#: Statements: cash and equivalents at the period end, >= 0.
CASH: Final = "cash"
#: Statements: net financial debt as stated (may be < 0).
NET_DEBT: Final = "net_debt"
TOTAL_ASSETS: Final = "total_assets"
TOTAL_LIABILITIES: Final = "total_liabilities"
CURRENT_ASSETS: Final = "current_assets"
CURRENT_LIABILITIES: Final = "current_liabilities"
#: Statements: capital expenditure in the period, >= 0.
CAPEX: Final = "capex"
#: Statements: cash from operations in the period (may be < 0).
OPERATING_CASH_FLOW: Final = "operating_cash_flow"
#: Observations: the facility was in default (90 days past due or unlikely to pay).
IN_DEFAULT: Final = "in_default"
#: Observations: the facility was restructured or forborne.
FORBORNE: Final = "forborne"
#: Valuations: 0-based position of the collateral among its facility's collateral rows.
COLLATERAL_INDEX: Final = "collateral_index"
#: Valuations: date of the valuation.
VALUED_ON: Final = "valued_on"
#: Value of one collateral asset at a valuation, >= 0, before haircut (valuations frame).
VALUATION_VALUE: Final = "valuation_value"
#: Valuations: how the asset was valued, a `ValuationMethod` value.
VALUATION_METHOD: Final = "valuation_method"

# --- workflow and pipeline records (tasks, opportunities) -------------------------------
#: The relationship manager who owns a task or a deal.
OWNER: Final = "owner"
#: Date a task or a deal was opened (a deal enters ``lead`` then).
CREATED_ON: Final = "created_on"
#: Date a task was done or cancelled, or a deal won or lost (missing while open).
CLOSED_ON: Final = "closed_on"

# --- lifecycle signals (one row per client) ---------------------------------------------
SIG_HAS_FACILITY: Final = "has_facility"
SIG_HAS_DRAWN: Final = "has_drawn"
#: Whole months since the first drawdown; 0 when the client has not drawn.
SIG_MONTHS_SINCE_FIRST_DRAWDOWN: Final = "months_since_first_drawdown"
SIG_TENURE_MONTHS: Final = "tenure_months"
#: Year-on-year growth of exposure, a fraction (0.1 means +10 %).
SIG_EXPOSURE_GROWTH_YOY: Final = "exposure_growth_yoy"
#: Year-on-year growth of revenue to the bank, a fraction.
SIG_REVENUE_GROWTH_YOY: Final = "revenue_growth_yoy"
#: Change in product count over the last twelve months (products, may be negative).
SIG_PRODUCT_COUNT_CHANGE: Final = "product_count_change"
#: Change in utilisation (drawn / limit) over the last twelve months, in fraction points.
SIG_UTILISATION_CHANGE: Final = "utilisation_change"
#: Rating notches moved over twelve months; positive means downgraded (worse).
SIG_RATING_NOTCHES_MOVED: Final = "rating_notches_moved"
SIG_ON_WATCHLIST: Final = "on_watchlist"
SIG_DAYS_PAST_DUE: Final = "days_past_due"
SIG_COVENANT_BREACHES: Final = "covenant_breaches"
#: Has a project-finance facility whose DSCR is tested.
SIG_HAS_DSCR: Final = "has_dscr"
#: Latest DSCR minus the covenant's lock-up level (x); 0 when ``has_dscr`` is false.
SIG_DSCR_HEADROOM: Final = "dscr_headroom"

# Derived columns that several frames write (one name, one meaning everywhere).
#: The lifecycle stage of a client, a `ClientStage` value: assessed by
#: `lendcrm.lifecycle.frames.assess_stages` and the relationship frame, or the stage the
#: synthetic generator drew a client's signals from.
STAGE: Final = "stage"
#: Expected loss, PD × LGD × EAD, in the frame's amount currency.
EXPECTED_LOSS: Final = "expected_loss"
#: Regulatory capital at the 8 % minimum (0.08 × RWA), in the frame's amount currency.
CAPITAL: Final = "capital"

# --- repayment terms and syndicate of facilities (issue #15) ---
#: Amortisation kind of a facility's repayment terms (`lendcrm.Amortisation`).
AMORTISATION: Final = "amortisation"
#: Share of a balloon loan's principal paid at maturity.
BALLOON_FRACTION: Final = "balloon_fraction"
#: A lender's name in a facility's syndicate.
BANK: Final = "bank"
#: Day-count convention of the interest accrual (`lendcrm.DayCount`).
DAY_COUNT: Final = "day_count"
#: Interest-only periods before the amortisation starts.
GRACE_PERIODS: Final = "grace_periods"
#: Whether a participation is the bank's own.
OWN: Final = "own"
#: Payment periods a year (1, 2, 4 or 12).
PAYMENTS_PER_YEAR: Final = "payments_per_year"
#: A period's principal fraction (sculpted) or drawn fraction of the limit (revolver).
PROFILE_FRACTION: Final = "profile_fraction"
#: Payment period of a repayment profile entry, from 1.
PROFILE_PERIOD: Final = "profile_period"
#: A role: a lender's in a syndicate (`lendcrm.ParticipationRole`, participations
#: frame) or a team member's on a client (`TeamRole`, workflow role assignments).
ROLE: Final = "role"
#: A lender's share of a syndicated facility, a fraction.
SHARE: Final = "share"
#: Whether a floating all-in rate is floored at zero.
ZERO_FLOOR: Final = "zero_floor"
