"""Product gaps, cross-sell propensity and share of wallet."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.relationship.commercial import (
    DEFAULT_WALLET_TABLE,
    PRODUCTS,
    WalletTable,
    bank_revenue,
    client_share_of_wallet,
    facility_revenue,
    holdings_matrix,
    peer_groups,
    product_gap,
    product_gaps,
    share_of_wallet,
    size_bands,
)

TL, RC, GU = (
    PRODUCTS.index("term_loan"),
    PRODUCTS.index("revolving_credit"),
    PRODUCTS.index("guarantee"),
)


def test_hand_computed_gaps_and_propensities():
    # group 0: four clients; term loans held by all, revolvers by 0, 1, 2, guarantees by 1
    client = [0, 0, 1, 1, 1, 2, 2, 3]
    product = [TL, RC, TL, RC, GU, TL, RC, TL]
    h = holdings_matrix(client, product, n_clients=4)
    g = product_gaps(h, [0, 0, 0, 0], standard_share=0.5, prior_weight=2.0)
    # client 3: peers 0, 1, 2 all hold a revolver -> rate 1, gap; guarantees 1/3 -> no gap
    assert g.peer_rate[3, RC] == 1.0
    assert g.peer_rate[3, GU] == pytest.approx(1 / 3)
    assert g.gap[3].tolist() == [p == "revolving_credit" for p in PRODUCTS]
    # pooled revolver rate 3/4: (3 + 2 * 0.75) / (3 + 2) = 0.9
    assert g.propensity[3, RC] == pytest.approx(0.9)
    assert g.best_product.tolist() == [-1, -1, -1, RC]
    assert g.best_propensity()[3] == pytest.approx(0.9)
    assert np.isnan(g.best_propensity()[0])


def test_a_client_without_peers_has_no_gap_and_the_book_rate():
    h = holdings_matrix([0, 1], [TL, RC], n_clients=2)
    g = product_gaps(h, [0, 1])
    assert np.isnan(g.peer_rate).all()
    assert not g.gap.any()
    assert g.propensity[0].tolist() == pytest.approx(g.pooled_rate.tolist())


holdings = st.lists(
    st.lists(st.booleans(), min_size=len(PRODUCTS), max_size=len(PRODUCTS)),
    min_size=1,
    max_size=12,
)


@given(holdings, st.data(), st.floats(0.05, 1.0), st.floats(0.0, 10.0))
def test_batch_gaps_equal_one_client(rows, data, share, weight):
    h = np.array(rows, dtype=bool)
    group = np.array(
        data.draw(st.lists(st.integers(0, 2), min_size=len(rows), max_size=len(rows)))
    )
    batch = product_gaps(h, group, standard_share=share, prior_weight=weight)
    for i in range(len(rows)):
        mine = {PRODUCTS[j] for j in np.flatnonzero(h[i])}
        peers = [
            {PRODUCTS[j] for j in np.flatnonzero(h[k])}
            for k in range(len(rows))
            if k != i and group[k] == group[i]
        ]
        one = product_gap(
            mine,
            peers,
            pooled_rate=batch.pooled_rate,
            standard_share=share,
            prior_weight=weight,
        )
        np.testing.assert_allclose(one.peer_rate, batch.peer_rate[i], equal_nan=True)
        np.testing.assert_allclose(one.propensity, batch.propensity[i])
        assert set(one.gaps) == {PRODUCTS[j] for j in np.flatnonzero(batch.gap[i])}
        if one.gaps:
            assert batch.propensity[i, batch.best_product[i]] == pytest.approx(
                one.propensity[PRODUCTS.index(one.gaps[0])]
            )
        else:
            assert batch.best_product[i] == -1


def test_peer_groups_and_size_bands():
    bands = size_bands([1e6, 10e6, 49e6, 300e6, 2e9])
    assert bands.tolist() == [0, 1, 1, 3, 4]
    assert peer_groups(
        ["gold", "gold", "gold"], ["C", "C", "D"], [1, 1, 1]
    ).tolist() == [0, 0, 1]


def test_bad_cross_sell_inputs_are_refused():
    with pytest.raises(InvalidValueError) as e:
        holdings_matrix([0, 1], [0], n_clients=2)
    assert str(e.value) == (
        "`product_codes` must be the same length as `client_codes` (2); got 'length 1'."
    )
    with pytest.raises(
        InvalidValueError, match=r"`client_codes\[1\]` must be a code >= 0 and < 2"
    ):
        holdings_matrix([0, 2], [0, 0], n_clients=2)
    with pytest.raises(
        InvalidValueError, match=r"`holdings` must be a matrix \(n, 7\)"
    ):
        product_gaps(np.zeros((2, 3), dtype=bool), [0, 0])
    with pytest.raises(InvalidValueError, match="`peer_group` must be the same length"):
        product_gaps(np.zeros((2, 7), dtype=bool), [0])
    with pytest.raises(
        InvalidValueError,
        match=r"`standard_share\[0\]` must be a finite number in \(0, 1\]",
    ):
        product_gaps(np.zeros((2, 7), dtype=bool), [0, 0], standard_share=0.0)
    with pytest.raises(InvalidValueError, match="`client_products` must be a product"):
        product_gap({"mortgage"}, [], pooled_rate=[0.1] * 7)
    with pytest.raises(InvalidValueError, match="`edges` must be strictly increasing"):
        size_bands([1.0], edges=[2.0, 1.0])
    with pytest.raises(InvalidValueError, match=r"`keys\[1\]` must be the same length"):
        peer_groups([1, 2], [1])


def test_revenue_and_share_of_wallet_by_hand():
    # 2 % margin on 600 drawn = 12; 0.5 % on 400 undrawn = 2; 30 over 3 years = 10
    r = facility_revenue(
        drawn=[600.0, 100.0],
        limit=[1000.0, 100.0],
        margin_bps=[200, 100],
        commitment_fee_bps=[50, 50],
        arrangement_fee=[30.0, 0.0],
        tenor_years=[3.0, 1.0],
    )
    assert r.tolist() == pytest.approx([24.0, 1.0])
    per_client = bank_revenue([1, 1], r, n_clients=2)
    assert per_client.tolist() == pytest.approx([0.0, 25.0])
    # manufacturing: debt 0.3 x revenue 10_000 = 3_000; wallet 2 % = 60; share 25 / 60
    s = share_of_wallet(per_client, [5_000.0, 10_000.0], ["L", "C"])
    assert s.wallet.tolist() == pytest.approx([300.0, 60.0])
    assert s.share.tolist() == pytest.approx([0.0, 25 / 60])
    known = share_of_wallet(
        per_client, [5_000.0, 10_000.0], ["L", "C"], debt=[np.nan, 500.0]
    )
    assert known.wallet.tolist() == pytest.approx([300.0, 10.0])
    assert known.share[1] == pytest.approx(2.5)  # not clipped: the wallet is too small


@given(
    st.lists(
        st.tuples(
            st.floats(0, 1e6), st.floats(0, 1e9), st.sampled_from(list("ACDGLU"))
        ),
        min_size=1,
        max_size=10,
    )
)
def test_batch_share_of_wallet_equals_one_client(rows):
    r, sales, sector = (list(c) for c in zip(*rows, strict=True))
    batch = share_of_wallet(r, sales, sector)
    for i, row in enumerate(rows):
        wallet, share = client_share_of_wallet(*row)
        assert wallet == pytest.approx(batch.wallet[i])
        np.testing.assert_allclose(share, batch.share[i], equal_nan=True)


def test_bad_wallet_inputs_are_refused():
    with pytest.raises(InvalidValueError) as e:
        share_of_wallet([1.0], [10.0], ["Z"])
    assert str(e.value).startswith("`sector[0]` must be one of 'A', 'B'")
    with pytest.raises(
        InvalidValueError,
        match="`annual_revenue` must be length 1 or the same length as `revenue_to_bank`",
    ):
        share_of_wallet([1.0, 2.0, 3.0], [10.0, 20.0], ["C", "C"])
    with pytest.raises(
        InvalidValueError, match=r"`revenue_to_bank\[0\]` must be a finite number >= 0"
    ):
        share_of_wallet([-1.0], [10.0], ["C"])
    with pytest.raises(
        InvalidValueError, match="`debt_to_revenue` must be a ratio for every"
    ):
        WalletTable(debt_to_revenue={"C": 0.3})
    with pytest.raises(
        InvalidValueError, match="`debt_to_revenue` must be NACE sections"
    ):
        WalletTable(
            debt_to_revenue={
                **{k.value: v for k, v in DEFAULT_WALLET_TABLE.debt_to_revenue.items()},
                "ZZ": 1.0,
            }
        )
    with pytest.raises(
        InvalidValueError, match=r"`tenor_years\[0\]` must be a finite number > 0"
    ):
        facility_revenue(
            drawn=1.0,
            limit=1.0,
            margin_bps=1,
            commitment_fee_bps=0,
            arrangement_fee=0.0,
            tenor_years=0.0,
        )
    with pytest.raises(
        InvalidValueError, match=r"`client_codes\[0\]` must be a code in \[0, 1\)"
    ):
        bank_revenue([3], [1.0], n_clients=1)


def test_products_of_a_book_equal_the_frame_holdings():
    import datetime as dt

    from lendcrm.relationship.commercial import products_of
    from lendcrm.synthetic import generate_book, generate_frames

    as_of = dt.date(2025, 12, 31)
    book = generate_book(60, seed=3, as_of=as_of)
    frames = generate_frames(60, seed=3, as_of=as_of)
    ids = frames.clients["client_id"].tolist()
    f = frames.facilities
    h = holdings_matrix(
        [ids.index(c) for c in f["client_id"]],
        [PRODUCTS.index(str(k)) for k in f["kind"]],
        n_clients=len(ids),
    )
    for i, client in enumerate(ids):
        assert products_of(book, client) == {PRODUCTS[j] for j in np.flatnonzero(h[i])}
    with pytest.raises(LookupError, match="No client with id 'nobody'"):
        products_of(book, "nobody")
