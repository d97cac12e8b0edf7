"""The strategy interface, its result and the plain-function adapter."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol, runtime_checkable

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray
from lendcrm._validators import refuse_object, require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.segmentation._features import ClientFeatures
from lendcrm.segmentation._ids import StrArray
from lendcrm.segmentation._tiers import TIER_LEVELS


def _params(values: Mapping[str, object]) -> tuple[tuple[str, object], ...]:
    return tuple(sorted(values.items()))


def is_name(value: object) -> bool:
    """Whether ``value`` is a usable strategy name (a non-blank string)."""
    return isinstance(value, str) and bool(value.strip())


@attrs.frozen(kw_only=True, eq=False)
class Segmentation:
    """One label per client, the score behind it and the parameters that produced it.

    Labels are stored as integer ``codes`` into ``levels`` (so comparisons and
    migration matrices are integer arithmetic); ``labels`` spells them out. For tiered
    strategies ``levels`` is ``("diamond", "gold", "silver", "basic")`` and a lower code
    is a better tier.

    Attributes:
        strategy: Name of the strategy that produced it (for audit).
        client_ids: Client identifiers, shape ``(n,)``, aligned with ``codes``.
        codes: Index of each client's label in ``levels``, int64, shape ``(n,)``.
        levels: Every possible label, best first where there is an order.
        score: The value score the labels were derived from, float64 shape ``(n,)``,
            or ``None`` when the strategy has none.
        cutoffs: When labels are a threshold function of ``score``: the lowest score
            of each level but the last, descending (``score >= cutoffs[0]`` is level
            0). ``None`` otherwise. `resegment` needs it.
        streak: Hysteresis state kept by `resegment`: per client, how many periods in
            a row a move has been indicated and not yet made (positive: up, negative:
            down). ``None`` for a fresh segmentation.
        params: The strategy's parameters as sorted ``(name, value)`` pairs.

    Examples:
        >>> import numpy as np
        >>> s = Segmentation(strategy="demo", client_ids=np.array(["a", "b"]),
        ...                  codes=np.array([1, 0]), levels=("high", "low"))
        >>> s.labels.tolist(), s.counts().tolist()
        (['low', 'high'], [1, 1])
    """

    strategy: str
    client_ids: StrArray = attrs.field(repr=False)
    codes: IntArray = attrs.field(repr=False)
    levels: tuple[str, ...]
    score: FloatArray | None = attrs.field(default=None, repr=False)
    cutoffs: tuple[float, ...] | None = None
    streak: IntArray | None = attrs.field(default=None, repr=False)
    params: tuple[tuple[str, object], ...] = ()

    @property
    def labels(self) -> StrArray:
        """The label of each client, shape ``(n,)``."""
        return np.asarray(self.levels)[self.codes]

    @property
    def n_clients(self) -> int:
        """Number of clients."""
        return len(self.codes)

    @property
    def is_tiered(self) -> bool:
        """Whether the levels are the four `Tier` values, best first."""
        return self.levels == TIER_LEVELS

    def counts(self) -> IntArray:
        """Clients per level, in the order of ``levels``, int64 shape ``(k,)``."""
        return np.bincount(self.codes, minlength=len(self.levels)).astype(np.int64)

    def params_dict(self) -> dict[str, object]:
        """The parameters as a new dict (for logging or JSON)."""
        return dict(self.params)


@runtime_checkable
class SegmentationStrategy(Protocol):
    """Anything with a ``name`` and a vectorised ``assign`` is a strategy.

    Implementations must be pure: same features, same segmentation; no I/O, no
    global random state. ``assign`` must not loop over clients in Python.

    Examples:
        >>> from lendcrm.segmentation import QuantileTiers
        >>> isinstance(QuantileTiers(), SegmentationStrategy)
        True
    """

    @property
    def name(self) -> str:
        """Stable name the strategy is registered and audited under."""
        ...

    def assign(self, features: ClientFeatures) -> Segmentation:
        """Return one label per client of ``features``."""
        ...


@attrs.frozen(kw_only=True)
class _FunctionStrategy:
    """A plain function wrapped as a strategy (see `from_function`)."""

    name: str
    fn: Callable[[ClientFeatures], npt.ArrayLike]

    def assign(self, features: ClientFeatures) -> Segmentation:
        require_instance(
            features, ClientFeatures, name="features", what="a ClientFeatures"
        )
        labels = np.asarray(self.fn(features))
        if labels.ndim != 1 or len(labels) != features.n_clients:
            raise InvalidValueError(
                field=f"{self.name}(features)",
                value=f"array of shape {labels.shape}",
                expected=f"one label per client, shape ({features.n_clients},)",
            )
        levels, codes = np.unique(labels.astype(np.str_), return_inverse=True)
        return Segmentation(
            strategy=self.name,
            client_ids=features.client_ids,
            codes=codes.astype(np.int64).reshape(-1),
            levels=tuple(str(v) for v in levels),
            params=_params({"function": getattr(self.fn, "__qualname__", "?")}),
        )


def from_function(
    name: str, fn: Callable[[ClientFeatures], npt.ArrayLike]
) -> SegmentationStrategy:
    """Wrap a plain function ``features -> labels`` so it can be registered.

    The function returns one label per client (any array-like of strings); the
    resulting `Segmentation` has the distinct labels, sorted, as ``levels``, and no
    score.

    Raises:
        InvalidValueError: ``name`` is empty (at once), or the function returns a
            wrong number of labels (when assigning).

    Examples:
        >>> import numpy as np
        >>> from lendcrm.segmentation import ClientFeatures
        >>> big = from_function("big", lambda f: np.where(f.revenue > 5, "big", "small"))
        >>> f = ClientFeatures(client_ids=["a", "b"], revenue=[9.0, 1.0],
        ...     profit=[1.0, 1.0], tenure_years=[1, 1], product_count=[1, 1],
        ...     referral_count=[0, 0])
        >>> big.assign(f).labels.tolist()
        ['big', 'small']
    """
    if not is_name(name):
        raise InvalidValueError(field="name", value=name, expected="a non-empty name")
    if not callable(fn):
        refuse_object(fn, name="fn", what="a function of ClientFeatures")
    return _FunctionStrategy(name=name, fn=fn)
