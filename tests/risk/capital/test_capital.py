"""IRB, slotting and standardised project-finance weights against the Basel texts."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import (
    BASEL_II,
    BASEL_III,
    AssetClass,
    MaturityPolicy,
    asset_correlation,
    capital_requirement,
    irb_capital,
    maturity_adjustment,
    project_finance_risk_weight,
    risk_weight,
    risk_weighted_assets,
    slotting_risk_weight,
)

# The Annex 5 tables are computed without the 1.06 scaling factor.
UNSCALED = attrs.evolve(BASEL_II, scaling_factor=1.0)

# Basel Committee on Banking Supervision, "International Convergence of Capital
# Measurement and Capital Standards: A Revised Framework, Comprehensive Version",
# June 2006, Annex 5 "Illustrative IRB Risk Weights" (table "Illustrative IRB Risk
# Weights for UL", M = 2.5 years), transcribed from the copy at
# http://www.asksam.com/ebooks/releases.asp?file=Basel_II.ask&dn=Annex%205 .
# Columns: corporate LGD 45 % (turnover EUR 50 m), SME LGD 45 % (turnover EUR 5 m),
# residential mortgage LGD 45 %, 25 %, other retail LGD 45 %, 85 %, QRRE LGD 45 %, 85 %.
# Values in percent. The 3.00 % row is only partly legible in that copy (four cells).
ANNEX5 = {
    0.0003: (14.44, 11.30, 4.15, 2.30, 4.45, 8.41, 0.98, 1.85),
    0.0005: (19.65, 15.39, 6.23, 3.46, 6.63, 12.52, 1.51, 2.86),
    0.0010: (29.65, 23.30, 10.69, 5.94, 11.16, 21.08, 2.71, 5.12),
    0.0025: (49.47, 39.01, 21.30, 11.83, 21.15, 39.96, 5.76, 10.88),
    0.0040: (62.72, 49.49, 29.94, 16.64, 28.42, 53.69, 8.41, 15.88),
    0.0050: (69.61, 54.91, 35.08, 19.49, 32.36, 61.13, 10.04, 18.97),
    0.0075: (82.78, 65.14, 46.46, 25.81, 40.10, 75.74, 13.80, 26.06),
    0.0100: (92.32, 72.40, 56.40, 31.33, 45.77, 86.46, 17.22, 32.53),
    0.0130: (100.95, 78.77, 67.00, 37.22, 50.80, 95.95, 21.02, 39.70),
    0.0150: (105.59, 82.11, 73.45, 40.80, 53.37, 100.81, 23.40, 44.19),
    0.0200: (114.86, 88.55, 87.94, 48.85, 57.99, 109.53, 28.92, 54.63),
    0.0250: (122.16, 93.43, 100.64, 55.91, 60.90, 115.03, 33.98, 64.18),
}
ANNEX5_PARTIAL = {0.0300: (128.44, 97.58, 111.99, 62.22)}

COLUMNS = (
    ("corporate", 0.45, 50.0),
    ("corporate", 0.45, 5.0),
    ("residential_mortgage", 0.45, None),
    ("residential_mortgage", 0.25, None),
    ("other_retail", 0.45, None),
    ("other_retail", 0.85, None),
    ("qualifying_revolving", 0.45, None),
    ("qualifying_revolving", 0.85, None),
)

# Published cells are rounded to 0.01 pp; the issue asks for agreement to 0.01 pp.
TOL_PP = 0.01


def _column(j: int, pds: list[float]) -> np.ndarray:
    cls, lgd, sales = COLUMNS[j]
    return 100 * risk_weight(
        pds, lgd, regime=UNSCALED, asset_class=cls, maturity=2.5, sales=sales
    )


@pytest.mark.parametrize("j", range(8))
def test_annex5_published_cells(j):
    """Every legible cell of the Basel II Annex 5 table, column by column."""
    pds = list(ANNEX5)
    expected = np.array([ANNEX5[p][j] for p in pds])
    np.testing.assert_allclose(_column(j, pds), expected, rtol=0, atol=TOL_PP)


@pytest.mark.parametrize("j", range(4))
def test_annex5_partial_row(j):
    expected = ANNEX5_PARTIAL[0.03][j]
    np.testing.assert_allclose(_column(j, [0.03]), [expected], rtol=0, atol=TOL_PP)


def test_annex5_rows_not_sourced_hand_computed():
    """Annex 5 rows 4 %, 10 % and 20 % could not be sourced; pin hand computations.

    Corporate, PD = 10 %, LGD = 45 %, M = 2.5 (Basel II §272), by hand:
      w = (1 - e^-5) / (1 - e^-50) = 0.993262;  R = 0.12 w + 0.24 (1 - w) = 0.120809
      G(0.10) = -1.281552, G(0.999) = 3.090232
      x = (-1.281552 + sqrt(0.120809) * 3.090232) / sqrt(0.879191)
        = (-1.281552 + 1.074082) / 0.937652 = -0.221265;  N(x) = 0.412443
      b = (0.11852 - 0.05478 ln 0.10)^2 = (0.11852 + 0.126135)^2 = 0.059856
      MA at M = 2.5: 1 / (1 - 1.5 b) = 1.098689
      K = (0.45 * 0.412443 - 0.10 * 0.45) * 1.098689 = 0.154486;  RW = 12.5 K = 193.11 %
    Retail residential mortgage, PD = 4 %, LGD = 25 %: R = 0.15,
      x = (G(0.04) + sqrt(0.15) G(0.999)) / sqrt(0.85) = (-1.750686 + 1.196848) / 0.921954
        = -0.600722;  N(x) = 0.274016
      K = 0.25 * (0.274016 - 0.04) = 0.058504;  RW = 12.5 K = 73.13 %
    QRRE, PD = 20 %, LGD = 85 %: R = 0.04,
      x = (G(0.2) + 0.2 * 3.090232) / sqrt(0.96) = (-0.841621 + 0.618046) / 0.979796
        = -0.228185;  N(x) = 0.409751
      K = 0.85 * (0.409751 - 0.20) = 0.178288;  RW = 12.5 K = 222.86 %
    """
    corp = 100 * risk_weight(0.10, 0.45, regime=UNSCALED)
    mort = 100 * risk_weight(
        0.04, 0.25, regime=UNSCALED, asset_class="residential_mortgage"
    )
    qrre = 100 * risk_weight(
        0.20, 0.85, regime=UNSCALED, asset_class="qualifying_revolving"
    )
    np.testing.assert_allclose(corp, [193.11], atol=0.03)  # hand rounding of 6 digits
    np.testing.assert_allclose(mort, [73.13], atol=0.01)
    np.testing.assert_allclose(qrre, [222.86], atol=0.01)


def test_basel_ii_scaling_factor_multiplies_risk_weight_by_106():
    plain = risk_weight(0.01, 0.45, regime=UNSCALED)
    scaled = risk_weight(0.01, 0.45, regime=BASEL_II)
    np.testing.assert_allclose(scaled, plain * 1.06, rtol=1e-12)


def test_pd_floors_by_regime():
    # PD 0.01 % is floored: 0.03 % under Basel II (§285), 0.05 % under Basel III.
    np.testing.assert_allclose(
        risk_weight(0.0001, 0.45, regime=UNSCALED),
        risk_weight(0.0003, 0.45, regime=UNSCALED),
    )
    np.testing.assert_allclose(
        risk_weight(0.0001, 0.45, regime=BASEL_III),
        risk_weight(0.0005, 0.45, regime=BASEL_III),
    )
    # Annex 5: 19.65 % at PD 0.05 %; Basel III has no 1.06 factor.
    np.testing.assert_allclose(
        100 * risk_weight(0.0, 0.45, regime=BASEL_III), [19.65], atol=TOL_PP
    )


def test_sovereign_has_no_pd_floor_under_basel_iii():
    sov = risk_weight(0.0001, 0.45, regime=BASEL_III, asset_class="sovereign")
    corp = risk_weight(0.0001, 0.45, regime=BASEL_III, asset_class="corporate")
    assert sov[0] < corp[0]


def test_large_financial_correlation_multiplier():
    base = asset_correlation(0.01, asset_class="bank", regime=BASEL_III)
    large = asset_correlation(0.01, asset_class="large_financial", regime=BASEL_III)
    np.testing.assert_allclose(large, 1.25 * base, rtol=1e-12)
    # Basel II had no multiplier.
    np.testing.assert_allclose(
        asset_correlation(0.01, asset_class="large_financial", regime=BASEL_II), base
    )


def test_sme_sales_clamped_to_5_and_50():
    def at(s):
        return asset_correlation(
            0.01, asset_class="corporate", regime=BASEL_III, sales=s
        )

    np.testing.assert_allclose(at(0.0), at(5.0))
    np.testing.assert_allclose(at(2.0), at(5.0))
    np.testing.assert_allclose(at(80.0), at(50.0))
    np.testing.assert_allclose(
        at(50.0), asset_correlation(0.01, asset_class="corporate", regime=BASEL_III)
    )
    # Full adjustment at EUR 5 m is 0.04 (§273).
    np.testing.assert_allclose(at(50.0) - at(5.0), [0.04], rtol=1e-12)
    # The adjustment applies to corporates only.
    np.testing.assert_allclose(
        asset_correlation(0.01, asset_class="bank", regime=BASEL_III, sales=5.0),
        asset_correlation(0.01, asset_class="bank", regime=BASEL_III),
    )


def test_maturity_floor_and_cap_policy():
    """Maturity below 1 year is floored; above 5 years capped (CAP) or refused (REFUSE)."""
    ma = maturity_adjustment(0.01, [0.25, 1.0, 5.0, 10.0], regime=BASEL_III)
    assert ma[0] == ma[1]
    assert ma[2] == ma[3]
    np.testing.assert_allclose(maturity_adjustment(0.01, 1.0, regime=BASEL_III), [1.0])
    refuse = attrs.evolve(BASEL_III, maturity_policy=MaturityPolicy.REFUSE)
    np.testing.assert_allclose(
        risk_weight(0.01, 0.45, maturity=5.0, regime=refuse),
        risk_weight(0.01, 0.45, maturity=5.0, regime=BASEL_III),
    )
    with pytest.raises(
        InvalidValueError,
        match=r"`maturity\[1\]` must be at most 5 years under Basel III; got 7\.0\. Use a regime",
    ):
        risk_weight(0.01, 0.45, maturity=[3.0, 7.0], regime=refuse)


def test_maturity_adjustment_hand_value():
    # PD 1 %: b = (0.11852 - 0.05478 ln 0.01)^2 = (0.11852 + 0.252271)^2 = 0.137486;
    # M = 5: (1 + 2.5 b) / (1 - 1.5 b) = 1.343715 / 0.793771 = 1.692825;
    # M = 1: (1 - 1.5 b) / (1 - 1.5 b) = 1 exactly.
    np.testing.assert_allclose(
        maturity_adjustment(0.01, [5.0, 1.0], regime=BASEL_III),
        [1.692825, 1.0],
        rtol=2e-6,
    )


def test_retail_has_no_maturity_effect():
    a = risk_weight(
        0.02, 0.45, asset_class="other_retail", maturity=1.0, regime=BASEL_III
    )
    b = risk_weight(
        0.02, 0.45, asset_class="other_retail", maturity=5.0, regime=BASEL_III
    )
    np.testing.assert_allclose(a, b)


def test_defaulted_exposure_k_is_lgd_minus_el_best():
    k = capital_requirement(
        [1.0, 1.0, 1.0], [0.45, 0.45, 0.3], el_best=[0.35, 0.5, 0.1], regime=BASEL_III
    )
    np.testing.assert_allclose(k, [0.10, 0.0, 0.20], atol=1e-15)
    # The foundation approach: EL_best is the supervisory LGD (CRE35.3), so K = 0 -
    # but only when the caller says so (see test_defaulted_needs_el_best).
    np.testing.assert_allclose(
        capital_requirement(1.0, 0.45, el_best=0.45, regime=BASEL_III), [0.0]
    )


def test_lgd_floor_only_when_asked():
    low = risk_weight(0.01, 0.10, regime=BASEL_III)
    floored = risk_weight(0.01, 0.10, regime=BASEL_III, apply_lgd_floor=True)
    at_floor = risk_weight(0.01, 0.25, regime=BASEL_III)
    assert low[0] < floored[0]
    np.testing.assert_allclose(floored, at_floor)
    q = risk_weight(
        0.01,
        0.2,
        regime=BASEL_III,
        asset_class="qualifying_revolving",
        apply_lgd_floor=True,
    )
    np.testing.assert_allclose(
        q, risk_weight(0.01, 0.5, regime=BASEL_III, asset_class="qualifying_revolving")
    )


def test_mixed_asset_classes_per_row_match_single_class_calls():
    classes = ["corporate", "other_retail", "bank", "residential_mortgage", "corporate"]
    pd_ = [0.01, 0.02, 0.003, 0.015, 0.05]
    lgd = [0.45, 0.6, 0.45, 0.2, 0.4]
    m = [2.5, 1.0, 4.0, 3.0, 1.5]
    batch = risk_weight(pd_, lgd, maturity=m, asset_class=classes, regime=BASEL_III)
    single = [
        risk_weight(p, g, maturity=mm, asset_class=c, regime=BASEL_III)[0]
        for p, g, mm, c in zip(pd_, lgd, m, classes, strict=True)
    ]
    np.testing.assert_allclose(batch, single, rtol=1e-14)


def test_irb_capital_matches_batch():
    one = irb_capital(
        ead=5e6,
        default_probability=0.02,
        lgd=0.4,
        maturity=3.0,
        sales=20.0,
        regime=BASEL_II,
    )
    rwa = risk_weighted_assets(
        5e6, 0.02, 0.4, maturity=3.0, sales=20.0, regime=BASEL_II
    )
    np.testing.assert_allclose(one.risk_weighted_assets, rwa[0], rtol=1e-14)
    np.testing.assert_allclose(one.capital, 0.08 * rwa[0], rtol=1e-12)
    assert one.default_probability == 0.02
    d = irb_capital(
        ead=1.0, default_probability=1.0, lgd=0.45, el_best=0.4, regime=BASEL_III
    )
    np.testing.assert_allclose(d.capital_requirement, 0.05)
    assert d.maturity_adjustment == 1.0


def test_rwa_scales_with_ead_and_broadcasts():
    rwa = risk_weighted_assets([1.0, 2.0, 3.0], 0.01, 0.45, regime=BASEL_III)
    np.testing.assert_allclose(rwa, rwa[0] * np.array([1.0, 2.0, 3.0]))


@given(
    pd_=st.floats(0.0, 0.999),
    lgd_a=st.floats(0.0, 1.0),
    lgd_b=st.floats(0.0, 1.0),
    m=st.floats(0.1, 7.0),
    cls=st.sampled_from(list(AssetClass)),
)
def test_risk_weight_non_decreasing_in_lgd(pd_, lgd_a, lgd_b, m, cls):
    lo, hi = sorted((lgd_a, lgd_b))
    rw = risk_weight(pd_, [lo, hi], maturity=m, asset_class=cls, regime=BASEL_III)
    assert rw[0] <= rw[1] + 1e-15
    assert (rw >= 0).all()


@given(m_a=st.floats(0.01, 10.0), m_b=st.floats(0.01, 10.0), pd_=st.floats(0.0, 0.99))
def test_risk_weight_non_decreasing_in_maturity(m_a, m_b, pd_):
    lo, hi = sorted((m_a, m_b))
    rw = risk_weight(pd_, 0.45, maturity=[lo, hi], regime=BASEL_II)
    assert rw[0] <= rw[1] + 1e-12


# --- slotting and standardised project finance -------------------------------------


def test_slotting_weights_cre33_2_and_4():
    # CRE33.2: 70, 90, 115, 250, 0 %. CRE33.4: 50 % strong, 70 % good below 2.5 years
    # to run, at national discretion: only with short_maturity_relief=True.
    cats = ["strong", "good", "satisfactory", "weak", "default"]
    np.testing.assert_allclose(
        slotting_risk_weight(cats, 2.5, short_maturity_relief=True),
        [0.7, 0.9, 1.15, 2.5, 0.0],
    )
    np.testing.assert_allclose(
        slotting_risk_weight(cats, 2.4, short_maturity_relief=True),
        [0.5, 0.7, 1.15, 2.5, 0.0],
    )
    np.testing.assert_allclose(
        slotting_risk_weight(cats, 1.0), [0.7, 0.9, 1.15, 2.5, 0.0]
    )


def test_project_finance_standardised_weights():
    np.testing.assert_allclose(
        project_finance_risk_weight(
            ["operational", "pre_operational", "high_quality_operational"]
        ),
        [1.0, 1.3, 0.8],
    )


# --- bad input ------------------------------------------------------------------------


def test_pd_outside_unit_interval():
    with pytest.raises(
        InvalidValueError,
        match=r"`default_probability\[1\]` must be a finite number in \[0, 1\]; got 1\.2\.",
    ):
        risk_weight([0.1, 1.2], 0.45, regime=BASEL_III)


def test_lgd_outside_unit_interval():
    with pytest.raises(
        InvalidValueError,
        match=r"`lgd\[0\]` must be a finite number in \[0, 1\]; got -0\.1\.",
    ):
        risk_weight(0.1, [-0.1], regime=BASEL_III)


def test_non_positive_maturity():
    with pytest.raises(
        InvalidValueError,
        match=r"`maturity\[2\]` must be a finite number > 0; got 0\.0\.",
    ):
        risk_weight(0.01, 0.45, maturity=[1.0, 2.0, 0.0], regime=BASEL_III)


def test_negative_sales():
    with pytest.raises(
        InvalidValueError,
        match=r"`sales\[0\]` must be a finite number >= 0; got -1\.0\.",
    ):
        risk_weight(0.01, 0.45, sales=-1.0, regime=BASEL_III)


def test_unknown_asset_class():
    with pytest.raises(
        InvalidValueError,
        match=r"`asset_class\[1\]` must be one of 'corporate'.*; got 'retail'\.",
    ):
        risk_weight(0.01, 0.45, asset_class=["corporate", "retail"], regime=BASEL_III)
    with pytest.raises(
        InvalidValueError, match=r"`asset_class` must be one of .*; got 'sme'\."
    ):
        risk_weight(0.01, 0.45, asset_class="sme", regime=BASEL_III)


def test_unknown_slotting_category():
    with pytest.raises(
        InvalidValueError,
        match=r"`category\[0\]` must be one of 'strong'.*; got 'excellent'\.",
    ):
        slotting_risk_weight(["excellent"], 3.0)


def test_unknown_project_phase():
    with pytest.raises(
        InvalidValueError, match=r"`phase` must be one of .*; got 'construction'\."
    ):
        project_finance_risk_weight("construction")


def test_negative_exposure():
    with pytest.raises(
        InvalidValueError, match=r"`ead\[1\]` must be a finite number >= 0; got -5\.0\."
    ):
        risk_weighted_assets([1.0, -5.0], 0.01, 0.45, regime=BASEL_III)


def test_arrays_of_different_lengths():
    with pytest.raises(
        InvalidValueError,
        match=r"`lgd` must be length 1 or the same length as `default_probability` \(3\); got 'length 2'\.",
    ):
        risk_weight([0.01, 0.02, 0.03], [0.4, 0.5], regime=BASEL_III)


def test_non_finite_values():
    with pytest.raises(
        InvalidValueError,
        match=r"`default_probability\[0\]` must be a finite number in \[0, 1\]; got nan\.",
    ):
        risk_weight([float("nan")], 0.45, regime=BASEL_III)
    with pytest.raises(
        InvalidValueError,
        match=r"`maturity\[0\]` must be a finite number > 0; got inf\.",
    ):
        risk_weight(0.01, 0.45, maturity=float("inf"), regime=BASEL_III)


def test_regime_validation():
    with pytest.raises(
        InvalidValueError,
        match=r"`maturity_floor` must be at most maturity_cap \(5\); got 6\.0\.",
    ):
        attrs.evolve(BASEL_III, maturity_floor=6.0)
    with pytest.raises(
        InvalidValueError,
        match=r"`scaling_factor` must be a finite number > 0; got 0\.0\.",
    ):
        attrs.evolve(BASEL_III, scaling_factor=0.0)


def test_zero_pd_sovereign_has_zero_capital():
    # Basel III has no sovereign PD floor; PD = 0 carries no capital.
    np.testing.assert_allclose(
        risk_weight(0.0, 0.45, asset_class="sovereign", regime=BASEL_III), [0.0]
    )
    one = irb_capital(
        ead=1.0,
        default_probability=0.0,
        lgd=0.45,
        asset_class="sovereign",
        regime=BASEL_III,
    )
    assert one.risk_weight == 0.0


def test_project_finance_phase_from_core_phase():
    from lendcrm import ProjectPhase
    from lendcrm.risk.capital import ProjectFinancePhase, project_finance_phase

    assert [
        project_finance_phase(p)
        for p in ("development", "financial_close", "construction", "commissioning")
    ] == [ProjectFinancePhase.PRE_OPERATIONAL] * 4
    assert (
        project_finance_phase(ProjectPhase.OPERATIONS)
        is ProjectFinancePhase.OPERATIONAL
    )
    assert (
        project_finance_phase(ProjectPhase.OPERATIONS, high_quality=True)
        is ProjectFinancePhase.HIGH_QUALITY_OPERATIONAL
    )
    with pytest.raises(
        InvalidValueError,
        match=r"`phase` must be a live project phase .*; got 'repaid'\.",
    ):
        project_finance_phase("repaid")
    with pytest.raises(
        InvalidValueError,
        match=r"`phase` must be one of 'development'.*; got 'operating'\.",
    ):
        project_finance_phase("operating")


def test_defaulted_needs_el_best():
    # CRE31.3: K = max(0, LGD - EL_best) for a defaulted exposure; without EL_best the
    # capital would silently be zero, so lendcrm refuses (every public entry point).
    message = (
        r"^`el_best` must be a best estimate of expected loss for the defaulted "
        r"exposure default_probability\[1\] = 1 \(capital K = max\(0, LGD - "
        r"EL_best\), CRE31\.3\); got None\. Pass el_best=lgd for a "
        r"foundation-approach exposure \(K = 0: its loss is expected loss, "
        r"CRE35\.3\), or the bank's best estimate \(CRE36\.86\)\.$"
    )
    with pytest.raises(InvalidValueError, match=message):
        capital_requirement([0.01, 1.0], 0.45, regime=BASEL_III)
    with pytest.raises(InvalidValueError, match=message):
        risk_weighted_assets([1.0, 1.0], [0.02, 1.0], 0.45, regime=BASEL_III)
    with pytest.raises(InvalidValueError, match=r"^`el_best` must be"):
        irb_capital(ead=1.0, default_probability=1.0, lgd=0.45, regime=BASEL_III)
    # A defaulted row with a best estimate of 35 %: K = 0.45 - 0.35 = 0.10,
    # RW = 12.5 x 0.10 = 125 %.
    np.testing.assert_allclose(
        risk_weight([0.01, 1.0], 0.45, el_best=0.35, regime=BASEL_III)[1], 1.25
    )
