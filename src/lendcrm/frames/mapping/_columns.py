"""`Column` and `ColumnMapping`: a bank's export to a lendcrm frame (private).

A mapping is data: built in code or read from a plain dict (``from_dict``), written
back with ``to_dict`` (JSON-ready: str, int, bool, lists and dicts only), and checked
when it is built, before any frame is seen.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any, Final, Literal, get_args

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from lendcrm._messages import did_you_mean
from lendcrm._validators import is_real_number, refuse_object, require_instance
from lendcrm.errors import (
    BatchValidationError,
    InvalidValueError,
    LendCRMError,
    SchemaError,
)
from lendcrm.frames._check import check_unique_labels
from lendcrm.frames._specs import (
    CHILD_SPECS,
    CLIENT_SPECS,
    FACILITY_SPECS,
    PROJECT_SPECS,
)
from lendcrm.frames.mapping._parse import (
    Parsed,
    parse_bools,
    parse_codes,
    parse_dates,
    parse_numbers,
    parse_sections,
    parse_texts,
    per_distinct,
)
from lendcrm.frames.mapping._rules import RowRule

__all__ = ["TARGET_SPECS", "Column", "ColumnMapping", "MappedRows", "Parse"]

#: How a source column's values are read: see `Column`.
Parse = Literal["as_is", "text", "decimal", "integer", "date", "bool", "code", "nace"]

#: The frames a mapping may fill, and their columns' specs.
TARGET_SPECS: Final = {
    "clients": CLIENT_SPECS,
    "facilities": FACILITY_SPECS,
    "projects": PROJECT_SPECS,
    **CHILD_SPECS,
}
_TRUE: Final = ("true", "yes", "y", "1")
_FALSE: Final = ("false", "no", "n", "0")


def _power_of_ten(_inst: object, _attr: object, scale: float) -> None:
    if not is_real_number(scale):
        raise InvalidValueError(
            field="Column.scale", value=scale, expected="a number (a power of ten)"
        )
    exponent = math.log10(scale) if scale > 0 else math.nan
    if not (math.isfinite(exponent) and exponent == round(exponent)):
        raise InvalidValueError(
            field="Column.scale",
            value=scale,
            expected="a power of ten (0.01, 1, 1000, 1000000), so scaling stays exact",
        )


def _separators(inst: Column, _attr: object, _value: str) -> None:
    for name in ("target", "source", "date_format", "decimal", "thousands"):
        if not isinstance(getattr(inst, name), str):
            refuse_object(getattr(inst, name), name=f"Column.{name}", what="a str")
    if inst.constant is not None and not isinstance(
        inst.constant, (str, int, float, bool)
    ):
        refuse_object(
            inst.constant, name="Column.constant", what="a str, number, bool or None"
        )
    if inst.decimal not in {".", ","} or inst.thousands not in {"", ".", ",", " ", "'"}:
        raise InvalidValueError(
            field="Column.decimal/thousands",
            value=(inst.decimal, inst.thousands),
            expected="decimal '.' or ',' and thousands '', '.', ',', ' ' or \"'\"",
        )
    if inst.decimal == inst.thousands:
        raise InvalidValueError(
            field="Column.thousands",
            value=inst.thousands,
            expected=f"a separator other than the decimal separator {inst.decimal!r}",
        )


def _parse_kind(_inst: object, _attr: object, value: object) -> None:
    if not isinstance(value, str) or value not in get_args(Parse):
        raise InvalidValueError(
            field="Column.parse",
            value=value,
            expected="one of " + ", ".join(repr(p) for p in get_args(Parse)),
            hint=did_you_mean(str(value), get_args(Parse)).strip(),
        )


def _spellings(values: Iterable[str], name: str) -> tuple[str, ...]:
    """The ``true``/``false`` spellings as a tuple of str, refused by field name."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        refuse_object(values, name=f"Column.{name}", what="a list of spellings")
    out = tuple(values)
    if not all(isinstance(v, str) for v in out):
        raise InvalidValueError(
            field=f"Column.{name}", value=list(out), expected="spellings as str"
        )
    return out


def _true_spellings(values: Iterable[str]) -> tuple[str, ...]:
    return _spellings(values, "true")


def _false_spellings(values: Iterable[str]) -> tuple[str, ...]:
    return _spellings(values, "false")


def _aliases(values: Mapping[object, object]) -> dict[str, str]:
    if not isinstance(values, Mapping):
        refuse_object(values, name="Column.aliases", what="a dict of code -> value")
    out = {k: v for k, v in values.items() if isinstance(k, str) and isinstance(v, str)}
    if len(out) != len(values):
        raise InvalidValueError(
            field="Column.aliases",
            value=dict(values),
            expected="codes and values as str",
        )
    return out


@attrs.frozen(kw_only=True)
class Column:
    """How one lendcrm column is filled: from a source column, or with a constant.

    Attributes:
        target: The lendcrm column (a `lendcrm.frames.columns` name).
        source: The source frame's column; empty for a constant.
        constant: The value of every row when there is no ``source`` (str, number or
            bool; dates as ISO text with ``parse="date"``).
        parse: How text is read: ``as_is`` (typed already), ``text`` (stripped, blank
            is missing), ``decimal`` and ``integer`` (with ``decimal`` and
            ``thousands`` separators and ``scale``), ``date`` (``date_format``),
            ``bool`` (``true``/``false`` spellings), ``code`` (``aliases`` replaced:
            a bank's product codes to `lendcrm.FacilityKind` values) and ``nace``
            (NACE Rev. 2 codes of 2 to 4 digits to the `lendcrm.Sector` letter).
        decimal: Decimal separator, ``.`` or ``,``.
        thousands: Thousands separator (``""`` for none); groups must be 3 digits.
        scale: A power of ten the numbers are multiplied by (1000 for an export in
            thousands, 0.01 for cents).
        date_format: ``strptime`` codes, e.g. ``%d.%m.%Y``.
        true: Spellings of true (case-insensitive).
        false: Spellings of false.
        aliases: Source code -> lendcrm value.

    Examples:
        >>> Column(target="limit", source="LIMIT_TEUR", parse="decimal",
        ...        decimal=",", thousands=".", scale=1000).to_dict()
        {'target': 'limit', 'source': 'LIMIT_TEUR', 'parse': 'decimal', 'decimal': ',', 'thousands': '.', 'scale': 1000}
    """

    target: str
    source: str = ""
    constant: str | int | float | bool | None = None
    parse: Parse = attrs.field(default="as_is", validator=_parse_kind)
    decimal: str = attrs.field(default=".", validator=_separators)
    thousands: str = ""
    scale: float = attrs.field(default=1, validator=_power_of_ten)
    date_format: str = "%Y-%m-%d"
    true: tuple[str, ...] = attrs.field(default=_TRUE, converter=_true_spellings)
    false: tuple[str, ...] = attrs.field(default=_FALSE, converter=_false_spellings)
    aliases: Mapping[str, str] = attrs.field(factory=dict, converter=_aliases)

    def __attrs_post_init__(self) -> None:
        """A column has a source or a constant, not both and not neither."""
        if bool(self.source) == (self.constant is not None):
            raise InvalidValueError(
                field=f"Column({self.target!r})",
                value={"source": self.source, "constant": self.constant},
                expected="either a source column or a constant",
            )

    def to_dict(self) -> dict[str, Any]:
        """The fields that differ from their defaults, JSON-ready."""
        out: dict[str, Any] = {}
        for field in attrs.fields(Column):
            value = getattr(self, field.name)
            default: object = field.default
            if field.name == "aliases":
                default = {}
            if field.name == "target" or value != default:
                out[field.name] = list(value) if isinstance(value, tuple) else value
        return out

    def read(self, source: pd.DataFrame) -> Parsed:
        """The target column's values from ``source``, and the rows that do not parse."""
        if self.source:
            return self.read_series(source[self.source])
        if self.parse == "as_is":  # a typed constant: let pandas infer the dtype
            constant = pd.Series(self.constant, index=source.index)
            return constant, np.zeros(len(source), np.bool_)
        texts = pd.Series(
            [self.constant] * len(source), index=source.index, dtype=object
        )
        return self.read_series(texts)

    def read_series(self, column: pd.Series) -> Parsed:
        """`read` on one source column."""
        exponent = round(math.log10(self.scale))
        readers: dict[str, Callable[[pd.Series], Parsed]] = {
            "as_is": lambda c: (c, np.zeros(len(c), np.bool_)),
            "text": parse_texts,
            "decimal": partial(parse_numbers, decimal=self.decimal,
                               thousands=self.thousands, exponent=exponent, whole=False),
            "integer": partial(parse_numbers, decimal=self.decimal,
                               thousands=self.thousands, exponent=exponent, whole=True),
            "date": partial(parse_dates, date_format=self.date_format),
            "bool": partial(parse_bools, true=self.true, false=self.false),
            "code": partial(parse_codes, aliases=self.aliases),
            "nace": parse_sections,
        }  # fmt: skip
        if self.parse in {"date", "bool", "code", "nace", "text"}:
            return per_distinct(column, readers[self.parse])
        return readers[self.parse](column)

    def expected(self) -> str:
        """What a source value must look like, for messages."""
        origin = f" (source column {self.source!r})" if self.source else " (constant)"
        thousands = (
            f"{self.thousands!r} for thousands" if self.thousands else "no thousands"
        )
        texts = {
            "decimal": f"a decimal number written with {self.decimal!r} as the decimal "
            f"separator and {thousands} separator",
            "integer": f"a whole number written with {thousands} separator",
            "date": f"a date in the format {self.date_format!r}",
            "bool": f"one of {', '.join(repr(t) for t in (*self.true, *self.false))}",
            "nace": "a NACE Rev. 2 code of an existing division (2 to 4 digits) or a "
            "section letter",
        }
        return texts.get(self.parse, "a value") + origin


def _columns_tuple(columns: Sequence[Column]) -> tuple[Column, ...]:
    if isinstance(columns, (str, bytes, Mapping)) or not isinstance(columns, Iterable):
        refuse_object(columns, name="ColumnMapping.columns", what="a list of Columns")
    return tuple(columns)


@attrs.frozen(kw_only=True)
class ColumnMapping:
    """A declared mapping of a source frame to one lendcrm frame; checked when built.

    Source columns not named are dropped; the result has the index of the source (set
    the ids as the index first if the rows should be named by id in messages).

    Attributes:
        frame: The lendcrm frame filled: ``clients``, ``facilities``, ``projects`` or a
            child frame (``collateral``, ``guarantees``...).
        columns: One `Column` per target column.

    Raises:
        InvalidValueError: an unknown frame or target column (with a did-you-mean
            hint), or two `Column` entries for one target.

    Examples:
        >>> ColumnMapping(frame="clients", columns=[Column(target="sectr", source="NACE")])
        Traceback (most recent call last):
        ...
        lendcrm.errors.InvalidValueError: `ColumnMapping(clients).columns[0].target` must be a column of the clients frame; got 'sectr'. Did you mean 'sector'?
    """

    frame: str
    columns: tuple[Column, ...] = attrs.field(converter=_columns_tuple)

    def __attrs_post_init__(self) -> None:
        """Known frame, known targets, one entry per target."""
        if not isinstance(self.frame, str):
            refuse_object(self.frame, name="ColumnMapping.frame", what="a frame name")
        if self.frame not in TARGET_SPECS:
            raise InvalidValueError(
                field="ColumnMapping.frame", value=self.frame,
                expected="a lendcrm frame name",
                hint=did_you_mean(self.frame, TARGET_SPECS).strip(),
            )  # fmt: skip
        names = [s.name for s in TARGET_SPECS[self.frame]]
        seen: dict[str, int] = {}
        for i, column in enumerate(self.columns):
            require_instance(column, Column, name=f"columns[{i}]", what="a Column")
            field = f"ColumnMapping({self.frame}).columns[{i}].target"
            if column.target not in names:
                raise InvalidValueError(
                    field=field, value=column.target,
                    expected=f"a column of the {self.frame} frame",
                    hint=did_you_mean(column.target, names).strip(),
                )  # fmt: skip
            if column.target in seen:
                raise InvalidValueError(
                    field=field, value=column.target,
                    expected=f"a target no other entry fills (columns[{seen[column.target]}] "
                    "fills it already: one source per column)",
                )  # fmt: skip
            seen[column.target] = i

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-ready dict that `from_dict` reads back to an equal mapping."""
        return {"frame": self.frame, "columns": [c.to_dict() for c in self.columns]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnMapping:
        """Read a mapping written by `to_dict` (or by hand, e.g. from JSON).

        Raises:
            InvalidValueError: unknown keys (with a did-you-mean hint) or bad values.
        """
        require_instance(data, Mapping, name="mapping", what="a dict")
        _known_keys(data, ("frame", "columns"), "mapping")
        entries = data.get("columns", ())
        fields = [f.name for f in attrs.fields(Column)]
        columns: list[Column] = []
        for i, entry in enumerate(entries):
            require_instance(entry, Mapping, name=f"columns[{i}]", what="a dict")
            _known_keys(entry, fields, f"mapping.columns[{i}]")
            columns.append(Column(**entry))
        return cls(frame=data.get("frame", ""), columns=columns)

    def apply(self, source: pd.DataFrame) -> pd.DataFrame:
        """The lendcrm frame from ``source``, in one vectorised pass per column.

        Raises:
            SchemaError: a source column is missing (with a did-you-mean hint).
            BatchValidationError: one `InvalidRowsError` per column whose text does
                not parse, naming the first row labels and the expected form.
        """
        mapped = self.map_rows(source)
        if mapped.errors:
            raise BatchValidationError(mapped.errors, total=len(mapped.frame))
        return mapped.frame

    def map_rows(self, source: pd.DataFrame) -> MappedRows:
        """`apply` that returns the parse errors and their row masks instead of raising."""
        require_instance(source, pd.DataFrame, name="source", what="a pandas DataFrame")
        name = f"{self.frame} source"
        check_unique_labels(source, name)
        needed = [c.source for c in self.columns if c.source]
        missing = [s for s in needed if s not in source.columns]
        if missing:
            extra = [str(c) for c in source.columns if c not in needed]
            raise SchemaError(frame=name, missing=missing, known=extra)
        out: dict[str, pd.Series] = {}
        unparsed: list[RowRule] = []
        for column in self.columns:
            values, bad = column.read(source)
            out[column.target] = values
            if bad.any():
                raw = source[column.source] if column.source else None
                unparsed.append(RowRule(frame=self.frame, column=column.target, mask=bad,
                                        expected=column.expected(), shown=raw))  # fmt: skip
        frame = pd.DataFrame(out, index=source.index)
        return MappedRows(frame=frame, unparsed=tuple(unparsed))


@attrs.frozen(kw_only=True)
class MappedRows:
    """A mapped frame and what did not parse (see `ColumnMapping.map_rows`).

    Attributes:
        frame: The mapped frame (unparsable cells missing).
        unparsed: One `RowRule` per column with unparsable text (the source's text as
            the values shown).
    """

    frame: pd.DataFrame
    unparsed: tuple[RowRule, ...]

    @property
    def errors(self) -> list[LendCRMError]:
        """One `InvalidRowsError` per column with unparsable text."""
        return [rule.error(self.frame) for rule in self.unparsed]

    def mask(self) -> npt.NDArray[np.bool_]:
        """The rows with any unparsable text."""
        out = np.zeros(len(self.frame), np.bool_)
        for rule in self.unparsed:
            out |= rule.mask
        return out


def _known_keys(data: Mapping[str, Any], known: Sequence[str], where: str) -> None:
    for key in data:
        if key not in known:
            raise InvalidValueError(
                field=f"{where}.{key}", value=key, expected="a known key",
                hint=did_you_mean(str(key), known).strip(),
            )  # fmt: skip
