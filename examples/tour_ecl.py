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
- the EAD profile per year: term, bridge and construction loans amortise linearly to
  maturity; revolvers, receivables finance and guarantees keep drawn + CCF x undrawn;
- the EIR: a flat 3 % reference rate plus the facility's margin (repayment schedules
  and their effective interest rate replace these two stand-ins when they land).
"""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
import pandas as pd

from lendcrm.relationship import RelationshipModels
from lendcrm.relationship.frames import fit_tiering
from lendcrm.risk.impairment import (
    BASE_UPSIDE_DOWNSIDE,
    ExpectedCreditLoss,
    StageReason,
    Staging,
    ecl_movement,
    expected_credit_loss,
    scenario_marginal_pd,
    stage_book,
)
from lendcrm.risk.portfolio import DOWNTURN, scenario_pd
from lendcrm.segmentation import TIERS_BEST_FIRST, ClientFeatures
from lendcrm.synthetic import SyntheticFrames, generate_frames

REFERENCE_RATE = 0.03
RHO = 0.12
AMORTISING = ("term_loan", "bridge", "construction_loan")
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


def _ead_profile(f: pd.DataFrame, years: np.ndarray, horizon: int) -> np.ndarray:
    drawn = f["drawn"].to_numpy(dtype=float)
    undrawn = np.maximum(f["limit"].to_numpy(dtype=float) - drawn, 0.0)
    flat = drawn + f["credit_conversion_factor"].to_numpy(dtype=float) * undrawn
    start = np.arange(horizon)
    alive = start[None, :] < years[:, None]
    amortising = f["kind"].astype(str).isin(AMORTISING).to_numpy()
    share = np.clip((years[:, None] - start[None, :]) / years[:, None], 0.0, 1.0)
    profile = np.where(amortising[:, None], drawn[:, None] * share, flat[:, None])
    return np.where(alive, profile, 0.0)


def book_inputs(syn: SyntheticFrames, as_of: dt.date) -> dict[str, np.ndarray]:
    """The arrays `stage_book` and `expected_credit_loss` need, per facility."""
    f = syn.facilities
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
        "ead": _ead_profile(f, years, int(years.max())),
        "lgd": f["loss_given_default"].to_numpy(dtype=float),
        "eir": REFERENCE_RATE + f["margin_bps"].to_numpy(dtype=float) / 1e4,
    }


def _lifetime_pd(pd_: np.ndarray, years: np.ndarray) -> np.ndarray:
    return 1.0 - (1.0 - pd_) ** years


def stage(inputs: dict[str, np.ndarray], current_pd: np.ndarray) -> Staging:
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


def base_reasons(inputs: dict[str, np.ndarray]) -> np.ndarray:
    """The stage reason code of each facility at the book's PDs."""
    return stage(inputs, inputs["current_pd"]).reason


def staged_ecl(
    inputs: dict[str, np.ndarray], current_pd: np.ndarray
) -> ExpectedCreditLoss:
    """Stage each facility and compute its scenario-weighted ECL at `current_pd`."""
    staging = stage(inputs, current_pd)
    horizon = inputs["ead"].shape[1]
    curves = 1.0 - (1.0 - current_pd[:, None]) ** np.arange(1, horizon + 1)
    q = scenario_marginal_pd(curves, BASE_UPSIDE_DOWNSIDE, rho=RHO)
    return expected_credit_loss(
        q,
        inputs["lgd"],
        inputs["ead"],
        inputs["eir"],
        stage=staging.stage,
        scenario_weights=BASE_UPSIDE_DOWNSIDE.weights,
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
    print("\nIFRS 9 impairment: stages and expected credit loss (EUR m, 3 scenarios)")
    print(
        f"  {len(f):,} facilities; stage 1 takes the 12-month ECL, stage 2 the "
        f"lifetime ECL, stage 3 LGD x EAD; total allowance "
        f"{(base.ecl * eur).sum() / 1e6:,.2f} m"
    )
    print(ecl_table(base, tier, eur, inputs["ead"][:, 0]).to_string())
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
