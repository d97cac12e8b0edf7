"""mkdocs hook: ship MathJax with the site so formulas render without a network.

The MathJax 3 build comes from the `django-static-mathjax` package (part of the `docs`
extra); only the self-contained SVG component is copied.
"""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path
from typing import Any

TARGET = Path("javascripts") / "vendor" / "tex-svg.js"


def on_post_build(config: Any, **_: Any) -> None:  # noqa: ANN401 - mkdocs hook API
    """Copy MathJax's ``es5/tex-svg.js`` into the built site."""
    source = files("mathjax").joinpath("static", "mathjax", "es5", "tex-svg.js")
    target = Path(config["site_dir"]) / TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    with source.open("rb") as src, target.open("wb") as dst:
        shutil.copyfileobj(src, dst)
