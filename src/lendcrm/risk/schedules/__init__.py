"""Repayment schedules, balances, weighted average life, EIR and EAD profiles of a book.

- schedules: `repayment_schedules` for a whole book (``(facilities, periods)``
  arrays with a mask) and `facility_schedule` for one `lendcrm.Facility`; annuity,
  linear, bullet, balloon, grace periods, sculpted and revolving facilities; fixed or
  floating (a `ForwardCurve` plus margin) rates; ACT/360, ACT/365F and 30/360;
  commitment and upfront fees;
- measures: `balance_at` any date, `weighted_average_life`,
  `effective_interest_rate` (the rate that discounts the contractual cash flows to
  the carrying amount);
- exposure: `ead_profile`, the exposure in each future period from the schedule,
  the undrawn limit times a credit conversion factor, and prepayments (CPR).

Everything here stands on the core only; pricing over a loan's life is in
`lendcrm.risk.pricing`. `lendcrm.risk.schedules.frames` reads the schedule and the
bank's share of every facility of a `lendcrm.frames.BookFrames` (`book_schedule`,
`bank_shares`).
"""

from __future__ import annotations

from lendcrm.risk.schedules._curves import ForwardCurve
from lendcrm.risk.schedules._ead import EadProfile, ead_profile
from lendcrm.risk.schedules._engine import Schedule, repayment_schedules
from lendcrm.risk.schedules._facility import book_schedules, facility_schedule
from lendcrm.risk.schedules._measures import (
    EIR_TOLERANCE,
    annual_effective_rate,
    balance_at,
    effective_interest_rate,
    weighted_average_life,
)

__all__ = [
    "EIR_TOLERANCE",
    "EadProfile",
    "ForwardCurve",
    "Schedule",
    "annual_effective_rate",
    "balance_at",
    "book_schedules",
    "ead_profile",
    "effective_interest_rate",
    "facility_schedule",
    "repayment_schedules",
    "weighted_average_life",
]
