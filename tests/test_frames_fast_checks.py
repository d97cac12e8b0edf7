"""The fast paths of frame validation (issue #20) decide exactly like the full checks.

Each fast path only ever skips a rule that holds; when a rule fails, the full check
runs and names the rows, so the errors are the ones the plain code gives. Pinned
here against a plain recomputation of the same rule.
"""

import importlib.util

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import BatchValidationError
from lendcrm.frames import ColumnSpec, check_frame
from lendcrm.frames._text_keys import _numbered, _packed_words, proven_unique_text
from lendcrm.frames._utf8 import fixed_width_within, utf8_of

needs_arrow = pytest.mark.skipif(
    importlib.util.find_spec("pyarrow") is None, reason="pyarrow is not installed"
)

text = st.text(
    alphabet=st.sampled_from(["a", "b", "C", "0", "1", "é", "-", "\x00"]), max_size=19
)


@needs_arrow
@given(st.lists(text, min_size=0, max_size=40), st.booleans())
def test_proven_unique_text_never_claims_a_repeat_is_unique(values, ordered):
    if ordered:
        values = sorted(set(values))
    column = pd.Series(values, dtype="string[pyarrow]")
    if proven_unique_text(column):
        assert len(set(values)) == len(values)
    if len(values) > 1:
        tail = column.iloc[1:]  # an Arrow slice: offsets into a shared buffer
        if proven_unique_text(tail):
            assert len(set(values[1:])) == len(values) - 1


@needs_arrow
@pytest.mark.parametrize(
    "ids",
    [
        [f"C{i:07d}" for i in range(50)],  # one width, in order
        [f"C{i}" for i in range(50)],  # widths 2 and 3, not in order
        [f"CUSTOMER-{i:06d}" for i in range(50)][::-1],  # two words, reversed
        ["b", "a", "ab", "ba", ""],
        ["a", "a\x00"],  # pad alike, told apart by their lengths (shortest first)
        [f"C{i}" for i in range(1, 30)],  # numbered: shortest first, then as strings
    ],
)
def test_proven_unique_text_shows_distinct_ids(ids):
    assert proven_unique_text(pd.Series(ids, dtype="string[pyarrow]"))


@pytest.mark.parametrize(
    ("values", "dtype"),
    [
        (["C1", "C2", "C1"], "string[pyarrow]"),
        (["a", None], "string[pyarrow]"),
        (["a", "a", "b"], "string[python]"),
        (["a", "a\x00"], "string[python]"),  # a NUL in an id: not read
        (["a", np.nan], object),
        (["a", 1], object),
        (["a", "\ud800"], object),  # a lone surrogate has no UTF-8: not read
        ([1.0, 2.0], "float64"),
    ],
)
def test_proven_unique_text_leaves_the_rest_to_the_exact_check(values, dtype):
    # the Series is built in the test: collection must not need pyarrow
    if "pyarrow" in str(dtype) and importlib.util.find_spec("pyarrow") is None:
        pytest.skip("pyarrow is not installed")
    assert not proven_unique_text(pd.Series(values, dtype=dtype))


@given(
    st.lists(st.one_of(text, st.text(max_size=3)), min_size=0, max_size=40),
    st.sampled_from(["string[python]", "str", object]),
)
def test_python_strings_are_shown_distinct_exactly_when_they_are(values, dtype):
    # Python strings are read from one NUL-joined encoding (no NUL in the values:
    # otherwise they are left to the exact check, as a value holding NUL cannot be
    # told from the separator)
    column = pd.Series(values, dtype=dtype)
    distinct = len(set(values)) == len(values)
    if proven_unique_text(column):
        assert distinct
    elif distinct and not any("\x00" in v for v in values):
        # no false alarm beyond a hash collision, which these few values never meet
        assert len({v.encode("utf-8", "surrogatepass") for v in values}) < len(values)


def _shortlex(value):
    return len(value.encode("utf-8")), value.encode("utf-8")


@given(
    st.lists(text, min_size=2, max_size=40),
    st.sampled_from(["string[pyarrow]", "large_string", "string[python]", object]),
    st.booleans(),
    st.integers(0, 3),
)
def test_ids_in_number_order_are_shown_distinct_exactly_when_they_are(
    values, dtype, ordered, cut
):
    # _numbered reads each length's values through a strided view: it may show the
    # values distinct only when they are, and does whenever they are in shortlex
    # order (shortest first, then as bytes), at most eight bytes and readable
    if "string" in str(dtype) and dtype != "string[python]":
        pa = pytest.importorskip("pyarrow")
        if dtype == "large_string":
            dtype = pd.ArrowDtype(pa.large_string())
    if ordered:
        values = sorted(set(values), key=_shortlex)
    column = pd.Series(values, dtype=dtype).iloc[cut:]
    values = values[cut:]
    utf8 = utf8_of(column)
    if utf8 is None or len(values) < 2:  # a NUL in a Python string: not read
        return
    shown = _numbered(utf8)
    if shown:
        assert len(set(values)) == len(values)
    if ordered and max(len(v.encode("utf-8")) for v in values) <= 8:
        assert shown
        assert proven_unique_text(column)


@pytest.mark.parametrize("dtype", ["string[python]", object])
def test_proven_unique_text_shows_distinct_python_strings(dtype):
    ids = [f"C{i}" for i in range(50)] + ["é", "Ü-1", ""]
    assert proven_unique_text(pd.Series(ids, dtype=dtype))


def _errors(frame, specs, unique=()):
    try:
        check_frame(frame, specs, frame_name="t", unique=unique)
    except BatchValidationError as exc:
        return [str(e) for e in exc.exceptions]
    return []


@pytest.mark.parametrize("dtype", ["string[pyarrow]", "string[python]", object])
def test_repeated_ids_are_named_in_every_storage(dtype):
    if "pyarrow" in str(dtype) and importlib.util.find_spec("pyarrow") is None:
        pytest.skip("pyarrow is not installed")
    frame = pd.DataFrame({"id": pd.Series(["x", "y", "x", "y"], dtype=dtype)})
    (message,) = _errors(frame, [ColumnSpec(name="id", kind="str")], unique=["id"])
    assert "`t[2].id` must be unique (no duplicate ids); got 'x'" in message
    assert "2 rows fail this rule: 2, 3" in message


NUMBERS = st.lists(
    st.one_of(
        st.integers(-3, 3).map(float),
        st.sampled_from([0.5, -0.5, np.nan, np.inf, -np.inf, 1e300]),
    ),
    min_size=1,
    max_size=12,
)


def _plain_number_errors(values, spec):
    """The rule of one number column, computed the plain way (the reference)."""
    v = np.asarray(values, dtype=np.float64)
    null = np.isnan(v)
    out = []
    if not spec.nullable and null.any():
        out.append("present")
    bad = ~null & ~np.isfinite(v)
    if spec.lower is not None:
        bad |= ~null & (v < spec.lower)
    if spec.upper is not None:
        bad |= ~null & (v > spec.upper)
    if spec.kind == "int":
        bad |= ~null & np.isfinite(v) & (v != np.round(v))
    if bad.any():
        out.append("range")
    return out


@given(
    NUMBERS,
    st.sampled_from(["float", "int"]),
    st.booleans(),
    st.sampled_from([None, 0.0]),
    st.sampled_from([None, 2.0]),
)
def test_number_rules_fail_exactly_when_the_plain_rule_fails(
    values, kind, nullable, lower, upper
):
    spec = ColumnSpec(name="x", kind=kind, nullable=nullable, lower=lower, upper=upper)
    frame = pd.DataFrame({"x": np.asarray(values, dtype=np.float64)})
    assert len(_errors(frame, [spec])) == len(_plain_number_errors(values, spec))


@given(st.lists(st.integers(-5, 5), min_size=1, max_size=12))
def test_integer_columns_check_only_their_bounds(values):
    spec = ColumnSpec(name="n", kind="int", lower=0.0, upper=3.0)
    frame = pd.DataFrame({"n": np.asarray(values, dtype=np.int64)})
    bad = [v for v in values if not 0 <= v <= 3]
    errors = _errors(frame, [spec])
    assert len(errors) == (1 if bad else 0)
    if bad:
        assert f"got {bad[0]}" in errors[0]


@pytest.mark.parametrize(
    ("values", "dtype", "failures"),
    [
        (["EUR", "USD"], "category", 0),
        (["EUR", "XXX"], "category", 1),
        (["EUR", None], "category", 1),
        (["EUR", "USD"], "string[pyarrow]", 0),
        (["EUR", "XXX"], "string[pyarrow]", 1),
        (["EUR", None], "string[pyarrow]", 1),
        (["EUR", "XXX", None], object, 2),
    ],
)
def test_category_columns_fail_exactly_when_a_value_is_not_allowed(
    values, dtype, failures
):
    if "pyarrow" in str(dtype) and importlib.util.find_spec("pyarrow") is None:
        pytest.skip("pyarrow is not installed")
    spec = ColumnSpec(name="c", kind="category", allowed=frozenset({"EUR", "USD"}))
    frame = pd.DataFrame({"c": pd.Series(values, dtype=dtype)})
    assert len(_errors(frame, [spec])) == failures


def test_unused_categories_that_are_not_allowed_do_not_fail():
    spec = ColumnSpec(name="c", kind="category", allowed=frozenset({"EUR", "USD"}))
    column = pd.Categorical(["EUR", "USD"], categories=["EUR", "USD", "XXX"])
    assert _errors(pd.DataFrame({"c": column}), [spec]) == []


CODES = st.text(alphabet=st.sampled_from(["A", "B", "Z", "é", "\x00", " "]), max_size=5)


@needs_arrow
@given(
    st.lists(CODES, min_size=1, max_size=20),
    st.frozensets(CODES, max_size=6),
    st.sampled_from(["string[pyarrow]", "string[python]", object]),
    st.integers(0, 3),
)
def test_codes_read_as_integers_are_allowed_exactly_when_they_are(
    values, allowed, dtype, cut
):
    # fixed_width_within reads codes of one width (up to four bytes) as integers;
    # the check must fail exactly when a value is outside the allowed set, and the
    # failure must name the first row outside it, whatever the storage and offset
    values = values + ["ABC"] * 3  # widths mixed or not
    column = pd.Series(values, dtype=dtype).iloc[cut:]
    utf8 = utf8_of(pd.Series(values[cut:], dtype="string[pyarrow]"))
    within = None if utf8 is None else fixed_width_within(utf8, allowed)
    inside = all(v in allowed for v in values[cut:])
    assert within is None or within == inside
    shown = allowed or frozenset({"X"})
    spec = ColumnSpec(name="c", kind="category", allowed=shown)
    errors = _errors(pd.DataFrame({"c": column}), [spec])
    bad = [v for v in values[cut:] if v not in shown]
    assert len(errors) == (1 if bad else 0)
    if bad:
        assert f"got {bad[0]!r}" in errors[0]


@needs_arrow
def _bytes_of(column):
    utf8 = utf8_of(column)
    assert utf8 is not None
    return utf8


@needs_arrow
def test_codes_of_one_width_are_read_as_integers():
    allowed = ["EUR", "USD", "GBP", "CHF"]
    codes = pd.Series(["EUR", "GBP", "CHF"] * 5, dtype="string[pyarrow]")
    assert fixed_width_within(_bytes_of(codes), allowed) is True
    assert fixed_width_within(_bytes_of(codes), ["EUR", "CHF"]) is False
    assert fixed_width_within(_bytes_of(codes), ["EURO"]) is False
    mixed = pd.Series(["EUR", "EURO"], dtype="string[pyarrow]")
    assert fixed_width_within(_bytes_of(mixed), allowed) is None
    sliced = pd.Series(["XXXX", "EUR", "USD"], dtype="string[pyarrow]").iloc[1:]
    assert fixed_width_within(_bytes_of(sliced), allowed) is True


@needs_arrow
@pytest.mark.parametrize("width", [1, 2, 3, 4])
@pytest.mark.parametrize("where", [None, 0, 40_000, 69_998, 69_999])
def test_codes_are_read_in_blocks_to_the_last_one(width, where):
    # more values than one block of the lookup; three-byte codes read the last value
    # apart (its four-byte window would run past the bytes)
    good = ["A" * width, "B" * width]
    values = [good[i % 2] for i in range(70_000)]
    if where is not None:
        values[where] = "C" * width
    codes = pd.Series(values, dtype="string[pyarrow]")
    assert fixed_width_within(_bytes_of(codes), good) is (where is None)
    assert fixed_width_within(_bytes_of(codes.iloc[1:]), good) is (where in {None, 0})


@needs_arrow
@given(
    st.lists(st.text(max_size=20), min_size=1, max_size=30),
    st.sampled_from(["string[pyarrow]", "string[python]"]),
    st.integers(0, 3),
)
def test_packed_words_are_the_bytes_zero_padded_big_endian(values, dtype, cut):
    # each value's UTF-8 bytes, zero-padded to whole words, read big-endian: the
    # words compare like the byte strings (the order proof and the hash rely on it)
    values = [v for v in values if "\x00" not in v] or ["a"]
    column = pd.Series(values, dtype=dtype).iloc[cut:]
    if len(column) == 0:
        return
    words = _packed_words(_bytes_of(column))
    encoded = [v.encode("utf-8") for v in values[cut:]]
    width = words.shape[1] * 8
    expected = [
        [
            int.from_bytes(e.ljust(width, b"\x00")[k : k + 8], "big")
            for k in range(0, width, 8)
        ]
        for e in encoded
    ]
    assert words.tolist() == expected
