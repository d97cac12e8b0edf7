"""A synthetic deal pipeline: prospects, opportunities with a realistic funnel, snapshots.

Core code may not import the relationship layer, so the column names are plain strings
here (the core ones from `lendcrm.frames.columns`); the tests hold them equal to
`lendcrm.relationship.commercial.columns`. Every draw is vectorised: loops run over the
five stages and the snapshot months, never over deals.

How a deal is drawn (parameters in the tables below):

1. **Counterparty.** 60 % of deals are with existing clients (drawn from the given
   clients frame, or ids ``C0000001``..), 40 % with prospects; a prospect has one or two
   deals. Prospects come by referral (20 %, from a client), outbound (35 %), inbound
   (20 %), advisers (15 %) or events (10 %).
2. **Deal.** Product kind (term loans most), amount lognormal (median EUR 8 m, sigma
   1.0, rounded to 100,000), the bank's syndication role (larger tickets are syndicated
   more often), one of ``owners`` relationship managers, created uniformly over the
   ``history_days`` before ``as_of``.
3. **Funnel.** From each open stage a deal goes on with the stage's conversion
   probability (lead 0.45, qualified 0.60, proposal 0.70, credit approval 0.80,
   documentation 0.90, times a product factor), otherwise it is lost; so the number
   of deals falls along the funnel while the conversion rises. Days in each stage are
   Gamma(2) with means 30, 35, 40, 30 and 45 days; a move that would fall after
   ``as_of`` has not happened, and the deal is still open in that stage.
4. **Lost reasons.** Credit declined for most deals lost at credit approval; price,
   competitor, structure, client withdrew or timing otherwise.
5. **Slippage.** The first expected close is the creation plus a planned cycle (the
   stage means summed, lognormal sigma 0.3). At each month end while the deal is open
   its owner pushes the date by 15 to 60 days with probability 0.25, and always when it
   has passed; the snapshots record every month end and ``expected_close_on`` is the
   latest date.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, NamedTuple

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import FloatArray, IntArray
from lendcrm._dates import check_as_of
from lendcrm.errors import InvalidValueError
from lendcrm.frames import columns as schema
from lendcrm.synthetic._sampling import categorical_draw
from lendcrm.synthetic._tables import COUNTRIES, SECTORS

__all__ = [
    "PIPELINE_COLUMNS",
    "SyntheticPipeline",
    "generate_pipeline",
]

#: The pipeline column names this module writes (equal to the constants of
#: ``lendcrm.relationship.commercial.columns``).
PIPELINE_COLUMNS: Final = {
    "PROSPECT_ID": "prospect_id",
    "SOURCE": "source",
    "REFERRED_BY": "referred_by",
    "OPPORTUNITY_ID": "opportunity_id",
    "CREATED_ON": "created_on",
    "EXPECTED_CLOSE_ON": "expected_close_on",
    "OWNER": "owner",
    "LOST_REASON": "lost_reason",
    "SYNDICATION_ROLE": "syndication_role",
    "QUALIFIED_ON": "qualified_on",
    "PROPOSAL_ON": "proposal_on",
    "CREDIT_APPROVAL_ON": "credit_approval_on",
    "DOCUMENTATION_ON": "documentation_on",
    "CLOSED_ON": "closed_on",
    "SNAPSHOT_ON": "snapshot_on",
}
_C = PIPELINE_COLUMNS
_STAGES: Final = (
    "lead",
    "qualified",
    "proposal",
    "credit_approval",
    "documentation",
    "won",
    "lost",
)
_ENTRY: Final = (_C["QUALIFIED_ON"], _C["PROPOSAL_ON"], _C["CREDIT_APPROVAL_ON"],
                 _C["DOCUMENTATION_ON"])  # fmt: skip
#: Probability of moving on from each open stage, and mean days spent in it.
CONVERSION: Final = (0.45, 0.60, 0.70, 0.80, 0.90)
STAGE_DAYS: Final = (30.0, 35.0, 40.0, 30.0, 45.0)
#: Product kinds: (value, share, conversion factor).
KINDS: Final = (
    ("term_loan", 0.40, 1.00),
    ("revolving_credit", 0.25, 1.10),
    ("construction_loan", 0.10, 0.85),
    ("bridge", 0.08, 1.05),
    ("guarantee", 0.07, 1.00),
    ("letter_of_credit", 0.05, 1.05),
    ("receivables_finance", 0.05, 0.95),
)
SOURCES: Final = (("referral", 0.20), ("outbound", 0.35), ("inbound", 0.20),
                  ("adviser", 0.15), ("event", 0.10))  # fmt: skip
LOST_REASONS: Final = (("price", 0.30), ("competitor", 0.25), ("structure", 0.15),
                       ("client_withdrew", 0.18), ("timing", 0.12))  # fmt: skip
#: Chance that an owner pushes an open deal's expected close at a month end.
PUSH_PROBABILITY: Final = 0.25
ROLES: Final = ("bilateral", "mandated_lead_arranger", "arranger", "participant")
_KIND_VALUES: Final = tuple(k[0] for k in KINDS)
_REASONS: Final = ("credit_declined", *(r[0] for r in LOST_REASONS))


@attrs.frozen(kw_only=True, eq=False)
class SyntheticPipeline:
    """The frames of a synthetic pipeline.

    Attributes:
        prospects: One row per prospect (the prospects frame's columns).
        opportunities: One row per deal (the opportunities frame's columns).
        snapshots: One row per open deal and month end: ``opportunity_id``,
            ``snapshot_on``, ``expected_close_on``.
    """

    prospects: pd.DataFrame
    opportunities: pd.DataFrame
    snapshots: pd.DataFrame


def _check(n: object, name: str, lower: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < lower:
        raise InvalidValueError(field=name, value=n, expected=f"an int >= {lower}")
    return int(n)


def _ids(prefix: str, n: int) -> pd.Series:
    return pd.Series(np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), 7)),
                     dtype="str")  # fmt: skip


def _categorical(codes: IntArray, values: tuple[str, ...]) -> pd.Categorical[str]:
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(values)))


def _walk(
    rng: np.random.Generator, kind: IntArray, created: IntArray, as_of: int
) -> tuple[IntArray, np.ndarray, IntArray]:
    """Stage code, entry days (n, 5) with -1 when not reached, and the close day."""
    n = kind.size
    factor = np.array([k[2] for k in KINDS])[kind]
    entry = np.full((n, 5), -1, dtype=np.int64)
    entry[:, 0] = created
    stage = np.zeros(n, dtype=np.int64)
    closed = np.full(n, -1, dtype=np.int64)
    live = np.ones(n, dtype=bool)
    for s in range(5):  # five stages, not rows
        leave = entry[:, s] + np.ceil(rng.gamma(2.0, STAGE_DAYS[s] / 2, n)).astype(
            np.int64
        )
        goes_on = rng.random(n) < np.minimum(CONVERSION[s] * factor, 0.98)
        happened = live & (leave <= as_of)
        lost = happened & ~goes_on
        stage[lost], closed[lost] = 6, leave[lost]
        advanced = happened & goes_on
        if s < 4:  # noqa: PLR2004 - documentation is the last open stage
            entry[advanced, s + 1] = leave[advanced]
            stage[advanced] = s + 1
        else:
            stage[advanced], closed[advanced] = 5, leave[advanced]
        live = advanced
    return stage, entry, closed


def _lost_reasons(
    rng: np.random.Generator, stage: IntArray, entry: np.ndarray
) -> IntArray:
    """Codes into ``_REASONS`` (-1 when not lost)."""
    n = stage.size
    reached = (entry >= 0).sum(axis=1) - 1
    other = 1 + categorical_draw(rng, n, [w for _, w in LOST_REASONS])
    declined = (reached == 3) & (rng.random(n) < 0.6)  # noqa: PLR2004 - credit approval
    codes = np.where(declined, 0, other)
    return np.where(stage == 6, codes, -1)  # noqa: PLR2004 - lost


def _slippage(
    rng: np.random.Generator, created: IntArray, closed: IntArray, as_of: int
) -> tuple[IntArray, pd.DataFrame]:
    """Expected close days after the month-end pushes, and the snapshot rows."""
    n = created.size
    plan = np.exp(np.log(sum(STAGE_DAYS)) + 0.3 * rng.standard_normal(n))
    expected = created + np.ceil(plan).astype(np.int64)
    first = np.datetime64(int(created.min()), "D").astype("datetime64[M]")
    last = np.datetime64(as_of, "D").astype("datetime64[M]")
    rows: list[pd.DataFrame] = []
    one_month = np.timedelta64(1, "M")  # numpy 2.5 deprecates datetime64 + int
    for month in np.arange(first, last + one_month):  # one step per month, not per deal
        ends = (month + one_month).astype("datetime64[D]").astype(np.int64) - 1
        if ends > as_of:
            break
        open_now = (created <= ends) & ((closed < 0) | (closed > ends))
        push = open_now & ((rng.random(n) < PUSH_PROBABILITY) | (expected < ends))
        expected = np.where(push, np.maximum(expected, ends) + rng.integers(15, 61, n),
                            expected)  # fmt: skip
        who = np.flatnonzero(open_now)
        rows.append(pd.DataFrame({"code": who, "on": ends, "expected": expected[who]}))
    frame = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(
        {"code": [], "on": [], "expected": []}, dtype=np.int64)  # fmt: skip
    return expected, frame


def _days(values: np.ndarray) -> pd.Series:
    """Day numbers (-1: missing) as a datetime64[ns] column."""
    out = values.astype("datetime64[D]").astype("datetime64[ns]")
    out[values < 0] = np.datetime64("NaT", "ns")
    return pd.Series(out)


def _counterparties(
    rng: np.random.Generator, n: int, clients: pd.DataFrame | None
) -> tuple[IntArray, IntArray, pd.Series, IntArray]:
    """Per deal: client row (-1: prospect), prospect code; client ids and sectors."""
    if clients is None:
        client_ids = _ids("C", max(n // 2, 1))
        client_sector = categorical_draw(rng, client_ids.size, [r[1] for r in SECTORS])
    else:
        client_ids = pd.Series(clients[schema.CLIENT_ID].astype(object).to_numpy())
        sectors = [r[0] for r in SECTORS]
        client_sector = np.asarray(
            pd.Categorical(
                clients[schema.SECTOR].astype(object), categories=sectors
            ).codes,
            dtype=np.int64,
        )
        client_sector[client_sector < 0] = 0
    with_client = rng.random(n) < 0.6  # noqa: PLR2004 - documented share
    client_row = np.where(with_client, rng.integers(0, client_ids.size, n), -1)
    n_prospect_deals = int((~with_client).sum())
    n_prospects = max(int(np.ceil(n_prospect_deals / 1.5)), 1)
    prospect = np.where(with_client, -1, rng.integers(0, n_prospects, n))
    return client_row, prospect, client_ids, client_sector


def _prospects_frame(
    rng: np.random.Generator, n: int, client_ids: pd.Series
) -> tuple[pd.DataFrame, IntArray]:
    sector = categorical_draw(rng, n, [r[1] for r in SECTORS])
    country = categorical_draw(rng, n, [r[1] for r in COUNTRIES])
    source = categorical_draw(rng, n, [w for _, w in SOURCES])
    referred = source == 0
    referrer = client_ids.to_numpy(dtype=object)[rng.integers(0, client_ids.size, n)]
    size = np.round(np.exp(np.log(3e7) + 1.1 * rng.standard_normal(n)), -5)
    frame = pd.DataFrame(
        {
            _C["PROSPECT_ID"]: _ids("P", n),
            schema.NAME: pd.Series(
                np.char.add("Prospect Holding ", np.arange(1, n + 1).astype(str)),
                dtype="str",
            ),
            schema.SECTOR: _categorical(sector, tuple(r[0] for r in SECTORS)),
            schema.COUNTRY: _categorical(country, tuple(r[0] for r in COUNTRIES)),
            schema.CURRENCY: pd.Categorical(["EUR"] * n),
            schema.ANNUAL_REVENUE: size,
            _C["SOURCE"]: _categorical(source, tuple(s for s, _ in SOURCES)),
            _C["REFERRED_BY"]: _take(referrer, np.where(referred, np.arange(n), -1)),
        }
    )
    return frame, sector


class _Deals(NamedTuple):
    kind: IntArray
    amount: FloatArray
    role: IntArray
    owner: IntArray
    created: IntArray


def _deals(
    rng: np.random.Generator, n: int, owners: int, as_of: int, history_days: int
) -> _Deals:
    kind = categorical_draw(rng, n, [k[1] for k in KINDS])
    amount = np.maximum(np.round(np.exp(np.log(8e6) + rng.standard_normal(n)), -5), 1e5)
    big = amount > 5e7  # noqa: PLR2004 - syndicated above EUR 50 m
    syndicated = 1 + categorical_draw(rng, n, [0.3, 0.4, 0.3])
    small = np.where(rng.random(n) < 0.1, 3, 0)  # noqa: PLR2004 - participations
    return _Deals(
        kind=kind,
        amount=amount,
        role=np.where(big, syndicated, small),
        owner=rng.integers(0, owners, n),
        created=as_of - rng.integers(0, history_days, n),
    )


def _take(ids: npt.NDArray[np.object_], rows: IntArray) -> pd.Series:
    """``ids[rows]``, missing where ``rows`` is -1."""
    out = np.full(rows.size, None, dtype=object)
    if ids.size:
        has = rows >= 0
        out[has] = ids[rows[has]]
    return pd.Series(out, dtype="str")


def _opportunities(  # noqa: PLR0917 - the drawn pieces of one frame
    d: _Deals,
    walk: tuple[IntArray, IntArray, IntArray],
    reason: IntArray,
    expected: IntArray,
    parties: tuple[pd.Series, pd.Series, IntArray],
    owners: int,
) -> pd.DataFrame:
    stage, entry, closed = walk
    client, prospect, sector = parties
    n = stage.size
    return pd.DataFrame(
        {
            _C["OPPORTUNITY_ID"]: _ids("O", n),
            schema.CLIENT_ID: client,
            _C["PROSPECT_ID"]: prospect,
            schema.KIND: _categorical(d.kind, _KIND_VALUES),
            schema.CURRENCY: pd.Categorical(["EUR"] * n),
            schema.AMOUNT: d.amount,
            _C["CREATED_ON"]: _days(d.created),
            _C["EXPECTED_CLOSE_ON"]: _days(expected),
            _C["OWNER"]: _categorical(
                d.owner, tuple(f"rm-{i:02d}" for i in range(1, owners + 1))
            ),
            schema.STAGE: _categorical(stage, _STAGES),
            _C["LOST_REASON"]: _categorical(reason, _REASONS),
            _C["SYNDICATION_ROLE"]: _categorical(d.role, ROLES),
            schema.SECTOR: _categorical(sector, tuple(r[0] for r in SECTORS)),
            **{c: _days(entry[:, j + 1]) for j, c in enumerate(_ENTRY)},
            _C["CLOSED_ON"]: _days(closed),
        }
    )


def generate_pipeline(
    n_opportunities: int,
    *,
    seed: int | np.random.Generator = 0,
    as_of: dt.date = dt.date(2026, 6, 30),
    clients: pd.DataFrame | None = None,
    owners: int = 40,
    history_days: int = 730,
) -> SyntheticPipeline:
    """Draw a synthetic pipeline (see the module for the funnel); seeded, no clock.

    Args:
        n_opportunities: Number of deals, an int >= 1.
        seed: A non-negative int or a ``numpy.random.Generator`` (which is advanced).
            The same int gives the same frames, value for value.
        as_of: The pipeline date: nothing happens after it.
        clients: A clients frame (``client_id``, ``sector``), e.g. from
            `generate_frames`; deals and referrals draw their clients from it
            (default: ids ``C0000001``.. with drawn sectors).
        owners: Number of relationship managers, an int >= 1.
        history_days: Deals are created over this many days before ``as_of``.

    Raises:
        InvalidValueError: a count is not an int of the stated range, or ``as_of``
            is not a date.

    Examples:
        >>> sp = generate_pipeline(1_000, seed=3)
        >>> len(sp.opportunities), int((sp.opportunities["stage"] == "won").sum())
        (1000, 119)
        >>> bool((sp.opportunities["expected_close_on"]
        ...       >= sp.opportunities["created_on"]).all())
        True
    """
    n = _check(n_opportunities, "n_opportunities", 1)
    owners = _check(owners, "owners", 1)
    history_days = _check(history_days, "history_days", 1)
    rng = (
        seed
        if isinstance(seed, np.random.Generator)
        else np.random.default_rng(_check(seed, "seed", 0))
    )
    day = int(np.datetime64(check_as_of(as_of), "D").astype(np.int64))
    client_row, prospect, client_ids, client_sector = _counterparties(rng, n, clients)
    n_prospects = int(prospect.max()) + 1 if (prospect >= 0).any() else 0
    prospects, prospect_sector = _prospects_frame(rng, n_prospects, client_ids)
    d = _deals(rng, n, owners, day, history_days)
    walk = _walk(rng, d.kind, d.created, day)
    reason = _lost_reasons(rng, walk[0], walk[1])
    expected, snaps = _slippage(rng, d.created, walk[2], day)
    sector = np.where(
        client_row >= 0,
        client_sector[np.maximum(client_row, 0)],
        np.append(prospect_sector, 0)[prospect],
    )
    parties = (
        _take(client_ids.to_numpy(dtype=object), client_row),
        _take(prospects[_C["PROSPECT_ID"]].to_numpy(dtype=object), prospect),
        sector,
    )
    opportunities = _opportunities(
        d, walk=walk, reason=reason, expected=expected, parties=parties, owners=owners
    )
    ids = opportunities[_C["OPPORTUNITY_ID"]].to_numpy(dtype=object)
    snapshots = pd.DataFrame(
        {
            _C["OPPORTUNITY_ID"]: pd.Series(ids[snaps["code"].to_numpy()], dtype="str"),
            _C["SNAPSHOT_ON"]: _days(snaps["on"].to_numpy()),
            _C["EXPECTED_CLOSE_ON"]: _days(snaps["expected"].to_numpy()),
        }
    )
    return SyntheticPipeline(
        prospects=prospects, opportunities=opportunities, snapshots=snapshots
    )
