"""The columnar face of the core: books to pandas frames and back, and frame validation.

One row per entity in the ``clients``, ``facilities`` and ``projects`` frames; one row
per nested value object in the child frames (collateral, guarantees, covenants,
milestones, drawdowns, cash flows, sponsors, feedback, referrals, repayment terms and
profiles, participations), keyed by the owner's
id and in the owner's order; one row per dated record in the history frames (measures,
ratings, statements, observations, valuations), each owner's rows oldest first and one
per date; one row per contact and per interaction in the ``contacts`` and
``interactions`` frames (keyed by ``client_id``, interactions oldest first). Column names are the `lendcrm.frames.columns` constants
and the dtypes are the ``*_DTYPES`` mappings.

**Lossless rule.** Amounts are float64 in frames and exact ``Decimal`` in entities. An
amount crosses to a frame only if float64 holds it exactly, i.e.
``Decimal(repr(float(x))) == x`` (always true with at most 15 significant digits); anything else is refused with an
`InvalidValueError` telling you to round first, never silently rounded. On the way back
each float becomes ``Decimal(repr(x))``, so ``book_from_frames(book_frames(book)) ==
book``. The numeric *value* survives exactly; trailing zeros (``Decimal("1.50")``
versus ``Decimal("1.5")``, which compare equal) do not.

Missing values: NaN in float columns, NaN in ``str`` columns, NaT in date columns.
Dates are ``datetime64[ns]`` at midnight.

`check_frame` checks any frame against `ColumnSpec` rules in one vectorised pass; the
frames adapters of every layer validate their input with it; it refuses a repeated
column name or row label first (`check_unique_labels`).
"""

from __future__ import annotations

from lendcrm.frames import columns
from lendcrm.frames._check import (
    check_frame,
    check_unique_labels,
    validate_clients_frame,
    validate_facilities_frame,
    validate_projects_frame,
)
from lendcrm.frames._contact_frames import CONTACTS_DTYPES, INTERACTIONS_DTYPES
from lendcrm.frames._history_check import (
    validate_measures_frame,
    validate_observations_frame,
    validate_ratings_frame,
    validate_statements_frame,
    validate_valuations_frame,
)
from lendcrm.frames._history_specs import (
    MEASURES_DTYPES,
    OBSERVATIONS_DTYPES,
    RATINGS_DTYPES,
    STATEMENTS_DTYPES,
    VALUATIONS_DTYPES,
)
from lendcrm.frames._read import (
    book_from_frames,
)
from lendcrm.frames._specs import (
    CASH_FLOWS_DTYPES,
    CLIENTS_DTYPES,
    COLLATERAL_DTYPES,
    COVENANTS_DTYPES,
    DRAWDOWNS_DTYPES,
    FACILITIES_DTYPES,
    FEEDBACK_DTYPES,
    GUARANTEES_DTYPES,
    MILESTONES_DTYPES,
    PARTICIPATIONS_DTYPES,
    PROJECTS_DTYPES,
    REFERRALS_DTYPES,
    REPAYMENT_PROFILES_DTYPES,
    REPAYMENT_TERMS_DTYPES,
    SPONSORS_DTYPES,
    ColumnSpec,
)
from lendcrm.frames._write import (
    BookFrames,
    book_frames,
    clients_frame,
    facilities_frame,
    projects_frame,
)

__all__ = [  # noqa: RUF022 - plain sorted order, as tests/test_public_api.py checks
    "BookFrames",
    "CASH_FLOWS_DTYPES",
    "CLIENTS_DTYPES",
    "COLLATERAL_DTYPES",
    "CONTACTS_DTYPES",
    "COVENANTS_DTYPES",
    "ColumnSpec",
    "DRAWDOWNS_DTYPES",
    "FACILITIES_DTYPES",
    "FEEDBACK_DTYPES",
    "GUARANTEES_DTYPES",
    "INTERACTIONS_DTYPES",
    "MEASURES_DTYPES",
    "MILESTONES_DTYPES",
    "OBSERVATIONS_DTYPES",
    "PARTICIPATIONS_DTYPES",
    "PROJECTS_DTYPES",
    "RATINGS_DTYPES",
    "REFERRALS_DTYPES",
    "REPAYMENT_PROFILES_DTYPES",
    "REPAYMENT_TERMS_DTYPES",
    "SPONSORS_DTYPES",
    "STATEMENTS_DTYPES",
    "VALUATIONS_DTYPES",
    "book_frames",
    "book_from_frames",
    "check_frame",
    "check_unique_labels",
    "clients_frame",
    "columns",
    "facilities_frame",
    "projects_frame",
    "validate_clients_frame",
    "validate_facilities_frame",
    "validate_measures_frame",
    "validate_observations_frame",
    "validate_projects_frame",
    "validate_ratings_frame",
    "validate_statements_frame",
    "validate_valuations_frame",
]
