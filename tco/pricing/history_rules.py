"""Rules between rows of ``api_price_history.csv`` and the API catalog.

Checked once the folders are merged (a user's rows override bundled rows with the same
``provider``, ``model`` and ``effective_from``):

* the rows of one model come in date order (each ``effective_from`` later than the
  model's previous row in the file; an equal date is a repeated key, reported as such);
* a model's rows agree on ``tier`` and ``deprecation_date``;
* the model is a row of ``api_models.csv`` (then ``deprecation_date`` is empty or the
  catalog's), or a retired one: its ``deprecation_date`` is given and not after today;
* no price applies from after the model's retirement.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import date

from tco.pricing.api_row import ApiPrice
from tco.pricing.problems import PricingProblem
from tco.pricing.reference_rows import PriceHistoryRow
from tco.pricing.schema import CatalogEntry

__all__ = ["history_problems"]


def history_problems(
    history: Iterable[CatalogEntry],
    api: Iterable[CatalogEntry],
    today: date,
    known: Container[str] = (),
) -> list[PricingProblem]:
    """Every broken rule of the merged history rows (see the module), in row order.

    ``known`` holds more ids of the catalog: rows without a lifecycle that a check does
    not keep (models that never retire).
    """
    catalog = {e.row.id: e.row for e in api if isinstance(e.row, ApiPrice)}
    first_of: dict[str, CatalogEntry] = {}
    last_of: dict[str, CatalogEntry] = {}
    problems: list[PricingProblem] = []
    for entry in sorted(history, key=lambda e: (e.file, e.line)):
        row = entry.row
        if not isinstance(row, PriceHistoryRow):
            continue
        first = first_of.setdefault(row.id, entry)
        found = [
            *_against_model(row, first, last_of.get(row.id)),
            *_against_catalog(
                row, catalog.get(row.id), row.id in catalog or row.id in known, today
            ),
        ]
        last_of[row.id] = entry
        problems.extend(
            PricingProblem(entry.file, entry.line, column, value, message)
            for column, value, message in found
        )
    return problems


def _against_model(
    row: PriceHistoryRow, first: CatalogEntry, previous: CatalogEntry | None
) -> list[tuple[str, str, str]]:
    """Date order and the cells every row of the model shares."""
    found = []
    if previous is not None and previous.file == first.file:
        before = previous.row.effective_from  # type: ignore[attr-defined]
        if row.effective_from <= before:
            found.append(
                (
                    "effective_from",
                    row.effective_from.isoformat(),
                    f"a date after the model's previous row ({before.isoformat()}, line "
                    f"{previous.line}): one model's rows in date order",
                )
            )
    for column in ("tier", "deprecation_date"):
        mine, theirs = getattr(row, column), getattr(first.row, column)
        if mine != theirs:
            shown = "" if theirs is None else str(theirs)
            found.append(
                (
                    column,
                    "" if mine is None else str(mine),
                    f"the same as the model's first row ({shown!r}, {first.origin})",
                )
            )
    return found


def _against_catalog(
    row: PriceHistoryRow, api: ApiPrice | None, listed: bool, today: date
) -> list[tuple[str, str, str]]:
    """A catalog model (``listed``; ``api`` its row when kept), or a retired one; no price
    after the retirement."""
    given = row.deprecation_date
    text = "" if given is None else given.isoformat()
    retires = None if api is None else api.deprecation_date
    if not listed:
        if given is None or given > today:
            return [
                (
                    "deprecation_date",
                    text,
                    f"required for a model not in api_models.csv ({row.id}): the date it "
                    f"was retired, on or before {today.isoformat()}",
                )
            ]
    elif given is not None and given != retires:
        shown = retires.isoformat() if retires else "empty"
        return [("deprecation_date", text, f"empty, or the catalog's ({shown}) for {row.id}")]
    retired = given or retires
    if retired is not None and row.effective_from >= retired:
        return [
            (
                "effective_from",
                row.effective_from.isoformat(),
                f"a date before the model's retirement ({retired.isoformat()})",
            )
        ]
    return []
