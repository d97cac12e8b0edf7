"""Bank's share and the substitution approach (BCBS 283, LEX30): direct + indirect."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm.errors import InvalidValueError
from lendcrm.risk.portfolio import counterparty_exposures, large_exposures


def test_guaranteed_part_moves_to_the_guarantor_at_the_banks_share() -> None:
    r = counterparty_exposures(
        [100.0, 50.0, 80.0],
        ["A", "A", "B"],
        bank_share=[0.5, 1.0, 0.25],
        guarantors=["G", "", "A"],
        covered=[200.0, 0.0, 40.0],  # the first cover exceeds the exposure: capped
    )
    assert r.counterparties.tolist() == ["A", "B", "G"]
    # A: 50 (covered in full by G) -> 0 direct from row 1, + 50 row 2; indirect 10
    assert r.direct.tolist() == [50.0, 10.0, 0.0]
    assert r.indirect.tolist() == [10.0, 0.0, 50.0]
    assert r.total.tolist() == [60.0, 10.0, 50.0]


def test_group_totals_feed_the_large_exposure_check() -> None:
    r = counterparty_exposures(
        [100.0, 100.0],
        ["A", "B"],
        guarantors=["P", None],
        covered=[60.0, 0.0],
        groups={"A": "Grp", "P": "Grp"},
    )
    assert r.counterparties.tolist() == ["B", "Grp"]
    assert r.total.tolist() == [100.0, 100.0]  # the group's 40 direct + 60 indirect
    res = large_exposures(r.total, capital=350.0, obligors=r.counterparties)
    assert res.breach.tolist() == [True, True]


@given(
    st.lists(
        st.tuples(
            st.floats(0, 1e6),
            st.floats(0.01, 1.0),
            st.sampled_from("ABC"),
            st.sampled_from(["", "G", "A"]),
            st.floats(0, 2e6),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_substitution_conserves_the_banks_exposure(
    rows: list[tuple[float, float, str, str, float]],
) -> None:
    e, share, obl, gua, cov = (list(c) for c in zip(*rows, strict=True))
    r = counterparty_exposures(e, obl, bank_share=share, guarantors=gua, covered=cov)
    assert r.total.sum() == pytest.approx(float(np.dot(e, share)), rel=1e-9, abs=1e-6)
    assert (r.direct >= -1e-9).all()


def test_ids_of_another_length() -> None:
    with pytest.raises(InvalidValueError, match="`guarantors` must be one per row"):
        counterparty_exposures([1.0, 2.0], ["A", "B"], guarantors=["G"])
