"""The one-pass text helpers of frame validation (issue #20 item 4) are exact.

`Utf8.summary` (what the id rule and the uniqueness proof need of the lengths),
`Utf8.one_width`, the chunked neighbour comparison of `_numbered` and the direct
code tables of `fixed_width_within` read their columns in cache-sized blocks. Each
is pinned here against a plain recomputation, at the edges: no value, only missing
values, non-ASCII and zero-width characters, long values, and the block boundaries.
"""

import importlib.util
from itertools import pairwise

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import BatchValidationError
from lendcrm.frames import ColumnSpec, check_frame
from lendcrm.frames._text_keys import _CHUNK, _numbered
from lendcrm.frames._utf8 import _BLOCK, _MAX_STEPS, fixed_width_within, utf8_of

needs_arrow = pytest.mark.skipif(
    importlib.util.find_spec("pyarrow") is None, reason="pyarrow is not installed"
)
STORAGES = ["string[pyarrow]", "string[python]", object]
messy = st.text(
    alphabet=st.sampled_from(["a", "B", "7", " ", "é", "\u200b", "-"]), max_size=12
)


def _read(values, dtype, cut=0):
    if "pyarrow" in str(dtype) and importlib.util.find_spec("pyarrow") is None:
        pytest.skip("pyarrow is not installed")
    return utf8_of(pd.Series(values, dtype=dtype).iloc[cut:])


def _arrow(values):
    utf8 = utf8_of(pd.Series(values, dtype="string[pyarrow]"))
    assert utf8 is not None
    return utf8


def _plain_summary(values):
    lengths = [len(v.encode("utf-8")) for v in values if v is not None]
    steps = [k for k in range(1, len(lengths)) if lengths[k] != lengths[k - 1]]
    rising = all(b >= a for a, b in pairwise(lengths))
    return (
        0 in lengths,
        max(lengths, default=0),
        tuple(steps) if rising and len(steps) < _MAX_STEPS else None,
    )


@given(
    st.lists(st.one_of(messy, st.none()), max_size=30),
    st.sampled_from(STORAGES),
    st.integers(0, 3),
    st.booleans(),
)
def test_the_summary_is_the_plain_one(values, dtype, cut, ordered):
    present = [v for v in values if v is not None]
    if ordered:  # lengths that never fall, the case the proof relies on
        values = sorted(present, key=lambda v: len(v.encode("utf-8")))
    utf8 = _read(values, dtype, cut)
    if utf8 is None:
        return
    summary = utf8.summary
    empty, greatest, steps = _plain_summary(values[cut:])
    assert summary.empty == empty
    if utf8.valid is None:  # with Arrow nulls the missing slots count too
        assert summary.greatest == greatest
        assert summary.steps == steps
    else:
        assert summary.greatest >= greatest


@needs_arrow
@pytest.mark.parametrize(
    "where", [0, _BLOCK - 1, _BLOCK, _BLOCK + 1, 2 * _BLOCK, 3 * _BLOCK - 1]
)
def test_the_summary_reads_every_block(where):
    # 3 blocks and a bit: a shorter, an empty and a longer value at each block edge
    n = 3 * _BLOCK + 5
    base = ["ab"] * n
    for value, empty, greatest in [
        ("a", False, 2),
        ("", True, 2),
        ("x" * 65, False, 65),
    ]:
        values = list(base)
        values[where] = value
        summary = _arrow(values).summary
        assert (summary.empty, summary.greatest) == (empty, greatest)
        # only a shorter first value leaves lengths that never fall
        assert (summary.steps is not None) == (where == 0 and value != "x" * 65)
    # lengths that grow at the block edges: each step found once
    values = ["a"] * _BLOCK + ["bb"] * _BLOCK + ["ccc"] * 3
    summary = _arrow(values).summary
    assert summary.steps == (_BLOCK, 2 * _BLOCK)
    falls = ["aa"] * _BLOCK + ["b"] * 3
    assert _arrow(falls).summary.steps is None


@pytest.mark.parametrize("dtype", STORAGES)
def test_the_summary_of_no_value_and_only_missing_ones(dtype):
    for values in ([], [None, None]):
        utf8 = _read(values, dtype)
        if utf8 is None:  # Python objects with a missing value: not read as text
            continue
        assert not utf8.summary.empty
        assert utf8.summary.greatest == 0
        if not values:
            assert utf8.one_width() is None


@needs_arrow
@pytest.mark.parametrize("where", [None, 0, _BLOCK - 1, _BLOCK, 2 * _BLOCK + 2])
def test_one_width_reads_every_block(where):
    values = ["EU"] * (2 * _BLOCK + 3)
    if where is not None:
        values[where] = "EUR"
    utf8 = _arrow(values)
    assert utf8.one_width() == (2 if where is None else None)
    _ = utf8.lengths  # read: the same answer from them
    assert utf8.one_width() == (2 if where is None else None)
    assert _arrow(["é", "ü"]).one_width() == 2


def _numbered_ids(n):
    return [f"C{i}" for i in range(n)]


@pytest.mark.parametrize("dtype", ["string[pyarrow]", "string[python]"])
@pytest.mark.parametrize(
    "where",
    [None, 1, 1000, 10_000 + _CHUNK - 1, 10_000 + _CHUNK, 10_000 + _CHUNK + 1, -1],
)
def test_numbered_ids_are_compared_across_chunks_and_at_the_end(dtype, where):
    # C10000 to C99999 (six bytes) span more than one chunk, from position 10,000.
    # A repeat (the value before) anywhere, also the last value whose window runs
    # past the bytes, is never shown distinct.
    ids = _numbered_ids(10_000 + 2 * _CHUNK + 10)
    if where is not None:
        ids[where] = ids[where - 1]
    utf8 = _read(ids, dtype)
    assert _numbered(utf8) is (where is None)


@pytest.mark.parametrize("dtype", STORAGES)
def test_numbered_edges(dtype):
    cases = {
        ("C0",): True,  # one value
        ("a", "b"): True,
        ("", ""): False,  # two empty values
        ("", "a", "b"): True,
        ("b", "a"): False,
        ("a", "aa", "b"): False,  # shorter after longer
        ("é", "ü", "éé"): True,  # non-ASCII: compared as bytes
        ("\u200b", "\u200c"): True,  # zero-width characters: bytes too
        ("12345678", "12345679"): True,  # eight bytes: one whole word
        ("123456789", "123456790"): False,  # nine: not this proof's
    }
    for values, shown in cases.items():
        utf8 = _read(list(values), dtype)
        assert _numbered(utf8) is shown, values


@needs_arrow
@pytest.mark.parametrize("width", [1, 2])
def test_direct_codes_are_allowed_exactly_when_they_are(width):
    # one- and two-byte codes index a table of every integer of their width; the
    # least-to-greatest shortcut only holds when every code between is allowed
    run = ["A" * width, "B" * width, "C" * width]
    codes = [run[i % 3] for i in range(3 * _BLOCK)]
    assert fixed_width_within(_arrow(codes), run)
    gap = [run[0], run[2]]  # B is between A and C but not allowed
    utf8 = _arrow(codes)
    assert fixed_width_within(utf8, gap) is False
    one = [run[0]] * 10  # a single code: the shortcut alone
    assert fixed_width_within(_arrow(one), run)
    assert fixed_width_within(_arrow(one), []) is False


@needs_arrow
def test_two_byte_characters_are_two_byte_codes():
    values = _arrow(["é", "ü", "é"])
    assert fixed_width_within(values, ["é", "ü"]) is True
    assert fixed_width_within(values, ["é", "ü"[:1] + "x"]) is False
    assert fixed_width_within(values, ["e"]) is False


def _errors(frame, specs):
    try:
        check_frame(frame, specs, frame_name="t", require_rows=False)
    except BatchValidationError as exc:
        return [str(e) for e in exc.exceptions]
    return []


@pytest.mark.parametrize("unit", ["ns", "s"])
def test_dates_and_bools_are_present_without_a_mask(unit):
    # numpy bools cannot miss a value; numpy dates miss one exactly when their least
    # integer is NaT's: the message is the plain check's
    dates = np.array(["2020-01-01", "NaT", "1677-09-22"], dtype=f"datetime64[{unit}]")
    frame = pd.DataFrame({"d": dates, "b": [True, False, True]})
    specs = [ColumnSpec(name="d", kind="date"), ColumnSpec(name="b", kind="bool")]
    assert _errors(frame, specs) == [
        "`t[1].d` must be present (not missing); got NaT. 1 row fails this rule: 1."
    ]
    assert _errors(frame.iloc[[0, 2]], specs) == []
    assert _errors(frame.iloc[:0], specs) == []
