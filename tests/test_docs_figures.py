"""The pictures of the docs are drawn by `lendcrm.plot` and cannot drift from it.

`docs/scripts/figures.py` draws every `docs/images/*.svg` with `lendcrm.plot` and writes
a fingerprint of the drawn data (lines, bars, texts, limits; floats to 6 significant
digits) into each file. These tests redraw each figure in memory and compare
fingerprints: robust to matplotlib's SVG details, fast (no SVG is rendered).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("matplotlib")

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    path = ROOT / "docs" / "scripts" / "figures.py"
    spec = importlib.util.spec_from_file_location("docs_figures", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()


def test_every_picture_of_the_docs_is_drawn_by_the_script():
    images = sorted(p.name for p in (ROOT / "docs" / "images").glob("*.svg"))
    assert images == sorted(SCRIPT.FIGURES)


@pytest.mark.parametrize("name", sorted(SCRIPT.FIGURES))
def test_committed_picture_matches_what_the_library_draws_now(name):
    figure = SCRIPT.FIGURES[name]()
    assert SCRIPT.committed_fingerprint(name) == SCRIPT.fingerprint(figure), (
        f"docs/images/{name} drifted from lendcrm.plot: run "
        "`.venv/bin/python docs/scripts/figures.py`"
    )


def test_a_changed_figure_changes_the_fingerprint():
    figure = SCRIPT.dscr_profile()
    before = SCRIPT.fingerprint(figure)
    figure.axes[0].patches[0].set_height(1.3)
    assert SCRIPT.fingerprint(figure) != before
    figure.axes[0].patches[0].set_height(1.18 + 1e-12)  # float noise is ignored
    assert SCRIPT.fingerprint(figure) == before


def test_write_and_check_round_trip(tmp_path, monkeypatch):
    monkeypatch.setattr(SCRIPT, "IMAGES", tmp_path)
    monkeypatch.setattr(SCRIPT, "FIGURES", {"dscr.svg": SCRIPT.dscr_profile})
    assert SCRIPT.main(["--check"]) == 1  # nothing written yet: drifted
    assert SCRIPT.main([]) == 0
    text = (tmp_path / "dscr.svg").read_text()
    assert "<dc:date>" not in text  # reproducible: no timestamp
    assert SCRIPT.main(["--check"]) == 0
    first = text
    SCRIPT.main([])
    assert (tmp_path / "dscr.svg").read_text() == first  # byte-identical redraw
