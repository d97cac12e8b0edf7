"""Every exception of `lendcrm.errors`, exactly: attributes, whole messages, pickles.

Issue #23. Each class is built with non-default arguments and with its defaults, and
its every attribute and its whole message compared; the root's pickling path for a
class without a keyword-only constructor, and the batch group's `derive` and pickle,
are tried too.
"""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any

import pytest

from lendcrm.errors import (
    BatchValidationError,
    ConvergenceError,
    CurrencyMismatchError,
    GuardRefusedError,
    IllegalTransitionError,
    InfeasibleConstraintError,
    InvalidRowsError,
    InvalidValueError,
    LendCRMDeprecationWarning,
    LendCRMError,
    LendCRMWarning,
    LifecycleDefinitionError,
    LifecycleError,
    ModelError,
    ModelMismatchError,
    OutOfOrderTransitionError,
    RuleError,
    SchemaError,
    StrategyError,
    TamperedHistoryError,
    UnknownReferenceError,
    UnknownStrategyError,
)


def again(err: BaseException) -> BaseException:
    back: BaseException = pickle.loads(pickle.dumps(err))
    return back


def test_invalid_value_error_with_and_without_hint():
    err = InvalidValueError(field="x", value=1.5, expected="at most 1")
    assert (err.field, err.value, err.expected, err.hint) == ("x", 1.5, "at most 1", "")
    assert str(err) == "`x` must be at most 1; got 1.5."
    err = InvalidValueError(field="x", value="a", expected="b", hint="Try c.")
    assert err.hint == "Try c."
    assert str(err) == "`x` must be b; got 'a'. Try c."
    assert err.args == ("`x` must be b; got 'a'. Try c.",)


def test_currency_mismatch_error():
    err = CurrencyMismatchError(left="EUR", right="USD", operation="compare")
    assert (err.left, err.right, err.operation) == ("EUR", "USD", "compare")
    assert (err.field, err.value) == ("currency", "USD")
    assert err.expected == "'EUR' to compare to an amount in EUR"
    assert err.hint == "Convert one amount first with Money.convert(rate, currency)."
    assert str(err) == (
        "`currency` must be 'EUR' to compare to an amount in EUR; got 'USD'. "
        "Convert one amount first with Money.convert(rate, currency)."
    )


def test_invalid_rows_error_one_row_many_rows_and_none():
    err = InvalidRowsError(
        frame="f", column="c", rows=["r1"], count=1, value=-1, expected=">= 0"
    )
    assert (err.frame, err.column, err.rows, err.count) == ("f", "c", ("r1",), 1)
    assert err.field == "f['r1'].c"
    assert str(err) == "`f['r1'].c` must be >= 0; got -1. 1 row fails this rule: 'r1'."
    err = InvalidRowsError(
        frame="f", column="c", rows=list(range(7)), count=9, value=0, expected="x"
    )
    assert err.rows == (0, 1, 2, 3, 4)
    assert str(err) == (
        "`f[0].c` must be x; got 0. 9 rows fail this rule: 0, 1, 2, 3, 4 and 4 more."
    )
    err = InvalidRowsError(
        frame="f", column="c", rows=(), count=0, value=0, expected="x"
    )
    assert err.field == "f.c"
    assert err.rows == ()
    assert str(err) == "`f.c` must be x; got 0. 0 rows fail this rule: ."


def test_schema_error_every_part_and_hints():
    err = SchemaError(
        frame="clients",
        missing=["sectr", "zzz", "ratng"],
        unexpected=["extra"],
        wrong_dtype=[("limit", "object", "float64")],
        known=["sector", "rating"],
    )
    assert err.frame == "clients"
    assert err.missing == ("sectr", "zzz", "ratng")
    assert err.unexpected == ("extra",)
    assert err.wrong_dtype == (("limit", "object", "float64"),)
    assert err.known == ("sector", "rating")
    assert err.field == "clients.columns"
    assert err.expected == "the columns and dtypes of the clients schema"
    assert err.hint == "Did you mean 'sector'? Did you mean 'rating'?"
    assert str(err) == (
        "`clients.columns` must be the columns and dtypes of the clients schema; got "
        "missing ['sectr', 'zzz', 'ratng']; unexpected ['extra']; 'limit' of dtype "
        "object (needs float64). Did you mean 'sector'? Did you mean 'rating'?"
    )
    plain = SchemaError(frame="f")
    assert (plain.missing, plain.unexpected, plain.wrong_dtype, plain.known) == (
        (),
        (),
        (),
        (),
    )
    assert (
        str(plain)
        == "`f.columns` must be the columns and dtypes of the f schema; got ."
    )


def test_infeasible_constraint_error_is_an_invalid_value_error():
    err = InfeasibleConstraintError(field="a", value=0.6, expected="at most 0.5")
    assert isinstance(err, InvalidValueError)
    assert str(err) == "`a` must be at most 0.5; got 0.6."


def test_batch_validation_error_message_attributes_derive_and_pickle():
    kids = [InvalidValueError(field=f"r[{i}]", value=i, expected="x") for i in range(3)]
    err = BatchValidationError(kids, total=10, what="entities")
    assert (err.total, err.what) == (10, "entities")
    assert err.message == (
        "3 of 10 entities are invalid: `r[0]` must be x; got 0.; "
        "`r[1]` must be x; got 1.; `r[2]` must be x; got 2."
    )
    assert list(err.exceptions) == kids
    assert err.args == (err.message, kids)
    default = BatchValidationError(kids[:1], total=2)
    assert default.what == "rows"
    assert default.message == "1 of 2 rows are invalid: `r[0]` must be x; got 0."
    assert default.args == (default.message, kids[:1])
    part, rest = err.split(lambda e: isinstance(e, InvalidValueError) and e.value == 1)
    assert isinstance(part, BatchValidationError)
    assert (part.total, part.what, list(part.exceptions)) == (10, "entities", [kids[1]])
    assert part.message.startswith("1 of 10 entities are invalid: `r[1]`")
    assert rest is not None
    assert [str(e) for e in rest.exceptions] == [str(kids[0]), str(kids[2])]
    back = again(err)
    assert type(back) is BatchValidationError
    assert (back.total, back.what, back.message) == (10, "entities", err.message)
    assert [str(e) for e in back.exceptions] == [str(e) for e in kids]


def test_unknown_reference_error_with_and_without_field_and_hint():
    err = UnknownReferenceError(
        kind="facility", key="F-9", field="rows[2].id", known=["F-1"]
    )
    assert (err.kind, err.key, err.field, err.known) == (
        "facility",
        "F-9",
        "rows[2].id",
        ("F-1",),
    )
    assert (
        str(err)
        == "No facility with id 'F-9' (referenced by `rows[2].id`). Did you mean 'F-1'?"
    )
    bare = UnknownReferenceError(kind="client", key=7)
    assert (bare.field, bare.known) == ("", ())
    assert str(bare) == "No client with id 7."
    assert bare.args == ("No client with id 7.",)
    assert isinstance(bare, LookupError)


def test_lifecycle_errors():
    err: Any = LifecycleDefinitionError(machine="m", problems=["a", "b"])
    assert (err.machine, err.problems) == ("m", ("a", "b"))
    assert str(err) == "Machine 'm' is not valid: a; b."
    err = IllegalTransitionError(
        stage="s", event="e", allowed=["a", "b"], subject="project"
    )
    assert (err.stage, err.event, err.allowed, err.subject) == (
        "s",
        "e",
        ("a", "b"),
        "project",
    )
    assert str(err) == (
        "Cannot apply event 'e' to a project in stage 's'. Allowed events from 's': a, b."
    )
    terminal = IllegalTransitionError(stage="exited", event="e", allowed=())
    assert terminal.subject == "client"
    assert str(terminal) == (
        "Cannot apply event 'e' to a client in stage 'exited'. Allowed events from "
        "'exited': none ('exited' is terminal)."
    )
    err = GuardRefusedError(stage="s", event="e", guard="g", reason="r")
    assert (err.stage, err.event, err.guard, err.reason) == ("s", "e", "g", "r")
    assert str(err) == "Guard 'g' refused event 'e' in stage 's': r."
    err = OutOfOrderTransitionError(last_on=dt.date(2026, 3, 1), on=dt.date(2026, 2, 1))
    assert (err.last_on, err.on) == (dt.date(2026, 3, 1), dt.date(2026, 2, 1))
    assert str(err) == (
        "A transition on 2026-02-01 cannot follow the last one on 2026-03-01: "
        "dates may not go backwards."
    )
    err = TamperedHistoryError(index=3, reason="r")
    assert (err.index, err.reason) == (3, "r")
    assert str(err) == "History record 3 fails verification: r."


def test_unknown_strategy_error_sorted_registered_and_default_kind():
    err = UnknownStrategyError(name="rfn", known=["rfm", "abc"], kind="stage rule")
    assert (err.name, err.known, err.kind) == ("rfn", ("abc", "rfm"), "stage rule")
    assert (
        str(err)
        == "No stage rule named 'rfn'. Did you mean 'rfm'? Registered: abc, rfm."
    )
    none = UnknownStrategyError(name="x", known=())
    assert none.kind == "segmentation strategy"
    assert str(none) == "No segmentation strategy named 'x'. Registered: none."
    assert none.args == ("No segmentation strategy named 'x'. Registered: none.",)


def test_model_and_rule_errors():
    err: Any = ConvergenceError(model="m", iterations=7, detail="d")
    assert (err.model, err.iterations, err.detail) == ("m", 7, "d")
    assert str(err) == "Model 'm' did not converge after 7 iterations: d."
    err = ModelMismatchError(model="m", missing=["a"], unexpected=["b"])
    assert (err.model, err.missing, err.unexpected) == ("m", ("a",), ("b",))
    assert (
        str(err)
        == "Model 'm' was fitted on other columns: missing ['a']; unexpected ['b']."
    )
    only = ModelMismatchError(model="m", unexpected=["b"])
    assert only.missing == ()
    assert str(only) == "Model 'm' was fitted on other columns: unexpected ['b']."
    assert ModelMismatchError(model="m", missing=["a"]).unexpected == ()
    err = RuleError(rule="r", kind="k", cause="c")
    assert (err.rule, err.kind, err.cause) == ("r", "k", "c")
    assert str(err) == "The k 'r' failed: c."


def test_the_tree():
    cls: type
    assert issubclass(InvalidValueError, LendCRMError)
    assert issubclass(InvalidValueError, ValueError)
    for cls in (
        CurrencyMismatchError,
        InvalidRowsError,
        SchemaError,
        InfeasibleConstraintError,
    ):
        assert issubclass(cls, InvalidValueError)
    for cls in (
        LifecycleDefinitionError,
        IllegalTransitionError,
        GuardRefusedError,
        OutOfOrderTransitionError,
        TamperedHistoryError,
    ):
        assert issubclass(cls, LifecycleError)
    for cls in (
        IllegalTransitionError,
        GuardRefusedError,
        OutOfOrderTransitionError,
        ModelMismatchError,
    ):
        assert issubclass(cls, ValueError)
    assert issubclass(UnknownStrategyError, StrategyError)
    assert issubclass(UnknownStrategyError, LookupError)
    assert issubclass(ConvergenceError, ModelError)
    assert issubclass(LendCRMWarning, UserWarning)
    assert issubclass(LendCRMDeprecationWarning, DeprecationWarning)


def test_a_plain_root_error_pickles_by_its_args_with_notes_and_cause():
    err = LendCRMError("plain", 2)
    err.add_note("a note")
    try:
        raise err from KeyError("k")
    except LendCRMError as caught:
        back = again(caught)
    assert type(back) is LendCRMError
    assert back.args == ("plain", 2)
    assert back.__notes__ == ["a note"]
    assert isinstance(back.__cause__, KeyError)


@pytest.mark.parametrize(
    "err",
    [
        InvalidValueError(field="f", value=[1], expected="e", hint="h"),
        InvalidRowsError(
            frame="f", column="c", rows=(1, 2), count=2, value=0, expected="e"
        ),
        UnknownReferenceError(kind="k", key="K", field="f", known=("K1",)),
        IllegalTransitionError(
            stage="s", event="e", allowed=("a",), subject="facility"
        ),
        UnknownStrategyError(name="n", known=("b", "a"), kind="k"),
    ],
)
def test_keyword_errors_pickle_to_the_same_attributes_and_message(err):
    back = again(err)
    assert type(back) is type(err)
    assert vars(back) == vars(err)
    assert str(back) == str(err)
