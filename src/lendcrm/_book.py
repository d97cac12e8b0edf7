"""`Book`: an immutable, integrity-checked collection of clients, facilities, projects.

A book is checked as a whole when it is built: duplicate ids, facilities whose client
or project is missing, clients whose parent is missing, and parent cycles are all
collected and raised together as one `BatchValidationError` whose children carry paths
such as ``facilities[3].client_id``. A book never changes; ``with_client``,
``with_facility`` and ``with_project`` return a new, re-checked book.

Exposure is the **drawn** amount of each facility (what the bank has lent); pass
``measure="limit"`` for committed limits instead. Sums are exact ``Decimal`` money in
one currency: a book in several currencies needs an explicit ``currency`` and FX rates.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Literal, TypeVar

import attrs

from lendcrm._entities import Client, Facility
from lendcrm._enums import Sector
from lendcrm._money import Money, currency_code
from lendcrm._project import Project
from lendcrm._validators import tuple_of
from lendcrm._values import ClientId, FacilityId, ProjectId
from lendcrm.errors import (
    BatchValidationError,
    CurrencyMismatchError,
    InvalidValueError,
    LendCRMError,
    UnknownReferenceError,
)

__all__ = ["Book"]

#: Which amount of a facility counts as exposure.
ExposureMeasure = Literal["drawn", "limit"]

K = TypeVar("K", bound=Hashable)


def _duplicates(
    kind: str, items: Iterable[Client | Facility | Project]
) -> list[LendCRMError]:
    seen: set[str] = set()
    errors: list[LendCRMError] = []
    for i, item in enumerate(items):
        if item.id in seen:
            errors.append(
                InvalidValueError(
                    field=f"{kind}[{i}].id",
                    value=item.id,
                    expected=f"an id not used by another of the book's {kind}",
                )
            )
        seen.add(item.id)
    return errors


def _shared_asset_errors(facilities: Iterable[Facility]) -> list[LendCRMError]:
    """One error per asset id whose collateral rows disagree on kind, value or valuations.

    An asset pledged to several facilities is one asset: each of its rows (one per
    facility) must describe it the same way. The error is reported at the first row
    that differs from the asset's first row and names every facility of the asset.
    """
    first: dict[str, tuple[object, ...]] = {}
    owners: dict[str, list[str]] = {}
    differs: dict[str, str] = {}
    for i, f in enumerate(facilities):
        for j, c in enumerate(f.collateral):
            if c.asset_id is None:
                continue
            key = (c.kind, c.value, c.valuations)
            owners.setdefault(c.asset_id, []).append(f.id)
            if first.setdefault(c.asset_id, key) != key:
                differs.setdefault(c.asset_id, f"facilities[{i}].collateral[{j}]")
    return [
        InvalidValueError(
            field=f"{path}.asset_id",
            value=asset,
            expected="the same kind, value and valuations on every collateral row "
            "of one asset",
            hint=f"Asset {asset!r} secures facilities "
            f"{', '.join(dict.fromkeys(owners[asset]))}; describe it identically "
            "on each.",
        )
        for asset, path in differs.items()
    ]


@attrs.frozen(kw_only=True)
class Book:
    """An immutable book of clients, facilities and projects with referential integrity.

    Attributes:
        clients: The clients, in the order given.
        facilities: The facilities; each one's ``client_id`` (and ``project_id``, if
            set) must be in the book.
        projects: The project vehicles.

    Raises:
        BatchValidationError: every integrity problem at once (duplicate ids, unknown
            client, project or parent, parent cycles, collateral rows of one
            ``asset_id`` that describe the asset differently), each child with its
            path.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm import (Client, ClientId, Facility, FacilityId, FacilityKind,
        ...     FacilityStatus, Money, Pricing, Sector, Seniority)
        >>> parent = Client(id=ClientId("G"), legal_name="Group AG",
        ...     sector=Sector.MANUFACTURING, country="DE", onboarded_on=dt.date(2020, 1, 1),
        ...     annual_revenue=Money.of("900000000", "EUR"))
        >>> child = Client(id=ClientId("G-1"), legal_name="Group Polska",
        ...     sector=Sector.MANUFACTURING, country="PL", onboarded_on=dt.date(2021, 1, 1),
        ...     annual_revenue=Money.of("80000000", "EUR"), parent_id=ClientId("G"))
        >>> loan = Facility(id=FacilityId("F-1"), client_id=ClientId("G-1"),
        ...     kind=FacilityKind.TERM_LOAN, currency="EUR",
        ...     limit=Money.of("5000000", "EUR"), drawn=Money.of("4000000", "EUR"),
        ...     start_on=dt.date(2024, 1, 1), maturity_on=dt.date(2029, 1, 1),
        ...     seniority=Seniority.SENIOR_UNSECURED,
        ...     pricing=Pricing(reference_rate="EURIBOR_3M", margin_bps=180,
        ...                     arrangement_fee=Money.of("0", "EUR")),
        ...     status=FacilityStatus.ACTIVE)
        >>> book = Book(clients=(parent, child), facilities=(loan,))
        >>> book.exposure_by_group()
        {'G': Money(amount=Decimal('4000000'), currency='EUR')}
        >>> book.client(ClientId("G-2"))
        Traceback (most recent call last):
        ...
        lendcrm.errors.UnknownReferenceError: No client with id 'G-2'. Did you mean 'G-1'?
    """

    clients: tuple[Client, ...] = attrs.field(
        default=(), validator=tuple_of(Client, what="Client")
    )
    facilities: tuple[Facility, ...] = attrs.field(
        default=(), validator=tuple_of(Facility, what="Facility")
    )
    projects: tuple[Project, ...] = attrs.field(
        default=(), validator=tuple_of(Project, what="Project")
    )
    _clients: Mapping[ClientId, Client] = attrs.field(init=False, repr=False, eq=False)
    _facilities: Mapping[FacilityId, Facility] = attrs.field(
        init=False, repr=False, eq=False
    )
    _projects: Mapping[ProjectId, Project] = attrs.field(
        init=False, repr=False, eq=False
    )
    _by_client: Mapping[ClientId, tuple[Facility, ...]] = attrs.field(
        init=False, repr=False, eq=False
    )
    _children: Mapping[ClientId, tuple[ClientId, ...]] = attrs.field(
        init=False, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        """Check integrity, then build the lookup indices (derived, never mutated)."""
        errors = [
            *_duplicates("clients", self.clients),
            *_duplicates("facilities", self.facilities),
            *_duplicates("projects", self.projects),
        ]
        clients = {c.id: c for c in self.clients}
        projects = {p.id: p for p in self.projects}
        errors.extend(self._reference_errors(clients, projects))
        errors.extend(self._cycle_errors(clients))
        errors.extend(_shared_asset_errors(self.facilities))
        if errors:
            total = len(self.clients) + len(self.facilities) + len(self.projects)
            raise BatchValidationError(errors, total=total, what="entities")
        by_client: dict[ClientId, list[Facility]] = {}
        for f in self.facilities:
            by_client.setdefault(f.client_id, []).append(f)
        children: dict[ClientId, list[ClientId]] = {}
        for c in self.clients:
            if c.parent_id is not None:
                children.setdefault(c.parent_id, []).append(c.id)
        # Derived indices of a frozen class: attrs documents object.__setattr__ for this.
        setter = object.__setattr__
        setter(self, "_clients", dict(clients))
        setter(self, "_projects", dict(projects))
        setter(self, "_facilities", {f.id: f for f in self.facilities})
        setter(
            self,
            "_by_client",
            {k: tuple(v) for k, v in by_client.items()},
        )
        setter(
            self,
            "_children",
            {k: tuple(v) for k, v in children.items()},
        )

    def _reference_errors(
        self, clients: Mapping[ClientId, Client], projects: Mapping[ProjectId, Project]
    ) -> list[LendCRMError]:
        errors: list[LendCRMError] = []
        known_clients = sorted(clients)
        for i, c in enumerate(self.clients):
            if c.parent_id is not None and c.parent_id not in clients:
                errors.append(
                    UnknownReferenceError(
                        kind="client",
                        key=c.parent_id,
                        field=f"clients[{i}].parent_id",
                        known=known_clients,
                    )
                )
        for i, f in enumerate(self.facilities):
            if f.client_id not in clients:
                errors.append(
                    UnknownReferenceError(
                        kind="client",
                        key=f.client_id,
                        field=f"facilities[{i}].client_id",
                        known=known_clients,
                    )
                )
            if f.project_id is not None and f.project_id not in projects:
                errors.append(
                    UnknownReferenceError(
                        kind="project",
                        key=f.project_id,
                        field=f"facilities[{i}].project_id",
                        known=sorted(projects),
                    )
                )
        return errors

    def _cycle_errors(self, clients: Mapping[ClientId, Client]) -> list[LendCRMError]:
        """One error per parent cycle, reported at its first client in book order."""
        errors: list[LendCRMError] = []
        position = {c.id: i for i, c in enumerate(self.clients)}
        done: set[ClientId] = set()
        for c in self.clients:
            path: list[ClientId] = []
            on_path: set[ClientId] = set()
            node: ClientId | None = c.id
            while node is not None and node not in done and node in clients:
                if node in on_path:
                    cycle = path[path.index(node) :]
                    first = min(cycle, key=position.__getitem__)
                    k = cycle.index(first)
                    loop = [*cycle[k:], *cycle[:k], first]
                    errors.append(
                        InvalidValueError(
                            field=f"clients[{position[first]}].parent_id",
                            value=clients[first].parent_id,
                            expected="a parent chain that ends at a group root",
                            hint=f"Parent cycle: {' -> '.join(loop)}.",
                        )
                    )
                    break
                path.append(node)
                on_path.add(node)
                node = clients[node].parent_id
            done.update(path)
        return errors

    # --- lookups -------------------------------------------------------------------------
    def client(self, client_id: ClientId) -> Client:
        """The client with this id.

        Raises:
            UnknownReferenceError: no such client (with a did-you-mean hint).
        """
        try:
            return self._clients[client_id]
        except KeyError:
            raise UnknownReferenceError(
                kind="client", key=client_id, known=tuple(self._clients)
            ) from None

    def facility(self, facility_id: FacilityId) -> Facility:
        """The facility with this id.

        Raises:
            UnknownReferenceError: no such facility.

        Examples:
            >>> Book().facility(FacilityId("F-1"))
            Traceback (most recent call last):
            ...
            lendcrm.errors.UnknownReferenceError: No facility with id 'F-1'.
        """
        try:
            return self._facilities[facility_id]
        except KeyError:
            raise UnknownReferenceError(
                kind="facility", key=facility_id, known=tuple(self._facilities)
            ) from None

    def project(self, project_id: ProjectId) -> Project:
        """The project with this id.

        Raises:
            UnknownReferenceError: no such project.
        """
        try:
            return self._projects[project_id]
        except KeyError:
            raise UnknownReferenceError(
                kind="project", key=project_id, known=tuple(self._projects)
            ) from None

    def facilities_of(self, client_id: ClientId) -> tuple[Facility, ...]:
        """The facilities whose borrower is ``client_id``, in book order.

        Raises:
            UnknownReferenceError: no such client.
        """
        self.client(client_id)
        return self._by_client.get(client_id, ())

    def facilities_of_project(self, project_id: ProjectId) -> tuple[Facility, ...]:
        """The facilities financing ``project_id``, in book order.

        Raises:
            UnknownReferenceError: no such project.
        """
        self.project(project_id)
        return tuple(f for f in self.facilities if f.project_id == project_id)

    def group_root(self, client_id: ClientId) -> ClientId:
        """The top parent of the client's group (the client itself if it has none).

        Raises:
            UnknownReferenceError: no such client.
        """
        node = self.client(client_id)
        while node.parent_id is not None:
            node = self._clients[node.parent_id]
        return node.id

    def subsidiaries(self, client_id: ClientId) -> tuple[ClientId, ...]:
        """Direct subsidiaries of ``client_id``, in book order.

        Raises:
            UnknownReferenceError: no such client.
        """
        self.client(client_id)
        return self._children.get(client_id, ())

    def group_members(self, client_id: ClientId) -> tuple[ClientId, ...]:
        """Every client of the group ``client_id`` belongs to, root first.

        The order is breadth-first down the parent/subsidiary tree.

        Raises:
            UnknownReferenceError: no such client.
        """
        members = [self.group_root(client_id)]
        i = 0
        while i < len(members):
            members.extend(self._children.get(members[i], ()))
            i += 1
        return tuple(members)

    # --- exposure ------------------------------------------------------------------------
    def _amounts(
        self,
        measure: ExposureMeasure,
        currency: str | None,
        fx_rates: Mapping[str, Decimal | str] | None,
    ) -> tuple[str | None, list[tuple[Facility, Decimal]]]:
        if measure not in ("drawn", "limit"):
            raise InvalidValueError(
                field="measure", value=measure, expected="'drawn' or 'limit'"
            )
        if currency is None:
            currencies = sorted({f.currency for f in self.facilities})
            if len(currencies) > 1:
                raise CurrencyMismatchError(
                    left=currencies[0], right=currencies[1], operation="sum"
                )
            target = currencies[0] if currencies else None
        else:
            target = currency_code(currency)
        rates = dict(fx_rates or {})
        out: list[tuple[Facility, Decimal]] = []
        for f in self.facilities:
            money = f.drawn if measure == "drawn" else f.limit
            if f.currency != target:
                money = money.convert(
                    self._rate(rates, f.currency, target), str(target)
                )
            out.append((f, money.amount))
        return target, out

    @staticmethod
    def _rate(
        rates: Mapping[str, Decimal | str], source: str, target: str | None
    ) -> Decimal:
        if source not in rates:
            raise InvalidValueError(
                field=f"fx_rates[{source!r}]",
                value=None,
                expected=f"the number of {target} per one {source}",
                hint=f"Pass fx_rates={{{source!r}: Decimal('...')}} to convert "
                f"{source} exposure to {target}.",
            )
        value = rates[source]
        try:
            return Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            raise InvalidValueError(
                field=f"fx_rates[{source!r}]", value=value, expected="a decimal rate"
            ) from None

    def _exposure_by(
        self,
        key: Callable[[Facility], K],
        measure: ExposureMeasure,
        currency: str | None,
        fx_rates: Mapping[str, Decimal | str] | None,
    ) -> dict[K, Money]:
        target, amounts = self._amounts(measure, currency, fx_rates)
        sums: dict[K, Decimal] = {}
        for f, amount in amounts:
            k = key(f)
            sums[k] = sums.get(k, Decimal(0)) + amount
        return {k: Money(v, str(target)) for k, v in sums.items()}

    def exposure_by_client(
        self,
        *,
        measure: ExposureMeasure = "drawn",
        currency: str | None = None,
        fx_rates: Mapping[str, Decimal | str] | None = None,
    ) -> dict[ClientId, Money]:
        """Exposure per borrower; clients without facilities are absent.

        Args:
            measure: ``"drawn"`` (outstanding, the default) or ``"limit"`` (committed).
            currency: Reporting currency. ``None`` requires every facility to be in
                one currency, which is then used.
            fx_rates: Units of ``currency`` per one unit of each other currency of
                the book, e.g. ``{"USD": Decimal("0.92")}`` to report USD in EUR.

        Raises:
            CurrencyMismatchError: facilities in several currencies and no
                ``currency`` given.
            InvalidValueError: a rate is missing or not a positive decimal.

        Examples:
            >>> Book().exposure_by_client()
            {}
        """
        return self._exposure_by(lambda f: f.client_id, measure, currency, fx_rates)

    def exposure_by_group(
        self,
        *,
        measure: ExposureMeasure = "drawn",
        currency: str | None = None,
        fx_rates: Mapping[str, Decimal | str] | None = None,
    ) -> dict[ClientId, Money]:
        """Exposure per group, keyed by the group root (see `exposure_by_client`).

        Raises:
            CurrencyMismatchError: several currencies and no ``currency`` given.
            InvalidValueError: a rate is missing or not a positive decimal.
        """
        roots = {c.id: self.group_root(c.id) for c in self.clients}
        return self._exposure_by(
            lambda f: roots[f.client_id], measure, currency, fx_rates
        )

    def exposure_by_sector(
        self,
        *,
        measure: ExposureMeasure = "drawn",
        currency: str | None = None,
        fx_rates: Mapping[str, Decimal | str] | None = None,
    ) -> dict[Sector, Money]:
        """Exposure per NACE section of the borrower (see `exposure_by_client`).

        Raises:
            CurrencyMismatchError: several currencies and no ``currency`` given.
            InvalidValueError: a rate is missing or not a positive decimal.
        """
        return self._exposure_by(
            lambda f: self._clients[f.client_id].sector, measure, currency, fx_rates
        )

    def exposure_by_country(
        self,
        *,
        measure: ExposureMeasure = "drawn",
        currency: str | None = None,
        fx_rates: Mapping[str, Decimal | str] | None = None,
    ) -> dict[str, Money]:
        """Exposure per borrower country (see `exposure_by_client`).

        Raises:
            CurrencyMismatchError: several currencies and no ``currency`` given.
            InvalidValueError: a rate is missing or not a positive decimal.
        """
        return self._exposure_by(
            lambda f: self._clients[f.client_id].country, measure, currency, fx_rates
        )

    def total_exposure(
        self,
        *,
        measure: ExposureMeasure = "drawn",
        currency: str | None = None,
        fx_rates: Mapping[str, Decimal | str] | None = None,
    ) -> Money | None:
        """Exposure of the whole book.

        ``None`` for a book without facilities when no ``currency`` is given.

        Raises:
            CurrencyMismatchError: several currencies and no ``currency`` given.
            InvalidValueError: a rate is missing or not a positive decimal.
        """
        target, amounts = self._amounts(measure, currency, fx_rates)
        if target is None:
            return None
        return Money(sum((a for _, a in amounts), Decimal(0)), target)

    # --- new books -----------------------------------------------------------------------
    def with_client(self, client: Client) -> Book:
        """A new book with ``client`` added, or replacing the client with its id.

        Raises:
            BatchValidationError: the new book breaks integrity (e.g. a parent cycle).
        """
        return attrs.evolve(self, clients=_upsert(self.clients, client))

    def with_facility(self, facility: Facility) -> Book:
        """A new book with ``facility`` added, or replacing the facility with its id.

        Raises:
            BatchValidationError: e.g. the facility's client is not in the book.
        """
        return attrs.evolve(self, facilities=_upsert(self.facilities, facility))

    def with_project(self, project: Project) -> Book:
        """A new book with ``project`` added, or replacing the project with its id.

        Raises:
            BatchValidationError: the new book breaks integrity.
        """
        return attrs.evolve(self, projects=_upsert(self.projects, project))


E = TypeVar("E", Client, Facility, Project)


def _upsert(items: tuple[E, ...], item: E) -> tuple[E, ...]:
    out = list(items)
    for i, old in enumerate(out):
        if old.id == item.id:
            out[i] = item
            return tuple(out)
    out.append(item)
    return tuple(out)
