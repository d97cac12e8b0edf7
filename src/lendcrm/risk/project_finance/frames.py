"""pandas adapter for covenant compliance: a book's frames in, tests and summaries out.

`covenant_compliance` reads the frames of `lendcrm.frames` (their column names are the
`lendcrm.frames.columns` constants) — ``covenants`` and ``facilities``, and where given
``statements``, ``observations``, ``collateral`` with ``valuations``, and project
``cash_flows`` — validates the columns it reads with `check_frame`, turns ids into
integer codes once, and runs the vectorised `covenant_tests`.
`covenant_compliance_frame` does the same from a `BookFrames`.

Frames may come in any row order; histories are sorted by owner and date here, and a
repeated (owner, date) is refused naming the row labels. Rows of statements, cash
flows and observations whose owner has no facility are ignored. An absent statement
amount column counts as "not given". The ``valuations`` frame refers to a collateral
item by its facility and ``collateral_index``, the 0-based position of the item among
the facility's rows of the ``collateral`` frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

import attrs
import numpy as np
import pandas as pd

from lendcrm._arrays import IntArray, as_float_array
from lendcrm._enums import CovenantMetric, CovenantOperator, TestFrequency
from lendcrm._history import STATEMENT_AMOUNTS
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidRowsError, InvalidValueError
from lendcrm.frames import BookFrames, ColumnSpec, check_frame
from lendcrm.frames.columns import (
    CFADS,
    CLIENT_ID,
    COLLATERAL_INDEX,
    DEBT_SERVICE,
    DEFAULT_LEVEL,
    DRAWN,
    FACILITY_ID,
    LOCK_UP_LEVEL,
    MATURITY_ON,
    METRIC,
    OPERATOR,
    PERIOD_END,
    PROJECT_ID,
    START_ON,
    TEST_FREQUENCY,
    THRESHOLD,
    VALUATION_VALUE,
    VALUE,
    VALUED_ON,
)
from lendcrm.risk.project_finance._calendar import DayArray
from lendcrm.risk.project_finance._compliance import (
    CovenantStatus,
    CovenantTests,
    MissingPolicy,
    covenant_tests,
)
from lendcrm.risk.project_finance._inputs import (
    CashFlowArrays,
    CollateralArrays,
    CovenantArrays,
    FacilityArrays,
    ObservationArrays,
    StatementArrays,
    missing_input_names,
)

__all__ = [  # noqa: RUF022 - plain sorted order, as tests/test_public_api.py checks
    "BREACH",
    "COVENANT_BREACHES_12M",
    "COVENANT_INDEX",
    "COVENANT_STATUS",
    "CURE",
    "CovenantCompliance",
    "HEADROOM",
    "HEADROOM_SHARE",
    "LATEST_HEADROOM_SHARE",
    "METRIC_VALUE",
    "MISSING_INPUTS",
    "TEST_DATE",
    "covenant_compliance",
    "covenant_compliance_frame",
]

#: Position of the covenant among its facility's rows of the covenants frame.
COVENANT_INDEX: Final = "covenant_index"
#: The test date (a calendar period end).
TEST_DATE: Final = "test_date"
#: The covenant metric on the test date (x, or a fraction for loan to value).
METRIC_VALUE: Final = "metric_value"
#: Value - threshold for a floor, threshold - value for a cap (metric units).
HEADROOM: Final = "headroom"
#: Headroom / |threshold| (a fraction).
HEADROOM_SHARE: Final = "headroom_share"
#: `CovenantStatus` value (categorical).
COVENANT_STATUS: Final = "covenant_status"
#: The threshold is not met.
BREACH: Final = "breach"
#: A met test right after a breach of the same covenant.
CURE: Final = "cure"
#: The inputs a missing metric lacks, comma-separated ("" when computed).
MISSING_INPUTS: Final = "missing_inputs"
#: Per facility: breaches in the twelve months to ``as_of``.
COVENANT_BREACHES_12M: Final = "covenant_breaches_12m"
#: Per facility: the smallest headroom share among its covenants' latest tests.
LATEST_HEADROOM_SHARE: Final = "latest_headroom_share"

# Columns of the history frames (HISTORY_SCHEMA of #12) that lendcrm.frames.columns
# does not name yet.


def _cat(name: str, enum: type[Any]) -> ColumnSpec:
    return ColumnSpec(name=name, kind="category", allowed=[m.value for m in enum])


_FACILITY_SPECS: Final = (
    ColumnSpec(name=FACILITY_ID, kind="str"),
    ColumnSpec(name=CLIENT_ID, kind="str"),
    ColumnSpec(name=PROJECT_ID, kind="str", nullable=True, required=False),
    ColumnSpec(name=DRAWN, kind="float", lower=0),
    ColumnSpec(name=START_ON, kind="date"),
    ColumnSpec(name=MATURITY_ON, kind="date"),
)
_COVENANT_SPECS: Final = (
    ColumnSpec(name=FACILITY_ID, kind="str"),
    _cat(METRIC, CovenantMetric),
    _cat(OPERATOR, CovenantOperator),
    ColumnSpec(name=THRESHOLD, kind="float"),
    ColumnSpec(name=LOCK_UP_LEVEL, kind="float", nullable=True),
    ColumnSpec(name=DEFAULT_LEVEL, kind="float", nullable=True),
    _cat(TEST_FREQUENCY, TestFrequency),
)
_HISTORY_SPECS: Final = {
    "statements": (
        ColumnSpec(name=CLIENT_ID, kind="str"),
        ColumnSpec(name=PERIOD_END, kind="date"),
        *(
            ColumnSpec(name=a, kind="float", nullable=True, required=False)
            for a in STATEMENT_AMOUNTS
        ),
    ),
    "observations": (
        ColumnSpec(name=FACILITY_ID, kind="str"),
        ColumnSpec(name=PERIOD_END, kind="date"),
        ColumnSpec(name=DRAWN, kind="float", lower=0),
    ),
    "collateral": (
        ColumnSpec(name=FACILITY_ID, kind="str"),
        ColumnSpec(name=VALUE, kind="float", lower=0),
    ),
    "valuations": (
        ColumnSpec(name=FACILITY_ID, kind="str"),
        ColumnSpec(name=COLLATERAL_INDEX, kind="int", lower=0),
        ColumnSpec(name=VALUED_ON, kind="date"),
        ColumnSpec(name=VALUATION_VALUE, kind="float", lower=0),
    ),
    "cash_flows": (
        ColumnSpec(name=PROJECT_ID, kind="str"),
        ColumnSpec(name=PERIOD_END, kind="date"),
        ColumnSpec(name=CFADS, kind="float"),
        ColumnSpec(name=DEBT_SERVICE, kind="float", lower=0, nullable=True),
    ),
}


@attrs.frozen(kw_only=True, eq=False)
class CovenantCompliance:
    """The covenant tests of a book as frames.

    Attributes:
        tests: One row per (facility, covenant, test date), ordered by the covenants
            frame's rows, then date: ``facility_id``, `COVENANT_INDEX`, ``metric``,
            ``operator``, ``threshold``, `TEST_DATE`, `METRIC_VALUE`, `HEADROOM`,
            `HEADROOM_SHARE`, `COVENANT_STATUS`, `BREACH`, `CURE`, `MISSING_INPUTS`.
            Ids, metrics, operators, statuses and missing inputs are categoricals
            (a million rows share a few thousand strings).
        facilities: One row per facility, with the facilities frame's index:
            ``facility_id``, `COVENANT_BREACHES_12M`, `LATEST_HEADROOM_SHARE`.
    """

    tests: pd.DataFrame = attrs.field(repr=False)
    facilities: pd.DataFrame = attrs.field(repr=False)


def _days(series: pd.Series) -> DayArray:
    days: DayArray = series.to_numpy().astype("datetime64[D]")
    return days


def _codes(values: pd.Series, known: pd.Index) -> IntArray:
    return np.asarray(known.get_indexer(pd.Index(values)), dtype=np.int64)


def _history_order(
    frame: pd.DataFrame, name: str, codes: IntArray, days: DayArray, column: str
) -> IntArray | slice:
    """Row positions of the known owners, sorted by owner then date; refuse repeats.

    A frame already in that order (the `BookFrames` order) is taken as it is.
    """
    step = np.diff(codes)
    if (codes >= 0).all() and (
        (step > 0) | ((step == 0) & (np.diff(days) > np.timedelta64(0, "D")))
    ).all():
        return slice(None)
    keep = np.flatnonzero(codes >= 0)
    order = keep[np.lexsort((days[keep], codes[keep]))]
    c, d = codes[order], days[order]
    repeat = np.flatnonzero((c[1:] == c[:-1]) & (d[1:] == d[:-1])) + 1
    if len(repeat):
        rows = [frame.index[i] for i in order[repeat]]
        raise InvalidRowsError(
            frame=name,
            column=column,
            rows=rows,
            count=len(rows),
            value=str(d[repeat[0]]),
            expected=f"one row per owner and {column} (a date repeats)",
        )
    return order


def _facility_arrays(
    facilities: pd.DataFrame, clients: pd.Index
) -> tuple[FacilityArrays, pd.Index, pd.Index]:
    """The facility arrays and the ids of the facilities and projects.

    Client codes are positions in ``clients`` (the statements' clients); a client
    without statements gets the code ``len(clients)``, which no statement has.
    """
    check_frame(
        facilities,
        _FACILITY_SPECS,
        frame_name="facilities",
        require_rows=False,
        unique=[FACILITY_ID],
    )
    client = _codes(facilities[CLIENT_ID], clients)
    if PROJECT_ID in facilities.columns:
        project, projects = pd.factorize(facilities[PROJECT_ID])
    else:
        project, projects = np.full(len(facilities), -1), pd.Index([])
    arrays = FacilityArrays(
        start_on=_days(facilities[START_ON]),
        maturity_on=_days(facilities[MATURITY_ON]),
        client=np.where(client >= 0, client, len(clients)),
        project=project,
        drawn=facilities[DRAWN].to_numpy(np.float64),
        ids=facilities[FACILITY_ID].to_numpy(object),
    )
    return arrays, pd.Index(facilities[FACILITY_ID]), pd.Index(projects)


def _covenant_arrays(covenants: pd.DataFrame, ids: pd.Index) -> CovenantArrays:
    check_frame(covenants, _COVENANT_SPECS, frame_name="covenants", require_rows=False)
    facility = _codes(covenants[FACILITY_ID], ids)
    unknown = facility < 0
    if unknown.any():
        rows = list(covenants.index[unknown])
        raise InvalidRowsError(
            frame="covenants",
            column=FACILITY_ID,
            rows=rows,
            count=len(rows),
            value=covenants[FACILITY_ID].iloc[int(np.argmax(unknown))],
            expected="the id of a row of the facilities frame",
        )

    def codes(column: str, enum: type[Any]) -> IntArray:
        cat = pd.Categorical(covenants[column], categories=[m.value for m in enum])
        return np.asarray(cat.codes, dtype=np.int64)

    months = np.array([f.months for f in TestFrequency])
    return CovenantArrays(
        facility=facility,
        metric=codes(METRIC, CovenantMetric),
        operator=codes(OPERATOR, CovenantOperator),
        threshold=covenants[THRESHOLD].to_numpy(np.float64),
        lock_up_level=covenants[LOCK_UP_LEVEL].to_numpy(np.float64, na_value=np.nan),
        default_level=covenants[DEFAULT_LEVEL].to_numpy(np.float64, na_value=np.nan),
        frequency_months=months[codes(TEST_FREQUENCY, TestFrequency)],
    )


def _checked(frame: pd.DataFrame | None, name: str) -> pd.DataFrame | None:
    if frame is None:
        return None
    check_frame(frame, _HISTORY_SPECS[name], frame_name=name, require_rows=False)
    return frame


def _statement_arrays(frame: pd.DataFrame | None) -> tuple[StatementArrays, pd.Index]:
    """The statement arrays and their clients (codes in order of first appearance)."""
    if frame is None:
        empty = StatementArrays(
            client=[], period_end=[], amounts=np.zeros((0, len(STATEMENT_AMOUNTS)))
        )
        return empty, pd.Index([])
    codes, clients = pd.factorize(frame[CLIENT_ID])
    days = _days(frame[PERIOD_END])
    order = _history_order(frame, "statements", codes, days, PERIOD_END)
    n = len(codes[order])
    amounts = np.full((n, len(STATEMENT_AMOUNTS)), np.nan, order="F")
    for j, name in enumerate(STATEMENT_AMOUNTS):
        if name in frame.columns:
            column = frame[name].to_numpy(np.float64, na_value=np.nan)
            amounts[:, j] = column[order]
    statements = StatementArrays(
        client=codes[order], period_end=days[order], amounts=amounts
    )
    return statements, pd.Index(clients)


def _observation_arrays(frame: pd.DataFrame, ids: pd.Index) -> ObservationArrays:
    codes, days = _codes(frame[FACILITY_ID], ids), _days(frame[PERIOD_END])
    order = _history_order(frame, "observations", codes, days, PERIOD_END)
    return ObservationArrays(
        facility=codes[order],
        period_end=days[order],
        drawn=frame[DRAWN].to_numpy(np.float64)[order],
    )


def _collateral_arrays(
    collateral: pd.DataFrame, valuations: pd.DataFrame | None, ids: pd.Index
) -> CollateralArrays:
    codes = _codes(collateral[FACILITY_ID], ids)
    keep = np.flatnonzero(codes >= 0)
    order = keep[np.argsort(codes[keep], kind="stable")]
    facility = codes[order]
    if valuations is None or not len(valuations):
        return CollateralArrays(
            facility=facility, value=collateral[VALUE].to_numpy(np.float64)[order]
        )
    count = np.bincount(facility, minlength=len(ids))
    first = np.cumsum(count) - count
    owner = _codes(valuations[FACILITY_ID], ids)
    index = valuations[COLLATERAL_INDEX].to_numpy(np.int64)
    known = owner >= 0
    beyond = known & (index >= count[np.maximum(owner, 0)])
    if beyond.any():
        rows = list(valuations.index[beyond])
        raise InvalidRowsError(
            frame="valuations",
            column=COLLATERAL_INDEX,
            rows=rows,
            count=len(rows),
            value=int(index[int(np.argmax(beyond))]),
            expected="the position of a collateral row of the facility (0-based)",
        )
    item = np.where(known, first[np.maximum(owner, 0)] + index, -1)
    days = _days(valuations[VALUED_ON])
    vorder = _history_order(valuations, "valuations", item, days, VALUED_ON)
    return CollateralArrays(
        facility=facility,
        value=collateral[VALUE].to_numpy(np.float64)[order],
        valuation_collateral=item[vorder],
        valued_on=days[vorder],
        valuation_value=valuations[VALUATION_VALUE].to_numpy(np.float64)[vorder],
    )


def _one_rate(debt_rate: object) -> float:
    if debt_rate is None:
        return np.nan
    rate = as_float_array(debt_rate, name="debt_rate", allow_empty=False)  # type: ignore[arg-type]
    if rate.size != 1:
        raise InvalidValueError(
            field="debt_rate",
            value=f"length {rate.size}",
            expected="one rate, or a mapping or Series of rates by project id",
        )
    return float(rate[0])


def _cash_flow_arrays(
    frame: pd.DataFrame | None,
    projects: pd.Index,
    debt_rate: float | Mapping[str, float] | pd.Series | None,
) -> CashFlowArrays | None:
    if isinstance(debt_rate, (Mapping, pd.Series)):
        rates = pd.Series(debt_rate, dtype=np.float64).reindex(projects).to_numpy()
    else:
        rates = np.full(len(projects), _one_rate(debt_rate))
    if frame is None:
        return CashFlowArrays(
            project=[], period_end=[], cfads=[], debt_service=[], debt_rate=rates
        )
    codes, days = _codes(frame[PROJECT_ID], projects), _days(frame[PERIOD_END])
    order = _history_order(frame, "cash_flows", codes, days, PERIOD_END)
    return CashFlowArrays(
        project=codes[order],
        period_end=days[order],
        cfads=frame[CFADS].to_numpy(np.float64)[order],
        debt_service=frame[DEBT_SERVICE].to_numpy(np.float64, na_value=np.nan)[order],
        debt_rate=rates,
    )


def _tests_frame(
    tests: CovenantTests, cov: CovenantArrays, ids: pd.Index
) -> pd.DataFrame:
    """The tests as a frame; ids, metrics and text as categoricals (codes, no strings)."""
    position = pd.Series(cov.facility).groupby(cov.facility).cumcount().to_numpy()
    lacking = np.flatnonzero(tests.missing)
    masks, inverse = np.unique(tests.missing[lacking], return_inverse=True)
    names = ["", *(", ".join(missing_input_names(int(m))) for m in masks)]
    text = np.zeros(len(tests), dtype=np.int64)
    text[lacking] = inverse.reshape(-1) + 1
    rows = tests.covenant

    def categorical(
        codes: IntArray, categories: list[str] | pd.Index
    ) -> pd.Categorical:
        return pd.Categorical.from_codes(codes, categories=pd.Index(categories))

    return pd.DataFrame(
        {
            FACILITY_ID: categorical(tests.facility, ids),
            COVENANT_INDEX: position[rows],
            METRIC: categorical(cov.metric[rows], [m.value for m in CovenantMetric]),
            OPERATOR: categorical(
                cov.operator[rows], [o.value for o in CovenantOperator]
            ),
            THRESHOLD: cov.threshold[rows],
            TEST_DATE: tests.test_date.astype("datetime64[ns]"),
            METRIC_VALUE: tests.value,
            HEADROOM: tests.headroom,
            HEADROOM_SHARE: tests.headroom_share,
            COVENANT_STATUS: categorical(
                tests.status.astype(np.int64), [s.value for s in CovenantStatus]
            ),
            BREACH: tests.breach,
            CURE: tests.cure,
            MISSING_INPUTS: categorical(text, names),
        }
    )


def covenant_compliance(
    *,
    covenants: pd.DataFrame,
    facilities: pd.DataFrame,
    as_of: dt.date,
    statements: pd.DataFrame | None = None,
    observations: pd.DataFrame | None = None,
    collateral: pd.DataFrame | None = None,
    valuations: pd.DataFrame | None = None,
    cash_flows: pd.DataFrame | None = None,
    debt_rate: float | Mapping[str, float] | pd.Series | None = None,
    missing: MissingPolicy = "raise",
) -> CovenantCompliance:
    """Test every covenant of a book's frames on every test date up to ``as_of``.

    The frames form of `covenant_tests` (same sources, rules and numbers; row by row
    equal to `facility_covenant_tests`).

    Args:
        covenants: Covenants frame: ``facility_id``, ``metric``, ``operator``,
            ``threshold``, ``lock_up_level``, ``default_level``, ``test_frequency``.
        facilities: Facilities frame: ``facility_id`` (unique), ``client_id``,
            ``project_id`` (optional, nullable), ``drawn``, ``start_on``,
            ``maturity_on``.
        as_of: Business date: the last date a test may fall on.
        statements: ``client_id``, ``period_end`` and the statement amounts
            (``ebitda``, ``net_debt``, ... as `lendcrm.FinancialStatement`; NaN or an
            absent column: not given).
        observations: ``facility_id``, ``period_end``, ``drawn``.
        collateral: ``facility_id``, ``value`` (one row per item, in the facility's
            order).
        valuations: ``facility_id``, ``collateral_index``, ``valued_on``,
            ``collateral_value``.
        cash_flows: ``project_id``, ``period_end``, ``cfads``, ``debt_service``.
        debt_rate: Debt rate per cash-flow period for LLCR and PLCR: one rate for
            every project, or a mapping / Series from project id to rate.
        missing: ``"raise"`` or ``"nan"``, as in `covenant_tests`.

    Returns:
        A `CovenantCompliance` with the ``tests`` and ``facilities`` frames.

    Raises:
        SchemaError: a frame lacks a column it needs or has a wrong dtype.
        BatchValidationError: rows with missing or out-of-range values.
        InvalidRowsError: a covenant of an unknown facility, a repeated (owner,
            date) in a history, a valuation of a collateral index the facility lacks.
        InvalidValueError: as `covenant_tests` (a metric that cannot be computed
            with ``missing="raise"``).

    Examples:
        >>> import datetime as dt
        >>> import pandas as pd
        >>> facilities = pd.DataFrame({"facility_id": ["F-1"], "client_id": ["C-1"],
        ...     "drawn": [8.0], "start_on": pd.to_datetime(["2024-01-15"]),
        ...     "maturity_on": pd.to_datetime(["2031-01-15"])})
        >>> covenants = pd.DataFrame({"facility_id": ["F-1"],
        ...     "metric": ["interest_cover"], "operator": ["at_least"],
        ...     "threshold": [4.0], "lock_up_level": [3.0], "default_level": [2.0],
        ...     "test_frequency": ["semi_annual"]})
        >>> statements = pd.DataFrame({"client_id": ["C-1", "C-1"],
        ...     "period_end": pd.to_datetime(["2023-12-31", "2024-12-31"]),
        ...     "ebitda": [50.0, 30.0], "interest_expense": [10.0, 10.0]})
        >>> out = covenant_compliance(covenants=covenants, facilities=facilities,
        ...     statements=statements, as_of=dt.date(2025, 3, 31))
        >>> out.tests[["test_date", "metric_value", "covenant_status"]]
           test_date  metric_value  covenant_status
        0 2024-06-30           5.0              met
        1 2024-12-31           3.0  below_threshold
        >>> out.facilities.to_dict("records")
        [{'facility_id': 'F-1', 'covenant_breaches_12m': 1, 'latest_headroom_share': -0.25}]
    """
    st, clients = _statement_arrays(_checked(statements, "statements"))
    fac, ids, projects = _facility_arrays(facilities, clients)
    cov = _covenant_arrays(covenants, ids)
    obs, col, val, cf = (
        _checked(observations, "observations"),
        _checked(collateral, "collateral"),
        _checked(valuations, "valuations"),
        _checked(cash_flows, "cash_flows"),
    )
    tests = covenant_tests(
        fac,
        cov,
        as_of=as_of,
        statements=st,
        observations=None if obs is None else _observation_arrays(obs, ids),
        collateral=None if col is None else _collateral_arrays(col, val, ids),
        cash_flows=_cash_flow_arrays(cf, projects, debt_rate),
        missing=missing,
    )
    return CovenantCompliance(
        tests=_tests_frame(tests, cov, ids),
        facilities=pd.DataFrame(
            {
                FACILITY_ID: facilities[FACILITY_ID].to_numpy(object),
                COVENANT_BREACHES_12M: tests.facility_breaches_12m,
                LATEST_HEADROOM_SHARE: tests.facility_latest_headroom_share,
            },
            index=facilities.index,
        ),
    )


def covenant_compliance_frame(
    frames: BookFrames,
    *,
    as_of: dt.date,
    debt_rate: float | Mapping[str, float] | pd.Series | None = None,
    missing: MissingPolicy = "raise",
) -> CovenantCompliance:
    """`covenant_compliance` on the frames of a `BookFrames`.

    Reads ``covenants``, ``facilities``, ``collateral`` and ``cash_flows``, and the
    history frames ``statements``, ``observations`` and ``valuations`` where the
    `BookFrames` has them.

    Raises:
        InvalidValueError: as `covenant_compliance` (schema, rows, missing inputs).

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Book
        >>> from lendcrm.frames import book_frames
        >>> out = covenant_compliance_frame(book_frames(Book()), as_of=dt.date(2025, 1, 1))
        >>> len(out.tests), list(out.facilities.columns)
        (0, ['facility_id', 'covenant_breaches_12m', 'latest_headroom_share'])
    """
    require_instance(frames, BookFrames, name="frames", what="a BookFrames")
    return covenant_compliance(
        covenants=frames.covenants,
        facilities=frames.facilities,
        as_of=as_of,
        statements=getattr(frames, "statements", None),
        observations=getattr(frames, "observations", None),
        collateral=frames.collateral,
        valuations=getattr(frames, "valuations", None),
        cash_flows=frames.cash_flows,
        debt_rate=debt_rate,
        missing=missing,
    )
