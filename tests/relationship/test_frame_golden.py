"""relationship_frame pinned to its values before the codes-not-strings rework (#20).

The golden files under ``data/`` were written by `write_goldens` with the code of
``main`` at a6fb13b, before the text columns became categoricals: every value as
text (``str()`` of each value), the column order and the index. A column may change dtype
(object or str to category, see the CHANGELOG) but never its values.
"""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd
import pytest

from lendcrm.lifecycle import StageRules
from lendcrm.relationship import (
    ActionRules,
    RelationshipModels,
    RelationshipPricing,
    RetentionCall,
)
from lendcrm.relationship.commercial.value_frames import (
    attrition_frame,
    cross_sell_frame,
)
from lendcrm.relationship.frames import fit_tiering, relationship_frame
from lendcrm.risk.scoring import DEFAULT_MASTER_SCALE
from lendcrm.segmentation import RiskOverlay
from lendcrm.synthetic import generate_frames

DATA = Path(__file__).parent / "data"
AS_OF = dt.date(2025, 12, 31)
FX = {
    "GBP": 1.17,
    "USD": 0.92,
    "PLN": 0.23,
    "SEK": 0.088,
    "DKK": 0.134,
    "NOK": 0.086,
    "CHF": 1.05,
}


PYTHON_TEXT = pd.StringDtype("python", na_value=np.nan)


def _held(syn: Any, storage: str) -> Any:
    """The synthetic book with its text held by pyarrow (as made) or Python strings.

    The frame must not depend on where its text is held: pandas holds it in pyarrow
    when pyarrow is installed, as Python strings when not (the floors job).
    """
    if storage == "pyarrow":
        return syn

    def python(frame: pd.DataFrame) -> pd.DataFrame:
        text = [c for c in frame.columns if isinstance(frame[c].dtype, pd.StringDtype)]
        return frame.assign(**{c: frame[c].astype(PYTHON_TEXT) for c in text})

    frames = {
        f.name: python(getattr(syn, f.name))
        for f in attrs.fields(type(syn))
        if isinstance(getattr(syn, f.name), pd.DataFrame)
    }
    return attrs.evolve(syn, **frames)


def _rich(storage: str = "pyarrow") -> pd.DataFrame:
    """Every composed model, signals, the commercial input and the tasks."""
    syn = _held(generate_frames(300, seed=21, as_of=AS_OF, periods=3), storage)
    models = RelationshipModels(
        fx_rates=FX,
        pricing=RelationshipPricing(),
        master_scale=DEFAULT_MASTER_SCALE,
        stage_rules=StageRules.builtin(),
        overlay=RiskOverlay(),
    )
    models = attrs.evolve(
        models,
        tiering=fit_tiering(syn.book_frames(), as_of=AS_OF, models=models),
        actions=ActionRules.builtin().with_rule(RetentionCall()),
    )
    plain = relationship_frame(
        syn.book_frames(), as_of=AS_OF, models=models, signals=syn.signals
    )
    cross = cross_sell_frame(syn.clients, syn.facilities, plain["tier"])
    leave = attrition_frame(
        syn.signals,
        feedback=syn.feedback,
        facilities=syn.facilities,
        observations=syn.observations,
        as_of=AS_OF,
    )
    return relationship_frame(
        syn.book_frames(),
        as_of=AS_OF,
        models=models,
        signals=syn.signals,
        commercial=cross.merge(leave),
        tasks=syn.tasks,
    )


def _plain(storage: str = "pyarrow") -> pd.DataFrame:
    """Only the rates: no signals, stage rules, tiers or pricing."""
    syn = _held(generate_frames(200, seed=22, as_of=AS_OF, periods=1), storage)
    return relationship_frame(
        syn.book_frames(), as_of=AS_OF, models=RelationshipModels(fx_rates=FX)
    )


CASES = {"rich": _rich, "plain": _plain}


def _as_text(frame: pd.DataFrame) -> dict[str, Any]:
    """Each value as ``str()`` of its Python scalar (NaN reads ``"nan"``)."""
    return {
        "index": [str(v) for v in frame.index.tolist()],
        "columns": {str(c): [str(v) for v in frame[c].tolist()] for c in frame.columns},
    }


def write_goldens() -> None:  # pragma: no cover - run by hand on main, once
    """Write the golden files (``python -c 'import tests...; write_goldens()'``)."""
    for name, build in CASES.items():
        path = DATA / f"relationship_frame_{name}.json"
        path.write_text(json.dumps(_as_text(build()), indent=0) + "\n")


@pytest.mark.parametrize("storage", ["pyarrow", "python"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_values_equal_the_golden(name, storage):
    want = json.loads((DATA / f"relationship_frame_{name}.json").read_text())
    got = _as_text(CASES[name](storage))
    assert got["index"] == want["index"]
    assert list(got["columns"]) == list(want["columns"])
    for column, values in want["columns"].items():
        assert got["columns"][column] == values, column


def test_golden_cases_are_not_trivial():
    want = json.loads((DATA / "relationship_frame_rich.json").read_text())
    columns = want["columns"]
    for name in ("stage", "stage_reasons", "tier", "warning_reasons", "actions"):
        assert len(set(columns[name])) > 2, name
    assert np.isfinite(np.array(columns["raroc"], dtype=float)).any()


def test_columns_are_writable_and_independent():
    """The frame wraps its steps' arrays uncopied: a write changes one column only."""
    syn = generate_frames(40, seed=23, as_of=AS_OF, periods=1)
    frames = syn.book_frames()
    clients = frames.clients.copy()
    rf = relationship_frame(frames, as_of=AS_OF, models=RelationshipModels(fx_rates=FX))
    want = rf.copy()
    numeric = [c for c in rf.columns if rf[c].dtype.kind in "fi"]
    first = rf.index[0]
    for i, name in enumerate(numeric):
        rf.loc[first, name] = 1000 + i
    for i, name in enumerate(numeric):
        assert rf.loc[first, name] == 1000 + i, name
        pd.testing.assert_series_equal(rf[name].iloc[1:], want[name].iloc[1:])
    pd.testing.assert_frame_equal(frames.clients, clients)
