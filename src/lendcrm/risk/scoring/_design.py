"""The design matrix of a model on WoE features: its checks and degenerate columns.

A constant column duplicates the intercept and a column that is an exact linear
combination of others makes the information matrix singular; `degenerate_columns`
finds both and names them, for `fit_logistic` (which raises or drops them) and
`collinearity_filter` (which reports them).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray
from lendcrm._validators import enum_of, nan_equal, non_empty_str, optional
from lendcrm.errors import InvalidValueError

__all__ = ["DropRule", "DroppedFeature"]

#: Residual variance share below which a column is taken as collinear.
COLLINEAR_TOL: Final = 1e-10


class DropRule(StrEnum):
    """Why a feature was dropped from a model's features.

    `CONSTANT`: one value in the sample. `COLLINEAR`: an exact linear combination of
    other features (and the intercept). `CORRELATION` and `VIF`: the two passes of
    `collinearity_filter`.

    Examples:
        >>> DropRule("vif").value
        'vif'
    """

    CONSTANT = "constant"
    COLLINEAR = "collinear"
    CORRELATION = "correlation"
    VIF = "vif"


def _measure(_inst: object, attr: attrs.Attribute[float], value: object) -> None:
    """A float: NaN where nothing is measured, infinity for a perfect VIF."""
    if not isinstance(value, float | int) or isinstance(value, bool):
        raise InvalidValueError(
            field=attr.name,
            value=value,
            expected="a number (NaN where not measured, inf for a perfect VIF)",
        )


@attrs.frozen(kw_only=True)
class DroppedFeature:
    """A feature that was dropped, and why.

    Attributes:
        name: The feature's name.
        rule: The rule that dropped it.
        value: Its `|r|` with `partner` (correlation), its VIF (vif), NaN otherwise
            ("not available": ``null`` in JSON; two NaN values compare equal here, so
            a model equals its JSON round trip).
        partner: The kept feature it was too correlated with (correlation only).
        reason: The reason in words.
    """

    name: str = attrs.field(validator=non_empty_str)
    rule: DropRule = attrs.field(validator=enum_of(DropRule))
    value: float = attrs.field(validator=_measure, eq=nan_equal)
    partner: str | None = attrs.field(validator=optional(non_empty_str))
    reason: str = attrs.field(validator=non_empty_str)


def as_matrix(features: npt.ArrayLike, p: int | None = None) -> FloatArray:
    """`features` as a finite float64 matrix `(n, p)`; a 1-d array is one column.

    Raises:
        InvalidValueError: not numeric, not 1-d or 2-d, not `p` columns, or a value not
            finite (names `features[i, j]`).
    """
    try:
        x = np.asarray(features, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidValueError(
            field="features", value=features, expected="a numeric matrix"
        ) from None
    if x.ndim == 1:
        x = x.reshape(-1, 1)
    if x.ndim != 2:  # noqa: PLR2004 - a matrix
        raise InvalidValueError(
            field="features", value=f"shape {x.shape}", expected="a 2-d matrix (n, p)"
        )
    if p is not None and x.shape[1] != p:
        raise InvalidValueError(
            field="features", value=f"{x.shape[1]} columns", expected=f"{p} columns"
        )
    bad = ~np.isfinite(x)
    if bad.any():
        i, j = (int(v) for v in np.argwhere(bad)[0])
        raise InvalidValueError(
            field=f"features[{i}, {j}]",
            value=float(x[i, j]),
            expected="a finite number",
        )
    return x


def degenerate_columns(
    x: FloatArray, names: Sequence[str]
) -> tuple[DroppedFeature, ...]:
    """Constant columns, then columns that are exact combinations of earlier ones.

    Columns are tested left to right against the kept ones before them: column `j` is
    collinear when its residual variance after regressing on them (with an intercept)
    is below `COLLINEAR_TOL` times its variance; it is reported with the columns that
    make it up. Uses the centred cross-product matrix, `O(n p^2)`.
    """
    varying = [j for j in range(x.shape[1]) if np.ptp(x[:, j]) > 0]
    out = [
        DroppedFeature(
            name=names[j], rule=DropRule.CONSTANT, value=float("nan"), partner=None,
            reason=f"one value in the sample ({x[0, j]:g})",
        )
        for j in range(x.shape[1])
        if j not in varying
    ]  # fmt: skip
    if len(varying) < 2:  # noqa: PLR2004 - collinearity needs two columns
        return tuple(out)
    xc = x[:, varying] - x[:, varying].mean(axis=0)
    gram = xc.T @ xc
    kept: list[int] = []
    for k in range(len(varying)):
        if kept:
            beta = np.linalg.lstsq(gram[np.ix_(kept, kept)], gram[kept, k], rcond=None)[
                0
            ]
            resid = gram[k, k] - float(gram[k, kept] @ beta)
            if resid <= COLLINEAR_TOL * gram[k, k]:
                scale = np.abs(beta) * np.sqrt(np.diag(gram)[kept])
                parts = [names[varying[kept[i]]]
                         for i in np.flatnonzero(scale > 1e-8 * scale.max())]  # fmt: skip
                out.append(DroppedFeature(
                    name=names[varying[k]], rule=DropRule.COLLINEAR,
                    value=float("nan"), partner=None,
                    reason="an exact linear combination of "
                    + ", ".join(f"`{p}`" for p in parts),
                ))  # fmt: skip
                continue
        kept.append(k)
    return tuple(out)


def check_names(
    features: npt.ArrayLike, names: Sequence[str] | None, p: int
) -> tuple[str, ...]:
    """Column names: `names`, else a DataFrame's columns, else `x0, x1, ...`.

    Raises:
        InvalidValueError: `names` is not one per column, or differs from the
            DataFrame's columns.
    """
    columns = getattr(features, "columns", None)
    given = None if columns is None else tuple(str(c) for c in columns)
    if names is None:
        return given if given is not None else tuple(f"x{j}" for j in range(p))
    cols = tuple(names)
    if len(cols) != p:
        raise InvalidValueError(
            field="names", value=list(cols), expected=f"{p} names (one per column)"
        )
    if given is not None and given != cols:
        raise InvalidValueError(
            field="names",
            value=list(cols),
            expected=f"the DataFrame's columns {list(given)}",
            hint="Omit `names=`: they are taken from the DataFrame.",
        )
    return cols
