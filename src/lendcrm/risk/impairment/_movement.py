r"""Between two reporting dates: stage transfers and the ECL movement (IFRS 7 §35H-35I).

**Waterfall order.** The movement of the allowance from the opening date to the
closing date is split in this order, facility by facility (matched by id):

1. **Derecognition**: facilities in the opening book only (repaid, sold, written
   off): minus their opening allowance.
2. **New business**: facilities in the closing book only (originated or purchased):
   plus their closing allowance.
3. **Stage transfers**, facilities in both books: the opening measures restated on
   the closing stage's horizon, minus the opening allowance —
   $ECL^{open}_{stage_{close}} - ECL^{open}_{stage_{open}}$: the effect of moving
   between 12-month and lifetime measurement (§5.5.3, §5.5.5) at unchanged
   parameters.
4. **Parameter changes**, facilities in both books: the closing allowance minus the
   restated one, $ECL^{close} - ECL^{open}_{stage_{close}}$: new PDs, LGDs,
   exposures (repayments) and the unwinding of the discount.

The four parts add up to closing minus opening allowance (to rounding).
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, as_float_array
from lendcrm.errors import InvalidValueError
from lendcrm.risk.impairment._ecl import (
    ExpectedCreditLoss,
    pick_measure,
    stage_codes,
)

__all__ = ["EclMovement", "StageTransfers", "ecl_movement", "stage_transfers"]


@attrs.frozen(kw_only=True)
class StageTransfers:
    """Stage of each facility at two dates, and the 3 x 3 transfer matrix.

    Attributes:
        stage_from: int8 `(n,)`, stage at the first date.
        stage_to: int8 `(n,)`, stage at the second date.
        matrix: float64 `(3, 3)`: row = stage from, column = stage to (index 0 is
            stage 1), the number of facilities (or the sum of the weights given).

    Examples:
        >>> t = stage_transfers([1, 1, 2, 1], [1, 2, 2, 3])
        >>> t.matrix.tolist()
        [[1.0, 1.0, 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
        >>> t.moved.tolist()
        [False, True, False, True]
    """

    stage_from: npt.NDArray[np.int8]
    stage_to: npt.NDArray[np.int8]
    matrix: FloatArray

    @property
    def moved(self) -> npt.NDArray[np.bool_]:
        """True where the stage changed."""
        return np.asarray(self.stage_from != self.stage_to)


def stage_transfers(
    stage_from: npt.ArrayLike,
    stage_to: npt.ArrayLike,
    *,
    weights: npt.ArrayLike | None = None,
) -> StageTransfers:
    """Stage transfers of the same facilities between two dates.

    Args:
        stage_from: Stage 1, 2 or 3 per facility at the first date.
        stage_to: Stage per facility at the second date, same order.
        weights: Optional amount per facility (e.g. exposure) to sum instead of
            counting facilities.

    Returns:
        `StageTransfers`.

    Raises:
        InvalidValueError: a stage other than 1, 2, 3 (naming the row), or lengths
            that differ.

    Examples:
        >>> stage_transfers([1, 2], [2, 2], weights=[100.0, 50.0]).matrix[0].tolist()
        [0.0, 100.0, 0.0]
    """
    before = np.asarray(stage_from)
    n = 1 if before.ndim == 0 else before.shape[0]
    s0 = _named(stage_from, n, "stage_from")
    s1 = _named(stage_to, n, "stage_to")
    if weights is None:
        amounts = np.ones(n)
    else:
        amounts = as_float_array(weights, name="weights")
        if amounts.shape[0] != n:
            raise InvalidValueError(
                field="weights",
                value=f"length {amounts.shape[0]}",
                expected=f"one per facility ({n})",
            )
    cells = (s0.astype(np.int64) - 1) * 3 + (s1.astype(np.int64) - 1)
    matrix = np.bincount(cells, weights=amounts, minlength=9).reshape(3, 3)
    return StageTransfers(stage_from=s0, stage_to=s1, matrix=matrix.astype(np.float64))


def _named(stage: npt.ArrayLike, n: int, name: str) -> npt.NDArray[np.int8]:
    try:
        return stage_codes(stage, n)
    except InvalidValueError as exc:
        raise InvalidValueError(
            field=exc.field.replace("stage", name, 1),
            value=exc.value,
            expected=exc.expected,
        ) from None


@attrs.frozen(kw_only=True)
class EclMovement:
    """The allowance at two dates and the four parts of its movement (see the module).

    Attributes:
        opening: Allowance at the opening date.
        derecognition: Minus the opening allowance of facilities no longer held.
        new_business: Closing allowance of facilities not held at the opening date.
        stage_transfers: Effect of the change of measure on facilities in both books.
        parameter_changes: The rest of the change on facilities in both books.
        closing: Allowance at the closing date.
        transfers: `StageTransfers` of the facilities in both books (counts).

    Examples:
        >>> from lendcrm.risk.impairment import expected_credit_loss
        >>> e1 = expected_credit_loss([[0.1, 0.1]], 0.5, [[100.0, 100.0]], 0.0, stage=1)
        >>> e2 = expected_credit_loss([[0.1, 0.2]], 0.5, [[100.0, 100.0]], 0.0, stage=2)
        >>> m = ecl_movement(["A"], e1, ["A"], e2)
        >>> m.opening, m.stage_transfers, m.parameter_changes, m.closing
        (5.0, 5.0, 5.0, 15.0)
    """

    opening: float
    derecognition: float
    new_business: float
    stage_transfers: float
    parameter_changes: float
    closing: float
    transfers: StageTransfers

    def rows(self) -> list[tuple[str, float]]:
        """The waterfall as (label, amount) rows, opening to closing."""
        return [
            ("opening", self.opening),
            ("derecognition", self.derecognition),
            ("new business", self.new_business),
            ("stage transfers", self.stage_transfers),
            ("parameter changes", self.parameter_changes),
            ("closing", self.closing),
        ]


def _ids(ids: npt.ArrayLike, n: int, name: str) -> npt.NDArray[np.generic]:
    arr = np.asarray(ids)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise InvalidValueError(
            field=name,
            value=f"array of shape {arr.shape}",
            expected=f"one id per facility of its ECL ({n})",
        )
    if arr.dtype.kind not in "iuU":
        # Object arrays (ids from lists or pandas) must hold text only: a None or a
        # number among strings cannot be ordered, so it is named here instead.
        text = np.fromiter((isinstance(v, str) for v in arr.tolist()), bool, n)
        if not text.all():
            k = int(np.argmin(text))
            raise InvalidValueError(
                field=f"{name}[{k}]",
                value=arr[k],
                expected="a facility id (text, or integers for the whole array)",
            )
    uniq, counts = np.unique(arr, return_counts=True)
    if (counts > 1).any():
        raise InvalidValueError(
            field=name,
            value=uniq[counts > 1][0].item(),
            expected="unique facility ids (this id appears more than once)",
        )
    return arr


def ecl_movement(
    opening_ids: npt.ArrayLike,
    opening: ExpectedCreditLoss,
    closing_ids: npt.ArrayLike,
    closing: ExpectedCreditLoss,
) -> EclMovement:
    """Split the change in the allowance between two dates (waterfall: see the module).

    Args:
        opening_ids: Facility id of each row of `opening` (unique).
        opening: `ExpectedCreditLoss` at the opening date.
        closing_ids: Facility id of each row of `closing` (unique).
        closing: `ExpectedCreditLoss` at the closing date.

    Returns:
        `EclMovement`; its parts add up to closing minus opening.

    Raises:
        InvalidValueError: ids not one per row, or an id twice.

    Examples:
        Facility A moves from stage 1 to 2, B is repaid, C is new:

        >>> from lendcrm.risk.impairment import expected_credit_loss
        >>> open_ = expected_credit_loss([[0.1, 0.1], [0.1, 0.1]], 0.5,
        ...                              [[100.0, 100.0], [10.0, 10.0]], 0.0, stage=1)
        >>> close = expected_credit_loss([[0.2, 0.2], [0.1, 0.1]], 0.5,
        ...                              [[100.0, 100.0], [20.0, 20.0]], 0.0, stage=[2, 1])
        >>> m = ecl_movement(["A", "B"], open_, ["A", "C"], close)
        >>> [(label, round(v, 2)) for label, v in m.rows()]  # doctest: +NORMALIZE_WHITESPACE
        [('opening', 5.5), ('derecognition', -0.5), ('new business', 1.0),
         ('stage transfers', 5.0), ('parameter changes', 10.0), ('closing', 21.0)]
    """
    for name, value in (("opening", opening), ("closing", closing)):
        if not isinstance(value, ExpectedCreditLoss):
            raise InvalidValueError(
                field=name, value=value, expected="an ExpectedCreditLoss"
            )
    a = _ids(opening_ids, opening.ecl.shape[0], "opening_ids")
    b = _ids(closing_ids, closing.ecl.shape[0], "closing_ids")
    _, ia, ib = np.intersect1d(a, b, assume_unique=True, return_indices=True)
    kept_a = np.zeros(a.shape[0], dtype=bool)
    kept_a[ia] = True
    kept_b = np.zeros(b.shape[0], dtype=bool)
    kept_b[ib] = True
    restated = pick_measure(
        closing.stage[ib],
        opening.twelve_month[ia],
        opening.lifetime[ia],
        opening.credit_impaired[ia],
    )
    return EclMovement(
        opening=float(opening.ecl.sum()),
        derecognition=0.0 - float(opening.ecl[~kept_a].sum()),
        new_business=float(closing.ecl[~kept_b].sum()),
        stage_transfers=float((restated - opening.ecl[ia]).sum()),
        parameter_changes=float((closing.ecl[ib] - restated).sum()),
        closing=float(closing.ecl.sum()),
        transfers=stage_transfers(opening.stage[ia], closing.stage[ib]),
    )
