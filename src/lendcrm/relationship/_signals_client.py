"""`client_signals`: one client's lifecycle signals, read from its entity histories.

The entity face of `lendcrm.relationship.frames.signals_from_history`: the same
windows and conventions, computed in plain Python over one client's records
(`Client.measures_history`, `Client.ratings`, `Facility.observations`), so a service
answering a relationship manager needs no frames. The growth and utilisation
formulas are the batch's own (`yoy_growth`, `utilisation`, `whole_months`); tests
check that every client's signals equal its row of the batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np

from lendcrm._book import Book
from lendcrm._dates import check_as_of, months_before, whole_months
from lendcrm._entities import Client, Facility
from lendcrm._history import FacilityObservation
from lendcrm._validators import require_instance
from lendcrm._values import ClientId
from lendcrm.errors import InvalidValueError
from lendcrm.frames import columns as schema
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._signals import (
    YEAR_MONTHS,
    scale_grades,
    utilisation,
    yoy_growth,
)

__all__ = ["client_signals"]

Signal = bool | int | float


def _month(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _growth(now: float, then: float | None) -> float:
    return float(
        yoy_growth(
            np.array([now]), np.array([then or 0.0]), np.array([then is not None])
        )[0]
    )


def _months(start: dt.date, end: dt.date) -> int:
    return int(whole_months(np.datetime64(start, "D"), np.datetime64(end, "D")))


def _measures(client: Client, as_of: dt.date) -> tuple[float, int]:
    """Revenue growth and product-count change (see `signals_from_history`)."""
    known = [m for m in client.measures_history if m.period_end <= as_of]
    if not known:
        return 0.0, 0
    now = known[-1]
    target = _month(now.period_end) - YEAR_MONTHS
    earlier = [m for m in known if _month(m.period_end) == target]
    then = earlier[-1] if earlier else None
    growth = _growth(
        float(now.revenue_to_bank.amount),
        None if then is None else float(then.revenue_to_bank.amount),
    )
    return growth, now.product_count - (0 if then is None else then.product_count)


def _in_month(
    facility: Facility, month: int, as_of: dt.date
) -> FacilityObservation | None:
    """The facility's latest observation in ``month``, on or before ``as_of``."""
    found = [
        o
        for o in facility.observations
        if o.period_end <= as_of and _month(o.period_end) == month
    ]
    return found[-1] if found else None


def _exposure(
    facilities: Sequence[Facility], rates: Sequence[float], as_of: dt.date
) -> tuple[float, float, int]:
    """Exposure growth, utilisation change and worst days past due."""
    months = [
        _month(o.period_end)
        for f in facilities
        for o in f.observations
        if o.period_end <= as_of
    ]
    if not months:
        return 0.0, 0.0, 0
    month = max(months)
    sums = []
    for m in (month, month - YEAR_MONTHS):  # now, and a year earlier
        drawn = limit = 0.0
        seen = []
        for f, rate in zip(facilities, rates, strict=True):
            o = _in_month(f, m, as_of)
            if o is not None:
                drawn += float(o.drawn.amount) * rate
                limit += float(o.limit.amount) * rate
                seen.append(o)
        sums.append((drawn, limit, seen))
    (drawn, limit, now), (drawn_then, limit_then, then) = sums
    growth = _growth(drawn, drawn_then if then else None)
    change = 0.0
    if then:
        change = float(
            utilisation(np.array([drawn]), np.array([limit]))[0]
            - utilisation(np.array([drawn_then]), np.array([limit_then]))[0]
        )
    return growth, change, max((o.days_past_due for o in now), default=0)


def _first_drawdown(facility: Facility, as_of: dt.date) -> dt.date | None:
    """When the facility was first drawn, by ``as_of`` (see `signals_from_history`)."""
    if not facility.observations:
        drawn = facility.drawn.amount > 0 and facility.start_on <= as_of
        return facility.start_on if drawn else None
    known = [o for o in facility.observations if o.period_end <= as_of]
    for i, o in enumerate(known):
        if o.drawn.amount > 0:
            return min(facility.start_on, o.period_end) if i == 0 else o.period_end
    return None


def _notches(client: Client, as_of: dt.date, grades: tuple[str, ...]) -> int:
    """Notches moved since the grade in force a year before ``as_of`` (+ = worse)."""
    position = {g: i for i, g in enumerate(grades)}
    for i, r in enumerate(client.ratings):
        if r.grade not in position:
            raise InvalidValueError(
                field=f"ratings[{i}].grade",
                value=r.grade,
                expected=f"a grade of the master scale ({', '.join(grades)}) for "
                f"client {client.id!r}",
            )
    known = [r for r in client.ratings if r.rated_on <= as_of]
    if not known:
        return 0
    year_ago = months_before(as_of, YEAR_MONTHS)
    before = [r for r in known if r.rated_on <= year_ago]
    base = before[-1] if before else next(r for r in known if r.rated_on > year_ago)
    return position[known[-1].grade] - position[base.grade]


def _covenants(
    facilities: Sequence[Facility],
    breaches: Mapping[str, int] | None,
    headroom: Mapping[str, float | None] | None,
) -> tuple[int, bool, float]:
    ids = [str(f.id) for f in facilities]
    count = sum((breaches or {}).get(i, 0) for i in ids)
    tested = [
        float(h)
        for i in ids
        if (h := (headroom or {}).get(i)) is not None and not np.isnan(h)
    ]
    return count, bool(tested), min(tested, default=0.0)


def client_signals(
    book: Book,
    client_id: str,
    *,
    as_of: dt.date,
    covenant_breaches: Mapping[str, int] | None = None,
    dscr_headroom: Mapping[str, float | None] | None = None,
    grades: Sequence[str] | None = None,
    models: RelationshipModels | None = None,
) -> dict[str, Signal]:
    """One client's lifecycle signals at ``as_of``, from its entity histories.

    The same figures as the client's row of
    `lendcrm.relationship.frames.signals_from_history` (whose docstring gives each
    signal's formula and window), read from ``Client.measures_history`` (a client
    with ``Client.measures`` but no history has no year-on-year change: 0, as in
    the frames, whose measures history holds the histories only),
    ``Client.ratings`` and each facility's ``observations``. Records after
    ``as_of`` are ignored.

    Args:
        book: The book holding the client.
        client_id: The client's id.
        as_of: The date the signals describe.
        covenant_breaches: Breaches in the twelve months to ``as_of`` per facility
            id (facilities not listed: 0).
        dscr_headroom: Latest DSCR minus the lock-up level per facility id (``None``
            or not listed: no DSCR test).
        grades: The master scale's grades, best first (default: those of
            `lendcrm.risk.scoring.DEFAULT_MASTER_SCALE`).
        models: Rates for a client with facilities in several currencies.

    Returns:
        The signals keyed by the ``SIG_*`` names (bool, int or float), ready for
        `lendcrm.lifecycle.assess_stage` and ``client_view(..., signals=...)``.

    Raises:
        UnknownReferenceError: no client with that id.
        InvalidValueError: ``as_of`` is not a date, a rating's grade is not on
            ``grades``, or a currency has no rate.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import (Book, Client, ClientId, Money, RatingRecord,
        ...     RelationshipMeasures, Sector)
        >>> eur = lambda x: Money.of(x, "EUR")
        >>> periods = tuple(RelationshipMeasures(period_end=dt.date(y, 12, 31),
        ...     revenue_to_bank=eur(r), profit_to_bank=eur("0"), product_count=p)
        ...     for y, r, p in [(2024, "80", 2), (2025, "100", 3)])
        >>> c = Client(id=ClientId("C-1"), legal_name="Nordwind GmbH",
        ...     sector=Sector.MANUFACTURING, country="DE",
        ...     onboarded_on=dt.date(2019, 5, 2), annual_revenue=eur("1"),
        ...     measures=periods[-1], measures_history=periods, rating_grade="6",
        ...     ratings=(RatingRecord(rated_on=dt.date(2024, 6, 30), grade="4"),
        ...              RatingRecord(rated_on=dt.date(2025, 9, 30), grade="6")))
        >>> s = client_signals(Book(clients=(c,)), "C-1", as_of=dt.date(2025, 12, 31))
        >>> s["revenue_growth_yoy"], s["product_count_change"], s["rating_notches_moved"]
        (0.25, 1, 2)
        >>> s["tenure_months"], s["has_drawn"]
        (79, False)
    """
    require_instance(book, Book, name="book", what="a Book")
    require_instance(client_id, str, name="client_id", what="a client id (a string)")
    check_as_of(as_of)
    client = book.client(ClientId(client_id))
    facilities = book.facilities_of(client.id)
    scale = scale_grades(grades)
    mixed = len({f.currency for f in facilities}) > 1
    rm = RelationshipModels() if models is None else models
    rates = [rm.rate(f.currency) if mixed else 1.0 for f in facilities]
    revenue_growth, product_change = _measures(client, as_of)
    exposure_growth, utilisation_change, dpd = _exposure(facilities, rates, as_of)
    drawn_on = [d for f in facilities if (d := _first_drawdown(f, as_of)) is not None]
    first = min(drawn_on, default=None)
    breaches, has_dscr, headroom = _covenants(
        facilities, covenant_breaches, dscr_headroom
    )
    return {
        schema.SIG_HAS_FACILITY: any(f.start_on <= as_of for f in facilities),
        schema.SIG_HAS_DRAWN: first is not None,
        schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: 0
        if first is None
        else _months(first, as_of),
        schema.SIG_TENURE_MONTHS: _months(client.onboarded_on, as_of),
        schema.SIG_EXPOSURE_GROWTH_YOY: exposure_growth,
        schema.SIG_REVENUE_GROWTH_YOY: revenue_growth,
        schema.SIG_PRODUCT_COUNT_CHANGE: product_change,
        schema.SIG_UTILISATION_CHANGE: utilisation_change,
        schema.SIG_RATING_NOTCHES_MOVED: _notches(client, as_of, scale),
        schema.SIG_ON_WATCHLIST: client.on_watchlist,
        schema.SIG_DAYS_PAST_DUE: dpd,
        schema.SIG_COVENANT_BREACHES: breaches,
        schema.SIG_HAS_DSCR: has_dscr,
        schema.SIG_DSCR_HEADROOM: headroom,
    }
