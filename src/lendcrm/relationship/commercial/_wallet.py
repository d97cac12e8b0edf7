r"""Share of wallet: the bank's revenue from a client against what the client spends on banks.

**Bank revenue** per facility per year, all in the facility's currency:

$$R = \text{margin} \times \text{drawn} + \text{commitment fee} \times (\text{limit} -
\text{drawn})^+ + \frac{\text{arrangement fee}}{\text{tenor in years}},$$

summed over the client's facilities (`facility_revenue`, `bank_revenue`). Interest at
the reference rate is the funding pass-through and does not count: only the margin
over it is revenue for the relationship.

**Wallet** (what the client pays all its banks per year), estimated from its size and
sector:

$$W = \text{annual revenue} \times \underbrace{D/S}_{\text{sector borrowing intensity}}
\times \underbrace{y}_{\text{revenue per unit of debt}},$$

and the **share of wallet** is $R / W$. The sector table `DEFAULT_WALLET_TABLE` holds
*illustrative* debt-to-revenue ratios (asset-heavy sectors such as real estate and
utilities borrow several times more per unit of sales than trade or services) and a
revenue yield of 2 % (a margin of about 150 bp plus fees). They are orders of
magnitude, not a calibration: replace them with your own (national accounts, ECB or
BACH sector aggregates, or your book's own ratios) through `WalletTable`.

Limits: the estimate ignores the client's actual leverage (a client with statements
can use its own total debt instead: pass ``debt=``), non-credit wallet (payments, FX,
cash management) and group effects. A share above 1 means the wallet is under-estimated
for that client; it is returned as it is, not clipped, so the caller sees it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm import Sector
from lendcrm._arrays import (
    FloatArray,
    FrozenMap,
    align,
    as_float_array,
    check_same_length,
    enum_codes,
)
from lendcrm._validators import refuse_object
from lendcrm.errors import InvalidValueError
from lendcrm.relationship.commercial._checks import whole_number

__all__ = [
    "DEFAULT_WALLET_TABLE",
    "WalletShare",
    "WalletTable",
    "bank_revenue",
    "client_share_of_wallet",
    "facility_revenue",
    "share_of_wallet",
]


def _intensity(value: Mapping[object, float]) -> FrozenMap[Sector, float]:
    given: object = value
    if not isinstance(given, Mapping):
        refuse_object(
            given, name="debt_to_revenue", what="a mapping of Sector to ratio"
        )
    out: dict[Sector, float] = {}
    for key, ratio in value.items():
        try:
            sector = Sector(str(key))
        except ValueError:
            raise InvalidValueError(
                field="debt_to_revenue",
                value=key,
                expected="NACE sections (lendcrm.Sector) as keys",
            ) from None
        out[sector] = float(
            as_float_array(ratio, name=f"debt_to_revenue[{key!r}]", lower=0.0)[0]
        )
    missing = [s.value for s in Sector if s not in out]
    if missing:
        raise InvalidValueError(
            field="debt_to_revenue",
            value=f"no ratio for {missing!r}",
            expected="a ratio for every NACE section",
        )
    return FrozenMap(out)


@attrs.frozen(kw_only=True)
class WalletTable:
    """How big a client's banking wallet is, per unit of its revenue.

    Attributes:
        debt_to_revenue: Typical financial debt per unit of annual revenue, per NACE
            section (every section, >= 0).
        revenue_yield: Banking revenue per unit of debt per year (margin and fees),
            >= 0.
    """

    debt_to_revenue: FrozenMap[Sector, float] = attrs.field(converter=_intensity)
    revenue_yield: float = 0.02

    def __attrs_post_init__(self) -> None:
        """Check the yield."""
        as_float_array(self.revenue_yield, name="revenue_yield", lower=0.0)


#: Illustrative sector intensities (see the module text: replace with your own).
DEFAULT_WALLET_TABLE: Final = WalletTable(
    debt_to_revenue={
        "A": 0.6,
        "B": 0.5,
        "C": 0.3,
        "D": 1.2,
        "E": 0.9,
        "F": 0.35,
        "G": 0.15,
        "H": 0.5,
        "I": 0.6,
        "J": 0.25,
        "K": 0.5,
        "L": 3.0,
        "M": 0.25,
        "N": 0.3,
        "O": 0.3,
        "P": 0.3,
        "Q": 0.4,
        "R": 0.5,
        "S": 0.3,
        "T": 0.2,
        "U": 0.2,
    }
)


def facility_revenue(
    *,
    drawn: npt.ArrayLike,
    limit: npt.ArrayLike,
    margin_bps: npt.ArrayLike,
    commitment_fee_bps: npt.ArrayLike,
    arrangement_fee: npt.ArrayLike,
    tenor_years: npt.ArrayLike,
) -> FloatArray:
    """Yearly revenue of each facility: margin on drawn, commitment fee, arrangement fee.

    Raises:
        InvalidValueError: a negative amount or rate, a tenor <= 0, mismatched lengths.

    Examples:
        >>> facility_revenue(drawn=[600.0], limit=[1000.0], margin_bps=[200],
        ...     commitment_fee_bps=[50], arrangement_fee=[30.0], tenor_years=[3.0]).tolist()
        [24.0]
    """
    d, lim, m, c, a, t = align(
        drawn=as_float_array(drawn, name="drawn", lower=0.0),
        limit=as_float_array(limit, name="limit", lower=0.0),
        margin_bps=as_float_array(margin_bps, name="margin_bps"),
        commitment_fee_bps=as_float_array(
            commitment_fee_bps, name="commitment_fee_bps", lower=0.0
        ),
        arrangement_fee=as_float_array(
            arrangement_fee, name="arrangement_fee", lower=0.0
        ),
        tenor_years=as_float_array(
            tenor_years, name="tenor_years", lower=0.0, lower_open=True
        ),
    )
    return np.asarray(
        m / 1e4 * d + c / 1e4 * np.maximum(lim - d, 0.0) + a / t, dtype=np.float64
    )


def bank_revenue(
    client_codes: npt.ArrayLike, revenue: npt.ArrayLike, *, n_clients: int
) -> FloatArray:
    """Sum facility revenues per client code, shape ``(n_clients,)``.

    Raises:
        InvalidValueError: a code out of range, mismatched lengths.

    Examples:
        >>> bank_revenue([0, 0, 2], [1.0, 2.0, 5.0], n_clients=3).tolist()
        [3.0, 0.0, 5.0]
    """
    codes = np.asarray(client_codes)
    r = as_float_array(revenue, name="revenue")
    if codes.shape != r.shape or (
        not np.issubdtype(codes.dtype, np.integer) and codes.size
    ):
        raise InvalidValueError(
            field="client_codes",
            value=f"shape {codes.shape} ({codes.dtype})",
            expected=f"integer codes, one per revenue ({r.shape[0]})",
        )
    whole_number(n_clients, name="n_clients", lower=0)
    bad = (codes < 0) | (codes >= n_clients)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidValueError(
            field=f"client_codes[{i}]",
            value=int(codes[i]),
            expected=f"a code in [0, {n_clients})",
        )
    out = np.bincount(codes.astype(np.int64), weights=r, minlength=n_clients)
    return out.astype(np.float64, copy=False)


@attrs.frozen(kw_only=True)
class WalletShare:
    """Estimated wallet and the bank's share of it (arrays for a batch, floats for one).

    Attributes:
        wallet: Estimated yearly banking revenue pool of the client.
        share: Bank revenue / wallet (NaN for a zero wallet; may exceed 1).
    """

    wallet: FloatArray
    share: FloatArray


def share_of_wallet(
    revenue_to_bank: npt.ArrayLike,
    annual_revenue: npt.ArrayLike,
    sector: npt.ArrayLike,
    *,
    table: WalletTable = DEFAULT_WALLET_TABLE,
    debt: npt.ArrayLike | None = None,
) -> WalletShare:
    """Estimated wallet and share of wallet of each client (batch face).

    Args:
        revenue_to_bank: The bank's yearly revenue from each client, >= 0.
        annual_revenue: The client's own yearly turnover, >= 0 (same currency).
        sector: NACE section of each client (`lendcrm.Sector` values).
        table: Sector intensities and the revenue yield.
        debt: The client's known financial debt, NaN where unknown (replaces the
            sector estimate where given).

    Raises:
        InvalidValueError: negative or non-finite amounts, an unknown sector,
            mismatched lengths (names the argument).

    Examples:
        >>> s = share_of_wallet([150.0], [100_000.0], ["C"])
        >>> s.wallet.tolist(), s.share.tolist()
        ([600.0], [0.25])
    """
    r, sales = align(
        revenue_to_bank=as_float_array(
            revenue_to_bank, name="revenue_to_bank", lower=0.0
        ),
        annual_revenue=as_float_array(annual_revenue, name="annual_revenue", lower=0.0),
    )
    _, codes = enum_codes(sector, Sector, name="sector")
    check_same_length(revenue_to_bank=r, sector=codes)
    ratio = np.array([table.debt_to_revenue[s] for s in Sector])[codes]
    est = sales * ratio
    if debt is not None:
        known = as_float_array(debt, name="debt", lower=0.0, allow_nan=True)
        check_same_length(revenue_to_bank=r, debt=known)
        est = np.where(np.isnan(known), est, known)
    wallet = est * table.revenue_yield
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        share = np.where(wallet > 0, r / wallet, np.nan)
    return WalletShare(wallet=wallet, share=share)


def client_share_of_wallet(
    revenue_to_bank: float,
    annual_revenue: float,
    sector: Sector | str,
    *,
    table: WalletTable = DEFAULT_WALLET_TABLE,
    debt: float | None = None,
) -> tuple[float, float]:
    """``(wallet, share)`` of one client (one-entity face of `share_of_wallet`).

    Examples:
        >>> client_share_of_wallet(150.0, 100_000.0, "C")
        (600.0, 0.25)
    """
    r, sales = (
        float(as_float_array(v, name=k, lower=0.0, allow_empty=False)[0])
        for k, v in (
            ("revenue_to_bank", revenue_to_bank),
            ("annual_revenue", annual_revenue),
        )
    )
    (member,), _ = enum_codes(str(sector), Sector, name="sector")
    if debt is None:
        estimated = sales * table.debt_to_revenue[member]
    else:
        estimated = float(
            as_float_array(debt, name="debt", lower=0.0, allow_empty=False)[0]
        )
    wallet = estimated * table.revenue_yield
    return wallet, (r / wallet if wallet > 0 else float("nan"))
