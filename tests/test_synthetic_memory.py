"""The frames of a synthetic book own their columns: a write to one changes no other.

On pandas 2.x without copy-on-write the clients, signals and stages frames held one
``client_id`` array, so renaming a client in the signals changed the clients frame too
(issue #16, deliverable 5). These tests pin the fix on every supported pandas.
"""

from __future__ import annotations

import datetime as dt
import itertools

import attrs
import numpy as np
import pandas as pd
import pytest

from lendcrm.frames import columns as schema
from lendcrm.synthetic import SyntheticFrames, generate_frames


@pytest.fixture(scope="module")
def book() -> SyntheticFrames:
    return generate_frames(40, seed=16, as_of=dt.date(2025, 12, 31))


def fresh() -> SyntheticFrames:
    return generate_frames(40, seed=16, as_of=dt.date(2025, 12, 31))


ID_FRAMES = ("clients", "signals", "stages")


@pytest.mark.parametrize("written", ID_FRAMES)
def test_writing_a_client_id_in_one_frame_leaves_the_others_unchanged(written):
    b = fresh()
    before = {name: getattr(b, name)[schema.CLIENT_ID].tolist() for name in ID_FRAMES}
    frame = getattr(b, written)
    frame.loc[frame.index[0], schema.CLIENT_ID] = "C-RENAMED"
    assert getattr(b, written)[schema.CLIENT_ID].iloc[0] == "C-RENAMED"
    for name in ID_FRAMES:
        if name != written:
            assert getattr(b, name)[schema.CLIENT_ID].tolist() == before[name]


def mutable_buffer(column: pd.Series) -> np.ndarray | None:
    """The numpy array a write to ``column`` would change in place, if any.

    pandas' string dtype (pandas 3) never writes through a shared array under
    copy-on-write, so it has none; pandas 2's object strings do.
    """
    if isinstance(column.dtype, pd.StringDtype):
        return None
    array = column.array
    if isinstance(array, pd.Categorical):
        return np.asarray(array.codes)
    for attr in ("_ndarray", "_data"):  # numpy-backed, datetime and masked arrays
        data = getattr(array, attr, None)
        if isinstance(data, np.ndarray):
            return data
    return None


def test_no_two_frames_share_a_mutable_column(book):
    buffers = []
    for field in attrs.fields(SyntheticFrames):
        frame = getattr(book, field.name)
        for column in frame.columns:
            data = mutable_buffer(frame[column])
            if data is not None and data.size:
                buffers.append((field.name, column, data))
    assert len(buffers) > 100  # the check saw the book's columns
    shared = [
        (a[:2], b[:2])
        for a, b in itertools.combinations(buffers, 2)
        if a[0] != b[0] and np.shares_memory(a[2], b[2])
    ]
    assert shared == []
