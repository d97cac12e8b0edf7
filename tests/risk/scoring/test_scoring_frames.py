"""pandas adapter: same numbers as the numpy core, index kept, input untouched."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lendcrm.errors import InvalidValueError, ModelMismatchError, SchemaError
from lendcrm.frames.columns import DEFAULT_PROBABILITY, SCORE
from lendcrm.risk.scoring import (
    BinningConfig,
    UnseenRule,
    build_scorecard,
    fit_binning_set,
    fit_logistic,
)
from lendcrm.risk.scoring.frames import (
    bin_table_frame,
    fit_binning_frame,
    points_frame,
    points_table_frame,
    reason_codes_frame,
    score_frame,
    woe_frame,
)


def _frame(n=4_000, seed=8):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    x[:40] = np.nan
    sector = rng.choice(["energy", "roads", "water", "telecom"], n).astype(object)
    sector[40:60] = None
    eta = -2 + x * np.nan_to_num(1.0) + (sector == "roads") * 0.8
    y = (rng.random(n) < 1 / (1 + np.exp(-np.nan_to_num(eta, nan=-2)))).astype(int)
    idx = pd.Index([f"c{i}" for i in range(n)], name="client")
    return pd.DataFrame({"x": x, "sector": sector, "bad": y}, index=idx)


def test_frame_fit_equals_core_fit():
    df = _frame()
    cfg = BinningConfig(min_bin_goods=1, min_bin_bads=1)
    s_frame = fit_binning_frame(df, target="bad", config=cfg)
    s_core = fit_binning_set(
        {"x": df["x"].to_numpy(), "sector": df["sector"].to_numpy()},
        df["bad"].to_numpy(),
        categorical=["sector"],
        config=cfg,
    )
    assert s_frame == s_core


def test_woe_frame_keeps_index_and_matches_core():
    df = _frame()
    before = df.copy()
    s = fit_binning_frame(df, target="bad")
    out = woe_frame(s, df, ignore_extra=True)
    assert out.index.equals(df.index)
    pd.testing.assert_frame_equal(df, before)
    core = s.transform({"x": df["x"].to_numpy(), "sector": df["sector"].to_numpy()})
    np.testing.assert_array_equal(out.to_numpy(), core)
    # row-wise: partitions give the same rows as the whole frame
    chunks = [df.iloc[:1000], df.iloc[1000:2500], df.iloc[2500:]]
    parts = pd.concat([woe_frame(s, p, ignore_extra=True) for p in chunks])
    pd.testing.assert_frame_equal(parts, out)


def test_score_frame_and_points():
    df = _frame()
    s = fit_binning_frame(df, target="bad")
    woe = woe_frame(s, df, ignore_extra=True)
    card = build_scorecard(
        s, fit_logistic(woe.to_numpy(), df["bad"], names=list(s.names))
    )
    feats = df.drop(columns="bad")
    out = score_frame(card, feats)
    assert list(out.columns) == [SCORE, DEFAULT_PROBABILITY]
    assert DEFAULT_PROBABILITY == "default_probability"
    np.testing.assert_allclose(
        out[SCORE].to_numpy(),
        card.score({n: feats[n].to_numpy() for n in card.names}),
    )
    np.testing.assert_allclose(points_frame(card, feats).sum(axis=1), out[SCORE])
    codes = reason_codes_frame(card, feats, code_table={"x": "X1", "sector": "S1"}, k=2)
    assert list(codes.columns) == ["reason_1", "reason_2"]
    assert codes.index.equals(df.index)
    assert set(points_table_frame(card)["characteristic"]) == {"x", "sector"}
    assert bin_table_frame(s["x"])["iv"].sum() == pytest.approx(s["x"].iv)


def test_column_errors():
    df = _frame()
    s = fit_binning_frame(df, target="bad")
    with pytest.raises(ModelMismatchError, match=r"unexpected \['bad'\]"):
        woe_frame(s, df)
    with pytest.raises(ModelMismatchError, match=r"missing \['sector'\]"):
        woe_frame(s, df[["x"]])
    with pytest.raises(SchemaError, match=r"missing \['default'\]"):
        fit_binning_frame(df, target="default")
    with pytest.raises(InvalidValueError, match="`frame` must be a pandas DataFrame"):
        woe_frame(s, {"x": [1.0]})  # type: ignore[arg-type]


def test_target_errors_name_the_column():
    df = _frame()
    df.loc["c3", "bad"] = 2
    with pytest.raises(
        InvalidValueError, match=r"`bad\[3\]` must be 0 \(good\) or 1 \(bad\); got 2.0"
    ):
        fit_binning_frame(df, target="bad")


def test_unseen_category_error_in_frames():
    df = _frame()
    s = fit_binning_frame(
        df, target="bad", config=BinningConfig(unseen=UnseenRule.ERROR)
    )
    new = pd.DataFrame({"x": [0.1, 0.2], "sector": ["water", "mining"]})
    with pytest.raises(
        InvalidValueError,
        match=r"`sector\[1\]` must be a level seen at fit .* got 'mining'",
    ):
        woe_frame(s, new)


@pytest.mark.parametrize("unseen", [UnseenRule.MISSING, UnseenRule.WORST])
@pytest.mark.parametrize(
    "dtype", [object, "str", "string", "category", "category-extra-levels"]
)
def test_woe_frame_categorical_dtypes_match_core(dtype, unseen):
    # the frame path hashes each column once (factorize) and matches only its
    # distinct values to the levels; every string dtype gives the core's numbers
    df = _frame()
    s = fit_binning_frame(df, target="bad", config=BinningConfig(unseen=unseen))
    raw = np.array(["water", "mining", None, "roads", "energy", None, "telecom"] * 3)
    raw = raw.astype(object)
    if dtype == "category-extra-levels":
        col = pd.Series(
            pd.Categorical(raw, categories=["zinc", *sorted(set(raw) - {None})])
        )
    elif dtype == "category":
        col = pd.Series(raw, dtype="category")
    else:
        col = pd.Series(raw, dtype=dtype)
    new = pd.DataFrame({"x": np.linspace(-2, 2, len(raw)), "sector": col})
    core = s.transform({"x": new["x"].to_numpy(), "sector": raw})
    np.testing.assert_array_equal(woe_frame(s, new).to_numpy(), core)
