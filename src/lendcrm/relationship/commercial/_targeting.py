r"""Conversion propensity: which prospects are likely to become clients.

The model is a credit scorecard turned round: the event (target 1) is *converted*
instead of *defaulted*, and it is built with the scoring tools of
`lendcrm.risk.scoring`, unchanged:

1. each feature is binned on the fitting part (`fit_binning_set`: optimal binning with
   a monotone or shaped trend, categorical levels grouped);
2. each bin gets its weight of evidence $\mathrm{WoE} = \ln(\text{share of
   non-converted} / \text{share of converted})$;
3. a logistic regression on the WoE columns (`fit_logistic`) gives
   $\Pr(\text{convert}) = 1/(1 + e^{-(b_0 + \sum_j b_j \mathrm{WoE}_j)})$;
4. it is validated on a held-out part (stratified: the same conversion rate in both
   parts) with the AUC and the KS statistic (`auc`, `ks`).

A feature that does not vary among the past prospects carries no information and is
refused by name (a constant column cannot be binned into more than one bin, and its
WoE would duplicate the intercept).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, check_same_length
from lendcrm._collections import require_mapping
from lendcrm._validators import require_int
from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import (
    BinningConfig,
    BinningSet,
    LogisticModel,
    as_binary_target,
    auc,
    fit_binning_set,
    fit_logistic,
    ks,
)

__all__ = ["ConversionModel", "fit_conversion"]

#: Binning used unless told: at most five bins of at least 5 % of the prospects.
CONVERSION_BINNING: Final = BinningConfig(max_bins=5, min_bin_share=0.05)


@attrs.frozen(kw_only=True)
class ConversionModel:
    """A fitted conversion-propensity model and its validation figures.

    Attributes:
        binnings: The binning (and WoE) of each feature the model uses.
        logistic: The logistic regression on the WoE columns.
        validation_auc: AUC on the held-out prospects (0.5 is random ranking).
        validation_ks: KS statistic on the held-out prospects.
        n_fit: Prospects the model was fitted on.
        n_validation: Prospects it was validated on.
    """

    binnings: BinningSet
    logistic: LogisticModel
    validation_auc: float
    validation_ks: float
    n_fit: int
    n_validation: int

    @property
    def names(self) -> tuple[str, ...]:
        """The features the model reads."""
        return self.logistic.names

    def predict(self, features: Mapping[str, npt.ArrayLike]) -> FloatArray:
        """Probability that each prospect converts, shape ``(n,)``.

        Raises:
            ModelMismatchError: a feature the model reads is missing.
            InvalidValueError: as `lendcrm.risk.scoring.BinningSet.transform`.
        """
        woe = self.binnings.transform(
            {n: features[n] for n in self.names if n in features}
        )
        return self.logistic.predict_proba(woe)


def _check_varies(name: str, values: npt.ArrayLike) -> None:
    arr = np.asarray(values)
    seen = arr[~_missing(arr)]
    if np.unique(seen).size < 2:  # noqa: PLR2004 - two distinct values
        shown = "no values" if seen.size == 0 else f"every value {seen[0]!r}"
        raise InvalidValueError(
            field=f"features[{name!r}]",
            value=shown,
            expected="a feature that varies across the past prospects (at least two "
            "distinct values)",
            hint="A constant feature carries no information: drop it.",
        )


def _missing(arr: npt.NDArray[np.generic]) -> npt.NDArray[np.bool_]:
    if arr.dtype.kind == "f":
        return np.asarray(np.isnan(arr), dtype=np.bool_)
    if arr.dtype.kind == "O":
        flags = [v is None or (isinstance(v, float) and np.isnan(v)) for v in arr]
        return np.asarray(flags, dtype=np.bool_)
    return np.zeros(arr.shape, dtype=bool)


def _split(y: FloatArray, share: float, seed: int) -> npt.NDArray[np.bool_]:
    """A stratified holdout mask: ``share`` of each class, drawn with ``seed``."""
    if not 0.0 < share < 1.0:
        raise InvalidValueError(
            field="validation_share", value=share, expected="a fraction in (0, 1)"
        )
    rng = np.random.default_rng(seed)
    mask = np.zeros(y.shape[0], dtype=bool)
    for cls in (0.0, 1.0):
        rows = np.flatnonzero(y == cls)
        take = round(share * rows.size)
        if take in {0, rows.size}:
            raise InvalidValueError(
                field="converted",
                value=f"{rows.size} prospects with converted={int(cls)}",
                expected=f"enough of each class to hold out {share:g} of them and "
                "fit on the rest (at least one in each part)",
            )
        mask[rng.choice(rows, size=take, replace=False)] = True
    return mask


def fit_conversion(
    features: Mapping[str, npt.ArrayLike],
    converted: npt.ArrayLike,
    *,
    categorical: Collection[str] = (),
    validation: npt.ArrayLike | None = None,
    validation_share: float = 0.3,
    seed: int = 0,
    config: BinningConfig = CONVERSION_BINNING,
    l2: float = 0.0,
) -> ConversionModel:
    """Fit conversion propensity on past prospects and validate it on a holdout.

    Args:
        features: Column name to values for each past prospect (numbers, or labels for
            the ``categorical`` columns), each shape ``(n,)``.
        converted: 1 if the prospect became a client, 0 if not, shape ``(n,)``.
        categorical: Names of the categorical columns.
        validation: Boolean holdout mask ``(n,)``; ``None`` draws a stratified one.
        validation_share: Share of each class held out when ``validation`` is None.
        seed: Seed of that draw.
        config: Binning configuration (`lendcrm.risk.scoring.BinningConfig`).
        l2: Ridge penalty of the logistic regression, >= 0.

    Returns:
        The fitted `ConversionModel` (features whose WoE is constant on the fitting
        part are left out of the logistic model and so out of ``names``).

    Raises:
        InvalidValueError: a feature that does not vary (named), columns of different
            lengths, a target that is not 0/1 or has one class, a holdout without both
            classes, or as the scoring tools.

    Examples:
        >>> rng = np.random.default_rng(1)
        >>> size = rng.lognormal(3.0, 1.0, 600)
        >>> converted = (rng.random(600) < 1 / (1 + np.exp(3.0 - size / 20))).astype(int)
        >>> model = fit_conversion({"size": size}, converted, seed=2)
        >>> model.names, model.validation_auc > 0.7
        (('size',), True)
    """
    require_mapping(features, name="features", what="a mapping of name to column")
    if not features:
        raise InvalidValueError(
            field="features", value={}, expected="at least one feature column"
        )
    columns = {name: np.atleast_1d(np.asarray(v)) for name, v in features.items()}
    require_int(seed, name="seed", lower=0)
    y = as_binary_target(converted, name="converted")
    check_same_length(
        converted=y, **{f"features[{n!r}]": v for n, v in columns.items()}
    )
    for name, values in columns.items():
        _check_varies(name, values)
    if validation is None:
        hold = _split(y, validation_share, seed)
    else:
        hold = np.asarray(validation, dtype=bool)
        check_same_length(converted=y, validation=hold)
    fit_rows = ~hold
    as_binary_target(y[hold], name="converted[validation]")
    bins = fit_binning_set(
        {n: v[fit_rows] for n, v in columns.items()},
        y[fit_rows],
        categorical=categorical,
        config=config,
    )
    woe = bins.transform({n: v[fit_rows] for n, v in columns.items()})
    logistic = fit_logistic(
        woe, y[fit_rows], names=bins.names, l2=l2, drop_collinear=True
    )
    used = bins.select(logistic.names)
    held = used.transform({n: columns[n][hold] for n in logistic.names})
    p = logistic.predict_proba(held)
    return ConversionModel(
        binnings=used,
        logistic=logistic,
        validation_auc=auc(y[hold], p),
        validation_ks=ks(y[hold], p),
        n_fit=int(fit_rows.sum()),
        n_validation=int(hold.sum()),
    )
