"""Column names of the history frames that `lendcrm.frames.columns` does not hold yet.

Temporary: the names are those of the history frames' schema (issue #12); once
`lendcrm.frames.columns` carries them, the synthetic frames import them from there
and this module goes.
"""

from __future__ import annotations

from typing import Final

RATED_ON: Final = "rated_on"
RATER: Final = "rater"
RATING_OVERRIDE: Final = "rating_override"
OVERRIDE_REASON: Final = "override_reason"
PERIOD_MONTHS: Final = "period_months"
IN_DEFAULT: Final = "in_default"
FORBORNE: Final = "forborne"
COLLATERAL_INDEX: Final = "collateral_index"
VALUED_ON: Final = "valued_on"
VALUATION_METHOD: Final = "valuation_method"
