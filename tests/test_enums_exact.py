"""Every member of the domain enumerations pinned, and their properties exactly (issue #23).

The member tables are class bodies mutmut does not mutate: the golden table below fails
if a member is added, dropped, renamed, re-valued or moved. The properties and
`CovenantOperator.holds` are checked on every member and at the covenant's level
itself.
"""

from __future__ import annotations

from enum import StrEnum

import pytest

import lendcrm
from lendcrm import (
    CollateralKind,
    CovenantMetric,
    CovenantOperator,
    EquatorCategory,
    FacilityKind,
    FacilityStatus,
    FeedbackChannel,
    ProjectPhase,
    Sector,
    Seniority,
    TestFrequency,
    ValuationMethod,
    _enums,
)

GOLDEN: dict[type[StrEnum], list[tuple[str, str]]] = {
    CollateralKind: [
        ("CASH", "cash"),
        ("SECURITIES", "securities"),
        ("REAL_ESTATE", "real_estate"),
        ("EQUIPMENT", "equipment"),
        ("RECEIVABLES", "receivables"),
        ("INVENTORY", "inventory"),
        ("PROJECT_ASSETS", "project_assets"),
        ("SHARE_PLEDGE", "share_pledge"),
    ],
    CovenantMetric: [
        ("DSCR", "dscr"),
        ("LLCR", "llcr"),
        ("PLCR", "plcr"),
        ("NET_DEBT_TO_EBITDA", "net_debt_to_ebitda"),
        ("INTEREST_COVER", "interest_cover"),
        ("DEBT_TO_EQUITY", "debt_to_equity"),
        ("LOAN_TO_VALUE", "loan_to_value"),
        ("CURRENT_RATIO", "current_ratio"),
    ],
    CovenantOperator: [
        ("AT_LEAST", "at_least"),
        ("AT_MOST", "at_most"),
    ],
    EquatorCategory: [
        ("A", "A"),
        ("B", "B"),
        ("C", "C"),
    ],
    FacilityKind: [
        ("TERM_LOAN", "term_loan"),
        ("REVOLVING_CREDIT", "revolving_credit"),
        ("CONSTRUCTION_LOAN", "construction_loan"),
        ("BRIDGE", "bridge"),
        ("GUARANTEE", "guarantee"),
        ("LETTER_OF_CREDIT", "letter_of_credit"),
        ("RECEIVABLES_FINANCE", "receivables_finance"),
    ],
    FacilityStatus: [
        ("APPLICATION", "application"),
        ("APPROVED", "approved"),
        ("ACTIVE", "active"),
        ("WATCHLIST", "watchlist"),
        ("NON_PERFORMING", "non_performing"),
        ("RESTRUCTURED", "restructured"),
        ("REPAID", "repaid"),
        ("WRITTEN_OFF", "written_off"),
        ("CANCELLED", "cancelled"),
    ],
    FeedbackChannel: [
        ("SURVEY", "survey"),
        ("FOCUS_GROUP", "focus_group"),
        ("COMPLAINT", "complaint"),
        ("MEETING", "meeting"),
    ],
    ProjectPhase: [
        ("DEVELOPMENT", "development"),
        ("FINANCIAL_CLOSE", "financial_close"),
        ("CONSTRUCTION", "construction"),
        ("COMMISSIONING", "commissioning"),
        ("OPERATIONS", "operations"),
        ("REPAID", "repaid"),
        ("DEFAULTED", "defaulted"),
        ("WRITTEN_OFF", "written_off"),
        ("ABANDONED", "abandoned"),
    ],
    Sector: [
        ("AGRICULTURE_FORESTRY_FISHING", "A"),
        ("MINING_QUARRYING", "B"),
        ("MANUFACTURING", "C"),
        ("ELECTRICITY_GAS_STEAM", "D"),
        ("WATER_SUPPLY_WASTE", "E"),
        ("CONSTRUCTION", "F"),
        ("WHOLESALE_RETAIL_TRADE", "G"),
        ("TRANSPORTATION_STORAGE", "H"),
        ("ACCOMMODATION_FOOD_SERVICE", "I"),
        ("INFORMATION_COMMUNICATION", "J"),
        ("FINANCIAL_INSURANCE", "K"),
        ("REAL_ESTATE", "L"),
        ("PROFESSIONAL_SCIENTIFIC_TECHNICAL", "M"),
        ("ADMINISTRATIVE_SUPPORT", "N"),
        ("PUBLIC_ADMINISTRATION_DEFENCE", "O"),
        ("EDUCATION", "P"),
        ("HUMAN_HEALTH_SOCIAL_WORK", "Q"),
        ("ARTS_ENTERTAINMENT_RECREATION", "R"),
        ("OTHER_SERVICES", "S"),
        ("HOUSEHOLDS_AS_EMPLOYERS", "T"),
        ("EXTRATERRITORIAL_ORGANISATIONS", "U"),
    ],
    Seniority: [
        ("SENIOR_SECURED", "senior_secured"),
        ("SENIOR_UNSECURED", "senior_unsecured"),
        ("MEZZANINE", "mezzanine"),
        ("SUBORDINATED", "subordinated"),
    ],
    TestFrequency: [
        ("MONTHLY", "monthly"),
        ("QUARTERLY", "quarterly"),
        ("SEMI_ANNUAL", "semi_annual"),
        ("ANNUAL", "annual"),
    ],
    ValuationMethod: [
        ("FULL_APPRAISAL", "full_appraisal"),
        ("DESKTOP", "desktop"),
        ("INDEXED", "indexed"),
        ("MARKET_PRICE", "market_price"),
        ("BOOK_VALUE", "book_value"),
    ],
}


def test_every_enumeration_is_listed():
    assert sorted(_enums.__all__) == sorted(e.__name__ for e in GOLDEN)
    for enum in GOLDEN:
        assert getattr(lendcrm, enum.__name__) is enum


@pytest.mark.parametrize("enum", list(GOLDEN), ids=lambda e: e.__name__)
def test_members_names_values_and_order(enum):
    assert [(m.name, m.value) for m in enum] == GOLDEN[enum]


def test_sector_letters_are_the_21_nace_sections_in_order():
    assert "".join(s.value for s in Sector) == "ABCDEFGHIJKLMNOPQRSTU"


def test_facility_status_is_terminal_exactly_for_the_three_closed_states():
    terminal = {s for s in FacilityStatus if s.is_terminal}
    assert terminal == {
        FacilityStatus.REPAID,
        FacilityStatus.WRITTEN_OFF,
        FacilityStatus.CANCELLED,
    }
    assert all(type(s.is_terminal) is bool for s in FacilityStatus)


def test_equator_category_only_a_is_high_risk():
    assert [c.is_high_risk for c in EquatorCategory] == [True, False, False]


def test_covenant_operator_holds_at_and_around_the_level():
    floor, cap = CovenantOperator.AT_LEAST, CovenantOperator.AT_MOST
    assert floor.holds(1.2, 1.2)
    assert floor.holds(1.25, 1.2)
    assert not floor.holds(1.19, 1.2)
    assert cap.holds(4.0, 4.0)
    assert cap.holds(3.5, 4.0)
    assert not cap.holds(4.5, 4.0)


def test_test_frequency_months():
    assert {f.value: f.months for f in TestFrequency} == {
        "monthly": 1,
        "quarterly": 3,
        "semi_annual": 6,
        "annual": 12,
    }
    assert TestFrequency.__test__ is False
