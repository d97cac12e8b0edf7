"""The load's fast paths (#16 performance) give exactly what the plain paths give.

Each fast path (ids normalised in Arrow, one shared factorisation per owner id column,
parsing once per distinct value, numbers parsed in Arrow) is pinned here to the exact
path it stands in for, on messy text: surrounding whitespace, case, zero-width and
control characters, German and English separators, blanks and missing values, in
Arrow-held and Python-object storage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.frames.mapping._integrity import (
    distinct_once_normalised,
    is_in,
    near_duplicate_rule,
    normalised,
    owner_positions,
    same_id_mask,
)
from lendcrm.frames.mapping._parse import (
    Parsed,
    parse_bools,
    parse_codes,
    parse_dates,
    parse_sections,
    parse_texts,
    per_distinct,
)

pytest.importorskip("pyarrow")

#: Characters that make ids and numbers messy.
MESSY = "Cc-1ßSs \t\u200b\u00a0\x1c.,0"
ASCII = "Cc-1Ss \t.,0"
STORAGES: tuple[str | type, ...] = ("str", object)


def _series(values: Sequence[str | None], dtype: str | type) -> pd.Series:
    return pd.Series(list(values), dtype=dtype)


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.text(alphabet=MESSY, max_size=5), max_size=12),
    dtype=st.sampled_from(STORAGES),
)
def test_distinct_once_normalised_is_only_said_of_distinct_normalised_ids(
    values: list[str], dtype: str | type
) -> None:
    ids = _series(values, dtype)
    if distinct_once_normalised(ids):
        assert not normalised(ids).dropna().duplicated().any()


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.text(alphabet=ASCII, max_size=5), max_size=12))
def test_ascii_arrow_ids_are_normalised_in_arrow_as_pandas_does(
    values: list[str],
) -> None:
    ids = _series(values, "str")
    distinct = not normalised(ids).duplicated().any()
    # an empty column is not "shown" distinct (the exact path has nothing to do)
    assert distinct_once_normalised(ids) == (distinct and len(ids) > 0)


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.none(), st.text(alphabet=MESSY, max_size=4)), max_size=10
    ),
    dtype=st.sampled_from(STORAGES),
)
def test_near_duplicates_and_shared_ids_match_the_exact_rule(
    values: list[str | None], dtype: str | type
) -> None:
    ids = _series(values, dtype)
    frame = pd.DataFrame({"client_id": ids})
    norm = normalised(ids)
    present = ids.notna().to_numpy(dtype=np.bool_)
    near = (norm.duplicated() & ~ids.duplicated()).to_numpy(dtype=np.bool_) & present
    rule = near_duplicate_rule(frame, "clients", "client_id")
    assert (rule.mask.tolist() if rule else [False] * len(ids)) == near.tolist()
    shared = (norm.duplicated(keep=False) & ids.notna()).to_numpy(dtype=np.bool_)
    assert same_id_mask(frame, "client_id").tolist() == shared.tolist()


def _first_rows(owners: pd.Series, refs: Sequence[str | None]) -> list[int]:
    first: dict[object, int] = {}
    for i, v in enumerate(owners.tolist()):
        if not pd.isna(v):
            first.setdefault(v, i)
    return [len(owners) if pd.isna(v) else first.get(v, len(owners)) for v in refs]


@settings(max_examples=150, deadline=None)
@given(
    owners=st.lists(st.one_of(st.none(), st.text(alphabet=MESSY, max_size=3))),
    refs=st.lists(
        st.lists(st.one_of(st.none(), st.text(alphabet=MESSY, max_size=3))),
        max_size=3,
    ),
    dtype=st.sampled_from(STORAGES),
)
def test_one_shared_factorisation_finds_each_references_first_owner_row(
    owners: list[str | None], refs: list[list[str | None]], dtype: str | type
) -> None:
    pool = _series(owners, dtype)
    columns = [_series(r, dtype) for r in refs]
    found = owner_positions(pool, columns)
    assert [f.tolist() for f in found] == [
        _first_rows(pool, c.tolist()) for c in columns
    ]


def test_owner_positions_of_references_to_unknown_and_repeated_ids():
    pool = pd.Series(["C-1", "C-2", "C-1", None], dtype="str")
    facilities = pd.Series(["C-1", None, "c-1", "C-2"], dtype="str")
    parents = pd.Series([None, "C-1", "C-9", None], dtype="str")
    assert [p.tolist() for p in owner_positions(pool, [facilities, parents])] == [
        [0, 4, 4, 1],
        [4, 0, 4, 4],
    ]


# --- parsing once per distinct value -------------------------------------------------
def _parsers() -> dict[str, Callable[[pd.Series], Parsed]]:
    return {
        "date": partial(parse_dates, date_format="%d.%m.%Y"),
        "bool": partial(parse_bools, true=("ja", "J"), false=("nein", "N")),
        "code": partial(parse_codes, aliases={"KK": "revolving_credit", " DL": "x"}),
        "nace": parse_sections,
        "text": parse_texts,
    }


MESSY_TEXTS = st.sampled_from(
    ["01.02.2020", " 01.02.2020\t", "1.2.2020", "31.02.2020", "", "  ", "\u200b", "ja",
     "JA ", "N", "nein\u00a0", "KK", "kk", " DL", "25.62", "2562", "04", "C", "ß",
     "1.234,56"]
)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.one_of(st.none(), MESSY_TEXTS, st.text(MESSY, max_size=4)),
                    min_size=1, max_size=12),
    kind=st.sampled_from(sorted(_parsers())),
    dtype=st.sampled_from(STORAGES),
)  # fmt: skip
def test_parsing_the_distinct_values_gives_what_parsing_every_row_gives(
    values: list[str | None], kind: str, dtype: str | type
) -> None:
    rows = 12_288  # long enough for the distinct path (two samples of 4096 and more)
    source = _series([values[i % len(values)] for i in range(rows)], dtype)
    source.index = source.index * 2 + 7
    parse = _parsers()[kind]
    fast, fast_bad = per_distinct(source, parse)
    exact, exact_bad = parse(source)
    pd.testing.assert_series_equal(fast, exact)
    assert fast_bad.tolist() == exact_bad.tolist()


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(st.one_of(st.none(), st.text(alphabet=MESSY, max_size=3))),
    pool=st.lists(st.one_of(st.none(), st.text(alphabet=MESSY, max_size=3))),
    runs=st.integers(1, 4),
)
def test_is_in_and_run_heads_agree_across_storages(
    values: list[str | None], pool: list[str | None], runs: int
) -> None:
    repeated = [v for v in values for _ in range(runs)]  # runs of equal references
    expected = [v is not None and v in {p for p in pool if p is not None}
                for v in repeated]  # fmt: skip
    for dtype in STORAGES:
        found = is_in(_series(repeated, dtype), _series(pool, dtype))
        assert found.tolist() == expected
        positions = owner_positions(_series(pool, dtype), [_series(repeated, dtype)])
        assert positions[0].tolist() == _first_rows(_series(pool, dtype), repeated)
