r"""Points-to-double-odds scorecards, PD <-> score, and reason codes.

A score is a linear function of the log good:bad odds (Siddiqi, *Credit Risk Scorecards*,
2006, ch. 10):

$$\text{score} = \text{offset} + \text{factor}\cdot\ln(\text{odds}),\quad
\text{factor} = \frac{\text{pdo}}{\ln 2},\quad
\text{offset} = \text{base\_score} - \text{factor}\cdot\ln(\text{base\_odds}).$$

With the default 600 points at 50:1 and 20 points to double the odds, factor =
20 / ln 2 = 28.8539 and offset = 600 - 28.8539 ln 50 = 487.1229. The logistic model on
WoE features (WoE = ln(share of goods / share of bads)) gives
$\ln(\text{odds}) = -(\beta_0 + \sum_j \beta_j \mathrm{WoE}_j)$, so attribute $i$ of
characteristic $j$ (of $p$) earns

$$\text{points}_{ij} = -\text{factor}\left(\beta_j \mathrm{WoE}_{ij} +
\frac{\beta_0}{p}\right) + \frac{\text{offset}}{p}$$

and the points of an applicant's attributes add up to the score exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray, as_float_array
from lendcrm._validators import (
    finite_number,
    non_empty_str,
    number_in,
    require_instance,
)
from lendcrm.errors import InvalidValueError, ModelMismatchError
from lendcrm.risk.scoring._binning import BinningSet
from lendcrm.risk.scoring._binning_check import RawValues
from lendcrm.risk.scoring._logistic import LogisticModel

__all__ = [
    "STANDARD_SCALE",
    "PointsRow",
    "RoundingReport",
    "ScoreScale",
    "Scorecard",
    "build_scorecard",
]


@attrs.frozen(kw_only=True)
class ScoreScale:
    """Points-to-double-odds convention; odds are good:bad.

    Attributes:
        base_score: Score at `base_odds` (points).
        base_odds: Good:bad odds at `base_score`, > 0 (50 means 50 goods per bad).
        pdo: Points that double the odds, > 0.

    Examples:
        >>> s = ScoreScale()
        >>> round(s.factor, 4), round(s.offset, 4)
        (28.8539, 487.1229)
        >>> s.pd_of_score([600.0, 620.0]).round(4)
        array([0.0196, 0.0099])
    """

    base_score: float = attrs.field(default=600.0, validator=number_in())
    base_odds: float = attrs.field(
        default=50.0, validator=number_in(0, None, lower_open=True)
    )
    pdo: float = attrs.field(
        default=20.0, validator=number_in(0, None, lower_open=True)
    )

    @property
    def factor(self) -> float:
        """Points per unit of log-odds, `pdo / ln 2`."""
        return self.pdo / float(np.log(2.0))

    @property
    def offset(self) -> float:
        """Score at even odds (1:1), `base_score - factor ln(base_odds)`."""
        return self.base_score - self.factor * float(np.log(self.base_odds))

    def score_of_pd(self, default_probability: npt.ArrayLike) -> FloatArray:
        """Score of each probability of default; higher PD, lower score.

        Args:
            default_probability: Probabilities of default in (0, 1), scalar or shape
                `(n,)`.

        Returns:
            Float64 array of shape `(n,)`: `offset + factor ln((1 - PD) / PD)`.

        Raises:
            InvalidValueError: a PD is outside (0, 1) or not finite (names
                `default_probability[i]`).

        Examples:
            >>> ScoreScale().score_of_pd(1 / 51).round(6)
            array([600.])
        """
        p = as_float_array(
            default_probability,
            name="default_probability",
            lower=0,
            upper=1,
            lower_open=True,
            upper_open=True,
        )
        out: FloatArray = self.offset + self.factor * (np.log1p(-p) - np.log(p))
        return out

    def pd_of_score(self, scores: npt.ArrayLike) -> FloatArray:
        """Probability of default of each score; higher score, lower PD.

        Args:
            scores: Scorecard points, scalar or shape `(n,)`, finite.

        Returns:
            Float64 array of shape `(n,)` in (0, 1): `1 / (1 + exp((s - offset)/factor))`.

        Raises:
            InvalidValueError: a score is NaN or infinite (names `scores[i]`).

        Examples:
            >>> ScoreScale().pd_of_score(580.0).round(4)
            array([0.0385])
        """
        from scipy.special import expit  # noqa: PLC0415 - scipy loads when used (#20)

        s = as_float_array(scores, name="scores")
        out: FloatArray = expit(-(s - self.offset) / self.factor)
        return out


STANDARD_SCALE: Final = ScoreScale()


@attrs.frozen(kw_only=True)
class PointsRow:
    """One attribute of the points table.

    Attributes:
        characteristic: The variable's name.
        attribute: The bin's label (range, levels, `Missing`, `Special ...`).
        woe: The bin's WoE, ln(share of goods / share of bads).
        points: Points earned by the attribute.
    """

    characteristic: str = attrs.field(validator=non_empty_str)
    attribute: str = attrs.field(validator=non_empty_str)
    woe: float = attrs.field(validator=finite_number)
    points: float = attrs.field(validator=finite_number)


@attrs.frozen(kw_only=True)
class RoundingReport:
    """What rounding points to integers did to the score.

    Attributes:
        min_exact: Lowest attainable score before rounding.
        max_exact: Highest attainable score before rounding.
        min_rounded: Lowest attainable score after rounding.
        max_rounded: Highest attainable score after rounding.
        max_abs_change: Largest change of any applicant's score, the sum over
            characteristics of the largest per-attribute rounding error (attained by
            the applicant holding those attributes).
    """

    min_exact: float = attrs.field(validator=finite_number)
    max_exact: float = attrs.field(validator=finite_number)
    min_rounded: float = attrs.field(validator=finite_number)
    max_rounded: float = attrs.field(validator=finite_number)
    max_abs_change: float = attrs.field(validator=number_in(0))


@attrs.frozen(kw_only=True)
class Scorecard:
    """A points table over binned characteristics (WoE = ln(goods share / bads share)).

    Attributes:
        binnings: The binnings of the characteristics, in model order.
        model: The logistic model on their WoE.
        scale: The points-to-double-odds scale.
        points: Points per characteristic, per bin (same bin order as the binning).
        rounding: The rounding report, or `None` when points are not rounded.

    Examples:
        >>> import numpy as np
        >>> from lendcrm.risk.scoring import fit_binning_set
        >>> from lendcrm.risk.scoring import fit_logistic
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=4_000)
        >>> y = (rng.random(4_000) < 1 / (1 + np.exp(3 + x))).astype(int)
        >>> bins = fit_binning_set({"x": x}, y)
        >>> card = build_scorecard(bins, fit_logistic(bins.transform({"x": x}), y, names=["x"]))
        >>> bool(card.score({"x": [2.0]})[0] > card.score({"x": [-2.0]})[0])
        True
    """

    binnings: BinningSet
    model: LogisticModel
    scale: ScoreScale
    points: tuple[tuple[float, ...], ...]
    rounding: RoundingReport | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Characteristic names, in model order."""
        return self.binnings.names

    @property
    def score_range(self) -> tuple[float, float]:
        """Lowest and highest attainable score."""
        return (
            float(sum(min(p) for p in self.points)),
            float(sum(max(p) for p in self.points)),
        )

    def points_table(self) -> tuple[PointsRow, ...]:
        """Every attribute with its WoE and points, characteristic by characteristic."""
        return tuple(
            PointsRow(characteristic=b.name, attribute=label, woe=woe, points=pts)
            for b, row in zip(self.binnings, self.points, strict=True)
            for label, woe, pts in zip(b.labels, b.woe, row, strict=True)
        )

    def characteristic_points(self, features: Mapping[str, RawValues]) -> FloatArray:
        """Points of each applicant on each characteristic, float64 shape `(n, p)`.

        Raises:
            ModelMismatchError: `features` has missing or extra columns.
            InvalidValueError: as `Binning.bin_index`.
        """
        return self._points_of(self.binnings.bin_indices(features))

    def _points_of(self, idx: IntArray) -> FloatArray:
        out = np.empty(idx.shape, dtype=np.float64, order="F")
        for k, row in enumerate(self.points):
            out[:, k] = np.asarray(row).take(idx[:, k])
        return out

    def score(self, features: Mapping[str, RawValues]) -> FloatArray:
        """Score of each applicant from raw values, float64 shape `(n,)`.

        Args:
            features: Column name to raw values (the binned characteristics only).

        Returns:
            The sum of the attribute points; higher is lower risk.

        Raises:
            ModelMismatchError: `features` has missing or extra columns.
            InvalidValueError: as `Binning.bin_index`.
        """
        out: FloatArray = self.characteristic_points(features).sum(axis=1)
        return out

    def default_probability(self, features: Mapping[str, RawValues]) -> FloatArray:
        """Probability of default implied by each applicant's score, shape `(n,)`.

        Raises:
            ModelMismatchError: as `score`.
        """
        return self.scale.pd_of_score(self.score(features))

    def reason_codes(
        self,
        features: Mapping[str, RawValues],
        *,
        code_table: Mapping[str, str],
        k: int = 4,
    ) -> npt.NDArray[np.str_]:
        """The `k` characteristics that cost each applicant the most points.

        The cost of a characteristic is the best attainable attribute's points minus the
        applicant's points on it. Characteristics are ranked by cost (ties: model
        order); those that cost nothing are left out (empty string).

        Args:
            features: Column name to raw values.
            code_table: Characteristic name to the reason code to report.
            k: Codes per applicant, >= 1.

        Returns:
            String array of shape `(n, k)`.

        Raises:
            InvalidValueError: `k` < 1; `code_table` lacks a characteristic.
            ModelMismatchError: as `score`.
        """
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:  # type: ignore[redundant-expr]
            raise InvalidValueError(field="k", value=k, expected="an integer >= 1")
        require_instance(
            code_table,
            Mapping,
            name="code_table",
            what="a mapping of characteristic to reason code",
        )
        missing = [n for n in self.names if n not in code_table]
        if missing:
            raise InvalidValueError(
                field="code_table",
                value=f"no code for {missing}",
                expected="a reason code for every characteristic of the scorecard",
            )
        pts = self.characteristic_points(features)
        best = np.array([max(row) for row in self.points])
        cost = best[None, :] - pts
        order = np.argsort(-cost, axis=1, kind="stable")[:, :k]
        codes = np.array([code_table[n] for n in self.names], dtype=str)
        out = codes[order]
        lost = np.take_along_axis(cost, order, axis=1) > 1e-9  # noqa: PLR2004 - points tolerance
        out = np.where(lost, out, "")
        if out.shape[1] < k:
            out = np.concatenate(
                (out, np.full((out.shape[0], k - out.shape[1]), "", dtype=out.dtype)),
                axis=1,
            )
        return out


def build_scorecard(
    binnings: BinningSet,
    model: LogisticModel,
    *,
    scale: ScoreScale = STANDARD_SCALE,
    round_points: bool = False,
) -> Scorecard:
    """Turn binnings and a logistic model on their WoE into a points table.

    WoE = ln(share of goods / share of bads); the model's coefficients on WoE are
    usually negative, and a characteristic's points rise with its WoE.

    Args:
        binnings: Binnings including every feature of the model.
        model: Logistic model fitted on the WoE of `model.names`.
        scale: Points-to-double-odds scale.
        round_points: Round each attribute's points to an integer (half to even) and
            report the effect in `Scorecard.rounding`.

    Returns:
        The `Scorecard`; unrounded, its score equals `scale.score_of_pd(model PD)`.

    Raises:
        ModelMismatchError: the model uses a feature `binnings` does not have.

    Examples:
        >>> from lendcrm.risk.scoring import BinningConfig, BinningSet, fit_numeric
        >>> from lendcrm.risk.scoring import LogisticModel
        >>> b = fit_numeric([1.0, 2.0] * 40, [0, 0, 0, 1, 1, 0, 0, 1, 0, 0] * 8, name="x",
        ...                 config=BinningConfig(user_splits=[1.5], min_bin_goods=1))
        >>> m = LogisticModel(names=("x",), intercept=-3.0, coefficients=(-1.0,),
        ...     intercept_se=0.1, standard_errors=(0.1,), log_likelihood=-1.0,
        ...     n_obs=100.0, iterations=1)
        >>> card = build_scorecard(BinningSet(binnings=(b,)), m)
        >>> [round(p, 2) for p in card.points[0][:2]]
        [589.24, 560.94]
    """
    require_instance(binnings, BinningSet, name="binnings", what="a BinningSet")
    require_instance(model, LogisticModel, name="model", what="a LogisticModel")
    require_instance(scale, ScoreScale, name="scale", what="a ScoreScale")
    unknown = [n for n in model.names if n not in binnings.names]
    if unknown:
        raise ModelMismatchError(model="scorecard", missing=unknown)
    chosen = binnings.select(model.names)
    p = len(model.names)
    rows = []
    for b, beta in zip(chosen, model.coefficients, strict=True):
        woe = b.woe_array
        rows.append(
            -scale.factor * (beta * woe + model.intercept / p) + scale.offset / p
        )
    rounding = None
    if round_points:
        rounded = [np.round(r) for r in rows]
        rounding = RoundingReport(
            min_exact=float(sum(r.min() for r in rows)),
            max_exact=float(sum(r.max() for r in rows)),
            min_rounded=float(sum(r.min() for r in rounded)),
            max_rounded=float(sum(r.max() for r in rounded)),
            max_abs_change=float(
                sum(np.abs(r - q).max() for r, q in zip(rows, rounded, strict=True))
            ),
        )
        rows = rounded
    return Scorecard(
        binnings=chosen,
        model=model,
        scale=scale,
        points=tuple(tuple(float(v) for v in r) for r in rows),
        rounding=rounding,
    )
