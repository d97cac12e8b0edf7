"""Draw the pictures of the docs (docs/images/*.svg) with `lendcrm.plot`.

Every number is computed by lendcrm and every picture is drawn by `lendcrm.plot`; this
script only feeds the charts and writes the files (the library returns figures and
writes nothing). Each SVG carries, in its ``<dc:description>``, a fingerprint of the
data it draws (lines, bars, labels, limits); ``tests/test_docs_figures.py`` redraws
every figure and fails when a committed picture no longer matches the library.

Usage (from the repository root)::

    .venv/bin/python docs/scripts/figures.py          # redraw docs/images/*.svg
    .venv/bin/python docs/scripts/figures.py --check  # exit 1 on drift
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from lendcrm.frames import columns as schema
from lendcrm.lifecycle import StageRules
from lendcrm.plot import (
    actions_by_stage_chart,
    dscr_chart,
    lorenz_chart,
    loss_distribution_chart,
)
from lendcrm.relationship import RelationshipModels, RelationshipPricing
from lendcrm.relationship import columns as col
from lendcrm.relationship.frames import fit_tiering, relationship_frame
from lendcrm.risk.portfolio import asrf_capital, simulate_losses
from lendcrm.risk.project_finance import covenant_test
from lendcrm.segmentation import RiskOverlay
from lendcrm.synthetic import generate_frames

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

IMAGES = Path(__file__).resolve().parents[1] / "images"
AS_OF = dt.date(2025, 12, 31)
FX = {
    "GBP": 1.17,
    "USD": 0.92,
    "PLN": 0.23,
    "SEK": 0.088,
    "DKK": 0.134,
    "NOK": 0.086,
    "CHF": 1.05,
}
LGD = 0.45
FINGERPRINT = re.compile(
    r"<dc:description>lendcrm-figure ([0-9a-f]{64})</dc:description>"
)


def loss_distribution() -> Figure:
    """500 obligors, EAD 1, PD 1 %, LGD 45 %, rho 0.12; 50,000 scenarios (#7)."""
    ead = np.full(500, 1.0)
    sim = simulate_losses(
        ead,
        0.01,
        LGD,
        correlation=0.12,
        n_scenarios=50_000,
        rng=np.random.default_rng(42),
        levels=[0.999],
    )
    capital = float(asrf_capital(ead, 0.01, LGD, correlation=0.12).sum())
    # one bar per number of defaults (each default loses 0.45)
    top = int(np.ceil(1.1 * sim.expected_shortfall[0] / LGD))
    edges = (LGD * (np.arange(top + 2) - 0.5)).tolist()
    return loss_distribution_chart(
        sim,
        unit="EUR, 500 obligors of EAD 1",
        bins=edges,
        marks={"ASRF EL + K": sim.expected_loss + capital},
    )


def dscr_profile() -> Figure:
    """Ten periods of CFADS against a debt service of 100, lock-up 1.15, default 1.05."""
    cfads = [118.0, 124, 131, 126, 112, 104, 121, 135, 140, 138]
    return dscr_chart(covenant_test(cfads, [100.0] * 10, lock_up=1.15, default=1.05))


@functools.cache
def _relationship_frame() -> tuple[Any, Any]:
    """The synthetic book of the nightly-batch tutorial and its relationship view."""
    training = generate_frames(5_000, seed=2, as_of=AS_OF)
    models = RelationshipModels(
        fx_rates=FX,
        pricing=RelationshipPricing(),
        stage_rules=StageRules.builtin(),
        overlay=RiskOverlay(),
    )
    models = attrs.evolve(
        models, tiering=fit_tiering(training.book_frames(), as_of=AS_OF, models=models)
    )
    book = generate_frames(5_000, seed=1, as_of=AS_OF)
    rf = relationship_frame(
        book.book_frames(), as_of=AS_OF, models=models, signals=book.signals
    )
    return book.clients, rf


def relationship_lorenz() -> Figure:
    """Lorenz curve of revenue to the bank with the Pareto point (#8)."""
    clients, _ = _relationship_frame()
    return lorenz_chart(
        clients["revenue_to_bank"].to_numpy(), what="revenue to the bank"
    )


def relationship_actions() -> Figure:
    """First next best action of every client, stacked by lifecycle stage (#8)."""
    _, rf = _relationship_frame()
    return actions_by_stage_chart(
        rf[schema.STAGE].astype(str).tolist(), rf[col.NEXT_ACTION].astype(str).tolist()
    )


FIGURES: dict[str, Callable[[], Figure]] = {
    "portfolio-loss-distribution.svg": loss_distribution,
    "project-finance-dscr-profile.svg": dscr_profile,
    "relationship-actions-by-stage.svg": relationship_actions,
    "relationship-lorenz.svg": relationship_lorenz,
}


def _rounded(values: object) -> list[float]:
    """Floats to 6 significant digits, so the fingerprint ignores float noise."""
    array = np.asarray(values, dtype=np.float64)
    return [float(f"{v:.6g}") for v in array.ravel()]


def drawn_data(figure: Figure) -> list[dict[str, Any]]:
    """What a figure shows, axes by axes: titles, labels, limits, lines, bars, texts."""
    return [_axes_data(axes) for axes in figure.axes]


def _axes_data(axes: Axes) -> dict[str, Any]:
    """One axes' title, labels, limits, lines, bars, texts, images and legend."""
    return {
        "title": axes.get_title(),
        "labels": [axes.get_xlabel(), axes.get_ylabel()],
        "limits": _rounded([*axes.get_xlim(), *axes.get_ylim()]),
        "lines": [_rounded(line.get_xydata()) for line in axes.lines],
        "patches": [
            _rounded(patch.get_bbox().bounds)
            if hasattr(patch, "get_bbox")
            else type(patch).__name__
            for patch in axes.patches
        ],
        "texts": [[t.get_text(), *_rounded(t.get_position())] for t in axes.texts],
        "images": [_rounded(image.get_array()) for image in axes.images],
        "legend": []
        if axes.get_legend() is None
        else [t.get_text() for t in axes.get_legend().get_texts()],
    }


def fingerprint(figure: Figure) -> str:
    """SHA-256 of the figure's drawn data (`drawn_data`), as hex."""
    payload = json.dumps(drawn_data(figure), sort_keys=True).encode()
    return hashlib.sha256(payload).hexdigest()


def committed_fingerprint(name: str) -> str | None:
    """The fingerprint written into ``docs/images/<name>``, or None."""
    path = IMAGES / name
    if not path.exists():
        return None
    match = FINGERPRINT.search(path.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def write(figure: Figure, path: Path) -> None:
    """Save ``figure`` as a reproducible SVG (no date, fixed ids, text as text)."""
    import matplotlib as mpl  # noqa: PLC0415 - the plot extra, needed only here

    with mpl.rc_context({"svg.hashsalt": "lendcrm", "svg.fonttype": "none"}):
        figure.savefig(
            path,
            format="svg",
            metadata={
                "Date": None,
                "Description": f"lendcrm-figure {fingerprint(figure)}",
            },
        )


def main(argv: list[str]) -> int:
    """Redraw every picture, or with ``--check`` report the drifted ones."""
    drifted = []
    for name, draw in FIGURES.items():
        figure = draw()
        if "--check" in argv:
            if committed_fingerprint(name) != fingerprint(figure):
                drifted.append(name)
            continue
        write(figure, IMAGES / name)
        print(f"wrote docs/images/{name}")  # noqa: T201
    for name in drifted:
        print(f"docs/images/{name} drifted: run docs/scripts/figures.py")  # noqa: T201
    return 1 if drifted else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
