"""The tour's IFRS 9 part: the synthetic book's ECL by stage and tier, then a downturn.

Called from `examples/tour.py` (``ecl_tour(AS_OF, FX_RATES)``); runs on its own too:
``python examples/tour_ecl.py``.

What it derives from the synthetic book (`lendcrm.synthetic.generate_frames`):

- the current PD: the client's rating PD (the book's master scale); the PD at
  origination: the client's rating on or before the facility's start (the first
  rating when the facility is older than the rating history);
- lifetime PDs over the remaining life from a constant yearly PD,
  $C_t = 1 - (1 - PD)^t$, moved point in time under `BASE_UPSIDE_DOWNSIDE`;
- days past due, default and forbearance from the latest monthly observation and the
  facility status, the watchlist from the client;
- the repayment schedule of every facility from the book's repayment terms
  (`lendcrm.risk.schedules.frames.book_schedule`; floating references on a flat 3 %
  forward curve) and the bank's share of the syndicated project loans
  (`bank_shares`); `lendcrm.risk.impairment.schedule_ecl` takes the EAD of each
  future year from the schedule (drawn + CCF x undrawn for a revolver) and discounts
  at the schedule's EIR as an annual effective rate;
- a revolver undrawn at its start has no EIR (nothing lent): it is discounted at its
  contractual all-in rate, 3 % plus its margin (IFRS 9 B5.5.47-B5.5.48).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import numpy as np
import pandas as pd

from lendcrm.frames import BookFrames
from lendcrm.relationship import RelationshipModels
from lendcrm.relationship.frames import fit_tiering
from lendcrm.risk.impairment import (
    BASE_UPSIDE_DOWNSIDE,
    ExpectedCreditLoss,
    StageReason,
    Staging,
    ecl_movement,
    scenario_marginal_pd,
    schedule_ecl,
    stage_book,
)
from lendcrm.risk.portfolio import DOWNTURN, scenario_pd
from lendcrm.risk.schedules import (
    ForwardCurve,
    Schedule,
    annual_effective_rate,
    ead_profile,
    effective_interest_rate,
)
from lendcrm.risk.schedules.frames import bank_shares, book_schedule
from lendcrm.segmentation import TIERS_BEST_FIRST, ClientFeatures
from lendcrm.synthetic import SyntheticFrames, generate_frames

REFERENCE_RATE = 0.03
RHO = 0.12
STAGES = ("stage 1", "stage 2", "stage 3")


def _origination_pd(syn: SyntheticFrames) -> np.ndarray:
    """The client's rating PD on or before the start of each facility."""
    f = syn.facilities[["facility_id", "client_id", "start_on"]].reset_index()
    r = syn.ratings[["client_id", "rated_on", "default_probability"]]
    r = r.sort_values("rated_on")
    at_start = pd.merge_asof(
        f.sort_values("start_on"),
        r.rename(columns={"default_probability": "pd_at_start"}),
        left_on="start_on",
        right_on="rated_on",
        by="client_id",
        direction="backward",
    ).set_index("index")["pd_at_start"]
    first = r.groupby("client_id")["default_probability"].first()
    fallback = f["client_id"].map(first)
    return at_start.reindex(f.index).fillna(fallback).to_numpy(dtype=float)


def _latest(syn: SyntheticFrames) -> pd.DataFrame:
    """Days past due, default and forbearance at the latest observation."""
    o = syn.observations.sort_values("period_end")
    last = o.groupby("facility_id").last()
    return last.reindex(syn.facilities["facility_id"]).fillna(
        {"days_past_due": 0, "in_default": False, "forborne": False}
    )


def reference_curves(syn: SyntheticFrames, as_of: dt.date) -> dict[str, ForwardCurve]:
    """A flat forward curve at `REFERENCE_RATE` for every reference rate of the book."""
    refs = syn.facilities["reference_rate"].astype(str).unique()
    flat = ForwardCurve(as_of=as_of, tenors=(0.0,), rates=(REFERENCE_RATE,))
    return dict.fromkeys(sorted(refs), flat)


def discount_rates(
    book: BookFrames, schedule: Schedule, curves: dict[str, ForwardCurve]
) -> np.ndarray:
    """Annual effective EIR per facility; a revolver undrawn at its start: its rate."""
    f = book.facilities
    rate = REFERENCE_RATE + f["margin_bps"].to_numpy(dtype=float) / 1e4
    lent = schedule.balance[:, 0] - schedule.upfront_fee > 0
    sub = attrs.evolve(book, facilities=f[lent])
    part = book_schedule(sub, curves=curves)
    rate[lent] = annual_effective_rate(
        effective_interest_rate(part), part.payments_per_year
    )
    return rate


def book_inputs(syn: SyntheticFrames, as_of: dt.date) -> dict[str, Any]:
    """What `stage_book` and `schedule_ecl` need, per facility (arrays, the schedule)."""
    f = syn.facilities
    book = syn.book_frames()
    curves = reference_curves(syn, as_of)
    schedule = book_schedule(book, curves=curves)
    ccf = f["credit_conversion_factor"].to_numpy(dtype=float)
    life = (f["maturity_on"] - pd.Timestamp(as_of)).dt.days.to_numpy() / 365.25
    years = np.clip(np.ceil(life), 1, 30).astype(int)
    clients = syn.clients.set_index("client_id")
    latest = _latest(syn)
    status = f["status"].astype(str).to_numpy()
    return {
        "years": years,
        "origination_pd": _origination_pd(syn),
        "current_pd": f["default_probability"].to_numpy(dtype=float),
        "days_past_due": latest["days_past_due"].to_numpy(dtype=float),
        "in_default": latest["in_default"].to_numpy(dtype=bool)
        | (status == "non_performing"),
        "forborne": latest["forborne"].to_numpy(dtype=bool)
        | (status == "restructured"),
        "on_watchlist": f["client_id"].map(clients["on_watchlist"]).to_numpy(dtype=bool)
        | (status == "watchlist"),
        "schedule": schedule,
        "bank_share": bank_shares(book),
        "ccf": ccf,
        "exposure": ead_profile(schedule, as_of=as_of, periods=1, ccf=ccf).ead[:, 0],
        "lgd": f["loss_given_default"].to_numpy(dtype=float),
        "eir": discount_rates(book, schedule, curves),
        "as_of": as_of,
    }


def _lifetime_pd(pd_: np.ndarray, years: np.ndarray) -> np.ndarray:
    return 1.0 - (1.0 - pd_) ** years


def stage(inputs: dict[str, Any], current_pd: np.ndarray) -> Staging:
    """Stage each facility: lifetime PDs over the remaining life, triggers, backstops."""
    years = inputs["years"]
    return stage_book(
        _lifetime_pd(inputs["origination_pd"], years),
        _lifetime_pd(current_pd, years),
        days_past_due=inputs["days_past_due"],
        in_default=inputs["in_default"],
        on_watchlist=inputs["on_watchlist"],
        forborne=inputs["forborne"],
    )


def base_reasons(inputs: dict[str, Any]) -> np.ndarray:
    """The stage reason code of each facility at the book's PDs."""
    return stage(inputs, inputs["current_pd"]).reason


def staged_ecl(
    inputs: dict[str, Any], current_pd: np.ndarray, *, at_share: bool = True
) -> ExpectedCreditLoss:
    """Stage each facility; its scenario-weighted ECL from its schedule at `current_pd`.

    At the bank's share of a syndicated loan (`at_share`), else of the whole loan.
    """
    staging = stage(inputs, current_pd)
    horizon = int(inputs["years"].max())
    curves = 1.0 - (1.0 - current_pd[:, None]) ** np.arange(1, horizon + 1)
    q = scenario_marginal_pd(curves, BASE_UPSIDE_DOWNSIDE, rho=RHO)
    return schedule_ecl(
        inputs["schedule"],
        q,
        inputs["lgd"],
        as_of=inputs["as_of"],
        stage=staging.stage,
        bank_share=inputs["bank_share"] if at_share else 1.0,
        ccf=inputs["ccf"],
        scenario_weights=BASE_UPSIDE_DOWNSIDE.weights,
        eir=inputs["eir"],
    )


def client_tiers(
    syn: SyntheticFrames, as_of: dt.date, fx_rates: dict[str, float]
) -> pd.Series:
    """Each client's value tier (profit in EUR, the tour's cut-offs fitted on this book)."""
    models = RelationshipModels(fx_rates=fx_rates)
    tiers = fit_tiering(syn.book_frames(), as_of=as_of, models=models)
    c = syn.clients
    rate = c["currency"].astype(str).map({"EUR": 1.0, **fx_rates}).to_numpy(dtype=float)
    features = ClientFeatures(
        client_ids=c["client_id"].tolist(),
        revenue=c["revenue_to_bank"].to_numpy() * rate,
        profit=c["profit_to_bank"].to_numpy() * rate,
        tenure_years=np.zeros(len(c)),
        product_count=c["product_count"].to_numpy(),
        referral_count=c["referral_count"].to_numpy(),
    )
    labels = tiers.assign(features).labels
    return pd.Series(labels, index=c["client_id"].to_numpy())


def in_eur(ecl: ExpectedCreditLoss, eur: np.ndarray) -> ExpectedCreditLoss:
    """The same ECL with every amount converted at the facility's rate to EUR."""
    return attrs.evolve(
        ecl,
        twelve_month=ecl.twelve_month * eur,
        lifetime=ecl.lifetime * eur,
        credit_impaired=ecl.credit_impaired * eur,
        ecl=ecl.ecl * eur,
    )


def ecl_table(
    ecl: ExpectedCreditLoss, tier: pd.Series, eur: np.ndarray, exposure: np.ndarray
) -> pd.DataFrame:
    """Facilities, exposure, ECL and coverage by stage and tier (amounts in EUR m)."""
    frame = pd.DataFrame(
        {
            "stage": pd.Categorical.from_codes(ecl.stage - 1, categories=list(STAGES)),
            "tier": pd.Categorical(
                tier.to_numpy(), categories=[t.value for t in TIERS_BEST_FIRST]
            ),
            "exposure": exposure * eur / 1e6,
            "ecl": ecl.ecl * eur / 1e6,
        }
    )
    table = frame.groupby(["stage", "tier"], observed=True).agg(
        facilities=("ecl", "size"), exposure_m=("exposure", "sum"), ecl_m=("ecl", "sum")
    )
    table["coverage_pct"] = 100 * table["ecl_m"] / table["exposure_m"]
    return table.round(2)


def ecl_tour(
    as_of: dt.date, fx_rates: dict[str, float], n_clients: int = 10_000
) -> None:
    """Print the IFRS 9 part of the tour."""
    syn = generate_frames(n_clients, seed=2025, as_of=as_of)
    f = syn.facilities
    inputs = book_inputs(syn, as_of)
    eur = f["currency"].astype(str).map({"EUR": 1.0, **fx_rates}).to_numpy(dtype=float)
    tier = f["client_id"].map(client_tiers(syn, as_of, fx_rates))
    base = staged_ecl(inputs, inputs["current_pd"])
    whole = staged_ecl(inputs, inputs["current_pd"], at_share=False)
    share = inputs["bank_share"]
    syndicated = share[share < 1] if (share < 1).any() else np.ones(1)
    print("\nIFRS 9 impairment: stages and expected credit loss (EUR m, 3 scenarios)")
    print(
        f"  {len(f):,} facilities; EAD per year and EIR from each repayment schedule; "
        f"stage 1 takes the 12-month ECL, stage 2 the lifetime ECL, stage 3 LGD x EAD"
    )
    print(
        f"  total allowance at the bank's share {(base.ecl * eur).sum() / 1e6:,.2f} m "
        f"({(whole.ecl * eur).sum() / 1e6:,.2f} m on the whole loans; "
        f"{int((share < 1).sum()):,} syndicated project loans, bank share "
        f"{syndicated.min():.0%}-{syndicated.max():.0%})"
    )
    print(ecl_table(base, tier, eur, inputs["exposure"] * share).to_string())
    reasons = pd.Series(base_reasons(inputs)).value_counts()
    print(
        "  reasons: "
        + ", ".join(
            f"{StageReason(int(k)).name} {v:,}" for k, v in reasons.sort_index().items()
        )
    )
    stressed_pd = scenario_pd(inputs["current_pd"], DOWNTURN, rho=RHO)
    down = staged_ecl(inputs, stressed_pd)
    ids = f["facility_id"].to_numpy()
    move = ecl_movement(ids, in_eur(base, eur), ids, in_eur(down, eur))
    transfers = pd.DataFrame(
        move.transfers.matrix.astype(int), index=list(STAGES), columns=list(STAGES)
    )
    transfers.index.name = "base \\ downturn"
    print(
        f"\nIFRS 9 after the {DOWNTURN.name} (ratings at the point-in-time PD, "
        f"z = {DOWNTURN.systematic_factor:g}): stage transfers"
    )
    print(transfers.to_string())
    print("  allowance movement (EUR m):")
    for label, amount in move.rows():
        print(f"    {label:<18} {amount / 1e6:>8,.2f}")


if __name__ == "__main__":
    from tour import AS_OF, FX_RATES  # type: ignore[import-not-found]

    ecl_tour(AS_OF, FX_RATES)
