"""Quarantine's shared passes (#16 performance) set aside what the plain definitions do.

Dependants are found from the shared `reference_positions` (no id hashed again), the
rejected table is grouped by one stable sort, and one proof that the ids are distinct
serves the unique and the near-duplicate rules: pinned here to the plain pandas
definitions (``isin`` on the ids set aside; reasons in rule order, frame by frame
and row by row), on ids that repeat, differ by case or whitespace, are missing or
unknown, in Python-object and ``str`` storage.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.errors import BatchValidationError
from lendcrm.frames import book_frames, book_from_frames, check_frame
from lendcrm.frames.mapping import check_book_frames, load_book
from lendcrm.frames.mapping._defaults import fill_defaults
from lendcrm.frames.mapping._rules import passes_spec, spec_rules
from lendcrm.frames.mapping._schema import (
    SPECS,
    collect,
    frame_check,
    integrity_rules,
)
from lendcrm.synthetic import generate_book

DEPENDANT = "row that was not set aside (this row depends on it)"
IDS = ["A", "a", "B", "C ", "D", "E", None]


def _text(values: list[str | None] | list[str], dtype: str | type) -> pd.Series:
    return pd.Series(values, dtype=dtype)


def _clients(ids: list[str | None], parents: list[str | None], dtype: str | type,
             revenue: list[float]) -> pd.DataFrame:  # fmt: skip
    n = len(ids)
    return pd.DataFrame({
        "client_id": _text(ids, dtype),
        "legal_name": ["N"] * n, "sector": ["C"] * n, "country": ["DE"] * n,
        "onboarded_on": pd.to_datetime(["2020-01-02"] * n), "currency": ["EUR"] * n,
        "annual_revenue": revenue,
        "parent_id": _text(parents, dtype),
    })  # fmt: skip


def _facilities(owners: list[str | None], dtype: str | type) -> pd.DataFrame:
    n = len(owners)
    return pd.DataFrame({
        "facility_id": _text([f"F{k}" for k in range(n)], dtype),
        "client_id": _text(owners, dtype),
        "kind": ["term_loan"] * n, "currency": ["EUR"] * n,
        "limit": [100.0] * n, "drawn": [50.0] * n,
        "start_on": pd.to_datetime(["2021-01-01"] * n),
        "maturity_on": pd.to_datetime(["2025-01-01"] * n),
        "seniority": ["senior_unsecured"] * n, "reference_rate": ["EURIBOR_3M"] * n,
        "margin_bps": [150] * n, "status": ["active"] * n,
    })  # fmt: skip


def _parts(reason: str) -> list[str]:
    return re.split(r"; (?=`)", reason)  # each reason starts with its `column`


def _only_dependant(reasons: pd.Series) -> pd.Series:
    return reasons.map(lambda r: all(DEPENDANT in p for p in _parts(r)))


@settings(max_examples=120, deadline=None)
@given(
    clients=st.lists(
        st.tuples(st.sampled_from(IDS), st.sampled_from(IDS), st.booleans()),
        min_size=1, max_size=8,
    ),
    owners=st.lists(st.sampled_from([*IDS, "Z"]), min_size=1, max_size=10),
    dtype=st.sampled_from(["str", object]),
)  # fmt: skip
def test_dependants_from_shared_positions_are_the_rows_naming_an_id_set_aside(
    clients: list[tuple[str | None, str | None, bool]],
    owners: list[str | None],
    dtype: str | type,
) -> None:
    ids, parents, bad = (list(x) for x in zip(*clients, strict=True))
    frames = {
        "clients": _clients(ids, parents, dtype, [-1.0 if b else 1.0 for b in bad]),
        "facilities": _facilities(owners, dtype),
    }
    checked = check_book_frames(frames, quarantine=True)
    table = checked.rejected
    assert table.equals(
        table.sort_values(["position"], kind="stable").sort_values(
            "frame", key=lambda f: f.map({"clients": 0, "facilities": 1}),
            kind="stable",
        )
    )  # fmt: skip
    for name, column in (("clients", "parent_id"), ("facilities", "client_id")):
        frame, mine = frames[name], table[table["frame"] == name]
        out = np.zeros(len(frame), np.bool_)
        out[mine["position"].to_numpy(dtype=np.int64)] = True
        gone = frames["clients"]["client_id"][
            np.isin(np.arange(len(frames["clients"])),
                    table.loc[table["frame"] == "clients", "position"])
        ]  # fmt: skip
        named = frame[column].isin(gone.dropna()).to_numpy(np.bool_)
        assert not (named & ~out).any()  # a kept row names no id set aside
        only = np.zeros(len(frame), np.bool_)
        only[mine["position"].to_numpy(dtype=np.int64)] = _only_dependant(
            mine["reason"]
        ).to_numpy(np.bool_)
        assert (named[only]).all()  # set aside as a dependant: it names one
        assert mine["position"].is_unique


def test_a_row_with_several_reasons_lists_them_in_rule_order_once() -> None:
    frames = {
        "clients": _clients(["A", "a", "B"], [None, None, "A"], object,
                            [-1.0, 1.0, 1.0]),
        "facilities": _facilities(["B", "Z", "A"], object),
    }  # fmt: skip
    table = check_book_frames(frames, quarantine=True).rejected
    assert table["frame"].tolist() == ["clients"] * 3 + ["facilities"] * 3
    assert table["position"].tolist() == [0, 1, 2, 0, 1, 2]
    first = _parts(table["reason"].iloc[0])
    assert first[0].startswith("`annual_revenue` must be a finite number >= 0")
    assert first[1].startswith("`client_id` must be an id no other row has")
    assert len(first) == 2
    assert DEPENDANT in table["reason"].iloc[2]
    assert "the id of a row of the clients frame" in table["reason"].iloc[4]


def test_nothing_set_aside_gives_the_empty_table_of_before() -> None:
    frames = {"clients": _clients(["A"], [None], object, [1.0])}
    table = check_book_frames(frames, quarantine=True).rejected
    assert list(table.columns) == ["frame", "row", "position", "reason"]
    assert len(table) == 0
    assert table["position"].dtype == np.int64
    assert table["reason"].dtype == np.float64  # pandas' empty groupby result, kept


@settings(max_examples=80, deadline=None)
@given(
    ids=st.lists(st.sampled_from([*IDS, "a ", "B"]), min_size=1, max_size=8),
    dtype=st.sampled_from(["str", object]),
)
def test_one_distinctness_proof_serves_the_unique_and_near_duplicate_rules(
    ids: list[str | None], dtype: str | type
) -> None:
    """The errors are those of each rule run on its own (the path before sharing)."""
    raw = _clients(ids, [None] * len(ids), dtype, [1.0] * len(ids))
    clients = fill_defaults(raw, "clients")[0]
    expected = [
        *collect(frame_check("clients", clients, rows=True), ()),
        *(r.error(clients) for r in integrity_rules({"clients": clients})),
    ]
    try:
        check_book_frames({"clients": raw})
    except BatchValidationError as exc:
        found = [str(e) for e in exc.exceptions]
    else:
        found = []
    assert found == [str(e) for e in expected]


def test_an_interaction_naming_an_unknown_contact_is_one_of_the_batch_errors() -> None:
    """Without quarantine it was a bare `UnknownReferenceError` raised at the build."""
    book = generate_book(25, seed=3, as_of=dt.date(2025, 12, 31))
    frames = attrs.asdict(book_frames(book), recurse=False)
    interactions = frames["interactions"].copy()
    interactions.index = [f"x{k}" for k in range(len(interactions))]
    interactions.loc["x3", "contact_ids"] = "C0000002-K9"
    clients = frames["clients"].copy()
    clients.loc[clients.index[1], "annual_revenue"] = -5.0
    frames.update(interactions=interactions, clients=clients)
    with pytest.raises(BatchValidationError) as info:
        load_book(frames)
    assert [str(e) for e in info.value.exceptions] == [
        (
            "`clients[1].annual_revenue` must be a finite number >= 0; got -5.0. 1 row "
            "fails this rule: 1."
        ),
        (
            "`interactions['x3'].contact_ids` must be ids of contacts of its client in the "
            "contacts frame (first unknown at position 3); got 'C0000002-K9'. 1 row fails "
            "this rule: 'x3'."
        ),
    ]
    frames.update(clients=frames["clients"].assign(annual_revenue=1.0))
    with pytest.raises(BatchValidationError, match="first unknown at position 3"):
        check_book_frames(frames)


_SPECS = {spec.name: spec for spec in SPECS["clients"] + SPECS["facilities"]}


@settings(max_examples=150, deadline=None)
@given(
    column=st.sampled_from(["annual_revenue", "product_count", "default_probability",
                            "margin_bps", "currency", "country", "status"]),
    values=st.lists(st.sampled_from([0.0, 1.0, -1.0, 0.5, 2.0, np.inf, np.nan, 1e9]),
                    min_size=1, max_size=12),
    codes=st.lists(st.sampled_from(["EUR", "USD", "DE", "active", "xx", None]),
                   min_size=1, max_size=12),
    dtype=st.sampled_from(["float64", "int64", "str", object]),
)  # fmt: skip
def test_a_column_passes_only_if_its_rule_masks_are_empty(
    column: str, values: list[float], codes: list[str | None], dtype: str | type
) -> None:
    """`passes_spec` (which skips the masks) is only said of columns check_frame passes."""
    spec = _SPECS[column]
    if spec.kind == "category":
        if dtype not in {"str", object}:
            return
        col = pd.Series(codes, dtype=dtype, name=column)
    else:
        if dtype in {"str", object}:
            return
        numbers = np.array(values)
        if dtype == "int64":
            numbers = numbers[np.isfinite(numbers)].round()
            if numbers.size == 0:  # no finite value drawn: nothing an int column holds
                return
        col = pd.Series(numbers, dtype=dtype, name=column)
    masks = [r.mask for r in spec_rules(col.to_frame(), [spec], "t")]
    try:
        check_frame(col.to_frame(), [spec], frame_name="t")
    except BatchValidationError:
        clean = False
    else:
        clean = True
    if passes_spec(col, spec):
        assert clean
        assert masks == []
    assert clean == (masks == [])


def test_book_from_frames_names_an_unknown_contact_by_its_row_label() -> None:
    """It raised a bare `UnknownReferenceError` naming the client's interaction index."""
    book = generate_book(25, seed=3, as_of=dt.date(2025, 12, 31))
    frames = book_frames(book)
    interactions = frames.interactions.copy()
    interactions.index = [f"x{k}" for k in range(len(interactions))]
    interactions.loc["x3", "contact_ids"] = "C0000002-K1;C0000002-K9"
    interactions.loc["x5", "client_id"] = "C-404"  # an unknown client, reported beside
    with pytest.raises(BatchValidationError) as info:
        book_from_frames(attrs.evolve(frames, interactions=interactions))
    found = [str(e) for e in info.value.exceptions]
    assert len(found) == 2
    assert found[0] == (
        "`interactions['x3'].contact_ids` must be ids of contacts of its client in the "
        "contacts frame; got 'C0000002-K9'."
    )
    assert "'C-404'" in found[1]
    assert "`interactions['x5'].client_id`" in found[1]
    assert book_from_frames(frames) == book
