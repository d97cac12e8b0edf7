# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""Gains table: every field of every band by hand, quantile cuts and refusals (#23).

Ten rows scored 1..10, bads at scores 1, 2, 3 and 6 (B = 4, G = 6, N = 10); bad rate,
lift b_k n_k^-1 / (B / N), KS = cum bads share - cum goods share (the gains chart of
N. Siddiqi, *Credit Risk Scorecards*, Wiley 2006, ch. 9).
"""

from __future__ import annotations

import math

import attrs
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import GainsRow, gains_table

SCORES = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
TARGET = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]


def _row(
    band: int, lo: float, hi: float, counts: tuple[int, int, int, int]
) -> GainsRow:
    n, b, cn, cb = counts
    g, cg = n - b, cn - cb
    rate = b / n if n else math.nan
    return GainsRow(
        band=band,
        score_min=lo,
        score_max=hi,
        count=n,
        goods=g,
        bads=b,
        bad_rate=rate,
        share=n / 10,
        cum_share=cn / 10,
        cum_bads_share=cb / 4,
        cum_goods_share=cg / 6,
        ks=cb / 4 - cg / 6,
        lift=rate / 0.4,
        cum_lift=(cb / cn) / 0.4 if cn else math.nan,
    )


def _same(got: tuple[GainsRow, ...], want: list[GainsRow]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        for field in attrs.fields(GainsRow):
            a, b = getattr(g, field.name), getattr(w, field.name)
            if isinstance(b, float) and math.isnan(b):
                assert math.isnan(a), field.name
            else:
                assert a == pytest.approx(b, rel=1e-14), (g.band, field.name)


def test_quantile_bands_every_field():
    # 4 bands of 10 rows: cuts at sorted[2], sorted[5], sorted[7] = 3, 6, 8
    got = gains_table(TARGET, SCORES, bands=4)
    _same(
        got,
        [
            _row(1, 1.0, 2.0, (2, 2, 2, 2)),
            _row(2, 3.0, 5.0, (3, 1, 5, 3)),
            _row(3, 6.0, 7.0, (2, 1, 7, 4)),
            _row(4, 8.0, 10.0, (3, 0, 10, 4)),
        ],
    )
    assert got[-1].ks == 0.0
    assert got[-1].cum_lift == 1.0


def test_fixed_edges_keep_empty_bands_and_the_default_is_deciles():
    got = gains_table(TARGET, SCORES, edges=[2.0, 2.5, 6.0])
    _same(
        got,
        [
            _row(1, 1.0, 1.0, (1, 1, 1, 1)),
            _row(2, 2.0, 2.0, (1, 1, 2, 2)),
            _row(3, 3.0, 5.0, (3, 1, 5, 3)),
            _row(4, 6.0, 10.0, (5, 1, 10, 4)),
        ],
    )
    empty = gains_table(TARGET, SCORES, edges=[0.0, 0.5])
    assert empty[0].count == 0
    assert math.isnan(empty[1].score_min)
    assert math.isnan(empty[1].bad_rate)
    assert math.isnan(empty[1].lift)
    assert empty[2].count == 10
    deciles = gains_table(TARGET, SCORES)
    assert [r.count for r in deciles] == [1] * 10
    assert gains_table(TARGET, SCORES, bands=10) == deciles


def test_ties_are_never_split():
    got = gains_table([1, 0, 0, 1, 0, 0], [5.0, 5.0, 5.0, 5.0, 7.0, 7.0], bands=3)
    assert [(r.count, r.score_min, r.score_max) for r in got] == [
        (4, 5.0, 5.0),
        (2, 7.0, 7.0),
    ]
    assert gains_table([1, 0], [3.0, 4.0], bands=2)[0].bads == 1  # rows == bands


def test_refusals():
    for bands in (1, 2.0, True, "4"):
        with pytest.raises(InvalidValueError) as err:
            gains_table(TARGET, SCORES, bands=bands)
        assert (err.value.field, err.value.value) == ("bands", bands)
        assert err.value.expected == "an integer >= 2"
    with pytest.raises(InvalidValueError) as err:
        gains_table([1, 0, 1], [1.0, 2.0, 3.0], bands=4, name="points")
    assert (err.value.field, err.value.value) == ("points", "3 rows")
    assert err.value.expected == "at least 4 rows, one per band"
    assert err.value.hint == "Ask for fewer bands, or pass `edges`."
    for edges in ([2.0, 2.0], [3.0, 1.0]):
        with pytest.raises(InvalidValueError) as err:
            gains_table(TARGET, SCORES, edges=edges)
        assert (err.value.field, err.value.value) == ("edges", edges)
        assert err.value.expected == "strictly increasing"
    with pytest.raises(InvalidValueError) as err:
        gains_table(TARGET, SCORES, edges=[])
    assert err.value.field == "edges"
    with pytest.raises(InvalidValueError) as err:
        gains_table(TARGET, [*SCORES[:-1], math.nan], name="points")
    assert err.value.field == "points[9]"
    with pytest.raises(InvalidValueError) as err:
        gains_table(TARGET, SCORES[:-1], name="points")
    assert (err.value.field, err.value.value) == ("points", "length 9")
    assert err.value.expected == "the same length as `target` (10)"
    with pytest.raises(InvalidValueError) as err:
        gains_table([0] * 10, SCORES)
    assert err.value.field.startswith("target")


def test_an_empty_last_band_is_kept():
    rows = gains_table(TARGET, SCORES, edges=[20.0])
    assert [(r.count, r.bads) for r in rows] == [(10, 4), (0, 0)]
    assert math.isnan(rows[1].bad_rate)
    assert rows[1].cum_lift == 1.0
    assert [r.cum_lift for r in gains_table(TARGET, SCORES, bands=5)] == pytest.approx(
        [2.5, 1.875, 4 / 6 / 0.4, 1.25, 1.0], rel=1e-14
    )
