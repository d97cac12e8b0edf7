"""Portfolio credit loss: expected and unexpected loss, ASRF capital, Monte Carlo copula.

Every function takes per-obligor arrays of shape ``(n,)``: exposure at default
``ead`` (currency units, >= 0), probability of default ``default_probability``
(one-year, a fraction in [0, 1]) and loss given default ``lgd`` (a fraction in [0, 1]).

The Monte Carlo engine :func:`simulate_losses` draws a Gaussian copula (Vasicek/
Merton) with one systematic factor, or one factor per sector with a given correlation
between sector factors. Scenarios are simulated in chunks of ``chunk_size`` rows, so
memory stays ``O(chunk_size × n)`` whatever the number of scenarios; each chunk has its
own child seed drawn from the caller's ``numpy.random.Generator``, so a second pass can
re-create exactly the same scenarios to compute each obligor's Euler contribution to
VaR and expected shortfall without ever storing the scenario × obligor matrix.

References:
    Vasicek, O. (2002). The distribution of loan portfolio value. *Risk* 15(12).

    Gordy, M. B. (2003). A risk-factor model foundation for ratings-based bank
    capital rules. *Journal of Financial Intermediation* 12, 199-232.

    Acerbi, C. and Tasche, D. (2002). On the coherence of expected shortfall.
    *Journal of Banking & Finance* 26(7), 1487-1503; and Expected shortfall: a natural
    coherent alternative to value at risk. *Economic Notes* 31(2), 379-388.

    Tasche, D. (2008). Capital allocation to business units and sub-portfolios: the
    Euler principle. In *Pillar II in the New Basel Accord*, Risk Books.

    Glasserman, P. (2005). Measuring marginal risk contributions in credit
    portfolios. *Journal of Computational Finance* 9(2), 1-41.
"""

from __future__ import annotations

import math
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray, as_float_array, check_same_length
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.risk._vasicek import conditional_pd, normal_quantile
from lendcrm.risk.portfolio._loss_scale import check_run_sizes, rescaled, scaled_weights

__all__ = [
    "DEFAULT_LEVELS",
    "LossSimulation",
    "asrf_capital",
    "simulate_losses",
    "unexpected_loss",
]

#: Confidence levels reported by :func:`simulate_losses` unless told otherwise.
DEFAULT_LEVELS: Final = (0.99, 0.999)
#: Default number of scenarios simulated at once (memory ~ 16 bytes × chunk × n).
DEFAULT_CHUNK: Final = 2_000
#: Above this (largest unexpected loss x count) a sum of squares could overflow.
_SAFE_SUM: Final = 2.0**500

#: The most scenarios one call simulates (their losses alone take 800 MB).
MAX_SCENARIOS: Final = 100_000_000
_SEED_BOUND: Final = 2**63 - 1
#: Bytes of default indicators kept for the largest losses during the first pass.
TAIL_BUFFER_BYTES: Final = 64 * 2**20
#: The VaR kernel is cut off beyond this many bandwidths (weight < 3.4e-4).
_KERNEL_CUTOFF: Final = 4.0


def _book(
    ead: npt.ArrayLike, default_probability: npt.ArrayLike, lgd: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    e = as_float_array(ead, name="ead", lower=0.0, allow_empty=False)
    p = as_float_array(
        default_probability, name="default_probability", lower=0.0, upper=1.0
    )
    g = as_float_array(lgd, name="lgd", lower=0.0, upper=1.0)
    n = len(e)
    p = np.broadcast_to(p, (n,)).copy() if len(p) == 1 else p
    g = np.broadcast_to(g, (n,)).copy() if len(g) == 1 else g
    check_same_length(ead=e, default_probability=p, lgd=g)
    return e, p, g


def _correlation(rho: npt.ArrayLike, n: int, name: str = "correlation") -> FloatArray:
    r = as_float_array(rho, name=name, lower=0.0, upper=1.0, upper_open=True)
    if len(r) == 1:
        return np.full(n, r[0])
    if len(r) != n:
        raise InvalidValueError(
            field=name,
            value=f"length {len(r)}",
            expected=f"a scalar or one value per obligor ({n})",
        )
    return r


def _levels(levels: npt.ArrayLike, name: str = "levels") -> FloatArray:
    return as_float_array(
        levels,
        name=name,
        lower=0.0,
        upper=1.0,
        lower_open=True,
        upper_open=True,
        allow_empty=False,
    )


def unexpected_loss(
    ead: npt.ArrayLike,
    default_probability: npt.ArrayLike,
    lgd: npt.ArrayLike,
    *,
    default_correlation: float = 0.0,
    lgd_volatility: npt.ArrayLike = 0.0,
) -> float:
    r"""Unexpected loss (standard deviation of the book's loss) in currency units.

    Notes:
        Per obligor (Ong 1999, ch. 5),
        $$UL_i = EAD_i \sqrt{PD_i\,\sigma_{LGD,i}^2 + LGD_i^2\,PD_i(1-PD_i)},$$
        and with one default correlation $\rho$ between every pair,
        $$UL_p = \sqrt{(1-\rho)\sum_i UL_i^2 + \rho \Big(\sum_i UL_i\Big)^2},$$
        which is $\sqrt{\sum_{ij} \rho_{ij} UL_i UL_j}$ with $\rho_{ii} = 1$ and
        $\rho_{ij} = \rho$, computed in ``O(n)``.

    Args:
        ead: Exposure at default, >= 0, ``(n,)``.
        default_probability: Probability of default in [0, 1], scalar or ``(n,)``.
        lgd: Expected LGD in [0, 1], scalar or ``(n,)``.
        default_correlation: Pairwise *default* (not asset) correlation in [0, 1).
        lgd_volatility: Standard deviation of LGD, >= 0, scalar or ``(n,)``.

    Returns:
        The book's unexpected loss (>= 0).

    Raises:
        InvalidValueError: bad exposures, PD, LGD, a negative LGD volatility or a
            correlation outside [0, 1).

    Examples:
        >>> round(unexpected_loss([100.0, 100.0], 0.01, 0.5), 3)
        7.036
        >>> round(unexpected_loss([100.0, 100.0], 0.01, 0.5, default_correlation=0.2), 3)
        7.707
    """
    e, p, g = _book(ead, default_probability, lgd)
    rho = float(_correlation(default_correlation, 1, "default_correlation")[0])
    s = as_float_array(lgd_volatility, name="lgd_volatility", lower=0.0)
    ul_i = e * np.sqrt(p * s * s + g * g * p * (1.0 - p))
    # exact power-of-two scaling near the float maximum: squares and the squared
    # sum stay finite; the result is refused only when it does not fit a float
    top = float(ul_i.max()) if ul_i.size else 0.0
    shift = math.frexp(top)[1] if top * max(ul_i.size, 1) >= _SAFE_SUM else 0
    u = np.ldexp(ul_i, -shift)
    var = (1.0 - rho) * float(np.sum(u * u)) + rho * float(np.sum(u)) ** 2
    try:
        return math.ldexp(math.sqrt(var), shift)
    except OverflowError:
        raise InvalidValueError(
            field="ead",
            value=f"largest {float(np.max(e)):g} of {e.size}",
            expected="exposures whose unexpected loss fits a float (below 1.8e308)",
        ) from None


def asrf_capital(
    ead: npt.ArrayLike,
    default_probability: npt.ArrayLike,
    lgd: npt.ArrayLike,
    *,
    correlation: npt.ArrayLike,
    confidence: float = 0.999,
) -> FloatArray:
    r"""Asymptotic single-risk-factor capital (unexpected loss at ``confidence``).

    The capital of an infinitely granular book in Gordy's (2003) ASRF model:
    conditional loss at the factor's ``confidence`` quantile minus expected loss. This
    is the Basel IRB formula without the maturity adjustment and without the 1.06
    scaling; it is additive across obligors.

    Notes:
        $$K_i = EAD_i\,LGD_i\,\big(PD_i(q) - PD_i\big)$$
        with $PD_i(q)$ the Vasicek default rate conditional on the factor's
        ``confidence`` quantile (:func:`conditional_default_rate`).

    Args:
        ead: Exposure at default, >= 0, ``(n,)``.
        default_probability: Probability of default in [0, 1], scalar or ``(n,)``.
        lgd: Loss given default in [0, 1], scalar or ``(n,)``.
        correlation: Asset correlation in [0, 1), scalar or ``(n,)``.
        confidence: Confidence level in (0, 1); Basel uses 0.999.

    Returns:
        Float64 ``(n,)`` capital per obligor in the currency of ``ead``.

    Raises:
        InvalidValueError: bad exposures, PD or LGD (as
            :func:`lendcrm.risk.capital.expected_loss`), a correlation outside
            [0, 1) or a confidence outside (0, 1).

    Examples:
        >>> asrf_capital([100.0], 0.01, 0.45, correlation=0.12).round(3)
        array([3.615])
    """
    e, p, g = _book(ead, default_probability, lgd)
    r = _correlation(correlation, len(p))
    q = float(_levels(confidence, "confidence")[0])
    cond = conditional_pd(p, systematic_factor=-float(normal_quantile(q)), rho=r)
    return e * g * (cond - p)


# ----------------------------------------------------------------- Monte Carlo


@attrs.frozen(kw_only=True, eq=False)
class LossSimulation:
    """Result of :func:`simulate_losses`.

    Attributes:
        losses: Float64 ``(n_scenarios,)`` simulated book losses, in scenario order.
        levels: Float64 ``(m,)`` confidence levels, in (0, 1).
        var: Float64 ``(m,)`` value-at-risk at each level: the empirical
            ``ceil(level × n_scenarios)``-th smallest loss.
        expected_shortfall: Float64 ``(m,)``: the mean of the
            ``ceil(n_scenarios × (1 - level))`` largest losses, the textbook estimator
            (Acerbi and Tasche 2002; see :func:`simulate_losses`), so that ES >= VaR.
        es_contributions: Float64 ``(m, n)`` each obligor's Euler contribution to
            ES, ``E[L_i | tail]``; each row sums to ``expected_shortfall`` exactly
            (up to round-off).
        var_contributions: Float64 ``(m, n)`` each obligor's contribution to VaR,
            ``E[L_i | L ≈ VaR]`` by a Gaussian kernel on the book loss (see
            :func:`simulate_losses`); each row sums to ``var_kernel_loss``.
        var_kernel_loss: Float64 ``(m,)`` the kernel-weighted mean book loss near VaR
            (what the VaR contributions add up to; close to ``var``).
        bandwidth: Float64 ``(m,)`` the kernel bandwidth used at each level.
        expected_loss: Analytic expected loss of the book, ``sum(EAD × PD × LGD)``.
        passes: 1 when the kept tail scenarios covered every scenario the
            contributions need, 2 when the scenarios had to be replayed.
    """

    losses: FloatArray
    levels: FloatArray
    var: FloatArray
    expected_shortfall: FloatArray
    es_contributions: FloatArray
    var_contributions: FloatArray
    var_kernel_loss: FloatArray
    bandwidth: FloatArray
    expected_loss: float
    passes: int

    def quantile(self, level: float) -> float:
        """Empirical VaR of the simulated losses at any ``level`` in (0, 1).

        Raises:
            InvalidValueError: ``level`` outside (0, 1).

        Examples:
            >>> sim = simulate_losses([1.0] * 10, 0.1, 1.0, correlation=0.2,
            ...     n_scenarios=1000, rng=np.random.default_rng(0))
            >>> sim.quantile(0.5) <= sim.quantile(0.99)
            True
        """
        q = float(_levels(level, "level")[0])
        return float(_var_es(np.sort(self.losses), np.array([q]))[0][0])


def _var_es(
    sorted_losses: FloatArray, levels: FloatArray
) -> tuple[FloatArray, FloatArray, IntArray]:
    """VaR, ES and the 1-based rank of the first tail scenario at each level.

    VaR is the ``ceil(level n)``-th smallest loss; ES the mean of the
    ``m = ceil(n (1 - level))`` largest (ranks ``n - m + 1 .. n``). The 1e-9 keeps a
    product that is an integer in exact arithmetic (1000 × 0.99) from rounding up.
    """
    n = len(sorted_losses)
    k = np.clip(np.ceil(levels * n - 1e-9).astype(np.int64), 1, n)  # 1-based rank
    var = sorted_losses[k - 1]
    m = np.clip(np.ceil((1.0 - levels) * n - 1e-9).astype(np.int64), 1, n)
    first = n - m + 1  # 1-based rank of the first tail scenario
    tail_sum = np.cumsum(sorted_losses[::-1])[::-1]  # sum of sorted[j:]
    es = tail_sum[first - 1] / m
    return var, es, first


def _sector_setup(
    n: int,
    sectors: npt.ArrayLike | None,
    sector_correlation: npt.ArrayLike | None,
) -> tuple[IntArray, FloatArray]:
    if sectors is None:
        if sector_correlation is not None:
            raise InvalidValueError(
                field="sector_correlation",
                value="given without `sectors`",
                expected="passed together with `sectors`",
            )
        return np.zeros(n, dtype=np.int64), np.ones((1, 1), dtype=np.float64)
    s = np.asarray(sectors)
    if s.ndim != 1 or len(s) != n or s.dtype.kind not in "iu":
        raise InvalidValueError(
            field="sectors",
            value=f"array of shape {s.shape} and dtype {s.dtype}",
            expected=f"integer sector indices, one per obligor ({n})",
        )
    if (s < 0).any():
        i = int(np.argmax(s < 0))
        raise InvalidValueError(
            field=f"sectors[{i}]", value=int(s[i]), expected="a sector index >= 0"
        )
    n_sec = int(s.max()) + 1
    c = np.eye(n_sec) if sector_correlation is None else np.asarray(sector_correlation)
    c = np.asarray(c, dtype=np.float64)
    if c.shape != (n_sec, n_sec) or not np.all(np.isfinite(c)):
        raise InvalidValueError(
            field="sector_correlation",
            value=f"array of shape {c.shape}",
            expected=f"a finite {n_sec}×{n_sec} correlation matrix",
        )
    if not np.allclose(c, c.T) or not np.allclose(np.diag(c), 1.0):
        raise InvalidValueError(
            field="sector_correlation",
            value="not symmetric with unit diagonal",
            expected="a correlation matrix (symmetric, ones on the diagonal)",
        )
    try:
        chol = np.asarray(np.linalg.cholesky(c), dtype=np.float64)
    except np.linalg.LinAlgError:
        raise InvalidValueError(
            field="sector_correlation",
            value="not positive definite",
            expected="a positive definite correlation matrix",
        ) from None
    return s.astype(np.int64), chol


def simulate_losses(
    ead: npt.ArrayLike,
    default_probability: npt.ArrayLike,
    lgd: npt.ArrayLike,
    *,
    correlation: npt.ArrayLike,
    n_scenarios: int,
    rng: np.random.Generator,
    levels: npt.ArrayLike = DEFAULT_LEVELS,
    sectors: npt.ArrayLike | None = None,
    sector_correlation: npt.ArrayLike | None = None,
    chunk_size: int = DEFAULT_CHUNK,
    bandwidth: float | None = None,
) -> LossSimulation:
    r"""Simulate the book's one-period default loss with a Gaussian copula.

    Obligor ``i`` defaults when its asset value
    ``X_i = sqrt(rho_i) Z_{s(i)} + sqrt(1 - rho_i) eps_i`` falls below
    ``Phi^-1(PD_i)``; ``Z`` are the sector factors (one factor when ``sectors`` is
    ``None``), standard normal with correlation matrix ``sector_correlation``, and
    ``eps_i`` idiosyncratic standard normals. Its loss is ``EAD_i × LGD_i``.

    Scenarios are drawn in chunks of ``chunk_size`` (peak memory about
    ``16 × chunk_size × n`` bytes plus ``8 × n_scenarios`` for the losses); chunk
    ``c`` uses a child generator seeded from ``rng``, so the result is a function of
    ``rng``'s state, the arguments and ``chunk_size`` (keep it fixed to reproduce a
    run). The pass over the scenarios gives the loss distribution and keeps the
    default indicators of the ``5 × (1 - min(levels)) × n_scenarios`` largest losses
    (at most ``TAIL_BUFFER_BYTES``, 64 MiB, of booleans). When those cover every
    scenario the contributions need (the tail beyond VaR and the kernel window
    around it) the contributions come from them; otherwise a second pass replays
    the same chunks. Both routes give the same numbers (``passes`` tells which ran).

    Notes:
        VaR and ES at confidence $\alpha$ from $N$ scenarios with ordered losses
        $L_{(1)} \le \dots \le L_{(N)}$: $\mathrm{VaR}_\alpha = L_{(\lceil N\alpha
        \rceil)}$, the empirical quantile, and
        $$\mathrm{ES}_\alpha = \frac{1}{m}\sum_{i=N-m+1}^{N} L_{(i)}, \qquad
        m = \lceil N(1-\alpha) \rceil,$$
        the mean of the $m$ worst losses (Acerbi and Tasche 2002: the average of the
        $100(1-\alpha)\,\%$ worst outcomes; their $w = \lfloor N(1-\alpha)
        \rfloor$ is the same $m$ whenever $N(1-\alpha)$ is a whole number, as with
        1,000 scenarios at 99 %, and the ceiling keeps one scenario when it is below
        one). With 1,000 scenarios at 99 % the ES averages the 10 worst losses, not
        the 11 from the VaR scenario up.

        Euler contributions (Tasche 2008): for a positively homogeneous risk measure,
        $\rho(L) = \sum_i \partial \rho / \partial u_i$ with
        $$\mathrm{ES}_i = E[L_i \mid L \ge \mathrm{VaR}_\alpha], \qquad
        \mathrm{VaR}_i = E[L_i \mid L = \mathrm{VaR}_\alpha].$$
        The VaR condition has probability zero in a simulation, so it is
        estimated with a Gaussian kernel (Epperlein and Smillie 2006; Glasserman
        2005): $\widehat{\mathrm{VaR}}_i = \sum_s w_s L_{is} / \sum_s w_s$ with
        $w_s = \varphi((L_s - \mathrm{VaR}_\alpha)/h)$, cut to zero beyond
        $4h$ (weights below $3.4 \times 10^{-4}$), and, unless given,
        Silverman's bandwidth $h = 0.9\,\min(\hat\sigma, \mathrm{IQR}/1.34)\,
        N^{-1/5}$ (floored at 1 % of the mean loss given default, so a lumpy
        loss distribution still has a neighbourhood). The contributions then add
        up to the kernel-weighted loss near VaR (``var_kernel_loss``), not
        exactly to VaR; the gap shrinks with the bandwidth.

    Args:
        ead: Exposure at default, >= 0, ``(n,)``.
        default_probability: Probability of default in [0, 1], scalar or ``(n,)``.
        lgd: Loss given default in [0, 1], scalar or ``(n,)``.
        correlation: Asset correlation with the (own sector's) factor, [0, 1),
            scalar or ``(n,)``.
        n_scenarios: Number of scenarios (>= 1).
        rng: The random generator; the only source of randomness.
        levels: Confidence levels in (0, 1) for VaR, ES and contributions.
        sectors: Integer sector index of each obligor, ``(n,)``; ``None`` for one
            factor.
        sector_correlation: ``(S, S)`` correlation of the sector factors (default:
            identity). Requires ``sectors``.
        chunk_size: Scenarios simulated at once (>= 1).
        bandwidth: Kernel bandwidth for VaR contributions (currency units, > 0);
            ``None`` for the rule above.

    Returns:
        A :class:`LossSimulation`.

    Raises:
        InvalidValueError: bad exposures, PD, LGD; a correlation outside [0, 1); a
            level outside (0, 1); a non-positive ``n_scenarios`` or ``chunk_size``,
            or more than 100,000,000 scenarios; ``rng`` not a Generator;
            bad sectors or a sector correlation that is not a positive definite
            correlation matrix.

    Examples:
        >>> sim = simulate_losses(
        ...     [100.0] * 50, 0.02, 0.5, correlation=0.15, n_scenarios=20_000,
        ...     rng=np.random.default_rng(7), levels=[0.99],
        ... )
        >>> bool(sim.expected_shortfall[0] >= sim.var[0] > sim.expected_loss)
        True
        >>> bool(np.isclose(sim.es_contributions.sum(), sim.expected_shortfall[0]))
        True
    """
    require_instance(
        rng, np.random.Generator, name="rng", what="a numpy.random.Generator"
    )
    e, p, g = _book(ead, default_probability, lgd)
    n = len(e)
    rho = _correlation(correlation, n)
    lv = _levels(levels)
    check_run_sizes(n_scenarios, chunk_size, limit=MAX_SCENARIOS)
    if bandwidth is not None:
        as_float_array(bandwidth, name="bandwidth", lower=0.0, lower_open=True)
    sec, chol = _sector_setup(n, sectors, sector_correlation)
    weight, scale, bandwidth = scaled_weights(e, g, bandwidth)  # exact at extremes
    n_chunks = -(-int(n_scenarios) // int(chunk_size))
    sampler = _Sampler(
        default_probability=p,
        rho=rho,
        sectors=sec,
        chol=chol,
        n_scenarios=int(n_scenarios),
        chunk_size=int(chunk_size),
        seeds=rng.integers(0, _SEED_BOUND, size=n_chunks),
    )
    losses, buf_idx, buf_hit = _first_pass(
        sampler, weight, n_chunks, _tail_rows(lv, int(n_scenarios), n)
    )
    order = np.argsort(losses, kind="stable")
    var, es, first = _var_es(losses[order], lv)
    # tail membership per level: the scenarios ranked first..N (1-based)
    rank = np.empty(len(losses), dtype=np.int64)
    rank[order] = np.arange(1, len(losses) + 1)
    tail_w = (rank[None, :] >= first[:, None]).astype(np.float64)  # (levels, scen.)
    h = _bandwidths(losses, var, weight, bandwidth)
    u = (losses[None, :] - var[:, None]) / h[:, None]
    kern = np.where(np.abs(u) <= _KERNEL_CUTOFF, np.exp(-0.5 * u * u), 0.0)
    needed = np.flatnonzero((tail_w > 0).any(axis=0) | (kern > 0).any(axis=0))
    by_idx = np.argsort(buf_idx)
    pos = np.searchsorted(buf_idx[by_idx], needed)
    pos = np.minimum(pos, max(len(buf_idx) - 1, 0))
    covered = len(buf_idx) > 0 and bool(np.all(buf_idx[by_idx][pos] == needed))
    if covered:  # one pass was enough: every scenario needed is in the buffer
        rows_f = buf_hit[by_idx[pos]].astype(np.float64)
        es_acc = tail_w[:, needed] @ rows_f
        var_acc = kern[:, needed] @ rows_f
        passes = 1
    else:
        es_acc = np.zeros((len(lv), n))
        var_acc = np.zeros((len(lv), n))
        for c in range(n_chunks):  # second pass: the same scenarios, replayed
            lo, hit = sampler.chunk(c)
            hitf = hit.astype(np.float64)
            es_acc += tail_w[:, lo : lo + len(hit)] @ hitf
            var_acc += kern[:, lo : lo + len(hit)] @ hitf
        passes = 2
    kern_sum = kern.sum(axis=1)
    sim = LossSimulation(
        losses=losses,
        levels=lv,
        var=var,
        expected_shortfall=es,
        es_contributions=es_acc * weight / tail_w.sum(axis=1)[:, None],
        var_contributions=var_acc * weight / kern_sum[:, None],
        var_kernel_loss=(kern @ losses) / kern_sum,
        bandwidth=h,
        expected_loss=float(np.sum(weight * p)),
        passes=passes,
    )
    return rescaled(sim, scale)


@attrs.frozen(kw_only=True, eq=False)
class _Sampler:
    """Re-creates scenario chunk ``c`` of a simulation from its own seed."""

    default_probability: FloatArray
    rho: FloatArray
    sectors: IntArray
    chol: FloatArray
    n_scenarios: int
    chunk_size: int
    seeds: IntArray

    def chunk(self, c: int) -> tuple[int, npt.NDArray[np.bool_]]:
        """Return (first scenario index, default indicators ``(m, n)``) of chunk c."""
        lo = c * self.chunk_size
        m = min(self.chunk_size, self.n_scenarios - lo)
        n = len(self.default_probability)
        n_sec = self.chol.shape[0]
        with np.errstate(divide="ignore"):
            threshold = normal_quantile(self.default_probability)
        # float32 for the m × n work: a threshold error of ~1e-7 standard deviations
        # moves a PD by < 1e-7 relative, far below Monte Carlo error; halves memory.
        # Default iff eps < (threshold - sqrt(rho) Z) / sqrt(1 - rho).
        thr = np.maximum(threshold, -1e30).astype(np.float32)
        a = np.sqrt(self.rho).astype(np.float32)
        inv_b = (1.0 / np.sqrt(1.0 - self.rho)).astype(np.float32)
        sub = np.random.default_rng(int(self.seeds[c]))
        z = (sub.standard_normal((m, n_sec)) @ self.chol.T).astype(np.float32)
        eps = sub.standard_normal((m, n), dtype=np.float32)
        zs = z if n_sec == 1 else z[:, self.sectors]
        return lo, eps < (thr - a * zs) * inv_b


def _first_pass(
    sampler: _Sampler, weight: FloatArray, n_chunks: int, keep: int
) -> tuple[FloatArray, IntArray, npt.NDArray[np.bool_]]:
    """Losses of every scenario, and the default rows of the ``keep`` largest."""
    n = len(weight)
    losses = np.empty(sampler.n_scenarios, dtype=np.float64)
    buf_idx = np.empty(0, dtype=np.int64)
    buf_loss = np.empty(0, dtype=np.float64)
    buf_hit = np.empty((0, n), dtype=np.bool_)
    for c in range(n_chunks):
        lo, hit = sampler.chunk(c)
        chunk_loss = hit @ weight
        losses[lo : lo + len(hit)] = chunk_loss
        if keep == 0:
            continue
        full = len(buf_idx) == keep
        cand = np.flatnonzero(chunk_loss > buf_loss.min()) if full else None
        if cand is not None and cand.size == 0:
            continue
        rows = np.arange(len(hit)) if cand is None else cand
        all_loss = np.concatenate([buf_loss, chunk_loss[rows]])
        sel = np.arange(len(all_loss))
        if len(all_loss) > keep:
            sel = np.argpartition(all_loss, len(all_loss) - keep)[
                len(all_loss) - keep :
            ]
        buf_loss = all_loss[sel]
        buf_idx = np.concatenate([buf_idx, lo + rows])[sel]
        buf_hit = np.concatenate([buf_hit, hit[rows]])[sel]
    return losses, buf_idx, buf_hit


def _tail_rows(levels: FloatArray, n_scenarios: int, n: int) -> int:
    """Scenarios whose default indicators are kept in pass one (see the docstring)."""
    wanted = int(np.ceil(5.0 * (1.0 - float(levels.min())) * n_scenarios)) + 1
    return int(min(n_scenarios, wanted, TAIL_BUFFER_BYTES // max(n, 1)))


def _bandwidths(
    losses: FloatArray,
    var: FloatArray,
    weight: FloatArray,
    bandwidth: float | None,
) -> FloatArray:
    if bandwidth is not None:
        return np.full(len(var), float(bandwidth))
    n = len(losses)
    sd = float(np.std(losses))
    q75, q25 = np.percentile(losses, [75.0, 25.0])
    spread = min(sd, float(q75 - q25) / 1.34) if q75 > q25 else sd
    h = 0.9 * spread * n ** (-0.2)
    floor = 0.01 * float(np.mean(weight[weight > 0])) if (weight > 0).any() else 1.0
    return np.full(len(var), max(h, floor, 1e-12))
