"""`Pipeline`: the prospects and opportunities of a bank, checked against its `Book`.

Like `lendcrm.Book`, a pipeline is checked as a whole when it is built and every
problem is raised at once as one `BatchValidationError` whose children name the entity
and the field (``prospects['P-3'].name``, ``opportunities['O-8'].client_id``).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from lendcrm import Book, Client, ClientId
from lendcrm._validators import tuple_of
from lendcrm.errors import (
    BatchValidationError,
    InvalidValueError,
    LendCRMError,
    UnknownReferenceError,
)
from lendcrm.relationship.commercial._opportunities import Opportunity, OpportunityId
from lendcrm.relationship.commercial._prospects import Prospect, ProspectId

__all__ = ["Pipeline", "normalised_name"]


def normalised_name(name: str) -> str:
    """A legal name compared case- and space-insensitively (``"ACME  Ltd"`` = ``"acme ltd"``).

    Examples:
        >>> normalised_name("  Nordwind   Energie GmbH ")
        'nordwind energie gmbh'
    """
    return " ".join(name.casefold().split())


def _duplicate_ids(kind: str, ids: list[str]) -> list[LendCRMError]:
    seen: set[str] = set()
    errors: list[LendCRMError] = []
    for key in ids:
        if key in seen:
            errors.append(
                InvalidValueError(
                    field=f"{kind}[{key!r}].id",
                    value=key,
                    expected=f"an id not used by another of the pipeline's {kind}",
                )
            )
        seen.add(key)
    return errors


def _already_clients(
    prospects: tuple[Prospect, ...], clients: Mapping[ClientId, Client]
) -> list[LendCRMError]:
    by_name = {normalised_name(c.legal_name): c.id for c in clients.values()}
    errors: list[LendCRMError] = []
    for p in prospects:
        same_id = ClientId(p.id) in clients
        client = ClientId(p.id) if same_id else by_name.get(normalised_name(p.name))
        if client is not None:
            field = "id" if same_id else "name"
            errors.append(
                InvalidValueError(
                    field=f"prospects[{p.id!r}].{field}",
                    value=p.id if field == "id" else "the legal name of a client",
                    expected="a company that is not yet a client",
                    hint=f"It is client {client!r}: record its opportunities with "
                    "client_id instead.",
                )
            )
        if p.referred_by is not None and p.referred_by not in clients:
            errors.append(
                UnknownReferenceError(
                    kind="client",
                    key=p.referred_by,
                    field=f"prospects[{p.id!r}].referred_by",
                    known=tuple(clients)[:50],
                )
            )
    return errors


def _counterparty_errors(
    opportunities: tuple[Opportunity, ...],
    clients: Mapping[ClientId, Client],
    prospects: Mapping[ProspectId, Prospect],
) -> list[LendCRMError]:
    errors: list[LendCRMError] = []
    for o in opportunities:
        if o.client_id is not None and o.client_id not in clients:
            errors.append(
                UnknownReferenceError(
                    kind="client",
                    key=o.client_id,
                    field=f"opportunities[{o.id!r}].client_id",
                    known=tuple(clients)[:50],
                )
            )
        if o.prospect_id is not None and o.prospect_id not in prospects:
            errors.append(
                UnknownReferenceError(
                    kind="prospect",
                    key=o.prospect_id,
                    field=f"opportunities[{o.id!r}].prospect_id",
                    known=tuple(prospects)[:50],
                )
            )
    return errors


@attrs.frozen(kw_only=True)
class Pipeline:
    """A bank's prospects and deals, with referential integrity against its book.

    Attributes:
        book: The bank's clients (and facilities); not compared, not in ``repr``.
        prospects: Companies that are not clients yet.
        opportunities: The deals, each with a client of ``book`` or a prospect of
            ``prospects``.

    Raises:
        BatchValidationError: every integrity problem at once: duplicate ids, a
            prospect that is already a client (same id or same legal name, compared
            case- and space-insensitively), a referral from an unknown client, a deal
            with an unknown client or prospect.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import Money, Sector
        >>> from lendcrm.relationship.commercial import ProspectSource
        >>> client = Client(id=ClientId("C-1"), legal_name="Nordwind Energie GmbH",
        ...     sector=Sector.ELECTRICITY_GAS_STEAM, country="DE",
        ...     onboarded_on=dt.date(2019, 4, 1), annual_revenue=Money.of("80000000", "EUR"))
        >>> twin = Prospect(id=ProspectId("P-1"), name="NORDWIND  Energie GmbH",
        ...     sector=Sector.ELECTRICITY_GAS_STEAM, country="DE",
        ...     size=Money.of("80000000", "EUR"), source=ProspectSource.INBOUND)
        >>> try:
        ...     Pipeline(book=Book(clients=(client,)), prospects=(twin,))
        ... except BatchValidationError as exc:
        ...     print(exc.exceptions[0])
        `prospects['P-1'].name` must be a company that is not yet a client; got 'the legal name of a client'. It is client 'C-1': record its opportunities with client_id instead.
    """

    book: Book = attrs.field(repr=False, eq=False)
    prospects: tuple[Prospect, ...] = attrs.field(
        default=(), validator=tuple_of(Prospect, what="Prospect")
    )
    opportunities: tuple[Opportunity, ...] = attrs.field(
        default=(), validator=tuple_of(Opportunity, what="Opportunity")
    )
    _prospects: Mapping[ProspectId, Prospect] = attrs.field(
        init=False, repr=False, eq=False
    )
    _opportunities: Mapping[OpportunityId, Opportunity] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        """Check integrity against the book; raise every problem at once."""
        if not isinstance(self.book, Book):
            raise InvalidValueError(field="book", value=self.book, expected="a Book")
        clients = {c.id: c for c in self.book.clients}
        prospects = {p.id: p for p in self.prospects}
        errors = [
            *_duplicate_ids("prospects", [p.id for p in self.prospects]),
            *_duplicate_ids("opportunities", [o.id for o in self.opportunities]),
            *_already_clients(self.prospects, clients),
            *_counterparty_errors(self.opportunities, clients, prospects),
        ]
        if errors:
            total = len(self.prospects) + len(self.opportunities)
            raise BatchValidationError(errors, total=total, what="entities")
        # Derived indices of a frozen class: attrs documents object.__setattr__ for this.
        object.__setattr__(self, "_prospects", prospects)
        object.__setattr__(
            self, "_opportunities", {o.id: o for o in self.opportunities}
        )

    def prospect(self, prospect_id: ProspectId) -> Prospect:
        """The prospect with this id.

        Raises:
            UnknownReferenceError: no such prospect.
        """
        found = self._prospects.get(prospect_id)
        if found is not None:
            return found
        raise UnknownReferenceError(
            kind="prospect", key=prospect_id, known=[p.id for p in self.prospects][:50]
        )

    def opportunity(self, opportunity_id: OpportunityId) -> Opportunity:
        """The opportunity with this id.

        Raises:
            UnknownReferenceError: no such opportunity.
        """
        found = self._opportunities.get(opportunity_id)
        if found is not None:
            return found
        raise UnknownReferenceError(
            kind="opportunity",
            key=opportunity_id,
            known=[o.id for o in self.opportunities][:50],
        )

    def sector_of(self, opportunity: Opportunity) -> str:
        """The NACE section of the deal's counterparty (client or prospect)."""
        if opportunity.client_id is not None:
            return self.book.client(opportunity.client_id).sector.value
        assert opportunity.prospect_id is not None  # noqa: S101 - checked at build
        return self.prospect(opportunity.prospect_id).sector.value
