"""Covenant metrics of financial statements, vectorised over many statements.

The formulas are those of `lendcrm.FinancialStatement` (its ratio properties and
`FinancialStatement.metric`), on float64 columns with NaN for "not given":

- net debt / EBITDA, with net debt = total debt - cash when net debt is not given;
- interest cover = EBITDA / interest expense;
- debt to equity (gearing) = total debt / equity;
- current ratio = current assets / current liabilities;
- corporate DSCR = (operating cash flow - capex) / debt service.

A ratio is missing when a field it reads is not given or its denominator is zero;
the missing bits name those fields (`METRIC_INPUTS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import numpy as np

from lendcrm._arrays import FloatArray, IntArray
from lendcrm._enums import CovenantMetric
from lendcrm._history import STATEMENT_AMOUNTS
from lendcrm.risk.project_finance._inputs import missing_bit

__all__ = [
    "STATEMENT_METRICS",
    "STATEMENT_METRIC_FIELDS",
    "statement_metric_table",
]

#: The fields each statement metric reads; the last one is the denominator. For
#: DSCR the numerator is ``operating_cash_flow - capex``; ``net_debt`` stands for
#: ``total_debt - cash`` when the statement does not state it.
STATEMENT_METRIC_FIELDS: Final[Mapping[CovenantMetric, tuple[str, ...]]] = (
    MappingProxyType(
        {
            CovenantMetric.NET_DEBT_TO_EBITDA: ("net_debt", "ebitda"),
            CovenantMetric.INTEREST_COVER: ("ebitda", "interest_expense"),
            CovenantMetric.DEBT_TO_EQUITY: ("total_debt", "equity"),
            CovenantMetric.CURRENT_RATIO: ("current_assets", "current_liabilities"),
            CovenantMetric.DSCR: ("operating_cash_flow", "capex", "debt_service"),
        }
    )
)
#: The metrics a statement carries, in the row order of `statement_metric_table`.
STATEMENT_METRICS: Final = tuple(STATEMENT_METRIC_FIELDS)


def statement_metric_table(amounts: FloatArray) -> tuple[FloatArray, IntArray]:
    """Every statement metric of every statement.

    Args:
        amounts: ``(n, 15)`` float64 in ``STATEMENT_AMOUNTS`` order, NaN where not
            given (the layout of `StatementArrays.amounts`).

    Returns:
        ``(values, missing)``, each ``(5, n)`` in `STATEMENT_METRICS` order: the ratio
        (NaN where missing) and the bit mask of the inputs it lacks.

    Examples:
        >>> import numpy as np
        >>> row = np.full((1, 15), np.nan)
        >>> row[0, [1, 3, 4, 5]] = [50.0, 10.0, 200.0, 25.0]  # EBITDA, interest, debt, cash
        >>> values, missing = statement_metric_table(row)
        >>> values[:2, 0].tolist()
        [3.5, 5.0]
        >>> missing[2, 0] == missing_bit("equity")
        np.True_
    """
    columns = np.ascontiguousarray(amounts.T)  # one contiguous row per amount
    col = {name: columns[i] for i, name in enumerate(STATEMENT_AMOUNTS)}
    col["net_debt"] = np.where(
        np.isnan(col["net_debt"]), col["total_debt"] - col["cash"], col["net_debt"]
    )
    n = len(amounts)
    values = np.full((len(STATEMENT_METRICS), n), np.nan)
    missing = np.zeros((len(STATEMENT_METRICS), n), dtype=np.int64)
    for row, fields in enumerate(STATEMENT_METRIC_FIELDS.values()):
        bits = np.zeros(n, dtype=np.int64)
        for name in fields:
            bits |= np.where(np.isnan(col[name]), missing_bit(name), 0)
        denominator = col[fields[-1]]
        bits |= np.where(denominator == 0.0, missing_bit(fields[-1]), 0)
        numerator = col[fields[0]]
        if len(fields) == 3:  # noqa: PLR2004 - DSCR: (operating cash flow - capex)
            numerator = numerator - col[fields[1]]
        ok = bits == 0
        values[row, ok] = numerator[ok] / denominator[ok]
        missing[row] = bits
    return values, missing
