"""What a report says, computed once for both of its pages (Markdown and HTML).

:func:`gather` costs the scenario (break-even, break-even volume, every option), asks
:func:`tco.recommend` for its ranking and exclusions, lists the models that retire within
the horizon and the sources with their dates, and runs the Monte Carlo of
:mod:`tco.report.uncertainty`. Nothing is written here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from tco.analysis.breakeven import BreakEven
from tco.analysis.simulate import Simulation
from tco.analysis.volume import VolumeBreakEven
from tco.core.money import USD, Currency
from tco.pricing import STALE_AFTER_DAYS
from tco.report.uncertainty import DRAWS, Uncertainty, uncertainty
from tco.scenario import Scenario
from tco.scenario.lifecycle import Retirement
from tco.words import money, per_mtok, source_date

if TYPE_CHECKING:
    from tco.analysis.recommend import Recommendation

__all__ = ["Facts", "Source", "gather", "recommendation_headline", "recommends"]


@dataclass(frozen=True)
class Source:
    """One source of an option's figures, with the date it was checked.

    Attributes
    ----------
    option : str
    text : str
        As the catalog or the scenario file gives it.
    checked : datetime.date or None
        The ``(YYYY-MM-DD)`` it ends with; None when it states no date.
    age_days : int or None
        Days from ``checked`` to the report's date. [days]
    stale : bool
        Older than :data:`tco.pricing.STALE_AFTER_DAYS` (180 days).
    """

    option: str
    text: str
    checked: date | None
    age_days: int | None
    stale: bool


@dataclass(frozen=True)
class Facts:
    """Everything a report shows, in US dollars, and the currency it is shown in."""

    scenario: Scenario
    result: BreakEven
    volume: VolumeBreakEven
    simulation: Simulation
    recommendation: Recommendation
    leads: bool
    """Whether the recommendation is the answer (task classes, data that must stay)."""
    retirements: tuple[Retirement, ...]
    sources: tuple[Source, ...]
    uncertainty: Uncertainty | None
    currency: Currency
    today: date

    @property
    def headline(self) -> str:
        """The one-answer sentence: what ``tco report`` prints and both pages lead with."""
        if self.leads:
            return recommendation_headline(self.recommendation, self.currency)
        return self.result.headline(currency=None if self.currency.is_usd else self.currency)

    def money(self, usd: float) -> str:
        """An amount of US dollars, written in the report's currency."""
        return money(usd, self.currency)

    def per_mtok(self, usd: float | None) -> str:
        """A price per million tokens in US dollars, in the report's currency."""
        return per_mtok(usd, self.currency)

    @property
    def stale_sources(self) -> list[Source]:
        return [s for s in self.sources if s.stale]


def recommends(scenario: Scenario) -> bool:
    """Whether ``tco recommend`` may exclude options of this scenario (task classes, data
    that must stay): then the report leads with its answer."""
    return bool(scenario.task_classes) or scenario.meta.data_must_stay


def recommendation_headline(rec: Recommendation, currency: Currency | None = None) -> str:
    """The recommendation in one sentence, saying which figure is discounted.

    ``"Recommended: X (kind): NPV $N at 8.0 % ($T undiscounted) over 36 months; excluded:
    A, B."``
    """
    row = rec.table.to_dict(orient="index")[rec.best]
    total, npv = float(row["total_usd"]), float(row["npv_usd"])
    if rec.discount_rate:
        cost = (
            f"NPV {money(npv, currency)} at {rec.discount_rate:.1%} "
            f"({money(total, currency)} undiscounted)"
        )
    else:
        cost = f"total {money(total, currency)}"
    text = f"Recommended: {rec.best} ({row['kind']}): {cost} over {rec.horizon} months"
    if len(rec.excluded):
        text += "; excluded: " + ", ".join(rec.excluded["option"])
    return text + "."


def _sources(scenario: Scenario, today: date) -> tuple[Source, ...]:
    found = []
    for option in scenario.options.values():
        for text in option.sources:
            checked = source_date(text)
            age = None if checked is None else (today - checked).days
            stale = age is not None and age > STALE_AFTER_DAYS
            found.append(Source(option.name, text, checked, age, stale))
    return tuple(found)


def gather(
    scenario: Scenario,
    *,
    currency: Currency | None = None,
    today: date | None = None,
    draws: int = DRAWS,
) -> Facts:
    """Cost, rank and vary a scenario for its report (see the module)."""
    today = today or date.today()
    result = scenario.break_even()
    volume = scenario.break_even_volume()
    full = scenario.simulate()
    rec = scenario.recommend(currency=currency)
    return Facts(
        scenario=scenario,
        result=result,
        volume=volume,
        simulation=full,
        recommendation=rec,
        leads=recommends(scenario),
        retirements=tuple(scenario.retirements()),
        sources=_sources(scenario, today),
        uncertainty=uncertainty(scenario, draws),
        currency=USD if currency is None else currency,
        today=today,
    )
