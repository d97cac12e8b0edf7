"""The price terms of `minimum_rate` and its relatives, validated once.

`price_terms` checks every argument of a price in a fixed order (so the first bad
argument is the one named), aligns the arrays and builds the terms of the build-up
per unit of EAD and per year: funding, expected loss, operating cost, capital, capital
charge, fees, risk weight and the minimum rate. `minimum_rate`, `price_book` and
`price_facility` are thin shells around it.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, align, as_float_array
from lendcrm.risk.capital._irb_terms import (
    IRBInputs,
    irb_risk_weight,
    require_el_best,
    validate_irb_inputs,
)
from lendcrm.risk.capital._regimes import AssetClass, CapitalRegime
from lendcrm.risk.pricing._raroc import HurdleBasis, check_hurdle, pre_tax_hurdle

__all__ = [
    "expected_loss_or_override",
    "price_terms",
    "require_el_best_for_irb_rows",
    "risk_weight_or_override",
    "validate_overrides",
]


def _rates(
    *,
    funding_rate: npt.ArrayLike,
    operating_cost_rate: npt.ArrayLike,
    hurdle_rate: npt.ArrayLike,
    risk_free_rate: npt.ArrayLike,
    upfront_fee: npt.ArrayLike,
    annual_fee: npt.ArrayLike,
) -> dict[str, FloatArray]:
    """The rates and fees of a price, validated in this order (annual fractions)."""
    return {
        "funding_rate": as_float_array(
            funding_rate, name="funding_rate", lower=-1.0, upper=1.0
        ),
        "operating_cost_rate": as_float_array(
            operating_cost_rate, name="operating_cost_rate", lower=0.0
        ),
        "hurdle_rate": as_float_array(
            hurdle_rate, name="hurdle_rate", lower=-1.0, upper=10.0
        ),
        "risk_free_rate": as_float_array(
            risk_free_rate, name="risk_free_rate", lower=-1.0, upper=1.0
        ),
        "upfront_fee": as_float_array(
            upfront_fee, name="upfront_fee", lower=0.0, upper=1.0
        ),
        "annual_fee": as_float_array(
            annual_fee, name="annual_fee", lower=0.0, upper=1.0
        ),
    }


def _irb_inputs(
    *,
    default_probability: npt.ArrayLike,
    lgd: npt.ArrayLike,
    maturity: npt.ArrayLike,
    capital_maturity: npt.ArrayLike | None,
    regime: CapitalRegime,
    asset_class: AssetClass | str | npt.ArrayLike,
    sales: npt.ArrayLike | None,
    el_best: npt.ArrayLike | None,
) -> tuple[IRBInputs, FloatArray | None]:
    """The validated IRB inputs, and the contractual life when M is given apart."""
    life = None  # the contractual life when the IRB gets its own effective maturity
    if capital_maturity is not None:
        life = as_float_array(maturity, name="maturity", lower=0.0, lower_open=True)
        maturity = as_float_array(
            capital_maturity, name="capital_maturity", lower=0.0, lower_open=True
        )
    inp = validate_irb_inputs(
        default_probability,
        lgd,
        asset_class=asset_class,
        maturity=maturity,
        sales=sales,
        el_best=el_best,
        regime=regime,
    )
    return inp, life


def validate_overrides(
    risk_weight_override: npt.ArrayLike | None,
    expected_loss_rate_override: npt.ArrayLike | None,
) -> dict[str, FloatArray]:
    """The given overrides, validated; NaN marks a row that keeps IRB and PD x LGD."""
    out: dict[str, FloatArray] = {}
    if risk_weight_override is not None:
        out["risk_weight"] = as_float_array(
            risk_weight_override, name="risk_weight_override", lower=0.0, allow_nan=True
        )
    if expected_loss_rate_override is not None:
        out["expected_loss_rate"] = as_float_array(
            expected_loss_rate_override,
            name="expected_loss_rate_override",
            lower=0.0,
            upper=1.0,
            allow_nan=True,
        )
    return out


def risk_weight_or_override(
    inp: IRBInputs, regime: CapitalRegime, override: FloatArray | None
) -> FloatArray:
    """The override where given, the IRB risk weight elsewhere (NaN rows, or all)."""
    if override is None:
        return irb_risk_weight(inp, regime, apply_lgd_floor=False)
    missing = np.isnan(override)
    if not missing.any():
        return override
    out: FloatArray = np.where(
        missing, irb_risk_weight(inp, regime, apply_lgd_floor=False), override
    )
    return out


def require_el_best_for_irb_rows(
    inp: IRBInputs, risk_weight_override: FloatArray | None
) -> None:
    """Refuse a defaulted row (PD = 1) priced on the IRB weight without EL_best.

    Its capital would be max(0, LGD - EL_best) (CRE31.3), silently zero without a
    best estimate; rows whose risk weight is overridden (not NaN) carry the given
    weight instead. Same error as the capital functions (`require_el_best`).
    """
    if inp.el_best is not None:
        return
    if risk_weight_override is None:
        require_el_best(inp)
        return
    irb = np.isnan(risk_weight_override)
    if irb.any():
        pd_ = np.where(irb, inp.default_probability, 0.0)
        require_el_best(attrs.evolve(inp, default_probability=pd_))


def expected_loss_or_override(
    inp: IRBInputs, override: FloatArray | None
) -> FloatArray:
    """The EL rate per unit of EAD of each row.

    The override where given (e.g. the slotting EL, CRE33.8); elsewhere PD x LGD for
    a performing row and, for a defaulted row (PD = 1) with a best estimate, EL_best
    (CRE35.3).
    """
    el = inp.default_probability * inp.lgd
    if inp.el_best is not None:
        el = np.where(inp.default_probability >= 1.0, inp.el_best, el)
    if override is None:
        return el
    out: FloatArray = np.where(np.isnan(override), el, override)
    return out


def price_terms(
    *,
    default_probability: npt.ArrayLike,
    lgd: npt.ArrayLike,
    maturity: npt.ArrayLike,
    funding_rate: npt.ArrayLike,
    operating_cost_rate: npt.ArrayLike,
    hurdle_rate: npt.ArrayLike,
    risk_free_rate: npt.ArrayLike,
    capital_ratio: float,
    regime: CapitalRegime,
    asset_class: AssetClass | str | npt.ArrayLike,
    sales: npt.ArrayLike | None,
    upfront_fee: npt.ArrayLike,
    annual_fee: npt.ArrayLike,
    risk_weight_override: npt.ArrayLike | None,
    expected_loss_rate_override: npt.ArrayLike | None = None,
    el_best: npt.ArrayLike | None = None,
    hurdle_basis: HurdleBasis | str = HurdleBasis.PRE_TAX,
    tax_rate: float = 0.0,
    capital_maturity: npt.ArrayLike | None = None,
    extra: dict[str, FloatArray] | None = None,
) -> dict[str, FloatArray]:
    """Validate every input once and build the price terms (annual, per unit EAD).

    The risk weight is `risk_weight_override` where given and the IRB weight
    elsewhere; the expected loss `expected_loss_rate_override` where given and
    PD x LGD elsewhere (a NaN in an override keeps that row on the IRB terms). A
    defaulted row (PD = 1) on the IRB weight needs `el_best`: its capital is
    max(0, LGD - EL_best) and its expected loss EL_best (CRE31.3, CRE35.3).
    """
    inp, life = _irb_inputs(
        default_probability=default_probability,
        lgd=lgd,
        maturity=maturity,
        capital_maturity=capital_maturity,
        regime=regime,
        asset_class=asset_class,
        sales=sales,
        el_best=el_best,
    )
    arrays = {
        "default_probability": inp.default_probability,
        **_rates(
            funding_rate=funding_rate,
            operating_cost_rate=operating_cost_rate,
            hurdle_rate=hurdle_rate,
            risk_free_rate=risk_free_rate,
            upfront_fee=upfront_fee,
            annual_fee=annual_fee,
        ),
        **({} if life is None else {"maturity": life}),
        **(extra or {}),
        **validate_overrides(risk_weight_override, expected_loss_rate_override),
    }
    cr = float(
        as_float_array(
            capital_ratio, name="capital_ratio", lower=0.0, upper=1.0, allow_empty=False
        )[0]
    )
    aligned = dict(zip(arrays, align(**arrays), strict=True))  # checks lengths
    arrays["hurdle_rate"] = pre_tax_hurdle(
        arrays["hurdle_rate"], hurdle_basis=hurdle_basis, tax_rate=tax_rate
    )
    aligned["hurdle_rate"] = np.broadcast_to(
        arrays["hurdle_rate"], aligned["hurdle_rate"].shape
    )
    check_hurdle(aligned["hurdle_rate"], aligned["risk_free_rate"])
    require_el_best_for_irb_rows(inp, aligned.get("risk_weight"))
    rw = risk_weight_or_override(inp, regime, aligned.get("risk_weight"))
    # Compute on the unbroadcast arrays: a length-1 rate stays a scalar-like (1,)
    # operand instead of a full column.
    f = arrays["funding_rate"]
    c = arrays["operating_cost_rate"]
    upfront = arrays["upfront_fee"]
    capital = rw * cr
    el = expected_loss_or_override(inp, aligned.get("expected_loss_rate"))
    charge = capital * (arrays["hurdle_rate"] - arrays["risk_free_rate"])
    fees = (
        arrays["annual_fee"]
        if upfront.shape[0] == 1 and upfront[0] == 0.0
        else upfront / (inp.maturity if life is None else life) + arrays["annual_fee"]
    )
    n = next(iter(aligned.values())).shape[0]
    rate = np.empty(n)
    np.add(el, charge, out=rate)
    rate += f
    rate += c
    rate -= fees
    return {
        "funding_cost": np.broadcast_to(f, (n,)),
        "expected_loss": np.broadcast_to(el, (n,)),
        "operating_cost": np.broadcast_to(c, (n,)),
        "capital": np.broadcast_to(capital, (n,)),
        "capital_charge": np.broadcast_to(charge, (n,)),
        "fee_income": np.broadcast_to(fees, (n,)),
        "risk_weight": np.broadcast_to(rw, (n,)),
        "minimum_rate": rate,
        "hurdle_rate": np.broadcast_to(arrays["hurdle_rate"], (n,)),
        **{k: aligned[k] for k in (extra or {})},
    }
