"""The shared face of every result object: a readable ``repr``, HTML for notebooks, a table.

A result says what it found in one sentence (:meth:`Result.headline`), in a few lines
(:meth:`Result.repr_lines`, the ``repr``) and as a DataFrame (:meth:`Result.to_frame`);
Jupyter shows the headline above the tables of :meth:`Result.html_tables`. Third-party text
(option names, sources) is escaped in every HTML output.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["Result", "html_rows", "html_table"]


def html_rows(rows: Iterable[tuple[Any, Any]]) -> str:
    """A two-column HTML table of label/value pairs, both escaped."""
    cells = "".join(
        f"<tr><th style='text-align:left'>{html.escape(str(k))}</th>"
        f"<td>{html.escape(str(v))}</td></tr>"
        for k, v in rows
    )
    return f"<table>{cells}</table>"


def html_table(frame: pd.DataFrame, number: str = "{:,.2f}", *, index: bool = True) -> str:
    """``frame`` as an HTML table: labels and text escaped, numbers written with ``number``
    (a format string), a missing or non-finite number as ``-`` (never ``inf`` or ``nan``)."""

    def fmt(x: Any) -> str:
        v = float(x)
        return number.format(v) if math.isfinite(v) else "-"

    return frame.to_html(float_format=fmt, na_rep="-", escape=True, index=index)


class Result:
    """Base of the result classes: ``repr`` and HTML from one description."""

    def headline(self) -> str:
        """The answer in one sentence."""
        raise NotImplementedError

    def to_frame(self) -> pd.DataFrame:
        """The result as a table."""
        raise NotImplementedError

    def repr_lines(self) -> list[str]:
        """The lines of the ``repr``: a title, then details (default: the headline)."""
        return [f"{type(self).__name__}: {self.headline()}"]

    def html_tables(self) -> list[str]:
        """HTML shown under the headline in a notebook (default: :meth:`to_frame`)."""
        return [html_table(self.to_frame())]

    def __repr__(self) -> str:
        return "\n".join(self.repr_lines())

    def _repr_html_(self) -> str:
        head = f"<p><b>{html.escape(self.headline())}</b></p>"
        return f"<div>{head}{''.join(self.html_tables())}</div>"
