# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""`BinningConfig`: every default pinned, every bound exact, every refusal named (#23)."""

from __future__ import annotations

import math

import attrs
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import (
    DEFAULT_BINNING,
    BinningConfig,
    PreBinning,
    Trend,
    UnseenRule,
    VariableKind,
)
from lendcrm.risk.scoring._binning_config import _positive_int_at_most


def test_every_default():
    c = BinningConfig()
    assert c == DEFAULT_BINNING
    assert c.trend is Trend.AUTO
    assert c.max_prebins == 20
    assert c.min_bin_share == 0.05
    assert (c.min_bin_goods, c.min_bin_bads) == (5.0, 5.0)
    assert c.max_bins is None
    assert c.special_codes == ()
    assert c.user_splits is None
    assert c.prebinning is PreBinning.TREE
    assert c.min_category_share == 0.01
    assert c.unseen is UnseenRule.WORST
    assert c.smoothing == 1.0
    assert c.auto_trends == (
        Trend.ASCENDING,
        Trend.DESCENDING,
        Trend.PEAK,
        Trend.VALLEY,
    )
    assert c.shape_alpha == 0.001
    assert [k.value for k in VariableKind] == ["numeric", "categorical"]
    assert [r.value for r in UnseenRule] == ["error", "missing", "worst"]
    assert [p.value for p in PreBinning] == ["quantile", "tree"]


def test_conversions():
    c = BinningConfig(
        trend="peak",
        prebinning="quantile",
        unseen="missing",
        special_codes=[-1, 9.5, -1],
        user_splits=[3, 1.5, 3],
        auto_trends=["valley", "none", "valley"],
    )
    assert (c.trend, c.prebinning, c.unseen) == (
        Trend.PEAK,
        PreBinning.QUANTILE,
        UnseenRule.MISSING,
    )
    assert c.special_codes == (-1.0, 9.5)  # sorted, without repeats
    assert c.user_splits == (1.5, 3.0)
    assert c.auto_trends == (Trend.VALLEY, Trend.NONE)  # first seen order


@pytest.mark.parametrize("name", ["max_prebins", "max_bins"])
def test_integer_counts_are_2_to_100(name):
    for ok in (2, 100):
        assert getattr(BinningConfig(**{name: ok}), name) == ok
    for bad in (1, 101, 2.0, True, "5"):
        with pytest.raises(InvalidValueError) as err:
            BinningConfig(**{name: bad})
        assert (err.value.field, err.value.value) == (name, bad)
        assert err.value.expected == "an integer in [2, 100]"


@pytest.mark.parametrize(
    ("name", "low_ok", "low_bad", "high_ok", "high_bad"),
    [
        ("min_bin_share", 0.0, -1e-300, math.nextafter(1.0, 0.0), 1.0),
        ("min_category_share", 0.0, -1e-300, math.nextafter(1.0, 0.0), 1.0),
        ("min_bin_goods", 1e-300, 0.0, 1e300, math.inf),
        ("min_bin_bads", 1e-300, 0.0, 1e300, math.inf),
        ("smoothing", 1e-300, 0.0, 1e300, math.inf),
        ("shape_alpha", 1e-300, 0.0, 0.5, math.nextafter(0.5, 1.0)),
    ],
)
def test_number_bounds(name, low_ok, low_bad, high_ok, high_bad):
    for ok in (low_ok, high_ok):
        assert getattr(BinningConfig(**{name: ok}), name) == ok
    for bad in (low_bad, high_bad):
        with pytest.raises(InvalidValueError) as err:
            BinningConfig(**{name: bad})
        assert (err.value.field, err.value.value) == (name, bad)


def test_enum_and_list_refusals():
    for name, bad in (("trend", "wavy"), ("prebinning", "kmeans"), ("unseen", "drop")):
        with pytest.raises(InvalidValueError) as err:
            BinningConfig(**{name: bad})
        assert (err.value.field, err.value.value) == (name, bad)
    for trends in ([], ["auto"], ["ascending", "auto"]):
        with pytest.raises(InvalidValueError) as err:
            BinningConfig(auto_trends=trends)
        assert err.value.field == "auto_trends"
        assert err.value.value == trends
        assert err.value.expected == (
            "one or more of ascending, descending, peak, valley, none (not auto)"
        )
    with pytest.raises(InvalidValueError) as err:
        BinningConfig(auto_trends=["up"])
    assert (err.value.field, err.value.value) == ("auto_trends", "up")
    with pytest.raises(InvalidValueError) as err:
        BinningConfig(auto_trends="ascending")
    assert err.value.field == "auto_trends"
    for name in ("special_codes", "user_splits"):
        with pytest.raises(InvalidValueError) as err:
            BinningConfig(**{name: [1.0, math.nan]})
        assert err.value.field.startswith(name)
        with pytest.raises(InvalidValueError) as err:
            BinningConfig(**{name: ["a"]})
        assert err.value.field.startswith(name)
    with pytest.raises(InvalidValueError) as err:
        BinningConfig(user_splits=[])
    assert err.value.field == "user_splits"
    assert "non-empty" in err.value.expected
    assert BinningConfig(special_codes=[]).special_codes == ()


# Survivors of the mutmut run (issue #23): each test below kills the ones it names.


def test_the_integer_bound_validator_built_here():
    # `BinningConfig`'s validators are built once at import, where mutation testing
    # cannot reach them: build one inside the test (trap 1 of mut6a's note).
    check = _positive_int_at_most(5)
    attr = attrs.fields(BinningConfig).max_prebins
    for ok in (2, 5):
        check(None, attr, ok)
    for bad in (1, 6, True, 2.0, "3"):
        with pytest.raises(InvalidValueError) as err:
            check(None, attr, bad)
        assert (err.value.field, err.value.value, err.value.expected) == (
            "max_prebins",
            bad,
            "an integer in [2, 5]",
        )


def test_auto_trends_not_a_sequence():
    for bad in (5, "ascending"):
        with pytest.raises(InvalidValueError) as err:
            BinningConfig(auto_trends=bad)
        assert (err.value.field, err.value.value, err.value.expected) == (
            "auto_trends",
            bad,
            "a sequence of trends",
        )
