"""The JSON form's hooks and error translation, exactly (issue #23).

A small attrs class with a field of every kind the converter checks is read from
dicts that are right and wrong in one place each; each refusal is compared by the
child error's whole message (its path, the value shown, the words and the hint).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from decimal import Decimal
from enum import Enum, StrEnum

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

from lendcrm import Money
from lendcrm.errors import (
    BatchValidationError,
    InvalidValueError,
    UnknownReferenceError,
)
from lendcrm.serialization import (
    SCHEMA_VERSION,
    from_dict,
    from_payload,
    make_converter,
    to_dict,
    to_payload,
)


class Shade(StrEnum):
    DARK = "dark"
    LIGHT = "light"


class Size(Enum):
    S = 1
    L = 2


@attrs.frozen
class Leaf:
    n: int


@attrs.frozen
class Rec:
    d: Decimal
    on: dt.date
    s: str
    i: int
    f: float
    b: bool
    shade: Shade
    size: Size
    arr: npt.NDArray[np.float64]
    o: object
    leaves: tuple[Leaf, ...] = ()


GOOD = {
    "d": "1.50",
    "on": "2026-03-31",
    "s": "x",
    "i": 3,
    "f": 2.5,
    "b": True,
    "shade": "dark",
    "size": 2,
    "arr": [[1.0, None]],
    "o": {"free": [1, "a"]},
    "leaves": [{"n": 1}],
}


def children(data: object, cls: type = Rec) -> list[str]:
    """The children's messages, from the default converter and from a fresh one.

    The default converter is built once per process (cached), so the hooks
    `make_converter` registers are only exercised by a converter built in the test.
    """
    with pytest.raises(BatchValidationError) as info:
        from_dict(data, cls)  # type: ignore[arg-type]
    with pytest.raises(BatchValidationError) as fresh:
        from_dict(data, cls, converter=make_converter())  # type: ignore[arg-type]
    messages = [str(e) for e in info.value.exceptions]
    assert [str(e) for e in fresh.value.exceptions] == messages
    assert fresh.value.total == info.value.total
    return messages


def one(**change: object) -> str:
    (message,) = children({**GOOD, **change})
    return message


@pytest.mark.parametrize("fresh", [False, True])
def test_a_good_dict_reads_and_writes_back(fresh):
    conv = make_converter() if fresh else None
    rec = from_dict(GOOD, Rec, converter=conv)
    assert rec.d == Decimal("1.50")
    assert rec.on == dt.date(2026, 3, 31)
    assert (rec.s, rec.i, rec.f, rec.b) == ("x", 3, 2.5, True)
    assert rec.shade is Shade.DARK
    assert rec.size is Size.L
    assert rec.arr.dtype == np.float64
    assert rec.arr.shape == (1, 2)
    assert math.isnan(rec.arr[0, 1])
    assert rec.o == {"free": [1, "a"]}
    assert rec.leaves == (Leaf(1),)
    assert to_dict(rec, converter=conv) == {**GOOD, "size": Size.L.value}
    assert type(to_dict(rec, converter=conv)["shade"]) is str
    assert from_dict({**GOOD, "f": None}, Rec, converter=conv).f != 0.0
    assert math.isnan(from_dict({**GOOD, "f": None}, Rec, converter=conv).f)
    assert to_dict(attrs.evolve(rec, f=math.inf), converter=conv)["f"] is None
    assert to_dict(attrs.evolve(rec, f=math.nan), converter=conv)["f"] is None
    assert from_dict({**GOOD, "d": 7}, Rec).d == Decimal(7)


def test_float_hook_null_is_nan_and_ints_widen():
    assert math.isnan(from_dict({**GOOD, "f": None}, Rec).f)
    out = from_dict({**GOOD, "f": 2}, Rec).f
    assert out == 2.0
    assert type(out) is float


def test_decimal_refusals():
    assert one(d=1.5) == (
        "`d` must be a decimal string such as '1250.00', not a float; got 1.5. "
        "Floats cannot hold most cent amounts exactly; send a string."
    )
    assert one(d=True) == "`d` must be a decimal string such as '1250.00'; got True."
    assert one(d=None) == "`d` must be a decimal string such as '1250.00'; got None."
    assert one(d="abc") == "`d` must be a decimal string such as '1250.00'; got 'abc'."
    assert one(d="NaN") == "`d` must be a finite decimal string; got 'NaN'."
    assert one(d="Infinity") == "`d` must be a finite decimal string; got 'Infinity'."


def test_date_str_int_bool_refusals():
    iso = "an ISO 8601 date string such as '2026-03-31'"
    assert one(on=20260331) == f"`on` must be {iso}; got 20260331."
    assert one(on="31/03/2026") == f"`on` must be {iso}; got '31/03/2026'."
    assert one(s=5) == "`s` must be a string; got 5."
    assert one(i="3") == "`i` must be an integer; got '3'."
    assert one(i=True) == "`i` must be an integer; got True."
    assert one(i=3.0) == "`i` must be an integer; got 3.0."
    assert one(f="2.5") == "`f` must be a number; got '2.5'."
    assert one(f=False) == "`f` must be a number; got False."
    assert one(b=1) == "`b` must be true or false; got 1."


def test_enum_refusals_list_every_value():
    assert one(shade="grey") == "`shade` must be one of 'dark', 'light'; got 'grey'."
    assert one(shade=5) == "`shade` must be one of 'dark', 'light'; got 5."
    assert one(size=3) == "`size` must be one of 1, 2; got 3."


def test_array_refusals_show_short_values_and_the_type_of_long_ones():
    assert one(arr=[["a"]]) == (
        "`arr` must be a (nested) list of numbers or null; found 'a'; got [['a']]."
    )
    long = [[1.0] * 20, ["x"]]
    assert one(arr=long) == (
        "`arr` must be a rectangular nested list (rows of equal length); got 'list'."
    )
    sixty = [1] * 18 + ["xy"]  # repr: exactly 60 characters
    assert len(repr(sixty)) == 60
    assert one(arr=sixty).endswith(f"; got {sixty!r}.")
    sixty_one = [1] * 18 + ["xyz"]
    assert len(repr(sixty_one)) == 61
    assert one(arr=sixty_one).endswith("; got 'list'.")


def test_nested_paths_missing_and_extra_keys():
    messages = children({**GOOD, "leaves": [{"n": 1}, {"n": "2"}, {}]})
    assert messages == [
        "`leaves[1].n` must be an integer; got '2'.",
        "`leaves[2].n` must be present (the key is required); got None.",
    ]
    assert children({**GOOD, "leaves": [{"n": 1, "nn": 2}]}) == [
        "`leaves[0].nn` must be a known key of Leaf; got 'nn'. Did you mean 'n'?"
    ]
    keys = "Known keys: d, on, s, i, f, b, shade, size, arr, o, leaves."
    assert children({**GOOD, "zzz": 1, "abc": 2}) == [
        f"`abc` must be a known key of Rec; got 'abc'. {keys}",
        f"`zzz` must be a known key of Rec; got 'zzz'. {keys}",
    ]


def test_the_batch_counts_leaves_and_names_the_class_for_a_non_dict():
    with pytest.raises(BatchValidationError) as info:
        from_dict({**GOOD, "i": "x", "s": 1}, Rec)
    # the leaves of GOOD: 8 plain fields, 2 in `arr`, 2 in `o`, 1 in `leaves`
    assert info.value.total == 13
    assert info.value.what == "values"
    with pytest.raises(BatchValidationError) as info:
        from_dict([1, 2], Rec)  # type: ignore[arg-type]
    err = info.value
    assert (err.total, err.what) == (1, "values")
    assert [str(e) for e in err.exceptions] == [
        "`Rec` must be a dict (a JSON object); got 'list'."
    ]
    assert isinstance(err.exceptions[0], InvalidValueError)
    assert err.exceptions[0].field == "Rec"


def test_library_errors_inside_structuring_are_prefixed_with_their_path():
    @attrs.frozen
    class Holder:
        money: Money

    with pytest.raises(InvalidValueError) as direct:
        Money.of("1", "XYZ")
    with pytest.raises(BatchValidationError) as info:
        from_dict({"money": {"amount": "1", "currency": "XYZ"}}, Holder)
    (child,) = info.value.exceptions
    assert isinstance(child, InvalidValueError)
    assert child.field == "money." + direct.value.field
    assert str(child) == str(direct.value).replace("`", "`money.", 1)


def boom(_inst: object, _attr: object, _value: int) -> None:
    message = "boom"
    raise ValueError(message)


def batch(_inst: object, _attr: object, value: int) -> None:
    child = InvalidValueError(field="x", value=value, expected="y")
    raise BatchValidationError([child], total=1)


@attrs.frozen
class Boom:
    n: int = attrs.field(validator=boom)


@attrs.frozen
class Batchy:
    n: int = attrs.field(validator=batch)


@attrs.frozen
class Outer:
    inner: Batchy
    booms: tuple[Boom, ...] = ()


def test_a_foreign_error_is_named_by_its_path_or_the_class():
    assert children({"n": 1}, Boom) == [
        "`Boom` must be a value of the right shape (boom); got 'ValueError'."
    ]
    assert children({"inner": {"n": 2}, "booms": [{"n": 1}]}, Outer) == [
        "`inner.x` must be y; got 2.",
        "`booms[0]` must be a value of the right shape (boom); got 'ValueError'.",
    ]


def test_an_extra_key_of_a_dataclass_lists_no_known_keys():
    @dataclasses.dataclass
    class Plain:
        a: int

    assert children({"a": 1, "b": 2}, Plain) == [
        "`b` must be a known key of Plain; got 'b'. Known keys: ."
    ]


def test_to_dict_refuses_what_is_not_an_attrs_instance_and_makes_json():
    with pytest.raises(InvalidValueError) as info:
        to_dict({"a": 1})
    assert info.value.field == "obj"
    assert str(info.value) == (
        "`obj` must be a lendcrm entity, value object or Book; got 'dict'."
    )


def test_json_ready_free_form_values():
    @attrs.frozen
    class Free:
        o: object

    when = pd.Timestamp("2026-03-31")
    free = {
        1: [np.float64(1.5), np.int64(2), float("nan"), float("inf"), np.bool_(True)],
        "t": (
            dt.date(2026, 1, 2),
            dt.datetime(2026, 1, 2, 0, 0),  # noqa: DTZ001 - naive on purpose
            dt.datetime(2026, 1, 2, 5),  # noqa: DTZ001
        ),
        "ts": [when, pd.NaT, pd.Timestamp("2026-03-31 01:00")],
        "tz": dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
        "e": Shade.LIGHT,
        "s": Size.S,
        "d": Decimal("2.50"),
        "n": None,
        "b": False,
        "x": b"raw",
    }
    out = to_dict(Free(free))
    assert [type(v) for v in out["o"]["1"]] == [
        float,
        int,
        type(None),
        type(None),
        bool,
    ]
    assert out == {
        "o": {
            "1": [1.5, 2, None, None, True],
            "t": ["2026-01-02", "2026-01-02", "2026-01-02T05:00:00"],
            "ts": ["2026-03-31", None, "2026-03-31T01:00:00"],
            "tz": "2026-01-02T00:00:00+00:00",
            "e": "light",
            "s": 1,
            "d": "2.50",
            "n": None,
            "b": False,
            "x": b"raw",
        }
    }


def payload_refusal(payload: object, cls: type) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as info:
        from_payload(payload, cls)  # type: ignore[arg-type]
    return info.value


def test_payload_round_trip_and_refusals():
    m = Money.of("12.50", "EUR")
    payload = to_payload(m)
    assert payload == {
        "schema_version": SCHEMA_VERSION,
        "type": "Money",
        "data": {"amount": "12.50", "currency": "EUR"},
    }
    assert from_payload(payload, Money) == m
    err = payload_refusal({"data": {}}, Money)
    assert err.field == "payload"
    assert str(err) == (
        "`payload` must be a dict with exactly the keys 'data', 'schema_version', "
        "'type'; got ['data']."
    )
    err = payload_refusal([1], Money)
    assert str(err).endswith("; got 'list'.")
    extra = {**payload, "more": 1}
    assert payload_refusal(extra, Money).field == "payload"
    old = {**payload, "schema_version": "0"}
    err = payload_refusal(old, Money)
    assert err.field == "schema_version"
    assert str(err) == (
        "`schema_version` must be '1' (the version this lendcrm reads); got '0'."
    )
    err = payload_refusal(payload, 5)  # type: ignore[arg-type]
    assert str(err) == "`type` must be None; got 'Money'."
    err = payload_refusal(payload, Leaf)
    assert err.field == "type"
    assert str(err) == "`type` must be 'Leaf'; got 'Money'."


def test_a_converter_passed_in_is_used():
    conv = make_converter()
    conv.register_unstructure_hook(Decimal, lambda d: f"D{d}")
    assert to_dict(Money.of("1", "EUR"), converter=conv) == {
        "amount": "D1",
        "currency": "EUR",
    }
    assert to_payload(Money.of("1", "EUR"), converter=conv)["data"]["amount"] == "D1"
    conv.register_structure_hook(Decimal, lambda v, _t: Decimal(v[1:]))
    assert from_dict(
        {"amount": "D1", "currency": "EUR"}, Money, converter=conv
    ) == Money.of("1", "EUR")
    p = {
        "schema_version": "1",
        "type": "Money",
        "data": {"amount": "D2", "currency": "EUR"},
    }
    assert from_payload(p, Money, converter=conv) == Money.of("2", "EUR")


def test_unknown_reference_errors_pass_through_unprefixed():
    @attrs.frozen
    class Refs:
        n: int = attrs.field()

        @n.validator
        def _check(self, _a, v):
            raise UnknownReferenceError(kind="client", key=v)

    with pytest.raises(BatchValidationError) as info:
        from_dict({"n": 1}, Refs)
    (child,) = info.value.exceptions
    assert type(child) is UnknownReferenceError
    assert str(child) == "No client with id 1."


def test_an_extra_key_beside_a_bad_value_is_reported_with_it():
    keys = "Known keys: d, on, s, i, f, b, shade, size, arr, o, leaves."
    assert children({**GOOD, "i": "x", "zzz": 1}) == [
        "`i` must be an integer; got 'x'.",
        f"`zzz` must be a known key of Rec; got 'zzz'. {keys}",
    ]
    assert children({**GOOD, "leaves": [{"n": "x", "zz": 1}]}) == [
        "`leaves[0].n` must be an integer; got 'x'.",
        "`leaves[0].zz` must be a known key of Leaf; got 'zz'. Known keys: n.",
    ]


def test_top_level_paths_of_a_mapping_and_of_a_type_without_a_name():
    assert children({"a": "x"}, dict[str, int]) == [
        "`[a]` must be an integer; got 'x'."
    ]
    with pytest.raises(BatchValidationError) as info:
        from_dict({"a": 1}, "Rec")  # type: ignore[arg-type]
    (child,) = info.value.exceptions
    assert isinstance(child, InvalidValueError)
    assert child.field == "value"
    assert child.value == "StructureHandlerNotFoundError"
    assert str(child).startswith("`value` must be a value of the right shape (")


def refuse_reference(_inst: object, _attr: object, value: int) -> None:
    lookup = UnknownReferenceError(kind="client", key=value)
    raise BatchValidationError([lookup], total=1)


@attrs.frozen
class Refers:
    n: int = attrs.field(validator=refuse_reference)


@attrs.frozen
class HoldsRefers:
    inner: Refers


def test_a_lookup_error_in_a_nested_batch_passes_through_unprefixed():
    with pytest.raises(BatchValidationError) as info:
        from_dict({"inner": {"n": 4}}, HoldsRefers)
    (child,) = info.value.exceptions
    assert type(child) is UnknownReferenceError
    assert str(child) == "No client with id 4."


@attrs.frozen
class Counts:
    counts: npt.NDArray[np.int64]


def test_an_integer_array_field_reads_as_integers():
    for conv in (None, make_converter()):
        counts = from_dict({"counts": [[1, 2], [3, 4]]}, Counts, converter=conv)
        assert counts.counts.dtype == np.int64
        assert counts.counts.tolist() == [[1, 2], [3, 4]]
    assert children({"counts": [1.5]}, Counts) == [
        "`counts` must be a (nested) list of integers; found 1.5; got [1.5]."
    ]


def test_a_fresh_converter_writes_not_finite_floats_as_none():
    rec = from_dict(GOOD, Rec)
    out = make_converter().unstructure(attrs.evolve(rec, f=math.inf))
    assert out["f"] is None
    assert make_converter().unstructure(rec)["f"] == 2.5


@attrs.frozen
class Pair:
    pair: tuple[int, str]


def test_a_fixed_tuple_of_the_wrong_length_is_named_by_its_path():
    shape = "`pair` must be a value of the right shape"
    assert children({"pair": [1, "a", 3]}, Pair) == [
        (
            f"{shape} (Too many values in [1, 'a', 3] to structure as tuple[int, str]); "
            "got 'ValueError'."
        )
    ]
    assert children({"pair": [1]}, Pair) == [
        (
            f"{shape} (Not enough values in [1] to structure as tuple[int, str]); "
            "got 'ValueError'."
        )
    ]
