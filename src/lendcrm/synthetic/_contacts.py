"""Relationship managers, contacts and interactions of a synthetic book (#13).

Drawn after every other frame, from the same generator, so the other frames stay value
for value what they were before these were added. The value tier a bank would give a
client is proxied by the rank of its revenue to the bank (top 5 % diamond, next 15 %
gold, next 30 % silver, the rest basic: the Pareto shape of `tables.STAGES`' books);
a better tier is contacted more often, and young (acquisition, activation) and
declining relationships more often than mature ones.

- RMs: one per about 150 clients (at least two), ids ``RM0001``...; the first fifth are
  senior and cover the diamond and gold clients, the others the rest.
- Contacts: 1 to 4 per client (``{client}-K{k}``), roles drawn with the CFO first; the
  CEO and CFO decide. Names are made up (``Contact {k} of {client}``).
- Interactions: a Poisson count over the last two years (never before onboarding),
  dates uniform in that window, oldest first; channel and topic drawn from fixed
  shares; held by the client's RM with its first contact (none for a forum or a
  questionnaire); a follow-up for 30 % of them, 14-60 days later.
- Projects: Equator category A (15 %), B (60 %), C (25 %).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._contacts import ContactRole, InteractionChannel, InteractionTopic
from lendcrm.frames import columns as schema
from lendcrm.synthetic._frame_tools import as_ns, categorical, str_column

__all__ = [
    "EQUATOR_SHARES",
    "TIER_SHARES",
    "contact_frames",
    "equator_categories",
    "proxy_tiers",
]

#: Share of clients per proxy tier, best first (diamond, gold, silver, basic).
TIER_SHARES: Final = (0.05, 0.15, 0.30, 0.50)
#: Interactions a year per proxy tier, best first.
_RATE_BY_TIER: Final = np.array([14.0, 6.0, 3.0, 1.5])
#: Multiplier of the rate per stage (rows of `tables.STAGES`).
_RATE_BY_STAGE: Final = np.array([1.5, 1.4, 1.1, 1.0, 1.3])
_WINDOW_DAYS: Final = 730
_CHANNELS: Final = tuple(c.value for c in InteractionChannel)
#: Channel shares per proxy tier (meeting, call, visit, email, forum, questionnaire).
_CHANNEL_SHARES: Final = np.array(
    [
        [0.30, 0.25, 0.25, 0.12, 0.05, 0.03],
        [0.25, 0.30, 0.15, 0.20, 0.05, 0.05],
        [0.10, 0.40, 0.05, 0.30, 0.05, 0.10],
        [0.05, 0.35, 0.02, 0.40, 0.03, 0.15],
    ]
)
#: Channels without a named contact (the client attends as a firm).
_GROUP_CHANNELS: Final = ("client_forum", "questionnaire")
#: Share of interactions with a follow-up, and its delay in days [low, high).
_FOLLOW_UP_SHARE: Final = 0.3
_FOLLOW_UP_DAYS: Final = (14, 61)
_TOPICS: Final = tuple(t.value for t in InteractionTopic)
#: Topic shares (relationship, credit review, annual review, KYC, covenant, product,
#: complaint).
_TOPIC_SHARES: Final = np.array([0.45, 0.10, 0.10, 0.07, 0.05, 0.20, 0.03])
_ROLES: Final = tuple(r.value for r in ContactRole)
#: Roles of the second to fourth contacts (the first is the CFO).
_OTHER_ROLE_SHARES: Final = np.array([0.25, 0.0, 0.30, 0.15, 0.10, 0.10, 0.05, 0.05])
#: Equator categories A, B, C and their shares among project vehicles.
EQUATOR_SHARES: Final = (("A", 0.15), ("B", 0.60), ("C", 0.25))


def proxy_tiers(revenue_to_bank: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    """Tier code (0 = diamond) of each client by the rank of its revenue to the bank."""
    n = revenue_to_bank.size
    order = np.argsort(-np.nan_to_num(revenue_to_bank, nan=-np.inf), kind="stable")
    bounds = np.floor(np.cumsum(TIER_SHARES) * n).astype(np.int64)
    tier = np.empty(n, dtype=np.int64)
    tier[order] = np.searchsorted(bounds, np.arange(n), side="right")
    out: npt.NDArray[np.int64] = np.minimum(tier, len(TIER_SHARES) - 1)
    return out


def _choice(
    rng: np.random.Generator,
    shares: npt.NDArray[np.float64],
    rows: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """One category per row, drawn from ``shares[rows]`` (a row of shares each)."""
    cum = np.cumsum(shares, axis=1)
    u = rng.random(rows.size)
    codes = (u[:, None] > cum[rows]).sum(axis=1).astype(np.int64)
    out: npt.NDArray[np.int64] = np.minimum(codes, shares.shape[1] - 1)
    return out


def contact_frames(
    rng: np.random.Generator,
    clients: pd.DataFrame,
    stage_codes: npt.NDArray[np.int64],
    as_of: np.datetime64,
) -> tuple[pd.Series, pd.DataFrame, pd.DataFrame]:
    """The RM column of the clients, the contacts and interactions frames."""
    n = len(clients)
    ids = clients[schema.CLIENT_ID].to_numpy(dtype=object)
    tier = proxy_tiers(clients[schema.REVENUE_TO_BANK].to_numpy(dtype=np.float64))
    n_rm = max(2, n // 150)
    senior = max(1, n_rm // 5)
    rm_ids = np.array([f"RM{i:04d}" for i in range(1, n_rm + 1)], dtype=object)
    rm = np.where(tier <= 1, rng.integers(0, senior, n), rng.integers(senior, n_rm, n))
    contacts = _contacts(rng, ids)
    interactions = _interactions(
        rng, ids, clients, tier, stage_codes, rm_ids[rm], as_of
    )
    return str_column(rm_ids[rm]), contacts, interactions


def _contacts(rng: np.random.Generator, ids: npt.NDArray[np.object_]) -> pd.DataFrame:
    n = ids.size
    count = 1 + np.minimum(rng.poisson(1.0, n), 3)
    owner = np.repeat(np.arange(n), count)
    k = np.arange(owner.size) - np.repeat(np.cumsum(count) - count, count)
    other = _choice(rng, _OTHER_ROLE_SHARES[None, :], np.zeros(owner.size, np.int64))
    role = np.where(k == 0, _ROLES.index("cfo"), other)
    number = (k + 1).astype(str).astype(object)
    cid = ids[owner]
    return pd.DataFrame(
        {
            schema.CLIENT_ID: str_column(cid),
            schema.CONTACT_ID: str_column(cid + "-K" + number),
            schema.CONTACT_ROLE: categorical(role, _ROLES),
            schema.DECISION_MAKER: np.isin(
                role, [_ROLES.index("ceo"), _ROLES.index("cfo")]
            ),
            schema.CONTACT_NAME: str_column("Contact " + number + " of " + cid),
            schema.CONTACT_EMAIL: str_column(
                "k"
                + number
                + "."
                + np.char.lower(cid.astype(str)).astype(object)
                + "@example.com"
            ),
            schema.CONTACT_PHONE: pd.Series([None] * owner.size, dtype="str"),
        },
        copy=False,
    )


def _interactions(  # noqa: PLR0917 - private step of contact_frames
    rng: np.random.Generator,
    ids: npt.NDArray[np.object_],
    clients: pd.DataFrame,
    tier: npt.NDArray[np.int64],
    stage_codes: npt.NDArray[np.int64],
    rm: npt.NDArray[np.object_],
    as_of: np.datetime64,
) -> pd.DataFrame:
    day = as_of.astype("datetime64[D]").astype(np.int64)
    onboarded = (
        clients[schema.ONBOARDED_ON]
        .to_numpy(dtype="datetime64[ns]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )
    start = np.maximum(onboarded, day - _WINDOW_DAYS)
    span = day - start + 1
    lam = _RATE_BY_TIER[tier] * _RATE_BY_STAGE[stage_codes] * span / 365.25
    count = rng.poisson(lam)
    owner = np.repeat(np.arange(ids.size), count)
    on = start[owner] + np.floor(rng.random(owner.size) * span[owner]).astype(np.int64)
    order = np.lexsort((on, owner))
    owner, on = owner[order], on[order]
    channel = _choice(rng, _CHANNEL_SHARES, tier[owner])
    topic = _choice(rng, _TOPIC_SHARES[None, :], np.zeros(owner.size, np.int64))
    group = np.isin(channel, [_CHANNELS.index(c) for c in _GROUP_CHANNELS])
    contact = np.where(group, None, ids[owner] + "-K1")
    follow = rng.random(owner.size) < _FOLLOW_UP_SHARE
    follow_on = on + rng.integers(*_FOLLOW_UP_DAYS, owner.size)
    as_day = np.array(on, dtype="datetime64[D]")
    return pd.DataFrame(
        {
            schema.CLIENT_ID: str_column(ids[owner]),
            schema.INTERACTION_ON: as_ns(as_day),
            schema.CHANNEL: categorical(channel, _CHANNELS),
            schema.TOPIC: categorical(topic, _TOPICS),
            schema.RELATIONSHIP_MANAGER: str_column(rm[owner]),
            schema.CONTACT_IDS: pd.Series(contact, dtype="str"),
            schema.OUTCOME: pd.Series([None] * owner.size, dtype="str"),
            schema.FOLLOW_UP_ON: as_ns(
                np.where(follow, follow_on, np.iinfo(np.int64).min).astype(
                    "datetime64[D]"
                )
            ),
        },
        copy=False,
    )


def equator_categories(rng: np.random.Generator, size: int) -> pd.Categorical[str]:
    """An Equator category per project vehicle, drawn from `EQUATOR_SHARES`."""
    shares = np.array([[s for _, s in EQUATOR_SHARES]])
    codes = _choice(rng, shares, np.zeros(size, np.int64))
    return categorical(codes, tuple(c for c, _ in EQUATOR_SHARES))
