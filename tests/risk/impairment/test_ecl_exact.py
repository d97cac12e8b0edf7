"""Expected credit loss at its exact edges: every refusal by field and words (#23).

Hand values throughout: marginal PDs, EADs and rates are chosen so each ECL is a short
sum (IFRS 9 B5.5.44: ``LGD * sum_t q_t EAD_t (1 + r)^-t``); the 12-month cut, the
PD-sum tolerance and the bounds of `lgd`, `eir`, `period_years` and the PDs are tried
at the bound and just past it, in the book form and the one-facility form.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.impairment import _ecl, expected_credit_loss, facility_ecl

NEXT_ONE = math.nextafter(1.0, 2.0)


def _book_error(**changes: Any) -> InvalidValueError:
    kwargs: dict[str, Any] = {
        "marginal_pd": [[0.1, 0.1]],
        "lgd": 0.4,
        "ead": [[1.0, 1.0]],
        "eir": 0.0,
        "stage": 1,
        **changes,
    }
    with pytest.raises(InvalidValueError) as err:
        expected_credit_loss(**kwargs)
    return err.value


def _one_error(**changes: Any) -> InvalidValueError:
    kwargs: dict[str, Any] = {
        "marginal_pd": [0.1, 0.1],
        "lgd": 0.4,
        "ead": [1.0, 1.0],
        "eir": 0.0,
        "stage": 1,
        **changes,
    }
    with pytest.raises(InvalidValueError) as err:
        facility_ecl(**kwargs)
    return err.value


def _check(err: InvalidValueError, field: str, message: str) -> None:
    assert err.field == field
    assert str(err) == f"`{field}` {message}"


# --- the 12-month cut ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "horizon", "n12"),
    [
        # (1 + 1e-9) / 2 doubled is exactly 1 + 1e-9: the second bucket ends on the
        # tolerance itself and still counts (`<=`, not `<`)
        ((1.0 + 1e-9) / 2, 3, 2),
        (0.25 + 1e-11, 5, 4),  # 4 * dt = 1 + 4e-11: inside the tolerance
        (0.25, 5, 4),
        (1.0, 3, 1),
    ],
)
def test_twelve_months_take_the_buckets_ending_by_one_year(period, horizon, n12):
    # PD 10 % per bucket on 100, LGD 1, EIR 0: each bucket adds exactly 10
    e = expected_credit_loss(
        [[0.1] * horizon], 1.0, [[100.0] * horizon], 0.0, stage=1, period_years=period
    )
    one = facility_ecl(
        [0.1] * horizon, 1.0, [100.0] * horizon, 0.0, stage=1, period_years=period
    )
    np.testing.assert_allclose(e.twelve_month, [10.0 * n12], rtol=1e-14)
    np.testing.assert_allclose(e.lifetime, [10.0 * horizon], rtol=1e-14)
    np.testing.assert_allclose(one.twelve_month, 10.0 * n12, rtol=1e-14)
    np.testing.assert_allclose(one.lifetime, 10.0 * horizon, rtol=1e-14)


def test_every_field_of_one_facility_by_hand():
    # two scenarios 0.2 / 0.1 and 0.4 / 0.3 weighted 0.75 / 0.25: PDs 0.25, 0.15;
    # half-year buckets at EIR 0.21 (1.21^-0.5 = 1 / 1.1, 1.21^-1 = 1 / 1.21);
    # EAD 110, 121, LGD 0.5: 12m = 0.5 * (0.25 * 100 + 0.15 * 100) = 20
    kwargs: dict[str, Any] = {
        "lgd": 0.5,
        "eir": 0.21,
        "scenario_weights": [0.75, 0.25],
        "period_years": 0.5,
    }
    for stage, ecl in ((1, 20.0), (2, 20.0), (3, 55.0)):
        one = facility_ecl(
            [[0.2, 0.1], [0.4, 0.3]], ead=[110.0, 121.0], stage=stage, **kwargs
        )
        assert one.stage == stage
        got = [one.twelve_month, one.lifetime, one.credit_impaired, one.ecl]
        np.testing.assert_allclose(got, [20.0, 20.0, 55.0, ecl], rtol=1e-14)
        book = expected_credit_loss(
            [[[0.2, 0.1]], [[0.4, 0.3]]], ead=[[110.0, 121.0]], stage=stage, **kwargs
        )
        np.testing.assert_allclose(book.ecl, [ecl], rtol=1e-14)
    # a third year-long bucket beyond the 12 months: lifetime only
    three = facility_ecl([0.1, 0.2, 0.3], 1.0, [10.0, 10.0, 10.0], 0.0, stage=2)
    assert (three.twelve_month, three.credit_impaired) == (1.0, 10.0)
    np.testing.assert_allclose([three.lifetime, three.ecl], [6.0, 6.0], rtol=1e-14)


def test_three_scenarios_in_the_book_and_one_at_a_time():
    # weights 0.5, 0.25, 0.25 of PDs 0.1, 0.2, 0.4 per bucket: 0.05 + 0.05 + 0.1 = 0.2
    q = [[[0.1, 0.1]] * 2, [[0.2, 0.2]] * 2, [[0.4, 0.4]] * 2]
    e = expected_credit_loss(
        q,
        1.0,
        [[100.0, 100.0]] * 2,
        0.0,
        stage=[1, 2],
        scenario_weights=[0.5, 0.25, 0.25],
    )
    np.testing.assert_allclose(e.twelve_month, [20.0, 20.0], rtol=1e-14)
    np.testing.assert_allclose(e.lifetime, [40.0, 40.0], rtol=1e-14)
    np.testing.assert_allclose(e.ecl, [20.0, 40.0], rtol=1e-14)
    assert e.stage.dtype == np.int8
    assert e.stage.tolist() == [1, 2]


def test_a_rate_near_minus_one_grows_the_losses():
    # EIR -0.5: (1 + r)^-t = 2^t, so 0.1 * 100 * 2 = 20 and 20 + 0.1 * 100 * 4 = 60
    e = expected_credit_loss([[0.1, 0.1]], 1.0, [[100.0, 100.0]], -0.5, stage=2)
    np.testing.assert_allclose(
        [e.twelve_month[0], e.lifetime[0]], [20.0, 60.0], rtol=1e-14
    )
    one = facility_ecl([0.1, 0.1], 1.0, [100.0, 100.0], -0.5, stage=2)
    np.testing.assert_allclose(
        [one.twelve_month, one.lifetime], [20.0, 60.0], rtol=1e-14
    )


def test_the_bounds_of_pd_lgd_and_ead_are_accepted():
    # PD 0 then 1 (the curve sums to exactly 1), LGD 0 and 1, EAD 0
    e = expected_credit_loss(
        [[0.0, 1.0], [1.0, 0.0]], [1.0, 0.0], [[0.0, 50.0], [7.0, 0.0]], 0.0, stage=2
    )
    assert e.lifetime.tolist() == [50.0, 0.0]
    assert e.twelve_month.tolist() == [0.0, 0.0]
    assert e.credit_impaired.tolist() == [0.0, 0.0]
    one = facility_ecl([0.0, 1.0], 1.0, [0.0, 50.0], 0.0, stage=2)
    assert (one.twelve_month, one.lifetime, one.ecl) == (0.0, 50.0, 50.0)


def test_pd_sums_within_the_tolerance_pass_and_past_it_are_refused():
    # 1 + 5e-10 is inside PD_SUM_TOLERANCE (1e-9); 1 + 2e-9 is not
    fine = expected_credit_loss([[0.5, 0.5 + 5e-10]], 1.0, [[1.0, 1.0]], 0.0, stage=2)
    np.testing.assert_allclose(fine.lifetime, [1.0 + 5e-10], rtol=1e-12)
    facility_ecl([0.5, 0.5 + 5e-10], 1.0, [1.0, 1.0], 0.0, stage=2)
    words = (
        "must be marginal PDs of one facility summing to at most 1; got 'sums to 1'."
    )
    _check(_book_error(marginal_pd=[[0.5, 0.5 + 2e-9]]), "marginal_pd[0]", words)
    # one (T,) curve: the sum has no position, so the field reads `marginal_pd[]`
    _check(_one_error(marginal_pd=[0.5, 0.5 + 2e-9]), "marginal_pd[]", words)


def test_book_by_stage_without_stage_three():
    e = expected_credit_loss([[0.1], [0.2]], 0.5, [[100.0], [100.0]], 0.0, stage=[2, 1])
    totals = e.by_stage()
    assert totals == {1: 10.0, 2: 5.0, 3: 0.0}
    assert all(type(v) is float for v in totals.values())


# --- refusals of the book form --------------------------------------------------------------


def test_book_refusals_name_the_facility_scenario_and_bucket():
    _check(
        _book_error(marginal_pd=[[0.1]] * 2, ead=[[1.0]] * 2, stage=[1, 0]),
        "stage[1]",
        "must be a stage 1, 2 or 3; got 0.0.",
    )
    two = {"ead": [[1.0, 1.0]], "scenario_weights": [0.5, 0.5]}
    _check(
        _book_error(marginal_pd=[[[0.1, 0.1]], [[0.6, 0.6]]], **two),
        "marginal_pd[1, 0]",
        "must be marginal PDs of one facility summing to at most 1; got 'sums to 1.2'.",
    )
    _check(
        _book_error(marginal_pd=[[[0.1, 0.1]], [[0.6, math.nan]]], **two),
        "marginal_pd[1, 0, 1]",
        "must be a probability in [0, 1]; got nan.",
    )
    _check(
        _book_error(marginal_pd=[[0.1, NEXT_ONE]]),
        "marginal_pd[0, 1]",
        "must be a probability in [0, 1]; got 1.0000000000000002.",
    )
    _check(
        _book_error(ead=[[1.0, math.inf]]),
        "ead[0, 1]",
        "must be a finite amount >= 0; got inf.",
    )
    _check(
        _book_error(marginal_pd=[[0.1, 0.1]] * 2, ead=[[1.0, 1.0], [math.nan, 1.0]]),
        "ead[1, 0]",
        "must be a finite amount >= 0; got nan.",
    )


@pytest.mark.parametrize(
    ("q", "shape"),
    [(np.zeros((1, 0)), "(1, 0)"), (np.zeros((1, 1, 1, 1)), "(1, 1, 1, 1)")],
)
def test_book_refuses_grids_without_periods_or_of_four_axes(q, shape):
    _check(
        _book_error(marginal_pd=q, ead=np.zeros((1, 1))),
        "marginal_pd",
        "must be (facilities, periods) or (scenarios, facilities, periods); "
        f"got 'array of shape {shape}'.",
    )


def test_book_bounds_of_lgd_eir_and_period():
    _check(
        _book_error(lgd=-1e-300),
        "lgd[0]",
        "must be a finite number in [0, 1]; got -1e-300.",
    )
    _check(
        _book_error(lgd=NEXT_ONE),
        "lgd[0]",
        "must be a finite number in [0, 1]; got 1.0000000000000002.",
    )
    _check(
        _book_error(period_years=0.0),
        "period_years[0]",
        "must be a finite number in (0, 1]; got 0.0.",
    )
    _check(
        _book_error(period_years=NEXT_ONE),
        "period_years[0]",
        "must be a finite number in (0, 1]; got 1.0000000000000002.",
    )


# --- refusals of the one-facility form ------------------------------------------------------


def test_one_facility_refusals_name_its_own_positions():
    _check(
        _one_error(marginal_pd=[0.1, 1.2]),
        "marginal_pd[1]",
        "must be a probability in [0, 1]; got 1.2.",
    )
    two = {"scenario_weights": [0.5, 0.5]}
    _check(
        _one_error(marginal_pd=[[0.1, 0.1], [0.6, 0.6]], **two),
        "marginal_pd[1]",
        "must be marginal PDs of one facility summing to at most 1; got 'sums to 1.2'.",
    )
    _check(
        _one_error(marginal_pd=[[0.1, 0.1], [0.6, -0.1]], **two),
        "marginal_pd[1, 1]",
        "must be a probability in [0, 1]; got -0.1.",
    )
    _check(
        _one_error(ead=[1.0, math.nan]),
        "ead[1]",
        "must be a finite amount >= 0; got nan.",
    )
    _check(
        _one_error(ead=[math.inf, 1.0]),
        "ead[0]",
        "must be a finite amount >= 0; got inf.",
    )
    _check(
        _one_error(marginal_pd=[0.1, 0.1, 0.1], ead=[1.0, 2.0, -3.0]),
        "ead[2]",
        "must be a finite amount >= 0; got -3.0.",
    )
    _check(_one_error(stage=0), "stage[0]", "must be a stage 1, 2 or 3; got 0.0.")
    _check(
        _one_error(scenario_weights=[1.0]),
        "scenario_weights",
        "must be None when `marginal_pd` has no scenario axis (2-d); got [1.0].",
    )


def test_one_facility_shapes_by_whole_message():
    _check(
        _one_error(marginal_pd=np.zeros((1, 1, 2))),
        "marginal_pd",
        "must be (periods,) or (scenarios, periods); got 'array of shape (1, 1, 2)'.",
    )
    _check(
        _one_error(ead=[[1.0, 1.0]]),
        "ead",
        "must be (periods,); got 'array of shape (1, 2)'.",
    )
    _check(
        _one_error(marginal_pd=[0.1, 0.1, 0.1]),
        "ead",
        "must be (facilities, periods) = (1, 3), as `marginal_pd`; "
        "got 'array of shape (1, 2)'.",
    )


def test_one_facility_bounds_of_lgd_eir_and_period():
    _check(_one_error(lgd=1.5), "lgd[0]", "must be a finite number in [0, 1]; got 1.5.")
    _check(
        _one_error(lgd=-1e-300),
        "lgd[0]",
        "must be a finite number in [0, 1]; got -1e-300.",
    )
    _check(_one_error(eir=-1.0), "eir[0]", "must be a finite number > -1; got -1.0.")
    _check(
        _one_error(period_years=0.0),
        "period_years[0]",
        "must be a finite number in (0, 1]; got 0.0.",
    )
    _check(
        _one_error(lgd=[0.1, 0.2]),
        "lgd",
        "must be one number; got 'array of shape (2,)'.",
    )
    _check(
        _one_error(eir=[0.1, 0.2]),
        "eir",
        "must be one number; got 'array of shape (2,)'.",
    )
    # the bounds themselves
    assert facility_ecl([0.1], 0.0, [1.0], 0.0, stage=3).ecl == 0.0
    assert facility_ecl([0.1], 1.0, [1.0], 0.0, stage=3).ecl == 1.0


def test_the_first_bad_ead_is_named_after_zero_and_small_amounts():
    # an EAD of 0 or 0.5 ahead of the bad one is fine: the search tests `>= 0`, not `> 0`
    # or `>= 1`, in the book form and the one-facility form
    words = "must be a finite amount >= 0; got"
    _check(
        _book_error(marginal_pd=[[0.1] * 3], ead=[[0.0, 0.5, -1.0]]),
        "ead[0, 2]",
        f"{words} -1.0.",
    )
    _check(_one_error(ead=[0.0, -1.0]), "ead[1]", f"{words} -1.0.")
    _check(_one_error(ead=[0.5, math.nan]), "ead[1]", f"{words} nan.")


def test_one_facility_names_text_and_refuses_a_stage_per_facility_of_a_book():
    text = "must be a number, not text (convert text to numbers before the call); got"
    _check(_one_error(marginal_pd=["a", 0.1]), "marginal_pd[0]", f"{text} 'a'.")
    _check(_one_error(ead=["x", 1.0]), "ead[0]", f"{text} 'x'.")
    _check(
        _one_error(stage=[1, 2]),
        "stage",
        "must be length 1 or one per facility (1); got 'length 2'.",
    )
    one = facility_ecl([0.1], 1.0, [1.0], 0.0, stage=[3])  # type: ignore[arg-type]
    assert one.stage == 3


def test_valid_books_at_every_bound_never_take_the_slow_search(monkeypatch):
    # The fast block check lets through PDs of exactly 0 and curves summing to exactly
    # 1 + 1e-9 (0.5 + (0.5 + 1e-9) is that float), EADs of 0 and 0.5: the exact search
    # `_check_values`, run only to name a bad value, is never called on them.
    def slow(*_args: object) -> None:
        msg = "the slow search ran on a valid book"
        raise AssertionError(msg)

    monkeypatch.setattr(_ecl, "_check_values", slow)
    q = [[0.0, 0.5, 0.5 + 1e-9], [0.25, 0.25, 0.5]]
    e = expected_credit_loss(q, 1.0, [[0.0, 0.5, 2.0], [4.0, 4.0, 4.0]], 0.0, stage=2)
    np.testing.assert_allclose(e.lifetime, [1.25 + 2e-9, 4.0], rtol=1e-15)
    three = expected_credit_loss(
        [q, q], 1.0, [[0.5] * 3, [1.0] * 3], 0.0, stage=1, scenario_weights=[0.5, 0.5]
    )
    np.testing.assert_allclose(three.twelve_month, [0.0, 0.25], rtol=1e-15)


def test_a_curve_summing_to_exactly_the_tolerance_is_accepted_one_at_a_time():
    one = facility_ecl([0.0, 0.5, 0.5 + 1e-9], 1.0, [1.0, 1.0, 1.0], 0.0, stage=2)
    np.testing.assert_allclose(one.lifetime, 1.0 + 1e-9, rtol=1e-15)


def test_the_first_pd_out_of_range_is_named_after_pds_of_0_and_1():
    words = "must be a probability in [0, 1]; got nan."
    _check(
        _book_error(marginal_pd=[[0.0, 1.0, math.nan]], ead=[[1.0] * 3]),
        "marginal_pd[0, 2]",
        words,
    )
    _check(
        _one_error(marginal_pd=[1.0, 0.0, math.nan], ead=[1.0] * 3),
        "marginal_pd[2]",
        words,
    )


def test_a_stage_given_as_text_is_named():
    _check(
        _book_error(stage=["x"]),
        "stage[0]",
        "must be a number, not text (convert text to numbers before the call); got 'x'.",
    )


def test_book_names_text_and_the_two_trailing_axes_of_a_scenario_grid():
    text = "must be a number, not text (convert text to numbers before the call); got"
    _check(_book_error(marginal_pd=[["a", 0.1]]), "marginal_pd[0]", f"{text} 'a'.")
    _check(_book_error(ead=[[1.0, "x"]]), "ead[1]", f"{text} 'x'.")
    _check(
        _book_error(
            marginal_pd=[[[0.1, 0.1]], [[0.1, 0.1]]],
            ead=[[1.0, 1.0, 1.0]],
            scenario_weights=[0.5, 0.5],
        ),
        "ead",
        "must be (facilities, periods) = (1, 2), as `marginal_pd`; "
        "got 'array of shape (1, 3)'.",
    )


def test_a_scenario_grid_without_facilities_is_an_empty_book():
    # (scenarios, facilities, periods) = (2, 0, 3): only the periods axis may not be empty
    e = expected_credit_loss(
        np.zeros((2, 0, 3)),
        0.4,
        np.zeros((0, 3)),
        0.0,
        stage=1,
        scenario_weights=[0.5, 0.5],
    )
    assert (e.ecl.shape, e.stage.shape) == ((0,), (0,))
    assert e.by_stage() == {1: 0.0, 2: 0.0, 3: 0.0}
