"""Every front door declares a sorted, complete __all__, and each name has one front door.

A *front door* is any module whose dotted path has no underscored part (``lendcrm``,
``lendcrm.risk.capital``, ``lendcrm.frames.columns``); the modules whose names start
with ``_`` are private and reached only through a front door. The front doors are found
by walking the installed package, so a new one cannot be forgotten here.
"""

from __future__ import annotations

import importlib
import pkgutil
import types
from collections import defaultdict

import pytest

import lendcrm


def _front_doors() -> list[str]:
    found = ["lendcrm"]
    found.extend(
        info.name
        for info in pkgutil.walk_packages(lendcrm.__path__, "lendcrm.")
        if not any(part.startswith("_") for part in info.name.split("."))
    )
    return sorted(found)


FRONT_DOORS = _front_doors()


def _exported(name: str) -> list[str]:
    exported = getattr(importlib.import_module(name), "__all__", None)
    assert exported is not None, f"{name} has no __all__"
    return list(exported)


def _declared_here(module: types.ModuleType, value: object) -> bool:
    """A public class or function this front door exposes (its own, or re-exported)."""
    if isinstance(value, types.ModuleType):
        return False
    if not isinstance(value, type) and not callable(value):
        return False
    origin = getattr(value, "__module__", "") or ""
    if hasattr(module, "__path__"):  # a package re-exports from its private modules
        return origin.startswith(module.__name__ + ".") or origin == module.__name__
    return origin == module.__name__


def test_the_front_doors_are_found():
    assert {"lendcrm", "lendcrm.risk", "lendcrm.risk.capital", "lendcrm.errors"} <= set(
        FRONT_DOORS
    )


@pytest.mark.parametrize("name", FRONT_DOORS)
def test_dunder_all_sorted_importable_and_complete(name):
    module = importlib.import_module(name)
    exported = _exported(name)
    assert exported == sorted(exported), f"{name}.__all__ is not sorted"
    assert len(exported) == len(set(exported)), f"{name}.__all__ repeats a name"
    for attr in exported:
        assert hasattr(module, attr), f"{name}.{attr} does not import"
    public = {
        a
        for a, v in vars(module).items()
        if not a.startswith("_") and _declared_here(module, v)
    }
    undeclared = public - set(exported)
    assert not undeclared, f"{name} exposes undeclared names: {sorted(undeclared)}"


def test_each_public_name_has_one_front_door():
    doors: dict[str, list[str]] = defaultdict(list)
    for name in FRONT_DOORS:
        module = importlib.import_module(name)
        for attr in _exported(name):
            if not isinstance(getattr(module, attr), types.ModuleType):
                doors[attr].append(name)
    twice = {attr: where for attr, where in doors.items() if len(where) > 1}
    assert twice == {}
