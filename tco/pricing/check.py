"""Checking pricing data as :func:`~tco.pricing.load.load_pricing` reads it, without
keeping the rows (``tco prices check``): every problem, the counts after merging, the
staleness summary and the retired and retiring API models.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tco.pricing.lifecycle import lifecycle_lines
from tco.pricing.load import Layers, as_date, pricing_folders
from tco.pricing.problems import PricingError
from tco.pricing.schema import ALL_SPECS, SPECS, TableSpec
from tco.pricing.staleness import STALE_AFTER_DAYS, summary_lines

__all__ = ["PricingCheck", "check_pricing"]


@dataclass(frozen=True)
class PricingCheck:
    """What :func:`check_pricing` found in clean pricing data.

    Attributes
    ----------
    folders : tuple of str
        Folders read, bundled first.
    counts : dict
        Rows per kind after merging (as :meth:`PricingCatalog.counts`).
    stale : list of str
        One line per file with stale rows (as :meth:`PricingCatalog.stale_summary`).
    lifecycle : list of str
        One line per retired or retiring API model
        (:func:`tco.pricing.lifecycle.lifecycle_lines`).
    """

    folders: tuple[str, ...]
    counts: dict[str, int]
    stale: list[str]
    lifecycle: list[str] = field(default_factory=list)


def check_pricing(
    path: str | Path | None = None,
    *,
    bundled: bool = True,
    days: int = STALE_AFTER_DAYS,
    today: date | None = None,
) -> PricingCheck:
    """Validate the pricing data as :func:`load_pricing` does, without keeping the rows.

    Every problem is found and raised exactly as by :func:`load_pricing` (one
    :class:`PricingError` listing them all); on clean data the counts and the staleness
    summary are those of the catalog it would return, but no row is held in memory (a
    check of 200,000 rows needs tens of megabytes, not hundreds).

    Parameters
    ----------
    path, bundled, today
        As for :func:`load_pricing`.
    days : int
        Staleness threshold of the summary. [days]

    Examples
    --------
    >>> from tco.pricing.load import load_pricing
    >>> check_pricing().counts == load_pricing().counts()
    True
    """
    today = as_date(today)
    folders = pricing_folders(path, bundled)
    layers = Layers(today, keep_rows=False)
    for folder, required in folders:
        layers.add_folder(folder, required=required)
    problems = layers.all_problems()
    if problems:
        raise PricingError(problems)
    return PricingCheck(
        folders=tuple(str(f) for f, _ in folders),
        counts={kind: len(layers.summaries[kind]) for kind in SPECS},
        stale=_stale_lines(
            {k: rows for k, rows in layers.summaries.items() if k != "history"}, days, today
        ),
        lifecycle=lifecycle_lines(layers.tables["api"].values(), today),
    )


def _label(spec: TableSpec, key: tuple[Any, ...]) -> str:
    """A row's label from its key (every row model's label reads its key fields only)."""
    try:
        row = spec.row.model_construct(**dict(zip(spec.row.key_fields, key, strict=True)))
        return row.label
    except (AttributeError, TypeError, ValueError):  # a label that reads other fields
        return "/".join(str(k) for k in key if k is not None)


def _stale_lines(
    summaries: dict[str, dict[tuple[Any, ...], tuple[str, int, date]]], days: int, today: date
) -> list[str]:
    """:meth:`PricingCatalog.stale_summary` of the merged rows' summaries."""
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"days: {days!r} -> a whole number >= 0")
    stale: list[tuple[date, str, int, str, tuple[Any, ...]]] = []
    totals: collections.Counter[str] = collections.Counter()
    cutoff = today - timedelta(days=days)  # older than `days` days: as_of before this
    for kind, rows in summaries.items():
        totals.update(file for file, _, _ in rows.values())
        stale += [(a, f, n, kind, k) for k, (f, n, a) in rows.items() if a < cutoff]
    stale.sort(key=lambda r: (r[0], r[1], r[2]))
    by_file: dict[str, list[tuple[str, str, str]]] = {}
    for as_of, file, line, kind, key in stale:
        shown = by_file.setdefault(file, [])
        label = _label(ALL_SPECS[kind], key) if len(shown) < 3 else ""
        shown.append((label, as_of.isoformat(), str(line)))
    return summary_lines(by_file, totals, days)
