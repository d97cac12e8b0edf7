"""The vectorised covenant tests equal the one-facility form, facility by facility.

Random books (`covenant_books`) mix every metric, statements with gaps and zeros,
observations, collateral with and without valuations, and project cash flows with
broken debt schedules and missing debt rates. Amounts are whole units, so both forms
compute bit-identical floats and are compared with ``==`` (NaN equal to NaN).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm import (
    Covenant,
    CovenantMetric,
    CovenantOperator,
    FinancialStatement,
    Money,
    TestFrequency,
)
from lendcrm._history import STATEMENT_AMOUNTS
from lendcrm.errors import InvalidValueError
from lendcrm.risk.project_finance import (
    CovenantStatus,
    covenant_tests,
    facility_covenant_tests,
)
from lendcrm.risk.project_finance._inputs import missing_input_names
from lendcrm.risk.project_finance._statement_metrics import (
    STATEMENT_METRICS,
    statement_metric_table,
)
from tests import factories
from tests.risk.project_finance.covenant_books import (
    CovenantBook,
    covenant_books,
    eur,
    rows_of,
    to_arrays,
)

AS_OF = st.dates(dt.date(2019, 6, 1), dt.date(2027, 3, 31))


def _entity(book: CovenantBook, i: int, as_of: dt.date, missing: str):
    f = book.facilities[i]
    p = book.project_of(f)
    project, rate = book.projects[p] if p >= 0 else (None, None)
    return facility_covenant_tests(
        f,
        book.statements[book.client_of(f)],
        as_of=as_of,
        project=project,
        debt_rate=rate,
        missing=missing,  # type: ignore[arg-type]
    )


def _assert_same(batch: dict[str, Any], one) -> None:
    for name, got in batch.items():
        want = getattr(one, name)
        assert got.dtype == want.dtype, name
        np.testing.assert_array_equal(got, want, err_msg=name)


@given(book=covenant_books(), as_of=AS_OF)
def test_batch_equals_one_facility_form(book, as_of):
    batch = covenant_tests(**to_arrays(book), as_of=as_of, missing="nan")
    first = 0
    for i, f in enumerate(book.facilities):
        one = _entity(book, i, as_of, "nan")
        _assert_same(rows_of(batch, i, first), one)
        first += len(f.covenants)
    assert len(batch) == sum(
        len(_entity(book, i, as_of, "nan")) for i in range(len(book.facilities))
    )


@given(book=covenant_books(), as_of=AS_OF)
def test_raise_mode_agrees_and_names_the_first_gap(book, as_of):
    arrays = to_arrays(book)
    nan_mode = covenant_tests(**arrays, as_of=as_of, missing="nan")
    if not nan_mode.missing.any():
        assert len(covenant_tests(**arrays, as_of=as_of)) == len(nan_mode)
        return
    with pytest.raises(InvalidValueError) as batch_error:
        covenant_tests(**arrays, as_of=as_of)
    row = int(np.argmax(nan_mode.missing != 0))
    i = int(nan_mode.facility[row])
    with pytest.raises(InvalidValueError) as one_error:
        _entity(book, i, as_of, "raise")
    assert batch_error.value.field == one_error.value.field
    names = ", ".join(missing_input_names(int(nan_mode.missing[row])))
    assert batch_error.value.expected == one_error.value.expected
    assert batch_error.value.expected.endswith(f"needs {names}")
    count = np.count_nonzero(nan_mode.missing)
    assert f"{count} of {len(nan_mode)} covenant tests lack inputs" in (
        batch_error.value.hint
    )


cents = st.integers(-(10**12), 10**12)


@st.composite
def spread_statements(draw) -> FinancialStatement:
    """Any partial statement: amounts in cents, some missing, some zero."""
    non_negative = {
        "revenue",
        "interest_expense",
        "total_debt",
        "cash",
        "total_liabilities",
        "current_assets",
        "current_liabilities",
        "capex",
        "debt_service",
    }
    fields: dict[str, Any] = {}
    for name in STATEMENT_AMOUNTS:
        if name == "total_assets":
            continue
        c = draw(st.none() | st.just(0) | cents)
        if c is not None and name in non_negative:
            c = abs(c)
        fields[name] = None if c is None else Money(Decimal(c).scaleb(-2), "EUR")
    return FinancialStatement(
        period_end=dt.date(2025, 12, 31), currency="EUR", **fields
    )


@given(st.lists(spread_statements(), min_size=1, max_size=8))
def test_statement_metrics_equal_financial_statement_metric(sts):
    """Same formulas as `FinancialStatement`, to a relative 1e-12.

    Not bit-identical: the entity derives net debt in `Decimal` (total debt - cash)
    before converting to float; the batch subtracts floats.
    """
    amounts = np.array(
        [
            [
                np.nan if getattr(s, a) is None else float(getattr(s, a).amount)
                for a in STATEMENT_AMOUNTS
            ]
            for s in sts
        ]
    )
    values, missing = statement_metric_table(amounts)
    for row, metric in enumerate(STATEMENT_METRICS):
        for k, s in enumerate(sts):
            try:
                want = s.metric(metric)
            except InvalidValueError:
                assert np.isnan(values[row, k])
                assert missing[row, k] != 0
                continue
            assert missing[row, k] == 0
            assert values[row, k] == pytest.approx(want, rel=1e-12, abs=1e-300)


def test_statement_metrics_cover_the_statement_metrics():
    assert set(STATEMENT_METRICS) == set(CovenantMetric) - {
        CovenantMetric.LLCR,
        CovenantMetric.PLCR,
        CovenantMetric.LOAN_TO_VALUE,
    }


@given(
    op=st.sampled_from(CovenantOperator),
    quarters=st.lists(st.integers(1, 40), min_size=3, max_size=3),
    has=st.tuples(st.booleans(), st.booleans()),
    numerators=st.lists(st.integers(0, 44), min_size=1, max_size=6),
)
def test_status_follows_the_covenant_predicates_at_the_levels(
    op, quarters, has, numerators
):
    """Values and levels on a grid of quarters, so a value often equals a level exactly."""
    levels = sorted(q / 4 for q in quarters)
    if op is CovenantOperator.AT_LEAST:
        levels.reverse()
    metric = (
        CovenantMetric.INTEREST_COVER
        if op is CovenantOperator.AT_LEAST
        else CovenantMetric.DEBT_TO_EQUITY
    )
    covenant = Covenant(
        metric=metric,
        operator=op,
        threshold=levels[0],
        lock_up_level=levels[1] if has[0] else None,
        default_level=levels[2] if has[1] else None,
        test_frequency=TestFrequency.ANNUAL,
    )
    ends = [dt.date(2019 + i, 12, 31) for i in range(len(numerators))]
    statements = tuple(
        FinancialStatement(
            period_end=end,
            currency="EUR",
            ebitda=eur(n),
            interest_expense=eur(4),
            total_debt=eur(n),
            equity=eur(4),
        )
        for end, n in zip(ends, numerators, strict=True)
    )
    facility = factories.facility(
        "F0", "C0", start_on=dt.date(2019, 1, 1), covenants=(covenant,)
    )
    book = CovenantBook(statements=(statements,), projects=(), facilities=(facility,))
    t = covenant_tests(**to_arrays(book), as_of=ends[-1])
    want = []
    for n in numerators:
        v = n / 4
        want.append(
            CovenantStatus.IN_DEFAULT
            if covenant.is_in_default(v)
            else CovenantStatus.LOCKED_UP
            if covenant.is_locked_up(v)
            else CovenantStatus.MET
            if covenant.is_met(v)
            else CovenantStatus.BELOW_THRESHOLD
        )
    assert t.statuses() == tuple(want)
    assert t.breach.tolist() == [s is not CovenantStatus.MET for s in want]
