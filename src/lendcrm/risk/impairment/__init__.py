"""IFRS 9 impairment: staging, PD term structures and expected credit loss.

- staging (IFRS 9 §5.5.3-5.5.11): `stage_book` / `stage_facility` put each facility
  in stage 1, 2 or 3 by the `StagingRules` (relative and absolute PD thresholds, 30
  and 90 days past due, watchlist, forbearance, the low credit risk exemption) and
  give the `StageReason`; `stage_transfers` compares two dates;
- PD term structures: `marginal_pd` from a cumulative PD curve,
  `marginal_pd_from_matrix` from a rating migration matrix, `pit_marginal_pd` and
  `scenario_marginal_pd` point in time through the cycle functions of
  `lendcrm.risk.portfolio`, under a `ScenarioSet` (`BASE_UPSIDE_DOWNSIDE`);
- expected credit loss (§5.5.17, B5.5.28-B5.5.44): `expected_credit_loss` over a book
  (12-month, lifetime and the staged allowance, discounted at the EIR, scenario
  weighted) and its one-facility form `facility_ecl`;
- from the schedules (§5.5.17, B5.5.44): `schedule_ecl` takes a book's
  `lendcrm.risk.schedules.Schedule` (EAD per future bucket from `ead_profile`, the
  original EIR as an annual effective rate) at the bank's share, and
  `facility_schedule_ecl` one `lendcrm.Facility` at its `bank_share`;
- movement between two dates: `ecl_movement` (derecognition, new business, stage
  transfers, parameter changes).

`lendcrm.risk.impairment.frames` does the staging and the ECL of a facilities frame.
`expected_credit_loss` takes exposure profiles as arrays (facilities x periods) and the
effective interest rate as one number per facility, so any exposure can feed it;
`schedule_ecl` derives both from `lendcrm.risk.schedules`.

Examples:
    >>> from lendcrm.risk import impairment
    >>> s = impairment.stage_book([0.01, 0.01], [0.012, 0.04])
    >>> e = impairment.expected_credit_loss(
    ...     [[0.01, 0.012], [0.04, 0.05]], 0.45, [[100.0, 50.0], [100.0, 50.0]], 0.05,
    ...     stage=s.stage)
    >>> s.stage.tolist(), e.ecl.round(4).tolist()
    ([1, 2], [0.4286, 2.7347])
"""

from __future__ import annotations

from lendcrm.risk.impairment._ecl import (
    ExpectedCreditLoss,
    FacilityEcl,
    expected_credit_loss,
    facility_ecl,
)
from lendcrm.risk.impairment._movement import (
    EclMovement,
    StageTransfers,
    ecl_movement,
    stage_transfers,
)
from lendcrm.risk.impairment._schedule_ecl import facility_schedule_ecl, schedule_ecl
from lendcrm.risk.impairment._staging import (
    DEFAULT_STAGING_RULES,
    StageReason,
    Staging,
    StagingRules,
    stage_book,
    stage_facility,
)
from lendcrm.risk.impairment._term_structure import (
    BASE_UPSIDE_DOWNSIDE,
    ScenarioSet,
    check_scenario_weights,
    cumulative_pd_curve,
    marginal_pd,
    marginal_pd_from_matrix,
    pit_marginal_pd,
    scenario_marginal_pd,
)

__all__ = [
    "BASE_UPSIDE_DOWNSIDE",
    "DEFAULT_STAGING_RULES",
    "EclMovement",
    "ExpectedCreditLoss",
    "FacilityEcl",
    "ScenarioSet",
    "StageReason",
    "StageTransfers",
    "Staging",
    "StagingRules",
    "check_scenario_weights",
    "cumulative_pd_curve",
    "ecl_movement",
    "expected_credit_loss",
    "facility_ecl",
    "facility_schedule_ecl",
    "marginal_pd",
    "marginal_pd_from_matrix",
    "pit_marginal_pd",
    "scenario_marginal_pd",
    "schedule_ecl",
    "stage_book",
    "stage_facility",
    "stage_transfers",
]
