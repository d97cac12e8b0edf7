# mypy: disable-error-code="arg-type,assignment"
# (the tests pass wrong types on purpose)
"""Validation metrics by hand, with the bands at their exact thresholds (issue #23).

AUC by counting pairs (ties one half), KS as the largest CDF gap, Brier as a mean
square, PSI = sum (a - e) ln(a / e) over shares floored at 1e-4; the stability bands
0.10 / 0.25 and the IV bands 0.02 / 0.1 / 0.3 are Siddiqi's (*Credit Risk Scorecards*,
2006, ch. 6 and 12).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import (
    IVStrength,
    Stability,
    accuracy_ratio,
    auc,
    brier,
    build_scorecard,
    characteristic_analysis,
    csi,
    fit_binning_set,
    fit_logistic,
    iv_strength,
    ks,
    psi,
    score_psi,
    stability_band,
)

Y = [1, 0, 1, 0, 0, 1]
P = [0.9, 0.2, 0.4, 0.4, 0.1, 0.3]


def _pairs(y: list[int], p: list[float]) -> float:
    bads = [s for t, s in zip(y, p, strict=True) if t == 1]
    goods = [s for t, s in zip(y, p, strict=True) if t == 0]
    won = sum((b > g) + 0.5 * (b == g) for b in bads for g in goods)
    return won / (len(bads) * len(goods))


def test_auc_ar_ks_brier_by_hand():
    # bads 0.9, 0.4, 0.3 against goods 0.2, 0.4, 0.1: 3 + 2.5 + 2 = 7.5 of 9 pairs
    assert auc(Y, P) == pytest.approx(7.5 / 9, rel=1e-15)
    assert auc(Y, P) == pytest.approx(_pairs(Y, P), rel=1e-15)
    assert accuracy_ratio(Y, P) == pytest.approx(2 * 7.5 / 9 - 1, rel=1e-15)
    # CDFs after each distinct value 0.1 0.2 0.3 0.4 0.9: bads 0 0 1/3 2/3 1,
    # goods 1/3 2/3 2/3 1 1: the largest gap is 2/3
    assert ks(Y, P) == pytest.approx(2 / 3, rel=1e-15)
    assert brier(Y, P) == pytest.approx(
        np.mean((np.array(P) - np.array(Y)) ** 2), rel=1e-15
    )
    assert auc([0, 1], [0.5, 0.5]) == 0.5
    assert auc([0, 1], [0.1, 0.9]) == 1.0
    assert auc([0, 1], [0.9, 0.1]) == 0.0
    assert ks([0, 1], [0.5, 0.5]) == 0.0
    assert ks([0, 1], [0.1, 0.9]) == 1.0
    assert brier([0, 1], [0.0, 1.0]) == 0.0
    assert brier([0, 1], [1.0, 0.0]) == 1.0


def test_auc_with_many_ties_equals_pair_counting():
    rng = np.random.default_rng(11)
    y = rng.integers(0, 2, size=60).tolist()
    p = rng.integers(0, 5, size=60).astype(float).tolist()
    assert auc(y, p) == pytest.approx(_pairs(y, p), rel=1e-14)


def test_metric_refusals():
    for call in (auc, ks, accuracy_ratio):
        with pytest.raises(InvalidValueError) as err:
            call([0, 1], [0.1, math.nan])
        assert err.value.field == "predictions[1]"
        with pytest.raises(InvalidValueError) as err:
            call([0, 1, 1], [0.1, 0.2])
        assert "length" in err.value.expected
        with pytest.raises(InvalidValueError) as err:
            call([0, 0], [0.1, 0.2])
        assert err.value.field == "target"
    for bad in (-1e-300, 1.0000001):
        with pytest.raises(InvalidValueError) as err:
            brier([0, 1], [0.5, bad])
        assert err.value.field == "default_probability[1]"
        assert "[0, 1]" in err.value.expected
    with pytest.raises(InvalidValueError) as err:
        brier([0, 1], [0.5])
    assert "length" in err.value.expected


def test_psi_by_hand_and_its_floor():
    e, a = [50.0, 30.0, 20.0], [40.0, 30.0, 30.0]
    want = (0.4 - 0.5) * math.log(0.4 / 0.5) + 0.0 + (0.3 - 0.2) * math.log(0.3 / 0.2)
    assert psi(e, a) == pytest.approx(want, rel=1e-14)
    assert psi([1.0, 1.0], [5.0, 5.0]) == 0.0
    # an empty bin is floored at 1e-4 by default, or at the floor given
    got = psi([50.0, 50.0], [100.0, 0.0])
    assert got == pytest.approx(
        (1 - 0.5) * math.log(2) + (1e-4 - 0.5) * math.log(1e-4 / 0.5)
    )
    got = psi([50.0, 50.0], [100.0, 0.0], floor=0.01)
    assert got == pytest.approx(
        (1 - 0.5) * math.log(2) + (0.01 - 0.5) * math.log(0.01 / 0.5)
    )
    assert psi([50.0, 50.0], [60.0, 40.0], floor=0.0) > 0
    assert psi([1e308, 1e308], [1e308, 1e308]) == 0.0  # shares exact near the maximum


def test_psi_refusals():
    for floor in (-1e-300, math.nan, "0.1", None):
        with pytest.raises(InvalidValueError) as err:
            psi([1.0], [1.0], floor=floor)
        assert (err.value.field, err.value.expected) == (
            "floor",
            "a finite number >= 0",
        )
    for name, e, a in (
        ("expected", [0.0, 0.0], [1.0, 1.0]),
        ("actual", [1.0, 1.0], [0.0, 0.0]),
    ):
        with pytest.raises(InvalidValueError) as err:
            psi(e, a)
        assert (err.value.field, err.value.value) == (name, [0.0, 0.0])
        assert err.value.expected == "a positive total"
    for e, a, field in (
        ([-1.0, 1.0], [1.0, 1.0], "expected[0]"),
        ([1.0, 1.0], [1.0, math.inf], "actual[1]"),
    ):
        with pytest.raises(InvalidValueError) as err:
            psi(e, a)
        assert err.value.field == field
    for e, a, field in (([], [1.0], "expected"), ([1.0], [], "actual")):
        with pytest.raises(InvalidValueError) as err:
            psi(e, a)
        assert err.value.field == field
    with pytest.raises(InvalidValueError) as err:
        psi([1.0, 2.0], [1.0])
    assert "length" in err.value.expected


def test_score_psi():
    e = np.arange(100.0)
    assert score_psi(e, e) == 0.0
    # two bins: the median of 0..99 is 49.5; all actual scores above it
    got = score_psi(e, np.full(10, 80.0), bins=2)
    assert got == pytest.approx((1e-4 - 0.5) * math.log(1e-4 / 0.5) + 0.5 * math.log(2))
    for bins in (1, 0):
        with pytest.raises(InvalidValueError) as err:
            score_psi(e, e, bins=bins)
        assert (err.value.field, err.value.value) == ("bins", bins)
        assert err.value.expected == "an integer >= 2"
    for name, args in (
        ("expected_scores", ([], e)),
        ("actual_scores", (e, [math.nan])),
    ):
        with pytest.raises(InvalidValueError) as err:
            score_psi(*args)
        assert err.value.field.startswith(name)


def test_stability_band_thresholds():
    assert [p.value for p in Stability] == ["stable", "monitor", "shifted"]
    assert stability_band(0.0) is Stability.STABLE
    assert stability_band(math.nextafter(0.10, 0.0)) is Stability.STABLE
    assert stability_band(0.10) is Stability.MONITOR
    assert stability_band(math.nextafter(0.25, 0.0)) is Stability.MONITOR
    assert stability_band(0.25) is Stability.SHIFTED
    assert stability_band(0.3, monitor=0.3, shifted=0.5) is Stability.MONITOR
    assert stability_band(0.5, monitor=0.3, shifted=0.5) is Stability.SHIFTED
    assert stability_band(0.0, monitor=0.0, shifted=0.0) is Stability.SHIFTED
    with pytest.raises(InvalidValueError) as err:
        stability_band(0.1, monitor=0.3, shifted=0.2)
    assert (err.value.field, err.value.value) == ("monitor", 0.3)
    assert err.value.expected == "in [0, shifted=0.2]"
    with pytest.raises(InvalidValueError) as err:
        stability_band(0.1, monitor=-1e-300)
    assert err.value.field == "monitor"
    for name, kw in (
        ("value", {"value": [0.1]}),
        ("monitor", {"value": 0.1, "monitor": None}),
        ("shifted", {"value": 0.1, "shifted": True}),
    ):
        with pytest.raises(InvalidValueError) as err:
            stability_band(**kw)
        assert (err.value.field, err.value.expected) == (name, "a number (one value)")
    with pytest.raises(InvalidValueError) as err:
        stability_band(-1e-300)
    assert err.value.field.startswith("value")
    assert stability_band(np.float64(0.3)) is Stability.SHIFTED


def test_iv_strength_thresholds():
    assert [s.value for s in IVStrength] == ["unpredictive", "weak", "medium", "strong"]
    for iv, band in [
        (0.0, "unpredictive"),
        (math.nextafter(0.02, 0.0), "unpredictive"),
        (0.02, "weak"),
        (math.nextafter(0.1, 0.0), "weak"),
        (0.1, "medium"),
        (math.nextafter(0.3, 0.0), "medium"),
        (0.3, "strong"),
        (5.0, "strong"),
    ]:
        assert iv_strength(iv) is IVStrength(band), iv
    assert iv_strength(0.5, weak=0.5, medium=0.6, strong=0.7) is IVStrength.WEAK
    assert iv_strength(0.65, weak=0.5, medium=0.6, strong=0.7) is IVStrength.MEDIUM
    assert iv_strength(0.0, weak=0.0, medium=0.0, strong=0.0) is IVStrength.STRONG
    for kw in (
        {"weak": -1e-300},
        {"weak": 0.2, "medium": 0.1},
        {"medium": 0.4, "strong": 0.3},
    ):
        with pytest.raises(InvalidValueError) as err:
            iv_strength(0.1, **kw)
        args = {"weak": 0.02, "medium": 0.1, "strong": 0.3, **kw}
        assert (err.value.field, err.value.value) == (
            "weak",
            (args["weak"], args["medium"], args["strong"]),
        )
        assert err.value.expected == "0 <= weak <= medium <= strong"
    for name, kw in (
        ("iv", {"iv": "0.1"}),
        ("weak", {"iv": 0.1, "weak": None}),
        ("strong", {"iv": 0.1, "strong": [0.3]}),
    ):
        with pytest.raises(InvalidValueError) as err:
            iv_strength(**kw)
        assert (err.value.field, err.value.expected) == (name, "a number (one value)")
    for bad in (-1e-300, math.inf):
        with pytest.raises(InvalidValueError) as err:
            iv_strength(bad)
        assert err.value.field.startswith("iv")


# Survivors of the mutmut run (issue #23): each test below kills the ones it names.


def test_ks_reads_the_cdfs_only_after_a_whole_tie():
    # sorted: s 0 (good), 1 (bad), 1 (good), 2 (good): after s = 0 the gap is 1/3,
    # after the tie at 1 it is 1 - 2/3 = 1/3; inside the tie (2/3) it is not read.
    assert ks([0, 1, 0, 0], [0.0, 1.0, 1.0, 2.0]) == pytest.approx(1 / 3, rel=1e-15)


def test_psi_of_shares_and_its_refusals_values():
    # (0.25 - 0.5) ln 0.5 + (0.75 - 0.5) ln 1.5 = 0.25 ln 3: shares sum to 1, not above
    assert psi([0.5, 0.5], [0.25, 0.75]) == pytest.approx(0.25 * math.log(3), rel=1e-15)
    with pytest.raises(InvalidValueError) as err:
        psi([1.0], [1.0], floor=-1.0)
    assert (err.value.field, err.value.value) == ("floor", -1.0)
    with pytest.raises(InvalidValueError) as err:
        psi([1.0], [])
    assert (err.value.field, err.value.value, err.value.expected) == (
        "actual",
        [],
        "a non-empty array (at least one value)",
    )
    with pytest.raises(InvalidValueError) as err:
        score_psi([1.0, 2.0], [])
    assert (err.value.field, err.value.expected) == (
        "actual_scores",
        "a non-empty array (at least one value)",
    )


def test_score_psi_deciles_by_hand_on_the_cuts():
    # 0, 1, ..., 100: the default 10 bins cut at 10, 20, ..., 90, a score on a cut
    # going to the bin above: 10 scores in each bin, 11 in the last.
    e = np.arange(101.0)
    ce = [10] * 9 + [11]
    assert score_psi(e, [10.0, 90.0]) == psi(ce, [0, 1, 0, 0, 0, 0, 0, 0, 0, 1])
    # a score below the lowest expected one falls in the first bin; the bins above
    # the highest actual score are still counted (as empty)
    assert score_psi(e, [-1.0, 50.0]) == psi(ce, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0])


def test_band_refusals_name_each_value():
    with pytest.raises(InvalidValueError) as err:
        iv_strength(0.1, weak=[0.02])
    assert (err.value.field, err.value.value) == ("weak", [0.02])
    with pytest.raises(InvalidValueError) as err:
        iv_strength(0.1, medium=None)
    assert (err.value.field, err.value.value, err.value.expected) == (
        "medium",
        None,
        "a number (one value)",
    )


def test_csi_and_characteristic_analysis_refusals():
    x = np.arange(200.0)
    y = (np.arange(200) % 3 == 0).astype(int)
    binnings = fit_binning_set({"x": x}, y)
    with pytest.raises(InvalidValueError) as err:
        csi([], {}, {})
    assert (err.value.field, err.value.expected) == ("binnings", "a BinningSet")
    for args, field in (([], {}), "expected"), (({}, []), "actual"):
        with pytest.raises(InvalidValueError) as err:
            csi(binnings, *args)
        assert (err.value.field, err.value.expected) == (
            field,
            "a mapping of characteristic to values",
        )
    with pytest.raises(InvalidValueError) as err:
        characteristic_analysis([], {}, {})
    assert (err.value.field, err.value.expected) == ("scorecard", "a Scorecard")


def test_csi_keeps_the_bins_used_by_either_sample():
    x = np.arange(200.0)
    y = (np.arange(200) % 3 == 0).astype(int)
    y[:40] = 1
    binnings = fit_binning_set({"x": x}, y)  # bins (-inf, 50) ... [166, inf), Missing
    # expected: one in the first bin, one in the last; actual: one in the last, one
    # missing. The first bin (1, 0) and the missing one (0, 1) are kept.
    out = csi(binnings, {"x": [0.0, 199.0]}, {"x": [199.0, math.nan]})
    assert out == {"x": psi([1, 1, 0], [0, 1, 1])}


def test_characteristic_analysis_every_field_and_sample_refusals():
    x = np.arange(200.0)
    y = (np.arange(200) % 3 == 0).astype(int)
    y[:40] = 1
    s = fit_binning_set({"x": x}, y)
    card = build_scorecard(s, fit_logistic(s.transform({"x": x}), y, names=["x"]))
    ev, av = {"x": [0.0, 199.0]}, {"x": [199.0, 199.0]}
    (row,) = characteristic_analysis(card, ev, av)
    pe = float(card.characteristic_points(ev).mean(axis=0)[0])
    pa = float(card.characteristic_points(av).mean(axis=0)[0])
    assert pe != pa
    assert (row.characteristic, row.expected_points, row.actual_points) == ("x", pe, pa)
    assert row.shift == pa - pe
    for args, field in (([], {}), "expected"), (({}, []), "actual"):
        with pytest.raises(InvalidValueError) as err:
            characteristic_analysis(card, *args)
        assert (err.value.field, err.value.expected) == (
            field,
            "a mapping of characteristic to values",
        )
