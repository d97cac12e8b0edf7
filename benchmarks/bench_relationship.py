"""Relationship layer: the batch view of a million clients and one client's view.

Models: every composed model (pricing, a scorecard and the master scale, the builtin
stage rules, fitted tier cut-offs and the risk overlay), fitted on a 20,000-client
training book.

1. `relationship_frame` on 1,000,000 clients from `generate_frames` (with signals):
   median of three runs and the peak resident memory of the process during
   the runs (``resource``), against a plain-pandas baseline that computes a subset of
   the same columns with ``groupby`` (exposure, limit, utilisation, live facilities,
   feedback count, last score and NPS). Targets: <= 10 s, <= 4 GB.
2. `client_view` latency for one client of a 100,000-client `Book` (median over 300
   clients), against a plain-pandas baseline that selects the client's rows from the
   frames with boolean masks and sums them. Target: <= 5 ms.
"""

from __future__ import annotations

import datetime as dt
import resource
import statistics
import time
from pathlib import Path

import attrs
import numpy as np
import pandas as pd

from lendcrm.frames import book_from_frames
from lendcrm.lifecycle import StageRules
from lendcrm.relationship import RelationshipModels, RelationshipPricing, client_view
from lendcrm.relationship.frames import fit_tiering, relationship_frame
from lendcrm.risk.scoring import (
    DEFAULT_MASTER_SCALE,
    BinningConfig,
    build_scorecard,
    fit_logistic,
)
from lendcrm.risk.scoring.frames import fit_binning_frame, woe_frame
from lendcrm.segmentation import RiskOverlay
from lendcrm.synthetic import generate_frames

AS_OF = dt.date(2025, 12, 31)
FX = {
    "GBP": 1.17,
    "USD": 0.92,
    "PLN": 0.23,
    "SEK": 0.088,
    "DKK": 0.134,
    "NOK": 0.086,
    "CHF": 1.05,
}


def _models() -> RelationshipModels:
    """Every composed model, fitted on a 20,000-client training book."""
    training = generate_frames(20_000, seed=4, as_of=AS_OF, periods=1)
    rng = np.random.default_rng(0)
    apps = training.clients[["annual_revenue", "sector", "product_count"]].copy()
    apps["bad"] = (
        rng.random(len(apps)) < training.clients["default_probability"]
    ).astype(int)
    bins = fit_binning_frame(apps, target="bad", config=BinningConfig(max_bins=5))
    logistic = fit_logistic(
        woe_frame(bins, apps.drop(columns="bad")).to_numpy(),
        apps["bad"],
        names=list(bins.names),
    )
    models = RelationshipModels(
        fx_rates=FX,
        pricing=RelationshipPricing(),
        scorecard=build_scorecard(bins, logistic),
        master_scale=DEFAULT_MASTER_SCALE,
        stage_rules=StageRules.builtin(),
        overlay=RiskOverlay(),
    )
    tiers = fit_tiering(training.book_frames(), as_of=AS_OF, models=models)
    return attrs.evolve(models, tiering=tiers)


MODELS = _models()
LIVE = ["approved", "active", "watchlist", "non_performing", "restructured"]


def _rss_mb() -> float:
    """Current resident set size in MB (Linux /proc; 0 elsewhere)."""
    statm = Path("/proc/self/statm")
    if not statm.exists():
        return 0.0
    pages = int(statm.read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pandas_baseline(frames, rates: dict[str, float]) -> pd.DataFrame:
    fac = frames.facilities
    live = fac[fac["status"].astype(str).isin(LIVE)]
    rate = live["currency"].astype(str).map({**rates, "EUR": 1.0}).astype(float)
    agg = (
        live.assign(exp=live["drawn"] * rate, lim=live["limit"] * rate)
        .groupby("client_id", observed=True)
        .agg(exposure=("exp", "sum"), limit=("lim", "sum"), facilities=("exp", "size"))
    )
    fb = frames.feedback.sort_values(["client_id", "feedback_on"], kind="stable")
    score = fb["score"]
    fbg = fb.assign(
        promoter=(score >= 9).astype(float), detractor=(score <= 6).astype(float)
    ).groupby("client_id", observed=True)
    feedback = fbg.agg(
        feedback=("score", "size"),
        last_score=("score", "last"),
        promoters=("promoter", "mean"),
        detractors=("detractor", "mean"),
    )
    out = (
        frames.clients[["client_id"]]
        .set_index("client_id")
        .join(agg)
        .join(feedback)
        .fillna({"exposure": 0.0, "limit": 0.0, "facilities": 0, "feedback": 0})
    )
    out["utilisation"] = np.where(
        out["limit"] > 0, out["exposure"] / out["limit"].where(out["limit"] > 0), 0.0
    )
    out["nps"] = 100 * (out["promoters"] - out["detractors"])
    return out


def _batch(n: int, repeats: int) -> None:
    t = time.perf_counter()
    syn = generate_frames(n, seed=8, as_of=AS_OF, periods=1)
    frames = syn.book_frames()
    print(f"  generated {n:,} clients in {time.perf_counter() - t:.1f} s")
    base_rss = _rss_mb()
    ours: list[float] = []
    for _ in range(repeats):
        t = time.perf_counter()
        rf = relationship_frame(frames, as_of=AS_OF, models=MODELS, signals=syn.signals)
        ours.append(time.perf_counter() - t)
    peak = _peak_mb()
    peer: list[float] = []
    for _ in range(repeats):
        t = time.perf_counter()
        base = _pandas_baseline(frames, FX)
        peer.append(time.perf_counter() - t)
    # the baseline's subset agrees with ours
    np.testing.assert_allclose(
        base["exposure"].to_numpy(), rf["exposure"].to_numpy(), rtol=1e-9
    )
    m_ours, m_peer = statistics.median(ours), statistics.median(peer)
    print(
        f"  relationship_frame, {n:,} clients, {rf.shape[1]} columns: median "
        f"{m_ours:.2f} s (runs {', '.join(f'{x:.2f}' for x in ours)}); target <= 10 s"
    )
    print(
        f"  pandas groupby baseline, 7 of those columns: median {m_peer:.2f} s; "
        f"ratio ours/baseline {m_ours / m_peer:.2f}"
    )
    print(
        f"  memory: process peak RSS {peak:,.0f} MB; peak above the loaded book "
        f"{peak - base_rss:,.0f} MB (book loaded: {base_rss:,.0f} MB); target <= 4 GB"
    )


def _latency(n: int, samples: int) -> None:
    t = time.perf_counter()
    syn = generate_frames(n, seed=9, as_of=AS_OF, periods=1)
    frames = syn.book_frames()
    book = book_from_frames(frames)
    print(f"  built a Book of {n:,} clients in {time.perf_counter() - t:.1f} s")
    ids = syn.clients["client_id"].to_numpy()[
        np.random.default_rng(0).choice(n, samples, replace=False)
    ]
    signals = syn.signals.set_index("client_id")
    rows = {cid: signals.loc[cid].to_dict() for cid in ids}
    client_view(book, str(ids[0]), as_of=AS_OF, models=MODELS, signals=rows[ids[0]])
    ours = []
    for cid in ids:
        t = time.perf_counter()
        client_view(book, str(cid), as_of=AS_OF, models=MODELS, signals=rows[cid])
        ours.append(time.perf_counter() - t)
    fac, fb = frames.facilities, frames.feedback
    rates = {**FX, "EUR": 1.0}
    peer = []
    for cid in ids:
        t = time.perf_counter()
        own = fac[fac["client_id"] == cid]
        own = own[own["status"].astype(str).isin(LIVE)]
        rate = own["currency"].astype(str).map(rates).astype(float)
        _ = (own["drawn"] * rate).sum(), (own["limit"] * rate).sum()
        scores = fb.loc[fb["client_id"] == cid, "score"]
        _ = (scores >= 9).mean() - (scores <= 6).mean()
        peer.append(time.perf_counter() - t)
    m_ours, m_peer = statistics.median(ours), statistics.median(peer)
    print(
        f"  client_view in a {n:,}-client book: median {1e3 * m_ours:.2f} ms, "
        f"p95 {1e3 * float(np.quantile(ours, 0.95)):.2f} ms over {samples} clients; "
        "target <= 5 ms"
    )
    print(
        f"  pandas mask-and-sum baseline (exposure, limit, NPS only): median "
        f"{1e3 * m_peer:.2f} ms; ratio ours/baseline {m_ours / m_peer:.2f}"
    )


def main() -> None:
    """Run both measurements and print them with their baselines."""
    _batch(1_000_000, repeats=3)
    _latency(100_000, samples=300)


if __name__ == "__main__":
    main()
