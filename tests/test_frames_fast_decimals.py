"""Decimals read from their bytes (#16 performance) are bit for bit the exact path's.

`proven_decimals` reads the rows of Arrow-held text whose shape (digits as ``0``) is a
plain decimal and leaves every other row to `parse_numbers_exactly`; `parse_numbers`
joins both. Pinned here on messy text: wrong separators, signs, blanks and spaces,
tabs and no-break spaces, exponents, many digits, non-ASCII digits, missing values,
sliced columns, in Python-object, Python-string and (where installed) Arrow storage.
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.frames.mapping import Column, ColumnMapping
from lendcrm.frames.mapping._decimals import number_pattern, proven_decimals
from lendcrm.frames.mapping._parse import parse_numbers, parse_numbers_exactly

ARROW = importlib.util.find_spec("pyarrow") is not None
#: The storages of text: Python objects, Python strings, Arrow (when installed).
STORAGES: list[str | type] = [object, "string[python]"]
if ARROW:
    STORAGES += ["str", "string[pyarrow]"]
#: (decimal, thousands) as `Column` allows them.
SEPARATORS = [(",", "."), (".", ","), (".", ""), (",", ""), (",", " "), (".", "'")]
#: Characters of messy number text: separators, signs, blanks, exponents, digits
#: that are not ASCII (Arabic-Indic one, superscript two, full-width three).
MESSY = "0123456789.,+- '\t\u00a0\u0661\u00b2\uff13eE"


def _written(value: int, fraction: int, decimal: str, thousands: str, sign: str) -> str:
    """``value / 10**fraction`` written with the separators (as an export writes it)."""
    digits = str(value).rjust(fraction + 1, "0")
    head, tail = digits[: len(digits) - fraction], digits[len(digits) - fraction :]
    if thousands:
        head = f"{int(head):,}".replace(",", thousands)
    return sign + head + (decimal + tail if fraction else "")


def _texts(decimal: str, thousands: str) -> st.SearchStrategy[str | None]:
    plain = st.builds(
        _written, st.integers(0, 10**19), st.integers(0, 4), st.just(decimal),
        st.sampled_from([thousands, ""]), st.sampled_from(["", "-", "+"]),
    )  # fmt: skip
    return st.one_of(plain, st.text(alphabet=MESSY, max_size=14), st.none())


def _bits(values: pd.Series) -> list[int]:
    return values.to_numpy(dtype=np.float64).view(np.int64).tolist()


@st.composite
def _cases(draw: st.DrawFn) -> tuple[list[str | None], str, str, bool]:
    decimal, thousands = draw(st.sampled_from(SEPARATORS))
    texts = draw(st.lists(_texts(decimal, thousands), min_size=1, max_size=30))
    return texts, decimal, thousands, draw(st.booleans())


@pytest.mark.parametrize("dtype", STORAGES)
@settings(max_examples=300, deadline=None)
@given(case=_cases(), start=st.integers(0, 3))
def test_parse_numbers_is_bit_for_bit_the_exact_path(
    case: tuple[list[str | None], str, str, bool], dtype: str | type, start: int
) -> None:
    texts, decimal, thousands, whole = case
    index = pd.Index([f"r{k}" for k in range(len(texts))])
    source = pd.Series(texts, index=index, dtype=dtype).iloc[start:]  # sliced buffers
    values, bad = parse_numbers(
        source, decimal=decimal, thousands=thousands, exponent=0, whole=whole
    )
    exact, exact_bad = parse_numbers_exactly(
        source, decimal=decimal, thousands=thousands, exponent=0, whole=whole
    )
    assert _bits(values) == _bits(exact)
    assert bad.tolist() == exact_bad.tolist()
    assert values.index.equals(source.index)


@pytest.mark.skipif(not ARROW, reason="pyarrow is not installed")
@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(st.integers(-(10**17), 10**17), min_size=1, max_size=40),
    fraction=st.integers(0, 3),
    separators=st.sampled_from(SEPARATORS),
)
def test_plain_decimals_are_all_proven_and_read_as_the_exact_path_reads_them(
    values: list[int], fraction: int, separators: tuple[str, str]
) -> None:
    decimal, thousands = separators
    texts = [_written(abs(v), fraction, decimal, thousands, "-" if v < 0 else "")
             for v in values]  # fmt: skip
    source = pd.Series(texts, dtype="str")
    found = proven_decimals(source, decimal=decimal, thousands=thousands, whole=False)
    assert found is not None
    fast, proven = found
    assert proven.all()
    exact, bad = parse_numbers_exactly(
        source, decimal=decimal, thousands=thousands, exponent=0, whole=False
    )
    assert not bad.any()
    assert fast.view(np.int64).tolist() == _bits(exact)


@pytest.mark.skipif(not ARROW, reason="pyarrow is not installed")
def test_rows_that_cannot_be_proven_are_left_to_the_exact_path() -> None:
    texts = ["1.234,56", " 1.234,56", "1,234.56", "12.34,5", "1.234,56e3", "", None,
             "\u0661.234,56", "-0,00", "+7", "1.234.567.890.123.456.789,25", "1.2345"]  # fmt: skip
    source = pd.Series(texts, dtype="str")
    found = proven_decimals(source, decimal=",", thousands=".", whole=False)
    assert found is not None
    assert found[1].tolist() == [True, False, False, False, False, False, False,
                                 False, True, True, True, False]  # fmt: skip
    values, bad = parse_numbers(
        source, decimal=",", thousands=".", exponent=0, whole=False
    )
    assert values.iloc[1] == 1234.56  # stripped by the exact path
    assert bad.tolist() == [False, False, True, True, True, False, False, True,
                            False, False, False, True]  # fmt: skip
    assert str(values.iloc[8]) == "-0.0"


def test_other_storages_and_scaled_columns_are_not_read_from_bytes() -> None:
    source = pd.Series(["1.234,56"], dtype=object)
    assert proven_decimals(source, decimal=",", thousands=".", whole=False) is None
    values, _ = parse_numbers(
        source, decimal=",", thousands=".", exponent=3, whole=False
    )
    assert values.tolist() == [1234560.0]
    assert number_pattern(decimal=".", thousands="", whole=True) == r"[+-]?(?:[0-9]+)"


@pytest.mark.parametrize("dtype", STORAGES)
def test_non_ascii_digits_are_refused_in_every_storage(dtype: str | type) -> None:
    """Found by the property test: Arrow's cast raised, Python's float read them."""
    source = pd.Series(["\u0661", "1\u0662,5", "\uff13", "12"], dtype=dtype)
    values, bad = parse_numbers(
        source, decimal=",", thousands=".", exponent=0, whole=False
    )
    assert bad.tolist() == [True, True, True, False]
    assert values.iloc[3] == 12.0
    assert values.iloc[:3].isna().all()


@pytest.mark.parametrize("dtype", STORAGES)
def test_a_mapping_names_the_same_rows_whatever_the_storage(dtype: str | type) -> None:
    mapping = ColumnMapping(frame="facilities", columns=[
        Column(target="limit", source="LIMIT", parse="decimal", decimal=",",
               thousands="."),
    ])  # fmt: skip
    texts = ["1.000,50", "1,000.50", "", "2.500"]
    raw = pd.DataFrame({"LIMIT": pd.Series(texts, index=list("abcd"), dtype=dtype)})
    mapped = mapping.map_rows(raw)
    assert mapped.frame["limit"].tolist()[::3] == [1000.5, 2500.0]
    (rule,) = mapped.unparsed
    assert rule.mask.tolist() == [False, True, False, False]
    assert "'1,000.50'" in str(rule.error(raw.rename(columns={"LIMIT": "limit"})))
