"""A required model/policy/rule set/frame given as None or the wrong type (#17, class 4).

Each public function names the parameter in an `InvalidValueError` at its boundary,
instead of an ``AttributeError``/``TypeError`` from deep inside.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import pytest

from lendcrm import Book, Client, ClientId, Money, Sector, segmentation
from lendcrm.errors import InvalidValueError
from lendcrm.frames import book_frames
from lendcrm.lifecycle import (
    CLIENT_LIFECYCLE,
    StageRules,
    StageSignals,
    advance,
    assess_signals,
    example_columns,
    start,
)
from lendcrm.lifecycle.frames import assess_stages
from lendcrm.relationship import (
    RelationshipModels,
    client_facts,
    client_view,
    early_warnings,
    next_best_actions,
)
from lendcrm.relationship.frames import relationship_frame

AS_OF = dt.date(2026, 6, 30)
CLIENT = Client(
    id=ClientId("C-1"),
    legal_name="Nordwind GmbH",
    sector=Sector.MANUFACTURING,
    country="DE",
    onboarded_on=dt.date(2020, 3, 1),
    annual_revenue=Money.of("1", "EUR"),
)
BOOK = Book(clients=(CLIENT,))
FACTS = client_facts(client_ids=["A"])
SIGNALS = StageSignals.from_columns(example_columns(), as_of=AS_OF)
FRAME = pd.DataFrame(example_columns(), index=["P-1", "G-2", "D-3"])
MODELS = RelationshipModels()


CASES: dict[str, tuple[Callable[[object], object], str, str]] = {
    "client_view models": (
        lambda x: client_view(BOOK, "C-1", as_of=AS_OF, models=x),  # type: ignore[arg-type]
        "models",
        "a RelationshipModels",
    ),
    "client_view book": (
        lambda x: client_view(x, "C-1", as_of=AS_OF, models=MODELS),  # type: ignore[arg-type]
        "book",
        "a Book",
    ),
    "relationship_frame models": (
        lambda x: relationship_frame(book_frames(BOOK), as_of=AS_OF, models=x),  # type: ignore[arg-type]
        "models",
        "a RelationshipModels",
    ),
    "early_warnings facts": (
        lambda x: early_warnings(x),  # type: ignore[arg-type]  # noqa: PLW0108
        "facts",
        "a ClientFacts",
    ),
    "early_warnings policy": (
        lambda x: early_warnings(FACTS, policy=x),  # type: ignore[arg-type]
        "policy",
        "an EarlyWarningPolicy",
    ),
    "next_best_actions facts": (
        lambda x: next_best_actions(x),  # type: ignore[arg-type]  # noqa: PLW0108
        "facts",
        "a ClientFacts",
    ),
    "next_best_actions rules": (
        lambda x: next_best_actions(FACTS, rules=x),  # type: ignore[arg-type]
        "rules",
        "an ActionRules",
    ),
    "advance state": (
        lambda x: advance(x, "first_drawdown", on=AS_OF),  # type: ignore[arg-type]
        "state",
        "a LifecycleState",
    ),
    "assess_signals signals": (
        lambda x: assess_signals(x, rules=StageRules.builtin()),  # type: ignore[arg-type]
        "signals",
        "a StageSignals",
    ),
    "assess_signals rules": (
        lambda x: assess_signals(SIGNALS, rules=x),  # type: ignore[arg-type]
        "rules",
        "a StageRules",
    ),
    "assess_stages rules": (
        lambda x: assess_stages(FRAME, as_of=AS_OF, rules=x),  # type: ignore[arg-type]
        "rules",
        "a StageRules",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize(
    ("bad", "shown"), [(None, "None"), ("builtin", "a 'str'"), (3, "a 'int'")]
)
def test_wrong_object_is_named_at_the_boundary(
    case: str, bad: object, shown: str
) -> None:
    call, name, what = CASES[case]
    with pytest.raises(InvalidValueError) as info:
        call(bad)
    assert str(info.value) == f"`{name}` must be {what}; got {shown}."
    assert info.value.field == name


def test_a_right_object_still_passes() -> None:
    state = start(CLIENT_LIFECYCLE, entity_id="C-1")
    assert len(advance(state, "first_drawdown", on=AS_OF).history) == 1
    assert early_warnings(FACTS).score.tolist() == [0.0]


@pytest.mark.parametrize(
    "strategy",
    [
        segmentation.QuantileTiers(),
        segmentation.KMeansTiers(),
        segmentation.ParetoABC(),
        segmentation.RFM(),
        segmentation.WeightedValueScore(),
        segmentation.from_function("revenue", lambda f: f.revenue),
    ],
    ids=lambda s: type(s).__name__,
)
def test_strategies_name_wrong_features(
    strategy: segmentation.SegmentationStrategy,
) -> None:
    with pytest.raises(
        InvalidValueError, match=r"^`features` must be a ClientFeatures; got None\.$"
    ):
        strategy.assign(None)  # type: ignore[arg-type]


def test_factor_matrix_names_wrong_features() -> None:
    with pytest.raises(
        InvalidValueError,
        match=r"^`features` must be a ClientFeatures; got a 'dict'\.$",
    ):
        segmentation.factor_matrix({}, segmentation.Normalisation.MIN_MAX)  # type: ignore[arg-type]
