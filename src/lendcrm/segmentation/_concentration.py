"""Concentration analytics: how unequally value is spread over clients.

Conventions, stated once: values are amounts >= 0 (the whale curve alone accepts
negative profit) with a positive total; the Lorenz curve and the Gini coefficient use
values sorted **ascending**; the Gini coefficient has **no small-sample correction**
(no ``n / (n - 1)`` factor), so its maximum for ``n`` clients is ``(n - 1) / n``;
HHI is on shares as fractions (in ``[1/n, 1]``), not the 10 000-point antitrust scale.
Every function costs one sort at most (O(n log n)); `top_share` is O(n).
"""

from __future__ import annotations

import math

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array, numeric_array
from lendcrm._concentration import herfindahl, without_overflow
from lendcrm._validators import is_real_number
from lendcrm.errors import InvalidValueError
from lendcrm.segmentation._numeric import count_of

#: Relative slack when comparing a cumulative sum with a target share.
_SHARE_SLACK = 1e-12


def _amounts(values: npt.ArrayLike, name: str = "values") -> tuple[FloatArray, float]:
    arr = without_overflow(
        as_float_array(values, name=name, lower=0.0, allow_empty=False)
    )
    total = float(arr.sum())
    if total <= 0.0:
        raise InvalidValueError(
            field=name,
            value="all zero",
            expected="amounts with a positive total (concentration is undefined "
            "for a zero total)",
        )
    return arr, total


def _sorted_into(
    out: FloatArray, values: npt.ArrayLike, *, name: str, signed: bool
) -> None:
    """Copy ``values`` into ``out`` and sort it, validating on the sorted copy.

    After sorting, NaN sits at the end and -inf at the start, so checking the two ends
    validates the whole array in O(1) instead of extra passes; on failure the array
    goes through `as_float_array`, which raises naming the first bad index.
    """
    values = numeric_array(values, name=name)  # no text, booleans or complex
    try:
        out[:] = values
    except (TypeError, ValueError):
        as_float_array(values, name=name, allow_empty=False)
        raise  # pragma: no cover - as_float_array raised for anything out[:] refused
    out.sort()
    ok = math.isfinite(out[-1]) and (math.isfinite(out[0]) if signed else out[0] >= 0)
    if not ok:
        as_float_array(values, name=name, lower=None if signed else 0.0)


def _checked_size(values: npt.ArrayLike, name: str) -> int:
    shape = np.shape(values)
    if len(shape) != 1 or shape[0] == 0:
        as_float_array(values, name=name, allow_empty=False)  # raises the usual error
    return int(shape[0]) if len(shape) == 1 else 1


def _zero_total(name: str) -> InvalidValueError:
    return InvalidValueError(
        field=name,
        value="all zero",
        expected="amounts with a positive total (concentration is undefined "
        "for a zero total)",
    )


def _fraction(value: float, name: str) -> float:
    v = float(value) if is_real_number(value) else math.nan
    if not (0.0 < v <= 1.0):
        raise InvalidValueError(
            field=name, value=value, expected="a fraction in (0, 1]"
        )
    return v


@attrs.frozen(kw_only=True, eq=False)
class LorenzCurve:
    """Points of a Lorenz curve, from ``(0, 0)`` to ``(1, 1)``.

    Attributes:
        value_share: Share of the total held by the ``i`` smallest values, for
            ``i = 0 … n``, float64 shape ``(n + 1,)``, non-decreasing from 0 to 1.
    """

    value_share: FloatArray = attrs.field(repr=False)

    @property
    def n(self) -> int:
        """Number of values."""
        return len(self.value_share) - 1

    @property
    def population_share(self) -> FloatArray:
        """``i / n`` for ``i = 0 … n``, float64 shape ``(n + 1,)`` (computed on access)."""
        return np.arange(self.n + 1, dtype=np.float64) / self.n

    @property
    def gini(self) -> float:
        """``1 - 2 × area`` under the curve (trapezoids): equals `gini` of the values."""
        area = float((self.value_share[1:] + self.value_share[:-1]).sum()) / (
            2 * self.n
        )
        return 1.0 - 2.0 * area

    def at(self, population: npt.ArrayLike) -> FloatArray:
        """The curve linearly interpolated at population shares in [0, 1].

        Examples:
            >>> lorenz_curve([1.0, 1.0, 2.0, 4.0]).at([0.5, 0.75]).tolist()
            [0.25, 0.5]
        """
        x = as_float_array(population, name="population", lower=0.0, upper=1.0)
        result: FloatArray = np.interp(x, self.population_share, self.value_share)
        return result


def _cumulative_share(
    values: npt.ArrayLike, *, name: str, descending: bool, signed: bool
) -> FloatArray:
    """``[0, c_1, …, c_n] / total`` of the sorted values, in one ``(n + 1,)`` buffer."""
    n = _checked_size(values, name)
    share = np.empty(n + 1, dtype=np.float64)
    share[0] = 0.0
    body = share[1:]
    _sorted_into(body, values, name=name, signed=signed)
    if descending:
        body[:] = body[::-1].copy()
    body[:] = without_overflow(body)  # only near the float maximum: shares unchanged
    np.cumsum(body, out=body)
    total = float(body[-1])
    if total <= 0.0:
        if signed:
            raise InvalidValueError(
                field=name,
                value=total,
                expected="profits with a positive total (the whale curve divides by it)",
            )
        raise _zero_total(name=name)
    body /= total
    share[-1] = 1.0
    return share


def lorenz_curve(values: npt.ArrayLike) -> LorenzCurve:
    r"""The Lorenz curve of ``values`` (sorted ascending).

    $$L\left(\tfrac{i}{n}\right) = \frac{\sum_{j \le i} x_{(j)}}{\sum_j x_j}$$

    One sort and one cumulative sum, in the output buffer.

    Args:
        values: Amounts >= 0 with a positive total, shape ``(n,)``.

    Raises:
        InvalidValueError: empty, not finite, negative, or all zero.

    Examples:
        >>> c = lorenz_curve([4.0, 1.0, 2.0, 1.0])
        >>> c.population_share.tolist()
        [0.0, 0.25, 0.5, 0.75, 1.0]
        >>> c.value_share.tolist()
        [0.0, 0.125, 0.25, 0.5, 1.0]
    """
    return LorenzCurve(
        value_share=_cumulative_share(
            values, name="values", descending=False, signed=False
        )
    )


def gini(values: npt.ArrayLike) -> float:
    r"""Gini coefficient of ``values``: 0 when equal, ``(n - 1) / n`` when one holds all.

    On values sorted ascending, ``x_(1) <= … <= x_(n)``, without small-sample
    correction:

    $$G = \frac{2 \sum_{i=1}^{n} i\, x_{(i)}}{n \sum_i x_i} - \frac{n + 1}{n}
         = 1 - \frac{1}{n} - \frac{2}{n\,T} \sum_{k=1}^{n-1} C_k$$

    with ``T`` the total and ``C_k`` the cumulative sum of the ``k`` smallest values
    (the form computed: one sort and one in-place cumulative sum). It equals one minus
    twice the area under the (trapezoidal) Lorenz curve and is scale-invariant.

    Args:
        values: Amounts >= 0 with a positive total, shape ``(n,)``.

    Raises:
        InvalidValueError: empty, not finite, negative, or all zero.

    Examples:
        >>> gini([1.0, 1.0, 1.0])
        0.0
        >>> round(gini([0.0, 0.0, 0.0, 10.0]), 4)
        0.75
    """
    n = _checked_size(values, "values")
    cumulative = np.empty(n, dtype=np.float64)
    _sorted_into(cumulative, values, name="values", signed=False)
    cumulative[:] = without_overflow(cumulative)
    np.cumsum(cumulative, out=cumulative)
    total = float(cumulative[-1])
    if total <= 0.0:
        raise _zero_total(name="values")
    below = float(cumulative[:-1].sum())
    return min(max(0.0, 1.0 - 1.0 / n - 2.0 * below / (n * total)), 1.0 - 1.0 / n)


def hhi(values: npt.ArrayLike) -> float:
    r"""Herfindahl–Hirschman index of the shares of ``values``, in ``[1/n, 1]``.

    $$\text{HHI} = \sum_i s_i^2, \qquad s_i = x_i / \sum_j x_j$$

    Shares are fractions: multiply by 10 000 for the antitrust point scale.

    Raises:
        InvalidValueError: empty, not finite, negative, or all zero.

    Examples:
        >>> round(hhi([50.0, 30.0, 20.0]), 4)
        0.38
    """
    arr, _total = _amounts(values)
    return herfindahl(arr)


def equivalent_number(values: npt.ArrayLike) -> float:
    """``1 / HHI``: how many equal-sized clients would give the same concentration.

    Raises:
        InvalidValueError: empty, not finite, negative, or all zero.

    Examples:
        >>> equivalent_number([25.0, 25.0, 25.0, 25.0])
        4.0
        >>> round(equivalent_number([50.0, 30.0, 20.0]), 3)
        2.632
    """
    return 1.0 / hhi(values)


def top_share(values: npt.ArrayLike, p: float) -> float:
    """Share of the total held by the top ``ceil(p · n)`` clients, in (0, 1].

    ``p · n`` is rounded up (the top 20 % of 7 clients is the top 2), with a slack of
    1e-9 relative so that float error (``0.1 · 30``) does not add a client. O(n).

    Args:
        values: Amounts >= 0 with a positive total, shape ``(n,)``.
        p: Fraction of clients, in (0, 1].

    Raises:
        InvalidValueError: bad values, or ``p`` outside (0, 1].

    Examples:
        >>> top_share([50.0, 30.0, 10.0, 6.0, 4.0], 0.2)
        0.5
        >>> top_share([50.0, 30.0, 10.0, 6.0, 4.0], 0.3)
        0.8
    """
    arr, total = _amounts(values)
    share = _fraction(p, "p")
    n = len(arr)
    k = min(n, max(1, count_of(share, n)))
    top = np.partition(arr, n - k)[n - k :]
    return min(1.0, float(top.sum()) / total)  # summation order may overshoot 1


def pareto_point(values: npt.ArrayLike, share: float = 0.8) -> float:
    """The smallest fraction of clients, largest first, that holds ``share`` of the total.

    Returns ``k / n`` for the smallest ``k`` with
    ``sum of the k largest >= share × total`` (the 80/20 rule reads
    ``pareto_point(revenue, 0.8) ≈ 0.2``).

    Args:
        values: Amounts >= 0 with a positive total, shape ``(n,)``.
        share: Target share of the total, in (0, 1].

    Raises:
        InvalidValueError: bad values, or ``share`` outside (0, 1].

    Examples:
        >>> pareto_point([50.0, 30.0, 10.0, 6.0, 4.0], 0.8)
        0.4
        >>> pareto_point([50.0, 30.0, 10.0, 6.0, 4.0], 0.5)
        0.2
    """
    arr, total = _amounts(values)
    target = _fraction(share, "share") * total * (1.0 - _SHARE_SLACK)
    n = len(arr)
    cumulative = np.cumsum(np.sort(arr)[::-1])
    k = int(np.searchsorted(cumulative, target, side="left")) + 1
    return min(k, n) / n


@attrs.frozen(kw_only=True, eq=False)
class WhaleCurve:
    """Cumulative profit, most profitable clients first, as a share of total profit.

    Attributes:
        profit_share: Profit of the ``i`` most profitable clients over total profit,
            for ``i = 0 … n``, shape ``(n + 1,)``; starts at 0, ends at 1, rises above 1
            when some clients lose money.
    """

    profit_share: FloatArray = attrs.field(repr=False)

    @property
    def population_share(self) -> FloatArray:
        """``i / n`` for ``i = 0 … n``, shape ``(n + 1,)`` (computed on access)."""
        n = len(self.profit_share) - 1
        return np.arange(n + 1, dtype=np.float64) / n

    @property
    def peak_share(self) -> float:
        """Highest point of the curve (e.g. 1.5: profitable clients earn 150 %)."""
        return float(self.profit_share.max())

    @property
    def peak_population(self) -> float:
        """Population share at the peak (the profitable clients)."""
        n = len(self.profit_share) - 1
        return int(np.argmax(self.profit_share)) / n


def whale_curve(profit: npt.ArrayLike) -> WhaleCurve:
    r"""The whale curve of cumulative profit, most profitable first.

    $$W\left(\tfrac{i}{n}\right) = \frac{\sum_{j \le i} \pi_{[j]}}{\sum_j \pi_j}$$

    with ``π_[1] >= π_[2] >= …`` the profits sorted descending. Profits may be
    negative, but their total must be positive.

    Raises:
        InvalidValueError: empty, not finite, or a total profit <= 0.

    Examples:
        >>> w = whale_curve([60.0, 50.0, 10.0, -20.0])
        >>> w.profit_share.tolist()
        [0.0, 0.6, 1.1, 1.2, 1.0]
        >>> w.peak_share, w.peak_population
        (1.2, 0.75)
    """
    return WhaleCurve(
        profit_share=_cumulative_share(
            profit, name="profit", descending=True, signed=True
        )
    )
