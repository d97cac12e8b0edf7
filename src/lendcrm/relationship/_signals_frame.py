"""`signals_from_history`: the ``SIG_*`` frame of a book derived from its histories.

The frames face of `lendcrm.relationship._signals` (re-exported by
`lendcrm.relationship.frames`): it checks the frames, turns ids into codes and dates
into sorted keys (`lendcrm.relationship._history_input`), runs the numpy core and
returns one row per client.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from lendcrm._arrays import FloatArray, IntArray
from lendcrm._dates import check_as_of, months_before
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidRowsError, InvalidValueError
from lendcrm.frames import BookFrames, ColumnSpec
from lendcrm.frames import columns as schema
from lendcrm.lifecycle import SIGNAL_SPECS
from lendcrm.relationship._history_input import (
    Owners,
    check_columns,
    column_values,
    day_numbers,
    sorted_history,
)
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._signals import (
    YEAR_MONTHS,
    Measures,
    NumberArray,
    Observations,
    Ratings,
    SignalInputs,
    derive_signals,
    scale_grades,
)
from lendcrm.risk.project_finance.frames import COVENANT_BREACHES_12M

_STR: Final = "str"


def _col(name: str, kind: str = "float", **bounds: float | bool) -> ColumnSpec:
    return ColumnSpec(name=name, kind=kind, **bounds)  # type: ignore[arg-type]


#: The columns `signals_from_history` reads, per frame.
HISTORY_COLUMNS: Final[dict[str, tuple[ColumnSpec, ...]]] = {
    "clients": (
        _col(schema.CLIENT_ID, _STR),
        _col(schema.ONBOARDED_ON, "date"),
        _col(schema.ON_WATCHLIST, "bool"),
    ),
    "facilities": (
        _col(schema.FACILITY_ID, _STR),
        _col(schema.CLIENT_ID, _STR),
        _col(schema.CURRENCY, _STR),
        _col(schema.DRAWN, lower=0),
        _col(schema.START_ON, "date"),
    ),
    "measures": (
        _col(schema.CLIENT_ID, _STR),
        _col(schema.MEASURED_ON, "date"),
        _col(schema.REVENUE_TO_BANK, lower=0),
        _col(schema.PRODUCT_COUNT, "int", lower=0),
    ),
    "ratings": (
        _col(schema.CLIENT_ID, _STR),
        _col(schema.RATED_ON, "date"),
        _col(schema.RATING_GRADE, _STR),
    ),
    "observations": (
        _col(schema.FACILITY_ID, _STR),
        _col(schema.PERIOD_END, "date"),
        _col(schema.DRAWN, lower=0),
        _col(schema.LIMIT, lower=0),
        _col(schema.SIG_DAYS_PAST_DUE, "int", lower=0),
    ),
    "covenants": (
        _col(schema.FACILITY_ID, _STR),
        _col(COVENANT_BREACHES_12M, "int", lower=0),
        ColumnSpec(
            name=schema.SIG_DSCR_HEADROOM, kind="float", nullable=True, required=False
        ),
    ),
}


def grade_positions(
    ratings: pd.DataFrame, grades: tuple[str, ...], order: IntArray | None
) -> IntArray:
    """Position on the scale (0 = best) of each rating, in the history's order.

    Raises:
        InvalidRowsError: a grade not on the scale (names the rows).
    """
    column = ratings[schema.RATING_GRADE]
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, uniques = column.cat.codes.to_numpy(), column.cat.categories
    else:
        codes, uniques = pd.factorize(column)
    table = pd.Index(grades).get_indexer(pd.Index([str(u) for u in uniques]))
    positions = np.asarray(table, dtype=np.int64)[codes]
    unknown = positions < 0
    if unknown.any():
        rows = np.flatnonzero(unknown)
        raise InvalidRowsError(
            frame="ratings",
            column=schema.RATING_GRADE,
            rows=list(ratings.index[rows[:5]]),
            count=len(rows),
            value=column.iloc[int(rows[0])],
            expected=f"a grade of the master scale ({', '.join(grades)})",
        )
    return positions if order is None else positions[order]


def facility_rates(
    facilities: pd.DataFrame,
    clients_of: IntArray,
    n: int,
    models: RelationshipModels,
) -> FloatArray:
    """The rate of each facility into a currency its client's facilities share.

    1.0, or the rate to the reporting currency when the client holds facilities in
    more than one currency.

    Raises:
        InvalidValueError: a mixed-currency client's currency has no rate.
    """
    currency = facilities[schema.CURRENCY]
    if isinstance(currency.dtype, pd.CategoricalDtype):
        codes, uniques = currency.cat.codes.to_numpy(), currency.cat.categories
    else:
        codes, uniques = pd.factorize(currency)
    codes = codes.astype(np.int64)
    if len(uniques) < 2:  # noqa: PLR2004 - one currency in the book: nothing to convert
        return np.ones(len(codes))
    low = np.full(n, len(uniques), dtype=np.int64)
    high = np.full(n, -1, dtype=np.int64)
    np.minimum.at(low, clients_of, codes)
    np.maximum.at(high, clients_of, codes)
    mixed = (low != high)[clients_of]
    if not mixed.any():
        return np.ones(len(codes))
    table = np.ones(len(uniques))
    for code in np.unique(codes[mixed]):  # one look-up per currency
        table[code] = models.rate(str(uniques[code]))
    out: FloatArray = np.where(mixed, table[codes], 1.0)
    return out


def _measures(frame: pd.DataFrame, clients: Owners) -> Measures:
    codes = clients.codes(frame, schema.CLIENT_ID, frame_name="measures")
    history, order = sorted_history(
        frame,
        codes,
        schema.MEASURED_ON,
        frame_name="measures",
        owners=clients,
    )
    return Measures(
        history=history,
        revenue=column_values(frame, schema.REVENUE_TO_BANK, order),
        products=column_values(frame, schema.PRODUCT_COUNT, order),
    )


def _ratings(frame: pd.DataFrame, clients: Owners, grades: tuple[str, ...]) -> Ratings:
    codes = clients.codes(frame, schema.CLIENT_ID, frame_name="ratings")
    history, order = sorted_history(
        frame, codes, schema.RATED_ON, frame_name="ratings", owners=clients
    )
    return Ratings(history=history, grade=grade_positions(frame, grades, order))


def _observations(frame: pd.DataFrame, facilities: Owners) -> Observations:
    codes = facilities.codes(frame, schema.FACILITY_ID, frame_name="observations")
    history, order = sorted_history(
        frame,
        codes,
        schema.PERIOD_END,
        frame_name="observations",
        owners=facilities,
    )
    return Observations(
        history=history,
        drawn=column_values(frame, schema.DRAWN, order),
        limit=column_values(frame, schema.LIMIT, order),
        days_past_due=column_values(frame, schema.SIG_DAYS_PAST_DUE, order),
    )


def _checked(frames: dict[str, object]) -> dict[str, pd.DataFrame]:
    """Each given frame checked against its `HISTORY_COLUMNS` (only covenants optional)."""
    return {
        name: check_columns(frame, HISTORY_COLUMNS[name], frame_name=name)
        for name, frame in frames.items()
        if frame is not None or name != "covenants"
    }


def signal_inputs(
    frames: dict[str, pd.DataFrame],
    *,
    grades: tuple[str, ...],
    models: RelationshipModels,
) -> SignalInputs:
    """Codes and sorted histories of checked frames (see `signals_from_history`)."""
    cl, fa = frames["clients"], frames["facilities"]
    clients = Owners.of(cl, schema.CLIENT_ID, frame_name="clients", kind="client")
    facilities = Owners.of(
        fa, schema.FACILITY_ID, frame_name="facilities", kind="facility"
    )
    client_of = clients.codes(fa, schema.CLIENT_ID, frame_name="facilities").astype(
        np.int64
    )
    measures = _measures(frames["measures"], clients)
    ratings = _ratings(frames["ratings"], clients, grades)
    observations = _observations(frames["observations"], facilities)
    clients.check_unique()
    facilities.check_unique()
    covenants = frames.get("covenants")
    cov_codes: IntArray = np.zeros(0, dtype=np.int64)
    breaches: NumberArray = np.zeros(0)
    headroom: FloatArray = np.zeros(0)
    if covenants is not None:
        cov_codes = facilities.codes(
            covenants, schema.FACILITY_ID, frame_name="covenants"
        ).astype(np.int64)
        breaches = column_values(covenants, COVENANT_BREACHES_12M, None)
        if schema.SIG_DSCR_HEADROOM in covenants.columns:
            headroom = covenants[schema.SIG_DSCR_HEADROOM].to_numpy(
                dtype=np.float64, na_value=np.nan
            )
        else:
            headroom = np.full(len(covenants), np.nan)
    return SignalInputs(
        onboarded=day_numbers(cl[schema.ONBOARDED_ON]),
        on_watchlist=cl[schema.ON_WATCHLIST].to_numpy(dtype=bool),
        facility_client=client_of,
        facility_start=day_numbers(fa[schema.START_ON]),
        facility_drawn=column_values(fa, schema.DRAWN, None),
        facility_rate=facility_rates(fa, client_of, len(cl), models),
        measures=measures,
        ratings=ratings,
        observations=observations,
        covenant_facility=cov_codes,
        covenant_breaches=breaches,
        dscr_headroom=headroom,
    )


def signals_from_history(
    clients: pd.DataFrame,
    facilities: pd.DataFrame,
    measures: pd.DataFrame,
    ratings: pd.DataFrame,
    observations: pd.DataFrame,
    *,
    as_of: dt.date,
    covenants: pd.DataFrame | None = None,
    grades: Sequence[str] | None = None,
    models: RelationshipModels | None = None,
) -> pd.DataFrame:
    """Derive every client's lifecycle signals (the ``SIG_*`` frame) from histories.

    One row per client of ``clients``, with the ``client_id`` column and every
    column of `lendcrm.lifecycle.SIGNAL_SPECS`, so the frame feeds
    `lendcrm.lifecycle.frames.assess_stages` and
    `lendcrm.relationship.frames.relationship_frame` (``signals=``) unchanged. Each
    signal, with its window ("a year earlier" is the same calendar month twelve
    months before; a period "in" a month is the latest one ending in it):

    - ``revenue_growth_yoy``: ``(new - old) / old`` with ``new`` the
      ``revenue_to_bank`` of the client's latest measures period on or before
      ``as_of`` and ``old`` that of its period a year earlier.
    - ``product_count_change``: ``product_count`` of that latest period minus that
      of the period a year earlier (products, may be negative).
    - ``exposure_growth_yoy``: the same growth of exposure, the sum of ``drawn``
      over the client's facilities at its latest observation month on or before
      ``as_of`` (each facility's latest observation in that month; a facility not
      observed in it is left out) against the same sum a year earlier.
    - ``utilisation_change``: utilisation (summed drawn / summed limit over those
      observations, clipped to [0, 1]; 0 without a limit) at that month minus a
      year earlier, in fraction points; 0 when nothing was observed a year earlier.
    - ``days_past_due``: the worst ``days_past_due`` of those latest observations.
    - ``rating_notches_moved``: the position on ``grades`` of the client's latest
      rating on or before ``as_of`` minus that of the rating in force twelve
      months before ``as_of`` (the latest on or before that day; a client first
      rated inside the window is compared with its first rating). Positive means
      downgraded; no rating: 0.
    - ``has_facility``: a facility that started on or before ``as_of``.
    - ``has_drawn`` and ``months_since_first_drawdown``: a facility's first
      drawdown is the ``period_end`` of its first observation with ``drawn > 0``,
      or its ``start_on`` when its very first observation is already drawn (the
      money went out before the history begins); a facility without any
      observation counts from ``start_on`` if its ``drawn`` is positive. Whole
      calendar months from the client's earliest first drawdown to ``as_of``;
      0 when it has not drawn.
    - ``tenure_months``: whole calendar months from ``onboarded_on`` to ``as_of``.
    - ``on_watchlist``: the clients frame's ``on_watchlist``.
    - ``covenant_breaches``, ``has_dscr``, ``dscr_headroom``: from ``covenants``,
      the sum of its facilities' breaches in the last twelve months and the weakest
      (lowest) DSCR headroom of its facilities with a DSCR test; without
      ``covenants``: 0, false, 0.

    Growth without a positive base (no period a year earlier, or a zero one)
    counts as +100 % (1.0) when the new value is positive and 0 otherwise: the
    relationship is new, the convention of the synthetic generator. A client whose
    history starts less than a year ago therefore shows as growing; load at least
    thirteen months of history. Missing values never reach the frame (the signal
    specs refuse NaN).

    Records dated after ``as_of`` are ignored (not refused), so one history gives
    the signals at any earlier date: a back-test, or the signals a year ago for a
    migration. The clients frame's ``on_watchlist`` and the facilities' ``drawn``
    are read as they are. Rows may come in any order; frames ordered by owner and
    date (as `lendcrm.frames` writes them) are not sorted again.

    Amounts are summed per client in one currency: as they are when the client's
    facilities share a currency, else converted with ``models``' rates (today's
    rate for both dates, so growth is in constant currency).

    A signals frame of your own stays an override: pass it to
    ``relationship_frame(..., signals=...)`` or ``assess_stages`` instead of this
    one, or replace some columns of this one first (``frame.assign(...)``); either
    way it is checked against the same `SIGNAL_SPECS`.

    Args:
        clients: ``client_id``, ``onboarded_on``, ``on_watchlist``.
        facilities: ``facility_id``, ``client_id``, ``currency``, ``drawn``,
            ``start_on``.
        measures: The measures history: ``client_id``, ``measured_on``,
            ``revenue_to_bank``, ``product_count``.
        ratings: The rating history: ``client_id``, ``rated_on``,
            ``rating_grade``.
        observations: Facility observations: ``facility_id``, ``period_end``,
            ``drawn``, ``limit``, ``days_past_due``.
        as_of: The date the signals describe.
        covenants: Covenant results per facility (optional): ``facility_id``,
            ``covenant_breaches_12m`` (breaches in the twelve months to ``as_of``,
            whole, >= 0) and, optionally, ``dscr_headroom`` (the latest DSCR minus
            its lock-up level; missing where the facility has no DSCR test):
            `lendcrm.relationship.frames.covenant_results` of a
            `lendcrm.risk.project_finance.frames.covenant_compliance` result, or
            its ``facilities`` frame alone (breaches only).
        grades: The master scale's grades, best first (default: those of
            `lendcrm.risk.scoring.DEFAULT_MASTER_SCALE`).
        models: Reporting currency and rates, for clients with facilities in
            several currencies (default: EUR, no other rate).

    Returns:
        A new frame with the clients frame's index: ``client_id`` and the
        ``SIG_*`` columns (bool, int64 for whole numbers, float64).

    Raises:
        InvalidValueError: ``as_of`` is not a date, a frame is not a DataFrame,
            ``grades`` are empty or repeat, or a mixed-currency client's currency
            has no rate.
        SchemaError: a frame misses a column or has a wrong dtype (names them).
        BatchValidationError: rows hold missing or out-of-range values.
        InvalidRowsError: a grade not on ``grades``, two records of one owner on
            one date, or an id listed twice (names the rows).
        UnknownReferenceError: a record of a client or facility the frames lack.

    Examples:
        >>> import datetime as dt
        >>> day = lambda *d: pd.to_datetime(list(d))
        >>> clients = pd.DataFrame({"client_id": ["C-1"], "on_watchlist": [False],
        ...                         "onboarded_on": day("2019-05-02")})
        >>> facilities = pd.DataFrame({"facility_id": ["F-1"], "client_id": ["C-1"],
        ...     "currency": ["EUR"], "drawn": [900.0], "start_on": day("2024-11-15")})
        >>> measures = pd.DataFrame({"client_id": ["C-1", "C-1"],
        ...     "measured_on": day("2024-12-31", "2025-12-31"),
        ...     "revenue_to_bank": [80.0, 100.0], "product_count": [2, 3]})
        >>> ratings = pd.DataFrame({"client_id": ["C-1", "C-1"],
        ...     "rated_on": day("2024-06-30", "2025-09-30"), "rating_grade": ["4", "6"]})
        >>> observations = pd.DataFrame({"facility_id": ["F-1", "F-1", "F-1"],
        ...     "period_end": day("2024-11-30", "2024-12-31", "2025-12-31"),
        ...     "drawn": [0.0, 400.0, 900.0], "limit": [1000.0] * 3,
        ...     "days_past_due": [0, 0, 12]})
        >>> sig = signals_from_history(clients, facilities, measures, ratings,
        ...                            observations, as_of=dt.date(2025, 12, 31))
        >>> sig.iloc[0][["revenue_growth_yoy", "exposure_growth_yoy",
        ...              "utilisation_change", "rating_notches_moved",
        ...              "months_since_first_drawdown", "days_past_due"]].astype(float).tolist()
        [0.25, 1.25, 0.5, 2.0, 12.0, 12.0]
    """
    day = check_as_of(as_of)
    if models is not None:
        require_instance(
            models, RelationshipModels, name="models", what="a RelationshipModels"
        )
    checked = _checked(
        {
            "clients": clients,
            "facilities": facilities,
            "measures": measures,
            "ratings": ratings,
            "observations": observations,
            "covenants": covenants,
        }
    )
    inputs = signal_inputs(
        checked,
        grades=scale_grades(grades),
        models=RelationshipModels() if models is None else models,
    )
    as_of_day = int(np.datetime64(day, "D").astype(np.int64))
    year_ago = int(np.datetime64(months_before(day, YEAR_MONTHS), "D").astype(np.int64))
    signals = derive_signals(inputs, as_of=as_of_day, year_ago=year_ago)
    columns: dict[str, object] = {schema.CLIENT_ID: clients[schema.CLIENT_ID].array}
    for spec in SIGNAL_SPECS:
        values = signals[spec.name]
        columns[spec.name] = values.astype(np.int64) if spec.kind == "int" else values
    return pd.DataFrame(columns, index=clients.index, copy=False)


def book_signals(
    book_frames: BookFrames,
    *,
    as_of: dt.date,
    covenants: pd.DataFrame | None = None,
    grades: Sequence[str] | None = None,
    models: RelationshipModels | None = None,
) -> pd.DataFrame:
    """`signals_from_history` on the frames of a `lendcrm.frames.BookFrames`.

    Reads its ``clients``, ``facilities`` and the ``measures``, ``ratings`` and
    ``observations`` history frames; the other arguments and the result are those of
    `signals_from_history`, whose docstring states each signal's formula and window.

    Raises:
        InvalidValueError: ``book_frames`` is not a `BookFrames`, or as
            `signals_from_history`.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import (Book, Client, ClientId, Money, RatingRecord,
        ...     RelationshipMeasures, Sector)
        >>> from lendcrm.frames import book_frames
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
        >>> sig = book_signals(book_frames(Book(clients=(c,))), as_of=dt.date(2025, 12, 31))
        >>> sig.loc[0, ["revenue_growth_yoy", "rating_notches_moved"]].to_dict()
        {'revenue_growth_yoy': 0.25, 'rating_notches_moved': 2.0}
    """
    if not isinstance(book_frames, BookFrames):
        raise InvalidValueError(
            field="book_frames",
            value=type(book_frames).__name__,
            expected="a BookFrames",
        )
    return signals_from_history(
        book_frames.clients,
        book_frames.facilities,
        book_frames.measures,
        book_frames.ratings,
        book_frames.observations,
        as_of=as_of,
        covenants=covenants,
        grades=grades,
        models=models,
    )
