"""Synthetic lending books: realistic, documented, reproducible, and fast.

`generate_frames` draws a whole book (clients, facilities with collateral, guarantees
and covenants, project vehicles with sponsors, milestones, drawdowns and cash-flow
forecasts, referrals, feedback, the lifecycle signals, and the histories behind them)
as pandas DataFrames whose columns are the `lendcrm.frames.columns` names and whose
shape is that of the core columnar bridge (`lendcrm.frames`). Everything is vectorised
numpy: one million clients take a few seconds (periods=1), a few times that with
thirteen months of history. `generate_book` turns the same frames into validated entities. The same
``seed`` gives the same book, value for value; nothing reads the clock (``as_of`` is a
parameter).

How the book is drawn (the tables and parameters are in ``lendcrm.synthetic._tables``,
the draws in ``lendcrm.synthetic._draws`` and ``_draws_history``; the *Synthetic
books* explanation page gives every parameter and the reasons):

1. **Stage.** Each client first gets the lifecycle stage its signals will be drawn
   from (acquisition 6 %, activation 10 %, growth 28 %, maturity 41 %, decline 15 %),
   kept in ``SyntheticFrames.stages`` as the generator's ground truth. Acquisition
   is everything before the first drawdown (40 % have signed an undrawn facility);
   activation is a first drawdown within six months.
2. **Who.** Sector (19 NACE Rev. 2 sections, manufacturing and trade largest), country
   (18 countries of a European bank), tenure (uniform range per stage), annual revenue:
   a lognormal body (median EUR 15 m, sigma 0.9) with a 2 % Pareto tail (scale
   EUR 300 m, alpha 1.8, capped at EUR 200 bn).
3. **Groups.** 20 % of clients are subsidiaries of a group head and 4 % second-level
   subsidiaries; project vehicles are subsidiaries of their lead sponsor. A parent is
   always on a higher level, so there are no cycles.
4. **Risk.** log PD is normal around the sector's median PD, better for larger firms
   (elasticity -0.25 on revenue), sigma 0.9, plus about a notch for declining clients;
   it is mapped to a 10-grade master scale (grade PDs 0.03 % to 20 %, the bands of
   ``lendcrm.risk``'s default scale) and the grade's PD is the client's PD.
5. **Facilities.** None for acquisition clients, one for a project vehicle, otherwise
   1 + Poisson (more for larger clients, at most 6; 1.9 per client overall). The credit
   envelope is revenue times a lognormal leverage (median 0.30, sigma 0.3; 3.0 for
   project vehicles), split by Gamma(2) weights, rounded to 1,000. Kind, tenor,
   utilisation (Beta by kind), margin (by grade and kind), fees, seniority, LGD (Beta
   by seniority), CCF (by kind), collateral, guarantees and covenants follow the tables;
   a quarter of the clients with two eligible secured facilities pledge one asset to
   both (first and second claim).
6. **Value to the bank.** Revenue = margin on drawn + commitment fee on undrawn +
   arrangement fee over the tenor + transaction and ancillary fees; profit = revenue -
   cost to serve - expected loss - cost of capital (negative for about 25 % of
   clients). The top 20 % of clients by revenue to the bank hold about 75 % of it.
7. **Projects.** Energy, water, transport, real estate and the PPP sections carry most
   vehicles (3.7 % of clients); the phase follows the client's stage; gearing 60-85 %;
   1-3 sponsors with whole-percent equity shares summing to 1; one construction
   milestone; drawdowns adding up to the drawn amount; ten semi-annual CFADS periods.
8. **Relationship.** Referrals (8 % of clients were referred by an earlier client),
   feedback (Poisson(1.2) records, scores 0-10, complaints score low), product and
   transaction counts, last transaction date.
9. **Signals.** The ``SIG_*`` columns are drawn per stage and made consistent with the
   other frames (``has_drawn`` implies ``has_facility``, months never negative, months
   since first drawdown never above tenure, watchlist and days past due as in the
   clients frame and the facility status).
10. **Histories** (``periods`` monthly period ends, 13 by default; drawn last, so the
    frames above do not depend on them). Worked backwards from today's book and the
    signals: month-end facility observations since each facility's start, the latest
    at its drawn and limit, the client's drawn amount and utilisation twelve months
    back at the exposure-growth and utilisation-change signals (limits move at an
    annual review), nothing drawn before the first drawdown, days past due building
    up to today's, default and forbearance from the facility status; yearly
    relationship measures (revenue and products a year back from their signals),
    rating reviews on the onboarding anniversaries drawn backwards so that the
    book's one-year migration is Moody's average one-year corporate transition
    matrix 1970-2022 mapped onto the master scale, tilted by stage (the notches
    moved signal is read from these paths), two fiscal years of spread statements whose balance sheet
    balances exactly (revenue, margin and leverage trend by stage), and annual
    collateral valuations drifting to today's value.

`generate_pipeline` draws a deal pipeline beside the book: prospects (some referred by
clients), opportunities whose stage conversion rises and whose counts fall along the
funnel, lost reasons, and month-end snapshots whose expected close dates slip
(``lendcrm.synthetic._pipeline`` documents the draws).
"""

from __future__ import annotations

from lendcrm.synthetic._book import (
    RATING_GRADES,
    SyntheticFrames,
    generate_book,
    generate_frames,
)
from lendcrm.synthetic._examples import example_project
from lendcrm.synthetic._pipeline import SyntheticPipeline, generate_pipeline

__all__ = [
    "RATING_GRADES",
    "SyntheticFrames",
    "SyntheticPipeline",
    "example_project",
    "generate_book",
    "generate_frames",
    "generate_pipeline",
]
