"""A fast path for pricing rows: the row model's checks, a column of many rows at a time.

Validating a row with its pydantic model costs tens of microseconds; a catalog file of
200,000 rows would take seconds. :class:`FastRows` runs the same checks on a chunk of rows
column by column (one regular expression over every cell, ``map(float, ...)``, the bounds
as ``min``/``max``), using the columns' own cell parsers' rules (:mod:`tco.pricing.cells`)
and bounds read from the row model's field declarations. It is conservative: a cell it is
not sure of (empty where a value is required, outside a bound, a parser error, a date in
the future, a type it does not know) marks its row, and that row is then validated by its
model, which reports the problem with the usual message. A row it accepts is accepted by
the model with the same values (a test checks this against the models on random rows).

A model's rules between cells (its "after" validators) are run on each row's values (only
where a cell of its ``RULES_READ_WHEN`` columns is filled, when it declares them); a row
that breaks one goes to the model. A row model with another validator or a setting this
module does not know gets no fast path (:func:`fast_rows` returns None): every row goes
through the model.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel

from tco.pricing.fastcolumns import ABSENT, BAD, Column, TextColumn, column_check

__all__ = ["FastRows", "fast_rows"]

_KNOWN_CONFIG = {"frozen", "extra", "str_strip_whitespace", "defer_build"}
"""Model settings the fast path reproduces (or that do not change a row's values)."""

_KNOWN_VALIDATORS = {"PricingRow._empty_is_none", "PricingRow._not_future"}
"""The row models' validators the fast path reproduces: empty cells are None, ``as_of``
is not after tomorrow."""


class FastRows:
    """The fast path of one row model: :meth:`columns` of a chunk's stripped cells.

    Examples
    --------
    >>> from tco.pricing.schema import SPECS
    >>> fast = fast_rows(SPECS["hardware"].row, date(2026, 2, 1))
    >>> columns = [["H100", "B200"], ["80", "0"], ["700", "1000"], ["", ""], ["3.35", "8"],
    ...            ["989", ""], ["", ""], ["", ""], ["x", "x"], ["2026-01-05", "2026-01-05"],
    ...            ["", ""]]
    >>> values, bad = fast.columns(columns)  # B200's memory must be > 0: its model says why
    >>> [v[0] for v in values[:3]], bad
    (['H100', 80.0, 700.0], {1})
    """

    def __init__(
        self,
        row: type[BaseModel],
        columns: dict[str, Column],
        latest: date,
        rules: Sequence[Callable[[Any], Any]] = (),
    ) -> None:
        self.row = row
        self.rules = tuple(rules)
        self.rules_when: tuple[str, ...] = getattr(row, "RULES_READ_WHEN", ())
        self.names = tuple(columns)
        self.columns_checks = tuple(columns.values())
        self.latest = latest
        self.as_of = self.names.index("as_of") if "as_of" in self.names else None
        self.text = {n for n, c in columns.items() if isinstance(c, TextColumn)}
        """Fields whose value is the stripped cell (None when empty)."""

    def columns(
        self, stripped: Sequence[list[str]], one_line: bool = False
    ) -> tuple[list[list[Any]], set[int]]:
        """The values of a chunk, column by column in field order, and the rows (by index)
        its model must check. ``stripped`` holds one list of stripped cells per field
        (:data:`ABSENT` for an optional column the file leaves out); ``one_line``: every
        record of the chunk is on one line (no cell holds a break)."""
        values: list[list[Any]] = []
        bad_rows: set[int] = set()
        n = max((len(c) for c in stripped if c is not ABSENT), default=0)
        for check, column in zip(self.columns_checks, stripped, strict=True):
            if column is ABSENT:  # an optional column the file leaves out: empty cells
                values.append([check.empty] * n)
                continue
            column_values, bad = check(column, one_line)
            values.append(column_values)
            if bad:
                bad_rows.update(i for i, v in enumerate(column_values) if v is BAD)
        if self.as_of is not None:
            late = self.latest
            for i, d in enumerate(values[self.as_of]):
                if d is not None and d is not BAD and d > late:
                    bad_rows.add(i)
        if self.rules:
            bad_rows |= self._breaking_rules(values, bad_rows)
        return values, bad_rows

    def _breaking_rules(self, values: list[list[Any]], bad_rows: set[int]) -> set[int]:
        """Rows (by index) that break one of the model's rules between cells (its "after"
        validators, run on the row's values): their model reports the problem."""
        broken: set[int] = set()
        n = len(values[0]) if values else 0
        rows: Iterable[int] = range(n)
        if self.rules_when:  # only rows with a cell the rules read
            filled: set[int] = set()
            for name in self.rules_when:
                column = values[self.names.index(name)]
                if column.count(None) != n:
                    filled.update(i for i, v in enumerate(column) if v is not None)
            rows = sorted(filled)
        for i in rows:
            if i in bad_rows:
                continue
            row = types.SimpleNamespace(
                **{n: v[i] for n, v in zip(self.names, values, strict=True)}
            )
            try:
                for rule in self.rules:
                    rule(row)
            except (ValueError, TypeError, AttributeError):
                broken.add(i)
        return broken

    def build(self, values: Sequence[Sequence[Any]], i: int) -> BaseModel:
        """The row model holding row ``i`` of the columns ``values`` (checked already: no
        validation again)."""
        return self.row.model_construct(
            **{n: v[i] for n, v in zip(self.names, values, strict=True)}
        )


def fast_rows(row: type[BaseModel], today: date) -> FastRows | None:
    """The fast path of a row model, or None when it has checks this module cannot repeat.

    ``today`` is the reference date of the ``as_of`` check (one day of slack, as the
    model's).
    """
    decorators = row.__pydantic_decorators__
    rules = [d.func for d in decorators.model_validators.values() if d.info.mode == "after"]
    found = {
        d.func.__qualname__
        for group in (decorators.model_validators, decorators.field_validators)
        for d in group.values()
    } - {rule.__qualname__ for rule in rules}
    others = (
        decorators.validators,
        decorators.root_validators,
        decorators.field_serializers,
        decorators.model_serializers,
        decorators.computed_fields,
    )
    config = row.model_config
    if found - _KNOWN_VALIDATORS or any(others) or set(config) - _KNOWN_CONFIG:
        return None
    if config.get("extra") != "forbid" or not config.get("frozen"):
        return None
    try:
        columns = {name: column_check(info) for name, info in row.model_fields.items()}
    except TypeError:
        return None
    return FastRows(row, columns, today + timedelta(days=1), rules)
