"""Every exception: its message shape, its builtin bases, pickling and except*."""

import datetime as dt
import pickle

import pytest

from lendcrm import errors as e


def test_single_root_and_builtin_bases():
    for name in e.__all__:
        cls = getattr(e, name)
        if issubclass(cls, Warning):
            continue
        assert issubclass(cls, e.LendCRMError), name
    assert issubclass(e.InvalidValueError, ValueError)
    assert issubclass(e.UnknownReferenceError, LookupError)
    assert issubclass(e.UnknownStrategyError, LookupError)
    assert issubclass(e.IllegalTransitionError, ValueError)
    assert issubclass(e.BatchValidationError, ExceptionGroup)


def test_invalid_value_message_and_hint():
    err = e.InvalidValueError(
        field="lgd",
        value=1.2,
        expected="a fraction in [0, 1]",
        hint="LGD is a fraction, not a percent.",
    )
    assert (
        str(err)
        == "`lgd` must be a fraction in [0, 1]; got 1.2. LGD is a fraction, not a percent."
    )
    assert (err.field, err.value, err.expected) == ("lgd", 1.2, "a fraction in [0, 1]")


def test_rows_error_lists_first_labels_and_count():
    err = e.InvalidRowsError(
        frame="clients",
        column="x",
        rows=list(range(8)),
        count=8,
        value=-1.0,
        expected=">= 0",
    )
    assert str(err) == (
        "`clients[0].x` must be >= 0; got -1.0. 8 rows fail this rule: 0, 1, 2, 3, 4 and 3 more."
    )
    assert err.rows == (0, 1, 2, 3, 4)


def test_schema_error_reports_all_parts():
    err = e.SchemaError(
        frame="facilities",
        missing=("limt",),
        unexpected=("extra",),
        wrong_dtype=(("drawn", "object", "float64"),),
        known=("limit", "extra"),
    )
    assert str(err) == (
        "`facilities.columns` must be the columns and dtypes of the facilities schema; got "
        "missing ['limt']; unexpected ['extra']; 'drawn' of dtype object (needs float64). "
        "Did you mean 'limit'?"
    )


def test_batch_group_message_and_except_star():
    children = [
        e.InvalidValueError(field=f"rows[{i}].limit", value=-i, expected=">= 0")
        for i in range(7)
    ]
    group = e.BatchValidationError(children, total=100)
    assert group.message.startswith(
        "7 of 100 rows are invalid: `rows[0].limit` must be >= 0; got 0.;"
    )
    assert group.message.endswith("; and 2 more")
    assert group.total == 100
    caught = []
    try:
        raise group
    except* e.InvalidValueError as sub:
        caught.append(sub)
    assert isinstance(caught[0], e.BatchValidationError)
    assert len(caught[0].exceptions) == 7


def test_other_messages():
    assert str(
        e.UnknownReferenceError(
            kind="client", key="C-9", field="facilities[2].client_id"
        )
    ) == ("No client with id 'C-9' (referenced by `facilities[2].client_id`).")
    assert str(e.UnknownStrategyError(name="x", known=())) == (
        "No segmentation strategy named 'x'. Registered: none."
    )
    assert str(
        e.IllegalTransitionError(stage="exited", event="reactivate", allowed=())
    ) == (
        "Cannot apply event 'reactivate' to a client in stage 'exited'. "
        "Allowed events from 'exited': none ('exited' is terminal)."
    )
    assert "2026-01-01" in str(
        e.OutOfOrderTransitionError(last_on=dt.date(2026, 2, 1), on=dt.date(2026, 1, 1))
    )
    assert str(e.ModelMismatchError(model="m", missing=("a",))) == (
        "Model 'm' was fitted on other columns: missing ['a']."
    )


@pytest.mark.parametrize(
    "err",
    [
        e.InvalidValueError(field="f", value=1, expected="x"),
        e.CurrencyMismatchError(left="EUR", right="USD", operation="add"),
        e.InvalidRowsError(
            frame="c", column="x", rows=(1,), count=1, value=1, expected="y"
        ),
        e.SchemaError(frame="c", missing=("a",)),
        e.UnknownReferenceError(kind="client", key="C1"),
        e.BatchValidationError(
            [e.InvalidValueError(field="f", value=1, expected="x")], total=2
        ),
    ],
)
def test_errors_pickle(err):
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err)
    assert str(back) == str(err)
