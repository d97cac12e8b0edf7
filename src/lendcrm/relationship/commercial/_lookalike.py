r"""Look-alike ranking: which prospects resemble the bank's best clients, and why.

Features are standardised with the *reference* set's mean and standard deviation
(population, ``ddof=0``), so one unit is one standard deviation among the diamond and
gold clients:

$$z_{ij} = \frac{x_{ij} - \mu_j}{\sigma_j}, \qquad
d(p, r) = \lVert z_p - z_r \rVert_2 = \sqrt{\textstyle\sum_j (z_{pj} - z_{rj})^2}.$$

The ``k`` nearest reference clients of each prospect come from a k-d tree
(`scipy.spatial.cKDTree`), queried in chunks so memory stays bounded whatever the number
of prospects. Each match is explained by its *closest features*: the features with the
smallest standardised gap $|z_{pj} - z_{rj}|$ (ties broken by feature order). A
prospect's look-alike distance is the mean distance to its ``k`` matches; the smaller,
the more it looks like the bank's best clients.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from lendcrm._arrays import FloatArray, IntArray, as_float_array, check_same_length
from lendcrm._collections import require_mapping
from lendcrm._validators import (
    Attribute,
    Validator,
    instance_of,
    refuse_object,
    require_labels,
    tuple_of,
)
from lendcrm.errors import InvalidValueError
from lendcrm.relationship.commercial._checks import whole_number

__all__ = [
    "LookAlikeIndex",
    "LookAlikes",
    "Standardisation",
    "feature_matrix",
]

#: Prospects per k-d tree query (bounds the temporary arrays of one chunk).
DEFAULT_CHUNK: Final = 32_768
#: Closest features kept per match unless told.
DEFAULT_TOP: Final = 3


def _array(kinds: str, ndim: int, what: str) -> Validator:
    """Require a numpy array of dtype kind in ``kinds`` and ``ndim`` axes, finite."""

    def check(_inst: object, attr: Attribute, value: object) -> None:
        if not (
            isinstance(value, np.ndarray)
            and value.dtype.kind in kinds
            and value.ndim == ndim
        ):
            refuse_object(value, name=attr.name, what=what)
        bad = ~np.isfinite(value) if value.dtype.kind == "f" else value < 0
        if bad.any():
            at = np.unravel_index(int(np.argmax(bad)), value.shape)
            raise InvalidValueError(
                field=f"{attr.name}[{', '.join(str(int(i)) for i in at)}]",
                value=value[at].item(),
                expected="a finite number" if value.dtype.kind == "f" else "a row >= 0",
            )

    return check


def _same_shape(first: str, **arrays: tuple[int, ...]) -> None:
    shape = arrays[first]
    for name, other in arrays.items():
        if other != shape:
            raise InvalidValueError(
                field=name,
                value=f"shape {other}",
                expected=f"the shape of `{first}` {shape}",
            )


_NAMES = tuple_of(str, what="feature name (a string)")
_VECTOR = _array("f", 1, "a 1-d float64 array")
_MATRIX = _array("f", 2, "a 2-d float64 array (rows, features)")


def feature_matrix(
    features: Mapping[str, npt.ArrayLike], *, names: Sequence[str], field: str
) -> FloatArray:
    """Stack the named feature columns into a finite float64 matrix ``(n, p)``.

    Args:
        features: Column name to values (a dict of arrays; a DataFrame's columns).
        names: The columns to take, in order.
        field: The argument's name, used in error messages.

    Raises:
        InvalidValueError: a column is missing, not finite, or the columns differ in
            length (the message names the column).

    Examples:
        >>> feature_matrix({"a": [1, 2], "b": [3, 4]}, names=["b", "a"], field="x")
        array([[3., 1.],
               [4., 2.]])
    """
    require_mapping(features, name=field, what="a mapping of feature name to column")
    names = require_labels(names, name="names", what="feature names")
    if not names:
        raise InvalidValueError(
            field=f"{field}.names", value=list(names), expected="at least one feature"
        )
    cols: dict[str, FloatArray] = {}
    for name in names:
        if name not in features:
            raise InvalidValueError(
                field=f"{field}[{name!r}]",
                value="missing",
                expected=f"a column for every feature {list(names)!r}",
            )
        cols[f"{field}[{name!r}]"] = as_float_array(
            features[name], name=f"{field}[{name!r}]"
        )
    check_same_length(**cols)
    return np.column_stack(list(cols.values())).astype(np.float64, copy=False)


@attrs.frozen(kw_only=True, eq=False)
class Standardisation:
    """Mean and standard deviation per feature of a reference set.

    Attributes:
        names: Feature names, in column order.
        mean: Mean per feature, shape ``(p,)``.
        scale: Population standard deviation per feature (> 0), shape ``(p,)``.

    Examples:
        >>> s = Standardisation.fit({"x": [1.0, 3.0]}, names=["x"])
        >>> s.mean.tolist(), s.scale.tolist()
        ([2.0], [1.0])
        >>> s.apply({"x": [4.0]}).tolist()
        [[2.0]]
    """

    names: tuple[str, ...] = attrs.field(validator=_NAMES)
    mean: FloatArray = attrs.field(validator=_VECTOR)
    scale: FloatArray = attrs.field(validator=_VECTOR)

    def __attrs_post_init__(self) -> None:
        """One mean and one positive scale per feature."""
        p = (len(self.names),)
        _same_shape("names", names=p, mean=self.mean.shape)
        _same_shape("names", names=p, scale=self.scale.shape)
        if (self.scale <= 0).any():
            j = int(np.argmax(self.scale <= 0))
            raise InvalidValueError(
                field=f"scale[{j}]", value=float(self.scale[j]), expected="a number > 0"
            )

    @classmethod
    def fit(
        cls, reference: Mapping[str, npt.ArrayLike], *, names: Sequence[str]
    ) -> Standardisation:
        """Measure each feature of the reference set.

        Raises:
            InvalidValueError: a feature does not vary across the reference set (a zero
                standard deviation cannot scale it), or as `feature_matrix`.
        """
        x = feature_matrix(reference, names=names, field="reference")
        if x.shape[0] == 0:
            raise InvalidValueError(
                field="reference", value="0 rows", expected="at least one client"
            )
        mean: FloatArray = x.mean(axis=0)
        scale = x.std(axis=0)
        flat = scale <= 1e-12 * np.maximum(1.0, np.abs(mean))
        if flat.any():
            j = int(np.argmax(flat))
            raise InvalidValueError(
                field=f"reference[{names[j]!r}]",
                value=f"every value {float(x[0, j]):g}",
                expected="a feature that varies across the reference clients "
                "(standard deviation > 0)",
                hint="Drop the feature or widen the reference set.",
            )
        return cls(names=tuple(names), mean=mean, scale=scale)

    def apply(self, features: Mapping[str, npt.ArrayLike]) -> FloatArray:
        """Standardised matrix ``(n, p)``: ``(x - mean) / scale``."""
        x = feature_matrix(features, names=self.names, field="features")
        return ((x - self.mean) / self.scale).astype(np.float64, copy=False)


@attrs.frozen(kw_only=True, eq=False)
class LookAlikes:
    """The ``k`` nearest reference clients of each prospect, with the reasons.

    Attributes:
        neighbours: Row of each match in the reference set, shape ``(n, k)``, nearest
            first.
        distances: Euclidean distance in standard deviations, shape ``(n, k)``.
        closest_features: Per match, the indices of the features with the smallest
            standardised gaps, closest first, shape ``(n, k, top)``.
        names: Feature names (what ``closest_features`` indexes).
    """

    neighbours: IntArray = attrs.field(validator=_array("iu", 2, "a 2-d int array"))
    distances: FloatArray = attrs.field(validator=_MATRIX)
    closest_features: IntArray = attrs.field(
        validator=_array("iu", 3, "a 3-d int array (prospect, match, feature)")
    )
    names: tuple[str, ...] = attrs.field(validator=_NAMES)

    def __attrs_post_init__(self) -> None:
        """Distances and closest features line up with the matches."""
        rows = self.neighbours.shape
        _same_shape("neighbours", neighbours=rows, distances=self.distances.shape)
        _same_shape(
            "neighbours",
            neighbours=rows,
            closest_features=self.closest_features.shape[:2],
        )

    @property
    def mean_distance(self) -> FloatArray:
        """Mean distance to the ``k`` matches per prospect (smaller: more alike)."""
        return np.asarray(self.distances.mean(axis=1), dtype=np.float64)

    def ranking(self) -> IntArray:
        """Prospect rows, most alike first (ties keep row order)."""
        return np.argsort(self.mean_distance, kind="stable").astype(np.int64)

    def explain(self, prospect: int, match: int = 0) -> tuple[str, ...]:
        """Names of the closest features of one match (the why of the match)."""
        return tuple(self.names[j] for j in self.closest_features[prospect, match])


def _closest(zp: FloatArray, zr: FloatArray, nbr: IntArray, top: int) -> IntArray:
    gaps = np.abs(zp[:, None, :] - zr[nbr])
    order = np.argsort(gaps, axis=2, kind="stable")
    return order[:, :, :top].astype(np.int64)


@attrs.frozen(kw_only=True, eq=False)
class LookAlikeIndex:
    """The reference clients, standardised and indexed for nearest-neighbour queries.

    Build it with `LookAlikeIndex.fit` on the bank's diamond and gold clients; query a
    whole prospect list with `query` (the batch face) or one prospect with `match`
    (the one-entity face: a plain scan, same result).

    Attributes:
        standardisation: Mean and scale of the reference features.
        reference: The standardised reference matrix ``(m, p)``.

    Examples:
        >>> ref = {"revenue": [10.0, 20.0, 30.0, 40.0], "leverage": [1.0, 2.0, 1.0, 2.0]}
        >>> index = LookAlikeIndex.fit(ref, names=["revenue", "leverage"])
        >>> found = index.query({"revenue": [21.0], "leverage": [1.2]}, k=2, top=1)
        >>> found.neighbours.tolist(), found.explain(0, 0)
        ([[2, 0]], ('leverage',))
    """

    standardisation: Standardisation = attrs.field(
        validator=instance_of(Standardisation, what="a Standardisation")
    )
    reference: FloatArray = attrs.field(validator=_MATRIX)
    tree: cKDTree = attrs.field(
        repr=False, validator=instance_of(cKDTree, what="a scipy cKDTree")
    )

    def __attrs_post_init__(self) -> None:
        """One reference column per feature, and the tree built on the reference."""
        p = len(self.standardisation.names)
        if self.reference.shape[1] != p:
            raise InvalidValueError(
                field="reference",
                value=f"shape {self.reference.shape}",
                expected=f"one column per feature ({p})",
            )
        if self.tree.n != self.reference.shape[0]:
            raise InvalidValueError(
                field="tree",
                value=f"{self.tree.n} points",
                expected=f"one point per reference row ({self.reference.shape[0]})",
            )

    @classmethod
    def fit(
        cls, reference: Mapping[str, npt.ArrayLike], *, names: Sequence[str]
    ) -> LookAlikeIndex:
        """Standardise the reference clients and build the k-d tree.

        Raises:
            InvalidValueError: as `Standardisation.fit`.
        """
        s = Standardisation.fit(reference, names=names)
        z = s.apply(reference)
        return cls(standardisation=s, reference=z, tree=cKDTree(z))

    def _check(self, k: int, top: int | None) -> int:
        m, p = self.reference.shape
        whole_number(k, name="k", lower=1, upper=m)
        if top is None:
            return min(DEFAULT_TOP, int(p))
        return whole_number(top, name="top", lower=1, upper=p)

    def query(
        self,
        prospects: Mapping[str, npt.ArrayLike],
        *,
        k: int = 10,
        top: int | None = None,
        chunk_size: int = DEFAULT_CHUNK,
        workers: int = 1,
    ) -> LookAlikes:
        """The ``k`` nearest reference clients of every prospect (batch face).

        Args:
            prospects: Feature columns of the prospects (same names as the reference).
            k: Matches per prospect, in [1, reference size].
            top: Closest features kept per match, in [1, number of features]
                (``None``: three, or every feature if there are fewer).
            chunk_size: Prospects per tree query (memory bound), >= 1.
            workers: Threads of each tree query (-1: every core), as
                `scipy.spatial.cKDTree.query`.

        Raises:
            InvalidValueError: bad ``k``, ``top`` or ``chunk_size``, or as
                `feature_matrix`.
        """
        n_top = self._check(k, top)
        whole_number(chunk_size, name="chunk_size", lower=1)
        zp = self.standardisation.apply(prospects)
        n = zp.shape[0]
        nbr = np.empty((n, k), dtype=np.int64)
        dist = np.empty((n, k), dtype=np.float64)
        close = np.empty((n, k, n_top), dtype=np.int64)
        for lo in range(0, n, chunk_size):
            hi = min(lo + chunk_size, n)
            d, i = self.tree.query(zp[lo:hi], k=[*range(1, k + 1)], workers=workers)
            nbr[lo:hi], dist[lo:hi] = i, d
            close[lo:hi] = _closest(zp[lo:hi], self.reference, nbr[lo:hi], n_top)
        return LookAlikes(
            neighbours=nbr,
            distances=dist,
            closest_features=close,
            names=self.standardisation.names,
        )

    def match(
        self, prospect: Mapping[str, float], *, k: int = 10, top: int | None = None
    ) -> LookAlikes:
        """The ``k`` nearest reference clients of one prospect, by a plain scan.

        The one-entity face of `query` (same numbers; ties in distance are ordered by
        reference row). ``prospect`` maps each feature name to one number.

        Examples:
            >>> index = LookAlikeIndex.fit({"x": [0.0, 1.0, 4.0]}, names=["x"])
            >>> one = index.match({"x": 0.9}, k=2, top=1)
            >>> one.neighbours.tolist(), one.distances.round(4).tolist()
            ([[1, 0]], [[0.0588, 0.5295]])
        """
        n_top = self._check(k, top)
        zp = self.standardisation.apply({n: [v] for n, v in prospect.items()})
        d = np.sqrt(((self.reference - zp[0]) ** 2).sum(axis=1))
        order = np.argsort(d, kind="stable")[:k].astype(np.int64)
        nbr = order[None, :]
        return LookAlikes(
            neighbours=nbr,
            distances=d[order][None, :],
            closest_features=_closest(zp, self.reference, nbr, n_top),
            names=self.standardisation.names,
        )
