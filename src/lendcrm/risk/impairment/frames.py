"""pandas adapter for IFRS 9: a facilities frame in, stage and ECL per facility out.

`impairment_frame` reads one row per facility — its PD at origination and now, its
LGD and effective interest rate, and the staging triggers — checks the frame, stages
every facility with `stage_book` and computes its allowance with
`expected_credit_loss`. The PD term structures and the EAD profiles are arrays in the
frame's row order (facilities x periods), as a repayment schedule and a migration
matrix give them. The schedule and the bank's shares of a `lendcrm.frames.BookFrames`,
which `lendcrm.risk.impairment.schedule_ecl` takes, are read by
`lendcrm.risk.schedules.frames.book_schedule` and `bank_shares`.

The columns this adapter adds to the house schema are its own constants, below
(`ORIGINATION_PD`, `EFFECTIVE_INTEREST_RATE` in; `IFRS9_STAGE`, `STAGE_REASON`,
`ECL_12_MONTH`, `ECL_LIFETIME`, `ECL_ALLOWANCE` out); the shared ones are
`lendcrm.frames.columns` names (``facility_id``, ``default_probability``,
``loss_given_default``, ``days_past_due``, ``in_default``, ``on_watchlist``,
``forborne``).

Examples:
    >>> import pandas as pd
    >>> book = pd.DataFrame({
    ...     "facility_id": ["A", "B", "C"],
    ...     "origination_pd": [0.01, 0.01, 0.02],
    ...     "default_probability": [0.012, 0.03, 0.02],
    ...     "loss_given_default": [0.4, 0.4, 0.5],
    ...     "effective_interest_rate": [0.05, 0.05, 0.0],
    ...     "days_past_due": [0, 0, 95],
    ... })
    >>> out = impairment_frame(book, marginal_pd=[[0.012, 0.012], [0.03, 0.03],
    ...     [0.02, 0.02]], ead=[[100.0, 50.0]] * 3)
    >>> out[["facility_id", "ifrs9_stage", "stage_reason", "ecl_allowance"]].round(4)
      facility_id  ifrs9_stage      stage_reason  ecl_allowance
    0           A            1        PERFORMING         0.4571
    1           B            2       PD_INCREASE         1.6871
    2           C            3  DAYS_PAST_DUE_90        50.0000
"""

from __future__ import annotations

from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm.errors import InvalidValueError
from lendcrm.frames import ColumnSpec, check_frame
from lendcrm.frames.columns import (
    DEFAULT_PROBABILITY,
    FACILITY_ID,
    FORBORNE,
    IN_DEFAULT,
    LOSS_GIVEN_DEFAULT,
    ON_WATCHLIST,
    SIG_DAYS_PAST_DUE,
)
from lendcrm.risk.impairment._ecl import expected_credit_loss
from lendcrm.risk.impairment._staging import (
    DEFAULT_STAGING_RULES,
    StageReason,
    StagingRules,
    stage_book,
)

__all__ = [
    "ECL_12_MONTH",
    "ECL_ALLOWANCE",
    "ECL_LIFETIME",
    "EFFECTIVE_INTEREST_RATE",
    "IFRS9_STAGE",
    "ORIGINATION_PD",
    "STAGE_REASON",
    "impairment_frame",
]

#: PD at initial recognition, on the basis of ``default_probability`` (fraction).
ORIGINATION_PD: Final = "origination_pd"
#: Effective interest rate per year (fraction, > -1): the ECL's discount rate.
EFFECTIVE_INTEREST_RATE: Final = "effective_interest_rate"
#: IFRS 9 stage, 1, 2 or 3 (not the lifecycle ``stage`` of the core schema).
IFRS9_STAGE: Final = "ifrs9_stage"
#: Why the facility is in its stage: a `StageReason` name (categorical).
STAGE_REASON: Final = "stage_reason"
#: 12-month expected credit loss, in the currency of the EAD.
ECL_12_MONTH: Final = "ecl_12_month"
#: Lifetime expected credit loss.
ECL_LIFETIME: Final = "ecl_lifetime"
#: The allowance: the measure the stage picks.
ECL_ALLOWANCE: Final = "ecl_allowance"

_SPECS: Final = (
    ColumnSpec(name=FACILITY_ID, kind="str"),
    ColumnSpec(name=ORIGINATION_PD, kind="float", lower=0, upper=1),
    ColumnSpec(name=DEFAULT_PROBABILITY, kind="float", lower=0, upper=1),
    ColumnSpec(name=LOSS_GIVEN_DEFAULT, kind="float", lower=0, upper=1),
    ColumnSpec(name=EFFECTIVE_INTEREST_RATE, kind="float", lower=-1, lower_open=True),
    ColumnSpec(name=SIG_DAYS_PAST_DUE, kind="int", lower=0, required=False),
    ColumnSpec(name=IN_DEFAULT, kind="bool", required=False),
    ColumnSpec(name=ON_WATCHLIST, kind="bool", required=False),
    ColumnSpec(name=FORBORNE, kind="bool", required=False),
)


def _column(frame: pd.DataFrame, name: str, *, default: object) -> npt.ArrayLike:
    if name in frame:
        out: npt.ArrayLike = frame[name].to_numpy()
        return out
    return np.full(len(frame), default)


def impairment_frame(
    facilities: pd.DataFrame,
    *,
    marginal_pd: npt.ArrayLike,
    ead: npt.ArrayLike,
    scenario_weights: npt.ArrayLike | None = None,
    rules: StagingRules = DEFAULT_STAGING_RULES,
    period_years: float = 1.0,
) -> pd.DataFrame:
    """Stage and ECL of every facility of a frame (IFRS 9 §5.5.3, §5.5.5, §5.5.17).

    Args:
        facilities: One row per facility with ``facility_id`` (unique),
            ``origination_pd`` and ``default_probability`` (the PD at origination and
            now, on one basis: lifetime, or 12-month as a proxy, B5.5.13),
            ``loss_given_default``, ``effective_interest_rate`` and optionally
            ``days_past_due`` (0), ``in_default``, ``on_watchlist``, ``forborne``
            (False).
        marginal_pd: Marginal PD per facility (in the frame's row order) and period,
            `(n, T)`, or per scenario `(s, n, T)`.
        ead: Exposure at default per facility and period, `(n, T)`.
        scenario_weights: Scenario weights of a 3-d `marginal_pd`.
        rules: The staging policy.
        period_years: Length of a period in years, in (0, 1].

    Returns:
        A frame in the input's row order: ``facility_id``, ``ifrs9_stage`` (int8),
        ``stage_reason`` (categorical of `StageReason` names), ``ecl_12_month``,
        ``ecl_lifetime``, ``ecl_allowance``.

    Raises:
        SchemaError: a required column missing or of the wrong dtype.
        BatchValidationError: rows with out-of-range values (a PD or LGD outside
            [0, 1], a rate <= -1, negative days), each rule naming its rows.
        InvalidValueError: `marginal_pd` or `ead` not one row per facility, or as
            `expected_credit_loss`.
    """
    check_frame(facilities, _SPECS, frame_name="facilities", unique=(FACILITY_ID,))
    n = len(facilities)
    rows = np.shape(ead)[0] if np.ndim(ead) >= 1 else 0
    if rows != n:
        raise InvalidValueError(
            field="ead",
            value=f"array of shape {np.shape(ead)}",
            expected=f"one row per facility of the frame ({n})",
        )
    staging = stage_book(
        facilities[ORIGINATION_PD].to_numpy(dtype=np.float64),
        facilities[DEFAULT_PROBABILITY].to_numpy(dtype=np.float64),
        days_past_due=_column(facilities, SIG_DAYS_PAST_DUE, default=0),
        in_default=_column(facilities, IN_DEFAULT, default=False),
        on_watchlist=_column(facilities, ON_WATCHLIST, default=False),
        forborne=_column(facilities, FORBORNE, default=False),
        rules=rules,
    )
    ecl = expected_credit_loss(
        marginal_pd,
        facilities[LOSS_GIVEN_DEFAULT].to_numpy(dtype=np.float64),
        ead,
        facilities[EFFECTIVE_INTEREST_RATE].to_numpy(dtype=np.float64),
        stage=staging.stage,
        scenario_weights=scenario_weights,
        period_years=period_years,
    )
    reasons = list(StageReason)
    codes = np.searchsorted(np.array([int(r) for r in reasons]), staging.reason)
    return pd.DataFrame(
        {
            FACILITY_ID: facilities[FACILITY_ID].to_numpy(),
            IFRS9_STAGE: staging.stage,
            STAGE_REASON: pd.Categorical.from_codes(
                codes, categories=pd.Index([r.name for r in reasons])
            ),
            ECL_12_MONTH: ecl.twelve_month,
            ECL_LIFETIME: ecl.lifetime,
            ECL_ALLOWANCE: ecl.ecl,
        },
        index=facilities.index,
    )
