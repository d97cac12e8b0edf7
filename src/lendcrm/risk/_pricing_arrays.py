"""Broadcasting of validated arrays for the pricing and capital modules (#6)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TypeVar

import numpy as np

from lendcrm._arrays import FloatArray
from lendcrm.errors import InvalidValueError


def align(**arrays: FloatArray) -> list[FloatArray]:
    """Broadcast length-1 arrays to the common length; refuse any other mismatch.

    The common length is the longest; the error names the odd array and the first
    array of the common length.

    Raises:
        InvalidValueError: an array's length is neither 1 nor the common length.

    Examples:
        >>> import numpy as np
        >>> p, g = align(default_probability=np.array([0.1, 0.2]), lgd=np.array([0.4]))
        >>> [p.tolist(), g.tolist()]
        [[0.1, 0.2], [0.4, 0.4]]
    """
    n = max(a.shape[0] for a in arrays.values())
    ref = next(k for k, a in arrays.items() if a.shape[0] == n)
    out: list[FloatArray] = []
    for key, arr in arrays.items():
        if arr.shape[0] not in (1, n):
            raise InvalidValueError(
                field=key,
                value=f"length {arr.shape[0]}",
                expected=f"length 1 or the same length as `{ref}` ({n})",
            )
        out.append(np.broadcast_to(arr, (n,)))
    return out


K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """A read-only, hashable, picklable mapping for fields of frozen parameter objects.

    `types.MappingProxyType` is read-only but neither hashable nor picklable, so a
    regime or policy holding one could not be hashed or shipped to Dask/Spark workers.

    Examples:
        >>> import pickle
        >>> m = FrozenMap({"a": 1.0})
        >>> pickle.loads(pickle.dumps(m)) == m, hash(m) == hash(FrozenMap({"a": 1.0}))
        (True, True)
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V]) -> None:
        """Copy `data`; later changes to it do not show through."""
        self._data: dict[K, V] = dict(data)

    def __getitem__(self, key: K) -> V:
        """Look up `key`."""
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        """Iterate over the keys in insertion order."""
        return iter(self._data)

    def __len__(self) -> int:
        """Number of entries."""
        return len(self._data)

    def __hash__(self) -> int:
        """Hash of the entries, independent of insertion order."""
        return hash(frozenset(self._data.items()))

    def __eq__(self, other: object) -> bool:
        """Equal to any mapping with the same entries."""
        return isinstance(other, Mapping) and dict(self._data) == dict(other)

    def __repr__(self) -> str:
        """Show the entries like a dict."""
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle through the constructor."""
        return (FrozenMap, (self._data,))
