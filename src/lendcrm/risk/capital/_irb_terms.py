"""The terms of the IRB formula, computed on validated inputs.

`validate_irb_inputs` checks and broadcasts the arguments once into `IRBInputs`; the
terms (floored PD, supervisory correlation R, maturity factor, floored LGD and the
capital requirement K) and `irb_risk_weight` then work on those arrays in place where
they can. The public functions of `lendcrm.risk.capital` validate and call these; the
batch paths of `lendcrm.risk.pricing` call them directly to validate only once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import (
    BoolArray,
    FloatArray,
    IntArray,
    align,
    as_float_array,
    enum_codes,
)
from lendcrm.errors import InvalidValueError
from lendcrm.risk._vasicek import conditional_pd
from lendcrm.risk.capital._regimes import (
    FINANCIAL_INSTITUTION_CLASSES,
    RETAIL_CLASSES,
    AdvancedLGDPolicy,
    AssetClass,
    CapitalRegime,
    MaturityPolicy,
)

__all__ = [
    "IRBInputs",
    "advanced_lgd_restricted",
    "capital_k",
    "floored_lgd",
    "floored_pd",
    "irb_risk_weight",
    "maturity_factor",
    "require_el_best",
    "supervisory_correlation",
    "validate_irb_inputs",
]


def _broadcast(n: int, **arrays: FloatArray) -> dict[str, FloatArray]:
    """Broadcast to the common length ``n`` (see `align`)."""
    del n
    return dict(zip(arrays, align(**arrays), strict=True))


def _common_length(*arrays: npt.NDArray[np.generic]) -> int:
    return int(max(a.shape[0] for a in arrays))


@attrs.frozen(kw_only=True)
class IRBInputs:
    """Validated, broadcast inputs of the IRB functions (not part of the public API).

    Built by `validate_irb_inputs`; batch paths (`lendcrm.risk.pricing`) validate once
    and pass it to `irb_risk_weight`.
    """

    default_probability: FloatArray
    lgd: FloatArray
    maturity: FloatArray
    sales: FloatArray | None
    el_best: FloatArray | None
    classes: tuple[AssetClass, ...]
    codes: IntArray
    lgd_floor: FloatArray | None = None


def validate_irb_inputs(
    default_probability: npt.ArrayLike,
    lgd: npt.ArrayLike | None,
    *,
    asset_class: AssetClass | str | npt.ArrayLike,
    maturity: npt.ArrayLike,
    sales: npt.ArrayLike | None,
    el_best: npt.ArrayLike | None,
    regime: CapitalRegime,
    lgd_floor: npt.ArrayLike | None = None,
) -> IRBInputs:
    """Validate and broadcast the arguments of the IRB functions, naming bad ones.

    Raises:
        InvalidValueError: as `capital_requirement` (and a maturity above the cap
            under `MaturityPolicy.REFUSE`).
    """
    p = as_float_array(
        default_probability, name="default_probability", lower=0.0, upper=1.0
    )
    g = (
        np.zeros_like(p)
        if lgd is None
        else as_float_array(lgd, name="lgd", lower=0.0, upper=1.0)
    )
    m = as_float_array(maturity, name="maturity", lower=0.0, lower_open=True)
    if regime.maturity_policy is MaturityPolicy.REFUSE:
        too_long = m > regime.maturity_cap
        if too_long.any():
            i = int(np.argmax(too_long))
            raise InvalidValueError(
                field=f"maturity[{i}]",
                value=float(m[i]),
                expected=f"at most {regime.maturity_cap:g} years under {regime.name}",
                hint="Use a regime with maturity_policy=MaturityPolicy.CAP to cap it.",
            )
    s = None if sales is None else as_float_array(sales, name="sales", lower=0.0)
    e = (
        None
        if el_best is None
        else as_float_array(el_best, name="el_best", lower=0.0, upper=1.0)
    )
    f = (
        None
        if lgd_floor is None
        else as_float_array(lgd_floor, name="lgd_floor", lower=0.0, upper=1.0)
    )
    classes, codes = enum_codes(asset_class, AssetClass, name="asset_class")
    parts: dict[str, FloatArray] = {"default_probability": p, "lgd": g, "maturity": m}
    if s is not None:
        parts["sales"] = s
    if e is not None:
        parts["el_best"] = e
    if f is not None:
        parts["lgd_floor"] = f
    parts["asset_class"] = codes.astype(np.float64)
    n = _common_length(*parts.values())
    b = _broadcast(n, **parts)
    return IRBInputs(
        default_probability=b["default_probability"],
        lgd=b["lgd"],
        maturity=b["maturity"],
        sales=b.get("sales"),
        el_best=b.get("el_best"),
        classes=classes,
        codes=np.broadcast_to(codes, (n,)),
        lgd_floor=b.get("lgd_floor"),
    )


#: Corporate-class rows that take the SME firm-size adjustment when sales are given.
_SME_CLASSES: Final = frozenset({AssetClass.CORPORATE, AssetClass.OTHER_FINANCIAL})


def _by_class(
    inp: IRBInputs, value: Callable[[AssetClass], FloatArray | float]
) -> FloatArray:
    """Evaluate `value` per asset class and place each result on that class's rows.

    A book of one class (the common case) costs one evaluation and no gather.
    """
    n = inp.default_probability.shape[0]
    if len(inp.classes) == 1:
        v = value(inp.classes[0])
        return v if isinstance(v, np.ndarray) else np.full(n, v)
    out = np.empty(n)
    for j, cls in enumerate(inp.classes):  # one step per distinct class, not per row
        rows = inp.codes == j
        v = value(cls)
        out[rows] = v[rows] if isinstance(v, np.ndarray) else v
    return out


def _pd_floor(cls: AssetClass, regime: CapitalRegime) -> float:
    if cls is AssetClass.QUALIFYING_REVOLVING:  # QRRE revolvers (CRE32.58)
        return regime.default_probability_floor_qrre_revolver
    if cls in RETAIL_CLASSES:
        return regime.default_probability_floor_retail
    if cls is AssetClass.SOVEREIGN:
        return regime.default_probability_floor_sovereign
    return regime.default_probability_floor


def floored_pd(inp: IRBInputs, regime: CapitalRegime) -> FloatArray:
    """PD after the regime's floor for each row's asset class (a new array)."""
    if len(inp.classes) == 1:
        out: FloatArray = np.maximum(
            inp.default_probability, _pd_floor(inp.classes[0], regime)
        )
        return out
    floor = _by_class(inp, lambda c: _pd_floor(c, regime))
    np.maximum(floor, inp.default_probability, out=floor)
    return floor


def supervisory_correlation(
    pd_: FloatArray, inp: IRBInputs, regime: CapitalRegime
) -> FloatArray:
    """Asset correlation R of each row at PD `pd_` (§§272-273, 328-330; CRE31.5-31.16)."""
    cache: dict[str, FloatArray] = {}

    def wholesale() -> FloatArray:
        # Corporate, sovereign and bank (§272; CRE31.5):
        # R = 0.12 w + 0.24 (1 - w), w = (1 - e^{-50 PD}) / (1 - e^{-50})
        if "w" not in cache:
            r = pd_ * -50.0
            np.expm1(r, out=r)
            r *= -0.12 / np.expm1(-50.0)
            r += 0.24
            cache["w"] = r
        return cache["w"]

    def value(cls: AssetClass) -> FloatArray | float:
        if cls is AssetClass.RESIDENTIAL_MORTGAGE:
            return 0.15  # §328
        if cls in {AssetClass.QUALIFYING_REVOLVING, AssetClass.QRRE_TRANSACTOR}:
            return 0.04  # §329
        if cls is AssetClass.OTHER_RETAIL:
            # §330: R = 0.03 w + 0.16 (1 - w), w = (1 - e^{-35 PD}) / (1 - e^{-35})
            w35 = np.expm1(-35.0 * pd_) / np.expm1(-35.0)
            out: FloatArray = 0.16 - 0.13 * w35
            return out
        r = wholesale()
        if cls is AssetClass.LARGE_FINANCIAL:
            return r * regime.large_financial_multiplier
        if cls in _SME_CLASSES and inp.sales is not None:
            # Firm-size adjustment (§273; CRE31.8): - 0.04 (1 - (S - 5) / 45), S in
            # [5, 50].
            s = np.maximum(inp.sales, 5.0)
            np.minimum(s, 50.0, out=s)
            s -= 5.0
            s *= 0.04 / 45.0
            s -= 0.04
            s += r
            return s
        return r

    return _by_class(inp, value)


def maturity_factor(
    pd_: FloatArray, inp: IRBInputs, regime: CapitalRegime
) -> FloatArray:
    """Maturity adjustment at PD `pd_` (> 0), 1.0 on retail rows (§272)."""
    if all(c in RETAIL_CLASSES for c in inp.classes):
        return np.ones(inp.default_probability.shape[0])
    # b = (0.11852 - 0.05478 ln PD)^2; MA = (1 + (M - 2.5) b) / (1 - 1.5 b) (§272).
    ma: FloatArray = np.maximum(inp.maturity, regime.maturity_floor)
    np.minimum(ma, regime.maturity_cap, out=ma)
    b = np.log(pd_)
    b *= -0.05478
    b += 0.11852
    b *= b
    ma -= 2.5
    ma *= b
    ma += 1.0
    b *= -1.5
    b += 1.0
    ma /= b
    return _by_class(inp, lambda c: 1.0 if c in RETAIL_CLASSES else ma)


def advanced_lgd_restricted(inp: IRBInputs, regime: CapitalRegime) -> BoolArray:
    """Rows whose own LGD estimate the regime does not allow (CRE30.34).

    Banks and other financial institutions when the regime excludes them
    (CRE30.34(2)); corporate rows whose `sales` (the group's consolidated annual
    revenue, EUR m) exceed the regime's limit (CRE30.34(1)).
    """
    n = inp.default_probability.shape[0]
    out: BoolArray = np.zeros(n, dtype=np.bool_)
    if not regime.advanced_lgd_for_financials:
        out |= _by_class(inp, lambda c: float(c in FINANCIAL_INSTITUTION_CLASSES)) > 0
    limit = regime.advanced_lgd_revenue_limit
    if limit is not None and inp.sales is not None:
        corporate = _by_class(inp, lambda c: float(c in _SME_CLASSES)) > 0
        out |= corporate & (inp.sales > limit)
    return out


def _refuse_advanced_lgd(
    inp: IRBInputs, regime: CapitalRegime, restricted: BoolArray
) -> None:
    i = int(np.argmax(restricted))
    cls = inp.classes[int(inp.codes[i])]
    if cls in FINANCIAL_INSTITUTION_CLASSES and not regime.advanced_lgd_for_financials:
        why = (
            f"own LGD estimates are not allowed for exposures to banks and other "
            f"financial institutions ({cls.value}) under {regime.name}, CRE30.34(2)"
        )
    else:
        sales = float(inp.sales[i]) if inp.sales is not None else float("nan")
        why = (
            f"own LGD estimates are not allowed for corporates with consolidated "
            f"revenue above EUR {regime.advanced_lgd_revenue_limit:g} m (sales[{i}] "
            f"= {sales:g}) under {regime.name}, CRE30.34(1)"
        )
    raise InvalidValueError(
        field=f"lgd[{i}]",
        value=float(inp.lgd[i]),
        expected=f"a foundation LGD with apply_lgd_floor=False: {why}",
        hint="Pass supervisory_lgd(...) or foundation_lgd(...), or use a regime "
        "with advanced_lgd_policy=AdvancedLGDPolicy.FOUNDATION.",
    )


def floored_lgd(
    inp: IRBInputs, regime: CapitalRegime, *, apply_lgd_floor: bool
) -> FloatArray:
    """LGD used: as given, or, for own estimates (`apply_lgd_floor`), restricted and floored.

    Own estimates the regime forbids (`advanced_lgd_restricted`) are replaced by the
    senior unsecured foundation LGD (CRE32.6; `AdvancedLGDPolicy.FOUNDATION`), which
    takes no A-IRB floor, or refused (`REFUSE`); the others take the A-IRB floor: the
    given `lgd_floor` (by collateral, `airb_lgd_floor`) or the regime's unsecured floor
    of the class.
    """
    if not apply_lgd_floor:
        if inp.lgd_floor is not None:
            raise InvalidValueError(
                field="lgd_floor",
                value=float(inp.lgd_floor[0]),
                expected="None unless apply_lgd_floor=True (A-IRB floors apply to "
                "own LGD estimates only)",
            )
        return inp.lgd
    lgd = inp.lgd
    restricted = advanced_lgd_restricted(inp, regime)
    any_restricted = bool(restricted.any())
    if any_restricted:
        if regime.advanced_lgd_policy is AdvancedLGDPolicy.REFUSE:
            _refuse_advanced_lgd(inp, regime, restricted)
        foundation = _by_class(inp, regime.senior_foundation_lgd)
        lgd = np.where(restricted, foundation, lgd)
    if inp.lgd_floor is not None:
        floors = inp.lgd_floor.copy()
    elif regime.lgd_floors:
        floors = _by_class(inp, lambda c: regime.lgd_floors.get(c, 0.0))
    else:
        return lgd
    if any_restricted:
        floors[restricted] = 0.0
    out: FloatArray = np.maximum(lgd, floors)
    return out


def require_el_best(inp: IRBInputs) -> None:
    """Refuse a defaulted row (PD = 1) without a best estimate of expected loss.

    The capital of a defaulted exposure is max(0, LGD - EL_best) (CRE31.3); without
    EL_best it would be silently zero. The public functions call this; the fused
    pricing path (`irb_risk_weight`) does not, and keeps EL_best = LGD, consistent
    with its expected loss PD x LGD = LGD at PD = 1.
    """
    if inp.el_best is not None:
        return
    defaulted = inp.default_probability >= 1.0
    if defaulted.any():
        i = int(np.argmax(defaulted))
        raise InvalidValueError(
            field="el_best",
            value=None,
            expected=f"a best estimate of expected loss for the defaulted exposure "
            f"default_probability[{i}] = 1 (capital K = max(0, LGD - EL_best), "
            f"CRE31.3)",
            hint="Pass el_best=lgd for a foundation-approach exposure (K = 0: its "
            "loss is expected loss, CRE35.3), or the bank's best estimate (CRE36.86).",
        )


def capital_k(
    inp: IRBInputs, regime: CapitalRegime, *, apply_lgd_floor: bool
) -> FloatArray:
    """Capital requirement K per unit of EAD (see `capital_requirement`), a new array."""
    from scipy.special import ndtri  # noqa: PLC0415 - scipy loads when used (#20)

    lgd = floored_lgd(inp, regime, apply_lgd_floor=apply_lgd_floor)
    floored = floored_pd(inp, regime)
    # PD = 0 (possible only without a floor, e.g. sovereigns under Basel III) carries
    # no capital; PD = 1 is the defaulted case below. Both would make G(PD) infinite,
    # so they are computed at a placeholder PD and overwritten.
    defaulted = inp.default_probability >= 1.0
    zero = floored <= 0.0
    special = defaulted | zero
    any_special = bool(special.any())
    pd_ = np.where(special, 0.5, floored) if any_special else floored
    r = supervisory_correlation(pd_, inp, regime)
    worst = -float(ndtri(regime.confidence))  # the factor's 99.9 % bad-year quantile
    k = conditional_pd(pd_, systematic_factor=worst, rho=r)
    k -= pd_
    k *= lgd
    k *= maturity_factor(pd_, inp, regime)
    # K is non-negative; tiny PDs can round to -1e-37.
    np.maximum(k, 0.0, out=k)
    if any_special:
        k[zero & ~defaulted] = 0.0
        if defaulted.any():
            # Defaulted exposures: K = max(0, LGD - EL_best) (§272, §328; CRE31.3).
            # Without a best estimate (only the pricing path: public functions refuse,
            # `require_el_best`), EL_best = LGD (the foundation reading, CRE35.3).
            el_best = lgd if inp.el_best is None else inp.el_best
            k = np.where(defaulted, np.maximum(0.0, lgd - el_best), k)
    return k


def irb_risk_weight(
    inp: IRBInputs, regime: CapitalRegime, *, apply_lgd_floor: bool
) -> FloatArray:
    """Risk weight of already validated inputs (for fused batch paths)."""
    k = capital_k(inp, regime, apply_lgd_floor=apply_lgd_floor)
    k *= 12.5 * regime.scaling_factor
    return k
