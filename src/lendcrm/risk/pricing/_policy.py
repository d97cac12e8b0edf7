"""A credit policy through the cycle: limits, eligibility, pricing add-ons and authority.

A `CreditPolicy` holds `PolicyTerms` for each `lendcrm.risk.portfolio.CycleState` (the
state of the economy a `lendcrm.risk.portfolio.Scenario` names): a limit multiplier,
the worst eligible rating grade, a pricing add-on and the approval authority
thresholds. `CreditPolicy.apply` applies the terms of a state to a whole book in one
vectorised pass.

`COUNTER_CYCLICAL_POLICY`, the illustrative default, **tightens in downturns and never
loosens beyond neutral in upturns**: its upturn terms are its base terms. A good year's
point-in-time PDs sit below the long-run average, so loosening on them (larger limits,
weaker grades, price cuts) would build up exposure at the top of the cycle that the
next downturn then has to cut back, the pro-cyclical pattern a through-the-cycle
policy avoids.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import (
    BoolArray,
    FloatArray,
    FrozenMap,
    align,
    as_bool_array,
    as_float_array,
    check_same_length,
)
from lendcrm._validators import (
    enum_member,
    enum_of,
    finite_number,
    instance_of,
    non_empty_str,
    number_in,
    refuse_object,
    require_instance,
)
from lendcrm.errors import InvalidValueError
from lendcrm.risk.portfolio import CycleState

__all__ = [
    "COUNTER_CYCLICAL_POLICY",
    "ApprovalAuthority",
    "CreditPolicy",
    "FacilityDecision",
    "PolicyDecision",
    "PolicyTerms",
]


class ApprovalAuthority(StrEnum):
    """Who may approve a limit, from the lowest to the highest authority.

    Examples:
        >>> ApprovalAuthority.CREDIT_COMMITTEE.value
        'credit_committee'
    """

    RELATIONSHIP_MANAGER = "relationship_manager"
    CREDIT_OFFICER = "credit_officer"
    CREDIT_COMMITTEE = "credit_committee"
    BOARD = "board"


_AUTHORITIES: Final = np.array([a.value for a in ApprovalAuthority])


def _eligible(values: npt.ArrayLike) -> BoolArray:
    return as_bool_array(values, name="eligible")


def _limits(values: npt.ArrayLike) -> FloatArray:
    return as_float_array(values, name="limit", lower=0.0)


def _rates(values: npt.ArrayLike) -> FloatArray:
    return as_float_array(values, name="rate")


def _authorities(values: object) -> npt.NDArray[np.str_]:
    """``values`` as a 1-d array of `ApprovalAuthority` values, else raise."""
    arr = np.asarray(values, dtype=object)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        refuse_object(values, name="authority", what=_AUTHORITY_TEXT)
    known = np.isin(arr, _AUTHORITIES)
    if not known.all():
        i = int(np.argmin(known))
        raise InvalidValueError(
            field=f"authority[{i}]", value=arr[i], expected=_AUTHORITY_TEXT
        )
    return arr.astype(_AUTHORITIES.dtype)


_AUTHORITY_TEXT: Final = "an ApprovalAuthority value ({})".format(
    ", ".join(repr(a) for a in _AUTHORITIES.tolist())
)


def _increasing_triple(
    _inst: object, attr: attrs.Attribute[tuple[float, float, float]], value: object
) -> None:
    ok = (
        isinstance(value, tuple)
        and len(value) == len(ApprovalAuthority) - 1
        and all(isinstance(v, int | float) and np.isfinite(v) and v >= 0 for v in value)
        and list(value) == sorted(value)
    )
    if not ok:
        raise InvalidValueError(
            field=attr.name,
            value=value,
            expected="three non-negative, non-decreasing amounts (RM, officer, committee)",
        )


@attrs.frozen(kw_only=True)
class PolicyTerms:
    """The terms of credit policy in one cycle state.

    Attributes:
        limit_multiplier: Factor on requested limits (> 0; < 1 tightens).
        worst_rating: Worst rating grade eligible for new lending (grades are
            integers, 1 = best).
        pricing_add_on: Added to the minimum rate, annual fraction in [-0.05, 0.05].
        authority_limits: Largest limit each of relationship manager, credit officer
            and credit committee may approve (non-decreasing); above the last, the
            board.

    Examples:
        >>> COUNTER_CYCLICAL_POLICY.terms_for(CycleState.DOWNTURN).limit_multiplier
        0.8
    """

    limit_multiplier: float = attrs.field(validator=number_in(0.0, lower_open=True))
    worst_rating: int = attrs.field(validator=number_in(1.0))
    pricing_add_on: float = attrs.field(validator=number_in(-0.05, 0.05))
    authority_limits: tuple[float, float, float] = attrs.field(
        validator=_increasing_triple
    )


def _all_states(
    _inst: object,
    attr: attrs.Attribute[Mapping[CycleState, PolicyTerms]],
    value: object,
) -> None:
    missing = [s.value for s in CycleState if s not in value]  # type: ignore[operator]
    if missing:
        raise InvalidValueError(
            field=attr.name,
            value=sorted(str(k) for k in value),  # type: ignore[attr-defined]
            expected=f"terms for every cycle state (missing {', '.join(missing)})",
        )


def _frozen_terms(
    value: Mapping[CycleState | str, PolicyTerms],
) -> Mapping[CycleState, PolicyTerms]:
    given: object = value
    if not isinstance(given, Mapping):
        refuse_object(
            given, name="terms", what="a mapping of CycleState to PolicyTerms"
        )
    for k, v in given.items():
        require_instance(v, PolicyTerms, name=f"terms[{k!r}]", what="a PolicyTerms")
    return FrozenMap(
        {enum_member(CycleState, k, name="terms"): v for k, v in value.items()}
    )


@attrs.frozen(kw_only=True)
class PolicyDecision:
    """The policy applied to a book: one entry per facility.

    Attributes:
        state: The cycle state the policy was applied in.
        eligible: Whether the rating qualifies for new lending, bool `(n,)`.
        limit: Approved limit (requested × multiplier; 0 where not eligible).
        rate: Offered rate (minimum rate + add-on).
        authority: Who must approve each limit (`ApprovalAuthority` values).
    """

    state: CycleState = attrs.field(validator=enum_of(CycleState))
    eligible: BoolArray = attrs.field(converter=_eligible)
    limit: FloatArray = attrs.field(converter=_limits)
    rate: FloatArray = attrs.field(converter=_rates)
    authority: npt.NDArray[np.str_] = attrs.field(converter=_authorities)

    def __attrs_post_init__(self) -> None:
        """One entry per facility in every array."""
        check_same_length(
            eligible=self.eligible,
            limit=self.limit,
            rate=self.rate,
            authority=self.authority,
        )


@attrs.frozen(kw_only=True)
class FacilityDecision:
    """The policy applied to one facility.

    Attributes:
        state: Cycle state.
        eligible: Whether the rating qualifies for new lending.
        limit: Approved limit.
        rate: Offered rate, annual fraction.
        authority: Who must approve it.
    """

    state: CycleState = attrs.field(validator=enum_of(CycleState))
    eligible: bool = attrs.field(validator=instance_of(bool, what="a boolean"))
    limit: float = attrs.field(validator=number_in(0))
    rate: float = attrs.field(validator=finite_number)
    authority: ApprovalAuthority = attrs.field(validator=enum_of(ApprovalAuthority))


@attrs.frozen(kw_only=True)
class CreditPolicy:
    """A credit policy: the `PolicyTerms` in force in each state of the economy.

    Attributes:
        name: Label in reports.
        terms: `PolicyTerms` for every `CycleState`.

    Examples:
        >>> d = COUNTER_CYCLICAL_POLICY.apply(
        ...     CycleState.DOWNTURN, ratings=[3, 7], requested_limits=[10e6, 5e6],
        ...     minimum_rates=[0.05, 0.07])
        >>> d.eligible.tolist(), d.limit.tolist(), d.rate.round(4).tolist()
        ([True, False], [8000000.0, 0.0], [0.0525, 0.0725])
        >>> d.authority.tolist()
        ['credit_committee', 'relationship_manager']
    """

    name: str = attrs.field(validator=non_empty_str)
    terms: Mapping[CycleState, PolicyTerms] = attrs.field(
        converter=_frozen_terms, validator=_all_states
    )

    def terms_for(self, state: CycleState | str) -> PolicyTerms:
        """The terms in force in `state`.

        Raises:
            InvalidValueError: `state` is not a `CycleState`.
        """
        try:
            return self.terms[CycleState(state)]
        except ValueError:
            known = ", ".join(repr(s.value) for s in CycleState)
            raise InvalidValueError(
                field="state", value=state, expected=f"one of {known}"
            ) from None

    def apply(
        self,
        state: CycleState | str,
        *,
        ratings: npt.ArrayLike,
        requested_limits: npt.ArrayLike,
        minimum_rates: npt.ArrayLike,
    ) -> PolicyDecision:
        """Apply the policy of `state` to a whole book in one vectorised pass.

        Args:
            state: The cycle state (e.g. `DOWNTURN.state`).
            ratings: Rating grade per facility, integers >= 1 (1 = best).
            requested_limits: Requested limit per facility, >= 0.
            minimum_rates: Minimum rate per facility (e.g. from `minimum_rate`).

        Returns:
            A `PolicyDecision` of arrays of shape `(n,)`.

        Raises:
            InvalidValueError: an unknown state, a non-integer or < 1 rating, a
                negative limit, non-finite values or arrays of different lengths.
        """
        terms = self.terms_for(state)
        r = as_float_array(ratings, name="ratings", lower=1.0)
        frac = r != np.floor(r)
        if frac.any():
            i = int(np.argmax(frac))
            raise InvalidValueError(
                field=f"ratings[{i}]",
                value=float(r[i]),
                expected="an integer grade >= 1",
            )
        r, req, mr = align(
            ratings=r,
            requested_limits=as_float_array(
                requested_limits, name="requested_limits", lower=0.0
            ),
            minimum_rates=as_float_array(
                minimum_rates, name="minimum_rates", lower=-1.0, upper=1.0
            ),
        )
        eligible = r <= terms.worst_rating
        limit = np.where(eligible, req * terms.limit_multiplier, 0.0)
        level = np.searchsorted(
            np.asarray(terms.authority_limits, dtype=np.float64), limit, side="left"
        )
        return PolicyDecision(
            state=enum_member(CycleState, state, name="state"),
            eligible=eligible,
            limit=limit,
            rate=mr + terms.pricing_add_on,
            authority=_AUTHORITIES[level],
        )

    def decide(
        self,
        state: CycleState | str,
        *,
        rating: int,
        requested_limit: float,
        minimum_rate: float,
    ) -> FacilityDecision:
        """Apply the policy to one facility (the one-facility form of `apply`).

        Raises:
            InvalidValueError: as `apply`.

        Examples:
            >>> d = COUNTER_CYCLICAL_POLICY.decide("downturn", rating=5,
            ...     requested_limit=4e6, minimum_rate=0.06)
            >>> d.eligible, d.limit, round(d.rate, 4), d.authority.value
            (True, 3200000.0, 0.0625, 'credit_officer')
        """
        out = self.apply(
            state,
            ratings=rating,
            requested_limits=requested_limit,
            minimum_rates=minimum_rate,
        )
        return FacilityDecision(
            state=out.state,
            eligible=bool(out.eligible[0]),
            limit=float(out.limit[0]),
            rate=float(out.rate[0]),
            authority=ApprovalAuthority(str(out.authority[0])),
        )


#: Neutral terms: the base year's, and the upturn's (the default never loosens beyond
#: them).
_NEUTRAL: Final = PolicyTerms(
    limit_multiplier=1.0,
    worst_rating=6,
    pricing_add_on=0.0,
    authority_limits=(2e6, 10e6, 50e6),
)

#: An illustrative counter-cyclical policy (numbers are an example, not regulation). It
#: tightens as the cycle worsens and does not loosen beyond neutral in an upturn (the
#: upturn terms are the base terms; see the module docstring for why): limits x1.0 in
#: an upturn and in base, -20 % in a downturn, -40 % when severe; grades up to 6 lent to
#: in an upturn and in base, 5 in a downturn, 4 when severe; pricing add-ons 0, 0,
#: +25 bp and +100 bp; authority thresholds halve in a downturn and fall further when
#: severe.
COUNTER_CYCLICAL_POLICY: Final = CreditPolicy(
    name="counter-cyclical (example)",
    terms={
        CycleState.UPTURN: _NEUTRAL,
        CycleState.BASE: _NEUTRAL,
        CycleState.DOWNTURN: PolicyTerms(
            limit_multiplier=0.8,
            worst_rating=5,
            pricing_add_on=0.0025,
            authority_limits=(1e6, 5e6, 25e6),
        ),
        CycleState.SEVERE: PolicyTerms(
            limit_multiplier=0.6,
            worst_rating=4,
            pricing_add_on=0.01,
            authority_limits=(0.5e6, 2.5e6, 10e6),
        ),
    },
)
