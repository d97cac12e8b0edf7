"""Rule-based stage assessment: which lifecycle stage each client is in, and why.

Each `StageRule` votes for one stage with a vectorised boolean mask over the whole
book; a client's assessed stage is the first stage, in the `StageRules` precedence,
that has a rule firing, else the default stage. The reason codes are the names of
every rule that fired. Everything here is numpy: one pass, no loop over clients, and
each client's answer depends on its own row only (the assessment is partition-safe).

pandas lives in `lendcrm.lifecycle.frames` (`assess_stages`), which checks the frame
and calls `assess_signals`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import BoolArray
from lendcrm._dates import check_as_of
from lendcrm._messages import range_text
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError, LendCRMError, RuleError, SchemaError
from lendcrm.lifecycle._rules import StageRule, StageRules
from lendcrm.lifecycle._signals import (
    SIGNAL_SPECS,
    SignalSpec,
    StageSignals,
    example_columns,  # noqa: F401 - doctests
    signals_unchecked,
)
from lendcrm.lifecycle._states import ClientStage

__all__ = [
    "STAGE_ORDER",
    "StageAssessment",
    "StageAssessments",
    "assess_signals",
    "assess_stage",
]

#: Client stages in enum order; stage codes in `StageAssessments` index this tuple.
STAGE_ORDER: Final[tuple[ClientStage, ...]] = tuple(ClientStage)
_CODE: Final = {stage: i for i, stage in enumerate(STAGE_ORDER)}


@attrs.frozen(kw_only=True, eq=False)
class StageAssessments:
    """The assessed stage and the fired rules of every client (numpy face).

    Attributes:
        as_of: The signals' date.
        stage_codes: int8, shape ``(n,)``: index into ``tuple(ClientStage)``.
        fired: bool, shape ``(n, k)``: ``fired[i, j]`` is true when rule ``j``
            fired for client ``i`` (a transposed view of a rule-major array).
        rule_names: The ``k`` rule names, in the order of ``fired``'s columns.
    """

    as_of: dt.date
    stage_codes: npt.NDArray[np.int8]
    fired: npt.NDArray[np.bool_]
    rule_names: tuple[str, ...]

    def __len__(self) -> int:
        """Number of clients."""
        return len(self.stage_codes)

    def stages(self) -> npt.NDArray[np.object_]:
        """Assessed stages as an object array of `ClientStage`, shape ``(n,)``.

        Examples:
            >>> import datetime as dt
            >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
            >>> [str(s) for s in assess_signals(sig, rules=StageRules.builtin()).stages()]
            ['acquisition', 'growth', 'decline']
        """
        return np.array(STAGE_ORDER, dtype=object)[self.stage_codes]

    def reasons(self, i: int) -> tuple[str, ...]:
        """Names of the rules that fired for client ``i`` (by position).

        Examples:
            >>> import datetime as dt
            >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
            >>> assess_signals(sig, rules=StageRules.builtin()).reasons(1)
            ('exposure_growth', 'revenue_growth', 'product_deepening')
        """
        row = self.fired[i]
        return tuple(
            name for name, hit in zip(self.rule_names, row, strict=True) if hit
        )


def _evaluate(rule: StageRule, signals: StageSignals, n: int) -> BoolArray:
    try:
        mask = rule.evaluate(signals)
    except LendCRMError:
        raise
    except Exception as exc:
        raise RuleError(
            rule=rule.name, kind="stage rule", cause=f"{type(exc).__name__}: {exc}"
        ) from exc
    mask = np.asarray(mask)
    if mask.shape != (n,) or mask.dtype != np.bool_:
        raise RuleError(
            rule=rule.name,
            kind="stage rule",
            cause=(
                f"it returned an array of shape {mask.shape} and dtype {mask.dtype}; "
                f"expected bool of shape ({n},)"
            ),
        )
    return mask


def assess_signals(signals: StageSignals, *, rules: StageRules) -> StageAssessments:
    """Assess every client's stage from its signals, in one vectorised pass.

    Each rule is evaluated once over the whole book. A client's stage is the first
    stage in ``rules.precedence`` with a rule that fired, else ``rules.default_stage``.

    Args:
        signals: The book's signals.
        rules: The rule set (see `StageRules.builtin`).

    Returns:
        The assessments; row ``i`` belongs to client ``i`` of ``signals``.

    Raises:
        InvalidValueError: ``signals`` is not a `StageSignals` or ``rules`` not a
            `StageRules`.
        RuleError: a rule raised, or returned something other than a bool mask of
            the right shape; names the rule.

    Examples:
        >>> import datetime as dt
        >>> sig = StageSignals.from_columns(example_columns(), as_of=dt.date(2026, 6, 30))
        >>> result = assess_signals(sig, rules=StageRules.builtin())
        >>> result.stage_codes
        array([0, 2, 4], dtype=int8)
        >>> result.reasons(2)
        ('on_watchlist', 'past_due', 'covenant_breach', 'rating_downgrade', 'dscr_below_lockup', 'revenue_decline', 'utilisation_surge')
    """
    require_instance(signals, StageSignals, name="signals", what="a StageSignals")
    require_instance(rules, StageRules, name="rules", what="a StageRules")
    n = len(signals)
    k = len(rules.rules)
    votes = np.empty((k, n), dtype=np.bool_)  # one contiguous row per rule
    for j, rule in enumerate(rules.rules):
        votes[j] = _evaluate(rule, signals, n)
    codes = np.full(n, _CODE[rules.default_stage], dtype=np.int8)
    rule_stages = [rule.stage for rule in rules.rules]
    for stage in reversed(rules.precedence):
        rows = [j for j, s in enumerate(rule_stages) if s == stage]
        if rows:
            codes[np.logical_or.reduce(votes[rows], axis=0)] = _CODE[stage]
    fired = votes.T
    return StageAssessments(
        as_of=signals.as_of, stage_codes=codes, fired=fired, rule_names=rules.names
    )


@attrs.frozen(kw_only=True)
class StageAssessment:
    """One client's assessed stage and the rules that fired.

    Attributes:
        as_of: The signals' date.
        stage: The assessed stage.
        reasons: Names of the rules that fired, in rule order.
    """

    as_of: dt.date
    stage: ClientStage
    reasons: tuple[str, ...]


def _scalar(
    row: Mapping[str, object] | Mapping[Hashable, object], spec: SignalSpec
) -> object:
    value = row[spec.name]
    field = f"signals_row.{spec.name}"
    if spec.kind == "bool":
        if not isinstance(value, bool | np.bool_):
            raise InvalidValueError(field=field, value=value, expected="a boolean")
        return bool(value)
    if isinstance(value, bool | np.bool_) or not isinstance(
        value, int | float | np.integer | np.floating
    ):
        raise InvalidValueError(field=field, value=value, expected="a number")
    number = float(value)
    expected = range_text(spec.lower, spec.upper, lower_open=False, upper_open=False)
    if spec.kind == "int":
        expected = expected.replace("a finite number", "a whole number")
    if (
        not np.isfinite(number)
        or (spec.lower is not None and number < spec.lower)
        or (spec.upper is not None and number > spec.upper)
        or (spec.kind == "int" and number != round(number))
    ):
        raise InvalidValueError(field=field, value=value, expected=expected)
    return number


def assess_stage(
    signals_row: Mapping[str, object] | Mapping[Hashable, object],
    *,
    as_of: dt.date,
    rules: StageRules,
) -> StageAssessment:
    """Assess one client from its signals (a mapping keyed by the ``SIG_*`` names).

    Gives the same stage and reasons as `assess_signals` / `assess_stages` give that
    client's row in a batch.

    Args:
        signals_row: One client's signals, e.g. ``frame.loc[label].to_dict()``.
        as_of: The date the signals describe.
        rules: The rule set.

    Raises:
        SchemaError: a signal is missing.
        InvalidValueError: a value has the wrong type or is out of range; names
            ``signals_row.<column>``.
        RuleError: a rule failed.

    Examples:
        >>> import datetime as dt
        >>> row = {k: v[2] for k, v in example_columns().items()}
        >>> a = assess_stage(row, as_of=dt.date(2026, 6, 30), rules=StageRules.builtin())
        >>> a.stage, a.reasons[:2]
        (<ClientStage.DECLINE: 'decline'>, ('on_watchlist', 'past_due'))
    """
    check_as_of(as_of)
    require_instance(
        signals_row, Mapping, name="signals_row", what="a mapping of signals"
    )
    missing = [s.name for s in SIGNAL_SPECS if s.name not in signals_row]
    if missing:
        raise SchemaError(
            frame="signals_row", missing=missing, known=[str(k) for k in signals_row]
        )
    arrays = {
        spec.name: np.array([_scalar(signals_row, spec)]) for spec in SIGNAL_SPECS
    }
    result = assess_signals(signals_unchecked(arrays, as_of=as_of), rules=rules)
    return StageAssessment(
        as_of=as_of,
        stage=STAGE_ORDER[int(result.stage_codes[0])],
        reasons=result.reasons(0),
    )
