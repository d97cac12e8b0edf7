# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""Relationship RAROC: every field, every group's checks, both forms (issue #23).

RAROC_j = (sum of facility income + r_f C + fees + deposit balance x margin) / sum C,
EVA_j = income - h x C (docs/explanation/pricing-raroc.md). Each amount moves the
result by its own exact amount; each refusal asserts the field and the words of what
was expected, for ids and for codes.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.pricing import relationship_raroc, relationship_raroc_by_code

FAC: dict[str, Any] = {
    "revenue": [10.0, 6.0, 4.0],
    "funding_cost": [4.0, 2.0, 1.0],
    "expected_loss": [1.0, 0.5, 0.25],
    "operating_cost": [0.5, 0.25, 0.5],
    "capital": [20.0, 10.0, 5.0],
    "risk_free_rate": 0.02,
    "hurdle_rate": 0.1,
}
EXTRA: dict[str, Any] = {
    "fee_income": [1.5, 0.75],
    "deposit_balance": [100.0, 50.0],
    "deposit_margin": [0.01, -0.02],
}
# clients A (facilities 0 and 2), B (facility 1); fees A and C; deposits C and B
INCOME = {
    "A": (10 - 4 - 1 - 0.5 + 0.02 * 20) + (4 - 1 - 0.25 - 0.5 + 0.02 * 5) + 1.5,
    "B": (6 - 2 - 0.5 - 0.25 + 0.02 * 10) + 50 * -0.02,
    "C": 0.75 + 100 * 0.01,
}
CAPITAL = {"A": 25.0, "B": 10.0, "C": 0.0}


def _by_id(**kw: Any) -> Any:
    args = {
        **FAC,
        "facility_client": ["A", "B", "A"],
        "fee_client": ["A", "C"],
        "deposit_client": ["C", "B"],
        **EXTRA,
        **kw,
    }
    return relationship_raroc(**args)


def _by_code(**kw: Any) -> Any:
    args = {
        **FAC,
        "fee_codes": [0, 2],
        "deposit_codes": [2, 1],
        **EXTRA,
        **kw,
    }
    return relationship_raroc_by_code([0, 1, 0], n_clients=3, **args)


def test_every_field_by_id_and_by_code():
    for r, ids in ((_by_id(), ["A", "B", "C"]), (_by_code(), [0, 1, 2])):
        assert r.client_ids.tolist() == ids
        np.testing.assert_allclose(r.income, list(INCOME.values()), rtol=1e-14)
        assert r.capital.tolist() == list(CAPITAL.values())
        np.testing.assert_allclose(
            r.raroc[:2], [INCOME["A"] / 25.0, INCOME["B"] / 10.0], rtol=1e-14
        )
        assert math.isnan(r.raroc[2])  # no capital: undefined
        np.testing.assert_allclose(
            r.eva,
            [INCOME["A"] - 2.5, INCOME["B"] - 1.0, INCOME["C"]],
            rtol=1e-14,
        )


def test_the_post_tax_hurdle_is_grossed_up_for_eva():
    for call in (_by_id, _by_code):
        r = call(hurdle_rate=0.09, hurdle_basis="post_tax", tax_rate=0.25)
        np.testing.assert_allclose(
            r.eva, [INCOME["A"] - 0.12 * 25, INCOME["B"] - 0.12 * 10, INCOME["C"]]
        )
        with pytest.raises(InvalidValueError) as err:
            call(tax_rate=0.25)
        assert err.value.field == "tax_rate"
        with pytest.raises(InvalidValueError) as err:
            call(hurdle_rate=0.019)
        assert err.value.field == "hurdle_rate"
        assert "risk-free rate (0.02)" in err.value.expected
        assert call(hurdle_rate=0.02).eva[2] == INCOME["C"]  # equal is allowed


def test_the_defaults_are_no_fees_no_deposits_pre_tax():
    r = relationship_raroc(facility_client=["A", "B", "A"], **FAC)
    assert r.client_ids.tolist() == ["A", "B"]
    np.testing.assert_allclose(
        r.income, [INCOME["A"] - 1.5, INCOME["B"] + 1.0], rtol=1e-14
    )
    k = relationship_raroc_by_code([0, 1, 0], n_clients=2, **FAC)
    np.testing.assert_allclose(k.income, r.income, rtol=1e-14)
    np.testing.assert_allclose(k.eva, r.income - 0.1 * r.capital, rtol=1e-14)


@pytest.mark.parametrize(
    ("name", "bad", "words"),
    [
        ("expected_loss", [1.0, -1e-300, 0.0], ">= 0"),
        ("operating_cost", [0.0, 0.0, -1e-300], ">= 0"),
        ("capital", [-1e-300, 1.0, 1.0], ">= 0"),
        ("revenue", [1.0, math.inf, 1.0], "finite"),
        ("funding_cost", [math.nan, 1.0, 1.0], "finite"),
        ("fee_income", [-1e-300, 1.0], ">= 0"),
        ("deposit_balance", [1.0, -1e-300], ">= 0"),
        ("deposit_margin", [1.0000001, 0.0], "[-1, 1]"),
        ("deposit_margin", [0.0, -1.0000001], "[-1, 1]"),
    ],
)
def test_each_amount_bound_is_named(name, bad, words):
    index = next(i for i, v in enumerate(bad) if v not in {0.0, 1.0})
    for call in (_by_id, _by_code):
        with pytest.raises(InvalidValueError) as err:
            call(**{name: bad})
        assert err.value.field == f"{name}[{index}]"
        assert words in err.value.expected


def test_bounds_are_inclusive():
    for call in (_by_id, _by_code):
        r = call(
            expected_loss=[0.0] * 3,
            operating_cost=[0.0] * 3,
            capital=[0.0, 10.0, 0.0],
            fee_income=[0.0, 0.0],
            deposit_balance=[0.0, 50.0],
            deposit_margin=[1.0, -1.0],
            risk_free_rate=-1.0,
            hurdle_rate=-1.0,
        )
        assert r.capital.tolist() == [0.0, 10.0, 0.0]
        assert r.income[1] == pytest.approx(6 - 2 - 10 - 50)
        r = call(risk_free_rate=1.0, hurdle_rate=1.0)
        assert r.income[0] == pytest.approx(INCOME["A"] + 0.98 * 25)


def test_rates_are_one_value_and_in_range():
    for call in (_by_id, _by_code):
        for bad in (1.0000001, -1.0000001):
            with pytest.raises(InvalidValueError) as err:
                call(risk_free_rate=bad, hurdle_rate=2.0)
            assert err.value.field == "risk_free_rate[0]"
            assert "[-1, 1]" in err.value.expected
        for name in ("risk_free_rate", "hurdle_rate"):
            with pytest.raises(InvalidValueError) as err:
                call(**{name: []})
            assert err.value.field == name
            assert "non-empty" in err.value.expected
        with pytest.raises(InvalidValueError) as err:
            call(hurdle_rate=math.inf)
        assert err.value.field == "hurdle_rate[0]"


@pytest.mark.parametrize(
    ("group", "changes", "field", "other", "n"),
    [
        ("facility", {"revenue": [1.0, 2.0]}, "revenue", None, 3),
        ("fee", {"fee_income": [1.0]}, "fee_income", "fee", 2),
        ("deposit", {"deposit_balance": [1.0]}, "deposit_balance", "deposit", 2),
        ("deposit", {"deposit_margin": [0.0]}, "deposit_margin", "deposit", 2),
    ],
)
def test_each_groups_lengths_are_checked(group, changes, field, other, n):
    if group == "facility":
        changes = {
            key: [1.0, 2.0] for key in FAC if key.endswith(("nue", "cost", "loss"))
        }
        changes["capital"] = [1.0, 2.0]
        with pytest.raises(InvalidValueError) as err:
            _by_id(**changes)
        assert err.value.field == "revenue"
        assert err.value.expected == "the same length as `facility_client` (3)"
        with pytest.raises(InvalidValueError) as err:
            _by_code(**changes)
        assert err.value.field == "revenue"
        assert err.value.expected == "the same length as `facility_codes` (3)"
        return
    with pytest.raises(InvalidValueError) as err:
        _by_id(**changes)
    assert (err.value.field, err.value.value) == (field, "length 1")
    assert err.value.expected == f"the same length as `{other}_client` ({n})"
    with pytest.raises(InvalidValueError) as err:
        _by_code(**changes)
    assert (err.value.field, err.value.value) == (field, "length 1")
    assert err.value.expected == f"the same length as `{other}_codes` ({n})"


def test_codes_must_be_integers_in_range():
    assert _by_code(fee_codes=[], fee_income=[]).income[2] == 1.0  # empty is fine
    with pytest.raises(InvalidValueError) as err:
        relationship_raroc_by_code([0, 3, 0], n_clients=3, **FAC)
    assert (err.value.field, err.value.value) == ("facility_codes[1]", 3)
    assert err.value.expected == "a client code in [0, 3)"
    with pytest.raises(InvalidValueError) as err:
        _by_code(deposit_codes=[2, -1])
    assert (err.value.field, err.value.value) == ("deposit_codes[1]", -1)
    with pytest.raises(InvalidValueError) as err:
        _by_code(fee_codes=[0.0, 2.0])
    assert (err.value.field, err.value.value) == ("fee_codes", "array of dtype float64")
    assert err.value.expected == "integer client codes in [0, 3)"
    r = relationship_raroc_by_code(
        np.array([0, 1, 0], dtype=np.uint8), n_clients=3, **FAC
    )
    assert r.capital.tolist() == [25.0, 10.0, 0.0]  # a client with no record
    assert math.isnan(r.raroc[2])
    assert r.eva[2] == 0.0


@pytest.mark.parametrize("bad", [-1, 1.5, "3", math.nan, True])
def test_n_clients_must_be_an_integer_at_least_zero(bad):
    with pytest.raises(InvalidValueError) as err:
        relationship_raroc_by_code(
            [],
            n_clients=bad,
            **{
                **FAC,
                **{
                    k: []
                    for k in (
                        "revenue",
                        "funding_cost",
                        "expected_loss",
                        "operating_cost",
                        "capital",
                    )
                },
            },
        )
    assert err.value.field == "n_clients"
    assert err.value.value is bad or (
        isinstance(bad, float) and math.isnan(bad) and math.isnan(err.value.value)
    )
    assert err.value.expected == "an integer >= 0"


def test_no_clients_and_a_float_count():
    empty: dict[str, list[float]] = {
        k: []
        for k in (
            "revenue",
            "funding_cost",
            "expected_loss",
            "operating_cost",
            "capital",
        )
    }
    r = relationship_raroc_by_code([], n_clients=0, **{**FAC, **empty})
    assert r.client_ids.tolist() == []
    assert r.income.shape == (0,)
    r = relationship_raroc_by_code(
        [0], n_clients=2.0, **{**FAC, **{k: [1.0] for k in empty}}
    )
    assert r.client_ids.tolist() == [0, 1]
    assert r.client_ids.dtype == np.int64


def test_one_client_given_as_scalars():
    one = {
        "revenue": 10.0,
        "funding_cost": 4.0,
        "expected_loss": 1.0,
        "operating_cost": 0.5,
        "capital": 20.0,
        "risk_free_rate": 0.02,
        "hurdle_rate": 0.1,
        "fee_income": 1.5,
        "deposit_balance": 100.0,
        "deposit_margin": 0.01,
    }
    income = 10 - 4 - 1 - 0.5 + 0.02 * 20 + 1.5 + 1.0
    r = relationship_raroc(
        facility_client="A", fee_client="A", deposit_client="A", **one
    )
    assert r.client_ids.tolist() == ["A"]
    assert r.income.tolist() == pytest.approx([income], rel=1e-14)
    k = relationship_raroc_by_code(0, n_clients=1, fee_codes=0, deposit_codes=0, **one)
    assert k.client_ids.tolist() == [0]
    assert k.income.tolist() == pytest.approx([income], rel=1e-14)


def test_capital_below_one_unit_has_a_raroc():
    r = relationship_raroc(
        facility_client=["A"],
        revenue=[0.1],
        funding_cost=[0.0],
        expected_loss=[0.0],
        operating_cost=[0.0],
        capital=[0.5],
        risk_free_rate=0.0,
        hurdle_rate=0.1,
    )
    assert r.raroc.tolist() == [0.2]
