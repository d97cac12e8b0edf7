"""Packaging (#16, deliverable 7): licence file, classifiers, links that work on PyPI."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_licence_file_is_declared_and_present():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]  # sdist and wheel (PEP 639)
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")


def test_every_supported_python_has_a_classifier():
    classifiers = set(PYPROJECT["project"]["classifiers"])
    for minor in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {minor}" in classifiers


# Hosts that never resolve (RFC 2606 / RFC 6761): a link to one is a placeholder.
RESERVED = re.compile(r"https?://([^/]+\.)?(invalid|example|test|localhost)(/|:|$)")


def _links(text: str) -> list[str]:
    return re.findall(r"\]\(([^)]+)\)", text) + re.findall(r"https?://\S+", text)


def test_readme_links_work_on_a_package_index():
    # a package index renders the README alone: a relative link points nowhere, and
    # a placeholder address nowhere either; the docs are named by their folders
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    relative = [t for t in re.findall(r"\]\(([^)]+)\)", readme) if "://" not in t]
    assert [t for t in relative if not t.startswith("#")] == []
    assert [t for t in _links(readme) if RESERVED.match(t)] == []
    for folder in (
        "docs/tutorials/",
        "docs/how-to/",
        "docs/explanation/",
        "docs/reference/",
    ):
        assert f"`{folder}`" in readme
        assert (ROOT / folder).is_dir()


def test_project_urls_are_real_addresses():
    urls = PYPROJECT["project"].get("urls", {})
    assert [
        u for u in urls.values() if RESERVED.match(u) or not u.startswith("https://")
    ] == []


def test_the_placeholder_check_catches_placeholders():
    assert RESERVED.match("https://lendcrm.invalid/docs")
    assert RESERVED.match("https://example/x")
    assert RESERVED.match("http://localhost:8000/")
    assert not RESERVED.match("https://pypi.org/project/lendcrm/")
    assert not RESERVED.match("https://invalidator.org/")
