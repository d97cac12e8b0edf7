"""The pandas adapter: frames in any row order give the batch's numbers, errors name rows."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm import Book, CovenantMetric, ProjectId
from lendcrm.errors import InvalidRowsError
from lendcrm.frames import book_frames
from lendcrm.risk.project_finance import (
    CovenantStatus,
    covenant_tests,
    facility_covenant_tests,
    missing_input_names,
)
from lendcrm.risk.project_finance.frames import (
    covenant_compliance,
    covenant_compliance_frame,
)
from lendcrm.synthetic import example_project
from tests import factories
from tests.risk.project_finance.covenant_books import (
    CovenantBook,
    covenant_books,
    to_arrays,
    to_frames,
)
from tests.risk.project_finance.test_covenant_compliance import (
    AT_LEAST,
    AT_MOST,
    CORPORATE,
    STATEMENTS,
    cov,
)

AS_OF = dt.date(2025, 12, 31)


@given(
    book=covenant_books(),
    as_of=st.dates(dt.date(2019, 6, 1), dt.date(2027, 3, 31)),
    seed=st.integers(0, 100),
)
def test_frames_equal_the_batch(book, as_of, seed):
    batch = covenant_tests(**to_arrays(book), as_of=as_of, missing="nan")
    out = covenant_compliance(**to_frames(book, seed=seed), as_of=as_of, missing="nan")
    t = out.tests
    assert len(t) == len(batch)
    ids = np.array([f.id for f in book.facilities], dtype=object)
    assert t["facility_id"].tolist() == ids[batch.facility].tolist()
    np.testing.assert_array_equal(t["metric_value"], batch.value)
    np.testing.assert_array_equal(t["headroom"], batch.headroom)
    np.testing.assert_array_equal(t["headroom_share"], batch.headroom_share)
    np.testing.assert_array_equal(
        t["test_date"].to_numpy("datetime64[D]"), batch.test_date
    )
    assert t["covenant_status"].cat.codes.tolist() == batch.status.tolist()
    assert t["breach"].tolist() == batch.breach.tolist()
    assert t["cure"].tolist() == batch.cure.tolist()
    assert t["missing_inputs"].tolist() == [
        ", ".join(missing_input_names(m)) for m in batch.missing
    ]
    s = out.facilities
    assert s.index.tolist() == [f"row-{i}" for i in range(len(book.facilities))]
    assert s["covenant_breaches_12m"].tolist() == batch.facility_breaches_12m.tolist()
    np.testing.assert_array_equal(
        s["latest_headroom_share"], batch.facility_latest_headroom_share
    )


def _frames(*facilities, statements=STATEMENTS):
    return to_frames(
        CovenantBook(
            statements=(tuple(statements),), projects=(), facilities=tuple(facilities)
        )
    )


def test_a_hand_built_facility_through_the_frames():
    facility = factories.facility(
        "F-1", "C0", start_on=CORPORATE.start_on, covenants=CORPORATE.covenants
    )
    frames = to_frames(
        CovenantBook(statements=(STATEMENTS,), projects=(), facilities=(facility,))
    )
    out = covenant_compliance(**frames, as_of=AS_OF, missing="nan")
    one = facility_covenant_tests(facility, STATEMENTS, as_of=AS_OF, missing="nan")
    t = out.tests
    assert t["covenant_index"].tolist() == one.covenant.tolist()
    assert t["metric"].tolist()[:3] == ["net_debt_to_ebitda"] * 3
    assert t["covenant_status"].tolist()[:3] == ["met", "locked_up", "met"]
    assert t["missing_inputs"].tolist()[6] == "statement"
    assert out.facilities["latest_headroom_share"].tolist() == pytest.approx([0.2])


def test_book_frames_without_history_frames():
    """A `BookFrames` of today's schema: loan to value and project ratios still work."""
    facility = factories.facility(
        project_id=ProjectId("P-1"),
        start_on=dt.date(2027, 6, 30),
        maturity_on=dt.date(2029, 12, 31),
        collateral=factories.rich_facility().collateral,
        covenants=(
            cov(CovenantMetric.DSCR, AT_LEAST, 1.2),
            cov(CovenantMetric.LLCR, AT_LEAST, 1.2),
            cov(CovenantMetric.LOAN_TO_VALUE, AT_MOST, 0.7),
        ),
    )
    book = Book(
        clients=(factories.client("C-1"),),
        facilities=(facility,),
        projects=(example_project(),),
    )
    out = covenant_compliance_frame(
        book_frames(book), as_of=dt.date(2029, 12, 31), debt_rate=0.10
    )
    one = facility_covenant_tests(
        facility, as_of=dt.date(2029, 12, 31), project=example_project(), debt_rate=0.10
    )
    np.testing.assert_array_equal(out.tests["metric_value"], one.value)
    # 7.5m drawn over 12m + 0.5m of collateral (market values, before haircuts)
    assert out.tests["metric_value"].iloc[-1] == 7_500_000 / 12_500_000.01
    assert out.tests["covenant_status"].iloc[-1] == CovenantStatus.MET.value


def test_debt_rate_per_project_id():
    facility = factories.facility(
        "F-1",
        "C0",
        project_id=ProjectId("P0"),
        start_on=dt.date(2027, 6, 30),
        maturity_on=dt.date(2029, 12, 31),
        covenants=(cov(CovenantMetric.PLCR, AT_LEAST, 1.6),),
    )
    frames = to_frames(
        CovenantBook(
            statements=((),),
            projects=((example_project(), None),),
            facilities=(facility,),
        )
    )
    frames["cash_flows"]["project_id"] = "P0"
    frames["debt_rate"] = pd.Series({"P0": 0.10, "P-other": 0.5})
    out = covenant_compliance(**frames, as_of=dt.date(2029, 12, 31))
    assert out.tests["metric_value"].round(4).tolist() == [1.5762, 1.7149, 2.1333]
    frames["debt_rate"] = 0.10
    again = covenant_compliance(**frames, as_of=dt.date(2029, 12, 31))
    assert again.tests["metric_value"].tolist() == out.tests["metric_value"].tolist()


def test_covenant_of_an_unknown_facility_names_the_row():
    frames = _frames(factories.facility("F-1", "C0", covenants=CORPORATE.covenants))
    frames["covenants"].loc[3, "facility_id"] = "F-9"
    with pytest.raises(InvalidRowsError) as err:
        covenant_compliance(**frames, as_of=AS_OF)
    assert str(err.value) == (
        "`covenants[3].facility_id` must be the id of a row of the facilities frame; "
        "got 'F-9'. 1 row fails this rule: 3."
    )


def test_a_repeated_statement_date_names_the_rows():
    frames = _frames(factories.facility("F-1", "C0", covenants=CORPORATE.covenants))
    st = frames["statements"]
    frames["statements"] = pd.concat([st, st.iloc[[0]].set_axis(["again"])])
    with pytest.raises(InvalidRowsError) as err:
        covenant_compliance(**frames, as_of=AS_OF)
    assert str(err.value).startswith(
        "`statements['again'].period_end` must be one row per owner and period_end (a date repeats)"
    )


def test_a_valuation_of_a_collateral_the_facility_lacks():
    facility = factories.facility("F-1", "C0", covenants=CORPORATE.covenants)
    frames = _frames(facility)
    frames["valuations"] = pd.DataFrame(
        {
            "facility_id": ["F-1"],
            "collateral_index": [0],
            "valued_on": pd.to_datetime(["2024-12-31"]),
            "collateral_value": [1.0],
        },
        index=["v1"],
    )
    with pytest.raises(InvalidRowsError) as err:
        covenant_compliance(**frames, as_of=AS_OF)
    assert str(err.value) == (
        "`valuations['v1'].collateral_index` must be the position of a collateral row "
        "of the facility (0-based); got 0. 1 row fails this rule: 'v1'."
    )
