"""Quarantine keeps the accepted rows without copying columns of one value (#16).

`kept_rows` must equal ``frame[~rejected]`` exactly (values bit for bit, dtypes,
index, column labels) whatever the columns hold: one value, one value but for a
NaN or a -0.0, all missing, Arrow or Python text, objects, categoricals.
"""

import importlib.util
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.frames.mapping._keep import kept_rows

HAS_ARROW = importlib.util.find_spec("pyarrow") is not None


def _column(kind, n, odd):
    """A column of one value, with the value at ``odd`` changed when ``odd`` is set."""
    base: Any = {
        "float": np.full(n, 1.5),
        "nan": np.full(n, np.nan),
        "zero": np.zeros(n),
        "int": np.full(n, 7, dtype=np.int64),
        "int8": np.full(n, 7, dtype=np.int8),
        "bool": np.full(n, True),
        "date": np.full(n, np.datetime64("2020-01-01", "ns")),
        "nat": np.full(n, np.datetime64("NaT", "ns")),
        "object": np.array(["EUR"] * n, dtype=object),
        "str": pd.array(["EUR"] * n, dtype="str"),
        "string": pd.array(["EUR"] * n, dtype="string"),
        "null_str": pd.array([None] * n, dtype="str"),
        "category": pd.Categorical(["a"] * n),
    }[kind]
    values = base.copy()
    if odd is not None:
        other = {
            "float": np.nan, "nan": 1.0, "zero": -0.0, "int": 8, "int8": -1,
            "bool": False, "date": np.datetime64("NaT", "ns"),
            "nat": np.datetime64("2020-01-01", "ns"), "object": None,
            "str": None, "string": "EURO", "null_str": "x", "category": np.nan,
        }[kind]  # fmt: skip
        values[odd] = other
    return values


KINDS = ["float", "nan", "zero", "int", "int8", "bool", "date", "nat", "object",
         "category", *(["str", "string", "null_str"] if HAS_ARROW else [])]  # fmt: skip


def _same(kept, plain):
    pd.testing.assert_frame_equal(kept, plain, check_exact=True)
    for name in plain.columns:  # bit for bit: -0.0 is not 0.0, NaN payloads
        left, right = kept[name].to_numpy(), plain[name].to_numpy()
        if left.dtype.kind in "fmM":
            assert left.view(np.uint8).tobytes() == right.view(np.uint8).tobytes()


@given(
    st.lists(st.sampled_from(KINDS), min_size=1, max_size=6),
    st.integers(1, 12),
    st.data(),
)
def test_kept_rows_are_the_plain_selection(kinds, n, data):
    columns = {}
    for k, kind in enumerate(kinds):
        odd = data.draw(st.one_of(st.none(), st.integers(0, n - 1)))
        columns[f"c{k}"] = _column(kind, n, odd)
    index = data.draw(st.sampled_from([None, "labels", "range"]))
    # each column keeps its dtype (an object column of text is not made `str`)
    frame = pd.DataFrame({k: pd.Series(v, dtype=v.dtype) for k, v in columns.items()})
    assert [str(t) for t in frame.dtypes] == [str(v.dtype) for v in columns.values()]
    if index == "labels":
        frame.index = [f"r{i}" for i in range(n)]
    elif index == "range":
        frame.index = pd.RangeIndex(10, 10 + 2 * n, 2)
    rejected = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    _same(kept_rows(frame, rejected), frame[~rejected])


def test_nothing_rejected_is_the_frame_itself():
    frame = pd.DataFrame({"a": [1.0, 2.0]})
    assert kept_rows(frame, np.zeros(2, np.bool_)) is frame


@pytest.mark.parametrize("kind", KINDS)
def test_every_row_rejected_and_one_kept(kind):
    values = _column(kind, 4, None)
    frame = pd.DataFrame(
        {"c": pd.Series(values, dtype=values.dtype, index=list("abcd"))}
    )
    assert frame["c"].dtype == values.dtype
    for rejected in ([True] * 4, [True, False, True, True], [False, True, True, False]):
        mask = np.array(rejected)
        _same(kept_rows(frame, mask), frame[~mask])


def test_labels_and_attrs_are_kept():
    frame = pd.DataFrame([[1.0, 2.0, 3.0]] * 3, columns=[2, "b", ("t", 1)])
    mask = np.array([False, True, False])
    _same(kept_rows(frame, mask), frame[~mask])
    frame.attrs["source"] = "core"
    assert kept_rows(frame, mask).attrs == {"source": "core"}


def test_one_value_columns_are_views():
    frame = pd.DataFrame({"a": np.full(5, 2.0), "b": np.arange(5.0)})
    kept = kept_rows(frame, np.array([False, False, True, False, False]))
    assert np.shares_memory(kept["a"].to_numpy(), frame["a"].to_numpy())
    assert kept["b"].tolist() == [0.0, 1.0, 3.0, 4.0]


def test_writes_after_keeping_do_not_cross():
    # a column kept by a slice shares the input's rows: copy-on-write must know it
    frame = pd.DataFrame({"a": np.full(5, 2.0), "b": np.arange(5.0)})
    kept = kept_rows(frame, np.array([False, False, True, False, False]))
    frame.loc[0, "a"] = 9.0
    assert kept["a"].tolist() == [2.0] * 4
    kept.loc[kept.index[1], "a"] = 7.0
    assert kept["a"].tolist() == [2.0, 7.0, 2.0, 2.0]
    assert frame["a"].tolist() == [9.0, 2.0, 2.0, 2.0, 2.0]


@pytest.mark.parametrize("nullable", [False, True])
@pytest.mark.parametrize(
    ("kind", "values"),
    [
        ("date", np.array(["2020-01-01", "NaT", "2021-01-01"], dtype="datetime64[ns]")),
        ("date", np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[s]")),
        ("bool", np.array([True, False])),
        ("str", np.array(["a", None, "b"], dtype=object)),
        ("str", np.array(["a", "b"], dtype=object)),
    ],
)
def test_row_rules_of_present_only_columns_are_the_plain_mask(kind, nullable, values):
    # a column whose only rule is "present": no mask when it may miss nothing or
    # may miss anything; otherwise the rows missing a value, as before
    from lendcrm.frames import ColumnSpec
    from lendcrm.frames.mapping._rules import spec_rules

    frame = pd.DataFrame({"c": pd.Series(values, dtype=values.dtype)})
    spec = ColumnSpec(name="c", kind=kind, nullable=nullable)
    rules = spec_rules(frame, [spec], "t")
    missing = frame["c"].isna().to_numpy()
    if nullable or not missing.any():
        assert rules == []
    else:
        assert len(rules) == 1
        assert rules[0].expected == "present (not missing)"
        assert rules[0].mask.tolist() == missing.tolist()
