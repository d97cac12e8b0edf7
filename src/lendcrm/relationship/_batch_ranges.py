"""Client-range entry points of the lifecycle, pricing and scoring batch functions.

Each batch path has the three faces of the relationship view's: ``*_meta`` (the
exact empty result, from the models or rules alone), ``*_range`` (a worker's task:
read one `ClientRange`, check it, run the batch function, give the result the
meta's dtypes) and ``*_dask`` (a lazy Dask DataFrame over the ranges, one partition
per range, indexed by ``client_id`` with known divisions). They live beside the
relationship view's because a range is a part of a *book* (`BookFrames`, read by
the caller's reader) and composing a book's frames is this layer's job; the batch
functions themselves (`lendcrm.lifecycle.frames.assess_stages`,
`lendcrm.risk.pricing.frames.price_facilities_frame`,
`lendcrm.risk.scoring.frames.score_frame`) stay pandas functions free of ranges.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
import pandas as pd

from lendcrm._dates import check_as_of
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.frames import BookFrames
from lendcrm.frames import columns as schema
from lendcrm.lifecycle import STAGE_ORDER, StageRules
from lendcrm.lifecycle.frames import REASONS, assess_stages
from lendcrm.relationship._partition import label
from lendcrm.relationship._range_tasks import by_client, ranges_dask, run_in_part
from lendcrm.relationship._ranges import STRING, ClientRange, read_part
from lendcrm.risk.pricing.frames import (
    EAD,
    MINIMUM_RATE,
    RISK_WEIGHT,
    RISK_WEIGHTED_ASSETS,
    price_facilities_frame,
)
from lendcrm.risk.scoring import Scorecard
from lendcrm.risk.scoring.frames import score_frame

if TYPE_CHECKING:
    import dask.dataframe as dd

# the columns pricing_range keeps of price_facilities_frame's result
PRICE_COLUMNS: Final = (
    EAD,
    schema.EXPECTED_LOSS,
    RISK_WEIGHT,
    RISK_WEIGHTED_ASSETS,
    schema.CAPITAL,
    MINIMUM_RATE,
)
# the keyword arguments of price_facilities_frame a range run may fix
_TERMS: Final = frozenset(inspect.signature(price_facilities_frame).parameters) - {
    "frame",
    "as_of",
}


def _empty(columns: Mapping[str, Any]) -> pd.DataFrame:
    index = pd.Index([], dtype=STRING, name=schema.CLIENT_ID)
    empty = pd.DataFrame({name: [] for name in columns}, index=index)
    return empty.astype(dict(columns))


def _tables(frames: BookFrames) -> dict[str, pd.DataFrame]:
    return {f.name: getattr(frames, f.name) for f in attrs.fields(BookFrames)}


def stages_meta(rules: StageRules) -> pd.DataFrame:
    """The empty frame `stages_range` returns (Dask's ``meta``), from the rules alone.

    Indexed by ``client_id`` (pandas' ``string`` dtype): `STAGE` a categorical with
    every stage of `lendcrm.lifecycle.STAGE_ORDER` as its categories (fixed, so
    every part agrees), `REASONS` a ``string`` column (the fired rules, joined).

    Raises:
        InvalidValueError: ``rules`` is not a `StageRules`.

    Examples:
        >>> meta = stages_meta(StageRules.builtin())
        >>> meta.dtypes.astype(str).to_dict()
        {'stage': 'category', 'reasons': 'string'}
        >>> list(meta["stage"].cat.categories)[:2]
        ['acquisition', 'activation']
    """
    require_instance(rules, StageRules, name="rules", what="a StageRules")
    stages = pd.Index([s.value for s in STAGE_ORDER], dtype=STRING)
    return _empty({schema.STAGE: pd.CategoricalDtype(stages), REASONS: STRING})


def _part_signals(
    part: ClientRange, number: int
) -> tuple[pd.DataFrame | None, dict[str, pd.DataFrame]]:
    """The part's signals frame, its client ids unique and inside the range."""
    frames, signals = read_part(part, number)
    tables = _tables(frames)
    if signals is None:
        if len(frames.clients):
            raise InvalidValueError(
                field=f"parts[{number}].reader().signals",
                value=None,
                expected="a signals frame (a BookPartition with signals) for the "
                "stage rules to read",
            )
        return None, tables
    tables["signals"] = signals
    ids = signals[schema.CLIENT_ID]
    repeated = np.asarray(ids.duplicated(), dtype=bool)
    outside = np.asarray((ids < part.lower) | (ids > part.upper), dtype=bool)
    for bad, expected in (
        (repeated, "a client id not already listed (one signals row per client)"),
        (
            outside,
            f"a client id from {part.lower!r} to {part.upper!r} (the part's range)",
        ),
    ):
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidValueError(
                field=f"parts[{number}].signals[{label(ids.index[i])!r}].client_id",
                value=ids.iloc[i],
                expected=expected,
            )
    return signals, tables


def stages_range(
    part: ClientRange, number: int = 0, *, as_of: dt.date, rules: StageRules
) -> pd.DataFrame:
    """Read one client range and assess its clients' lifecycle stages: a worker's task.

    Calls ``part.reader()`` (a `BookPartition` whose ``signals`` hold one row per
    client, with ``client_id`` and the ``SIG_*`` columns), checks the part (closed,
    as `relationship_range` does; signals' client ids unique and in the range), runs
    `lendcrm.lifecycle.frames.assess_stages` and returns its rows indexed by
    ``client_id``, sorted, with `stages_meta`'s dtypes. An empty part returns the meta.

    Raises:
        InvalidValueError: ``part`` not a `ClientRange`, a part with clients but no
            signals, a signals row repeated or outside the range
            (``parts[k].signals[label].client_id``), and as ``assess_stages`` (the
            part named, rows by the labels the reader gave them).

    Examples:
        >>> from lendcrm.synthetic import generate_frames
        >>> from lendcrm.relationship.scaleout import BookPartition
        >>> book = generate_frames(20, seed=1, as_of=dt.date(2025, 12, 31))
        >>> part = BookPartition(frames=book.book_frames(), signals=book.signals)
        >>> rng = ClientRange(reader=lambda: part, lower="C", upper="D")
        >>> out = stages_range(rng, as_of=dt.date(2025, 12, 31), rules=StageRules.builtin())
        >>> out.shape, out.index[0]
        ((20, 2), 'C0000001')
    """
    require_instance(part, ClientRange, name="part", what="a ClientRange")
    meta = stages_meta(rules)
    check_as_of(as_of)
    signals, tables = _part_signals(part, number)
    if signals is None or signals.empty:
        return meta
    out = run_in_part(
        lambda: assess_stages(signals, as_of=as_of, rules=rules), part, number, tables
    )
    return by_client(out, signals[schema.CLIENT_ID]).astype(meta.dtypes.to_dict())


def stages_dask(
    parts: Sequence[ClientRange], *, as_of: dt.date, rules: StageRules
) -> dd.DataFrame:
    """`stages_range` over client ranges, as a lazy Dask DataFrame (nothing read).

    One partition per range, ``client_id`` index with known divisions, ``meta``
    `stages_meta`. Needs the ``dask`` extra.

    Raises:
        InvalidValueError: ranges unsorted or overlapping, ``rules`` not a
            `StageRules` (at once); at compute time, as `stages_range`.
    """
    check_as_of(as_of)
    meta = stages_meta(rules)
    return ranges_dask(
        stages_range, parts, meta=meta, name="stages-range", as_of=as_of, rules=rules
    )


def pricing_meta() -> pd.DataFrame:
    """The empty frame `pricing_range` returns (Dask's ``meta``).

    Indexed by ``client_id`` (``string``; one row per facility): ``facility_id``
    (``string``) and the ``float64`` columns ``ead``, ``expected_loss``,
    ``risk_weight``, ``risk_weighted_assets``, ``capital``, ``minimum_rate``.

    Examples:
        >>> pricing_meta().columns.tolist()[:3]
        ['facility_id', 'ead', 'expected_loss']
    """
    return _empty(
        {schema.FACILITY_ID: STRING} | dict.fromkeys(PRICE_COLUMNS, "float64")
    )


def _checked_terms(terms: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(terms, Mapping):
        raise InvalidValueError(
            field="terms",
            value=type(terms).__name__,
            expected="a mapping of price_facilities_frame's keyword arguments",
        )
    for key in terms:
        if key not in _TERMS:
            raise InvalidValueError(
                field=f"terms[{key!r}]",
                value=terms[key],
                expected=f"a keyword argument of price_facilities_frame, one of {sorted(_TERMS)}",
            )
    return dict(terms)


def pricing_range(
    part: ClientRange,
    number: int = 0,
    *,
    as_of: dt.date,
    terms: Mapping[str, Any],
) -> pd.DataFrame:
    """Read one client range and price its facilities: a worker's task.

    Calls ``part.reader()`` (`BookFrames` or a `BookPartition`), checks the part
    closed and in its range (as `relationship_range`), runs
    `lendcrm.risk.pricing.frames.price_facilities_frame` on its facilities with
    ``terms`` and returns, one row per facility indexed by its ``client_id``
    (sorted stably: a client's facilities in the reader's order), ``facility_id``
    and the priced columns (``ead``, ``expected_loss``, ``risk_weight``,
    ``risk_weighted_assets``, ``capital``, ``minimum_rate``). An empty part returns `pricing_meta`.

    Args:
        part: The client range and its reader.
        number: The part's position among the parts, for the messages.
        as_of: Business date.
        terms: The other keyword arguments of ``price_facilities_frame``
            (``regime``, ``funding_rate``, ...), the same for every part: one
            value each (a per-row override belongs in the facilities frame).

    Raises:
        InvalidValueError: ``part`` not a `ClientRange`, ``terms`` naming an
            argument ``price_facilities_frame`` has not, and as it (the part
            named, rows by the labels the reader gave them).

    Examples:
        >>> from lendcrm.risk.capital import BASEL_III
        >>> from lendcrm.synthetic import generate_frames
        >>> book = generate_frames(20, seed=1, as_of=dt.date(2025, 12, 31)).book_frames()
        >>> terms = {"regime": BASEL_III, "funding_rate": 0.03,
        ...          "operating_cost_rate": 0.004, "hurdle_rate": 0.12,
        ...          "risk_free_rate": 0.03, "capital_ratio": 0.1}
        >>> out = pricing_range(ClientRange(reader=lambda: book, lower="C", upper="D"),
        ...                     as_of=dt.date(2025, 12, 31), terms=terms)
        >>> len(out) == len(book.facilities), out.index.is_monotonic_increasing
        (True, True)
    """
    require_instance(part, ClientRange, name="part", what="a ClientRange")
    given = _checked_terms(terms)
    check_as_of(as_of)
    meta = pricing_meta()
    frames, _signals = read_part(part, number)
    facilities = frames.facilities
    if facilities.empty:
        return meta
    priced = run_in_part(
        lambda: price_facilities_frame(facilities, as_of=as_of, **given),
        part,
        number,
        _tables(frames),
    )
    out = priced[[schema.FACILITY_ID, *PRICE_COLUMNS]]
    return by_client(out, facilities[schema.CLIENT_ID]).astype(meta.dtypes.to_dict())


def pricing_dask(
    parts: Sequence[ClientRange], *, as_of: dt.date, terms: Mapping[str, Any]
) -> dd.DataFrame:
    """`pricing_range` over client ranges, as a lazy Dask DataFrame (nothing read).

    One partition per range, ``client_id`` index (a row per facility) with known
    divisions, ``meta`` `pricing_meta`. Needs the ``dask`` extra.

    Raises:
        InvalidValueError: ranges unsorted or overlapping, ``terms`` naming an
            unknown argument (at once); at compute time, as `pricing_range`.
    """
    check_as_of(as_of)
    given = _checked_terms(terms)
    return ranges_dask(
        pricing_range,
        parts,
        meta=pricing_meta(),
        name="pricing-range",
        as_of=as_of,
        terms=given,
    )


def scores_meta(scorecard: Scorecard) -> pd.DataFrame:
    """The empty frame `scores_range` returns (Dask's ``meta``), from the scorecard.

    Indexed by ``client_id`` (``string``): ``score`` and ``default_probability``,
    both ``float64``.

    Raises:
        InvalidValueError: ``scorecard`` is not a `lendcrm.risk.scoring.Scorecard`.
    """
    require_instance(scorecard, Scorecard, name="scorecard", what="a Scorecard")
    return _empty({schema.SCORE: "float64", schema.DEFAULT_PROBABILITY: "float64"})


def scores_range(
    part: ClientRange, number: int = 0, *, scorecard: Scorecard
) -> pd.DataFrame:
    """Read one client range and score its clients: a worker's task.

    Calls ``part.reader()`` (`BookFrames` or a `BookPartition`), checks the part
    closed and in its range (as `relationship_range`), runs
    `lendcrm.risk.scoring.frames.score_frame` on its clients frame (the
    scorecard's characteristics are columns of it; the other columns are
    ignored) and returns ``score`` and ``default_probability`` indexed by
    ``client_id``, sorted. An empty part returns `scores_meta`.

    Raises:
        InvalidValueError: ``part`` not a `ClientRange`, ``scorecard`` not a
            `Scorecard`, and as ``score_frame`` (the part named).
        ModelMismatchError: a characteristic missing from the clients frame.
    """
    require_instance(part, ClientRange, name="part", what="a ClientRange")
    meta = scores_meta(scorecard)
    frames, _signals = read_part(part, number)
    clients = frames.clients
    if clients.empty:
        return meta
    scored = run_in_part(
        lambda: score_frame(scorecard, clients, ignore_extra=True),
        part,
        number,
        _tables(frames),
    )
    return by_client(scored, clients[schema.CLIENT_ID]).astype(meta.dtypes.to_dict())


def scores_dask(parts: Sequence[ClientRange], *, scorecard: Scorecard) -> dd.DataFrame:
    """`scores_range` over client ranges, as a lazy Dask DataFrame (nothing read).

    One partition per range, ``client_id`` index with known divisions, ``meta``
    `scores_meta`. Needs the ``dask`` extra.

    Raises:
        InvalidValueError: ranges unsorted or overlapping, ``scorecard`` not a
            `Scorecard` (at once); at compute time, as `scores_range`.
    """
    meta = scores_meta(scorecard)
    return ranges_dask(
        scores_range, parts, meta=meta, name="scores-range", scorecard=scorecard
    )
