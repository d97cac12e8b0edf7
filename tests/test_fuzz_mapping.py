"""Fuzz the export loader's front door, `lendcrm.frames.mapping` (#16, #17).

Same rule as `tests/test_fuzz_public_api.py`: every bad value given to a parameter
of `load_book`, `check_book_frames`, `Column` or `ColumnMapping` gets a
`lendcrm.errors` exception, and a call that succeeds returns finite numbers where
`tests/fuzz_outputs.py` expects them. The base calls load a small book of a core
system's frames (clients and facilities with text amounts and dates mapped in).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.frames import book_frames
from lendcrm.frames.mapping import Column, ColumnMapping, check_book_frames, load_book
from lendcrm.synthetic import generate_book
from tests.fuzz_outputs import check_call, check_outputs
from tests.test_fuzz_public_api import BAD

_BOOK = generate_book(8, seed=5, as_of=dt.date(2025, 12, 31))
FRAMES: dict[str, pd.DataFrame] = dict(attrs.asdict(book_frames(_BOOK), recurse=False))
_REVENUE_TEXT = FRAMES["clients"]["annual_revenue"].map(lambda v: f"{v:.2f}")
TEXT_CLIENTS = (
    FRAMES["clients"]
    .drop(columns=["annual_revenue"])
    .assign(revenue_text=_REVENUE_TEXT)
)
# a mapping names every column of its frame: the others are taken as they are
MAPPING = ColumnMapping(
    frame="clients",
    columns=(
        *(Column(target=c, source=c) for c in TEXT_CLIENTS.columns[:-1]),
        Column(target="annual_revenue", source="revenue_text", parse="decimal"),
    ),
)
MAPPED = {**FRAMES, "clients": TEXT_CLIENTS}

BASE_CALLS: dict[str, tuple[Callable[..., object], dict[str, Any]]] = {
    "frames.mapping.load_book": (
        load_book,
        {"frames": MAPPED, "mappings": (MAPPING,), "quarantine": True},
    ),
    "frames.mapping.check_book_frames": (
        check_book_frames,
        {"frames": MAPPED, "mappings": (MAPPING,), "quarantine": False},
    ),
    "frames.mapping.Column": (
        Column,
        {
            "target": "annual_revenue",
            "source": "revenue_text",
            "parse": "decimal",
            "decimal": ",",
            "thousands": ".",
            "scale": 1000,
        },
    ),
    "frames.mapping.ColumnMapping": (
        ColumnMapping,
        {"frame": "clients", "columns": MAPPING.columns},
    ),
}


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
def test_base_call_is_valid_and_finite(name: str) -> None:
    function, kwargs = BASE_CALLS[name]
    check_outputs(name, function(**kwargs))


def test_the_mapped_base_call_reads_the_text_amounts() -> None:
    loaded = load_book(MAPPED, mappings=(MAPPING,))
    assert loaded.book == _BOOK
    assert loaded.rejected.empty


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_bad_input_raises_a_lendcrm_error(name: str, data: st.DataObject) -> None:
    function, kwargs = BASE_CALLS[name]
    parameter = data.draw(st.sampled_from(sorted(kwargs)), label="parameter")
    bad = data.draw(BAD, label="bad")
    check_call(name, function, {**kwargs, parameter: bad})


@pytest.mark.parametrize(
    ("function", "kwargs", "field", "message"),
    [
        (
            Column,
            {"target": "limit", "source": "L", "scale": None},
            "Column.scale",
            "`Column.scale` must be a number (a power of ten); got None.",
        ),
        (
            Column,
            {"target": "limit", "source": "L", "parse": []},
            "Column.parse",
            (
                "`Column.parse` must be one of 'as_is', 'text', 'decimal', "
                "'integer', 'date', 'bool', 'code', 'nace'; got []."
            ),
        ),
        (
            Column,
            {"target": None, "source": "L"},
            "Column.target",
            "`Column.target` must be a str; got None.",
        ),
        (
            Column,
            {"target": "limit", "source": "L", "true": None},
            "Column.true",
            "`Column.true` must be a list of spellings; got None.",
        ),
        (
            Column,
            {"target": "limit", "source": "L", "false": [1]},
            "Column.false",
            "`Column.false` must be spellings as str; got [1].",
        ),
        (
            Column,
            {"target": "limit", "source": "L", "aliases": None},
            "Column.aliases",
            "`Column.aliases` must be a dict of code -> value; got None.",
        ),
        (
            Column,
            {"target": "limit", "source": "L", "aliases": {"a": 1}},
            "Column.aliases",
            "`Column.aliases` must be codes and values as str; got {'a': 1}.",
        ),
        (
            Column,
            {"target": "limit", "constant": [1]},
            "Column.constant",
            "`Column.constant` must be a str, number, bool or None; got a 'list'.",
        ),
        (
            ColumnMapping,
            {"frame": None, "columns": ()},
            "ColumnMapping.frame",
            "`ColumnMapping.frame` must be a frame name; got None.",
        ),
        (
            ColumnMapping,
            {"frame": "clients", "columns": None},
            "ColumnMapping.columns",
            "`ColumnMapping.columns` must be a list of Columns; got None.",
        ),
        (
            load_book,
            {"frames": MAPPED, "mappings": None},
            "mappings",
            "`mappings` must be a sequence of ColumnMappings; got None.",
        ),
        (
            check_book_frames,
            {"frames": MAPPED, "mappings": (MAPPING,), "quarantine": "yes"},
            "quarantine",
            "`quarantine` must be True or False; got a 'str'.",
        ),
    ],
)
def test_what_the_fuzz_found_is_refused_by_name(
    function: Callable[..., object], kwargs: dict[str, Any], field: str, message: str
) -> None:
    # Found by this file's fuzz: these raised TypeError/ValueError from inside.
    with pytest.raises(InvalidValueError) as info:
        function(**kwargs)
    assert str(info.value) == message
    assert info.value.field == field
