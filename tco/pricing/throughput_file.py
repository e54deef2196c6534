"""Merging imported throughput rows into a folder's ``throughput.csv``, by key.

The importers (:mod:`tco.pricing.mlperf`, :mod:`tco.pricing.benchmarks`) build
:class:`~tco.pricing.serving.ThroughputMeasurement` rows; :func:`merge_throughput` adds
those whose key is new at the end of the file, replaces the line of an existing row with
the same key whose cells differ, and leaves every other line byte for byte. The merged
text is validated before :func:`write_merge` replaces the file through
:func:`tco.core.files.write_atomically`, so a failed import leaves the file as it was.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tco.core.files import write_atomically
from tco.pricing import csvtext
from tco.pricing.load import read_pricing_text
from tco.pricing.parse import parse_file
from tco.pricing.problems import PricingError
from tco.pricing.schema import SPECS, ThroughputMeasurement

__all__ = ["ThroughputMerge", "cell_text", "merge_throughput", "write_merge"]

_SPEC = SPECS["throughput"]


def cell_text(value: Any) -> str:
    """A row value as a CSV cell: empty for None, ``true``/``false``, plain decimals.

    Examples
    --------
    >>> [cell_text(v) for v in (None, True, 3, 2.0, 0.015, 12345.678901, 0.00123456789)]
    ['', 'true', '3', '2', '0.015', '12345.68', '0.00123457']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(value, ".7g")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _line(row: ThroughputMeasurement, newline: str) -> str:
    buf = io.StringIO()
    cells = [cell_text(getattr(row, c)) for c in _SPEC.columns]
    csv.writer(buf, lineterminator=newline).writerow(cells)
    return buf.getvalue()


@dataclass(frozen=True)
class ThroughputMerge:
    """What :func:`merge_throughput` would write.

    Attributes
    ----------
    path : Path
        The ``throughput.csv`` to write.
    text : str
        Its merged text.
    added, changed, unchanged : tuple of str
        Labels of the imported rows whose key was new; whose key existed with other
        values (the line is replaced); that were already there as they are.
    kept : int
        Rows of the file the import does not touch.
    """

    path: Path
    text: str
    added: tuple[str, ...]
    changed: tuple[str, ...]
    unchanged: tuple[str, ...]
    kept: int

    def summary(self, written: bool) -> str:
        """One line: what was (or would be) written."""
        verb = (
            "wrote" if written else "would write" if self.added or self.changed else "no change to"
        )
        return (
            f"{verb} {self.path}: {len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.unchanged)} already there, {self.kept} other rows left as they were"
        )


def merge_throughput(
    folder: Path, rows: list[ThroughputMeasurement], today: date
) -> ThroughputMerge:
    """Merge ``rows`` into ``folder/throughput.csv`` (a header alone if there is none).

    Raises
    ------
    PricingError
        The current file or the merged text has problems (each named by file, line and
        column); nothing is written.
    """
    path = folder / _SPEC.file
    text = read_pricing_text(path) if path.exists() else ",".join(_SPEC.columns) + "\n"
    parsed = parse_file(_SPEC, text, str(path), today)
    if parsed.problems:
        raise PricingError(parsed.problems)
    lines = csvtext.physical_lines(text)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    at = {e.row.key: e for e in parsed.entries}
    end_of = {r.line: r.end_line for r in csvtext.records(text)}
    added, changed, unchanged, appended = [], [], [], []
    for row in rows:
        old = at.get(row.key)
        if old is None:
            added.append(row.label)
            appended.append(_line(row, newline))
        elif old.row == row:
            unchanged.append(row.label)
        else:
            changed.append(row.label)
            for i in range(old.line, end_of[old.line]):  # a row may span lines
                lines[i] = ""
            lines[old.line - 1] = _line(row, newline)
    touched = {r.key for r in rows}
    merged = "".join(lines + appended)
    check = parse_file(_SPEC, merged, str(path), today)
    if check.problems:
        raise PricingError(check.problems)
    kept = sum(1 for e in parsed.entries if e.row.key not in touched)
    return ThroughputMerge(path, merged, tuple(added), tuple(changed), tuple(unchanged), kept)


def write_merge(merge: ThroughputMerge) -> Path:
    """Write a merge's text to its file atomically (the folder is created if needed)."""
    merge.path.parent.mkdir(parents=True, exist_ok=True)
    data = merge.text.encode("utf-8", errors="surrogateescape")
    return write_atomically(merge.path, lambda fh: fh.write(data))
