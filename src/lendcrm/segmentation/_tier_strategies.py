"""Strategies that tier on one value measure: `ParetoABC`, `QuantileTiers`, `ThresholdTiers`."""

from __future__ import annotations

import attrs
import numpy as np

from lendcrm._validators import non_empty_str, require_instance
from lendcrm.segmentation._features import ClientFeatures, Measure
from lendcrm.segmentation._numeric import (
    codes_by_cutoffs,
    cutoffs_by_shares,
)
from lendcrm.segmentation._protocol import Segmentation
from lendcrm.segmentation._strategy_base import (
    N_TIERS,
    check_descending,
    check_shares,
    cutoffs_tuple,
    cuts_tuple,
    measure_of,
    require_clients,
    tiered,
    top_shares_tuple,
)

# --- Pareto / ABC ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ParetoABC:
    """A/B/C classes by cumulative share of a value, largest clients first.

    Clients are sorted by the measure, largest first. A client is in class A when
    the clients *before* it hold less than ``cuts[0]`` of the total (so the client
    that crosses 80 % is still A), in B when they hold less than ``cuts[1]``, and in
    C otherwise. Negative values (possible for profit) count as zero and are C.
    Tied values get the class of the first of them, so equal clients share a class.
    If every value is zero, every client is C. O(n log n).

    Attributes:
        measure: The value measure (`Measure`).
        cuts: Cumulative shares closing A and B, increasing in (0, 1].
        name: Registry name.

    Examples:
        >>> from lendcrm.segmentation import ClientFeatures
        >>> f = ClientFeatures(client_ids=list("abcde"),
        ...     revenue=[50.0, 30.0, 10.0, 6.0, 4.0], profit=[0.0] * 5,
        ...     tenure_years=[1] * 5, product_count=[1] * 5, referral_count=[0] * 5)
        >>> ParetoABC().assign(f).labels.tolist()
        ['A', 'A', 'B', 'B', 'C']
    """

    measure: Measure = attrs.field(default=Measure.REVENUE, converter=measure_of)
    cuts: tuple[float, ...] = attrs.field(default=(0.80, 0.95), converter=cuts_tuple)
    name: str = attrs.field(default="pareto_abc", validator=non_empty_str)

    def __attrs_post_init__(self) -> None:
        """Check the cuts."""
        check_shares("cuts", self.cuts, 2)

    def assign(self, features: ClientFeatures) -> Segmentation:
        """Classify every client A, B or C."""
        require_instance(
            features, ClientFeatures, name="features", what="a ClientFeatures"
        )
        values = features.measure(self.measure)
        clipped = np.maximum(values, 0.0)
        total = float(clipped.sum())
        n = len(clipped)
        if total == 0.0:
            codes = np.full(n, 2, dtype=np.int64)
        else:
            order = np.argsort(-clipped, kind="stable")
            ordered = clipped[order]
            before = np.empty(n, dtype=np.float64)
            before[0] = 0.0
            np.cumsum(ordered[:-1], out=before[1:])
            before /= total
            first = np.empty(n, dtype=np.bool_)
            first[:1] = True
            np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
            group_start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
            # class = how many cuts the share held by larger clients has reached
            sorted_codes = np.searchsorted(
                np.asarray(self.cuts), before[group_start], side="right"
            ).astype(np.int64)
            sorted_codes[ordered == 0.0] = 2
            codes = np.empty(n, dtype=np.int64)
            codes[order] = sorted_codes
        return Segmentation(
            strategy=self.name,
            client_ids=features.client_ids,
            codes=codes,
            levels=("A", "B", "C"),
            score=values,
            params=(("cuts", self.cuts), ("measure", self.measure.value)),
        )


# --- quantile and threshold tiers -----------------------------------------------------


@attrs.frozen(kw_only=True)
class QuantileTiers:
    """The four tiers by quantiles of a value: top 5 % diamond, next to 20 % gold, ...

    ``top_shares`` are cumulative: with the default, the largest 5 % of clients are
    diamond, the next 15 % gold, the next 30 % silver and the rest basic. The
    threshold of tier ``k`` is the ``ceil(top_shares[k] * n)``-th largest value and a
    client reaches the tier when its value is at least the threshold, so **tied values
    always share a tier** and a tie straddling a boundary makes the upper tier larger
    than its share (see the explanation page). O(n) via ``np.partition``.

    Attributes:
        measure: The value measure (`Measure`).
        top_shares: Cumulative shares of clients closing diamond, gold and silver,
            increasing in (0, 1].
        name: Registry name.

    Raises:
        InvalidValueError: fewer clients than tiers (4), when assigning.

    Examples:
        >>> from lendcrm.segmentation import ClientFeatures
        >>> f = ClientFeatures(client_ids=list("abcdefghij"),
        ...     revenue=[100.0, 90, 80, 70, 60, 50, 40, 30, 20, 10], profit=[0.0] * 10,
        ...     tenure_years=[1] * 10, product_count=[1] * 10, referral_count=[0] * 10)
        >>> QuantileTiers(top_shares=(0.1, 0.3, 0.6)).assign(f).counts().tolist()
        [1, 2, 3, 4]
    """

    measure: Measure = attrs.field(default=Measure.REVENUE, converter=measure_of)
    top_shares: tuple[float, ...] = attrs.field(
        default=(0.05, 0.20, 0.50), converter=top_shares_tuple
    )
    name: str = attrs.field(default="quantile_tiers", validator=non_empty_str)

    def __attrs_post_init__(self) -> None:
        """Check the shares."""
        check_shares("top_shares", self.top_shares, N_TIERS - 1)

    def assign(self, features: ClientFeatures) -> Segmentation:
        """Tier every client by the quantiles of the measure."""
        require_instance(
            features, ClientFeatures, name="features", what="a ClientFeatures"
        )
        require_clients(features, N_TIERS, "for 4 quantile tiers")
        values = features.measure(self.measure)
        cutoffs = cutoffs_by_shares(values, self.top_shares)
        codes = codes_by_cutoffs(values, tuple(float(c) for c in cutoffs))
        return tiered(
            self,
            self.name,
            features=features,
            codes=codes,
            score=values,
            cutoffs=tuple(float(c) for c in cutoffs),
        )


@attrs.frozen(kw_only=True)
class ThresholdTiers:
    """The four tiers by explicit cut-offs of a value.

    ``value >= cutoffs[0]`` is diamond, ``>= cutoffs[1]`` gold, ``>= cutoffs[2]``
    silver, below is basic. Cut-offs are in the unit of the measure (the reporting
    currency), strictly descending. O(n).

    Attributes:
        cutoffs: Lowest value of diamond, gold and silver, strictly descending.
        measure: The value measure (`Measure`).
        name: Registry name.

    Examples:
        >>> from lendcrm.segmentation import ClientFeatures
        >>> f = ClientFeatures(client_ids=list("abcd"), revenue=[1e6, 2e5, 5e4, 10.0],
        ...     profit=[0.0] * 4, tenure_years=[1] * 4, product_count=[1] * 4,
        ...     referral_count=[0] * 4)
        >>> ThresholdTiers(cutoffs=(5e5, 1e5, 2e4)).assign(f).labels.tolist()
        ['diamond', 'gold', 'silver', 'basic']
    """

    cutoffs: tuple[float, ...] = attrs.field(converter=cutoffs_tuple)
    measure: Measure = attrs.field(default=Measure.REVENUE, converter=measure_of)
    name: str = attrs.field(default="threshold_tiers", validator=non_empty_str)

    def __attrs_post_init__(self) -> None:
        """Check the cut-offs."""
        check_descending("cutoffs", self.cutoffs, N_TIERS - 1)

    def assign(self, features: ClientFeatures) -> Segmentation:
        """Tier every client by the cut-offs."""
        require_instance(
            features, ClientFeatures, name="features", what="a ClientFeatures"
        )
        values = features.measure(self.measure)
        codes = codes_by_cutoffs(values, self.cutoffs)
        return tiered(
            self,
            self.name,
            features=features,
            codes=codes,
            score=values,
            cutoffs=self.cutoffs,
        )
