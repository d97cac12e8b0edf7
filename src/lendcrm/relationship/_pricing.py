r"""What each relationship earns on its capital, and which facilities are underpriced.

Composes `lendcrm.risk.pricing.price_book` (EAD, expected loss, IRB capital and the
minimum rate of every facility in one validated pass) into per-client figures:

- **minimum margin**: the minimum rate computed with the funding cost taken *over the
  reference rate* (``funding_spread``), so it is directly a margin over the reference
  rate; the **rate gap** of a facility is its contractual margin minus that minimum
  (negative: priced below the hurdle); a client's gap is its weakest facility's;
- **relationship RAROC** over the live facilities, computed by
  `lendcrm.risk.pricing.relationship_raroc_by_code` (all rates over the reference rate):

$$RAROC_j = \frac{\sum_{i \in j}(rev_i - fund_i - EL_i - opex_i + r_f C_i)}
{\sum_{i \in j} C_i}$$

with $rev_i = m_i \cdot drawn_i + c_i \cdot undrawn_i + fee_i / T_i$ (margin,
commitment fee, arrangement fee over the tenor $T_i$), $fund_i$ = funding spread ×
drawn, $EL_i = PD \cdot LGD \cdot EAD$, $opex_i$ = operating cost rate × EAD and $C_i$
the capital; NaN for a client that consumes no capital.

A facility without its own PD takes its borrower's; without an LGD,
`RelationshipPricing.fallback_lgd` (``default_lgd``, or by default the foundation LGD
of a senior unsecured claim under the regime: 40 % on a non-financial corporate under
Basel III, 45 % under Basel II and on financial institutions and sovereigns,
CRE32.6); without a CCF, ``default_ccf``. A facility whose PD is unknown either way is left out.
A defaulted facility (PD = 1) is priced on the foundation reading: the view holds no
best estimate of expected loss, so EL_best = LGD, its expected loss is its LGD
(CRE35.3) and its capital max(0, LGD - EL_best) = 0 (CRE31.3), stated here rather
than left to a silent default.

Every facility is priced on the IRB weight and $PD \cdot LGD$: the view does not
slot. The facilities it reads carry no supervisory slotting category, so a
project-finance facility is priced like any other rated loan. To price slotted
facilities, call `lendcrm.risk.pricing.price_book` with the slotting weight and
slotting expected loss as ``risk_weight_override`` and
``expected_loss_rate_override`` (CRE33.2-33.12, CRE35.3).
"""

from __future__ import annotations

import attrs
import numpy as np

from lendcrm._arrays import (
    FloatArray,
    IntArray,
    as_float_array,
    check_same_length,
    numeric_array,
)
from lendcrm._dates import DAYS_PER_YEAR
from lendcrm._validators import (
    enum_member,
    fraction_in,
    instance_of,
    number_in,
    optional,
    require_instance,
    require_int,
)
from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import (
    BASEL_III,
    AssetClass,
    CapitalRegime,
    supervisory_lgd,
)
from lendcrm.risk.pricing import price_book, relationship_raroc_by_code

__all__ = ["RelationshipPrices", "RelationshipPricing", "price_relationships"]


def _asset_class(value: AssetClass | str) -> AssetClass:
    return enum_member(AssetClass, value, name="asset_class")


@attrs.frozen(kw_only=True)
class RelationshipPricing:
    """Pricing parameters of the relationship view (rates over the reference rate).

    Attributes:
        regime: Capital rules of the IRB risk weight.
        funding_spread: Funding cost over the reference rate, annual fraction.
        operating_cost_rate: Operating cost per unit of EAD per year.
        hurdle_rate: Required return on capital.
        risk_free_rate: Return the held capital earns.
        capital_ratio: Capital held per unit of RWA.
        default_lgd: LGD of facilities without one, in [0, 1]; `None` (the
            default) for the foundation LGD of a senior unsecured claim on
            `asset_class` under `regime` (`supervisory_lgd`, CRE32.6): 40 % on a
            non-financial corporate under Basel III, 45 % under Basel II and on
            banks, other financial institutions and sovereigns. Required for a
            retail `asset_class` (no foundation LGD for retail, CRE30.42).
        default_ccf: CCF of facilities without one (0.75, the foundation-approach
            CCF of committed lines under Basel II; under Basel III the foundation
            approach takes the standardised CCFs, CRE32.33 -> CRE20.94-20.101,
            which this default does not follow: set it, or give each facility its
            CCF).
        asset_class: IRB asset class of every facility.
        lifetime: Also price each client over its facilities' lives, from their
            repayment schedules (``lifetime_raroc`` and ``meets_lifetime_hurdle``
            beside the one-year figures; see
            `lendcrm.risk.pricing.lifetime_raroc`). Off by default: the view's
            columns are then those of the one-year build-up only.
        lifetime_discount_rate: Annual rate discounting each contract year of the
            lifetime figures, > -1; `None` (the default) for the hurdle rate.

    Examples:
        >>> from lendcrm.risk.capital import BASEL_II
        >>> RelationshipPricing().fallback_lgd
        0.4
        >>> RelationshipPricing(regime=BASEL_II).fallback_lgd
        0.45
        >>> RelationshipPricing(asset_class=AssetClass.BANK).fallback_lgd
        0.45
        >>> RelationshipPricing(default_lgd=0.35).fallback_lgd
        0.35
        >>> RelationshipPricing(hurdle_rate=0.01, risk_free_rate=0.03)
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `hurdle_rate` must be at least `risk_free_rate` (0.03); got 0.01.
    """

    regime: CapitalRegime = attrs.field(
        default=BASEL_III, validator=instance_of(CapitalRegime, what="a CapitalRegime")
    )
    funding_spread: float = attrs.field(default=0.004, validator=number_in(-1, 1))
    operating_cost_rate: float = attrs.field(default=0.003, validator=number_in(0, 1))
    hurdle_rate: float = attrs.field(default=0.12, validator=number_in(-1, 1))
    risk_free_rate: float = attrs.field(default=0.03, validator=number_in(-1, 1))
    capital_ratio: float = attrs.field(default=0.105, validator=fraction_in(0, 1))
    default_lgd: float | None = attrs.field(
        default=None, validator=optional(fraction_in(0, 1))
    )
    default_ccf: float = attrs.field(default=0.75, validator=fraction_in(0, 1))
    asset_class: AssetClass = attrs.field(
        default=AssetClass.CORPORATE, converter=_asset_class
    )
    lifetime: bool = attrs.field(
        default=False, validator=instance_of(bool, what="True or False")
    )
    lifetime_discount_rate: float | None = attrs.field(
        default=None, validator=optional(number_in(-1, 1, lower_open=True))
    )

    def __attrs_post_init__(self) -> None:
        """The hurdle cannot be below the risk-free rate; retail needs an LGD."""
        if self.hurdle_rate < self.risk_free_rate:
            raise InvalidValueError(
                field="hurdle_rate",
                value=self.hurdle_rate,
                expected=f"at least `risk_free_rate` ({self.risk_free_rate:g})",
            )
        if self.default_lgd is None:
            try:
                supervisory_lgd(self.asset_class, regime=self.regime)
            except InvalidValueError:
                raise InvalidValueError(
                    field="default_lgd",
                    value=None,
                    expected=f"an LGD in [0, 1] for the asset class "
                    f"{AssetClass(self.asset_class).value!r} (there is no "
                    f"foundation LGD for retail, CRE30.42)",
                ) from None

    @property
    def fallback_lgd(self) -> float:
        """LGD of a facility without one: `default_lgd`, or the foundation LGD.

        The foundation LGD is that of a senior unsecured claim on `asset_class`
        under `regime` (`supervisory_lgd`; CRE32.6).
        """
        if self.default_lgd is not None:
            return self.default_lgd
        return float(supervisory_lgd(self.asset_class, regime=self.regime)[0])


@attrs.frozen(kw_only=True, eq=False)
class RelationshipPrices:
    """Per-client pricing figures, shape ``(n,)`` each (reporting currency).

    Attributes:
        expected_loss: Sum of the facilities' expected loss.
        capital: Sum of the facilities' capital.
        raroc: Relationship RAROC; NaN without capital.
        eva: Income minus hurdle × capital.
        rate_gap: Weakest contractual margin minus minimum margin; NaN unpriced.
    """

    expected_loss: FloatArray
    capital: FloatArray
    raroc: FloatArray
    eva: FloatArray
    rate_gap: FloatArray


def _checked_columns(
    codes: object, **columns: object
) -> tuple[IntArray, list[FloatArray]]:
    """The facility columns as 1-d float arrays (NaN where documented) of one length."""
    code_array = numeric_array(codes, name="codes")  # type: ignore[arg-type]
    if code_array.ndim != 1 or code_array.dtype.kind not in "iu":
        raise InvalidValueError(
            field="codes",
            value=f"array of shape {code_array.shape} ({code_array.dtype})",
            expected="integer client codes",
        )
    arrays = {
        name: as_float_array(value, name=name, allow_nan=True)  # type: ignore[arg-type]
        for name, value in columns.items()
    }
    check_same_length(codes=code_array, **arrays)
    return code_array.astype(np.int64), list(arrays.values())


def price_relationships(
    *,
    codes: IntArray,
    n: int,
    drawn: FloatArray,
    limit: FloatArray,
    default_probability: FloatArray,
    lgd: FloatArray,
    ccf: FloatArray,
    tenor_days: FloatArray,
    margin: FloatArray,
    commitment_fee: FloatArray,
    arrangement_fee: FloatArray,
    params: RelationshipPricing,
) -> RelationshipPrices:
    """Price the live facilities of ``n`` clients and sum them per client.

    Args:
        codes: Client position of each facility, ``(m,)``.
        n: Number of clients.
        drawn: Drawn amounts, reporting currency, ``(m,)``.
        limit: Limits, reporting currency.
        default_probability: Facility PD (NaN: unknown, the facility is left out).
        lgd: LGD (NaN: `RelationshipPricing.fallback_lgd`).
        ccf: CCF (NaN: ``default_ccf``).
        tenor_days: Contractual life in days (> 0).
        margin: Contractual margin over the reference rate, annual fraction.
        commitment_fee: Commitment fee on the undrawn amount, annual fraction.
        arrangement_fee: One-off fee, reporting currency.
        params: Pricing parameters.

    Returns:
        `RelationshipPrices` per client.

    Raises:
        InvalidValueError: as `lendcrm.risk.pricing.price_book`.

    Examples:
        >>> p = price_relationships(codes=np.array([0, 0]), n=2,
        ...     drawn=np.array([8e6, 1e6]), limit=np.array([10e6, 1e6]),
        ...     default_probability=np.array([0.01, 0.01]),
        ...     lgd=np.array([0.45, np.nan]),
        ...     ccf=np.array([np.nan, 0.5]), tenor_days=np.array([1826.0, 1826.0]),
        ...     margin=np.array([0.02, 0.01]), commitment_fee=np.array([0.005, 0.0]),
        ...     arrangement_fee=np.array([0.0, 0.0]), params=RelationshipPricing())
        >>> p.raroc.round(4).tolist(), p.rate_gap.round(4).tolist()
        ([0.0786, nan], [-0.0114, nan])
    """
    n = require_int(n, name="n", lower=0)
    require_instance(
        params, RelationshipPricing, name="params", what="a RelationshipPricing"
    )
    codes, cols = _checked_columns(
        codes,
        drawn=drawn,
        limit=limit,
        default_probability=default_probability,
        lgd=lgd,
        ccf=ccf,
        tenor_days=tenor_days,
        margin=margin,
        commitment_fee=commitment_fee,
        arrangement_fee=arrangement_fee,
    )
    drawn, limit, default_probability, lgd, ccf = cols[:5]
    tenor_days, margin, commitment_fee, arrangement_fee = cols[5:]
    known = ~np.isnan(default_probability)
    c = codes[known]
    if c.size == 0:  # nothing to price: no capital, no income
        zero = np.zeros(n)
        nan = np.full(n, np.nan)
        return RelationshipPrices(
            expected_loss=zero, capital=zero, raroc=nan, eva=zero, rate_gap=nan
        )
    d, lim = drawn[known], limit[known]
    undrawn = np.maximum(lim - d, 0.0)
    lgd_k = np.where(np.isnan(lgd[known]), params.fallback_lgd, lgd[known])
    ccf_k = np.where(np.isnan(ccf[known]), params.default_ccf, ccf[known])
    tenor = tenor_days[known] / DAYS_PER_YEAR
    fee = arrangement_fee[known]
    with np.errstate(divide="ignore", invalid="ignore"):
        upfront = np.where(lim > 0, fee / np.where(lim > 0, lim, 1.0), 0.0)
    book = price_book(
        drawn=d,
        undrawn=undrawn,
        ccf=ccf_k,
        default_probability=default_probability[known],
        lgd=lgd_k,
        maturity=tenor,
        funding_rate=params.funding_spread,
        operating_cost_rate=params.operating_cost_rate,
        hurdle_rate=params.hurdle_rate,
        risk_free_rate=params.risk_free_rate,
        capital_ratio=params.capital_ratio,
        regime=params.regime,
        asset_class=params.asset_class,
        upfront_fee=upfront,
        el_best=lgd_k,  # defaulted rows: EL = LGD, no capital (CRE35.3, CRE31.3)
    )
    revenue = margin[known] * d + commitment_fee[known] * undrawn + fee / tenor
    rel = relationship_raroc_by_code(
        c,
        n_clients=n,
        revenue=revenue,
        funding_cost=params.funding_spread * d,
        expected_loss=book.expected_loss,
        operating_cost=params.operating_cost_rate * book.ead,
        capital=book.capital,
        risk_free_rate=params.risk_free_rate,
        hurdle_rate=params.hurdle_rate,
    )
    el = np.bincount(c, weights=book.expected_loss, minlength=n).astype(np.float64)
    gap = np.full(n, np.inf)
    np.minimum.at(gap, c, margin[known] - book.minimum_rate)
    gap[np.isinf(gap)] = np.nan
    return RelationshipPrices(
        expected_loss=el,
        capital=rel.capital,
        raroc=rel.raroc,
        eva=rel.eva,
        rate_gap=gap,
    )
