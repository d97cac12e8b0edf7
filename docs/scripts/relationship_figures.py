"""Draw the relationship figures of the docs as plain SVG (#8).

Run from the repository root: ``.venv/bin/python docs/scripts/relationship_figures.py``.
Every number is computed by lendcrm on a synthetic book (the models of the tour,
fitted on a training book); the drawing uses the standard library only, so the docs
need no plotting dependency:

- ``relationship-lorenz.svg``: the Lorenz curve of revenue to the bank, with the
  Pareto point (the share of clients bringing 80 % of the revenue) marked;
- ``relationship-actions-by-stage.svg``: the first next best action of every client,
  stacked by lifecycle stage.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import numpy as np
import pandas as pd

from lendcrm.frames import columns as schema
from lendcrm.lifecycle import StageRules
from lendcrm.relationship import RelationshipModels, RelationshipPricing
from lendcrm.relationship import columns as col
from lendcrm.relationship.frames import fit_tiering, relationship_frame
from lendcrm.segmentation import RiskOverlay, lorenz_curve, pareto_point
from lendcrm.synthetic import generate_frames

OUT = Path(__file__).resolve().parents[1] / "images"
W, H, PAD = 640, 360, 56
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
STAGES = ("acquisition", "activation", "growth", "maturity", "decline")
COLOURS = (
    "#4a78b0",
    "#b5523b",
    "#5a9e6f",
    "#c9a227",
    "#7d5ba6",
    "#3ba3b5",
    "#b53b8f",
    "#8c8c8c",
    "#2f4f4f",
    "#d2691e",
    "#556b2f",
)


def _svg(body: list[str], title: str, width: int = W) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{H}" '
        f'viewBox="0 0 {width} {H}" font-family="sans-serif" font-size="11">'
        f"<title>{title}</title>"
        f'<rect width="{width}" height="{H}" fill="white"/>'
    )
    return head + "".join(body) + "</svg>\n"


def _book() -> tuple[pd.DataFrame, pd.DataFrame]:
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


def lorenz(clients: pd.DataFrame) -> str:
    revenue = clients["revenue_to_bank"].to_numpy()
    curve = lorenz_curve(revenue)
    point = pareto_point(revenue, 0.8)
    x0, x1, y0, y1 = PAD, W - PAD, H - PAD, PAD // 2
    sx, sy = (x1 - x0), (y0 - y1)
    step = max(1, curve.n // 400)
    xs = [*curve.population_share[::step].tolist(), 1.0]
    ys = [*curve.value_share[::step].tolist(), 1.0]
    path = " ".join(
        f"{x0 + x * sx:.1f},{y0 - y * sy:.1f}" for x, y in zip(xs, ys, strict=True)
    )
    px = x0 + (1 - point) * sx
    py = y0 - 0.2 * sy
    body = [
        f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="black"/>',
        f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="black"/>',
        (
            f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" stroke="grey" '
            'stroke-dasharray="4 3"/>'
        ),
        f'<polyline points="{path}" fill="none" stroke="#4a78b0" stroke-width="2"/>',
        f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="#b5523b"/>',
        (
            f'<text x="{px - 8:.1f}" y="{py - 10:.1f}" text-anchor="end">'
            f"{100 * point:.1f} % of clients bring 80 % of the revenue</text>"
        ),
        (
            f'<text x="{(x0 + x1) / 2}" y="{H - 16}" text-anchor="middle">'
            "share of clients, smallest revenue first</text>"
        ),
        (
            f'<text x="16" y="{(y0 + y1) / 2}" text-anchor="middle" '
            f'transform="rotate(-90 16 {(y0 + y1) / 2})">share of revenue to the '
            "bank</text>"
        ),
        f'<text x="{x0 + 8}" y="{y1 + 12}">Gini {curve.gini:.3f}</text>',
    ]
    for t in (0.0, 0.5, 1.0):
        body.append(
            f'<text x="{x0 + t * sx:.1f}" y="{y0 + 14}" text-anchor="middle">{t:g}</text>'
        )
        body.append(
            f'<text x="{x0 - 6}" y="{y0 - t * sy + 4:.1f}" text-anchor="end">{t:g}</text>'
        )
    return _svg(body, "Lorenz curve of revenue to the bank")


def actions_by_stage(rf: pd.DataFrame) -> str:
    actions = rf[col.NEXT_ACTION].astype(str).replace("", "(none)")
    table = pd.crosstab(rf[schema.STAGE].astype(str), actions).reindex(
        index=list(STAGES), fill_value=0
    )
    order = table.sum().sort_values(ascending=False).index.tolist()
    table = table[order]
    width = W + 180
    x0, y0, y1 = PAD, H - PAD, PAD // 2
    bar = (W - 2 * PAD) / len(STAGES)
    top = float(table.sum(axis=1).max())
    sy = (y0 - y1) / top
    body = [f'<line x1="{x0}" y1="{y0}" x2="{W - PAD}" y2="{y0}" stroke="black"/>']
    for i, stage in enumerate(STAGES):
        base = 0.0
        for j, action in enumerate(order):
            count = float(table.loc[stage, action])
            if count == 0:
                continue
            body.append(
                f'<rect x="{x0 + i * bar + 6:.1f}" y="{y0 - (base + count) * sy:.1f}" '
                f'width="{bar - 12:.1f}" height="{count * sy:.1f}" '
                f'fill="{COLOURS[j % len(COLOURS)]}"/>'
            )
            base += count
        body.append(
            f'<text x="{x0 + (i + 0.5) * bar:.1f}" y="{y0 + 14}" '
            f'text-anchor="middle">{stage}</text>'
        )
        body.append(
            f'<text x="{x0 + (i + 0.5) * bar:.1f}" y="{y0 - base * sy - 4:.1f}" '
            f'text-anchor="middle">{int(base)}</text>'
        )
    for j, action in enumerate(order):
        y = y1 + 14 * j + 8
        body.append(
            f'<rect x="{W - PAD + 16}" y="{y - 8}" width="10" height="10" '
            f'fill="{COLOURS[j % len(COLOURS)]}"/>'
        )
        body.append(f'<text x="{W - PAD + 32}" y="{y + 1}">{action}</text>')
    body.append(
        f'<text x="{x0 + 4}" y="{y1 + 4}">clients by first next best action</text>'
    )
    return _svg(body, "First next best action by lifecycle stage", width=width)


def main() -> None:
    """Compute and write both figures."""
    OUT.mkdir(parents=True, exist_ok=True)
    clients, rf = _book()
    (OUT / "relationship-lorenz.svg").write_text(lorenz(clients))
    (OUT / "relationship-actions-by-stage.svg").write_text(actions_by_stage(rf))
    counts = rf[col.NEXT_ACTION].astype(str).value_counts()
    print(f"wrote 2 figures to {OUT} ({int(np.sum(counts))} clients)")  # noqa: T201


if __name__ == "__main__":
    main()
