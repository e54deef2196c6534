"""HTML that third-party text cannot take over: every text escaped, elements built here.

Option names, model ids, sources, notes and file paths come from files and catalogs that
``tco`` does not control. :func:`text` escapes ``&``, ``<``, ``>`` and both quotes, so such
text can start no element, attribute or entity; every function here takes plain text and
escapes it, except where a parameter says it takes HTML built by this module. Images are
only ever the report's own PNG bytes, inlined as ``data:`` URLs: the page loads nothing.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from html import escape

__all__ = ["Html", "element", "figure", "items", "labelled_path", "paragraph", "table", "text"]


class Html(str):
    """HTML built by this module (escaped already): :func:`text` leaves it as it is."""

    __slots__ = ()


def text(value: object) -> str:
    """``value`` as HTML text (also safe inside a quoted attribute); :class:`Html` as is.

    >>> text('<script>alert("x") & \\'y\\'</script>')
    '&lt;script&gt;alert(&quot;x&quot;) &amp; &#x27;y&#x27;&lt;/script&gt;'
    >>> text(Html("<br>"))
    '<br>'
    """
    if isinstance(value, Html):
        return str(value)
    return escape(str(value), quote=True)


def labelled_path(label: object, path: object) -> Html:
    """A parameter's label above its path (in code type), both escaped."""
    return Html(f"{text(label)}<br><code>{text(path)}</code>")


def element(tag: str, html: str, cls: str | None = None, ident: str | None = None) -> str:
    """``<tag class=... id=...>html</tag>``; ``html`` must be built by this module."""
    attrs = ""
    if ident:
        attrs += f' id="{text(ident)}"'
    if cls:
        attrs += f' class="{text(cls)}"'
    return f"<{tag}{attrs}>{html}</{tag}>"


def paragraph(words: object, cls: str | None = None) -> str:
    """A paragraph of plain text."""
    return element("p", text(words), cls)


def items(lines: Iterable[str | tuple[str, str]], cls: str | None = None) -> str:
    """A bulleted list; each line is HTML built by this module, or a pair (HTML, the
    item's class)."""
    out = []
    for line in lines:
        html, item_cls = (line, None) if isinstance(line, str) else line
        out.append(element("li", html, item_cls))
    return element("ul", "".join(out), cls)


def table(
    header: Sequence[object],
    rows: Iterable[Sequence[object]],
    *,
    numeric: Iterable[int] = (),
    wrap: Iterable[int] = (),
    row_classes: Sequence[str] | None = None,
) -> str:
    """A table of plain-text cells: columns in ``numeric`` right-aligned, those in ``wrap``
    (long text: sources, names) broken anywhere when they must be.

    >>> print(table(["a", "n"], [["<b>", 1]], numeric=[1]).replace("<tbody>", "\\n<tbody>"))
    <table><thead><tr><th>a</th><th class="num">n</th></tr></thead>
    <tbody><tr><td>&lt;b&gt;</td><td class="num">1</td></tr></tbody></table>
    """
    classes = dict.fromkeys(wrap, "wrap") | dict.fromkeys(numeric, "num")

    def cell(tag: str, i: int, value: object) -> str:
        cls = f' class="{classes[i]}"' if i in classes else ""
        return f"<{tag}{cls}>{text(value)}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(header))
    body = []
    for n, row in enumerate(rows):
        cls = f' class="{text(row_classes[n])}"' if row_classes and row_classes[n] else ""
        body.append(f"<tr{cls}>" + "".join(cell("td", i, v) for i, v in enumerate(row)) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def figure(png: bytes, caption: str, name: str) -> str:
    """A chart inlined as a base64 PNG ``data:`` URL, with its caption as alt text too."""
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError(f"chart {name!r}: not PNG bytes -> the report inlines PNG images only")
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure id="chart-{text(name)}"><img src="data:image/png;base64,{data}" '
        f'alt="{text(caption)}"><figcaption>{text(caption)}</figcaption></figure>'
    )
