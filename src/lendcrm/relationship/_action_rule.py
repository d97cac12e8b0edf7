"""The interface every next-best-action rule meets: `NextBestActionRule`.

A rule is a named, pure, vectorised test over `ClientFacts` with a ``priority`` and a
``reason``; the built-ins are in `lendcrm.relationship._builtin_rules`, and the
caller's set of rules and their evaluation in `lendcrm.relationship._actions`.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from lendcrm._arrays import BoolArray
from lendcrm.relationship._facts import ClientFacts


@runtime_checkable
class NextBestActionRule(Protocol):
    """A named, pure, vectorised rule proposing one action.

    Implementations must be pure and row-wise (a client's answer depends on its own
    facts only), so the actions of a book equal the actions of its parts.
    """

    @property
    def name(self) -> str:
        """Stable action code, reported when the rule fires."""
        ...

    @property
    def priority(self) -> float:
        """Rank of the action among a client's actions; higher comes first."""
        ...

    @property
    def reason(self) -> str:
        """Why the action is proposed, in one sentence."""
        ...

    def evaluate(self, facts: ClientFacts) -> BoolArray:
        """Return a bool mask of shape ``(len(facts),)``: where the action applies."""
        ...
