"""The clients-frame row builder, for the layers above the core (private).

`lendcrm.frames.clients_frame` builds its frame with `client_columns`; the relationship
view builds one client's row with the same function, so both hold the same values. They
live in the frames package (`Amounts` beside the frame builder, `client_columns` in
the writer); this module is their import path outside `lendcrm.frames`,
whose private modules serve that package only.
"""

from __future__ import annotations

from lendcrm.frames._columnar import Amounts
from lendcrm.frames._write import client_columns

__all__ = ["Amounts", "client_columns"]
