"""The fast paths of issue #20 give the same results as the plain ones.

Ranks by counting on the tenure scale and by the packed-key sort equal
``scipy.stats.rankdata``; ids read from Arrow buffers equal ``to_numpy(dtype=str)``;
the duplicate check made once by the frame reader still refuses duplicates.
"""

import datetime as dt
import importlib.util

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.stats import rankdata

from lendcrm.errors import BatchValidationError, InvalidValueError
from lendcrm.segmentation import ClientFeatures, WeightedValueScore
from lendcrm.segmentation._frame_input import arrow_ids
from lendcrm.segmentation._ids import first_duplicate, proven_unique
from lendcrm.segmentation._numeric import average_rank, sorted_order

AS_OF = dt.date(2026, 6, 30)
needs_arrow = pytest.mark.skipif(
    importlib.util.find_spec("pyarrow") is None, reason="pyarrow is not installed"
)


@given(arrays(np.float64, st.integers(1, 200), elements=st.integers(0, 900)))
def test_tenure_in_whole_days_ranks_by_counting_like_rankdata(days):
    tenure = days / 365.25
    assert average_rank(tenure).tolist() == rankdata(tenure).tolist()


@given(
    arrays(np.float64, st.integers(1, 200), elements=st.integers(0, 3)),
    st.sampled_from([1e-15, 1e-12, 1e-9, 1.0]),
)
def test_values_sharing_their_high_bits_still_rank_exactly(steps, eps):
    # 1 + k * eps differ only in the low mantissa bits the packed key drops
    x = 1.0 + steps * eps
    assert average_rank(x).tolist() == rankdata(x).tolist()
    order, ordered = sorted_order(x)
    assert (np.diff(ordered) >= 0).all()
    assert sorted(order.tolist()) == list(range(len(x)))


def test_packedsorted_orders_signs_and_zeros():
    x = np.array([3.0, -0.0, -2.5, 0.0, 1e-300, -1e300, 1e300, -1e-300])
    order, ordered = sorted_order(x)
    assert ordered.tolist() == sorted(x.tolist())
    assert x[order].tolist() == ordered.tolist()
    assert average_rank(x).tolist() == rankdata(x).tolist()


@needs_arrow
@pytest.mark.parametrize(
    "ids",
    [
        ["C-1", "C-22", "C-333"],
        ["x"],
        ["ab", "c" * 20, "d"],
        ["C0000001", "C0000002", "C0000003"],
    ],
)
def testarrow_ids_equal_numpy_conversion(ids):
    column = pd.Series(ids, dtype="string[pyarrow]")
    fast = arrow_ids(column)
    plain = column.to_numpy(dtype=np.str_)
    assert fast is not None
    assert fast.dtype == plain.dtype
    assert fast.tolist() == plain.tolist()
    if len(ids) == 1:
        return
    tail = column.iloc[1:]  # an Arrow slice has an offset
    sliced = arrow_ids(tail)
    assert sliced is not None
    assert sliced.tolist() == tail.to_numpy(dtype=np.str_).tolist()


@needs_arrow
@pytest.mark.parametrize(
    ("values", "dtype"),
    [
        (["é", "a"], "string[pyarrow]"),  # not ASCII
        (["", "a"], "string[pyarrow]"),  # empty id
        (["a\x00", "b"], "string[pyarrow]"),  # a NUL
        (["a", "b"], object),  # not Arrow
    ],
)
def test_arrow_ids_leave_other_columns_to_numpy(values, dtype):
    # the Series is built in the test: collection must not need pyarrow
    assert arrow_ids(pd.Series(values, dtype=dtype)) is None


def _frame(ids: list[str], dtype: str) -> pd.DataFrame:
    n = len(ids)
    return pd.DataFrame(
        {
            "client_id": pd.Series(ids, dtype=dtype),
            "revenue_to_bank": np.linspace(1.0, 50.0, n),
            "profit_to_bank": np.linspace(-5.0, 5.0, n)[::-1].copy(),
            "product_count": np.arange(n) % 4,
            "referral_count": np.arange(n) % 2,
            "onboarded_on": pd.to_datetime("2020-01-01")
            + pd.to_timedelta(np.arange(n) * 37, unit="D"),
        }
    )


@needs_arrow
@pytest.mark.parametrize("dtype", ["string[pyarrow]", "string[python]", "object"])
def test_features_and_tiers_do_not_depend_on_the_id_storage(dtype):
    ids = [f"C-{i}" for i in range(40)]
    reference = ClientFeatures.from_frame(_frame(ids, "object"), as_of=AS_OF)
    f = ClientFeatures.from_frame(_frame(ids, dtype), as_of=AS_OF)
    assert f.client_ids.dtype == reference.client_ids.dtype
    assert f.client_ids.tolist() == ids
    s, r = WeightedValueScore().assign(f), WeightedValueScore().assign(reference)
    assert s.score is not None
    assert r.score is not None
    assert s.score.tolist() == r.score.tolist()
    assert s.codes.tolist() == r.codes.tolist()


@needs_arrow
@pytest.mark.parametrize("dtype", ["string[pyarrow]", "object"])
def test_frame_reader_still_names_duplicate_rows(dtype):
    with pytest.raises(BatchValidationError, match="unique"):
        ClientFeatures.from_frame(_frame(["a", "b", "a"], dtype), as_of=AS_OF)


def test_proven_ids_skip_one_check_of_that_array_only():
    ids = np.array(["a", "b", "a"])
    proven_unique(np.array(["x", "y"]))  # another array: no effect on `ids`
    assert first_duplicate(ids) == 2
    proven_unique(ids)
    assert first_duplicate(ids) is None  # the token, once
    assert first_duplicate(ids) == 2
    with pytest.raises(InvalidValueError, match="unique client id"):
        ClientFeatures(
            client_ids=ids,
            revenue=[1.0, 2.0, 3.0],
            profit=[1.0, 1.0, 1.0],
            tenure_years=[1, 1, 1],
            product_count=[1, 1, 1],
            referral_count=[0, 0, 0],
        )


@given(st.lists(st.text(alphabet="ab01", max_size=4), max_size=30))
def test_first_duplicate_of_sorted_and_unsorted_ids_is_the_first_repeat(values):
    for ordered in (sorted(values), values):
        ids = np.array(ordered, dtype=np.str_) if ordered else np.array([], "<U1")
        seen: set[str] = set()
        expected = None
        for i, v in enumerate(ids.tolist()):
            if v in seen:
                expected = i
                break
            seen.add(v)
        assert first_duplicate(ids) == expected


def _rated(dtype: str) -> pd.DataFrame:
    frame = _frame([f"C-{i}" for i in range(6)], "object")
    frame["rating_grade"] = pd.Series(["A", "B", None, "A", "C", "B"], dtype=dtype)
    frame["currency"] = pd.Series(["EUR"] * 6, dtype=dtype)
    frame["last_transaction_on"] = pd.to_datetime(
        pd.Series(
            [
                "1969-12-31 12:00",
                None,
                "2026-06-30 23:59",
                "2001-01-01 00:00",
                None,
                "2026-01-01 00:00",
            ]
        )
    )
    return frame


@pytest.mark.parametrize("dtype", ["category", "object"])
def test_categorical_grades_currency_and_dates_read_like_plain_ones(dtype):
    scale = ("A", "B", "C")
    f = ClientFeatures.from_frame(_rated(dtype), as_of=AS_OF, rating_scale=scale)
    assert f.rating_grade is not None
    assert f.recency_days is not None
    assert f.rating_grade.tolist() == [1.0, 2.0, 0.0, 1.0, 3.0, 2.0]
    # the day of 1969-12-31 12:00 is 1969-12-31 (floored, like datetime64[D])
    expected_days = [20635.0, f.tenure_years[1] * 365.25, 0.0, 9311.0]
    assert f.recency_days.tolist()[:4] == pytest.approx(expected_days)


@pytest.mark.parametrize("dtype", ["category", "object"])
def test_categorical_grade_outside_the_scale_and_two_currencies_are_refused(dtype):
    with pytest.raises(BatchValidationError, match="a grade of rating_scale"):
        ClientFeatures.from_frame(_rated(dtype), as_of=AS_OF, rating_scale=("A", "B"))
    frame = _rated(dtype)
    frame["currency"] = pd.Series(["EUR", "USD"] * 3, dtype=dtype)
    with pytest.raises(InvalidValueError, match=r"\['EUR', 'USD'\]"):
        ClientFeatures.from_frame(frame, as_of=AS_OF, rating_scale=("A", "B", "C"))


def test_a_future_date_is_named_with_its_day():
    frame = _rated("object")
    with pytest.raises(BatchValidationError, match="got '2026-07-01'"):
        ClientFeatures.from_frame(
            frame.assign(last_transaction_on=pd.Timestamp("2026-07-01 00:00:01")),
            as_of=AS_OF,
            rating_scale=("A", "B", "C"),
        )
