"""The frames package's helpers for the layers above the core (private).

`lendcrm.frames.clients_frame` builds its frame with `client_columns`; the relationship
view builds one client's row with the same function, so both hold the same values.
`rule_errors` turns a vectorised cross-column rule into the `InvalidRowsError` that
`lendcrm.frames.check_frame` raises for a column rule (first offending row labels, first
value), so every layer's frame adapter reports its own rules the same way. They live in
the frames package (`Amounts` beside the frame builder, `client_columns` in the writer,
`rule_errors` beside `check_frame`); this module is their import path outside
`lendcrm.frames`, whose private modules serve that package only.
"""

from __future__ import annotations

from lendcrm.frames._check import rule_errors
from lendcrm.frames._columnar import Amounts
from lendcrm.frames._write import client_columns

__all__ = ["Amounts", "client_columns", "rule_errors"]
