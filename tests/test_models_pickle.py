"""Every default-built value class of the public API, and every error, crosses processes.

Discovered, not listed: every attrs class named in a front door's ``__all__`` that
builds with no arguments (the models, rule sets and policies: `RelationshipModels`,
`RelationshipPricing`, ...) must round-trip through `pickle` and, when installed,
`cloudpickle` (what Dask and ``distributed`` use) and come back equal. Errors: every
class of `lendcrm.errors` (built as tests/test_errors_pickle.py builds them) through
`cloudpickle`.
"""

from __future__ import annotations

import importlib
import pickle
import pkgutil
from types import ModuleType

import attrs
import pytest

import lendcrm
from tests.test_errors_pickle import CLASSES, build


def _front_doors() -> list[ModuleType]:
    names = [lendcrm.__name__]
    names += [
        info.name
        for info in pkgutil.walk_packages(lendcrm.__path__, prefix="lendcrm.")
        if not any(part.startswith("_") for part in info.name.split("."))
    ]
    return [importlib.import_module(name) for name in sorted(names)]


def _default_built() -> list[object]:
    seen: dict[str, object] = {}
    for module in _front_doors():
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if not (isinstance(obj, type) and attrs.has(obj)):
                continue
            try:
                value = obj()
            except (TypeError, ValueError, LookupError):
                continue  # needs arguments: not a default-built model
            seen[f"{obj.__module__}.{obj.__qualname__}"] = value
    return [seen[key] for key in sorted(seen)]


VALUES = _default_built()


def test_discovery_finds_the_models():
    names = {type(v).__name__ for v in VALUES}
    assert {"RelationshipModels", "RelationshipPricing"} <= names
    assert len(VALUES) > 20


def _same(again: object, value: object) -> None:
    assert type(again) is type(value)
    if type(value).__eq__ is not object.__eq__:
        assert again == value
    else:
        assert repr(again) == repr(value)


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_default_built_values_pickle(value):
    _same(pickle.loads(pickle.dumps(value)), value)


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_default_built_values_cloudpickle(value):
    cloudpickle = pytest.importorskip("cloudpickle")
    _same(cloudpickle.loads(cloudpickle.dumps(value)), value)


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_errors_cloudpickle(cls):
    cloudpickle = pytest.importorskip("cloudpickle")
    err = build(cls)
    again = cloudpickle.loads(cloudpickle.dumps(err))
    assert type(again) is cls
    assert str(again) == str(err)


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_equal_values_built_apart_tokenise_alike(value):
    # a value and its pickled copy may not (pickle's bytes keep object sharing)
    dask = pytest.importorskip("dask")
    from dask.base import tokenize

    with dask.config.set({"tokenize.ensure-deterministic": True}):
        assert tokenize(value) == tokenize(type(value)())


def test_relationship_models_tokens_follow_their_values():
    pytest.importorskip("dask")
    from dask.base import tokenize

    from lendcrm.relationship import RelationshipModels

    usd = RelationshipModels(fx_rates={"USD": 0.92})
    assert tokenize(usd) == tokenize(RelationshipModels(fx_rates={"USD": 0.92}))
    assert tokenize(usd) != tokenize(RelationshipModels(fx_rates={"USD": 0.93}))
