"""The frames' dtypes: derived from the column specifications, pinned here."""

from types import MappingProxyType

import pytest

import lendcrm.frames as frames_module

# Every frame's columns, in order, with their dtypes: pinned, since the mappings are
# derived from the column specifications.
PINNED_DTYPES = {
    "CASH_FLOWS_DTYPES": [
        ("project_id", "str"),
        ("period_end", "datetime64[ns]"),
        ("currency", "str"),
        ("cfads", "float64"),
        ("debt_service", "float64"),
    ],
    "CLIENTS_DTYPES": [
        ("client_id", "str"),
        ("legal_name", "str"),
        ("sector", "str"),
        ("country", "str"),
        ("parent_id", "str"),
        ("onboarded_on", "datetime64[ns]"),
        ("currency", "str"),
        ("annual_revenue", "float64"),
        ("measured_on", "datetime64[ns]"),
        ("revenue_to_bank", "float64"),
        ("profit_to_bank", "float64"),
        ("product_count", "int64"),
        ("transaction_count", "int64"),
        ("last_transaction_on", "datetime64[ns]"),
        ("referral_count", "int64"),
        ("rating_grade", "str"),
        ("default_probability", "float64"),
        ("on_watchlist", "bool"),
    ],
    "COLLATERAL_DTYPES": [
        ("facility_id", "str"),
        ("collateral_kind", "str"),
        ("currency", "str"),
        ("value", "float64"),
        ("haircut", "float64"),
        ("asset_id", "str"),
        ("claim_rank", "Int64"),
    ],
    "COVENANTS_DTYPES": [
        ("facility_id", "str"),
        ("metric", "str"),
        ("operator", "str"),
        ("threshold", "float64"),
        ("lock_up_level", "float64"),
        ("default_level", "float64"),
        ("test_frequency", "str"),
    ],
    "DRAWDOWNS_DTYPES": [
        ("project_id", "str"),
        ("drawn_on", "datetime64[ns]"),
        ("currency", "str"),
        ("amount", "float64"),
    ],
    "FACILITIES_DTYPES": [
        ("facility_id", "str"),
        ("client_id", "str"),
        ("project_id", "str"),
        ("kind", "str"),
        ("currency", "str"),
        ("limit", "float64"),
        ("drawn", "float64"),
        ("start_on", "datetime64[ns]"),
        ("maturity_on", "datetime64[ns]"),
        ("seniority", "str"),
        ("reference_rate", "str"),
        ("margin_bps", "int64"),
        ("arrangement_fee", "float64"),
        ("commitment_fee_bps", "int64"),
        ("status", "str"),
        ("allows_overdraw", "bool"),
        ("default_probability", "float64"),
        ("loss_given_default", "float64"),
        ("credit_conversion_factor", "float64"),
        ("collateral_value", "float64"),
        ("guaranteed_amount", "float64"),
    ],
    "FEEDBACK_DTYPES": [
        ("client_id", "str"),
        ("feedback_on", "datetime64[ns]"),
        ("channel", "str"),
        ("score", "int64"),
        ("text", "str"),
    ],
    "GUARANTEES_DTYPES": [
        ("facility_id", "str"),
        ("currency", "str"),
        ("covered", "float64"),
        ("guarantor_id", "str"),
        ("guarantor_name", "str"),
        ("guarantor_default_probability", "float64"),
    ],
    "PARTICIPATIONS_DTYPES": [
        ("facility_id", "str"),
        ("bank", "str"),
        ("role", "str"),
        ("share", "float64"),
        ("own", "bool"),
    ],
    "REPAYMENT_PROFILES_DTYPES": [
        ("facility_id", "str"),
        ("profile_period", "int64"),
        ("profile_fraction", "float64"),
    ],
    "REPAYMENT_TERMS_DTYPES": [
        ("facility_id", "str"),
        ("amortisation", "str"),
        ("payments_per_year", "int64"),
        ("day_count", "str"),
        ("grace_periods", "int64"),
        ("balloon_fraction", "float64"),
        ("zero_floor", "bool"),
    ],
    "MEASURES_DTYPES": [
        ("client_id", "str"),
        ("measured_on", "datetime64[ns]"),
        ("revenue_to_bank", "float64"),
        ("profit_to_bank", "float64"),
        ("product_count", "int64"),
        ("transaction_count", "int64"),
        ("last_transaction_on", "datetime64[ns]"),
        ("referral_count", "int64"),
    ],
    "MILESTONES_DTYPES": [
        ("project_id", "str"),
        ("milestone", "str"),
        ("planned_on", "datetime64[ns]"),
        ("actual_on", "datetime64[ns]"),
        ("percent_complete", "float64"),
        ("certified_by", "str"),
    ],
    "OBSERVATIONS_DTYPES": [
        ("facility_id", "str"),
        ("period_end", "datetime64[ns]"),
        ("drawn", "float64"),
        ("limit", "float64"),
        ("days_past_due", "int64"),
        ("in_default", "bool"),
        ("forborne", "bool"),
    ],
    "PROJECTS_DTYPES": [
        ("project_id", "str"),
        ("name", "str"),
        ("sector", "str"),
        ("country", "str"),
        ("currency", "str"),
        ("total_cost", "float64"),
        ("debt", "float64"),
        ("equity", "float64"),
        ("phase", "str"),
        ("percent_complete", "float64"),
    ],
    "RATINGS_DTYPES": [
        ("client_id", "str"),
        ("rated_on", "datetime64[ns]"),
        ("rating_grade", "str"),
        ("default_probability", "float64"),
        ("rater", "str"),
        ("rating_override", "bool"),
        ("override_reason", "str"),
    ],
    "REFERRALS_DTYPES": [
        ("client_id", "str"),
        ("referee_id", "str"),
        ("referred_on", "datetime64[ns]"),
        ("currency", "str"),
        ("converted_amount", "float64"),
    ],
    "STATEMENTS_DTYPES": [
        ("client_id", "str"),
        ("period_end", "datetime64[ns]"),
        ("currency", "str"),
        ("period_months", "int64"),
        ("revenue", "float64"),
        ("ebitda", "float64"),
        ("ebit", "float64"),
        ("interest_expense", "float64"),
        ("total_debt", "float64"),
        ("cash", "float64"),
        ("net_debt", "float64"),
        ("total_assets", "float64"),
        ("total_liabilities", "float64"),
        ("equity", "float64"),
        ("current_assets", "float64"),
        ("current_liabilities", "float64"),
        ("capex", "float64"),
        ("operating_cash_flow", "float64"),
        ("debt_service", "float64"),
    ],
    "SPONSORS_DTYPES": [
        ("project_id", "str"),
        ("sponsor_id", "str"),
        ("equity_share", "float64"),
    ],
    "VALUATIONS_DTYPES": [
        ("facility_id", "str"),
        ("collateral_index", "int64"),
        ("valued_on", "datetime64[ns]"),
        ("valuation_value", "float64"),
        ("valuation_method", "str"),
    ],
}


@pytest.mark.parametrize("name", sorted(PINNED_DTYPES))
def test_dtypes_are_pinned(name):
    dtypes = getattr(frames_module, name)
    assert isinstance(dtypes, MappingProxyType)  # read-only
    assert list(dtypes.items()) == PINNED_DTYPES[name]


def test_every_frame_is_pinned():
    exported = {n for n in frames_module.__all__ if n.endswith("_DTYPES")}
    assert exported == set(PINNED_DTYPES)
