"""Rating master scale: PD bands to grades and back, vectorised.

The default scale has ten grades. Band upper bounds (exclusive) are PDs of 0.05 %,
0.1 %, 0.25 %, 0.5 %, 1 %, 2 %, 5 %, 10 %, 20 % and 100 %; each grade's representative
PD is the geometric mean of its band, with a floor of 0.03 % (the Basel II PD floor for
corporates and banks, Basel II §285 and CRR Art. 160(1); Basel III raised it to 0.05 %,
CRE32.4) as the lower end of grade 1 and 50 % as the representative PD of grade 10.

| grade | PD band | representative PD |
|---|---|---|
| 1 | [0, 0.05 %) | 0.039 % |
| 2 | [0.05 %, 0.1 %) | 0.071 % |
| 3 | [0.1 %, 0.25 %) | 0.158 % |
| 4 | [0.25 %, 0.5 %) | 0.354 % |
| 5 | [0.5 %, 1 %) | 0.707 % |
| 6 | [1 %, 2 %) | 1.414 % |
| 7 | [2 %, 5 %) | 3.162 % |
| 8 | [5 %, 10 %) | 7.071 % |
| 9 | [10 %, 20 %) | 14.14 % |
| 10 | [20 %, 100 %) | 50 % |
"""

from __future__ import annotations

import math
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array
from lendcrm._validators import float_items, tuple_converter
from lendcrm.errors import InvalidValueError

__all__ = ["DEFAULT_MASTER_SCALE", "MasterScale"]


def _tuple_str(v: object) -> tuple[str, ...]:
    return tuple(str(g) for g in tuple_converter(name="grades", what="grade labels")(v))


def _upper_bounds(v: object) -> tuple[float, ...]:
    return float_items(v, name="upper_bounds")


def _pds(v: object) -> tuple[float, ...]:
    return float_items(v, name="pds")


@attrs.frozen(kw_only=True)
class MasterScale:
    """Grades with PD bands `[upper_{k-1}, upper_k)` and a representative PD each.

    Attributes:
        grades: Grade labels, best (lowest PD) first; unique.
        upper_bounds: Exclusive upper PD bound of each grade, strictly increasing, in
            (0, 1]; the last must be 1.
        pds: Representative PD of each grade, inside its band and in (0, 1).

    Examples:
        >>> scale = MasterScale(grades=("A", "B", "C"), upper_bounds=(0.01, 0.05, 1.0),
        ...                     pds=(0.005, 0.02, 0.15))
        >>> scale.grade_of([0.001, 0.01, 0.3]).tolist()
        ['A', 'B', 'C']
        >>> scale.pd_of(["C", "A"]).tolist()
        [0.15, 0.005]
    """

    grades: tuple[str, ...] = attrs.field(converter=_tuple_str)
    upper_bounds: tuple[float, ...] = attrs.field(converter=_upper_bounds)
    pds: tuple[float, ...] = attrs.field(converter=_pds)

    def __attrs_post_init__(self) -> None:
        """Check the scale once, at construction."""
        k = len(self.grades)
        if k == 0 or len(set(self.grades)) != k:
            raise InvalidValueError(
                field="grades",
                value=list(self.grades),
                expected="unique labels, at least one",
            )
        for name, arr in (("upper_bounds", self.upper_bounds), ("pds", self.pds)):
            if len(arr) != k:
                raise InvalidValueError(
                    field=name,
                    value=f"length {len(arr)}",
                    expected=f"one per grade ({k})",
                )
        ub = as_float_array(
            self.upper_bounds, name="upper_bounds", lower=0, upper=1, lower_open=True
        )
        if (np.diff(ub) <= 0).any() or ub[-1] != 1.0:
            raise InvalidValueError(
                field="upper_bounds",
                value=list(self.upper_bounds),
                expected="strictly increasing bounds ending at 1",
            )
        pds = as_float_array(
            self.pds, name="pds", lower=0, upper=1, lower_open=True, upper_open=True
        )
        lower = np.concatenate(([0.0], ub[:-1]))
        outside = (pds < lower) | (pds >= ub)
        if outside.any():
            i = int(np.argmax(outside))
            raise InvalidValueError(
                field=f"pds[{i}]",
                value=float(pds[i]),
                expected=f"inside the band of grade {self.grades[i]!r} "
                f"[{lower[i]:g}, {ub[i]:g})",
            )

    def grade_of(self, default_probability: npt.ArrayLike) -> npt.NDArray[np.str_]:
        """Grade of each probability of default, string array of shape `(n,)`.

        Args:
            default_probability: PDs in (0, 1), scalar or shape `(n,)`.

        Raises:
            InvalidValueError: a PD is outside (0, 1) or not finite (names
                `default_probability[i]`).

        Examples:
            >>> DEFAULT_MASTER_SCALE.grade_of([0.0002, 0.015, 0.6]).tolist()
            ['1', '6', '10']
        """
        p = as_float_array(
            default_probability,
            name="default_probability",
            lower=0,
            upper=1,
            lower_open=True,
            upper_open=True,
        )
        idx = np.searchsorted(np.asarray(self.upper_bounds), p, side="right")
        out: npt.NDArray[np.str_] = np.asarray(self.grades, dtype=str).take(idx)
        return out

    def grade_index(self, default_probability: npt.ArrayLike) -> npt.NDArray[np.int64]:
        """Position of each PD's grade (0 is the best grade), int64 shape `(n,)`.

        Raises:
            InvalidValueError: as `grade_of`.
        """
        p = as_float_array(
            default_probability,
            name="default_probability",
            lower=0,
            upper=1,
            lower_open=True,
            upper_open=True,
        )
        out: npt.NDArray[np.int64] = np.searchsorted(
            np.asarray(self.upper_bounds), p, side="right"
        ).astype(np.int64)
        return out

    def pd_of(self, grades: npt.ArrayLike) -> FloatArray:
        """Representative PD of each grade label, float64 shape `(n,)`.

        Raises:
            InvalidValueError: a label is not a grade of the scale (names `grades[i]`).

        Examples:
            >>> DEFAULT_MASTER_SCALE.pd_of(["1", "10"]).round(5).tolist()
            [0.00039, 0.5]
        """
        g = np.asarray(grades, dtype=str).reshape(-1)
        order = np.argsort(np.asarray(self.grades, dtype=str))
        labels = np.asarray(self.grades, dtype=str)[order]
        pos = np.searchsorted(labels, g).clip(0, len(labels) - 1)
        found = labels[pos] == g
        if not found.all():
            i = int(np.argmin(found))
            raise InvalidValueError(
                field=f"grades[{i}]",
                value=str(g[i]),
                expected=f"a grade of the scale ({', '.join(self.grades)})",
            )
        out: FloatArray = np.asarray(self.pds, dtype=np.float64)[order].take(pos)
        return out


_UPPER: Final = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.10, 0.20, 1.0)
_LOWER: Final = (0.0003, *_UPPER[:-1])

DEFAULT_MASTER_SCALE: Final = MasterScale(
    grades=tuple(str(k) for k in range(1, 11)),
    upper_bounds=_UPPER,
    pds=(
        *(math.sqrt(lo * hi) for lo, hi in zip(_LOWER[:-1], _UPPER[:-1], strict=True)),
        0.5,
    ),
)
