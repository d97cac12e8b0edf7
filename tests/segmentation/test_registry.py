"""StrategyRegistry, the Protocol and the function adapter."""

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError, UnknownStrategyError
from lendcrm.segmentation import (
    ClientFeatures,
    QuantileTiers,
    SegmentationStrategy,
    StrategyRegistry,
    from_function,
)

F = ClientFeatures(
    client_ids=["a", "b", "c", "d"],
    revenue=[9.0, 1.0, 5.0, 3.0],
    profit=[1.0, 1.0, 1.0, 1.0],
    tenure_years=[1, 1, 1, 1],
    product_count=[1, 1, 1, 1],
    referral_count=[0, 0, 0, 0],
)


def test_with_builtins_is_fresh_each_time():
    one = StrategyRegistry.with_builtins()
    two = StrategyRegistry.with_builtins()
    one.register(from_function("everyone", lambda f: np.full(f.n_clients, "all")))
    assert "everyone" in one
    assert "everyone" not in two
    assert len(two) == 5
    assert two.names() == (
        "kmeans_tiers",
        "pareto_abc",
        "quantile_tiers",
        "rfm",
        "weighted_value_score",
    )


def test_every_builtin_satisfies_the_protocol():
    registry = StrategyRegistry.with_builtins()
    for name in registry.names():
        strategy = registry.get(name)
        assert isinstance(strategy, SegmentationStrategy)
        assert strategy.name == name


def test_unknown_name_suggests_the_closest():
    registry = StrategyRegistry.with_builtins()
    with pytest.raises(
        UnknownStrategyError,
        match=r"No segmentation strategy named 'quantile_tier'\. Did you mean "
        r"'quantile_tiers'\? Registered: kmeans_tiers, pareto_abc",
    ) as info:
        registry.get("quantile_tier")
    assert isinstance(info.value, LookupError)
    with pytest.raises(UnknownStrategyError, match=r"named 'x'\. Registered: none\."):
        StrategyRegistry().get("x")


def test_duplicate_names_need_replace():
    registry = StrategyRegistry.with_builtins()
    with pytest.raises(
        InvalidValueError,
        match=r"`strategy.name` must be a name not yet registered; got 'quantile_tiers'\. "
        r"Pass replace=True",
    ):
        registry.register(QuantileTiers())
    mine = QuantileTiers(top_shares=(0.1, 0.3, 0.6))
    assert registry.register(mine, replace=True) is mine
    assert registry.get("quantile_tiers") is mine


def test_register_refuses_non_strategies_and_blank_names():
    registry = StrategyRegistry()
    with pytest.raises(
        InvalidValueError,
        match=r"`strategy` must be a segmentation strategy .*; got 'function'\. Wrap a "
        r"plain function with from_function",
    ):
        registry.register(lambda features: features)  # type: ignore[arg-type]
    with pytest.raises(
        InvalidValueError, match=r"`name` must be a non-empty name; got ' '"
    ):
        from_function(" ", lambda _features: [])
    assert repr(registry) == "StrategyRegistry([])"


def test_from_function_labels_and_levels():
    s = from_function(
        "size", lambda f: np.where(f.revenue > 4, "large", "small")
    ).assign(F)
    assert s.labels.tolist() == ["large", "small", "large", "small"]
    assert s.levels == ("large", "small")
    assert s.score is None
    assert s.strategy == "size"


def test_from_function_must_return_one_label_per_client():
    bad = from_function("short", lambda _features: ["x"])
    with pytest.raises(
        InvalidValueError,
        match=r"`short\(features\)` must be one label per client, shape \(4,\); got "
        r"'array of shape \(1,\)'\.",
    ):
        bad.assign(F)


def test_builtins_and_results_pickle():
    import pickle

    registry = StrategyRegistry.with_builtins()
    for name in registry.names():
        strategy = registry.get(name)
        assert pickle.loads(pickle.dumps(strategy)) == strategy
    result = registry.get("quantile_tiers").assign(F)
    back = pickle.loads(pickle.dumps(result))
    assert back.labels.tolist() == result.labels.tolist()
    assert back.params == result.params


def test_strategy_repr_shows_parameters_for_audit():
    assert repr(QuantileTiers()) == (
        "QuantileTiers(measure=<Measure.REVENUE: 'revenue'>, "
        "top_shares=(0.05, 0.2, 0.5), name='quantile_tiers')"
    )
