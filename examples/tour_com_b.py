"""The tour's growth part: top prospects with their look-alikes, clients at risk of leaving.

Part 20 feeds the cross-sell and attrition frames to the relationship frame: the
cross-sell action names its product and `RetentionCall` calls the valuable clients
most at risk. Lifetime value rests on the monthly stage chain assessed from a
synthetic book's histories (`assessed_chain`), not on a made-up matrix.

Called from `examples/tour.py` (``commercial_value_tour(AS_OF, FX_RATES)``); runs on
its own too: ``python examples/tour_com_b.py``.

What it draws from the synthetic generator (`lendcrm.synthetic.generate_frames`):

- the bank's book (5,000 clients) and its tiers (`QuantileTiers` on profit in EUR);
- prospects: the clients of a second synthetic book (another seed): companies drawn
  from the same population that do not bank with us yet (no prospect generator
  exists yet); past prospects for the conversion model: a third book, whose
  ``converted`` flag is simulated from size, rating and margin (stated below);
- profile features of every company from its latest spread statements: log revenue
  in EUR, EBITDA margin, debt/EBITDA, revenue growth and the rating's log-odds.
"""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
import pandas as pd

from lendcrm.frames import columns as schema
from lendcrm.lifecycle import ClientStage, StageRules
from lendcrm.lifecycle.frames import assess_stages
from lendcrm.relationship import (
    ActionRules,
    RelationshipModels,
    RetentionCall,
)
from lendcrm.relationship import columns as col
from lendcrm.relationship.commercial import (
    OfferTerms,
    StageChain,
    chain_from_paths,
    fit_conversion,
    indicative_offers,
    lifetime_value,
    stage_codes,
)
from lendcrm.relationship.commercial.value_frames import (
    attrition_frame,
    cross_sell_frame,
    lookalike_frame,
    share_of_wallet_frame,
)
from lendcrm.relationship.frames import (
    fit_tiering,
    relationship_frame,
    signals_from_history,
)
from lendcrm.risk.capital import BASEL_III
from lendcrm.segmentation import ClientFeatures, QuantileTiers
from lendcrm.synthetic import generate_frames

STAGES = tuple(ClientStage)[:5]

N_BOOK = 5_000
N_PROSPECTS = 3_000
FEATURES = (
    "log_revenue",
    "ebitda_margin",
    "debt_to_ebitda",
    "revenue_growth",
    "rating_logit",
)
#: A flat reference rate standing in for the facilities' floating base rates.
BASE_RATE = 0.03
#: Months of assessed stages for the lifetime-value chain, and the horizon it values.
CHAIN_MONTHS = 13
HORIZON_MONTHS = 120


def assessed_chain(as_of: dt.date, fx_rates: dict[str, float]) -> StageChain:
    """The monthly client-stage chain from the stages assessed at each month end.

    A synthetic book with 25 monthly history periods gives each of the last 13 month
    ends a year of lookback: the signals at that date (`signals_from_history`), the
    stage the built-in rules assess from them, coded per client and month (-1 before
    onboarding), then the cohort estimator (`chain_from_paths`).
    """
    frames = generate_frames(2_000, seed=2025, as_of=as_of, periods=CHAIN_MONTHS + 12)
    ends = sorted(pd.to_datetime(frames.observations["period_end"]).dt.date.unique())
    ends = ends[-CHAIN_MONTHS:]
    models = RelationshipModels(fx_rates=fx_rates)
    stages = []
    for end in ends:
        signals = signals_from_history(
            frames.clients, frames.facilities, frames.measures, frames.ratings,
            frames.observations, as_of=end, models=models,
        ).set_index(schema.CLIENT_ID)  # fmt: skip
        stage = assess_stages(signals, as_of=end, rules=StageRules.builtin())["stage"]
        stages.append(stage.astype(str).to_numpy())
    paths = stage_codes(np.column_stack(stages).ravel()).reshape(
        len(frames.clients), -1
    )
    onboarded = frames.clients[schema.ONBOARDED_ON].dt.date.to_numpy()
    paths[onboarded[:, None] > np.array(ends)[None, :]] = -1
    return chain_from_paths(paths)


def profiles(syn: object, fx_rates: dict[str, float]) -> pd.DataFrame:
    """One row per company: id, the five profile features, sector."""
    clients = syn.clients  # type: ignore[attr-defined]
    st = syn.statements.sort_values([schema.CLIENT_ID, schema.PERIOD_END])  # type: ignore[attr-defined]
    last = st.groupby(schema.CLIENT_ID).tail(1).set_index(schema.CLIENT_ID)
    prev = st.groupby(schema.CLIENT_ID).nth(-2).set_index(schema.CLIENT_ID)
    rate = clients[schema.CURRENCY].astype(str).map({"EUR": 1.0, **fx_rates}).to_numpy()
    ids = clients[schema.CLIENT_ID]
    revenue = last[schema.REVENUE].reindex(ids).to_numpy()
    ebitda = last[schema.EBITDA].reindex(ids).to_numpy()
    debt = last[schema.TOTAL_DEBT].reindex(ids).to_numpy()
    before = prev[schema.REVENUE].reindex(ids).to_numpy()
    pd_ = clients[schema.DEFAULT_PROBABILITY].to_numpy()
    out = pd.DataFrame(
        {
            schema.CLIENT_ID: ids.to_numpy(),
            "log_revenue": np.log(clients[schema.ANNUAL_REVENUE].to_numpy() * rate),
            "ebitda_margin": ebitda / revenue,
            "debt_to_ebitda": np.clip(
                debt / np.where(ebitda > 0, ebitda, np.nan), 0, 15
            ),
            "revenue_growth": revenue / before - 1.0,
            "rating_logit": np.log(pd_ / (1 - pd_)),
            schema.SECTOR: clients[schema.SECTOR].astype(str).to_numpy(),
        }
    )
    return out.replace([np.inf, -np.inf], np.nan).dropna().reset_index(drop=True)


def _tiers(syn: object, fx_rates: dict[str, float], as_of: dt.date) -> pd.Series:
    clients = syn.clients  # type: ignore[attr-defined]
    rate = clients[schema.CURRENCY].astype(str).map({"EUR": 1.0, **fx_rates}).to_numpy()
    features = ClientFeatures(
        client_ids=clients[schema.CLIENT_ID].tolist(),
        revenue=clients[schema.REVENUE_TO_BANK].to_numpy() * rate,
        profit=clients[schema.PROFIT_TO_BANK].to_numpy() * rate,
        tenure_years=(pd.Timestamp(as_of) - clients[schema.ONBOARDED_ON]).dt.days
        / 365.25,
        product_count=clients[schema.PRODUCT_COUNT].to_numpy(),
        referral_count=clients[schema.REFERRAL_COUNT].to_numpy(),
    )
    labels = QuantileTiers(measure="profit").assign(features).labels
    return pd.Series(np.asarray(labels, dtype=object), index=clients[schema.CLIENT_ID])


def _conversion(as_of: dt.date, fx_rates: dict[str, float]) -> object:
    """Past prospects: a third book; converted ~ size, rating, margin (simulated)."""
    past = profiles(generate_frames(N_PROSPECTS, seed=77, as_of=as_of), fx_rates)
    rng = np.random.default_rng(77)
    logit = (
        -1.0
        + 0.6 * (past["log_revenue"] - 16.5)
        - 0.5 * (past["rating_logit"] + 4.5)
        + 4.0 * (past["ebitda_margin"] - 0.1)
    )
    converted = (rng.random(len(past)) < 1 / (1 + np.exp(-logit))).astype(int)
    return fit_conversion({f: past[f].to_numpy() for f in FEATURES}, converted, seed=1)


def top_prospects(
    as_of: dt.date, fx_rates: dict[str, float], book: object, tiers: pd.Series
) -> None:
    """Rank prospects against the diamond and gold clients, explain, price."""
    model = _conversion(as_of, fx_rates)
    print(
        f"  conversion model (binning, WoE, logistic): {', '.join(model.names)}; "  # type: ignore[attr-defined]
        f"validation AUC {model.validation_auc:.3f}, KS {model.validation_ks:.3f}"  # type: ignore[attr-defined]
    )
    ours = profiles(book, fx_rates)
    best = ours[ours[schema.CLIENT_ID].map(tiers).isin(["diamond", "gold"]).to_numpy()]
    prospects = profiles(generate_frames(N_PROSPECTS, seed=2026, as_of=as_of), fx_rates)
    prospects = prospects.rename(columns={schema.CLIENT_ID: "prospect_id"})
    prospects["prospect_id"] = "P-" + prospects["prospect_id"].str[1:]
    matches = lookalike_frame(prospects, best, features=FEATURES, k=5)
    print(
        f"  {len(prospects):,} prospects against {len(best):,} diamond and gold clients "
        f"({len(FEATURES)} standardised features, 5 look-alikes each)"
    )
    p_convert = pd.Series(
        model.predict({f: prospects[f].to_numpy() for f in FEATURES}),  # type: ignore[attr-defined]
        index=prospects["prospect_id"],
    )
    fac = book.facilities  # type: ignore[attr-defined]
    all_in = (
        (BASE_RATE + fac[schema.MARGIN_BPS] / 1e4).groupby(fac[schema.CLIENT_ID]).mean()
    )
    first = matches.drop_duplicates("prospect_id").head(5)
    top = matches[matches["prospect_id"].isin(first["prospect_id"])]
    rates = all_in.reindex(top[schema.CLIENT_ID]).to_numpy().reshape(len(first), -1)
    pd_ = 1 / (
        1
        + np.exp(
            -prospects.set_index("prospect_id").loc[
                first["prospect_id"], "rating_logit"
            ]
        )
    )
    terms = OfferTerms(funding_rate=BASE_RATE + 0.003, operating_cost_rate=0.004,
                       hurdle_rate=0.12, risk_free_rate=BASE_RATE, capital_ratio=0.105,
                       regime=BASEL_III)  # fmt: skip
    floor, offer = indicative_offers(
        pd_.to_numpy(), 0.40, maturity=5.0, terms=terms, lookalike_rates=rates
    )
    print(
        "  prospect    distance  p(convert)  look-alikes (closest features)          offer (floor)"
    )
    for i, row in enumerate(first.itertuples(index=False)):
        mine = top[top["prospect_id"] == row.prospect_id]
        names = " ".join(mine[schema.CLIENT_ID].head(3))
        why = f"{row.closest_feature_1}, {row.closest_feature_2}"
        print(
            f"  {row.prospect_id:10s} {mine['distance'].mean():8.2f} "
            f"{p_convert[row.prospect_id]:10.1%}  {names} ({why})  "
            f"{offer[i]:6.2%} ({floor[i]:.2%})"
        )


def at_risk(
    as_of: dt.date, fx_rates: dict[str, float], book: object, tiers: pd.Series
) -> None:
    """Good clients most likely to leave, with reasons, value at stake and next product."""
    b = book  # type: ignore[assignment]
    risk = attrition_frame(b.signals, feedback=b.feedback, facilities=b.facilities,  # type: ignore[attr-defined]
                           observations=b.observations, as_of=as_of)  # type: ignore[attr-defined]  # fmt: skip
    good = risk[risk[schema.CLIENT_ID].map(tiers).isin(["diamond", "gold"]).to_numpy()]
    wallet = share_of_wallet_frame(
        b.clients, b.facilities, fx_rates=fx_rates
    ).set_index(schema.CLIENT_ID)  # type: ignore[attr-defined]
    cross = cross_sell_frame(b.clients, b.facilities, tiers).set_index(schema.CLIENT_ID)  # type: ignore[attr-defined]
    stage = b.stages.set_index(schema.CLIENT_ID)["stage"]  # type: ignore[attr-defined]
    clients = b.clients.set_index(schema.CLIENT_ID)  # type: ignore[attr-defined]
    rate = clients[schema.CURRENCY].astype(str).map({"EUR": 1.0, **fx_rates})
    profit = (
        (clients[schema.PROFIT_TO_BANK] * rate)
        .reindex(good[schema.CLIENT_ID])
        .to_numpy()
    )
    per_stage = profit[:, None] * np.array([0.2, 0.6, 1.0, 1.0, 0.5])[None, :] / 12
    chain = assessed_chain(as_of, fx_rates)
    clv = lifetime_value(stage.reindex(good[schema.CLIENT_ID]).astype(str).to_numpy(),
                         np.maximum(per_stage, 0.0), chain=chain,
                         discount_rate=1.10 ** (1 / 12) - 1, horizon=HORIZON_MONTHS)  # fmt: skip
    good = good.assign(clv=clv, at_stake=clv * good["attrition_probability"].to_numpy())
    print(
        f"  {len(good):,} diamond and gold clients; mean probability of leaving within "
        f"12 months {good['attrition_probability'].mean():.1%}"
    )
    print("  client     p(leave) score  reasons                                   "
          "CLV EUR m  share of wallet  next product")  # fmt: skip
    for row in good.nlargest(5, "attrition_probability").itertuples(index=False):
        reasons = ", ".join(
            str(r) for r in (row.reason_1, row.reason_2) if isinstance(r, str)
        )
        nxt = cross.loc[row.client_id, "next_product"]
        print(
            f"  {row.client_id}  {row.attrition_probability:7.1%} {row.attrition_score:5.0f}  "
            f"{reasons:40s} {row.clv / 1e6:9.2f}  "
            f"{wallet.loc[row.client_id, 'share_of_wallet']:15.0%}  "
            f"{nxt if isinstance(nxt, str) else '-'}"
        )
    stay = np.diag(chain.matrix)[:5]
    print(
        "  (attrition: expert default weights, 20 points double the odds; CLV: ten "
        "years at 10 % a year on the monthly stage chain assessed over "
        f"{CHAIN_MONTHS} month ends; monthly stay rates "
        + ", ".join(f"{s.value} {p:.0%}" for s, p in zip(STAGES, stay, strict=True))
        + "; the synthetic book records no exits)"
    )


def in_the_view(as_of: dt.date, fx_rates: dict[str, float], book: object) -> None:
    """The relationship frame fed the commercial input: named cross-sell, retention."""
    b = book  # type: ignore[assignment]
    models = RelationshipModels(fx_rates=fx_rates, stage_rules=StageRules.builtin())
    models = attrs.evolve(
        models,
        tiering=fit_tiering(b.book_frames(), as_of=as_of, models=models),  # type: ignore[attr-defined]
        actions=ActionRules.builtin().with_rule(RetentionCall()),
    )
    plain = relationship_frame(b.book_frames(), as_of=as_of, models=models,  # type: ignore[attr-defined]
                               signals=b.signals)  # type: ignore[attr-defined]  # fmt: skip
    cross = cross_sell_frame(b.clients, b.facilities, plain[col.TIER])  # type: ignore[attr-defined]
    leave = attrition_frame(b.signals, feedback=b.feedback, facilities=b.facilities,  # type: ignore[attr-defined]
                            observations=b.observations, as_of=as_of)  # type: ignore[attr-defined]  # fmt: skip
    rf = relationship_frame(b.book_frames(), as_of=as_of, models=models,  # type: ignore[attr-defined]
                            signals=b.signals, commercial=cross.merge(leave))  # type: ignore[attr-defined]  # fmt: skip
    calls = rf[
        rf[col.ACTIONS].str.split(col.SEPARATOR).map(lambda a: "retention_call" in a)
    ]
    named = rf[rf[col.CROSS_SELL_PRODUCT] != ""]
    print(
        f"  {len(named):,} cross-sell actions name their product, e.g. "
        f"{named.index[0]}: {named[col.CROSS_SELL_PRODUCT].iloc[0]}; "
        f"{len(calls):,} retention calls (diamond or gold, p(leave) >= 20 %)"
    )
    print(
        "  client     tier     p(leave)  top reason          next action           product gap"
    )
    for cid, row in calls.nlargest(5, "attrition_probability").iterrows():
        print(
            f"  {cid}  {row[col.TIER]:8s} {row['attrition_probability']:7.1%}  "
            f"{row[col.ATTRITION_REASON]:18s}  {row[col.NEXT_ACTION]:20s}  "
            f"{row['next_product'] or '-'}"
        )


def commercial_value_tour(as_of: dt.date, fx_rates: dict[str, float]) -> None:
    """Print the growth part of the tour."""
    print("\n18. Growing the business: prospects that look like our best clients")
    book = generate_frames(N_BOOK, seed=2025, as_of=as_of)
    tiers = _tiers(book, fx_rates, as_of)
    top_prospects(as_of, fx_rates, book, tiers)
    print("\n19. Keeping the best: clients most at risk of leaving")
    at_risk(as_of, fx_rates, book, tiers)
    print("\n20. In the relationship view: the named cross-sell and the retention call")
    in_the_view(as_of, fx_rates, book)


if __name__ == "__main__":
    commercial_value_tour(
        dt.date(2025, 12, 31),
        {"GBP": 1.17, "USD": 0.92, "PLN": 0.23, "SEK": 0.088, "DKK": 0.134,
         "NOK": 0.086, "CHF": 1.05},
    )  # fmt: skip
