"""The clients' ids looked up once per book, for every record frame at once (#20).

Looking a million text ids up costs mostly the hash table of the clients' ids, not
the probes: building it once for the facilities, feedback, referrals, interactions
and ratings frames together (and for the clients' own ids, which tells a duplicate
apart) is the cost of one look-up instead of six. Text held by pyarrow is matched in
one ``pyarrow.compute.index_in`` over the record frames' columns chained; other text
through the index's own hash table, which pandas builds once per index and keeps.

The look-ups raise nothing: each step of `relationship_frame` asks for its frame's
codes (`ClientKeys.codes`) and refuses an unknown client then, so the errors come in
the order of the steps as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._arrays import IntArray
from lendcrm.errors import InvalidValueError, UnknownReferenceError
from lendcrm.frames import BookFrames
from lendcrm.frames import columns as schema
from lendcrm.relationship._gather import positions
from lendcrm.relationship._id_words import (
    IdTable,
    fixed_width_text,
    id_table,
    id_words,
)

__all__ = ["RECORD_FRAMES", "ClientKeys", "client_keys"]

#: The record frames whose ``client_id`` `client_keys` looks up.
RECORD_FRAMES: Final = (
    "facilities",
    "feedback",
    "referrals",
    "interactions",
    "ratings",
)


@attrs.frozen(kw_only=True, eq=False)
class ClientKeys:
    """The clients' ids and the client position of each record frame's rows.

    Attributes:
        index: The clients' ids as the relationship frame's index.
        ids: The same ids as Python strings.
        rows: Per record frame (`RECORD_FRAMES`), the client position of each row
            (-1: a client the clients frame lacks); a frame whose ``client_id`` is
            not text, or that has none, is absent.
        table: The ids as words (`lendcrm.relationship._id_words`; None: not
            short ids of one width).
    """

    index: pd.Index[str]
    ids: npt.NDArray[np.object_]
    rows: Mapping[str, IntArray]
    table: IdTable | None = None

    def text_ids(
        self, at: npt.NDArray[np.bool_]
    ) -> npt.NDArray[np.str_] | npt.NDArray[np.object_]:
        """The ids of the clients ``at``, fixed-width str when read as words.

        The same ids either way: a ``<U`` array widened from the words (no Python
        string, no conversion of objects) when every byte is ASCII, else the
        Python strings.
        """
        if self.table is not None:
            text = fixed_width_text(self.table.words[at], self.table.width)
            if text is not None:
                return text
        return self.ids[at]

    def codes(self, frames: BookFrames, name: str, *, field: str) -> IntArray:
        """The client position of each row of frame ``name``; an unknown one refused.

        Raises:
            UnknownReferenceError: a row of a client the clients frame lacks (the
                first, named with its position in ``field``).
        """
        keys = getattr(frames, name)[schema.CLIENT_ID]
        codes = self.rows.get(name)
        if codes is None:
            codes = positions(keys, self.index)
        missing = codes < 0
        if missing.any():
            i = int(np.argmax(missing))
            raise UnknownReferenceError(
                kind="client", key=keys.iloc[i], field=f"{field}[{i}]", known=()
            )
        return codes


def _arrow(values: pd.Series | pd.Index) -> Any:  # noqa: ANN401 - pyarrow is untyped
    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
        return values.array.__arrow_array__()
    return None


def _runs(values: Any, *, arrow: bool) -> IntArray | None:  # noqa: ANN401
    """Where each run of equal adjacent keys starts, when that halves the look-ups.

    A book's records usually come grouped by client (a client's facilities, then
    the next client's): looking up the first key of each run and repeating its
    position costs one comparison per row instead of one hash per row.
    """
    m = len(values)
    if m < 2:  # noqa: PLR2004 - a run needs two rows
        return None
    if arrow:
        import pyarrow.compute as pc  # type: ignore[import-untyped]  # noqa: PLC0415

        same = pc.fill_null(
            pc.equal(values.slice(1), values.slice(0, m - 1)), fill_value=False
        )
        differs = ~np.asarray(same.to_numpy(), dtype=np.bool_)
    else:
        try:
            differs = np.asarray(values[1:] != values[:-1], dtype=np.bool_)
        except TypeError:  # a missing value that will not compare (pd.NA)
            return None
    starts = np.flatnonzero(np.r_[True, differs])
    return starts if 2 * len(starts) <= m else None


def _repeated(found: IntArray, starts: IntArray | None, m: int) -> IntArray:
    """The positions of the runs' first keys repeated over their runs."""
    if starts is None:
        return found
    return np.repeat(found, np.diff(np.r_[starts, m]))


def _looked_up(
    frames: BookFrames,
    index: pd.Index[str],
    ids: npt.NDArray[np.object_],
    table: tuple[IdTable, int] | None,
) -> tuple[int, dict[str, IntArray]]:
    """The first repeated client id's row (-1: none) and each record frame's rows."""
    own = _arrow(index)
    keyed = {
        name: getattr(frames, name)[schema.CLIENT_ID]
        for name in RECORD_FRAMES
        if schema.CLIENT_ID in getattr(frames, name)
        and not isinstance(
            getattr(frames, name)[schema.CLIENT_ID].dtype, pd.CategoricalDtype
        )
    }
    if table is not None:  # short ids of one width: words, no hash table
        return _by_words(*table, keyed, ids)
    if own is None:  # the index's hash table, built once, serves every frame
        if index.has_duplicates:
            return int(np.argmax(index.duplicated())), {}
        rows: dict[str, IntArray] = {}
        for name, keys in keyed.items():
            starts = _runs(keys.to_numpy(dtype=object), arrow=False)
            if starts is not None:
                found = positions(keys.iloc[starts], index)
                rows[name] = _repeated(found, starts, len(keys))
        return -1, rows
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    parts = [own]
    runs: dict[str, tuple[IntArray | None, int]] = {}
    out: dict[str, IntArray] = {}
    for name, keys in keyed.items():
        text = _arrow(keys)
        if text is not None:
            text = text if text.type == own.type else text.cast(own.type)
            if len(text) == len(own) and text.equals(own):  # one row per client
                out[name] = np.arange(len(own), dtype=np.int64)
                continue
            starts = _runs(text, arrow=True)
            parts.append(text if starts is None else text.take(pa.array(starts)))
            runs[name] = (starts, len(text))
    chunks = [c for part in parts for c in part.chunks]
    found = pc.fill_null(
        pc.index_in(pa.chunked_array(chunks, type=own.type), value_set=own), -1
    )
    every = np.asarray(found.to_numpy(), dtype=np.int64)
    ends = np.cumsum([len(p) for p in parts])
    split = np.split(every, ends[:-1])
    repeated = split[0] != np.arange(len(index))
    first = int(np.argmax(repeated)) if repeated.any() else -1
    for name, part in zip(runs, split[1:], strict=True):
        out[name] = _repeated(part, *runs[name])
    return first, out


def _by_words(
    table: IdTable,
    first: int,
    keyed: Mapping[str, pd.Series],
    ids: npt.NDArray[np.object_],
) -> tuple[int, dict[str, IntArray]]:
    """`_looked_up` for ids that are words (`lendcrm.relationship._id_words`)."""
    if first >= 0:
        return first, {}
    out: dict[str, IntArray] = {}
    for name, keys in keyed.items():
        rows = _word_rows(table, keys, ids)
        if rows is not None:
            out[name] = rows
    return -1, out


def _word_rows(
    table: IdTable, keys: pd.Series, ids: npt.NDArray[np.object_]
) -> IntArray | None:
    """The client row of each key, looked up once per run of equal keys.

    Text held by pyarrow is read as words first (its runs found on the words);
    Python strings are compared with the clients' ids (one row per client, in
    order) and for runs first, and only the runs' first keys encoded. None: keys
    that are not all text (left to the hash look-up).
    """
    m = len(keys)
    starts: IntArray | None = None
    if _arrow(keys) is None:
        objects = keys.to_numpy(dtype=object)
        if m == len(ids) and _same(objects, ids):
            return np.arange(m, dtype=np.int64)
        starts = _runs(objects, arrow=False)
    read = id_words(keys if starts is None else keys.iloc[starts], table.width)
    if read is None:
        return None
    words, ok, _width = read
    if (
        starts is None
        and m == len(table.words)
        and bool(ok.all())
        and np.array_equal(words, table.words)
    ):  # one row per client, in order
        return np.arange(m, dtype=np.int64)
    if starts is None and _arrow(keys) is not None and m >= 2:  # noqa: PLR2004
        differs = (words[1:] != words[:-1]) | (ok[1:] != ok[:-1])
        runs = np.flatnonzero(np.r_[True, differs])
        if 2 * len(runs) <= m:
            starts, words, ok = runs, words[runs], ok[runs]
    return _repeated(table.rows(words, ok), starts, m)


def _same(a: npt.NDArray[np.object_], b: npt.NDArray[np.object_]) -> bool:
    """Whether two object arrays hold equal values (False: one that will not compare)."""
    try:
        return bool(np.array_equal(a, b))
    except TypeError:  # pd.NA among them
        return False


def client_keys(frames: BookFrames) -> ClientKeys:
    """The clients' ids as the index (a duplicate refused), looked up in the records.

    Raises:
        InvalidValueError: a client listed twice (the first repeat, with its row).
    """
    ids = frames.clients[schema.CLIENT_ID]
    index: pd.Index[str] = pd.Index(ids, name=schema.CLIENT_ID)
    objects = index.to_numpy(dtype=object)
    table = id_table(index)
    i, rows = _looked_up(frames, index, objects, table)
    if i >= 0:
        raise InvalidValueError(
            field=f"clients[{i}].client_id",
            value=ids.iloc[i],
            expected="a client id not already listed (one row per client)",
        )
    return ClientKeys(
        index=index, ids=objects, rows=rows, table=None if table is None else table[0]
    )
