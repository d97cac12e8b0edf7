"""The pandas faces: round trips, the same figures as the core, checks naming rows."""

import datetime as dt
import math

import pandas as pd
import pytest

from lendcrm.errors import BatchValidationError, InvalidRowsError, InvalidValueError
from lendcrm.relationship.workflows import (
    RelationshipManager,
    Task,
    advance_task,
    completion_of,
    coverage,
    propose_rebalance,
    tasks_from_actions,
)
from lendcrm.relationship.workflows.frames import (
    check_assignments_frame,
    check_managers_frame,
    check_tasks_frame,
    completion_frame,
    coverage_frame,
    coverage_from_frames,
    managers_frame,
    managers_from_frame,
    moves_frame,
    tasks_frame,
)

RMS = (
    RelationshipManager(id="RM-1", team="n", level="senior", client_capacity=2),
    RelationshipManager(id="RM-2", team="s", level="junior", workload_capacity=3.5),
    RelationshipManager(id="RM-3", team="s", level="head"),
)
BOOK = pd.DataFrame(
    {
        "client_id": ["A", "B", "C", "D", "E"],
        "tier": ["diamond", "gold", "basic", "silver", "basic"],
        "primary_rm": ["RM-1", "RM-1", "RM-1", "RM-2", None],
    },
    index=[10, 11, 12, 13, 14],
)


def test_managers_round_trip():
    assert managers_from_frame(managers_frame(RMS)) == RMS


def test_coverage_from_frames_equals_the_core():
    cov = coverage_from_frames(managers_frame(RMS), BOOK)
    core = coverage(
        RMS, list("ABCDE"), BOOK["tier"].tolist(), BOOK["primary_rm"].tolist()
    )
    assert cov.primary.tolist() == core.primary.tolist() == [0, 0, 0, 1, -1]
    frame = coverage_frame(cov)
    assert frame["clients"].tolist() == [3, 1, 0]
    assert frame["workload"].tolist() == [6.5, 1.0, 0.0]
    assert frame["over_capacity"].tolist() == [True, False, False]
    proposal = propose_rebalance(cov)
    moves = moves_frame(proposal)
    assert moves.to_dict("records") == [
        {
            "client_id": m.client_id,
            "tier": m.tier,
            "weight": m.weight,
            "from_rm": m.from_rm,
            "to_rm": m.to_rm,
        }
        for m in proposal.moves()
    ]


def test_managers_check_names_rows():
    frame = managers_frame(RMS)
    frame.loc[1, "workload_capacity"] = -1.0
    frame.loc[2, "rm_level"] = "boss"
    with pytest.raises(BatchValidationError) as info:
        check_managers_frame(frame)
    messages = sorted(str(e) for e in info.value.exceptions)
    assert messages == [
        (
            "`managers[1].workload_capacity` must be a finite number >= 0; got -1.0. "
            "1 row fails this rule: 1."
        ),
        (
            "`managers[2].rm_level` must be one of 'head', 'junior', 'senior'; got 'boss'. "
            "1 row fails this rule: 2."
        ),
    ]


def test_unknown_rm_in_assignments_names_rows():
    book = BOOK.copy()
    book.loc[12, "primary_rm"] = "RM-9"
    with pytest.raises(InvalidRowsError) as info:
        coverage_from_frames(managers_frame(RMS), book)
    assert str(info.value) == (
        "`assignments[12].primary_rm` must be an rm_id of the managers frame (or "
        "missing: uncovered); got 'RM-9'. 1 row fails this rule: 12."
    )


def test_duplicate_client_in_assignments_names_rows():
    book = BOOK.copy()
    book.loc[13, "client_id"] = "A"
    with pytest.raises(BatchValidationError) as info:
        check_assignments_frame(book)
    assert str(info.value.exceptions[0]) == (
        "`assignments[13].client_id` must be unique (no duplicate ids); got 'A'. "
        "1 row fails this rule: 13."
    )


def test_roles_frame_refers_to_known_clients_and_members():
    roles = pd.DataFrame(
        {
            "client_id": ["A", "Z"],
            "role": ["credit_analyst", "product_specialist"],
            "member_id": ["RM-2", "RM-3"],
        }
    )
    with pytest.raises(InvalidRowsError) as info:
        coverage_from_frames(managers_frame(RMS), BOOK, roles=roles)
    assert str(info.value) == (
        "`roles[1].client_id` must be a client_id of the assignments frame; got 'Z'. "
        "1 row fails this rule: 1."
    )
    cov = coverage_from_frames(managers_frame(RMS), BOOK, roles=roles.iloc[:1])
    assert [(r.client_id, r.role.value, r.member_id) for r in cov.roles] == [
        ("A", "credit_analyst", "RM-2")
    ]


D = dt.date(2026, 1, 5)


def _tasks():
    def task(tid, owner, tier, due):
        return Task(
            id=tid,
            client_id="C",
            action="call",
            owner=owner,
            tier=tier,
            created_on=D,
            due_on=due,
        )

    return [
        advance_task(
            task("1", "RM-1", "gold", dt.date(2026, 1, 9)),
            "complete",
            on=dt.date(2026, 1, 8),
        ),
        task("2", "RM-1", "basic", dt.date(2026, 1, 20)),
        advance_task(
            task("3", "RM-2", "gold", dt.date(2026, 1, 9)),
            "lapse",
            on=dt.date(2026, 1, 10),
        ),
        advance_task(
            task("4", "RM-2", "gold", dt.date(2026, 2, 9)),
            "complete",
            on=dt.date(2026, 2, 10),
        ),
    ]


@pytest.mark.parametrize(("by", "attr"), [("owner", "owner"), ("tier", "tier")])
def test_completion_frame_equals_one_group(by, attr):
    tasks = _tasks()
    as_of = dt.date(2026, 1, 31)
    frame = completion_frame(tasks_frame(tasks), as_of=as_of, by=by)
    for row in frame.to_dict("records"):
        one = completion_of(
            row[by], [t for t in tasks if getattr(t, attr) == row[by]], as_of=as_of
        )
        assert row["tasks"] == one.tasks
        assert row["done_on_time"] == one.done_on_time
        assert row["done_late"] == one.done_late
        assert row["overdue"] == one.overdue
        assert row["open"] == one.open
        assert row["median_days_to_close"] == one.median_days_to_close or (
            math.isnan(row["median_days_to_close"])
            and math.isnan(one.median_days_to_close)
        )


def test_proposed_tasks_become_a_frame():
    proposed = tasks_from_actions(
        ["C-1"],
        ["call"],
        ["gold"],
        as_of=D,
        owners={"C-1": "RM-1"},
        due_in_days={"call": 3},
    )
    frame = tasks_frame(proposed)
    check_tasks_frame(frame)
    assert frame.loc[0, "status"] == "open"
    assert frame.loc[0, "due_on"] == pd.Timestamp("2026-01-08")
    assert frame.equals(tasks_frame(proposed.tasks()))


def test_tasks_check_names_rows():
    frame = tasks_frame(_tasks())
    frame.loc[1, "due_on"] = pd.Timestamp("2026-01-01")
    frame.loc[3, "closed_on"] = pd.NaT
    with pytest.raises(BatchValidationError) as info:
        check_tasks_frame(frame)
    assert [str(e) for e in info.value.exceptions] == [
        (
            "`tasks[1].due_on` must be on or after created_on; got "
            "Timestamp('2026-01-01 00:00:00'). 1 row fails this rule: 1."
        ),
        (
            "`tasks[3].closed_on` must be the completion date of a done task; got NaT. "
            "1 row fails this rule: 3."
        ),
    ]


def test_completion_by_must_be_owner_or_tier():
    with pytest.raises(InvalidValueError) as info:
        completion_frame(tasks_frame(_tasks()), as_of=D, by="team")  # type: ignore[arg-type]
    assert str(info.value) == "`by` must be 'owner' or 'tier'; got 'team'."


def test_frames_hold_no_numpy_strings():
    frame = tasks_frame(_tasks())
    assert all(frame[c].dtype == object for c in ("task_id", "owner", "status"))
    assert pd.api.types.is_datetime64_any_dtype(frame["due_on"])


def test_coverage_from_frames_leaves_the_callers_frame_alone() -> None:
    # With python-storage strings (pandas 3 without pyarrow) `to_numpy(dtype=object)`
    # is the column's own array: the reader wrote None into the caller's frame, and a
    # later `isna` on it failed. The frame must come back unchanged in both storages.
    with pd.option_context("mode.string_storage", "python"):
        book = pd.DataFrame(
            {
                "client_id": ["A", "B"],
                "tier": ["gold", "basic"],
                "primary_rm": pd.array(["RM-1", None], dtype="string"),
            }
        )
        before = book.copy()
        coverage_from_frames(managers_frame(RMS), book)
        pd.testing.assert_frame_equal(book, before)
        assert book["primary_rm"].isna().tolist() == [False, True]
