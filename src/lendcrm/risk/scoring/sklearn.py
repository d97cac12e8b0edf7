"""scikit-learn adapters: WoE binning and a scorecard as estimators for a `Pipeline`.

scikit-learn is an optional extra, not a runtime dependency of lendcrm: install it with
`pip install 'lendcrm[sklearn]'` (scikit-learn 1.6 or later). The module imports
without it; creating an estimator then raises an `ImportError` that says what to
install. WoE convention: `ln(share of goods / share of bads)`.

The estimators follow scikit-learn's conventions, checked by its own
`parametrize_with_checks` (the exceptions are listed, with reasons, in the tests):

* inputs are checked as scikit-learn checks them (no sparse or complex data, at least
  one row; `inf` refused; `NaN` allowed: it is binned as the *missing* bin);
* `n_features_in_` after `fit`, and `feature_names_in_` only when `X` was a DataFrame
  (arrays name their columns `x0`, `x1`, ... inside the binning);
* `transform`, `predict` and friends before `fit` raise scikit-learn's
  `NotFittedError`;
* the target is binary, of any two labels: `classes_` holds them sorted and the
  second (`classes_[1]`, e.g. 1 of 0/1) is the *bad* outcome; a target with one
  label or more than two is refused (the estimators' tags say binary only);
* `config=None` means the default `BinningConfig`; `min_iv` / `max_iv` select the
  characteristics by information value inside the estimator, and a characteristic
  whose binning found a single bin (IV 0: it cannot separate goods from bads) is
  left out of the scorecard's regression.

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
from typing import Any, Self

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import FloatArray
from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring._binning_config import DEFAULT_BINNING, BinningConfig
from lendcrm.risk.scoring._logistic import LogisticModel, fit_logistic, select_by_iv
from lendcrm.risk.scoring._scorecard import (
    STANDARD_SCALE,
    Scorecard,
    ScoreScale,
    build_scorecard,
)
from lendcrm.risk.scoring._sklearn_base import (
    BaseEstimator,
    ClassifierMixin,
    TransformerMixin,
)
from lendcrm.risk.scoring.frames import fit_binning_frame, woe_frame

__all__ = ["ScorecardClassifier", "WoETransformer"]

_TARGET = "__lendcrm_target__"
_BINARY = 2


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


def _check_x(est: BaseEstimator, x: object, *, reset: bool) -> pd.DataFrame:
    """scikit-learn's checks of `X` (sets or compares `n_features_in_` and names)."""
    from sklearn.utils.validation import validate_data  # noqa: PLC0415

    if isinstance(x, pd.DataFrame):
        # a frame keeps its column dtypes (categorical columns stay text)
        validate_data(est, x, reset=reset, skip_check_array=True)
        if x.shape[0] < 1:
            msg = f"Found array with 0 sample(s) (shape={x.shape}) while a minimum of 1 is required."
            raise ValueError(msg)
        if reset:
            est.n_features_in_ = x.shape[1]
        elif x.shape[1] != est.n_features_in_:
            msg = f"X has {x.shape[1]} features, but {type(est).__name__} is expecting {est.n_features_in_} features as input."
            raise ValueError(msg)
        return _as_frame(x)
    arr = validate_data(est, x, reset=reset, dtype=None, ensure_all_finite="allow-nan")
    return _as_frame(arr, None if reset else est.column_names_)


def _encode_target(est: BaseEstimator, y: object) -> npt.NDArray[np.int64]:
    """Two labels to 0/1 (the second sorted label is *bad*); sets `classes_`."""
    from sklearn.utils import assert_all_finite  # noqa: PLC0415
    from sklearn.utils.multiclass import check_classification_targets  # noqa: PLC0415
    from sklearn.utils.validation import column_or_1d  # noqa: PLC0415

    labels = column_or_1d(y, warn=True)
    if labels.dtype.kind in "fc":
        assert_all_finite(labels, input_name="y")
    check_classification_targets(labels)
    classes, codes = np.unique(labels, return_inverse=True)
    if classes.size != _BINARY:
        msg = (
            f"{type(est).__name__} needs a binary target (two labels: good, then "
            f"bad); got {classes.size} class(es): {classes.tolist()[:5]}. Only "
            "binary classification is supported."
        )
        raise ValueError(msg)
    est.classes_ = classes
    return codes.astype(np.int64)


def _fit_woe(
    est: WoETransformer, x: object, y: object
) -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
    """Fit `est` (the binning and the IV selection); the checked frame and target."""
    from sklearn.utils.validation import check_consistent_length  # noqa: PLC0415

    if y is None:
        msg = (
            f"This {type(est).__name__} estimator requires y to be passed, but the "
            "target y is None."
        )
        raise ValueError(msg)
    frame = _check_x(est, x, reset=True)
    est.column_names_ = list(frame.columns)
    target = _encode_target(est, y)
    check_consistent_length(frame, target)
    every = fit_binning_frame(
        frame.assign(**{_TARGET: target}),
        target=_TARGET,
        categorical=list(est.categorical),
        config=DEFAULT_BINNING if est.config is None else est.config,
    )
    est.ivs_ = every.ivs
    est.binnings_ = every
    if est.min_iv is not None or est.max_iv is not None:
        chosen = set(
            select_by_iv(every.ivs, min_iv=est.min_iv or 0.0, max_iv=est.max_iv)
        )
        if not chosen:
            best = max(every.ivs, key=every.ivs.__getitem__)
            raise InvalidValueError(
                field="min_iv",
                value=est.min_iv,
                expected="a floor that at least one column reaches (the best, "
                f"`{best}`, has IV {every.ivs[best]:.4f})",
            )
        est.binnings_ = every.select([n for n in every.names if n in chosen])
    return frame, target


def _binary_tags(tags: Any) -> Any:  # noqa: ANN401 - sklearn.utils.Tags
    from sklearn.utils import ClassifierTags  # noqa: PLC0415

    tags.input_tags.allow_nan = True  # NaN is the missing bin
    tags.input_tags.string = True  # categorical columns may be text
    tags.target_tags.required = True
    if tags.classifier_tags is None:
        tags.classifier_tags = ClassifierTags()
    tags.classifier_tags.multi_class = False
    return tags


def _check_fitted(est: BaseEstimator) -> None:
    from sklearn.utils.validation import check_is_fitted  # noqa: PLC0415

    check_is_fitted(est)


class WoETransformer(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Optimal binning then WoE, as a scikit-learn transformer.

    Args:
        categorical: Names of categorical columns (for arrays: `x0`, `x1`, ...).
        config: Binning configuration for every column; `None` (the default) is
            `lendcrm.risk.scoring.DEFAULT_BINNING`.
        min_iv: Keep only the columns whose information value is at least this
            (`select_by_iv`; 0.02 is Siddiqi's floor); `None` keeps every column.
        max_iv: Also drop columns above this IV (e.g. 0.5, suspiciously strong).

    Attributes:
        binnings_: The fitted `BinningSet` of the kept columns, in input order.
        ivs_: Information value of every input column.
        classes_: The two target labels, sorted; the second is *bad*.
        n_features_in_: Number of columns seen at fit.
        feature_names_in_: Column names seen at fit (only when `X` was a DataFrame).

    Examples:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> X = rng.normal(size=(3_000, 2))
        >>> y = (rng.random(3_000) < 1 / (1 + np.exp(2 - X[:, 0]))).astype(int)
        >>> WoETransformer(min_iv=0.02).fit(X, y).get_feature_names_out().tolist()
        ['x0']
        >>> WoETransformer().transform(X)
        Traceback (most recent call last):
        ...
        sklearn.exceptions.NotFittedError: This WoETransformer instance is not fitted yet...
    """

    def __init__(
        self,
        *,
        categorical: Sequence[str] = (),
        config: BinningConfig | None = None,
        min_iv: float | None = None,
        max_iv: float | None = None,
    ) -> None:
        self.categorical = categorical
        self.config = config
        self.min_iv = min_iv
        self.max_iv = max_iv

    def __sklearn_tags__(self) -> Any:  # noqa: ANN401 - sklearn.utils.Tags
        """Binary target required; NaN allowed (the missing bin); text allowed."""
        return _binary_tags(super().__sklearn_tags__())

    def fit(self, X: object, y: object) -> Self:
        """Bin every column of `X` against the binary target `y`, select by IV.

        Raises:
            ValueError: scikit-learn's input checks fail, or `y` has not exactly two
                labels.
            InvalidValueError: as `fit_binning_frame`; no column reaches `min_iv`
                (names the best column and its IV).
        """
        _fit_woe(self, X, y)
        return self

    def transform(self, X: object) -> FloatArray:
        """WoE matrix of the kept columns, float64 `(n, p)`; higher is lower risk."""
        _check_fitted(self)
        frame = _check_x(self, X, reset=False)
        out: FloatArray = woe_frame(self.binnings_, frame, ignore_extra=True).to_numpy(
            dtype=np.float64
        )
        return out

    def get_feature_names_out(
        self,
        input_features: object = None,  # noqa: ARG002 - sklearn signature
    ) -> npt.NDArray[np.object_]:
        """The kept column names (one WoE column each)."""
        _check_fitted(self)
        return np.asarray(self.binnings_.names, dtype=object)


class ScorecardClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Binning, WoE logistic regression and points scaling as one classifier.

    Args:
        categorical: Names of categorical columns.
        config: Binning configuration for every column; `None` (the default) is
            `lendcrm.risk.scoring.DEFAULT_BINNING`.
        l2: Ridge penalty of the logistic fit.
        scale: Points-to-double-odds scale; `None` (the default) is
            `lendcrm.risk.scoring.STANDARD_SCALE`.
        round_points: Round the attribute points to integers.
        min_iv: Keep only the characteristics whose IV is at least this
            (`select_by_iv`); `None` keeps every column that has more than one bin.
        max_iv: Also drop characteristics above this IV.

    Attributes:
        scorecard_: The fitted `Scorecard` (the kept characteristics only).
        ivs_: Information value of every input column.
        classes_: The two target labels, sorted; the second is *bad* (`[0, 1]` for
            a 0/1 target, 1 = bad).
        n_features_in_: Number of columns seen at fit.
        feature_names_in_: Column names seen at fit (only when `X` was a DataFrame).

    Examples:
        >>> import numpy as np
        >>> rng = np.random.default_rng(0)
        >>> X = rng.normal(size=(3_000, 2))
        >>> y = np.where(rng.random(3_000) < 1 / (1 + np.exp(2 - X[:, 0])), "bad", "good")
        >>> clf = ScorecardClassifier(min_iv=0.02).fit(X, y)
        >>> clf.classes_.tolist(), clf.scorecard_.names
        (['bad', 'good'], ('x0',))
    """

    def __init__(
        self,
        *,
        categorical: Sequence[str] = (),
        config: BinningConfig | None = None,
        l2: float = 0.0,
        scale: ScoreScale | None = None,
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

    def __sklearn_tags__(self) -> Any:  # noqa: ANN401 - sklearn.utils.Tags
        """Binary classifier; NaN allowed (the missing bin); text allowed."""
        return _binary_tags(super().__sklearn_tags__())

    def fit(self, X: object, y: object) -> Self:
        """Fit the binning, select by IV, fit the logistic model and the points.

        Raises:
            ValueError: scikit-learn's input checks fail, or `y` has not exactly two
                labels.
            InvalidValueError: as `WoETransformer.fit`.
        """
        woe = WoETransformer(
            categorical=self.categorical, config=self.config, min_iv=self.min_iv,
            max_iv=self.max_iv,
        )  # fmt: skip
        frame, target = _fit_woe(woe, X, y)
        if hasattr(woe, "feature_names_in_"):
            self.feature_names_in_ = woe.feature_names_in_
        self.n_features_in_ = woe.n_features_in_
        self.column_names_ = woe.column_names_
        self.classes_ = woe.classes_
        self.ivs_: dict[str, float] = woe.ivs_
        # a single bin (IV 0) gives a constant WoE column: nothing to regress on
        bins = woe.binnings_.select([n for n in woe.binnings_.names if woe.ivs_[n] > 0])
        model: LogisticModel = fit_logistic(
            woe_frame(bins, frame, ignore_extra=True).to_numpy(dtype=np.float64),
            target,
            names=list(bins.names),
            l2=self.l2,
        )
        self.bad_rate_ = float(target.mean())
        self.scorecard_: Scorecard = build_scorecard(
            bins,
            model,
            scale=STANDARD_SCALE if self.scale is None else self.scale,
            round_points=self.round_points,
        )
        return self

    def _features(self, X: object) -> tuple[int, dict[str, npt.NDArray[np.generic]]]:
        _check_fitted(self)
        frame = _check_x(self, X, reset=False)
        return len(frame), {n: frame[n].to_numpy() for n in self.scorecard_.names}

    def score_points(self, X: object) -> FloatArray:
        """Scorecard points of each row, shape `(n,)`; higher is lower risk.

        With no characteristic kept (every binning found a single bin) every row
        scores the points of the sample's bad rate.
        """
        n, features = self._features(X)
        if not features:
            points = self.scorecard_.scale.score_of_pd(np.array([self.bad_rate_]))
            return np.full(n, float(points[0]))
        return self.scorecard_.score(features)

    def predict_proba(self, X: object) -> FloatArray:
        """`[P(classes_[0]), P(classes_[1])]` per row (good, bad), shape `(n, 2)`."""
        points = self.score_points(X)  # checks that the estimator is fitted
        pd_ = self.scorecard_.scale.pd_of_score(points)
        out: FloatArray = np.column_stack((1.0 - pd_, pd_))
        return out

    def predict(self, X: object) -> npt.NDArray[Any]:
        """`classes_[1]` (bad) where the PD is at least one half, else `classes_[0]`."""
        bad = self.predict_proba(X)[:, 1] >= 0.5  # noqa: PLR2004
        out: npt.NDArray[Any] = self.classes_[bad.astype(np.int64)]
        return out
