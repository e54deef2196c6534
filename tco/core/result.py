"""The shared face of every result object: a readable ``repr``, HTML for notebooks, a table.

A result says what it found in one sentence (:meth:`Result.headline`), in a few lines
(:meth:`Result.repr_lines`, the ``repr``) and as a DataFrame (:meth:`Result.to_frame`);
Jupyter shows the headline above the tables of :meth:`Result.html_tables`. Third-party text
(option names, sources) is escaped in every HTML output.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["Result", "html_rows"]


def html_rows(rows: Iterable[tuple[Any, Any]]) -> str:
    """A two-column HTML table of label/value pairs, both escaped."""
    cells = "".join(
        f"<tr><th style='text-align:left'>{html.escape(str(k))}</th>"
        f"<td>{html.escape(str(v))}</td></tr>"
        for k, v in rows
    )
    return f"<table>{cells}</table>"


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
        return [self.to_frame().to_html(float_format=lambda x: f"{x:,.2f}")]

    def __repr__(self) -> str:
        return "\n".join(self.repr_lines())

    def _repr_html_(self) -> str:
        head = f"<p><b>{html.escape(self.headline())}</b></p>"
        return f"<div>{head}{''.join(self.html_tables())}</div>"
