"""Tasks and the RM roster in the client view and the relationship frame (#13, del. 6).

Hand-computed on 31 Jan 2026: C-1 holds T-1 (due 10 Jan, open: 21 days overdue),
T-2 (due 20 Jan, marked in progress: 11 days overdue), T-3 (due 28 Feb, open: not
due) and T-4 (done); C-2 holds nothing. So C-1 has 3 live tasks, 2 overdue, the
oldest 21 days past due.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm import Book, Interaction, InteractionChannel, InteractionTopic
from lendcrm.errors import UnknownReferenceError
from lendcrm.frames import book_frames
from lendcrm.relationship import (
    ActionRules,
    OverdueTasks,
    RelationshipModels,
    client_facts,
    client_view,
)
from lendcrm.relationship.frames import relationship_frame
from lendcrm.relationship.workflows import Task, advance_task, task_outcome
from lendcrm.relationship.workflows.columns import (
    OLDEST_OVERDUE_DAYS,
    OPEN_TASKS,
    OVERDUE_TASKS,
)
from lendcrm.relationship.workflows.frames import client_tasks_frame, tasks_frame
from tests.factories import client

AS_OF = dt.date(2026, 1, 31)
TASK_COLUMNS = (OPEN_TASKS, OVERDUE_TASKS, OLDEST_OVERDUE_DAYS)


def _task(tid: str, due: dt.date, cid: str = "C-1", owner: str = "RM-1") -> Task:
    return Task(id=tid, client_id=cid, action="call", owner=owner,
                created_on=dt.date(2026, 1, 2), due_on=due)  # fmt: skip


def _tasks() -> list[Task]:
    started = advance_task(_task("T-2", dt.date(2026, 1, 20)), "start", on=AS_OF)
    done = advance_task(
        _task("T-4", dt.date(2026, 1, 5)), "complete", on=dt.date(2026, 1, 4)
    )
    return [
        _task("T-1", dt.date(2026, 1, 10)),
        started,
        _task("T-3", dt.date(2026, 2, 28)),
        done,
    ]


def _book(rm: str = "RM-1", interaction_rm: str = "RM-1") -> Book:
    touch = Interaction(
        on=dt.date(2025, 12, 1), channel=InteractionChannel.VISIT,
        topic=InteractionTopic.RELATIONSHIP, relationship_manager=interaction_rm,
    )  # fmt: skip
    return Book(
        clients=(
            client("C-1", relationship_manager=rm, interactions=(touch,)),
            client("C-2"),
        )
    )


@pytest.mark.parametrize("as_frame", [False, True])
def test_view_and_frame_carry_the_task_columns(as_frame):
    tasks = tasks_frame(_tasks()) if as_frame else _tasks()
    book, models = _book(), RelationshipModels(roster=["RM-1", "RM-2"])
    rf = relationship_frame(book_frames(book), as_of=AS_OF, models=models, tasks=tasks)
    expected = {"C-1": (3, 2, 21), "C-2": (0, 0, 0)}
    for cid, values in expected.items():
        row = client_view(book, cid, as_of=AS_OF, models=models, tasks=tasks).to_row()
        assert tuple(row[name] for name in TASK_COLUMNS) == values
        assert tuple(rf.loc[cid, name] for name in TASK_COLUMNS) == values


def test_without_tasks_the_columns_are_zero():
    rf = relationship_frame(
        book_frames(_book()), as_of=AS_OF, models=RelationshipModels()
    )
    assert rf[list(TASK_COLUMNS)].to_numpy().tolist() == [[0, 0, 0], [0, 0, 0]]


def test_overdue_tasks_rule_reads_the_facts():
    f = client_facts(client_ids=["A", "B", "C", "D"],
                     tier=["diamond", "diamond", "gold", "diamond"],
                     overdue_tasks=[1, 3, 5, 2], oldest_overdue_days=[5, 30, 90, 29])  # fmt: skip
    assert OverdueTasks().evaluate(f).tolist() == [True, True, False, True]
    strict = OverdueTasks(min_tasks=2, min_days=30, tiers=("diamond", "gold"))
    assert strict.evaluate(f).tolist() == [False, True, True, False]


def test_overdue_tasks_rule_fires_in_view_and_frame():
    rules = ActionRules(rules=(OverdueTasks(tiers=("",)),))  # the clients are untiered
    models = RelationshipModels(actions=rules)
    book, tasks = _book(), _tasks()
    rf = relationship_frame(book_frames(book), as_of=AS_OF, models=models, tasks=tasks)
    assert rf["next_action"].tolist() == ["escalate_overdue_tasks", ""]
    view = client_view(book, "C-1", as_of=AS_OF, models=models, tasks=tasks)
    assert view.next_action == "escalate_overdue_tasks"


def _both(book: Book, models: RelationshipModels, tasks=None) -> list[str]:
    frames = book_frames(book)
    with pytest.raises(UnknownReferenceError) as view:
        client_view(book, "C-1", as_of=AS_OF, models=models, tasks=tasks)
    with pytest.raises(UnknownReferenceError) as frame:
        relationship_frame(frames, as_of=AS_OF, models=models, tasks=tasks)
    return [str(view.value), str(frame.value)]


ROSTER = RelationshipModels(roster=("RM-1", "RM-2"))


def test_roster_refuses_an_unknown_client_rm():
    view, frame = _both(_book(rm="RM-9"), ROSTER)
    assert view.startswith("No relationship manager with id 'RM-9' (referenced by "
                           "`client 'C-1': relationship_manager`)")  # fmt: skip
    assert "client 'C-1': clients[0].relationship_manager" in frame
    assert "'RM-9'" in frame


def test_roster_refuses_an_unknown_interaction_rm():
    view, frame = _both(_book(interaction_rm="RM-7"), ROSTER)
    assert "'RM-7'" in view
    assert "client 'C-1': interactions[0].relationship_manager" in view
    assert "client 'C-1': interactions[0].relationship_manager" in frame


def test_roster_refuses_an_unknown_task_owner():
    tasks = [*_tasks(), _task("T-9", AS_OF, owner="RM-5")]
    view, frame = _both(_book(), ROSTER, tasks)
    for message in (view, frame):
        assert "'RM-5'" in message
        assert "client 'C-1': tasks[4].owner" in message


def test_without_roster_unknown_rms_pass():
    tasks = [*_tasks(), _task("T-9", AS_OF, owner="RM-5")]
    book = _book(rm="RM-9", interaction_rm="RM-7")
    rf = relationship_frame(
        book_frames(book), as_of=AS_OF, models=RelationshipModels(), tasks=tasks
    )
    assert rf.loc["C-1", "relationship_manager"] == "RM-9"


def test_a_task_of_an_unknown_client_is_refused():
    tasks = [_task("T-1", AS_OF, cid="C-404")]
    view, frame = _both(_book(), RelationshipModels(), tasks)
    for message in (view, frame):
        assert "No client with id 'C-404' (referenced by `tasks[0].client_id`)" in (
            message
        )


def test_roster_must_be_a_collection_of_ids():
    with pytest.raises(Exception, match="a collection of RM ids, not one string"):
        RelationshipModels(roster="RM-1")


_DAYS = st.integers(min_value=0, max_value=60)
_EVENTS = st.sampled_from(["open", "start", "complete", "cancel", "lapse"])


@given(
    st.lists(
        st.tuples(st.sampled_from(["C-1", "C-2", "C-3"]), _DAYS, _EVENTS),
        max_size=12,
    )
)
def test_counts_agree_with_task_outcome(specs):
    start = dt.date(2026, 1, 2)
    tasks = []
    for i, (cid, days, event) in enumerate(specs):
        t = _task(f"T-{i}", start + dt.timedelta(days=days), cid=cid)
        if event != "open":
            t = advance_task(t, event, on=start, reason="test")
        tasks.append(t)
    got = client_tasks_frame(tasks, ["C-1", "C-2", "C-3"], as_of=AS_OF)
    for cid in ("C-1", "C-2", "C-3"):
        mine = [t for t in tasks if t.client_id == cid]
        outcomes = [task_outcome(t, as_of=AS_OF) for t in mine]
        late = [t for t, o in zip(mine, outcomes, strict=True) if o == "overdue"]
        assert got.loc[cid, OVERDUE_TASKS] == len(late)
        assert got.loc[cid, OPEN_TASKS] == len(late) + outcomes.count("open")
        oldest = max(((AS_OF - t.due_on).days for t in late), default=0)
        assert got.loc[cid, OLDEST_OVERDUE_DAYS] == max(oldest, 0)
