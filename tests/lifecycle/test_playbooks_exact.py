"""Exact tests of the stage playbooks (issue #23).

`PLAYBOOKS` is a module-level table, which mutmut does not mutate: a golden copy pins
every field of every entry.
"""

from __future__ import annotations

import pytest

from lendcrm.errors import UnknownReferenceError
from lendcrm.lifecycle import PLAYBOOKS, ClientStage, Playbook, playbook_for

GOLDEN = {
    "acquisition": (
        "Targeted offers to win the first mandate",
        (
            "qualify the prospect's financing needs and credit appetite",
            "make a targeted offer matched to the sector and project pipeline",
            "complete KYC and the first credit approval",
        ),
        1,
        "relationship manager (origination)",
    ),
    "activation": (
        "First-transaction service that makes the first drawdown smooth",
        (
            "assign a named service contact for the first drawdowns",
            "check the first transactions settle without friction",
            "collect early feedback and fix onboarding issues",
        ),
        3,
        "relationship manager",
    ),
    "growth": (
        "Tailored financing and limit optimisation",
        (
            "propose financing tailored to new projects and working capital",
            "optimise limits against utilisation and risk appetite",
            "cross-sell hedging, cash management and trade products",
        ),
        6,
        "relationship manager with product specialists",
    ),
    "maturity": (
        "Periodic review and risk assessment to keep the relationship",
        (
            "run the annual credit review and re-rate the client",
            "reprice facilities against risk and relationship value",
            "look for renewal and refinancing opportunities",
        ),
        12,
        "relationship manager with credit risk",
    ),
    "decline": (
        "Exit plan: protect the bank's position and exit in order",
        (
            "move the client to watchlist monitoring with monthly reporting",
            "tighten limits and covenants; seek additional security",
            "agree an exit or restructuring plan with workout specialists",
        ),
        1,
        "credit risk / workout unit",
    ),
    "exited": (
        "Close out and keep the record",
        (
            "settle or transfer residual exposure",
            "archive the file and the lifecycle history for the retention period",
        ),
        None,
        "operations",
    ),
}


def test_every_default_playbook_is_pinned():
    assert [str(k) for k in PLAYBOOKS] == list(GOLDEN)
    for key, playbook in PLAYBOOKS.items():
        assert playbook.stage is key
        got = (
            playbook.strategy,
            playbook.actions,
            playbook.review_every_months,
            playbook.owner_role,
        )
        assert got == GOLDEN[str(key)]
        assert playbook_for(key) is playbook
        assert playbook_for(str(key)) is playbook


def test_actions_are_kept_as_a_tuple_in_order():
    p = Playbook(
        stage=ClientStage.GROWTH,
        strategy="s",
        actions=["b", "a"],
        review_every_months=2,
        owner_role="r",
    )
    assert p.actions == ("b", "a")
    assert type(p.actions) is tuple


def test_a_bank_passes_its_own_playbooks():
    own = Playbook(
        stage=ClientStage.DECLINE,
        strategy="own",
        actions=("call",),
        review_every_months=2,
        owner_role="desk",
    )
    assert playbook_for("decline", playbooks={ClientStage.DECLINE: own}) is own
    with pytest.raises(UnknownReferenceError) as info:
        playbook_for(ClientStage.GROWTH, playbooks={ClientStage.DECLINE: own})
    err = info.value
    assert (err.kind, err.key, err.field, err.known) == (
        "playbook",
        "growth",
        "stage",
        ("decline",),
    )


def test_an_unknown_stage_is_refused_with_the_known_ones_sorted():
    with pytest.raises(UnknownReferenceError) as info:
        playbook_for("dormant")
    err = info.value
    assert str(err) == "No playbook with id 'dormant' (referenced by `stage`)."
    assert (err.kind, err.key, err.field) == ("playbook", "dormant", "stage")
    assert err.known == (
        "acquisition", "activation", "decline", "exited", "growth", "maturity",
    )  # fmt: skip
