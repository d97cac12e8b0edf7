"""Specialised lending: supervisory slotting and standardised project-finance weights.

* the **supervisory slotting** weights for specialised lending, including project finance
  and high-volatility commercial real estate (HVCRE) (Basel II §§275-282; CRE33.2-33.7),
  and the expected-loss rates of slotted exposures (CRE33.8-33.12);
* the **standardised** project-finance weights (Basel III, December 2017; CRE20.52).

The lower weights for strong and good exposures with less than 2.5 years to run are a
national discretion (CRE33.4, CRE33.7): they apply only with
``short_maturity_relief=True``.

Both are vectorised (one label for all rows or one per row; float64 arrays out) and
risk weights are fractions (1.15 means 115 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import (
    FloatArray,
    IntArray,
    align,
    as_bool_array,
    as_float_array,
    enum_codes,
)
from lendcrm._enums import ProjectPhase as CoreProjectPhase
from lendcrm.errors import InvalidValueError

__all__ = [
    "ProjectFinancePhase",
    "SlottingCategory",
    "project_finance_phase",
    "project_finance_risk_weight",
    "slotting_expected_loss_rate",
    "slotting_risk_weight",
]


class SlottingCategory(StrEnum):
    """Supervisory categories for specialised lending (Basel II §275; CRE33.2).

    Examples:
        >>> [c.value for c in SlottingCategory]
        ['strong', 'good', 'satisfactory', 'weak', 'default']
    """

    STRONG = "strong"
    GOOD = "good"
    SATISFACTORY = "satisfactory"
    WEAK = "weak"
    DEFAULT = "default"


# Unexpected-loss weights by category (strong, good, satisfactory, weak, default):
# other SL CRE33.2 (Basel II §275), with the short-maturity relief of CRE33.4 (§277);
# HVCRE CRE33.5 (§280), with the relief of CRE33.7 (§282).
_SLOTTING: Final = np.array([0.70, 0.90, 1.15, 2.50, 0.0])
_SLOTTING_SHORT: Final = np.array([0.50, 0.70, 1.15, 2.50, 0.0])
_HVCRE: Final = np.array([0.95, 1.20, 1.40, 2.50, 0.0])
_HVCRE_SHORT: Final = np.array([0.70, 0.95, 1.40, 2.50, 0.0])
# Expected-loss weights (EL = 8 % x EL weight x EAD, CRE33.8): other SL CRE33.9, with
# relief CRE33.10; HVCRE CRE33.11, unchanged by relief (CRE33.12).
_EL: Final = np.array([0.05, 0.10, 0.35, 1.00, 6.25])
_EL_SHORT: Final = np.array([0.0, 0.05, 0.35, 1.00, 6.25])
_EL_HVCRE: Final = np.array([0.05, 0.05, 0.35, 1.00, 6.25])
_SHORT_MATURITY: Final = 2.5
_EL_FACTOR: Final = 0.08


def _slotting_rows(
    category: SlottingCategory | str | npt.ArrayLike,
    remaining_maturity: npt.ArrayLike,
    hvcre: npt.ArrayLike,
    *,
    short_maturity_relief: bool,
) -> tuple[IntArray, FloatArray, FloatArray]:
    """Category index, HVCRE flag (0/1) and relief flag (0/1) of each row."""
    members, codes = enum_codes(category, SlottingCategory, name="category")
    m = as_float_array(
        remaining_maturity, name="remaining_maturity", lower=0.0, lower_open=True
    )
    hv = as_bool_array(hvcre, name="hvcre").astype(np.float64)
    order = np.array([list(SlottingCategory).index(c) for c in members])
    idx, maturity, hv = align(
        category=order[codes].astype(np.float64), remaining_maturity=m, hvcre=hv
    )
    short = (maturity < _SHORT_MATURITY).astype(np.float64)
    if not short_maturity_relief:
        short = np.zeros_like(short)
    return idx.astype(np.int64), hv, short


def slotting_risk_weight(
    category: SlottingCategory | str | npt.ArrayLike,
    remaining_maturity: npt.ArrayLike,
    *,
    hvcre: npt.ArrayLike = False,
    short_maturity_relief: bool = False,
) -> FloatArray:
    """Supervisory slotting risk weight of specialised-lending exposures.

    Args:
        category: One `SlottingCategory` (or value) for all rows, or one per row.
        remaining_maturity: Remaining maturity in years, > 0.
        hvcre: True for high-volatility commercial real estate (CRE33.5: 95, 120,
            140, 250, 0 %), one flag for all rows or one per row.
        short_maturity_relief: Apply the lower weights for strong and good exposures
            with less than 2.5 years to run (50 % / 70 %, HVCRE 70 % / 95 %): a national
            discretion (CRE33.4, CRE33.7), so off unless your supervisor allows it.

    Returns:
        Float64 array `(n,)` of risk weights (1.15 = 115 %).

    Raises:
        InvalidValueError: an unknown category, maturity <= 0, a non-boolean HVCRE
            flag, non-finite values or arrays of different lengths.

    Examples:
        >>> slotting_risk_weight(["strong", "good", "satisfactory", "weak", "default"],
        ...                      3.0)
        array([0.7 , 0.9 , 1.15, 2.5 , 0.  ])
        >>> slotting_risk_weight("strong", [2.0, 2.0, 2.5], hvcre=[False, True, True],
        ...                      short_maturity_relief=True)
        array([0.5 , 0.7 , 0.95])
    """
    idx, hv, short = _slotting_rows(
        category,
        remaining_maturity,
        hvcre,
        short_maturity_relief=short_maturity_relief,
    )
    other = np.where(short > 0.0, _SLOTTING_SHORT[idx], _SLOTTING[idx])
    high = np.where(short > 0.0, _HVCRE_SHORT[idx], _HVCRE[idx])
    out: FloatArray = np.where(hv > 0.0, high, other)
    return out


def slotting_expected_loss_rate(
    category: SlottingCategory | str | npt.ArrayLike,
    remaining_maturity: npt.ArrayLike,
    *,
    hvcre: npt.ArrayLike = False,
    short_maturity_relief: bool = False,
) -> FloatArray:
    r"""Expected loss per unit of EAD of slotted specialised-lending exposures.

    $EL = 8\,\% \times RW_{EL} \times EAD$ (CRE33.8), with the expected-loss weights
    $RW_{EL}$ 5, 10, 35, 100 and 625 % for strong to default (CRE33.9; HVCRE 5, 5, 35,
    100, 625 %, CRE33.11). Under the short-maturity relief strong and good exposures
    other than HVCRE take 0 % and 5 % (CRE33.10); HVCRE keeps 5 % (CRE33.12). A
    defaulted slotted exposure carries 8 % x 625 % = 50 % of its EAD as expected loss
    and no unexpected-loss weight. Multiply by EAD for the amount; use it as the
    expected loss of a slotted facility where PD x LGD would be used otherwise.

    Args:
        category: One `SlottingCategory` (or value) for all rows, or one per row.
        remaining_maturity: Remaining maturity in years, > 0.
        hvcre: True for high-volatility commercial real estate.
        short_maturity_relief: As `slotting_risk_weight` (national discretion, off).

    Returns:
        Float64 array `(n,)` of EL rates (0.5 = 50 % of EAD).

    Raises:
        InvalidValueError: as `slotting_risk_weight`.

    Examples:
        >>> slotting_expected_loss_rate(
        ...     ["strong", "good", "satisfactory", "weak", "default"], 3.0)
        array([0.004, 0.008, 0.028, 0.08 , 0.5  ])
        >>> slotting_expected_loss_rate(["strong", "good"], 2.0, hvcre=[False, True],
        ...                             short_maturity_relief=True)
        array([0.   , 0.004])
    """
    idx, hv, short = _slotting_rows(
        category,
        remaining_maturity,
        hvcre,
        short_maturity_relief=short_maturity_relief,
    )
    other = np.where(short > 0.0, _EL_SHORT[idx], _EL[idx])
    out: FloatArray = np.where(hv > 0.0, _EL_HVCRE[idx], other) * _EL_FACTOR
    return out


class ProjectFinancePhase(StrEnum):
    """Phase of a project-finance exposure under the standardised approach.

    Examples:
        >>> ProjectFinancePhase("high_quality_operational")
        <ProjectFinancePhase.HIGH_QUALITY_OPERATIONAL: 'high_quality_operational'>
    """

    PRE_OPERATIONAL = "pre_operational"
    OPERATIONAL = "operational"
    HIGH_QUALITY_OPERATIONAL = "high_quality_operational"


# Basel III (December 2017) standardised approach, CRE20.52: 130 % pre-operational,
# 100 % operational, 80 % high-quality operational (criteria of CRE20.53).
_PF_WEIGHTS: Final[Mapping[ProjectFinancePhase, float]] = MappingProxyType(
    {
        ProjectFinancePhase.PRE_OPERATIONAL: 1.30,
        ProjectFinancePhase.OPERATIONAL: 1.00,
        ProjectFinancePhase.HIGH_QUALITY_OPERATIONAL: 0.80,
    }
)


def project_finance_risk_weight(
    phase: ProjectFinancePhase | str | npt.ArrayLike,
) -> FloatArray:
    """Standardised risk weight of unrated project-finance exposures by phase.

    Args:
        phase: One `ProjectFinancePhase` (or value) for all rows, or one per row.

    Returns:
        Float64 array `(n,)`: 1.30, 1.00 or 0.80.

    Raises:
        InvalidValueError: an unknown phase; names the first bad index.

    Examples:
        >>> project_finance_risk_weight(["pre_operational", "operational",
        ...                              "high_quality_operational"])
        array([1.3, 1. , 0.8])
    """
    members, codes = enum_codes(phase, ProjectFinancePhase, name="phase")
    weights = np.array([_PF_WEIGHTS[p] for p in members])
    return weights[codes]


def project_finance_phase(
    phase: CoreProjectPhase | str, *, high_quality: bool = False
) -> ProjectFinancePhase:
    """The standardised-approach phase of a project in a given `lendcrm.ProjectPhase`.

    Development, financial close, construction and commissioning are pre-operational;
    operations is operational, or high-quality operational when the project meets the
    criteria of CRE20.53 (`high_quality=True`, the caller's judgement).

    Raises:
        InvalidValueError: a repaid or defaulted project (no project-finance weight
            applies), or an unknown phase.

    Examples:
        >>> project_finance_phase("construction").value
        'pre_operational'
        >>> project_finance_phase("operations", high_quality=True).value
        'high_quality_operational'
    """
    try:
        core = CoreProjectPhase(phase)
    except ValueError:
        known = ", ".join(repr(p.value) for p in CoreProjectPhase)
        raise InvalidValueError(
            field="phase", value=phase, expected=f"one of {known}"
        ) from None
    if core is CoreProjectPhase.OPERATIONS:
        return (
            ProjectFinancePhase.HIGH_QUALITY_OPERATIONAL
            if high_quality
            else ProjectFinancePhase.OPERATIONAL
        )
    if core in {
        CoreProjectPhase.REPAID,
        CoreProjectPhase.DEFAULTED,
        CoreProjectPhase.WRITTEN_OFF,
        CoreProjectPhase.ABANDONED,
    }:
        raise InvalidValueError(
            field="phase",
            value=core.value,
            expected="a live project phase (a repaid, defaulted, written-off or "
            "abandoned project has no project-finance weight)",
        )
    return ProjectFinancePhase.PRE_OPERATIONAL
