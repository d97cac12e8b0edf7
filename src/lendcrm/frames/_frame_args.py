"""Argument checks at the door of `check_frame` and `check_unique_labels` (#17).

Kept apart from `lendcrm.frames._check` (the row rules) so that the type checks of
the arguments a caller passes — the frame, the column specs, the unique columns —
stay one small function each.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lendcrm._validators import refuse_object, require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.frames._specs import ColumnSpec

__all__ = ["check_frame_arguments", "check_frame_object"]


def check_frame_object(frame: object, frame_name: object) -> None:
    """Refuse a `frame` that is not a DataFrame, or a `frame_name` that is not text."""
    if not isinstance(frame_name, str) or not frame_name:
        refuse_object(frame_name, name="frame_name", what="a non-empty frame name")
    require_instance(frame, pd.DataFrame, name=frame_name, what="a pandas DataFrame")


def _sequence(value: object, name: str) -> Sequence[object]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        refuse_object(value, name=name, what="a sequence")
    return value


def check_frame_arguments(
    frame: pd.DataFrame, specs: object, unique: object, frame_name: str
) -> None:
    """Refuse specs that are not `ColumnSpec`, and unique columns no spec or column has."""
    spec_list = _sequence(specs, "specs")
    for i, spec in enumerate(spec_list):
        require_instance(spec, ColumnSpec, name=f"specs[{i}]", what="a ColumnSpec")
    declared = {getattr(spec, "name", None) for spec in spec_list} | set(frame.columns)
    for i, column in enumerate(_sequence(unique, "unique")):
        if not isinstance(column, str) or column not in declared:
            raise InvalidValueError(
                field=f"unique[{i}]",
                value=column,
                expected=f"a column of `{frame_name}`",
            )
