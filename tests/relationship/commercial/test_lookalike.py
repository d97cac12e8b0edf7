"""Look-alike ranking: standardisation, k nearest neighbours, explanations, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lendcrm.errors import InvalidValueError
from lendcrm.relationship.commercial import LookAlikeIndex, Standardisation

NAMES = ("revenue", "leverage")
REF = {"revenue": [10.0, 20.0, 30.0, 40.0], "leverage": [1.0, 2.0, 1.0, 2.0]}


def test_standardisation_uses_the_reference_mean_and_population_sd():
    s = Standardisation.fit(REF, names=NAMES)
    assert s.mean.tolist() == [25.0, 1.5]
    # population sd of 10, 20, 30, 40 is sqrt(125); of 1, 2, 1, 2 is 0.5
    assert s.scale == pytest.approx([125**0.5, 0.5])
    assert s.apply({"revenue": [25.0], "leverage": [2.0]}).tolist() == [[0.0, 1.0]]


def test_hand_computed_neighbours_distances_and_reasons():
    # prospect (21, 1.2) -> z = (-0.3578, -0.6); reference z rows (-1.342, -1),
    # (-0.447, 1), (0.447, -1), (1.342, 1): distances 1.062, 1.602, 0.899, 2.044.
    index = LookAlikeIndex.fit(REF, names=NAMES)
    found = index.query({"revenue": [21.0], "leverage": [1.2]}, k=3, top=2)
    assert found.neighbours.tolist() == [[2, 0, 1]]
    z = np.array([(21 - 25) / 125**0.5, -0.6])
    ref = np.array([[-15, -1], [-5, 1], [5, -1], [15, 1]]) / np.array([125**0.5, 1])
    want = np.sqrt(((ref - z) ** 2).sum(axis=1))[[2, 0, 1]]
    assert found.distances[0] == pytest.approx(want)
    # match 0 (row 2): gaps |0.805| revenue, |0.4| leverage -> leverage first
    assert found.explain(0, 0) == ("leverage", "revenue")
    # match 2 (row 1): gaps 0.089 revenue, 1.6 leverage -> revenue first
    assert found.explain(0, 2) == ("revenue", "leverage")
    assert found.mean_distance[0] == pytest.approx(want.mean())


def test_ranking_puts_the_most_alike_prospect_first():
    index = LookAlikeIndex.fit(REF, names=NAMES)
    found = index.query(
        {"revenue": [100.0, 20.0, 35.0], "leverage": [5.0, 2.0, 1.5]}, k=2
    )
    assert found.ranking().tolist() == [1, 2, 0]


matrices = arrays(
    np.float64,
    st.tuples(st.integers(3, 25), st.integers(1, 4)),
    elements=st.floats(-1e3, 1e3, allow_nan=False, width=32),
)


def _columns(x: np.ndarray) -> dict[str, np.ndarray]:
    return {f"f{j}": x[:, j] for j in range(x.shape[1])}


def _varies(x: np.ndarray) -> bool:
    return bool((x.std(axis=0) > 1e-6 * np.maximum(1.0, np.abs(x.mean(axis=0)))).all())


@given(matrices, st.data())
def test_batch_query_equals_one_prospect_match(ref, data):
    if not _varies(ref):
        return
    names = [f"f{j}" for j in range(ref.shape[1])]
    index = LookAlikeIndex.fit(_columns(ref), names=names)
    prospects = data.draw(
        arrays(np.float64, (5, ref.shape[1]), elements=st.floats(-1e3, 1e3, width=32))
    )
    k = data.draw(st.integers(1, ref.shape[0]))
    batch = index.query(_columns(prospects), k=k, top=1, chunk_size=2)
    for i in range(prospects.shape[0]):
        one = index.match(dict(zip(names, prospects[i], strict=True)), k=k, top=1)
        np.testing.assert_allclose(batch.distances[i], one.distances[0], atol=1e-9)


@given(matrices)
def test_self_match_is_zero_and_distance_is_symmetric(ref):
    if not _varies(ref):
        return
    names = [f"f{j}" for j in range(ref.shape[1])]
    m = ref.shape[0]
    index = LookAlikeIndex.fit(_columns(ref), names=names)
    found = index.query(_columns(ref), k=m, top=1)
    assert np.allclose(found.distances[:, 0], 0.0)
    full = np.empty((m, m))
    full[np.arange(m)[:, None], found.neighbours] = found.distances
    np.testing.assert_allclose(full, full.T, atol=1e-9)


def test_a_feature_with_no_variance_is_refused():
    with pytest.raises(InvalidValueError) as e:
        LookAlikeIndex.fit({"revenue": [1.0, 2.0], "leverage": [3.0, 3.0]}, names=NAMES)
    assert str(e.value) == (
        "`reference['leverage']` must be a feature that varies across the reference "
        "clients (standard deviation > 0); got 'every value 3'. Drop the feature or "
        "widen the reference set."
    )


def test_missing_feature_and_mismatched_lengths_are_refused():
    index = LookAlikeIndex.fit(REF, names=NAMES)
    with pytest.raises(
        InvalidValueError,
        match=r"`features\['leverage'\]` must be a "
        r"column for every feature",
    ):
        index.query({"revenue": [1.0]}, k=1)
    with pytest.raises(InvalidValueError) as e:
        index.query({"revenue": [1.0, 2.0], "leverage": [1.0]}, k=1)
    assert str(e.value) == (
        "`features['leverage']` must be the same length as `features['revenue']` (2); "
        "got 'length 1'."
    )


def test_bad_k_top_and_chunk_size_are_refused():
    index = LookAlikeIndex.fit(REF, names=NAMES)
    p = {"revenue": [1.0], "leverage": [1.0]}
    with pytest.raises(
        InvalidValueError, match=r"`k` must be a whole number in \[1, 4\]; got 5"
    ):
        index.query(p, k=5)
    with pytest.raises(
        InvalidValueError, match=r"`top` must be a whole number in \[1, 2\]; got 0"
    ):
        index.match({"revenue": 1.0, "leverage": 1.0}, k=1, top=0)
    with pytest.raises(
        InvalidValueError, match="`chunk_size` must be a whole number >= 1; got True"
    ):
        index.query(p, k=1, chunk_size=True)


def test_no_features_and_no_reference_rows_are_refused():
    with pytest.raises(
        InvalidValueError, match=r"`reference.names` must be at least one"
    ):
        Standardisation.fit(REF, names=[])
    with pytest.raises(
        InvalidValueError, match="`reference` must be at least one client"
    ):
        Standardisation.fit({"revenue": []}, names=["revenue"])


@given(matrices, st.floats(0.01, 100.0), st.floats(-50.0, 50.0))
def test_matches_do_not_depend_on_a_feature_unit_or_origin(ref, scale, shift):
    # standardising with the reference's mean and sd makes a change of unit (x * a,
    # a > 0) or origin (x + b) of a feature, applied to both sets, change nothing
    if not _varies(ref):
        return
    names = [f"f{j}" for j in range(ref.shape[1])]
    moved = ref.copy()
    moved[:, 0] = moved[:, 0] * scale + shift
    if not _varies(moved):
        return
    k = min(3, ref.shape[0])
    a = LookAlikeIndex.fit(_columns(ref), names=names).query(_columns(ref[:4]), k=k)
    b = LookAlikeIndex.fit(_columns(moved), names=names).query(_columns(moved[:4]), k=k)
    np.testing.assert_allclose(a.distances, b.distances, rtol=1e-6, atol=1e-6)
