"""Vectorised parsing of text columns (private to :mod:`lendcrm.frames.mapping`).

Each parser takes a source column and returns ``(values, bad)``: the parsed column
(missing where the source is blank or unparsable) and the mask of rows whose non-blank
text does not parse. Blank means missing, empty or only whitespace. Nothing is guessed:
a text that fits none of the declared forms is refused, never read another way.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from functools import partial
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._enums import Sector
from lendcrm.frames.mapping._decimals import number_pattern, proven_decimals

__all__ = [
    "NACE_DIVISIONS",
    "Parsed",
    "blank_mask",
    "parse_bools",
    "parse_codes",
    "parse_dates",
    "parse_numbers",
    "parse_numbers_exactly",
    "parse_sections",
    "parse_texts",
    "per_distinct",
]

#: A parsed column and the mask of its rows whose text does not parse.
Parsed = tuple[pd.Series, npt.NDArray[np.bool_]]


def _text(source: pd.Series) -> pd.Series:
    """The column as stripped text (object or str dtype), missing values kept missing."""
    if pd.api.types.is_object_dtype(source.dtype) or pd.api.types.is_string_dtype(
        source.dtype
    ):
        return source.astype("str").str.strip().where(source.notna())
    return source.astype("str").where(source.notna())


def blank_mask(text: pd.Series) -> npt.NDArray[np.bool_]:
    """Rows that are missing or empty after stripping."""
    return (text.isna() | (text == "")).to_numpy(dtype=np.bool_)


def parse_texts(source: pd.Series) -> Parsed:
    """Text stripped of surrounding whitespace; blank becomes missing."""
    text = _text(source)
    blank = blank_mask(text)
    return text.where(~blank, None).astype(object), np.zeros(len(source), np.bool_)


def _floats(text: pd.Series) -> npt.NDArray[np.float64]:
    """Validated decimal text (``.`` as the point) to the nearest float64."""
    dtype = text.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        # Arrow's cast is correctly rounded and about 20x faster than a Python loop
        arrow = text.astype("float64[pyarrow]")
        return np.array(arrow.to_numpy(np.float64, na_value=np.nan))
    return text.to_numpy(dtype=object).astype(np.float64)


def parse_numbers(
    source: pd.Series,
    *,
    decimal: str,
    thousands: str,
    exponent: int,
    whole: bool,
) -> Parsed:
    """Decimal text to float64 times ``10**exponent``, exactly rounded.

    Without scaling the text is read by a correctly rounded parser; with it the digits
    are read as one integer and divided (or multiplied) by a power of ten once, so the
    result is still the float nearest the scaled decimal value: ``"1.234,56"`` with
    ``decimal=","``, ``thousands="."`` and ``exponent=3`` is ``1234560.0``.
    ``thousands`` groups must be of three digits; anything else is refused, so
    ``"1.234,56"`` read with ``decimal="."`` fails instead of becoming 1.23456.

    Arrow-held text is first read from its bytes (`proven_decimals`); the rows that
    cannot be proven plain decimals there are read here, with the same results.
    """
    if pd.api.types.is_numeric_dtype(source.dtype) and not pd.api.types.is_bool_dtype(
        source.dtype
    ):
        values = source.to_numpy(dtype=np.float64, na_value=np.nan)
        scaled = values * 10.0**exponent if exponent >= 0 else values / 10.0**-exponent
        bad = ~np.isnan(values) & whole & (scaled != np.round(scaled))
        return pd.Series(scaled, index=source.index), bad
    read = partial(parse_numbers_exactly, decimal=decimal, thousands=thousands,
                   exponent=exponent, whole=whole)  # fmt: skip
    fast = (
        proven_decimals(source, decimal=decimal, thousands=thousands, whole=whole)
        if exponent == 0
        else None
    )
    if fast is None:
        return read(source)
    values, proven = fast
    bad = np.zeros(len(source), np.bool_)
    if not proven.all():
        rest = np.flatnonzero(~proven)
        exact, bad[rest] = read(source.iloc[rest])
        values[rest] = exact.to_numpy()
    return pd.Series(values, index=source.index), bad


def parse_numbers_exactly(
    source: pd.Series,
    *,
    decimal: str,
    thousands: str,
    exponent: int,
    whole: bool,
) -> Parsed:
    """`parse_numbers` of text without `proven_decimals` (the exact path it stands in for).

    Every step is row by row (a vectorised pass per step), so reading a subset of the
    rows gives those rows' results.
    """
    text = _text(source)
    blank = blank_mask(text)
    pattern = number_pattern(decimal=decimal, thousands=thousands, whole=whole)
    ok = text.str.fullmatch(pattern).fillna(value=False)
    good = ok.to_numpy(dtype=np.bool_)
    bad = ~blank & ~good
    clean = text.where(good, "0")
    if thousands:
        clean = clean.str.replace(thousands, "", regex=False)
    if exponent == 0:
        if decimal != ".":
            clean = clean.str.replace(decimal, ".", regex=False)
        values = _floats(clean)
    else:
        point = clean.str.find(decimal).to_numpy(dtype=np.int64)
        length = clean.str.len().to_numpy(dtype=np.int64)
        shift = np.where(point >= 0, length - point - 1, 0) - exponent
        mantissa = _floats(clean.str.replace(decimal, "", regex=False))
        up = np.where(shift < 0, 10.0 ** np.maximum(-shift, 0), 1.0)
        down = np.where(shift > 0, 10.0 ** np.maximum(shift, 0), 1.0)
        values = mantissa * up / down
    values[~good] = np.nan
    return pd.Series(values, index=source.index), bad


#: Rows sampled to tell whether a column repeats its values enough to parse the
#: distinct values only.
_SAMPLE: Final = 4096


def per_distinct(source: pd.Series, parse: Callable[[pd.Series], Parsed]) -> Parsed:
    """``parse`` applied once per distinct text of an Arrow-held column, then repeated.

    Every parser reads each row on its own (stripping, blank, form, value), so parsing
    the distinct texts and repeating the results row by row is exact; a missing value
    is parsed as one more distinct value. Dates, codes, NACE codes and booleans hold a
    few thousand distinct texts in a million rows: Arrow encodes the column as a
    dictionary without a Python string per row. Columns not held by pyarrow, and
    columns whose sample is nearly all distinct (amounts, names), are parsed as they are.
    """
    dtype = source.dtype
    to_arrow = getattr(source.array, "__arrow_array__", None)
    if (
        not isinstance(dtype, pd.StringDtype)
        or dtype.storage != "pyarrow"
        or to_arrow is None
        or len(source) < 2 * _SAMPLE
        or source.iloc[:_SAMPLE].nunique(dropna=False) > _SAMPLE * 9 // 10
    ):
        return parse(source)
    # importable: the column is held by pyarrow
    import pyarrow.compute as pc  # type: ignore[import-untyped]  # noqa: PLC0415

    encoded = pc.dictionary_encode(to_arrow()).combine_chunks()
    distinct = encoded.dictionary
    if len(distinct) * 4 > len(source):
        return parse(source)
    texts = pd.Series(pd.array(distinct, dtype=dtype), name=source.name)
    if encoded.null_count:
        texts = pd.concat([texts, pd.Series([None], dtype=dtype)], ignore_index=True)
    values, bad = parse(texts)
    codes = encoded.indices.fill_null(len(distinct)).to_numpy(zero_copy_only=False)
    return values.iloc[codes].set_axis(source.index), bad[codes]


def _by_value(text: pd.Series, read: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """``read`` applied once per distinct value (dates and codes repeat a lot)."""
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    done = read(pd.Series(uniques, dtype=object))
    values: npt.NDArray[Any] = done.to_numpy()
    out: npt.NDArray[Any]
    if values.dtype.kind == "M":
        out = np.full(len(text), np.datetime64("NaT", "ns"), dtype=values.dtype)
    else:
        values = np.where(pd.isna(values), np.array(None), values)
        out = np.full(len(text), None, dtype=object)
    present = codes >= 0
    out[present] = values[codes[present]]
    return pd.Series(out, index=text.index, dtype=out.dtype)


def parse_dates(source: pd.Series, *, date_format: str) -> Parsed:
    """Text in ``date_format`` (``strptime`` codes) to ``datetime64[ns]`` at midnight."""
    if pd.api.types.is_datetime64_any_dtype(source.dtype):
        return source.astype("datetime64[ns]"), np.zeros(len(source), np.bool_)
    text = _text(source)
    blank = blank_mask(text)
    parsed = _by_value(
        text.where(~blank),
        lambda u: pd.to_datetime(u, format=date_format, errors="coerce").astype(
            "datetime64[ns]"
        ),
    )
    bad = ~blank & parsed.isna().to_numpy(dtype=np.bool_)
    off_midnight = ~parsed.isna() & (parsed != parsed.dt.normalize())
    bad |= off_midnight.to_numpy(dtype=np.bool_)
    return parsed.where(~off_midnight), bad


def parse_bools(
    source: pd.Series, *, true: Collection[str], false: Collection[str]
) -> Parsed:
    """Text to bool by the given spellings (compared case-insensitively).

    The result is numpy ``bool`` when no row is blank, else pandas ``boolean``.
    """
    if pd.api.types.is_bool_dtype(source.dtype):
        return source, np.zeros(len(source), np.bool_)
    text = _text(source).str.casefold()
    blank = blank_mask(text)
    is_true = text.isin([t.casefold() for t in true]).to_numpy(dtype=np.bool_)
    is_false = text.isin([f.casefold() for f in false]).to_numpy(dtype=np.bool_)
    bad = ~blank & ~is_true & ~is_false
    if not (blank | bad).any():
        return pd.Series(is_true, index=source.index), bad
    values = pd.array(is_true, dtype="boolean")
    values[blank | bad] = pd.NA
    return pd.Series(values, index=source.index), bad


def parse_codes(source: pd.Series, *, aliases: Mapping[str, str]) -> Parsed:
    """Stripped text with each alias replaced by its value; other text kept as is.

    Unknown codes are left for the frame's own rule (``must be one of ...``) to name.
    """
    text, bad = parse_texts(source)
    if aliases:
        text = _by_value(text, lambda u: u.map(aliases).fillna(u))
    return text, bad


def _division_sections() -> dict[int, str]:
    """NACE Rev. 2 division (2 digits) -> section letter (Eurostat, 2008, Table 1)."""
    ranges = {
        "A": (1, 3), "B": (5, 9), "C": (10, 33), "D": (35, 35), "E": (36, 39),
        "F": (41, 43), "G": (45, 47), "H": (49, 53), "I": (55, 56), "J": (58, 63),
        "K": (64, 66), "L": (68, 68), "M": (69, 75), "N": (77, 82), "O": (84, 84),
        "P": (85, 85), "Q": (86, 88), "R": (90, 93), "S": (94, 96), "T": (97, 98),
        "U": (99, 99),
    }  # fmt: skip
    return {d: s for s, (lo, hi) in ranges.items() for d in range(lo, hi + 1)}


#: NACE Rev. 2 divisions (``1`` .. ``99``) and their sections; the gaps (4, 34, 40, 44,
#: 48, 54, 57, 67, 76, 83, 89) are no division.
NACE_DIVISIONS: Final = _division_sections()
_SECTION_OF: Final = {f"{d:02d}": Sector(s).value for d, s in NACE_DIVISIONS.items()}


def _sections_of(text: pd.Series) -> pd.Series:
    as_text = text.astype("str").where(text.notna())
    letter = (
        as_text.str.fullmatch(r"[A-U]").fillna(value=False).to_numpy(dtype=np.bool_)
    )
    code = as_text.str.fullmatch(r"\d{2}(?:\.?\d{1,2})?").fillna(value=False)
    division = as_text.str[:2].where(code.to_numpy(dtype=np.bool_))
    section = division.map(_SECTION_OF)
    values = section.where(~letter, as_text).astype(object)
    return values.where(values.notna(), None)


def parse_sections(source: pd.Series) -> Parsed:
    """NACE Rev. 2 codes to their section letter.

    Division ``"25"``, group ``"25.6"`` or ``"256"`` and class ``"25.62"`` or
    ``"2562"`` all give the section of their two-digit division; a section letter is
    kept. A code whose division does not exist, or of another length, is refused.
    """
    text, _ = parse_texts(source)
    values = _by_value(text, _sections_of)
    bad = text.notna().to_numpy(dtype=np.bool_) & values.isna().to_numpy(dtype=np.bool_)
    return values, bad
