"""`ClientFeatures`: the columnar input every segmentation strategy reads."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm._arrays import (
    BoolArray,
    FloatArray,
    as_bool_array,
    as_float_array,
    check_same_length,
)
from lendcrm.errors import InvalidValueError
from lendcrm.segmentation._ids import StrArray, first_duplicate

if TYPE_CHECKING:  # pragma: no cover - pandas stays in the frames adapter
    import pandas as pd

    from lendcrm._book import Book


def _ids(values: npt.ArrayLike) -> StrArray:
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise InvalidValueError(
            field="client_ids",
            value=f"array of shape {arr.shape}",
            expected="one-dimensional",
        )
    if arr.size == 0:
        raise InvalidValueError(
            field="client_ids", value=[], expected="at least one client"
        )
    if arr.dtype.kind == "U":
        return arr  # already str: keep it (no 1M-element copy)
    return arr.astype(np.str_)


def _revenue(values: npt.ArrayLike) -> FloatArray:
    return as_float_array(values, name="revenue", lower=0.0)


def _profit(values: npt.ArrayLike) -> FloatArray:
    return as_float_array(values, name="profit")


def _tenure(values: npt.ArrayLike) -> FloatArray:
    return as_float_array(values, name="tenure_years", lower=0.0)


def _products(values: npt.ArrayLike) -> FloatArray:
    return as_float_array(values, name="product_count", lower=0.0)


def _referrals(values: npt.ArrayLike) -> FloatArray:
    return as_float_array(values, name="referral_count", lower=0.0)


def _referral_amount(values: npt.ArrayLike | None) -> FloatArray | None:
    if values is None:
        return None
    return as_float_array(values, name="referral_amount", lower=0.0)


def _transactions(values: npt.ArrayLike | None) -> FloatArray | None:
    if values is None:
        return None
    return as_float_array(values, name="transaction_count", lower=0.0)


def _recency(values: npt.ArrayLike | None) -> FloatArray | None:
    if values is None:
        return None
    return as_float_array(values, name="recency_days", lower=0.0)


def _expected_loss(values: npt.ArrayLike | None) -> FloatArray | None:
    if values is None:
        return None
    return as_float_array(values, name="expected_loss", lower=0.0)


def _capital_cost(values: npt.ArrayLike | None) -> FloatArray | None:
    if values is None:
        return None
    return as_float_array(values, name="capital_cost", lower=0.0)


def _rating(values: npt.ArrayLike | None) -> FloatArray | None:
    if values is None:
        return None
    return as_float_array(values, name="rating_grade", lower=0.0)


def _watchlist(values: npt.ArrayLike | None) -> BoolArray | None:
    if values is None:
        return None
    return as_bool_array(values, name="on_watchlist")


def _early_warning(values: npt.ArrayLike | None) -> BoolArray | None:
    if values is None:
        return None
    return as_bool_array(values, name="early_warning")


class Measure(enum.StrEnum):
    """A single value measure that one-dimensional strategies segment on.

    Examples:
        >>> Measure("profit")
        <Measure.PROFIT: 'profit'>
    """

    REVENUE = "revenue"
    PROFIT = "profit"
    REFERRAL_AMOUNT = "referral_amount"
    #: ``profit - expected_loss - capital_cost`` (see `risk_adjusted_value`).
    RISK_ADJUSTED_VALUE = "risk_adjusted_value"


@attrs.frozen(kw_only=True, eq=False)
class ClientFeatures:
    """Aligned per-client value features, validated once when built.

    Every array has one entry per client, in the order of ``client_ids``. Arrays are
    converted to float64 (booleans to bool) and checked at construction: a NaN or an
    infinity, a negative revenue, count, tenure, recency or cost, arrays of different
    lengths, duplicate ids or an empty set raise `InvalidValueError` naming the field
    and the first bad index. Strategies then compute without re-checking.

    Amounts are in one currency (the book's reporting currency) over the same
    measurement period. The arrays are not copied when they already are float64: do
    not modify them afterwards.

    Attributes:
        client_ids: Client identifiers, unique, shape ``(n,)`` (stored as str).
        revenue: Revenue to the bank over the period, >= 0.
        profit: Profit contribution over the period; may be negative.
        tenure_years: Years since onboarding, >= 0 (loyalty).
        product_count: Products held, >= 0 (loyalty).
        referral_count: Clients referred, >= 0 (referral volume).
        referral_amount: Business brought by referrals, >= 0; optional. When given it
            is the referral measure of `WeightedValueScore`.
        transaction_count: Transactions over the period, >= 0; optional (RFM
            frequency).
        recency_days: Days since the last transaction, >= 0; optional (RFM recency).
        expected_loss: Expected loss over the period, >= 0; optional (risk input).
        capital_cost: Cost of the capital the client consumes over the period, >= 0;
            optional (risk input).
        rating_grade: Rating grade on a numeric master scale, 1 = best and higher is
            worse, >= 0; optional.
        on_watchlist: Whether the client is on the credit watchlist; optional.
        early_warning: Whether an early-warning signal fired; optional.

    Examples:
        >>> f = ClientFeatures(
        ...     client_ids=["a", "b", "c"], revenue=[10.0, 5.0, 1.0],
        ...     profit=[4.0, -1.0, 0.5], tenure_years=[3, 1, 8],
        ...     product_count=[2, 1, 4], referral_count=[0, 0, 2])
        >>> f.n_clients
        3
        >>> ClientFeatures(
        ...     client_ids=["a", "b"], revenue=[10.0, -5.0], profit=[1.0, 1.0],
        ...     tenure_years=[1, 1], product_count=[1, 1], referral_count=[0, 0])
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `revenue[1]` must be a finite number >= 0; got -5.0.
    """

    client_ids: StrArray = attrs.field(converter=_ids, repr=False)
    revenue: FloatArray = attrs.field(converter=_revenue, repr=False)
    profit: FloatArray = attrs.field(converter=_profit, repr=False)
    tenure_years: FloatArray = attrs.field(converter=_tenure, repr=False)
    product_count: FloatArray = attrs.field(converter=_products, repr=False)
    referral_count: FloatArray = attrs.field(converter=_referrals, repr=False)
    referral_amount: FloatArray | None = attrs.field(
        default=None, converter=_referral_amount, repr=False
    )
    transaction_count: FloatArray | None = attrs.field(
        default=None, converter=_transactions, repr=False
    )
    recency_days: FloatArray | None = attrs.field(
        default=None, converter=_recency, repr=False
    )
    expected_loss: FloatArray | None = attrs.field(
        default=None, converter=_expected_loss, repr=False
    )
    capital_cost: FloatArray | None = attrs.field(
        default=None, converter=_capital_cost, repr=False
    )
    rating_grade: FloatArray | None = attrs.field(
        default=None, converter=_rating, repr=False
    )
    on_watchlist: BoolArray | None = attrs.field(
        default=None, converter=_watchlist, repr=False
    )
    early_warning: BoolArray | None = attrs.field(
        default=None, converter=_early_warning, repr=False
    )

    def __attrs_post_init__(self) -> None:
        """Check the cross-field invariants: equal lengths, unique ids."""
        given = {
            field.name: arr
            for field in attrs.fields(type(self))[1:]
            if (arr := getattr(self, field.name)) is not None
        }
        check_same_length(client_ids=self.client_ids, **given)
        first_dup = first_duplicate(self.client_ids)
        if first_dup is not None:
            raise InvalidValueError(
                field=f"client_ids[{first_dup}]",
                value=str(self.client_ids[first_dup]),
                expected="a unique client id (it appears earlier)",
            )

    @property
    def n_clients(self) -> int:
        """Number of clients."""
        return len(self.client_ids)

    def __repr__(self) -> str:
        """Short repr: the size, never the values (they may be confidential)."""
        return f"ClientFeatures(n_clients={self.n_clients})"

    def measure(self, measure: Measure | str) -> FloatArray:
        """The array of one value measure, shape ``(n,)``.

        Raises:
            InvalidValueError: the measure is unknown, or needs an optional input that
                is missing (``referral_amount``, ``expected_loss``, ``capital_cost``).

        Examples:
            >>> f = ClientFeatures(
            ...     client_ids=["a", "b"], revenue=[10.0, 5.0], profit=[4.0, -1.0],
            ...     tenure_years=[3, 1], product_count=[2, 1], referral_count=[0, 0],
            ...     expected_loss=[1.0, 0.5], capital_cost=[1.0, 1.0])
            >>> f.measure("risk_adjusted_value")
            array([ 2. , -2.5])
        """
        try:
            which = Measure(measure)
        except ValueError:
            raise InvalidValueError(
                field="measure",
                value=measure,
                expected=f"one of {', '.join(m.value for m in Measure)}",
            ) from None
        if which is Measure.RISK_ADJUSTED_VALUE:
            return self.risk_adjusted_value()
        return self.require(which.value)

    def require(self, name: str) -> FloatArray:
        """The float array ``name``, or an error saying that input is missing.

        Raises:
            InvalidValueError: the optional array ``name`` was not given.
        """
        arr = getattr(self, name)
        if arr is None:
            raise InvalidValueError(
                field=f"features.{name}",
                value=None,
                expected="an array (this input is needed here)",
                hint=f"Build the ClientFeatures with `{name}=`.",
            )
        result: FloatArray = arr
        return result

    def risk_adjusted_value(self) -> FloatArray:
        """``profit - expected_loss - capital_cost`` per client (see module function).

        Raises:
            InvalidValueError: ``expected_loss`` or ``capital_cost`` is missing.
        """
        return (
            self.profit - self.require("expected_loss") - self.require("capital_cost")
        )

    @classmethod
    def from_frame(
        cls,
        clients: pd.DataFrame,
        *,
        as_of: dt.date,
        rating_scale: tuple[str, ...] | None = None,
        expected_loss: npt.ArrayLike | None = None,
        capital_cost: npt.ArrayLike | None = None,
        early_warning: npt.ArrayLike | None = None,
    ) -> ClientFeatures:
        """Build features from a clients frame; see `lendcrm.segmentation.frames`.

        It runs the code of :func:`lendcrm.segmentation.frames.features_from_frame`,
        which documents the columns read and the checks made.
        """
        from lendcrm.segmentation._frame_input import (  # noqa: PLC0415 - pandas at the edge
            build_features,
        )

        return build_features(
            cls,
            clients,
            as_of=as_of,
            rating_scale=rating_scale,
            expected_loss=expected_loss,
            capital_cost=capital_cost,
            early_warning=early_warning,
        )

    @classmethod
    def from_book(
        cls,
        book: Book,
        *,
        as_of: dt.date,
        rating_scale: tuple[str, ...] | None = None,
        expected_loss: npt.ArrayLike | None = None,
        capital_cost: npt.ArrayLike | None = None,
        early_warning: npt.ArrayLike | None = None,
    ) -> ClientFeatures:
        """Build features from a `lendcrm.Book`; see `lendcrm.segmentation.frames`.

        It runs the code of :func:`lendcrm.segmentation.frames.features_from_book`.
        """
        from lendcrm.segmentation._frame_input import (  # noqa: PLC0415 - pandas at the edge
            build_features_from_book,
        )

        return build_features_from_book(
            cls,
            book,
            as_of=as_of,
            rating_scale=rating_scale,
            expected_loss=expected_loss,
            capital_cost=capital_cost,
            early_warning=early_warning,
        )
