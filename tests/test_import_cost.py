"""Importing lendcrm stays cheap (#20, deliverable 5): heavy parts load when used.

Each check runs in a fresh interpreter, so modules the test session has already
imported do not hide a regression. `benchmarks/bench_import.py` measures the times.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

_HEAVY = ("scipy.stats", "matplotlib", "sklearn", "pandas")


def _loaded_after(statement: str, modules: tuple[str, ...]) -> list[str]:
    code = (
        f"import sys\n{statement}\n"
        f"print(','.join(m for m in {modules!r} if m in sys.modules))"
    )
    out = subprocess.run(  # noqa: S603 - this interpreter, a fixed statement
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return [m for m in out.stdout.strip().split(",") if m]


def test_core_front_door_loads_no_numeric_stack() -> None:
    # the domain model needs none of them; numpy is looked up only if already loaded
    light = (*_HEAVY, "numpy", "scipy", "importlib.metadata")
    assert _loaded_after("import lendcrm", light) == []


def test_risk_loads_no_heavy_library() -> None:
    assert _loaded_after("import lendcrm.risk", _HEAVY) == []


def test_plot_loads_matplotlib_only_when_drawing() -> None:
    # lendcrm.plot reaches pandas through lendcrm.lifecycle's frames (not pinned here)
    assert _loaded_after("import lendcrm.plot", _HEAVY[:3]) == []


def test_version_is_read_on_first_access() -> None:
    import lendcrm

    assert isinstance(lendcrm.__version__, str)
    assert lendcrm.__version__
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        _ = lendcrm.no_such_name


def test_severe_scenario_factor_is_the_one_in_a_hundred_quantile() -> None:
    # written out in lendcrm.risk.portfolio._cycle so that the import needs no scipy
    from scipy.special import ndtri

    from lendcrm.risk.portfolio import SEVERE

    assert SEVERE.systematic_factor == float(ndtri(0.01))


def test_risk_loads_no_scipy() -> None:
    # scipy.special and scipy.linalg load on the first call that needs them
    assert _loaded_after("import lendcrm.risk", ("scipy",)) == []
