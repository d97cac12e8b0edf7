"""Stage playbooks: what the relationship team does in each client stage, as data.

The strategies follow the source article (acquisition: targeted offers; activation:
first-transaction service; growth: tailored financing and limit optimisation;
maturity: periodic review and risk assessment; decline: an exit plan), each with a
review frequency and an owner role. `PLAYBOOKS` is read-only; a bank with its own
playbooks passes its own mapping to `playbook_for`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

import attrs

from lendcrm.errors import UnknownReferenceError
from lendcrm.lifecycle._states import ClientStage

__all__ = ["PLAYBOOKS", "Playbook", "playbook_for"]


def _texts(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


@attrs.frozen(kw_only=True)
class Playbook:
    """The service strategy for one client stage.

    Attributes:
        stage: The stage it applies to.
        strategy: The strategy in one line.
        actions: Concrete actions, in the order the team usually takes them.
        review_every_months: How often the relationship is reviewed, months;
            ``None`` when no periodic review applies (exited clients).
        owner_role: The role accountable for the relationship in this stage.
    """

    stage: ClientStage
    strategy: str
    actions: tuple[str, ...] = attrs.field(converter=_texts)
    review_every_months: int | None
    owner_role: str


_C = ClientStage

#: The default playbooks, one per client stage.
PLAYBOOKS: Final[Mapping[ClientStage, Playbook]] = MappingProxyType(
    {
        _C.ACQUISITION: Playbook(
            stage=_C.ACQUISITION,
            strategy="Targeted offers to win the first mandate",
            actions=(
                "qualify the prospect's financing needs and credit appetite",
                "make a targeted offer matched to the sector and project pipeline",
                "complete KYC and the first credit approval",
            ),
            review_every_months=1,
            owner_role="relationship manager (origination)",
        ),
        _C.ACTIVATION: Playbook(
            stage=_C.ACTIVATION,
            strategy="First-transaction service that makes the first drawdown smooth",
            actions=(
                "assign a named service contact for the first drawdowns",
                "check the first transactions settle without friction",
                "collect early feedback and fix onboarding issues",
            ),
            review_every_months=3,
            owner_role="relationship manager",
        ),
        _C.GROWTH: Playbook(
            stage=_C.GROWTH,
            strategy="Tailored financing and limit optimisation",
            actions=(
                "propose financing tailored to new projects and working capital",
                "optimise limits against utilisation and risk appetite",
                "cross-sell hedging, cash management and trade products",
            ),
            review_every_months=6,
            owner_role="relationship manager with product specialists",
        ),
        _C.MATURITY: Playbook(
            stage=_C.MATURITY,
            strategy="Periodic review and risk assessment to keep the relationship",
            actions=(
                "run the annual credit review and re-rate the client",
                "reprice facilities against risk and relationship value",
                "look for renewal and refinancing opportunities",
            ),
            review_every_months=12,
            owner_role="relationship manager with credit risk",
        ),
        _C.DECLINE: Playbook(
            stage=_C.DECLINE,
            strategy="Exit plan: protect the bank's position and exit in order",
            actions=(
                "move the client to watchlist monitoring with monthly reporting",
                "tighten limits and covenants; seek additional security",
                "agree an exit or restructuring plan with workout specialists",
            ),
            review_every_months=1,
            owner_role="credit risk / workout unit",
        ),
        _C.EXITED: Playbook(
            stage=_C.EXITED,
            strategy="Close out and keep the record",
            actions=(
                "settle or transfer residual exposure",
                "archive the file and the lifecycle history for the retention period",
            ),
            review_every_months=None,
            owner_role="operations",
        ),
    }
)


def playbook_for(
    stage: ClientStage | str,
    *,
    playbooks: Mapping[ClientStage, Playbook] = PLAYBOOKS,
) -> Playbook:
    """The playbook of a client stage.

    Args:
        stage: The stage (enum or string value).
        playbooks: The bank's playbooks (defaults to `PLAYBOOKS`).

    Raises:
        UnknownReferenceError: no playbook for that stage.

    Examples:
        >>> p = playbook_for("growth")
        >>> p.strategy, p.review_every_months
        ('Tailored financing and limit optimisation', 6)
        >>> playbook_for("dormant")
        Traceback (most recent call last):
        ...
        lendcrm.errors.UnknownReferenceError: No playbook with id 'dormant' (referenced by `stage`).
    """
    by_value = {str(k): v for k, v in playbooks.items()}
    try:
        return by_value[str(stage)]
    except KeyError:
        raise UnknownReferenceError(
            kind="playbook", key=str(stage), field="stage", known=sorted(by_value)
        ) from None
