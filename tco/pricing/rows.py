"""Checking the rows of one pricing file: cell counts, unreadable cells, the row model's
checks (or the fast path's, :mod:`tco.pricing.fastrows`), and keys used once per file.

:class:`RowChecker` is what :func:`tco.pricing.parse.parse_file` runs on the records after
the header; :class:`ParsedFile` is what it fills in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from tco.pricing import csvtext
from tco.pricing.cells import CONTROL_CHARACTERS
from tco.pricing.fastcolumns import ABSENT
from tco.pricing.fastrows import FastRows, fast_rows
from tco.pricing.problems import PricingProblem
from tco.pricing.rowbase import ROW_RULE
from tco.pricing.schema import CatalogEntry, PricingRow, TableSpec

__all__ = ["CHUNK_ROWS", "ParsedFile", "RowChecker", "RowSummary"]

RowSummary = tuple[tuple[Any, ...], int, date]
"""``(key, line, as_of)`` of a valid row, when rows are not kept."""

CHUNK_ROWS = 4096
"""Rows checked together by the fast path (:mod:`tco.pricing.fastrows`)."""


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
        False when a broken header (or CSV syntax) stopped the row checks.
    keep_rows : bool
        Whether valid rows are kept as :attr:`entries`; else :attr:`summaries`.
    summaries : list of RowSummary
        ``(key, line, as_of)`` of every valid row, when rows are not kept.
    """

    file: str
    entries: list[CatalogEntry] = field(default_factory=list)
    problems: list[PricingProblem] = field(default_factory=list)
    gpu_refs: list[tuple[int, str]] = field(default_factory=list)
    gpu_names: set[str] = field(default_factory=set)
    rows_read: bool = True
    keep_rows: bool = True
    summaries: list[RowSummary] = field(default_factory=list)

    def unreadable(self, line: int, message: str) -> None:
        """The file cannot be read as CSV at ``line``: that is its only problem."""
        self.entries, self.summaries, self.gpu_refs, self.gpu_names = [], [], [], set()
        self.problems = [PricingProblem(self.file, line, "(row)", "", f"readable CSV ({message})")]
        self.rows_read = False

    def add_problem(self, line: int | None, column: str, value: str, message: str) -> None:
        """Record one problem in this file."""
        self.problems.append(PricingProblem(self.file, line, column, value, message))


class _Chunk:
    """A chunk of rows the fast path has read: stripped cells and values by column, lines,
    keys (as written and parsed) and ``as_of``."""

    def __init__(
        self,
        fast: FastRows,
        names: tuple[str, ...],
        stripped: list[list[str]],
        values: list[list[Any]],
        lines: list[int],
        key_fields: tuple[str, ...],
    ) -> None:
        self.fast, self.names, self.stripped, self.values, self.lines = (
            fast,
            names,
            stripped,
            values,
            lines,
        )
        at = [names.index(k) for k in key_fields]
        self.text_keys = list(zip(*(stripped[i] for i in at), strict=True))
        parsed = [values[i] for i in at]
        same = all(p is stripped[i] for p, i in zip(parsed, at, strict=True))
        self.keys = self.text_keys if same else list(zip(*parsed, strict=True))
        n = len(lines)
        self.as_of: list[Any] = values[fast.as_of] if fast.as_of is not None else [None] * n

    def column(self, name: str) -> list[str] | None:
        """The stripped cells of a column, if the file has it."""
        if name not in self.names:
            return None
        column = self.stripped[self.names.index(name)]
        return None if column is ABSENT else column


def _line_of(entry: CatalogEntry) -> int:
    return entry.line


def _rule_column(err: ErrorDetails) -> str:
    """The column a rule between cells names (:func:`tco.pricing.rowbase.row_rule`)."""
    column = (err.get("ctx") or {}).get("column")
    return str(column) if column else "(row)"


class RowChecker:
    """Checks the rows of one file, one at a time, remembering the keys seen so far.

    Rows are read by column name, so a header with extra or reordered columns (already
    reported) still gets its rows checked. Problems and valid rows go to ``result``.
    ``text`` is the whole file: when it holds no undecodable byte or control character,
    no cell does, and the cells are not searched one by one.
    """

    def __init__(
        self, spec: TableSpec, header: list[str], today: date, result: ParsedFile, text: str = ""
    ) -> None:
        self.spec = spec
        self.width = len(header)
        # Optional columns a file leaves out (an older format) read as empty cells.
        self.positions = {c: header.index(c) for c in spec.columns if c in header}
        self.left_out = [c for c in spec.columns if c not in self.positions]
        self.today = today
        self.result = result
        fields = spec.row.model_fields
        self.key_fields = spec.row.key_fields
        self.required_keys = [k for k in self.key_fields if fields[k].is_required()]
        self.lines_by_text_key: dict[tuple[str, ...], int] = {}
        self.lines_by_key: dict[tuple[Any, ...], int] = {}
        self.fast = fast_rows(spec.row, today)
        self.lifecycle = "successor" in spec.row.model_fields
        self.suspect = (
            not text or csvtext.bad_bytes(text) or csvtext.has_any(text, CONTROL_CHARACTERS)
        )
        text_fields = set() if self.fast is None else self.fast.text
        self.text_keys = all(k in text_fields for k in self.key_fields)

    def check_chunk(self, records: csvtext.RecordChunk) -> None:
        """Check consecutive records, in file order: by the fast path where it can (all
        at once), else one by one by the row model. Problems are found in file order."""
        fast, rows = self.fast, records.rows
        whole = [i for i, cells in enumerate(rows) if len(cells) == self.width]
        if fast is None or self.suspect or not whole:
            for i in range(len(rows)):
                self.check_one(records.record(i))
            return
        picked = rows if len(whole) == len(rows) else [rows[i] for i in whole]
        by_position = list(zip(*picked, strict=True))
        stripped = [
            list(map(str.strip, by_position[self.positions[n]])) if n in self.positions else ABSENT
            for n in fast.names
        ]
        values, bad = fast.columns(stripped, records.one_line)
        lines = [records.starts[i] for i in whole]
        chunk = _Chunk(fast, fast.names, stripped, values, lines, self.key_fields)
        ordered = bool(bad) and chunk.column("gpu") is not None  # GPU references in order
        kept = len(self.result.entries), len(self.result.summaries)
        if not ordered and self.add_all(chunk, bad):
            checked = {whole[i] for i in bad}
            for i, cells in enumerate(rows):  # the rest, in file order: problems only
                if len(cells) != self.width or i in checked:
                    self.check_one(records.record(i))
            if checked:
                self.in_file_order(*kept)
            return
        j = 0
        for i, cells in enumerate(rows):
            if len(cells) != self.width or j in bad:
                self.check_one(records.record(i))
            else:
                self.keep_fast(chunk, j)
            j += len(cells) == self.width

    def in_file_order(self, entries_from: int, summaries_from: int) -> None:
        """The rows kept since ``entries_from`` and ``summaries_from`` put back in file
        order (a chunk's rows the model checked were kept after the others)."""
        result = self.result
        result.entries[entries_from:] = sorted(result.entries[entries_from:], key=_line_of)
        result.summaries[summaries_from:] = sorted(
            result.summaries[summaries_from:], key=lambda summary: summary[1]
        )

    def add_all(self, chunk: _Chunk, bad: set[int]) -> bool:
        """Every row of a chunk but ``bad`` kept at once, when no key can repeat (no key
        of the chunk repeats another, or one seen before): False otherwise (nothing done;
        the rows are then checked one by one, in file order)."""
        text_keys = chunk.text_keys
        seen = self.lines_by_text_key
        if len(set(text_keys)) != len(text_keys) or not seen.keys().isdisjoint(text_keys):
            return False
        good = [i for i in range(len(chunk.lines)) if i not in bad] if bad else None
        pick = (lambda column: column) if good is None else (lambda c: [c[i] for i in good])
        keys, lines = pick(chunk.keys), pick(chunk.lines)
        if not self.text_keys:
            if len(set(keys)) != len(keys) or not self.lines_by_key.keys().isdisjoint(keys):
                return False
            self.lines_by_key.update(zip(keys, lines, strict=True))
        seen.update(zip(pick(text_keys), lines, strict=True))
        rows = range(len(chunk.lines)) if good is None else good
        self.note_gpus(chunk, rows)
        if not self.result.keep_rows:
            self.result.summaries += zip(keys, lines, pick(chunk.as_of), strict=True)
            if not self.lifecycle:
                return True
            # rows the rules between rows read are kept even in a check
            named = (chunk.column("deprecation_date"), chunk.column("successor"))
            marked = {i for column in named if column for i, cell in enumerate(column) if cell}
            rows = [i for i in rows if i in marked]
        file, fast = self.result.file, chunk.fast
        self.result.entries += [
            CatalogEntry(fast.build(chunk.values, i), file, chunk.lines[i])  # type: ignore[arg-type]
            for i in rows
        ]
        return True

    def note_gpus(self, chunk: _Chunk, rows: Iterable[int]) -> None:
        """Remember the GPUs the chunk's rows name (see :meth:`note_gpu`)."""
        gpus = chunk.column("gpu")
        if gpus is None:
            return
        if self.spec.kind == "hardware":
            self.result.gpu_names.update(gpus[i] for i in rows if gpus[i])
        else:
            self.result.gpu_refs += [(chunk.lines[i], gpus[i]) for i in rows if gpus[i]]

    def keep_fast(self, chunk: _Chunk, i: int) -> None:
        """Row ``i`` of a chunk, accepted by the fast path: its GPU noted, its key checked,
        the row kept."""
        line = chunk.lines[i]
        self.note_gpus(chunk, (i,))

        def build() -> PricingRow:
            return chunk.fast.build(chunk.values, i)  # type: ignore[return-value]

        first = self.lines_by_text_key.setdefault(chunk.text_keys[i], line)
        if first != line:
            self.report_repeated_key(line, build().label, first)
            return
        self.keep(line, chunk.keys[i], chunk.as_of[i], build)

    def check_one(self, record: csvtext.CsvRecord) -> None:
        """Check one record by its row model."""
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
        cells.update({c: "" for c in self.left_out})
        self.note_gpu(line, cells)
        unreadable = self.unreadable_columns(line, cells) if self.suspect else set()
        row = self.validate(line, cells, unreadable)
        unique = self.key_unique_as_written(line, cells, None if row is None else lambda: row)
        if row is not None and unique and not unreadable:
            self.keep(line, row.key, getattr(row, "as_of", None), lambda: row)

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
        unreadable = set()
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
        self, line: int, cells: dict[str, str], row: Callable[[], PricingRow] | None
    ) -> bool:
        """False (and reported) when an earlier row has the same key cells, as written.

        ``row`` builds the row (for its label in the message), or is None for an invalid row.
        """
        if not all(cells[k].strip() for k in self.required_keys):
            return True  # a missing key cell is already reported
        key = tuple(cells[k].strip() for k in self.key_fields)
        if key not in self.lines_by_text_key:
            self.lines_by_text_key[key] = line
            return True
        label = row().label if row is not None else "/".join(k for k in key if k)
        self.report_repeated_key(line, label, self.lines_by_text_key[key])
        return False

    def keep(
        self, line: int, key: tuple[Any, ...], as_of: Any, row: Callable[[], PricingRow]
    ) -> None:
        """Keep a valid row, unless its parsed key repeats one ("4" and "+4", say)."""
        if not self.text_keys:  # a text key repeats exactly when its cells do
            first = self.lines_by_key.setdefault(key, line)
            if first != line:
                self.report_repeated_key(line, row().label, first)
                return
        if self.result.keep_rows:
            self.result.entries.append(CatalogEntry(row(), self.result.file, line))
            return
        self.result.summaries.append((key, line, as_of))
        if self.lifecycle:  # rows the rules between rows read are kept even in a check
            built = row()
            if built.successor is not None or built.deprecation_date is not None:  # type: ignore[attr-defined]
                self.result.entries.append(CatalogEntry(built, self.result.file, line))

    def report_repeated_key(self, line: int, label: str, first_line: int) -> None:
        """A key used a second time."""
        self.result.add_problem(
            line,
            ",".join(self.spec.row.key_fields),
            label,
            f"a key used once per file; also on line {first_line}",
        )
