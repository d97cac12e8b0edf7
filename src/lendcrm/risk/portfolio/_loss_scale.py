"""Run-size checks and exact rescaling for the loss simulation (#17, extremes).

:func:`lendcrm.risk.portfolio.simulate_losses` sums obligor losses per scenario and
squares loss deviations (the kernel bandwidth); with exposures near the float maximum
(about 1.8e308) those overflow. The helpers here divide the loss weights by a power of
two before the simulation and multiply the results back after it (exact: a power of
two only moves the exponent), and refuse a book whose largest possible loss is itself
beyond the float maximum. Books whose largest possible loss is below ``2**500`` are
not rescaled, so ordinary results are bit-identical.
"""

from __future__ import annotations

import math
from typing import Final, TypeVar

import attrs
import numpy as np

from lendcrm._arrays import FloatArray
from lendcrm._validators import is_real_number
from lendcrm.errors import InvalidValueError

__all__ = ["check_run_sizes", "rescaled", "scaled_weights"]

#: Above this largest possible book loss the weights are rescaled.
_SAFE_TOTAL: Final = 2.0**500
#: The result fields that are amounts (currency units), scaled back after a run.
_AMOUNTS: Final = (
    "losses",
    "var",
    "expected_shortfall",
    "es_contributions",
    "var_contributions",
    "var_kernel_loss",
    "bandwidth",
    "expected_loss",
)

_T = TypeVar("_T", bound=attrs.AttrsInstance)


def check_run_sizes(n_scenarios: object, chunk_size: object, *, limit: int) -> None:
    """Refuse a non-integer or non-positive run size, or more than ``limit`` scenarios.

    Raises:
        InvalidValueError: names ``n_scenarios`` or ``chunk_size``.

    Examples:
        >>> check_run_sizes(1_000, 100, limit=10_000)
        >>> check_run_sizes(0, 100, limit=10_000)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `n_scenarios` must be an integer >= 1; got 0.
    """
    for name, value in (("n_scenarios", n_scenarios), ("chunk_size", chunk_size)):
        if not is_real_number(value) or int(value) != value or value < 1:  # type: ignore[call-overload, operator]
            raise InvalidValueError(field=name, value=value, expected="an integer >= 1")
    if n_scenarios > limit:  # type: ignore[operator]
        raise InvalidValueError(
            field="n_scenarios",
            value=n_scenarios,
            expected=f"at most {limit:,} scenarios (8 bytes each in memory)",
        )


def scaled_weights(
    ead: FloatArray, lgd: FloatArray, bandwidth: float | None
) -> tuple[FloatArray, float, float | None]:
    """Return the loss weights ``ead × lgd`` over a power-of-two scale, and the scale.

    The bandwidth is returned in the same units. The scale is 1 unless the largest
    possible book loss ``sum(ead × lgd)`` exceeds ``2**500``; then it is the largest
    power of two not above the largest weight.

    Raises:
        InvalidValueError: the largest possible book loss exceeds the float maximum,
            so the simulated losses could not be represented.

    Examples:
        >>> import numpy as np
        >>> w, scale, h = scaled_weights(np.array([1e308]), np.array([0.5]), None)
        >>> float(w[0] * scale), scale == 2.0**1022, h
        (5e+307, True, None)
        >>> scaled_weights(np.array([1e308, 1e308]), np.array([1.0]), None)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `ead` must be exposures whose largest possible loss, sum(ead × lgd), is at most the float maximum 1.8e308; got inf.
    """
    weight = ead * lgd
    top = float(weight.max()) if weight.size else 0.0
    if top == 0.0:
        return weight, 1.0, bandwidth
    exponent = math.frexp(top)[1] - 1  # 2**exponent <= top < 2**(exponent + 1)
    unit = math.ldexp(1.0, exponent)
    try:
        total = math.ldexp(float(np.sum(weight / unit)), exponent)
    except OverflowError:
        total = math.inf
    if math.isinf(total):
        raise InvalidValueError(
            field="ead",
            value=total,
            expected="exposures whose largest possible loss, sum(ead × lgd), is at "
            "most the float maximum 1.8e308",
        )
    if total <= _SAFE_TOTAL:
        return weight, 1.0, bandwidth
    return weight / unit, unit, None if bandwidth is None else bandwidth / unit


def rescaled(result: _T, scale: float) -> _T:
    """Return the simulation ``result`` with its amounts multiplied back by ``scale``.

    Examples:
        >>> import attrs
        >>> @attrs.frozen
        ... class R:
        ...     var: float
        >>> rescaled(R(var=0.5), 4.0)
        R(var=2.0)
    """
    if scale == 1.0:
        return result
    names = {f.name for f in attrs.fields(type(result))}
    return attrs.evolve(  # type: ignore[misc]  # mypy: a bound TypeVar is attrs
        result,
        **{n: getattr(result, n) * scale for n in _AMOUNTS if n in names},
    )
