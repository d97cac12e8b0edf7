"""Stage assessment: exact stages, batch == one client, rules, and every bad input."""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lendcrm.errors import (
    BatchValidationError,
    InvalidRowsError,
    InvalidValueError,
    RuleError,
    SchemaError,
    UnknownStrategyError,
)
from lendcrm.frames import columns as schema
from lendcrm.frames.columns import STAGE
from lendcrm.lifecycle import (
    SIGNAL_SPECS,
    ClientStage,
    PastDue,
    StageRule,
    StageRules,
    StageSignals,
    assess_signals,
    assess_stage,
    example_columns,
    transitions_to_reach,
)
from lendcrm.lifecycle.frames import REASONS, assess_stages, signals_from_frame

AS_OF = dt.date(2026, 6, 30)
RULES = StageRules.builtin()


def _neutral() -> dict[str, object]:
    """A drawn client, 24 months in, no growth and no distress: the default stage."""
    return {
        schema.SIG_HAS_FACILITY: True,
        schema.SIG_HAS_DRAWN: True,
        schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: 24,
        schema.SIG_TENURE_MONTHS: 24,
        schema.SIG_EXPOSURE_GROWTH_YOY: 0.02,
        schema.SIG_REVENUE_GROWTH_YOY: 0.02,
        schema.SIG_PRODUCT_COUNT_CHANGE: 0,
        schema.SIG_UTILISATION_CHANGE: 0.0,
        schema.SIG_RATING_NOTCHES_MOVED: 0,
        schema.SIG_ON_WATCHLIST: False,
        schema.SIG_DAYS_PAST_DUE: 0,
        schema.SIG_COVENANT_BREACHES: 0,
        schema.SIG_HAS_DSCR: False,
        schema.SIG_DSCR_HEADROOM: 0.0,
    }


# Each case is hand-derived from the rule thresholds documented on the classes.
CASES = [
    ({}, ClientStage.MATURITY, ()),
    ({schema.SIG_TENURE_MONTHS: 36}, ClientStage.MATURITY, ("steady_relationship",)),
    (
        {
            schema.SIG_HAS_DRAWN: False,
            schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: 0,
            schema.SIG_ON_WATCHLIST: True,
        },
        ClientStage.ACQUISITION,
        ("no_drawdown", "on_watchlist"),
    ),
    (
        {schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: 11},
        ClientStage.ACTIVATION,
        ("recent_first_drawdown",),
    ),
    ({schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: 12}, ClientStage.MATURITY, ()),
    ({schema.SIG_EXPOSURE_GROWTH_YOY: 0.10}, ClientStage.GROWTH, ("exposure_growth",)),
    ({schema.SIG_EXPOSURE_GROWTH_YOY: 0.0999}, ClientStage.MATURITY, ()),
    (
        {schema.SIG_PRODUCT_COUNT_CHANGE: 1, schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: 3},
        ClientStage.ACTIVATION,
        ("recent_first_drawdown", "product_deepening"),
    ),
    (
        {schema.SIG_DAYS_PAST_DUE: 30, schema.SIG_REVENUE_GROWTH_YOY: 0.5},
        ClientStage.DECLINE,
        ("revenue_growth", "past_due"),
    ),
    ({schema.SIG_DAYS_PAST_DUE: 29}, ClientStage.MATURITY, ()),
    (
        {schema.SIG_HAS_DSCR: True, schema.SIG_DSCR_HEADROOM: -0.01},
        ClientStage.DECLINE,
        ("dscr_below_lockup",),
    ),
    (
        {schema.SIG_HAS_DSCR: False, schema.SIG_DSCR_HEADROOM: -0.5},
        ClientStage.MATURITY,
        (),
    ),
    ({schema.SIG_RATING_NOTCHES_MOVED: 2}, ClientStage.DECLINE, ("rating_downgrade",)),
    ({schema.SIG_RATING_NOTCHES_MOVED: -3}, ClientStage.MATURITY, ()),
    ({schema.SIG_REVENUE_GROWTH_YOY: -0.2}, ClientStage.DECLINE, ("revenue_decline",)),
    ({schema.SIG_UTILISATION_CHANGE: 0.3}, ClientStage.DECLINE, ("utilisation_surge",)),
    (
        {schema.SIG_COVENANT_BREACHES: 1, schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: 2},
        ClientStage.DECLINE,
        ("recent_first_drawdown", "covenant_breach"),
    ),
]


@pytest.mark.parametrize(("changes", "stage", "reasons"), CASES)
def test_exact_stage_and_reasons(changes, stage, reasons):
    row = {**_neutral(), **changes}
    single = assess_stage(row, as_of=AS_OF, rules=RULES)
    assert (single.stage, single.reasons, single.as_of) == (stage, reasons, AS_OF)
    frame = pd.DataFrame([row], index=["C-1"])
    out = assess_stages(frame, as_of=AS_OF, rules=RULES)
    assert out.loc["C-1", STAGE] == stage.value
    assert out.loc["C-1", REASONS] == ",".join(reasons)


def _random_frame(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    drawn = rng.random(n) < 0.85
    has_dscr = rng.random(n) < 0.3
    return pd.DataFrame(
        {
            schema.SIG_HAS_FACILITY: drawn | (rng.random(n) < 0.5),
            schema.SIG_HAS_DRAWN: drawn,
            schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: np.where(
                drawn, rng.integers(0, 60, n), 0
            ),
            schema.SIG_TENURE_MONTHS: rng.integers(0, 120, n),
            schema.SIG_EXPOSURE_GROWTH_YOY: rng.normal(0.02, 0.12, n).clip(-1),
            schema.SIG_REVENUE_GROWTH_YOY: rng.normal(0.02, 0.15, n),
            schema.SIG_PRODUCT_COUNT_CHANGE: rng.integers(-2, 3, n),
            schema.SIG_UTILISATION_CHANGE: rng.normal(0, 0.15, n).clip(-1, 1),
            schema.SIG_RATING_NOTCHES_MOVED: rng.integers(-3, 4, n),
            schema.SIG_ON_WATCHLIST: rng.random(n) < 0.05,
            schema.SIG_DAYS_PAST_DUE: rng.integers(0, 4, n)
            * (rng.random(n) < 0.1)
            * 15,
            schema.SIG_COVENANT_BREACHES: (rng.random(n) < 0.04).astype(np.int64),
            schema.SIG_HAS_DSCR: has_dscr,
            schema.SIG_DSCR_HEADROOM: np.where(has_dscr, rng.normal(0.2, 0.3, n), 0.0),
        },
        index=pd.Index([f"C-{i}" for i in range(n)], name="client_id"),
    )


def test_one_client_agrees_with_the_batch_on_many_random_rows():
    frame = _random_frame(600, seed=7)
    out = assess_stages(frame, as_of=AS_OF, rules=RULES)
    assert out[STAGE].nunique() == 5  # every live stage occurs
    for i in range(len(frame)):
        label = str(frame.index[i])
        single = assess_stage(frame.iloc[i].to_dict(), as_of=AS_OF, rules=RULES)
        assert single.stage.value == out.loc[label, STAGE]
        assert ",".join(single.reasons) == out.loc[label, REASONS]


def test_partitions_give_the_same_rows_and_the_input_is_untouched():
    frame = _random_frame(300, seed=11)
    before = frame.copy()
    whole = assess_stages(frame, as_of=AS_OF, rules=RULES)
    parts = pd.concat(
        [
            assess_stages(frame.iloc[i : i + 70], as_of=AS_OF, rules=RULES)
            for i in range(0, 300, 70)
        ]
    )
    pd.testing.assert_frame_equal(
        whole.astype(str), parts.astype(str), check_categorical=False
    )
    pd.testing.assert_frame_equal(frame, before)
    assert whole.index.equals(frame.index)


def test_numpy_face_matches_the_frame_face():
    frame = _random_frame(200, seed=3)
    signals = StageSignals.from_columns(
        {c: frame[c].to_numpy() for c in frame.columns}, as_of=AS_OF
    )
    result = assess_signals(signals, rules=RULES)
    out = assess_stages(frame, as_of=AS_OF, rules=RULES)
    assert [s.value for s in result.stages()] == out[STAGE].tolist()
    assert result.fired.shape == (200, 13)
    assert len(result) == 200
    assert result.as_of == AS_OF


def test_assessed_stages_turn_into_proposed_events():
    out = assess_stages(
        pd.DataFrame(example_columns(), index=["P", "G", "D"]), as_of=AS_OF, rules=RULES
    )
    stored = {"P": "acquisition", "G": "activation", "D": "maturity"}
    proposals = {
        label: tuple(
            str(e)
            for e in transitions_to_reach(stored[label], str(out.loc[label, STAGE]))
        )
        for label in stored
    }
    assert proposals == {"P": (), "G": ("expand",), "D": ("deteriorate",)}


# --- pluggable rules -----------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DormantAccount:
    """A custom rule: no products added and revenue flat for a long tenure."""

    min_tenure_months: float = 120.0
    name: str = "dormant_account"
    stage: ClientStage = ClientStage.DECLINE

    def evaluate(self, signals: StageSignals) -> np.ndarray:
        return (signals.tenure_months >= self.min_tenure_months) & (
            signals.product_count_change <= 0
        )


def test_custom_rule_plugs_in_and_thresholds_are_fields():
    assert isinstance(DormantAccount(), StageRule)
    rules = RULES.with_rule(DormantAccount())
    row = {**_neutral(), schema.SIG_TENURE_MONTHS: 130}
    assert assess_stage(row, as_of=AS_OF, rules=rules).reasons == (
        "steady_relationship",
        "dormant_account",
    )
    assert assess_stage(row, as_of=AS_OF, rules=rules).stage is ClientStage.DECLINE
    stricter = RULES.with_rule(PastDue(min_days=90), replace=True)
    row = {**_neutral(), schema.SIG_DAYS_PAST_DUE: 45}
    assert assess_stage(row, as_of=AS_OF, rules=stricter).stage is ClientStage.MATURITY
    assert assess_stage(row, as_of=AS_OF, rules=RULES).stage is ClientStage.DECLINE
    assert "past_due" not in RULES.without("past_due").names
    assert StageRules.builtin() == RULES  # a fresh, equal set each time
    assert StageRules.builtin() is not RULES


def test_rule_set_errors():
    with pytest.raises(
        InvalidValueError,
        match=r"`rules\[13\].name` must be a name no other rule of the set has; got "
        r"'past_due'\. Use with_rule\(\.\.\., replace=True\) to swap a rule\.",
    ):
        RULES.with_rule(PastDue(min_days=90))
    with pytest.raises(
        InvalidValueError,
        match=r"`rules\[0\].stage` must be a stage listed in precedence \(decline\); "
        r"got 'acquisition'",
    ):
        StageRules(rules=[RULES.get("no_drawdown")], precedence=[ClientStage.DECLINE])
    with pytest.raises(InvalidValueError, match=r"`rules\[0\]` must be a StageRule"):
        StageRules(rules=["past_due"])  # type: ignore[list-item]
    with pytest.raises(
        UnknownStrategyError,
        match=r"No stage rule named 'pastdue'\. Did you mean 'past_due'\?",
    ):
        RULES.get("pastdue")


@attrs.frozen(kw_only=True)
class Broken:
    """A rule that returns whatever it is given (to test the shape/dtype check)."""

    result: np.ndarray
    name: str = "broken"
    stage: ClientStage = ClientStage.DECLINE

    def evaluate(self, signals: StageSignals) -> np.ndarray:  # noqa: ARG002
        return self.result


def test_a_failing_rule_is_named():
    signals = StageSignals.from_columns(example_columns(), as_of=AS_OF)

    @attrs.frozen(kw_only=True)
    class Raising:
        name: str = "raising"
        stage: ClientStage = ClientStage.DECLINE

        def evaluate(self, signals: StageSignals) -> np.ndarray:  # noqa: ARG002
            msg = "missing_column"
            raise KeyError(msg)

    with pytest.raises(
        RuleError,
        match=r"The stage rule 'raising' failed: KeyError: 'missing_column'\.",
    ):
        assess_signals(signals, rules=RULES.with_rule(Raising()))
    with pytest.raises(
        RuleError,
        match=r"The stage rule 'broken' failed: it returned an array of shape \(2,\) and "
        r"dtype bool; expected bool of shape \(3,\)\.",
    ):
        assess_signals(
            signals, rules=RULES.with_rule(Broken(result=np.array([True, False])))
        )
    with pytest.raises(RuleError, match=r"dtype float64"):
        assess_signals(signals, rules=RULES.with_rule(Broken(result=np.zeros(3))))


def test_more_than_63_rules_still_label_reasons():
    many = RULES
    for i in range(60):
        many = many.with_rule(PastDue(min_days=float(i), name=f"past_due_{i:02d}"))
    out = assess_stages(pd.DataFrame(example_columns()), as_of=AS_OF, rules=many)
    assert out.loc[0, REASONS] == "no_drawdown,past_due_00"
    assert str(out.loc[2, REASONS]).count("past_due_") == 46


# --- bad input -----------------------------------------------------------------------


def test_missing_columns_are_a_schema_error_with_a_hint():
    frame = pd.DataFrame(example_columns()).rename(columns={"days_past_due": "dpd"})
    with pytest.raises(
        SchemaError,
        match=r"`signals.columns` must be the columns and dtypes of the "
        r"signals schema; got missing \['days_past_due'\]",
    ):
        assess_stages(frame, as_of=AS_OF, rules=RULES)


def test_nan_and_negative_months_name_their_rows():
    frame = pd.DataFrame(example_columns(), index=["P-1", "G-2", "D-3"])
    frame[schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN] = [0.0, np.nan, -3.0]
    frame[schema.SIG_DSCR_HEADROOM] = [0.0, 0.1, np.nan]
    with pytest.raises(BatchValidationError) as info:
        assess_stages(frame, as_of=AS_OF, rules=RULES)
    messages = [str(e) for e in info.value.exceptions]
    assert messages == [
        (
            "`signals['G-2'].months_since_first_drawdown` must be present (not missing); "
            "got nan. 1 row fails this rule: 'G-2'."
        ),
        (
            "`signals['D-3'].months_since_first_drawdown` must be a whole number >= 0; "
            "got -3.0. 1 row fails this rule: 'D-3'."
        ),
        (
            "`signals['D-3'].dscr_headroom` must be present (not missing); got nan. "
            "1 row fails this rule: 'D-3'."
        ),
    ]
    assert all(isinstance(e, InvalidRowsError) for e in info.value.exceptions)
    second = info.value.exceptions[1]
    assert isinstance(second, InvalidRowsError)
    assert second.rows == ("D-3",)


def test_wrong_dtype_and_wrong_frame_type():
    frame = pd.DataFrame(example_columns())
    frame[schema.SIG_ON_WATCHLIST] = ["no", "no", "yes"]
    with pytest.raises(
        SchemaError, match=r"'on_watchlist' of dtype (object|str) \(needs bool\)"
    ):
        assess_stages(frame, as_of=AS_OF, rules=RULES)
    with pytest.raises(
        InvalidValueError, match=r"`signals` must be a pandas DataFrame; got 'dict'"
    ):
        signals_from_frame(example_columns(), as_of=AS_OF)  # type: ignore[arg-type]


def test_as_of_must_be_a_date():
    frame = pd.DataFrame(example_columns())
    for call in (
        lambda: assess_stages(
            frame, as_of=dt.datetime(2026, 6, 30, tzinfo=dt.UTC), rules=RULES
        ),
        lambda: assess_stage(_neutral(), as_of="2026-06-30", rules=RULES),  # type: ignore[arg-type]
        lambda: StageSignals.from_columns(example_columns(), as_of=None),  # type: ignore[arg-type]
    ):
        with pytest.raises(InvalidValueError, match=r"`as_of` must be a datetime.date"):
            call()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN,
            -1,
            r"`signals_row.months_since_first_drawdown` must be a whole number >= 0; got -1",
        ),
        (
            schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN,
            float("nan"),
            r"`signals_row.months_since_first_drawdown` must be a whole number >= 0; got nan",
        ),
        (
            schema.SIG_TENURE_MONTHS,
            2.5,
            r"`signals_row.tenure_months` must be a whole number >= 0; got 2.5",
        ),
        (
            schema.SIG_UTILISATION_CHANGE,
            1.5,
            r"`signals_row.utilisation_change` must be a finite number in \[-1, 1\]; got 1.5",
        ),
        (
            schema.SIG_ON_WATCHLIST,
            1,
            r"`signals_row.on_watchlist` must be a boolean; got 1",
        ),
        (
            schema.SIG_DAYS_PAST_DUE,
            "30",
            r"`signals_row.days_past_due` must be a number; got '30'",
        ),
        (
            schema.SIG_COVENANT_BREACHES,
            True,
            r"`signals_row.covenant_breaches` must be a number; got True",
        ),
    ],
)
def test_one_client_bad_values(key, value, message):
    with pytest.raises(InvalidValueError, match=message):
        assess_stage({**_neutral(), key: value}, as_of=AS_OF, rules=RULES)


def test_one_client_missing_signal():
    row = _neutral()
    del row[schema.SIG_HAS_DSCR]
    with pytest.raises(
        SchemaError, match=r"`signals_row.columns` .* got missing \['has_dscr'\]"
    ):
        assess_stage(row, as_of=AS_OF, rules=RULES)


def test_numpy_boundary_names_the_first_bad_index():
    cols = example_columns()
    with pytest.raises(
        InvalidValueError,
        match=r"`signals.tenure_months\[1\]` must be a whole number >= 0; got 40.5",
    ):
        StageSignals.from_columns(
            {**cols, schema.SIG_TENURE_MONTHS: [2, 40.5, 96]}, as_of=AS_OF
        )
    with pytest.raises(
        InvalidValueError,
        match=r"`signals.days_past_due\[2\]` must be a finite number >= 0",
    ):
        StageSignals.from_columns(
            {**cols, schema.SIG_DAYS_PAST_DUE: [0, 0, -1]}, as_of=AS_OF
        )
    with pytest.raises(
        InvalidValueError, match=r"`signals.has_dscr` must be the same length"
    ):
        StageSignals.from_columns({**cols, schema.SIG_HAS_DSCR: [True]}, as_of=AS_OF)
    with pytest.raises(SchemaError, match=r"missing \['has_drawn'\]"):
        StageSignals.from_columns(
            {k: v for k, v in cols.items() if k != schema.SIG_HAS_DRAWN}, as_of=AS_OF
        )


def test_signal_specs_cover_every_signal_field():
    names = [f.name for f in attrs.fields(StageSignals) if f.name != "as_of"]
    assert names == [s.name for s in SIGNAL_SPECS]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 21).flatmap(
        lambda k: st.tuples(
            st.just(k), st.lists(st.integers(0, (1 << k) - 1), max_size=50)
        )
    )
)
def test_fired_patterns_are_numbered_as_np_unique_numbers_them(drawn):
    # #20: few rules count their patterns in a table instead of sorting the keys
    from lendcrm.lifecycle.frames import _distinct_keys

    k, values = drawn
    keys = np.asarray(values, dtype=np.int64)
    combos, inverse = _distinct_keys(keys, k)
    want_combos, want_inverse = np.unique(keys, return_inverse=True)
    np.testing.assert_array_equal(combos, want_combos)
    np.testing.assert_array_equal(inverse, want_inverse.reshape(-1))
