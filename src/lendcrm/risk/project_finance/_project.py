"""Project-finance ratios of a `lendcrm.Project`: the ``project_*`` forms.

They read the arrays of the array forms (conventions in `_ratios`) from the project:
CFADS from its ``cash_flows`` and the debt schedule from the leading run of cash flows
whose ``debt_service`` is set (the periods after the debt's maturity leave it unset
and count only for the PLCR). Amounts become floats in the project's currency.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray
from lendcrm._enums import CovenantMetric, CovenantOperator
from lendcrm._project import Project
from lendcrm._validators import require_instance
from lendcrm._values import Covenant
from lendcrm.errors import InvalidValueError
from lendcrm.risk.project_finance._covenants import CovenantTest, covenant_test
from lendcrm.risk.project_finance._periods import debt_run_length
from lendcrm.risk.project_finance._ratios import dscr, llcr, plcr
from lendcrm.risk.project_finance._sculpting import debt_capacity

__all__ = [
    "project_cfads",
    "project_covenant_test",
    "project_debt_capacity",
    "project_debt_service",
    "project_dscr",
    "project_llcr",
    "project_plcr",
]


def project_cfads(project: Project) -> FloatArray:
    """CFADS of each of the project's cash-flow periods, as floats.

    Raises:
        InvalidValueError: the project has no cash-flow forecast.

    Examples:
        >>> from lendcrm.synthetic import example_project
        >>> project_cfads(example_project()).tolist()
        [130.0, 143.0, 156.0, 110.0]
    """
    require_instance(project, Project, name="project", what="a Project")
    if not project.cash_flows:
        raise InvalidValueError(
            field="project.cash_flows",
            value=(),
            expected="a CFADS forecast (at least one cash-flow period)",
        )
    return np.array([float(c.cfads.amount) for c in project.cash_flows])


def project_debt_service(project: Project) -> FloatArray:
    """Debt service of the project's debt periods: the leading cash flows that set it.

    Raises:
        InvalidValueError: no cash flow sets a debt service, or one sets it after a
            period that did not (the debt schedule must be one leading run).

    Examples:
        >>> from lendcrm.synthetic import example_project
        >>> project_debt_service(example_project()).tolist()
        [100.0, 110.0, 120.0]
    """
    require_instance(project, Project, name="project", what="a Project")
    project_cfads(project)
    n_debt = debt_run_length(
        [c.debt_service is not None for c in project.cash_flows],
        field="project.cash_flows",
        value_at=lambda i: project.cash_flows[i].debt_service,
    )
    return np.array(
        [
            float(c.debt_service.amount)
            for c in project.cash_flows[:n_debt]
            if c.debt_service is not None
        ]
    )


def project_dscr(project: Project, *, allow_zero_service: bool = False) -> FloatArray:
    """:func:`dscr` of a `Project`'s cash-flow forecast.

    Raises:
        InvalidValueError: as :func:`dscr` and :func:`project_debt_service`.

    Examples:
        >>> from lendcrm.synthetic import example_project
        >>> project_dscr(example_project()).round(2).tolist()
        [1.3, 1.3, 1.3]
    """
    return dscr(
        project_cfads(project),
        project_debt_service(project),
        allow_zero_service=allow_zero_service,
    )


def project_llcr(project: Project, *, debt_rate: npt.ArrayLike) -> FloatArray:
    """:func:`llcr` of a `Project` (debt rate per cash-flow period).

    Raises:
        InvalidValueError: as :func:`llcr` and :func:`project_debt_service`.

    Examples:
        >>> from lendcrm.synthetic import example_project
        >>> project_llcr(example_project(), debt_rate=0.10).round(4).tolist()
        [1.3, 1.3, 1.3]
    """
    return llcr(
        project_cfads(project), project_debt_service(project), debt_rate=debt_rate
    )


def project_plcr(project: Project, *, debt_rate: npt.ArrayLike) -> FloatArray:
    """:func:`plcr` of a `Project`: CFADS to the end of its forecast.

    Raises:
        InvalidValueError: as :func:`plcr` and :func:`project_debt_service`.

    Examples:
        >>> from lendcrm.synthetic import example_project
        >>> project_plcr(example_project(), debt_rate=0.10).round(4).tolist()
        [1.5762, 1.7149, 2.1333]
    """
    return plcr(
        project_cfads(project), project_debt_service(project), debt_rate=debt_rate
    )


def project_debt_capacity(
    project: Project,
    target_dscr: npt.ArrayLike,
    *,
    debt_rate: npt.ArrayLike,
    tenor: int | None = None,
) -> float:
    """Debt a `Project`'s CFADS forecast supports at a target DSCR (its currency).

    Compare with ``float(project.debt.amount)`` to see the sizing headroom.

    Raises:
        InvalidValueError: as :func:`sculpt`.

    Examples:
        >>> from lendcrm.synthetic import example_project
        >>> round(project_debt_capacity(example_project(), 1.30, debt_rate=0.10,
        ...                             tenor=3), 2)
        271.98
    """
    return debt_capacity(
        project_cfads(project), target_dscr, debt_rate=debt_rate, tenor=tenor
    )


def project_covenant_test(
    project: Project, covenant: Covenant, *, allow_zero_service: bool = False
) -> CovenantTest:
    """:func:`covenant_test` of a `Project` against a DSCR `Covenant`'s levels.

    The covenant's ``lock_up_level`` and ``default_level`` are the thresholds (a
    breach is strictly below, as in `Covenant.is_locked_up`).

    Raises:
        InvalidValueError: the covenant is not a DSCR floor or lacks a lock-up or
            default level; or as :func:`covenant_test`.

    Examples:
        >>> from lendcrm import Covenant, CovenantMetric, CovenantOperator
        >>> from lendcrm.synthetic import example_project
        >>> cov = Covenant(metric=CovenantMetric.DSCR,
        ...                operator=CovenantOperator.AT_LEAST, threshold=1.35,
        ...                lock_up_level=1.30, default_level=1.10)
        >>> project_covenant_test(example_project(), cov).lock_up.tolist()
        [False, False, False]
    """
    require_instance(covenant, Covenant, name="covenant", what="a Covenant")
    if (
        covenant.metric is not CovenantMetric.DSCR
        or covenant.operator is not CovenantOperator.AT_LEAST
    ):
        raise InvalidValueError(
            field="covenant.metric",
            value=f"{covenant.metric.value} {covenant.operator.value}",
            expected="a DSCR floor (metric dscr, operator at_least)",
        )
    if covenant.lock_up_level is None or covenant.default_level is None:
        raise InvalidValueError(
            field="covenant",
            value=(covenant.lock_up_level, covenant.default_level),
            expected="both a lock_up_level and a default_level",
        )
    return covenant_test(
        project_cfads(project),
        project_debt_service(project),
        lock_up=covenant.lock_up_level,
        default=covenant.default_level,
        allow_zero_service=allow_zero_service,
    )
