"""StrategyRegistry.load_entry_points: explicit, all-or-nothing plugin loading."""

import sys
import types
from importlib import metadata

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.segmentation import (
    QuantileTiers,
    StrategyRegistry,
    from_function,
)

GROUP = "lendcrm.segmentation"


def _labels(features):
    return np.full(features.n_clients, "all")


@pytest.fixture
def plugin(monkeypatch):
    """An installed-looking package `acme_plugin` offering three kinds of entry."""
    module = types.ModuleType("acme_plugin")
    module.__dict__.update(
        single=from_function("single_segment", _labels),  # an instance
        make_single=lambda: from_function("made_segment", _labels),  # a factory
        not_a_strategy=42,
    )
    monkeypatch.setitem(sys.modules, "acme_plugin", module)

    def offer(*entries):
        eps = [metadata.EntryPoint(name=n, value=v, group=GROUP) for n, v in entries]
        monkeypatch.setattr(
            metadata,
            "entry_points",
            lambda group: [e for e in eps if e.group == group],
        )

    return offer


def test_loads_instances_factories_and_classes(plugin):
    plugin(
        ("single", "acme_plugin:single"),
        ("made", "acme_plugin:make_single"),
        ("tiers", "lendcrm.segmentation:QuantileTiers"),
    )
    registry = StrategyRegistry()
    assert registry.load_entry_points() == (
        "made_segment",
        "quantile_tiers",
        "single_segment",
    )
    assert registry.names() == ("made_segment", "quantile_tiers", "single_segment")
    assert isinstance(registry.get("quantile_tiers"), QuantileTiers)


def test_nothing_is_loaded_unless_asked(plugin):
    plugin(("single", "acme_plugin:single"))
    assert "single_segment" not in StrategyRegistry.with_builtins()


def test_not_a_strategy_is_refused(plugin):
    plugin(("bad", "acme_plugin:not_a_strategy"))
    with pytest.raises(
        InvalidValueError,
        match=r"`entry_points\['lendcrm.segmentation'\]\['bad'\]` must be a "
        r"segmentation strategy, or a callable returning one; got "
        r"'acme_plugin:not_a_strategy'\.",
    ):
        StrategyRegistry().load_entry_points()


def test_import_failure_is_reported_with_its_cause(plugin):
    plugin(("gone", "acme_missing_module:thing"))
    with pytest.raises(
        InvalidValueError,
        match=r"must be an importable strategy, or a callable returning one; got 'acme_missing_module:thing'\. "
        r"Loading it raised ModuleNotFoundError",
    ):
        StrategyRegistry().load_entry_points()


def test_clash_with_registered_name_is_all_or_nothing(plugin):
    plugin(
        ("single", "acme_plugin:single"),
        ("tiers", "lendcrm.segmentation:QuantileTiers"),
    )
    registry = StrategyRegistry.with_builtins()
    with pytest.raises(
        InvalidValueError,
        match=r"\['tiers'\]` must be a name not yet registered; got 'quantile_tiers'\. "
        r"Pass replace=True",
    ):
        registry.load_entry_points()
    assert "single_segment" not in registry
    assert registry.load_entry_points(replace=True) == (
        "quantile_tiers",
        "single_segment",
    )


def test_two_entry_points_with_one_name_are_refused(plugin):
    plugin(("a", "acme_plugin:single"), ("b", "acme_plugin:single"))
    with pytest.raises(
        InvalidValueError,
        match=r"must be a name no other entry point of the group uses",
    ):
        StrategyRegistry().load_entry_points()
