"""Specifications and cross-column rules of the prospects and opportunities frames.

`lendcrm.frames.check_frame` checks each column (presence, dtype, nulls, bounds,
allowed values); the rules here check what ties columns together, each one vectorised
over the whole frame and reported as one `InvalidRowsError` naming the first offending
row labels: one counterparty per deal, dates in order, a stage path that skips no stage
and does not reopen after won or lost, a lost reason exactly when lost, a referral that
names its client.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm import FacilityKind, Sector
from lendcrm._codes import COUNTRY_CODES
from lendcrm._frame_rows import rule_errors
from lendcrm._money import CURRENCIES
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError, LendCRMError
from lendcrm.frames import ColumnSpec
from lendcrm.frames.columns import (
    AMOUNT,
    ANNUAL_REVENUE,
    CLIENT_ID,
    CLOSED_ON,
    COUNTRY,
    CREATED_ON,
    CURRENCY,
    KIND,
    LEGAL_NAME,
    NAME,
    OWNER,
    SECTOR,
    STAGE,
)
from lendcrm.relationship.commercial._opportunities import LostReason, SyndicationRole
from lendcrm.relationship.commercial._pipeline_machine import PipelineStage
from lendcrm.relationship.commercial._prospects import ProspectSource
from lendcrm.relationship.commercial.columns import (
    EXPECTED_CLOSE_ON,
    LOST_REASON,
    OPPORTUNITY_ID,
    PROSPECT_ID,
    REFERRED_BY,
    SOURCE,
    STAGE_ENTRY_COLUMNS,
    SYNDICATION_ROLE,
)

__all__ = [
    "OPPORTUNITY_SPECS",
    "PROSPECT_SPECS",
    "STAGE_VALUES",
    "category_codes",
    "day_numbers",
    "opportunity_rules",
    "prospect_rules",
    "stage_codes",
]

#: Stage values in code order: the five open stages, then won (5) and lost (6).
STAGE_VALUES: Final = tuple(s.value for s in PipelineStage)
_WON: Final = STAGE_VALUES.index("won")
_LOST: Final = STAGE_VALUES.index("lost")
_NAT: Final = np.iinfo(np.int64).min
_NS_PER_DAY: Final = 86_400 * 10**9


def _values(enum: type) -> tuple[str, ...]:
    return tuple(m.value for m in enum)  # type: ignore[attr-defined]


def _category(
    name: str, allowed: Sequence[str], *, nullable: bool = False, text: str = ""
) -> ColumnSpec:
    return ColumnSpec(
        name=name,
        kind="category",
        allowed=allowed,
        nullable=nullable,
        allowed_text=text,
    )


_CURRENCY: Final = _category(
    CURRENCY, tuple(sorted(CURRENCIES)), text="an active ISO 4217 currency code"
)

PROSPECT_SPECS: Final = (
    ColumnSpec(name=PROSPECT_ID, kind="str"),
    ColumnSpec(name=NAME, kind="str"),
    _category(SECTOR, _values(Sector)),
    _category(COUNTRY, tuple(sorted(COUNTRY_CODES)), text="an ISO 3166-1 alpha-2 code"),
    _CURRENCY,
    ColumnSpec(name=ANNUAL_REVENUE, kind="float", lower=0.0),
    _category(SOURCE, _values(ProspectSource)),
    ColumnSpec(name=REFERRED_BY, kind="str", nullable=True),
)

OPPORTUNITY_SPECS: Final = (
    ColumnSpec(name=OPPORTUNITY_ID, kind="str"),
    ColumnSpec(name=CLIENT_ID, kind="str", nullable=True),
    ColumnSpec(name=PROSPECT_ID, kind="str", nullable=True),
    _category(KIND, _values(FacilityKind)),
    _CURRENCY,
    ColumnSpec(name=AMOUNT, kind="float", lower=0.0, lower_open=True),
    ColumnSpec(name=CREATED_ON, kind="date"),
    ColumnSpec(name=EXPECTED_CLOSE_ON, kind="date"),
    ColumnSpec(name=OWNER, kind="str"),
    _category(STAGE, STAGE_VALUES),
    _category(LOST_REASON, _values(LostReason), nullable=True),
    _category(SYNDICATION_ROLE, _values(SyndicationRole)),
    _category(SECTOR, _values(Sector)),
    *(ColumnSpec(name=c, kind="date", nullable=True) for c in STAGE_ENTRY_COLUMNS),
    ColumnSpec(name=CLOSED_ON, kind="date", nullable=True),
)


def day_numbers(series: pd.Series) -> npt.NDArray[np.int64]:
    """Days since 1970-01-01 of a datetime64 column (``int64`` minimum for NaT).

    Whole-day arithmetic on the nanosecond integers: the dates are midnights, and an
    integer division is several times faster than numpy's calendar ``astype``.
    """
    ns = series.to_numpy(dtype="datetime64[ns]").view(np.int64)
    days = np.floor_divide(ns, _NS_PER_DAY)
    days[ns == _NAT] = _NAT
    return days


def category_codes(series: pd.Series, labels: Sequence[str]) -> npt.NDArray[np.int64]:
    """Positions of ``series``' values in ``labels`` (-1: missing or not a label).

    A categorical column is recoded through its categories (one lookup per category,
    then one gather); any other column is factorised against ``labels``.
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = pd.Index([str(c) for c in series.cat.categories])
        lookup = np.append(pd.Index(list(labels)).get_indexer(categories), -1)
        return lookup[np.asarray(series.cat.codes, dtype=np.int64)]
    return np.asarray(
        pd.Categorical(series.astype(object), categories=list(labels)).codes,
        dtype=np.int64,
    )


def stage_codes(frame: pd.DataFrame) -> npt.NDArray[np.int64]:
    """Codes of the stage column in `STAGE_VALUES` order (-1: not a stage)."""
    return category_codes(frame[STAGE], STAGE_VALUES)


def _path_errors(
    frame: pd.DataFrame, stage: npt.NDArray[np.int64]
) -> list[LendCRMError]:
    dated = np.column_stack([frame[c].notna().to_numpy() for c in STAGE_ENTRY_COLUMNS])
    later = np.cumsum(dated[:, ::-1], axis=1)[:, ::-1]  # dated at j or after
    errors: list[LendCRMError] = []
    for j, column in enumerate(STAGE_ENTRY_COLUMNS[:-1]):  # four columns, not rows
        skipped = ~dated[:, j] & (later[:, j + 1] > 0)
        errors += rule_errors(
            frame,
            skipped,
            "opportunities",
            column,
            "a date: a later stage is dated, so the deal passed this one "
            "(no stage is skipped)",
        )
    reached = dated.sum(axis=1)  # without gaps: the furthest open stage's code
    is_open = (stage >= 0) & (stage < _WON)
    wrong = (is_open & (reached != stage)) | ((stage == _WON) & (reached != _WON - 1))
    errors += rule_errors(
        frame,
        wrong,
        "opportunities",
        STAGE,
        "the furthest stage with an entry date (won needs every stage dated)",
    )
    closed = frame[CLOSED_ON].notna().to_numpy()
    errors += rule_errors(
        frame,
        is_open & closed,
        "opportunities",
        CLOSED_ON,
        "missing while the deal is open (a won or lost deal is not reopened)",
    )
    errors += rule_errors(
        frame,
        ~is_open & (stage >= 0) & ~closed,
        "opportunities",
        CLOSED_ON,
        "the date the deal was won or lost",
    )
    lost_reason = frame[LOST_REASON].notna().to_numpy()
    errors += rule_errors(
        frame,
        (stage == _LOST) != lost_reason,
        "opportunities",
        LOST_REASON,
        "set exactly when the stage is 'lost'",
    )
    return errors


def _date_order_errors(frame: pd.DataFrame) -> list[LendCRMError]:
    created = day_numbers(frame[CREATED_ON])
    expected = day_numbers(frame[EXPECTED_CLOSE_ON])
    errors = rule_errors(
        frame,
        expected < created,
        "opportunities",
        EXPECTED_CLOSE_ON,
        f"a date on or after `{CREATED_ON}`",
    )
    previous = created.copy()
    for column in (*STAGE_ENTRY_COLUMNS, CLOSED_ON):  # five columns, not rows
        days = day_numbers(frame[column])
        present = days != _NAT
        before = present & (days < previous)
        what = f"`{CREATED_ON}`" if column == CLOSED_ON else "the previous stage's date"
        errors += rule_errors(
            frame,
            before,
            "opportunities",
            column,
            f"a date on or after {what} (dates follow the stages)",
        )
        previous = np.where(present, np.maximum(previous, days), previous)
    return errors


def opportunity_rules(frame: pd.DataFrame) -> list[LendCRMError]:
    """The cross-column rules of the opportunities frame (see the module)."""
    has_client = frame[CLIENT_ID].notna().to_numpy()
    has_prospect = frame[PROSPECT_ID].notna().to_numpy()
    errors = rule_errors(
        frame,
        has_client == has_prospect,
        "opportunities",
        CLIENT_ID,
        f"set exactly when `{PROSPECT_ID}` is missing (a deal is with a client or "
        "with a prospect)",
    )
    errors += _path_errors(frame, stage_codes(frame))
    errors += _date_order_errors(frame)
    return errors


def prospect_rules(
    frame: pd.DataFrame, clients: pd.DataFrame | None
) -> list[LendCRMError]:
    """Referral rules, and (with a clients frame) prospects that are already clients."""
    referral = (
        frame[SOURCE].astype(object) == ProspectSource.REFERRAL.value
    ).to_numpy()
    referred = frame[REFERRED_BY].notna().to_numpy()
    errors = rule_errors(
        frame,
        referral & ~referred,
        "prospects",
        REFERRED_BY,
        "the id of the client who made the referral (source 'referral')",
    )
    errors += rule_errors(
        frame,
        ~referral & referred,
        "prospects",
        SOURCE,
        f"'referral' when `{REFERRED_BY}` names a client",
    )
    if clients is None:
        return errors
    require_instance(clients, pd.DataFrame, name="clients", what="a DataFrame or None")
    if CLIENT_ID not in clients.columns:
        raise InvalidValueError(
            field="clients",
            value="no column 'client_id'",
            expected="a client_id column",
        )
    known = pd.Index(clients[CLIENT_ID].astype(object))
    errors += rule_errors(
        frame,
        frame[PROSPECT_ID].isin(known).to_numpy(),
        "prospects",
        PROSPECT_ID,
        "a company that is not yet a client (the id is a client's)",
    )
    errors += rule_errors(
        frame,
        referred & ~frame[REFERRED_BY].isin(known).to_numpy(),
        "prospects",
        REFERRED_BY,
        "the id of a client in the clients frame",
    )
    if LEGAL_NAME in clients.columns:
        names = pd.Index(_normalised(clients[LEGAL_NAME]))
        errors += rule_errors(
            frame,
            _normalised(frame[NAME]).isin(names).to_numpy(),
            "prospects",
            NAME,
            "a company that is not yet a client (a client has this legal name)",
        )
    return errors


def _normalised(names: pd.Series) -> pd.Series:
    """Legal names compared case- and space-insensitively (as `Pipeline` does)."""
    return names.astype(object).str.casefold().str.split().str.join(" ")
