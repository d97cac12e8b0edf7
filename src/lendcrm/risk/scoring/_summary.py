"""One line per binned variable: IV, bins, shape, missing share and quality flags.

The summary a model-validation pack opens with. WoE = ln(share of goods / share of
bads); the event is a **bad** (target 1).
"""

from __future__ import annotations

from enum import StrEnum

import attrs
import numpy as np

from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring._binning import BinningSet
from lendcrm.risk.scoring._binning_config import VariableKind
from lendcrm.risk.scoring._binning_dp import Trend
from lendcrm.risk.scoring._metrics import IVStrength, iv_strength

__all__ = ["BinningSummaryRow", "QualityFlag", "binning_summary"]


class QualityFlag(StrEnum):
    """A reason to look at a binned variable again before it enters a model.

    `UNPREDICTIVE`: IV below `min_iv` (Siddiqi's 0.02). `SUSPICIOUS`: IV above `max_iv`
    (0.5; check for leakage of the outcome). `ONE_BIN`: the ordinary values form a
    single bin, so the variable only separates missing and special values.
    `HIGH_MISSING`: the missing bin holds more than `max_missing_share` of the weight.
    `SMOOTHED`: a missing or special bin holds rows but too few goods or bads, so its
    WoE was shrunk towards 0 (an empty bin's WoE of 0 is not flagged).

    Examples:
        >>> QualityFlag("suspicious") is QualityFlag.SUSPICIOUS
        True
    """

    UNPREDICTIVE = "unpredictive"
    SUSPICIOUS = "suspicious"
    ONE_BIN = "one_bin"
    HIGH_MISSING = "high_missing"
    SMOOTHED = "smoothed"


@attrs.frozen(kw_only=True)
class BinningSummaryRow:
    """The summary of one binned variable.

    Attributes:
        name: The variable's name.
        kind: Numeric or categorical.
        iv: Information value, all bins included.
        strength: The IV's band (`iv_strength`).
        bins: Regular (non-missing, non-special) bins.
        shape: Shape of the event rate over the regular bins (`Trend`).
        shape_reason: Why that shape (`TrendChoice.reason`).
        missing_share: Share of the weight in the missing bin.
        special_share: Share of the weight in the special-value bins.
        smallest_bin_share: Share of the weight in the smallest regular bin.
        flags: The quality flags raised, in `QualityFlag` order.
    """

    name: str
    kind: VariableKind
    iv: float
    strength: IVStrength
    bins: int
    shape: Trend
    shape_reason: str
    missing_share: float
    special_share: float
    smallest_bin_share: float
    flags: tuple[QualityFlag, ...]


def binning_summary(
    binnings: BinningSet,
    *,
    min_iv: float = 0.02,
    max_iv: float = 0.5,
    max_missing_share: float = 0.2,
) -> tuple[BinningSummaryRow, ...]:
    """Summarise every binned variable: IV, bins, shape, missing share, quality flags.

    Args:
        binnings: The fitted binnings.
        min_iv: Below this IV a variable is flagged `UNPREDICTIVE`.
        max_iv: Above this IV a variable is flagged `SUSPICIOUS`.
        max_missing_share: Above this share of missing weight, `HIGH_MISSING`.

    Returns:
        One `BinningSummaryRow` per variable, in the set's order.

    Raises:
        InvalidValueError: a threshold is negative, or `max_iv < min_iv`, or
            `max_missing_share` is not in [0, 1].

    Examples:
        >>> import numpy as np
        >>> from lendcrm.risk.scoring import fit_binning_set
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=5_000)
        >>> y = (rng.random(5_000) < 1 / (1 + np.exp(2 + 0.5 * x))).astype(int)
        >>> noise = np.where(rng.random(5_000) < 0.3, np.nan, rng.normal(size=5_000))
        >>> s = fit_binning_set({"x": x, "noise": noise}, y)
        >>> [(r.name, r.shape.value, r.strength.value, [f.value for f in r.flags])
        ...  for r in binning_summary(s)]
        [('x', 'descending', 'medium', []), ('noise', 'ascending', 'unpredictive', ['unpredictive', 'high_missing'])]
    """
    require_instance(binnings, BinningSet, name="binnings", what="a BinningSet")
    if not 0 <= min_iv <= max_iv:
        raise InvalidValueError(
            field="max_iv", value=max_iv, expected=f"at least min_iv ({min_iv:g}) >= 0"
        )
    if not 0 <= max_missing_share <= 1:
        raise InvalidValueError(
            field="max_missing_share",
            value=max_missing_share,
            expected="a share in [0, 1]",
        )
    rows = []
    for b in binnings:
        n = np.asarray(b.goods) + np.asarray(b.bads)
        share = n / n.sum()
        k = b.n_regular
        iv = b.iv
        flags = {
            QualityFlag.UNPREDICTIVE: iv < min_iv,
            QualityFlag.SUSPICIOUS: iv > max_iv,
            QualityFlag.ONE_BIN: k == 1,
            QualityFlag.HIGH_MISSING: share[k] > max_missing_share,
            QualityFlag.SMOOTHED: any(
                s and c > 0 for s, c in zip(b.smoothed[k:], n[k:], strict=True)
            ),
        }
        rows.append(
            BinningSummaryRow(
                name=b.name,
                kind=b.kind,
                iv=iv,
                strength=iv_strength(iv),
                bins=k,
                shape=b.trend,
                shape_reason=b.trend_choice.reason,
                missing_share=float(share[k]),
                special_share=float(share[k + 1 :].sum()),
                smallest_bin_share=float(share[:k].min()),
                flags=tuple(f for f, raised in flags.items() if raised),
            )
        )
    return tuple(rows)
