"""The commercial input of the view and the frame (#14): named cross-sell, attrition.

The cross-sell action names the client's next best product (``cross_sell_frame``),
the attrition probability and its top reason (``attrition_frame``) ride along, and
`RetentionCall` calls a valuable client at high risk of leaving; a frame row equals
the client's view, and without the input nothing changes.
"""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
import pandas as pd
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.lifecycle import StageRules
from lendcrm.relationship import (
    ActionRules,
    RelationshipModels,
    RetentionCall,
    client_facts,
    client_view,
    next_best_actions,
)
from lendcrm.relationship import columns as col
from lendcrm.relationship.commercial.value_frames import (
    attrition_frame,
    cross_sell_frame,
)
from lendcrm.relationship.frames import fit_tiering, relationship_frame
from lendcrm.synthetic import generate_book, generate_frames
from tests.relationship.test_view import FX_ALL

AS_OF = dt.date(2025, 12, 31)
NEW_COLUMNS = [
    "next_product",
    "next_product_propensity",
    col.CROSS_SELL_PRODUCT,
    "attrition_probability",
    col.ATTRITION_REASON,
]


@pytest.fixture(scope="module")
def book():
    frames = generate_frames(150, seed=5, as_of=AS_OF)
    models = RelationshipModels(fx_rates=FX_ALL, stage_rules=StageRules.builtin())
    models = attrs.evolve(
        models,
        tiering=fit_tiering(frames.book_frames(), as_of=AS_OF, models=models),
        actions=ActionRules.builtin().with_rule(RetentionCall()),
    )
    plain = relationship_frame(
        frames.book_frames(), as_of=AS_OF, models=models, signals=frames.signals
    )
    cross = cross_sell_frame(frames.clients, frames.facilities, plain[col.TIER])
    leave = attrition_frame(
        frames.signals,
        feedback=frames.feedback,
        facilities=frames.facilities,
        observations=frames.observations,
        as_of=AS_OF,
    )
    commercial = cross.merge(leave, on="client_id")
    rf = relationship_frame(
        frames.book_frames(),
        as_of=AS_OF,
        models=models,
        signals=frames.signals,
        commercial=commercial,
    )
    return frames, models, plain, commercial, rf


def test_without_the_input_nothing_changes(book):
    _, _, plain, _, rf = book
    assert list(rf.columns) == [*plain.columns, *NEW_COLUMNS]
    assert not (set(NEW_COLUMNS) & set(plain.columns))
    same = [c for c in plain.columns if c != col.NEXT_ACTION_REASON]
    unchanged = ~rf[col.ACTIONS].str.contains("retention_call")
    pd.testing.assert_frame_equal(
        rf.loc[unchanged, same], plain.loc[unchanged, same], check_categorical=False
    )


def test_the_cross_sell_action_names_the_next_best_product(book):
    _, _, plain, commercial, rf = book
    fired = rf[col.ACTIONS].str.split(",").map(lambda a: "cross_sell" in a)
    nxt = commercial.set_index("client_id")["next_product"].astype(object)
    want = np.where(fired & nxt.reindex(rf.index).notna(), nxt.reindex(rf.index), "")
    assert rf[col.CROSS_SELL_PRODUCT].tolist() == want.tolist()
    named = rf[col.CROSS_SELL_PRODUCT] != ""
    assert named.sum() > 0  # the synthetic book has cross-sell clients with a gap
    first = named & (rf[col.NEXT_ACTION] == "cross_sell")
    assert first.sum() > 0
    reason = plain.loc[first, col.NEXT_ACTION_REASON].astype(str)
    product = rf.loc[first, col.CROSS_SELL_PRODUCT]
    assert rf.loc[first, col.NEXT_ACTION_REASON].astype(str).tolist() == [
        f"{r}; next best product: {p}" for r, p in zip(reason, product, strict=True)
    ]


def test_retention_call_for_valuable_clients_at_high_risk(book):
    _, _, _, _, rf = book
    fired = rf[col.ACTIONS].str.split(",").map(lambda a: "retention_call" in a)
    want = rf[col.TIER].isin(["diamond", "gold"]) & (rf["attrition_probability"] >= 0.2)
    assert fired.tolist() == want.tolist()
    assert fired.sum() > 0
    assert (rf.loc[fired, col.ATTRITION_REASON] != "").all()


def test_frame_rows_equal_client_views(book):
    frames, models, _, commercial, rf = book
    entity = generate_book(150, seed=5, as_of=AS_OF)
    signals = frames.signals.set_index("client_id")
    extra = commercial.set_index("client_id")
    named = 0
    for cid in rf.index:
        view = client_view(
            entity,
            cid,
            as_of=AS_OF,
            models=models,
            signals=signals.loc[cid].to_dict(),
            commercial=extra.loc[cid].to_dict(),
        )
        cross = [a for a in view.actions if a.name == "cross_sell"]
        if cross and cross[0].product:
            named += 1
            assert cross[0].product == rf.loc[cid, col.CROSS_SELL_PRODUCT]
            assert cross[0].reason.endswith(f"next best product: {cross[0].product}")
        for name, value in view.to_row().items():
            got = rf.loc[cid, name]
            if isinstance(value, float):
                np.testing.assert_allclose(got, value, rtol=1e-9, err_msg=name)
            else:
                assert got == value, f"{cid}.{name}"
    assert named == (rf[col.CROSS_SELL_PRODUCT] != "").sum()


def test_retention_call_by_hand():
    facts = client_facts(
        client_ids=["A", "B", "C", "D"],
        tier=["diamond", "gold", "gold", "silver"],
        attrition_probability=[0.2, 0.19, np.nan, 0.9],
    )
    rules = ActionRules(rules=(RetentionCall(),))
    assert next_best_actions(facts, rules=rules).fired[:, 0].tolist() == [
        True,
        False,
        False,
        False,
    ]
    assert RetentionCall(min_probability=0.1, tiers=("silver",)).evaluate(
        facts
    ).tolist() == [False, False, False, True]


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda c: c.drop(columns="client_id"), "commercial. must be a DataFrame"),
        (lambda c: c.iloc[1:], "no row for 'C0000001'"),
        (lambda c: c[["client_id", "peers"]], "cross_sell_frame"),
        (lambda c: c.drop(columns="reason_1"), "attrition_frame"),
        (
            lambda c: c.assign(attrition_probability=1.5),
            r"commercial.attrition_probability\[0\]",
        ),
        (
            lambda c: c.assign(next_product="swap"),
            r"`commercial.next_product\[0\]` must be one of 'term_loan'",
        ),
    ],
)
def test_bad_commercial_input_is_refused(book, change, match):
    frames, models, _, commercial, _ = book
    with pytest.raises(InvalidValueError, match=match):
        relationship_frame(
            frames.book_frames(),
            as_of=AS_OF,
            models=models,
            signals=frames.signals,
            commercial=change(commercial.copy()),
        )


def test_the_view_refuses_a_commercial_input_that_is_not_a_mapping():
    models = RelationshipModels(fx_rates=FX_ALL)
    entity = generate_book(5, seed=5, as_of=AS_OF)
    with pytest.raises(InvalidValueError, match="`commercial` must be a mapping"):
        client_view(
            entity,
            entity.clients[0].id,
            as_of=AS_OF,
            models=models,
            commercial=[0.3],  # type: ignore[arg-type]
        )
