"""Frozen parameter objects pickle, hash and compare, so they ship to workers."""

from __future__ import annotations

import pickle

import attrs
import pytest

from lendcrm._arrays import FrozenMap
from lendcrm.risk.capital import (
    BASEL_II,
    BASEL_III,
    SUPERVISORY_HAIRCUTS,
    MaturityPolicy,
)
from lendcrm.risk.portfolio import SCENARIOS
from lendcrm.risk.pricing import COUNTER_CYCLICAL_POLICY

OBJECTS = [
    BASEL_II,
    BASEL_III,
    attrs.evolve(BASEL_III, maturity_policy=MaturityPolicy.REFUSE),
    SUPERVISORY_HAIRCUTS,
    COUNTER_CYCLICAL_POLICY,
    *SCENARIOS,
]


@pytest.mark.parametrize("obj", OBJECTS, ids=lambda o: type(o).__name__)
def test_round_trips_through_pickle_and_hashes(obj):
    back = pickle.loads(pickle.dumps(obj))
    assert back == obj
    assert hash(back) == hash(obj)


def test_regimes_differ():
    assert BASEL_II != BASEL_III
    assert len({BASEL_II, BASEL_III, attrs.evolve(BASEL_III)}) == 2


def test_frozen_map_is_read_only_and_copies_its_input():
    source = {"a": 1.0}
    m = FrozenMap(source)
    source["a"] = 2.0
    assert m["a"] == 1.0
    assert not hasattr(m, "__setitem__")
    assert repr(m) == "FrozenMap({'a': 1.0})"
    assert m == {"a": 1.0}
    assert m != [("a", 1.0)]
