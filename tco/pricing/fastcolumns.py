"""The column checks of the fast path (:mod:`tco.pricing.fastrows`): one field's check over
a column of stripped cells, built from the field's declaration.

Each distinct cell is read once (a catalog repeats its prices and dates); a column whose
cells all match the cell parser's pattern is converted at once and its bounds checked on
its smallest and largest value. A cell a check is not sure of is :data:`BAD`: its row goes
to the row model, which reports the problem.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
import types
import typing
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal, get_args, get_origin

import annotated_types
from pydantic.fields import FieldInfo
from pydantic.functional_validators import BeforeValidator

from tco.pricing import cells

__all__ = ["ABSENT", "BAD", "Column", "TextColumn", "column_check"]

_PATTERNS = {
    "^[^\\r\\n]+$": ("[\\r\\n]", None),
    "^[^/\\r\\n]+$": ("[/\\r\\n]", "/"),
}
"""Text patterns the fast path knows, as a search for the characters they forbid, and for
those other than line breaks (a cell of a record on one line holds no line break)."""


def _spellings(word: str) -> list[str]:
    """Every upper/lower-case spelling of an ASCII word (``true``, ``True``, ``tRUE``...)."""
    return ["".join(c) for c in itertools.product(*({ch, ch.upper()} for ch in word))]


_FLAGS = {s: word == "true" for word in ("true", "false") for s in _spellings(word)}
"""``true`` and ``false`` in any case, as :func:`tco.pricing.cells.parse_boolean` reads them."""

_VECTOR: dict[Any, tuple[re.Pattern[str], Callable[[str], Any]]] = {
    cells.parse_number: (cells._NUMBER, float),
    cells.parse_integer: (cells._INTEGER, int),
    cells.parse_iso_date: (cells._DATE, date.fromisoformat),
    cells.parse_boolean: (re.compile("(?ai:true|false)"), _FLAGS.__getitem__),
}
"""Cell parsers whose rule is a pattern the whole text must match, then a conversion."""

BAD: Any = object()
"""A cell (or row) the fast path leaves to the row model."""

ABSENT: list[str] = []
"""Stands for the cells of a column the file leaves out (an optional one): all empty."""


class Column:
    """The check of one field over a column of stripped cells (``""`` for empty)."""

    empty: Any = None
    """The value of an empty cell (of an optional column)."""

    def __init__(self, required: bool, one: Callable[[str], Any]) -> None:
        self.required = required
        self.one = one
        self.one_line = False

    def many(self, column: list[str], present: list[str]) -> list[Any] | None:
        """Every cell's value (None for an empty one) when all the present cells pass at
        once; None when one of them needs a closer look."""
        return None

    def __call__(self, column: list[str], one_line: bool = False) -> tuple[list[Any], bool]:
        """Each cell's value (None for an empty optional one) or :data:`BAD`; and whether
        there is a :data:`BAD` among them. ``one_line``: no cell holds a line break (no
        record of the chunk spans two lines)."""
        present = column if all(column) else [s for s in column if s]
        if present is column or not self.required:
            self.one_line = one_line
            values = self.many(column, present)
            if values is not None:
                return values, False
        value_of = self.one_each(set(present))
        bad = BAD in value_of.values() or (self.required and present is not column)
        value_of[""] = BAD if self.required else None
        return list(map(value_of.__getitem__, column)), bad

    def one_each(self, distinct: set[str]) -> dict[str, Any]:
        """The value (or :data:`BAD`) of each distinct cell, each read once."""
        return {s: self.one(s) for s in distinct}


class TextColumn(Column):
    def __init__(self, required: bool, pattern: str | None, min_length: int):
        known = pattern in _PATTERNS
        forbidden = re.compile(_PATTERNS[pattern][0]) if known else None  # type: ignore[index]
        inline = _PATTERNS[pattern][1] if known else None  # type: ignore[index]
        matcher = re.compile(pattern) if pattern is not None and not known else None

        def one(s: str) -> Any:
            bad = len(s) < min_length or (forbidden is not None and forbidden.search(s))
            if matcher is not None and not matcher.search(s):
                bad = True
            return BAD if bad else s

        super().__init__(required, one)
        self.forbidden, self.min_length, self.matcher = forbidden, min_length, matcher
        self.inline = None if inline is None else re.compile(re.escape(inline))

    def many(self, column: list[str], present: list[str]) -> list[Any] | None:
        if self.min_length > 1 and any(len(s) < self.min_length for s in present):
            return None
        if self.matcher is not None and not all(map(self.matcher.search, present)):
            return None
        forbidden = self.inline if self.one_line else self.forbidden
        if forbidden is not None and forbidden.search("\x00".join(present)):
            return None
        return column if present is column else [s or None for s in column]


class _Choice(Column):
    def __init__(self, required: bool, choices: set[Any]) -> None:
        super().__init__(required, lambda s: s if s in choices else BAD)
        self.choices = choices

    def many(self, column: list[str], present: list[str]) -> list[Any] | None:
        if not set(present) <= self.choices:
            return None
        return column if present is column else [s or None for s in column]


class _Parsed(Column):
    """A field with a cell parser and numeric bounds (numbers, whole numbers, dates, flags)."""

    def __init__(
        self, required: bool, base: type, parse: Callable[[str], Any], bounds: list[Any]
    ) -> None:
        def one(s: str) -> Any:
            try:
                x = parse(s)
            except ValueError:
                return BAD
            return x if type(x) is base and self.allowed(x) else BAD

        super().__init__(required, one)
        self.base, self.parse, self.bounds = base, parse, bounds

    def many(self, column: list[str], present: list[str]) -> list[Any] | None:
        vector = _VECTOR.get(self.parse)
        if vector is None:
            return None
        pattern, convert = vector
        distinct = set(present)  # a catalog repeats its prices and dates: each read once
        if not all(map(pattern.fullmatch, distinct)):
            return None
        try:
            value_of = {s: convert(s) for s in distinct}
        except ValueError:  # 2026-02-30
            return None
        if value_of:
            lo, hi = min(value_of.values()), max(value_of.values())  # no NaN: see patterns
            if self.base is float and not (-math.inf < lo and hi < math.inf):
                return None
            if not all(op(lo, b) and op(hi, b) for op, b in self.bounds):
                return None
        values = list(map(value_of.__getitem__, present))
        if present is column:
            return values
        it = iter(values)
        return [next(it) if s else None for s in column]

    def one_each(self, distinct: set[str]) -> dict[str, Any]:
        """As :meth:`Column.one_each`, cells of the parser's pattern converted at once."""
        vector = _VECTOR.get(self.parse)
        if vector is None:
            return super().one_each(distinct)
        pattern, convert = vector
        fits = list(filter(pattern.fullmatch, distinct))
        try:
            converted = dict(zip(fits, map(convert, fits), strict=True))
        except ValueError:  # 2026-02-30
            return super().one_each(distinct)
        value_of = {s: v if self.allowed(v) else BAD for s, v in converted.items()}
        value_of.update(super().one_each(distinct.difference(converted)))
        return value_of

    def allowed(self, x: Any) -> bool:
        """Whether a converted value is finite and within the field's bounds."""
        if self.base is float and not math.isfinite(x):
            return False
        return all(op(x, b) for op, b in self.bounds)


def _parts(info: FieldInfo) -> tuple[Any, list[Any], bool]:
    """(base type, metadata, optional) of a field, ``Optional[Annotated[...]]`` unwrapped."""
    annotation, metadata, optional = info.annotation, list(info.metadata), False
    if get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            raise TypeError("union")
        optional, annotation = True, args[0]
    if get_origin(annotation) is Annotated:
        annotation, *extra = get_args(annotation)
        for item in extra:
            metadata += item.metadata if isinstance(item, FieldInfo) else [item]
    return annotation, metadata, optional


_BOUNDS = {
    annotated_types.Ge: (operator.ge, "ge"),
    annotated_types.Gt: (operator.gt, "gt"),
    annotated_types.Le: (operator.le, "le"),
    annotated_types.Lt: (operator.lt, "lt"),
}


def _bounds(metadata: list[Any]) -> list[tuple[Callable[[Any, Any], bool], Any]]:
    """The numeric bounds of a field; unknown metadata is an error (no fast path)."""
    tests = []
    for m in metadata:
        if type(m) in _BOUNDS:
            op, attr = _BOUNDS[type(m)]
            tests.append((op, getattr(m, attr)))
        elif not (isinstance(m, BeforeValidator) or type(m).__name__ == "Strict"):
            raise TypeError(f"metadata {m!r}")
    return tests


def _text(required: bool, metadata: list[Any]) -> TextColumn:
    """A string field: its minimum length and a known pattern."""
    pattern, min_length = None, 0
    for m in metadata:
        set_attrs = {k for k, v in vars(m).items() if v is not None}
        if type(m).__name__ != "StringConstraints" or set_attrs - {"min_length", "pattern"}:
            raise TypeError(f"metadata {m!r}")
        min_length = m.min_length or 0
        if m.pattern is not None:
            pattern = m.pattern  # a known one by the characters it forbids, else matched
    return TextColumn(required, pattern, min_length)


class _Defaulted(Column):
    """A field whose empty cell reads as its default (not None)."""

    def __init__(self, inner: Column, default: Any) -> None:
        super().__init__(False, inner.one)
        self.inner, self.default, self.empty = inner, default, default

    def __call__(self, column: list[str], one_line: bool = False) -> tuple[list[Any], bool]:
        values, bad = self.inner(column, one_line)
        return [self.default if not s else v for s, v in zip(column, values, strict=True)], bad


def column_check(info: FieldInfo) -> Column:
    """The column check of one field (TypeError: a field the fast path does not know)."""
    base, metadata, optional = _parts(info)
    if not info.is_required() and info.default is not None:
        if isinstance(info.default, bool | int | float | str):
            return _Defaulted(_column_of(base, metadata, False), info.default)
        raise TypeError("a default that is not a plain value")
    return _column_of(base, metadata, info.is_required() or not optional)


def _column_of(base: Any, metadata: list[Any], required: bool) -> Column:
    """The column check of a field of type ``base`` with ``metadata``."""
    if get_origin(base) is Literal:
        return _Choice(required, set(get_args(base)))
    if base is str:
        return _text(required, metadata)
    parsers = [m.func for m in metadata if isinstance(m, BeforeValidator)]
    if base not in (float, int, bool, date) or len(parsers) != 1:
        raise TypeError(f"type {base!r}")
    return _Parsed(required, base, parsers[0], _bounds(metadata))  # type: ignore[arg-type]
