"""Merging imported API prices into the text of an ``api_models.csv``, line by line.

An importer (:mod:`tco.pricing.litellm`) gives, per ``(provider, model)``, the cells it
has figures for; :func:`merge_api_rows` updates the rows that exist and inserts the others
after the last row of their provider (or at the end). Every line it does not touch keeps
its exact bytes (quoting, spacing, line endings), so a diff of the file shows only the
rows that changed. The text given must be a valid ``api_models.csv``: this module edits,
it does not validate.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tco.pricing import csvtext
from tco.pricing.schema import SPECS

__all__ = [
    "DESCRIPTIVE",
    "MANAGED",
    "ImportedCells",
    "MergedRows",
    "merge_api_rows",
    "upgrade_header",
]

MANAGED = (
    "mode",
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "cache_read_usd_per_mtok",
    "cache_write_usd_per_mtok",
    "cache_write_1h_usd_per_mtok",
    "batch_discount",
    "long_context_threshold_tokens",
    "long_context_input_usd_per_mtok",
    "long_context_output_usd_per_mtok",
    "long_context_cache_read_usd_per_mtok",
    "flex_input_usd_per_mtok",
    "flex_output_usd_per_mtok",
    "priority_input_usd_per_mtok",
    "priority_output_usd_per_mtok",
    "context_window",
    "residency_uplift",
    "deprecation_date",
    "successor",
)
"""The columns an import sets (besides ``source`` and ``as_of``); the others are kept."""

DESCRIPTIVE = ("mode", "deprecation_date", "successor")
"""Managed columns that describe the model rather than price it: an import fills them in
whether or not the prices changed (a row whose prices match is still "confirmed")."""

ImportedCells = dict[str, str | None]
"""One imported row: a cell's text for each column of :data:`MANAGED`, None for no figure.
A ``notes`` entry, when present, fills the notes of a new row (existing rows keep theirs)."""

_COLUMNS = list(SPECS["api"].columns)

# A pending edit: first line index -> (last line index, replacement text).
_Replacements = dict[int, tuple[int, str]]
# New rows to insert: line index -> lines to put after it.
_Insertions = dict[int, list[str]]


@dataclass(frozen=True)
class MergedRows:
    """What :func:`merge_api_rows` did.

    Attributes
    ----------
    text : str
        The merged file's text.
    added, updated, confirmed : tuple of str
        Ids (``provider/model``) of new rows; of rows whose prices changed; of rows whose
        prices were already right (only ``source`` and ``as_of`` changed).
    left : tuple of str
        Ids of the file's rows the import has no entry for (kept as they were).
    upgraded : bool
        True when the file had an older header, rewritten with every current column.
    """

    text: str
    added: tuple[str, ...]
    updated: tuple[str, ...]
    confirmed: tuple[str, ...]
    left: tuple[str, ...] = ()
    upgraded: bool = False


def merge_api_rows(
    text: str,
    imported: Mapping[tuple[str, str], ImportedCells],
    *,
    source: str,
    as_of: str,
) -> MergedRows:
    """Merge ``imported`` rows into ``text`` (a valid ``api_models.csv``).

    Parameters
    ----------
    text : str
        The current file's text; a header line alone for a new file.
    imported : mapping of (provider, model) to ImportedCells
        The rows to merge, in the importer's order.
    source, as_of : str
        The ``source`` and ``as_of`` cells of every row written (``as_of`` as YYYY-MM-DD).

    Returns
    -------
    MergedRows

    Notes
    -----
    An existing row takes every :data:`MANAGED` cell the import has a figure for, plus
    ``source`` and ``as_of``; if those figures equal the row's (as numbers), only
    ``source`` and ``as_of`` change (the row is "confirmed"), and a row that would not
    change at all keeps its bytes. New rows, sorted by key, go after the last row of their
    provider, or at the end; the columns without a figure are left empty. Lines end as
    the header does.

    Examples
    --------
    >>> header = ",".join(_COLUMNS) + "\\n"
    >>> cells = dict.fromkeys(MANAGED) | {"input_usd_per_mtok": "2.5", "output_usd_per_mtok": "10"}
    >>> imported = {("openai", "gpt-4o"): cells}
    >>> merged = merge_api_rows(header, imported, source="s", as_of="2026-07-24")
    >>> merged.added, merged.text.splitlines()[1]
    (('openai/gpt-4o',), 'openai,gpt-4o,,2.5,10,,,,,,,,,,,,,,,,,,,s,2026-07-24,')
    """
    text, upgraded = upgrade_header(text)
    lines = csvtext.physical_lines(text)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    records = [r for r in csvtext.records(text) if not r.blank]
    header, body = [c.strip() for c in records[0].cells], records[1:]
    by_key = {(r.cells[0].strip(), r.cells[1].strip()): r for r in body}
    left = tuple(f"{p}/{m}" for p, m in by_key if (p, m) not in imported)
    stamp = {"source": source, "as_of": as_of}
    replacements, updated, confirmed = _row_updates(imported, by_key, header, stamp, newline)
    new_keys = sorted(k for k in imported if k not in by_key)
    insertions = _row_insertions(imported, new_keys, body, len(lines), stamp, newline)
    return MergedRows(
        text=_edited(lines, replacements, insertions, newline),
        added=tuple(f"{provider}/{model}" for provider, model in new_keys),
        updated=tuple(updated),
        confirmed=tuple(confirmed),
        left=left,
        upgraded=upgraded,
    )


def upgrade_header(text: str) -> tuple[str, bool]:
    """``text`` with every current column, when its header lacks optional ones.

    A file written before the tier and lifecycle columns existed is rewritten row by row
    with those columns empty (line endings kept); a current file is returned as it is.

    Examples
    --------
    >>> old = "provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of,notes\\n"
    >>> upgrade_header(old)  # lacks required columns too: not an older api_models.csv
    ('provider,model,input_usd_per_mtok,output_usd_per_mtok,source,as_of,notes\\n', False)
    """
    records = [r for r in csvtext.records(text) if not r.blank]
    if not records:
        return text, False
    header = [c.strip() for c in records[0].cells]
    missing = [c for c in _COLUMNS if c not in header]
    optional = SPECS["api"].row.optional_columns
    if not missing or any(c not in optional for c in missing):
        return text, False
    lines = csvtext.physical_lines(text)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    out = [_serialise({c: c for c in _COLUMNS}, newline)]
    for record in records[1:]:
        cells = dict(zip(header, record.cells, strict=False))
        out.append(_serialise({c: cells.get(c, "") for c in _COLUMNS}, newline))
    return "".join(out), True


def _row_updates(
    imported: Mapping[tuple[str, str], ImportedCells],
    by_key: dict[tuple[str, str], csvtext.CsvRecord],
    header: list[str],
    stamp: dict[str, str],
    newline: str,
) -> tuple[_Replacements, list[str], list[str]]:
    """New text for the existing rows that change, and the ids updated and confirmed."""
    replacements: _Replacements = {}
    updated: list[str] = []
    confirmed: list[str] = []
    for (provider, model), cells in imported.items():
        old = by_key.get((provider, model))
        if old is None:
            continue
        old_cells = dict(zip(header, old.cells, strict=True))
        new_cells, same_prices = _updated_cells(old_cells, cells, stamp)
        if new_cells == old_cells:
            continue  # nothing at all changes: keep the line's bytes
        (confirmed if same_prices else updated).append(f"{provider}/{model}")
        replacements[old.line - 1] = (old.end_line - 1, _serialise(new_cells, newline))
    return replacements, updated, confirmed


def _row_insertions(
    imported: Mapping[tuple[str, str], ImportedCells],
    new_keys: list[tuple[str, str]],
    body: list[csvtext.CsvRecord],
    n_lines: int,
    stamp: dict[str, str],
    newline: str,
) -> _Insertions:
    """Lines for the new rows, each after the last row of its provider or at the end."""
    last_line_of = {r.cells[0].strip(): r.end_line - 1 for r in body}  # by provider
    insertions: _Insertions = {}
    for provider, model in new_keys:
        cells = {c: v or "" for c, v in imported[provider, model].items()}
        fresh = {c: "" for c in _COLUMNS} | cells | {"provider": provider, "model": model}
        where = last_line_of.get(provider, n_lines - 1)
        insertions.setdefault(where, []).append(_serialise(fresh | stamp, newline))
    return insertions


def _updated_cells(
    old: dict[str, str], imported: ImportedCells, stamp: dict[str, str]
) -> tuple[dict[str, str], bool]:
    """An existing row's cells after the import, and whether its prices were already right.

    A column the import has no figure for (None) keeps its cell.
    """
    given = {c: v for c in MANAGED if (v := imported.get(c)) is not None}
    figures = {c: v for c, v in given.items() if c not in DESCRIPTIVE}
    described = {c: v for c, v in given.items() if c in DESCRIPTIVE}
    same_prices = all(_same_cell(old[c], v) for c, v in figures.items())
    return {**old, **({} if same_prices else figures), **described, **stamp}, same_prices


def _same_cell(a: str, b: str) -> bool:
    """Two cells that hold the same number (``10`` and ``10.0``) or text, or are both empty."""
    a, b = a.strip(), b.strip()
    if not a or not b:
        return a == b
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return a == b


def _serialise(cells: dict[str, str], newline: str) -> str:
    """One CSV line holding ``cells`` in the file's column order."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerow([cells[c] for c in _COLUMNS])
    return buf.getvalue()


def _edited(
    lines: list[str], replacements: _Replacements, insertions: _Insertions, newline: str
) -> str:
    """``lines`` with rows replaced (a row may span lines) and new rows inserted."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in replacements:
            end, new_line = replacements[i]
            out.append(new_line)
            last = end
        else:
            out.append(lines[i])
            last = i
        for j in range(i, last + 1):
            if insertions.get(j) and not out[-1].endswith(("\n", "\r")):
                out[-1] += newline  # the file did not end with a line break
            out.extend(insertions.get(j, []))
        i = last + 1
    return "".join(out)
