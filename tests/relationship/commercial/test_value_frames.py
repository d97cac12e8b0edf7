"""The DataFrame faces equal the numpy functions on hand-built and synthetic frames."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.relationship.commercial import (
    PRODUCTS,
    LookAlikeIndex,
    attrition_indicators,
    attrition_scores,
    facility_revenue,
)
from lendcrm.relationship.commercial.value_frames import (
    attrition_frame,
    cross_sell_frame,
    lookalike_frame,
    share_of_wallet_frame,
)
from lendcrm.synthetic import generate_frames

AS_OF = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def syn():
    return generate_frames(400, seed=11, as_of=AS_OF)


def test_lookalike_frame_is_the_index_query_in_ranking_order():
    rng = np.random.default_rng(0)
    ref = pd.DataFrame({"client_id": [f"C{i}" for i in range(30)],
                        "x": rng.normal(size=30), "y": rng.normal(size=30)})  # fmt: skip
    p = pd.DataFrame({"prospect_id": [f"P{i}" for i in range(8)],
                      "x": rng.normal(size=8), "y": rng.normal(size=8)})  # fmt: skip
    out = lookalike_frame(p, ref, features=["x", "y"], k=3, top=2)
    cols = ["x", "y"]
    found = LookAlikeIndex.fit({c: ref[c].to_numpy() for c in cols}, names=cols).query(
        {c: p[c].to_numpy() for c in cols}, k=3, top=2
    )
    order = found.ranking()
    assert (
        out["prospect_id"].tolist()
        == np.repeat(p["prospect_id"].to_numpy()[order], 3).tolist()
    )
    assert out["match_rank"].tolist() == [1, 2, 3] * 8
    assert (
        out["client_id"].tolist()
        == ref["client_id"].to_numpy()[found.neighbours[order].ravel()].tolist()
    )
    np.testing.assert_array_equal(out["distance"], found.distances[order].ravel())
    assert list(out["closest_feature_1"].cat.categories) == ["x", "y"]


def test_lookalike_frame_names_a_missing_column():
    ref = pd.DataFrame({"client_id": ["A", "B"], "x": [0.0, 1.0]})
    with pytest.raises(InvalidValueError) as e:
        lookalike_frame(pd.DataFrame({"prospect_id": ["P"]}), ref, features=["x"])
    assert (
        str(e.value)
        == "`prospects` must be columns ['prospect_id', 'x']; got \"no column 'x'\"."
    )


def test_cross_sell_frame_by_hand():
    clients = pd.DataFrame({"client_id": ["A", "B", "C", "D"], "sector": ["C"] * 4,
                            "annual_revenue": [20e6] * 4})  # fmt: skip
    facilities = pd.DataFrame(
        {"client_id": ["A", "A", "B", "B", "C", "C", "D"],
         "kind": ["term_loan", "revolving_credit"] * 3 + ["term_loan"]}
    )  # fmt: skip
    tiers = pd.Series(["gold"] * 4, index=list("ABCD"))
    out = cross_sell_frame(clients, facilities, tiers, prior_weight=0.0)
    assert out["next_product"].astype(object).tolist()[3] == "revolving_credit"
    assert out["next_product"].isna().tolist() == [True, True, True, False]
    assert out["next_product_peer_rate"].tolist()[3] == 1.0
    assert out["peers"].tolist() == [3, 3, 3, 3]
    assert list(out["next_product"].cat.categories) == list(PRODUCTS)
    with pytest.raises(
        InvalidValueError, match=r"`tiers` must be a tier for every client"
    ):
        cross_sell_frame(clients, facilities, tiers.iloc[:3])
    bad = facilities.assign(kind=["mortgage", *facilities["kind"].tolist()[1:]])
    with pytest.raises(
        InvalidValueError, match=r"`facilities.kind\[0\]` must be a product"
    ):
        cross_sell_frame(clients, bad, tiers)


def test_share_of_wallet_frame_equals_the_numpy_functions(syn):
    fx = {"GBP": 1.17, "USD": 0.92, "PLN": 0.23, "SEK": 0.088, "DKK": 0.134, "NOK": 0.086,
          "CHF": 1.05}  # fmt: skip
    out = share_of_wallet_frame(syn.clients, syn.facilities, fx_rates=fx)
    f, c = syn.facilities, syn.clients
    rate = {"EUR": 1.0, **fx}
    years = (f["maturity_on"] - f["start_on"]).dt.days / 365.25
    rev = facility_revenue(drawn=f["drawn"], limit=f["limit"], margin_bps=f["margin_bps"],
                           commitment_fee_bps=f["commitment_fee_bps"],
                           arrangement_fee=f["arrangement_fee"], tenor_years=years)  # fmt: skip
    rev_eur = pd.Series(rev * f["currency"].astype(str).map(rate).to_numpy())
    per = (
        rev_eur.groupby(f["client_id"].to_numpy())
        .sum()
        .reindex(c["client_id"], fill_value=0)
    )
    np.testing.assert_allclose(out["bank_revenue"], per.to_numpy(), rtol=1e-12)
    with pytest.raises(InvalidValueError) as e:
        share_of_wallet_frame(syn.clients, syn.facilities)
    assert "`fx_rates[" in str(e.value)
    assert "must be the number of EUR per one" in str(e.value)


def test_attrition_frame_reads_signals_feedback_and_observations():
    signals = pd.DataFrame({"client_id": ["A", "B"], "utilisation_change": [-0.25, 0.0],
                            "exposure_growth_yoy": [0.0, 0.0],
                            "product_count_change": [0, 0]})  # fmt: skip
    feedback = pd.DataFrame(
        {"client_id": ["A", "A", "B"],
         "feedback_on": pd.to_datetime(["2025-06-01", "2024-06-01", "2025-03-01"]),
         "score": [4, 8, 9]}
    )  # fmt: skip
    facilities = pd.DataFrame({"facility_id": ["F1", "F2"], "client_id": ["A", "B"],
                               "maturity_on": pd.to_datetime(["2030-01-01", "2025-06-30"])})  # fmt: skip
    observations = pd.DataFrame(
        {"facility_id": ["F1", "F1", "F2", "F2"],
         "period_end": pd.to_datetime(["2024-12-31", "2025-12-31"] * 2),
         "limit": [100.0, 70.0, 50.0, 0.0]}
    )  # fmt: skip
    out = attrition_frame(signals, feedback=feedback, facilities=facilities,
                          observations=observations, as_of=AS_OF)  # fmt: skip
    # A: util fall 0.25, satisfaction 4 (fall 4 from 8, 1 below 5), 30 % of the limit cut
    # B: matured facility (no prepayment), satisfaction 9 without an earlier year
    x = attrition_indicators(
        utilisation_change=[-0.25, 0.0], exposure_growth=[0.0, 0.0],
        product_count_change=[0, 0], satisfaction_change=[-4.0, np.nan],
        satisfaction=[4.0, 9.0], prepaid_share=[0.3, 0.0],
    )  # fmt: skip
    want = attrition_scores(x)
    np.testing.assert_allclose(out["attrition_probability"], want.probability)
    assert out["reason_1"].astype(object).tolist() == ["satisfaction_fall", np.nan]
    assert out["reason_2"].astype(object).tolist()[0] == "utilisation_fall"


def test_attrition_frame_on_a_synthetic_book(syn):
    out = attrition_frame(syn.signals, feedback=syn.feedback, facilities=syn.facilities,
                          observations=syn.observations, as_of=AS_OF)  # fmt: skip
    assert len(out) == len(syn.signals)
    assert out["attrition_probability"].between(0, 1).all()
    assert (out["attrition_probability"] >= 0.04 - 1e-12).all()
