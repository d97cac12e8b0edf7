"""The synthetic RM roster and tasks (#13, deliverable 7): coherent, and drawn last.

The roster's and tasks' column names are plain strings in the core synthetic package;
they must equal the `lendcrm.relationship.workflows.columns` constants. The other
frames do not move (the digests of tests/test_synthetic_history.py pin them; here
the frames before the roster are compared with and without it drawn).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lendcrm.frames import columns as schema
from lendcrm.relationship.workflows import columns, propose_rebalance
from lendcrm.relationship.workflows.frames import (
    check_managers_frame,
    check_tasks_frame,
    client_tasks_frame,
    coverage_from_frames,
)
from lendcrm.synthetic import generate_frames
from lendcrm.synthetic._contacts import proxy_tiers
from lendcrm.synthetic._workflows import _ACTIONS, WORKFLOW_COLUMNS

AS_OF = dt.date(2025, 12, 31)
TIERS = ("diamond", "gold", "silver", "basic")


@pytest.fixture(scope="module")
def book():
    return generate_frames(3000, seed=11, as_of=AS_OF)


def test_column_names_are_the_workflows_constants():
    for name, value in WORKFLOW_COLUMNS.items():
        assert getattr(columns, name) == value


def test_roster_matches_the_clients_rms(book):
    check_managers_frame(book.managers)
    rms = set(book.clients[schema.RELATIONSHIP_MANAGER])
    assert set(book.managers[columns.RM_ID]) == rms
    assert book.managers[columns.WORKLOAD_CAPACITY].isna().all()


def _assignments(book) -> pd.DataFrame:
    tier = proxy_tiers(book.clients[schema.REVENUE_TO_BANK].to_numpy(dtype=float))
    return pd.DataFrame(
        {
            schema.CLIENT_ID: book.clients[schema.CLIENT_ID],
            columns.CLIENT_TIER: pd.Categorical(np.array(TIERS, dtype=object)[tier]),
            columns.PRIMARY_RM: book.clients[schema.RELATIONSHIP_MANAGER],
        }
    )


def test_senior_rms_carry_the_diamond_clients_and_a_few_are_over(book):
    a = _assignments(book)
    level = book.managers.set_index(columns.RM_ID)[columns.RM_LEVEL].astype(str)
    top = a[columns.CLIENT_TIER].isin(["diamond", "gold"])
    assert (level[a.loc[top, columns.PRIMARY_RM]] == "senior").all()
    assert (level[a.loc[~top, columns.PRIMARY_RM]] == "junior").all()
    cov = coverage_from_frames(book.managers, a)
    over = cov.over_capacity()
    assert 1 <= len(over) <= len(book.managers) // 3
    proposal = propose_rebalance(cov)
    assert proposal.after.over_capacity() == ()
    assert len(proposal.clients) > 0


def test_tasks_are_coherent_with_clients_stages_and_tiers(book):
    tasks = book.tasks
    check_tasks_frame(tasks)
    clients = book.clients.set_index(schema.CLIENT_ID)
    owner = clients.loc[tasks[schema.CLIENT_ID], schema.RELATIONSHIP_MANAGER]
    assert (tasks[schema.OWNER].to_numpy() == owner.to_numpy()).all()
    a = _assignments(book).set_index(schema.CLIENT_ID)[columns.CLIENT_TIER]
    assert (tasks[columns.CLIENT_TIER].to_numpy() == a[tasks[schema.CLIENT_ID]].astype(str).to_numpy()).all()  # fmt: skip
    stage = book.stages.set_index(schema.CLIENT_ID)[schema.STAGE]
    codes = stage.cat.codes[tasks[schema.CLIENT_ID]].to_numpy()
    for code, action in zip(codes, tasks[columns.ACTION], strict=True):
        assert action in _ACTIONS[code]
    assert (tasks[columns.ACTION] == tasks[columns.RULE]).all()
    day = pd.Timestamp(AS_OF)
    assert (tasks[schema.CREATED_ON] <= day).all()
    assert (tasks[schema.CLOSED_ON].dropna() <= day).all()
    per_client = client_tasks_frame(tasks, book.clients[schema.CLIENT_ID], as_of=AS_OF)
    assert per_client[columns.OVERDUE_TASKS].sum() > 0
    # better tiers get more tasks per client
    n_per = tasks.groupby(columns.CLIENT_TIER).size() / a.value_counts()
    assert n_per["diamond"] > n_per["gold"] > n_per["silver"] > n_per["basic"]


def test_same_seed_same_roster_and_tasks():
    a = generate_frames(400, seed=5, as_of=AS_OF)
    b = generate_frames(400, seed=5, as_of=AS_OF)
    pd.testing.assert_frame_equal(a.managers, b.managers)
    pd.testing.assert_frame_equal(a.tasks, b.tasks)
    # a small book still has a senior and a junior RM, and one of them over capacity
    assert set(a.managers[columns.RM_LEVEL].astype(str)) == {"senior", "junior"}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_one_client_book_has_one_rm_within_capacity(seed):
    b = generate_frames(1, seed=seed, as_of=AS_OF)
    assert len(b.managers) == 1
    load = len(b.clients)
    assert int(b.managers[columns.CLIENT_CAPACITY].iloc[0]) >= load
    assert list(b.tasks.columns) == [
        columns.TASK_ID, schema.CLIENT_ID, columns.ACTION, schema.OWNER,
        columns.CLIENT_TIER, columns.RULE, schema.STATUS, schema.CREATED_ON,
        columns.DUE_ON, schema.CLOSED_ON,
    ]  # fmt: skip
