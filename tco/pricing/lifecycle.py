"""Model lifecycle: retirement dates and successors of ``api_models.csv`` rows.

A row's ``deprecation_date`` is the day the provider retires the model and its
``successor`` the ``provider/model`` id to move to. Relative to a reference date a model is

* ``retired``: its deprecation date is on or before the date;
* ``retiring``: it retires within :data:`RETIRING_WITHIN_DAYS` days after the date;
* ``current``: otherwise (no date, or a later one).

:func:`successor_problems` checks the rules between rows once the catalog is merged (a
successor is a row of the catalog, chains have no cycles, a successor retires after its
predecessor or not at all); :func:`warn_retired` is the :class:`RetiredModelWarning` a
look-up of a retired model gives.
"""

from __future__ import annotations

import difflib
import warnings
from collections.abc import Container, Iterable, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tco.pricing.api_row import ApiPrice
from tco.pricing.problems import PricingProblem, RetiredModelWarning
from tco.pricing.schema import CatalogEntry

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = [
    "LIFECYCLE_COLUMNS",
    "RETIRING_WITHIN_DAYS",
    "lifecycle_lines",
    "lifecycle_status",
    "lifecycle_table",
    "retired_message",
    "successor_chain",
    "successor_problems",
    "warn_retired",
]

RETIRING_WITHIN_DAYS = 90
"""A model whose deprecation date is at most this many days away is ``retiring``. [days]"""

LIFECYCLE_COLUMNS = ["id", "deprecation_date", "successor", "status", "days_left", "origin"]
"""Columns of the table :func:`lifecycle_table` returns."""


def lifecycle_status(
    deprecation_date: date | None, today: date, within_days: int = RETIRING_WITHIN_DAYS
) -> str:
    """``retired``, ``retiring`` or ``current`` on ``today``.

    Examples
    --------
    >>> today = date(2026, 11, 30)
    >>> [lifecycle_status(d, today) for d in (date(2026, 11, 30), date(2027, 1, 14), None)]
    ['retired', 'retiring', 'current']
    >>> lifecycle_status(date(2027, 3, 1), today)  # 91 days away
    'current'
    """
    if deprecation_date is None:
        return "current"
    if deprecation_date <= today:
        return "retired"
    if deprecation_date <= today + timedelta(days=within_days):
        return "retiring"
    return "current"


def lifecycle_table(
    entries: Iterable[CatalogEntry], today: date, within_days: int = RETIRING_WITHIN_DAYS
) -> pd.DataFrame:
    """Every API row's lifecycle on ``today``, soonest deprecation first.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LIFECYCLE_COLUMNS`: ``id``, ``deprecation_date`` (a datetime, NaT
        when none is announced), ``successor`` (None when none is named), ``status``
        (``retired``, ``retiring``, ``current``), ``days_left`` [days] until the deprecation
        date (negative once retired; missing without a date) and ``origin`` (``file:line``).
        Rows without a date come last, in file order.
    """
    records = []
    for e in entries:
        row = e.row
        if not isinstance(row, ApiPrice):
            continue
        when = row.deprecation_date
        records.append(
            {
                "id": row.id,
                "deprecation_date": pd.Timestamp(when) if when else pd.NaT,
                "successor": row.successor,
                "status": lifecycle_status(when, today, within_days),
                "days_left": (when - today).days if when else None,
                "origin": e.origin,
            }
        )
    df = pd.DataFrame.from_records(records, columns=LIFECYCLE_COLUMNS)
    df["deprecation_date"] = pd.to_datetime(df["deprecation_date"])
    df["days_left"] = df["days_left"].astype("Int64")
    df = df.sort_values("deprecation_date", kind="stable", na_position="last")
    return df.reset_index(drop=True)


def retired_message(row: ApiPrice, today: date) -> str:
    """What the warning for a retired model says.

    Examples
    --------
    >>> row = ApiPrice(provider="openai", model="o1", input_usd_per_mtok=15,
    ...                output_usd_per_mtok=60, source="s", as_of="2026-07-24",
    ...                deprecation_date="2026-10-23", successor="openai/gpt-5.6-sol")
    >>> retired_message(row, date(2026, 11, 30))
    'openai/o1 was retired on 2026-10-23 (38 days before 2026-11-30); successor: openai/gpt-5.6-sol'
    """
    when = row.deprecation_date
    assert when is not None  # callers check
    days = (today - when).days
    after = f"successor: {row.successor}" if row.successor else "no successor is named"
    return (
        f"{row.id} was retired on {when.isoformat()} ({days} days before "
        f"{today.isoformat()}); {after}"
    )


def warn_retired(row: ApiPrice, today: date, stacklevel: int = 2) -> None:
    """A :class:`RetiredModelWarning` when ``row`` is retired on ``today``; else nothing.

    ``stacklevel`` counts as for :func:`warnings.warn` from the caller of this function.
    """
    if row.deprecation_date is not None and row.deprecation_date <= today:
        warnings.warn(retired_message(row, today), RetiredModelWarning, stacklevel=stacklevel + 1)


def successor_chain(rows: Mapping[str, ApiPrice], id: str) -> list[str]:
    """The ids that follow ``id`` through ``successor``, nearest first (cycles stop it).

    Examples
    --------
    >>> def row(model, successor=None):
    ...     return ApiPrice(provider="p", model=model, input_usd_per_mtok=1,
    ...                     output_usd_per_mtok=1, source="s", as_of="2026-01-01",
    ...                     successor=successor)
    >>> rows = {r.id: r for r in (row("a", "p/b"), row("b", "p/c"), row("c"))}
    >>> successor_chain(rows, "p/a")
    ['p/b', 'p/c']
    """
    chain: list[str] = []
    seen = {id}
    current = rows.get(id)
    while current is not None and current.successor and current.successor not in seen:
        chain.append(current.successor)
        seen.add(current.successor)
        current = rows.get(current.successor)
    return chain


def successor_problems(
    entries: Iterable[CatalogEntry], known: Container[str] = ()
) -> list[PricingProblem]:
    """The rules between rows of the merged API table, one problem per bad ``successor``.

    A successor must be a row of the catalog (after overrides), chains of successors must
    not loop, and a successor must retire after its predecessor or not at all (else the
    move would land on a retired model). ``known`` holds more ids of the catalog, rows
    without a lifecycle that a check does not keep (they never retire).
    """
    by_id: dict[str, CatalogEntry] = {}
    for e in entries:
        if isinstance(e.row, ApiPrice):
            by_id[e.row.id] = e
    problems = []
    reported_cycles: set[frozenset[str]] = set()
    for entry in by_id.values():
        row = entry.row
        assert isinstance(row, ApiPrice)
        if row.successor is None:
            continue
        if row.successor not in by_id and row.successor in known:
            continue  # a catalog model that never retires
        message = _successor_rule(row, by_id, reported_cycles)
        if message:
            problems.append(
                PricingProblem(entry.file, entry.line, "successor", row.successor, message)
            )
    return problems


def _successor_rule(
    row: ApiPrice, by_id: Mapping[str, CatalogEntry], reported_cycles: set[frozenset[str]]
) -> str | None:
    """What is wrong with ``row``'s successor (None: nothing)."""
    assert row.successor is not None
    target = by_id.get(row.successor)
    if target is None:
        close = difflib.get_close_matches(row.successor, sorted(by_id), n=3, cutoff=0.6)
        hint = f" (closest: {', '.join(close)})" if close else ""
        return f"a provider/model id of api_models.csv{hint}"
    cycle = _cycle_from(row.id, by_id)
    if cycle is not None:
        key = frozenset(cycle)
        if key in reported_cycles:
            return None
        reported_cycles.add(key)
        return "a successor chain without a cycle (" + " -> ".join([*cycle, cycle[0]]) + ")"
    after = target.row.deprecation_date  # type: ignore[attr-defined]
    if row.deprecation_date is not None and after is not None and after <= row.deprecation_date:
        return (
            f"a model that retires after this one ({row.deprecation_date.isoformat()}) or "
            f"not at all; {row.successor} retires on {after.isoformat()}"
        )
    return None


def _cycle_from(start: str, by_id: Mapping[str, CatalogEntry]) -> list[str] | None:
    """The cycle ``start`` lies on, starting at ``start``; None when it lies on none."""
    path = [start]
    current = by_id[start].row.successor  # type: ignore[attr-defined]
    while current is not None and current in by_id:
        if current == start:
            return path
        if current in path:
            return None  # a cycle further on, reported at its own rows
        path.append(current)
        current = by_id[current].row.successor  # type: ignore[attr-defined]
    return None


def lifecycle_lines(
    entries: Iterable[CatalogEntry], today: date, within_days: int = RETIRING_WITHIN_DAYS
) -> list[str]:
    """One line per retired (``warning:``) and retiring (``note:``) API model, soonest
    first (no pandas: a check of a large catalog does not load it).

    Examples
    --------
    >>> from tco.pricing.schema import CatalogEntry
    >>> row = ApiPrice(provider="p", model="old", input_usd_per_mtok=1, output_usd_per_mtok=1,
    ...                source="s", as_of="2026-01-01", deprecation_date="2026-02-01")
    >>> lifecycle_lines([CatalogEntry(row, "api.csv", 2)], date(2026, 3, 1))
    ['warning: p/old retired on 2026-02-01; no successor named (api.csv:2)']
    """
    dated = [
        (e.row.deprecation_date, e)
        for e in entries
        if isinstance(e.row, ApiPrice) and e.row.deprecation_date is not None
    ]
    lines = []
    for when, e in sorted(dated, key=lambda pair: pair[0]):
        row = e.row
        assert isinstance(row, ApiPrice)
        status = lifecycle_status(when, today, within_days)
        after = f"successor {row.successor}" if row.successor else "no successor named"
        where = f"{after} ({e.origin})"
        if status == "retired":
            lines.append(f"warning: {row.id} retired on {when.isoformat()}; {where}")
        elif status == "retiring":
            days = (when - today).days
            lines.append(f"note: {row.id} retires on {when.isoformat()} (in {days} days); {where}")
    return lines
