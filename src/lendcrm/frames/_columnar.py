"""Column lists to typed frames, and amounts to float64 (private to `lendcrm.frames`).

`Amounts` applies the lossless rule (an amount crosses into a frame only if float64
holds it exactly); `frame_of` builds a frame with the schema's dtypes from column lists.
The frame writers of the entities, their children and their histories share them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from lendcrm._money import Money
from lendcrm.errors import (
    BatchValidationError,
    InvalidValueError,
    LendCRMError,
)
from lendcrm.frames._specs import DATE_DTYPE

__all__ = ["Amounts", "empty_frame", "frame_of"]


def empty_frame(dtypes: Mapping[str, str]) -> pd.DataFrame:
    """A frame with no rows and the columns and dtypes of ``dtypes``."""
    return frame_of({name: [] for name in dtypes}, dtypes)


def frame_of(
    data: Mapping[str, Sequence[Any]], dtypes: Mapping[str, str]
) -> pd.DataFrame:
    """A frame of the columns of ``dtypes`` (in that order) from lists or arrays."""
    columns: dict[str, object] = {}
    for name, dtype in dtypes.items():
        values = data[name]
        if dtype == DATE_DTYPE:
            days = np.array(values, dtype="datetime64[D]")
            columns[name] = pd.Series(days.astype(DATE_DTYPE), dtype=DATE_DTYPE)
        else:
            columns[name] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(columns)


def _inexact(money: Money, path: str) -> InvalidValueError:
    return InvalidValueError(
        field=path,
        value=money.amount,
        expected="an amount float64 holds exactly (15 significant "
        "digits always fit) to cross into a frame",
        hint="Round it first with Money.rounded(places).",
    )


class Amounts:
    """Money -> float64 that refuses amounts float64 cannot hold exactly."""

    def __init__(self) -> None:
        self.errors: list[LendCRMError] = []

    def __call__(self, money: Money | None, path: str) -> float | None:
        if money is None:
            return None
        value = float(money.amount)
        if Decimal(repr(value)) != money.amount:
            self.errors.append(_inexact(money, path))
        return value

    def column(
        self, moneys: Sequence[Money | None], path: Callable[[int], str]
    ) -> list[float | None]:
        """Many amounts at once; ``path(k)`` names the k-th only if it is refused."""
        values = [None if m is None else float(m.amount) for m in moneys]
        for k, (money, value) in enumerate(zip(moneys, values, strict=True)):
            if money is not None and Decimal(repr(value)) != money.amount:
                self.errors.append(_inexact(money, path(k)))
        return values

    def raise_if_any(self, total: int) -> None:
        if self.errors:
            raise BatchValidationError(self.errors, total=total, what="entities")
