"""Specialised lending: supervisory slotting and standardised project-finance weights.

* the **supervisory slotting** weights for specialised lending, including project finance
  (Basel II §§275-277; CRE33.5-33.6);
* the **standardised** project-finance weights (Basel III, December 2017; CRE20.52).

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

from lendcrm._arrays import FloatArray, align, as_float_array, enum_codes
from lendcrm._enums import ProjectPhase as CoreProjectPhase
from lendcrm.errors import InvalidValueError

__all__ = [
    "ProjectFinancePhase",
    "SlottingCategory",
    "project_finance_phase",
    "project_finance_risk_weight",
    "slotting_risk_weight",
]


class SlottingCategory(StrEnum):
    """Supervisory categories for specialised lending (Basel II §275; CRE33.5).

    Examples:
        >>> [c.value for c in SlottingCategory]
        ['strong', 'good', 'satisfactory', 'weak', 'default']
    """

    STRONG = "strong"
    GOOD = "good"
    SATISFACTORY = "satisfactory"
    WEAK = "weak"
    DEFAULT = "default"


# Basel II §275 / CRE33.6: 70, 90, 115, 250, 0 %; §277 / CRE33.6: strong 50 % and
# good 70 % when the remaining maturity is below 2.5 years.
_SLOTTING: Final = np.array([0.70, 0.90, 1.15, 2.50, 0.0])
_SLOTTING_SHORT: Final = np.array([0.50, 0.70, 1.15, 2.50, 0.0])
_SHORT_MATURITY: Final = 2.5


def slotting_risk_weight(
    category: SlottingCategory | str | npt.ArrayLike,
    remaining_maturity: npt.ArrayLike,
    *,
    short_maturity_relief: bool = True,
) -> FloatArray:
    """Supervisory slotting risk weight of specialised-lending exposures.

    Args:
        category: One `SlottingCategory` (or value) for all rows, or one per row.
        remaining_maturity: Remaining maturity in years, > 0.
        short_maturity_relief: Apply the lower weights for strong (50 %) and good
            (70 %) exposures with less than 2.5 years to run (Basel II §277, a
            supervisory discretion).

    Returns:
        Float64 array `(n,)` of risk weights (1.15 = 115 %).

    Raises:
        InvalidValueError: an unknown category, maturity <= 0, non-finite values or
            arrays of different lengths.

    Examples:
        >>> slotting_risk_weight(["strong", "good", "satisfactory", "weak", "default"],
        ...                      3.0)
        array([0.7 , 0.9 , 1.15, 2.5 , 0.  ])
        >>> slotting_risk_weight("strong", [2.0, 2.5])
        array([0.5, 0.7])
    """
    members, codes = enum_codes(category, SlottingCategory, name="category")
    m = as_float_array(
        remaining_maturity, name="remaining_maturity", lower=0.0, lower_open=True
    )
    order = np.array([list(SlottingCategory).index(c) for c in members])
    idx = order[codes]
    category, maturity = align(category=idx.astype(np.float64), remaining_maturity=m)
    n = category.shape[0]
    rows = category.astype(np.int64)
    short = maturity < _SHORT_MATURITY
    if not short_maturity_relief:
        short = np.zeros(n, dtype=bool)
    return np.where(short, _SLOTTING_SHORT[rows], _SLOTTING[rows])


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
