"""What the commands print: plain-text tables, numbers, money columns and JSON."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any

from tco.pricing import PricingError
from tco.words import money, per_mtok, symbol, usd

if TYPE_CHECKING:
    import pandas as pd

    from tco.core.money import Currency
else:
    from tco.core.lazy import pandas as pd

__all__ = [
    "FORMULA_STARTS",
    "NO_TOKENS",
    "cost_table",
    "csv_safe",
    "money_json",
    "money_table",
    "number",
    "plain",
    "print_json",
    "print_problems",
    "safe_cell",
    "text_table",
]

_COST_COLUMNS = {
    "total_usd": "total",
    "npv_usd": "NPV",
    "peak_gpus": "peak GPUs",
    "usd_per_mtok": "avg $/MTok",
}


_COST_FORMATS = {
    "total": usd,
    "NPV": usd,
    "peak GPUs": "{:g}".format,
    "avg $/MTok": per_mtok,
}

NO_TOKENS = "avg $/MTok n/a: no tokens served, so cost per million tokens is undefined"
"""The note under a cost table when the usage serves no tokens."""


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""How a spreadsheet cell that it would run as a formula begins (CSV injection)."""


def safe_cell(value: Any) -> Any:
    """A text cell a spreadsheet will not run: one beginning with ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return gets a leading ``'``; anything else is returned as is.

    >>> safe_cell("=HYPERLINK(1)"), safe_cell("gpt-4o"), safe_cell(-1.5)
    ("'=HYPERLINK(1)", 'gpt-4o', -1.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells (and labels) are :func:`safe_cell`; numbers, dates
    and flags are unchanged, so negative amounts stay numbers."""
    out = df.copy()
    for name in out.columns:
        col = out[name]
        if pd.api.types.is_object_dtype(col) or pd.api.types.is_string_dtype(col):
            out[name] = col.map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    return out


def number(x: Any) -> str:
    """A number as written in a table: whole numbers without ``.0``, else 10 digits."""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else f"{x:.10g}"


def text_table(df: pd.DataFrame) -> str:
    """A plain-text table: text left-aligned, numbers right-aligned, ``-`` for empty."""
    if df.empty:
        return "(no rows)"
    columns = []
    for name in df.columns:
        col = df[name]
        numeric = pd.api.types.is_numeric_dtype(col) and not pd.api.types.is_bool_dtype(col)
        if pd.api.types.is_datetime64_any_dtype(col):
            cells = [x.strftime("%Y-%m-%d") if pd.notna(x) else "-" for x in col]
        elif pd.api.types.is_bool_dtype(col):
            cells = ["-" if pd.isna(x) else "true" if x else "false" for x in col]
        elif numeric:
            cells = [number(x) if pd.notna(x) else "-" for x in col]
        else:
            cells = ["-" if pd.isna(x) else str(x) for x in col]
        width = max(len(str(name)), *(len(c) for c in cells))
        align = str.rjust if numeric else str.ljust
        columns.append([align(str(name), width)] + [align(c, width) for c in cells])
    return "\n".join("  ".join(row).rstrip() for row in zip(*columns, strict=True))


def _money_formats(currency: Currency | None) -> tuple[dict[str, str], dict[str, Any]]:
    """Column headings and cell formats of a cost table whose rows are in US dollars,
    written in ``currency`` (dollars when None)."""
    if currency is None or currency.is_usd:
        return _COST_COLUMNS, {c: _COST_FORMATS[h] for c, h in _COST_COLUMNS.items()}
    heads = {**_COST_COLUMNS, "usd_per_mtok": f"avg {symbol(currency).strip()}/MTok"}
    formats = {
        "total_usd": lambda x: money(x, currency),
        "npv_usd": lambda x: money(x, currency),
        "peak_gpus": _COST_FORMATS["peak GPUs"],
        "usd_per_mtok": lambda x: per_mtok(x, currency),
    }
    return heads, formats


def money_table(
    index_name: str,
    rows: dict[str, dict[str, float | None]],
    currency: Currency | None = None,
) -> str:
    """:func:`cost_table` of rows given as plain numbers (no pandas), laid out as pandas
    lays out a table: labels left-aligned under ``index_name``, values right-aligned.
    Amounts are in US dollars, written in ``currency`` when given."""
    heads, formats = _money_formats(currency)
    labels = list(rows)
    names = [c for c in _COST_COLUMNS if any(c in row for row in rows.values())]
    cells = {c: [formats[c](rows[label][c]) for label in labels] for c in names}
    width = max(len(index_name), *(len(label) for label in labels))
    widths = {c: max(len(heads[c]), *(len(v) for v in cells[c])) for c in names}
    head = " " * width + "".join(" " + heads[c].rjust(widths[c]) for c in names)
    lines = [head, index_name.ljust(len(head))]
    for i, label in enumerate(labels):
        values = "".join(" " + cells[c][i].rjust(widths[c]) for c in names)
        lines.append(label.ljust(width) + values)
    return "\n".join(lines)


def cost_table(df: pd.DataFrame, currency: Currency | None = None) -> str:
    """Options by row with money columns (``total_usd``, ``npv_usd``, ``usd_per_mtok``, and
    ``peak_gpus``) under short names, in whole dollars (per-MTok cost to the tenth cent),
    or written in ``currency`` when given."""
    heads, formats = _money_formats(currency)
    shown = df.rename(columns=heads)
    by_head = {heads[c]: f for c, f in formats.items()}
    return shown.to_string(formatters={h: f for h, f in by_head.items() if h in shown.columns})


def money_json(value: Any, currency: Currency) -> Any:
    """A JSON-ready value with its money in ``currency``: every key with the word ``usd``
    (``savings_usd``, ``npv_usd``, ``baseline_usd_per_mtok``) renamed as the library
    renames money columns (``savings_eur``) and its numbers converted, at any depth.

    >>> from tco.core.money import Currency
    >>> money_json({"npv_usd": {"a": 250.0}, "month": 3}, Currency("EUR", 1.25))
    {'npv_eur': {'a': 200.0}, 'month': 3}
    """
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if isinstance(k, str) and "usd" in k.split("_"):
                out[currency.column(k)] = _converted(v, currency)
            else:
                out[k] = money_json(v, currency)
        return out
    if isinstance(value, list | tuple):
        return [money_json(v, currency) for v in value]
    return value


def _converted(value: Any, currency: Currency) -> Any:
    """Every number in ``value`` (a number, or a mapping or list of them) in ``currency``."""
    if isinstance(value, dict):
        return {k: _converted(v, currency) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_converted(v, currency) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    return currency.from_usd(float(value))


def plain(value: Any) -> Any:
    """JSON-ready copy: numpy scalars to Python, non-finite floats to None."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def print_json(value: Any) -> None:
    """Print ``value`` as indented JSON (see :func:`plain`)."""
    print(json.dumps(plain(value), indent=2))


def print_problems(err: PricingError, stream: Any) -> None:
    """Every problem of the pricing data on its own line, then how many."""
    for problem in err.problems:
        print(problem, file=stream)
    n = len(err.problems)
    print(f"{n} problem{'s' if n != 1 else ''} found", file=stream)
