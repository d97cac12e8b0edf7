"""Clients and facilities from their validated frames (private to `lendcrm.frames`).

`book_from_frames` checks the frames column by column before it builds anything, so
most of what the `Client` and `Facility` field validators would check again per row
is already proven. A row takes the trusted path (the entity's fields set without their
per-field validators, `Money` built from the finite floats in the row's checked
currency) only when the few rules the frame checks do not prove hold for it; any
other row goes through the entity's own constructor, which refuses it with its own
error, recorded under the row's label like before.

What each skipped per-field validator checks, and where the frames prove it:

- ids (``id``, ``client_id``, ``project_id``, ``parent_id``): the id rule on the
  frame's id columns (`lendcrm.frames._id_rule`) - but it skips a value that is not a
  string, so the trusted path requires ``str`` here (`row_text_ok`).
- ``legal_name``, ``reference_rate``, ``rating_grade``, ``relationship_manager``:
  a ``str`` column's dtype only - a non-empty string is required here.
- enums (sector, kind, seniority, status), ``country``, ``currency``: categories of
  the allowed values; the member is looked up by value (a miss takes the constructor).
- dates: ``date`` columns, read as ``datetime.date``; amounts: finite and >= 0 by the
  column bounds (``Money`` amounts are ``Decimal(repr(x))`` of a finite float);
  counts and basis points: whole numbers in bounds, read as ``int``; fractions in
  [0, 1] by the bounds; ``allows_overdraw``, ``on_watchlist``: ``bool`` columns.

A client row's ``RelationshipMeasures`` (when ``measured_on`` is set) are set the
same way when both amounts are present and the last transaction falls within the
period; otherwise their constructor refuses them.

Cross-field rules (``__attrs_post_init__``): a client or facility that owns child
rows (feedback, referrals, histories, contacts; collateral, guarantees, covenants,
observations, terms, participations) is built with its children and its post-init
runs in full. Without children they reduce, for a client, to no self-parent (checked
here) and one currency (its amounts are all in the row's currency by construction);
for a facility, to one currency (likewise), drawn within the limit unless overdraw
and maturity after start (`validate_facilities_frame`'s row rules). Such a row is
made by one call of `slot_builder`'s setters (looked up once per class): no
child look-ups beyond one set membership per row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final

import attrs
import pandas as pd

from lendcrm._entities import Client, Facility
from lendcrm._enums import FacilityKind, FacilityStatus, Sector, Seniority
from lendcrm._loan_terms import Amortisation, DayCount, RepaymentTerms
from lendcrm._money import Money
from lendcrm._values import ClientId, FacilityId, Pricing, RelationshipMeasures
from lendcrm.errors import InvalidValueError
from lendcrm.frames._rows import (
    RowBuilder,
    bools,
    dates,
    floats,
    ints,
    money_of,
    optional_strs,
    slot_builder,
    strs,
)
from lendcrm.frames.columns import (
    ALLOWS_OVERDRAW,
    ANNUAL_REVENUE,
    ARRANGEMENT_FEE,
    CLIENT_ID,
    COMMITMENT_FEE_BPS,
    COUNTRY,
    CREDIT_CONVERSION_FACTOR,
    CURRENCY,
    DEFAULT_PROBABILITY,
    DRAWN,
    FACILITY_ID,
    KIND,
    LAST_TRANSACTION_ON,
    LEGAL_NAME,
    LIMIT,
    LOSS_GIVEN_DEFAULT,
    MARGIN_BPS,
    MATURITY_ON,
    MEASURED_ON,
    ON_WATCHLIST,
    ONBOARDED_ON,
    PARENT_ID,
    PRODUCT_COUNT,
    PROFIT_TO_BANK,
    PROJECT_ID,
    RATING_GRADE,
    REFERENCE_RATE,
    REFERRAL_COUNT,
    RELATIONSHIP_MANAGER,
    REVENUE_TO_BANK,
    SECTOR,
    SENIORITY,
    START_ON,
    STATUS,
    TRANSACTION_COUNT,
)

__all__ = ["Kids", "build_clients", "build_facilities", "row_text_ok", "trusted"]

#: Child values built per child frame, grouped by their owner's id.
Kids = Mapping[str, Mapping[str, list[Any]]]

_FIELDS: Final[Mapping[type, frozenset[str]]] = {
    cls: frozenset(a.name for a in attrs.fields(cls))
    for cls in (Client, Facility, Pricing, Money)
}
_NEW: Final[Mapping[type, Callable[..., Any]]] = {
    cls: slot_builder(cls)
    for cls in (Client, Facility, Pricing, Money, RelationshipMeasures)
}
_new_client: Final = _NEW[Client]
_new_facility: Final = _NEW[Facility]
_new_pricing: Final = _NEW[Pricing]
_new_money: Final = _NEW[Money]
_new_measures: Final = _NEW[RelationshipMeasures]
#: Enum members by value (a frame check proved the value; a miss takes the constructor).
_SECTORS: Final = {m.value: m for m in Sector}
_KINDS: Final = {m.value: m for m in FacilityKind}
_SENIORITIES: Final = {m.value: m for m in Seniority}
_STATUSES: Final = {m.value: m for m in FacilityStatus}
#: The child values a client or facility may own (`Kids` keys).
_CLIENT_KIDS: Final = (
    "feedback", "referrals", "measures", "ratings", "statements", "contacts",
    "interactions",
)  # fmt: skip
_FACILITY_KIDS: Final = (
    "collateral", "guarantees", "covenants", "observations", "repayment_terms",
    "repayment_profiles", "participations",
)  # fmt: skip


def trusted(cls: type[Any], values: Mapping[str, Any]) -> Any:  # noqa: ANN401
    """An instance of the frozen attrs ``cls`` with ``values`` set as given.

    No converter, validator or ``__attrs_post_init__`` runs: only for values the
    frame checks proved. Every field must be given (a missing one is a bug here).
    """
    if values.keys() != _FIELDS[cls]:
        msg = f"trusted {cls.__name__}: fields {sorted(values)}"
        raise TypeError(msg)
    return _NEW[cls](**values)


def _money(amount: float, currency: str) -> Money:
    """`Money` of a finite float in a checked (upper-case ISO 4217) currency."""
    money: Money = _new_money(amount=Decimal(repr(amount)), currency=currency)
    return money


def _owners_of(kids: Kids, names: tuple[str, ...]) -> frozenset[str]:
    """The ids that own at least one child value of the ``names`` kinds."""
    return frozenset().union(*(kids[name].keys() for name in names))


def row_text_ok(required: tuple[Any, ...], optional: tuple[Any, ...]) -> bool:
    """Whether the text fields are non-empty strings (``optional`` ones may be None)."""
    return all(isinstance(v, str) and v.strip() for v in required) and all(
        v is None or (isinstance(v, str) and v.strip()) for v in optional
    )


def _terms(
    rows: list[tuple[Any, ...]], profile: list[tuple[Any, ...]]
) -> RepaymentTerms | None:
    """A facility's `RepaymentTerms` from its terms row and its profile rows."""
    if not rows:
        return None
    kind, ppy, day_count, grace, balloon, floor = rows[0]
    values = tuple(x for _, x in sorted(profile))
    amortisation = Amortisation(kind)
    return RepaymentTerms(
        amortisation=amortisation,
        payments_per_year=ppy,
        day_count=DayCount(day_count),
        grace_periods=grace,
        balloon_fraction=balloon,
        principal_profile=values if amortisation is Amortisation.SCULPTED else (),
        utilisation_profile=values if amortisation is Amortisation.REVOLVER else (),
        zero_floor=floor,
    )


def _client_fields(r: tuple[Any, ...], kids: Kids, money: Any) -> dict[str, Any]:  # noqa: ANN401
    """A `Client`'s fields from its row (the row's amounts made by ``money``)."""
    cid, cur = r[1], r[7]
    measures = _measures(r)
    return {
        "id": ClientId(cid),
        "legal_name": r[2],
        "sector": Sector(r[3]),
        "country": r[4],
        "parent_id": r[5],
        "onboarded_on": r[6],
        "annual_revenue": money(r[8], cur),
        "measures": measures,
        "feedback": tuple(kids["feedback"].get(cid, ())),
        "referrals": tuple(kids["referrals"].get(cid, ())),
        "measures_history": tuple(kids["measures"].get(cid, ())),
        "ratings": tuple(kids["ratings"].get(cid, ())),
        "statements": tuple(kids["statements"].get(cid, ())),
        "rating_grade": r[16],
        "default_probability": r[17],
        "on_watchlist": r[18],
        "relationship_manager": r[19],
        "contacts": tuple(kids["contacts"].get(cid, ())),
        "interactions": tuple(kids["interactions"].get(cid, ())),
    }


def _bare_client(r: tuple[Any, ...], measures: Any) -> Client | None:  # noqa: ANN401
    """The row's childless `Client` when the frame checks prove all of it, else None.

    What they do not prove is checked here: the text fields (`row_text_ok`), the
    sector's member and the one cross-field rule a client without children has left
    (no self-parent; its amounts share the row's currency by construction).
    """
    cid, parent, grade, manager = r[1], r[5], r[16], r[19]
    sector = _SECTORS.get(r[3])
    name = r[2]
    if not (  # `row_text_ok` spelled out: a call per value was a tenth of the build
        sector is not None
        and isinstance(cid, str)
        and cid.strip()
        and isinstance(name, str)
        and name.strip()
        and (parent is None or (isinstance(parent, str) and parent.strip()))
        and parent != cid
        and (grade is None or (isinstance(grade, str) and grade.strip()))
        and (manager is None or (isinstance(manager, str) and manager.strip()))
    ):
        return None
    client: Client = _new_client(
        id=cid, legal_name=name, sector=sector, country=r[4], onboarded_on=r[6],
        annual_revenue=_new_money(amount=Decimal(repr(r[8])), currency=r[7]),
        parent_id=parent, measures=measures, feedback=(), referrals=(),
        rating_grade=grade, default_probability=r[17], on_watchlist=r[18],
        measures_history=(), ratings=(), statements=(), relationship_manager=manager,
        contacts=(), interactions=(),
    )  # fmt: skip
    return client


def _make_client(r: tuple[Any, ...], kids: Kids) -> Client:
    """The row's `Client` with its children, by the trusted path when it may."""
    if row_text_ok((r[1], r[2]), (r[5], r[16], r[19])):
        client: Client = trusted(Client, _client_fields(r, kids, _money))
        client.__attrs_post_init__()  # every cross-field rule
        return client
    return Client(**_client_fields(r, kids, money_of))  # refuses with its own error


def _measures(r: tuple[Any, ...]) -> RelationshipMeasures | None:
    """The row's `RelationshipMeasures`, None when not measured.

    The frame checks prove the counts (whole, >= 0) and the amounts (finite, revenue
    >= 0), and both amounts are in the row's currency: with both amounts present and
    the last transaction within the period (its one cross-field rule left) the
    measures are set unchecked; otherwise the constructor refuses them.
    """
    on = r[9]
    if on is None:
        return None
    cur, revenue, profit, last = r[7], r[10], r[11], r[14]
    if revenue is not None and profit is not None and (last is None or last <= on):
        measures: RelationshipMeasures = _new_measures(
            period_end=on,
            revenue_to_bank=_new_money(amount=Decimal(repr(revenue)), currency=cur),
            profit_to_bank=_new_money(amount=Decimal(repr(profit)), currency=cur),
            product_count=r[12],
            transaction_count=r[13],
            last_transaction_on=last,
            referral_count=r[15],
        )
        return measures
    return RelationshipMeasures(
        period_end=on,
        revenue_to_bank=money_of(revenue, cur),
        profit_to_bank=money_of(profit, cur),
        product_count=r[12],
        transaction_count=r[13],
        last_transaction_on=last,
        referral_count=r[15],
    )


def build_clients(b: RowBuilder, cf: pd.DataFrame, kids: Kids) -> list[Client]:
    """One `Client` per row of the clients frame, with its feedback and referrals.

    A row with no child rows whose frame checks prove it takes `_bare_client` (one
    call, no dicts); a client with children keeps its cross-field rules; any other
    row goes to the constructor, which refuses it under the row's label.
    """
    clients: list[Client] = []
    parents = _owners_of(kids, _CLIENT_KIDS)
    for row in zip(
        cf.index.tolist(), strs(cf, CLIENT_ID), strs(cf, LEGAL_NAME), strs(cf, SECTOR),
        strs(cf, COUNTRY), strs(cf, PARENT_ID), dates(cf, ONBOARDED_ON),
        strs(cf, CURRENCY), floats(cf, ANNUAL_REVENUE), dates(cf, MEASURED_ON),
        floats(cf, REVENUE_TO_BANK), floats(cf, PROFIT_TO_BANK), ints(cf, PRODUCT_COUNT),
        ints(cf, TRANSACTION_COUNT), dates(cf, LAST_TRANSACTION_ON),
        ints(cf, REFERRAL_COUNT), strs(cf, RATING_GRADE), floats(cf, DEFAULT_PROBABILITY),
        bools(cf, ON_WATCHLIST), optional_strs(cf, RELATIONSHIP_MANAGER), strict=True,
    ):  # fmt: skip
        try:  # the path is built only for a refused row
            client = None
            if row[1] not in parents:
                client = _bare_client(row, _measures(row))
            if client is None:
                client = _make_client(row, kids)
        except InvalidValueError as exc:
            b.refused(f"clients[{row[0]!r}]", exc)
            continue
        clients.append(client)
    return clients


def _facility_fields(r: tuple[Any, ...], kids: Kids, money: Any) -> dict[str, Any]:  # noqa: ANN401
    """A `Facility`'s fields from its row (the row's amounts made by ``money``)."""
    fid, cur = r[1], r[5]
    pricing = {
        "reference_rate": r[11],
        "margin_bps": r[12],
        "arrangement_fee": money(r[13], cur),
        "commitment_fee_bps": r[14],
    }
    return {
        "id": FacilityId(fid),
        "client_id": r[2],
        "project_id": r[3],
        "kind": FacilityKind(r[4]),
        "currency": cur,
        "limit": money(r[6], cur),
        "drawn": money(r[7], cur),
        "start_on": r[8],
        "maturity_on": r[9],
        "seniority": Seniority(r[10]),
        "pricing": trusted(Pricing, pricing) if money is _money else Pricing(**pricing),
        "status": FacilityStatus(r[15]),
        "allows_overdraw": r[16],
        "default_probability": r[17],
        "loss_given_default": r[18],
        "credit_conversion_factor": r[19],
        "collateral": tuple(kids["collateral"].get(fid, ())),
        "guarantees": tuple(kids["guarantees"].get(fid, ())),
        "covenants": tuple(kids["covenants"].get(fid, ())),
        "observations": tuple(kids["observations"].get(fid, ())),
        "terms": _terms(
            kids["repayment_terms"].get(fid, []),
            kids["repayment_profiles"].get(fid, []),
        ),
        "participations": tuple(kids["participations"].get(fid, ())),
    }


_CHILD_FIELDS: Final = (
    "collateral", "guarantees", "covenants", "observations", "terms", "participations",
)  # fmt: skip


def _bare_facility(r: tuple[Any, ...]) -> Facility | None:
    """The row's childless `Facility` when the frame checks prove all of it, else None.

    Beyond the text fields (`row_text_ok`) and the enums' members, the frame's row
    rules prove the cross-field rules a facility without children has (drawn within
    the limit unless overdraw, maturity after start); its amounts share the row's
    currency by construction.
    """
    kind = _KINDS.get(r[4])
    seniority = _SENIORITIES.get(r[10])
    status = _STATUSES.get(r[15])
    fid, cid, rate, project = r[1], r[2], r[11], r[3]
    if not (  # `row_text_ok` spelled out, as in `_bare_client`
        kind is not None
        and seniority is not None
        and status is not None
        and isinstance(fid, str)
        and fid.strip()
        and isinstance(cid, str)
        and cid.strip()
        and isinstance(rate, str)
        and rate.strip()
        and (project is None or (isinstance(project, str) and project.strip()))
    ):
        return None
    cur = r[5]
    pricing = _new_pricing(
        reference_rate=rate, margin_bps=r[12],
        arrangement_fee=_new_money(amount=Decimal(repr(r[13])), currency=cur),
        commitment_fee_bps=r[14],
    )  # fmt: skip
    facility: Facility = _new_facility(
        id=fid, client_id=cid, kind=kind, currency=cur,
        limit=_new_money(amount=Decimal(repr(r[6])), currency=cur),
        drawn=_new_money(amount=Decimal(repr(r[7])), currency=cur),
        start_on=r[8], maturity_on=r[9], seniority=seniority, pricing=pricing,
        status=status, project_id=project, collateral=(), guarantees=(), covenants=(),
        allows_overdraw=r[16], default_probability=r[17], loss_given_default=r[18],
        credit_conversion_factor=r[19], observations=(), terms=None, participations=(),
    )  # fmt: skip
    return facility


def _make_facility(row: tuple[Any, ...], kids: Kids) -> Facility:
    """The row's `Facility`, by the trusted path when its text fields are sound."""
    if not row_text_ok((row[1], row[2], row[11]), (row[3],)):
        return Facility(**_facility_fields(row, kids, money_of))
    fields = _facility_fields(row, kids, _money)
    facility: Facility = trusted(Facility, fields)
    if any(fields[name] for name in _CHILD_FIELDS):
        facility.__attrs_post_init__()
    return facility


def build_facilities(b: RowBuilder, ff: pd.DataFrame, kids: Kids) -> list[Facility]:
    """One `Facility` per row of the facilities frame, with its security and covenants.

    A row with no child rows whose frame checks prove it takes `_bare_facility`;
    the others take `_make_facility` (trusted with the cross-field rules, or the
    constructor, which refuses the row under its label).
    """
    facilities: list[Facility] = []
    parents = _owners_of(kids, _FACILITY_KIDS)
    for row in zip(
        ff.index.tolist(), strs(ff, FACILITY_ID), strs(ff, CLIENT_ID), strs(ff, PROJECT_ID),
        strs(ff, KIND), strs(ff, CURRENCY), floats(ff, LIMIT), floats(ff, DRAWN),
        dates(ff, START_ON), dates(ff, MATURITY_ON), strs(ff, SENIORITY),
        strs(ff, REFERENCE_RATE), ints(ff, MARGIN_BPS), floats(ff, ARRANGEMENT_FEE),
        ints(ff, COMMITMENT_FEE_BPS), strs(ff, STATUS), bools(ff, ALLOWS_OVERDRAW),
        floats(ff, DEFAULT_PROBABILITY), floats(ff, LOSS_GIVEN_DEFAULT),
        floats(ff, CREDIT_CONVERSION_FACTOR), strict=True,
    ):  # fmt: skip
        try:  # the path is built only for a refused row
            facility = None if row[1] in parents else _bare_facility(row)
            if facility is None:
                facility = _make_facility(row, kids)
        except InvalidValueError as exc:
            b.refused(f"facilities[{row[0]!r}]", exc)
            continue
        facilities.append(facility)
    return facilities
