"""Every public namespace declares a sorted __all__ that matches what it exposes."""

import importlib
import types

import pytest

NAMESPACES = ["lendcrm", "lendcrm.errors", "lendcrm.lifecycle", "lendcrm.money"]
OPTIONAL = [
    "lendcrm.segmentation",
    "lendcrm.risk",
    "lendcrm.frames",
    "lendcrm.frames.columns",
    "lendcrm.serialization",
    "lendcrm.synthetic",
    "lendcrm.relationship",
    "lendcrm.entities",
    "lendcrm.book",
    "lendcrm.values",
    "lendcrm.enums",
]


def _namespaces() -> list[str]:
    found = list(NAMESPACES)
    for name in OPTIONAL:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        found.append(name)
    return found


def _declared_here(module: types.ModuleType, attr: str, value: object) -> bool:
    """A public class or function this namespace exposes (its own, or re-exported)."""
    if attr.startswith("_") or isinstance(value, types.ModuleType):
        return False
    if not isinstance(value, type) and not callable(value):
        return False
    origin = getattr(value, "__module__", "") or ""
    if hasattr(module, "__path__"):  # a package re-exports from its submodules
        return origin.startswith(module.__name__)
    return origin == module.__name__


@pytest.mark.parametrize("name", _namespaces())
def test_dunder_all_sorted_importable_and_complete(name):
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    if exported is None:
        pytest.skip(f"{name} has no __all__ (constants-only module)")
    assert exported == sorted(exported), f"{name}.__all__ is not sorted"
    for attr in exported:
        assert hasattr(module, attr), f"{name}.{attr} does not import"
    public = {a for a, v in vars(module).items() if _declared_here(module, a, v)}
    undeclared = public - set(exported)
    assert not undeclared, f"{name} exposes undeclared names: {sorted(undeclared)}"
