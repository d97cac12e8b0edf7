"""Stage rules: every default pinned, every threshold tried at its exact edge (#23).

The defaults are class-level attrs fields (which mutation tools skip), so one golden
repr of the built-in set pins every threshold, name and stage; each rule is then
evaluated on two clients, one exactly at the threshold and one just past it, so a
``>=`` that became ``>`` (or a dropped ``abs``, or a dropped ``has_drawn``) fails.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError, UnknownStrategyError
from lendcrm.frames import columns as schema
from lendcrm.lifecycle import (
    DEFAULT_PRECEDENCE,
    ClientStage,
    CovenantBreach,
    DscrBelowLockup,
    ExposureGrowth,
    NoDrawdownYet,
    OnWatchlist,
    PastDue,
    ProductDeepening,
    RatingDowngrade,
    RecentFirstDrawdown,
    RevenueDecline,
    RevenueGrowth,
    StageRule,
    StageRules,
    StageSignals,
    SteadyRelationship,
    UtilisationSurge,
    example_columns,
)

AS_OF = dt.date(2026, 6, 30)

BUILTIN_REPR = (
    "StageRules(rules=("
    "NoDrawdownYet(name='no_drawdown', stage=<ClientStage.ACQUISITION: 'acquisition'>), "
    "RecentFirstDrawdown(within_months=12.0, name='recent_first_drawdown', "
    "stage=<ClientStage.ACTIVATION: 'activation'>), "
    "ExposureGrowth(min_growth=0.1, name='exposure_growth', "
    "stage=<ClientStage.GROWTH: 'growth'>), "
    "RevenueGrowth(min_growth=0.1, name='revenue_growth', "
    "stage=<ClientStage.GROWTH: 'growth'>), "
    "ProductDeepening(min_new_products=1.0, name='product_deepening', "
    "stage=<ClientStage.GROWTH: 'growth'>), "
    "SteadyRelationship(min_tenure_months=36.0, max_abs_growth=0.05, "
    "name='steady_relationship', stage=<ClientStage.MATURITY: 'maturity'>), "
    "OnWatchlist(name='on_watchlist', stage=<ClientStage.DECLINE: 'decline'>), "
    "PastDue(min_days=30.0, name='past_due', stage=<ClientStage.DECLINE: 'decline'>), "
    "CovenantBreach(min_breaches=1.0, name='covenant_breach', "
    "stage=<ClientStage.DECLINE: 'decline'>), "
    "RatingDowngrade(min_notches=2.0, name='rating_downgrade', "
    "stage=<ClientStage.DECLINE: 'decline'>), "
    "DscrBelowLockup(min_headroom=0.0, name='dscr_below_lockup', "
    "stage=<ClientStage.DECLINE: 'decline'>), "
    "RevenueDecline(max_growth=-0.2, name='revenue_decline', "
    "stage=<ClientStage.DECLINE: 'decline'>), "
    "UtilisationSurge(min_change=0.3, name='utilisation_surge', "
    "stage=<ClientStage.DECLINE: 'decline'>)), "
    "precedence=(<ClientStage.ACQUISITION: 'acquisition'>, "
    "<ClientStage.DECLINE: 'decline'>, <ClientStage.ACTIVATION: 'activation'>, "
    "<ClientStage.GROWTH: 'growth'>, <ClientStage.MATURITY: 'maturity'>), "
    "default_stage=<ClientStage.MATURITY: 'maturity'>)"
)


def test_builtin_defaults_are_pinned():
    assert repr(StageRules.builtin()) == BUILTIN_REPR
    assert DEFAULT_PRECEDENCE == (
        ClientStage.ACQUISITION,
        ClientStage.DECLINE,
        ClientStage.ACTIVATION,
        ClientStage.GROWTH,
        ClientStage.MATURITY,
    )


def signals(**columns: list[Any]) -> StageSignals:
    """Three clients: the example columns with some columns replaced."""
    return StageSignals.from_columns({**example_columns(), **columns}, as_of=AS_OF)


DRAWN = {schema.SIG_HAS_DRAWN: [True, True, True]}


@pytest.mark.parametrize(
    ("rule", "columns", "fires"),
    [
        (NoDrawdownYet(), {schema.SIG_HAS_DRAWN: [True, False, True]}, [0, 1, 0]),
        (
            RecentFirstDrawdown(),
            {**DRAWN, schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: [11, 12, 0]},
            [1, 0, 1],
        ),
        (
            RecentFirstDrawdown(),
            {
                schema.SIG_HAS_DRAWN: [False, True, True],
                schema.SIG_MONTHS_SINCE_FIRST_DRAWDOWN: [0, 0, 13],
            },
            [0, 1, 0],
        ),
        (
            ExposureGrowth(),
            {schema.SIG_EXPOSURE_GROWTH_YOY: [0.1, 0.0999, 2.0]},
            [1, 0, 1],
        ),
        (
            RevenueGrowth(),
            {schema.SIG_REVENUE_GROWTH_YOY: [0.1, 0.0999, -2.0]},
            [1, 0, 0],
        ),
        (ProductDeepening(), {schema.SIG_PRODUCT_COUNT_CHANGE: [1, 0, 2]}, [1, 0, 1]),
        (OnWatchlist(), {schema.SIG_ON_WATCHLIST: [True, False, True]}, [1, 0, 1]),
        (PastDue(), {schema.SIG_DAYS_PAST_DUE: [30, 29, 31]}, [1, 0, 1]),
        (CovenantBreach(), {schema.SIG_COVENANT_BREACHES: [1, 0, 2]}, [1, 0, 1]),
        (RatingDowngrade(), {schema.SIG_RATING_NOTCHES_MOVED: [2, 1, -3]}, [1, 0, 0]),
        (
            DscrBelowLockup(),
            {
                schema.SIG_HAS_DSCR: [True, True, False],
                schema.SIG_DSCR_HEADROOM: [-0.01, 0.0, -1.0],
            },
            [1, 0, 0],
        ),
        (
            RevenueDecline(),
            {**DRAWN, schema.SIG_REVENUE_GROWTH_YOY: [-0.2, -0.1999, -0.5]},
            [1, 0, 1],
        ),
        (
            RevenueDecline(),
            {
                schema.SIG_HAS_DRAWN: [False, True, True],
                schema.SIG_REVENUE_GROWTH_YOY: [-0.5, -0.5, 0.0],
            },
            [0, 1, 0],
        ),
        (
            UtilisationSurge(),
            {schema.SIG_UTILISATION_CHANGE: [0.3, 0.2999, -1]},
            [1, 0, 0],
        ),
    ],
)
def test_each_rule_at_its_exact_threshold(rule, columns, fires):
    mask = rule.evaluate(signals(**columns))
    assert mask.dtype == np.bool_
    assert mask.tolist() == [bool(x) for x in fires]


def test_steady_relationship_edges():
    rule = SteadyRelationship()
    steady: dict[str, list[Any]] = {
        schema.SIG_HAS_DRAWN: [True, True, False],
        schema.SIG_TENURE_MONTHS: [36, 35, 96],
        schema.SIG_EXPOSURE_GROWTH_YOY: [-0.05, 0.0, 0.0],
        schema.SIG_REVENUE_GROWTH_YOY: [0.05, 0.0, 0.0],
    }
    assert rule.evaluate(signals(**steady)).tolist() == [True, False, False]
    # a fall bigger than the band is not steady (|growth|, not growth)
    for column in (schema.SIG_EXPOSURE_GROWTH_YOY, schema.SIG_REVENUE_GROWTH_YOY):
        moved = {**steady, column: [-0.0501, 0.0501, 0.0]}
        assert rule.evaluate(signals(**moved)).tolist() == [False, False, False]


def test_on_watchlist_returns_a_copy():
    sig = signals()
    mask = OnWatchlist().evaluate(sig)
    mask[:] = True
    assert sig.on_watchlist.tolist() == [False, False, True]


def test_rule_set_edits():
    rules = StageRules.builtin()
    assert rules.names[-2:] == ("revenue_decline", "utilisation_surge")
    added = rules.with_rule(PastDue(min_days=60, name="late"), replace=True)
    assert added.names[-1] == "late"  # replace=True with a new name appends
    swapped = rules.with_rule(PastDue(min_days=60), replace=True)
    assert swapped.names == rules.names
    assert swapped.get("past_due") == PastDue(min_days=60)
    assert swapped.get("covenant_breach") is rules.get("covenant_breach")
    smaller = rules.without("past_due")
    assert smaller.names == tuple(n for n in rules.names if n != "past_due")
    with pytest.raises(UnknownStrategyError, match="No stage rule named 'late'"):
        rules.without("late")


def test_stages_and_precedence_accept_values_and_name_bad_entries():
    rule = PastDue(stage="growth")
    assert rule.stage is ClientStage.GROWTH
    by_value: Any = ("growth", "decline")
    rules = StageRules(rules=(rule,), precedence=by_value, default_stage="decline")
    assert rules.precedence == (ClientStage.GROWTH, ClientStage.DECLINE)
    assert rules.default_stage is ClientStage.DECLINE
    assert isinstance(rule, StageRule)
    cases: tuple[tuple[dict[str, Any], str], ...] = (
        ({"precedence": ("growth", "boom")}, "precedence[1]"),
        ({"precedence": "growth"}, "precedence"),
        ({"default_stage": "boom"}, "default_stage"),
        ({"rules": rule}, "rules"),
    )
    for kwargs, field in cases:
        with pytest.raises(InvalidValueError) as info:
            StageRules(**{"rules": (rule,), **kwargs})
        assert info.value.field == field
    with pytest.raises(InvalidValueError) as info:
        PastDue(stage="boom")
    assert info.value.field == "stage"


def test_a_duplicate_name_is_named_at_its_index():
    with pytest.raises(InvalidValueError) as info:
        StageRules(rules=(PastDue(), OnWatchlist(), PastDue(min_days=5)))
    assert info.value.field == "rules[2].name"
    text: Any = "x"
    with pytest.raises(InvalidValueError) as info:
        StageRules(rules=(PastDue(), OnWatchlist(), text))
    assert info.value.field == "rules[2]"
    assert "a StageRule (a name, a stage and an evaluate method)" in str(info.value)
    with pytest.raises(InvalidValueError) as info:
        StageRules(
            rules=(PastDue(), ExposureGrowth()),
            precedence=(ClientStage.DECLINE, ClientStage.MATURITY),
        )
    assert info.value.field == "rules[1].stage"
    assert str(info.value) == (
        "`rules[1].stage` must be a stage listed in precedence (decline, maturity); "
        "got 'growth'."
    )
