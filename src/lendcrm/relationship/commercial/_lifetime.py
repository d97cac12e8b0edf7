r"""Client lifetime value: the expected discounted value of a relationship over its life.

With $Q$ the live-stage block of a `StageChain` (acquisition to decline), $r$ the
profit per period in each live stage and $\beta = 1/(1+d)$ the discount factor of the
rate $d > -1$, the value of a client now in stage $s$ is

$$V = \sum_{t=0}^{T-1} (\beta Q)^t r
    = \bigl(I - (\beta Q)^T\bigr)(I - \beta Q)^{-1} r,
\qquad V_\infty = (I - \beta Q)^{-1} r,$$

read at row $s$; an exited client is worth 0. Convention: the profit of the current
period is earned now (undiscounted), then the client moves. The infinite sum converges
when $\beta\,\rho(Q) < 1$ ($\rho$ the spectral radius); a negative rate needs a
finite horizon or a chain whose clients leave fast enough.

Risk-adjusted: $r = \text{profit} - \text{EL} - \text{capital cost}$ per stage, the
`lendcrm.segmentation.risk_adjusted_value` of each stage.

The batch face solves one 5x5 system and indexes it, so a million clients cost one
gather (profits may also differ per client: ``(n, 5)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray, as_float_array
from lendcrm._validators import require_instance
from lendcrm.errors import InvalidValueError
from lendcrm.relationship.commercial._checks import whole_number
from lendcrm.relationship.commercial._stage_chain import (
    CLIENT_STAGES,
    StageChain,
    stage_code,
)
from lendcrm.segmentation import risk_adjusted_value

__all__ = [
    "client_lifetime_value",
    "lifetime_value",
    "stage_codes",
    "value_operator",
]

_LIVE: Final = len(CLIENT_STAGES) - 1
#: Stage value to code (a `ClientStage` member hashes as its value).
_STAGE_TABLE: Final = {s.value: i for i, s in enumerate(CLIENT_STAGES)}
#: Stop the one-client sum when the mass left, discounted, is below this.
_TAIL: Final = 1e-15


def stage_codes(stages: npt.ArrayLike, *, name: str = "stage") -> IntArray:
    """Stage names (or `ClientStage` members) to `CLIENT_STAGES` positions, vectorised.

    Raises:
        InvalidValueError: a value is not a client stage (names the first index).

    Examples:
        >>> stage_codes(["growth", "exited", "growth"]).tolist()
        [2, 5, 2]
    """
    values = np.asarray(stages, dtype=object).ravel()
    table = _STAGE_TABLE
    codes = np.fromiter(
        (table.get(v, -1) if isinstance(v, str) else -1 for v in values),
        dtype=np.int64,
        count=values.shape[0],
    )
    for i in np.flatnonzero(codes < 0):  # not a stage's text: members of other types
        codes[i] = stage_code(values[i], name=f"{name}[{i}]")
    return codes


def _rate(discount_rate: float) -> float:
    d = as_float_array(discount_rate, name="discount_rate", lower=-1.0, lower_open=True)
    if d.size != 1:
        raise InvalidValueError(
            field="discount_rate", value=d.tolist(), expected="one rate"
        )
    return float(d[0])


def _horizon(horizon: int | None) -> int | None:
    if horizon is None:
        return None
    return whole_number(horizon, name="horizon", lower=0)


def _per_stage(values: npt.ArrayLike, name: str, lower: float | None) -> FloatArray:
    numeric = isinstance(values, np.ndarray) and values.dtype.kind in "fiu"
    if not numeric:  # text, booleans, None: refused item by item, by name
        as_float_array(np.asarray(values, dtype=object).ravel(), name=name)
    a = np.asarray(values, dtype=np.float64)
    if a.ndim not in (1, 2) or a.shape[-1] != _LIVE:
        raise InvalidValueError(
            field=name,
            value=f"shape {a.shape}",
            expected=f"one value per live stage: shape ({_LIVE},) or (n, {_LIVE})",
        )
    as_float_array(a.ravel(), name=name, lower=lower)
    return a


def _spread(values: npt.ArrayLike) -> npt.ArrayLike:
    """A scalar is the same amount in every live stage."""
    return np.full(_LIVE, values, dtype=np.float64) if np.ndim(values) == 0 else values


def _net(
    profit: npt.ArrayLike, expected_loss: npt.ArrayLike, capital_cost: npt.ArrayLike
) -> FloatArray:
    p = _per_stage(profit, "profit_per_stage", None)
    el = _per_stage(_spread(expected_loss), "expected_loss_per_stage", 0.0)
    cc = _per_stage(_spread(capital_cost), "capital_cost_per_stage", 0.0)
    shape = np.broadcast_shapes(p.shape, el.shape, cc.shape)
    flat = risk_adjusted_value(
        np.broadcast_to(p, shape).ravel(),
        np.broadcast_to(el, shape).ravel(),
        np.broadcast_to(cc, shape).ravel(),
    )
    return flat.reshape(shape)


def value_operator(
    chain: StageChain, discount_rate: float, horizon: int | None
) -> FloatArray:
    """The 5x5 matrix ``M`` with ``V = M r`` (see the module formula).

    Raises:
        InvalidValueError: discount rate <= -1, a bad horizon, or an infinite
            horizon whose sum diverges.
    """
    require_instance(chain, StageChain, name="chain", what="a StageChain")
    d, t = _rate(discount_rate), _horizon(horizon)
    bq = chain.transient / (1.0 + d)
    if t is None:
        rho = float(max(abs(np.linalg.eigvals(bq))))
        if rho >= 1.0 - 1e-12:
            raise InvalidValueError(
                field="discount_rate",
                value=d,
                expected=f"a rate with spectral radius of Q/(1 + rate) < 1 (got "
                f"{rho:.6g}) so the lifetime sum converges",
                hint="Pass a finite `horizon` or a higher rate.",
            )
        return np.linalg.inv(np.eye(_LIVE) - bq).astype(np.float64)
    out, power = np.zeros((_LIVE, _LIVE)), np.eye(_LIVE)
    for _ in range(t):
        out += power
        power = power @ bq
    return out


def lifetime_value(
    stages: npt.ArrayLike,
    profit_per_stage: npt.ArrayLike,
    *,
    chain: StageChain,
    discount_rate: float,
    horizon: int | None = None,
    expected_loss_per_stage: npt.ArrayLike = 0.0,
    capital_cost_per_stage: npt.ArrayLike = 0.0,
) -> FloatArray:
    r"""Expected discounted, risk-adjusted value of each client's remaining life.

    Args:
        stages: Each client's stage (names, `ClientStage` members, or codes from
            `stage_codes` as an int array), shape ``(n,)``.
        profit_per_stage: Profit per period in each live stage (acquisition,
            activation, growth, maturity, decline), before expected loss: shape
            ``(5,)`` for all clients or ``(n, 5)`` per client.
        chain: The per-period stage chain.
        discount_rate: Per-period rate, > -1.
        horizon: Periods to count (``None``: the whole remaining life).
        expected_loss_per_stage: Expected loss per period, >= 0, a scalar, ``(5,)``
            or ``(n, 5)``.
        capital_cost_per_stage: Cost of capital per period, >= 0, likewise.

    Returns:
        Float64 array ``(n,)``; 0 for exited clients.

    Raises:
        InvalidValueError: discount rate <= -1, a divergent infinite sum, an unknown
            stage, a bad horizon, shapes that do not match (names the argument).

    Examples:
        >>> m = np.eye(6)
        >>> m[2] = [0, 0, 0.8, 0, 0, 0.2]
        >>> chain = StageChain(matrix=m)
        >>> lifetime_value(["growth", "exited"], [0, 0, 100.0, 0, 0], chain=chain,
        ...     discount_rate=0.25).tolist()
        [277.77777777777777, 0.0]
    """
    codes = _codes(stages)
    r = _net(profit_per_stage, expected_loss_per_stage, capital_cost_per_stage)
    m = value_operator(chain, discount_rate, horizon)
    out = np.zeros(codes.shape[0], dtype=np.float64)
    live = codes < _LIVE
    if r.ndim == 1:
        v = np.append(m @ r, 0.0)
        return v[codes]
    if r.shape[0] != codes.shape[0]:
        raise InvalidValueError(
            field="profit_per_stage",
            value=f"{r.shape[0]} rows",
            expected=f"one row per client ({codes.shape[0]})",
        )
    rows = np.flatnonzero(live)
    out[rows] = np.einsum("ij,ij->i", m[codes[rows]], r[rows])
    return out


def _codes(stages: npt.ArrayLike) -> IntArray:
    a = np.asarray(stages)
    if np.issubdtype(a.dtype, np.integer):
        a = a.ravel().astype(np.int64)
        bad = (a < 0) | (a > _LIVE)
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidValueError(
                field=f"stages[{i}]",
                value=int(a[i]),
                expected=f"a stage code in 0..{_LIVE}",
            )
        return a
    return stage_codes(a, name="stages")


def client_lifetime_value(
    stage: object,
    profit_per_stage: Sequence[float],
    *,
    chain: StageChain,
    discount_rate: float,
    horizon: int | None = None,
    expected_loss_per_stage: Sequence[float] | float = 0.0,
    capital_cost_per_stage: Sequence[float] | float = 0.0,
) -> float:
    r"""Lifetime value of one client, by stepping its stage distribution forward.

    The one-entity face of `lifetime_value`: it sums $\beta^t \pi_t r$ period by
    period (without the matrix inverse) until the horizon or until what is left is
    negligible, so it checks the closed form.

    Raises:
        InvalidValueError: as `lifetime_value`.

    Examples:
        >>> m = np.eye(6)
        >>> m[2] = [0, 0, 0.8, 0, 0, 0.2]
        >>> round(client_lifetime_value("growth", [0, 0, 100.0, 0, 0],
        ...     chain=StageChain(matrix=m), discount_rate=0.25), 6)
        277.777778
    """
    s = stage_code(stage)
    r = _net(profit_per_stage, expected_loss_per_stage, capital_cost_per_stage)
    value_operator(chain, discount_rate, horizon)  # same checks, same errors
    if s == _LIVE:
        return 0.0
    beta, q = 1.0 / (1.0 + _rate(discount_rate)), chain.transient
    pi, total, t = np.eye(_LIVE)[s], 0.0, 0
    while horizon is None or t < horizon:
        total += float(pi @ r)
        pi = beta * (pi @ q)
        t += 1
        if (
            horizon is None
            and float(np.abs(pi).sum()) * (1.0 + float(np.abs(r).max())) < _TAIL
        ):
            break
    return total
