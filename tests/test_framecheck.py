"""The shared vectorised frame checker."""

import numpy as np
import pandas as pd
import pytest

from lendcrm.errors import BatchValidationError, InvalidValueError, SchemaError
from lendcrm.frames import ColumnSpec, check_frame

SPECS = [
    ColumnSpec(name="id", kind="str"),
    ColumnSpec(name="amount", kind="float", lower=0),
    ColumnSpec(name="count", kind="int", lower=0),
    ColumnSpec(name="flag", kind="bool"),
    ColumnSpec(name="grade", kind="category", allowed=("A", "B")),
    ColumnSpec(name="on", kind="date", nullable=True),
]


def good():
    return pd.DataFrame(
        {
            "id": ["a", "b", "c"],
            "amount": [1.0, 2.0, 0.0],
            "count": [1, 2, 3],
            "flag": [True, False, True],
            "grade": ["A", "B", "A"],
            "on": pd.to_datetime(["2026-01-01", "NaT", "2026-02-01"]),
        },
        index=[10, 11, 12],
    )


def test_good_frame_passes():
    check_frame(good(), SPECS, frame_name="t", unique=["id"])


def test_every_rule_reported_at_once_with_row_labels():
    f = good()
    f.loc[11, "amount"] = np.nan
    f.loc[12, "amount"] = -1.0
    f["count"] = [1.5, 2.0, 3.0]
    f.loc[10, "grade"] = "Z"
    f.loc[12, "id"] = "a"
    with pytest.raises(BatchValidationError) as info:
        check_frame(f, SPECS, frame_name="t", unique=["id"])
    messages = [str(x) for x in info.value.exceptions]
    assert messages == [
        "`t[11].amount` must be present (not missing); got nan. 1 row fails this rule: 11.",
        "`t[12].amount` must be a finite number >= 0; got -1.0. 1 row fails this rule: 12.",
        "`t[10].count` must be a whole number >= 0; got 1.5. 1 row fails this rule: 10.",
        "`t[10].grade` must be one of 'A', 'B'; got 'Z'. 1 row fails this rule: 10.",
        "`t[12].id` must be unique (no duplicate ids); got 'a'. 1 row fails this rule: 12.",
    ]
    assert info.value.total == 3


def test_infinity_is_refused():
    f = good()
    f["amount"] = [np.inf, 1.0, 1.0]
    with pytest.raises(
        BatchValidationError,
        match=r"`t\[10\].amount` must be a finite number >= 0; got inf",
    ):
        check_frame(f, SPECS, frame_name="t")


def test_schema_problems_come_alone():
    f = good().rename(columns={"amount": "amont"})
    f["flag"] = ["y", "n", "y"]
    with pytest.raises(SchemaError) as info:
        check_frame(f, SPECS, frame_name="t", allow_extra=False)
    assert info.value.missing == ("amount",)
    assert info.value.unexpected == ("amont",)
    assert (
        info.value.wrong_dtype == (("flag", "str", "bool"),)
        or info.value.wrong_dtype[0][0] == "flag"
    )
    assert "Did you mean 'amont'?" in str(info.value)


def test_empty_and_non_frames():
    with pytest.raises(
        InvalidValueError, match=r"`t` must be at least one row; got 'an empty frame'"
    ):
        check_frame(good().iloc[:0], SPECS, frame_name="t")
    check_frame(good().iloc[:0], SPECS, frame_name="t", require_rows=False)
    with pytest.raises(InvalidValueError, match="a pandas DataFrame"):
        check_frame({"id": []}, SPECS, frame_name="t")


def test_allowed_text_replaces_a_long_list_and_nulls_still_reported():
    spec = ColumnSpec(
        name="currency",
        kind="category",
        allowed=("EUR", "USD"),
        allowed_text="a known code",
    )
    frame = pd.DataFrame({"currency": ["EUR", "EURO", None]}, index=["a", "b", "c"])
    with pytest.raises(BatchValidationError) as info:
        check_frame(frame, [spec], frame_name="f")
    assert [str(e) for e in info.value.exceptions] == [
        "`f['c'].currency` must be present (not missing); got nan. 1 row fails this rule: 'c'.",
        "`f['b'].currency` must be a known code; got 'EURO'. 1 row fails this rule: 'b'.",
    ]
    check_frame(
        frame.iloc[:1], [spec], frame_name="f"
    )  # all allowed: one isin, no error


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"kind": "category"}, "allowed", "the allowed values of a category column"),
        ({"kind": "str", "allowed": ("A",)}, "allowed", "kind='category' only"),
        ({"kind": "date", "lower": 0.0}, "lower", "bounds are for numbers"),
        ({"kind": "bool", "upper": 1.0}, "upper", "bounds are for numbers"),
    ],
)
def test_a_rule_on_a_kind_it_does_not_apply_to_is_refused(kwargs, field, words):
    # Before, these rules were silently ignored (a category without values took any
    # text, a bound on a date column checked nothing).
    with pytest.raises(InvalidValueError) as e:
        ColumnSpec(name="c", **kwargs)
    assert e.value.field == field
    assert words in str(e.value)
