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
from types import ModuleType

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


#: The pictures `--out` writes, each drawn by a `lendcrm.plot` function.
PICTURES = (
    "lorenz-curve.png",
    "whale-curve.png",
    "score-distribution.png",
    "actions-by-stage.png",
    "tier-migration.png",
    "rating-migration.png",
    "client-lifecycle.svg",
)


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the tour's pictures go to (one run of the tour serves every test)."""
    return tmp_path_factory.mktemp("tour") / "pictures"


@pytest.fixture(scope="module")
def tour() -> ModuleType:
    """``examples/tour.py`` loaded as a module."""
    spec = importlib.util.spec_from_file_location(
        "lendcrm_tour", ROOT / "examples" / "tour.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tour_output(tour: ModuleType, pictures: Path) -> str:
    """What ``python examples/tour.py --out <pictures>`` prints."""
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
        tour.main()
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
        "337 clients",
        "(3.4 %)",
        "2.17 % -> 3.61 %",
    ):
        assert figure in tour_output, figure
    for figure in ("76.9 %", "Gini 0.736", "337 clients", "(3.4 %", "2.17 % → 3.61 %"):
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


def test_the_rating_migration_takes_the_latest_review_at_each_end(tour, capsys):
    """Hand-built reviews; the tour's as_of is 2025-12-31, so the year starts 2024-12-31.

    A: 3 (2024-06-30) then 4 (2025-06-30): 3 -> 4, a downgrade.
    B: 5 (2023-01-15) then 5 (2025-03-01): 5 -> 5.
    C: first rated 2025-02-01: not rated a year ago, left out.
    D: 3 on the start date itself (counted), 9 after as_of (ignored): 3 -> 3.
    """
    ratings = pd.DataFrame(
        {
            "client_id": ["A", "A", "B", "B", "C", "D", "D"],
            "rated_on": pd.to_datetime(
                [
                    "2024-06-30",
                    "2025-06-30",
                    "2023-01-15",
                    "2025-03-01",
                    "2025-02-01",
                    "2024-12-31",
                    "2026-01-01",
                ]
            ),
            "rating_grade": pd.Categorical(
                ["3", "4", "5", "5", "2", "3", "9"],
                categories=[str(g) for g in range(1, 11)],
            ),
        }
    )
    shares = tour.rating_migration(ratings)
    printed = capsys.readouterr().out
    assert shares.shape == (10, 10)
    assert shares.loc["3"].tolist() == [0, 0, 0.5, 0.5, 0, 0, 0, 0, 0, 0]
    assert shares.loc["5", "5"] == 1.0
    assert shares.drop(index=["3", "5"]).to_numpy().sum() == 0.0
    assert (
        "3 clients rated at both dates (latest review on or before each); 0 upgraded, "
        "1 downgraded, 66.7% kept their grade; 1 first rated since"
    ) in printed


def test_the_tour_shows_a_client_history_and_the_rating_migration(tour_output):
    history = tour_output.split("16. The history behind ", 1)[1].split("17.", 1)[0]
    assert history.startswith("C0000057")  # the first client of part 14
    assert "2025-09-28  grade  6" in history  # its latest review, the book's grade
    assert history.count("2025-12-31") == 2  # the latest measures and month end
    migration = tour_output.split("17. Rating migration", 1)[1]
    found = re.search(r"([\d,]+) clients rated at both", migration)
    assert found is not None
    rated = int(found[1].replace(",", ""))
    counts = migration.split("(columns):\n", 1)[1].split("  row shares", 1)[0]
    rows = [line.split()[1:] for line in counts.splitlines()[2:]]
    assert len(rows) == 10
    assert sum(int(n) for row in rows for n in row) == rated
