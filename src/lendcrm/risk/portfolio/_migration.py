"""Rating migrations: transition matrices estimated from rating histories.

A *rating history* is three parallel arrays, one row per observation: the obligor's id,
the date (float years, or ``numpy.datetime64``, read as calendar year plus the
fraction of that year elapsed, so that anniversaries are whole years apart) and the
grade. Grades are either integer indices into an explicit grade list (the *scale*) or
labels from that list; the **last grade of the scale is the default state** unless
``default_grade`` says otherwise. Each obligor's rows must be in date order (rows of
different obligors may interleave). A grade holds from its row's date until the next
row of the same obligor; an obligor is observed until its last row, except that an
obligor whose last row is the default state stays in default for ever (default is
absorbing).

Two estimators of a one-year matrix are offered:

* :func:`cohort_matrix`, the cohort method used by the rating agencies: the state at
  each cohort date ``start, start + h, ...`` is compared with the state ``h`` years later
  for every obligor observed at both dates; each cell is ``N_ij / N_i`` with a Wilson
  score confidence interval per cell.
* :func:`duration_matrix`, the duration (generator) method of Lando and Skødeberg
  (2002): the maximum-likelihood generator of a time-homogeneous Markov chain,
  ``q_ij = N_ij / T_i`` with ``T_i`` the time spent in grade ``i``, and ``P = exp(Q)``.

The matrices themselves (checks, generators, multi-year matrices and cumulative
default rates) are in `_migration_matrix`.

References:
    Lando, D. and Skødeberg, T. M. (2002). Analyzing rating transitions and rating
    drift with continuous observations. *Journal of Banking & Finance* 26, 423-444.

    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA* 22, 209-212.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray, as_float_array, check_same_length
from lendcrm._json_arrays import array_key
from lendcrm.errors import InvalidValueError, UnknownReferenceError

__all__ = [
    "TransitionEstimate",
    "cohort_matrix",
    "duration_matrix",
]


@attrs.frozen(kw_only=True)
class TransitionEstimate:
    """A transition matrix estimated from rating histories, with its evidence.

    Attributes:
        grades: The grade labels, in matrix order; the last one (or ``default_grade``)
            is the default state.
        matrix: Float64 ``(k, k)`` row-stochastic matrix over ``horizon`` years.
        counts: Int64 ``(k, k)`` observed transitions ``N_ij`` (cohort: obligors in
            grade ``i`` at a cohort date and in ``j`` ``horizon`` years later;
            duration: jumps from ``i`` to ``j``).
        at_risk: Float64 ``(k,)``: cohort, the number of obligor-cohorts starting in
            each grade ``N_i``; duration, the years spent in each grade ``T_i``.
        lower: Float64 ``(k, k)`` lower confidence bound of each cell (cohort: Wilson
            score interval; duration: ``nan``-free copy of ``matrix``, no interval).
        upper: Float64 ``(k, k)`` upper confidence bound of each cell.
        generator: Float64 ``(k, k)`` intensity matrix per year (duration method), or
            ``None`` for the cohort method.
        horizon: Years the matrix spans.
        confidence: Two-sided confidence level of ``lower``/``upper`` (cohort);
            0.0 for the duration method, which reports no interval.
        method: ``"cohort"`` or ``"duration"``.
        default_index: Index of the default state in ``grades``.

    Two estimates are equal when every field is, arrays compared value by value (two
    NaN equal), so an estimate equals its JSON round trip (`lendcrm.serialization`).
    """

    grades: tuple[str, ...]
    matrix: FloatArray = attrs.field(eq=array_key)
    counts: IntArray = attrs.field(eq=array_key)
    at_risk: FloatArray = attrs.field(eq=array_key)
    lower: FloatArray = attrs.field(eq=array_key)
    upper: FloatArray = attrs.field(eq=array_key)
    generator: FloatArray | None = attrs.field(eq=array_key)
    horizon: float
    confidence: float
    method: str
    default_index: int

    def __attrs_post_init__(self) -> None:
        """Refuse an estimate whose parts do not fit (e.g. one read from JSON)."""
        k = len(self.grades)
        if self.method not in {"cohort", "duration"}:
            raise InvalidValueError(
                field="method", value=self.method, expected="'cohort' or 'duration'"
            )
        if not 0 <= self.default_index < k:
            raise InvalidValueError(
                field="default_index",
                value=self.default_index,
                expected=f"an index into the {k} grades",
            )
        arrays: list[tuple[str, npt.NDArray[np.generic] | None, tuple[int, ...]]] = [
            ("matrix", self.matrix, (k, k)),
            ("counts", self.counts, (k, k)),
            ("at_risk", self.at_risk, (k,)),
            ("lower", self.lower, (k, k)),
            ("upper", self.upper, (k, k)),
            ("generator", self.generator, (k, k)),
        ]
        for name, arr, shape in arrays:
            if arr is not None and np.shape(arr) != shape:
                raise InvalidValueError(
                    field=name,
                    value=f"shape {np.shape(arr)}",
                    expected=f"shape {shape}, one row/column per grade",
                )


# ---------------------------------------------------------------- histories input


def _grade_codes(
    grades: npt.ArrayLike, scale: Sequence[str]
) -> tuple[IntArray, tuple[str, ...]]:
    if not isinstance(scale, Iterable):
        raise InvalidValueError(
            field="scale",
            value=scale,
            expected="the grade labels, best first, default last (a sequence)",
        )
    labels = tuple(str(g) for g in scale)
    if len(labels) < 2 or len(set(labels)) != len(labels):  # noqa: PLR2004
        raise InvalidValueError(
            field="scale",
            value=list(labels),
            expected="at least 2 distinct grade labels, best first, default last",
        )
    arr = np.asarray(grades)
    if arr.ndim != 1:
        raise InvalidValueError(
            field="grades", value=f"array of shape {arr.shape}", expected="1-d"
        )
    if arr.dtype.kind in "iu":
        codes = arr.astype(np.int64)
        bad = (codes < 0) | (codes >= len(labels))
        if bad.any():
            i = int(np.argmax(bad))
            raise UnknownReferenceError(
                kind="grade index",
                key=int(codes[i]),
                field=f"grades[{i}]",
                known=[str(c) for c in range(len(labels))],
            )
        return codes, labels
    text = arr.astype(str)
    order = np.argsort(np.asarray(labels))
    sorted_labels = np.asarray(labels)[order]
    pos = np.searchsorted(sorted_labels, text)
    pos_c = np.minimum(pos, len(labels) - 1)
    bad = sorted_labels[pos_c] != text
    if bad.any():
        i = int(np.argmax(bad))
        raise UnknownReferenceError(
            kind="grade", key=str(text[i]), field=f"grades[{i}]", known=labels
        )
    return order[pos_c].astype(np.int64), labels


def _as_years(times: npt.ArrayLike) -> FloatArray:
    arr = np.asarray(times)
    if arr.dtype.kind == "M":
        # calendar-year fractions: 1 Jan of each year is a whole number, so annual
        # snapshots are exactly one year apart whatever the leap years
        if np.isnat(arr).any():
            i = int(np.argmax(np.isnat(arr)))
            raise InvalidValueError(field=f"times[{i}]", value="NaT", expected="a date")
        sec = arr.astype("datetime64[s]")
        year = sec.astype("datetime64[Y]")
        start = year.astype("datetime64[s]")
        length = (year + np.timedelta64(1, "Y")).astype("datetime64[s]") - start
        frac = (sec - start).astype(np.float64) / length.astype(np.float64)
        arr = year.astype(np.float64) + 1970.0 + frac
    return as_float_array(arr, name="times", allow_empty=False)


def _obligor_error(ob: npt.NDArray[np.generic]) -> InvalidValueError:
    """Name the first obligor id that is missing or of another kind than the first."""
    items = ob.tolist()
    for i, item in enumerate(items):
        if item is None or item != item:  # noqa: PLR0124 - NaN is the one item != itself
            return InvalidValueError(
                field=f"obligors[{i}]",
                value=item,
                expected="an obligor id, not missing",
            )
    first = type(items[0])
    for i, item in enumerate(items):
        if type(item) is not first:
            return InvalidValueError(
                field=f"obligors[{i}]",
                value=item,
                expected=f"an obligor id of one kind with the others ({first.__name__})",
            )
    return InvalidValueError(  # pragma: no cover - the caller saw a failing compare
        field="obligors", value=items[:3], expected="obligor ids that can be ordered"
    )


def _histories(
    obligors: npt.ArrayLike,
    times: npt.ArrayLike,
    grades: npt.ArrayLike,
    scale: Sequence[str],
    default_grade: str | None,
) -> tuple[IntArray, FloatArray, IntArray, tuple[str, ...], int]:
    """Validate and sort histories by (obligor, time); return codes and labels."""
    t = _as_years(times)
    g, labels = _grade_codes(grades, scale)
    ob = np.asarray(obligors)
    if ob.ndim != 1:
        raise InvalidValueError(
            field="obligors", value=f"array of shape {ob.shape}", expected="1-d"
        )
    check_same_length(times=t, obligors=ob, grades=g)
    try:
        grouped = len(ob) > 1 and bool(np.all(ob[1:] >= ob[:-1]))
        uniques = None if grouped else np.unique(ob, return_inverse=True)
    except TypeError:  # None, or ids of kinds that do not compare (1 and "a")
        raise _obligor_error(ob) from None
    if ob.dtype.kind in "fc" and np.isnan(ob).any():
        raise _obligor_error(ob)
    if uniques is None:
        # already grouped by obligor (the usual layout): codes in O(n), no sort
        ob_s = np.concatenate(([0], np.cumsum(ob[1:] != ob[:-1]))).astype(np.int64)
        t_s, g_s = t, g
        order = np.arange(len(t))
    else:
        _, ob_code = uniques
        ob_code = ob_code.astype(np.int64)
        # stable sort by obligor keeps each obligor's rows in their given order
        order = np.argsort(ob_code, kind="stable")
        ob_s, t_s, g_s = ob_code[order], t[order], g[order]
    same = ob_s[1:] == ob_s[:-1]
    back = same & (t_s[1:] <= t_s[:-1])
    if back.any():
        k = int(np.argmax(back))
        raise InvalidValueError(
            field=f"times[{int(order[k + 1])}]",
            value=float(t_s[k + 1]),
            expected=(
                f"a date after {float(t_s[k]):g} (row {int(order[k])} of the same "
                "obligor): each obligor's history must be in strictly increasing "
                "date order"
            ),
        )
    if default_grade is None:
        d = len(labels) - 1
    elif default_grade in labels:
        d = labels.index(default_grade)
    else:
        raise UnknownReferenceError(kind="grade", key=default_grade, known=labels)
    return ob_s, t_s, g_s, labels, d


def _check_confidence(confidence: float, name: str = "confidence") -> float:
    return float(
        as_float_array(
            confidence,
            name=name,
            lower=0.0,
            upper=1.0,
            lower_open=True,
            upper_open=True,
            allow_empty=False,
        )[0]
    )


def _wilson(
    counts: FloatArray, totals: FloatArray, confidence: float
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval per cell; rows with no observation get [0, 1]."""
    from scipy import special  # noqa: PLC0415 - scipy loads when used (#20)

    z = float(special.ndtri(0.5 + confidence / 2.0))
    n = totals[:, None]
    safe_n = np.where(n > 0, n, 1.0)
    p = counts / safe_n
    denom = 1.0 + z * z / safe_n
    centre = (p + z * z / (2.0 * safe_n)) / denom
    half = z * np.sqrt(p * (1.0 - p) / safe_n + z * z / (4.0 * safe_n * safe_n)) / denom
    lower = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), 0.0)
    upper = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), 1.0)
    return lower, upper


# ---------------------------------------------------------------------- estimators


def _states_on_grid(
    ob_s: IntArray, t_s: FloatArray, g_s: IntArray, grid: FloatArray, d: int
) -> IntArray:
    """Grade of every obligor at every ``grid`` date, ``(n_obligors, len(grid))``.

    ``-1`` where the obligor is not observed: before its first row, or after its
    last row unless that row is the (absorbing) default state.
    """
    first = np.ones(len(ob_s), dtype=bool)
    first[1:] = ob_s[1:] != ob_s[:-1]
    starts = np.flatnonzero(first)
    ends = np.append(starts[1:], len(ob_s)) - 1
    n_ob, n_grid = len(starts), len(grid)
    base = float(min(t_s.min(), grid.min()))
    span = float(max(t_s.max(), grid.max()) - base) + 1.0
    key = ob_s * span + (t_s - base)
    qkey = (np.arange(n_ob, dtype=np.float64) * span)[:, None] + (grid - base)[None, :]
    idx = np.searchsorted(key, qkey.ravel(), side="right").reshape(n_ob, n_grid) - 1
    ok = idx >= starts[:, None]
    # observed until the last row, unless that row is default (absorbing)
    until = np.where(g_s[ends] == d, np.inf, t_s[ends])
    ok &= grid[None, :] <= until[:, None]
    return np.where(ok, g_s[np.maximum(idx, 0)], -1).astype(np.int64)


def cohort_matrix(
    obligors: npt.ArrayLike,
    times: npt.ArrayLike,
    grades: npt.ArrayLike,
    *,
    scale: Sequence[str],
    horizon: float = 1.0,
    start: float | None = None,
    end: float | None = None,
    confidence: float = 0.95,
    default_grade: str | None = None,
) -> TransitionEstimate:
    """Estimate a transition matrix over ``horizon`` years by the cohort method.

    Cohort dates are ``start, start + horizon, ...`` up to ``end - horizon``
    (defaults: the first and last dates in the data). For every cohort date and every
    obligor observed at that date and ``horizon`` years later, the pair (grade then,
    grade later) is one transition; the counts are accumulated with ``np.add.at``,
    with no Python loop over rows. Obligors observed at the first date but not at the
    second (rating withdrawn) are left out of the cohort, the "withdrawal-adjusted"
    convention. The default row is the unit vector, and a grade with no obligor at
    any cohort date gets a unit row too (it stays put: no evidence of movement),
    visible as ``at_risk == 0``.

    Args:
        obligors: Obligor ids, shape ``(n,)`` (any hashable numpy dtype).
        times: Observation dates, float years or ``datetime64``, shape ``(n,)``;
            in strictly increasing order within each obligor.
        grades: Grade labels from ``scale``, or integer indices into it, ``(n,)``.
        scale: The grade list, best first; its last entry is the default state
            unless ``default_grade`` names another.
        horizon: Cohort horizon in years (> 0).
        start: First cohort date (years); default: earliest date in the data.
        end: Last date considered (years); default: latest date in the data.
        confidence: Two-sided level of the Wilson score interval per cell, in (0, 1).
        default_grade: Label of the default state, if not the last of ``scale``.

    Returns:
        A :class:`TransitionEstimate` with ``method="cohort"``.

    Raises:
        InvalidValueError: arrays of different lengths, non-finite dates, dates out of
            order within an obligor, ``horizon <= 0`` or ``confidence`` outside (0, 1).
        UnknownReferenceError: a grade not in ``scale``.

    Examples:
        >>> est = cohort_matrix(
        ...     ["a", "a", "b", "b", "c", "c"],
        ...     [0.0, 1.0, 0.0, 1.0, 0.0, 1.0],
        ...     ["A", "A", "A", "B", "B", "D"],
        ...     scale=["A", "B", "D"],
        ... )
        >>> est.matrix.round(2).tolist()
        [[0.5, 0.5, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 1.0]]
        >>> est.counts.tolist()
        [[1, 1, 0], [0, 0, 1], [0, 0, 0]]
    """
    conf = _check_confidence(confidence)
    h = float(
        as_float_array(
            horizon, name="horizon", lower=0.0, lower_open=True, allow_empty=False
        )[0]
    )
    ob_s, t_s, g_s, labels, d = _histories(
        obligors, times, grades, scale, default_grade
    )
    k = len(labels)
    t0 = float(
        t_s.min()
        if start is None
        else as_float_array(start, name="start", allow_empty=False)[0]
    )
    t1 = float(
        t_s.max()
        if end is None
        else as_float_array(end, name="end", allow_empty=False)[0]
    )
    n_dates = int(np.floor((t1 - t0) / h + 1e-9))
    counts = np.zeros((k, k), dtype=np.int64)
    if n_dates >= 1:
        grid = (t0 + h * np.arange(n_dates + 1)).astype(np.float64)
        state = _states_on_grid(ob_s, t_s, g_s, grid, d)
        frm, to = state[:, :-1].ravel(), state[:, 1:].ravel()
        keep = (frm >= 0) & (to >= 0) & (frm != d)
        np.add.at(counts, (frm[keep], to[keep]), 1)
    totals = counts.sum(axis=1).astype(np.float64)
    safe = np.where(totals > 0, totals, 1.0)
    matrix = counts / safe[:, None]
    empty = totals == 0
    matrix[empty] = 0.0
    matrix[empty, np.flatnonzero(empty)] = 1.0  # no evidence: stay (documented)
    matrix[d] = 0.0
    matrix[d, d] = 1.0
    lower, upper = _wilson(counts.astype(np.float64), totals, conf)
    lower[d], upper[d] = matrix[d], matrix[d]
    return TransitionEstimate(
        grades=labels,
        matrix=matrix,
        counts=counts,
        at_risk=totals,
        lower=lower,
        upper=upper,
        generator=None,
        horizon=h,
        confidence=conf,
        method="cohort",
        default_index=d,
    )


def duration_matrix(
    obligors: npt.ArrayLike,
    times: npt.ArrayLike,
    grades: npt.ArrayLike,
    *,
    scale: Sequence[str],
    horizon: float = 1.0,
    default_grade: str | None = None,
) -> TransitionEstimate:
    r"""Estimate a generator and a transition matrix by the duration method.

    The Lando and Skødeberg (2002) maximum-likelihood estimator of a
    time-homogeneous Markov chain observed continuously: each obligor contributes
    the time it spends in each grade between its first and last row, and each change
    of grade between consecutive rows is one jump.

    Notes:
        $$\hat q_{ij} = \frac{N_{ij}}{T_i}\ (i \ne j), \qquad
        \hat q_{ii} = -\sum_{j \ne i} \hat q_{ij}, \qquad
        \hat P(h) = \exp(h \hat Q)$$
        with ``N_ij`` the number of jumps from ``i`` to ``j`` and ``T_i`` the
        obligor-years spent in ``i``. Grades never occupied get a zero row (they stay
        put); the default row is zero, so default is absorbing. Unlike the cohort
        method, a transition seen only within the year (``A -> B -> D``) still gives
        a positive ``A -> D`` probability. No confidence interval is produced:
        ``lower`` and ``upper`` equal ``matrix``.

    Args:
        obligors: Obligor ids, shape ``(n,)``.
        times: Observation dates (float years or ``datetime64``), ``(n,)``.
        grades: Grade labels from ``scale`` or indices into it, ``(n,)``.
        scale: The grade list, best first, default last (or ``default_grade``).
        horizon: Years spanned by the returned ``matrix`` (> 0).
        default_grade: Label of the default state, if not the last of ``scale``.

    Returns:
        A :class:`TransitionEstimate` with ``method="duration"`` and ``generator``.

    Raises:
        InvalidValueError: as :func:`cohort_matrix`.
        UnknownReferenceError: a grade not in ``scale``.

    Examples:
        >>> est = duration_matrix(
        ...     ["a", "a", "b", "b"], [0.0, 2.0, 0.0, 2.0], ["A", "D", "A", "A"],
        ...     scale=["A", "D"],
        ... )
        >>> est.generator.round(2).tolist()
        [[-0.25, 0.25], [0.0, 0.0]]
        >>> est.matrix.round(4).tolist()
        [[0.7788, 0.2212], [0.0, 1.0]]
    """
    h = float(
        as_float_array(
            horizon, name="horizon", lower=0.0, lower_open=True, allow_empty=False
        )[0]
    )
    ob_s, t_s, g_s, labels, d = _histories(
        obligors, times, grades, scale, default_grade
    )
    k = len(labels)
    same = ob_s[1:] == ob_s[:-1]
    frm, to = g_s[:-1][same], g_s[1:][same]
    dt = (t_s[1:] - t_s[:-1])[same]
    live = frm != d
    exposure = np.bincount(frm[live], weights=dt[live], minlength=k).astype(np.float64)
    counts = np.zeros((k, k), dtype=np.int64)
    moved = live & (frm != to)
    np.add.at(counts, (frm[moved], to[moved]), 1)
    safe = np.where(exposure > 0, exposure, 1.0)
    q = counts / safe[:, None]
    q[exposure == 0] = 0.0
    np.fill_diagonal(q, 0.0)
    q[d] = 0.0
    np.fill_diagonal(q, -q.sum(axis=1))
    p = _expm_stochastic(h * q)
    return TransitionEstimate(
        grades=labels,
        matrix=p,
        counts=counts,
        at_risk=exposure,
        lower=p.copy(),
        upper=p.copy(),
        generator=q,
        horizon=h,
        confidence=0.0,
        method="duration",
        default_index=d,
    )


def _expm_stochastic(q: FloatArray) -> FloatArray:
    from scipy import linalg  # noqa: PLC0415 - scipy loads when used (#20)

    p = np.asarray(linalg.expm(q), dtype=np.float64)
    p = np.clip(p, 0.0, None)  # round-off only: exp of a generator is stochastic
    out: FloatArray = p / p.sum(axis=1, keepdims=True)
    return out
