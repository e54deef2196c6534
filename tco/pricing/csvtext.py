"""Low-level CSV reading that keeps physical line numbers (internal to :mod:`tco.pricing`).

Files are decoded as UTF-8 (a leading byte-order mark is dropped) with ``surrogateescape``
so that bytes which are not UTF-8 survive as lone surrogates: the validator reports them
cell by cell instead of failing on the first one. Parsing uses :mod:`csv` only; nothing in
a file is ever evaluated.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

__all__ = [
    "CsvRecord",
    "CsvSyntaxError",
    "RecordChunk",
    "bad_bytes",
    "decode",
    "has_any",
    "iter_lines",
    "iter_records",
    "physical_lines",
    "record_chunks",
    "records",
]

_BAD_BYTES = re.compile("[\udc80-\udcff]")
"""The lone surrogates :func:`decode` turns undecodable bytes into."""

_BOM = "\ufeff"


class CsvRecord(NamedTuple):
    """One CSV record: its cells and the physical lines it spans (the header is line 1)."""

    line: int
    end_line: int
    cells: tuple[str, ...]

    @property
    def blank(self) -> bool:
        """True when no cell holds text (a blank line, or only commas and spaces)."""
        return not "".join(self.cells).strip()


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


def bad_bytes(text: str) -> bool:
    """True when ``text`` holds bytes that were not valid UTF-8 (see :func:`decode`).

    One search of the whole text answers for every cell in it (a cell is part of the text).
    """
    return not text.isascii() and _BAD_BYTES.search(text) is not None


def has_any(text: str, pattern: re.Pattern[str]) -> bool:
    r"""True when ``text`` holds a character ``pattern`` matches, for a pattern of ASCII
    characters only (such as control characters): a byte filter, much faster than a
    search of a long text (every byte of a non-ASCII character in UTF-8 is >= 0x80).

    >>> control = re.compile("[\x00-\x08]")
    >>> has_any("caf\u00e9, 2.5\n", control), has_any("a\x01", control)
    (False, True)
    """
    keep = bytes(b for b in range(128) if pattern.match(chr(b)))
    drop = bytes(b for b in range(256) if b not in keep)
    return bool(text.encode("utf-8", "surrogateescape").translate(None, drop))


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
    return list(iter_records(text))


_BLOCK = 1 << 20
"""Characters of text split into lines at a time by :func:`iter_lines`."""


def iter_lines(text: str) -> Iterator[str]:
    """:func:`physical_lines` one at a time, made a block of about a megabyte at a time:
    a ``StringIO`` of the whole text would hold it again, at 4 bytes a character.

    Blocks end just after a ``\\n``, where a line always ends, so the lines are those of
    :func:`physical_lines` (``\\r\\n``, ``\\r`` and ``\\n`` endings).

    >>> list(iter_lines("a\\r\\nb\\rc\\n\\nd"))
    ['a\\r\\n', 'b\\r', 'c\\n', '\\n', 'd']
    """
    blocks = (io.StringIO(block, newline="") for block in _blocks(text))
    return itertools.chain.from_iterable(blocks)


def _blocks(text: str) -> Iterator[str]:
    """``text`` in pieces of about :data:`_BLOCK` characters, each ending after a ``\\n``."""
    start, n = 0, len(text)
    while start < n:
        cut = text.find("\n", start + _BLOCK)
        stop = n if cut < 0 else cut + 1
        yield text[start:stop]
        start = stop


class RecordChunk(NamedTuple):
    """Consecutive non-blank records as the :mod:`csv` module read them: ``rows[i]`` (its
    cells) spans physical lines ``starts[i]`` to ``ends[i]``."""

    starts: Sequence[int]
    ends: Sequence[int]
    rows: list[list[str]]

    def record(self, i: int) -> CsvRecord:
        """Record ``i``."""
        return CsvRecord(self.starts[i], self.ends[i], tuple(self.rows[i]))

    def after_first(self) -> RecordChunk:
        """The records after the first."""
        return RecordChunk(self.starts[1:], self.ends[1:], self.rows[1:])

    @property
    def one_line(self) -> bool:
        """True when every record is on one line (no cell holds a line break)."""
        return self.starts is self.ends or list(self.starts) == list(self.ends)


def record_chunks(text: str, size: int) -> Iterator[RecordChunk]:
    """The non-blank records of ``text``, at most ``size`` at a time (no chunk empty): the
    records of :func:`iter_records` less the blank ones, read by the :mod:`csv` module's
    own loop, without an object per record.

    A record's physical lines are worked out from its cells: it spans one line more than
    the line breaks its (quoted) cells hold (``\\r\\n``, ``\\r`` or ``\\n``).

    >>> chunks = record_chunks('a\\n\\nb\\n"c\\nd"\\ne\\n', 2)
    >>> [(list(c.starts), list(c.ends), c.rows) for c in chunks]
    [([1], [1], [['a']]), ([3, 4], [3, 5], [['b'], ['c\\nd']]), ([6], [6], [['e']])]
    """
    reader = csv.reader(iter_lines(text), strict=False)
    end = 0
    while True:
        try:
            rows = list(itertools.islice(reader, size))
        except csv.Error as exc:
            raise CsvSyntaxError(max(end + 1, reader.line_num), str(exc)) from None
        if not rows:
            return
        chunk = _numbered(rows, end, reader.line_num)
        end = reader.line_num
        if chunk.rows:
            yield chunk


def _numbered(rows: list[list[str]], end: int, last: int) -> RecordChunk:
    """The non-blank ``rows``, numbered from line ``end + 1`` to ``last`` (the reader's
    line count after them)."""
    if last - end == len(rows):  # every record on one line
        starts: Sequence[int] = range(end + 1, last + 1)
        ends: Sequence[int] = starts
    else:
        starts, ends = [], []
        for cells in rows:
            starts.append(end + 1)
            end += 1 + _line_breaks(cells)
            ends.append(end)
        # A quote left open at the end of the text holds the last line's break as well.
        ends[-1] = max(starts[-1], last)
    filled = [bool(cells) and bool(cells[0].strip() or "".join(cells).strip()) for cells in rows]
    if all(filled):
        return RecordChunk(starts, ends, rows)
    pick = functools.partial(itertools.compress, selectors=filled)
    return RecordChunk(list(pick(starts)), list(pick(ends)), list(pick(rows)))


def _line_breaks(cells: list[str]) -> int:
    """The line breaks inside a record's cells (``\\r\\n`` counts once)."""
    if "\n" not in "".join(cells) and "\r" not in "".join(cells):
        return 0
    return sum(c.count("\n") + c.count("\r") - c.count("\r\n") for c in cells)


def iter_records(text: str) -> Iterator[CsvRecord]:
    """:func:`records` one at a time, so a large file is never held as records all at once
    (a :class:`CsvSyntaxError` comes when the reader reaches it)."""
    reader = csv.reader(iter_lines(text), strict=False)
    end = 0
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CsvSyntaxError(max(start, reader.line_num), str(exc)) from None
        end = reader.line_num
        yield CsvRecord(start, end, tuple(cells))
