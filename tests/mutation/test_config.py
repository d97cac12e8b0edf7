"""The mutation-testing configuration stays consistent (#23): cheap, part of make test."""

from __future__ import annotations

from pathlib import Path

from tests.mutation.run_mutmut import (
    ROOT,
    Score,
    load_equivalent,
    load_modules,
    tally,
)


def test_every_mapped_module_and_test_path_exists():
    for module, tests in load_modules().items():
        assert (ROOT / "src" / module).is_file(), module
        assert tests, module
        for path in tests:
            assert (ROOT / path).exists(), path


def test_every_equivalent_mutant_belongs_to_a_mapped_module_and_gives_a_reason():
    import tomllib

    entries = tomllib.loads(
        (Path(__file__).parent / "equivalent.toml").read_text("utf-8")
    )["equivalent"]
    dotted = {m.removesuffix(".py").replace("/", ".") for m in load_modules()}
    for entry in entries:
        assert set(entry) == {"mutant", "reason"}, entry
        assert len(entry["reason"]) > 20, entry
        module = entry["mutant"].rsplit(".", 1)[0]
        assert module in dotted, entry["mutant"]
    assert len(load_equivalent()) == len(entries)  # no duplicates


def test_targets_and_verdicts():
    assert Score("lendcrm/_money.py", 1, 1, 0, 0, 0).target == 95.0
    assert Score("lendcrm/risk/capital/_irb.py", 1, 1, 0, 0, 0).target == 95.0
    assert Score("lendcrm/lifecycle/_history.py", 1, 1, 0, 0, 0).target == 90.0
    s = tally("lendcrm/_m.py", {"a": None, "b": -11, "c": 5, "d": 3}, set())
    assert (s.killed, s.survived, s.other) == (1, 1, 2)
    assert Score("lendcrm/_m.py", 2, 0, 0, 2, 0).score == 100.0


def test_the_slices_partition_the_library_and_cover_every_mapped_module():
    from tests.mutation.run_mutmut import library_modules, slice_of

    sizes = library_modules()
    assert set(load_modules()) <= set(sizes)  # a mapped module has something to mutate
    assert "lendcrm/_codes.py" not in sizes  # tables only: nothing mutmut mutates
    parts = [slice_of(sizes, k, 40) for k in range(40)]
    flat = [m for part in parts for m in part]
    assert sorted(flat) == sorted(sizes)  # every module in exactly one slice
    total = sum(sizes.values())
    assert max(sum(sizes[m] for m in part) for part in parts) < 2.5 * total / 40
