"""Fuzz the public surface added after the first fuzz pass (#17, the remaining reach).

The new core value objects (`Contact`, `Interaction`, `RepaymentTerms`,
`Participation`), the entities of the service model and the pipeline (`Prospect`,
`Opportunity`, `RelationshipManager`, `Team`, `RoleAssignment`, `Task`), the
repayment schedules, lifetime RAROC, counterparty exposures and the synthetic pipeline.
Same rule as `tests/test_fuzz_public_api.py`: with one argument of a valid call
replaced by a generated bad value, whatever the function raises must be a
`lendcrm.errors.LendCRMError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lendcrm
from lendcrm import synthetic
from lendcrm.errors import InvalidValueError, LendCRMError
from lendcrm.relationship import commercial as cm
from lendcrm.relationship import workflows as wf
from lendcrm.risk import capital, portfolio, pricing, schedules
from tests.fuzz_outputs import check_outputs
from tests.test_fuzz_public_api import BAD

D0 = dt.date(2026, 1, 15)
EUR = lendcrm.Money.of("25000000", "EUR")
SCHEDULE = schedules.repayment_schedules(
    principal=[1e6, 2e6],
    start="2026-01-01",
    maturity="2031-01-01",
    amortisation="annuity",
    rate=0.06,
    payments_per_year=1,
    day_count="30/360",
    upfront_fee=10_000.0,
)
LIFETIME: dict[str, Any] = {
    "schedule": SCHEDULE,
    "default_probability": 0.01,
    "lgd": 0.45,
    "funding_rate": 0.03,
    "operating_cost_rate": 0.004,
    "hurdle_rate": 0.12,
    "risk_free_rate": 0.03,
    "capital_ratio": 0.10,
    "regime": capital.BASEL_III,
    "discount_rate": 0.05,
}

Call = tuple[Callable[..., object], dict[str, Any]]
BASE_CALLS: dict[str, Call] = {
    "Contact": (
        lendcrm.Contact,
        {
            "id": "K-1",
            "client_id": "C-1",
            "role": lendcrm.ContactRole.CFO,
            "decision_maker": True,
            "name": "Ada Weber",
            "email": "ada@example.com",
        },
    ),
    "Interaction": (
        lendcrm.Interaction,
        {
            "on": D0,
            "channel": lendcrm.InteractionChannel.VISIT,
            "topic": lendcrm.InteractionTopic.ANNUAL_REVIEW,
            "relationship_manager": "RM-7",
            "contact_ids": ("K-1",),
            "follow_up_on": dt.date(2026, 4, 1),
        },
    ),
    "RepaymentTerms": (
        lendcrm.RepaymentTerms,
        {
            "amortisation": lendcrm.Amortisation.ANNUITY,
            "payments_per_year": 4,
            "grace_periods": 1,
            "balloon_fraction": 0.0,
        },
    ),
    "Participation": (
        lendcrm.Participation,
        {
            "bank": "Our Bank",
            "role": lendcrm.ParticipationRole.ARRANGER,
            "share": 0.4,
            "own": True,
        },
    ),
    "commercial.Prospect": (
        cm.Prospect,
        {
            "id": "P-1",
            "name": "Solaris Iberia SL",
            "sector": lendcrm.Sector.ELECTRICITY_GAS_STEAM,
            "country": "ES",
            "size": EUR,
            "source": cm.ProspectSource.REFERRAL,
            "referred_by": "C-1",
        },
    ),
    "commercial.Opportunity": (
        cm.Opportunity,
        {
            "id": "O-1",
            "kind": lendcrm.FacilityKind.TERM_LOAN,
            "amount": EUR,
            "created_on": D0,
            "expected_close_on": dt.date(2026, 6, 30),
            "owner": "rm-7",
            "client_id": "C-1",
        },
    ),
    "workflows.RelationshipManager": (
        wf.RelationshipManager,
        {
            "id": "RM-1",
            "team": "north",
            "level": "senior",
            "client_capacity": 120,
            "workload_capacity": 150.0,
        },
    ),
    "workflows.Team": (wf.Team, {"id": "north", "head": "RM-1"}),
    "workflows.RoleAssignment": (
        wf.RoleAssignment,
        {"client_id": "C-1", "role": "credit_analyst", "member_id": "RM-7"},
    ),
    "workflows.Task": (
        wf.Task,
        {
            "id": "T-1",
            "client_id": "C-1",
            "action": "annual_review",
            "owner": "RM-1",
            "created_on": D0,
            "due_on": dt.date(2026, 2, 4),
        },
    ),
    "schedules.repayment_schedules": (
        schedules.repayment_schedules,
        {
            "principal": [1200.0, 1000.0],
            "start": "2026-01-01",
            "maturity": "2027-01-01",
            "amortisation": ["linear", "revolver"],
            "rate": 0.05,
            "profile": [[0.0] * 4, [0.4] * 4],
            "payments_per_year": 4,
            "grace_periods": 0,
            "balloon_fraction": 0.0,
            "commitment_fee": 0.005,
            "upfront_fee": 10.0,
            "facility_ids": ["F-1", "F-2"],
        },
    ),
    "schedules.ead_profile": (
        schedules.ead_profile,
        {
            "schedule": SCHEDULE,
            "as_of": dt.date(2026, 1, 1),
            "periods": 5,
            "periods_per_year": 1,
            "ccf": 0.5,
            "prepayment_rate": 0.02,
        },
    ),
    "schedules.effective_interest_rate": (
        schedules.effective_interest_rate,
        {"schedule": SCHEDULE, "carrying_amount": [990_000.0, 1_990_000.0]},
    ),
    "schedules.annual_effective_rate": (
        schedules.annual_effective_rate,
        {"rate": [0.12, 0.05], "payments_per_year": [12, 4]},
    ),
    "schedules.balance_at": (
        schedules.balance_at,
        {"schedule": SCHEDULE, "on": ["2027-06-30", "2028-06-30"]},
    ),
    "schedules.weighted_average_life": (
        schedules.weighted_average_life,
        {"schedule": SCHEDULE},
    ),
    "schedules.ForwardCurve": (
        schedules.ForwardCurve,
        {
            "as_of": dt.date(2026, 1, 1),
            "tenors": (0.0, 1.0, 3.0),
            "rates": (0.020, 0.025, 0.030),
        },
    ),
    "pricing.lifetime_raroc": (pricing.lifetime_raroc, LIFETIME),
    "portfolio.counterparty_exposures": (
        portfolio.counterparty_exposures,
        {
            "exposures": [100.0, 30.0],
            "obligors": ["A", "B"],
            "bank_share": [0.4, 1.0],
            "guarantors": ["G", None],
            "covered": [50.0, 0.0],
            "groups": {"A": "Group 1", "B": "Group 1"},
        },
    ),
    "synthetic.generate_pipeline": (
        synthetic.generate_pipeline,
        {
            "n_opportunities": 30,
            "seed": 3,
            "as_of": dt.date(2026, 6, 30),
            "owners": 4,
            "history_days": 200,
        },
    ),
}


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
def test_base_call_is_valid(name: str) -> None:
    function, kwargs = BASE_CALLS[name]
    check_outputs(name, function(**kwargs))


@pytest.mark.parametrize("name", sorted(BASE_CALLS))
@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_bad_input_raises_a_lendcrm_error(name: str, data: st.DataObject) -> None:
    function, kwargs = BASE_CALLS[name]
    parameter = data.draw(st.sampled_from(sorted(kwargs)), label="parameter")
    bad = data.draw(BAD, label="bad")
    with contextlib.suppress(LendCRMError):
        function(**{**kwargs, parameter: bad})


# every id field of the new entities follows the core id rule (`identifier`)
ID_FIELDS = [
    ("Contact", "id"),
    ("Contact", "client_id"),
    ("commercial.Prospect", "id"),
    ("commercial.Opportunity", "id"),
    ("commercial.Opportunity", "client_id"),
    ("workflows.RelationshipManager", "id"),
    ("workflows.Team", "id"),
    ("workflows.RoleAssignment", "client_id"),
    ("workflows.RoleAssignment", "member_id"),
    ("workflows.Task", "id"),
    ("workflows.Task", "client_id"),
]


@pytest.mark.parametrize(("name", "field"), ID_FIELDS)
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("X-1 ", "an id without leading or trailing whitespace"),
        (
            "X\n1",
            (
                "an id without control or zero-width characters (found U+000A at "
                "position 1)"
            ),
        ),
        (
            "X-\u200b1",
            (
                "an id without control or zero-width characters (found U+200B at "
                "position 2)"
            ),
        ),
    ],
)
def test_new_entity_ids_follow_the_id_rule(
    name: str, field: str, value: str, expected: str
) -> None:
    function, kwargs = BASE_CALLS[name]
    with pytest.raises(InvalidValueError) as info:
        function(**{**kwargs, field: value})
    assert str(info.value).endswith(f"`{field}` must be {expected}; got {value!r}.")
    assert f"{field}` must be {expected}; got {value!r}." in str(info.value)


def test_opportunity_prospect_id_follows_the_id_rule() -> None:
    function, kwargs = BASE_CALLS["commercial.Opportunity"]
    kwargs = {**kwargs, "client_id": None, "prospect_id": " P-1"}
    with pytest.raises(InvalidValueError) as info:
        function(**kwargs)
    assert str(info.value) == (
        "`prospect_id` must be an id without leading or trailing whitespace; "
        "got ' P-1'."
    )


# the refusals this fuzz found missing, each pinned by its message
DATES = "dates (datetime.date, numpy.datetime64 or ISO text 'YYYY-MM-DD')"
FOUND: list[tuple[str, str, object, str]] = [
    (
        "RepaymentTerms",
        "payments_per_year",
        np.array([]),
        "`payments_per_year` must be one of 1, 12, 2, 4; got array([], dtype=float64).",
    ),
    (
        "portfolio.counterparty_exposures",
        "groups",
        False,
        "`groups` must be a mapping of ids; got a 'bool'.",
    ),
    (
        "pricing.lifetime_raroc",
        "schedule",
        None,
        "`schedule` must be a Schedule; got None.",
    ),
    (
        "pricing.lifetime_raroc",
        "capital_ratio",
        -math.inf,
        "`capital_ratio[0]` must be a finite number in [0, 1]; got -inf.",
    ),
    (
        "pricing.lifetime_raroc",
        "discount_rate",
        [],
        "`discount_rate` must be length 1 or one per facility (2); got 'length 0'.",
    ),
    (
        "pricing.lifetime_raroc",
        "discount_rate",
        "",
        (
            "`discount_rate` must be a number, not text (convert text to numbers before "
            "the call); got ''."
        ),
    ),
    (
        "schedules.ForwardCurve",
        "rates",
        None,
        "`rates` must be a sequence of numbers; got None.",
    ),
    (
        "schedules.ForwardCurve",
        "tenors",
        ":",
        "`tenors` must be a sequence of numbers; got ':'.",
    ),
    (
        "schedules.annual_effective_rate",
        "payments_per_year",
        False,
        (
            "`payments_per_year` must be a number, not a boolean (pass 0.0/1.0 if a "
            "number is meant); got False."
        ),
    ),
    ("schedules.balance_at", "on", [], f"`on` must be {DATES}; got []."),
    (
        "schedules.balance_at",
        "on",
        ["2026-01-01"] * 3,
        ("`on` must be length 1 or one per facility (2); got 'length 3'."),
    ),
    (
        "schedules.balance_at",
        "schedule",
        None,
        "`schedule` must be a Schedule; got None.",
    ),
    (
        "schedules.ead_profile",
        "periods_per_year",
        np.array([]),
        "`periods_per_year` must be 1, 2, 4 or 12; got array([], dtype=float64).",
    ),
    (
        "schedules.effective_interest_rate",
        "carrying_amount",
        [],
        "`carrying_amount` must be length 1 or one per facility (2); got 'length 0'.",
    ),
    (
        "schedules.effective_interest_rate",
        "schedule",
        "s",
        "`schedule` must be a Schedule; got a 'str'.",
    ),
    (
        "schedules.repayment_schedules",
        "profile",
        [["x"]],
        (
            "`profile[0]` must be a number, not text (convert text to numbers before the "
            "call); got 'x'."
        ),
    ),
    (
        "schedules.repayment_schedules",
        "maturity",
        math.inf,
        f"`maturity` must be {DATES}; got inf.",
    ),
    (
        "schedules.weighted_average_life",
        "schedule",
        None,
        "`schedule` must be a Schedule; got None.",
    ),
]


@pytest.mark.parametrize(("name", "parameter", "bad", "message"), FOUND)
def test_found_refusals_name_the_parameter(
    name: str, parameter: str, bad: object, message: str
) -> None:
    function, kwargs = BASE_CALLS[name]
    with pytest.raises(InvalidValueError) as info:
        function(**{**kwargs, parameter: bad})
    assert str(info.value) == message


def test_lifetime_schedule_is_kept() -> None:
    assert np.isfinite(pricing.lifetime_raroc(**LIFETIME).raroc).all()
