"""The machines lendcrm ships, so that an unpickled copy resolves to the shipped object.

`lendcrm.lifecycle._builtin` lists its machines here when it is imported (the
``lendcrm.lifecycle`` front door always imports it, so this is done before any machine
is unpickled); the engine (`lendcrm.lifecycle._machine`) looks an unpickled definition
up here. Keeping the list apart lets the engine stay free of the built-in tables, and
the built-in tables depend on the engine only.
"""

from __future__ import annotations

from typing import Final

_SHIPPED: Final[list[object]] = []


def ship(*machines: object) -> None:
    """Record ``machines`` as shipped (each once, in order)."""
    _SHIPPED.extend(m for m in machines if all(m is not s for s in _SHIPPED))


def shipped_machines() -> tuple[object, ...]:
    """The shipped machines, in the order they were recorded."""
    return tuple(_SHIPPED)
