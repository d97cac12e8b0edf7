"""The contact rules of a client, as masks on the contact frames (private).

A `lendcrm.Client` refuses contacts that repeat an id, interactions out of date order
or before the client was onboarded, and interactions naming a contact it does not
list. Checked only when the book is built, each would refuse the whole client (and so
its facilities); as masks, quarantine sets aside only the rows at fault: every
contact row of a repeated id (which one is right is not known), the interactions out
of order (those not on or after every earlier one of the client) or before the
client's ``onboarded_on``, and the interactions that name a contact the contacts
frame does not have or that was set aside.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm.frames._contact_frames import CONTACT_ID_SEPARATOR
from lendcrm.frames.columns import (
    CLIENT_ID,
    CONTACT_ID,
    CONTACT_IDS,
    INTERACTION_ON,
    ONBOARDED_ON,
)
from lendcrm.frames.mapping._history_rules import order_masks
from lendcrm.frames.mapping._rules import RowRule

__all__ = ["contact_rules", "interaction_rules", "unknown_contact_rule"]


def _keys(client: pd.Series, contact: pd.Series) -> pd.Series:
    """``client_id`` and contact id as one text key (missing when either is).

    Joined by the unit separator: pandas drops a NUL from object text, and an id with
    a control character is refused anyway.
    """
    return client.astype(object) + "\x1f" + contact.astype(object)


def contact_rules(frame: pd.DataFrame, name: str) -> list[RowRule]:
    """Rules of the contacts or interactions frame on its own rows."""
    if name == "contacts":
        keys = _keys(frame[CLIENT_ID], frame[CONTACT_ID])
        mask = (keys.notna() & keys.duplicated(keep=False)).to_numpy(np.bool_)
        expected = "a contact id no other row of its client has"
        return [RowRule(frame=name, column=CONTACT_ID, mask=mask, expected=expected)
                ] if mask.any() else []  # fmt: skip
    if name == "interactions":
        back = order_masks(frame, (CLIENT_ID,), INTERACTION_ON)[1]
        expected = (
            "a date on or after every earlier interaction of its client (each "
            "client's rows oldest first, several on one day allowed)"
        )
        return [RowRule(frame=name, column=INTERACTION_ON, mask=back,
                        expected=expected)] if back.any() else []  # fmt: skip
    return []


def _named_contacts(
    frame: pd.DataFrame,
    contacts: pd.DataFrame | None,
    rejected: Mapping[str, npt.NDArray[np.bool_]],
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Interactions naming a contact the contacts frame lacks, or one set aside.

    Most interactions name one contact or none: their whole ``contact_ids`` text is
    looked up at once; only the others are split, one by one.
    """
    n = len(frame)
    unknown, gone = np.zeros(n, np.bool_), np.zeros(n, np.bool_)
    if contacts is None:
        every = kept = pd.Series([], dtype=object)
    else:
        every = _keys(contacts[CLIENT_ID], contacts[CONTACT_ID])
        kept = every[~rejected["contacts"]]
    whole = _keys(frame[CLIENT_ID], frame[CONTACT_IDS])
    doubt = np.flatnonzero((whole.notna() & ~whole.isin(kept)).to_numpy(np.bool_))
    if not len(doubt):
        return unknown, gone
    known, alive = set(every.dropna()), set(kept.dropna())
    owners = frame[CLIENT_ID].to_numpy(dtype=object)[doubt]
    texts = frame[CONTACT_IDS].to_numpy(dtype=object)[doubt]
    for k, owner, text in zip(doubt.tolist(), owners, texts, strict=True):
        keys = [f"{owner}\x1f{c}" for c in str(text).split(CONTACT_ID_SEPARATOR)]
        unknown[k] = any(key not in known for key in keys)
        gone[k] = any(key not in alive for key in keys)
    return unknown, gone


def interaction_rules(
    frames: Mapping[str, pd.DataFrame],
    rejected: Mapping[str, npt.NDArray[np.bool_]],
    already: npt.NDArray[np.bool_],
) -> list[RowRule]:
    """Interactions before onboarding, or naming a contact not listed or set aside.

    ``already`` holds the interactions set aside so far (their client's were): they
    are not also said to depend on its contacts.
    """
    frame = frames["interactions"]
    rules: list[RowRule] = []
    clients = frames["clients"][~rejected["clients"]]
    onboarded = clients.drop_duplicates(CLIENT_ID).set_index(CLIENT_ID)[ONBOARDED_ON]
    since = frame[CLIENT_ID].map(onboarded).to_numpy(dtype="datetime64[ns]")
    on = frame[INTERACTION_ON].to_numpy(dtype="datetime64[ns]")
    early = ~np.isnat(since) & ~np.isnat(on) & (on < since)
    if early.any():
        rules.append(RowRule(frame="interactions", column=INTERACTION_ON, mask=early,
                             expected=f"a date on or after the `{ONBOARDED_ON}` of its "
                             "client (no interaction before the client existed)"))  # fmt: skip
    unknown, gone = _named_contacts(frame, frames.get("contacts"), rejected)
    gone &= ~unknown & ~already
    for mask, expected in (
        (unknown, "ids of contacts of its client in the contacts frame"),
        (gone, ("ids of contacts rows that were not set aside (this row depends on "
               "them)")),
    ):  # fmt: skip
        if mask.any():
            rules.append(RowRule(frame="interactions", column=CONTACT_IDS, mask=mask,
                                 expected=expected))  # fmt: skip
    return rules


def unknown_contact_rule(frames: Mapping[str, pd.DataFrame]) -> RowRule | None:
    """Interactions naming a contact its client does not have in the contacts frame.

    The one-pass check's form of the rule (nothing set aside): the rows are named by
    label with the position of the first, instead of the `Client` refusing the first
    one when the book is built.
    """
    contacts = frames.get("contacts")
    nothing = (
        {} if contacts is None else {"contacts": np.zeros(len(contacts), np.bool_)}
    )
    unknown, _ = _named_contacts(frames["interactions"], contacts, nothing)
    if not unknown.any():
        return None
    return RowRule(frame="interactions", column=CONTACT_IDS, mask=unknown,
                   expected="ids of contacts of its client in the contacts frame",
                   where=f"first unknown at position {int(np.flatnonzero(unknown)[0])}")  # fmt: skip
