"""Draw the portfolio and project-finance figures of the docs as plain SVG (#7).

Run from the repository root: ``.venv/bin/python docs/scripts/portfolio_figures.py``.
The figures are computed by lendcrm itself and drawn with the standard library only
(no plotting dependency): a histogram of simulated book losses with VaR and ES
marked, and a DSCR profile against covenant thresholds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from lendcrm.risk.portfolio import asrf_capital, simulate_losses
from lendcrm.risk.project_finance import covenant_test

OUT = Path(__file__).resolve().parents[1] / "images"
W, H, PAD = 640, 320, 48


def _svg(body: list[str], title: str) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
        f'viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="11">'
        f"<title>{title}</title>"
        f'<rect width="{W}" height="{H}" fill="white"/>'
    )
    return head + "".join(body) + "</svg>\n"


def loss_distribution() -> str:
    n = 500
    sim = simulate_losses(
        np.full(n, 1.0),
        0.01,
        0.45,
        correlation=0.12,
        n_scenarios=50_000,
        rng=np.random.default_rng(42),
        levels=[0.999],
    )
    losses = sim.losses
    # one bar per number of defaults (each default loses 0.45)
    top = int(np.ceil(1.1 * sim.expected_shortfall[0] / 0.45))
    edges = 0.45 * (np.arange(top + 2) - 0.5)
    hist, _ = np.histogram(np.minimum(losses, edges[-1] - 0.1), bins=edges)
    share = hist / hist.sum()
    x0, x1, y0, y1 = PAD, W - PAD // 2, H - PAD, PAD // 2
    sx = (x1 - x0) / (edges[-1] - edges[0])
    edges_0 = edges[0]
    sy = (y0 - y1) / share.max()
    body = []
    for i, s in enumerate(share):
        x = x0 + (edges[i] - edges[0]) * sx
        body.append(
            f'<rect x="{x:.1f}" y="{y0 - s * sy:.1f}" width="{(edges[1] - edges[0]) * sx - 1:.1f}" '
            f'height="{s * sy:.1f}" fill="#4a78b0"/>'
        )
    body.append(f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="black"/>')
    body.append(f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="black"/>')
    k = asrf_capital(np.full(n, 1.0), 0.01, 0.45, correlation=0.12).sum()
    marks = [
        ("EL", sim.expected_loss, "#2a9d3a"),
        ("VaR 99.9%", sim.var[0], "#d62728"),
        ("ES 99.9%", sim.expected_shortfall[0], "#7b3294"),
        ("ASRF EL+K", sim.expected_loss + k, "#ff7f0e"),
    ]
    for j, (label, v, colour) in enumerate(marks):
        x = x0 + (min(v, edges[-1]) - edges_0) * sx
        body.append(
            f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y1}" stroke="{colour}" '
            'stroke-dasharray="4 3"/>'
        )
        body.append(
            f'<text x="{x - 3:.1f}" y="{y1 + 12 + 13 * j}" fill="{colour}" '
            f'text-anchor="end">{label} = {v:.1f}</text>'
            if j
            else f'<text x="{x + 3:.1f}" y="{y1 + 12}" fill="{colour}">'
            f"{label} = {v:.1f}</text>"
        )
    for v in np.linspace(0, edges[-1], 5):
        x = x0 + (v - edges_0) * sx
        body.append(
            f'<text x="{x:.1f}" y="{y0 + 14}" text-anchor="middle">{v:.0f}</text>'
        )
    body.append(
        f'<text x="{(x0 + x1) / 2}" y="{H - 8}" text-anchor="middle">'
        "book loss (500 obligors, EAD 1, PD 1 %, LGD 45 %, rho 0.12; 50,000 scenarios)"
        "</text>"
    )
    return _svg(body, "Simulated loss distribution")


def dscr_profile() -> str:
    cfads = np.array([118, 124, 131, 126, 112, 104, 121, 135, 140, 138], dtype=float)
    ds = np.full(10, 100.0)
    res = covenant_test(cfads, ds, lock_up=1.15, default=1.05)
    x0, x1, y0, y1 = PAD, W - PAD // 2, H - PAD, PAD // 2
    lo, hi = 0.9, 1.5
    sy = (y0 - y1) / (hi - lo)
    step = (x1 - x0) / len(cfads)
    body = [
        f'<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y0}" stroke="black"/>',
        f'<line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}" stroke="black"/>',
    ]
    for level, label, colour in (
        (1.15, "lock-up 1.15", "#ff7f0e"),
        (1.05, "default 1.05", "#d62728"),
    ):
        y = y0 - (level - lo) * sy
        body.append(
            f'<line x1="{x0}" y1="{y:.1f}" x2="{x1}" y2="{y:.1f}" stroke="{colour}" '
            'stroke-dasharray="5 3"/>'
        )
        body.append(
            f'<text x="{x1 - 80}" y="{y - 4:.1f}" fill="{colour}">{label}</text>'
        )
    for i, d in enumerate(res.dscr):
        colour = (
            "#d62728"
            if res.event_of_default[i]
            else ("#ff7f0e" if res.lock_up[i] else "#4a78b0")
        )
        x = x0 + i * step + 6
        body.append(
            f'<rect x="{x:.1f}" y="{y0 - (d - lo) * sy:.1f}" width="{step - 12:.1f}" '
            f'height="{(d - lo) * sy:.1f}" fill="{colour}"/>'
        )
        body.append(
            f'<text x="{x + (step - 12) / 2:.1f}" y="{y0 + 14}" text-anchor="middle">{i + 1}</text>'
        )
        body.append(
            f'<text x="{x + (step - 12) / 2:.1f}" y="{y0 - (d - lo) * sy - 4:.1f}" '
            f'text-anchor="middle">{d:.2f}</text>'
        )
    body.append(
        f'<text x="{(x0 + x1) / 2}" y="{H - 8}" text-anchor="middle">'
        "period (debt service 100 each); bar colour: pass, lock-up, default</text>"
    )
    return _svg(body, "DSCR profile against covenant thresholds")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    (OUT / "portfolio-loss-distribution.svg").write_text(loss_distribution())
    (OUT / "project-finance-dscr-profile.svg").write_text(dscr_profile())


if __name__ == "__main__":
    main()
