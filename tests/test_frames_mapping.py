"""Column mappings (#16 item 1): text read exactly or refused by name, mappings checked."""

from __future__ import annotations

import json
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lendcrm import Sector
from lendcrm.errors import BatchValidationError, InvalidValueError, SchemaError
from lendcrm.frames.mapping import Column, ColumnMapping
from lendcrm.frames.mapping._parse import NACE_DIVISIONS


def _one(column: Column, values: list[object]) -> pd.DataFrame:
    mapping = ColumnMapping(frame="clients", columns=[column])
    return mapping.apply(pd.DataFrame({column.source: values}))


def _refusal(column: Column, values: list[object]) -> list[str]:
    with pytest.raises(BatchValidationError) as info:
        _one(column, values)
    return [str(e) for e in info.value.exceptions]


REVENUE_DE = Column(target="annual_revenue", source="UMSATZ", parse="decimal",
                    decimal=",", thousands=".")  # fmt: skip


def test_decimals_in_german_notation_are_read_exactly():
    out = _one(REVENUE_DE, ["1.234,56", " 12,5 ", "-0,10", "7", "", None, "1.000.000"])
    assert out["annual_revenue"].tolist()[:4] == [1234.56, 12.5, -0.1, 7.0]
    assert np.isnan(out["annual_revenue"].to_numpy()[4:6]).all()
    assert out["annual_revenue"].iloc[6] == 1_000_000.0
    assert out["annual_revenue"].dtype == np.float64


def test_the_wrong_separator_setting_is_refused_by_name():
    column = Column(target="annual_revenue", source="UMSATZ", parse="decimal")
    assert _refusal(column, ["12.5", "1.234,56"]) == [
        (
            "`clients[1].annual_revenue` must be a decimal number written with '.' as the "
            "decimal separator and no thousands separator (source column 'UMSATZ'); got "
            "'1.234,56'. 1 row fails this rule: 1."
        )
    ]
    # English notation read with the German setting: refused, never 1.23456
    assert _refusal(REVENUE_DE, ["1,234.56"]) == [
        (
            "`clients[0].annual_revenue` must be a decimal number written with ',' as the "
            "decimal separator and '.' for thousands separator (source column 'UMSATZ'); "
            "got '1,234.56'. 1 row fails this rule: 0."
        )
    ]


@pytest.mark.parametrize(
    "text", ["1.23,4", "12.34", "1..234", "1 234", "", "e5", "1,2,3"]
)
def test_malformed_thousands_groups_are_refused(text):
    column = Column(target="annual_revenue", source="X", parse="decimal",
                    decimal=",", thousands=".")  # fmt: skip
    if text == "":
        assert np.isnan(_one(column, [text])["annual_revenue"].iloc[0])
    else:
        assert len(_refusal(column, [text])) == 1


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=0, max_value=3),
    st.sampled_from([-2, 0, 3, 6]),
)
def test_scaled_numbers_are_the_float_nearest_the_decimal(mantissa, places, exponent):
    """Scaling is exact: ``Decimal(repr(x))`` is the scaled decimal (15 digits at most)."""
    value = Decimal(mantissa).scaleb(-places)
    text = f"{value:,.{places}f}".replace(",", "_").replace(".", ",").replace("_", ".")
    column = Column(target="annual_revenue", source="X", parse="decimal",
                    decimal=",", thousands=".", scale=10.0**exponent)  # fmt: skip
    got = _one(column, [text])["annual_revenue"].iloc[0]
    assert Decimal(repr(float(got))) == value.scaleb(exponent)


def test_thousands_scaling_of_a_german_export():
    column = Column(target="annual_revenue", source="UMSATZ_TEUR", parse="decimal",
                    decimal=",", thousands=".", scale=1000)  # fmt: skip
    assert _one(column, ["12.500,5", "0,001"])["annual_revenue"].tolist() == [
        12_500_500.0,
        1.0,
    ]


def test_integers_refuse_fractions():
    column = Column(target="product_count", source="N", parse="integer")
    assert _one(column, ["3", "12"])["product_count"].tolist() == [3, 12]
    assert _refusal(column, ["2,5"]) == [
        (
            "`clients[0].product_count` must be a whole number written with no thousands "
            "separator (source column 'N'); got '2,5'. 1 row fails this rule: 0."
        )
    ]


def test_dates_are_read_in_the_given_format_or_refused():
    column = Column(target="onboarded_on", source="SEIT", parse="date",
                    date_format="%d.%m.%Y")  # fmt: skip
    out = _one(column, ["02.01.2015", " ", None])
    assert out["onboarded_on"].dtype == "datetime64[ns]"
    assert out["onboarded_on"].iloc[0] == pd.Timestamp("2015-01-02")
    assert out["onboarded_on"].iloc[1:].isna().all()
    assert _refusal(column, ["31.13.2020", "2020-01-02"]) == [
        (
            "`clients[0].onboarded_on` must be a date in the format '%d.%m.%Y' (source "
            "column 'SEIT'); got '31.13.2020'. 2 rows fail this rule: 0, 1."
        )
    ]


def test_a_time_of_day_is_refused():
    column = Column(target="onboarded_on", source="T", parse="date",
                    date_format="%Y-%m-%d %H:%M")  # fmt: skip
    assert _one(column, ["2020-01-02 00:00"])["onboarded_on"].iloc[0] == pd.Timestamp(
        "2020-01-02"
    )
    assert len(_refusal(column, ["2020-01-02 09:30"])) == 1


def test_booleans_by_their_spellings():
    column = Column(target="on_watchlist", source="W", parse="bool",
                    true=("J", "ja"), false=("N", "nein"))  # fmt: skip
    out = _one(column, ["j", " JA", "n", "Nein"])
    assert out["on_watchlist"].dtype == np.bool_
    assert out["on_watchlist"].tolist() == [True, True, False, False]
    assert _refusal(column, ["j", "vielleicht"]) == [
        (
            "`clients[1].on_watchlist` must be one of 'J', 'ja', 'N', 'nein' (source column "
            "'W'); got 'vielleicht'. 1 row fails this rule: 1."
        )
    ]
    blank = _one(column, ["j", ""])["on_watchlist"]
    assert str(blank.dtype) == "boolean"
    assert blank.isna().tolist() == [False, True]


def test_a_banks_product_codes_become_facility_kinds():
    mapping = ColumnMapping(frame="facilities", columns=[
        Column(target="kind", source="PRODUKT", parse="code",
               aliases={"KK": "revolving_credit", "DL": "term_loan"}),
    ])  # fmt: skip
    out = mapping.apply(pd.DataFrame({"PRODUKT": ["KK", " DL", "bridge", "XX"]}))
    assert out["kind"].tolist() == ["revolving_credit", "term_loan", "bridge", "XX"]


def test_nace_codes_become_sections():
    column = Column(target="sector", source="NACE", parse="nace")
    out = _one(
        column, ["25.62", "2562", "25", "01.11", "64.1", "F", " 86 ", "", None, "256"]
    )
    assert out["sector"].tolist() == [
        "C",
        "C",
        "C",
        "A",
        "K",
        "F",
        "Q",
        None,
        None,
        "C",
    ]
    assert _refusal(column, ["04.11", "1.11", "X", "25678"]) == [
        (
            "`clients[0].sector` must be a NACE Rev. 2 code of an existing division (2 to 4 "
            "digits) or a section letter (source column 'NACE'); got '04.11'. 4 rows fail "
            "this rule: 0, 1, 2, 3."
        )
    ]


def test_the_nace_table_has_the_88_divisions_of_the_21_sections():
    """Eurostat, NACE Rev. 2 (2008), pp. 61-90: 21 sections, 88 divisions."""
    assert len(NACE_DIVISIONS) == 88
    assert sorted(set(NACE_DIVISIONS.values())) == sorted(s.value for s in Sector)
    assert [d for d in range(1, 100) if d not in NACE_DIVISIONS] == [
        4, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89,
    ]  # fmt: skip
    assert (NACE_DIVISIONS[35], NACE_DIVISIONS[64], NACE_DIVISIONS[99]) == (
        "D",
        "K",
        "U",
    )


def test_constants_fill_every_row():
    mapping = ColumnMapping(frame="facilities", columns=[
        Column(target="currency", constant="EUR"),
        Column(target="margin_bps", constant=150),
        Column(target="start_on", constant="2024-01-01", parse="date"),
        Column(target="facility_id", source="KONTO", parse="text"),
    ])  # fmt: skip
    out = mapping.apply(pd.DataFrame({"KONTO": ["F-1", "F-2"]}, index=[7, 9]))
    assert out.index.tolist() == [7, 9]
    assert out["currency"].tolist() == ["EUR", "EUR"]
    assert out["margin_bps"].dtype == np.int64
    assert out["start_on"].tolist() == [pd.Timestamp("2024-01-01")] * 2


def test_every_unparsable_column_is_reported_in_one_call():
    mapping = ColumnMapping(frame="clients", columns=[
        REVENUE_DE,
        Column(target="onboarded_on", source="SEIT", parse="date"),
    ])  # fmt: skip
    source = pd.DataFrame(
        {"UMSATZ": ["1,234.56"], "SEIT": ["01.02.2020"]}, index=["K-1"]
    )
    with pytest.raises(BatchValidationError) as info:
        mapping.apply(source)
    assert [getattr(e, "field", "") for e in info.value.exceptions] == [
        "clients['K-1'].annual_revenue",
        "clients['K-1'].onboarded_on",
    ]


def test_a_missing_source_column_is_named_with_a_hint_among_unused_columns():
    mapping = ColumnMapping(frame="clients", columns=[
        Column(target="client_id", source="KDNR"),
        Column(target="legal_name", source="NAME"),
    ])  # fmt: skip
    with pytest.raises(SchemaError) as info:
        mapping.apply(pd.DataFrame({"KDNR": ["K-1"], "NAME1": ["x"]}))
    assert str(info.value) == (
        "`clients source.columns` must be the columns and dtypes of the clients source "
        "schema; got missing ['NAME']. Did you mean 'NAME1'?"
    )


def test_a_repeated_source_column_is_refused():
    source = pd.DataFrame([["K-1", "K-2"]], columns=["KDNR", "KDNR"])
    mapping = ColumnMapping(
        frame="clients", columns=[Column(target="client_id", source="KDNR")]
    )
    with pytest.raises(InvalidValueError) as info:
        mapping.apply(source)
    assert str(info.value) == (
        "`clients source.columns` must be unique column names (each column once); got "
        "['KDNR']."
    )


def test_unknown_targets_get_a_did_you_mean():
    with pytest.raises(InvalidValueError) as info:
        ColumnMapping(frame="facilities", columns=[Column(target="limt", source="L")])
    assert str(info.value) == (
        "`ColumnMapping(facilities).columns[0].target` must be a column of the "
        "facilities frame; got 'limt'. Did you mean 'limit'?"
    )


def test_two_sources_for_one_column_are_refused():
    with pytest.raises(InvalidValueError) as info:
        ColumnMapping(frame="clients", columns=[
            Column(target="legal_name", source="NAME1"),
            Column(target="legal_name", source="NAME2"),
        ])  # fmt: skip
    assert str(info.value) == (
        "`ColumnMapping(clients).columns[1].target` must be a target no other entry "
        "fills (columns[0] fills it already: one source per column); got 'legal_name'."
    )


def test_an_unknown_frame_is_refused_with_a_hint():
    with pytest.raises(InvalidValueError, match="Did you mean 'facilities'"):
        ColumnMapping(frame="facility", columns=[])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source": "A", "constant": 1},
         ("`Column('limit')` must be either a source column or a constant; got "
         "{'source': 'A', 'constant': 1}.")),
        ({}, ("`Column('limit')` must be either a source column or a constant; got "
         "{'source': '', 'constant': None}.")),
        ({"source": "A", "scale": 250},
         ("`Column.scale` must be a power of ten (0.01, 1, 1000, 1000000), so scaling "
         "stays exact; got 250.")),
        ({"source": "A", "decimal": ",", "thousands": ","},
         ("`Column.thousands` must be a separator other than the decimal separator ','; "
         "got ','.")),
        ({"source": "A", "decimal": ";"},
         ("`Column.decimal/thousands` must be decimal '.' or ',' and thousands '', '.', "
         "',', ' ' or \"'\"; got (';', '').")),
        ({"source": "A", "parse": "decimals"},
         ("`Column.parse` must be one of 'as_is', 'text', 'decimal', 'integer', 'date', "
         "'bool', 'code', 'nace'; got 'decimals'. Did you mean 'decimal'?")),
    ],
)  # fmt: skip
def test_bad_columns_are_refused_by_name(changes, message):
    with pytest.raises(InvalidValueError) as info:
        Column(target="limit", **changes)
    assert str(info.value) == message


def test_a_mapping_round_trips_through_json():
    mapping = ColumnMapping(frame="facilities", columns=[
        Column(target="limit", source="LIMIT_TEUR", parse="decimal", decimal=",",
               thousands=".", scale=1000),
        Column(target="kind", source="PRODUKT", parse="code", aliases={"KK": "revolving_credit"}),
        Column(target="allows_overdraw", source="UEB", parse="bool", true=("J",), false=("N",)),
        Column(target="start_on", source="BEGINN", parse="date", date_format="%d.%m.%Y"),
        Column(target="currency", constant="EUR"),
    ])  # fmt: skip
    data = json.loads(json.dumps(mapping.to_dict()))
    assert ColumnMapping.from_dict(data) == mapping
    assert data["columns"][4] == {"target": "currency", "constant": "EUR"}
    assert data["columns"][2]["true"] == ["J"]


def test_from_dict_names_an_unknown_key_with_a_hint():
    with pytest.raises(InvalidValueError) as info:
        ColumnMapping.from_dict(
            {"frame": "clients", "columns": [{"target": "legal_name", "sorce": "NAME"}]}
        )
    assert str(info.value) == (
        "`mapping.columns[0].sorce` must be a known key; got 'sorce'. "
        "Did you mean 'source'?"
    )
