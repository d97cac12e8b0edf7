"""`covenant_results`: the covenant part of the signals, from covenant compliance.

`lendcrm.risk.project_finance.frames.covenant_compliance` tests every covenant of a
book on every test date; the signals need two figures per facility from it: the
breaches in the last twelve months (its ``facilities`` frame has them) and the
headroom of the latest DSCR test to the covenant's lock-up level, which this module
reads from its ``tests`` frame and the covenants frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lendcrm._validators import require_instance
from lendcrm.frames import ColumnSpec
from lendcrm.frames import columns as schema
from lendcrm.relationship._history_input import check_columns
from lendcrm.risk.project_finance.frames import (
    COVENANT_BREACHES_12M,
    COVENANT_INDEX,
    METRIC_VALUE,
    CovenantCompliance,
)

_COVENANT_COLUMNS = (
    ColumnSpec(name=schema.FACILITY_ID, kind="str"),
    ColumnSpec(name=schema.METRIC, kind="str"),
    ColumnSpec(name=schema.THRESHOLD, kind="float"),
    ColumnSpec(name=schema.LOCK_UP_LEVEL, kind="float", nullable=True),
)
_DSCR = "dscr"


def covenant_results(
    compliance: CovenantCompliance, covenants: pd.DataFrame
) -> pd.DataFrame:
    """Per facility: breaches in twelve months and the latest DSCR headroom.

    The frame `signals_from_history` reads as ``covenants=``. The DSCR headroom is
    the latest computed DSCR test of each DSCR covenant minus the covenant's lock-up
    level (its threshold when it has none), the smallest over the facility's DSCR
    covenants; missing where the facility has no computed DSCR test.

    Args:
        compliance: The result of
            `lendcrm.risk.project_finance.frames.covenant_compliance` (or
            ``covenant_compliance_frame``).
        covenants: The covenants frame it was computed from (``facility_id``,
            ``metric``, ``threshold``, ``lock_up_level``), in the same row order.

    Returns:
        ``compliance.facilities``' ``facility_id`` and ``covenant_breaches_12m``,
        with a ``dscr_headroom`` column (float, NaN: no DSCR test), same index.

    Raises:
        SchemaError: the covenants frame lacks a column.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.risk.project_finance.frames import covenant_compliance
        >>> facilities = pd.DataFrame({"facility_id": ["F-1"], "client_id": ["C-1"],
        ...     "drawn": [8.0], "start_on": pd.to_datetime(["2024-01-15"]),
        ...     "maturity_on": pd.to_datetime(["2031-01-15"])})
        >>> covenants = pd.DataFrame({"facility_id": ["F-1"], "metric": ["dscr"],
        ...     "operator": ["at_least"], "threshold": [1.3], "lock_up_level": [1.15],
        ...     "default_level": [1.05], "test_frequency": ["annual"]})
        >>> statements = pd.DataFrame({"client_id": ["C-1"],
        ...     "period_end": pd.to_datetime(["2024-12-31"]),
        ...     "operating_cash_flow": [150.0], "capex": [30.0], "debt_service": [100.0]})
        >>> out = covenant_compliance(covenants=covenants, facilities=facilities,
        ...     statements=statements, as_of=dt.date(2025, 3, 31))
        >>> results = covenant_results(out, covenants)
        >>> results.loc[0, "covenant_breaches_12m"], round(results.loc[0, "dscr_headroom"], 4)
        (np.int64(1), np.float64(0.05))
    """
    require_instance(
        compliance,
        CovenantCompliance,
        name="compliance",
        what="a CovenantCompliance (from covenant_compliance)",
    )
    cov = check_columns(covenants, _COVENANT_COLUMNS, frame_name="covenants")
    per_facility = compliance.facilities
    tests = compliance.tests
    dscr = tests[(tests[schema.METRIC] == _DSCR).to_numpy()]
    dscr = dscr[dscr[METRIC_VALUE].notna().to_numpy()]
    # tests come covenant by covenant, oldest first: the last row is the latest
    latest = dscr.groupby(
        [schema.FACILITY_ID, COVENANT_INDEX], observed=True, sort=False
    ).tail(1)
    levels = cov.assign(
        **{COVENANT_INDEX: cov.groupby(schema.FACILITY_ID, sort=False).cumcount()}
    )
    level = levels[schema.LOCK_UP_LEVEL].fillna(levels[schema.THRESHOLD])
    keyed = pd.Series(
        level.to_numpy(),
        index=pd.MultiIndex.from_arrays(
            [levels[schema.FACILITY_ID].astype(str), levels[COVENANT_INDEX]]
        ),
    )
    at = pd.MultiIndex.from_arrays(
        [latest[schema.FACILITY_ID].astype(str), latest[COVENANT_INDEX]]
    )
    headroom = latest[METRIC_VALUE].to_numpy() - keyed.reindex(at).to_numpy()
    weakest = (
        pd.Series(headroom, index=latest[schema.FACILITY_ID].astype(str).to_numpy())
        .groupby(level=0)
        .min()
    )
    ids = per_facility[schema.FACILITY_ID].astype(str)
    return pd.DataFrame(
        {
            schema.FACILITY_ID: per_facility[schema.FACILITY_ID],
            COVENANT_BREACHES_12M: per_facility[COVENANT_BREACHES_12M],
            schema.SIG_DSCR_HEADROOM: weakest.reindex(ids.to_numpy()).to_numpy(
                dtype=np.float64
            ),
        },
        index=per_facility.index,
    )
