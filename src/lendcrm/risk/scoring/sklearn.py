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
from lendcrm.risk.scoring._binning import BinningSet
from lendcrm.risk.scoring._binning_config import DEFAULT_BINNING, BinningConfig
from lendcrm.risk.scoring._logistic import LogisticModel, fit_logistic
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

    Attributes:
        binnings_: The fitted `BinningSet`.
        feature_names_in_: Column names seen at fit.
    """

    def __init__(
        self,
        *,
        categorical: Sequence[str] = (),
        config: BinningConfig = DEFAULT_BINNING,
    ) -> None:
        self.categorical = categorical
        self.config = config

    def fit(self, X: object, y: npt.ArrayLike) -> Self:
        """Bin every column of `X` against the 0/1 target `y` (1 = bad)."""
        frame = _as_frame(X)
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.binnings_: BinningSet = fit_binning_frame(
            frame.assign(**{_TARGET: np.asarray(y)}),
            target=_TARGET,
            categorical=list(self.categorical),
            config=self.config,
        )
        return self

    def transform(self, X: object) -> FloatArray:
        """WoE matrix, float64 of shape `(n, p)`; higher is lower risk."""
        frame = _as_frame(X, list(self.feature_names_in_))
        out: FloatArray = woe_frame(self.binnings_, frame).to_numpy()
        return out

    def get_feature_names_out(
        self,
        input_features: object = None,  # noqa: ARG002 - sklearn signature
    ) -> npt.NDArray[np.object_]:
        """The input column names (one WoE column each)."""
        return np.asarray(self.feature_names_in_, dtype=object)


class ScorecardClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Binning, WoE logistic regression and points scaling as one classifier.

    Args:
        categorical: Names of categorical columns.
        config: Binning configuration for every column.
        l2: Ridge penalty of the logistic fit.
        scale: Points-to-double-odds scale.
        round_points: Round the attribute points to integers.

    Attributes:
        scorecard_: The fitted `Scorecard`.
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
    ) -> None:
        self.categorical = categorical
        self.config = config
        self.l2 = l2
        self.scale = scale
        self.round_points = round_points

    def fit(self, X: object, y: npt.ArrayLike) -> Self:
        """Fit the binning, the logistic model and the points table."""
        woe = WoETransformer(categorical=self.categorical, config=self.config).fit(X, y)
        self.feature_names_in_ = woe.feature_names_in_
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
