# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""Stage transfers and the ECL movement: every cell, every refusal's words (#23).

Nine facilities, one per (from, to) pair in row order, weighted 1..9, fill the 3 x 3
matrix with 1..9 in reading order: each cell's index (from - 1) * 3 + (to - 1) is
pinned. The movement's parts are hand-computed from 12-month ECLs PD x LGD x EAD.
"""

from __future__ import annotations

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.impairment import ecl_movement, expected_credit_loss, stage_transfers

FROM = [1, 1, 1, 2, 2, 2, 3, 3, 3]
TO = [1, 2, 3, 1, 2, 3, 1, 2, 3]


def test_every_cell_of_the_transfer_matrix():
    t = stage_transfers(FROM, TO, weights=[1.0, 2, 3, 4, 5, 6, 7, 8, 9])
    assert t.matrix.dtype == np.float64
    assert t.matrix.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]
    counted = stage_transfers(FROM, TO)
    assert counted.matrix.tolist() == [[1.0] * 3] * 3
    assert counted.moved.tolist() == [a != b for a, b in zip(FROM, TO, strict=True)]
    assert (counted.stage_from.tolist(), counted.stage_to.tolist()) == (FROM, TO)
    assert counted.stage_from.dtype == counted.stage_to.dtype == np.int8


def test_one_facility_given_as_scalars():
    t = stage_transfers(1, 3)
    assert t.matrix.tolist() == [[0.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    assert t.moved.tolist() == [True]
    assert stage_transfers(2, 2, weights=5.0).matrix[1].tolist() == [0.0, 5.0, 0.0]


def test_transfer_refusals_name_the_argument():
    with pytest.raises(InvalidValueError) as err:
        stage_transfers([1, 2], [1, 0])
    assert str(err.value) == "`stage_to[1]` must be a stage 1, 2 or 3; got 0.0."
    with pytest.raises(InvalidValueError) as err:
        stage_transfers([1, 2], [1, 2], weights=[1.0])
    assert (err.value.field, err.value.value, err.value.expected) == (
        "weights",
        "length 1",
        "one per facility (2)",
    )
    with pytest.raises(InvalidValueError) as err:
        stage_transfers([1, 2], [1, 2], weights=[1.0, np.inf])
    assert err.value.field == "weights[1]"


E2 = expected_credit_loss([[0.1], [0.1]], 0.5, [[1.0], [1.0]], 0.0, stage=1)


@pytest.mark.parametrize(
    ("ids", "field", "value", "expected"),
    [
        (
            [["A", "B"]],
            "opening_ids",
            "array of shape (1, 2)",
            "one id per facility of its ECL (2)",
        ),
        (
            ["A"],
            "opening_ids",
            "array of shape (1,)",
            "one id per facility of its ECL (2)",
        ),
        (
            np.array([1, 1], dtype=np.uint8),
            "opening_ids",
            1,
            "unique facility ids (this id appears more than once)",
        ),
        (
            np.array([None, "B"], dtype=object),
            "opening_ids[0]",
            None,
            "a facility id (text, or integers for the whole array)",
        ),
        (
            np.array(["A", 7], dtype=object),
            "opening_ids[1]",
            7,
            "a facility id (text, or integers for the whole array)",
        ),
    ],
)
def test_each_id_refusal(ids, field, value, expected):
    with pytest.raises(InvalidValueError) as err:
        ecl_movement(ids, E2, ["A", "B"], E2)
    assert (err.value.field, err.value.value, err.value.expected) == (
        field,
        value,
        expected,
    )


def test_ids_of_every_accepted_kind():
    for ids in (
        np.array([3, 9]),
        np.array([3, 9], dtype=np.uint16),
        ["A", "B"],
        np.array(["A", "B"], dtype=object),
    ):
        m = ecl_movement(ids, E2, ids, E2)
        assert [v for _, v in m.rows()] == [0.1, 0.0, 0.0, 0.0, 0.0, 0.1]


def test_both_allowances_must_be_expected_credit_losses():
    for args, field in (
        (("x", E2), "opening"),
        ((E2, "x"), "closing"),
    ):
        with pytest.raises(InvalidValueError) as err:
            ecl_movement(["A", "B"], args[0], ["A", "B"], args[1])
        assert (err.value.field, err.value.value, err.value.expected) == (
            field,
            "x",
            "an ExpectedCreditLoss",
        )


def test_the_waterfall_labels_and_a_book_with_nothing_kept():
    # nothing kept: all of the opening allowance is derecognised, all of the
    # closing one is new business (0.05 each: PD 0.1 x LGD 0.5 x EAD 1)
    m = ecl_movement(["A", "B"], E2, ["C", "D"], E2)
    assert m.rows() == [
        ("opening", 0.1),
        ("derecognition", -0.1),
        ("new business", 0.1),
        ("stage transfers", 0.0),
        ("parameter changes", 0.0),
        ("closing", 0.1),
    ]
    assert m.transfers.matrix.tolist() == [[0.0] * 3] * 3


def test_a_repeated_id_is_named_not_the_first_id():
    e3 = expected_credit_loss([[0.1]] * 3, 0.5, [[1.0]] * 3, 0.0, stage=1)
    with pytest.raises(InvalidValueError) as err:
        ecl_movement(["A", "B", "B"], e3, ["A", "B", "C"], e3)
    assert (err.value.field, err.value.value) == ("opening_ids", "B")
