"""DataFrame faces of targeting, cross-sell, share of wallet and attrition.

Each function reads frames in the `lendcrm.frames` schema (the ``clients``,
``facilities``, ``observations`` and ``feedback`` frames of a `BookFrames` or of
`lendcrm.synthetic.generate_frames`, and the lifecycle ``signals`` frame) or a
prospects frame of the caller's (an id column and feature columns), runs the numpy
functions of `lendcrm.relationship.commercial` and returns one frame, one row per
prospect or client. Categorical outputs (products, reasons, features) are pandas
categoricals, so the relationship layer can read them as codes.

- `lookalike_frame`: the ``k`` look-alikes of each prospect, one row per match;
- `cross_sell_frame`: product gaps and the next best product per client (the input of
  a cross-sell next best action);
- `share_of_wallet_frame`: bank revenue, estimated wallet and share per client;
- `attrition_frame`: probability of leaving within 12 months, score and reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import pandas as pd

from lendcrm._dates import check_as_of
from lendcrm._validators import require_instance, require_labels
from lendcrm.errors import InvalidValueError
from lendcrm.frames import columns as col
from lendcrm.relationship.commercial._attrition import (
    ATTRITION_FACTORS,
    DEFAULT_ATTRITION,
    AttritionModel,
    attrition_indicators,
    attrition_scores,
)
from lendcrm.relationship.commercial._cross_sell import (
    PRODUCTS,
    holdings_matrix,
    peer_groups,
    product_gaps,
    size_bands,
)
from lendcrm.relationship.commercial._lookalike import LookAlikeIndex
from lendcrm.relationship.commercial._wallet import (
    DEFAULT_WALLET_TABLE,
    WalletTable,
    bank_revenue,
    facility_revenue,
    share_of_wallet,
)
from lendcrm.relationship.commercial.columns import PROSPECT_ID

__all__ = [
    "ATTRITION_PROBABILITY",
    "ATTRITION_SCORE",
    "BANK_REVENUE",
    "DISTANCE",
    "NEXT_PRODUCT",
    "NEXT_PRODUCT_PROPENSITY",
    "SHARE_OF_WALLET",
    "WALLET",
    "attrition_frame",
    "cross_sell_frame",
    "lookalike_frame",
    "share_of_wallet_frame",
]

MATCH_RANK: Final = "match_rank"
DISTANCE: Final = "distance"
NEXT_PRODUCT: Final = "next_product"
NEXT_PRODUCT_PROPENSITY: Final = "next_product_propensity"
NEXT_PRODUCT_PEER_RATE: Final = "next_product_peer_rate"
GAP_COUNT: Final = "gap_count"
PEERS: Final = "peers"
BANK_REVENUE: Final = "bank_revenue"
WALLET: Final = "wallet"
SHARE_OF_WALLET: Final = "share_of_wallet"
ATTRITION_PROBABILITY: Final = "attrition_probability"
ATTRITION_SCORE: Final = "attrition_score"
DAYS_PER_YEAR: Final = 365.25


def _require(frame: pd.DataFrame, name: str, columns: Sequence[str]) -> None:
    require_instance(frame, pd.DataFrame, name=name, what="a DataFrame")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InvalidValueError(
            field=name,
            value=f"no column {missing[0]!r}",
            expected=f"columns {list(columns)!r}",
        )


def lookalike_frame(
    prospects: pd.DataFrame,
    reference: pd.DataFrame,
    *,
    features: Sequence[str],
    k: int = 10,
    top: int | None = None,
    prospect_id: str = PROSPECT_ID,
    client_id: str = col.CLIENT_ID,
) -> pd.DataFrame:
    """The ``k`` look-alikes of each prospect among the reference clients, with reasons.

    Args:
        prospects: One row per prospect: ``prospect_id`` and the ``features``.
        reference: One row per reference client (e.g. the diamond and gold tiers):
            ``client_id`` and the ``features``.
        features: Feature columns, standardised with the reference's mean and sd.
        k: Matches per prospect.
        top: Closest features per match (``None``: three, or all if fewer).
        prospect_id: Id column of ``prospects``.
        client_id: Id column of ``reference``.

    Returns:
        One row per (prospect, match), prospects in look-alike order (most alike
        first) and matches nearest first: ``prospect_id``, ``match_rank`` (1 = the
        nearest), ``client_id``, ``distance`` and ``closest_feature_1`` ... (the
        features with the smallest standardised gaps, categoricals).

    Raises:
        InvalidValueError: a missing column, or as `LookAlikeIndex`.

    Examples:
        >>> ref = pd.DataFrame({"client_id": ["A", "B", "C"], "x": [0.0, 1.0, 4.0],
        ...     "y": [1.0, 0.0, 2.0]})
        >>> p = pd.DataFrame({"prospect_id": ["P1", "P2"], "x": [3.5, 0.9],
        ...     "y": [2.0, 0.1]})
        >>> out = lookalike_frame(p, ref, features=["x", "y"], k=1, top=1)
        >>> out[["prospect_id", "client_id", "closest_feature_1"]].values.tolist()
        [['P2', 'B', 'x'], ['P1', 'C', 'y']]
    """
    features = require_labels(features, name="features", what="feature columns")
    _require(prospects, "prospects", [prospect_id, *features])
    _require(reference, "reference", [client_id, *features])
    index = LookAlikeIndex.fit(
        {f: reference[f].to_numpy() for f in features}, names=features
    )
    found = index.query({f: prospects[f].to_numpy() for f in features}, k=k, top=top)
    order = found.ranking()
    kk, n_top = found.neighbours.shape[1], found.closest_features.shape[2]
    rows = np.repeat(order, kk)
    nbr = found.neighbours[order].ravel()
    out = pd.DataFrame(
        {
            prospect_id: prospects[prospect_id].to_numpy()[rows],
            MATCH_RANK: np.tile(np.arange(1, kk + 1), order.shape[0]),
            client_id: reference[client_id].to_numpy()[nbr],
            DISTANCE: found.distances[order].ravel(),
        }
    )
    close = found.closest_features[order].reshape(-1, n_top)
    for t in range(n_top):
        out[f"closest_feature_{t + 1}"] = pd.Categorical.from_codes(
            close[:, t], categories=pd.Index(list(features))
        )
    return out


def cross_sell_frame(
    clients: pd.DataFrame,
    facilities: pd.DataFrame,
    tiers: pd.Series,
    *,
    standard_share: float = 0.5,
    prior_weight: float = 5.0,
) -> pd.DataFrame:
    """Product gaps and the next best product of each client (cross-sell NBA input).

    Peers share the client's tier, sector and size band (`size_bands` of
    ``annual_revenue``); products are the facility ``kind`` values held.

    Args:
        clients: The clients frame (``client_id``, ``sector``, ``annual_revenue``).
        facilities: The facilities frame (``client_id``, ``kind``).
        tiers: Tier of each client, indexed by client id (e.g. a segmentation's
            labels).
        standard_share: As `product_gaps`.
        prior_weight: As `product_gaps`.

    Returns:
        One row per client, in the clients frame's order: ``client_id``, ``peers``,
        ``gap_count``, ``next_product`` (categorical of `PRODUCTS`, NaN for none),
        ``next_product_propensity`` and ``next_product_peer_rate``.

    Raises:
        InvalidValueError: a missing column, a facility of an unknown client or kind,
            a client without a tier.
    """
    _require(clients, "clients", [col.CLIENT_ID, col.SECTOR, col.ANNUAL_REVENUE])
    _require(facilities, "facilities", [col.CLIENT_ID, col.KIND])
    ids = pd.Index(clients[col.CLIENT_ID].to_numpy())
    c = ids.get_indexer(pd.Index(facilities[col.CLIENT_ID]))
    p = pd.Index(PRODUCTS).get_indexer(pd.Index(facilities[col.KIND].astype(str)))
    for codes, what in ((c, "client_id"), (p, "kind")):
        if (codes < 0).any():
            i = int(np.argmax(codes < 0))
            raise InvalidValueError(
                field=f"facilities.{what}[{i}]",
                value=facilities[what].iloc[i],
                expected="a client of the clients frame"
                if what == "client_id"
                else f"a product, one of {PRODUCTS!r}",
            )
    require_instance(
        tiers, pd.Series, name="tiers", what="a Series of tiers by client id"
    )
    tier = tiers.reindex(ids)
    if tier.isna().any():
        i = int(np.argmax(tier.isna().to_numpy()))
        raise InvalidValueError(
            field="tiers",
            value=f"no tier for {ids[i]!r}",
            expected="a tier for every client",
        )
    group = peer_groups(
        tier.astype(str).to_numpy(),
        clients[col.SECTOR].astype(str).to_numpy(),
        size_bands(clients[col.ANNUAL_REVENUE].to_numpy()),
    )
    gaps = product_gaps(
        holdings_matrix(c, p, n_clients=len(ids)),
        group,
        standard_share=standard_share,
        prior_weight=prior_weight,
    )
    rows, best = np.arange(len(ids)), np.maximum(gaps.best_product, 0)
    has = gaps.best_product >= 0
    return pd.DataFrame(
        {
            col.CLIENT_ID: ids.to_numpy(),
            PEERS: gaps.peers,
            GAP_COUNT: gaps.gap.sum(axis=1),
            NEXT_PRODUCT: pd.Categorical.from_codes(
                gaps.best_product, categories=pd.Index(PRODUCTS)
            ),
            NEXT_PRODUCT_PROPENSITY: np.where(has, gaps.propensity[rows, best], np.nan),
            NEXT_PRODUCT_PEER_RATE: np.where(has, gaps.peer_rate[rows, best], np.nan),
        }
    )


def share_of_wallet_frame(
    clients: pd.DataFrame,
    facilities: pd.DataFrame,
    *,
    table: WalletTable = DEFAULT_WALLET_TABLE,
    fx_rates: Mapping[str, float] | None = None,
    reporting_currency: str = "EUR",
) -> pd.DataFrame:
    """Bank revenue, estimated wallet and share of wallet of each client.

    Bank revenue is `facility_revenue` summed per client, the tenor being
    ``maturity_on - start_on`` in years (365.25 days). Facility revenue and client
    turnover are converted to ``reporting_currency`` with ``fx_rates`` (units of the
    reporting currency per one unit of each other currency) before they are compared.

    Returns:
        One row per client: ``client_id``, ``bank_revenue`` and ``wallet`` (in the
        reporting currency) and ``share_of_wallet``.

    Raises:
        InvalidValueError: a missing column, a facility of an unknown client, a
            currency without a rate, or as `share_of_wallet`.
    """
    need = [
        col.CLIENT_ID,
        col.CURRENCY,
        col.LIMIT,
        col.DRAWN,
        col.MARGIN_BPS,
        col.COMMITMENT_FEE_BPS,
        col.ARRANGEMENT_FEE,
        col.START_ON,
        col.MATURITY_ON,
    ]
    _require(facilities, "facilities", need)
    _require(
        clients,
        "clients",
        [col.CLIENT_ID, col.SECTOR, col.ANNUAL_REVENUE, col.CURRENCY],
    )
    ids = pd.Index(clients[col.CLIENT_ID].to_numpy())
    c = ids.get_indexer(pd.Index(facilities[col.CLIENT_ID]))
    if (c < 0).any():
        i = int(np.argmax(c < 0))
        raise InvalidValueError(
            field=f"facilities.client_id[{i}]",
            value=facilities[col.CLIENT_ID].iloc[i],
            expected="a client of the clients frame",
        )
    fac_rate = _rates(facilities[col.CURRENCY], fx_rates, reporting_currency)
    client_rate = _rates(clients[col.CURRENCY], fx_rates, reporting_currency)
    days = (facilities[col.MATURITY_ON] - facilities[col.START_ON]).dt.days.to_numpy()
    revenue = facility_revenue(
        drawn=facilities[col.DRAWN].to_numpy(),
        limit=facilities[col.LIMIT].to_numpy(),
        margin_bps=facilities[col.MARGIN_BPS].to_numpy(),
        commitment_fee_bps=facilities[col.COMMITMENT_FEE_BPS].to_numpy(),
        arrangement_fee=facilities[col.ARRANGEMENT_FEE].to_numpy(),
        tenor_years=days / DAYS_PER_YEAR,
    )
    per_client = bank_revenue(c, revenue * fac_rate, n_clients=len(ids))
    s = share_of_wallet(
        per_client,
        clients[col.ANNUAL_REVENUE].to_numpy() * client_rate,
        clients[col.SECTOR].astype(str).to_numpy(),
        table=table,
    )
    return pd.DataFrame(
        {
            col.CLIENT_ID: ids.to_numpy(),
            BANK_REVENUE: per_client,
            WALLET: s.wallet,
            SHARE_OF_WALLET: s.share,
        }
    )


def _rates(
    currencies: pd.Series, fx_rates: Mapping[str, float] | None, reporting: str
) -> np.ndarray:
    """Reporting-currency units per unit, per row."""
    table = {reporting: 1.0, **(fx_rates or {})}
    codes = currencies.astype(str)
    unknown = sorted(set(codes.unique()) - set(table))
    if unknown:
        raise InvalidValueError(
            field=f"fx_rates[{unknown[0]!r}]",
            value=None,
            expected=f"the number of {reporting} per one {unknown[0]}",
        )
    return codes.map(table).to_numpy(dtype=np.float64)


def _satisfaction(
    feedback: pd.DataFrame, ids: pd.Index, as_of: dt.date
) -> tuple[np.ndarray, np.ndarray]:
    """Mean score over the last 12 months, and its change against the 12 before."""
    _require(feedback, "feedback", [col.CLIENT_ID, col.FEEDBACK_ON, col.SCORE])
    end = pd.Timestamp(as_of)
    age = (end - feedback[col.FEEDBACK_ON]).dt.days.to_numpy()
    codes = ids.get_indexer(pd.Index(feedback[col.CLIENT_ID]))
    score = feedback[col.SCORE].to_numpy(dtype=np.float64)
    means = []
    for lo, hi in ((0, 365), (365, 730)):
        sel = (age >= lo) & (age < hi) & (codes >= 0)
        total = np.bincount(codes[sel], weights=score[sel], minlength=len(ids))
        count = np.bincount(codes[sel], minlength=len(ids))
        with np.errstate(invalid="ignore", divide="ignore"):
            means.append(np.where(count > 0, total / np.maximum(count, 1), np.nan))
    return means[0], means[0] - means[1]


def _prepaid(
    facilities: pd.DataFrame, observations: pd.DataFrame, ids: pd.Index
) -> np.ndarray:
    """Share of each client's limit of a year ago cut before maturity since then."""
    _require(observations, "observations", [col.FACILITY_ID, col.PERIOD_END, col.LIMIT])
    _require(
        facilities, "facilities", [col.FACILITY_ID, col.CLIENT_ID, col.MATURITY_ON]
    )
    obs = observations.sort_values([col.FACILITY_ID, col.PERIOD_END], kind="stable")
    g = obs.groupby(col.FACILITY_ID, sort=False, observed=True)
    first, last = g[col.LIMIT].first(), g[col.LIMIT].last()
    last_end = g[col.PERIOD_END].last()
    fac = facilities.set_index(col.FACILITY_ID).reindex(first.index)
    live = (fac[col.MATURITY_ON] > last_end).to_numpy()
    cut = np.where(live, np.maximum(first.to_numpy() - last.to_numpy(), 0.0), 0.0)
    codes = ids.get_indexer(pd.Index(fac[col.CLIENT_ID]))
    ok = codes >= 0
    cut_sum = np.bincount(codes[ok], weights=cut[ok], minlength=len(ids))
    base = np.bincount(codes[ok], weights=first.to_numpy()[ok], minlength=len(ids))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            base > 0, np.clip(cut_sum / np.maximum(base, 1e-300), 0, 1), 0.0
        )


def attrition_frame(
    signals: pd.DataFrame,
    *,
    feedback: pd.DataFrame,
    facilities: pd.DataFrame,
    observations: pd.DataFrame,
    as_of: dt.date,
    model: AttritionModel = DEFAULT_ATTRITION,
) -> pd.DataFrame:
    """Probability of leaving within 12 months, score and reasons, per client.

    Reads the lifecycle signals (``utilisation_change``, ``exposure_growth_yoy``,
    ``product_count_change``), the feedback scores (mean over the last 12 months and
    its change against the 12 before) and the facility observations (limit cut on
    facilities not yet matured over the observed year: repaid or cancelled early,
    the trace of a refinancing elsewhere).

    Returns:
        One row per client of ``signals``: ``client_id``, ``attrition_probability``,
        ``attrition_score`` and ``reason_1`` ... ``reason_3`` (categoricals of
        `ATTRITION_FACTORS`, NaN where fewer reasons).

    Raises:
        InvalidValueError: a missing column, or as `attrition_indicators`.
    """
    need = [
        col.CLIENT_ID,
        col.SIG_UTILISATION_CHANGE,
        col.SIG_EXPOSURE_GROWTH_YOY,
        col.SIG_PRODUCT_COUNT_CHANGE,
    ]
    check_as_of(as_of)
    _require(signals, "signals", need)
    ids = pd.Index(signals[col.CLIENT_ID].to_numpy())
    level, change = _satisfaction(feedback, ids, as_of)
    x = attrition_indicators(
        utilisation_change=signals[col.SIG_UTILISATION_CHANGE].to_numpy(
            dtype=np.float64
        ),
        exposure_growth=signals[col.SIG_EXPOSURE_GROWTH_YOY].to_numpy(dtype=np.float64),
        product_count_change=signals[col.SIG_PRODUCT_COUNT_CHANGE].to_numpy(
            dtype=np.float64
        ),
        satisfaction_change=change,
        satisfaction=level,
        prepaid_share=_prepaid(facilities, observations, ids),
    )
    scores = attrition_scores(x, model=model)
    out = pd.DataFrame(
        {
            col.CLIENT_ID: ids.to_numpy(),
            ATTRITION_PROBABILITY: scores.probability,
            ATTRITION_SCORE: scores.score,
        }
    )
    for t in range(scores.reasons.shape[1]):
        out[f"reason_{t + 1}"] = pd.Categorical.from_codes(
            scores.reasons[:, t], categories=pd.Index(ATTRITION_FACTORS)
        )
    return out
