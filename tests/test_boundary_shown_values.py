"""Two boundary messages shown what the caller passed (#17, item 7).

`as_float_array` showed a missing ``None`` as ``nan`` (the converted value), and
`one_of` accepted ``True`` where the number 1 is allowed (``True == 1`` in Python).
"""

from __future__ import annotations

import numpy as np
import pytest

import lendcrm
from lendcrm._arrays import as_float_array
from lendcrm.errors import InvalidValueError


@pytest.mark.parametrize(
    ("values", "field", "shown"),
    [
        ([1.0, None], "limit[1]", "None"),
        (None, "limit[0]", "None"),
        (np.array([1.0, np.nan]), "limit[1]", "nan"),  # a NaN stays a NaN
    ],
)
def test_as_float_array_shows_none_as_none(
    values: object, field: str, shown: str
) -> None:
    with pytest.raises(InvalidValueError) as info:
        as_float_array(values, name="limit")  # type: ignore[arg-type]
    assert info.value.field == field
    assert str(info.value) == f"`{field}` must be a finite number; got {shown}."


def test_one_of_refuses_a_boolean_for_a_number() -> None:
    with pytest.raises(InvalidValueError) as info:
        lendcrm.RepaymentTerms(
            amortisation=lendcrm.Amortisation.ANNUITY, payments_per_year=True
        )
    assert info.value.field == "payments_per_year"
    assert str(info.value) == (
        "`payments_per_year` must be one of 1, 12, 2, 4; got True."
    )
