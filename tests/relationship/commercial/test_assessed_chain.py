"""The stage chain from stage paths (`chain_from_paths`), and from assessed stages.

`estimate_stage_chain` reads the stored lifecycle histories; `chain_from_paths` takes
any stage paths, such as the stage assessed at each month end of a synthetic book
whose histories (`generate_frames(periods=25)`) give every month a year of lookback.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.lifecycle import CLIENT_LIFECYCLE, StageRules, advance, start
from lendcrm.lifecycle.frames import assess_stages
from lendcrm.relationship import RelationshipModels
from lendcrm.relationship.commercial import (
    chain_from_paths,
    estimate_stage_chain,
    lifetime_value,
    stage_codes,
    stage_paths,
)
from lendcrm.relationship.frames import signals_from_history
from lendcrm.synthetic import generate_frames
from tests.relationship.test_view import FX_ALL

ENDS = [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31)]


def test_hand_counted_paths():
    # growth row: 2->2 once, 2->3 twice (+1 prior on 2->2): 2/4 each;
    # maturity row: 3->3 twice (3 -> unobserved is no move) +1 prior: 1.0
    chain = chain_from_paths([[2, 2, 3, 3], [2, 3, 3, -1]], prior=np.eye(6))
    assert chain.probability("growth", "growth") == 0.5
    assert chain.probability("growth", "maturity") == 0.5
    assert chain.probability("maturity", "maturity") == 1.0
    assert chain.counts is not None
    assert chain.counts[2].tolist() == [0.0, 0.0, 2.0, 2.0, 0.0, 0.0]


def test_equals_the_chain_of_the_histories():
    s = start(CLIENT_LIFECYCLE, entity_id="C")
    mover = advance(s, "first_drawdown", on=dt.date(2026, 2, 3)).history
    histories = [s.history, mover]
    prior = np.diag([0, 0, 1, 1, 1, 0])
    want = estimate_stage_chain(histories, ENDS, prior=prior)
    got = chain_from_paths(stage_paths(histories, ENDS), prior=prior)
    np.testing.assert_array_equal(got.matrix, want.matrix)
    np.testing.assert_array_equal(got.counts, want.counts)


def test_a_live_stage_without_moves_is_refused():
    with pytest.raises(InvalidValueError, match=r"`counts\['acquisition'\]`"):
        chain_from_paths([[2, 3], [3, 3]])
    with pytest.raises(InvalidValueError, match="`paths` must be stage codes"):
        chain_from_paths([[2, 7]])


def assessed_paths(n: int, months: int) -> np.ndarray:
    """Stage codes of each client at each of the last ``months`` month ends."""
    as_of = dt.date(2025, 12, 31)
    frames = generate_frames(n, seed=11, as_of=as_of, periods=months + 12)
    ends = sorted(pd.to_datetime(frames.observations["period_end"]).dt.date.unique())
    models = RelationshipModels(fx_rates=FX_ALL)
    stages = []
    for end in ends[-months:]:
        signals = signals_from_history(
            frames.clients, frames.facilities, frames.measures, frames.ratings,
            frames.observations, as_of=end, models=models,
        ).set_index("client_id")  # fmt: skip
        stage = assess_stages(signals, as_of=end, rules=StageRules.builtin())["stage"]
        stages.append(stage.astype(str).to_numpy())
    paths = stage_codes(np.column_stack(stages).ravel()).reshape(n, months)
    onboarded = frames.clients["onboarded_on"].dt.date.to_numpy()
    paths[onboarded[:, None] > np.array(ends[-months:])[None, :]] = -1
    return paths


def test_assessed_stage_paths_of_a_synthetic_book():
    paths = assessed_paths(300, 13)
    assert paths.shape == (300, 13)
    chain = chain_from_paths(paths)
    np.testing.assert_allclose(chain.matrix.sum(axis=1), 1.0)
    # 13 month ends give 12 moves per client observed throughout
    observed = (paths[:, :-1] >= 0) & (paths[:, 1:] >= 0)
    assert chain.counts is not None
    assert chain.counts[:5].sum() == observed.sum()
    # the synthetic book records no exits: the whole-life sum diverges, a horizon
    # of ten years (120 months) is finite and grows with the horizon
    assert chain.matrix[:5, 5].sum() == 0.0
    profit = np.array([10.0, 20.0, 30.0, 30.0, 10.0])
    with pytest.raises(InvalidValueError):
        lifetime_value(["growth"], profit, chain=chain, discount_rate=0.0)
    v60, v120 = (
        lifetime_value(["growth"], profit, chain=chain, discount_rate=0.008,
                       horizon=h)[0]
        for h in (60, 120)
    )  # fmt: skip
    assert 0 < v60 < v120 < 120 * 30.0
