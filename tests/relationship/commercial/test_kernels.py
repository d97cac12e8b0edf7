"""The batch kernels against plain Python loops (hypothesis), and the package's layer.

`lendcrm.relationship.commercial` may import the core, lifecycle, segmentation and the
risk front doors, but not the `lendcrm.relationship` root or its private modules (the
root composes the commercial area, never the other way round).
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.relationship.commercial._pipeline_forecast import (
    close_date_slippage_codes,
    cycle_time_codes,
    grouped_forecast,
    month_codes,
)
from tests.test_layers import EDGES

deals = st.lists(
    st.tuples(st.integers(0, 4), st.floats(1, 1e9), st.floats(0, 1)), max_size=60
)


@given(deals)
def test_grouped_forecast_equals_a_loop(rows):
    group = np.array([g for g, _, _ in rows], dtype=np.int64)
    amount = np.array([a for _, a, _ in rows])
    p = np.array([q for _, _, q in rows])
    t = grouped_forecast(amount, p, group, 5)
    loop: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for g, a, q in rows:
        loop[g][0] += a
        loop[g][1] += a * q
        loop[g][2] += 1
    for g in range(5):
        assert np.isclose(t.pipeline[g], loop[g][0], rtol=1e-12)
        assert np.isclose(t.weighted[g], loop[g][1], rtol=1e-12)
        assert t.deals[g] == loop[g][2]
    assert np.all(t.weighted <= t.pipeline * (1 + 1e-12))


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 400)), max_size=40))
def test_cycle_time_median_equals_numpy_per_group(rows):
    group = np.array([g for g, _ in rows], dtype=np.int64)
    days = np.array([d for _, d in rows], dtype=np.float64)
    n, mean, median = cycle_time_codes(group, days, 4)
    for g in range(4):
        mine = days[group == g]
        assert n[g] == mine.size
        if mine.size:
            assert mean[g] == np.mean(mine)
            assert median[g] == np.median(mine)
        else:
            assert np.isnan(median[g])


@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 1000), st.integers(0, 2000)),
        max_size=40,
        unique_by=lambda r: (r[0], r[1]),
    )
)
def test_slippage_equals_a_loop_over_each_deals_snapshots(rows):
    deal = np.array([d for d, _, _ in rows], dtype=np.int64)
    taken = np.array([t for _, t, _ in rows], dtype=np.int64)
    expected = np.array([e for _, _, e in rows], dtype=np.int64)
    out = close_date_slippage_codes(deal, taken, expected, 3)
    for d in range(3):
        mine = sorted((t, e) for dd, t, e in rows if dd == d)
        assert out.snapshots[d] == len(mine)
        if mine:
            dates = [e for _, e in mine]
            assert out.slip_days[d] == dates[-1] - dates[0]
            assert out.pushes[d] == sum(b > a for a, b in pairwise(dates))


@given(st.lists(st.integers(-20_000, 40_000), min_size=1, max_size=30))
def test_month_codes_equal_numpys_calendar(days):
    arr = np.array(days, dtype=np.int64)
    codes, first = month_codes(arr)
    months = arr.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    assert (codes + first == months).all()


def test_the_commercial_area_does_not_import_the_relationship_root():
    found = [
        f"{module} imports {target}"
        for module, edges in EDGES.items()
        if module.startswith("lendcrm.relationship.commercial")
        for target, _name, _line in edges
        if target == "lendcrm.relationship"
        or (
            target.startswith("lendcrm.relationship.")
            and not target.startswith("lendcrm.relationship.commercial")
        )
    ]
    assert found == []
