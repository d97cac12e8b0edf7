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

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.errors import BatchValidationError
from lendcrm.frames.mapping import Column, ColumnMapping, check_book_frames
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


# --- the whole load, Arrow-held against Python-object text ---------------------------
EXPORT_MAPPINGS = [
    ColumnMapping(frame="clients", columns=[
        Column(target="client_id", source="KDNR"),
        Column(target="legal_name", source="NAME"),
        Column(target="sector", source="WZ", parse="nace"),
        Column(target="country", source="LAND"),
        Column(target="onboarded_on", source="SEIT", parse="date", date_format="%d.%m.%Y"),
        Column(target="currency", constant="EUR"),
        Column(target="annual_revenue", source="UMSATZ", parse="decimal", decimal=",", thousands="."),
        Column(target="parent_id", source="KONZERN", parse="text"),
    ]),
    ColumnMapping(frame="facilities", columns=[
        Column(target="facility_id", source="KONTO"),
        Column(target="client_id", source="KDNR"),
        Column(target="kind", source="PRODUKT", parse="code",
               aliases={"KK": "revolving_credit", "DL": "term_loan"}),
        Column(target="currency", constant="EUR"),
        Column(target="limit", source="LIMIT", parse="decimal", decimal=",", thousands="."),
        Column(target="drawn", source="SALDO", parse="decimal", decimal=",", thousands="."),
        Column(target="start_on", source="BEGINN", parse="date", date_format="%d.%m.%Y"),
        Column(target="maturity_on", source="ENDE", parse="date", date_format="%d.%m.%Y"),
        Column(target="seniority", constant="senior_unsecured"),
        Column(target="reference_rate", constant="EURIBOR_3M"),
        Column(target="margin_bps", constant=150),
        Column(target="status", constant="active"),
    ]),
]  # fmt: skip


def _export(n: int) -> dict[str, pd.DataFrame]:
    """A raw export of ``n`` clients, two facilities each, with one defect of each kind."""
    rng = np.random.default_rng(16)
    ids = np.array([f"K{i:06d}" for i in range(n)], dtype=object)
    parents = np.full(n, "", dtype=object)
    parents[5:50:7] = ids[4:49:7]
    parents[[60, 61]] = ids[[61, 60]]  # a parent cycle
    ids[90] = " k000089"  # the same id as row 89 once case and whitespace are ignored
    clients = pd.DataFrame({
        "KDNR": ids, "NAME": [f"Firma {i}" for i in range(n)],
        "WZ": np.array(["25.62", "41.20", " 6201", "86"], dtype=object)[np.arange(n) % 4],
        "LAND": ["DE"] * n,
        "SEIT": [f"{1 + i % 28:02d}.{1 + i % 12:02d}.20{10 + i % 10}" for i in range(n)],
        "UMSATZ": [f"{1 + i % 997}.{i % 1000:03d},{i % 100:02d}" for i in range(n)],
        "KONZERN": parents,
    })  # fmt: skip
    clients.loc[7, "UMSATZ"] = "-12,50"
    clients.loc[8, "SEIT"] = "31.02.2019"
    owner = np.repeat(np.arange(n), 2)
    k = len(owner)
    client_of = ids[owner].copy()
    client_of[[11, 3001]] = "K-UNKNOWN"
    facilities = pd.DataFrame({
        "KONTO": [f"F{i:07d}" for i in range(k)], "KDNR": client_of,
        "PRODUKT": np.array(["KK", "DL", " KK"], dtype=object)[rng.integers(0, 3, k)],
        "LIMIT": [f"{1 + i % 900}.000,00" for i in range(k)],
        "SALDO": [f"{i % 800}.500,5" for i in range(k)],
        "BEGINN": [f"01.{1 + i % 12:02d}.2022" for i in range(k)],
        "ENDE": [f"15.{1 + i % 12:02d}.2029" for i in range(k)],
    })  # fmt: skip
    facilities.loc[20, "SALDO"] = "1,234.5"
    facilities.loc[21, "SALDO"] = " "
    return {"clients": clients, "facilities": facilities}


def _load(frames: dict[str, pd.DataFrame], *, quarantine: bool) -> object:
    try:
        checked = check_book_frames(
            frames, mappings=EXPORT_MAPPINGS, quarantine=quarantine
        )
    except BatchValidationError as error:
        return [str(e) for e in error.exceptions]
    return (checked.rejected.to_dict("records"),
            {n: f.index.tolist() for n, f in attrs.asdict(checked.frames, recurse=False)
             .items() if f is not None})  # fmt: skip


@pytest.mark.parametrize("quarantine", [False, True])
def test_the_fast_paths_load_an_export_as_python_object_text_does(
    quarantine: bool,
) -> None:
    arrow = {k: f.astype("str") for k, f in _export(9000).items()}
    plain = {k: f.astype(object) for k, f in arrow.items()}
    fast, exact = (
        _load(arrow, quarantine=quarantine),
        _load(plain, quarantine=quarantine),
    )
    assert fast == exact
    if not quarantine:
        assert isinstance(fast, list)
        # date, revenue, id rule, near-duplicate, cycle; number form, blank, id rule of
        # the references, unknown client
        assert len(fast) == 9
