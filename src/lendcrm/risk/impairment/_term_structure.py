r"""PD term structures for ECL: marginal PDs per bucket, point in time, per scenario.

A cumulative PD curve $C_t$ (probability of default by the end of bucket $t$) gives the
**marginal** PD of bucket $t$, the unconditional probability of default inside it:
$$q_t = C_t - C_{t-1},\qquad C_0 = 0,$$
and the **conditional** (hazard) PD $h_t = q_t / (1 - C_{t-1})$. A rating migration
matrix $P$ with an absorbing default state gives $C_t = (P^t)_{i,D}$ for grade $i$
(`lendcrm.risk.portfolio.cumulative_default_rates`).

**Point in time** (IFRS 9 §5.5.17 (c), B5.5.52: forward-looking information). The
through-the-cycle hazards are moved to the state of the economy with the Vasicek
formula of `lendcrm.risk.portfolio.pit_pd`, bucket by bucket,
$$h^{PIT}_t = N\!\left(\frac{G(h_t) - \sqrt{\rho}\,z_t}{\sqrt{1-\rho}}\right),\qquad
z_t = z \cdot \lambda^{t-1},$$
where the scenario's systematic factor $z$ (positive is a good economy) reverts to
the median year at the persistence $\lambda \in [0, 1]$ per bucket; the marginal PDs
are rebuilt from the hazards: $q_t = h_t \prod_{u<t} (1 - h_u)$.

**Scenarios** (§5.5.17 (a), B5.5.42): an unbiased, probability-weighted amount, from
a small set of economic scenarios with weights $w_s \ge 0$, $\sum_s w_s = 1$
(`ScenarioSet`).
"""

from __future__ import annotations

from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array, numeric_array
from lendcrm.errors import InvalidValueError
from lendcrm.risk.impairment._scalars import one_number
from lendcrm.risk.portfolio import (
    BASE,
    DOWNTURN,
    UPTURN,
    Scenario,
    cumulative_default_rates,
    pit_pd,
)

__all__ = [
    "BASE_UPSIDE_DOWNSIDE",
    "ScenarioSet",
    "check_scenario_weights",
    "cumulative_pd_curve",
    "marginal_pd",
    "marginal_pd_from_matrix",
    "pit_marginal_pd",
    "scenario_marginal_pd",
]

#: Largest allowed |sum of weights - 1|, and the allowed dip of a cumulative PD.
WEIGHT_TOLERANCE: Final = 1e-9
CURVE_TOLERANCE: Final = 1e-12


def check_scenario_weights(
    weights: npt.ArrayLike, *, name: str = "scenario_weights"
) -> FloatArray:
    """Return the weights as float64 after checking they are >= 0 and sum to 1.

    Raises:
        InvalidValueError: a negative or non-finite weight (named ``weights[i]``), or
            weights that do not sum to 1 (±1e-9).

    Examples:
        >>> check_scenario_weights([0.25, 0.5, 0.25]).tolist()
        [0.25, 0.5, 0.25]
        >>> check_scenario_weights([0.3, 0.5, 0.3])
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `scenario_weights` must be weights summing to 1 (±1e-09); got 'sums to 1.1'.
    """
    w = as_float_array(weights, name=name, lower=0.0, upper=1.0, allow_empty=False)
    total = float(w.sum())
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        raise InvalidValueError(
            field=name,
            value=f"sums to {total:.6g}",
            expected=f"weights summing to 1 (±{WEIGHT_TOLERANCE:g})",
        )
    return w


def _tuple_float(values: object) -> tuple[float, ...]:
    return tuple(float(v) for v in numeric_array(values, name="weights").reshape(-1))  # type: ignore[arg-type]


def _tuple_scenarios(values: object) -> tuple[Scenario, ...]:
    if not isinstance(values, tuple | list):
        raise InvalidValueError(
            field="scenarios", value=values, expected="a tuple of Scenarios"
        )
    return tuple(values)


@attrs.frozen(kw_only=True)
class ScenarioSet:
    """Macro-economic scenarios with their probabilities (IFRS 9 §5.5.17 (a), B5.5.42).

    Attributes:
        scenarios: The `lendcrm.risk.portfolio.Scenario`s (their systematic factors).
        weights: Probability of each scenario, >= 0, summing to 1.

    Raises:
        InvalidValueError: weights not summing to 1, a negative weight, or not one
            weight per scenario.

    Examples:
        >>> from lendcrm.risk.portfolio import BASE, DOWNTURN
        >>> ScenarioSet(scenarios=(BASE, DOWNTURN), weights=(0.7, 0.3)).weights
        (0.7, 0.3)
        >>> ScenarioSet(scenarios=(BASE, DOWNTURN), weights=(0.7, 0.2))
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `weights` must be weights summing to 1 (±1e-09); got 'sums to 0.9'.
    """

    scenarios: tuple[Scenario, ...] = attrs.field(converter=_tuple_scenarios)
    weights: tuple[float, ...] = attrs.field(converter=_tuple_float)

    def __attrs_post_init__(self) -> None:
        """Check one weight per scenario, and the weights once."""
        for i, s in enumerate(self.scenarios):
            if not isinstance(s, Scenario):
                raise InvalidValueError(
                    field=f"scenarios[{i}]",
                    value=s,
                    expected="a lendcrm.risk.portfolio.Scenario",
                )
        if len(self.weights) != len(self.scenarios):
            raise InvalidValueError(
                field="weights",
                value=f"length {len(self.weights)}",
                expected=f"one weight per scenario ({len(self.scenarios)})",
            )
        check_scenario_weights(self.weights, name="weights")


#: Upside (the portfolio `UPTURN`, z = +1) 25 %, base (z = 0) 50 %, downside
#: (`DOWNTURN`, z = -1) 25 %.
BASE_UPSIDE_DOWNSIDE: Final = ScenarioSet(
    scenarios=(UPTURN, BASE, DOWNTURN), weights=(0.25, 0.5, 0.25)
)


def cumulative_pd_curve(
    cumulative_pd: npt.ArrayLike, *, name: str = "cumulative_pd"
) -> FloatArray:
    """Return a cumulative PD curve (or one per row) after checking it.

    Args:
        cumulative_pd: `(T,)` or `(n, T)`: PD of default by the end of each bucket.
        name: Argument name used in error messages.

    Returns:
        Float64 array of the same shape.

    Raises:
        InvalidValueError: not 1-d or 2-d, a value outside [0, 1] or not finite, or a
            decrease from one bucket to the next (named by row and bucket).

    Examples:
        >>> cumulative_pd_curve([[0.01, 0.03], [0.02, 0.015]])
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `cumulative_pd[1, 1]` must be a cumulative PD at least the previous bucket's (0.02): non-decreasing; got 0.015.
    """
    arr = numeric_array(cumulative_pd, name=name).astype(np.float64, copy=False)
    if arr.ndim not in (1, 2) or arr.shape[-1] == 0:
        raise InvalidValueError(
            field=name,
            value=f"array of shape {arr.shape}",
            expected="a curve (T,) or one curve per facility (n, T), T >= 1",
        )
    grid = arr.reshape(-1, arr.shape[-1])
    bad = ~((grid >= 0.0) & (grid <= 1.0))
    if bad.any():
        i, t = np.argwhere(bad)[0]
        raise InvalidValueError(
            field=_cell(name, arr.ndim, i, t),
            value=float(grid[i, t]),
            expected="a probability in [0, 1]",
        )
    dips = np.diff(grid, axis=1) < -CURVE_TOLERANCE
    if dips.any():
        i, t = np.argwhere(dips)[0]
        raise InvalidValueError(
            field=_cell(name, arr.ndim, i, t + 1),
            value=float(grid[i, t + 1]),
            expected=f"a cumulative PD at least the previous bucket's "
            f"({grid[i, t]:g}): non-decreasing",
        )
    return arr


def _cell(name: str, ndim: int, i: int, t: int) -> str:
    return f"{name}[{i}, {t}]" if ndim == 2 else f"{name}[{t}]"  # noqa: PLR2004


def marginal_pd(cumulative_pd: npt.ArrayLike) -> FloatArray:
    """Marginal PD of each bucket from a cumulative PD curve: $q_t = C_t - C_{t-1}$.

    Args:
        cumulative_pd: `(T,)` or `(n, T)` non-decreasing curve(s) in [0, 1].

    Returns:
        Float64 array of the same shape, each row summing to its last cumulative PD.

    Raises:
        InvalidValueError: as `cumulative_pd_curve`.

    Examples:
        >>> marginal_pd([0.02, 0.05, 0.09]).round(4).tolist()
        [0.02, 0.03, 0.04]
    """
    c = cumulative_pd_curve(cumulative_pd)
    return np.diff(c, axis=-1, prepend=0.0)


def _whole_years(years: object) -> int:
    if isinstance(years, bool) or not isinstance(years, int | np.integer) or years < 1:
        raise InvalidValueError(
            field="years", value=years, expected="a whole number of years >= 1"
        )
    return int(years)


def marginal_pd_from_matrix(
    matrix: npt.ArrayLike, years: int, *, default_index: int = -1
) -> FloatArray:
    """Marginal PD per grade and year from a one-year migration matrix ($P^t$).

    Args:
        matrix: One-year row-stochastic matrix with an absorbing default state.
        years: Number of annual buckets (>= 1).
        default_index: Index of the default state.

    Returns:
        Float64 `(k, years)`: row $i$ is the marginal PD of grade $i$ in years 1, 2, ...
        (the default state's row is 1 in year 1).

    Raises:
        InvalidValueError: as `lendcrm.risk.portfolio.cumulative_default_rates`.

    Examples:
        >>> marginal_pd_from_matrix([[0.9, 0.1], [0.0, 1.0]], 3).round(4).tolist()
        [[0.1, 0.09, 0.081], [1.0, 0.0, 0.0]]
    """
    c = cumulative_default_rates(
        matrix, _whole_years(years), default_index=default_index
    )
    return np.diff(c, axis=1, prepend=0.0)


def pit_marginal_pd(
    cumulative_pd: npt.ArrayLike,
    *,
    systematic_factor: float,
    rho: float,
    persistence: float = 0.5,
) -> FloatArray:
    r"""Point-in-time marginal PDs from a through-the-cycle cumulative curve.

    Each bucket's conditional PD goes through `lendcrm.risk.portfolio.pit_pd` at
    $z_t = z \\lambda^{t-1}$ (see the module docstring).

    Args:
        cumulative_pd: `(T,)` or `(n, T)` through-the-cycle cumulative PD curve(s).
        systematic_factor: $z$ of the scenario (positive is a good economy).
        rho: Asset correlation in [0, 1).
        persistence: $\\lambda$ in [0, 1]: the share of $z$ left in the next bucket.

    Returns:
        Float64 marginal PDs, the shape of `cumulative_pd`.

    Raises:
        InvalidValueError: as `cumulative_pd_curve` and `pit_pd`, or a persistence
            outside [0, 1].

    Examples:
        >>> pit_marginal_pd([0.02, 0.04], systematic_factor=0.0, rho=0.0).round(4).tolist()
        [0.02, 0.02]
        >>> pit_marginal_pd([0.02, 0.04], systematic_factor=-1.0, rho=0.12).round(4).tolist()
        [0.0344, 0.0222]
    """
    c = cumulative_pd_curve(cumulative_pd)
    lam = one_number(persistence, name="persistence", lower=0.0, upper=1.0)
    z0 = one_number(systematic_factor, name="systematic_factor")
    grid = c.reshape(-1, c.shape[-1])
    horizon = grid.shape[1]
    before = np.concatenate([np.zeros((grid.shape[0], 1)), grid[:, :-1]], axis=1)
    survive = 1.0 - before
    hazard = np.divide(
        grid - before, survive, out=np.zeros_like(grid), where=survive > 0
    )
    z = z0 * lam ** np.arange(horizon, dtype=np.float64)
    z_cells = np.broadcast_to(z, grid.shape).reshape(-1)
    pit = pit_pd(
        np.clip(hazard, 0.0, 1.0).reshape(-1), systematic_factor=z_cells, rho=rho
    )
    pit = pit.reshape(grid.shape)
    alive = np.cumprod(1.0 - pit, axis=1)
    alive_before = np.concatenate([np.ones((grid.shape[0], 1)), alive[:, :-1]], axis=1)
    out: FloatArray = (pit * alive_before).reshape(c.shape)
    return out


def scenario_marginal_pd(
    cumulative_pd: npt.ArrayLike,
    scenarios: ScenarioSet = BASE_UPSIDE_DOWNSIDE,
    *,
    rho: float,
    persistence: float = 0.5,
) -> FloatArray:
    """Point-in-time marginal PDs under each scenario of a `ScenarioSet`.

    Returns:
        Float64 `(s, T)` or `(s, n, T)`: scenario first, in the set's order; weight
        them with the set's weights in `expected_credit_loss`.

    Raises:
        InvalidValueError: as `pit_marginal_pd`.

    Examples:
        >>> q = scenario_marginal_pd([0.02, 0.04], rho=0.12)
        >>> q.shape, q[1].round(4).tolist()
        ((3, 2), [0.0143, 0.0144])
    """
    if not isinstance(scenarios, ScenarioSet):
        raise InvalidValueError(
            field="scenarios", value=scenarios, expected="a ScenarioSet"
        )
    out: FloatArray = np.stack(
        [
            pit_marginal_pd(
                cumulative_pd,
                systematic_factor=s.systematic_factor,
                rho=rho,
                persistence=persistence,
            )
            for s in scenarios.scenarios
        ]
    )
    return out
