"""Every slotting and project-finance weight pinned, with its boundaries (issue #23).

The tables are those of the Basel Framework (CRE, as in force 2023):
- CRE33.2 (Basel II §275): other specialised lending 70, 90, 115, 250, 0 % for strong,
  good, satisfactory, weak, default; CRE33.4 (§277): 50 % / 70 % for strong / good
  with less than 2.5 years to run (national discretion).
- CRE33.5 (§280): HVCRE 95, 120, 140, 250, 0 %; CRE33.7 (§282): 70 % / 95 %.
- CRE33.8: EL = 8 % x EL weight x EAD; CRE33.9: EL weights 5, 10, 35, 100, 625 %;
  CRE33.10: 0 % / 5 % under the relief; CRE33.11: HVCRE 5, 5, 35, 100, 625 %, which
  CRE33.12 leaves unchanged by the relief.
- CRE20.52 (standardised project finance): 130 % pre-operational, 100 % operational,
  80 % high-quality operational.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lendcrm import ProjectPhase
from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import (
    ProjectFinancePhase,
    SlottingCategory,
    project_finance_phase,
    project_finance_risk_weight,
    slotting_expected_loss_rate,
    slotting_risk_weight,
)

CATS = ["strong", "good", "satisfactory", "weak", "default"]
# (hvcre, relief applies) -> risk weights strong..default
RW = {
    (False, False): [0.70, 0.90, 1.15, 2.50, 0.0],  # CRE33.2
    (False, True): [0.50, 0.70, 1.15, 2.50, 0.0],  # CRE33.4
    (True, False): [0.95, 1.20, 1.40, 2.50, 0.0],  # CRE33.5
    (True, True): [0.70, 0.95, 1.40, 2.50, 0.0],  # CRE33.7
}
EL_WEIGHT = {
    (False, False): [0.05, 0.10, 0.35, 1.00, 6.25],  # CRE33.9
    (False, True): [0.0, 0.05, 0.35, 1.00, 6.25],  # CRE33.10
    (True, False): [0.05, 0.05, 0.35, 1.00, 6.25],  # CRE33.11
    (True, True): [0.05, 0.05, 0.35, 1.00, 6.25],  # CRE33.12
}
SHORT = math.nextafter(2.5, 0.0)


@pytest.mark.parametrize(("hvcre", "short"), list(RW))
def test_every_slotting_weight_and_el_rate(hvcre, short):
    maturity = SHORT if short else 2.5
    rw = slotting_risk_weight(CATS, maturity, hvcre=hvcre, short_maturity_relief=True)
    assert rw.tolist() == RW[(hvcre, short)]
    el = slotting_expected_loss_rate(
        CATS, maturity, hvcre=hvcre, short_maturity_relief=True
    )
    assert el.tolist() == [0.08 * w for w in EL_WEIGHT[(hvcre, short)]]
    # without the relief a short exposure keeps the full weights
    assert (
        slotting_risk_weight(CATS, maturity, hvcre=hvcre).tolist() == RW[(hvcre, False)]
    )
    assert slotting_expected_loss_rate(CATS, maturity, hvcre=hvcre).tolist() == [
        0.08 * w for w in EL_WEIGHT[(hvcre, False)]
    ]


def test_the_defaults_are_other_sl_without_relief():
    assert slotting_risk_weight(CATS, 1.0).tolist() == RW[(False, False)]
    assert slotting_expected_loss_rate(CATS, 1.0).tolist() == [
        0.08 * w for w in EL_WEIGHT[(False, False)]
    ]


def test_members_and_per_row_labels_flags_and_maturities():
    assert slotting_risk_weight(SlottingCategory.WEAK, 3.0).tolist() == [2.5]
    rw = slotting_risk_weight(
        ["strong", "strong", "good", "good"],
        [2.0, 3.0, 2.0, 3.0],
        hvcre=[True, False, False, True],
        short_maturity_relief=True,
    )
    assert rw.tolist() == [0.70, 0.70, 0.70, 1.20]
    el = slotting_expected_loss_rate(
        ["strong", "good"], [2.0, 3.0], hvcre=[False, False], short_maturity_relief=True
    )
    assert el.tolist() == [0.0, 0.08 * 0.10]


def test_maturity_must_be_positive_and_labels_known():
    for call in (slotting_risk_weight, slotting_expected_loss_rate):
        assert call("good", 5e-324).shape == (1,)
        with pytest.raises(InvalidValueError) as err:
            call("good", 0.0)
        assert err.value.field == "remaining_maturity[0]"
        assert "> 0" in err.value.expected
        with pytest.raises(InvalidValueError) as err:
            call(["good", "excellent"], 3.0)
        assert err.value.field.startswith("category")
        assert "excellent" in str(err.value)
        with pytest.raises(InvalidValueError) as err:
            call("good", 3.0, hvcre="yes")
        assert err.value.field.startswith("hvcre")
        with pytest.raises(InvalidValueError) as err:
            call(["good", "weak"], [1.0, 2.0, 3.0])
        assert "length" in err.value.expected


def test_every_standardised_project_finance_weight():
    assert project_finance_risk_weight(
        ["pre_operational", "operational", "high_quality_operational"]
    ).tolist() == [1.30, 1.00, 0.80]
    assert project_finance_risk_weight(ProjectFinancePhase.OPERATIONAL).tolist() == [
        1.0
    ]
    with pytest.raises(InvalidValueError) as err:
        project_finance_risk_weight(["operational", "finished"])
    assert err.value.field.startswith("phase")
    assert "finished" in str(err.value)


@pytest.mark.parametrize(
    ("phase", "standard"),
    [
        ("development", "pre_operational"),
        ("financial_close", "pre_operational"),
        ("construction", "pre_operational"),
        ("commissioning", "pre_operational"),
        ("operations", "operational"),
    ],
)
def test_each_live_phase_maps_to_its_standardised_phase(phase, standard):
    assert project_finance_phase(phase) is ProjectFinancePhase(standard)
    assert (
        project_finance_phase(ProjectPhase(phase), high_quality=False).value == standard
    )
    expected = "high_quality_operational" if phase == "operations" else standard
    assert project_finance_phase(phase, high_quality=True).value == expected


@pytest.mark.parametrize("phase", ["repaid", "defaulted", "written_off", "abandoned"])
def test_a_finished_project_has_no_project_finance_weight(phase):
    with pytest.raises(InvalidValueError) as err:
        project_finance_phase(phase, high_quality=True)
    assert (err.value.field, err.value.value) == ("phase", phase)
    assert err.value.expected == (
        "a live project phase (a repaid, defaulted, written-off or abandoned project"
        " has no project-finance weight)"
    )


def test_an_unknown_phase_lists_the_known_ones():
    with pytest.raises(InvalidValueError) as err:
        project_finance_phase("operating")
    assert (err.value.field, err.value.value) == ("phase", "operating")
    assert err.value.expected == "one of " + ", ".join(
        repr(p.value) for p in ProjectPhase
    )
    assert err.value.__suppress_context__
    np.testing.assert_array_equal(
        [p.value for p in SlottingCategory], CATS
    )  # the table rows follow this order
