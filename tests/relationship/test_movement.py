"""Rating and tier migration from histories: exact counts by hand, the cohort feed."""

import datetime as dt
import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.errors import (
    InvalidRowsError,
    InvalidValueError,
    SchemaError,
    UnknownReferenceError,
)
from lendcrm.relationship import RelationshipModels
from lendcrm.relationship.frames import rating_migration_counts, tier_migration
from lendcrm.risk.portfolio import cohort_matrix
from lendcrm.segmentation import ThresholdTiers

D = dt.date
GRADES = ("A", "BB", "B")


def _ratings(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "client_id": pd.Series([r[0] for r in rows], dtype="str"),
            "rated_on": pd.to_datetime([r[1] for r in rows]),
            "rating_grade": pd.Series([r[2] for r in rows], dtype="str"),
        }
    )


RATINGS = _ratings(
    [
        ("A", "2023-05-31", "A"),
        ("A", "2024-11-30", "BB"),  # in force at start
        ("A", "2025-06-30", "B"),  # in force at end
        ("B", "2024-12-31", "BB"),  # rated on the start date: counts
        ("C", "2024-06-30", "A"),  # unchanged
        ("D", "2025-03-31", "B"),  # first rated after start: left out
        ("E", "2024-01-31", "B"),
        ("E", "2026-01-31", "A"),  # after end: ignored
        ("F", "2024-12-31", "B"),
        ("F", "2025-12-31", "A"),  # rated on the end date: counts
    ]
)


def test_rating_migration_counts_by_hand():
    counts = rating_migration_counts(
        RATINGS, start=D(2024, 12, 31), end=D(2025, 12, 31), grades=GRADES
    )
    # A: BB->B, B: BB->BB, C: A->A, E: B->B, F: B->A; D is not rated at start
    assert counts.to_numpy().tolist() == [[1, 0, 0], [0, 1, 1], [1, 0, 1]]
    assert counts.index.name == "from"
    assert counts.columns.name == "to"
    assert counts.index.tolist() == list(GRADES)
    assert counts.to_numpy().dtype == np.int64


def test_rating_migration_counts_ignore_row_order_and_read_categorical_ids():
    expected = rating_migration_counts(
        RATINGS, start=D(2024, 12, 31), end=D(2025, 12, 31), grades=GRADES
    )
    shuffled = RATINGS.sample(frac=1.0, random_state=3)
    shuffled["client_id"] = shuffled["client_id"].astype("category")
    got = rating_migration_counts(
        shuffled, start=D(2024, 12, 31), end=D(2025, 12, 31), grades=GRADES
    )
    pd.testing.assert_frame_equal(got, expected)


def test_the_default_scale_is_the_default_master_scale():
    ratings = _ratings([("A", "2024-01-31", "3"), ("A", "2025-01-31", "5")])
    counts = rating_migration_counts(ratings, start=D(2024, 6, 30), end=D(2025, 6, 30))
    assert counts.shape == (10, 10)
    assert counts.loc["3", "5"] == 1
    assert counts.to_numpy().sum() == 1


def _panel(ratings: pd.DataFrame, dates: list[dt.date]) -> pd.DataFrame:
    """The grade in force at each date, one row per client and date (the how-to)."""
    parts = []
    for day in dates:
        known = ratings[ratings["rated_on"] <= pd.Timestamp(day)]
        last = known.sort_values("rated_on").groupby("client_id").tail(1)
        parts.append(last.assign(on=pd.Timestamp(day)))
    return pd.concat(parts).sort_values(["client_id", "on"])


def test_the_panel_of_grades_in_force_feeds_the_cohort_estimator():
    dates = [D(2024, 1, 1), D(2025, 1, 1), D(2026, 1, 1)]
    panel = _panel(RATINGS, dates)
    est = cohort_matrix(
        panel["client_id"].to_numpy(dtype=str),
        panel["on"].to_numpy(),
        panel["rating_grade"].to_numpy(dtype=str),
        scale=(*GRADES, "D"),
        default_grade="D",
        horizon=1.0,
    )
    pairs = [
        rating_migration_counts(RATINGS, start=a, end=b, grades=GRADES).to_numpy()
        for a, b in itertools.pairwise(dates)
    ]
    assert est.counts[:3, :3].tolist() == (pairs[0] + pairs[1]).tolist()


@settings(max_examples=40)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", "d"]),
            st.dates(D(2022, 1, 1), D(2026, 12, 31)),
            st.sampled_from(GRADES),
        ),
        max_size=20,
        unique_by=lambda r: (r[0], r[1]),
    )
)
def test_counts_are_the_clients_rated_at_both_dates(rows):
    ratings = _ratings([(c, d.isoformat(), g) for c, d, g in rows])
    start, end = D(2024, 6, 30), D(2025, 6, 30)
    counts = rating_migration_counts(ratings, start=start, end=end, grades=GRADES)
    both = {c for c, d, _ in rows if d <= start}
    assert counts.to_numpy().sum() == len(both)
    for c in both:
        mine = sorted((d, g) for cc, d, g in rows if cc == c)
        before = [g for d, g in mine if d <= start][-1]
        after = [g for d, g in mine if d <= end][-1]
        assert counts.loc[before, after] >= 1


def test_bad_migration_input_is_refused():
    with pytest.raises(InvalidValueError, match=r"`end` must be a date after start"):
        rating_migration_counts(RATINGS, start=D(2025, 1, 1), end=D(2025, 1, 1))
    with pytest.raises(
        InvalidRowsError, match=r"`ratings\[0\]\.rating_grade` must be a grade"
    ):
        rating_migration_counts(RATINGS, start=D(2024, 1, 1), end=D(2025, 1, 1))
    twice = pd.concat([RATINGS, RATINGS.iloc[[0]]], ignore_index=True)
    with pytest.raises(
        InvalidRowsError,
        match=r"`ratings\[10\]\.rated_on` must be a date not already recorded "
        r"for client 'A'",
    ):
        rating_migration_counts(
            twice, start=D(2024, 1, 1), end=D(2025, 1, 1), grades=GRADES
        )


# --- tiers ------------------------------------------------------------------------------

TIERS = ThresholdTiers(cutoffs=(800.0, 600.0, 300.0))


def _clients() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "client_id": pd.Series(["A", "B", "C", "N", "U"], dtype="str"),
            "currency": pd.Series(["EUR", "EUR", "USD", "EUR", "EUR"], dtype="str"),
            "onboarded_on": pd.to_datetime(
                ["2015-01-01", "2018-06-30", "2019-01-01", "2025-03-01", "2010-01-01"]
            ),
        }
    )


def _measures() -> pd.DataFrame:
    rows = [
        ("A", "2024-12-31", 900.0),  # diamond -> silver
        ("A", "2025-12-31", 400.0),
        ("B", "2024-06-30", 50.0),  # basic (its latest period by the start) -> gold
        ("B", "2025-12-31", 700.0),
        ("C", "2024-12-31", 1000.0),  # 1000 USD = 500 EUR: silver -> silver
        ("C", "2025-12-31", 1000.0),
        ("N", "2025-12-31", 850.0),  # onboarded after start: after_only
    ]
    return pd.DataFrame(
        {
            "client_id": pd.Series([r[0] for r in rows], dtype="str"),
            "measured_on": pd.to_datetime([r[1] for r in rows]),
            "revenue_to_bank": [r[2] for r in rows],
            "profit_to_bank": [0.0] * len(rows),
            "product_count": [1] * len(rows),
            "referral_count": [0] * len(rows),
        }
    )


def test_tier_migration_by_hand():
    m = tier_migration(
        _clients(),
        _measures(),
        strategy=TIERS,
        start=D(2024, 12, 31),
        end=D(2025, 12, 31),
        models=RelationshipModels(fx_rates={"USD": 0.5}),
    )
    assert m.levels == ("diamond", "gold", "silver", "basic")
    assert m.counts.tolist() == [
        [0, 0, 1, 0],  # A
        [0, 0, 0, 0],
        [0, 0, 1, 0],  # C
        [0, 1, 0, 0],  # B
    ]
    assert (m.before_only, m.after_only) == (0, 1)  # N; U is never measured
    assert (m.upgraded, m.downgraded, m.stayed) == (1, 1, 1)


def test_tier_migration_refuses_bad_input():
    with pytest.raises(InvalidValueError, match=r"fx_rates\['USD'\]"):
        tier_migration(
            _clients(),
            _measures(),
            strategy=TIERS,
            start=D(2024, 12, 31),
            end=D(2025, 12, 31),
        )
    unknown = _measures()
    unknown.loc[0, "client_id"] = "Z"
    with pytest.raises(UnknownReferenceError, match=r"`measures\[0\]\.client_id`"):
        tier_migration(
            _clients(),
            unknown,
            strategy=TIERS,
            start=D(2024, 12, 31),
            end=D(2025, 12, 31),
            models=RelationshipModels(fx_rates={"USD": 0.5}),
        )
    with pytest.raises(SchemaError, match="profit_to_bank"):
        tier_migration(
            _clients(),
            _measures().drop(columns=["profit_to_bank"]),
            strategy=TIERS,
            start=D(2024, 12, 31),
            end=D(2025, 12, 31),
        )
    with pytest.raises(InvalidValueError, match=r"`end` must be a date after start"):
        tier_migration(
            _clients(),
            _measures(),
            strategy=TIERS,
            start=D(2025, 12, 31),
            end=D(2024, 12, 31),
        )
