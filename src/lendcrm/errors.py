"""Every exception lendcrm raises, under one root.

``except lendcrm.errors.LendCRMError`` catches anything the library raises on purpose.
Where the meaning matches a builtin, the exception subclasses it too, so callers that
already catch ``ValueError`` or ``LookupError`` keep working.

```
LendCRMError
├── InvalidValueError (+ ValueError)          .field .value .expected
│   ├── CurrencyMismatchError                 .left .right .operation
│   ├── InvalidRowsError                      .frame .column .rows .count
│   ├── SchemaError                           .frame .missing .unexpected .wrong_dtype
│   └── InfeasibleConstraintError             a constraint no solution can satisfy
├── BatchValidationError (+ ExceptionGroup)   many values failed; .exceptions .total
├── UnknownReferenceError (+ LookupError)     .kind .key .known
├── LifecycleError
│   ├── LifecycleDefinitionError              a machine table that cannot ship
│   ├── IllegalTransitionError (+ ValueError) .stage .event .allowed
│   ├── GuardRefusedError (+ ValueError)      .stage .event .reason
│   ├── OutOfOrderTransitionError (+ ValueError) .last_on .on
│   └── TamperedHistoryError                  .index .reason
├── StrategyError
│   └── UnknownStrategyError (+ LookupError)  .name .known
├── ModelError
│   ├── ConvergenceError                      .model .iterations .detail
│   └── ModelMismatchError (+ ValueError)     .model .missing .unexpected
└── RuleError                                 .rule .kind (a pluggable rule raised)
LendCRMWarning (UserWarning)
LendCRMDeprecationWarning (DeprecationWarning)
```

Every message is built inside the exception from its attributes, so each kind of error
reads the same wherever it is raised: *what* (in backticks), what was *expected*, what
was *got*, and how to fix it where there is a standard remedy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

from lendcrm._error_pickle import keyword_names, pickle_state, rebuild_error
from lendcrm._messages import (
    MAX_ROWS_SHOWN,
    Raw,
    column_problems,
    did_you_mean,
    group_message,
    row_labels,
)

__all__ = [
    "BatchValidationError",
    "ConvergenceError",
    "CurrencyMismatchError",
    "GuardRefusedError",
    "IllegalTransitionError",
    "InfeasibleConstraintError",
    "InvalidRowsError",
    "InvalidValueError",
    "LendCRMDeprecationWarning",
    "LendCRMError",
    "LendCRMWarning",
    "LifecycleDefinitionError",
    "LifecycleError",
    "ModelError",
    "ModelMismatchError",
    "OutOfOrderTransitionError",
    "RuleError",
    "SchemaError",
    "StrategyError",
    "TamperedHistoryError",
    "UnknownReferenceError",
    "UnknownStrategyError",
]


class LendCRMError(Exception):
    """Root of every exception lendcrm raises.

    Examples:
        >>> from lendcrm import Money
        >>> try:
        ...     Money.of("1", "XYZ")
        ... except LendCRMError as exc:
        ...     print(type(exc).__name__)
        InvalidValueError

    Every subclass pickles: the keyword-only constructor is called again with the
    attributes of the same names, and the notes and ``__cause__`` travel with it (a
    cause that cannot itself be pickled is dropped), so errors cross process
    boundaries (Dask, multiprocessing) intact.
    """

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle through the keyword-only constructor, keeping notes and the cause."""
        names = keyword_names(type(self))
        state = pickle_state(self)
        if names is None:
            return (type(self), self.args, state)
        kwargs = {name: getattr(self, name) for name in names}
        return (rebuild_error, (type(self), kwargs), state)


class InvalidValueError(LendCRMError, ValueError):
    """A value is outside what the domain allows.

    Attributes:
        field: Name or path of the offending value, e.g. ``limit`` or
            ``clients[17].annual_revenue``.
        value: The rejected value, as given.
        expected: What is allowed, in words.
        hint: How to fix it, when there is a standard remedy (may be empty).

    Examples:
        >>> str(InvalidValueError(field="default_probability", value=1.5,
        ...                       expected="a fraction in [0, 1]"))
        '`default_probability` must be a fraction in [0, 1]; got 1.5.'
    """

    def __init__(
        self, *, field: str, value: object, expected: str, hint: str = ""
    ) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        self.hint = hint
        message = f"`{field}` must be {expected}; got {value!r}."
        super().__init__(f"{message} {hint}" if hint else message)


class CurrencyMismatchError(InvalidValueError):
    """Two amounts in different currencies met in one operation.

    Attributes:
        left: Currency code of the left operand.
        right: Currency code of the right operand.
        operation: What was attempted (``"add"``, ``"compare"``, ...).

    Examples:
        >>> print(CurrencyMismatchError(left="EUR", right="USD", operation="add"))
        `currency` must be 'EUR' to add to an amount in EUR; got 'USD'. Convert one amount first with Money.convert(rate, currency).
    """

    def __init__(self, *, left: str, right: str, operation: str) -> None:
        self.left = left
        self.right = right
        self.operation = operation
        super().__init__(
            field="currency",
            value=right,
            expected=f"{left!r} to {operation} to an amount in {left}",
            hint="Convert one amount first with Money.convert(rate, currency).",
        )


class InvalidRowsError(InvalidValueError):
    """Some rows of a frame break one rule; names the first offending row labels.

    Attributes:
        frame: Name of the frame (``clients``, ``signals``, ...).
        column: The column the rule checks.
        rows: The first offending row labels (at most ``MAX_ROWS_SHOWN``).
        count: How many rows break the rule in all.

    Examples:
        >>> err = InvalidRowsError(
        ...     frame="clients", column="annual_revenue", rows=(17, 45),
        ...     count=2, value=float("nan"), expected="a finite number >= 0")
        >>> print(err)
        `clients[17].annual_revenue` must be a finite number >= 0; got nan. 2 rows fail this rule: 17, 45.
    """

    def __init__(
        self,
        *,
        frame: str,
        column: str,
        rows: Sequence[object],
        count: int,
        value: object,
        expected: str,
    ) -> None:
        self.frame = frame
        self.column = column
        self.rows = tuple(rows[:MAX_ROWS_SHOWN])
        self.count = count
        noun = "row fails" if count == 1 else "rows fail"
        super().__init__(
            field=f"{frame}[{rows[0]!r}].{column}" if rows else f"{frame}.{column}",
            value=value,
            expected=expected,
            hint=f"{count} {noun} this rule: {row_labels(rows, count)}.",
        )


class SchemaError(InvalidValueError):
    """A frame lacks required columns, has unexpected ones, or a column's dtype is wrong.

    Attributes:
        frame: Name of the frame.
        missing: Required columns that are absent.
        unexpected: Columns that are present but not allowed.
        wrong_dtype: ``(column, got, expected)`` triples.

    Examples:
        >>> print(SchemaError(frame="clients", missing=("sectr",), known=("sector",)))
        `clients.columns` must be the columns and dtypes of the clients schema; got missing ['sectr']. Did you mean 'sector'?
    """

    def __init__(
        self,
        *,
        frame: str,
        missing: Sequence[str] = (),
        unexpected: Sequence[str] = (),
        wrong_dtype: Sequence[tuple[str, str, str]] = (),
        known: Sequence[str] = (),
    ) -> None:
        self.frame = frame
        self.missing = tuple(missing)
        self.unexpected = tuple(unexpected)
        self.wrong_dtype = tuple(wrong_dtype)
        self.known = tuple(known)
        parts = column_problems(self.missing, self.unexpected)
        parts.extend(f"{c!r} of dtype {g} (needs {e})" for c, g, e in self.wrong_dtype)
        hints = " ".join(
            h for h in (did_you_mean(m, self.known).strip() for m in self.missing) if h
        )
        super().__init__(
            field=f"{frame}.columns",
            value=Raw("; ".join(parts)),
            expected=f"the columns and dtypes of the {frame} schema",
            hint=hints,
        )


class InfeasibleConstraintError(InvalidValueError):
    """A set of constraints that no solution can satisfy (e.g. a minimum bin share).

    Examples:
        >>> print(InfeasibleConstraintError(
        ...     field="age.min_bin_share", value=0.6,
        ...     expected="at most 0.5 so that two bins can exist"))
        `age.min_bin_share` must be at most 0.5 so that two bins can exist; got 0.6.
    """


class BatchValidationError(LendCRMError, ExceptionGroup[LendCRMError]):
    """Many values failed validation; every failure is a child exception.

    The message counts the failures and repeats the first few child messages, so a log
    line alone tells what to fix. Use ``except* InvalidValueError`` to handle children.

    Attributes:
        exceptions: The child exceptions, each with a path-like ``field``.
        total: How many items were checked (rows, records, entities).
        what: What the items are (``rows``, ``entities``, ``fields``).

    Examples:
        >>> err = BatchValidationError(
        ...     [InvalidValueError(field="rows[3].limit", value=-1, expected=">= 0")],
        ...     total=10)
        >>> print(err.message)
        1 of 10 rows are invalid: `rows[3].limit` must be >= 0; got -1.
    """

    total: int
    what: str

    def __new__(
        cls, errors: Sequence[LendCRMError], *, total: int, what: str = "rows"
    ) -> Self:
        """Build the group; the message is derived from the children."""
        self = super().__new__(cls, group_message(errors, total, what), list(errors))
        self.total = total
        self.what = what
        return self

    def __init__(
        self, errors: Sequence[LendCRMError], *, total: int, what: str = "rows"
    ) -> None:
        super().__init__(group_message(errors, total, what), list(errors))

    def derive(self, excs: Sequence[LendCRMError]) -> BatchValidationError:  # type: ignore[override]
        """Rebuild with a subset of children (used by ``except*``)."""
        return BatchValidationError(excs, total=self.total, what=self.what)

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle through the constructor, keeping notes and the cause."""
        args = (tuple(self.exceptions), self.total, self.what)
        return (_rebuild_group, args, pickle_state(self))


def _rebuild_group(
    errors: tuple[LendCRMError, ...], total: int, what: str
) -> BatchValidationError:
    return BatchValidationError(errors, total=total, what=what)


class UnknownReferenceError(LendCRMError, LookupError):
    """An id refers to nothing: a facility's client missing from the book, etc.

    Attributes:
        kind: What kind of thing was looked up (``client``, ``facility``, ...).
        key: The id that was not found.
        field: Where the reference came from (may be empty).
        known: Some known ids, for the did-you-mean hint.

    Examples:
        >>> print(UnknownReferenceError(kind="client", key="C-9", known=("C-1", "D-7")))
        No client with id 'C-9'. Did you mean 'C-1'?
    """

    def __init__(
        self,
        *,
        kind: str,
        key: object,
        field: str = "",
        known: Sequence[str] = (),
    ) -> None:
        self.kind = kind
        self.key = key
        self.field = field
        self.known = tuple(known)
        where = f" (referenced by `{field}`)" if field else ""
        hint = did_you_mean(str(key), self.known)
        super().__init__(f"No {kind} with id {key!r}{where}.{hint}")

    def __str__(self) -> str:
        """The message (LookupError would otherwise repr it like KeyError)."""
        return str(self.args[0])


class LifecycleError(LendCRMError):
    """Root of the lifecycle errors."""


class LifecycleDefinitionError(LifecycleError):
    """A state-machine table that breaks a definition rule; it cannot be used.

    Attributes:
        machine: The machine's name.
        problems: Every rule broken, in words.

    Examples:
        >>> print(LifecycleDefinitionError(
        ...     machine="client", problems=("stage 'exited' is terminal but has exits",)))
        Machine 'client' is not valid: stage 'exited' is terminal but has exits.
    """

    def __init__(self, *, machine: str, problems: Sequence[str]) -> None:
        self.machine = machine
        self.problems = tuple(problems)
        super().__init__(f"Machine {machine!r} is not valid: {'; '.join(problems)}.")


class IllegalTransitionError(LifecycleError, ValueError):
    """An event that the current stage does not allow.

    Attributes:
        stage: The current stage.
        event: The refused event.
        allowed: The events the stage does allow (empty for terminal stages).
        subject: What is moving (``client``, ``facility``, ``project``).

    Examples:
        >>> print(IllegalTransitionError(
        ...     stage="acquisition", event="exit", allowed=("onboard", "drop")))
        Cannot apply event 'exit' to a client in stage 'acquisition'. Allowed events from 'acquisition': onboard, drop.
    """

    def __init__(
        self,
        *,
        stage: str,
        event: str,
        allowed: Sequence[str],
        subject: str = "client",
    ) -> None:
        self.stage = stage
        self.event = event
        self.allowed = tuple(allowed)
        self.subject = subject
        allowed_text = (
            ", ".join(str(a) for a in self.allowed)
            if self.allowed
            else f"none ('{stage}' is terminal)"
        )
        super().__init__(
            f"Cannot apply event '{event}' to a {subject} in stage '{stage}'. "
            f"Allowed events from '{stage}': {allowed_text}."
        )


class GuardRefusedError(LifecycleError, ValueError):
    """A guard refused a transition that the table allows; carries the guard's reason.

    Attributes:
        stage: The current stage.
        event: The refused event.
        guard: The guard's name.
        reason: Why the guard refused.

    Examples:
        >>> print(GuardRefusedError(
        ...     stage="decline", event="exit", guard="reason_given",
        ...     reason="an exit needs a written reason"))
        Guard 'reason_given' refused event 'exit' in stage 'decline': an exit needs a written reason.
    """

    def __init__(self, *, stage: str, event: str, guard: str, reason: str) -> None:
        self.stage = stage
        self.event = event
        self.guard = guard
        self.reason = reason
        super().__init__(
            f"Guard {guard!r} refused event '{event}' in stage '{stage}': {reason}."
        )


class OutOfOrderTransitionError(LifecycleError, ValueError):
    """A transition dated before the last recorded one.

    Examples:
        >>> import datetime as dt
        >>> print(OutOfOrderTransitionError(
        ...     last_on=dt.date(2026, 3, 1), on=dt.date(2026, 2, 1)))
        A transition on 2026-02-01 cannot follow the last one on 2026-03-01: dates may not go backwards.
    """

    def __init__(self, *, last_on: object, on: object) -> None:
        self.last_on = last_on
        self.on = on
        super().__init__(
            f"A transition on {on} cannot follow the last one on {last_on}: "
            "dates may not go backwards."
        )


class TamperedHistoryError(LifecycleError):
    """An audit history whose hash chain is broken.

    Attributes:
        index: Position of the first record that fails verification.
        reason: What failed (hash mismatch, broken link, ...).

    Examples:
        >>> print(TamperedHistoryError(index=3, reason="its hash does not match its content"))
        History record 3 fails verification: its hash does not match its content.
    """

    def __init__(self, *, index: int, reason: str) -> None:
        self.index = index
        self.reason = reason
        super().__init__(f"History record {index} fails verification: {reason}.")


class StrategyError(LendCRMError):
    """Root of the errors about pluggable strategies and registries."""


class UnknownStrategyError(StrategyError, LookupError):
    """No strategy (or rule, model) is registered under that name.

    Attributes:
        name: The name asked for.
        known: The registered names.
        kind: What was looked up (``segmentation strategy``, ``stage rule``...).

    Examples:
        >>> print(UnknownStrategyError(name="pareto", known=("pareto_abc", "rfm")))
        No segmentation strategy named 'pareto'. Did you mean 'pareto_abc'? Registered: pareto_abc, rfm.
    """

    def __init__(
        self,
        *,
        name: str,
        known: Sequence[str],
        kind: str = "segmentation strategy",
    ) -> None:
        self.name = name
        self.known = tuple(sorted(known))
        self.kind = kind
        registered = ", ".join(self.known) if self.known else "none"
        super().__init__(
            f"No {kind} named {name!r}.{did_you_mean(name, self.known)} "
            f"Registered: {registered}."
        )

    def __str__(self) -> str:
        """The message (LookupError would otherwise repr it like KeyError)."""
        return str(self.args[0])


class ModelError(LendCRMError):
    """Root of the errors about fitting and applying models."""


class ConvergenceError(ModelError):
    """An iterative fit did not converge.

    Examples:
        >>> print(ConvergenceError(model="logistic", iterations=100,
        ...                        detail="separation: a coefficient diverges"))
        Model 'logistic' did not converge after 100 iterations: separation: a coefficient diverges.
    """

    def __init__(self, *, model: str, iterations: int, detail: str) -> None:
        self.model = model
        self.iterations = iterations
        self.detail = detail
        super().__init__(
            f"Model {model!r} did not converge after {iterations} iterations: {detail}."
        )


class ModelMismatchError(ModelError, ValueError):
    """A fitted model applied to data with other columns than it was fitted on.

    Examples:
        >>> print(ModelMismatchError(model="scorecard", missing=("age",),
        ...                          unexpected=("agee",)))
        Model 'scorecard' was fitted on other columns: missing ['age']; unexpected ['agee'].
    """

    def __init__(
        self,
        *,
        model: str,
        missing: Sequence[str] = (),
        unexpected: Sequence[str] = (),
    ) -> None:
        self.model = model
        self.missing = tuple(missing)
        self.unexpected = tuple(unexpected)
        parts = column_problems(self.missing, self.unexpected)
        super().__init__(
            f"Model {model!r} was fitted on other columns: {'; '.join(parts)}."
        )


class RuleError(LendCRMError):
    """A pluggable rule raised while it was applied; names the rule.

    Examples:
        >>> print(RuleError(rule="limit_increase", kind="next-best-action rule",
        ...                 cause="ZeroDivisionError: division by zero"))
        The next-best-action rule 'limit_increase' failed: ZeroDivisionError: division by zero.
    """

    def __init__(self, *, rule: str, kind: str, cause: str) -> None:
        self.rule = rule
        self.kind = kind
        self.cause = cause
        super().__init__(f"The {kind} {rule!r} failed: {cause}.")


class LendCRMWarning(UserWarning):
    """Something worked but deserves attention (a documented fallback was used)."""


class LendCRMDeprecationWarning(DeprecationWarning):
    """A name will be removed; the message names the replacement and the version."""
