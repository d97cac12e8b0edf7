"""`load_book`: a bank's frames to a `Book` in one pass, every error at once (private).

The pass: map the frames that have a `ColumnMapping`, fill the optional columns a core
system lacks (recorded), check every frame's schema, rows, ids, references and parent
cycles, then either raise everything found as one `BatchValidationError` or, with
``quarantine=True``, set the failing rows and their dependants aside with reasons and
build the book from the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs
import numpy as np
import pandas as pd

from lendcrm._book import Book
from lendcrm._messages import did_you_mean
from lendcrm._validators import refuse_object, require_instance
from lendcrm.errors import (
    BatchValidationError,
    InvalidValueError,
    LendCRMError,
)
from lendcrm.frames._read import build_book
from lendcrm.frames._write import BookFrames
from lendcrm.frames.mapping._build import build_quarantined
from lendcrm.frames.mapping._columns import ColumnMapping
from lendcrm.frames.mapping._contact_rules import unknown_contact_rule
from lendcrm.frames.mapping._defaults import DEFAULTED_COLUMNS, fill_defaults
from lendcrm.frames.mapping._integrity import distinct_once_normalised
from lendcrm.frames.mapping._quarantine import quarantine_rows
from lendcrm.frames.mapping._rules import RowRule
from lendcrm.frames.mapping._schema import (
    FRAME_NAMES,
    IDS,
    REJECTED_COLUMNS,
    SPECS,
    collect,
    frame_check,
    integrity_rules,
    reference_positions,
)

__all__ = ["CheckedFrames", "LoadedBook", "check_book_frames", "load_book"]


@attrs.frozen(kw_only=True, eq=False)
class CheckedFrames:
    """What `check_book_frames` made of a bank's frames (see `LoadedBook`).

    Attributes:
        frames: The accepted rows as `BookFrames` (mapped, defaults filled).
        rejected: The rows set aside, as `LoadedBook.rejected`.
        defaulted: The columns filled, as `LoadedBook.defaulted`.
    """

    frames: BookFrames
    rejected: pd.DataFrame
    defaulted: pd.DataFrame


@attrs.frozen(kw_only=True, eq=False)
class LoadedBook:
    """What `load_book` made of a bank's frames.

    Attributes:
        book: The book, built from the accepted rows.
        frames: The accepted rows as `BookFrames` (mapped, defaults filled).
        rejected: One row per row set aside (empty unless ``quarantine=True``):
            ``frame``, ``row`` (its label), ``position`` (in its input frame) and
            ``reason`` (every rule it breaks, ``; ``-separated).
        defaulted: One row per column filled because it was absent: ``frame``,
            ``column``, ``default`` and ``meaning`` (see `OPTIONAL_COLUMNS`).
    """

    book: Book
    frames: BookFrames
    rejected: pd.DataFrame
    defaulted: pd.DataFrame


def _prepare(
    frames: Mapping[str, pd.DataFrame], mappings: Sequence[ColumnMapping]
) -> tuple[
    dict[str, pd.DataFrame],
    dict[str, list[RowRule]],
    list[tuple[str, str, object, str]],
]:
    """Mapped frames with defaults filled, their parse failures, and what was filled."""
    require_instance(frames, Mapping, name="frames", what="a dict of DataFrames")
    for key in frames:
        if key not in FRAME_NAMES:
            raise InvalidValueError(field=f"frames[{key!r}]", value=key,
                                    expected="a frame of the book (see BookFrames)",
                                    hint=did_you_mean(str(key), FRAME_NAMES).strip())  # fmt: skip
    if "clients" not in frames:
        raise InvalidValueError(field="frames", value=list(frames),
                                expected="a dict with a 'clients' frame")  # fmt: skip
    if isinstance(mappings, (str, bytes, Mapping)) or not isinstance(
        mappings, Sequence
    ):
        refuse_object(mappings, name="mappings", what="a sequence of ColumnMappings")
    out = dict(frames)
    unparsed: dict[str, list[RowRule]] = {}
    for mapping in mappings:
        require_instance(mapping, ColumnMapping, name="mappings", what="ColumnMappings")
        if mapping.frame not in frames:
            raise InvalidValueError(field="mappings", value=mapping.frame,
                                    expected="the name of a frame passed in `frames`")  # fmt: skip
        mapped = mapping.map_rows(frames[mapping.frame])
        out[mapping.frame] = mapped.frame
        unparsed[mapping.frame] = list(mapped.unparsed)
    filled: list[tuple[str, str, object, str]] = []
    for name in ("clients", "facilities", "projects"):
        if name in out:
            require_instance(out[name], pd.DataFrame, name=name, what="a DataFrame")
            out[name], record = fill_defaults(out[name], name)
            filled.extend(record)
    return out, unparsed, filled


def _schema_errors(
    frames: Mapping[str, pd.DataFrame],
) -> tuple[dict[str, pd.DataFrame], list[LendCRMError]]:
    """The frames whose schema is right, and the schema errors of the others."""
    errors: list[LendCRMError] = []
    good: dict[str, pd.DataFrame] = {}
    for name, frame in frames.items():
        found = collect(
            frame_check(name, frame, rows=False), [s.name for s in SPECS[name]]
        )
        if found:
            errors.extend(found)
        else:
            good[name] = frame
    return good, errors


def _quarantine_inputs(
    frames: Mapping[str, pd.DataFrame], mappings: Sequence[ColumnMapping]
) -> tuple[dict[str, pd.DataFrame], dict[str, list[RowRule]], pd.DataFrame]:
    """The frames to quarantine, their parse failures and the defaults filled.

    Raises:
        BatchValidationError: schema problems and an empty clients frame.
    """
    mapped, unparsed, filled = _prepare(frames, mappings)
    good, errors = _schema_errors(mapped)
    if "clients" in good and len(good["clients"]) == 0:
        errors.append(InvalidValueError(field="clients", value="an empty frame",
                                        expected="at least one row"))  # fmt: skip
    if errors:
        raise BatchValidationError(errors, total=sum(len(f) for f in mapped.values()))
    return good, unparsed, pd.DataFrame(filled, columns=list(DEFAULTED_COLUMNS))


def check_book_frames(
    frames: Mapping[str, pd.DataFrame],
    *,
    mappings: Sequence[ColumnMapping] = (),
    quarantine: bool = False,
) -> CheckedFrames:
    """Map, fill and check a bank's frames in one pass, without building entities.

    The checks of `load_book` (which calls it), for a pipeline that stays columnar: the
    frames come back as `BookFrames`, mapped, with defaults filled and, with
    ``quarantine=True``, without the rows set aside.

    Raises:
        InvalidValueError: an unknown frame name (with a did-you-mean hint), no
            ``clients`` frame, or a mapping for a frame not given.
        BatchValidationError: every problem found (schema problems only, when
            ``quarantine=True``).

    Examples:
        >>> import pandas as pd
        >>> clients = pd.DataFrame({"client_id": ["C-1", "c-1"], "legal_name": ["A", "B"],
        ...     "sector": ["C", "C"], "country": ["DE", "DE"],
        ...     "onboarded_on": pd.to_datetime(["2020-01-02"] * 2),
        ...     "currency": ["EUR"] * 2, "annual_revenue": [1.5e6, 2e6]})
        >>> checked = check_book_frames({"clients": clients}, quarantine=True)
        >>> len(checked.frames.clients), checked.rejected["position"].tolist()
        (0, [0, 1])
    """
    if not isinstance(quarantine, bool):
        refuse_object(quarantine, name="quarantine", what="True or False")
    if quarantine:
        good, unparsed, defaulted = _quarantine_inputs(frames, mappings)
        positions = reference_positions(good)
        clean, rejected = quarantine_rows(
            good,
            unparsed,
            integrity_rules(good, near_duplicates=False, positions=positions),
            positions,
        )
        return CheckedFrames(
            frames=BookFrames(**clean), rejected=rejected, defaulted=defaulted
        )
    mapped, unparsed, filled = _prepare(frames, mappings)
    good, errors = _schema_errors(mapped)
    defaulted = pd.DataFrame(filled, columns=list(DEFAULTED_COLUMNS))
    total = sum(len(f) for f in mapped.values())
    distinct = {  # one proof per id column, for the near-duplicate and unique rules
        name: distinct_once_normalised(frame[IDS[name]])
        for name, frame in good.items()
        if name in IDS
    }
    integrity = integrity_rules(good, distinct=distinct)
    if "interactions" in good and ("contacts" in good or "contacts" not in mapped):
        contact = unknown_contact_rule(good)  # else raised bare at the build
        integrity.extend([contact] if contact is not None else [])
    for name, frame in good.items():  # frame by frame: its rows, then its references
        bad = np.zeros(len(frame), np.bool_)
        for rule in unparsed.get(name, ()):
            errors.append(rule.error(frame))
            bad |= rule.mask
        rows = frame[~bad] if bad.any() else frame
        check = frame_check(name, rows, rows=True, distinct=distinct.get(name, False))
        errors.extend(collect(check, ()))
        errors.extend(rule.error(frame) for rule in integrity if rule.frame == name)
    if errors:
        raise BatchValidationError(errors, total=total)
    rejected = pd.DataFrame(columns=list(REJECTED_COLUMNS))
    return CheckedFrames(
        frames=BookFrames(**good), rejected=rejected, defaulted=defaulted
    )


def load_book(
    frames: Mapping[str, pd.DataFrame],
    *,
    mappings: Sequence[ColumnMapping] = (),
    quarantine: bool = False,
) -> LoadedBook:
    """Load a bank's frames into a `Book`, reporting every problem in one pass.

    ``frames`` holds the book's frames by name (``clients`` is required;
    ``facilities``, ``projects`` and the child, history and contact frames of
    `BookFrames` are optional). A frame named by one of ``mappings`` is mapped first
    (`ColumnMapping`); absent optional columns are filled (`OPTIONAL_COLUMNS`, listed in
    `LoadedBook.defaulted`). Then, in one pass: every frame's columns and dtypes (a
    did-you-mean hint only among columns the schema lacks), every row rule of
    `check_frame` and the frame validators, text that does not parse, ids that repeat
    (also once case and surrounding whitespace are ignored), references to ids no
    owner row has (interactions naming a contact the contacts frame lacks too) and
    parent cycles. Each failure names its frame, row labels and the position of its
    first row; no did-you-mean is offered for ids.

    With ``quarantine=True`` the failing rows are set aside instead of raised, with
    every row that depends on one of them (the facilities of a rejected client, the
    collateral of a rejected facility, the subsidiaries of a rejected parent...), and
    the book is built from the rest. Rows that share an id are all set aside: which of
    them is right is not known. A row an entity refuses when the book is built (a rule
    the frames cannot express, such as a completed milestone at 50 %) is set aside
    the same way, with the entity's words and its dependants. Missing columns cannot
    be quarantined and are raised.

    Raises:
        InvalidValueError: an unknown frame name (with a did-you-mean hint), no
            ``clients`` frame, or a mapping for a frame not given.
        BatchValidationError: every problem found (schema problems only, when
            ``quarantine=True``), or an entity rule the frames cannot express
            (without quarantine).

    Examples:
        >>> import pandas as pd
        >>> clients = pd.DataFrame({"client_id": ["C-1"], "legal_name": ["Nordwind"],
        ...     "sector": ["C"], "country": ["DE"], "onboarded_on": [pd.Timestamp("2020-01-02")],
        ...     "currency": ["EUR"], "annual_revenue": [1.5e6]})
        >>> loaded = load_book({"clients": clients})
        >>> loaded.book.clients[0].measures is None, len(loaded.defaulted)
        (True, 12)
    """
    if quarantine is True:  # entity rules found at the build are set aside too
        good, unparsed, defaulted = _quarantine_inputs(frames, mappings)
        positions = reference_positions(good)
        book, kept, rejected = build_quarantined(
            good,
            unparsed,
            integrity_rules(good, near_duplicates=False, positions=positions),
            positions,
        )
        return LoadedBook(
            book=book, frames=kept, rejected=rejected, defaulted=defaulted
        )
    checked = check_book_frames(frames, mappings=mappings, quarantine=quarantine)
    book = build_book(attrs.asdict(checked.frames, recurse=False))
    return LoadedBook(
        book=book,
        frames=checked.frames,
        rejected=checked.rejected,
        defaulted=checked.defaulted,
    )
