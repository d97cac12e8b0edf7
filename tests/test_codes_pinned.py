"""The shipped ISO code tables are pinned entry by entry (issue #23, deliverable 4).

`lendcrm._codes` holds only module-level tables, which mutation tools do not mutate:
these tests fail if any entry is added, dropped or changed. The digests cover every
entry; the explicit lists say which entries are special (ISO 4217 minor units other
than 2, "N.A." units) so a failure shows what moved.
"""

from __future__ import annotations

import hashlib
import json
from types import MappingProxyType

from lendcrm._codes import COUNTRY_CODES, CURRENCY_MINOR_UNITS


def _digest(entries: object) -> str:
    return hashlib.sha256(json.dumps(entries).encode()).hexdigest()


def test_currency_minor_units_every_entry() -> None:
    assert isinstance(CURRENCY_MINOR_UNITS, MappingProxyType)
    assert len(CURRENCY_MINOR_UNITS) == 175
    assert _digest(sorted(CURRENCY_MINOR_UNITS.items())) == (
        "d84bdf67c2afd2bda25f5a6ca01155d55f1479b6f257b26eeaafadba8f9d8b19"
    )
    by_units: dict[int | None, list[str]] = {}
    for code, units in CURRENCY_MINOR_UNITS.items():
        by_units.setdefault(units, []).append(code)
    assert sorted(by_units[0]) == [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
        "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    ]  # fmt: skip
    assert sorted(by_units[3]) == ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]
    assert sorted(by_units[4]) == ["CLF", "UYW"]
    assert sorted(by_units[None]) == [
        "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XUA",
    ]  # fmt: skip
    assert len(by_units[2]) == 138
    assert set(by_units) == {0, 2, 3, 4, None}
    # the 2025/2026 amendments the module docstring names
    assert "XCG" in CURRENCY_MINOR_UNITS
    assert "ZWG" in CURRENCY_MINOR_UNITS
    assert not {"ANG", "ZWL", "BGN", "XTS", "XXX"} & set(CURRENCY_MINOR_UNITS)


def test_country_codes_every_entry() -> None:
    assert isinstance(COUNTRY_CODES, frozenset)
    assert len(COUNTRY_CODES) == 249
    assert _digest(sorted(COUNTRY_CODES)) == (
        "a4153443b0b3507bb8ac7eccf443dd635be6ba20bb80b3f1a0fc84c2b66d9b42"
    )
    assert all(len(c) == 2 and c.isascii() and c.isupper() for c in COUNTRY_CODES)
    assert {"DE", "US", "GB", "ZW", "AD"} <= COUNTRY_CODES
