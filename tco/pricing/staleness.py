"""Staleness: which catalog rows have an ``as_of`` date older than a threshold.

:meth:`tco.pricing.PricingCatalog.stale` lists them as a table and
:meth:`~tco.pricing.PricingCatalog.stale_summary` as one line per file;
``load_pricing(warn_stale_days=...)`` turns those lines into :class:`StalePriceWarning`.
The warning is opt-in at load so that scripts and test suites that run with warnings as
errors keep working as the bundled data ages; ``tco prices check`` and ``tco prices stale``
always report stale rows, and the catalog's ``repr`` shows how many there are.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from tco.pricing.problems import StalePriceWarning
from tco.pricing.schema import ALL_SPECS, CatalogEntry

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = [
    "STALE_AFTER_DAYS",
    "STALE_COLUMNS",
    "stale_rows",
    "stale_summary",
    "summary_lines",
    "warn_stale",
]

STALE_AFTER_DAYS = 180
"""Rows whose ``as_of`` is more than this many days before today count as stale. [days]"""

STALE_COLUMNS = ["file", "key", "as_of", "age_days", "origin", "source"]
"""Columns of the table :func:`stale_rows` returns."""


def stale_rows(
    entries: Mapping[str, Sequence[CatalogEntry]], days: int, today: date
) -> pd.DataFrame:
    """Rows whose ``as_of`` is more than ``days`` days before ``today``, oldest first.

    Parameters
    ----------
    entries : mapping of str to sequence of CatalogEntry
        The catalog's rows by kind (``api``, ``hardware``, ``gpu``, ``throughput``).
    days : int
        Age threshold (a whole number >= 0). [days]
    today : datetime.date
        Reference date.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`STALE_COLUMNS`: ``file`` (the catalog file name), ``key`` (the
        row's label), ``as_of``, ``age_days`` [days], ``origin`` (``file:line``),
        ``source``. Ties on ``as_of`` keep load order (file, then line).
    """
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"days: {days!r} -> a whole number >= 0")
    out: list[dict[str, Any]] = []
    for kind, kind_entries in entries.items():
        for e in kind_entries:
            age = (today - e.row.as_of).days  # type: ignore[attr-defined]
            if age > days:
                out.append(
                    {
                        "file": ALL_SPECS[kind].file,
                        "key": e.row.label,
                        "as_of": pd.Timestamp(e.row.as_of),  # type: ignore[attr-defined]
                        "age_days": age,
                        "origin": e.origin,
                        "source": e.row.source,  # type: ignore[attr-defined]
                        "_file": e.file,
                        "_line": e.line,
                    }
                )
    df = pd.DataFrame.from_records(out, columns=[*STALE_COLUMNS, "_file", "_line"])
    df["as_of"] = pd.to_datetime(df["as_of"])
    df["age_days"] = df["age_days"].astype("int64")
    df = df.sort_values(["as_of", "_file", "_line"], kind="stable")
    return df[STALE_COLUMNS].reset_index(drop=True)


def stale_summary(stale: pd.DataFrame, all_entries: Iterable[CatalogEntry], days: int) -> list[str]:
    """One line per file with stale rows: how many of how many, and the oldest three.

    Parameters
    ----------
    stale : pandas.DataFrame
        What :func:`stale_rows` returned.
    all_entries : iterable of CatalogEntry
        Every row of the catalog (to count each file's rows).
    days : int
        The threshold ``stale`` was made with, for the message. [days]
    """
    by_file: dict[str, list[tuple[str, str, str]]] = {}
    for key, as_of, origin in zip(stale["key"], stale["as_of"], stale["origin"], strict=True):
        file, line = str(origin).rsplit(":", 1)
        by_file.setdefault(file, []).append((str(key), str(as_of)[:10], line))
    totals: dict[str, int] = {}
    for e in all_entries:
        totals[e.file] = totals.get(e.file, 0) + 1
    return summary_lines(by_file, totals, days)


def summary_lines(
    by_file: Mapping[str, Sequence[tuple[str, str, str]]], totals: Mapping[str, int], days: int
) -> list[str]:
    """The lines of :func:`stale_summary`: for each file (sorted by path), how many of its
    ``totals[file]`` rows are stale and the oldest three of ``by_file[file]`` (``(label,
    as_of, line)``, oldest first)."""
    lines = []
    for file in sorted(by_file):
        rows = by_file[file]
        oldest = ", ".join(f"{key} ({as_of}, line {line})" for key, as_of, line in rows[:3])
        lines.append(
            f"{file}: {len(rows)} of {totals.get(file, 0)} rows older than {days} days; "
            f"oldest: {oldest}"
        )
    return lines


def warn_stale(summary: Iterable[str], stacklevel: int = 2) -> None:
    """One :class:`StalePriceWarning` per line of :func:`stale_summary`.

    ``stacklevel`` counts as for :func:`warnings.warn` from the caller of this function.
    """
    for line in summary:
        warnings.warn(
            f"{line} (list them with catalog.stale() or `tco prices stale`)",
            StalePriceWarning,
            stacklevel=stacklevel + 1,
        )
