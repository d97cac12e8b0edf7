"""What the built-in segmentation strategies share: field converters and checks.

The strategy interface itself (`SegmentationStrategy`), its result (`Segmentation`)
and the plain-function adapter are in `lendcrm.segmentation._protocol`; the
strategies are in `_tier_strategies` (Pareto, quantile and threshold tiers) and
`_score_strategies` (weighted value score, RFM, k-means).
"""

from __future__ import annotations

import math
from typing import Final

import attrs

from lendcrm._arrays import FloatArray, IntArray
from lendcrm._validators import float_items
from lendcrm.errors import InvalidValueError
from lendcrm.segmentation._features import ClientFeatures, Measure
from lendcrm.segmentation._numeric import (
    Normalisation,
)
from lendcrm.segmentation._protocol import Segmentation
from lendcrm.segmentation._tiers import TIER_LEVELS

#: Number of value tiers (diamond, gold, silver, basic).
N_TIERS: Final = len(TIER_LEVELS)


def measure_of(value: object) -> Measure:
    """Convert a `Measure` field, naming the allowed values when it is unknown."""
    try:
        return Measure(value)  # type: ignore[arg-type]
    except ValueError:
        raise InvalidValueError(
            field="measure",
            value=value,
            expected=f"one of {', '.join(m.value for m in Measure)}",
        ) from None


def normalisation_of(value: object) -> Normalisation:
    """Convert a `Normalisation` field, naming the allowed values when unknown."""
    try:
        return Normalisation(value)  # type: ignore[arg-type]
    except ValueError:
        raise InvalidValueError(
            field="normalisation",
            value=value,
            expected=f"one of {', '.join(m.value for m in Normalisation)}",
        ) from None


def cuts_tuple(values: tuple[float, ...] | list[float]) -> tuple[float, ...]:
    """The ``cuts`` field as a tuple of finite floats (attrs converter)."""
    return float_items(values, name="cuts")


def top_shares_tuple(values: tuple[float, ...] | list[float]) -> tuple[float, ...]:
    """The ``top_shares`` field as a tuple of finite floats (attrs converter)."""
    return float_items(values, name="top_shares")


def cutoffs_tuple(values: tuple[float, ...] | list[float]) -> tuple[float, ...]:
    """The ``cutoffs`` field as a tuple of finite floats (attrs converter)."""
    return float_items(values, name="cutoffs")


def check_descending(name: str, values: tuple[float, ...], count: int) -> None:
    """Refuse cut-offs that are not ``count`` finite numbers, strictly decreasing."""
    if len(values) != count:
        raise InvalidValueError(
            field=name, value=values, expected=f"exactly {count} numbers"
        )
    for i, v in enumerate(values):
        if not math.isfinite(v):
            raise InvalidValueError(
                field=f"{name}[{i}]", value=v, expected="a finite number"
            )
        if i and v >= values[i - 1]:
            raise InvalidValueError(
                field=f"{name}[{i}]",
                value=v,
                expected=f"strictly below {name}[{i - 1}] ({values[i - 1]:g}): "
                "cut-offs go from the best tier down",
            )


def check_shares(name: str, values: tuple[float, ...], count: int) -> None:
    """Refuse shares that are not ``count`` increasing cumulative shares in (0, 1]."""
    if len(values) != count:
        raise InvalidValueError(
            field=name, value=values, expected=f"exactly {count} numbers"
        )
    for i, v in enumerate(values):
        low = values[i - 1] if i else 0.0
        if not (math.isfinite(v) and low < v <= 1.0):
            raise InvalidValueError(
                field=f"{name}[{i}]",
                value=v,
                expected=f"a cumulative share in ({low:g}, 1], increasing",
            )


def tiered(
    strategy: object,
    name: str,
    *,
    features: ClientFeatures,
    codes: IntArray,
    score: FloatArray | None,
    cutoffs: tuple[float, ...] | None,
) -> Segmentation:
    """The `Segmentation` of a tiering strategy: tier codes with its parameters."""
    return Segmentation(
        strategy=name,
        client_ids=features.client_ids,
        codes=codes,
        levels=TIER_LEVELS,
        score=score,
        cutoffs=cutoffs,
        params=tuple(sorted(attrs.asdict(strategy, recurse=False).items())),  # type: ignore[arg-type]
    )


def require_clients(features: ClientFeatures, minimum: int, why: str) -> None:
    """Refuse features with fewer than ``minimum`` clients (``why`` says why)."""
    if features.n_clients < minimum:
        raise InvalidValueError(
            field="features",
            value=f"{features.n_clients} clients",
            expected=f"at least {minimum} clients {why}",
        )
