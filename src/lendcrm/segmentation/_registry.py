"""`StrategyRegistry`: strategies by name, in an object the caller owns."""

from __future__ import annotations

from importlib import metadata
from typing import Final

from lendcrm.errors import InvalidValueError, UnknownStrategyError
from lendcrm.segmentation._protocol import SegmentationStrategy, is_name
from lendcrm.segmentation._score_strategies import RFM, KMeansTiers, WeightedValueScore
from lendcrm.segmentation._tier_strategies import ParetoABC, QuantileTiers

#: Entry-point group under which installed packages offer segmentation strategies.
ENTRY_POINT_GROUP: Final = "lendcrm.segmentation"


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
        if not isinstance(replace, bool):
            raise InvalidValueError(
                field="replace", value=replace, expected="a boolean"
            )
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

    def load_entry_points(
        self, group: str = ENTRY_POINT_GROUP, *, replace: bool = False
    ) -> tuple[str, ...]:
        """Register the strategies installed packages offer under an entry-point group.

        Nothing is loaded at import time or behind the caller's back: this method is
        the only place lendcrm looks at installed packages. Each entry point must
        refer to a strategy object, or to a callable taking no arguments (a class or
        a factory) that returns one. A package declares it in its ``pyproject.toml``:

        ```toml
        [project.entry-points."lendcrm.segmentation"]
        margin_tiers = "acme_bank.segments:MarginTiers"
        ```

        Args:
            group: The entry-point group to read.
            replace: Whether a loaded strategy may replace one already registered
                under its name.

        Returns:
            The names registered, sorted.

        Raises:
            InvalidValueError: an entry point fails to load, loads something that is
                not a strategy, or clashes with a registered name while ``replace``
                is false. Nothing is registered then (all or nothing).

        Examples:
            >>> registry = StrategyRegistry()
            >>> registry.load_entry_points("lendcrm.no_such_group")
            ()
        """
        loaded: list[SegmentationStrategy] = []
        for entry in metadata.entry_points(group=group):
            where = f"entry_points[{group!r}][{entry.name!r}]"
            try:
                target = entry.load()
                if isinstance(target, type) or (
                    callable(target) and not isinstance(target, SegmentationStrategy)
                ):
                    target = target()
            except Exception as exc:
                raise InvalidValueError(
                    field=where,
                    value=entry.value,
                    expected="an importable strategy, or a callable returning one",
                    hint=f"Loading it raised {type(exc).__name__}: {exc}",
                ) from exc
            strategy: object = target
            if not isinstance(strategy, SegmentationStrategy):
                raise InvalidValueError(
                    field=where,
                    value=entry.value,
                    expected="a segmentation strategy, or a callable returning one",
                )
            if strategy.name in {s.name for s in loaded}:
                raise InvalidValueError(
                    field=where,
                    value=strategy.name,
                    expected="a name no other entry point of the group uses",
                )
            if strategy.name in self._strategies and not replace:
                raise InvalidValueError(
                    field=where,
                    value=strategy.name,
                    expected="a name not yet registered",
                    hint="Pass replace=True to let installed strategies replace it.",
                )
            loaded.append(strategy)
        staged = StrategyRegistry()
        for strategy in loaded:
            staged.register(strategy, replace=True)
        self._strategies.update(staged._strategies)
        return staged.names()

    def get(self, name: str) -> SegmentationStrategy:
        """The strategy registered under ``name``.

        Raises:
            UnknownStrategyError: nothing is registered under ``name``; the message
                suggests the closest name and lists the registered ones.
        """
        if not isinstance(name, str):
            raise InvalidValueError(
                field="name", value=name, expected="a strategy name (a string)"
            )
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
