"""Exact tests of `counterparty_exposures` (`lendcrm.risk.portfolio._indirect`), #23.

Each test pins a rule the mutation run found unread: the defaults (no guarantors, no
cover), every refusal by field and whole words, the share's open lower bound and
closed upper bound, ids that are not text, and a row without a guarantor under groups.
"""

from __future__ import annotations

from typing import Any

import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.portfolio import counterparty_exposures


def test_without_guarantors_every_exposure_stays_direct():
    r = counterparty_exposures([100.0, 30.0], ["A", "B"], bank_share=[0.4, 1.0])
    assert r.counterparties.tolist() == ["A", "B"]
    assert r.direct.tolist() == [40.0, 30.0]
    assert r.indirect.tolist() == [0.0, 0.0]
    assert r.total.tolist() == [40.0, 30.0]


def test_a_guarantor_without_cover_carries_nothing():
    # `covered` defaults to 0: naming a guarantor moves nothing (substitution of the
    # covered part only, LEX30).
    r = counterparty_exposures([100.0], ["A"], guarantors=["G"])
    assert r.counterparties.tolist() == ["A", "G"]
    assert r.direct.tolist() == [100.0, 0.0]
    assert r.indirect.tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"exposures": [-1.0]}, "exposures[0]", "a finite number >= 0; got -1.0."),
        ({"bank_share": 0.0}, "bank_share[0]", "a finite number in (0, 1]; got 0.0."),
        ({"bank_share": 1.5}, "bank_share[0]", "a finite number in (0, 1]; got 1.5."),
        ({"bank_share": -0.5}, "bank_share[0]", "a finite number in (0, 1]; got -0.5."),
        ({"covered": -2.0}, "covered[0]", "a finite number >= 0; got -2.0."),
        ({"obligors": ["A", "B"]}, "obligors", "one per row (1); got 'length 2'."),
        ({"guarantors": ["G", "H"]}, "guarantors", "one per row (1); got 'length 2'."),
        ({"groups": ["A"]}, "groups", "a mapping of ids; got a 'list'."),
    ],
)
def test_refusals_name_the_field_in_whole_words(kwargs, field, words):
    args = {"exposures": [1.0], "obligors": ["A"], **kwargs}
    with pytest.raises(InvalidValueError) as info:
        counterparty_exposures(**args)
    assert info.value.field == field
    assert str(info.value) == f"`{field}` must be {words}"


def test_a_whole_share_is_accepted():
    r = counterparty_exposures([50.0], ["A"], bank_share=1.0)
    assert r.direct.tolist() == [50.0]


def test_ids_that_are_not_text_keep_their_group_lookup():
    # Obligors given as numbers are looked up in `groups` as given (1, not "1"), and
    # reported as text after grouping.
    # (`obligors` is array-like, so numeric ids are allowed; the mapping is keyed by them.)
    groups: dict[Any, str] = {1: "G"}
    r = counterparty_exposures([10.0, 20.0], [1, 2], groups=groups)
    assert r.counterparties.tolist() == ["2", "G"]
    assert r.direct.tolist() == [20.0, 10.0]


def test_a_row_without_guarantor_is_not_looked_up_in_groups():
    # A mapping that happens to name the empty id must not invent a guarantor.
    r = counterparty_exposures(
        [100.0], ["A"], guarantors=[None], covered=[50.0], groups={"": "Ghost"}
    )
    assert r.counterparties.tolist() == ["A"]
    assert r.direct.tolist() == [100.0]
    assert r.indirect.tolist() == [0.0]
