"""The shipped code lists pinned entry by entry (issue #23, item 4).

`lendcrm._codes` is data only (nothing for mutmut to mutate): these tests fail if a
currency, its minor units or a country code is added, dropped or changed. The
currencies whose minor units are not 2 are listed as ISO 4217 gives them; a digest
of the sorted tables pins every other entry.
"""

from __future__ import annotations

import hashlib
from types import MappingProxyType

from lendcrm._codes import COUNTRY_CODES, CURRENCY_MINOR_UNITS


def digest(items: object) -> str:
    return hashlib.sha256(repr(items).encode()).hexdigest()


def test_currency_minor_units_not_two_as_iso_4217_lists_them():
    by_units: dict[int | None, list[str]] = {}
    for code, units in sorted(CURRENCY_MINOR_UNITS.items()):
        if units != 2:
            by_units.setdefault(units, []).append(code)
    assert by_units == {
        0: [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        3: ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"],
        4: ["CLF", "UYW"],
        None: [
            "XAG",
            "XAU",
            "XBA",
            "XBB",
            "XBC",
            "XBD",
            "XDR",
            "XPD",
            "XPT",
            "XSU",
            "XUA",
        ],
    }


def test_currency_table_pinned_whole():
    assert len(CURRENCY_MINOR_UNITS) == 175
    assert digest(sorted(CURRENCY_MINOR_UNITS.items())) == (
        "1d56d531e43f132807667ab7c62a66d7b6c3edd0cb105095270e78243678b974"
    )
    assert isinstance(CURRENCY_MINOR_UNITS, MappingProxyType)  # read-only


def test_currency_amendments_and_left_out_codes():
    assert CURRENCY_MINOR_UNITS["XCG"] == 2  # replaces ANG
    assert CURRENCY_MINOR_UNITS["ZWG"] == 2  # replaces ZWL
    for gone in ("ANG", "ZWL", "BGN", "XTS", "XXX"):
        assert gone not in CURRENCY_MINOR_UNITS
    assert CURRENCY_MINOR_UNITS["EUR"] == 2
    assert CURRENCY_MINOR_UNITS["USD"] == 2


def test_country_codes_pinned_whole():
    assert len(COUNTRY_CODES) == 249
    assert isinstance(COUNTRY_CODES, frozenset)
    assert all(len(c) == 2 and c.isupper() for c in COUNTRY_CODES)
    assert digest(sorted(COUNTRY_CODES)) == (
        "2d54420eb2a8d52ce0d2ed95281509e7ad3aef2e8a50ab73687d2d053f2010d1"
    )
    assert {"AD", "DE", "GB", "US", "ZW"} <= COUNTRY_CODES
    assert not {"UK", "EU", "XK"} & COUNTRY_CODES  # not officially assigned
