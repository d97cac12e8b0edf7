"""The columnar face of the core: books to pandas frames and back, and frame validation.

One row per entity in the ``clients``, ``facilities`` and ``projects`` frames; one row
per nested value object in the child frames (collateral, guarantees, covenants,
milestones, drawdowns, cash flows, sponsors, feedback, referrals), keyed by the owner's
id and in the owner's order. Column names are the `lendcrm.schema` constants and the
dtypes are the ``*_DTYPES`` mappings below.

**Lossless rule.** Amounts are float64 in frames and exact ``Decimal`` in entities. An
amount crosses to a frame only if float64 holds it exactly, i.e.
``Decimal(repr(float(x))) == x`` (always true with at most 15 significant digits); anything else is refused with an
`InvalidValueError` telling you to round first, never silently rounded. On the way back
each float becomes ``Decimal(repr(x))``, so ``book_from_frames(book_frames(book)) ==
book``. The numeric *value* survives exactly; trailing zeros (``Decimal("1.50")``
versus ``Decimal("1.5")``, which compare equal) do not.

Missing values: NaN in float columns, NaN in ``str`` columns, NaT in date columns.
Dates are ``datetime64[ns]`` at midnight.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._frame_rows import Amounts, client_columns
from lendcrm._framecheck import ColumnSpec, check_frame, rows_error
from lendcrm._frames_read import build_book
from lendcrm._frames_specs import (
    CHILD_SPECS,
    CLIENT_SPECS,
    FACILITY_SPECS,
    PROJECT_SPECS,
)
from lendcrm.book import Book
from lendcrm.errors import (
    BatchValidationError,
    LendCRMError,
    SchemaError,
)
from lendcrm.schema import (
    ACTUAL_ON,
    ALLOWS_OVERDRAW,
    AMOUNT,
    ANNUAL_REVENUE,
    ARRANGEMENT_FEE,
    CERTIFIED_BY,
    CFADS,
    CHANNEL,
    CLIENT_ID,
    COLLATERAL_KIND,
    COLLATERAL_VALUE,
    COMMITMENT_FEE_BPS,
    CONVERTED_AMOUNT,
    COUNTRY,
    COVERED,
    CREDIT_CONVERSION_FACTOR,
    CURRENCY,
    DEBT,
    DEBT_SERVICE,
    DEFAULT_LEVEL,
    DEFAULT_PROBABILITY,
    DRAWN,
    DRAWN_ON,
    EQUITY,
    EQUITY_SHARE,
    FACILITY_ID,
    FEEDBACK_ON,
    GUARANTEED_AMOUNT,
    GUARANTOR_DEFAULT_PROBABILITY,
    GUARANTOR_ID,
    GUARANTOR_NAME,
    HAIRCUT,
    KIND,
    LAST_TRANSACTION_ON,
    LEGAL_NAME,
    LIMIT,
    LOCK_UP_LEVEL,
    LOSS_GIVEN_DEFAULT,
    MARGIN_BPS,
    MATURITY_ON,
    MEASURED_ON,
    METRIC,
    MILESTONE,
    NAME,
    ON_WATCHLIST,
    ONBOARDED_ON,
    OPERATOR,
    PARENT_ID,
    PERCENT_COMPLETE,
    PERIOD_END,
    PHASE,
    PLANNED_ON,
    PRODUCT_COUNT,
    PROFIT_TO_BANK,
    PROJECT_ID,
    RATING_GRADE,
    REFEREE_ID,
    REFERENCE_RATE,
    REFERRAL_COUNT,
    REFERRED_ON,
    REVENUE_TO_BANK,
    SCORE,
    SECTOR,
    SENIORITY,
    SPONSOR_ID,
    START_ON,
    STATUS,
    TEST_FREQUENCY,
    TEXT,
    THRESHOLD,
    TOTAL_COST,
    TRANSACTION_COUNT,
    VALUE,
)

__all__ = [  # noqa: RUF022 - plain sorted order, as tests/test_public_api.py checks
    "BookFrames",
    "CASH_FLOWS_DTYPES",
    "CLIENTS_DTYPES",
    "COLLATERAL_DTYPES",
    "COVENANTS_DTYPES",
    "DRAWDOWNS_DTYPES",
    "FACILITIES_DTYPES",
    "FEEDBACK_DTYPES",
    "GUARANTEES_DTYPES",
    "MILESTONES_DTYPES",
    "PROJECTS_DTYPES",
    "REFERRALS_DTYPES",
    "SPONSORS_DTYPES",
    "book_frames",
    "book_from_frames",
    "clients_frame",
    "facilities_frame",
    "projects_frame",
    "validate_clients_frame",
    "validate_facilities_frame",
    "validate_projects_frame",
]

_S: Final = "str"
_F: Final = "float64"
_I: Final = "int64"
_B: Final = "bool"
_D: Final = "datetime64[ns]"

#: Clients frame: one row per client. Amounts in the row's ``currency``.
CLIENTS_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        CLIENT_ID: _S,
        LEGAL_NAME: _S,
        SECTOR: _S,
        COUNTRY: _S,
        PARENT_ID: _S,
        ONBOARDED_ON: _D,
        CURRENCY: _S,
        ANNUAL_REVENUE: _F,
        MEASURED_ON: _D,
        REVENUE_TO_BANK: _F,
        PROFIT_TO_BANK: _F,
        PRODUCT_COUNT: _I,
        TRANSACTION_COUNT: _I,
        LAST_TRANSACTION_ON: _D,
        REFERRAL_COUNT: _I,
        RATING_GRADE: _S,
        DEFAULT_PROBABILITY: _F,
        ON_WATCHLIST: _B,
    }
)
#: Facilities frame: one row per facility. ``collateral_value`` (after haircuts) and
#: ``guaranteed_amount`` are derived summaries, ignored when reading back.
FACILITIES_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        FACILITY_ID: _S,
        CLIENT_ID: _S,
        PROJECT_ID: _S,
        KIND: _S,
        CURRENCY: _S,
        LIMIT: _F,
        DRAWN: _F,
        START_ON: _D,
        MATURITY_ON: _D,
        SENIORITY: _S,
        REFERENCE_RATE: _S,
        MARGIN_BPS: _I,
        ARRANGEMENT_FEE: _F,
        COMMITMENT_FEE_BPS: _I,
        STATUS: _S,
        ALLOWS_OVERDRAW: _B,
        DEFAULT_PROBABILITY: _F,
        LOSS_GIVEN_DEFAULT: _F,
        CREDIT_CONVERSION_FACTOR: _F,
        COLLATERAL_VALUE: _F,
        GUARANTEED_AMOUNT: _F,
    }
)
#: Projects frame: one row per project. ``percent_complete`` (mean milestone
#: progress, 0-100) is derived, ignored when reading back.
PROJECTS_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        PROJECT_ID: _S,
        NAME: _S,
        SECTOR: _S,
        COUNTRY: _S,
        CURRENCY: _S,
        TOTAL_COST: _F,
        DEBT: _F,
        EQUITY: _F,
        PHASE: _S,
        PERCENT_COMPLETE: _F,
    }
)
#: Collateral of facilities (haircut a fraction).
COLLATERAL_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {FACILITY_ID: _S, COLLATERAL_KIND: _S, CURRENCY: _S, VALUE: _F, HAIRCUT: _F}
)
#: Guarantees of facilities.
GUARANTEES_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        FACILITY_ID: _S,
        CURRENCY: _S,
        COVERED: _F,
        GUARANTOR_ID: _S,
        GUARANTOR_NAME: _S,
        GUARANTOR_DEFAULT_PROBABILITY: _F,
    }
)
#: Covenants of facilities.
COVENANTS_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        FACILITY_ID: _S,
        METRIC: _S,
        OPERATOR: _S,
        THRESHOLD: _F,
        LOCK_UP_LEVEL: _F,
        DEFAULT_LEVEL: _F,
        TEST_FREQUENCY: _S,
    }
)
#: Milestones of projects (percent_complete in percent, 0-100).
MILESTONES_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        PROJECT_ID: _S,
        MILESTONE: _S,
        PLANNED_ON: _D,
        ACTUAL_ON: _D,
        PERCENT_COMPLETE: _F,
        CERTIFIED_BY: _S,
    }
)
#: Drawdowns of projects.
DRAWDOWNS_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {PROJECT_ID: _S, DRAWN_ON: _D, CURRENCY: _S, AMOUNT: _F}
)
#: Cash-flow forecasts of projects.
CASH_FLOWS_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {PROJECT_ID: _S, PERIOD_END: _D, CURRENCY: _S, CFADS: _F, DEBT_SERVICE: _F}
)
#: Sponsors of projects (equity share a fraction).
SPONSORS_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {PROJECT_ID: _S, SPONSOR_ID: _S, EQUITY_SHARE: _F}
)
#: Feedback of clients (score 0-10).
FEEDBACK_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {CLIENT_ID: _S, FEEDBACK_ON: _D, CHANNEL: _S, SCORE: _I, TEXT: _S}
)
#: Referrals made by clients (``client_id`` is the referrer).
REFERRALS_DTYPES: Final[Mapping[str, str]] = MappingProxyType(
    {
        CLIENT_ID: _S,
        REFEREE_ID: _S,
        REFERRED_ON: _D,
        CURRENCY: _S,
        CONVERTED_AMOUNT: _F,
    }
)


def _empty(dtypes: Mapping[str, str]) -> pd.DataFrame:
    return _frame({name: [] for name in dtypes}, dtypes)


# --- entities -> frames ----------------------------------------------------------------
def _frame(
    data: Mapping[str, Sequence[Any]], dtypes: Mapping[str, str]
) -> pd.DataFrame:
    columns: dict[str, object] = {}
    for name, dtype in dtypes.items():
        values = data[name]
        if dtype == _D:
            days = np.array(values, dtype="datetime64[D]")
            columns[name] = pd.Series(days.astype(_D), dtype=_D)
        else:
            columns[name] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(columns)


def clients_frame(book: Book) -> pd.DataFrame:
    """One row per client of ``book``, columns and dtypes of `CLIENTS_DTYPES`.

    Raises:
        BatchValidationError: an amount float64 cannot hold exactly (see the
            lossless rule in the module docstring), with its path.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Client, ClientId, Money, Sector
        >>> c = Client(id=ClientId("C-1"), legal_name="Nordwind GmbH",
        ...     sector=Sector.MANUFACTURING, country="DE", onboarded_on=dt.date(2020, 1, 1),
        ...     annual_revenue=Money.of("1250000.50", "EUR"))
        >>> clients_frame(Book(clients=(c,)))[["client_id", "annual_revenue", "measured_on"]]
          client_id  annual_revenue measured_on
        0       C-1      1250000.5         NaT
    """
    amount = Amounts()
    cols = client_columns(book.clients, amount)
    amount.raise_if_any(len(book.clients))
    return _frame(cols, CLIENTS_DTYPES)


def facilities_frame(book: Book) -> pd.DataFrame:
    """One row per facility of ``book``, columns and dtypes of `FACILITIES_DTYPES`.

    Raises:
        BatchValidationError: an amount float64 cannot hold exactly, with its path.

    Examples:
        >>> facilities_frame(Book()).shape
        (0, 21)
    """
    amount = Amounts()
    cols: dict[str, list[object]] = {name: [] for name in FACILITIES_DTYPES}
    for i, f in enumerate(book.facilities):
        path = f"facilities[{i}]"
        row: dict[str, object] = {
            FACILITY_ID: f.id,
            CLIENT_ID: f.client_id,
            PROJECT_ID: f.project_id,
            KIND: f.kind.value,
            CURRENCY: f.currency,
            LIMIT: amount(f.limit, f"{path}.limit"),
            DRAWN: amount(f.drawn, f"{path}.drawn"),
            START_ON: f.start_on,
            MATURITY_ON: f.maturity_on,
            SENIORITY: f.seniority.value,
            REFERENCE_RATE: f.pricing.reference_rate,
            MARGIN_BPS: f.pricing.margin_bps,
            ARRANGEMENT_FEE: amount(
                f.pricing.arrangement_fee, f"{path}.pricing.arrangement_fee"
            ),
            COMMITMENT_FEE_BPS: f.pricing.commitment_fee_bps,
            STATUS: f.status.value,
            ALLOWS_OVERDRAW: f.allows_overdraw,
            DEFAULT_PROBABILITY: f.default_probability,
            LOSS_GIVEN_DEFAULT: f.loss_given_default,
            CREDIT_CONVERSION_FACTOR: f.credit_conversion_factor,
            COLLATERAL_VALUE: float(f.collateral_value.amount),
            GUARANTEED_AMOUNT: float(f.guaranteed_amount.amount),
        }
        for name, value in row.items():
            cols[name].append(value)
    amount.raise_if_any(len(book.facilities))
    return _frame(cols, FACILITIES_DTYPES)


def projects_frame(book: Book) -> pd.DataFrame:
    """One row per project of ``book``, columns and dtypes of `PROJECTS_DTYPES`.

    Raises:
        BatchValidationError: an amount float64 cannot hold exactly, with its path.

    Examples:
        >>> list(projects_frame(Book()).columns)[:3]
        ['project_id', 'name', 'sector']
    """
    amount = Amounts()
    cols: dict[str, list[object]] = {name: [] for name in PROJECTS_DTYPES}
    for i, p in enumerate(book.projects):
        path = f"projects[{i}]"
        row: dict[str, object] = {
            PROJECT_ID: p.id,
            NAME: p.name,
            SECTOR: p.sector.value,
            COUNTRY: p.country,
            CURRENCY: p.currency,
            TOTAL_COST: amount(p.total_cost, f"{path}.total_cost"),
            DEBT: amount(p.debt, f"{path}.debt"),
            EQUITY: amount(p.equity, f"{path}.equity"),
            PHASE: p.phase.value,
            PERCENT_COMPLETE: p.percent_complete,
        }
        for name, value in row.items():
            cols[name].append(value)
    amount.raise_if_any(len(book.projects))
    return _frame(cols, PROJECTS_DTYPES)


def _rows(dtypes: Mapping[str, str]) -> dict[str, list[object]]:
    return {name: [] for name in dtypes}


def _add(cols: dict[str, list[object]], row: Mapping[str, object]) -> None:
    for name, value in row.items():
        cols[name].append(value)


def _child_frames(book: Book, amount: Amounts) -> dict[str, pd.DataFrame]:  # noqa: C901
    coll, guar, cov = (
        _rows(COLLATERAL_DTYPES),
        _rows(GUARANTEES_DTYPES),
        _rows(COVENANTS_DTYPES),
    )
    for i, f in enumerate(book.facilities):
        for j, c in enumerate(f.collateral):
            _add(coll, {
                FACILITY_ID: f.id, COLLATERAL_KIND: c.kind.value, CURRENCY: c.value.currency,
                VALUE: amount(c.value, f"facilities[{i}].collateral[{j}].value"),
                HAIRCUT: c.haircut,
            })  # fmt: skip
        for j, g in enumerate(f.guarantees):
            _add(guar, {
                FACILITY_ID: f.id, CURRENCY: g.covered.currency,
                COVERED: amount(g.covered, f"facilities[{i}].guarantees[{j}].covered"),
                GUARANTOR_ID: g.guarantor_id, GUARANTOR_NAME: g.guarantor_name,
                GUARANTOR_DEFAULT_PROBABILITY: g.guarantor_default_probability,
            })  # fmt: skip
        for k in f.covenants:
            _add(cov, {
                FACILITY_ID: f.id, METRIC: k.metric.value, OPERATOR: k.operator.value,
                THRESHOLD: k.threshold, LOCK_UP_LEVEL: k.lock_up_level,
                DEFAULT_LEVEL: k.default_level, TEST_FREQUENCY: k.test_frequency.value,
            })  # fmt: skip
    mil, draw = _rows(MILESTONES_DTYPES), _rows(DRAWDOWNS_DTYPES)
    cash, spon = _rows(CASH_FLOWS_DTYPES), _rows(SPONSORS_DTYPES)
    for i, p in enumerate(book.projects):
        for m in p.milestones:
            _add(mil, {
                PROJECT_ID: p.id, MILESTONE: m.name, PLANNED_ON: m.planned_on,
                ACTUAL_ON: m.actual_on, PERCENT_COMPLETE: m.percent_complete,
                CERTIFIED_BY: m.certified_by,
            })  # fmt: skip
        for j, d in enumerate(p.drawdowns):
            _add(draw, {
                PROJECT_ID: p.id, DRAWN_ON: d.on, CURRENCY: d.amount.currency,
                AMOUNT: amount(d.amount, f"projects[{i}].drawdowns[{j}].amount"),
            })  # fmt: skip
        for j, cf in enumerate(p.cash_flows):
            _add(cash, {
                PROJECT_ID: p.id, PERIOD_END: cf.period_end, CURRENCY: cf.cfads.currency,
                CFADS: amount(cf.cfads, f"projects[{i}].cash_flows[{j}].cfads"),
                DEBT_SERVICE: amount(
                    cf.debt_service, f"projects[{i}].cash_flows[{j}].debt_service"
                ),
            })  # fmt: skip
        for s in p.sponsors:
            _add(
                spon,
                {
                    PROJECT_ID: p.id,
                    SPONSOR_ID: s.sponsor_id,
                    EQUITY_SHARE: s.equity_share,
                },
            )
    fb, ref = _rows(FEEDBACK_DTYPES), _rows(REFERRALS_DTYPES)
    for i, cl in enumerate(book.clients):
        for e in cl.feedback:
            _add(fb, {
                CLIENT_ID: cl.id, FEEDBACK_ON: e.on, CHANNEL: e.channel.value,
                SCORE: e.score, TEXT: e.text,
            })  # fmt: skip
        for j, r in enumerate(cl.referrals):
            money = r.converted_amount
            _add(ref, {
                CLIENT_ID: cl.id, REFEREE_ID: r.referee, REFERRED_ON: r.on,
                CURRENCY: None if money is None else money.currency,
                CONVERTED_AMOUNT: amount(
                    money, f"clients[{i}].referrals[{j}].converted_amount"
                ),
            })  # fmt: skip
    return {
        "collateral": _frame(coll, COLLATERAL_DTYPES),
        "guarantees": _frame(guar, GUARANTEES_DTYPES),
        "covenants": _frame(cov, COVENANTS_DTYPES),
        "milestones": _frame(mil, MILESTONES_DTYPES),
        "drawdowns": _frame(draw, DRAWDOWNS_DTYPES),
        "cash_flows": _frame(cash, CASH_FLOWS_DTYPES),
        "sponsors": _frame(spon, SPONSORS_DTYPES),
        "feedback": _frame(fb, FEEDBACK_DTYPES),
        "referrals": _frame(ref, REFERRALS_DTYPES),
    }


@attrs.frozen(kw_only=True, eq=False)
class BookFrames:
    """A whole book as frames: three entity frames and nine child frames.

    Child frames default to empty frames with the right columns, so a caller with only
    ``clients`` and ``facilities`` frames (e.g. from a synthetic generator) can still
    build a `BookFrames`. Frames are not copied; do not mutate them after building.

    Attributes:
        clients: `CLIENTS_DTYPES`.
        facilities: `FACILITIES_DTYPES`.
        projects: `PROJECTS_DTYPES`.
        collateral: `COLLATERAL_DTYPES`, keyed by ``facility_id``.
        guarantees: `GUARANTEES_DTYPES`, keyed by ``facility_id``.
        covenants: `COVENANTS_DTYPES`, keyed by ``facility_id``.
        milestones: `MILESTONES_DTYPES`, keyed by ``project_id``.
        drawdowns: `DRAWDOWNS_DTYPES`, keyed by ``project_id``.
        cash_flows: `CASH_FLOWS_DTYPES`, keyed by ``project_id``.
        sponsors: `SPONSORS_DTYPES`, keyed by ``project_id``.
        feedback: `FEEDBACK_DTYPES`, keyed by ``client_id``.
        referrals: `REFERRALS_DTYPES`, keyed by ``client_id`` (the referrer).

    Examples:
        >>> frames = book_frames(Book())
        >>> len(frames.clients), list(frames.sponsors.columns)
        (0, ['project_id', 'sponsor_id', 'equity_share'])
    """

    clients: pd.DataFrame = attrs.field(
        factory=partial(_empty, CLIENTS_DTYPES), repr=False
    )
    facilities: pd.DataFrame = attrs.field(
        factory=partial(_empty, FACILITIES_DTYPES), repr=False
    )
    projects: pd.DataFrame = attrs.field(
        factory=partial(_empty, PROJECTS_DTYPES), repr=False
    )
    collateral: pd.DataFrame = attrs.field(
        factory=partial(_empty, COLLATERAL_DTYPES), repr=False
    )
    guarantees: pd.DataFrame = attrs.field(
        factory=partial(_empty, GUARANTEES_DTYPES), repr=False
    )
    covenants: pd.DataFrame = attrs.field(
        factory=partial(_empty, COVENANTS_DTYPES), repr=False
    )
    milestones: pd.DataFrame = attrs.field(
        factory=partial(_empty, MILESTONES_DTYPES), repr=False
    )
    drawdowns: pd.DataFrame = attrs.field(
        factory=partial(_empty, DRAWDOWNS_DTYPES), repr=False
    )
    cash_flows: pd.DataFrame = attrs.field(
        factory=partial(_empty, CASH_FLOWS_DTYPES), repr=False
    )
    sponsors: pd.DataFrame = attrs.field(
        factory=partial(_empty, SPONSORS_DTYPES), repr=False
    )
    feedback: pd.DataFrame = attrs.field(
        factory=partial(_empty, FEEDBACK_DTYPES), repr=False
    )
    referrals: pd.DataFrame = attrs.field(
        factory=partial(_empty, REFERRALS_DTYPES), repr=False
    )


def book_frames(book: Book) -> BookFrames:
    """Every frame of ``book``: entities and nested value objects.

    Raises:
        BatchValidationError: amounts float64 cannot hold exactly, each with its path
            (e.g. ``facilities[3].limit``).

    Examples:
        >>> book_frames(Book()).facilities.shape
        (0, 21)
    """
    amount = Amounts()
    children = _child_frames(book, amount)
    amount.raise_if_any(len(book.clients) + len(book.facilities) + len(book.projects))
    return BookFrames(
        clients=clients_frame(book),
        facilities=facilities_frame(book),
        projects=projects_frame(book),
        **children,
    )


def _check(
    frame: pd.DataFrame,
    specs: Sequence[ColumnSpec],
    name: str,
    unique: Sequence[str],
    extra_rules: Callable[[pd.DataFrame], list[LendCRMError]],
    *,
    require_rows: bool = True,
) -> None:
    errors: list[LendCRMError] = []
    try:
        check_frame(
            frame, specs, frame_name=name, require_rows=require_rows, unique=unique
        )
    except BatchValidationError as exc:
        errors.extend(exc.exceptions)  # type: ignore[arg-type]
    errors.extend(extra_rules(frame))
    if errors:
        raise BatchValidationError(errors, total=len(frame))


def _no_rules(_frame: pd.DataFrame) -> list[LendCRMError]:
    return []


def _mask(
    frame: pd.DataFrame,
    mask: npt.NDArray[np.bool_],
    name: str,
    column: str,
    expected: str,
) -> list[LendCRMError]:
    return [rows_error(name, frame, column, mask, expected)] if mask.any() else []


def validate_clients_frame(frame: pd.DataFrame) -> None:
    """Check a clients frame in one vectorised pass; raise every problem at once.

    Rules: the `CLIENTS_DTYPES` columns are present with compatible dtypes
    (``measured_on`` is optional here; extra columns are allowed); at least one row; ids unique and present; amounts finite and
    >= 0 (``profit_to_bank`` may be negative); counts whole and >= 0; PD in [0, 1] or
    missing; sector, country and currency codes known.

    Raises:
        InvalidValueError: ``frame`` is not a DataFrame, or has no rows.
        SchemaError: missing or misspelled columns, or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per broken rule, naming the first
            offending row labels.

    Examples:
        >>> import numpy as np
        >>> frame = clients_frame(Book())
        >>> validate_clients_frame(frame)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `clients` must be at least one row; got 'an empty frame'.
    """
    _check(frame, CLIENT_SPECS, "clients", (CLIENT_ID,), _no_rules)


def _facility_rules(frame: pd.DataFrame) -> list[LendCRMError]:
    limit = frame[LIMIT].to_numpy(dtype=np.float64, na_value=np.nan)
    drawn = frame[DRAWN].to_numpy(dtype=np.float64, na_value=np.nan)
    overdraw = frame[ALLOWS_OVERDRAW].to_numpy(dtype=np.bool_)
    start = frame[START_ON].to_numpy(dtype="datetime64[ns]")
    maturity = frame[MATURITY_ON].to_numpy(dtype="datetime64[ns]")
    return [
        *_mask(frame, (drawn > limit) & ~overdraw, "facilities", DRAWN,
               f"at most `{LIMIT}` unless `{ALLOWS_OVERDRAW}`"),
        *_mask(frame, maturity <= start, "facilities", MATURITY_ON,
               f"a date after `{START_ON}`"),
    ]  # fmt: skip


def validate_facilities_frame(frame: pd.DataFrame) -> None:
    """Check a facilities frame in one vectorised pass; raise every problem at once.

    Rules: the `FACILITIES_DTYPES` columns (the derived ``collateral_value`` and
    ``guaranteed_amount`` are optional); at least one row; unique ids; limit, drawn and
    fees finite and >= 0; drawn <= limit unless ``allows_overdraw``; maturity after
    start; PD, LGD and CCF in [0, 1] or missing; whole basis points; known codes.

    Raises:
        InvalidValueError: ``frame`` is not a DataFrame, or has no rows.
        SchemaError: missing or misspelled columns, or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per broken rule.

    Examples:
        >>> validate_facilities_frame({"limit": [1.0]})
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `facilities` must be a pandas DataFrame; got 'dict'.
    """
    _check(frame, FACILITY_SPECS, "facilities", (FACILITY_ID,), _facility_rules)


def _project_rules(frame: pd.DataFrame) -> list[LendCRMError]:
    total = frame[TOTAL_COST].to_numpy(dtype=np.float64, na_value=np.nan)
    debt = frame[DEBT].to_numpy(dtype=np.float64, na_value=np.nan)
    equity = frame[EQUITY].to_numpy(dtype=np.float64, na_value=np.nan)
    off = np.abs(debt + equity - total) > 1e-12 * np.abs(total)
    return [
        *_mask(frame, off, "projects", EQUITY, f"`{TOTAL_COST}` - `{DEBT}`"),
    ]


def validate_projects_frame(frame: pd.DataFrame) -> None:
    """Check a projects frame in one vectorised pass; raise every problem at once.

    Rules: the `PROJECTS_DTYPES` columns (``percent_complete`` is optional); at least
    one row; unique ids; total cost > 0, debt and equity >= 0 with debt + equity =
    total cost (to 1e-12 relative); known codes.

    Raises:
        InvalidValueError: ``frame`` is not a DataFrame, or has no rows.
        SchemaError: missing or misspelled columns, or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per broken rule.

    Examples:
        >>> import pandas as pd
        >>> validate_projects_frame(pd.DataFrame({"project_id": ["P-1"]}))
        Traceback (most recent call last):
        ...
        lendcrm.errors.SchemaError: `projects.columns` must be the columns and dtypes of the projects schema; got missing ['name', 'sector', 'country', 'currency', 'total_cost', 'debt', 'equity', 'phase'].
    """
    _check(frame, PROJECT_SPECS, "projects", (PROJECT_ID,), _project_rules)


def book_from_frames(frames: BookFrames) -> Book:
    """Rebuild a `Book` from its frames: the inverse of `book_frames`.

    Every frame is validated first (`validate_clients_frame` and friends; the child
    frames against their own dtypes, and they may be empty); then each row becomes an
    entity or value object. Row-level entity errors (e.g. a milestone with an actual
    date but 50 % progress) are collected with paths such as
    ``milestones[4].percent_complete`` and raised together, as are child rows whose
    owner is missing. The book's own integrity checks run last.

    Raises:
        SchemaError: a frame's columns or dtypes are wrong (the clients frame needs
            ``measured_on`` here, although `validate_clients_frame` does not).
        InvalidValueError: an entity frame is empty (only ``clients`` must have rows;
            an empty ``facilities`` or ``projects`` frame is a book without them).
        BatchValidationError: invalid rows, unknown owners or broken integrity.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Client, ClientId, Money, Sector
        >>> c = Client(id=ClientId("C-1"), legal_name="Nordwind GmbH",
        ...     sector=Sector.MANUFACTURING, country="DE", onboarded_on=dt.date(2020, 1, 1),
        ...     annual_revenue=Money.of("1250000.50", "EUR"))
        >>> book = Book(clients=(c,))
        >>> book_from_frames(book_frames(book)) == book
        True
    """
    _check(frames.clients, CLIENT_SPECS, "clients", (CLIENT_ID,), _no_rules)
    if MEASURED_ON not in frames.clients.columns:
        raise SchemaError(
            frame="clients",
            missing=[MEASURED_ON],
            known=[str(c) for c in frames.clients.columns],
        )
    if len(frames.facilities):
        validate_facilities_frame(frames.facilities)
    else:
        check_frame(
            frames.facilities,
            FACILITY_SPECS,
            frame_name="facilities",
            require_rows=False,
        )
    if len(frames.projects):
        validate_projects_frame(frames.projects)
    else:
        check_frame(
            frames.projects, PROJECT_SPECS, frame_name="projects", require_rows=False
        )
    for name, specs in CHILD_SPECS.items():
        child = getattr(frames, name)
        _check(child, specs, name, (), _no_rules, require_rows=False)

    return build_book(attrs.asdict(frames, recurse=False))
