"""Pipelines to frames, and the frame validators (the columnar face's entry points)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from lendcrm._validators import require_instance
from lendcrm.errors import BatchValidationError, InvalidValueError, LendCRMError
from lendcrm.frames import ColumnSpec, check_frame
from lendcrm.frames.columns import (
    AMOUNT,
    ANNUAL_REVENUE,
    CLIENT_ID,
    CLOSED_ON,
    COUNTRY,
    CREATED_ON,
    CURRENCY,
    KIND,
    NAME,
    OWNER,
    SECTOR,
    STAGE,
)
from lendcrm.relationship.commercial._pipeline_book import Pipeline
from lendcrm.relationship.commercial._pipeline_frames import (
    OPPORTUNITY_SPECS,
    PROSPECT_SPECS,
    opportunity_rules,
    prospect_rules,
)
from lendcrm.relationship.commercial._pipeline_machine import OPEN_STAGES
from lendcrm.relationship.commercial.columns import (
    EXPECTED_CLOSE_ON,
    LOST_REASON,
    OPPORTUNITY_ID,
    PROSPECT_ID,
    REFERRED_BY,
    SOURCE,
    STAGE_ENTRY_COLUMNS,
    SYNDICATION_ROLE,
)

__all__ = [
    "check_columns",
    "opportunities_frame",
    "prospects_frame",
    "validate_opportunities_frame",
    "validate_prospects_frame",
]

_DATE = "datetime64[ns]"


def _category(values: list[object], spec_name: str) -> pd.Series:
    spec = next(s for s in (*OPPORTUNITY_SPECS, *PROSPECT_SPECS) if s.name == spec_name)
    return pd.Series(pd.Categorical(values, categories=list(spec.allowed or ())))


def _dates(values: list[object]) -> pd.Series:
    return pd.Series(pd.to_datetime(pd.Series(values, dtype=object)), dtype=_DATE)


def prospects_frame(pipeline: Pipeline) -> pd.DataFrame:
    """One row per prospect, with the columns of the prospects schema.

    Size is float64 ``annual_revenue`` in the prospect's currency.

    Examples:
        >>> from lendcrm import Book
        >>> prospects_frame(Pipeline(book=Book())).columns.tolist()
        ['prospect_id', 'name', 'sector', 'country', 'currency', 'annual_revenue', 'source', 'referred_by']
    """
    require_instance(pipeline, Pipeline, name="pipeline", what="a Pipeline")
    ps = pipeline.prospects
    return pd.DataFrame(
        {
            PROSPECT_ID: pd.Series([p.id for p in ps], dtype="str"),
            NAME: pd.Series([p.name for p in ps], dtype="str"),
            SECTOR: _category([p.sector.value for p in ps], SECTOR),
            COUNTRY: _category([p.country for p in ps], COUNTRY),
            CURRENCY: _category([p.currency for p in ps], CURRENCY),
            ANNUAL_REVENUE: pd.Series(
                [float(p.size.amount) for p in ps], dtype=np.float64
            ),
            SOURCE: _category([p.source.value for p in ps], SOURCE),
            REFERRED_BY: pd.Series([p.referred_by for p in ps], dtype="str"),
        }
    )


def opportunities_frame(pipeline: Pipeline) -> pd.DataFrame:
    """One row per deal: its fields, its counterparty's sector and its stage dates.

    The stage path is written as entry dates (``qualified_on`` .. ``documentation_on``,
    missing when not reached; the lead's entry is ``created_on``) and ``closed_on``.

    Examples:
        >>> from lendcrm import Book
        >>> opportunities_frame(Pipeline(book=Book())).columns.tolist()[:6]
        ['opportunity_id', 'client_id', 'prospect_id', 'kind', 'currency', 'amount']
    """
    require_instance(pipeline, Pipeline, name="pipeline", what="a Pipeline")
    os_ = pipeline.opportunities
    entries = [o.stage_entry_dates() for o in os_]
    columns: dict[str, pd.Series] = {
        OPPORTUNITY_ID: pd.Series([o.id for o in os_], dtype="str"),
        CLIENT_ID: pd.Series([o.client_id for o in os_], dtype="str"),
        PROSPECT_ID: pd.Series([o.prospect_id for o in os_], dtype="str"),
        KIND: _category([o.kind.value for o in os_], KIND),
        CURRENCY: _category([o.currency for o in os_], CURRENCY),
        AMOUNT: pd.Series([float(o.amount.amount) for o in os_], dtype=np.float64),
        CREATED_ON: _dates([o.created_on for o in os_]),
        EXPECTED_CLOSE_ON: _dates([o.expected_close_on for o in os_]),
        OWNER: pd.Series([o.owner for o in os_], dtype="str"),
        STAGE: _category([o.stage.value for o in os_], STAGE),
        LOST_REASON: _category(
            [None if o.lost_reason is None else o.lost_reason.value for o in os_],
            LOST_REASON,
        ),
        SYNDICATION_ROLE: _category(
            [o.syndication_role.value for o in os_], SYNDICATION_ROLE
        ),
        SECTOR: _category([pipeline.sector_of(o) for o in os_], SECTOR),
    }
    for stage, column in zip(OPEN_STAGES[1:], STAGE_ENTRY_COLUMNS, strict=True):
        columns[column] = _dates([e.get(stage) for e in entries])
    columns[CLOSED_ON] = _dates([o.closed_on for o in os_])
    return pd.DataFrame(columns)


def validate_prospects_frame(
    frame: pd.DataFrame, *, clients: pd.DataFrame | None = None
) -> None:
    """Check a prospects frame in one vectorised pass; raise every problem at once.

    Rules: the prospects columns with their dtypes; unique ids; size >= 0; known
    sector, country, currency and source; ``referred_by`` set exactly for a referral.
    With the book's ``clients`` frame also: no prospect is already a client (its id
    is a client id, or its name a client's legal name compared case- and
    space-insensitively) and every referrer is a client.

    Raises:
        SchemaError: missing columns or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per broken rule, naming the
            first offending rows.

    Examples:
        >>> from lendcrm.synthetic import generate_pipeline
        >>> prospects = generate_pipeline(100, seed=7).prospects
        >>> validate_prospects_frame(prospects)
        >>> prospects.loc[0, "annual_revenue"] = -1.0
        >>> validate_prospects_frame(prospects)
        Traceback (most recent call last):
        ...
        lendcrm.errors.BatchValidationError: 1 of 25 rows are invalid: `prospects[0].annual_revenue` must be a finite number >= 0; got -1.0. 1 row fails this rule: 0. (1 sub-exception)
    """
    errors: list[LendCRMError] = []
    try:
        check_frame(
            frame, PROSPECT_SPECS, frame_name="prospects", unique=(PROSPECT_ID,)
        )
    except BatchValidationError as exc:
        errors.extend(exc.exceptions)  # type: ignore[arg-type]
    errors.extend(prospect_rules(frame, clients))
    if errors:
        raise BatchValidationError(errors, total=len(frame))


def validate_opportunities_frame(frame: pd.DataFrame) -> None:
    """Check an opportunities frame in one vectorised pass; raise every problem at once.

    Rules: the opportunities columns with their dtypes; unique ids; amount > 0;
    exactly one of ``client_id`` and ``prospect_id``; the expected close and every
    stage date on or after the creation, stage dates in funnel order; no skipped
    stage (a dated stage after an undated one); the stage is the furthest dated one
    (every stage dated for won); ``closed_on`` set exactly when won or lost (an
    open deal with a close date was reopened); a lost reason exactly when lost.

    Raises:
        SchemaError: missing columns or wrong dtypes.
        BatchValidationError: one `InvalidRowsError` per broken rule, naming the
            first offending rows.

    Examples:
        >>> from lendcrm.synthetic import generate_pipeline
        >>> deals = generate_pipeline(100, seed=7).opportunities
        >>> deals.loc[3, "amount"] = 0.0
        >>> validate_opportunities_frame(deals)
        Traceback (most recent call last):
        ...
        lendcrm.errors.BatchValidationError: 1 of 100 rows are invalid: `opportunities[3].amount` must be a finite number > 0; got 0.0. 1 row fails this rule: 3. (1 sub-exception)
    """
    errors: list[LendCRMError] = []
    try:
        check_frame(
            frame,
            OPPORTUNITY_SPECS,
            frame_name="opportunities",
            unique=(OPPORTUNITY_ID,),
        )
    except BatchValidationError as exc:
        errors.extend(exc.exceptions)  # type: ignore[arg-type]
    errors.extend(opportunity_rules(frame))
    if errors:
        raise BatchValidationError(errors, total=len(frame))


def check_columns(frame: object, names: tuple[str, ...], frame_name: str) -> None:
    """`check_frame` on the opportunities specs of ``names`` only (a fast path).

    Raises:
        InvalidValueError: ``frame`` is not a DataFrame.
        SchemaError, BatchValidationError: as `check_frame`.
    """
    if not isinstance(frame, pd.DataFrame):
        raise InvalidValueError(
            field=frame_name, value=type(frame).__name__, expected="a pandas DataFrame"
        )
    specs: list[ColumnSpec] = [s for s in OPPORTUNITY_SPECS if s.name in names]
    check_frame(frame, specs, frame_name=frame_name, require_rows=False)
