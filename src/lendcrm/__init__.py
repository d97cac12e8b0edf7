"""lendcrm: client relationships in project finance and corporate lending.

Typed, validated, immutable entities; an audited lifecycle; value segmentation; credit
scoring, pricing and capital. Pure library: no I/O, no clock, no global state.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from lendcrm.errors import (
    BatchValidationError,
    CurrencyMismatchError,
    InvalidValueError,
    LendCRMError,
    UnknownReferenceError,
)
from lendcrm.money import Money

try:
    __version__ = version("lendcrm")
except PackageNotFoundError:  # a source tree that is not installed
    __version__ = "0+unknown"

__all__ = [
    "BatchValidationError",
    "CurrencyMismatchError",
    "InvalidValueError",
    "LendCRMError",
    "Money",
    "UnknownReferenceError",
]
