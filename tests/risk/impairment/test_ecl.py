"""Expected credit loss: hand values, the book against one facility, properties, errors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.impairment import ecl_movement, expected_credit_loss, facility_ecl

# The 3-year loan of the `expected_credit_loss` docstring: EAD 100, 60, 30; marginal
# PD 2 %, 3 %, 3 %; LGD 40 %; EIR 5 %; DF_t = 1.05^-t (IFRS 9 B5.5.44).
LOAN: dict[str, Any] = {
    "marginal_pd": [[0.02, 0.03, 0.03]],
    "lgd": 0.4,
    "ead": [[100, 60, 30]],
    "eir": 0.05,
}


def test_three_year_loan_by_hand():
    # 12m: 0.4 * 0.02 * 100 / 1.05                                     = 0.7619048
    # life: 0.4 times (2 / 1.05 + 1.8 / 1.1025 + 0.9 / 1.157625), that is
    #     = 0.4 * (1.9047619 + 1.6326531 + 0.7774538) = 0.4 * 4.3148688 = 1.7259475
    e = expected_credit_loss(**LOAN, stage=[1])
    np.testing.assert_allclose(e.twelve_month, [0.4 * 2 / 1.05], rtol=1e-14)
    life = 0.4 * (2 / 1.05 + 1.8 / 1.05**2 + 0.9 / 1.05**3)
    np.testing.assert_allclose(e.lifetime, [life], rtol=1e-14)
    np.testing.assert_allclose(e.lifetime, [1.7259475], atol=5e-8)
    assert e.credit_impaired.tolist() == [40.0]  # stage 3: LGD x EAD_1
    assert e.ecl.tolist() == e.twelve_month.tolist()


def test_the_stage_picks_the_measure():
    e = expected_credit_loss(
        [[0.02, 0.03, 0.03]] * 3, 0.4, [[100, 60, 30]] * 3, 0.05, stage=[1, 2, 3]
    )
    assert e.ecl.tolist() == [e.twelve_month[0], e.lifetime[1], 40.0]
    assert e.by_stage() == {1: e.twelve_month[0], 2: e.lifetime[1], 3: 40.0}


def test_quarterly_buckets_take_four_for_twelve_months():
    # 8 quarters of 1 % marginal PD on 100, EIR 0: 12m = 0.5 * 4 * 1 = 2, life = 4
    e = expected_credit_loss(
        [[0.01] * 8], 0.5, [[100.0] * 8], 0.0, stage=2, period_years=0.25
    )
    assert (e.twelve_month.tolist(), e.lifetime.tolist()) == ([2.0], [4.0])
    # discounting at the quarter ends: 1.1^-0.25, 1.1^-0.5, ...
    d = expected_credit_loss(
        [[0.01] * 2], 1.0, [[100.0] * 2], 0.1, stage=2, period_years=0.25
    )
    np.testing.assert_allclose(d.lifetime, [1.1**-0.25 + 1.1**-0.5], rtol=1e-14)


def test_scenario_weights_weight_the_ecl():
    # base 1 % / downside 4 %, weights 0.75 / 0.25, EAD 100, LGD 1, EIR 0:
    # 0.75 * 1 + 0.25 * 4 = 1.75 (IFRS 9 §5.5.17 (a), B5.5.42)
    e = expected_credit_loss(
        [[[0.01]], [[0.04]]],
        1.0,
        [[100.0]],
        0.0,
        stage=1,
        scenario_weights=[0.75, 0.25],
    )
    np.testing.assert_allclose(e.ecl, [1.75])


def test_a_short_life_makes_twelve_month_and_lifetime_equal():
    e = expected_credit_loss([[0.05, 0.05]], 0.5, [[100.0, 0.0]], 0.03, stage=2)
    assert e.twelve_month.tolist() == e.lifetime.tolist()


N_T = st.tuples(st.integers(1, 12), st.integers(1, 12), st.integers(1, 3))


@st.composite
def books(draw):
    n, horizon, scenarios = draw(N_T)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    q = rng.dirichlet(np.ones(horizon + 1), size=(scenarios, n))[..., :horizon]
    q *= draw(st.floats(0, 1))
    ead = rng.uniform(0, 1e6, (n, horizon))
    lgd = rng.uniform(0, 1, n)
    eir = rng.uniform(-0.05, 0.3, n)
    stage = rng.integers(1, 4, n)
    w = rng.dirichlet(np.ones(scenarios))
    w[-1] = 1.0 - w[:-1].sum()
    period = draw(st.sampled_from([1.0, 0.5, 0.25, 1 / 12]))
    return q, lgd, ead, eir, stage, w, period


@given(book=books())
def test_book_equals_one_facility_at_a_time(book):
    q, lgd, ead, eir, stage, w, period = book
    e = expected_credit_loss(
        q, lgd, ead, eir, stage=stage, scenario_weights=w, period_years=period
    )
    for i in range(len(lgd)):
        one = facility_ecl(
            q[:, i],
            float(lgd[i]),
            ead[i],
            float(eir[i]),
            stage=int(stage[i]),
            scenario_weights=w,
            period_years=period,
        )
        np.testing.assert_allclose(
            [one.twelve_month, one.lifetime, one.credit_impaired, one.ecl],
            [e.twelve_month[i], e.lifetime[i], e.credit_impaired[i], e.ecl[i]],
            rtol=1e-11,
            atol=1e-9,
        )
        assert one.stage == e.stage[i]


@given(book=books())
def test_lifetime_is_at_least_twelve_month(book):
    q, lgd, ead, eir, stage, w, period = book
    e = expected_credit_loss(
        q, lgd, ead, eir, stage=stage, scenario_weights=w, period_years=period
    )
    assert (e.lifetime >= e.twelve_month).all()
    assert (e.twelve_month >= 0).all()


@given(book=books(), factor=st.floats(0, 1))
def test_ecl_is_linear_in_lgd(book, factor):
    q, _lgd, ead, eir, stage, w, period = book
    full = expected_credit_loss(
        q, 1.0, ead, eir, stage=stage, scenario_weights=w, period_years=period
    )
    part = expected_credit_loss(
        q, factor, ead, eir, stage=stage, scenario_weights=w, period_years=period
    )
    np.testing.assert_allclose(part.ecl, factor * full.ecl, rtol=1e-12, atol=1e-9)


@given(book=books())
def test_weighting_the_pds_is_weighting_the_ecl(book):
    q, lgd, ead, eir, stage, w, period = book
    mixed = expected_credit_loss(
        q, lgd, ead, eir, stage=stage, scenario_weights=w, period_years=period
    )
    each = [
        expected_credit_loss(qs, lgd, ead, eir, stage=stage, period_years=period).ecl
        for qs in q
    ]
    np.testing.assert_allclose(
        mixed.ecl, np.tensordot(w, each, axes=1), rtol=1e-10, atol=1e-8
    )


def test_more_rows_than_a_block_equal_the_one_facility_form():
    rng = np.random.default_rng(3)
    n = 40_000  # > CHUNK_ROWS: the block loop is crossed twice
    q = rng.uniform(0, 0.03, (n, 5))
    ead = rng.uniform(0, 100, (n, 5))
    e = expected_credit_loss(q, 0.45, ead, 0.04, stage=2)
    for i in (0, 16_383, 16_384, 39_999):
        one = facility_ecl(q[i], 0.45, ead[i], 0.04, stage=2)
        np.testing.assert_allclose(one.ecl, e.ecl[i], rtol=1e-12)


# --- bad input: one test per message ------------------------------------------------------


def _raises(message: str, **changes: object) -> None:
    kwargs: dict[str, object] = {**LOAN, "stage": 1, **changes}
    with pytest.raises(InvalidValueError) as info:
        expected_credit_loss(**kwargs)  # type: ignore[arg-type]
    assert str(info.value) == message


def test_lgd_outside_0_1():
    _raises(
        "`lgd[1]` must be a finite number in [0, 1]; got 1.2.",
        marginal_pd=[[0.01]] * 2,
        ead=[[1.0]] * 2,
        lgd=[0.4, 1.2],
    )


def test_discount_rate_at_or_below_minus_one():
    _raises("`eir[0]` must be a finite number > -1; got -1.0.", eir=-1.0)


def test_scenario_weights_not_summing_to_one():
    _raises(
        "`scenario_weights` must be weights summing to 1 (±1e-09); got 'sums to 0.9'.",
        marginal_pd=[[[0.01]], [[0.02]]],
        ead=[[1.0]],
        scenario_weights=[0.5, 0.4],
    )


def test_scenario_weights_of_the_wrong_length_or_missing_or_unexpected():
    _raises(
        "`scenario_weights` must be one weight per scenario of `marginal_pd` (2); "
        "got 'length 1'.",
        marginal_pd=[[[0.01]], [[0.02]]],
        ead=[[1.0]],
        scenario_weights=[1.0],
    )
    _raises(
        "`scenario_weights` must be one weight per scenario of `marginal_pd` (2); got None.",
        marginal_pd=[[[0.01]], [[0.02]]],
        ead=[[1.0]],
    )
    _raises(
        "`scenario_weights` must be None when `marginal_pd` has no scenario axis (2-d); "
        "got [1.0].",
        scenario_weights=[1.0],
    )


def test_ead_shape_mismatch():
    _raises(
        "`ead` must be (facilities, periods) = (1, 3), as `marginal_pd`; "
        "got 'array of shape (1, 2)'.",
        ead=[[100, 60]],
    )


def test_marginal_pd_of_the_wrong_shape():
    _raises(
        "`marginal_pd` must be (facilities, periods) or (scenarios, facilities, periods); "
        "got 'array of shape (3,)'.",
        marginal_pd=[0.02, 0.03, 0.03],
    )


def test_marginal_pd_outside_0_1_names_facility_and_bucket():
    _raises(
        "`marginal_pd[0, 2]` must be a probability in [0, 1]; got -0.03.",
        marginal_pd=[[0.02, 0.03, -0.03]],
    )


def test_marginal_pds_summing_over_one():
    _raises(
        "`marginal_pd[0]` must be marginal PDs of one facility summing to at most 1; "
        "got 'sums to 1.2'.",
        marginal_pd=[[0.5, 0.5, 0.2]],
    )


def test_negative_ead_names_facility_and_bucket():
    _raises(
        "`ead[0, 1]` must be a finite amount >= 0; got -60.0.", ead=[[100, -60, 30]]
    )


def test_a_stage_other_than_1_2_3():
    _raises("`stage[0]` must be a stage 1, 2 or 3; got 4.0.", stage=4)
    _raises(
        "`stage` must be length 1 or one per facility (1); got 'length 2'.",
        stage=[1, 2],
    )


def test_lgd_of_the_wrong_length():
    _raises(
        "`lgd` must be length 1 or one per facility (1); got 'length 2'.",
        lgd=[0.1, 0.2],
    )


def test_eir_of_the_wrong_length_is_named():
    # `lgd` of one value and `eir` of two agree with each other; the length is
    # the exposure's (one facility), and the message names `eir`, not `lgd`.
    _raises(
        "`eir` must be length 1 or one per facility (1); got 'length 2'.",
        eir=[0.05, 0.06],
    )


def test_period_outside_0_1():
    _raises(
        "`period_years[0]` must be a finite number in (0, 1]; got 2.0.",
        period_years=2.0,
    )


def test_one_facility_shapes():
    with pytest.raises(
        InvalidValueError,
        match=r"`ead` must be \(periods,\); got 'array of shape \(1, 3\)'",
    ):
        facility_ecl([0.1, 0.1, 0.1], 0.4, [[1, 2, 3]], 0.05, stage=1)
    with pytest.raises(
        InvalidValueError,
        match=r"`marginal_pd` must be \(periods,\) or \(scenarios, periods\)",
    ):
        facility_ecl(0.1, 0.4, [1.0], 0.05, stage=1)


# --- movement ----------------------------------------------------------------------------


def test_movement_waterfall_by_hand():
    # A: stage 1 -> 2; B repaid; C new (see the `ecl_movement` docstring):
    # opening 5 + 0.5; derecognition -0.5; new 1; transfer 10 - 5; parameters 20 - 10
    op = expected_credit_loss(
        [[0.1, 0.1], [0.1, 0.1]], 0.5, [[100.0] * 2, [10.0] * 2], 0.0, stage=1
    )
    cl = expected_credit_loss(
        [[0.2, 0.2], [0.1, 0.1]], 0.5, [[100.0] * 2, [20.0] * 2], 0.0, stage=[2, 1]
    )
    m = ecl_movement(np.array(["A", "B"]), op, np.array(["A", "C"]), cl)
    assert [v for _, v in m.rows()] == [5.5, -0.5, 1.0, 5.0, 10.0, 21.0]
    assert m.transfers.matrix.tolist() == [[0, 1, 0], [0, 0, 0], [0, 0, 0]]


@given(book=books(), keep=st.lists(st.booleans(), min_size=12, max_size=12))
def test_movement_adds_up(book, keep):
    q, lgd, ead, eir, stage, w, _period = book
    n = len(lgd)
    op = expected_credit_loss(q, lgd, ead, eir, stage=stage, scenario_weights=w)
    cl = expected_credit_loss(
        q * 0.5, lgd, ead, eir, stage=4 - stage, scenario_weights=w
    )
    ids = np.arange(n)
    kept = np.asarray(keep[:n])
    m = ecl_movement(ids, op, np.where(kept, ids, ids + 1000), cl)
    total = (
        m.opening
        + m.derecognition
        + m.new_business
        + m.stage_transfers
        + m.parameter_changes
    )
    np.testing.assert_allclose(total, m.closing, rtol=1e-9, atol=1e-6)


def test_movement_bad_ids():
    e = expected_credit_loss([[0.1], [0.1]], 0.5, [[1.0], [1.0]], 0.0, stage=1)
    with pytest.raises(InvalidValueError) as missing:
        ecl_movement(["A", "B"], e, ["A", None], e)  # type: ignore[arg-type]
    assert str(missing.value) == (
        "`closing_ids[1]` must be a facility id (text, or integers for the whole "
        "array); got None."
    )
    with pytest.raises(InvalidValueError) as info:
        ecl_movement(["A", "A"], e, ["A", "B"], e)
    assert str(info.value) == (
        "`opening_ids` must be unique facility ids (this id appears more than once); "
        "got 'A'."
    )
    with pytest.raises(
        InvalidValueError,
        match=r"`closing_ids` must be one id per facility of its ECL \(2\)",
    ):
        ecl_movement(["A", "B"], e, ["A"], e)
    with pytest.raises(
        InvalidValueError, match="`closing` must be an ExpectedCreditLoss"
    ):
        ecl_movement(["A", "B"], e, ["A", "B"], 3.0)  # type: ignore[arg-type]
