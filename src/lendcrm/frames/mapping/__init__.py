"""Bringing a bank's export in: column mappings and a one-pass, quarantining loader.

A core-banking export rarely has lendcrm's column names or types: amounts and dates
arrive as text in the bank's own notation, products as the bank's codes, sectors as
NACE codes, and the relationship measures a CRM adds are simply not there.

**Map.** A `ColumnMapping` declares, per lendcrm column, a `Column`: the source
column (or a constant) and how its text is read (decimal and thousands separators, a
unit scale, a date format, boolean spellings, code aliases, NACE codes to sections).
It is checked when built (unknown target columns with a did-you-mean hint, two entries
for one column), applied in one vectorised call (`ColumnMapping.apply`), and is plain
data: ``to_dict``/``from_dict`` round-trip through JSON, so a bank keeps it in its
configuration. Text is never guessed: ``"1.234,56"`` read with ``decimal="."`` is
refused by name, not read as 1.23456.

**Fill.** Columns a core system lacks are filled with the documented defaults of
`OPTIONAL_COLUMNS` and listed in `LoadedBook.defaulted`, never silently.

**Load.** `load_book` checks every frame in one pass and raises every problem at once
in one `lendcrm.errors.BatchValidationError` (missing columns, row defects, text that
does not parse, repeated ids, unknown references, parent cycles), each named by frame
and row label and the position of its first row. With ``quarantine=True`` it builds
the book from the good rows and returns the others, with their dependants, in
`LoadedBook.rejected` with their reasons.

| name | what |
|---|---|
| `Column`, `ColumnMapping` | how a source frame becomes a lendcrm frame |
| `load_book`, `LoadedBook` | frames to a `lendcrm.Book`, every error at once, or quarantined |
| `check_book_frames`, `CheckedFrames` | the same checks, the frames kept columnar (no entities) |
| `OPTIONAL_COLUMNS` | the columns that may be absent, their defaults and meaning |
"""

from __future__ import annotations

from lendcrm.frames.mapping._columns import Column, ColumnMapping
from lendcrm.frames.mapping._defaults import OPTIONAL_COLUMNS
from lendcrm.frames.mapping._load import (
    CheckedFrames,
    LoadedBook,
    check_book_frames,
    load_book,
)

__all__ = [  # noqa: RUF022 - plain sorted order, as tests/test_public_api.py checks
    "CheckedFrames",
    "Column",
    "ColumnMapping",
    "LoadedBook",
    "OPTIONAL_COLUMNS",
    "check_book_frames",
    "load_book",
]
