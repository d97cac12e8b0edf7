"""Credit concentration on exposure: HHI, top-k shares and the large-exposure check.

Exposures are amounts >= 0 (one currency), shape ``(n,)``. Where an obligor (or its
group) appears on several rows, pass its id in ``obligors`` and the rows are summed
first (``np.unique`` + ``np.bincount``), so the measures are per obligor, as the
large-exposures framework requires (exposures to connected counterparties are added
up).

The Herfindahl-Hirschman index is the sum of squared shares, in (0, 1]: ``1/n`` for
``n`` equal exposures, 1 for a single name; ``1 / HHI`` is the *effective number* of
names.

The large-exposure check follows the Basel Committee's *Supervisory framework for
measuring and controlling large exposures* (BCBS d283, April 2014), now the LEX
chapters of the consolidated Basel Framework: an exposure to a counterparty or group
of connected counterparties is *large* when it is equal to or above 10 % of the bank's
Tier 1 capital (LEX10.8, reported under LEX20.4) and must not be higher than 25 % of
Tier 1 at all times (LEX20.1; 15 % for a G-SIB's exposure to another G-SIB, LEX40).
Both shares are parameters here.
"""

from __future__ import annotations

from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray, FloatArray, IntArray, as_float_array
from lendcrm._concentration import herfindahl, without_overflow
from lendcrm._validators import is_real_number
from lendcrm.errors import InvalidValueError

__all__ = [
    "LARGE_EXPOSURE_LIMIT",
    "LARGE_EXPOSURE_THRESHOLD",
    "LargeExposures",
    "exposure_hhi",
    "large_exposures",
    "sector_hhi",
    "top_k_share",
]

#: Basel large-exposure limit: 25 % of Tier 1 capital (Basel Framework LEX20.1).
LARGE_EXPOSURE_LIMIT: Final = 0.25
#: Basel definition of a large exposure: >= 10 % of Tier 1 (LEX10.8).
LARGE_EXPOSURE_THRESHOLD: Final = 0.10


def _exposures(exposures: npt.ArrayLike) -> FloatArray:
    e = as_float_array(exposures, name="exposures", lower=0.0, allow_empty=False)
    if not (e > 0).any():
        raise InvalidValueError(
            field="exposures",
            value="all zero",
            expected="at least one positive exposure (shares need a total)",
        )
    return without_overflow(e)  # shares only: an exact rescaling near 1.8e308


def _group(
    e: FloatArray, keys: npt.ArrayLike | None, name: str
) -> tuple[FloatArray, npt.NDArray[np.generic]]:
    if keys is None:
        return e, np.arange(len(e), dtype=np.int64)
    k = np.asarray(keys)
    if k.ndim != 1 or len(k) != len(e):
        raise InvalidValueError(
            field=name,
            value=f"array of shape {k.shape}",
            expected=f"one id per exposure ({len(e)})",
        )
    try:
        uniq, inv = np.unique(k, return_inverse=True)
    except TypeError:  # labels that do not sort together: None, or text and numbers
        items = k.tolist()
        i = next((j for j, x in enumerate(items) if x is None), 0)
        raise InvalidValueError(
            field=f"{name}[{i}]",
            value=items[i],
            expected="a label of the same kind as the others (all text or all "
            "integers, none missing)",
        ) from None
    total = np.bincount(inv, weights=e, minlength=len(uniq)).astype(np.float64)
    return total, uniq


def exposure_hhi(
    exposures: npt.ArrayLike, *, obligors: npt.ArrayLike | None = None
) -> float:
    r"""Single-name Herfindahl-Hirschman index of a book's exposures.

    Notes:
        $$HHI = \sum_i s_i^2, \qquad s_i = E_i / \sum_j E_j$$
        with rows of the same obligor summed first.

    Args:
        exposures: Exposure amounts >= 0, ``(n,)``, at least one positive.
        obligors: Optional obligor (or group) id per row, ``(n,)``.

    Returns:
        The index in (0, 1].

    Raises:
        InvalidValueError: a negative or non-finite exposure, all exposures zero, or
            ``obligors`` of another length.

    Examples:
        >>> exposure_hhi([25.0, 25.0, 25.0, 25.0])
        0.25
        >>> exposure_hhi([25.0, 25.0, 50.0], obligors=["a", "a", "b"])
        0.5
    """
    e, _ = _group(_exposures(exposures), obligors, "obligors")
    return herfindahl(e)


def sector_hhi(exposures: npt.ArrayLike, sectors: npt.ArrayLike) -> float:
    """Sector Herfindahl-Hirschman index: HHI of exposures summed by sector.

    Args:
        exposures: Exposure amounts >= 0, ``(n,)``.
        sectors: Sector label or index of each exposure, ``(n,)``.

    Returns:
        The index in (0, 1]; ``1 / sector_hhi`` is the effective number of sectors.

    Raises:
        InvalidValueError: as :func:`exposure_hhi`.

    Examples:
        >>> sector_hhi([10.0, 30.0, 60.0], ["energy", "energy", "roads"])
        0.52
    """
    e, _ = _group(_exposures(exposures), sectors, "sectors")
    return herfindahl(e)


def top_k_share(
    exposures: npt.ArrayLike, k: int, *, obligors: npt.ArrayLike | None = None
) -> float:
    """Share of total exposure held by the ``k`` largest obligors.

    Args:
        exposures: Exposure amounts >= 0, ``(n,)``.
        k: Number of names (>= 1); more than the number of obligors gives 1.
        obligors: Optional obligor id per row; rows of one obligor are summed.

    Returns:
        A fraction in (0, 1].

    Raises:
        InvalidValueError: bad exposures or ``k < 1``.

    Examples:
        >>> top_k_share([50.0, 30.0, 20.0], 2)
        0.8
    """
    if not is_real_number(k) or int(k) != k or k < 1:
        raise InvalidValueError(field="k", value=k, expected="an integer >= 1")
    e, _ = _group(_exposures(exposures), obligors, "obligors")
    kk = min(int(k), len(e))
    top = np.partition(e, len(e) - kk)[len(e) - kk :]
    return float(top.sum() / e.sum())


@attrs.frozen(kw_only=True, eq=False)
class LargeExposures:
    """Result of :func:`large_exposures`, one entry per obligor.

    Attributes:
        obligors: The obligor ids (``np.unique`` order), or row indices when no ids
            were given; shape ``(m,)``.
        exposure: Float64 ``(m,)`` total exposure per obligor.
        share_of_capital: Float64 ``(m,)`` exposure / capital.
        large: Bool ``(m,)``: share >= ``threshold`` (a reportable large exposure).
        breach: Bool ``(m,)``: share > ``limit``.
        headroom: Float64 ``(m,)`` ``limit × capital - exposure``: how much more may
            be lent before the limit (negative on a breach).
        limit: The limit as a share of capital.
        threshold: The reporting threshold as a share of capital.
    """

    obligors: npt.NDArray[np.generic]
    exposure: FloatArray
    share_of_capital: FloatArray
    large: BoolArray
    breach: BoolArray
    headroom: FloatArray
    limit: float
    threshold: float

    @property
    def breaching(self) -> IntArray:
        """Indices (into ``obligors``) of the obligors above the limit.

        Examples:
            >>> large_exposures([30.0, 10.0], capital=100.0).breaching.tolist()
            [0]
        """
        return np.flatnonzero(self.breach).astype(np.int64)


def large_exposures(
    exposures: npt.ArrayLike,
    *,
    capital: float,
    obligors: npt.ArrayLike | None = None,
    limit: float = LARGE_EXPOSURE_LIMIT,
    threshold: float = LARGE_EXPOSURE_THRESHOLD,
) -> LargeExposures:
    """Check each obligor's exposure against a limit as a share of capital.

    Args:
        exposures: Exposure amounts >= 0, ``(n,)``.
        capital: The capital base the limit refers to (Tier 1 in Basel), > 0, same
            currency as ``exposures``.
        obligors: Optional obligor or connected-group id per row; rows are summed.
        limit: Largest allowed share of capital, in (0, 1]; Basel: 0.25.
        threshold: Share of capital from which an exposure is "large", in (0,
            ``limit``]; Basel: 0.10.

    Returns:
        A :class:`LargeExposures`.

    Raises:
        InvalidValueError: bad exposures, ``capital <= 0``, ``limit`` outside (0, 1]
            or ``threshold`` outside (0, limit].

    Examples:
        >>> res = large_exposures([30.0, 12.0, 5.0], capital=100.0)
        >>> res.large.tolist(), res.breach.tolist()
        ([True, True, False], [True, False, False])
        >>> res.headroom.tolist()
        [-5.0, 13.0, 20.0]
    """
    cap = float(
        as_float_array(
            capital, name="capital", lower=0.0, lower_open=True, allow_empty=False
        )[0]
    )
    lim = float(
        as_float_array(
            limit,
            name="limit",
            lower=0.0,
            upper=1.0,
            lower_open=True,
            allow_empty=False,
        )[0]
    )
    thr = float(
        as_float_array(
            threshold,
            name="threshold",
            lower=0.0,
            upper=lim,
            lower_open=True,
            allow_empty=False,
        )[0]
    )
    e = as_float_array(exposures, name="exposures", lower=0.0, allow_empty=False)
    total, ids = _group(e, obligors, "obligors")
    share = total / cap
    return LargeExposures(
        obligors=ids,
        exposure=total,
        share_of_capital=share,
        large=share >= thr,
        breach=share > lim,
        headroom=lim * cap - total,
        limit=lim,
        threshold=thr,
    )
