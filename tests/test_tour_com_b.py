"""The tour's growth part (`examples/tour_com_b.py`): what it prints is what it computes.

The part runs on seeded synthetic books (no clock), so the printed prospects and
clients at risk are checked against the library's own numbers.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import io
import re
from pathlib import Path
from types import ModuleType

import pytest

from lendcrm.relationship.commercial.value_frames import attrition_frame
from lendcrm.synthetic import generate_frames

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2025, 12, 31)
FX = {"GBP": 1.17, "USD": 0.92, "PLN": 0.23, "SEK": 0.088, "DKK": 0.134, "NOK": 0.086,
      "CHF": 1.05}  # fmt: skip


@pytest.fixture(scope="module")
def part() -> ModuleType:
    """``examples/tour_com_b.py`` loaded as a module."""
    spec = importlib.util.spec_from_file_location(
        "lendcrm_tour_com_b", ROOT / "examples" / "tour_com_b.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def printed(part: ModuleType) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        part.commercial_value_tour(AS_OF, FX)
    return out.getvalue()


def test_the_tour_calls_the_part_from_main():
    text = (ROOT / "examples" / "tour.py").read_text()
    assert '"tour_com_b.py"' in text
    assert '"commercial_value_tour"' in text


def test_prospects_come_most_alike_first_and_offers_respect_the_floor(printed):
    part18 = printed.split("18. ", 1)[1].split("19. ", 1)[0]
    assert "validation AUC" in part18
    rows = re.findall(
        r"^  (P-\d+)\s+([\d.]+)\s+([\d.]+)%.*\)\s+([\d.]+)% \(([\d.]+)%\)$",
        part18,
        re.MULTILINE,
    )
    assert len(rows) == 5
    distances = [float(r[1]) for r in rows]
    assert distances == sorted(distances)
    assert all(float(r[3]) >= float(r[4]) for r in rows)


def test_clients_at_risk_are_the_highest_probabilities_of_the_book(printed, part):
    part19 = printed.split("19. ", 1)[1]
    rows = re.findall(r"^  (C\d+)\s+([\d.]+)%", part19, re.MULTILINE)
    assert len(rows) == 5
    probs = [float(p) for _, p in rows]
    assert probs == sorted(probs, reverse=True)
    book = generate_frames(part.N_BOOK, seed=2025, as_of=AS_OF)
    risk = attrition_frame(book.signals, feedback=book.feedback, facilities=book.facilities,
                           observations=book.observations, as_of=AS_OF).set_index("client_id")  # fmt: skip
    for client, p in rows:
        assert risk.loc[client, "attrition_probability"] == pytest.approx(
            float(p) / 100, abs=5e-4
        )


def test_clv_uses_the_chain_assessed_from_the_synthetic_histories(printed, part):
    part19 = printed.split("19. ", 1)[1].split("20. ", 1)[0]
    chain = part.assessed_chain(AS_OF, FX)
    stay = re.search(r"monthly stay rates acquisition (\d+)%", part19)
    assert stay is not None
    assert int(stay.group(1)) == round(100 * chain.matrix[0, 0])
    assert chain.matrix[:5, 5].sum() == 0.0  # no exits in the synthetic book


def test_retention_calls_come_highest_probability_first(printed):
    part20 = printed.split("20. ", 1)[1]
    counts = re.search(r"(\d[\d,]*) cross-sell actions name their product, e.g. "
                       r"C\d+: (\w+); (\d[\d,]*) retention calls", part20)  # fmt: skip
    assert counts is not None
    assert int(counts.group(3).replace(",", "")) > 0
    rows = re.findall(r"^  (C\d+)\s+(diamond|gold)\s+([\d.]+)%", part20, re.MULTILINE)
    assert len(rows) == 5
    probs = [float(p) for *_, p in rows]
    assert probs == sorted(probs, reverse=True)
    assert min(probs) >= 20.0
