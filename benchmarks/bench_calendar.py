"""Review/KYC calendar and contact standard: lendcrm against a well-written pandas baseline.

The book: ``n`` clients (10k, 100k, 1M) with ten interactions each on average
(10 n: a Poisson count, dates over the last three years, channels and topics
drawn with fixed shares) and one rating each, built with numpy. Tiers and stages are
drawn per client. Id columns are categoricals whose categories are the clients' ids
(the house style's "codes, not strings"); both contestants read the same frames.

Contestants, both producing per client the next credit review, annual review and KYC
refresh, the meaningful interactions in the contact-standard window and the last
meaningful contact:

- lendcrm: `review_dates_frame` + `contact_standard_frame`
  (`lendcrm.relationship.workflows.service_frames`), checks included;
- pandas: the same rules written with ``groupby`` (`pandas_baseline` below): one
  grouped ``max`` per completion topic, a merge of the strategy table on (tier,
  stage), a grouped count of the window, month arithmetic on ``Period`` months.

The pandas baseline is the floor. The results are asserted equal, then each
contestant is timed three times (median, min-max) at 10k, 100k and 1M clients through
the shared harness. Run: ``python benchmarks/bench_calendar.py``.
"""

from __future__ import annotations

import datetime as dt

import _harness
import numpy as np
import pandas as pd

from lendcrm import InteractionChannel, InteractionTopic
from lendcrm.frames import BookFrames
from lendcrm.frames import columns as schema
from lendcrm.lifecycle import ClientStage
from lendcrm.relationship.workflows import DEFAULT_STRATEGIES
from lendcrm.relationship.workflows.service_frames import (
    INTERACTIONS_IN_WINDOW,
    LAST_CONTACT_ON,
    NEXT_ANNUAL_REVIEW_ON,
    NEXT_CREDIT_REVIEW_ON,
    NEXT_KYC_ON,
    contact_standard_frame,
    review_dates_frame,
)
from lendcrm.segmentation import Tier

AS_OF = dt.date(2025, 12, 31)
RUNS = 3
TIERS = [t.value for t in Tier]
STAGES = [s.value for s in ClientStage]
CHANNELS = [c.value for c in InteractionChannel]
TOPICS = [t.value for t in InteractionTopic]


def build(n: int, seed: int = 13) -> tuple[BookFrames, pd.Series, pd.Series]:
    """Clients, ratings and interactions frames, and the tiers and stages."""
    rng = np.random.default_rng(seed)
    ids = pd.Index(
        np.char.add("C", np.char.zfill(np.arange(n).astype(str), 7)).astype(object),
        dtype="str",
    )
    day = np.datetime64(AS_OF, "D")
    onboarded = day - rng.integers(30, 6000, n)
    clients = pd.DataFrame(
        {
            schema.CLIENT_ID: ids,
            schema.ONBOARDED_ON: onboarded.astype("datetime64[ns]"),
            schema.ON_WATCHLIST: rng.random(n) < 0.04,
            schema.DEFAULT_PROBABILITY: rng.beta(1, 60, n),
        }
    )
    rated = np.minimum(onboarded + rng.integers(0, 2000, n), day)
    ratings = pd.DataFrame(
        {
            schema.CLIENT_ID: pd.Categorical.from_codes(np.arange(n), categories=ids),
            schema.RATED_ON: rated.astype("datetime64[ns]"),
        }
    )
    owner = np.repeat(np.arange(n), rng.poisson(10, n))
    k = owner.size
    span = np.minimum(day - onboarded, 1095).astype(np.int64)[owner]
    on = day - np.floor(rng.random(k) * (span + 1)).astype(np.int64)
    interactions = pd.DataFrame(
        {
            schema.CLIENT_ID: pd.Categorical.from_codes(owner, categories=ids),
            schema.INTERACTION_ON: on.astype("datetime64[D]").astype("datetime64[ns]"),
            schema.CHANNEL: pd.Categorical.from_codes(
                rng.choice(6, k, p=[0.2, 0.35, 0.1, 0.25, 0.05, 0.05]), CHANNELS
            ),
            schema.TOPIC: pd.Categorical.from_codes(
                rng.choice(7, k, p=[0.45, 0.1, 0.1, 0.07, 0.05, 0.2, 0.03]), TOPICS
            ),
        }
    )
    tiers = pd.Series(rng.choice(TIERS, n, p=[0.05, 0.15, 0.3, 0.5]), index=ids)
    stages = pd.Series(rng.choice(STAGES[:5], n), index=ids)
    frames = BookFrames(clients=clients, ratings=ratings, interactions=interactions)
    return frames, tiers, stages


def lendcrm_calendar(
    frames: BookFrames, tiers: pd.Series, stages: pd.Series
) -> pd.DataFrame:
    """The contestant: the two frame functions of `service_frames`."""
    dates = review_dates_frame(frames, as_of=AS_OF, tiers=tiers, stages=stages)
    contact = contact_standard_frame(frames, as_of=AS_OF, tiers=tiers, stages=stages)
    return dates.assign(  # same index, same order: no join needed
        **{c: contact[c].to_numpy() for c in (INTERACTIONS_IN_WINDOW, LAST_CONTACT_ON)}
    )


def _strategy_table() -> pd.DataFrame:
    rows = []
    for tier in Tier:
        for stage in (*ClientStage, None):
            s = DEFAULT_STRATEGIES.strategy(tier, stage)
            rows.append(
                {
                    "tier": tier.value,
                    "stage": "" if stage is None else stage.value,
                    "review": s.review_frequency_months,
                    "kyc": s.kyc_refresh_months,
                    "window": s.contact_window_months,
                    "meaningful": [c.value for c in s.meaningful_channels],
                }
            )
    return pd.DataFrame(rows)


def _add_months(days: pd.Series, months: pd.Series) -> pd.Series:
    """Same day offset from the first of the month, ``months`` later."""
    first = days.dt.to_period("M").dt.start_time
    moved = (days.dt.to_period("M") + months.to_numpy()).dt.start_time
    return moved + (days - first)


def _due(last: pd.Series, onboarded: pd.Series, months: pd.Series) -> pd.Series:
    as_of = pd.Timestamp(AS_OF)
    gap = (as_of.year * 12 + as_of.month) - (
        onboarded.dt.year * 12 + onboarded.dt.month
    )
    k = (gap // months).clip(lower=0)
    due = _add_months(onboarded, k * months)
    late = due < as_of
    due[late] = _add_months(onboarded[late], (k[late] + 1) * months[late])
    seen = last.notna()
    due[seen] = _add_months(last[seen], months[seen])
    return due


def pandas_baseline(
    frames: BookFrames, tiers: pd.Series, stages: pd.Series
) -> pd.DataFrame:
    """The same rules with groupby, merge and Period arithmetic."""
    s = DEFAULT_STRATEGIES
    c = frames.clients.set_index(schema.CLIENT_ID)
    c["tier"] = tiers.reindex(c.index).to_numpy()
    c["stage"] = stages.reindex(c.index).fillna("").to_numpy()
    table = _strategy_table()
    c = c.reset_index().merge(table, on=["tier", "stage"], how="left")
    c = c.set_index(schema.CLIENT_ID)
    log = frames.interactions
    key = log[schema.CLIENT_ID]
    last = {
        t: log[log[schema.TOPIC] == t]
        .groupby(key[log[schema.TOPIC] == t], observed=False)[schema.INTERACTION_ON]
        .max()
        for t in ("credit_review", "annual_review", "kyc")
    }
    rated = frames.ratings.groupby(schema.CLIENT_ID, observed=False)[
        schema.RATED_ON
    ].max()
    credit_last = pd.concat([rated, last["credit_review"]], axis=1).max(axis=1)
    high = c[schema.DEFAULT_PROBABILITY] >= s.high_risk_pd
    watch = c[schema.ON_WATCHLIST]
    review = c["review"].where(
        ~watch, c["review"].clip(upper=s.watchlist_review_months)
    )
    review = review.where(~high, review.clip(upper=s.high_risk_review_months))
    kyc = c["kyc"].where(~(high | watch), c["kyc"].clip(upper=s.high_risk_kyc_months))
    onb = c[schema.ONBOARDED_ON]
    out = pd.DataFrame(index=c.index)
    out[NEXT_CREDIT_REVIEW_ON] = _due(credit_last.reindex(c.index), onb, review)
    annual = pd.Series(s.annual_review_months, index=c.index)
    out[NEXT_ANNUAL_REVIEW_ON] = _due(
        last["annual_review"].reindex(c.index), onb, annual
    )
    out[NEXT_KYC_ON] = _due(last["kyc"].reindex(c.index), onb, kyc)
    meaningful = table.explode("meaningful")
    m = log.assign(
        tier=c["tier"].to_numpy()[log[schema.CLIENT_ID].cat.codes.to_numpy()],
        stage=c["stage"].to_numpy()[log[schema.CLIENT_ID].cat.codes.to_numpy()],
    ).merge(
        meaningful[["tier", "stage", "meaningful"]],
        left_on=["tier", "stage", schema.CHANNEL],
        right_on=["tier", "stage", "meaningful"],
        how="inner",
    )
    start = _add_months(pd.Series(pd.Timestamp(AS_OF), index=c.index), -c["window"])
    m_start = start.to_numpy()[m[schema.CLIENT_ID].cat.codes.to_numpy()]
    inside = m[m[schema.INTERACTION_ON].to_numpy() > m_start]
    out[INTERACTIONS_IN_WINDOW] = (
        inside.groupby(schema.CLIENT_ID, observed=False).size().reindex(c.index)
    )
    out[LAST_CONTACT_ON] = (
        m.groupby(schema.CLIENT_ID, observed=False)[schema.INTERACTION_ON]
        .max()
        .reindex(c.index)
    )
    return out


def setup(n: int) -> _harness.Contest:
    """The book of `n` clients; lendcrm and the pandas baseline agree."""
    frames, tiers, stages = build(n)
    print(f"  {n:,} clients, {len(frames.interactions):,} interactions")
    ours = lendcrm_calendar(frames, tiers, stages)
    theirs = pandas_baseline(frames, tiers, stages)
    for name in theirs.columns:
        a = ours[name].to_numpy()
        b = theirs[name].to_numpy()
        if name == INTERACTIONS_IN_WINDOW:
            b = np.nan_to_num(b.astype(np.float64)).astype(np.int64)
        np.testing.assert_array_equal(a, b, err_msg=name)
    return _harness.Contest(
        ours=lambda: lendcrm_calendar(frames, tiers, stages),
        floor=lambda: pandas_baseline(frames, tiers, stages),
        floor_name="pandas groupby",
    )


def main() -> None:
    """Build the book at each size, check equality, time both, print the table."""
    _harness.scale("review calendar + contact standard", setup)


if __name__ == "__main__":
    main()
