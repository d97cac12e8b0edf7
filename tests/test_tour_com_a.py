"""The tour's pipeline part prints the stage probabilities, the forecast by month and
the funnel, deterministically (a seeded synthetic pipeline, no clock).
"""

from __future__ import annotations

import contextlib
import io
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def output() -> str:
    tour = runpy.run_path(str(ROOT / "examples" / "tour_com_a.py"))
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        tour["pipeline_tour"]()
    return buffer.getvalue()


def test_the_pipeline_tour_prints_the_forecast_and_the_funnel(output):
    assert "30,000 deals since 2024-07-01, 2,976 open on 2026-06-30" in output
    assert "  lead              12.6%  [12.3%, 13.0%]  n=27,024" in output
    assert "  2026-07     1,807.4    1,327.0    150" in output
    assert "  weighted pipeline, all months: EUR 13,408.5 m" in output
    assert "  won               3,416" in output
    assert "  documentation     3,678  -> 93% go on" in output


def test_the_main_tour_calls_the_pipeline_part():
    text = (ROOT / "examples" / "tour.py").read_text(encoding="utf-8")
    assert 'with_name("tour_com_a.py")))["pipeline_tour"]()' in text
