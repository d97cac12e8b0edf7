r"""Price and RAROC over a loan's life, year by year and in present value.

The one-year build-up of `minimum_rate` assumes a fully drawn facility of constant
size. Over its life an amortising loan shrinks and a revolver is drawn along its
expected utilisation, so `lifetime_raroc` takes the schedule
(`lendcrm.risk.schedules`) and measures each contract year $y$ of each facility on
the balance actually outstanding:

- contract year $y$: the periods that start in the $y$-th year after the start date;
- drawn balance-years $D_y = \sum_{k \in y} O_k \alpha_k$ and undrawn ones
  $U_y = \sum_{k \in y} (L - O_k)\alpha_k$ for a revolver (0 for a term loan),
  exposure $E_y = D_y + CCF \cdot U_y$;
- revenue = the schedule's interest and commitment fees of the year plus the
  upfront fee recognised straight-line over the **weighted average life** $W$
  (not the tenor): $u \cdot |[y-1, y] \cap [0, W']| / W'$ with
  $W' = \min(W, Y)$, $Y$ the facility's own number of contract years — a WAL in
  day-count years (a revolver's tenor at ACT/360) can run a few days past the
  last contract year, and the whole fee is still recognised within the life,
  whatever the longest facility of the book;
- funding $f D_y$, expected loss $PD \cdot LGD \cdot E_y$, operating cost
  $c\,E_y$, capital $RW \cdot \kappa \cdot E_y$ with the IRB risk weight at
  $M = W$ (floored and capped by the regime);
- $RAROC_y$ = `raroc` of the year's figures, and the lifetime figure
  $RAROC_{PV} = \sum_y v^y (\text{revenue} - \text{funding} - EL - \text{opex} +
  r_f C)_y / \sum_y v^y C_y$ with $v = 1/(1+d)$, compared with the (pre-tax)
  hurdle.

The margin that earns the hurdle over the life is the current one plus
`margin_change`, $(h \cdot PV(C) - PV(\text{numerator})) / PV(D)$, since each unit of
margin earns one unit per drawn balance-year. Every amount is at the bank's share
of a syndicated facility (`bank_share`); rates and RAROC do not depend on it.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray, FloatArray, align_to, as_float_array
from lendcrm._dates import whole_months
from lendcrm._loan_terms import Amortisation
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.risk.capital import AssetClass, CapitalRegime, risk_weight
from lendcrm.risk.pricing._raroc import HurdleBasis, check_hurdle, pre_tax_hurdle, raroc
from lendcrm.risk.schedules import Schedule, weighted_average_life

__all__ = ["LifetimeRaroc", "lifetime_raroc"]

_REVOLVER = tuple(Amortisation).index(Amortisation.REVOLVER)  # its kind code


@attrs.frozen(kw_only=True, eq=False)
class LifetimeRaroc:
    r"""A book's price and RAROC over each facility's life.

    Per-year arrays are ``(n, Y)`` (facility, contract year 1..Y), amounts at the
    bank's share in the facility's currency; present values are ``(n,)``.

    Attributes:
        drawn: Drawn balance-years $D_y$.
        exposure: Exposure balance-years $E_y = D_y + CCF \cdot U_y$.
        revenue: Interest, commitment fees and the upfront fee over the WAL.
        funding_cost: Funding rate × drawn.
        expected_loss: PD × LGD × exposure.
        operating_cost: Operating cost rate × exposure.
        capital: Risk weight × capital ratio × exposure.
        raroc: RAROC of each year (NaN where no capital is held).
        weighted_average_life: WAL in years, over which the upfront fee is spread.
        pv_revenue: Present value of the revenue.
        pv_capital: Present value of the capital-years.
        pv_income: Present value of the risk-adjusted income (revenue - funding
            - EL - opex + $r_f C$), the lifetime RAROC's numerator: summed with
            `pv_capital` over a client's facilities it gives the relationship's
            lifetime RAROC.
        lifetime_raroc: PV RAROC over the life.
        hurdle_rate: The pre-tax hurdle.
        meets_hurdle: Whether the lifetime RAROC reaches the hurdle.
        margin_change: Margin to add (negative: room to cut) for the lifetime RAROC
            to equal the hurdle, annual fraction.
    """

    drawn: FloatArray
    exposure: FloatArray
    revenue: FloatArray
    funding_cost: FloatArray
    expected_loss: FloatArray
    operating_cost: FloatArray
    capital: FloatArray
    raroc: FloatArray
    weighted_average_life: FloatArray
    pv_revenue: FloatArray
    pv_capital: FloatArray
    pv_income: FloatArray
    lifetime_raroc: FloatArray
    hurdle_rate: FloatArray
    meets_hurdle: BoolArray
    margin_change: FloatArray


def _by_year(values: FloatArray, year: npt.NDArray[np.int64], years: int) -> FloatArray:
    """Sum ``(n, T)`` period values into ``(n, years)`` contract years."""
    n = values.shape[0]
    index = (np.arange(n)[:, None] * years + year).ravel()
    sums = np.bincount(index, weights=values.ravel(), minlength=n * years)
    out: FloatArray = sums.astype(np.float64).reshape(n, years)
    return out


def _contract_years(schedule: Schedule) -> tuple[npt.NDArray[np.int64], int]:
    """Contract year (0-based) of each period's start, and the number of years."""
    start = schedule.start.astype(np.int64)
    dates = schedule.dates.astype(np.int64)
    begins = np.concatenate([start[:, None], dates[:, :-1]], axis=1)
    begins = np.where(schedule.mask, begins, start[:, None])
    year = whole_months(start[:, None], begins) // 12
    return year, int(year.max(initial=0)) + 1


def _fee_over_wal(
    upfront: FloatArray, wal: FloatArray, year: npt.NDArray[np.int64], years: int
) -> FloatArray:
    """The upfront fee recognised straight-line over the WAL, per contract year.

    The WAL is capped at the facility's own contract years (``year``'s row maximum
    + 1), so a row's figures do not depend on the other rows of the book.
    """
    y = np.arange(years, dtype=np.float64)
    horizon = np.minimum(wal, year.max(axis=1, initial=0) + 1.0)
    overlap = np.clip(horizon[:, None] - y[None, :], 0.0, 1.0)
    share = np.divide(
        overlap,
        horizon[:, None],
        out=np.zeros_like(overlap),
        where=horizon[:, None] > 0,
    )
    out: FloatArray = upfront[:, None] * share
    return out


def _discount(
    discount_rate: npt.ArrayLike, schedule: Schedule, n: int, years: int
) -> FloatArray:
    d = as_float_array(discount_rate, name="discount_rate", allow_nan=True)
    (d,) = align_to(n, "facility", discount_rate=d)
    bad = ~(d > -1.0) | ~np.isfinite(d)
    if bad.any():
        i = int(np.argmax(bad))
        ids = schedule.facility_ids
        field = "discount_rate" if ids is None else f"facility {ids[i]!r} discount_rate"
        raise InvalidValueError(
            field=field, value=float(d[i]), expected="a finite rate > -1"
        )
    out: FloatArray = np.exp(
        -np.log1p(d)[:, None] * np.arange(1, years + 1, dtype=np.float64)[None, :]
    )
    return out


def lifetime_raroc(
    schedule: Schedule,
    *,
    default_probability: npt.ArrayLike,
    lgd: npt.ArrayLike,
    funding_rate: npt.ArrayLike,
    operating_cost_rate: npt.ArrayLike,
    hurdle_rate: npt.ArrayLike,
    risk_free_rate: npt.ArrayLike,
    capital_ratio: float,
    regime: CapitalRegime,
    discount_rate: npt.ArrayLike,
    ccf: npt.ArrayLike = 0.0,
    bank_share: npt.ArrayLike = 1.0,
    asset_class: AssetClass | str | npt.ArrayLike = AssetClass.CORPORATE,
    hurdle_basis: HurdleBasis | str = HurdleBasis.PRE_TAX,
    tax_rate: float = 0.0,
) -> LifetimeRaroc:
    """Price and RAROC of each facility over its life, per year and in present value.

    Args:
        schedule: The book's schedules (`lendcrm.risk.schedules`).
        default_probability: One-year PD, in [0, 1), one or ``(n,)``.
        lgd: Loss given default, in [0, 1].
        funding_rate: Funds-transfer price on the drawn balance, annual fraction.
        operating_cost_rate: Operating cost per unit of exposure a year, >= 0.
        hurdle_rate: Required return on capital (pre-tax unless `hurdle_basis`).
        risk_free_rate: Return the held capital earns.
        capital_ratio: Capital per unit of RWA, in [0, 1].
        regime: The capital rules of the IRB risk weight.
        discount_rate: Annual rate discounting each contract year's figures, > -1
            (e.g. the funding rate or the hurdle), one or ``(n,)``.
        ccf: Credit conversion factor of a revolver's undrawn limit, in [0, 1].
        bank_share: The bank's share of each facility, in (0, 1]
            (`lendcrm.Facility.bank_share`); 1 for a bilateral loan.
        asset_class: IRB asset class(es).
        hurdle_basis: `"pre_tax"` or `"post_tax"` (see `pre_tax_hurdle`).
        tax_rate: Tax rate of a post-tax hurdle.

    Returns:
        A `LifetimeRaroc`.

    Raises:
        InvalidValueError: a discount rate <= -1 (naming the facility), or as
            `risk_weight`, `raroc` and `pre_tax_hurdle`.

    Examples:
        A 5-year annual annuity of 1,000,000 at 6 % (30/360) with a 1 % upfront fee:

        >>> from lendcrm.risk.capital import BASEL_III
        >>> from lendcrm.risk.schedules import repayment_schedules
        >>> s = repayment_schedules(principal=1e6, start="2026-01-01",
        ...     maturity="2031-01-01", amortisation="annuity", rate=0.06,
        ...     payments_per_year=1, day_count="30/360", upfront_fee=10_000.0)
        >>> r = lifetime_raroc(s, default_probability=0.01, lgd=0.45,
        ...     funding_rate=0.03, operating_cost_rate=0.004, hurdle_rate=0.12,
        ...     risk_free_rate=0.03, capital_ratio=0.10, regime=BASEL_III,
        ...     discount_rate=0.03)
        >>> r.drawn.round(0).tolist()
        [[1000000.0, 822604.0, 634563.0, 435241.0, 223959.0]]
        >>> r.weighted_average_life.round(4).tolist(), bool(r.meets_hurdle[0])
        ([3.1164], True)
    """
    require_instance(schedule, Schedule, name="schedule", what="a Schedule")
    n = schedule.balance.shape[0]
    pd_, lgd_, f, c, h, rf, ccf_a, share, cap = (
        np.broadcast_to(a, (n,))
        for a in align_to(
            n,
            "facility",
            default_probability=as_float_array(
                default_probability,
                name="default_probability",
                lower=0.0,
                upper=1.0,
                upper_open=True,
            ),
            lgd=as_float_array(lgd, name="lgd", lower=0.0, upper=1.0),
            funding_rate=as_float_array(
                funding_rate, name="funding_rate", lower=-1.0, upper=1.0
            ),
            operating_cost_rate=as_float_array(
                operating_cost_rate, name="operating_cost_rate", lower=0.0
            ),
            hurdle_rate=as_float_array(hurdle_rate, name="hurdle_rate", lower=-1.0),
            risk_free_rate=as_float_array(
                risk_free_rate, name="risk_free_rate", lower=-1.0, upper=1.0
            ),
            ccf=as_float_array(ccf, name="ccf", lower=0.0, upper=1.0),
            bank_share=as_float_array(
                bank_share, name="bank_share", lower=0.0, upper=1.0, lower_open=True
            ),
            capital_ratio=as_float_array(
                capital_ratio, name="capital_ratio", lower=0.0, upper=1.0
            ),
        )
    )
    h = np.broadcast_to(
        pre_tax_hurdle(h, hurdle_basis=hurdle_basis, tax_rate=tax_rate), (n,)
    )
    check_hurdle(h, rf)
    wal = weighted_average_life(schedule)
    rw = np.broadcast_to(
        risk_weight(
            pd_,
            lgd_,
            regime=regime,
            asset_class=asset_class,
            maturity=np.maximum(wal, 1e-9),
        ),
        (n,),
    )
    year, years = _contract_years(schedule)
    revolver = (schedule.kind == _REVOLVER)[:, None]
    undrawn_t = np.where(
        revolver, (schedule.limit[:, None] - schedule.balance) * schedule.accrual, 0.0
    )
    drawn = _by_year(schedule.balance * schedule.accrual, year, years) * share[:, None]
    undrawn = _by_year(undrawn_t, year, years) * share[:, None]
    income = _by_year(schedule.interest + schedule.fees, year, years)
    revenue = (income + _fee_over_wal(schedule.upfront_fee, wal, year, years)) * share[
        :, None
    ]
    exposure = drawn + ccf_a[:, None] * undrawn
    figures = {
        "revenue": revenue,
        "funding_cost": f[:, None] * drawn,
        "expected_loss": (pd_ * lgd_)[:, None] * exposure,
        "operating_cost": c[:, None] * exposure,
        "capital": (rw * cap)[:, None] * exposure,
    }
    return _result(
        figures=figures,
        drawn=drawn,
        exposure=exposure,
        wal=wal,
        rf=rf,
        hurdle=h,
        df=_discount(discount_rate, schedule, n, years),
    )


def _result(
    *,
    figures: dict[str, FloatArray],
    drawn: FloatArray,
    exposure: FloatArray,
    wal: FloatArray,
    rf: FloatArray,
    hurdle: FloatArray,
    df: FloatArray,
) -> LifetimeRaroc:
    """Per-year RAROC, present values, the lifetime RAROC and the margin change."""
    cap = figures["capital"]
    held = cap > 0
    rf2 = np.broadcast_to(rf[:, None], cap.shape)
    per_year = np.full(cap.shape, np.nan)
    if held.any():
        per_year[held] = raroc(
            revenue=figures["revenue"][held],
            funding_cost=figures["funding_cost"][held],
            expected_loss=figures["expected_loss"][held],
            operating_cost=figures["operating_cost"][held],
            capital=cap[held],
            risk_free_rate=rf2[held],
        )
    numerator = (
        figures["revenue"]
        - figures["funding_cost"]
        - figures["expected_loss"]
        - figures["operating_cost"]
        + rf2 * cap
    )
    pv_num = (numerator * df).sum(axis=1)
    pv_cap = (cap * df).sum(axis=1)
    pv_drawn = (drawn * df).sum(axis=1)
    life = np.divide(pv_num, pv_cap, out=np.full_like(pv_num, np.nan), where=pv_cap > 0)
    gap = hurdle * pv_cap - pv_num
    return LifetimeRaroc(
        drawn=drawn,
        exposure=exposure,
        revenue=figures["revenue"],
        funding_cost=figures["funding_cost"],
        expected_loss=figures["expected_loss"],
        operating_cost=figures["operating_cost"],
        capital=cap,
        raroc=per_year,
        weighted_average_life=wal,
        pv_revenue=(figures["revenue"] * df).sum(axis=1),
        pv_capital=pv_cap,
        pv_income=pv_num,
        lifetime_raroc=life,
        hurdle_rate=np.asarray(hurdle, dtype=np.float64),
        meets_hurdle=life >= hurdle,
        margin_change=np.divide(
            gap, pv_drawn, out=np.full_like(gap, np.nan), where=pv_drawn > 0
        ),
    )
