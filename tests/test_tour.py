"""The landing page quotes the tour's output; this keeps the two from drifting apart.

`docs/index.md` shows tables and a client view "from one run" of `examples/tour.py`.
The tour is deterministic (seeded synthetic books, no clock), so every quoted table row
and line must appear in what the tour prints today. The tour runs once, with ``--out``,
so the same run also shows that the pictures drawn by `lendcrm.plot` are saved.
"""

import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


#: The pictures `--out` writes, each drawn by a `lendcrm.plot` function.
PICTURES = (
    "lorenz-curve.png",
    "whale-curve.png",
    "score-distribution.png",
    "actions-by-stage.png",
    "tier-migration.png",
    "client-lifecycle.svg",
)


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the tour's pictures go to (one run of the tour serves every test)."""
    return tmp_path_factory.mktemp("tour") / "pictures"


@pytest.fixture(scope="module")
def tour_output(pictures: Path) -> str:
    """What ``python examples/tour.py --out <pictures>`` prints."""
    spec = importlib.util.spec_from_file_location(
        "lendcrm_tour", ROOT / "examples" / "tour.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    captured: list[str] = []

    class _Sink:
        def write(self, text: str) -> int:
            captured.append(text)
            return len(text)

        def flush(self) -> None:
            pass

    argv, stdout = sys.argv, sys.stdout
    sys.argv, sys.stdout = ["tour.py", "--out", str(pictures)], _Sink()
    try:
        module.main()
    finally:
        sys.argv, sys.stdout = argv, stdout
    return "".join(captured)


def _landing_table_rows() -> list[list[str]]:
    rows = []
    for line in (ROOT / "docs" / "index.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if (
            line.startswith("|")
            and len(cells) > 2
            and re.fullmatch(r"-?[\d,.]+", cells[1])
        ):
            rows.append([c.replace(",", "") for c in cells])
    return rows


def test_landing_page_has_the_tables_it_claims():
    assert len(_landing_table_rows()) == 4 + 5 + 4


def test_every_landing_table_row_is_printed_by_the_tour(tour_output):
    printed = [line.split() for line in tour_output.splitlines()]
    missing = [row for row in _landing_table_rows() if row not in printed]
    assert not missing, (
        f"rows on docs/index.md that the tour no longer prints: {missing}"
    )


def test_landing_figures_and_client_view_match_the_tour(tour_output):
    text = (ROOT / "docs" / "index.md").read_text()
    block = text.split("```text\n", 1)[1].split("```", 1)[0]
    for line in block.strip().splitlines():
        assert line.strip() in tour_output, line
    for figure in (
        "76.9 %",
        "Gini 0.736",
        "820 clients",
        "(8.2 %)",
        "2.17 % -> 3.61 %",
    ):
        assert figure in tour_output, figure
    for figure in ("76.9 %", "Gini 0.736", "820 clients", "(8.2 %", "2.17 % → 3.61 %"):
        assert figure in text, figure


def test_the_tour_saves_the_pictures_lendcrm_plot_draws(tour_output, pictures):
    pytest.importorskip("matplotlib")
    assert f"{len(PICTURES)} pictures written to {pictures}" in tour_output
    assert sorted(p.name for p in pictures.iterdir()) == sorted(PICTURES)
    for name in PICTURES:
        data = (pictures / name).read_bytes()
        assert len(data) > 1_000, name
        if name.endswith(".png"):
            assert data.startswith(b"\x89PNG\r\n\x1a\n"), name
        else:
            assert data.lstrip().startswith(b"<?xml"), name
            assert b"<svg" in data, name
