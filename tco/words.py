"""How figures read in words and tables: dollars, and the break-even volume."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tco.analysis.volume import VolumeBreakEven

__all__ = ["VOLUME_COSTS", "usd", "volume_words"]


def usd(x: float) -> str:
    """Whole US dollars with thousands separators; ``n/a`` for a non-finite amount.

    >>> usd(54000.4), usd(float("inf"))
    ('$54,000', 'n/a')
    """
    return f"${x:,.0f}" if math.isfinite(x) else "n/a"


VOLUME_COSTS = " ({baseline} {baseline_cost}, {candidate} {candidate_cost} at that volume)"
"""How :func:`volume_words` states each side's cost at the break-even volume, in a report."""


def volume_words(volume: VolumeBreakEven, costs: str = VOLUME_COSTS) -> str:
    """The break-even volume in words.

    Parameters
    ----------
    volume : VolumeBreakEven
        The answer of :func:`tco.break_even_volume`.
    costs : str
        Format string for each side's cost at that volume, appended after
        ``... tokens/month``; it may use ``{baseline}`` and ``{candidate}`` (option names)
        and ``{baseline_cost}`` and ``{candidate_cost}`` (such as ``$0.123/MTok``).

    Examples
    --------
    >>> from tco import VolumeBreakEven
    >>> volume = VolumeBreakEven("api", "fleet", 4.2e9, None, 2.5, 2.1, 10_500, 8_820)
    >>> print(volume_words(volume))
    fleet is cheaper per month from 4.2e+09 tokens/month (api $2.500/MTok, fleet
    $2.100/MTok at that volume)
    """
    if volume.tokens_per_month is None:
        return f"none ({volume.reason})"
    if volume.tokens_per_month == 0:
        return f"{volume.candidate} is cheaper per month at every volume"
    at_that_volume = costs.format(
        baseline=volume.baseline,
        candidate=volume.candidate,
        baseline_cost=f"${volume.baseline_usd_per_mtok:.3f}/MTok",
        candidate_cost=f"${volume.candidate_usd_per_mtok:.3f}/MTok",
    )
    return (
        f"{volume.candidate} is cheaper per month from {volume.tokens_per_month:.3g} "
        f"tokens/month{at_that_volume}"
    )
