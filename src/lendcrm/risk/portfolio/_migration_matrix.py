"""Transition matrices and generators: checks, and the term structure they imply.

A transition matrix is row-stochastic (fractions, not percent) with, for the term
structure, an absorbing default state. :func:`generator_from_matrix` goes from a
one-year matrix to a valid generator through the matrix logarithm and the Israel,
Rosenthal and Wei (2001) regularisation. :func:`multi_year_matrix` and
:func:`cumulative_default_rates` give the term structure of default implied by a Markov
chain. Matrices are estimated from rating histories in `_migration`.

References:
    Israel, R. B., Rosenthal, J. S. and Wei, J. Z. (2001). Finding generators for
    Markov chains via empirical transition matrices, with applications to credit
    ratings. *Mathematical Finance* 11(2), 245-265.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray
from lendcrm._validators import is_real_number, require_int
from lendcrm.errors import InvalidValueError

__all__ = [
    "Regularisation",
    "check_default_absorbing",
    "check_generator",
    "check_transition_matrix",
    "cumulative_default_rates",
    "generator_from_matrix",
    "multi_year_matrix",
]

#: Tolerance on row sums of a transition matrix (absolute).
ROW_SUM_TOLERANCE: Final = 1e-6
_PERCENT_TOLERANCE: Final = 1e-12


class Regularisation(StrEnum):
    """How :func:`generator_from_matrix` repairs negative off-diagonal rates.

    Both are from Israel, Rosenthal and Wei (2001), section 4: negative off-diagonal
    entries of the matrix logarithm are set to zero, and the rows are made to sum to
    zero again either by moving the diagonal (``DIAGONAL``) or by taking the excess
    from the other entries of the row in proportion to their size (``WEIGHTED``).

    Examples:
        >>> Regularisation.DIAGONAL.value
        'diagonal'
    """

    DIAGONAL = "diagonal"
    WEIGHTED = "weighted"


# --------------------------------------------------------------------------- checks


def _as_square(matrix: npt.ArrayLike, name: str) -> FloatArray:
    try:
        arr = np.asarray(matrix, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidValueError(
            field=name, value=matrix, expected="a square matrix of numbers"
        ) from None
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] < 2:  # noqa: PLR2004
        raise InvalidValueError(
            field=name,
            value=f"array of shape {arr.shape}",
            expected="a square matrix with at least 2 states",
        )
    bad = ~np.isfinite(arr)
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise InvalidValueError(
            field=f"{name}[{i}, {j}]", value=float(arr[i, j]), expected="finite"
        )
    return arr


def check_transition_matrix(
    matrix: npt.ArrayLike, *, name: str = "matrix", tolerance: float = ROW_SUM_TOLERANCE
) -> FloatArray:
    """Return ``matrix`` as float64 after checking that it is row-stochastic.

    Args:
        matrix: Square ``(k, k)`` matrix of probabilities (fractions, not percent).
        name: Argument name used in error messages.
        tolerance: Largest allowed absolute deviation of a row sum from 1.

    Returns:
        The matrix as a float64 ``(k, k)`` array (not renormalised).

    Raises:
        InvalidValueError: not square, a non-finite or negative entry (named
            ``matrix[i, j]``), or a row whose sum is not 1 (named ``matrix[i]``).

    Examples:
        >>> check_transition_matrix([[0.9, 0.1], [0.0, 1.0]]).shape
        (2, 2)
        >>> check_transition_matrix([[0.9, 0.2], [0.0, 1.0]])
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `matrix[0]` must be a row of probabilities summing to 1 (±1e-06); got 'sums to 1.1'.
    """
    arr = _as_square(matrix, name)
    neg = arr < 0.0
    if neg.any():
        i, j = np.argwhere(neg)[0]
        raise InvalidValueError(
            field=f"{name}[{i}, {j}]",
            value=float(arr[i, j]),
            expected="a probability >= 0",
        )
    sums = arr.sum(axis=1)
    off = np.abs(sums - 1.0) > tolerance
    if off.any():
        i = int(np.argmax(off))
        raise InvalidValueError(
            field=f"{name}[{i}]",
            value=f"sums to {sums[i]:.6g}",
            expected=f"a row of probabilities summing to 1 (±{tolerance:g})",
        )
    return arr


def check_default_absorbing(
    matrix: npt.ArrayLike, *, default_index: int = -1, name: str = "matrix"
) -> FloatArray:
    """Check that ``matrix`` is stochastic and that its default state is absorbing.

    Args:
        matrix: Square transition matrix (fractions).
        default_index: Index of the default state (negative counts from the end).
        name: Argument name used in error messages.

    Returns:
        The matrix as a float64 ``(k, k)`` array.

    Raises:
        InvalidValueError: the matrix is not stochastic, or the default row is not the
            unit vector (a defaulted obligor would leave default).

    Examples:
        >>> check_default_absorbing([[0.9, 0.1], [0.0, 1.0]]).shape
        (2, 2)
        >>> check_default_absorbing([[0.9, 0.1], [0.2, 0.8]])
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `matrix[1]` must be the unit row of an absorbing default state (1 on the diagonal); got 'P[1, 1] = 0.8'.
    """
    arr = check_transition_matrix(matrix, name=name)
    k = arr.shape[0]
    d = require_int(default_index, name="default_index", lower=-k, upper=k - 1) % k
    if abs(arr[d, d] - 1.0) > ROW_SUM_TOLERANCE:
        raise InvalidValueError(
            field=f"{name}[{d}]",
            value=f"P[{d}, {d}] = {arr[d, d]:.6g}",
            expected="the unit row of an absorbing default state (1 on the diagonal)",
        )
    return arr


def check_generator(
    generator: npt.ArrayLike, *, name: str = "generator", tolerance: float = 1e-9
) -> FloatArray:
    """Check that ``generator`` is a valid intensity matrix (per year).

    A generator has non-negative off-diagonal entries and rows that sum to zero.

    Raises:
        InvalidValueError: not square, a negative off-diagonal rate, or a row not
            summing to zero.

    Examples:
        >>> check_generator([[-0.1, 0.1], [0.0, 0.0]]).shape
        (2, 2)
        >>> check_generator([[-0.1, 0.2], [0.0, 0.0]])
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `generator[0]` must be a row of rates summing to 0; got 'sums to 0.1'.
    """
    arr = _as_square(generator, name)
    off = arr.copy()
    np.fill_diagonal(off, 0.0)
    neg = off < 0.0
    if neg.any():
        i, j = np.argwhere(neg)[0]
        raise InvalidValueError(
            field=f"{name}[{i}, {j}]",
            value=float(arr[i, j]),
            expected="an off-diagonal rate >= 0",
        )
    sums = arr.sum(axis=1)
    scale = np.maximum(1.0, np.abs(arr).sum(axis=1))
    bad = np.abs(sums) > tolerance * scale
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=f"{name}[{i}]",
            value=f"sums to {sums[i]:.6g}",
            expected="a row of rates summing to 0",
        )
    return arr


# ------------------------------------------------------------------ matrix algebra


#: The longest horizon of `multi_year_matrix` and `cumulative_default_rates`.
MAX_YEARS: Final = 10_000


def _whole(years: object, lowest: int) -> bool:
    return (
        is_real_number(years)
        and int(years) == years  # type: ignore[call-overload]
        and lowest <= years <= MAX_YEARS  # type: ignore[operator]
    )


def multi_year_matrix(matrix: npt.ArrayLike, years: int) -> FloatArray:
    """Return the ``years``-year matrix ``P**years`` of a one-year matrix ``P``.

    Args:
        matrix: Row-stochastic one-year matrix (fractions), ``(k, k)``.
        years: Whole number of years (>= 0).

    Returns:
        Float64 ``(k, k)`` row-stochastic matrix.

    Raises:
        InvalidValueError: ``matrix`` not stochastic or ``years`` negative.

    Examples:
        >>> multi_year_matrix([[0.9, 0.1], [0.0, 1.0]], 2).round(2).tolist()
        [[0.81, 0.19], [0.0, 1.0]]
    """
    p = check_transition_matrix(matrix)
    if not _whole(years, 0):
        raise InvalidValueError(
            field="years",
            value=years,
            expected=f"a whole number of years from 0 to {MAX_YEARS}",
        )
    return np.asarray(np.linalg.matrix_power(p, int(years)), dtype=np.float64)


def cumulative_default_rates(
    matrix: npt.ArrayLike, years: int, *, default_index: int = -1
) -> FloatArray:
    """Cumulative default probability of each grade over 1 to ``years`` years.

    Column ``t - 1`` is the default column of ``P**t``; because default is absorbing,
    it is non-decreasing in ``t``.

    Args:
        matrix: One-year matrix with an absorbing default state, ``(k, k)``.
        years: Longest horizon (>= 1).
        default_index: Index of the default state.

    Returns:
        Float64 array ``(k, years)``: row ``i``, column ``t - 1`` is the probability
        that an obligor now in grade ``i`` has defaulted within ``t`` years.

    Raises:
        InvalidValueError: ``matrix`` not stochastic, default not absorbing, or
            ``years < 1``.

    Examples:
        >>> cumulative_default_rates([[0.9, 0.1], [0.0, 1.0]], 3).round(3).tolist()
        [[0.1, 0.19, 0.271], [1.0, 1.0, 1.0]]
    """
    p = check_default_absorbing(matrix, default_index=default_index)
    if not _whole(years, 1):
        raise InvalidValueError(
            field="years",
            value=years,
            expected=f"a whole number of years from 1 to {MAX_YEARS}",
        )
    k = p.shape[0]
    d = default_index % k
    out = np.empty((k, int(years)), dtype=np.float64)
    col = np.zeros(k)
    col[d] = 1.0
    # P^t e_d by repeated multiplication: O(years k^2), no matrix powers kept
    for t in range(int(years)):
        col = p @ col
        out[:, t] = col
    return out


def generator_from_matrix(
    matrix: npt.ArrayLike,
    *,
    regularisation: Regularisation = Regularisation.DIAGONAL,
    default_index: int = -1,
) -> FloatArray:
    r"""A valid generator ``Q`` with ``exp(Q) ≈ P`` for a one-year matrix ``P``.

    The principal matrix logarithm of an empirical matrix is often not a valid
    generator: some off-diagonal entries are slightly negative (a jump from AAA to
    default "via" lower grades is folded into one year). Israel, Rosenthal and Wei
    (2001) repair it by zeroing those entries and restoring zero row sums, either on
    the diagonal or in proportion to the remaining entries (:class:`Regularisation`).
    The default row is set to zero (absorbing).

    Notes:
        Weighted adjustment (IRW 2001, eq. 4.3), for each row ``i`` with
        $G_i = |q_{ii}| + \sum_{j \ne i} \max(q_{ij}, 0)$ and
        $B_i = \sum_{j \ne i} \max(-q_{ij}, 0)$:
        $$\tilde q_{ij} = \begin{cases} 0 & j \ne i,\ q_{ij} < 0 \\
        q_{ij} - B_i |q_{ij}| / G_i & \text{otherwise.} \end{cases}$$

    Args:
        matrix: One-year row-stochastic matrix with an absorbing default state.
        regularisation: How to repair negative off-diagonal rates.
        default_index: Index of the default state.

    Returns:
        Float64 ``(k, k)`` generator (per year): off-diagonal >= 0, rows sum to 0.

    Raises:
        InvalidValueError: ``matrix`` not stochastic, default not absorbing, or with
            no real logarithm (an eigenvalue <= 0, e.g. a diagonal entry below 0.5
            in an ill-conditioned matrix).

    Examples:
        >>> q = generator_from_matrix([[0.9, 0.1], [0.0, 1.0]])
        >>> q.round(4).tolist()
        [[-0.1054, 0.1054], [0.0, 0.0]]
    """
    from scipy import linalg  # noqa: PLC0415 - scipy loads when used (#20)

    p = check_default_absorbing(matrix, default_index=default_index)
    k = p.shape[0]
    eig = np.linalg.eigvals(p)
    if np.any((np.abs(eig.imag) < _PERCENT_TOLERANCE) & (eig.real <= 0.0)):
        raise InvalidValueError(
            field="matrix",
            value="has an eigenvalue <= 0",
            expected="a matrix with a real logarithm (all eigenvalues positive)",
        )
    log = np.asarray(linalg.logm(p), dtype=np.complex128)
    q = np.real(log).astype(np.float64)
    off = ~np.eye(k, dtype=bool)
    if regularisation is Regularisation.DIAGONAL:
        q = np.where(off & (q < 0.0), 0.0, q)
        np.fill_diagonal(q, 0.0)
        np.fill_diagonal(q, -q.sum(axis=1))
    else:
        pos = np.where(off, np.maximum(q, 0.0), 0.0)
        neg = np.where(off, np.maximum(-q, 0.0), 0.0).sum(axis=1)
        g = np.abs(np.diag(q)) + pos.sum(axis=1)
        safe_g = np.where(g > 0, g, 1.0)
        adj = q - (neg / safe_g)[:, None] * np.abs(q)
        q = np.where(off & (q < 0.0), 0.0, adj)
    d = default_index % k
    q[d] = 0.0
    out: FloatArray = check_generator(q)
    return out
