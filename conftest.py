"""Collection of the doctests that need an optional extra (#16, deliverable 5).

The modules and pages below import scikit-learn, matplotlib, dask or mkdocs (the docs
extra) in their examples.
Without the extra they are left out of collection (pytest reports nothing for them),
so a venv with only the runtime dependencies and the test runner still runs every
other test; their own tests skip with `pytest.importorskip`.
"""

from __future__ import annotations

import importlib.util

_NEEDS = {
    "sklearn": ["src/lendcrm/risk/scoring/sklearn.py"],
    "matplotlib": [
        "src/lendcrm/plot",
        "docs/how-to/draw-the-charts.md",
        "docs/scripts/figures.py",
    ],
    "mkdocs": ["docs/hooks/mermaid.py"],
    "dask": ["docs/how-to/relationship-run-on-dask.md"],
}

collect_ignore = [
    path
    for extra, paths in _NEEDS.items()
    if importlib.util.find_spec(extra) is None
    for path in paths
]
