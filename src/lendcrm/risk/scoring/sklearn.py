"""scikit-learn adapters: WoE binning and a scorecard as estimators for a `Pipeline`.

scikit-learn is an optional extra, not a runtime dependency of lendcrm: install it with
`pip install 'lendcrm[sklearn]'`. Importing this module without it raises an
`ImportError` that says so. WoE convention: `ln(share of goods / share of bads)`.

Examples:
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import Pipeline
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(2_000, 2))
    >>> y = (rng.random(2_000) < 1 / (1 + np.exp(2 - X[:, 0]))).astype(int)
    >>> pipe = Pipeline([("woe", WoETransformer()), ("lr", LogisticRegression())])
    >>> pipe.fit(X, y).predict_proba(X[:2]).shape
    (2, 2)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

import numpy as np
import numpy.typing as npt
import pandas as pd

try:
    from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    msg = (
        "lendcrm.risk.scoring.sklearn needs scikit-learn, an optional extra: "
        "pip install 'lendcrm[sklearn]'"
    )
    raise ImportError(msg) from exc

from lendcrm._arrays import FloatArray
from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring._binning import BinningSet
from lendcrm.risk.scoring._binning_config import DEFAULT_BINNING, BinningConfig
from lendcrm.risk.scoring._logistic import LogisticModel, fit_logistic, select_by_iv
from lendcrm.risk.scoring._scorecard import (
    STANDARD_SCALE,
    Scorecard,
    ScoreScale,
    build_scorecard,
)
from lendcrm.risk.scoring.frames import fit_binning_frame, woe_frame

__all__ = ["ScorecardClassifier", "WoETransformer"]

_TARGET = "__lendcrm_target__"


def _as_frame(x: object, names: Sequence[str] | None = None) -> pd.DataFrame:
    if isinstance(x, pd.DataFrame):
        return x.rename(columns=str)
    arr = np.asarray(x, dtype=object)
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    cols = list(names) if names is not None else [f"x{j}" for j in range(arr.shape[1])]
    frame = pd.DataFrame(arr, columns=cols)
    for c in cols:  # numeric columns back to float64 where they are numbers
        converted = pd.to_numeric(frame[c], errors="coerce")
        if converted.notna().sum() == frame[c].notna().sum():
            frame[c] = converted.astype(np.float64)
    return frame


class WoETransformer(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Optimal binning then WoE, as a scikit-learn transformer.

    Args:
        categorical: Names of categorical columns (for arrays: `x0`, `x1`, ...).
        config: Binning configuration for every column.
        min_iv: Keep only the columns whose information value is at least this
            (`select_by_iv`; 0.02 is Siddiqi's floor); `None` keeps every column.
        max_iv: Also drop columns above this IV (e.g. 0.5, suspiciously strong).

    Attributes:
        binnings_: The fitted `BinningSet` of the kept columns, in input order.
        ivs_: Information value of every input column.
        feature_names_in_: Column names seen at fit.

    Examples:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> X = rng.normal(size=(3_000, 2))
        >>> y = (rng.random(3_000) < 1 / (1 + np.exp(2 - X[:, 0]))).astype(int)
        >>> WoETransformer(min_iv=0.02).fit(X, y).get_feature_names_out().tolist()
        ['x0']
    """

    def __init__(
        self,
        *,
        categorical: Sequence[str] = (),
        config: BinningConfig = DEFAULT_BINNING,
        min_iv: float | None = None,
        max_iv: float | None = None,
    ) -> None:
        self.categorical = categorical
        self.config = config
        self.min_iv = min_iv
        self.max_iv = max_iv

    def fit(self, X: object, y: npt.ArrayLike) -> Self:
        """Bin every column of `X` against the 0/1 target `y` (1 = bad), select by IV.

        Raises:
            InvalidValueError: as `fit_binning_frame`; no column reaches `min_iv`
                (names the best column and its IV).
        """
        frame = _as_frame(X)
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        every = fit_binning_frame(
            frame.assign(**{_TARGET: np.asarray(y)}),
            target=_TARGET,
            categorical=list(self.categorical),
            config=self.config,
        )
        self.ivs_: dict[str, float] = every.ivs
        self.binnings_: BinningSet = every
        if self.min_iv is not None or self.max_iv is not None:
            chosen = set(
                select_by_iv(every.ivs, min_iv=self.min_iv or 0.0, max_iv=self.max_iv)
            )
            if not chosen:
                best = max(every.ivs, key=every.ivs.__getitem__)
                raise InvalidValueError(
                    field="min_iv",
                    value=self.min_iv,
                    expected="a floor that at least one column reaches (the best, "
                    f"`{best}`, has IV {every.ivs[best]:.4f})",
                )
            self.binnings_ = every.select([n for n in every.names if n in chosen])
        return self

    def transform(self, X: object) -> FloatArray:
        """WoE matrix of the kept columns, float64 `(n, p)`; higher is lower risk."""
        frame = _as_frame(X, list(self.feature_names_in_))
        out: FloatArray = woe_frame(self.binnings_, frame, ignore_extra=True).to_numpy()
        return out

    def get_feature_names_out(
        self,
        input_features: object = None,  # noqa: ARG002 - sklearn signature
    ) -> npt.NDArray[np.object_]:
        """The kept column names (one WoE column each)."""
        return np.asarray(self.binnings_.names, dtype=object)


class ScorecardClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Binning, WoE logistic regression and points scaling as one classifier.

    Args:
        categorical: Names of categorical columns.
        config: Binning configuration for every column.
        l2: Ridge penalty of the logistic fit.
        scale: Points-to-double-odds scale.
        round_points: Round the attribute points to integers.
        min_iv: Keep only the characteristics whose IV is at least this
            (`select_by_iv`); `None` keeps every column.
        max_iv: Also drop characteristics above this IV.

    Attributes:
        scorecard_: The fitted `Scorecard` (the kept characteristics only).
        ivs_: Information value of every input column.
        classes_: `[0, 1]` (1 = bad).
    """

    def __init__(
        self,
        *,
        categorical: Sequence[str] = (),
        config: BinningConfig = DEFAULT_BINNING,
        l2: float = 0.0,
        scale: ScoreScale = STANDARD_SCALE,
        round_points: bool = False,
        min_iv: float | None = None,
        max_iv: float | None = None,
    ) -> None:
        self.categorical = categorical
        self.config = config
        self.l2 = l2
        self.scale = scale
        self.round_points = round_points
        self.min_iv = min_iv
        self.max_iv = max_iv

    def fit(self, X: object, y: npt.ArrayLike) -> Self:
        """Fit the binning, select by IV, fit the logistic model and the points."""
        woe = WoETransformer(
            categorical=self.categorical, config=self.config, min_iv=self.min_iv,
            max_iv=self.max_iv,
        ).fit(X, y)  # fmt: skip
        self.feature_names_in_ = woe.feature_names_in_
        self.ivs_: dict[str, float] = woe.ivs_
        bins = woe.binnings_
        model: LogisticModel = fit_logistic(
            woe.transform(X), y, names=list(bins.names), l2=self.l2
        )
        self.scorecard_: Scorecard = build_scorecard(
            bins, model, scale=self.scale, round_points=self.round_points
        )
        self.classes_ = np.array([0, 1])
        return self

    def _features(self, X: object) -> dict[str, npt.NDArray[np.generic]]:
        frame = _as_frame(X, list(self.feature_names_in_))
        return {n: frame[n].to_numpy() for n in self.scorecard_.names}

    def score_points(self, X: object) -> FloatArray:
        """Scorecard points of each row, shape `(n,)`; higher is lower risk."""
        return self.scorecard_.score(self._features(X))

    def predict_proba(self, X: object) -> FloatArray:
        """`[P(good), P(bad)]` per row, shape `(n, 2)`, from the (possibly rounded) score."""
        pd_ = self.scorecard_.default_probability(self._features(X))
        out: FloatArray = np.column_stack((1.0 - pd_, pd_))
        return out

    def predict(self, X: object) -> npt.NDArray[np.int64]:
        """1 (bad) where the PD is at least one half, else 0."""
        out: npt.NDArray[np.int64] = (self.predict_proba(X)[:, 1] >= 0.5).astype(  # noqa: PLR2004
            np.int64
        )
        return out
