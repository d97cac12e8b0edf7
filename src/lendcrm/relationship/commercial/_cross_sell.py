r"""Product gaps and cross-sell propensity: what a client's peers hold that it does not.

Products are the facility kinds (`lendcrm.FacilityKind`). A client's *peers* are the
other clients of its peer group: same tier, sector and size band (`size_bands`),
combined by `peer_groups`. For a client $i$ in group $g$ with $n_g$ members, of which
$K_{gp}$ hold product $p$:

- the **peer holding rate** leaves the client out:
  $\hat q_{ip} = (K_{gp} - h_{ip}) / (n_g - 1)$ (undefined for a group of one);
- the **cross-sell propensity** shrinks it toward the book's holding rate $\pi_p$ with
  a prior weight of $m$ pseudo-clients (empirical Bayes, beta-binomial posterior mean):
  $\tilde q_{ip} = (K_{gp} - h_{ip} + m \pi_p) / (n_g - 1 + m)$, so a small group
  does not claim certainty from a handful of peers;
- a **gap** is a product the client does not hold although at least a ``standard_share``
  of its peers do (a standard product for clients like it);
- the **next best product** is the gap with the highest propensity.

The propensity is a peer-rate estimate, not a fitted model: it says how usual the
product is among comparable clients. Where labelled outcomes of past offers exist, fit a
model per product with `fit_conversion` instead.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

from lendcrm import Book, ClientId, FacilityKind
from lendcrm._arrays import (
    BoolArray,
    FloatArray,
    IntArray,
    as_float_array,
    check_same_length,
)
from lendcrm._validators import require_instance, require_int
from lendcrm.errors import InvalidValueError

__all__ = [
    "PRODUCTS",
    "SIZE_BAND_EDGES",
    "ClientProductGap",
    "ProductGaps",
    "holdings_matrix",
    "peer_groups",
    "product_gap",
    "product_gaps",
    "products_of",
    "size_bands",
]

#: The products, in column order: the facility kinds.
PRODUCTS: Final = tuple(k.value for k in FacilityKind)
#: Size bands by annual revenue (one currency): < 10 m, < 50 m (the EU SME ceiling),
#: < 250 m, < 1 bn, larger.
SIZE_BAND_EDGES: Final = (10e6, 50e6, 250e6, 1e9)


def _codes(values: npt.ArrayLike, *, name: str, upper: int | None = None) -> IntArray:
    a = np.asarray(values)
    if a.ndim != 1 or not (np.issubdtype(a.dtype, np.integer) or a.size == 0):
        raise InvalidValueError(
            field=name,
            value=f"array of shape {a.shape} ({a.dtype})",
            expected="integer codes",
        )
    a = a.astype(np.int64)
    bad = (a < 0) if upper is None else ((a < 0) | (a >= upper))
    if bad.any():
        i = int(np.argmax(bad))
        top = "" if upper is None else f" and < {upper}"
        raise InvalidValueError(
            field=f"{name}[{i}]", value=int(a[i]), expected=f"a code >= 0{top}"
        )
    return a


def products_of(book: Book, client_id: str) -> frozenset[str]:
    """The products (facility kinds) a client holds in a `Book` (the entity face).

    Raises:
        UnknownReferenceError: the client is not in the book.

    Examples:
        >>> import datetime as dt
        >>> from lendcrm.synthetic import generate_book
        >>> book = generate_book(5, seed=1, as_of=dt.date(2025, 12, 31))
        >>> sorted(products_of(book, "C0000001")), sorted(products_of(book, "C0000005"))
        (['revolving_credit'], [])
    """
    require_instance(book, Book, name="book", what="a Book")
    require_instance(client_id, str, name="client_id", what="a client id (a string)")
    book.client(ClientId(client_id))  # raises for an unknown client
    return frozenset(f.kind.value for f in book.facilities_of(ClientId(client_id)))


def holdings_matrix(
    client_codes: npt.ArrayLike, product_codes: npt.ArrayLike, *, n_clients: int
) -> BoolArray:
    """Which client holds which product, from one row per facility.

    Args:
        client_codes: Client code of each facility, in ``[0, n_clients)``.
        product_codes: Position of each facility's kind in `PRODUCTS`.
        n_clients: Number of clients (rows of the result).

    Returns:
        Bool matrix ``(n_clients, len(PRODUCTS))``.

    Raises:
        InvalidValueError: a code out of range, or the two arrays differ in length.

    Examples:
        >>> holdings_matrix([0, 0, 2], [1, 1, 0], n_clients=3)[:, :2].tolist()
        [[False, True], [False, False], [True, False]]
    """
    n_clients = require_int(n_clients, name="n_clients", lower=0)
    c = _codes(client_codes, name="client_codes", upper=n_clients)
    p = _codes(product_codes, name="product_codes", upper=len(PRODUCTS))
    check_same_length(client_codes=c, product_codes=p)
    flat = np.bincount(c * len(PRODUCTS) + p, minlength=n_clients * len(PRODUCTS))
    return flat.reshape(n_clients, len(PRODUCTS)) > 0


def size_bands(
    annual_revenue: npt.ArrayLike, *, edges: Sequence[float] = SIZE_BAND_EDGES
) -> IntArray:
    """Size band of each client: the number of ``edges`` at or below its revenue.

    Raises:
        InvalidValueError: a negative or non-finite revenue, or edges not increasing.

    Examples:
        >>> size_bands([5e6, 10e6, 3e9]).tolist()
        [0, 1, 4]
    """
    rev = as_float_array(annual_revenue, name="annual_revenue", lower=0.0)
    e = as_float_array(list(edges), name="edges")
    if (np.diff(e) <= 0).any():
        raise InvalidValueError(
            field="edges", value=list(edges), expected="strictly increasing revenues"
        )
    return np.searchsorted(e, rev, side="right").astype(np.int64)


def _factorise(key: npt.NDArray[np.generic]) -> IntArray:
    """Integer codes of a key: ints as they are ranked, labels in order of appearance."""
    flat = key.ravel()
    if np.issubdtype(flat.dtype, np.integer) or np.issubdtype(flat.dtype, np.bool_):
        _, inv = np.unique(flat, return_inverse=True)
        return np.asarray(inv, dtype=np.int64).reshape(-1)
    seen: dict[object, int] = {}
    return np.fromiter(
        (seen.setdefault(v, len(seen)) for v in flat.tolist()),
        dtype=np.int64,
        count=flat.shape[0],
    )


def peer_groups(*keys: npt.ArrayLike) -> IntArray:
    """One group code per distinct combination of the keys (tier, sector, size band).

    Raises:
        InvalidValueError: no key, or keys of different lengths.

    Examples:
        >>> peer_groups([0, 0, 1, 0], ["C", "D", "C", "C"]).tolist()
        [0, 1, 2, 0]
    """
    if not keys:
        raise InvalidValueError(field="keys", value=(), expected="at least one key")
    cols = [_factorise(np.asarray(key)) for key in keys]
    check_same_length(**{f"keys[{j}]": c for j, c in enumerate(cols)})
    _, group = np.unique(np.column_stack(cols), axis=0, return_inverse=True)
    return group.reshape(-1).astype(np.int64)


def _check_collection(name: str, value: object) -> None:
    if isinstance(value, str) or not isinstance(value, Collection):
        raise InvalidValueError(
            field=name, value=value, expected="a collection of products"
        )


def _check_share(standard_share: float, prior_weight: float) -> None:
    as_float_array(
        standard_share, name="standard_share", lower=0.0, upper=1.0, lower_open=True
    )
    as_float_array(prior_weight, name="prior_weight", lower=0.0)
    for name, value in (
        ("standard_share", standard_share),
        ("prior_weight", prior_weight),
    ):
        if np.ndim(value) != 0:
            raise InvalidValueError(field=name, value=value, expected="one number")


@attrs.frozen(kw_only=True, eq=False)
class ProductGaps:
    """Product gaps and cross-sell propensities of every client (batch face).

    Attributes:
        holds: Held products ``(n, P)``.
        peers: Number of peers (group size - 1) ``(n,)``.
        peer_rate: Leave-one-out peer holding rate ``(n, P)``, NaN without peers.
        propensity: Shrunk peer rate ``(n, P)``.
        gap: Not held although standard among peers ``(n, P)``.
        best_product: Position in `PRODUCTS` of the gap with the highest propensity,
            -1 for no gap ``(n,)``.
        pooled_rate: The book's holding rate per product ``(P,)``.
    """

    holds: BoolArray
    peers: IntArray
    peer_rate: FloatArray
    propensity: FloatArray
    gap: BoolArray
    best_product: IntArray
    pooled_rate: FloatArray

    def best_propensity(self) -> FloatArray:
        """Propensity of the next best product, NaN where there is no gap."""
        rows = np.arange(self.best_product.shape[0])
        value = self.propensity[rows, np.maximum(self.best_product, 0)]
        return np.where(self.best_product >= 0, value, np.nan)


def product_gaps(
    holdings: npt.ArrayLike,
    peer_group: npt.ArrayLike,
    *,
    standard_share: float = 0.5,
    prior_weight: float = 5.0,
) -> ProductGaps:
    """Gaps, peer rates and propensities from the holdings and the peer groups.

    Args:
        holdings: Bool matrix ``(n, P)`` from `holdings_matrix`.
        peer_group: Group code per client ``(n,)`` from `peer_groups`.
        standard_share: Peer holding rate from which a product is standard, in (0, 1].
        prior_weight: Pseudo-clients of the shrinkage toward the book rate, >= 0.

    Raises:
        InvalidValueError: shapes that do not match, bad codes or parameters.

    Examples:
        >>> h = [[True, False], [True, True], [True, True], [False, False]]
        >>> g = product_gaps(np.pad(h, ((0, 0), (0, 5))), [0, 0, 0, 1], prior_weight=0)
        >>> g.peer_rate[0, :2].tolist(), g.gap[0, :2].tolist(), g.best_product.tolist()
        ([1.0, 1.0], [False, True], [1, -1, -1, -1])
    """
    _check_share(standard_share, prior_weight)
    h = np.asarray(holdings, dtype=bool)
    if h.ndim != 2 or h.shape[1] != len(PRODUCTS):  # noqa: PLR2004 - a matrix
        raise InvalidValueError(
            field="holdings",
            value=f"shape {h.shape}",
            expected=f"a matrix (n, {len(PRODUCTS)}), one column per product",
        )
    g = _codes(peer_group, name="peer_group")
    check_same_length(holdings=h, peer_group=g)
    n_groups = int(g.max()) + 1 if g.size else 0
    size = np.bincount(g, minlength=n_groups)
    held = np.zeros((n_groups, len(PRODUCTS)))
    np.add.at(held, g, h)
    others = held[g] - h
    peers = size[g] - 1
    pooled = h.mean(axis=0) if h.shape[0] else np.zeros(len(PRODUCTS))
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(peers[:, None] > 0, others / peers[:, None], np.nan)
        prop = np.where(
            peers[:, None] + prior_weight > 0,
            (others + prior_weight * pooled) / (peers[:, None] + prior_weight),
            pooled,
        )
    gap = ~h & (np.nan_to_num(rate, nan=-1.0) >= standard_share)
    masked = np.where(gap, prop, -np.inf)
    best = np.where(gap.any(axis=1), np.argmax(masked, axis=1), -1).astype(np.int64)
    return ProductGaps(
        holds=h,
        peers=peers.astype(np.int64),
        peer_rate=rate,
        propensity=prop,
        gap=gap,
        best_product=best,
        pooled_rate=pooled,
    )


@attrs.frozen(kw_only=True)
class ClientProductGap:
    """One client's gaps (one-entity face); tuples in `PRODUCTS` order.

    Attributes:
        peer_rate: Share of its peers holding each product (NaN without peers).
        propensity: Shrunk peer rate per product.
        gaps: The gap products, by name, highest propensity first.
    """

    peer_rate: tuple[float, ...]
    propensity: tuple[float, ...]
    gaps: tuple[str, ...]


def product_gap(
    client_products: Collection[str],
    peer_products: Sequence[Collection[str]],
    *,
    pooled_rate: npt.ArrayLike,
    standard_share: float = 0.5,
    prior_weight: float = 5.0,
) -> ClientProductGap:
    """One client's product gap against its peers' holdings.

    Args:
        client_products: The kinds the client holds (values of `FacilityKind`).
        peer_products: The kinds each peer holds (the client itself excluded).
        pooled_rate: The book's holding rate per product (`ProductGaps.pooled_rate`).
        standard_share: As `product_gaps`.
        prior_weight: As `product_gaps`.

    Raises:
        InvalidValueError: an unknown product, or bad parameters.

    Examples:
        >>> gap = product_gap({"term_loan"}, [{"term_loan", "guarantee"}] * 3,
        ...     pooled_rate=[0.5] * 7, prior_weight=0)
        >>> gap.gaps
        ('guarantee',)
    """
    _check_share(standard_share, prior_weight)
    pooled = as_float_array(pooled_rate, name="pooled_rate", lower=0.0, upper=1.0)
    if pooled.shape[0] != len(PRODUCTS):
        raise InvalidValueError(
            field="pooled_rate",
            value=pooled.tolist(),
            expected=f"{len(PRODUCTS)} rates",
        )
    _check_collection("client_products", client_products)
    _check_collection("peer_products", peer_products)
    for i, kinds in enumerate(peer_products):
        _check_collection(f"peer_products[{i}]", kinds)
    known = set(PRODUCTS)
    for name, kinds in [
        ("client_products", client_products),
        *((f"peer_products[{i}]", k) for i, k in enumerate(peer_products)),
    ]:
        for kind in kinds:
            if str(kind) not in known:
                raise InvalidValueError(
                    field=name, value=kind, expected=f"a product, one of {PRODUCTS!r}"
                )
    n = len(peer_products)
    rates, props, gaps = [], [], []
    for j, product in enumerate(PRODUCTS):
        count = sum(product in {str(k) for k in kinds} for kinds in peer_products)
        rate = count / n if n else float("nan")
        denom = n + prior_weight
        prop = (
            (count + prior_weight * pooled[j]) / denom
            if denom > 0
            else float(pooled[j])
        )
        rates.append(rate)
        props.append(float(prop))
        held = product in {str(k) for k in client_products}
        if not held and n and rate >= standard_share:
            gaps.append((-float(prop), j))
    return ClientProductGap(
        peer_rate=tuple(rates),
        propensity=tuple(props),
        gaps=tuple(PRODUCTS[j] for _, j in sorted(gaps)),
    )
