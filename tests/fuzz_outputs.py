"""What a fuzzed call may return: no NaN or infinity unless documented (#17, item 6).

`check_outputs` walks a result — numbers, numpy arrays, pandas frames and series,
attrs objects' fields, tuples, lists and mappings — and fails on a NaN or an infinity
in a numeric value, unless the value's path matches an entry of `MAY_HOLD_NAN`, each
with the reason the documentation gives. `check_call` runs one fuzzed call: a
`lendcrm.errors.LendCRMError` is the refusal the fuzz wants; any other exception
fails the test, and a call that succeeds has its outputs checked.
"""

from __future__ import annotations

import decimal
import fnmatch
import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final, cast

import attrs
import numpy as np
import pandas as pd

import lendcrm
from lendcrm.errors import LendCRMError

Call = tuple[Callable[..., object], dict[str, Any]]

# "<call name>:<path>" glob -> why that output may hold NaN or infinity (documented)
MAY_HOLD_NAN: dict[str, str] = {
    "pricing.relationship_raroc_by_code:out.raroc": (
        "NaN where a client consumes no capital (deposit- or fee-only)"
    ),
    "relationship.price_relationships:out.*": (
        "RelationshipPrices: raroc NaN without capital, rate_gap NaN unpriced"
    ),
    "*fit_stage_probabilities*:out.credibility": (
        "StageProbabilities.credibility: inf where the segments do not differ"
    ),
    "commercial.frames.conversion_funnel:out.conversion": "NaN for the won row",
    "commercial.frames.stage_ages:out": "NaN for closed deals (no open stage)",
    "commercial.product_gaps:out.peer_rate": "ProductGaps.peer_rate: NaN without peers",
    "commercial.value_frames.cross_sell_frame:out.next_product_*": (
        "NaN where a client has no next product"
    ),
    "relationship.frames.facts_from_frame:out.*": (
        "ClientFacts: NaN where the frame has no such signal (no DSCR, no feedback)"
    ),
    "*completion*:out.median_days_to_close": "Completion: NaN when none is done",
    "workflows.*:out*.client_capacity": "Coverage.client_capacity: inf for no limit",
    "workflows.frames.managers_frame:out.*_capacity": "missing capacities as NaN",
    "workflows.service_frames.contact_standard_frame:out.days_since_contact": (
        "NaN for a client never contacted"
    ),
    "relationship.client_facts:out.*": "ClientFacts: NaN where a signal is not given",
    "*relationship*:out*.dscr*": "DSCR columns: NaN when no project DSCR is tested",
    "*relationship*:out*.value_score": "NaN when not tiered",
    "*relationship*:out*.score": "NaN without a scorecard",
    "*relationship*:out*.scored_pd": "NaN without a scorecard",
    "relationship.frames.value_trends:out.*_slope": "NaN with fewer than two points",
    "*relationship*:out*.expected_loss": "ClientView: NaN without pricing parameters",
    "*relationship*:out*.capital": "ClientView: NaN without pricing parameters",
    "*relationship*:out*.eva": "ClientView: NaN without pricing parameters",
    "*relationship*:out*.rate_gap": "NaN unpriced (RelationshipPrices.rate_gap)",
    "*relationship*:out*.days_since_contact": "NaN for a client never contacted",
    "*:out*.claim_rank": "collateral claim rank: missing means no ranked claim",
    "*:out*.lock_up_level": "covenant lock-up level: optional, missing when none",
    "*:out*.default_level": "covenant default level: NaN when there is none",
    "project_finance.CashFlowArrays:out.debt_*": (
        "CashFlowArrays: debt_service NaN when unset, debt_rate NaN when unknown"
    ),
    "project_finance.StatementArrays:out.amounts": (
        "StatementArrays.amounts: NaN where a statement item is not given"
    ),
    "*:out*.workload_capacity": "RM workload capacity: NaN for no limit",
    "capital.frames.collateral_allocation_frame:out.facilities.loan_to_value": (
        "NaN for a facility without secured collateral"
    ),
    "project_finance.frames.covenant_compliance*:out.*": (
        "called with missing='nan': a test without its inputs is NaN, as documented"
    ),
    "scoring.frames.bin_table_frame:out.event_rate": "NaN for an empty bin",
    "scoring.BinRow:out.event_rate": "BinRow.event_rate: NaN for an empty bin",
    "scoring.DroppedFeature:out.value": (
        "DroppedFeature.value: NaN for a constant or collinear feature, inf for "
        "a perfect VIF"
    ),
    "scoring.frames.collinearity_filter_frame:out.value": "NaN for a kept feature",
    "commercial.estimate_stage_probabilities:out.credibility": (
        "inf where the segments do not differ"
    ),
}


def _documented_nan_columns() -> frozenset[str]:
    """Columns whose schema comment (``#:`` in a ``columns.py``) documents NaN."""
    found: set[str] = set()
    root = Path(lendcrm.__file__).parent
    for path in root.rglob("columns.py"):
        comment = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("#:"):
                comment += line
                continue
            match = re.match(r'[A-Z_0-9]+: Final = "([a-z_0-9]+)"', line)
            if match and ("NaN" in comment or "nan" in comment):
                found.add(match.group(1))
            comment = ""
    return frozenset(found)


#: Frame columns documented as able to hold NaN (their schema comment says when).
DOCUMENTED_NAN_COLUMNS: Final = _documented_nan_columns()

_DEPTH = 6
_ITEMS = 64


def _allowed(where: str) -> bool:
    if where.rsplit(".", 1)[-1] in DOCUMENTED_NAN_COLUMNS:
        return True
    return any(fnmatch.fnmatchcase(where, pattern) for pattern in MAY_HOLD_NAN)


def _bad_scalar(value: object, path: str) -> list[str] | None:
    """The verdict on a number (None when `value` is not one)."""
    if isinstance(value, float | np.floating):
        return [] if math.isfinite(value) else [path]
    if isinstance(value, decimal.Decimal):
        return [] if value.is_finite() else [path]
    return None


def _bad_array(
    value: np.ndarray[Any, Any], path: str, depth: int, *, frame: bool = False
) -> list[str]:
    """A float array's verdict; a frame's text column may hold NaN as "missing"."""
    if value.dtype.kind in "fc":
        return [] if np.isfinite(value).all() else [path]
    if value.dtype == object and value.size <= _ITEMS and not frame:
        return _bad_items(list(enumerate(value.ravel())), path, depth)
    return []


def _bad_items(items: list[tuple[Any, object]], path: str, depth: int) -> list[str]:
    return [
        p
        for key, item in items[:_ITEMS]
        for p in _bad_numbers(item, f"{path}[{key}]", depth + 1)
    ]


def _bad_numbers(value: object, path: str, depth: int = 0) -> list[str]:
    """The paths under `value` that hold a NaN or an infinity."""
    if depth > _DEPTH or isinstance(value, str | bytes | bool | type):
        return []
    scalar = _bad_scalar(value, path)
    if scalar is not None:
        return scalar
    if isinstance(value, pd.Series | pd.Index):
        return _bad_array(value.to_numpy(), path, depth, frame=True)
    if isinstance(value, np.ndarray):
        return _bad_array(value, path, depth)
    return _bad_container(value, path, depth)


def _bad_container(value: object, path: str, depth: int) -> list[str]:
    found: list[str] = []
    if isinstance(value, pd.DataFrame):
        for column in value.columns:
            column_values = value[column].to_numpy()
            found += _bad_array(column_values, f"{path}.{column}", depth, frame=True)
    elif attrs.has(type(value)):
        for field in attrs.fields(cast(Any, type(value))):
            found += _bad_numbers(
                getattr(value, field.name), f"{path}.{field.name}", depth + 1
            )
    elif isinstance(value, Mapping):
        found = _bad_items(list(value.items()), path, depth)
    elif isinstance(value, tuple | list):
        found = _bad_items(list(enumerate(value)), path, depth)
    return found


def check_outputs(name: str, result: object) -> None:
    """Fail if `result` holds a NaN or an infinity that `MAY_HOLD_NAN` does not allow."""
    bad = [p for p in _bad_numbers(result, "out") if not _allowed(f"{name}:{p}")]
    assert not bad, f"{name} returned NaN or infinity at {bad[:5]}"


def check_call(
    name: str, function: Callable[..., object], kwargs: dict[str, Any]
) -> None:
    """Run one fuzzed call: a named refusal, or a result with finite numbers."""
    try:
        result = function(**kwargs)
    except LendCRMError:
        return
    check_outputs(name, result)
