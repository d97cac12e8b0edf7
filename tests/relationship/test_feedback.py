"""NPS and satisfaction trends: hand-computed values and their batch/one-group equality."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.relationship import (
    net_promoter_score,
    nps_by_group,
    satisfaction_trend,
)
from lendcrm.relationship._feedback import grouped_trend


def test_nps_hand_computed():
    # 3 promoters (9, 10, 10), 2 passives, 1 detractor (6) of 6: 100 * (3 - 1) / 6
    assert net_promoter_score([9, 10, 10, 7, 8, 6]) == pytest.approx(100 * 2 / 6)
    assert net_promoter_score([0, 1, 2]) == -100.0
    assert net_promoter_score([9, 10]) == 100.0


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ([], r"`scores` must be at least one score"),
        ([11], r"`scores\[0\]` must be a finite number in \[0, 10\]"),
        ([7, 7.5], r"`scores\[1\]` must be a whole number in \[0, 10\]"),
        ([float("nan")], r"`scores\[0\]` must be a finite number"),
    ],
)
def test_nps_bad_scores(scores, message):
    with pytest.raises(InvalidValueError, match=message):
        net_promoter_score(scores)


@given(st.lists(st.tuples(st.integers(0, 10), st.sampled_from("abc")), min_size=1))
def test_nps_by_group_equals_one_group(rows):
    scores = [s for s, _ in rows]
    groups = [g for _, g in rows]
    table = nps_by_group(scores, groups)
    for label, nps, count in zip(table.groups, table.nps, table.count, strict=True):
        own = [s for s, g in rows if g == label]
        assert count == len(own)
        assert nps == pytest.approx(net_promoter_score(own))
        assert -100 <= nps <= 100


def test_nps_by_group_length_mismatch():
    with pytest.raises(InvalidValueError, match="`groups` must be the same length"):
        nps_by_group([9, 9], ["a"])


def test_trend_hand_computed():
    # scores 9, 7, 5 one year apart (365 days; years of 365.25 days): slope
    # = -2 / (365 / 365.25) points a year
    t = satisfaction_trend(
        ["A", "A", "A"],
        [dt.date(2023, 1, 1), dt.date(2024, 1, 1), dt.date(2024, 12, 31)],
        [9, 7, 5],
    )
    assert t.slope[0] == pytest.approx(-2 * 365.25 / 365, rel=1e-3)
    assert t.last_score.tolist() == [5.0]
    assert t.count.tolist() == [3]
    assert t.nps.tolist() == pytest.approx([100 * (1 - 1) / 3])


def test_trend_is_nan_with_one_date():
    t = satisfaction_trend(["A", "A"], [dt.date(2024, 1, 1)] * 2, [9, 3])
    assert np.isnan(t.slope[0])
    assert t.last_score.tolist() == [3.0]  # last given on that date, input order


def test_trend_missing_date_is_refused():
    with pytest.raises(InvalidValueError, match=r"`dates\[1\]` must be a date"):
        satisfaction_trend(
            ["A", "A"], np.array(["2024-01-01", "NaT"], dtype="datetime64[D]"), [1, 2]
        )


@given(
    st.lists(
        st.tuples(st.sampled_from("ABC"), st.integers(0, 3000), st.integers(0, 10)),
        min_size=1,
        max_size=30,
    )
)
def test_trend_equals_per_client_polyfit(rows):
    ids = [r[0] for r in rows]
    days = np.array([r[1] for r in rows], dtype="timedelta64[D]") + np.datetime64(
        "2015-01-01"
    )
    scores = [r[2] for r in rows]
    t = satisfaction_trend(ids, days, scores)
    for cid, slope, last in zip(t.client_ids, t.slope, t.last_score, strict=True):
        own = [(r[1], r[2], i) for i, r in enumerate(rows) if r[0] == cid]
        x = np.array([o[0] for o in own], dtype=float) / 365.25
        y = np.array([o[1] for o in own], dtype=float)
        if len(set(x)) < 2:
            assert np.isnan(slope)
        else:
            assert slope == pytest.approx(np.polyfit(x, y, 1)[0], abs=1e-6)
        assert last == max(own, key=lambda o: (o[0], o[2]))[1]  # date, then position


def test_feedback_by_label_equals_nps_of_each_group():
    import pandas as pd

    from lendcrm.errors import UnknownReferenceError
    from lendcrm.relationship.frames import feedback_by

    fb = pd.DataFrame(
        {"client_id": ["A", "B", "A", "C", "B"], "score": [9, 2, 10, 7, 8]}
    )
    tier = pd.Series(["gold", "basic", "gold"], index=["A", "B", "C"])
    table = feedback_by(fb, tier)
    assert table.index.tolist() == ["basic", "gold"]
    # basic: B's 2 and 8 -> one detractor of two; gold: A's 9, 10 and C's 7
    assert table.loc["basic", "nps"] == net_promoter_score([2, 8]) == -50.0
    assert table.loc["gold", "nps"] == round(net_promoter_score([9, 10, 7]), 1)
    assert table["scores"].tolist() == [2, 3]
    with pytest.raises(UnknownReferenceError, match="No client with id 'D'"):
        feedback_by(pd.DataFrame({"client_id": ["D"], "score": [5]}), tier)


def _last_by_sort(codes, k, days, scores):
    """The latest score per group the way a stable sort by (group, day) finds it."""
    last = np.full(k, np.nan)
    order = np.lexsort((days, codes))
    ends = np.flatnonzero(np.r_[codes[order][1:] != codes[order][:-1], True])
    last[codes[order][ends]] = scores[order][ends]
    return last


@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(19_000, 19_010), st.integers(0, 10)),
        min_size=1,
        max_size=40,
    ),
    st.booleans(),
)
def test_grouped_trend_last_score_equals_the_sorted_reading(rows, presorted):
    # #20: the latest score is read without sorting; ties on a day keep the last
    # record, records in (group, day) order are read from the group ends
    if presorted:
        rows = sorted(rows, key=lambda r: (r[0], r[1]))
    codes = np.array([r[0] for r in rows], dtype=np.int64)
    days = np.array([r[1] for r in rows], dtype=np.int64)
    scores = np.array([r[2] for r in rows], dtype=np.float64)
    _, _, last, _ = grouped_trend(codes, 7, days, scores)
    np.testing.assert_array_equal(last, _last_by_sort(codes, 7, days, scores))
