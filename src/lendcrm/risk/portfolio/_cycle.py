r"""The economic cycle: Vasicek TTC ↔ PIT PDs and named scenarios of the economy.

**Model.** In the one-factor Vasicek model behind the IRB formula (BCBS, "An
Explanatory Note on the Basel II IRB Risk Weight Functions", July 2005, §4.1-4.2),
borrower $i$ defaults when its standardised asset value
$A_i = \sqrt{\rho}\,Z + \sqrt{1-\rho}\,\varepsilon_i$ falls below $G(PD)$, where
$Z \sim N(0,1)$ is the systematic factor (the state of the economy) and $\rho$ the
asset correlation.

**Sign convention: $Z > 0$ is a good economy, $Z < 0$ a bad one.** The default rate
conditional on $Z = z$ (the point-in-time PD) is

$$PD_{PIT}(z) = N\!\left(\frac{G(PD_{TTC}) - \sqrt{\rho}\,z}{\sqrt{1-\rho}}\right),$$

so the PIT PD rises as $z$ falls. Averaged over $Z$ it returns the through-the-cycle
PD. The Basel "worst case" default rate at confidence $q$ is the PIT PD at
$z = -G(q)$. Note that $PD_{PIT}(0)$ is the *median* year, a little below the TTC mean
for PDs under 50 %.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import attrs
import numpy.typing as npt

from lendcrm._arrays import FloatArray, align, as_float_array
from lendcrm._validators import (
    enum_member,
    finite_number,
    non_empty_str,
    require_instance,
)
from lendcrm.risk._vasicek import conditional_pd, unconditional_pd

__all__ = [
    "BASE",
    "DOWNTURN",
    "SCENARIOS",
    "SEVERE",
    "UPTURN",
    "CycleState",
    "Scenario",
    "conditional_default_rate",
    "pit_pd",
    "scenario_pd",
    "ttc_pd",
]


def pit_pd(
    through_the_cycle_pd: npt.ArrayLike,
    *,
    systematic_factor: npt.ArrayLike,
    rho: npt.ArrayLike,
) -> FloatArray:
    r"""Point-in-time PD given the state of the economy.

    Args:
        through_the_cycle_pd: Through-the-cycle (long-run average) PD, fractions in
            [0, 1].
        systematic_factor: $z$, standard normal; **positive is a good economy**.
        rho: Asset correlation in [0, 1), e.g. from `asset_correlation`.

    Returns:
        Float64 array `(n,)` in [0, 1]; decreasing in `systematic_factor` (PIT PD
        rises as the cycle worsens); PD 0 and 1 are fixed points.

    Raises:
        InvalidValueError: a PD outside [0, 1], rho outside [0, 1), non-finite values
            or arrays of different lengths.

    Notes:
        $$PD_{PIT} = N\left(\frac{G(PD_{TTC}) - \sqrt{\rho}\,z}{\sqrt{1-\rho}}\right)$$

    Examples:
        >>> pit_pd(0.02, systematic_factor=[1.0, 0.0, -1.0, -2.0], rho=0.12).round(4)
        array([0.0053, 0.0143, 0.0344, 0.0734])
    """
    p, z, r = align(
        through_the_cycle_pd=as_float_array(
            through_the_cycle_pd, name="through_the_cycle_pd", lower=0.0, upper=1.0
        ),
        systematic_factor=as_float_array(systematic_factor, name="systematic_factor"),
        rho=as_float_array(rho, name="rho", lower=0.0, upper=1.0, upper_open=True),
    )
    return conditional_pd(p, systematic_factor=z, rho=r)


def ttc_pd(
    point_in_time_pd: npt.ArrayLike,
    *,
    systematic_factor: npt.ArrayLike,
    rho: npt.ArrayLike,
) -> FloatArray:
    r"""Through-the-cycle PD implied by a point-in-time PD observed in state $z$.

    The inverse of `pit_pd`: `ttc_pd(pit_pd(p, z, rho), z, rho) == p`.

    Args:
        point_in_time_pd: Point-in-time PD, fractions in [0, 1].
        systematic_factor: $z$ of the year the PD was observed (positive = good).
        rho: Asset correlation in [0, 1).

    Returns:
        Float64 array `(n,)` in [0, 1].

    Raises:
        InvalidValueError: as `pit_pd`.

    Notes:
        $$PD_{TTC} = N\left(\sqrt{1-\rho}\,G(PD_{PIT}) + \sqrt{\rho}\,z\right)$$

    Examples:
        >>> pit = pit_pd(0.02, systematic_factor=[1.0, -2.0], rho=0.12)
        >>> ttc_pd(pit, systematic_factor=[1.0, -2.0], rho=0.12).round(6)
        array([0.02, 0.02])
    """
    p, z, r = align(
        point_in_time_pd=as_float_array(
            point_in_time_pd, name="point_in_time_pd", lower=0.0, upper=1.0
        ),
        systematic_factor=as_float_array(systematic_factor, name="systematic_factor"),
        rho=as_float_array(rho, name="rho", lower=0.0, upper=1.0, upper_open=True),
    )
    return unconditional_pd(p, systematic_factor=z, rho=r)


def conditional_default_rate(
    default_probability: npt.ArrayLike, *, rho: npt.ArrayLike, confidence: float = 0.999
) -> FloatArray:
    r"""Worst-case default rate: the PD conditional on a $q$-quantile bad year.

    Args:
        default_probability: Through-the-cycle PD, fractions in [0, 1].
        rho: Asset correlation in [0, 1).
        confidence: Quantile $q$ of the systematic factor, in (0, 1); 0.999 is the
            Basel IRB calibration.

    Returns:
        Float64 array `(n,)` in [0, 1]; increasing in PD, rho and confidence.

    Raises:
        InvalidValueError: as `pit_pd`, or a confidence outside (0, 1).

    Notes:
        $$WCDR = N\left(\frac{G(PD) + \sqrt{\rho}\,G(q)}{\sqrt{1-\rho}}\right)$$,
        the PIT PD at $z = -G(q)$ (Explanatory Note §4.2).

    Examples:
        >>> conditional_default_rate(0.01, rho=0.12).round(4)
        array([0.0903])
    """
    from scipy.special import ndtri  # noqa: PLC0415 - scipy loads when used (#20)

    q = as_float_array(
        confidence,
        name="confidence",
        lower=0.0,
        upper=1.0,
        lower_open=True,
        upper_open=True,
    )
    p, r = align(
        default_probability=as_float_array(
            default_probability, name="default_probability", lower=0.0, upper=1.0
        ),
        rho=as_float_array(rho, name="rho", lower=0.0, upper=1.0, upper_open=True),
    )
    return conditional_pd(p, systematic_factor=-float(ndtri(q[0])), rho=r)


class CycleState(StrEnum):
    """Where the economy stands, from best to worst.

    Examples:
        >>> [s.value for s in CycleState]
        ['upturn', 'base', 'downturn', 'severe']
    """

    UPTURN = "upturn"
    BASE = "base"
    DOWNTURN = "downturn"
    SEVERE = "severe"


def _state(value: CycleState | str) -> CycleState:
    return enum_member(CycleState, value, name="state")


@attrs.frozen(kw_only=True)
class Scenario:
    """A named state of the economy: a value of the systematic factor.

    Attributes:
        name: Label in reports.
        state: The `CycleState` the scenario represents (selects policy terms).
        systematic_factor: $z$; positive is good (see the module's sign convention).

    Examples:
        >>> DOWNTURN.systematic_factor, DOWNTURN.state.value
        (-1.0, 'downturn')
    """

    name: str = attrs.field(validator=non_empty_str)
    state: CycleState = attrs.field(converter=_state)
    systematic_factor: float = attrs.field(validator=finite_number)


#: One standard deviation above the median year (a good year, about 1 in 6). Its PIT
#: PDs are below the long-run average, so a through-the-cycle credit policy does not
#: loosen on them (`lendcrm.risk.pricing.COUNTER_CYCLICAL_POLICY` keeps base terms).
UPTURN: Final = Scenario(name="upturn", state=CycleState.UPTURN, systematic_factor=1.0)
#: The median year.
BASE: Final = Scenario(name="base", state=CycleState.BASE, systematic_factor=0.0)
#: One standard deviation below the median (a bad year, about 1 in 6).
DOWNTURN: Final = Scenario(
    name="downturn", state=CycleState.DOWNTURN, systematic_factor=-1.0
)
#: The 1-in-100 bad year: z = G(0.01) = -2.326.
SEVERE: Final = Scenario(
    name="severe",
    state=CycleState.SEVERE,
    # float(scipy.special.ndtri(0.01)), written out so that importing this module does
    # not load scipy (tests/test_import_cost.py pins the two equal)
    systematic_factor=-2.3263478740408408,
)
#: The four named scenarios, best to worst.
SCENARIOS: Final = (UPTURN, BASE, DOWNTURN, SEVERE)


def scenario_pd(
    through_the_cycle_pd: npt.ArrayLike, scenario: Scenario, *, rho: npt.ArrayLike
) -> FloatArray:
    """PIT PDs of a book under a named scenario (`pit_pd` at its systematic factor).

    Raises:
        InvalidValueError: as `pit_pd`.

    Examples:
        >>> [scenario_pd(0.02, s, rho=0.12).round(4)[0] for s in SCENARIOS]
        [np.float64(0.0053), np.float64(0.0143), np.float64(0.0344), np.float64(0.0917)]
    """
    require_instance(scenario, Scenario, name="scenario", what="a Scenario")
    return pit_pd(
        through_the_cycle_pd, systematic_factor=scenario.systematic_factor, rho=rho
    )
