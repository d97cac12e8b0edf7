r"""Relationship RAROC: what a client's whole relationship earns on its capital.

A client is more than one facility: fee-only services (cash management, advisory)
bring fee income and deposits bring `balance × margin`, neither consuming credit
capital. The formula has one home, `_grouped`; `relationship_raroc` takes client ids
(any labels), `relationship_raroc_by_code` integer client codes (the batch form, which
the relationship view and frame use):

$$RAROC_j = \frac{\sum_{i \in j}(rev_i - fund_i - EL_i - opex_i + r_f C_i)
+ \sum fees_j + \sum_{d \in j} B_d m_d}{\sum_{i \in j} C_i}$$
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import FloatArray, IntArray, align, as_float_array
from lendcrm._validators import is_real_number
from lendcrm.errors import InvalidValueError
from lendcrm.risk.pricing._raroc import HurdleBasis, check_hurdle, pre_tax_hurdle

__all__ = ["RelationshipRaroc", "relationship_raroc", "relationship_raroc_by_code"]


@attrs.frozen(kw_only=True)
class RelationshipRaroc:
    """Profitability of whole client relationships (one row per client).

    Attributes:
        client_ids: Client identifiers, sorted, shape `(k,)` (`relationship_raroc`);
            the client codes `0 .. k-1` for `relationship_raroc_by_code`.
        income: Risk-adjusted income per client: facility revenue − funding − EL −
            operating cost + return on capital + fees + deposit margin.
        capital: Capital per client.
        raroc: income / capital; NaN where a client consumes no capital (deposit- or
            fee-only relationships), since the ratio is undefined there.
        eva: income − pre-tax hurdle × capital: defined for every client.
    """

    client_ids: npt.NDArray[np.str_] | IntArray
    income: FloatArray
    capital: FloatArray
    raroc: FloatArray
    eva: FloatArray


def relationship_raroc(
    *,
    facility_client: npt.ArrayLike,
    revenue: npt.ArrayLike,
    funding_cost: npt.ArrayLike,
    expected_loss: npt.ArrayLike,
    operating_cost: npt.ArrayLike,
    capital: npt.ArrayLike,
    risk_free_rate: float,
    hurdle_rate: float,
    fee_client: npt.ArrayLike = (),
    fee_income: npt.ArrayLike = (),
    deposit_client: npt.ArrayLike = (),
    deposit_balance: npt.ArrayLike = (),
    deposit_margin: npt.ArrayLike = (),
    hurdle_basis: HurdleBasis | str = HurdleBasis.PRE_TAX,
    tax_rate: float = 0.0,
) -> RelationshipRaroc:
    r"""RAROC and EVA of each client's whole relationship: facilities, fees, deposits.

    Facilities bring revenue, costs and capital; fee-only services (cash management,
    advisory) bring fee income; deposits bring `balance × margin`, the margin being the
    funds-transfer credit less the rate paid. Deposits and fees are assumed to consume
    no credit capital. One pass: group sums with `numpy.bincount`.

    Args:
        facility_client: Client id of each facility, shape `(n,)`.
        revenue: Facility interest and fee income per year, `(n,)`.
        funding_cost: Facility cost of funds per year, `(n,)`.
        expected_loss: Facility expected loss per year, >= 0, `(n,)`.
        operating_cost: Facility operating cost per year, >= 0, `(n,)`.
        capital: Facility capital, >= 0, `(n,)`.
        risk_free_rate: Return earned on capital.
        hurdle_rate: Required return on capital; pre-tax by default, as RAROC is;
            once pre-tax, >= `risk_free_rate`.
        fee_client: Client id of each fee record, `(m,)`.
        fee_income: Fee income per year, >= 0, `(m,)`.
        deposit_client: Client id of each deposit, `(d,)`.
        deposit_balance: Average deposit balance, >= 0, `(d,)`.
        deposit_margin: Annual margin on the deposit, fraction, `(d,)`.
        hurdle_basis: `"pre_tax"` (the default) or `"post_tax"` (grossed up with
            `pre_tax_hurdle`).
        tax_rate: Tax rate for a post-tax hurdle, in [0, 1); 0 otherwise.

    Returns:
        A `RelationshipRaroc` with one row per client id.

    Raises:
        InvalidValueError: arrays of a group with different lengths, a hurdle below
            the risk-free rate, negative amounts where refused or non-finite values.

    Notes:
        $$RAROC_j = \frac{\sum_{i \in j}(rev_i - fund_i - EL_i - opex_i + r_f C_i)
        + \sum fees_j + \sum_{d \in j} B_d m_d}{\sum_{i \in j} C_i}$$

    Examples:
        >>> r = relationship_raroc(
        ...     facility_client=["A", "A", "B"], revenue=[6.0, 3.0, 5.0],
        ...     funding_cost=[3.0, 1.5, 2.5], expected_loss=[0.45, 0.2, 0.5],
        ...     operating_cost=[0.4, 0.2, 0.3], capital=[13.0, 6.0, 10.0],
        ...     risk_free_rate=0.03, hurdle_rate=0.12,
        ...     fee_client=["A"], fee_income=[0.5],
        ...     deposit_client=["B", "C"], deposit_balance=[100.0, 50.0],
        ...     deposit_margin=[0.01, 0.01])
        >>> r.client_ids.tolist(), r.raroc.round(4).tolist()
        (['A', 'B', 'C'], [0.2274, 0.3, nan])
    """
    fc = np.asarray(facility_client).astype(str).reshape(-1)
    feec = np.asarray(fee_client).astype(str).reshape(-1)
    depc = np.asarray(deposit_client).astype(str).reshape(-1)
    amounts = _amounts(
        {"facility_client": fc, "fee_client": feec, "deposit_client": depc},
        revenue=revenue,
        funding_cost=funding_cost,
        expected_loss=expected_loss,
        operating_cost=operating_cost,
        capital=capital,
        risk_free_rate=risk_free_rate,
        hurdle_rate=hurdle_rate,
        fee_income=fee_income,
        deposit_balance=deposit_balance,
        deposit_margin=deposit_margin,
        hurdle_basis=hurdle_basis,
        tax_rate=tax_rate,
    )
    ids, inverse = np.unique(np.concatenate([fc, feec, depc]), return_inverse=True)
    n, m = fc.shape[0], feec.shape[0]
    codes = (inverse[:n], inverse[n : n + m], inverse[n + m :])
    return _grouped(ids, codes, amounts)


def relationship_raroc_by_code(
    facility_codes: npt.ArrayLike,
    *,
    n_clients: int,
    revenue: npt.ArrayLike,
    funding_cost: npt.ArrayLike,
    expected_loss: npt.ArrayLike,
    operating_cost: npt.ArrayLike,
    capital: npt.ArrayLike,
    risk_free_rate: float,
    hurdle_rate: float,
    fee_codes: npt.ArrayLike = (),
    fee_income: npt.ArrayLike = (),
    deposit_codes: npt.ArrayLike = (),
    deposit_balance: npt.ArrayLike = (),
    deposit_margin: npt.ArrayLike = (),
    hurdle_basis: HurdleBasis | str = HurdleBasis.PRE_TAX,
    tax_rate: float = 0.0,
) -> RelationshipRaroc:
    r"""`relationship_raroc` for clients given as integer codes `0 .. n_clients - 1`.

    The batch form: a book whose client ids were factorised once passes the codes, and
    the sums are `numpy.bincount`s of length `n_clients` with no sorting of ids. Same
    formula, same numbers and same argument checks as `relationship_raroc` (tests
    check it); a client with no record has zero income and capital (RAROC NaN).

    Args:
        facility_codes: Client code of each facility, integers in
            `[0, n_clients)`, `(n,)`.
        n_clients: Number of clients `k` (>= 0); the result has `k` rows.
        revenue: As `relationship_raroc`.
        funding_cost: As `relationship_raroc`.
        expected_loss: As `relationship_raroc`.
        operating_cost: As `relationship_raroc`.
        capital: As `relationship_raroc`.
        risk_free_rate: As `relationship_raroc`.
        hurdle_rate: As `relationship_raroc`.
        fee_codes: Client code of each fee record, `(m,)`.
        fee_income: As `relationship_raroc`.
        deposit_codes: Client code of each deposit, `(d,)`.
        deposit_balance: As `relationship_raroc`.
        deposit_margin: As `relationship_raroc`.
        hurdle_basis: As `relationship_raroc`.
        tax_rate: As `relationship_raroc`.

    Returns:
        A `RelationshipRaroc` whose `client_ids` are the codes `0 .. n_clients - 1`.

    Raises:
        InvalidValueError: as `relationship_raroc`, a negative `n_clients`, or a code
            that is not an integer in `[0, n_clients)`.

    Examples:
        >>> r = relationship_raroc_by_code(
        ...     [0, 0, 1], n_clients=3, revenue=[6.0, 3.0, 5.0],
        ...     funding_cost=[3.0, 1.5, 2.5], expected_loss=[0.45, 0.2, 0.5],
        ...     operating_cost=[0.4, 0.2, 0.3], capital=[13.0, 6.0, 10.0],
        ...     risk_free_rate=0.03, hurdle_rate=0.12,
        ...     fee_codes=[0], fee_income=[0.5],
        ...     deposit_codes=[1, 2], deposit_balance=[100.0, 50.0],
        ...     deposit_margin=[0.01, 0.01])
        >>> r.client_ids.tolist(), r.raroc.round(4).tolist()
        ([0, 1, 2], [0.2274, 0.3, nan])
    """
    if not is_real_number(n_clients) or int(n_clients) != n_clients or n_clients < 0:
        raise InvalidValueError(
            field="n_clients", value=n_clients, expected="an integer >= 0"
        )
    k = int(n_clients)
    fc = _codes(facility_codes, k, name="facility_codes")
    feec = _codes(fee_codes, k, name="fee_codes")
    depc = _codes(deposit_codes, k, name="deposit_codes")
    amounts = _amounts(
        {"facility_codes": fc, "fee_codes": feec, "deposit_codes": depc},
        revenue=revenue,
        funding_cost=funding_cost,
        expected_loss=expected_loss,
        operating_cost=operating_cost,
        capital=capital,
        risk_free_rate=risk_free_rate,
        hurdle_rate=hurdle_rate,
        fee_income=fee_income,
        deposit_balance=deposit_balance,
        deposit_margin=deposit_margin,
        hurdle_basis=hurdle_basis,
        tax_rate=tax_rate,
    )
    return _grouped(np.arange(k, dtype=np.int64), (fc, feec, depc), amounts)


def _codes(values: npt.ArrayLike, k: int, *, name: str) -> IntArray:
    arr = np.asarray(values).reshape(-1)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.dtype.kind not in "iu":
        raise InvalidValueError(
            field=name,
            value=f"array of dtype {arr.dtype}",
            expected=f"integer client codes in [0, {k})",
        )
    bad = (arr < 0) | (arr >= k)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=f"{name}[{i}]",
            value=int(arr[i]),
            expected=f"a client code in [0, {k})",
        )
    return arr.astype(np.int64, copy=False)


@attrs.frozen(kw_only=True, eq=False)
class _Amounts:
    """Validated amounts of `relationship_raroc` (facility, fee and deposit groups)."""

    revenue: FloatArray
    funding_cost: FloatArray
    expected_loss: FloatArray
    operating_cost: FloatArray
    capital: FloatArray
    risk_free_rate: float
    hurdle_rate: float
    fee_income: FloatArray
    deposit_balance: FloatArray
    deposit_margin: FloatArray


def _amounts(
    keys: dict[str, npt.NDArray[np.generic]],
    *,
    revenue: npt.ArrayLike,
    funding_cost: npt.ArrayLike,
    expected_loss: npt.ArrayLike,
    operating_cost: npt.ArrayLike,
    capital: npt.ArrayLike,
    risk_free_rate: float,
    hurdle_rate: float,
    fee_income: npt.ArrayLike,
    deposit_balance: npt.ArrayLike,
    deposit_margin: npt.ArrayLike,
    hurdle_basis: HurdleBasis | str,
    tax_rate: float,
) -> _Amounts:
    """Validate in `relationship_raroc`'s order; `keys` are the three client arrays."""
    (fac_name, fac), (fee_name, fee_keys), (dep_name, dep_keys) = keys.items()
    rev, fund, el, opex, cap = align(
        revenue=as_float_array(revenue, name="revenue"),
        funding_cost=as_float_array(funding_cost, name="funding_cost"),
        expected_loss=as_float_array(expected_loss, name="expected_loss", lower=0.0),
        operating_cost=as_float_array(operating_cost, name="operating_cost", lower=0.0),
        capital=as_float_array(capital, name="capital", lower=0.0),
    )
    _same(**{fac_name: fac, "revenue": rev})
    rf = as_float_array(
        risk_free_rate, name="risk_free_rate", lower=-1.0, upper=1.0, allow_empty=False
    )
    h = pre_tax_hurdle(
        as_float_array(hurdle_rate, name="hurdle_rate", allow_empty=False),
        hurdle_basis=hurdle_basis,
        tax_rate=tax_rate,
    )
    check_hurdle(h, rf)
    fee = as_float_array(fee_income, name="fee_income", lower=0.0)
    _same(**{fee_name: fee_keys, "fee_income": fee})
    bal = as_float_array(deposit_balance, name="deposit_balance", lower=0.0)
    margin = as_float_array(
        deposit_margin, name="deposit_margin", lower=-1.0, upper=1.0
    )
    _same(**{dep_name: dep_keys, "deposit_balance": bal, "deposit_margin": margin})
    return _Amounts(
        revenue=rev,
        funding_cost=fund,
        expected_loss=el,
        operating_cost=opex,
        capital=cap,
        risk_free_rate=float(rf[0]),
        hurdle_rate=float(h[0]),
        fee_income=fee,
        deposit_balance=bal,
        deposit_margin=margin,
    )


def _grouped(
    ids: npt.NDArray[np.str_] | IntArray,
    codes: tuple[IntArray, IntArray, IntArray],
    a: _Amounts,
) -> RelationshipRaroc:
    """The relationship RAROC formula (its one home), summed per client code."""
    k = ids.shape[0]
    fac_idx, fee_idx, dep_idx = codes
    fac_income = (
        a.revenue
        - a.funding_cost
        - a.expected_loss
        - a.operating_cost
        + a.risk_free_rate * a.capital
    )
    income: FloatArray = (
        np.bincount(fac_idx, weights=fac_income, minlength=k)
        + np.bincount(fee_idx, weights=a.fee_income, minlength=k)
        + np.bincount(
            dep_idx, weights=a.deposit_balance * a.deposit_margin, minlength=k
        )
    ).astype(np.float64)
    total_cap: FloatArray = np.bincount(fac_idx, weights=a.capital, minlength=k).astype(
        np.float64
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(total_cap > 0, income / total_cap, np.nan)
    return RelationshipRaroc(
        client_ids=ids,
        income=income,
        capital=total_cap,
        raroc=ratio,
        eva=income - a.hurdle_rate * total_cap,
    )


def _same(**arrays: npt.NDArray[np.generic]) -> None:
    items = list(arrays.items())
    first_name, first = items[0]
    for name, arr in items[1:]:
        if arr.shape[0] != first.shape[0]:
            raise InvalidValueError(
                field=name,
                value=f"length {arr.shape[0]}",
                expected=f"the same length as `{first_name}` ({first.shape[0]})",
            )
