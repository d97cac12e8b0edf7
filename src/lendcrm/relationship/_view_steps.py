"""Two steps of `client_view`: find the client, then serve and act on it (#13, #14).

Kept apart from :mod:`lendcrm.relationship._view` so the view module stays within the
house's file size; the steps are the view's own and used nowhere else.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from lendcrm._book import Book
from lendcrm._entities import Client
from lendcrm._validators import require_instance
from lendcrm._values import ClientId
from lendcrm.relationship._assess import Assessed, act
from lendcrm.relationship._early_warning import EarlyWarnings
from lendcrm.relationship._facts import ClientFacts
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._service import ServiceColumns, Tasks, service_of

__all__ = ["client_of", "serve_and_act"]


def serve_and_act(  # noqa: PLR0917 - a private step of client_view
    book: Book,
    client: Client,
    as_of: dt.date,
    tier_stage: tuple[str, str],
    warn_facts: ClientFacts,
    warnings: EarlyWarnings,
    models: RelationshipModels,
    tasks: Tasks | None,
) -> tuple[ServiceColumns, Assessed]:
    """The service columns (#13) of the client, then its ranked actions."""
    tier, stage = tier_stage
    service = service_of(
        book, client, as_of=as_of, tier=tier, stage=stage, strategies=models.service,
        roster=models.roster, tasks=tasks,
    )  # fmt: skip
    result = act(
        service.onto(warn_facts),
        warnings,
        stage=np.array([stage]),
        tier=np.array([tier]),
        models=models,
    )
    return service, result


def client_of(book: Book, client_id: object) -> Client:
    """The book's client ``client_id``, refusing a book or an id of the wrong type."""
    require_instance(book, Book, name="book", what="a Book")
    require_instance(client_id, str, name="client_id", what="a client id (a string)")
    return book.client(ClientId(client_id))  # type: ignore[arg-type]
