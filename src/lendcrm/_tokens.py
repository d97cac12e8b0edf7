"""Deterministic Dask tokens for attrs values (Dask is optional: imported on call).

Dask names a task by hashing its arguments (``dask.base.tokenize``). For an object it
does not know, it hashes the object's pickle bytes, and those keep the sharing of
sub-objects: a value and its pickled copy (what a worker receives) can hash apart, so
the same models or book frames would name two tasks. `dask_token` walks an attrs value
field by field instead and hands each leaf (a float, a string, a frame, an array) to
Dask's own ``normalize_token``, which hashes it by content.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs


def _walk(value: object, normalize: object) -> object:
    kind = type(value)
    if attrs.has(kind):
        return (
            f"{kind.__module__}.{kind.__qualname__}",
            tuple(
                (field.name, _walk(getattr(value, field.name), normalize))
                for field in attrs.fields(kind)
            ),
        )
    if isinstance(value, tuple | list):
        return (type(value).__name__, tuple(_walk(v, normalize) for v in value))
    if isinstance(value, set | frozenset):  # their order can change in a copy
        return ("set", tuple(sorted((_walk(v, normalize) for v in value), key=str)))
    if isinstance(value, Mapping):
        return (
            "mapping",
            tuple((_walk(k, normalize), _walk(v, normalize)) for k, v in value.items()),
        )
    return normalize(value)  # type: ignore[operator]


def dask_token(value: object) -> object:
    """A value's token for ``dask.base.tokenize``: equal for equal contents.

    The ``__dask_tokenize__`` of the classes Dask ships to workers
    (`lendcrm.relationship.RelationshipModels`, `lendcrm.frames.BookFrames`): a
    pickled copy tokenises as the original.
    """
    from dask.base import normalize_token  # noqa: PLC0415 (Dask only calls this)

    return _walk(value, normalize_token)
