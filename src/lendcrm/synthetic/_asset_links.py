"""Which asset each collateral row of a synthetic book describes (numpy only)."""

from __future__ import annotations

import attrs
import numpy as np

from lendcrm._arrays import IntArray
from lendcrm.synthetic._draws_facilities import Facilities


@attrs.frozen(kw_only=True)
class Assets:
    """Per facility, the asset its collateral row describes (internal).

    ``source`` is the facility whose collateral row is the asset's first (its own
    index when the asset is not shared or it holds the first claim; -1 when
    unsecured); ``rank`` is the claim rank on a shared asset (1 or 2), 0 otherwise.
    """

    source: IntArray
    rank: IntArray

    @classmethod
    def unshared(cls, f: Facilities) -> Assets:
        """Every secured facility pledges an asset of its own."""
        own = np.arange(f.client.size, dtype=np.int64)
        return cls(
            source=np.where(f.collateral_kind >= 0, own, -1),
            rank=np.zeros(f.client.size, dtype=np.int64),
        )
