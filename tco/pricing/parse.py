"""Validating one pricing file: its header, then each row, collecting every problem.

:func:`parse_file` never stops at the first problem: a file is read to its end and every
bad cell, row or key is reported as a :class:`PricingProblem`
(``file:line: column: value -> allowed``). Only a file whose header cannot be matched to
the expected columns (unreadable CSV, no header, missing or repeated columns) has its rows
left unchecked. The steps, in order:

1. :func:`read_header_and_body` -- CSV syntax, the header line and its columns;
2. per row, :class:`RowChecker`: cell count, undecodable bytes and control characters,
   the row model's checks, and keys used once per file (as written and once parsed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from tco.pricing import csvtext
from tco.pricing.cells import CONTROL_CHARACTERS
from tco.pricing.problems import PricingProblem, show_value
from tco.pricing.rowbase import ROW_RULE
from tco.pricing.schema import CatalogEntry, PricingRow, TableSpec

__all__ = ["ParsedFile", "RowChecker", "header_mismatch", "parse_file", "read_header_and_body"]


@dataclass
class ParsedFile:
    """What :func:`parse_file` found in one file.

    Attributes
    ----------
    file : str
        Path of the file, as given (used in every problem).
    entries : list of CatalogEntry
        The valid rows, in file order.
    problems : list of PricingProblem
        Every problem, in the order found.
    gpu_refs : list of (int, str)
        ``(line, gpu)`` of every row naming a GPU (offers and throughput), valid or not.
    gpu_names : set of str
        Hardware files: every GPU named by a row, valid or not.
    rows_read : bool
        False when a broken header stopped the row checks.
    """

    file: str
    entries: list[CatalogEntry] = field(default_factory=list)
    problems: list[PricingProblem] = field(default_factory=list)
    gpu_refs: list[tuple[int, str]] = field(default_factory=list)
    gpu_names: set[str] = field(default_factory=set)
    rows_read: bool = True

    def add_problem(self, line: int | None, column: str, value: str, message: str) -> None:
        """Record one problem in this file."""
        self.problems.append(PricingProblem(self.file, line, column, value, message))


def parse_file(spec: TableSpec, text: str, file: str, today: date) -> ParsedFile:
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
    result = ParsedFile(file)
    found = read_header_and_body(spec, text, result)
    if found is None:
        result.rows_read = False
        return result
    header, body = found
    checker = RowChecker(spec, header, today, result)
    for record in body:
        checker.check(record)
    return result


def read_header_and_body(
    spec: TableSpec, text: str, result: ParsedFile
) -> tuple[list[str], list[csvtext.CsvRecord]] | None:
    """The header's column names and the non-blank records after it.

    Problems go to ``result``. None when the rows cannot be read by column name: the CSV
    is unreadable, there is no header on line 1, or columns are missing or repeated. A
    header with extra or reordered columns is reported but its rows are still read.
    """
    expected = spec.columns
    try:
        records = csvtext.records(text)
    except csvtext.CsvSyntaxError as exc:
        result.add_problem(exc.line, "(row)", "", f"readable CSV ({exc.message})")
        return None
    records = [r for r in records if not r.blank]
    if not records:
        result.add_problem(1, "(header)", "", "a header line: " + ",".join(expected))
        return None
    first, body = records[0], records[1:]
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


def _rule_column(err: ErrorDetails) -> str:
    """The column a rule between cells names (:func:`tco.pricing.rowbase.row_rule`)."""
    column = (err.get("ctx") or {}).get("column")
    return str(column) if column else "(row)"


class RowChecker:
    """Checks the rows of one file, one at a time, remembering the keys seen so far.

    Rows are read by column name, so a header with extra or reordered columns (already
    reported) still gets its rows checked. Problems and valid rows go to ``result``.
    """

    def __init__(self, spec: TableSpec, header: list[str], today: date, result: ParsedFile) -> None:
        self.spec = spec
        self.width = len(header)
        # Optional columns a file leaves out read as empty cells.
        self.positions = {c: header.index(c) for c in spec.columns if c in header}
        self.today = today
        self.result = result
        fields = spec.row.model_fields
        self.required_keys = [k for k in spec.row.key_fields if fields[k].is_required()]
        self.lines_by_text_key: dict[tuple[str, ...], int] = {}
        self.lines_by_key: dict[tuple[Any, ...], int] = {}

    def check(self, record: csvtext.CsvRecord) -> None:
        """Check one record; keep its row when nothing is wrong with it."""
        line = record.line
        if len(record.cells) != self.width:
            self.result.add_problem(
                line,
                "(row)",
                f"{len(record.cells)} cells",
                f"{self.width} cells, one per header column",
            )
            return
        cells = {c: record.cells[i] for c, i in self.positions.items()}
        cells.update({c: "" for c in self.spec.columns if c not in self.positions})
        self.note_gpu(line, cells)
        unreadable = self.unreadable_columns(line, cells)
        row = self.validate(line, cells, unreadable)
        unique = self.key_unique_as_written(line, cells, row)
        if row is not None and unique and not unreadable:
            self.keep(line, row)

    def note_gpu(self, line: int, cells: dict[str, str]) -> None:
        """Remember the GPU a row names: a hardware row's name, or another row's reference."""
        gpu = cells.get("gpu", "").strip()
        if not gpu:
            return
        if self.spec.kind == "hardware":
            self.result.gpu_names.add(gpu)
        else:
            self.result.gpu_refs.append((line, gpu))

    def unreadable_columns(self, line: int, cells: dict[str, str]) -> set[str]:
        """Columns whose text is not UTF-8 or holds control characters (each reported)."""
        unreadable: set[str] = set()
        joined = "".join(cells.values())
        if not csvtext.bad_bytes(joined) and not CONTROL_CHARACTERS.search(joined):
            return unreadable  # the common case, in one pass over the row
        for column, value in cells.items():
            if csvtext.bad_bytes(value):
                self.result.add_problem(line, column, value, "UTF-8 text (save the file as UTF-8)")
                unreadable.add(column)
            elif CONTROL_CHARACTERS.search(value):
                self.result.add_problem(line, column, value, "text without control characters")
                unreadable.add(column)
        return unreadable

    def validate(self, line: int, cells: dict[str, str], unreadable: set[str]) -> PricingRow | None:
        """The row model's checks: the row, or None after reporting one problem per column."""
        try:
            return self.spec.row.model_validate(cells, context={"today": self.today})
        except ValidationError as exc:
            reported = set(unreadable)
            for err in exc.errors():
                column = str(err["loc"][0]) if err["loc"] else _rule_column(err)
                if column not in reported:
                    reported.add(column)
                    raw = cells.get(column, "")
                    self.result.add_problem(line, column, raw, self.allowed(column, raw, err))
            return None

    def allowed(self, column: str, raw: str, err: ErrorDetails) -> str:
        """The "what is allowed" text for a failed cell: the column's description, or the
        message of a date or cross-column rule."""
        field = self.spec.row.model_fields.get(column)
        allowed = (field.description if field else None) or err["msg"]
        if err["type"] in ("future_date", ROW_RULE):
            return err["msg"]
        if not raw.strip():
            return f"required: {allowed}"
        return allowed

    def key_unique_as_written(
        self, line: int, cells: dict[str, str], row: PricingRow | None
    ) -> bool:
        """False (and reported) when an earlier row has the same key cells, as written."""
        if not all(cells[k].strip() for k in self.required_keys):
            return True  # a missing key cell is already reported
        key = tuple(cells[k].strip() for k in self.spec.row.key_fields)
        if key not in self.lines_by_text_key:
            self.lines_by_text_key[key] = line
            return True
        label = row.label if row is not None else "/".join(k for k in key if k)
        self.report_repeated_key(line, label, self.lines_by_text_key[key])
        return False

    def keep(self, line: int, row: PricingRow) -> None:
        """Keep a valid row, unless its parsed key repeats one ("4" and "+4", say)."""
        if row.key in self.lines_by_key:
            self.report_repeated_key(line, row.label, self.lines_by_key[row.key])
            return
        self.lines_by_key[row.key] = line
        self.result.entries.append(CatalogEntry(row, self.result.file, line))

    def report_repeated_key(self, line: int, label: str, first_line: int) -> None:
        """A key used a second time."""
        self.result.add_problem(
            line,
            ",".join(self.spec.row.key_fields),
            label,
            f"a key used once per file; also on line {first_line}",
        )
