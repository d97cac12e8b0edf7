"""Stages, pricing and scoring over client ranges: meta, equality, empty parts, checks."""

import copyreg
import importlib.util
import pickle
from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.errors import (
    BatchValidationError,
    InvalidRowsError,
    InvalidValueError,
    UnknownReferenceError,
)
from lendcrm.frames import BookFrames
from lendcrm.lifecycle import StageRules
from lendcrm.lifecycle.frames import assess_stages
from lendcrm.relationship import RelationshipModels
from lendcrm.relationship._gather import positions
from lendcrm.relationship._range_tasks import relabel
from lendcrm.relationship.frames import relationship_frame
from lendcrm.relationship.scaleout import (
    BookPartition,
    ClientRange,
    partition_book,
    pricing_dask,
    pricing_meta,
    pricing_range,
    relationship_dask,
    relationship_range,
    scores_dask,
    scores_meta,
    scores_range,
    stages_dask,
    stages_meta,
    stages_range,
)
from lendcrm.risk.capital import BASEL_III
from lendcrm.risk.pricing.frames import price_facilities_frame
from lendcrm.risk.scoring.frames import score_frame
from lendcrm.synthetic import generate_frames
from tests.relationship.rich_models import AS_OF, FX, rich_models
from tests.relationship.test_scaleout_ranges import ranges_of

STRING = pd.StringDtype()
TERMS: dict[str, Any] = {
    "regime": BASEL_III,
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.03,
    "capital_ratio": 0.1,
}


@pytest.fixture(scope="module")
def models():
    return rich_models()


@pytest.fixture(scope="module")
def book():
    return generate_frames(900, seed=11, as_of=AS_OF)


@pytest.fixture
def ranges(book, tmp_path):
    parts = partition_book(book.book_frames(), partitions=3, signals=book.signals)
    return ranges_of(parts, tmp_path)


def _whole(book):
    part = BookPartition(frames=book.book_frames(), signals=book.signals)
    return ClientRange(reader=lambda: part, lower="C", upper="D")


def _by_client(frame, ids, meta):
    """The single-process result as the partitioned face shows it."""
    out = frame.set_axis(pd.Index(ids.to_numpy(), dtype=STRING, name="client_id"))
    return out.sort_index(kind="stable").astype(meta.dtypes.to_dict())


def _single(kind, book, models):
    if kind == "stages":
        rules = models.stage_rules
        got = assess_stages(book.signals, as_of=AS_OF, rules=rules)
        return _by_client(got, book.signals["client_id"], stages_meta(rules))
    if kind == "pricing":
        facilities = book.facilities
        got = price_facilities_frame(facilities, as_of=AS_OF, **TERMS)
        got = got[pricing_meta().columns]
        return _by_client(got, facilities["client_id"], pricing_meta())
    got = score_frame(models.scorecard, book.clients, ignore_extra=True)
    return _by_client(got, book.clients["client_id"], scores_meta(models.scorecard))


def _range(kind, part, number, models):
    if kind == "stages":
        return stages_range(part, number, as_of=AS_OF, rules=models.stage_rules)
    if kind == "pricing":
        return pricing_range(part, number, as_of=AS_OF, terms=TERMS)
    return scores_range(part, number, scorecard=models.scorecard)


def _dask(kind, parts, models):
    if kind == "stages":
        return stages_dask(parts, as_of=AS_OF, rules=models.stage_rules)
    if kind == "pricing":
        return pricing_dask(parts, as_of=AS_OF, terms=TERMS)
    return scores_dask(parts, scorecard=models.scorecard)


def _meta(kind, models):
    if kind == "stages":
        return stages_meta(models.stage_rules)
    if kind == "pricing":
        return pricing_meta()
    return scores_meta(models.scorecard)


KINDS = ["stages", "pricing", "scores"]


@pytest.mark.parametrize("kind", KINDS)
def test_meta_equals_a_real_result(kind, models, book):
    meta = _meta(kind, models)
    real = _range(kind, _whole(book), 0, models)
    assert len(meta) == 0 < len(real)
    assert meta.columns.tolist() == real.columns.tolist()
    pd.testing.assert_series_equal(meta.dtypes, real.dtypes)
    assert meta.index.dtype == real.index.dtype == STRING
    assert meta.index.name == real.index.name == "client_id"


@pytest.mark.parametrize("kind", KINDS)
def test_one_range_equals_the_batch_function(kind, models, book):
    got = _range(kind, _whole(book), 0, models)
    pd.testing.assert_frame_equal(got, _single(kind, book, models))


@pytest.mark.parametrize("kind", KINDS)
def test_ranges_joined_equal_the_batch_function(kind, models, book, ranges):
    joined = pd.concat(_range(kind, r, k, models) for k, r in enumerate(ranges))
    pd.testing.assert_frame_equal(joined, _single(kind, book, models))


@pytest.mark.parametrize("kind", KINDS)
def test_an_empty_part_returns_the_meta(kind, models):
    part = ClientRange(reader=BookFrames, lower="A", upper="B")
    pd.testing.assert_frame_equal(_range(kind, part, 0, models), _meta(kind, models))


def test_stage_ranges_need_signals(book):
    frames = book.book_frames()
    part = ClientRange(reader=lambda: frames, lower="C", upper="D")
    with pytest.raises(InvalidValueError) as info:
        stages_range(part, 2, as_of=AS_OF, rules=StageRules.builtin())
    assert info.value.field == "parts[2].reader().signals"


def test_a_signals_row_outside_the_range_is_named(book):
    signals = book.signals.set_axis(pd.RangeIndex(500, 500 + len(book.signals)))
    part = BookPartition(frames=BookFrames(), signals=signals)
    first = signals["client_id"].iloc[0]
    rng = ClientRange(reader=lambda: part, lower="C0000005", upper="D")
    with pytest.raises(InvalidValueError) as info:
        stages_range(rng, 1, as_of=AS_OF, rules=StageRules.builtin())
    assert info.value.field == "parts[1].signals[500].client_id"
    assert info.value.value == first
    twice = BookPartition(frames=BookFrames(), signals=signals.iloc[[0, 1, 0]])
    rng = ClientRange(reader=lambda: twice, lower="C", upper="D")
    with pytest.raises(InvalidValueError, match="not already listed") as info:
        stages_range(rng, 1, as_of=AS_OF, rules=StageRules.builtin())
    assert info.value.field == "parts[1].signals[500].client_id"


@pytest.mark.parametrize("kind", KINDS)
def test_an_orphan_facility_is_refused(kind, models, book):
    frames = book.book_frames()
    kept = frames.clients.iloc[1:]
    part = attrs.evolve(frames, clients=kept)
    orphan = frames.facilities.index[
        frames.facilities["client_id"] == frames.clients["client_id"].iloc[0]
    ][0]
    rng = ClientRange(reader=lambda: part, lower="C", upper="D")
    with pytest.raises(
        UnknownReferenceError, match=rf"parts\[4\]\.facilities\[{orphan}\]"
    ):
        _range(kind, rng, 4, models)


def test_pricing_errors_name_the_part_and_the_readers_labels(book):
    frames = book.book_frames()
    facilities = frames.facilities.set_axis(
        pd.RangeIndex(7000, 7000 + len(frames.facilities))
    )
    facilities.loc[7003, "loss_given_default"] = 2.0
    part = attrs.evolve(frames, facilities=facilities)
    rng = ClientRange(reader=lambda: part, lower="C", upper="D")
    with pytest.raises(BatchValidationError) as info:
        pricing_range(rng, 6, as_of=AS_OF, terms=TERMS)
    assert "parts[6].facilities[7003].loss_given_default" in str(info.value)
    assert info.value.__notes__ == ["in parts[6] (client ids 'C' to 'D')"]


def test_unknown_pricing_terms_are_refused():
    part = ClientRange(reader=BookFrames, lower="A", upper="B")
    with pytest.raises(InvalidValueError) as info:
        pricing_range(part, as_of=AS_OF, terms={**TERMS, "funding": 0.1})
    assert info.value.field == "terms['funding']"
    with pytest.raises(InvalidValueError, match="`terms` must be a mapping"):
        pricing_range(part, as_of=AS_OF, terms=[])  # type: ignore[arg-type]


def test_models_are_checked():
    with pytest.raises(InvalidValueError, match="`rules` must be a StageRules"):
        stages_meta(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="`scorecard` must be a Scorecard"):
        scores_meta(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="`part` must be a ClientRange"):
        scores_range("C-D", scorecard=None)  # type: ignore[arg-type]


@pytest.mark.skipif(importlib.util.find_spec("dask") is None, reason="dask extra")
class TestDask:
    @pytest.mark.parametrize("convert", [True, False])
    @pytest.mark.parametrize("kind", KINDS)
    def test_synchronous_run_equals_one_process(
        self, kind, convert, models, book, ranges
    ):
        import dask

        with dask.config.set({"dataframe.convert-string": convert}):
            lazy = _dask(kind, ranges, models)
            assert lazy.known_divisions
            assert lazy.npartitions == len(ranges)
            pd.testing.assert_series_equal(lazy.dtypes, _meta(kind, models).dtypes)
            got = lazy.compute(scheduler="synchronous")
        pd.testing.assert_frame_equal(got, _single(kind, book, models))

    @pytest.mark.parametrize("kind", KINDS)
    def test_an_empty_range_gives_an_empty_partition(self, kind, models, ranges):
        empty = ClientRange(reader=BookFrames, lower="E", upper="F")
        lazy = _dask(kind, [*ranges, empty], models)
        last = lazy.get_partition(len(ranges)).compute(scheduler="synchronous")
        pd.testing.assert_frame_equal(last, _meta(kind, models))

    @pytest.mark.parametrize("kind", KINDS)
    def test_overlapping_ranges_are_refused_at_once(self, kind, models, ranges):
        with pytest.raises(InvalidValueError, match=r"`parts\[1\]\.lower`"):
            _dask(kind, [ranges[1], ranges[0]], models)


@pytest.fixture(autouse=True, scope="module")
def _lendcrm_reducers():
    """Undo what importing ``dask.dataframe`` did to this process's pickling."""
    yield
    for cls in list(copyreg.dispatch_table):
        if getattr(cls, "__module__", "").startswith("lendcrm"):
            del copyreg.dispatch_table[cls]


def test_relationship_frame_positions_become_the_readers_labels():
    small = generate_frames(30, seed=3, as_of=AS_OF)
    frames = small.book_frames()
    clients = pd.concat([frames.clients, frames.clients.iloc[[4]]])
    clients = clients.set_axis(pd.RangeIndex(1000, 1000 + len(clients)))
    part = attrs.evolve(frames, clients=clients)
    rng = ClientRange(reader=lambda: part, lower="C", upper="D")
    with pytest.raises(InvalidValueError) as info:
        relationship_range(rng, 3, as_of=AS_OF, models=RelationshipModels(fx_rates=FX))
    # relationship_frame names the repeat by its position (30); the reader's label
    assert info.value.field == "parts[3].clients[1030].client_id"
    assert info.value.value == frames.clients["client_id"].iloc[4]
    assert info.value.__notes__ == ["in parts[3] (client ids 'C' to 'D')"]
    again = pickle.loads(pickle.dumps(info.value))
    assert again.field == info.value.field
    assert str(again) == str(info.value)


def test_relabel_maps_positions_and_leaves_the_rest():
    feedback = pd.DataFrame({"client_id": list("abcd")}, index=[10, 11, 12, 13])
    tables = {"feedback": feedback}
    exc = UnknownReferenceError(kind="client", key="x", field="feedback[3]")
    got = relabel(exc, tables, 2)
    assert isinstance(got, UnknownReferenceError)
    assert type(got) is UnknownReferenceError
    assert got.field == "parts[2].feedback[13]"
    assert str(got) == "No client with id 'x' (referenced by `parts[2].feedback[13]`)."
    moved = InvalidValueError(field="feedback[1].score", value=11, expected="<= 10")
    relabelled = relabel(moved, tables, 0)
    assert isinstance(relabelled, InvalidValueError)
    assert relabelled.field == "parts[0].feedback[11].score"
    for same in (
        InvalidValueError(field="feedback[9].score", value=1, expected="x"),  # no row 9
        InvalidValueError(field="ratings[0].grade", value=1, expected="x"),  # no frame
        InvalidValueError(field="as_of", value=1, expected="a date"),
    ):
        assert relabel(same, tables, 0) is same
    rows = InvalidRowsError(
        frame="feedback",
        column="score",
        rows=(12,),
        count=1,
        value=11,
        expected="<= 10",
    )
    group = BatchValidationError([rows], total=4)
    got_group = relabel(group, tables, 1)
    assert isinstance(got_group, BatchValidationError)
    child = got_group.exceptions[0]
    assert isinstance(child, InvalidRowsError)
    assert child.field == "parts[1].feedback[12].score"
    assert got_group.total == 4


@pytest.mark.skipif(importlib.util.find_spec("dask") is None, reason="dask extra")
def test_parts_with_different_actions_write_one_parquet_schema(ranges, tmp_path):
    """`actions` (the fired rules, joined) takes values no model lists in full (any
    subset of the rules): the partitioned face gives it the ``string`` dtype, so
    parts with different actions agree and ``to_parquet`` takes them all (a
    categorical of the actions met would differ from part to part)."""
    pytest.importorskip("pyarrow")
    import dask

    models = RelationshipModels(fx_rates=FX)
    results = [
        relationship_range(r, k, as_of=AS_OF, models=models)
        for k, r in enumerate(ranges)
    ]
    met = [set(r["actions"].dropna()) for r in results]
    assert met[0] != met[1]  # the parts met different actions
    assert all(r["actions"].dtype == STRING for r in results)
    plain = [
        relationship_frame(p.reader().frames, as_of=AS_OF, models=models)["actions"]
        for p in ranges[:2]
    ]
    assert plain[0].dtype != plain[1].dtype  # what the parts' own frames give
    with dask.config.set({"dataframe.convert-string": False}):
        lazy = relationship_dask(ranges, as_of=AS_OF, models=models)
        lazy.to_parquet(tmp_path / "out", compute_kwargs={"scheduler": "synchronous"})
    back = pd.read_parquet(tmp_path / "out")
    want = pd.concat(results)
    assert (
        back["actions"].astype(object).tolist()
        == want["actions"].astype(object).tolist()
    )
    assert back.index.tolist() == want.index.tolist()


@settings(max_examples=60, deadline=None)
@given(
    labels=st.lists(st.integers(-(10**6), 10**6), min_size=1, max_size=20, unique=True),
    data=st.data(),
)
def test_any_position_is_named_by_its_label(labels: list[int], data: Any) -> None:
    """Whatever labels the reader gave, position ``i`` is named by ``labels[i]``."""
    frame = pd.DataFrame({"client_id": ["C"] * len(labels)}, index=labels)
    i = data.draw(st.integers(0, len(labels) - 1))
    rest = data.draw(st.sampled_from(["", ".client_id", ".score"]))
    k = data.draw(st.integers(0, 99))
    exc = InvalidValueError(field=f"feedback[{i}]{rest}", value=1, expected="x")
    got = relabel(exc, {"feedback": frame}, k)
    assert isinstance(got, InvalidValueError)
    assert got.field == f"parts[{k}].feedback[{labels[i]}]{rest}"
    assert str(got).startswith(f"`parts[{k}].feedback[{labels[i]}]{rest}` must be x")


@pytest.mark.parametrize("dtype", [object, "str"])
def test_positions_of_keys_in_ids_with_a_repeat_point_at_the_first_row(dtype):
    # A part with a repeated client id is refused later, by relationship_frame, with the
    # reader's label; the closure check before it must not fail first on the repeat
    # (without pyarrow it raised pandas' InvalidIndexError).
    index = pd.Index(["a", "b", "a", "c"], dtype=dtype)
    keys = pd.Series(["c", "a", "x", "b"], dtype=dtype)
    assert positions(keys, index).tolist() == [3, 0, -1, 1]
