r"""Limits: what a cash flow can carry, a single-name cap, and the binding constraint.

A limit proposal is the smallest of three amounts, and the proposal names which one
binds:

* **policy**: the requested limit times the credit policy's multiplier for the cycle
  state (`lendcrm.risk.pricing.CreditPolicy`); zero if the rating is not eligible;
* **debt capacity**: the debt a cash flow available for debt service (CFADS) supports
  at a minimum debt-service cover ratio (DSCR) over the tenor, with level annual debt
  service:
  $$D = \frac{CFADS}{DSCR_{min}} \cdot \frac{1 - (1+r)^{-n}}{r}$$
  ($D = n \cdot CFADS / DSCR_{min}$ when $r = 0$);
* **single-name headroom**: a share of the bank's capital (the Basel large-exposures
  limit is 25 % of Tier 1, LEX20.1) less what the group already owes.

Ties go to the first in that order (policy, debt capacity, single name).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, align, as_float_array, refuse_overflow
from lendcrm._validators import require_instance
from lendcrm.risk.portfolio import CycleState
from lendcrm.risk.pricing._policy import CreditPolicy

__all__ = [
    "LimitConstraint",
    "LimitProposal",
    "LimitProposals",
    "annuity_debt_capacity",
    "propose_limit",
    "propose_limits",
    "single_name_headroom",
]


class LimitConstraint(StrEnum):
    """The constraint that sets a proposed limit.

    Examples:
        >>> LimitConstraint.DEBT_CAPACITY.value
        'debt_capacity'
    """

    POLICY = "policy"
    DEBT_CAPACITY = "debt_capacity"
    SINGLE_NAME = "single_name"
    RATING = "rating"


#: Rates closer to zero than this use the zero-rate annuity (n years).
_ZERO_RATE: Final = 1e-12

_NAMES: Final = np.array(
    [
        LimitConstraint.POLICY.value,
        LimitConstraint.DEBT_CAPACITY.value,
        LimitConstraint.SINGLE_NAME.value,
    ]
)


def annuity_debt_capacity(
    cash_flow: npt.ArrayLike,
    *,
    rate: npt.ArrayLike,
    tenor_years: npt.ArrayLike,
    min_dscr: npt.ArrayLike,
) -> FloatArray:
    r"""Largest debt an annual cash flow services at the minimum DSCR.

    Args:
        cash_flow: CFADS per year, >= 0 (a negative cash flow supports no debt:
            pass 0).
        rate: Annual interest rate of the debt, fraction in (-1, 1].
        tenor_years: Repayment period in years, > 0.
        min_dscr: Minimum debt-service cover ratio, > 0 (e.g. 1.25).

    Returns:
        Float64 array `(n,)` of debt amounts in the currency of `cash_flow`;
        increasing in cash flow and tenor, decreasing in rate and DSCR.

    Raises:
        InvalidValueError: a negative or non-finite value, a tenor or DSCR <= 0,
            arrays of different lengths, or a capacity that overflows a float.

    Examples:
        >>> annuity_debt_capacity([10.0, 10.0], rate=[0.05, 0.0], tenor_years=10, min_dscr=1.25).round(4)
        array([61.7739, 80.    ])
    """
    cf, r, n, d = align(
        cash_flow=as_float_array(cash_flow, name="cash_flow", lower=0.0),
        rate=as_float_array(rate, name="rate", lower=-1.0, upper=1.0, lower_open=True),
        tenor_years=as_float_array(
            tenor_years, name="tenor_years", lower=0.0, lower_open=True
        ),
        min_dscr=as_float_array(min_dscr, name="min_dscr", lower=0.0, lower_open=True),
    )
    small = np.abs(r) < _ZERO_RATE
    safe = np.where(small, 1.0, r)
    annuity = np.where(small, n, -np.expm1(-n * np.log1p(safe)) / safe)
    with np.errstate(over="ignore"):  # an overflow is refused below
        capacity = cf / d * annuity
    return refuse_overflow(
        capacity, name="debt_capacity", inputs="cash_flow or tenor_years"
    )


def single_name_headroom(
    capital: npt.ArrayLike,
    *,
    share: npt.ArrayLike,
    existing_exposure: npt.ArrayLike = 0.0,
) -> FloatArray:
    """Room left under a single-name cap: `max(0, share × capital − existing)`.

    Args:
        capital: The bank's eligible capital (e.g. Tier 1), >= 0.
        share: Cap as a share of capital, in [0, 1] (0.25 under LEX20.1).
        existing_exposure: What the client (or its group) already owes, >= 0.

    Returns:
        Float64 array `(n,)` of headroom >= 0.

    Raises:
        InvalidValueError: a negative or non-finite amount, a share outside [0, 1] or
            arrays of different lengths.

    Examples:
        >>> single_name_headroom(1_000.0, share=0.25, existing_exposure=[100.0, 300.0])
        array([150.,   0.])
    """
    c, s, x = align(
        capital=as_float_array(capital, name="capital", lower=0.0),
        share=as_float_array(share, name="share", lower=0.0, upper=1.0),
        existing_exposure=as_float_array(
            existing_exposure, name="existing_exposure", lower=0.0
        ),
    )
    out: FloatArray = np.maximum(0.0, s * c - x)
    return out


@attrs.frozen(kw_only=True)
class LimitProposals:
    """Proposed limits for a book, with every candidate and the binding one.

    Attributes:
        limit: Proposed limit, float64 `(n,)`.
        binding: The `LimitConstraint` value that sets each limit, `(n,)`.
        policy_limit: Requested × policy multiplier (0 if the rating is ineligible).
        debt_capacity: Debt the cash flow supports.
        single_name_headroom: Room under the single-name cap.
    """

    limit: FloatArray
    binding: npt.NDArray[np.str_]
    policy_limit: FloatArray
    debt_capacity: FloatArray
    single_name_headroom: FloatArray


@attrs.frozen(kw_only=True)
class LimitProposal:
    """A proposed limit for one facility or client.

    Attributes:
        limit: Proposed limit.
        binding: The constraint that sets it.
        policy_limit: Requested × policy multiplier (0 if ineligible).
        debt_capacity: Debt the cash flow supports.
        single_name_headroom: Room under the single-name cap.
    """

    limit: float
    binding: LimitConstraint
    policy_limit: float
    debt_capacity: float
    single_name_headroom: float


def propose_limits(
    *,
    requested: npt.ArrayLike,
    ratings: npt.ArrayLike,
    cash_flow: npt.ArrayLike,
    rate: npt.ArrayLike,
    tenor_years: npt.ArrayLike,
    min_dscr: npt.ArrayLike,
    capital: float,
    single_name_share: float,
    existing_exposure: npt.ArrayLike = 0.0,
    policy: CreditPolicy,
    state: CycleState | str,
) -> LimitProposals:
    """Propose limits for a book: the least of policy, debt capacity and name cap.

    Args:
        requested: Requested limits, >= 0.
        ratings: Rating grades, integers >= 1 (1 = best).
        cash_flow: CFADS per year, >= 0.
        rate: Interest rate of the debt.
        tenor_years: Repayment period in years, > 0.
        min_dscr: Minimum DSCR, > 0.
        capital: The bank's eligible capital.
        single_name_share: Single-name cap as a share of capital, in [0, 1].
        existing_exposure: What each client already owes, >= 0.
        policy: The credit policy.
        state: The cycle state whose policy terms apply.

    Returns:
        `LimitProposals` with arrays of shape `(n,)`; `binding` is `rating` where the
        rating is not eligible for new lending.

    Raises:
        InvalidValueError: as `annuity_debt_capacity`, `single_name_headroom` and
            `CreditPolicy.apply`.

    Examples:
        >>> from lendcrm.risk.pricing import COUNTER_CYCLICAL_POLICY
        >>> p = propose_limits(requested=[50.0, 50.0, 50.0, 50.0], ratings=[3, 3, 3, 8],
        ...     cash_flow=[20.0, 5.0, 20.0, 20.0], rate=0.05, tenor_years=10,
        ...     min_dscr=1.25, capital=400.0, single_name_share=0.25,
        ...     existing_exposure=[0.0, 0.0, 70.0, 0.0],
        ...     policy=COUNTER_CYCLICAL_POLICY, state="downturn")
        >>> p.limit.round(2).tolist(), p.binding.tolist()
        ([40.0, 30.89, 30.0, 0.0], ['policy', 'debt_capacity', 'single_name', 'rating'])
    """
    require_instance(policy, CreditPolicy, name="policy", what="a CreditPolicy")
    req = as_float_array(requested, name="requested", lower=0.0)
    decision = policy.apply(
        state, ratings=ratings, requested_limits=req, minimum_rates=0.0
    )
    cap = annuity_debt_capacity(
        cash_flow, rate=rate, tenor_years=tenor_years, min_dscr=min_dscr
    )
    room = single_name_headroom(
        capital, share=single_name_share, existing_exposure=existing_exposure
    )
    pol, cap, room = align(
        requested=decision.limit, cash_flow=cap, existing_exposure=room
    )
    eligible = np.broadcast_to(decision.eligible, pol.shape)
    stacked = np.stack([pol, cap, room])
    which = np.argmin(stacked, axis=0)
    limit = np.take_along_axis(stacked, which[None, :], axis=0)[0]
    binding = np.where(eligible, _NAMES[which], LimitConstraint.RATING.value)
    return LimitProposals(
        limit=limit,
        binding=binding,
        policy_limit=pol,
        debt_capacity=cap,
        single_name_headroom=room,
    )


def propose_limit(
    *,
    requested: float,
    rating: int,
    cash_flow: float,
    rate: float,
    tenor_years: float,
    min_dscr: float,
    capital: float,
    single_name_share: float,
    existing_exposure: float = 0.0,
    policy: CreditPolicy,
    state: CycleState | str,
) -> LimitProposal:
    """Propose the limit of one facility or client (one-entity form of `propose_limits`).

    Raises:
        InvalidValueError: as `propose_limits`.

    Examples:
        >>> from lendcrm.risk.pricing import COUNTER_CYCLICAL_POLICY
        >>> p = propose_limit(requested=50.0, rating=3, cash_flow=5.0, rate=0.05,
        ...     tenor_years=10, min_dscr=1.25, capital=400.0, single_name_share=0.25,
        ...     policy=COUNTER_CYCLICAL_POLICY, state="base")
        >>> round(p.limit, 2), p.binding.value
        (30.89, 'debt_capacity')
    """
    require_instance(policy, CreditPolicy, name="policy", what="a CreditPolicy")
    many = propose_limits(
        requested=requested,
        ratings=rating,
        cash_flow=cash_flow,
        rate=rate,
        tenor_years=tenor_years,
        min_dscr=min_dscr,
        capital=capital,
        single_name_share=single_name_share,
        existing_exposure=existing_exposure,
        policy=policy,
        state=state,
    )
    return LimitProposal(
        limit=float(many.limit[0]),
        binding=LimitConstraint(str(many.binding[0])),
        policy_limit=float(many.policy_limit[0]),
        debt_capacity=float(many.debt_capacity[0]),
        single_name_headroom=float(many.single_name_headroom[0]),
    )
