"""Refusals the random `dev` profile of the fuzz found (the fixed-seed `ci` run did not).

Each pins the message and field of a bad input that raised a TypeError or a pandas
error from inside before.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.relationship.workflows import frames as wf_frames
from lendcrm.risk import portfolio
from tests.test_fuzz_remaining_relationship import TASK

_HISTORY: dict[str, Any] = {
    "times": [0.0, 1.0, 0.0, 1.0],
    "grades": ["A", "D", "A", "A"],
    "scale": ["A", "D"],
}


@pytest.mark.parametrize(
    ("obligors", "field", "message"),
    [
        (
            [None] * 4,
            "obligors[0]",
            "`obligors[0]` must be an obligor id, not missing; got None.",
        ),
        (
            ["a", "a", None, "b"],
            "obligors[2]",
            "`obligors[2]` must be an obligor id, not missing; got None.",
        ),
        (
            [1.0, 1.0, float("nan"), 2.0],
            "obligors[2]",
            "`obligors[2]` must be an obligor id, not missing; got nan.",
        ),
        (
            np.array([1, 1, "a", "a"], dtype=object),
            "obligors[2]",
            (
                "`obligors[2]` must be an obligor id of one kind with the others (int); "
                "got 'a'."
            ),
        ),
    ],
)
def test_cohort_matrix_names_a_missing_or_odd_obligor(obligors, field, message) -> None:
    with pytest.raises(InvalidValueError) as info:
        portfolio.cohort_matrix(obligors=obligors, **_HISTORY)
    assert str(info.value) == message
    assert info.value.field == field


@pytest.mark.parametrize(
    ("client_ids", "field", "message"),
    [
        (
            [None, None],
            "client_ids[0]",
            "`client_ids[0]` must be a client id, not missing; got None.",
        ),
        (
            ["C-1", "C-1"],
            "client_ids[1]",
            (
                "`client_ids[1]` must be a client id no earlier entry has (one row per "
                "client); got 'C-1'."
            ),
        ),
    ],
)
def test_client_tasks_frame_names_a_missing_or_repeated_client(
    client_ids, field, message
) -> None:
    with pytest.raises(InvalidValueError) as info:
        wf_frames.client_tasks_frame(
            [TASK], client_ids=client_ids, as_of=dt.date(2026, 1, 31)
        )
    assert str(info.value) == message
    assert info.value.field == field
