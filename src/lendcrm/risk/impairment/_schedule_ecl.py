r"""Expected credit loss straight from repayment schedules, at the bank's share.

**Formula** (IFRS 9 §5.5.17, B5.5.44; the ECL formula of `expected_credit_loss`). For
facility $i$ with schedule $S_i$, reporting date $d$ and buckets of $\Delta = 1/f$
years ($f$ = `periods_per_year`, 1: annual):

- $EAD_{i,t}$, the exposure of bucket $t = 1, \dots, T$, is column $t-1$ of
  `lendcrm.risk.schedules.ead_profile` (the balance outstanding when the bucket
  starts, $d + (t-1)\Delta$ years, plus CCF × undrawn for a revolver), times the bank's
  share $s_i$ (its syndicate participations, `lendcrm.Facility.bank_share`; 1 when
  bilateral);
- the discount rate is the facility's original effective interest rate
  (`lendcrm.risk.schedules.effective_interest_rate`, nominal per payment period,
  compounding $m_i$ times a year) as an annual effective rate,
  $r_i = (1 + EIR_i/m_i)^{m_i} - 1$ (`annual_effective_rate`), so that
  $(1 + r_i)^{-\tau_t}$ is the schedule's own discount factor at $\tau_t = t\Delta$;

$$ECL_{life,i} = LGD_i \sum_{t=1}^{T} q_{i,t}\,s_i\,EAD_{i,t}\,(1 + r_i)^{-t\Delta}.$$

The number of buckets $T$ is the PD term structure's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, align_to, as_float_array
from lendcrm._entities import Facility
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.risk.impairment._ecl import (
    ExpectedCreditLoss,
    FacilityEcl,
    expected_credit_loss,
    facility_ecl,
)
from lendcrm.risk.schedules import (
    ForwardCurve,
    Schedule,
    annual_effective_rate,
    ead_profile,
    effective_interest_rate,
    facility_schedule,
)

__all__ = ["facility_schedule_ecl", "schedule_ecl"]


def _horizon(marginal_pd: npt.ArrayLike, dims: tuple[int, ...], shapes: str) -> int:
    shape = np.shape(marginal_pd)
    if len(shape) not in dims or shape[-1] < 1:
        raise InvalidValueError(
            field="marginal_pd",
            value=f"array of shape {shape}",
            expected=f"{shapes} with at least one period",
        )
    return int(shape[-1])


def _shares(bank_share: npt.ArrayLike, n: int) -> FloatArray:
    share = as_float_array(bank_share, name="bank_share", lower=0.0, upper=1.0)
    (out,) = align_to(n, "facility", bank_share=share)
    return out


def schedule_ecl(
    schedule: Schedule,
    marginal_pd: npt.ArrayLike,
    lgd: npt.ArrayLike,
    *,
    as_of: dt.date,
    stage: npt.ArrayLike,
    bank_share: npt.ArrayLike = 1.0,
    ccf: npt.ArrayLike = 0.0,
    prepayment_rate: npt.ArrayLike = 0.0,
    scenario_weights: npt.ArrayLike | None = None,
    periods_per_year: int = 1,
    eir: npt.ArrayLike | None = None,
) -> ExpectedCreditLoss:
    """ECL of a book from its repayment schedules, at the bank's share (see the formula).

    Args:
        schedule: The book's schedules (`lendcrm.risk.schedules.repayment_schedules`,
            `book_schedules`, or `lendcrm.risk.schedules.frames.book_schedule`).
        marginal_pd: Marginal PD per facility (the schedule's row order) and bucket,
            `(n, T)`, or per scenario `(s, n, T)`; T buckets of ``1/periods_per_year``
            years from `as_of`.
        lgd: Loss given default per facility (or one for all), in [0, 1].
        as_of: Reporting date: the first bucket starts on it.
        stage: Stage 1, 2 or 3 per facility (or one for all), e.g. `stage_book`.
        bank_share: The bank's share of each facility, in [0, 1], one or `(n,)`
            (`lendcrm.Facility.bank_share`, `lendcrm.risk.schedules.frames.bank_shares`).
        ccf: Credit conversion factor of a revolver's undrawn limit, in [0, 1].
        prepayment_rate: Annual conditional prepayment rate of term loans, in [0, 1).
        scenario_weights: Weights of a 3-d `marginal_pd`.
        periods_per_year: Buckets a year: 1 (annual), 2, 4 or 12.
        eir: Annual effective discount rate per facility (or one), > -1, instead of
            the schedule's EIR: for a loan commitment undrawn at the start, whose
            schedule has no EIR, the rate expected when drawn or a current rate
            (IFRS 9 B5.5.47-B5.5.48). None: every facility's from its schedule.

    Returns:
        `ExpectedCreditLoss` per facility, in the facility's currency, at the bank's
        share.

    Raises:
        InvalidValueError: a `marginal_pd` that is not `(n, T)` or `(s, n, T)`, a
            bank share outside [0, 1], or as `ead_profile`,
            `effective_interest_rate` and `expected_credit_loss`.

    Examples:
        A 1,000 annuity at 6 % over 2026-2030, paid yearly, of which the bank holds
        40 %; marginal PD 2 % a year, LGD 45 %, stage 2:

        >>> import datetime as dt
        >>> from lendcrm.risk.schedules import repayment_schedules
        >>> s = repayment_schedules(principal=1000.0, start="2026-01-01",
        ...     maturity="2031-01-01", amortisation="annuity", rate=0.06,
        ...     payments_per_year=1, day_count="30/360")
        >>> e = schedule_ecl(s, [[0.02] * 5], 0.45, as_of=dt.date(2026, 1, 1),
        ...                  stage=2, bank_share=0.4)
        >>> e.twelve_month.round(4).tolist(), e.lifetime.round(4).tolist()
        ([3.3962], [9.7935])
    """
    require_instance(schedule, Schedule, name="schedule", what="a Schedule")
    periods = _horizon(marginal_pd, (2, 3), "(n, T) or (s, n, T)")
    n = schedule.balance.shape[0]
    share = _shares(bank_share, n)
    profile = ead_profile(
        schedule,
        as_of=as_of,
        periods=periods,
        periods_per_year=periods_per_year,
        ccf=ccf,
        prepayment_rate=prepayment_rate,
    )
    rate = (
        annual_effective_rate(
            effective_interest_rate(schedule), schedule.payments_per_year
        )
        if eir is None
        else eir
    )
    return expected_credit_loss(
        marginal_pd,
        lgd,
        profile.ead * share[:, None],
        rate,
        stage=stage,
        scenario_weights=scenario_weights,
        period_years=1.0 / periods_per_year,
    )


def facility_schedule_ecl(
    facility: Facility,
    marginal_pd: npt.ArrayLike,
    lgd: float,
    *,
    as_of: dt.date,
    stage: int,
    curves: Mapping[str, ForwardCurve] | None = None,
    ccf: float = 0.0,
    prepayment_rate: float = 0.0,
    scenario_weights: npt.ArrayLike | None = None,
    periods_per_year: int = 1,
) -> FacilityEcl:
    """The ECL of one `lendcrm.Facility` from its terms, at its `bank_share`.

    The one-facility form of `schedule_ecl`: the facility's schedule
    (`lendcrm.risk.schedules.facility_schedule`), its EAD profile times its bank share,
    discounted at its EIR as an annual effective rate, through `facility_ecl`.

    Args:
        facility: A facility with `terms` (and its participations, if syndicated).
        marginal_pd: `(T,)` marginal PDs, or `(s, T)` one curve per scenario.
        lgd: Loss given default in [0, 1].
        as_of: Reporting date.
        stage: 1, 2 or 3.
        curves: The `ForwardCurve` of its reference rate, if floating.
        ccf: Credit conversion factor of a revolver's undrawn limit, in [0, 1].
        prepayment_rate: Annual conditional prepayment rate, in [0, 1).
        scenario_weights: One weight per scenario of a 2-d `marginal_pd`.
        periods_per_year: Buckets a year: 1, 2, 4 or 12.

    Raises:
        InvalidValueError: a facility without terms, or as `schedule_ecl`.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import (Amortisation, ClientId, DayCount, Facility,
        ...     FacilityId, FacilityKind, FacilityStatus, Money, Pricing,
        ...     RepaymentTerms, Seniority)
        >>> f = Facility(id=FacilityId("F-1"), client_id=ClientId("C-1"),
        ...     kind=FacilityKind.TERM_LOAN, currency="EUR",
        ...     limit=Money.of("1000", "EUR"), drawn=Money.of("1000", "EUR"),
        ...     start_on=dt.date(2026, 1, 1), maturity_on=dt.date(2031, 1, 1),
        ...     seniority=Seniority.SENIOR_SECURED,
        ...     pricing=Pricing(reference_rate="FIXED", margin_bps=600,
        ...                     arrangement_fee=Money.of("0", "EUR")),
        ...     status=FacilityStatus.ACTIVE,
        ...     terms=RepaymentTerms(amortisation=Amortisation.ANNUITY,
        ...         payments_per_year=1, day_count=DayCount.THIRTY_360))
        >>> r = facility_schedule_ecl(f, [0.02] * 5, 0.45, as_of=dt.date(2026, 1, 1),
        ...                           stage=2)
        >>> round(r.lifetime, 4)
        24.4837
    """
    periods = _horizon(marginal_pd, (1, 2), "(T,) or (s, T)")
    schedule = facility_schedule(facility, curves=curves)
    profile = ead_profile(
        schedule,
        as_of=as_of,
        periods=periods,
        periods_per_year=periods_per_year,
        ccf=ccf,
        prepayment_rate=prepayment_rate,
    )
    rate = annual_effective_rate(
        effective_interest_rate(schedule), schedule.payments_per_year
    )
    return facility_ecl(
        marginal_pd,
        lgd,
        profile.ead[0] * facility.bank_share,
        float(rate[0]),
        stage=stage,
        scenario_weights=scenario_weights,
        period_years=1.0 / periods_per_year,
    )
