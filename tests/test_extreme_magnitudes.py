"""Concentration and loss figures stay right up to the float maximum (#17, class 3).

Shares, curves, the Gini coefficient and the HHI are ratios to a total; near 1.8e308
the total overflowed (a share of 0, a Gini of 0, an ``OverflowError`` from the
unexpected loss). They now rescale by an exact power of two first, so scaling every
amount by ``c`` leaves them unchanged for ``c`` from 1e-300 to 1e300; a result that
itself does not fit a float is refused by name.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm import segmentation
from lendcrm.errors import InvalidValueError, LendCRMError
from lendcrm.risk import portfolio

AMOUNTS = st.lists(st.floats(min_value=1.0, max_value=100.0), min_size=1, max_size=8)
SCALE = st.floats(min_value=1e-300, max_value=1e300).filter(lambda c: c > 0)


def _scaled(values: list[float], c: float) -> np.ndarray:
    """``values`` times ``c``, the largest at most 1.7e308 (still a finite float)."""
    arr = np.asarray(values) * c
    top = float(arr.max())
    return arr if top <= 1.7e308 else arr * (1.7e308 / top)


@settings(max_examples=60, deadline=None)
@given(values=AMOUNTS, c=SCALE)
def test_concentration_is_scale_invariant_up_to_the_float_maximum(
    values: list[float], c: float
) -> None:
    big = _scaled(values, c)
    small = big / float(big.max())  # the same shape at magnitude 1
    assert segmentation.hhi(big) == pytest.approx(segmentation.hhi(small), rel=1e-12)
    assert segmentation.gini(big) == pytest.approx(
        segmentation.gini(small), rel=1e-9, abs=1e-12
    )
    assert segmentation.lorenz_curve(big).value_share == pytest.approx(
        segmentation.lorenz_curve(small).value_share, rel=1e-12, abs=1e-15
    )
    assert segmentation.top_share(big, 0.5) == pytest.approx(
        segmentation.top_share(small, 0.5), rel=1e-12
    )
    assert portfolio.exposure_hhi(big) == pytest.approx(
        portfolio.exposure_hhi(small), rel=1e-12
    )
    assert portfolio.top_k_share(big, 1) == pytest.approx(
        portfolio.top_k_share(small, 1), rel=1e-12
    )


@settings(max_examples=60, deadline=None)
@given(values=AMOUNTS, c=st.floats(min_value=1e-300, max_value=1e300))
def test_unexpected_loss_scales_with_the_exposures(
    values: list[float], c: float
) -> None:
    big = _scaled(values, c)
    factor = float(big.max())
    small = big / factor
    ul = portfolio.unexpected_loss(big, 0.02, 0.45, default_correlation=0.1)
    assert math.isfinite(ul)
    assert ul == pytest.approx(
        factor * portfolio.unexpected_loss(small, 0.02, 0.45, default_correlation=0.1),
        rel=1e-12,
    )


def test_three_amounts_at_1e308_give_the_shares_of_three_equal_ones() -> None:
    v = [1e308, 1e308, 1e308]
    assert segmentation.hhi(v) == pytest.approx(1 / 3)
    assert segmentation.equivalent_number(v) == pytest.approx(3.0)
    assert segmentation.gini(v) == pytest.approx(0.0, abs=1e-15)
    assert segmentation.lorenz_curve(v).value_share.tolist() == pytest.approx(
        [0.0, 1 / 3, 2 / 3, 1.0]
    )
    assert segmentation.pareto_point(v, 0.5) == pytest.approx(2 / 3)
    assert portfolio.sector_hhi(v, ["a", "a", "b"]) == pytest.approx(5 / 9)


def test_an_unexpected_loss_beyond_the_float_maximum_is_refused() -> None:
    with pytest.raises(InvalidValueError) as info:
        portfolio.unexpected_loss([1.7e308] * 10, 0.5, 1.0)
    assert str(info.value) == (
        "`ead` must be exposures whose unexpected loss fits a float (below 1.8e308); "
        "got 'largest 1.7e+308 of 10'."
    )


def test_ordinary_amounts_are_not_rescaled() -> None:
    from lendcrm._concentration import without_overflow

    v = np.array([1.0, 2.0, 3.0])
    assert without_overflow(v) is v
    assert portfolio.unexpected_loss([100.0, 100.0], 0.01, 0.5) == 7.035623639735144


def _non_finite(out: object, depth: int = 0) -> bool:
    """Whether a result holds inf/NaN in a float, a float array or an attrs field."""
    if depth > 2:
        return False
    if isinstance(out, float):
        return not math.isfinite(out)
    if isinstance(out, np.ndarray) and out.dtype.kind == "f":
        return bool((~np.isfinite(out)).any())
    if hasattr(out, "__attrs_attrs__"):
        return any(
            _non_finite(getattr(out, f.name), depth + 1) for f in out.__attrs_attrs__
        )
    return False


def _huge(value: object) -> object:
    """``value`` with every amount replaced by 1e308, or None when it holds none."""
    if isinstance(value, float) and value > 0:
        return 1e308
    if isinstance(value, list) and value and all(isinstance(v, float) for v in value):
        return [1e308] * len(value)
    return None


# results that may hold inf/NaN at 1e308 without an error, each with its reason
NON_FINITE_ALLOWED = {
    # facility_ltv is documented as infinite for a value too small against the exposure
    ("capital.allocate_collateral", "exposure"),
}


def _huge_cases() -> list[tuple[str, str]]:
    from tests import test_fuzz_public_api as narrow
    from tests import test_fuzz_public_api_wide as wide

    calls = {**narrow.BASE_CALLS, **wide.BASE_CALLS}
    return [
        (name, parameter)
        for name, (_, kwargs) in sorted(calls.items())
        for parameter, value in kwargs.items()
        if _huge(value) is not None and (name, parameter) not in NON_FINITE_ALLOWED
    ]


@pytest.mark.parametrize(("name", "parameter"), _huge_cases())
def test_an_amount_of_1e308_is_computed_or_refused_never_inf(
    name: str, parameter: str
) -> None:
    from tests import test_fuzz_public_api as narrow
    from tests import test_fuzz_public_api_wide as wide

    function, kwargs = {**narrow.BASE_CALLS, **wide.BASE_CALLS}[name]
    base_non_finite = _non_finite(function(**kwargs))
    try:
        out = function(**{**kwargs, parameter: _huge(kwargs[parameter])})
    except LendCRMError:
        return
    assert base_non_finite or not _non_finite(out)


def test_an_overflowing_ratio_or_capacity_is_refused_by_name() -> None:
    from lendcrm.risk import pricing, project_finance

    with pytest.raises(InvalidValueError) as info:
        project_finance.llcr([1e308, 1e308], [100.0, 100.0], debt_rate=0.05)
    assert str(info.value) == (
        "`llcr[0]` must be a finite result (cfads or debt_service too large for a "
        "float, whose maximum is 1.8e308); got inf."
    )
    with pytest.raises(InvalidValueError) as info:
        pricing.annuity_debt_capacity(
            cash_flow=1e308, rate=0.05, tenor_years=10, min_dscr=1.25
        )
    assert str(info.value) == (
        "`debt_capacity[0]` must be a finite result (cash_flow or tenor_years too "
        "large for a float, whose maximum is 1.8e308); got inf."
    )
    with pytest.raises(InvalidValueError, match=r"^`eva\[0\]` must be a finite"):
        pricing.eva(
            revenue=[10.0],
            funding_cost=[2.0],
            expected_loss=[1.0],
            operating_cost=[1.0],
            capital=[50.0],
            risk_free_rate=[0.02],
            hurdle_rate=[1e308],
        )


def test_a_sculpted_schedule_that_overflows_is_refused() -> None:
    from lendcrm.risk import project_finance

    with pytest.raises(InvalidValueError) as info:
        project_finance.sculpt([125.0, 156.25, 195.3125], 1.25, debt_rate=1e308)
    assert str(info.value) == (
        "`opening_balance[2]` must be a finite balance (cfads or debt_rate too large "
        "for a float, whose maximum is 1.8e308); got nan."
    )


def test_simulated_losses_near_the_float_maximum_are_exact_or_refused() -> None:
    """A power-of-two rescale of the loss weights is exact: the run at 2**1000 times
    the exposures is the small run times 2**1000; a book whose largest possible loss
    is beyond the float maximum is refused by name (it returned inf VaR/ES before)."""
    from lendcrm.risk import portfolio

    small = [1.0, 0.5, 0.75] * 4
    huge = [v * 2.0**1000 for v in small]
    kwargs: dict[str, Any] = {
        "default_probability": 0.2,
        "lgd": 1.0,
        "correlation": 0.2,
        "n_scenarios": 500,
        "levels": [0.9, 0.99],
    }
    a = portfolio.simulate_losses(small, rng=np.random.default_rng(3), **kwargs)
    b = portfolio.simulate_losses(huge, rng=np.random.default_rng(3), **kwargs)
    assert b.var.max() > 1e300
    for field in ("losses", "var", "expected_shortfall", "es_contributions"):
        np.testing.assert_array_equal(getattr(b, field), getattr(a, field) * 2.0**1000)
    assert b.expected_loss == a.expected_loss * 2.0**1000
    assert np.isfinite(b.var_contributions).all()
    with pytest.raises(InvalidValueError) as info:
        portfolio.simulate_losses(
            [1e308, 1e308], rng=np.random.default_rng(3), **kwargs
        )
    assert str(info.value) == (
        "`ead` must be exposures whose largest possible loss, sum(ead × lgd), is at "
        "most the float maximum 1.8e308; got inf."
    )
