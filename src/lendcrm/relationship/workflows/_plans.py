"""Action plans: stage templates from the playbooks, and tasks from next-best actions.

- `templates_from_playbooks` turns each stage playbook (`lendcrm.lifecycle.PLAYBOOKS`)
  into a `PlanTemplate`: its actions become steps spread evenly over the stage's
  review period; `plan_tasks` opens a client's plan from its stage's template.
- `tasks_from_actions` turns next-best-action output, taken as plain columns (client
  id, action code, rule, tier) so that it never needs the relationship root, into
  tasks owned by each client's primary RM and due after the caller's due-in-days
  per action and tier (`due_dates`, vectorised over a book).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import IntArray, enum_codes
from lendcrm._collections import object_column, require_mapping
from lendcrm._dates import as_of_day, check_as_of
from lendcrm._validators import non_empty_str, non_negative_int, require_instance
from lendcrm.errors import InvalidValueError, UnknownReferenceError
from lendcrm.lifecycle import PLAYBOOKS, ClientStage, Playbook
from lendcrm.relationship.workflows._tasks import Task
from lendcrm.segmentation import TIER_LEVELS, Tier

__all__ = [
    "PLAN_TEMPLATES",
    "PlanStep",
    "PlanTemplate",
    "ProposedTasks",
    "due_dates",
    "plan_tasks",
    "tasks_from_actions",
    "templates_from_playbooks",
]

#: Days in a month when a review period in months is spread over days.
_DAYS_PER_MONTH: Final = 30


@attrs.frozen(kw_only=True)
class PlanStep:
    """One step of an action-plan template.

    Attributes:
        action: What to do (the playbook's wording).
        due_in_days: Days after the plan opens that it is due (>= 0).
    """

    action: str = attrs.field(validator=non_empty_str)
    due_in_days: int = attrs.field(validator=non_negative_int)


def _steps(values: Iterable[PlanStep]) -> tuple[PlanStep, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class PlanTemplate:
    """The action plan a client gets on entering a stage.

    Attributes:
        stage: The client stage.
        steps: The steps in order.
        owner_role: The role accountable (from the playbook).
    """

    stage: ClientStage
    steps: tuple[PlanStep, ...] = attrs.field(converter=_steps)
    owner_role: str


def templates_from_playbooks(
    playbooks: Mapping[ClientStage, Playbook] = PLAYBOOKS,
) -> Mapping[ClientStage, PlanTemplate]:
    """One action-plan template per stage playbook.

    Step ``i`` (1-based) of ``n`` is due ``ceil(i * period / n)`` days after the plan
    opens, where ``period`` is the playbook's review frequency × 30 days (30 days
    when the stage has no periodic review): the steps are spread evenly over one
    review period, the last due when the next review is.

    Examples:
        >>> t = templates_from_playbooks()[ClientStage.GROWTH]
        >>> [s.due_in_days for s in t.steps], t.owner_role
        ([60, 120, 180], 'relationship manager with product specialists')
    """
    out: dict[ClientStage, PlanTemplate] = {}
    for stage, book in playbooks.items():
        period = _DAYS_PER_MONTH * (book.review_every_months or 1)
        n = len(book.actions)
        out[stage] = PlanTemplate(
            stage=stage,
            steps=[
                PlanStep(action=a, due_in_days=math.ceil((i + 1) * period / n))
                for i, a in enumerate(book.actions)
            ],
            owner_role=book.owner_role,
        )
    return out


#: The default templates, from `lendcrm.lifecycle.PLAYBOOKS`.
PLAN_TEMPLATES: Final[Mapping[ClientStage, PlanTemplate]] = templates_from_playbooks()


def plan_tasks(
    client_id: str,
    stage: ClientStage | str,
    *,
    owner: str,
    as_of: dt.date,
    tier: str = "",
    templates: Mapping[ClientStage, PlanTemplate] = PLAN_TEMPLATES,
) -> tuple[Task, ...]:
    """Open a client's action plan for its stage: one open task per template step.

    Task ids are ``"{client_id}/{stage}/{step}"`` (step 1-based); each task's
    ``rule`` is ``"playbook:{stage}"``.

    Raises:
        UnknownReferenceError: no template for the stage.

    Examples:
        >>> import datetime as dt
        >>> tasks = plan_tasks("C-1", "decline", owner="RM-1", as_of=dt.date(2026, 3, 1))
        >>> [(t.id, t.due_on.isoformat()) for t in tasks][0]
        ('C-1/decline/1', '2026-03-11')
    """
    check_as_of(as_of)
    by_value = {str(k): v for k, v in templates.items()}
    template = by_value.get(str(stage))
    if template is None:
        raise UnknownReferenceError(
            kind="action-plan template",
            key=str(stage),
            field="stage",
            known=sorted(by_value),
        )
    return tuple(
        Task(
            id=f"{client_id}/{template.stage}/{i + 1}",
            client_id=client_id,
            action=step.action,
            owner=owner,
            created_on=as_of,
            due_on=as_of + dt.timedelta(days=step.due_in_days),
            tier=tier,
            rule=f"playbook:{template.stage}",
        )
        for i, step in enumerate(template.steps)
    )


def _days(action: str, tier: str | None, value: object) -> int:
    field = f"due_in_days[{action!r}]" + (f"[{tier!r}]" if tier else "")
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise InvalidValueError(field=field, value=value, expected="an int >= 0 (days)")
    return value


def _due_table(
    codes: Sequence[str], due_in_days: Mapping[str, int | Mapping[str, int]]
) -> IntArray:
    """Days per (action code, tier code); -1 where the caller gave none."""
    table = np.full((len(codes), len(TIER_LEVELS)), -1, dtype=np.int64)
    for a, action in enumerate(codes):
        entry = due_in_days.get(action)
        if entry is None:
            continue
        if isinstance(entry, Mapping):
            for t, tier in enumerate(TIER_LEVELS):
                if tier in entry:
                    table[a, t] = _days(action, tier, entry[tier])
        else:
            table[a, :] = _days(action, None, entry)
    return table


def due_days(
    acts: npt.NDArray[np.object_],
    tier_codes: IntArray,
    due_in_days: Mapping[str, int | Mapping[str, int]],
    labels: IntArray,
) -> IntArray:
    """Days per row from the caller's table; errors name the row by ``labels[i]``."""
    codes, inverse = np.unique(acts.astype(str), return_inverse=True)
    days = _due_table(codes.tolist(), due_in_days)[inverse.reshape(-1), tier_codes]
    if (days < 0).any():
        i = int(np.argmax(days < 0))
        key = str(acts[i])
        where = f"actions[{int(labels[i])}]"
        if key in due_in_days:
            key = f"{key}/{TIER_LEVELS[int(tier_codes[i])]}"
            where = f"tiers[{int(labels[i])}]"
        raise UnknownReferenceError(
            kind="due-in-days entry", key=key, field=where, known=sorted(due_in_days)
        )
    return days


def due_dates(
    actions: Sequence[str] | npt.NDArray[np.object_],
    tiers: Sequence[str] | npt.NDArray[np.object_],
    *,
    as_of: dt.date,
    due_in_days: Mapping[str, int | Mapping[str, int]],
) -> npt.NDArray[np.datetime64]:
    """Due date of each action: ``as_of`` plus the days the caller's table gives.

    Args:
        actions: Action code per row.
        tiers: The client's tier value per row.
        as_of: The date the tasks open.
        due_in_days: Days per action code: an int for every tier, or a mapping
            tier → days.

    Returns:
        ``datetime64[D]`` per row.

    Raises:
        UnknownReferenceError: an action (or an action's tier) has no entry; the
            message names the first such row.
        InvalidValueError: a negative number of days, or an unknown tier.

    Examples:
        >>> import datetime as dt
        >>> table = {"limit_review": {"diamond": 5, "gold": 10, "silver": 20, "basic": 30},
        ...          "call": 7}
        >>> due_dates(["limit_review", "call", "limit_review"], ["gold", "basic", "diamond"],
        ...           as_of=dt.date(2026, 1, 1), due_in_days=table).tolist()
        [datetime.date(2026, 1, 11), datetime.date(2026, 1, 8), datetime.date(2026, 1, 6)]
        >>> due_dates(["visit"], ["gold"], as_of=dt.date(2026, 1, 1), due_in_days=table)
        Traceback (most recent call last):
        ...
        lendcrm.errors.UnknownReferenceError: No due-in-days entry with id 'visit' (referenced by `actions[0]`).
    """
    day = as_of_day(as_of)
    for name, value in (("actions", actions), ("tiers", tiers)):
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise InvalidValueError(
                field=name, value=value, expected=f"a sequence of {name}"
            )
    require_instance(due_in_days, Mapping, name="due_in_days", what="a mapping")
    acts = np.asarray(list(actions), dtype=object)
    tier_codes = enum_codes(np.asarray(list(tiers), dtype=object), Tier, name="tiers")[
        1
    ]
    if tier_codes.shape[0] != acts.shape[0]:
        raise InvalidValueError(
            field="tiers",
            value=f"length {tier_codes.shape[0]}",
            expected=f"one tier per action ({acts.shape[0]})",
        )
    days = due_days(acts, tier_codes, due_in_days, np.arange(acts.shape[0]))
    return day + days.astype("timedelta64[D]")


@attrs.frozen(kw_only=True, eq=False)
class ProposedTasks:
    """Tasks proposed from next-best actions, as aligned columns (one row per task).

    Attributes:
        ids: Task ids ``"{client_id}/{action}/{as_of}"``.
        client_ids: The client of each task.
        actions: The action code.
        rules: The rule that proposed it.
        owners: The client's primary RM.
        tiers: The client's tier value.
        created_on: The date the tasks open.
        due_on: Due dates (``datetime64[D]``).
    """

    ids: npt.NDArray[np.object_]
    client_ids: npt.NDArray[np.object_]
    actions: npt.NDArray[np.object_]
    rules: npt.NDArray[np.object_]
    owners: npt.NDArray[np.object_]
    tiers: npt.NDArray[np.object_]
    created_on: dt.date
    due_on: npt.NDArray[np.datetime64]

    def __len__(self) -> int:
        """Number of tasks."""
        return int(self.ids.shape[0])

    def tasks(self) -> tuple[Task, ...]:
        """The rows as open `Task` objects."""
        due = self.due_on.astype(object).tolist()
        return tuple(
            Task(
                id=i,
                client_id=c,
                action=a,
                owner=o,
                created_on=self.created_on,
                due_on=d,
                tier=t,
                rule=r,
            )
            for i, c, a, o, t, r, d in zip(
                self.ids.tolist(),
                self.client_ids.tolist(),
                self.actions.tolist(),
                self.owners.tolist(),
                self.tiers.tolist(),
                self.rules.tolist(),
                due,
                strict=True,
            )
        )


def _owners(
    clients: npt.NDArray[np.object_], owners: Mapping[str, str | None]
) -> npt.NDArray[np.object_]:
    out = np.empty(clients.shape[0], dtype=object)
    for i, client in enumerate(clients.tolist()):
        rm = owners.get(client)
        if not rm:
            raise InvalidValueError(
                field=f"owners[{client!r}]",
                value=rm,
                expected="the client's primary RM (the client has an action but no RM)",
                hint="Cover the client first: see Coverage.uncovered().",
            )
        out[i] = rm
    return out


def tasks_from_actions(
    client_ids: Sequence[str] | npt.NDArray[np.object_],
    actions: Sequence[str] | npt.NDArray[np.object_],
    tiers: Sequence[str] | npt.NDArray[np.object_],
    *,
    as_of: dt.date,
    owners: Mapping[str, str | None],
    due_in_days: Mapping[str, int | Mapping[str, int]],
    rules: Sequence[str] | npt.NDArray[np.object_] | None = None,
) -> ProposedTasks:
    """Turn next-best actions into tasks: owner the client's RM, due per the caller's table.

    Takes plain columns, e.g. ``client_id``, ``next_action`` and ``tier`` of the
    relationship frame; rows whose action is empty (no action) are skipped.

    Args:
        client_ids: Client per row.
        actions: Action code per row ("" for none).
        tiers: The client's tier value per row.
        as_of: The date the tasks open.
        owners: Client → primary RM (e.g. from the coverage assignment).
        due_in_days: Days per action code (see `due_dates`).
        rules: The rule that proposed each action (default: the action code,
            which is the next-best-action rule's name).

    Raises:
        InvalidValueError: columns of different lengths, or a client with an action
            but no RM in ``owners``; negative days.
        UnknownReferenceError: an action without a due-in-days entry.

    Examples:
        >>> import datetime as dt
        >>> p = tasks_from_actions(["C-1", "C-2", "C-3"], ["limit_review", "", "call"],
        ...                        ["gold", "basic", "silver"], as_of=dt.date(2026, 1, 1),
        ...                        owners={"C-1": "RM-1", "C-3": "RM-2"},
        ...                        due_in_days={"limit_review": 10, "call": 3})
        >>> p.ids.tolist(), p.owners.tolist(), p.due_on.astype(str).tolist()
        (['C-1/limit_review/2026-01-01', 'C-3/call/2026-01-01'], ['RM-1', 'RM-2'], ['2026-01-11', '2026-01-04'])
    """
    check_as_of(as_of)
    cols = {
        "client_ids": object_column(client_ids, name="client_ids"),
        "actions": object_column(actions, name="actions"),
        "tiers": object_column(tiers, name="tiers"),
    }
    require_mapping(owners, name="owners", what="a mapping of client id to RM id")
    require_mapping(due_in_days, name="due_in_days", what="a mapping of action to days")
    cols["rules"] = (
        cols["actions"] if rules is None else np.asarray(list(rules), dtype=object)
    )
    n = cols["client_ids"].shape[0]
    for name, values in cols.items():
        if values.shape[0] != n:
            raise InvalidValueError(
                field=name,
                value=f"length {values.shape[0]}",
                expected=f"one value per client row ({n})",
            )
    tier_codes = enum_codes(cols["tiers"], Tier, name="tiers")[1]
    keep = np.array([bool(a) for a in cols["actions"].tolist()], dtype=bool)
    cols = {k: v[keep] for k, v in cols.items()}
    days = due_days(
        cols["actions"], tier_codes[keep], due_in_days, np.flatnonzero(keep)
    )
    stamp = as_of.isoformat()
    ids = np.array(
        [
            f"{c}/{a}/{stamp}"
            for c, a in zip(
                cols["client_ids"].tolist(), cols["actions"].tolist(), strict=True
            )
        ],
        dtype=object,
    )
    return ProposedTasks(
        ids=ids,
        owners=_owners(cols["client_ids"], owners),
        created_on=as_of,
        due_on=as_of_day(as_of) + days.astype("timedelta64[D]"),
        **cols,
    )
