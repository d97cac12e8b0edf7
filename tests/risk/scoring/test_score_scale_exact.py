# mypy: disable-error-code="arg-type"
# (the tests pass wrong types on purpose)
"""The points-to-double-odds scale pinned and exact (Siddiqi 2006, ch. 10) (#23).

factor = pdo / ln 2, offset = base_score - factor ln(base_odds): with 600 points at
50:1 and 20 points to double the odds, 28.8539 and 487.1229; a PD of 1/51 (odds 50:1)
scores exactly 600, and 20 more points halve the bad odds.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from lendcrm.errors import InvalidValueError
from lendcrm.risk.scoring import STANDARD_SCALE, ScoreScale


def test_the_standard_scale():
    s = STANDARD_SCALE
    assert s == ScoreScale()
    assert (s.base_score, s.base_odds, s.pdo) == (600.0, 50.0, 20.0)
    assert s.factor == pytest.approx(20 / math.log(2), rel=1e-15)
    assert s.offset == pytest.approx(600 - 20 / math.log(2) * math.log(50), rel=1e-15)
    assert round(s.factor, 4) == 28.8539
    assert round(s.offset, 4) == 487.1229


def test_score_and_pd_are_inverse_and_double_the_odds():
    s = ScoreScale(base_score=500.0, base_odds=20.0, pdo=40.0)
    assert s.score_of_pd(1 / 21)[0] == pytest.approx(500.0, rel=1e-14)
    # odds 40:1 score pdo more
    assert s.score_of_pd(1 / 41)[0] == pytest.approx(540.0, rel=1e-14)
    assert s.pd_of_score(500.0)[0] == pytest.approx(1 / 21, rel=1e-13)
    assert s.pd_of_score(460.0)[0] == pytest.approx(1 / 11, rel=1e-13)
    # even odds at the offset
    assert s.pd_of_score(s.offset)[0] == pytest.approx(0.5, rel=1e-15)
    assert s.score_of_pd(0.5)[0] == pytest.approx(s.offset, rel=1e-15)
    pds = np.array([1e-6, 0.01, 0.3, 0.999])
    np.testing.assert_allclose(s.pd_of_score(s.score_of_pd(pds)), pds, rtol=1e-9)
    # far scores stay in [0, 1] without overflow
    assert s.pd_of_score([1e6, -1e6]).tolist() == [0.0, 1.0]


def test_bounds_and_refusals():
    for bad in (0.0, 1.0, math.nan):
        with pytest.raises(InvalidValueError) as err:
            STANDARD_SCALE.score_of_pd([0.5, bad])
        assert err.value.field == "default_probability[1]"
    assert math.isfinite(STANDARD_SCALE.score_of_pd(5e-324)[0])
    assert math.isfinite(STANDARD_SCALE.score_of_pd(math.nextafter(1.0, 0.0))[0])
    with pytest.raises(InvalidValueError) as err:
        STANDARD_SCALE.pd_of_score([600.0, math.inf])
    assert err.value.field == "scores[1]"
    for name, bad in (
        ("base_odds", 0.0),
        ("pdo", 0.0),
        ("pdo", math.inf),
        ("base_score", math.nan),
    ):
        with pytest.raises(InvalidValueError) as err:
            ScoreScale(**{name: bad})
        assert err.value.field == name
    assert ScoreScale(base_odds=1e-300, pdo=1e-300, base_score=-5.0).base_score == -5.0
