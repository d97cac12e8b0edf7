"""Collateral shared by two facilities of one client (numpy only).

A client with two or more senior secured facilities in one currency (other than
project and receivables finance, whose collateral belongs to the facility) pledges,
with probability ``SHARED_ASSET_SHARE``, one asset to its two oldest: the older
facility holds the first claim (rank 1), the younger the second (rank 2). The asset
is worth what the two pledges were drawn at together, so the second claim has value
behind it; its kind and haircut are the older pledge's. The *Synthetic books* page
("Facilities") gives the rule and the measured share.
"""

from __future__ import annotations

import attrs
import numpy as np

from lendcrm.synthetic._asset_links import Assets
from lendcrm.synthetic._draws import Draws
from lendcrm.synthetic._tables import RECEIVABLES_FINANCE, SHARED_ASSET_SHARE


def share_assets(rng: np.random.Generator, d: Draws) -> Draws:
    """``d`` with one asset pledged to the two oldest eligible facilities of some clients."""
    c, f = d.clients, d.facilities
    eligible = np.flatnonzero(
        (f.collateral_kind >= 0) & ~c.is_spv[f.client] & (f.kind != RECEIVABLES_FINANCE)
    )
    order = eligible[
        np.lexsort(
            (eligible, f.start[eligible], f.currency[eligible], f.client[eligible])
        )
    ]
    starts = np.ones(order.size, dtype=np.bool_)
    starts[1:] = (f.client[order][1:] != f.client[order][:-1]) | (
        f.currency[order][1:] != f.currency[order][:-1]
    )
    group = np.cumsum(starts) - 1
    position = np.arange(order.size) - np.flatnonzero(starts)[group]
    at = np.flatnonzero(position == 1)  # the second facility of each group
    chosen = rng.random(at.size) < SHARED_ASSET_SHARE
    second, first = order[at[chosen]], order[at[chosen] - 1]
    assets = Assets.unshared(f)
    assets.source[second] = first
    assets.rank[first], assets.rank[second] = 1, 2
    value = f.collateral_value.copy()
    value[first] = value[second] = (
        f.collateral_value[first] + f.collateral_value[second]
    )
    kind, haircut = f.collateral_kind.copy(), f.haircut.copy()
    kind[second], haircut[second] = kind[first], haircut[first]
    shared = attrs.evolve(
        f, collateral_kind=kind, haircut=haircut, collateral_value=value
    )
    return attrs.evolve(d, facilities=shared, assets=assets)
