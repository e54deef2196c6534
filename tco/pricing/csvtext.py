"""Low-level CSV reading that keeps physical line numbers (internal to :mod:`tco.pricing`).

Files are decoded as UTF-8 (a leading byte-order mark is dropped) with ``surrogateescape``
so that bytes which are not UTF-8 survive as lone surrogates: the validator reports them
cell by cell instead of failing on the first one. Parsing uses :mod:`csv` only; nothing in
a file is ever evaluated.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

__all__ = ["CsvRecord", "CsvSyntaxError", "bad_bytes", "decode", "physical_lines", "records"]

_BOM = "\ufeff"


@dataclass(frozen=True)
class CsvRecord:
    """One CSV record: its cells and the physical lines it spans (the header is line 1)."""

    line: int
    end_line: int
    cells: tuple[str, ...]

    @property
    def blank(self) -> bool:
        """True when no cell holds text (a blank line, or only commas and spaces)."""
        return not any(c.strip() for c in self.cells)


class CsvSyntaxError(Exception):
    """The :mod:`csv` module gave up at ``line`` (for instance a field over its size limit)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def decode(data: bytes) -> str:
    """Bytes -> text: UTF-8, byte-order mark dropped, undecodable bytes kept as surrogates.

    Examples
    --------
    >>> decode(b"\\xef\\xbb\\xbfa,b\\n")
    'a,b\\n'
    >>> bad_bytes(decode(b"caf\\xe9"))
    True
    """
    text = data.decode("utf-8", errors="surrogateescape")
    return text[1:] if text.startswith(_BOM) else text


_UNDECODED = re.compile("[\udc80-\udcff]")
"""The lone surrogates :func:`decode` leaves for bytes that were not UTF-8."""


def bad_bytes(text: str) -> bool:
    """True when ``text`` holds bytes that were not valid UTF-8 (see :func:`decode`)."""
    return _UNDECODED.search(text) is not None


def physical_lines(text: str) -> list[str]:
    """Split ``text`` into lines with their endings, counting lines as :mod:`csv` does.

    Examples
    --------
    >>> physical_lines("a\\r\\nb\\nc")
    ['a\\r\\n', 'b\\n', 'c']
    """
    return io.StringIO(text, newline="").readlines()


def records(text: str) -> list[CsvRecord]:
    """Parse ``text`` into records, blank lines included (as records with no cells).

    Raises
    ------
    CsvSyntaxError
        When the :mod:`csv` module cannot go on; carries the physical line.

    Examples
    --------
    >>> [(r.line, r.end_line, r.cells) for r in records('a,b\\n\\n"x\\ny",2\\n')]
    [(1, 1, ('a', 'b')), (2, 2, ()), (3, 4, ('x\\ny', '2'))]
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    out: list[CsvRecord] = []
    end = 0
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return out
        except csv.Error as exc:
            raise CsvSyntaxError(max(start, reader.line_num), str(exc)) from None
        end = reader.line_num
        out.append(CsvRecord(start, end, tuple(cells)))
