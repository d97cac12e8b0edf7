"""Charts of lendcrm's results, drawn with matplotlib (the ``plot`` extra).

Each function takes lendcrm results (or the arrays they are computed from) and returns
a ``matplotlib.figure.Figure``; nothing is shown or written: save it with
``figure.savefig(path)`` where you choose. matplotlib is imported when a chart is drawn,
not when this module is imported, and the figures are not attached to pyplot.

- Concentration: `lorenz_chart` (Lorenz curve with the Pareto point), `whale_chart`
  (cumulative profit by client rank with the Pareto point and the peak),
  `tier_table_chart` (each tier's share of clients, revenue and profit).
- Scoring: `binning_chart` (event rate and WoE per bin), `score_distribution_chart`
  (goods' and bads' CDFs with the KS point), `gains_chart`.
- Portfolio: `loss_distribution_chart` (EL, VaR and ES), `migration_heatmap` (rating or
  tier migrations).
- Lifecycle: `lifecycle_chart` (a machine's stages and moves),
  `actions_by_stage_chart` (clients per stage, stacked by next best action).
- Project finance: `dscr_chart` (DSCR per period with lock-up and default lines).

Colours are the Okabe–Ito palette, distinguishable with colour-vision deficiencies;
heatmaps use ``cividis``.

Examples:
    >>> from lendcrm.plot import lorenz_chart
    >>> figure = lorenz_chart([5.0, 3.0, 1.0, 1.0])
    >>> figure.axes[0].get_ylabel()
    'cumulative share of revenue (%)'
"""

from __future__ import annotations

from lendcrm.plot._lifecycle import actions_by_stage_chart, lifecycle_chart
from lendcrm.plot._risk import dscr_chart, loss_distribution_chart, migration_heatmap
from lendcrm.plot._scoring import (
    binning_chart,
    gains_chart,
    lorenz_chart,
    score_distribution_chart,
)
from lendcrm.plot._segments import tier_table_chart, whale_chart

__all__ = [
    "actions_by_stage_chart",
    "binning_chart",
    "dscr_chart",
    "gains_chart",
    "lifecycle_chart",
    "lorenz_chart",
    "loss_distribution_chart",
    "migration_heatmap",
    "score_distribution_chart",
    "tier_table_chart",
    "whale_chart",
]
