"""The tour's pipeline part: win probabilities, the weighted forecast and the funnel.

`pipeline_tour()` is called by the main tour (`examples/tour.py`); run this file alone
with ``python examples/tour_com_a.py``. It draws a synthetic pipeline of 30,000 deals
(`lendcrm.synthetic.generate_pipeline`), estimates the win probability from each stage
on the closed deals, and prints the probability-weighted open pipeline by expected
close month, the conversion funnel and how expected close dates slipped.
"""

from __future__ import annotations

import datetime as dt
import math

from lendcrm.frames.columns import CREATED_ON
from lendcrm.relationship.commercial import OPEN_STAGES
from lendcrm.relationship.commercial import columns as col
from lendcrm.relationship.commercial.frames import (
    close_date_slippage,
    conversion_funnel,
    fit_stage_probabilities_frame,
    forecasts,
    validate_opportunities_frame,
    win_rates_by,
)
from lendcrm.synthetic import generate_pipeline

AS_OF = dt.date(2026, 6, 30)


def pipeline_tour() -> None:
    """Print the pipeline part of the tour."""
    sp = generate_pipeline(30_000, seed=14, as_of=AS_OF)
    deals = sp.opportunities
    validate_opportunities_frame(deals)
    is_open = deals["stage"].isin([s.value for s in OPEN_STAGES])
    print("\n== Deal pipeline: win probabilities and the weighted forecast")
    print(
        f"{len(deals):,} deals since {deals[CREATED_ON].min():%Y-%m-%d}, "
        f"{int(is_open.sum()):,} open on {AS_OF}"
    )
    p = fit_stage_probabilities_frame(deals, by="kind")
    print("\nwin probability from each stage (closed deals that reached it, 90 % CI)")
    for s, stage in enumerate(OPEN_STAGES):
        print(
            f"  {stage.value:<16} {p.probability[s]:6.1%}  "
            f"[{p.lower[s]:.1%}, {p.upper[s]:.1%}]  n={p.closed[s]:,}"
        )
    views = forecasts(deals, p, by=("close_month", "kind"), segment_by="kind")
    months = views["close_month"].head(6)
    print("\nopen pipeline by expected close month (EUR m)")
    print(f"  {'month':<8} {'pipeline':>10} {'weighted':>10} {'deals':>6}")
    for month, row in months.iterrows():
        print(
            f"  {month:<8} {row[col.PIPELINE_AMOUNT] / 1e6:>10,.1f} "
            f"{row[col.WEIGHTED_AMOUNT] / 1e6:>10,.1f} {int(row[col.DEALS]):>6}"
        )
    total = views["kind"][col.WEIGHTED_AMOUNT].sum() / 1e6
    print(f"  weighted pipeline, all months: EUR {total:,.1f} m")
    funnel = conversion_funnel(deals)
    print("\nconversion funnel (closed deals)")
    for stage, row in funnel.iterrows():
        conversion = row[col.CONVERSION]
        rate = "" if math.isnan(conversion) else f"  -> {conversion:.0%} go on"
        print(f"  {stage:<16} {int(row[col.REACHED]):>6,}{rate}")
    rates = win_rates_by(deals, by="kind")[col.WIN_RATE]
    best, worst = rates.idxmax(), rates.idxmin()
    print(
        f"win rate by product: best {best} {rates[best]:.1%}, worst {worst} "
        f"{rates[worst]:.1%}"
    )
    slip = close_date_slippage(sp.snapshots)
    pushed = slip[slip[col.PUSHES] > 0]
    print(
        f"slippage: {len(pushed) / len(slip):.0%} of deals had their expected close "
        f"pushed, by {pushed[col.SLIP_DAYS].median():.0f} days (median)"
    )


if __name__ == "__main__":
    pipeline_tour()
