"""`StrategyRegistry`: strategies by name, in an object the caller owns."""

from __future__ import annotations

from lendcrm.errors import InvalidValueError, UnknownStrategyError
from lendcrm.segmentation._protocol import SegmentationStrategy, is_name
from lendcrm.segmentation._strategies import (
    RFM,
    KMeansTiers,
    ParetoABC,
    QuantileTiers,
    WeightedValueScore,
)


class StrategyRegistry:
    """Segmentation strategies by name; create one per application, no global state.

    `with_builtins` returns a *fresh* registry holding the built-ins with their default
    parameters (`ThresholdTiers` is not among them: its cut-offs are in currency units
    and have no sensible default). Register your own with `register`.

    Examples:
        >>> registry = StrategyRegistry.with_builtins()
        >>> registry.names()
        ('kmeans_tiers', 'pareto_abc', 'quantile_tiers', 'rfm', 'weighted_value_score')
        >>> registry.get("pareto")
        Traceback (most recent call last):
        ...
        lendcrm.errors.UnknownStrategyError: No segmentation strategy named 'pareto'. Did you mean 'pareto_abc'? Registered: kmeans_tiers, pareto_abc, quantile_tiers, rfm, weighted_value_score.
    """

    def __init__(self) -> None:
        """An empty registry."""
        self._strategies: dict[str, SegmentationStrategy] = {}

    @classmethod
    def with_builtins(cls) -> StrategyRegistry:
        """A new registry holding every built-in strategy with default parameters."""
        registry = cls()
        for strategy in (
            ParetoABC(),
            QuantileTiers(),
            WeightedValueScore(),
            RFM(),
            KMeansTiers(),
        ):
            registry.register(strategy)
        return registry

    def register(
        self, strategy: SegmentationStrategy, *, replace: bool = False
    ) -> SegmentationStrategy:
        """Add ``strategy`` under its ``name``; return it.

        Raises:
            InvalidValueError: ``strategy`` lacks ``name``/``assign``, its name is empty,
                or the name is taken and ``replace`` is false.

        Examples:
            >>> from lendcrm.segmentation import QuantileTiers
            >>> registry = StrategyRegistry.with_builtins()
            >>> registry.register(QuantileTiers())
            Traceback (most recent call last):
            ...
            lendcrm.errors.InvalidValueError: `strategy.name` must be a name not yet registered; got 'quantile_tiers'. Pass replace=True to replace the registered strategy.
            >>> registry.register(QuantileTiers(top_shares=(0.1, 0.3, 0.6)), replace=True).top_shares
            (0.1, 0.3, 0.6)
        """
        if not isinstance(strategy, SegmentationStrategy):
            raise InvalidValueError(
                field="strategy",
                value=type(strategy).__name__,
                expected="a segmentation strategy (a `name` and an `assign` method)",
                hint="Wrap a plain function with from_function(name, fn).",
            )
        name = strategy.name
        if not is_name(name):
            raise InvalidValueError(
                field="strategy.name", value=name, expected="a non-empty name"
            )
        if name in self._strategies and not replace:
            raise InvalidValueError(
                field="strategy.name",
                value=name,
                expected="a name not yet registered",
                hint="Pass replace=True to replace the registered strategy.",
            )
        self._strategies[name] = strategy
        return strategy

    def get(self, name: str) -> SegmentationStrategy:
        """The strategy registered under ``name``.

        Raises:
            UnknownStrategyError: nothing is registered under ``name``; the message
                suggests the closest name and lists the registered ones.
        """
        try:
            return self._strategies[name]
        except KeyError:
            raise UnknownStrategyError(name=name, known=self.names()) from None

    def names(self) -> tuple[str, ...]:
        """The registered names, sorted."""
        return tuple(sorted(self._strategies))

    def __contains__(self, name: object) -> bool:
        """Whether ``name`` is registered."""
        return name in self._strategies

    def __len__(self) -> int:
        """How many strategies are registered."""
        return len(self._strategies)

    def __repr__(self) -> str:
        """The registered names."""
        return f"StrategyRegistry({list(self.names())!r})"
