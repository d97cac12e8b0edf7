r"""The one home of the Vasicek conditional default rate, shared by every risk area.

In the one-factor model behind the IRB formula (BCBS, "An Explanatory Note on the
Basel II IRB Risk Weight Functions", July 2005, §4.1-4.2; Vasicek 2002) borrower $i$
defaults when $\sqrt{\rho}\,Z + \sqrt{1-\rho}\,\varepsilon_i < G(PD)$. The default rate
conditional on the systematic factor $Z = z$ is

$$PD(z) = N\!\left(\frac{G(PD) - \sqrt{\rho}\,z}{\sqrt{1-\rho}}\right).$$

**Sign convention: $z > 0$ is a good economy.** The worst-case default rate at
confidence $q$ (the IRB quantile, ASRF capital) is $PD(-G(q))$.

The functions here take arrays that are already validated (the public functions of
`lendcrm.risk.capital` and `lendcrm.risk.portfolio` validate and name their own
arguments); $N$ and $G$ are `scipy.special.ndtr` and `ndtri`, the kernels behind
`scipy.stats.norm.cdf` and `norm.ppf`, without their per-call overhead.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray

__all__ = ["conditional_pd", "normal_quantile", "unconditional_pd"]


def conditional_pd(
    default_probability: npt.ArrayLike,
    *,
    systematic_factor: npt.ArrayLike,
    rho: npt.ArrayLike,
) -> FloatArray:
    r"""Default rate conditional on the systematic factor $z$, vectorised.

    Args:
        default_probability: Unconditional (through-the-cycle) PD in [0, 1].
        systematic_factor: $z$, positive is a good economy; the worst case at
            confidence $q$ is $z = -G(q)$.
        rho: Asset correlation in [0, 1).

    Returns:
        Float64 array of the broadcast shape, in [0, 1]; PD 0 and 1 map to
        themselves exactly.

    Notes:
        $$PD(z) = N\left(\frac{G(PD) - \sqrt{\rho}\,z}{\sqrt{1-\rho}}\right)$$

    Examples:
        >>> conditional_pd([0.0, 0.01, 1.0], systematic_factor=-3.0902, rho=0.12).round(4)
        array([0.    , 0.0903, 1.    ])
    """
    from scipy.special import ndtr, ndtri  # noqa: PLC0415 - scipy loads when used (#20)

    p = np.asarray(default_probability, dtype=np.float64)
    r = np.asarray(rho, dtype=np.float64)
    z = np.asarray(systematic_factor, dtype=np.float64)
    x: FloatArray = np.empty(np.broadcast_shapes(p.shape, r.shape, z.shape))
    ndtri(p, out=x)  # G(0) = -inf and G(1) = +inf give N(.) = 0 and 1 exactly
    x -= np.sqrt(r) * z
    x /= np.sqrt(1.0 - r)
    out: FloatArray = ndtr(x, out=x)
    return out


def unconditional_pd(
    conditional: npt.ArrayLike,
    *,
    systematic_factor: npt.ArrayLike,
    rho: npt.ArrayLike,
) -> FloatArray:
    r"""The inverse of `conditional_pd`: the PD implied by a rate observed at $z$.

    Args:
        conditional: Default rate observed in state $z$, in [0, 1].
        systematic_factor: $z$ of that state (positive is good).
        rho: Asset correlation in [0, 1).

    Returns:
        Float64 array of the broadcast shape, in [0, 1]; 0 and 1 map to themselves.

    Notes:
        $$PD = N\left(\sqrt{1-\rho}\,G(PD(z)) + \sqrt{\rho}\,z\right)$$

    Examples:
        >>> bad_year = conditional_pd([0.0, 0.01, 1.0], systematic_factor=-3.0, rho=0.12)
        >>> unconditional_pd(bad_year, systematic_factor=-3.0, rho=0.12).round(6)
        array([0.  , 0.01, 1.  ])
    """
    from scipy.special import ndtr, ndtri  # noqa: PLC0415 - scipy loads when used (#20)

    p = np.asarray(conditional, dtype=np.float64)
    r = np.asarray(rho, dtype=np.float64)
    z = np.asarray(systematic_factor, dtype=np.float64)
    inner = np.where((p > 0.0) & (p < 1.0), p, 0.5)
    out: FloatArray = ndtr(np.sqrt(1.0 - r) * ndtri(inner) + np.sqrt(r) * z)
    return np.where(p <= 0.0, 0.0, np.where(p >= 1.0, 1.0, out))


def normal_quantile(p: float | FloatArray) -> FloatArray:
    """The standard normal quantile G(p) (``scipy.special.ndtri``, loaded on first call).

    Examples:
        >>> round(float(normal_quantile(0.999)), 4)
        3.0902
    """
    from scipy.special import ndtri  # noqa: PLC0415 - scipy loads when used (#20)

    out: FloatArray = np.asarray(ndtri(p), dtype=np.float64)
    return out
