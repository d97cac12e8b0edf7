"""relationship_frame looks the client ids up once per book (#20): same refusals.

The clients' ids are looked up for every record frame at once (`client_keys`); the
refusals must still come from the step that reads the frame, with the same message,
whether the text is held by pyarrow or as Python strings.
"""

import datetime as dt
import importlib.util

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError, UnknownReferenceError
from lendcrm.relationship import RelationshipModels
from lendcrm.relationship._client_keys import RECORD_FRAMES, client_keys
from lendcrm.relationship._gather import positions
from lendcrm.relationship.frames import relationship_frame
from lendcrm.synthetic import generate_frames

AS_OF = dt.date(2025, 12, 31)
MODELS = RelationshipModels(fx_rates={"GBP": 1.17, "USD": 0.92, "PLN": 0.23,
                                      "SEK": 0.088, "DKK": 0.134, "NOK": 0.086,
                                      "CHF": 1.05})  # fmt: skip
PYTHON_TEXT = pd.StringDtype("python", na_value=np.nan)
#: pandas' text storages: pyarrow's only where it is installed (the floors job has none)
STORAGES = ["pyarrow", "python"] if importlib.util.find_spec("pyarrow") else ["python"]


def _frames(storage: str):
    frames = generate_frames(30, seed=31, as_of=AS_OF, periods=1).book_frames()
    if storage == "pyarrow":
        return frames

    def python(frame: pd.DataFrame) -> pd.DataFrame:
        text = [c for c in frame.columns if isinstance(frame[c].dtype, pd.StringDtype)]
        return frame.assign(**{c: frame[c].astype(PYTHON_TEXT) for c in text})

    return attrs.evolve(
        frames,
        **{
            f.name: python(getattr(frames, f.name))
            for f in attrs.fields(type(frames))
            if isinstance(getattr(frames, f.name), pd.DataFrame)
        },
    )


def _renamed(frame: pd.DataFrame, row: int, client: str) -> pd.DataFrame:
    out = frame.copy()
    ids = out["client_id"].astype(object).to_numpy(copy=True)
    ids[row] = client
    out["client_id"] = pd.Series(ids, index=out.index).astype(frame["client_id"].dtype)
    return out


@pytest.mark.parametrize("storage", STORAGES)
def test_a_repeated_client_is_refused_at_its_first_repeat(storage):
    frames = _frames(storage)
    clients = _renamed(frames.clients, 7, str(frames.clients["client_id"].iloc[2]))
    clients = _renamed(clients, 9, str(frames.clients["client_id"].iloc[1]))
    with pytest.raises(InvalidValueError) as info:
        relationship_frame(attrs.evolve(frames, clients=clients), as_of=AS_OF,
                           models=MODELS)  # fmt: skip
    assert info.value.field == "clients[7].client_id"
    assert info.value.value == frames.clients["client_id"].iloc[2]


@pytest.mark.parametrize("storage", STORAGES)
@pytest.mark.parametrize("name", ["facilities", "feedback", "referrals"])
def test_a_record_of_an_unknown_client_is_refused_by_its_step(storage, name):
    frames = _frames(storage)
    row = len(getattr(frames, name)) - 1
    bad = _renamed(getattr(frames, name), row, "NOBODY")
    with pytest.raises(UnknownReferenceError) as info:
        relationship_frame(attrs.evolve(frames, **{name: bad}), as_of=AS_OF,
                           models=MODELS)  # fmt: skip
    assert str(info.value).startswith("No client with id 'NOBODY'")
    assert f"{name}[{row}]" in str(info.value)


@pytest.mark.parametrize("storage", STORAGES)
@pytest.mark.parametrize("name", ["interactions", "ratings"])
def test_a_service_record_of_an_unknown_client_is_refused(storage, name):
    frames = _frames(storage)
    bad = _renamed(getattr(frames, name), 0, "NOBODY")
    with pytest.raises(UnknownReferenceError) as info:
        relationship_frame(attrs.evolve(frames, **{name: bad}), as_of=AS_OF,
                           models=MODELS)  # fmt: skip
    assert f"{name}.client_id" in str(info.value)
    assert "'NOBODY'" in str(info.value)


@pytest.mark.skipif(len(STORAGES) < 2, reason="pyarrow is not installed: one storage")
def test_the_refusals_read_the_same_in_both_storages():
    said = []
    for storage in STORAGES:
        frames = _frames(storage)
        bad = _renamed(frames.feedback, 3, "NOBODY")
        with pytest.raises(UnknownReferenceError) as info:
            relationship_frame(attrs.evolve(frames, feedback=bad), as_of=AS_OF,
                               models=MODELS)  # fmt: skip
        said.append(str(info.value))
    assert said[0] == said[1]


@settings(max_examples=40)
@given(
    st.lists(st.sampled_from(["C1", "C2", "C3", "C4", "NOBODY", None]), max_size=30),
    st.sampled_from(STORAGES),
)
def test_the_shared_look_up_equals_a_look_up_per_frame(keys, storage):
    # runs of one client are looked up once and repeated; scattered keys one by one
    dtype = pd.StringDtype(storage, na_value=np.nan)
    frames = _frames("pyarrow")
    clients = pd.Series(["C1", "C2", "C3", "C4"], dtype=dtype)
    index = pd.Index(clients, name="client_id")
    records = pd.DataFrame({"client_id": pd.Series(keys, dtype=dtype)})
    frames = attrs.evolve(
        frames,
        clients=frames.clients.iloc[:4].assign(client_id=clients.to_numpy()),
        **dict.fromkeys(RECORD_FRAMES, records),
    )
    found = client_keys(frames)
    for name in RECORD_FRAMES:
        want = positions(records["client_id"], index)
        got = found.rows.get(name)
        if got is None:
            continue
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("storage", STORAGES)
@pytest.mark.parametrize("shuffled", [False, True])
def test_one_record_per_client_in_the_clients_order_is_read_without_hashing(
    storage, shuffled
):
    # a frame holding each client once, in the clients' order, is the identity
    frames = _frames(storage)
    ids = frames.clients["client_id"]
    order = np.arange(len(ids))[::-1] if shuffled else np.arange(len(ids))
    records = pd.DataFrame({"client_id": ids.iloc[order].reset_index(drop=True)})
    found = client_keys(attrs.evolve(frames, ratings=records))
    want = positions(records["client_id"], pd.Index(ids))
    np.testing.assert_array_equal(found.codes(attrs.evolve(frames, ratings=records),
                                              "ratings", field="ratings"), want)  # fmt: skip
    np.testing.assert_array_equal(want, order)
