"""Checks at the door for collection arguments: label columns, object sequences, maps.

Batch functions take label columns (client ids, actions, tiers) as lists or arrays,
rosters and task lists as sequences of lendcrm objects, and tables as mappings. A
``None``, a lone string, a number or a matrix in their place is refused here by the
parameter's name, instead of failing deep inside with a ``TypeError``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from lendcrm._validators import refuse_object, require_instance
from lendcrm.errors import InvalidValueError

__all__ = ["object_column", "require_mapping", "sequence_of"]

T = TypeVar("T")


def _iterable(value: object, *, name: str, what: str) -> Iterable[Any]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        refuse_object(value, name=name, what=what)
    return value


def object_column(values: object, *, name: str) -> npt.NDArray[np.object_]:
    """Return a label column as a 1-d object array; refuse scalars and matrices.

    Examples:
        >>> object_column(["A", "B"], name="client_ids").tolist()
        ['A', 'B']
        >>> object_column("AB", name="client_ids")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `client_ids` must be a sequence of labels (a list or 1-d array); got a 'str'.
    """
    what = "a sequence of labels (a list or 1-d array)"
    column = np.asarray(list(_iterable(values, name=name, what=what)), dtype=object)
    if column.ndim != 1:
        raise InvalidValueError(
            field=name, value=f"array of shape {column.shape}", expected=what
        )
    return column


def sequence_of(values: object, cls: type[T], *, name: str, what: str) -> list[T]:
    """Return ``values`` as a list of ``cls``; name the first item of another type.

    Examples:
        >>> sequence_of(["RM-1", 2], str, name="ids", what="str")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `ids[1]` must be a str; got a 'int'.
    """
    items = list(_iterable(values, name=name, what=f"a sequence of {what}"))
    for i, item in enumerate(items):
        require_instance(item, cls, name=f"{name}[{i}]", what=f"a {what}")
    return items


def require_mapping(value: object, *, name: str, what: str) -> Mapping[Any, Any]:
    """Return ``value`` if it is a mapping, else refuse it by name.

    Examples:
        >>> require_mapping(None, name="owners", what="a mapping of client id to RM id")
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `owners` must be a mapping of client id to RM id; got None.
    """
    if not isinstance(value, Mapping):
        refuse_object(value, name=name, what=what)
    return value
