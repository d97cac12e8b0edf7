"""mkdocs hook: ship Mermaid with the site so diagrams render without a network.

Material for MkDocs draws ``mermaid`` fences with the Mermaid library, which it fetches
from a CDN when the page is viewed, unless a ``mermaid`` global is already defined. This
hook ships the library instead:

- the pinned npm package (a Mermaid 11 build, the major version the theme supports) is
  downloaded once from the npm registry, checked against its published ``sha512``
  integrity and cached in ``.cache/docs-vendor/`` (later builds are offline);
- its ``dist/mermaid.min.js`` is copied into the built site
  (``javascripts/vendor/mermaid.min.js``);
- every page that holds a diagram loads that file in its ``<head>``, so the theme finds
  ``mermaid`` defined and fetches nothing.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import tarfile
import urllib.request
from pathlib import Path
from typing import Any

from mkdocs.utils import get_relative_url

MERMAID_VERSION = "11.17.2"
TARBALL = f"https://registry.npmjs.org/mermaid/-/mermaid-{MERMAID_VERSION}.tgz"
INTEGRITY = (
    "sha512-V6K3C8EBdEsPFZXSKMJe6ppQOENxuHARr9GvHX4hh47lAbhMRD9qf4oEK7LoaRQxULMa80/"
    "qt5gHO73aCleBBg=="
)
MEMBER = "package/dist/mermaid.min.js"
CACHE = Path(__file__).resolve().parents[2] / ".cache" / "docs-vendor"
TARGET = "javascripts/vendor/mermaid.min.js"
DIAGRAM = 'class="mermaid"'


def check_integrity(data: bytes, integrity: str = INTEGRITY) -> None:
    """Raise ValueError unless ``data`` has the npm ``sha512-<base64>`` digest."""
    algorithm, _, expected = integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        msg = f"{TARBALL}: {algorithm} digest {actual}, expected {expected}"
        raise ValueError(msg)


def mermaid_js(cache: Path = CACHE) -> Path:
    """The cached ``mermaid.min.js``, downloaded and checked on first use."""
    path = cache / f"mermaid-{MERMAID_VERSION}.min.js"
    if path.exists():
        return path
    with urllib.request.urlopen(TARBALL, timeout=120) as response:
        data = response.read()
    check_integrity(data)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            msg = f"{TARBALL} has no {MEMBER}"
            raise ValueError(msg)
        script = member.read()
    cache.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(script)
    partial.replace(path)
    return path


def with_mermaid_script(page_html: str, page_url: str) -> str:
    """Load the shipped Mermaid in the head of a page that holds a diagram."""
    if DIAGRAM not in page_html:
        return page_html
    src = get_relative_url(TARGET, page_url)
    return page_html.replace("</head>", f'<script src="{src}"></script></head>', 1)


def on_post_page(output: str, page: Any, **_: Any) -> str:  # noqa: ANN401 - mkdocs hook API
    """Point the pages with diagrams at the shipped Mermaid."""
    return with_mermaid_script(output, page.url)


def on_post_build(config: Any, **_: Any) -> None:  # noqa: ANN401 - mkdocs hook API
    """Copy the cached Mermaid build into the site."""
    target = Path(config["site_dir"]) / TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(mermaid_js(), target)
