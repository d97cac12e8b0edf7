"""The docs site lists every page and publishes only pages (#19).

- every Markdown page under ``docs/`` is in the mkdocs nav, and nothing in the nav is
  missing;
- every section of the nav starts with its ``index.md``, and that index links every
  other page of the section (a reader who opens a section sees all of it);
- the copy button of a ``>>>`` example copies only its input lines (the
  ``docs/hooks/copy_code.py`` hook gives the block the theme's ``data-copy`` text);
- Mermaid is shipped with the site (``docs/hooks/mermaid.py``) and the built site loads
  no script from outside: a site built here is scanned for ``<script src>`` and
  stylesheet links with a scheme or a protocol-relative address;
- the build scripts (``docs/scripts``) and mkdocs hooks (``docs/hooks``) are excluded
  from the site (``exclude_docs``), so they are not published as pages or files.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

mkdocs_config = pytest.importorskip("mkdocs.config")
mkdocs_files = pytest.importorskip("mkdocs.structure.files")
mkdocs_utils = pytest.importorskip("mkdocs.utils")

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LINK = re.compile(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)")
UNPUBLISHED = ("scripts", "hooks")


def _config() -> dict[str, Any]:
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as f:
        loaded: dict[str, Any] = mkdocs_utils.yaml_load(f)
    return loaded


def _pages(entry: object) -> list[str]:
    """Every page of a nav entry, in order (a nav entry is a str, list or dict)."""
    if isinstance(entry, str):
        return [entry]
    if isinstance(entry, list):
        return [page for item in entry for page in _pages(item)]
    if isinstance(entry, dict):
        return [page for value in entry.values() for page in _pages(value)]
    return []


def _sections(nav: list[Any]) -> dict[str, list[str]]:
    """Top-level nav sections that are lists of pages: title -> pages."""
    return {
        title: _pages(value)
        for item in nav
        if isinstance(item, dict)
        for title, value in item.items()
        if isinstance(value, list)
    }


def _published_pages(docs: Path = DOCS) -> set[str]:
    return {
        p.relative_to(docs).as_posix()
        for p in docs.rglob("*.md")
        if p.relative_to(docs).parts[0] not in UNPUBLISHED
    }


def _links(index: str, docs: Path = DOCS) -> set[str]:
    """Pages an index page links to, as paths relative to ``docs/``."""
    folder = Path(index).parent
    text = (docs / index).read_text(encoding="utf-8")
    return {(folder / target).as_posix() for target in LINK.findall(text)}


def _orphans(nav: list[Any], docs: Path = DOCS) -> list[str]:
    """What is wrong with the nav and the section indexes, one line per problem."""
    problems = []
    listed = _pages(nav)
    if len(listed) != len(set(listed)):
        problems.append("a page is listed twice in the nav")
    problems.extend(
        f"{page} is not in the nav"
        for page in sorted(_published_pages(docs) - set(listed))
    )
    for title, pages in _sections(nav).items():
        index = pages[0]
        if not index.endswith("/index.md"):
            problems.append(f"section {title!r} starts with {index}, not an index")
            continue
        folder = index.rsplit("/", 1)[0]
        in_folder = {p for p in _published_pages(docs) if p.startswith(folder + "/")}
        problems.extend(
            f"{page} is not in section {title!r}"
            for page in sorted(in_folder - set(pages))
        )
        problems.extend(
            f"{index} does not link {page}"
            for page in sorted(set(pages[1:]) - _links(index, docs))
        )
    return problems


def test_every_page_is_in_the_nav_and_its_section_index():
    nav = _config()["nav"]
    assert {"Tutorials", "How-to guides", "Explanation", "Reference"} <= set(
        _sections(nav)
    )
    assert set(_pages(nav)) == _published_pages()
    assert _orphans(nav) == []


def test_an_orphan_page_is_reported(tmp_path):
    """The check can fail: a page missing from the nav or from its index is found."""
    (tmp_path / "how-to").mkdir()
    (tmp_path / "how-to" / "index.md").write_text("- [a](a.md)\n", encoding="utf-8")
    for name in ("a", "b", "c"):
        (tmp_path / "how-to" / f"{name}.md").write_text("# x\n", encoding="utf-8")
    nav = [{"How-to": ["how-to/index.md", "how-to/a.md", "how-to/b.md"]}]
    assert _orphans(nav, tmp_path) == [
        "how-to/c.md is not in the nav",
        "how-to/c.md is not in section 'How-to'",
        "how-to/index.md does not link how-to/b.md",
    ]


def test_build_scripts_and_hooks_are_not_published():
    config = mkdocs_config.load_config(str(ROOT / "mkdocs.yml"))
    files = mkdocs_files.get_files(config)
    unpublished = [f for f in files if f.src_uri.split("/")[0] in UNPUBLISHED]
    assert unpublished, "docs/scripts and docs/hooks should be found"
    published = [f.src_uri for f in unpublished if f.inclusion.is_included()]
    assert published == []
    assert all(
        not f.src_uri.endswith(".py") for f in files if f.inclusion.is_included()
    )


def _hook(name: str) -> ModuleType:
    path = DOCS / "hooks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"docs_hook_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


COPY = _hook("copy_code")


def test_copy_text_drops_prompts_and_output():
    session = (
        ">>> from lendcrm import Money\n"
        ">>> for code in ('EUR',):\n"
        "...     print(code)\n"
        "EUR\n"
        ">>> Money.of('1', 'EUR')\n"
        "Money(amount=Decimal('1'),\n"
        "...\n"
        ">>>\n"
    )
    assert COPY.input_lines(session) == (
        "from lendcrm import Money\n"
        "for code in ('EUR',):\n"
        "    print(code)\n"
        "Money.of('1', 'EUR')\n"
    )


def test_a_block_without_a_session_is_left_alone():
    assert COPY.input_lines("x = 1\n... not a prompt\n") is None
    plain = '<div class="highlight"><pre><code>x = 1\n</code></pre></div>'
    assert COPY.with_copy_text(plain) == plain


def test_the_highlighted_block_gets_the_theme_copy_attribute():
    block = (
        '<div class="language-python highlight"><pre><span></span><code>'
        '<span class="o">&gt;&gt;&gt;</span> <span class="n">x</span> '
        '<span class="o">=</span> <span class="s2">&quot;a&lt;b&quot;</span>\n'
        '<span class="o">&gt;&gt;&gt;</span> <span class="n">x</span>\n'
        "<span class=\"go\">'a&lt;b'</span>\n</code></pre></div>"
    )
    assert COPY.with_copy_text(block).startswith(
        '<div class="language-python highlight" '
        'data-copy="x = &quot;a&lt;b&quot;&#10;x"><pre><span></span><code>'
    )


MERMAID = _hook("mermaid")


def test_a_tampered_download_is_refused():
    MERMAID.check_integrity(b"abc", "sha512-" + _sha512_b64(b"abc"))
    with pytest.raises(ValueError, match="sha512 digest"):
        MERMAID.check_integrity(b"abd", "sha512-" + _sha512_b64(b"abc"))


def _sha512_b64(data: bytes) -> str:
    import base64
    import hashlib

    return base64.b64encode(hashlib.sha512(data).digest()).decode()


def test_pages_with_a_diagram_load_the_shipped_mermaid():
    page = '<html><head><title>x</title></head><body><pre class="mermaid">'
    assert MERMAID.with_mermaid_script(page, "explanation/architecture/") == (
        '<html><head><title>x</title><script src="../../javascripts/vendor/'
        'mermaid.min.js"></script></head><body><pre class="mermaid">'
    )
    plain = "<html><head></head><body></body></html>"
    assert MERMAID.with_mermaid_script(plain, "") == plain


EXTERNAL = re.compile(
    r"""<script\b[^>]*\bsrc=["']?(?:[a-z][a-z0-9+.-]*:|//)"""
    r"""|<link\b[^>]*\brel=["']?stylesheet["']?[^>]*\bhref=["']?(?:[a-z][a-z0-9+.-]*:|//)""",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The docs site, built once for this module (about 15 s)."""
    out = tmp_path_factory.mktemp("site")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [*command, "--site-dir", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=True,
    )
    return out


def test_the_external_script_scan_can_fail():
    assert EXTERNAL.search('<script src="https://unpkg.com/mermaid@11/x.js">')
    assert EXTERNAL.search("<script defer src=//cdn.example/x.js>")
    assert EXTERNAL.search('<link rel="stylesheet" href="https://fonts.x/css">')
    assert not EXTERNAL.search('<script src="../assets/javascripts/bundle.js">')
    assert not EXTERNAL.search('<a href="https://www.bis.org/">Basel</a>')


@pytest.mark.slow
def test_the_built_site_loads_nothing_from_outside(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 50
    outside = [
        f"{page.relative_to(site)}: {match.group(0)}"
        for page in pages
        for match in EXTERNAL.finditer(page.read_text(encoding="utf-8"))
    ]
    assert outside == []


@pytest.mark.slow
def test_every_diagram_page_loads_the_shipped_mermaid(site):
    shipped = site / MERMAID.TARGET
    assert (
        shipped.read_bytes()
        .rstrip()
        .endswith(
            b'globalThis["mermaid"] = globalThis.__esbuild_esm_mermaid_nm["mermaid"].default;'
        )
    )
    diagrams = [
        p for p in site.rglob("*.html") if MERMAID.DIAGRAM in p.read_text("utf-8")
    ]
    assert len(diagrams) >= 6
    for page in diagrams:
        text = page.read_text(encoding="utf-8")
        src = re.search(r'<script src="([^"]*mermaid\.min\.js)"></script></head>', text)
        assert src, f"{page} does not load the shipped mermaid"
        assert (page.parent / src.group(1)).resolve() == shipped.resolve()


@pytest.mark.slow
def test_the_built_site_publishes_no_script_and_copies_code_only(site):
    assert not (site / "scripts").exists()
    assert not (site / "hooks").exists()
    assert list(site.rglob("*.py")) == []
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'data-copy="from lendcrm import Money&#10;Money.of(' in home
