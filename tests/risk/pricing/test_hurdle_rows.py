"""A hurdle below the risk-free rate is refused whichever side gives one value per row.

Found by fuzzing (``tests/test_fuzz_public_api_more.py``, random profile): two hurdle
rates against one risk-free rate raised ``IndexError`` (the message indexed the
risk-free rate at the failing row) instead of naming the row. The rates are typed
as one float each; the arrays here are the fuzzer's bad input, which must raise a
lendcrm error.
"""

from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.pricing import relationship_raroc

ROWS: dict[str, Any] = {
    "facility_client": ["A", "B"],
    "revenue": [6.0, 5.0],
    "funding_cost": [3.0, 2.5],
    "expected_loss": [0.45, 0.5],
    "operating_cost": [0.4, 0.3],
    "capital": [13.0, 10.0],
}


def test_hurdles_per_row_against_one_risk_free_rate():
    with pytest.raises(InvalidValueError) as caught:
        relationship_raroc(**ROWS, risk_free_rate=0.03, hurdle_rate=[1.0, -1.0])  # type: ignore[arg-type]
    assert caught.value.field == "hurdle_rate[1]"
    assert caught.value.value == -1.0
    assert str(caught.value).startswith(
        "`hurdle_rate[1]` must be at least the risk-free rate (0.03); got -1.0."
    )


def test_one_hurdle_against_risk_free_rates_per_row():
    with pytest.raises(InvalidValueError) as caught:
        relationship_raroc(**ROWS, risk_free_rate=[0.01, 0.2], hurdle_rate=0.12)  # type: ignore[arg-type]
    assert caught.value.field == "hurdle_rate"
    assert caught.value.value == 0.12
    assert "at least the risk-free rate (0.2)" in str(caught.value)
    assert np.isfinite(caught.value.value)
