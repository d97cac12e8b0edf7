"""Movement analytics from the book's histories: rating and tier migration matrices.

The frames face (re-exported by `lendcrm.relationship.frames`): ratings and
measures histories are read with the same checks, codes and sorted keys as
`signals_from_history` (`lendcrm.relationship._history_input`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from lendcrm._dates import check_as_of
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.frames import ColumnSpec
from lendcrm.frames import columns as schema
from lendcrm.relationship._gather import fx_rates
from lendcrm.relationship._history_input import (
    Owners,
    check_columns,
    day_numbers,
    sorted_history,
)
from lendcrm.relationship._models import RelationshipModels
from lendcrm.relationship._signals import scale_grades
from lendcrm.relationship._signals_frame import (
    HISTORY_COLUMNS,
    grade_positions,
)
from lendcrm.segmentation import (
    ClientFeatures,
    MigrationMatrix,
    SegmentationStrategy,
    migration_matrix,
)

#: The columns `tier_migration` reads.
TIER_COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {
    "clients": (
        ColumnSpec(name=schema.CLIENT_ID, kind="str"),
        ColumnSpec(name=schema.ONBOARDED_ON, kind="date"),
        ColumnSpec(name=schema.CURRENCY, kind="str"),
    ),
    "measures": (
        ColumnSpec(name=schema.CLIENT_ID, kind="str"),
        ColumnSpec(name=schema.MEASURED_ON, kind="date"),
        ColumnSpec(name=schema.REVENUE_TO_BANK, kind="float", lower=0),
        ColumnSpec(name=schema.PROFIT_TO_BANK, kind="float"),
        ColumnSpec(name=schema.PRODUCT_COUNT, kind="int", lower=0),
        ColumnSpec(name=schema.REFERRAL_COUNT, kind="int", lower=0),
        ColumnSpec(name=schema.TRANSACTION_COUNT, kind="int", lower=0, required=False),
        ColumnSpec(
            name=schema.LAST_TRANSACTION_ON, kind="date", nullable=True, required=False
        ),
    ),
}


def _dates(start: dt.date, end: dt.date) -> tuple[int, int]:
    """The two dates as day numbers; ``end`` must be after ``start``."""
    check_as_of(start, field="start")
    check_as_of(end, field="end")
    if end <= start:
        raise InvalidValueError(
            field="end", value=end, expected=f"a date after start ({start})"
        )
    return (
        int(np.datetime64(start, "D").astype(np.int64)),
        int(np.datetime64(end, "D").astype(np.int64)),
    )


def rating_migration_counts(
    ratings: pd.DataFrame,
    *,
    start: dt.date,
    end: dt.date,
    grades: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Count clients by their grade at ``start`` (rows) and at ``end`` (columns).

    A client's grade at a date is its latest rating on or before it (a rating stays
    in force until the next one). Clients rated at both dates are counted; a
    client first rated after ``start`` is left out. The counts are the cohort
    counts ``N_ij`` of one cohort; ``counts / counts.sum(axis=1)`` is that cohort's
    transition matrix.

    To estimate a matrix over many cohorts with `lendcrm.risk.portfolio.cohort_matrix`
    (Wilson intervals, multi-year horizons), give it the grade in force at each
    cohort date (one row per client and date, e.g. every 1 January), with a
    default label appended to the scale when the scale has none:
    ``cohort_matrix(panel.client_id, panel.on, panel.rating_grade,
    scale=(*grades, "D"), default_grade="D")``. Its counts for two consecutive
    dates equal this function's (``tests/relationship/test_movement.py`` checks
    it); the how-to *Derive signals from your own histories* shows the panel.

    Args:
        ratings: The rating history: ``client_id``, ``rated_on``, ``rating_grade``.
        start: The first date.
        end: The second date, after ``start``.
        grades: The master scale's grades, best first (default: those of
            `lendcrm.risk.scoring.DEFAULT_MASTER_SCALE`).

    Returns:
        An int64 frame, ``grades`` by ``grades``: index ``from`` (grade at
        ``start``), columns ``to`` (grade at ``end``).

    Raises:
        InvalidValueError: ``end`` is not after ``start``, or bad ``grades``.
        SchemaError: a column is missing or has the wrong dtype.
        InvalidRowsError: a grade not on ``grades``, or two ratings of one client on
            one date (names the rows).

    Examples:
        >>> ratings = pd.DataFrame({"client_id": ["A", "A", "B", "C", "C"],
        ...     "rated_on": pd.to_datetime(["2024-03-31", "2025-05-31", "2024-12-31",
        ...                                 "2024-02-29", "2025-12-31"]),
        ...     "rating_grade": ["BB", "B", "BB", "A", "A"]})
        >>> rating_migration_counts(ratings, start=dt.date(2024, 12, 31),
        ...     end=dt.date(2025, 12, 31), grades=("A", "BB", "B"))
        to    A  BB  B
        from
        A     1   0  0
        BB    0   1  1
        B     0   0  0
    """
    first, second = _dates(start, end)
    scale = scale_grades(grades)
    frame = check_columns(ratings, HISTORY_COLUMNS["ratings"], frame_name="ratings")
    ids = frame[schema.CLIENT_ID]
    if isinstance(ids.dtype, pd.CategoricalDtype):
        codes, uniques = ids.cat.codes.to_numpy(), ids.cat.categories
    else:
        codes, uniques = pd.factorize(ids)
    owners = Owners(
        frame=frame, frame_name="ratings", kind="client", index=pd.Index(uniques)
    )
    history, order = sorted_history(
        frame, codes, schema.RATED_ON, frame_name="ratings", owners=owners
    )
    grade = grade_positions(frame, scale, order)
    before, after = history.latest_of_all(first), history.latest_of_all(second)
    both = (before >= 0) & (after >= 0)
    k = len(scale)
    pairs = grade[before[both]] * k + grade[after[both]]
    counts = np.bincount(pairs, minlength=k * k).reshape(k, k).astype(np.int64)
    return pd.DataFrame(
        counts,
        index=pd.Index(scale, name="from", dtype=object),
        columns=pd.Index(scale, name="to", dtype=object),
    )


def _features_at(
    clients: pd.DataFrame,
    measures: pd.DataFrame,
    rows: np.ndarray,
    rate: np.ndarray,
    day: dt.date,
) -> ClientFeatures:
    """The features of the clients measured and onboarded by ``day``."""
    onboarded = day_numbers(clients[schema.ONBOARDED_ON])
    keep = (rows >= 0) & (onboarded <= np.datetime64(day, "D").astype(np.int64))
    src, picked = rows[keep], clients[schema.CLIENT_ID].to_numpy()[keep]

    def measure(name: str) -> np.ndarray:
        values: np.ndarray = measures[name].to_numpy()[src]
        return values

    frame = pd.DataFrame(
        {
            schema.CLIENT_ID: pd.Series(picked, dtype="str"),
            schema.REVENUE_TO_BANK: measure(schema.REVENUE_TO_BANK) * rate[keep],
            schema.PROFIT_TO_BANK: measure(schema.PROFIT_TO_BANK) * rate[keep],
            schema.PRODUCT_COUNT: measure(schema.PRODUCT_COUNT),
            schema.REFERRAL_COUNT: measure(schema.REFERRAL_COUNT),
            schema.ONBOARDED_ON: clients[schema.ONBOARDED_ON].to_numpy()[keep],
        }
    )
    for optional in (schema.TRANSACTION_COUNT, schema.LAST_TRANSACTION_ON):
        if optional in measures.columns:
            frame[optional] = measure(optional)
    return ClientFeatures.from_frame(frame, as_of=day)


def tier_migration(
    clients: pd.DataFrame,
    measures: pd.DataFrame,
    *,
    strategy: SegmentationStrategy,
    start: dt.date,
    end: dt.date,
    models: RelationshipModels | None = None,
) -> MigrationMatrix:
    """Tier the book at two dates from its measures history, and who moved where.

    At each date a client's measures are those of its latest period on or before
    the date; clients onboarded and measured by then are tiered by ``strategy``
    (amounts in the reporting currency of ``models``, tenure and recency at that
    date), then `lendcrm.segmentation.migration_matrix` compares the two tierings.
    A strategy that fits itself (``QuantileTiers``) is refitted at each date; a
    fitted ``ThresholdTiers`` keeps its cut-offs, so movement is movement in value.

    Args:
        clients: ``client_id``, ``onboarded_on``, ``currency``.
        measures: The measures history: ``client_id``, ``measured_on``,
            ``revenue_to_bank``, ``profit_to_bank``, ``product_count``,
            ``referral_count`` (and ``transaction_count``, ``last_transaction_on``
            when the strategy reads them).
        strategy: The segmentation strategy (e.g. ``ThresholdTiers``).
        start: The first date.
        end: The second date, after ``start``.
        models: Reporting currency and rates (default: EUR, no other rate).

    Returns:
        The `lendcrm.segmentation.MigrationMatrix` (rows: tier at ``start``).

    Raises:
        InvalidValueError: ``end`` is not after ``start``, a currency has no rate,
            or nobody is measured at a date.
        SchemaError: a column is missing or has the wrong dtype.
        InvalidRowsError: two periods of one client on one date, or a client
            listed twice.
        UnknownReferenceError: a period of a client the clients frame lacks.

    Examples:
        >>> from lendcrm.segmentation import ThresholdTiers
        >>> clients = pd.DataFrame({"client_id": ["A", "B"], "currency": ["EUR"] * 2,
        ...     "onboarded_on": pd.to_datetime(["2015-01-01", "2018-06-30"])})
        >>> measures = pd.DataFrame({"client_id": ["A", "A", "B", "B"],
        ...     "measured_on": pd.to_datetime(["2024-12-31", "2025-12-31"] * 2),
        ...     "revenue_to_bank": [900.0, 400.0, 50.0, 700.0],
        ...     "profit_to_bank": [0.0] * 4, "product_count": [1] * 4,
        ...     "referral_count": [0] * 4})
        >>> m = tier_migration(clients, measures,
        ...     strategy=ThresholdTiers(cutoffs=(800.0, 600.0, 300.0)),
        ...     start=dt.date(2024, 12, 31), end=dt.date(2025, 12, 31))
        >>> m.counts.tolist()
        [[0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 1, 0, 0]]
        >>> m.upgraded, m.downgraded
        (1, 1)
    """
    require_instance(
        strategy, SegmentationStrategy, name="strategy", what="a SegmentationStrategy"
    )
    first, second = _dates(start, end)
    cl = check_columns(clients, TIER_COLUMNS["clients"], frame_name="clients")
    ms = check_columns(measures, TIER_COLUMNS["measures"], frame_name="measures")
    owners = Owners.of(cl, schema.CLIENT_ID, frame_name="clients", kind="client")
    codes = owners.codes(ms, schema.CLIENT_ID, frame_name="measures")
    owners.check_unique()
    history, order = sorted_history(
        ms, codes, schema.MEASURED_ON, frame_name="measures", owners=owners
    )
    rate = fx_rates(cl[schema.CURRENCY], models or RelationshipModels())
    tiers = []
    for day, date in ((first, start), (second, end)):  # the two dates
        rows = history.latest_of_all(day)
        if order is not None:
            rows = np.where(rows >= 0, order[np.maximum(rows, 0)], -1)
        tiers.append(strategy.assign(_features_at(cl, ms, rows, rate, date)))
    return migration_matrix(tiers[0], tiers[1])
