"""pandas adapter for pricing and capital: a facilities frame in, the same rows out.

Takes the frame of `lendcrm.frames.facilities_frame` (its column names are the
`lendcrm.frames.columns` constants), validates it once with `check_frame` (errors name the row
labels), and returns a copy with the risk columns appended; the index is preserved and
the input is never mutated. Row by row the numbers equal the one-facility forms
(`facility_exposure_at_default`, `facility_expected_loss`, `facility_irb_capital`,
`facility_price`), which the tests check.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import FloatArray, as_float_array
from lendcrm._dates import DAYS_PER_YEAR, check_as_of
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidRowsError, InvalidValueError
from lendcrm.frames import ColumnSpec, check_frame
from lendcrm.frames.columns import (
    ARRANGEMENT_FEE,
    CAPITAL,
    CREDIT_CONVERSION_FACTOR,
    DEFAULT_PROBABILITY,
    DRAWN,
    EXPECTED_LOSS,
    LIMIT,
    LOSS_GIVEN_DEFAULT,
    MATURITY_ON,
    START_ON,
)
from lendcrm.risk.capital._irb_terms import validate_irb_inputs
from lendcrm.risk.capital._regimes import AssetClass, CapitalRegime
from lendcrm.risk.pricing._pricing import minimum_rate
from lendcrm.risk.pricing._raroc import HurdleBasis
from lendcrm.risk.pricing._terms import (
    expected_loss_or_override,
    risk_weight_or_override,
    validate_overrides,
)

__all__ = [
    "EAD",
    "MINIMUM_RATE",
    "RISK_WEIGHT",
    "RISK_WEIGHTED_ASSETS",
    "price_facilities_frame",
]

#: Exposure at default, facility currency.
EAD: Final = "ead"
#: IRB risk weight at the remaining maturity (1.0 = 100 %).
RISK_WEIGHT: Final = "risk_weight"
#: RW × EAD.
RISK_WEIGHTED_ASSETS: Final = "risk_weighted_assets"
#: Minimum all-in annual rate meeting the hurdle over the contractual life.
MINIMUM_RATE: Final = "minimum_rate"

_SPECS: Final = (
    ColumnSpec(name=LIMIT, kind="float", lower=0.0),
    ColumnSpec(name=DRAWN, kind="float", lower=0.0),
    ColumnSpec(name=START_ON, kind="date"),
    ColumnSpec(name=MATURITY_ON, kind="date"),
    ColumnSpec(name=ARRANGEMENT_FEE, kind="float", lower=0.0),
    ColumnSpec(name=DEFAULT_PROBABILITY, kind="float", lower=0.0, upper=1.0),
    ColumnSpec(name=LOSS_GIVEN_DEFAULT, kind="float", lower=0.0, upper=1.0),
    ColumnSpec(name=CREDIT_CONVERSION_FACTOR, kind="float", lower=0.0, upper=1.0),
)


def _rows_failing(
    frame: pd.DataFrame, bad: np.ndarray, *, column: str, expected: str
) -> None:
    if bad.any():
        labels = list(frame.index[bad])
        raise InvalidRowsError(
            frame="facilities",
            column=column,
            rows=labels,
            count=len(labels),
            value=frame.loc[labels[0], column],
            expected=expected,
        )


def _row_inputs(
    n: int,
    risk_weight_override: npt.ArrayLike | None,
    expected_loss_rate_override: npt.ArrayLike | None,
    el_best: npt.ArrayLike | None,
) -> dict[str, FloatArray]:
    """Overrides and EL_best validated, one value for all `n` rows or one per row."""
    out = {
        f"{key}_override": values
        for key, values in validate_overrides(
            risk_weight_override, expected_loss_rate_override
        ).items()
    }
    if el_best is not None:
        out["el_best"] = as_float_array(el_best, name="el_best", lower=0.0, upper=1.0)
    for key, values in out.items():
        if values.shape[0] not in (1, n):
            raise InvalidValueError(
                field=key,
                value=f"length {values.shape[0]}",
                expected=f"one value or one per row of the frame ({n})",
            )
    return out


def _columns(frame: pd.DataFrame, as_of: dt.date) -> dict[str, FloatArray]:
    """The frame's numbers, after the row checks; tenor and remaining life in years."""
    check_frame(frame, _SPECS, frame_name="facilities")
    limit = frame[LIMIT].to_numpy(dtype=np.float64)
    fee = frame[ARRANGEMENT_FEE].to_numpy(dtype=np.float64)
    start = frame[START_ON].to_numpy(dtype="datetime64[D]")
    end = frame[MATURITY_ON].to_numpy(dtype="datetime64[D]")
    remaining_days = (end - np.datetime64(as_of, "D")).astype(np.float64)
    _rows_failing(
        frame,
        remaining_days <= 0,
        column=MATURITY_ON,
        expected=f"a date after as_of ({as_of})",
    )
    _rows_failing(
        frame,
        (limit == 0) & (fee != 0),
        column=LIMIT,
        expected="a positive limit to spread the arrangement fee over",
    )
    drawn = frame[DRAWN].to_numpy(dtype=np.float64)
    ccf = frame[CREDIT_CONVERSION_FACTOR].to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        upfront = np.where(limit > 0, fee / np.where(limit > 0, limit, 1.0), 0.0)
    return {
        "pd": frame[DEFAULT_PROBABILITY].to_numpy(dtype=np.float64),
        "lgd": frame[LOSS_GIVEN_DEFAULT].to_numpy(dtype=np.float64),
        "ead": drawn + ccf * np.maximum(limit - drawn, 0.0),
        "upfront": upfront,
        "tenor": (end - start).astype(np.float64) / DAYS_PER_YEAR,
        "remaining": remaining_days / DAYS_PER_YEAR,
    }


def price_facilities_frame(
    frame: pd.DataFrame,
    *,
    as_of: dt.date,
    regime: CapitalRegime,
    funding_rate: float,
    operating_cost_rate: float,
    hurdle_rate: float,
    risk_free_rate: float,
    capital_ratio: float,
    asset_class: AssetClass | str = AssetClass.CORPORATE,
    risk_weight_override: npt.ArrayLike | None = None,
    expected_loss_rate_override: npt.ArrayLike | None = None,
    el_best: npt.ArrayLike | None = None,
    hurdle_basis: HurdleBasis | str = HurdleBasis.PRE_TAX,
    tax_rate: float = 0.0,
) -> pd.DataFrame:
    """Add EAD, EL, risk weight, RWA, capital and minimum rate to a facilities frame.

    EAD = drawn + CCF × max(limit − drawn, 0). Capital uses the remaining maturity at
    `as_of` (actual/365.25); the minimum rate uses the contractual life (start to
    maturity) and amortises the arrangement fee, taken as a fraction of the limit, over
    it, exactly as `facility_price`.

    Args:
        frame: Facilities frame with the `lendcrm.frames.columns` columns `limit`, `drawn`,
            `start_on`, `maturity_on`, `arrangement_fee`, `default_probability`,
            `loss_given_default` and `credit_conversion_factor` (no missing values).
        as_of: Business date.
        regime: Capital rules.
        funding_rate: See `minimum_rate`.
        operating_cost_rate: See `minimum_rate`.
        hurdle_rate: See `minimum_rate`.
        risk_free_rate: See `minimum_rate`.
        capital_ratio: See `minimum_rate`.
        asset_class: IRB asset class of every row.
        risk_weight_override: Risk weight of every row or one per row in frame
            order, e.g. `slotting_risk_weight` of slotted project finance; NaN
            rows keep the IRB weight (see `minimum_rate`).
        expected_loss_rate_override: EL per unit of EAD of every row or one per
            row, e.g. `slotting_expected_loss_rate` (CRE33.8-33.12); NaN rows keep
            PD × LGD. Both feed the `EXPECTED_LOSS`, `RISK_WEIGHT` and
            `MINIMUM_RATE` columns.
        el_best: Best estimate of expected loss of defaulted rows (PD = 1), one
            for all rows or one per row, in [0, 1]; needed when a defaulted row is
            priced on the IRB weight (see `minimum_rate`; CRE31.3, CRE35.3).
        hurdle_basis: See `minimum_rate` (the hurdle is pre-tax by default).
        tax_rate: See `minimum_rate`.

    Returns:
        A copy of `frame` with the columns `EAD`, `EXPECTED_LOSS`, `RISK_WEIGHT`,
        `RISK_WEIGHTED_ASSETS`, `CAPITAL` and `MINIMUM_RATE`; same index.

    Raises:
        SchemaError: a required column is missing or has the wrong dtype.
        BatchValidationError: rows with missing or out-of-range values, naming the
            first row labels per rule.
        InvalidRowsError: rows already matured at `as_of`, a zero limit with an
            arrangement fee, or defaulted rows (PD = 1) on the IRB weight without
            `el_best`.
        InvalidValueError: an override or `el_best` out of range, or neither one
            value nor one per row.

    Examples:
        >>> import pandas as pd
        >>> from lendcrm.risk.capital import BASEL_III
        >>> frame = pd.DataFrame({
        ...     "limit": [10e6, 4e6], "drawn": [6e6, 4e6],
        ...     "start_on": pd.to_datetime(["2025-01-01", "2024-06-30"]),
        ...     "maturity_on": pd.to_datetime(["2030-01-01", "2029-06-30"]),
        ...     "arrangement_fee": [100e3, 0.0], "default_probability": [0.01, 0.03],
        ...     "loss_given_default": [0.45, 0.40], "credit_conversion_factor": [0.5, 1.0],
        ... }, index=["F-1", "F-2"])
        >>> out = price_facilities_frame(frame, as_of=dt.date(2026, 1, 1),
        ...     regime=BASEL_III, funding_rate=0.03, operating_cost_rate=0.004,
        ...     hurdle_rate=0.12, risk_free_rate=0.03, capital_ratio=0.10)
        >>> out[["ead", "expected_loss"]].round(0).to_dict("index")
        {'F-1': {'ead': 8000000.0, 'expected_loss': 36000.0}, 'F-2': {'ead': 4000000.0, 'expected_loss': 48000.0}}
        >>> out["minimum_rate"].round(5).tolist()
        [0.04766, 0.05875]
    """
    require_instance(regime, CapitalRegime, name="regime", what="a CapitalRegime")
    check_as_of(as_of)
    cols = _columns(frame, as_of)
    given = _row_inputs(
        len(frame), risk_weight_override, expected_loss_rate_override, el_best
    )
    rw_given = given.get("risk_weight_override")
    if "el_best" not in given:
        irb = (
            np.ones(len(frame), dtype=bool) if rw_given is None else np.isnan(rw_given)
        )
        _rows_failing(
            frame,
            (cols["pd"] >= 1.0) & irb,
            column=DEFAULT_PROBABILITY,
            expected="below 1 unless el_best is given: a defaulted exposure's "
            "capital is max(0, LGD - EL_best) (CRE31.3); pass el_best=lgd for the "
            "foundation approach (CRE35.3)",
        )
    inp = validate_irb_inputs(
        cols["pd"],
        cols["lgd"],
        asset_class=asset_class,
        maturity=cols["remaining"],
        sales=None,
        el_best=given.get("el_best"),
        regime=regime,
    )
    rw = risk_weight_or_override(inp, regime, rw_given)
    el_rate = expected_loss_or_override(inp, given.get("expected_loss_rate_override"))
    rate = minimum_rate(
        cols["pd"],
        cols["lgd"],
        maturity=cols["tenor"],
        funding_rate=funding_rate,
        operating_cost_rate=operating_cost_rate,
        hurdle_rate=hurdle_rate,
        risk_free_rate=risk_free_rate,
        capital_ratio=capital_ratio,
        regime=regime,
        asset_class=asset_class,
        upfront_fee=cols["upfront"],
        risk_weight_override=rw_given,
        expected_loss_rate_override=given.get("expected_loss_rate_override"),
        el_best=given.get("el_best"),
        hurdle_basis=hurdle_basis,
        tax_rate=tax_rate,
    )
    ead = cols["ead"]
    rwa = rw * ead
    return frame.assign(
        **{
            EAD: ead,
            EXPECTED_LOSS: el_rate * ead,
            RISK_WEIGHT: rw,
            RISK_WEIGHTED_ASSETS: rwa,
            CAPITAL: 0.08 * rwa,
            MINIMUM_RATE: rate,
        }
    )
