"""Project finance: DSCR, LLCR, PLCR, sculpting and covenant tests."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.project_finance import (
    average_dscr,
    covenant_test,
    debt_capacity,
    dscr,
    llcr,
    min_dscr,
    plcr,
    sculpt,
)


def test_sculpting_reproduces_hand_example_exactly():
    """CFADS 125, 156.25, 195.3125; target 1.25; 25 % a period (binary-exact).

    DS = CFADS / 1.25 = 100, 125, 156.25; each discounts to 80 (100/1.25,
    125/1.25^2, 156.25/1.25^3), so the capacity is 240. Schedule: interest
    60, 50, 31.25; principal 40, 75, 125; balances 240 -> 200 -> 125 -> 0.
    """
    debt = sculpt([125.0, 156.25, 195.3125], 1.25, debt_rate=0.25)
    assert debt.debt_service.tolist() == [100.0, 125.0, 156.25]
    assert debt.debt_capacity == 240.0
    assert debt.opening_balance.tolist() == [240.0, 200.0, 125.0]
    assert debt.interest.tolist() == [60.0, 50.0, 31.25]
    assert debt.principal.tolist() == [40.0, 75.0, 125.0]
    assert debt.closing_balance.tolist() == [200.0, 125.0, 0.0]


def test_docs_worked_example():
    """The example of docs/explanation/project-finance-ratios.md, to the cent."""
    cfads = [130.0, 143.0, 156.0, 110.0]
    debt = sculpt(cfads, 1.30, debt_rate=0.10, tenor=3)
    np.testing.assert_allclose(debt.debt_service, [100.0, 110.0, 120.0])
    assert round(debt.debt_capacity, 2) == 271.98
    np.testing.assert_allclose(dscr(cfads, debt.debt_service), 1.30)
    np.testing.assert_allclose(
        llcr(cfads, debt.debt_service, debt_rate=0.10), 1.30, rtol=1e-12
    )
    np.testing.assert_allclose(
        plcr(cfads, debt.debt_service, debt_rate=0.10).round(4),
        [1.5762, 1.7149, 2.1333],
    )


def test_dscr_min_average():
    cf, ds = [130.0, 120.0, 150.0], [100.0, 100.0, 100.0]
    np.testing.assert_allclose(dscr(cf, ds), [1.3, 1.2, 1.5])
    assert min_dscr(cf, ds) == pytest.approx(1.2)
    assert average_dscr(cf, ds) == pytest.approx(4.0 / 3.0)


def test_zero_debt_service_convention():
    with pytest.raises(
        InvalidValueError,
        match=r"`debt_service\[1\]` must be a positive amount .* allow_zero_service",
    ):
        dscr([130.0, 50.0, 120.0], [100.0, 0.0, 100.0])
    d = dscr([130.0, 50.0, 120.0], [100.0, 0.0, 100.0], allow_zero_service=True)
    assert d[1] == np.inf
    assert not np.isnan(d).any()
    # excluded from min and average
    kw = {"allow_zero_service": True}
    assert min_dscr([130.0, 50.0, 120.0], [100.0, 0.0, 100.0], **kw) == 1.2
    assert average_dscr([130.0, 50.0, 120.0], [100.0, 0.0, 100.0], **kw) == 1.25
    with pytest.raises(InvalidValueError, match="at least one period"):
        dscr([1.0], [0.0], allow_zero_service=True)


def test_cfads_shorter_than_debt_schedule():
    with pytest.raises(
        InvalidValueError, match=r"`cfads` must be at least as many periods"
    ):
        dscr([130.0], [100.0, 100.0])
    with pytest.raises(InvalidValueError, match="at least as many periods"):
        llcr([130.0], [100.0, 100.0], debt_rate=0.05)


@pytest.mark.parametrize("bad", [-1.0, -1.5])
def test_debt_rate_at_or_below_minus_100_percent(bad):
    with pytest.raises(InvalidValueError, match=r"`debt_rate\[0\]` must be .* > -1"):
        llcr([130.0], [100.0], debt_rate=bad)
    with pytest.raises(InvalidValueError, match="debt_rate"):
        sculpt([130.0], 1.3, debt_rate=bad)


def test_other_bad_inputs():
    with pytest.raises(InvalidValueError, match=r"`debt_service\[0\]` must be"):
        dscr([1.0], [-1.0])
    with pytest.raises(InvalidValueError, match=r"`cfads\[0\]` must be"):
        dscr([np.nan], [1.0])
    with pytest.raises(InvalidValueError, match=r"`cfads\[1\]` must be .* > 0"):
        sculpt([100.0, -5.0], 1.3, debt_rate=0.05)
    with pytest.raises(InvalidValueError, match=r"`target_dscr\[0\]`"):
        sculpt([100.0], 0.0, debt_rate=0.05)
    with pytest.raises(InvalidValueError, match="tenor"):
        sculpt([100.0], 1.3, debt_rate=0.05, tenor=2)
    with pytest.raises(InvalidValueError, match=r"`default\[0\]` must be .* 1.1\]"):
        covenant_test([1.0], [1.0], lock_up=1.1, default=1.2)
    with pytest.raises(InvalidValueError, match=r"`balance\[1\]` must be a positive"):
        llcr([130.0, 120.0], [100.0, 100.0], debt_rate=0.05, balance=[150.0, 0.0])
    with pytest.raises(InvalidValueError, match=r"`debt_service\[1:\]` must be some"):
        llcr([130.0, 120.0], [100.0, 0.0], debt_rate=0.05)
    with pytest.raises(InvalidValueError, match="one rate per period"):
        llcr([130.0, 120.0, 90.0], [100.0, 100.0], debt_rate=[0.05, 0.06])


def test_llcr_with_given_balance_and_varying_rates():
    # balance 200 at t0; CFADS 110 and 121 at 10 %: PV = 100 + 100 = 200 -> LLCR 1
    out = llcr([110.0, 121.0], [100.0, 100.0], debt_rate=0.1, balance=[200.0, 100.0])
    np.testing.assert_allclose(out, [1.0, 1.1])
    # per-period rates: 10 % then 20 %: PV0 = 110/1.1 + 132/(1.1*1.2) = 200
    out = llcr([110.0, 132.0], [100.0, 100.0], debt_rate=[0.1, 0.2], balance=[200, 110])
    np.testing.assert_allclose(out, [1.0, 1.0])


def test_plcr_at_least_llcr_with_positive_tail():
    cf = [130.0, 143.0, 156.0, 110.0, 90.0]
    ds = [100.0, 110.0, 120.0]
    assert np.all(plcr(cf, ds, debt_rate=0.07) > llcr(cf, ds, debt_rate=0.07))


def test_covenant_test():
    res = covenant_test(
        [130.0, 115.0, 112.0, 105.0, 100.0], [100.0] * 5, lock_up=1.15, default=1.05
    )
    # at exactly the threshold the test passes
    assert res.lock_up.tolist() == [False, False, True, True, True]
    assert res.event_of_default.tolist() == [False, False, False, False, True]
    np.testing.assert_allclose(res.headroom_to_lock_up, [0.15, 0, -0.03, -0.1, -0.15])
    np.testing.assert_allclose(res.cfads_headroom, [25.0, 10.0, 7.0, 0.0, -5.0])
    assert res.first_default_period == 4
    ok = covenant_test([130.0], [100.0], lock_up=1.15, default=1.05)
    assert ok.first_default_period is None


def test_covenant_zero_service_period():
    res = covenant_test(
        [130.0, 40.0], [100.0, 0.0], lock_up=1.2, default=1.0, allow_zero_service=True
    )
    assert res.lock_up.tolist() == [False, False]
    assert res.cfads_headroom.tolist() == [30.0, 40.0]


def test_batch_equals_one_period_at_a_time():
    cf = np.array([130.0, 90.0, 150.0])
    ds = np.array([100.0, 80.0, 120.0])
    batch = dscr(cf, ds)
    single = [dscr([c], [d])[0] for c, d in zip(cf, ds, strict=True)]
    np.testing.assert_allclose(batch, single)


@settings(max_examples=50)
@given(
    st.lists(st.floats(1.0, 1e6), min_size=1, max_size=30),
    st.floats(1.0, 3.0),
    st.floats(-0.5, 0.5),
)
def test_sculpted_schedule_hits_target_and_repays(cfads, target, rate):
    debt = sculpt(cfads, target, debt_rate=rate)
    np.testing.assert_allclose(dscr(cfads, debt.debt_service), target, rtol=1e-12)
    assert abs(debt.closing_balance[-1]) <= 1e-9 * max(1.0, debt.debt_capacity) * len(
        cfads
    )
    np.testing.assert_allclose(
        llcr(cfads, debt.debt_service, debt_rate=rate)[0], target, rtol=1e-9
    )
    assert debt_capacity(cfads, target, debt_rate=rate) == debt.debt_capacity


# ------------------------------------------------------------- Project entities


def _project(flows, *, debt="272"):
    import datetime as dt

    from lendcrm import (
        CashFlow,
        ClientId,
        Money,
        Project,
        ProjectId,
        ProjectPhase,
        Sector,
        Sponsor,
    )

    total = Money.of("400", "EUR")
    return Project(
        id=ProjectId("P-9"),
        name="Test toll road",
        sponsors=(Sponsor(sponsor_id=ClientId("S-1"), equity_share=1.0),),
        sector=Sector.TRANSPORTATION_STORAGE,
        country="PT",
        total_cost=total,
        debt=Money.of(debt, "EUR"),
        equity=total - Money.of(debt, "EUR"),
        phase=ProjectPhase.OPERATIONS,
        cash_flows=tuple(
            CashFlow(
                period_end=dt.date(2030 + i, 6, 30),
                cfads=Money.of(c, "EUR"),
                debt_service=None if d is None else Money.of(d, "EUR"),
            )
            for i, (c, d) in enumerate(flows)
        ),
    )


def test_project_functions_equal_array_functions():
    from lendcrm import Covenant, CovenantMetric, CovenantOperator
    from lendcrm.risk.project_finance import (
        project_cfads,
        project_covenant_test,
        project_debt_capacity,
        project_debt_service,
        project_dscr,
        project_llcr,
        project_plcr,
    )

    flows = [("118.5", "100"), ("104", "100"), ("131", "95"), ("90", None)]
    p = _project(flows)
    cf, ds = project_cfads(p), project_debt_service(p)
    assert cf.tolist() == [118.5, 104.0, 131.0, 90.0]
    assert ds.tolist() == [100.0, 100.0, 95.0]
    np.testing.assert_array_equal(project_dscr(p), dscr(cf, ds))
    # the entity's own per-period DSCR agrees
    assert [c.dscr for c in p.cash_flows[:3]] == pytest.approx(project_dscr(p).tolist())
    np.testing.assert_array_equal(
        project_llcr(p, debt_rate=0.04), llcr(cf, ds, debt_rate=0.04)
    )
    np.testing.assert_array_equal(
        project_plcr(p, debt_rate=0.04), plcr(cf, ds, debt_rate=0.04)
    )
    assert project_debt_capacity(p, 1.3, debt_rate=0.04, tenor=3) == debt_capacity(
        cf, 1.3, debt_rate=0.04, tenor=3
    )
    cov = Covenant(
        metric=CovenantMetric.DSCR,
        operator=CovenantOperator.AT_LEAST,
        threshold=1.2,
        lock_up_level=1.15,
        default_level=1.05,
    )
    res = project_covenant_test(p, cov)
    assert res.event_of_default.tolist() == [False, True, False]
    assert res.lock_up.tolist() == [cov.is_locked_up(x) for x in res.dscr]
    assert res.event_of_default.tolist() == [cov.is_in_default(x) for x in res.dscr]


def test_project_bad_schedules():
    from lendcrm import Covenant, CovenantMetric, CovenantOperator
    from lendcrm.risk.project_finance import (
        project_covenant_test,
        project_debt_service,
        project_dscr,
    )

    with pytest.raises(InvalidValueError, match="one leading run"):
        project_debt_service(_project([("100", "80"), ("100", None), ("100", "80")]))
    with pytest.raises(InvalidValueError, match=r"cash_flows\[0\]\.debt_service"):
        project_debt_service(_project([("100", None)]))
    with pytest.raises(InvalidValueError, match="CFADS forecast"):
        project_dscr(_project([]))
    with pytest.raises(InvalidValueError, match=r"debt_service\[1\]"):
        project_dscr(_project([("100", "80"), ("100", "0")]))
    leverage = Covenant(
        metric=CovenantMetric.NET_DEBT_TO_EBITDA,
        operator=CovenantOperator.AT_MOST,
        threshold=4.0,
    )
    with pytest.raises(InvalidValueError, match="DSCR floor"):
        project_covenant_test(_project([("100", "80")]), leverage)
    no_default = Covenant(
        metric=CovenantMetric.DSCR, operator=CovenantOperator.AT_LEAST, threshold=1.2
    )
    with pytest.raises(InvalidValueError, match="both a lock_up_level"):
        project_covenant_test(_project([("100", "80")]), no_default)
