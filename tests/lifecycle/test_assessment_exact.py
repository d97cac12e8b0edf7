"""Stage assessment: one client's bounds tried at their edges, the refusals' fields (#23).

Each test pins a behaviour of ``lendcrm/lifecycle/_assessment.py`` the broad tests
leave open: a value exactly on a signal's bound is accepted and one just past it is
refused (with the bound in the words), numpy scalars are accepted, the arguments
each function refuses name their field, a rule's own library error passes through
unwrapped, and the stage codes index `STAGE_ORDER`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import numpy as np
import pytest

from lendcrm.errors import InvalidValueError, SchemaError
from lendcrm.lifecycle import (
    STAGE_ORDER,
    ClientStage,
    OnWatchlist,
    StageRules,
    StageSignals,
    assess_signals,
    assess_stage,
    example_columns,
)

AS_OF = dt.date(2026, 6, 30)
RULES = StageRules.builtin()
GROWER = {k: v[1] for k, v in example_columns().items()}


def test_stage_order_is_the_enum_order():
    assert STAGE_ORDER == (
        ClientStage.ACQUISITION,
        ClientStage.ACTIVATION,
        ClientStage.GROWTH,
        ClientStage.MATURITY,
        ClientStage.DECLINE,
        ClientStage.EXITED,
    )


@pytest.mark.parametrize(
    ("column", "value", "reasons"),
    [
        ("utilisation_change", 1, ("utilisation_surge",)),
        ("utilisation_change", -1, ()),
        ("exposure_growth_yoy", -1, ()),
        ("days_past_due", np.int64(30), ("past_due",)),
        ("rating_notches_moved", np.float32(2.0), ("rating_downgrade",)),
        ("on_watchlist", np.bool_(True), ("on_watchlist",)),
    ],
)
def test_values_on_their_bounds_and_numpy_scalars_are_accepted(column, value, reasons):
    out = assess_stage({**GROWER, column: value}, as_of=AS_OF, rules=RULES)
    base = ("revenue_growth", "product_deepening")
    growth = () if column == "exposure_growth_yoy" else ("exposure_growth",)
    assert out.reasons == (*growth, *base, *reasons)
    assert out.as_of == AS_OF


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "utilisation_change",
            -1.0001,
            "`signals_row.utilisation_change` must be a finite number in [-1, 1]",
        ),
        (
            "exposure_growth_yoy",
            -1.0001,
            "`signals_row.exposure_growth_yoy` must be a finite number >= -1",
        ),
        (
            "dscr_headroom",
            float("inf"),
            "`signals_row.dscr_headroom` must be a finite number",
        ),
        (
            "rating_notches_moved",
            0.5,
            "`signals_row.rating_notches_moved` must be a whole number",
        ),
        (
            "has_dscr",
            np.float64(1.0),
            "`signals_row.has_dscr` must be a boolean",
        ),
        (
            "days_past_due",
            np.bool_(False),
            "`signals_row.days_past_due` must be a number",
        ),
    ],
)
def test_values_past_their_bounds_are_refused_with_the_bound(column, value, message):
    with pytest.raises(InvalidValueError) as info:
        assess_stage({**GROWER, column: value}, as_of=AS_OF, rules=RULES)
    assert info.value.field == f"signals_row.{column}"
    # the words up to the value shown (numpy scalars repr differently across numpy)
    assert str(info.value).startswith(message + "; got ")


def test_arguments_that_are_not_what_they_should_be_are_named():
    not_a_row: Any = [1]
    with pytest.raises(InvalidValueError) as info:
        assess_stage(not_a_row, as_of=AS_OF, rules=RULES)
    assert info.value.field == "signals_row"
    assert "a mapping of signals" in str(info.value)
    with pytest.raises(SchemaError) as schema_info:
        assess_stage({"x": 1, 3: 2}, as_of=AS_OF, rules=RULES)
    assert schema_info.value.frame == "signals_row"
    assert schema_info.value.known == ("x", "3")
    signals = StageSignals.from_columns(example_columns(), as_of=AS_OF)
    bad: Any = "builtin"
    for call, field, words in (
        (lambda: assess_signals(bad, rules=RULES), "signals", "a StageSignals"),
        (lambda: assess_signals(signals, rules=bad), "rules", "a StageRules"),
        (lambda: assess_stage(GROWER, as_of=AS_OF, rules=bad), "rules", "a StageRules"),
    ):
        with pytest.raises(InvalidValueError) as info:
            call()
        assert info.value.field == field
        assert words in str(info.value)


@attrs.frozen(kw_only=True)
class Refusing:
    """A rule that refuses its input with the library's own error."""

    name: str = "refusing"
    stage: ClientStage = ClientStage.DECLINE

    def evaluate(self, signals: StageSignals) -> np.ndarray:  # noqa: ARG002
        raise InvalidValueError(field="threshold", value=-1, expected="a number >= 0")


def test_a_rules_own_library_error_passes_through():
    signals = StageSignals.from_columns(example_columns(), as_of=AS_OF)
    with pytest.raises(InvalidValueError) as info:
        assess_signals(signals, rules=RULES.with_rule(Refusing()))
    assert info.value.field == "threshold"


def test_default_stage_and_precedence_of_a_custom_set():
    signals = StageSignals.from_columns(example_columns(), as_of=AS_OF)
    only_watch = StageRules(
        rules=(OnWatchlist(),),
        precedence=(ClientStage.DECLINE,),
        default_stage=ClientStage.GROWTH,
    )
    out = assess_signals(signals, rules=only_watch)
    assert out.stage_codes.dtype == np.int8
    assert out.stage_codes.tolist() == [2, 2, 4]
    assert [str(s) for s in out.stages()] == ["growth", "growth", "decline"]
    assert out.fired.tolist() == [[False], [False], [True]]
    assert out.rule_names == ("on_watchlist",)
    assert len(out) == 3
    assert out.as_of == AS_OF
    assert out.reasons(2) == ("on_watchlist",)
    assert out.reasons(0) == ()
