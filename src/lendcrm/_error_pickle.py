"""Pickling for the exception tree: rebuild through the keyword-only constructors.

`BaseException` pickles as ``cls(*args)``, which fails for a class whose ``__init__``
takes keyword-only arguments. The root `LendCRMError.__reduce__` uses these helpers to
call the constructor again with the attributes of the same names, and to carry the
notes (``add_note``) and the ``__cause__`` across.
"""

from __future__ import annotations

import inspect
import pickle
from typing import Any

__all__ = ["keyword_names", "pickle_state", "rebuild_error"]


def keyword_names(cls: type[BaseException]) -> tuple[str, ...] | None:
    """The keyword-only parameters of ``cls.__init__``; ``None`` if it takes ``*args``.

    Examples:
        >>> class Odd(Exception):
        ...     def __init__(self, *, code: int) -> None:
        ...         self.code = code
        ...         super().__init__(f"odd {code}")
        >>> keyword_names(Odd), keyword_names(ValueError)
        (('code',), None)
    """
    init = cls.__init__
    if not inspect.isfunction(init):  # a builtin's __init__: args pickle as they are
        return None
    params = list(inspect.signature(init).parameters.values())[1:]
    kinds = {p.kind for p in params}
    if kinds - {inspect.Parameter.KEYWORD_ONLY}:
        return None
    return tuple(p.name for p in params)


def pickle_state(exc: BaseException) -> dict[str, Any]:
    """The instance state to restore after rebuilding: attributes, notes and the cause.

    A cause that does not survive a pickle round trip itself is left out rather than
    making the whole error unpicklable.
    """
    state = dict(vars(exc))
    cause = exc.__cause__
    if cause is not None:
        try:
            pickle.loads(pickle.dumps(cause))  # noqa: S301 - our own bytes
        except Exception:  # noqa: BLE001 - any failure means: leave the cause out
            return state
        state["__cause__"] = cause
    return state


def rebuild_error(cls: type[BaseException], kwargs: dict[str, Any]) -> BaseException:
    """Call ``cls(**kwargs)``: the unpickling side of `LendCRMError.__reduce__`."""
    return cls(**kwargs)
