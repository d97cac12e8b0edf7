"""The columnar face equals the entity face, deal for deal.

A synthetic pipeline is drawn as frames, rebuilt as entities row by row (advancing each
deal along its dated stages) and both faces are asked the same questions: the stage
probabilities, the forecast by every grouping, the stage ages, the win rates, the
cycle times and the funnel must agree. Writing the entities back gives the frame.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import numpy as np
import pandas as pd
import pytest

from lendcrm import Book, Sector
from lendcrm.frames import columns as core
from lendcrm.frames.columns import CLOSED_ON
from lendcrm.relationship.commercial import (
    Pipeline,
    PipelineStage,
    fit_stage_probabilities,
    pipeline_forecast,
)
from lendcrm.relationship.commercial import columns as col
from lendcrm.relationship.commercial.frames import (
    conversion_funnel,
    cycle_times_by,
    fit_stage_probabilities_frame,
    forecast_by,
    forecasts,
    opportunities_frame,
    pipeline_from_frames,
    prospects_frame,
    stage_ages,
    validate_opportunities_frame,
    validate_prospects_frame,
    win_probabilities,
    win_rates_by,
)
from lendcrm.synthetic import generate_pipeline
from tests.factories import client
from tests.relationship.commercial.pipeline_factories import (
    deal_from_row,
    small_pipeline,
)

AS_OF = dt.date(2026, 6, 30)
KEYS = ("close_month", "owner", "kind", "sector", "syndication_role")


@pytest.fixture(scope="module")
def synthetic() -> tuple[pd.DataFrame, pd.DataFrame, Pipeline]:
    sp = generate_pipeline(1_500, seed=11, as_of=AS_OF, owners=6)
    frame = sp.opportunities
    used = frame[[core.CLIENT_ID, core.SECTOR]].dropna().drop_duplicates(core.CLIENT_ID)
    clients = tuple(
        client(cid, sector=Sector(sector))
        for cid, sector in zip(used[core.CLIENT_ID], used[core.SECTOR], strict=True)
    )
    known = {c.id for c in clients}
    referrers = set(sp.prospects[col.REFERRED_BY].dropna())
    clients += tuple(client(cid) for cid in sorted(referrers - known))
    pipeline = pipeline_from_frames(Book(clients=clients), sp.prospects, frame)
    return frame, sp.prospects, pipeline


def test_the_reader_walks_each_deal_like_a_live_one(synthetic):
    frame, _, pipeline = synthetic
    for (_, row), o in zip(
        frame.head(200).iterrows(), pipeline.opportunities, strict=False
    ):
        assert deal_from_row(row) == o


def test_the_synthetic_frames_pass_their_checkers(synthetic):
    frame, prospects, _ = synthetic
    validate_opportunities_frame(frame)
    validate_prospects_frame(prospects)


def test_writing_the_entities_back_gives_the_frame(synthetic):
    frame, prospects, pipeline = synthetic
    written = opportunities_frame(pipeline)
    pd.testing.assert_frame_equal(
        written, frame, check_dtype=False, check_categorical=False
    )
    pd.testing.assert_frame_equal(
        prospects_frame(pipeline), prospects, check_dtype=False, check_categorical=False
    )


@pytest.mark.parametrize("by", [None, "kind", "sector", "owner", "syndication_role"])
def test_stage_probabilities_agree(synthetic, by):
    frame, _, pipeline = synthetic
    a = fit_stage_probabilities(pipeline, by=by, min_closed=10)
    b = fit_stage_probabilities_frame(frame, by=by, min_closed=10)
    assert a.segments == b.segments
    np.testing.assert_array_equal(a.closed, b.closed)
    np.testing.assert_array_equal(a.segment_won, b.segment_won)
    np.testing.assert_allclose(a.matrix(), b.matrix(), rtol=1e-12)


@pytest.mark.parametrize("by", KEYS)
@pytest.mark.parametrize("segment_by", [None, "kind"])
def test_the_forecast_agrees_for_every_grouping(synthetic, by, segment_by):
    frame, _, pipeline = synthetic
    sp = fit_stage_probabilities_frame(frame, by=segment_by, min_closed=10)
    entity = pipeline_forecast(pipeline, sp, by=by, segment_by=segment_by)
    batch = forecast_by(frame, sp, by=by, segment_by=segment_by)
    assert list(batch.index) == list(entity)
    np.testing.assert_allclose(
        batch[col.PIPELINE_AMOUNT], [v.pipeline for v in entity.values()]
    )
    np.testing.assert_allclose(
        batch[col.WEIGHTED_AMOUNT], [v.weighted for v in entity.values()], rtol=1e-12
    )
    assert batch[col.DEALS].tolist() == [v.deals for v in entity.values()]


def test_win_probabilities_and_stage_ages_agree(synthetic):
    frame, _, pipeline = synthetic
    sp = fit_stage_probabilities_frame(frame, by="kind", min_closed=10)
    p = win_probabilities(frame, sp, segment_by="kind")
    ages = stage_ages(frame, as_of=AS_OF)
    for i, o in enumerate(pipeline.opportunities):
        assert p.iloc[i] == pytest.approx(sp.probability_of(o.stage, o.kind.value))
        if o.is_open:
            assert ages.iloc[i] == o.days_in_stage(AS_OF)
        else:
            assert np.isnan(ages.iloc[i])


def test_win_rates_cycle_times_and_the_funnel_agree(synthetic):
    frame, _, pipeline = synthetic
    closed = [o for o in pipeline.opportunities if not o.is_open]
    n = Counter(o.kind.value for o in closed)
    won = [o for o in closed if o.stage is PipelineStage.WON]
    rates = win_rates_by(frame, by="kind")
    assert rates[col.CLOSED_DEALS].to_dict() == dict(sorted(n.items()))
    for kind, row in rates.iterrows():
        wins = [o for o in won if o.kind.value == kind]
        assert row[col.WON_DEALS] == len(wins)
        assert row[col.WON_AMOUNT] == pytest.approx(
            sum(float(o.amount.amount) for o in wins)
        )
    days: dict[str, list[int]] = defaultdict(list)
    for o in won:
        days[o.kind.value].append(o.cycle_days() or 0)
    cycles = cycle_times_by(frame, by="kind")
    for kind, row in cycles.iterrows():
        assert row[col.CYCLE_DAYS_MEAN] == pytest.approx(np.mean(days[str(kind)]))
        assert row[col.CYCLE_DAYS_MEDIAN] == np.median(days[str(kind)])
    funnel = conversion_funnel(frame)
    reached = [
        sum(o.furthest_stage.value in _upto(s) for o in closed) for s in range(5)
    ]
    assert funnel[col.REACHED].tolist() == [*reached, len(won)]


def _upto(s: int) -> set[str]:
    stages = ["lead", "qualified", "proposal", "credit_approval", "documentation"]
    return set(stages[s:])


def test_the_synthetic_funnel_narrows_and_converts_better_further_down(synthetic):
    funnel = conversion_funnel(synthetic[0])
    reached = funnel[col.REACHED].to_numpy()
    assert np.all(np.diff(reached) < 0)
    conversion = funnel[col.CONVERSION].to_numpy()[:-1]
    assert np.all(np.diff(conversion) > 0)


def test_the_small_pipeline_frame_carries_its_stage_dates():
    frame = opportunities_frame(small_pipeline())
    validate_opportunities_frame(frame)
    o4 = frame.set_index(col.OPPORTUNITY_ID).loc["O-4"].to_dict()
    assert o4[core.STAGE] == "credit_approval"
    assert o4[col.CREDIT_APPROVAL_ON] == pd.Timestamp("2026-02-04")
    assert pd.isna(o4[col.DOCUMENTATION_ON])
    assert pd.isna(o4[CLOSED_ON])
    assert frame.set_index(col.OPPORTUNITY_ID).loc["O-3", core.SECTOR] == "D"


def test_forecasts_in_one_pass_equal_forecast_by_each(synthetic):
    frame = synthetic[0]
    sp = fit_stage_probabilities_frame(frame, by="kind", min_closed=10)
    together = forecasts(frame, sp, by=KEYS, segment_by="kind")
    for key in KEYS:
        pd.testing.assert_frame_equal(
            together[key], forecast_by(frame, sp, by=key, segment_by="kind")
        )
    assert list(forecasts(frame, sp, by="owner")) == ["owner"]
