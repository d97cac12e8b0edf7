"""The step both faces share: facts → early warnings → next best actions.

`client_view` (entities) and `relationship_frame` (frames) each gather the same
per-client facts their own way and hand them here, so everything after the
gathering is one code path.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Final, cast

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray
from lendcrm._dates import DAYS_PER_YEAR
from lendcrm.errors import InvalidValueError, ModelMismatchError
from lendcrm.frames import columns as schema
from lendcrm.relationship._actions import NextBestActions, next_best_actions
from lendcrm.relationship._card_score import card_score
from lendcrm.relationship._early_warning import EarlyWarnings, early_warnings
from lendcrm.relationship._facts import ClientFacts, StrArray, build_facts
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._pricing import RelationshipPrices
from lendcrm.segmentation import ClientFeatures, Measure

#: Facility statuses that count as live exposure.
LIVE_STATUSES: Final = frozenset(
    {"approved", "active", "watchlist", "non_performing", "restructured"}
)
#: Days in a year, for tenure in years (as `lendcrm.segmentation` counts it).
#: Days in an average month (365.25 / 12).
DAYS_PER_MONTH: Final = 30.4375

#: The signals (history facts the book does not hold) the composition reads, the
#: `ClientFacts` field each feeds and its value without signals.
SIGNAL_FACTS: Final[Mapping[str, tuple[str, float]]] = {
    schema.SIG_RATING_NOTCHES_MOVED: ("rating_notches_moved", 0.0),
    schema.SIG_UTILISATION_CHANGE: ("utilisation_change", 0.0),
    schema.SIG_DAYS_PAST_DUE: ("days_past_due", 0.0),
    schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: ("months_since_first_drawdown", np.nan),
}


@attrs.frozen(kw_only=True, eq=False)
class Assessed:
    """Facts with their early warnings and actions filled in."""

    facts: ClientFacts
    warnings: EarlyWarnings
    actions: NextBestActions


def warn(
    *, client_ids: npt.ArrayLike, models: RelationshipModels, **facts: object
) -> tuple[ClientFacts, EarlyWarnings]:
    """Validate the facts and raise the early warnings (step 1 of 2)."""
    base = build_facts(client_ids, facts, check_unique=False)  # type: ignore[arg-type]
    warnings = early_warnings(base, policy=models.early_warning)
    return base.with_early_warnings(warnings), warnings


def act(
    facts: ClientFacts,
    warnings: EarlyWarnings,
    *,
    stage: npt.NDArray[np.str_] | npt.NDArray[np.object_],
    tier: npt.NDArray[np.str_] | npt.NDArray[np.object_],
    models: RelationshipModels,
) -> Assessed:
    """Add stage and tier to the facts and rank the actions (step 2 of 2).

    Stage and tier come between the two steps because they read the early
    warnings: the watchlist flag feeds the lifecycle's decline rules and the
    segmentation risk overlay.
    """
    # the batch face passes the labels as Python strings (an object array, one
    # pointer per row, from its categoricals): the rules compare them as text
    full = attrs.evolve(
        facts, stage=cast("StrArray", stage), tier=cast("StrArray", tier)
    )
    return Assessed(
        facts=full,
        warnings=warnings,
        actions=next_best_actions(full, rules=models.actions),
    )


def signal_value(
    signals: Mapping[str, object] | None, name: str, default: float
) -> float:
    """One signal of a one-client mapping, as float (``default`` when absent)."""
    if signals is None:
        return default
    if name not in signals:
        raise InvalidValueError(
            field=f"signals[{name!r}]",
            value=None,
            expected="a value (the signals must hold every SIG_* column used)",
        )
    return float(signals[name])  # type: ignore[arg-type]


def next_review(
    onboarded: npt.NDArray[np.datetime64], as_of: np.datetime64
) -> npt.NDArray[np.float64]:
    """Days from ``as_of`` to the next anniversary of each onboarding date (0-365).

    The anniversary of 29 February is 1 March in other years. A million dates span
    a few thousand days: each day of their span is worked out once (the calendar
    arithmetic) and the dates read their day's answer from that table.
    """
    d = onboarded.astype("datetime64[D]")
    days = d.view(np.int64)
    if len(days):
        lo, hi = int(days.min()), int(days.max())  # NaT is the least int64
        if hi - lo < max(len(days), 1):
            span = np.arange(lo, hi + 1, dtype=np.int64).view("datetime64[D]")
            return _next_review(span, as_of)[days - lo]
    return _next_review(d, as_of)


def _next_review(
    d: npt.NDArray[np.datetime64], as_of: np.datetime64
) -> npt.NDArray[np.float64]:
    month = d.astype("datetime64[M]")
    offset = d - month.astype("datetime64[D]")
    year_of = as_of.astype("datetime64[Y]").astype(np.int64)
    years = year_of - month.astype("datetime64[Y]").astype(np.int64)
    this_year = (month + 12 * years).astype("datetime64[D]") + offset
    nxt = np.where(
        this_year < as_of,
        (month + 12 * (years + 1)).astype("datetime64[D]") + offset,
        this_year,
    )
    out: npt.NDArray[np.float64] = (nxt - as_of).astype(np.int64).astype(np.float64)
    return out


def score_and_grade(
    columns: Mapping[str, npt.NDArray[np.generic]],
    stored_pd: npt.NDArray[np.float64],
    models: RelationshipModels,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.str_]]:
    """Score (points), scored PD and master-scale grade of each client.

    Args:
        columns: The clients' raw values by column name (at least the scorecard's
            characteristics).
        stored_pd: The PD stored on each client (NaN: unknown).
        models: The scorecard and master scale.

    Raises:
        ModelMismatchError: a characteristic of the scorecard is not among
            ``columns``.
    """
    score, scored, codes, levels = score_and_grade_codes(columns, stored_pd, models)
    return score, scored, np.asarray(levels, dtype=str)[codes]


def score_and_grade_codes(
    columns: Mapping[str, object],
    stored_pd: npt.NDArray[np.float64],
    models: RelationshipModels,
) -> tuple[FloatArray, FloatArray, npt.NDArray[np.int64], tuple[str, ...]]:
    """`score_and_grade` with the grades as codes into levels (the batch face).

    Returns:
        Score, scored PD, and each client's position in the levels: the master
        scale's grades, then ``""`` (no grade).
    """
    n = len(stored_pd)
    score = np.full(n, np.nan)
    scored = np.full(n, np.nan)
    card = models.scorecard
    if card is not None:
        missing = [name for name in card.names if name not in columns]
        if missing:
            raise ModelMismatchError(model="scorecard", missing=missing)
        features = {name: columns[name] for name in card.names}
        score = card_score(card, features)
        scored = card.scale.pd_of_score(score)
    scale = models.master_scale
    levels: tuple[str, ...] = ("",) if scale is None else (*scale.grades, "")
    codes = np.full(n, len(levels) - 1, dtype=np.int64)
    if scale is not None:
        basis = scored if card is not None else stored_pd
        ok = np.isfinite(basis) & (basis > 0) & (basis < 1)
        if ok.any():
            codes[ok] = scale.grade_index(basis[ok])
    return score, scored, codes, levels


def rating_numbers(
    grades: npt.NDArray[np.str_], models: RelationshipModels
) -> npt.NDArray[np.float64]:
    """Numeric rating grades for the risk overlay (1 = best, 0 = unrated).

    Text grades are read through the master scale's labels (position + 1); without
    a master scale they must be numbers written as text ("1" ... "10").

    Raises:
        InvalidValueError: a grade that is neither on the master scale nor a number.
    """
    out = np.zeros(len(grades), dtype=np.float64)
    rated = grades != ""
    if not rated.any():
        return out
    if models.master_scale is not None:
        labels = np.asarray(models.master_scale.grades, dtype=str)
        order = np.argsort(labels)
        pos = np.searchsorted(labels[order], grades[rated]).clip(0, len(labels) - 1)
        found = labels[order][pos] == grades[rated]
        if not found.all():
            i = int(np.flatnonzero(rated)[np.argmin(found)])
            raise InvalidValueError(
                field=f"rating_grade[{i}]",
                value=str(grades[i]),
                expected="a grade of the master scale ("
                + ", ".join(models.master_scale.grades)
                + ")",
            )
        out[rated] = order[pos] + 1.0
        return out
    try:
        out[rated] = grades[rated].astype(np.float64)
    except ValueError:
        i = int(np.flatnonzero(rated)[0])
        raise InvalidValueError(
            field="rating_grade",
            value=str(grades[i]),
            expected="numeric grades, or a master scale in the models to read text "
            "grades",
        ) from None
    return out


def tiers(
    *,
    client_ids: npt.NDArray[np.str_],
    revenue: npt.NDArray[np.float64],
    profit: npt.NDArray[np.float64],
    tenure_days: npt.NDArray[np.float64],
    product_count: npt.NDArray[np.float64],
    referral_count: npt.NDArray[np.float64],
    transaction_count: npt.NDArray[np.float64],
    recency_days: npt.NDArray[np.float64],
    referral_amount: npt.NDArray[np.float64] | None,
    rating: npt.NDArray[np.float64],
    on_watchlist: npt.NDArray[np.bool_],
    early_warning: npt.NDArray[np.bool_],
    expected_loss: npt.NDArray[np.float64] | None,
    capital_cost: npt.NDArray[np.float64] | None,
    models: RelationshipModels,
) -> tuple[npt.NDArray[np.str_], npt.NDArray[np.float64]]:
    """Tier after the risk overlay and value score of measured clients (numpy face).

    Every array holds the measured clients only; amounts in the reporting currency.
    The features are those `lendcrm.segmentation.frames.features_from_frame` builds
    (tenure in years of 365.25 days, recency in days).
    """
    codes, levels, score = tier_codes(
        client_ids=client_ids,
        revenue=revenue,
        profit=profit,
        tenure_days=tenure_days,
        product_count=product_count,
        referral_count=referral_count,
        transaction_count=transaction_count,
        recency_days=recency_days,
        referral_amount=referral_amount,
        rating=rating,
        on_watchlist=on_watchlist,
        early_warning=early_warning,
        expected_loss=expected_loss,
        capital_cost=capital_cost,
        models=models,
    )
    return np.asarray(levels, dtype=str)[codes], score


def tier_codes(
    *,
    client_ids: npt.NDArray[np.str_] | npt.NDArray[np.object_],
    revenue: npt.NDArray[np.float64],
    profit: npt.NDArray[np.float64],
    tenure_days: npt.NDArray[np.float64],
    product_count: npt.NDArray[np.float64],
    referral_count: npt.NDArray[np.float64],
    transaction_count: npt.NDArray[np.float64],
    recency_days: npt.NDArray[np.float64],
    referral_amount: npt.NDArray[np.float64] | None,
    rating: npt.NDArray[np.float64],
    on_watchlist: npt.NDArray[np.bool_],
    early_warning: npt.NDArray[np.bool_],
    expected_loss: npt.NDArray[np.float64] | None,
    capital_cost: npt.NDArray[np.float64] | None,
    models: RelationshipModels,
) -> tuple[npt.NDArray[np.int64], tuple[str, ...], npt.NDArray[np.float64]]:
    """`tiers` as codes into the tiering's levels (the batch face).

    Returns:
        Each client's position in the levels, the levels (best first), the score.
    """
    tiering = models.tiering
    if tiering is None or len(client_ids) == 0:
        n = len(client_ids)
        return np.zeros(n, dtype=np.int64), ("",), np.full(n, np.nan)
    features = ClientFeatures(
        client_ids=client_ids,
        revenue=revenue,
        profit=profit,
        tenure_years=tenure_days / DAYS_PER_YEAR,
        product_count=product_count,
        referral_count=referral_count,
        referral_amount=referral_amount,
        transaction_count=transaction_count,
        recency_days=recency_days,
        rating_grade=rating if models.overlay is not None else None,
        on_watchlist=on_watchlist,
        early_warning=early_warning,
        expected_loss=expected_loss,
        capital_cost=capital_cost,
    )
    segmentation = tiering.assign(features)
    if models.overlay is not None:
        segmentation = models.overlay.apply(segmentation, features)
    score = segmentation.score
    return (
        np.asarray(segmentation.codes, dtype=np.int64),
        tuple(segmentation.levels),
        np.full(len(client_ids), np.nan) if score is None else score,
    )


def tier_mismatch(models: RelationshipModels, columns: Collection[str]) -> None:
    """Refuse a tiering whose measure needs inputs the data or models lack.

    Raises:
        ModelMismatchError: names the missing inputs.
    """
    tiering = models.tiering
    if tiering is None:
        return
    missing: list[str] = []
    if tiering.measure is Measure.REFERRAL_AMOUNT and schema.REFERRAL_AMOUNT not in (
        columns
    ):
        missing.append(schema.REFERRAL_AMOUNT)
    if tiering.measure is Measure.RISK_ADJUSTED_VALUE and models.pricing is None:
        missing += ["expected_loss", "capital_cost"]
    if missing:
        raise ModelMismatchError(model="tiering", missing=missing)


def costs(
    prices: RelationshipPrices, models: RelationshipModels
) -> tuple[FloatArray | None, FloatArray | None]:
    """Expected loss and cost of capital per client, when pricing is configured."""
    if models.pricing is None:
        return None, None
    charge = models.pricing.hurdle_rate - models.pricing.risk_free_rate
    return prices.expected_loss, prices.capital * charge
