"""Validating one pricing file: its header, then each row, collecting every problem.

:func:`parse_file` never stops at the first problem: a file is read to its end and every
bad cell, row or key is reported as a :class:`PricingProblem`
(``file:line: column: value -> allowed``). Only a file whose header cannot be matched to
the expected columns (unreadable CSV, no header, missing or repeated columns) has its rows
left unchecked. The steps, in order:

1. :func:`read_header_and_body` -- CSV syntax, the header line and its columns;
2. per row, :class:`~tco.pricing.rows.RowChecker`: cell count, undecodable bytes and
   control characters, the row model's checks, and keys used once per file (as written and
   once parsed).

Rows are read a chunk at a time (a large file is never held as records), with Python's
cyclic garbage collector paused: the rows make hundreds of thousands of small containers
and no reference cycle, and the collector's passes over them cost a fifth of a large
file's check (see :func:`no_cycle_collection`). A row that passes the
fast path (:mod:`tco.pricing.fastrows`: the model's checks in plain Python) is not
validated by its model again; any other row is, and its problems come from the model, so
the messages are the same either way. A file checked without keeping its rows
(``keep_rows=False``, for ``tco prices check``) records only each row's key, line and
``as_of`` (:attr:`ParsedFile.summaries`).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
from collections.abc import Iterator
from datetime import date

from tco.pricing import csvtext
from tco.pricing.problems import show_value
from tco.pricing.rows import CHUNK_ROWS, ParsedFile, RowChecker, RowSummary
from tco.pricing.schema import TableSpec

__all__ = [
    "CHUNK_ROWS",
    "ParsedFile",
    "RowChecker",
    "RowSummary",
    "header_mismatch",
    "no_cycle_collection",
    "parse_file",
    "read_header_and_body",
]


def parse_file(
    spec: TableSpec, text: str, file: str, today: date, *, keep_rows: bool = True
) -> ParsedFile:
    """Validate one file's text: the good rows and every problem.

    Parameters
    ----------
    spec : TableSpec
        What the file should hold (columns and row model).
    text : str
        The file's text (see :func:`tco.pricing.csvtext.decode`).
    file : str
        Path of the file, as shown in problems.
    today : datetime.date
        Reference date: ``as_of`` may not be later than the day after it.
    keep_rows : bool
        Keep the valid rows (:attr:`ParsedFile.entries`); with False only their key, line
        and ``as_of`` (:attr:`ParsedFile.summaries`), which is all a check needs.

    Returns
    -------
    ParsedFile

    Examples
    --------
    >>> from tco.pricing.schema import SPECS
    >>> text = ",".join(SPECS["hardware"].columns) + "\\n"
    >>> text += "H100,80,700,,,,,,https://example.org,2026-01-05,\\n"
    >>> text += "B200,0,1000,,,,,,x,2026-01-05,\\n"
    >>> parsed = parse_file(SPECS["hardware"], text, "gpu_hardware.csv", date(2026, 2, 1))
    >>> [e.origin for e in parsed.entries], sorted(parsed.gpu_names)
    (['gpu_hardware.csv:2'], ['B200', 'H100'])
    >>> print(parsed.problems[0])
    gpu_hardware.csv:3: memory_gb: '0' -> a number > 0 [GB of GPU memory]
    """
    result = ParsedFile(file, keep_rows=keep_rows)
    try:
        found = read_header_and_body(spec, text, result)
        if found is None:
            result.rows_read = False
            return result
        header, body = found
        checker = RowChecker(spec, header, today, result, text)
        with no_cycle_collection():
            for chunk in body:
                checker.check_chunk(chunk)
    except csvtext.CsvSyntaxError as exc:
        result.unreadable(exc.line, exc.message)
    return result


@contextlib.contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector (:func:`gc.disable`) in the block, as it was
    after: objects are still freed as soon as nothing refers to them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_header_and_body(
    spec: TableSpec, text: str, result: ParsedFile
) -> tuple[list[str], Iterator[csvtext.RecordChunk]] | None:
    """The header's column names and the non-blank records after it, in chunks of
    :data:`CHUNK_ROWS` (read as iterated).

    Problems go to ``result``. None when the rows cannot be read by column name: there
    is no header on line 1, or columns are missing or repeated. A header with extra or
    reordered columns is reported but its rows are still read.

    Raises
    ------
    CsvSyntaxError
        The CSV cannot be read (here, or later while the body is iterated).
    """
    expected = spec.columns
    chunks = csvtext.record_chunks(text, CHUNK_ROWS)
    head = next(chunks, None)
    if head is None:
        result.add_problem(1, "(header)", "", "a header line: " + ",".join(expected))
        return None
    first = head.record(0)
    body = itertools.chain([head.after_first()] if len(head.rows) > 1 else [], chunks)
    if first.line != 1:
        result.add_problem(1, "(header)", "", "the header on line 1: " + ",".join(expected))
        return None
    header = [c.strip() for c in first.cells]
    if header == list(expected) or header == _without_optional(spec, header):
        return header, body
    details, rows_readable = header_mismatch(header, expected, spec.row.optional_columns)
    result.add_problem(
        1,
        "(header)",
        ",".join(first.cells),
        f"exactly these columns in this order: {','.join(expected)} ({details})",
    )
    return (header, body) if rows_readable else None


def _without_optional(spec: TableSpec, header: list[str]) -> list[str]:
    """The expected columns less the optional ones ``header`` leaves out (an older file)."""
    optional = spec.row.optional_columns
    return [c for c in spec.columns if c in header or c not in optional]


def header_mismatch(
    header: list[str], expected: tuple[str, ...], optional: tuple[str, ...] = ()
) -> tuple[str, bool]:
    """How ``header`` differs from ``expected``, and whether rows can still be read.

    Columns of ``optional`` may be left out (an older file): they are not missing.

    Examples
    --------
    >>> header_mismatch(["b", "a", "x"], ("a", "b"))
    ("unexpected 'x'", True)
    >>> header_mismatch(["a", "a"], ("a", "b"))
    ('missing b; repeated a', False)
    """
    missing = [c for c in expected if c not in header and c not in optional]
    extra = [c for c in header if c not in expected]
    dupes = sorted({c for c in header if header.count(c) > 1})
    details = []
    if missing:
        details.append("missing " + ", ".join(missing))
    if extra:
        details.append("unexpected " + ", ".join(show_value(c) for c in extra))
    if dupes:
        details.append("repeated " + ", ".join(dupes))
    if not details:
        details.append("columns in the wrong order")
    return "; ".join(details), not (missing or dupes)
