"""The relationship view's pricing: defaulted facilities and the fallback LGD and CCF."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from lendcrm.relationship import RelationshipPricing, price_relationships


def _facilities(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "codes": np.array([0, 1]),
        "n": 2,
        "drawn": np.array([8e6, 2e6]),
        "limit": np.array([8e6, 2e6]),
        "default_probability": np.array([0.01, 1.0]),
        "lgd": np.array([0.45, 0.40]),
        "ccf": np.array([0.5, 0.5]),
        "tenor_days": np.array([1826.25, 1826.25]),
        "margin": np.array([0.02, 0.02]),
        "commitment_fee": np.array([0.0, 0.0]),
        "arrangement_fee": np.array([0.0, 0.0]),
    }
    return {**base, **over}


def test_defaulted_facility_is_priced_on_the_foundation_reading():
    # Client 1's only facility is in default (PD = 1): the view has no best estimate
    # of expected loss, so EL_best = LGD (CRE35.3): EL = 0.40 x 2e6 = 800,000 and
    # capital = max(0, LGD - EL_best) = 0 (CRE31.3). RAROC is undefined (no capital);
    # EVA = income = 0.02 x 2e6 - 0.004 x 2e6 - 800,000 - 0.003 x 2e6 = -774,000.
    p = price_relationships(**_facilities(), params=RelationshipPricing())
    assert p.expected_loss[1] == pytest.approx(800_000.0)
    assert p.capital[1] == 0.0
    assert np.isnan(p.raroc[1])
    assert p.eva[1] == pytest.approx(-774_000.0)
    # The performing client is priced as before: EL = 0.01 x 0.45 x 8e6 = 36,000.
    assert p.expected_loss[0] == pytest.approx(36_000.0)


def test_fallback_lgd_follows_the_regime_and_the_asset_class():
    # CRE32.6: senior unsecured claims on non-financial corporates 40 % (Basel III);
    # on sovereigns, banks and other financial institutions 45 %. Basel II: 45 %
    # for every senior unsecured claim (the BASEL_II regime).
    from lendcrm.risk.capital import BASEL_II, AssetClass

    assert RelationshipPricing().fallback_lgd == 0.40
    for cls in (
        AssetClass.BANK,
        AssetClass.OTHER_FINANCIAL,
        AssetClass.LARGE_FINANCIAL,
        AssetClass.SOVEREIGN,
    ):
        assert RelationshipPricing(asset_class=cls).fallback_lgd == 0.45
    assert RelationshipPricing(regime=BASEL_II).fallback_lgd == 0.45
    assert RelationshipPricing(default_lgd=0.30).fallback_lgd == 0.30


def test_missing_lgd_takes_the_foundation_lgd_in_the_price():
    # Client 0's facility has no LGD: Basel III corporate, 40 %.
    # EL = 0.01 x 0.40 x 8e6 = 32,000 (was 0.45: 36,000).
    p = price_relationships(
        **_facilities(lgd=np.array([np.nan, 0.40])), params=RelationshipPricing()
    )
    assert p.expected_loss[0] == pytest.approx(32_000.0)
    set_lgd = price_relationships(**_facilities(), params=RelationshipPricing())
    assert set_lgd.expected_loss[0] == pytest.approx(36_000.0)


def test_retail_relationship_pricing_needs_a_default_lgd():
    from lendcrm.errors import InvalidValueError
    from lendcrm.risk.capital import AssetClass

    with pytest.raises(
        InvalidValueError,
        match=re.escape(
            "`default_lgd` must be an LGD in [0, 1] for the asset class "
            "'other_retail' (there is no foundation LGD for retail, CRE30.42); "
            "got None."
        ),
    ):
        RelationshipPricing(asset_class=AssetClass.OTHER_RETAIL)
    assert (
        RelationshipPricing(
            asset_class=AssetClass.OTHER_RETAIL, default_lgd=0.6
        ).fallback_lgd
        == 0.6
    )
