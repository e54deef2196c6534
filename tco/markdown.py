"""Markdown that third-party text cannot take over: escaping and tables.

Option names, model ids, sources and scenario names come from files and catalogs that
``tco`` does not control. Written into Markdown raw, ``![t](http://...)`` would load an image,
``<img onerror=...>`` would be HTML, a ``|`` would split a table cell and a newline would end
it. :func:`text` escapes every character that starts such markup (``>`` starts none inside a
line: without ``<`` there is no HTML); what ``tco`` writes itself (figures, headings, chart
links) is left as it is.
"""

from __future__ import annotations

from typing import Any

__all__ = ["table", "text"]

_ESCAPES = {
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "[": "\\[",
    "]": "\\]",
    "|": "\\|",
    "&": "&amp;",
    "<": "&lt;",
    "\r": " ",
    "\n": " ",
}
_TABLE = str.maketrans(_ESCAPES)
_INNER_WORD = "_"


def text(value: Any) -> str:
    """``value`` as Markdown inline text that shows as written and starts no markup: no
    link, image, HTML, code span, emphasis, table cell break or new line.

    An underscore inside a word (``on_demand``) is left alone: it starts no emphasis.

    Examples
    --------
    >>> text("![t](http://evil.example/x.png)")
    '!\\\\[t\\\\](http://evil.example/x.png)'
    >>> text("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)>'
    >>> text("a | b"), text("usd_per_gpu_hour"), text("_x_")
    ('a \\\\| b', 'usd_per_gpu_hour', '\\\\_x\\\\_')
    """
    s = str(value)
    out = []
    for i, ch in enumerate(s):
        if ch == _INNER_WORD and 0 < i < len(s) - 1 and s[i - 1].isalnum() and s[i + 1].isalnum():
            out.append(ch)
        else:
            out.append(ch.translate(_TABLE))
    return "".join(out)


def table(header: list[str], rows: list[list[Any]], *, escape: bool = True) -> list[str]:
    """A Markdown table, one line per row; cells escaped with :func:`text` (with
    ``escape=False`` as given: cells ``tco`` wrote itself, or escaped already)."""
    cell = text if escape else str
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines
