"""The loan-life part of the tour (`examples/tour_sched.py`) runs and prints its figures."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_loan_life_tour_prints_schedule_wal_eir_and_lifetime_raroc(
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = importlib.util.spec_from_file_location(
        "tour_sched", ROOT / "examples" / "tour_sched.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.sched_tour()
    out = capsys.readouterr().out
    # annuity after a year's grace: 10m x 1.25 % / (1 - 1.0125^-16) - 125,000
    assert "2027-04-01 10000000.0  125000.0   568467.0" in out
    assert "WAL 3.19 years (tenor 5.00)" in out
    assert "EIR with the 1.5 % arrangement fee 5.5214%" in out
    assert "lifetime 10.0% against a 12 % hurdle; minimum margin 209 bp" in out
    # the client view with RelationshipPricing(lifetime=True): both figures
    assert "one-year RAROC 15.9%, lifetime 24.1% at our share (hurdle met: True)" in out
    assert '_tour_part("sched").sched_tour()' in (
        ROOT / "examples" / "tour.py"
    ).read_text(encoding="utf-8")
