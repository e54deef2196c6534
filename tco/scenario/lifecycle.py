"""Which vendor models of a scenario retire within its horizon, and what that costs.

A vendor API option whose model has a ``deprecation_date`` inside the horizon moves to its
``successor``'s prices from the first month after the month of that date, with the option's
one-time ``migration_usd`` at the start of that month, as its own cost component
(``migration``; see :mod:`tco.options.lifecycle`, which does the costing). A successor
retiring in turn moves on to its own successor. :func:`retirements` lists those moves so
that the command line and the report can say so; it costs nothing itself.

Only the scenario's own vendor API options are looked at, not an API inside a strategy
(whose serving window may end before the date): the strategy's costs account for the move
all the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from tco.core.option import Option
from tco.core.usage import Usage
from tco.options.api import VendorAPI
from tco.options.lifecycle import month_of

__all__ = ["Retirement", "retirements"]


@dataclass(frozen=True)
class Retirement:
    """One move of a vendor API option to its model's successor.

    Attributes
    ----------
    option : str
        The scenario's option name.
    model : str
        The model that retires (the option itself, or a successor earlier in the chain).
    retires : datetime.date
        Its retirement date.
    last_month : int
        The last month it serves (0: retired before month 1). [month]
    successor : str
        The model whose prices apply from :attr:`first_month`.
    migration_usd : float
        One-time cost of the move, paid at the start of :attr:`first_month` (the
        ``migration`` cost component); 0 when retired before the start. [USD]
    first_calendar_month : datetime.date
        The calendar month of :attr:`first_month` (its first day).
    """

    option: str
    model: str
    retires: date
    last_month: int
    successor: str
    migration_usd: float
    first_calendar_month: date

    @property
    def first_month(self) -> int:
        """The first month served at the successor's prices. [month]"""
        return self.last_month + 1

    @property
    def before_start(self) -> bool:
        """Retired before month 1: the successor serves from the start, with no move."""
        return self.last_month == 0


def _add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def retirements(options: Mapping[str, Option], usage: Usage) -> list[Retirement]:
    """The moves of vendor API options to their models' successors within the horizon.

    Parameters
    ----------
    options : mapping of str to Option
        The scenario's options by name; only :class:`~tco.VendorAPI` ones can retire.
    usage : Usage
        Its ``first_month`` (``calendar_start``, else the current month) places the dates.

    Returns
    -------
    list of Retirement
        In option order, each chain in date order. A model retiring in the last month of
        the horizon or later moves nothing (the horizon ends first); one with no known
        successor is left out (costing it is an error that names the date).

    Examples
    --------
    >>> from datetime import date
    >>> import tco
    >>> new = tco.VendorAPI("new-model", input_usd_per_mtok=1.0, output_usd_per_mtok=4.0)
    >>> old = tco.VendorAPI("old", input_usd_per_mtok=2.0, output_usd_per_mtok=8.0,
    ...                     deprecation_date=date(2027, 1, 14), successor=new,
    ...                     migration_usd=20_000)
    >>> usage = tco.Usage.constant(1e9, months=12, output_share=0.25,
    ...                            calendar_start=date(2026, 12, 1))
    >>> [(r.model, r.last_month, r.first_month, r.successor, r.migration_usd)
    ...  for r in retirements({"old": old}, usage)]
    [('old', 2, 3, 'new-model', 20000.0)]
    """
    start = usage.first_month
    found: list[Retirement] = []
    for name, option in options.items():
        api = option
        model = name
        while isinstance(api, VendorAPI) and api.deprecation_date is not None:
            last = month_of(api.deprecation_date, start)
            successor = api.successor
            if last >= usage.horizon or successor is None:
                break
            before = last < 1
            found.append(
                Retirement(
                    option=name,
                    model=model,
                    retires=api.deprecation_date,
                    last_month=max(last, 0),
                    successor=successor.name,
                    migration_usd=0.0 if before else float(api.migration_usd),
                    first_calendar_month=_add_months(start, max(last, 0)),
                )
            )
            api, model = successor, successor.name
    return found
