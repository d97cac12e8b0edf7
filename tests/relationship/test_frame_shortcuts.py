"""The batch shortcuts of `relationship_frame` (#20) give what the plain code gives.

- `next_review` works each day of the dates' span out once and reads it back: the
  same days as the calendar arithmetic date by date (29 February, NaT, wide spans).
- `card_score` bins a text column per distinct value: the same score as
  `Scorecard.score`, the same error for an unseen level.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.relationship._assess import next_review
from lendcrm.relationship._card_score import card_score
from lendcrm.risk.scoring import (
    BinningConfig,
    build_scorecard,
    fit_binning_set,
    fit_logistic,
)


def _next_review_by_date(onboarded, as_of):
    # the calendar arithmetic date by date (the code before the table)
    d = onboarded.astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    offset = d - month.astype("datetime64[D]")
    years = as_of.astype("datetime64[Y]").astype(np.int64) - month.astype(
        "datetime64[Y]"
    ).astype(np.int64)
    this_year = (month + 12 * years).astype("datetime64[D]") + offset
    nxt = np.where(
        this_year < as_of,
        (month + 12 * (years + 1)).astype("datetime64[D]") + offset,
        this_year,
    )
    return (nxt - as_of).astype(np.int64).astype(np.float64)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.integers(-40_000, 40_000), max_size=40),
    st.integers(0, 20_000),
    st.booleans(),
)
def test_next_review_reads_the_same_days_from_its_table(days, today, with_nat):
    onboarded = np.array(days, dtype=np.int64).view("datetime64[D]")
    if with_nat:
        onboarded = np.append(onboarded, np.datetime64("NaT", "D"))
    as_of = np.datetime64(today, "D")
    want = _next_review_by_date(onboarded, as_of)
    np.testing.assert_array_equal(next_review(onboarded, as_of), want)


def test_next_review_of_29_february_is_1_march_in_other_years():
    onboarded = np.array(["2020-02-29", "2020-02-28", "2019-03-01"], "datetime64[D]")
    got = next_review(onboarded, np.datetime64("2025-01-01"))
    assert got.tolist() == [59.0, 58.0, 59.0]


def _card(unseen: str = "worst"):
    rng = np.random.default_rng(5)
    x = rng.normal(size=3_000)
    sector = rng.choice(["agri", "energy", "retail", "tech"], 3_000)
    y = (rng.random(3_000) < 1 / (1 + np.exp(2 + x + (sector == "tech")))).astype(int)
    bins = fit_binning_set(
        {"x": x, "sector": sector},
        y,
        categorical=["sector"],
        config=BinningConfig(min_bin_goods=1, unseen=unseen),
    )
    features = {"x": x, "sector": sector}
    return build_scorecard(
        bins, fit_logistic(bins.transform(features), y, names=list(bins.names))
    )


CARD = _card()
STRICT = _card("error")


@pytest.mark.parametrize(
    "dtype", ["category", "str", pd.StringDtype("python", na_value=np.nan), object]
)
def test_the_card_score_of_a_text_column_is_the_scorecard_s(dtype):
    sector = pd.Series(["tech", "agri", "retail", "tech", "energy"] * 20, dtype=dtype)
    x = pd.Series(np.linspace(-2, 2, 100))
    want = CARD.score({"x": x.to_numpy(), "sector": sector.to_numpy()})
    np.testing.assert_array_equal(card_score(CARD, {"x": x, "sector": sector}), want)
    with_missing = sector.copy()
    with_missing.iloc[3] = None
    want = CARD.score({"x": x.to_numpy(), "sector": with_missing.to_numpy()})
    got = card_score(CARD, {"x": x, "sector": with_missing})
    np.testing.assert_array_equal(got, want)


def test_an_unseen_level_is_binned_or_refused_at_its_row_as_before():
    sector = pd.Series(["tech", "agri", "mining", "tech"], dtype="str")
    x = pd.Series(np.zeros(4))
    want = CARD.score({"x": x.to_numpy(), "sector": sector.to_numpy()})
    np.testing.assert_array_equal(card_score(CARD, {"x": x, "sector": sector}), want)
    with pytest.raises(InvalidValueError) as refused:
        STRICT.score({"x": x.to_numpy(), "sector": sector.to_numpy()})
    with pytest.raises(InvalidValueError) as got:
        card_score(STRICT, {"x": x, "sector": sector})
    assert str(got.value) == str(refused.value)
    assert "sector[2]" in str(got.value)
