"""pandas adapter for schedules: a book's frames in, its schedules and bank's shares out.

The frame form of `lendcrm.risk.schedules.book_schedules` and
`lendcrm.Facility.bank_share`: `book_schedule` and `bank_shares` read a
`lendcrm.frames.BookFrames` (its ``repayment_terms``, ``repayment_profiles`` and
``participations`` child frames) into one row per row of the facilities frame, in its
order, as `lendcrm.risk.impairment.schedule_ecl` and
`lendcrm.risk.pricing.lifetime_raroc` take them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from lendcrm._arrays import FloatArray
from lendcrm._loan_terms import PROFILE_TOLERANCE
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.frames import BookFrames
from lendcrm.frames.columns import (
    AMORTISATION,
    ARRANGEMENT_FEE,
    BALLOON_FRACTION,
    COMMITMENT_FEE_BPS,
    DAY_COUNT,
    FACILITY_ID,
    GRACE_PERIODS,
    LIMIT,
    MARGIN_BPS,
    MATURITY_ON,
    OWN,
    PAYMENTS_PER_YEAR,
    PROFILE_FRACTION,
    PROFILE_PERIOD,
    REFERENCE_RATE,
    SHARE,
    START_ON,
    ZERO_FLOOR,
)
from lendcrm.risk.schedules import ForwardCurve, Schedule, repayment_schedules

__all__ = ["bank_shares", "book_schedule"]


def _profiles(book: BookFrames, ids: pd.Index) -> FloatArray:
    """The repayment profile of each facility, ``(n, longest)`` (0 past its end)."""
    p = book.repayment_profiles
    width = int(p[PROFILE_PERIOD].max()) if len(p) else 1
    out = np.zeros((len(ids), max(width, 1)))
    if len(p):
        rows = ids.get_indexer(pd.Index(p[FACILITY_ID].astype(str)))
        keep = rows >= 0
        cols = p[PROFILE_PERIOD].to_numpy(dtype=np.int64)[keep] - 1
        out[rows[keep], cols] = p[PROFILE_FRACTION].to_numpy(dtype=np.float64)[keep]
    return out


def book_schedule(
    book: BookFrames, *, curves: Mapping[str, ForwardCurve] | None = None
) -> Schedule:
    """The schedule of every facility of a book's frames, in the facilities' order.

    As `lendcrm.risk.schedules.book_schedules` on the book's facilities: the
    principal is the limit, the rate the margin (a ``"FIXED"`` facility's rate, else
    over its reference's curve), the commitment fee a revolver's, the arrangement fee
    the upfront fee, the terms from ``repayment_terms`` and the sculpted or
    utilisation profile from ``repayment_profiles``.

    Args:
        book: The book's frames; every facility has a ``repayment_terms`` row.
        curves: The `ForwardCurve` of each floating reference rate used.

    Returns:
        A `Schedule` whose `facility_ids` are the facilities frame's ids.

    Raises:
        InvalidValueError: a facility without a ``repayment_terms`` row (naming it),
            or as `repayment_schedules`.

    Examples:
        See `bank_shares`.
    """
    require_instance(book, BookFrames, name="book", what="a BookFrames")
    f = book.facilities
    ids = pd.Index(f[FACILITY_ID].astype(str))
    terms = book.repayment_terms.set_index(FACILITY_ID).reindex(ids)
    missing = terms[AMORTISATION].isna().to_numpy()
    if missing.any():
        raise InvalidValueError(
            field=f"facility {ids[int(np.argmax(missing))]!r} terms",
            value=None,
            expected="a repayment_terms row (how the facility repays)",
        )
    kind = terms[AMORTISATION].astype(str).to_numpy()
    return repayment_schedules(
        principal=f[LIMIT].to_numpy(dtype=np.float64),
        start=f[START_ON].to_numpy(dtype="datetime64[D]"),
        maturity=f[MATURITY_ON].to_numpy(dtype="datetime64[D]"),
        amortisation=kind,
        rate=f[MARGIN_BPS].to_numpy(dtype=np.float64) / 10_000,
        reference=f[REFERENCE_RATE].astype(str).to_numpy(dtype=object),
        curves=curves,
        payments_per_year=terms[PAYMENTS_PER_YEAR].to_numpy(dtype=np.int64),
        day_count=terms[DAY_COUNT].astype(str).to_numpy(),
        grace_periods=terms[GRACE_PERIODS].to_numpy(dtype=np.int64),
        balloon_fraction=terms[BALLOON_FRACTION].to_numpy(dtype=np.float64),
        profile=_profiles(book, ids),
        commitment_fee=np.where(
            kind == "revolver", f[COMMITMENT_FEE_BPS].to_numpy(dtype=np.float64), 0.0
        )
        / 10_000,
        upfront_fee=f[ARRANGEMENT_FEE].to_numpy(dtype=np.float64),
        zero_floor=terms[ZERO_FLOOR].to_numpy(dtype=bool),
        facility_ids=ids.to_numpy(dtype=object),
    )


def bank_shares(book: BookFrames) -> FloatArray:
    """The bank's share of every facility of a book's frames, in the facilities' order.

    As `lendcrm.Facility.bank_share`: 1 for a facility without participations, else
    the sum of its ``own`` participations' shares.

    Returns:
        Float64 ``(n,)`` in [0, 1].

    Raises:
        InvalidValueError: a facility whose participations sum over 1, or none of
            them the bank's own, naming the facility.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import (Amortisation, Book, ClientId, DayCount, Facility,
        ...     FacilityId, FacilityKind, FacilityStatus, Money, Participation,
        ...     ParticipationRole, Pricing, RepaymentTerms, Seniority)
        >>> from lendcrm.frames import book_frames
        >>> from lendcrm.synthetic import generate_book
        >>> client = generate_book(1, seed=1, as_of=dt.date(2026, 1, 1)).clients[0]
        >>> f = Facility(id=FacilityId("F-1"), client_id=client.id,
        ...     kind=FacilityKind.TERM_LOAN, currency="EUR",
        ...     limit=Money.of("1000", "EUR"), drawn=Money.of("1000", "EUR"),
        ...     start_on=dt.date(2026, 1, 1), maturity_on=dt.date(2031, 1, 1),
        ...     seniority=Seniority.SENIOR_SECURED,
        ...     pricing=Pricing(reference_rate="FIXED", margin_bps=600,
        ...                     arrangement_fee=Money.of("0", "EUR")),
        ...     status=FacilityStatus.ACTIVE,
        ...     terms=RepaymentTerms(amortisation=Amortisation.ANNUITY,
        ...         payments_per_year=1, day_count=DayCount.THIRTY_360),
        ...     participations=(
        ...         Participation(bank="Us", role=ParticipationRole.AGENT,
        ...                       share=0.4, own=True),
        ...         Participation(bank="Other", role=ParticipationRole.PARTICIPANT,
        ...                       share=0.6)))
        >>> frames = book_frames(Book(clients=(client,), facilities=(f,)))
        >>> bank_shares(frames).tolist()
        [0.4]
        >>> book_schedule(frames).balance.round(2).tolist()
        [[1000.0, 822.6, 634.56, 435.24, 223.96]]
    """
    require_instance(book, BookFrames, name="book", what="a BookFrames")
    f = book.facilities
    ids = pd.Index(f[FACILITY_ID].astype(str))
    p = book.participations
    if not len(p):
        ones: FloatArray = np.ones(len(ids))
        return ones
    key = p[FACILITY_ID].astype(str)
    share = p[SHARE].to_numpy(dtype=np.float64)
    total = pd.Series(share).groupby(key.to_numpy()).sum()
    own = pd.Series(np.where(p[OWN].to_numpy(dtype=bool), share, 0.0))
    own_sum = own.groupby(key.to_numpy()).sum()
    over = total[total > 1.0 + PROFILE_TOLERANCE]
    if len(over):
        raise InvalidValueError(
            field=f"facility {over.index[0]!r} participations",
            value=f"sums to {float(over.iloc[0]):g}",
            expected="shares summing to at most 1 (100 %)",
        )
    none = own_sum[own_sum == 0.0]
    if len(none):
        raise InvalidValueError(
            field=f"facility {none.index[0]!r} participations",
            value="no own participation",
            expected="the bank's own share among them (own=True)",
            hint="A syndicated facility on the book lists the bank's participation.",
        )
    out: FloatArray = np.asarray(own_sum.reindex(ids).fillna(1.0), dtype=np.float64)
    return out
