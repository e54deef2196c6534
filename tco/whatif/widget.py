"""``tco.explore``: sliders for the main drivers, the cumulative chart and the answer, live.

The chart is drawn once on a matplotlib figure of its own (no pyplot, so nothing is shown
twice in a notebook); each slider move updates the lines, the break-even marker and the
savings arrow in place and sends the figure to an ``ipywidgets.Image`` as a PNG.
"""

from __future__ import annotations

import html
import io
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tco.analysis.money import as_currency
from tco.analysis.question import Question
from tco.core.money import format_money
from tco.core.option import Option
from tco.core.parts import CapexView
from tco.core.usage import Usage
from tco.plot.format import (
    money_axis_label,
    money_formatter,
    month_axis,
    option_colors,
    wrap,
)
from tco.whatif.engine import Answer, WhatIf

if TYPE_CHECKING:
    from tco.pricing.currency import CurrencyLike

__all__ = ["Explorer", "explore"]

INSTALL = "pip install 'tco[notebook]'"
"""What to install for the widgets."""


def _widgets() -> Any:
    try:
        import ipywidgets
    except ImportError:
        raise ImportError(
            f"tco.explore needs ipywidgets, which is not installed: {INSTALL} "
            "(or pip install ipywidgets), then restart the kernel"
        ) from None
    return ipywidgets


def explore(
    baseline: Option | Question,
    candidate: Option | None = None,
    usage: Usage | None = None,
    *,
    discount_rate: float = 0.0,
    capex: CapexView = "cash",
    credit_residual: bool = False,
    currency: CurrencyLike = None,
    variants: Mapping[str, Option] | None = None,
) -> Explorer:
    """A what-if you can drag: sliders for the main drivers, the chart and answer live.

    Sliders move token volume, monthly growth, API prices and their yearly decline, GPU
    prices, throughput, planned utilisation and staff, each through the parameters the
    options and usage declare (so strategies and any option type work); drivers without
    parameters in the comparison get no slider. Every move recomputes the break-even and
    the savings through the ledger and redraws the cumulative cost.

    Parameters
    ----------
    baseline, candidate : Option
        The two options (or a :class:`tco.Question` in place of all three arguments).
    usage : Usage
    discount_rate, capex, credit_residual
        As in :func:`tco.break_even`.
    currency : str, optional
        Show money in this currency (an ISO code of the catalog's ``fx.csv``).
    variants : mapping of str -> Option, optional
        Other candidates to choose from in a dropdown (the candidate given comes first),
        e.g. one fleet built for each latency tier: ``{tier: tco.SelfHosted.from_catalog(
        prices, model=..., gpu=..., latency=tier) for tier in ("server", "interactive")}``.
        The sliders keep their positions when another candidate is chosen.

    Returns
    -------
    Explorer
        Displays itself in Jupyter; ``set(gpu_price=1.5)`` moves sliders from code and
        ``choose("server")`` picks a variant.

    Raises
    ------
    ImportError
        Without ipywidgets, naming what to install (``pip install 'tco[notebook]'``).
    """
    widgets = _widgets()
    if isinstance(baseline, Question):
        question = baseline
    else:
        if candidate is None or usage is None:
            raise TypeError("explore: give baseline, candidate and usage, or a tco.Question")
        question = Question(baseline, candidate, usage, discount_rate, capex, credit_residual)
    return Explorer(WhatIf(question), widgets, currency, variants)


class Explorer:
    """The widget of :func:`explore`: sliders, the answer in words and the chart.

    Attributes
    ----------
    what : WhatIf
        The arithmetic (drivers and the ledger).
    sliders : dict
        Driver key -> its ipywidgets slider.
    answer : Answer
        The answer for the sliders' current positions.
    widget : ipywidgets.Box
        What a notebook displays.
    """

    def __init__(
        self,
        what: WhatIf,
        widgets: Any,
        currency: CurrencyLike = None,
        variants: Mapping[str, Option] | None = None,
    ) -> None:
        self.what = what
        self.currency = as_currency(currency)
        self.sliders = {key: _slider(widgets, d) for key, d in what.drivers.items()}
        self.text = widgets.HTML()
        self.image = widgets.Image(format="png")
        reset = widgets.Button(description="Back to the inputs as given")
        reset.on_click(lambda _: self.reset())
        self.variants = {what.names[1]: what.question.candidate, **dict(variants or {})}
        self.choice = widgets.Dropdown(options=list(self.variants), description="Candidate")
        self.choice.observe(lambda change: self.choose(change["new"]), names="value")
        controls = [self.choice] if variants else []
        panel = widgets.VBox([*controls, *self.sliders.values(), reset])
        self.widget = widgets.VBox([self.text, widgets.HBox([panel, self.image])])
        self._chart = self._new_chart()
        self.answer = what.answer({})
        self._show()
        for slider in self.sliders.values():
            slider.observe(self._changed, names="value")

    def _new_chart(self) -> _Chart:
        discounted = self.what.comparison.discount_rate != 0
        horizon = self.what.comparison.horizon
        return _Chart(self.what.names, horizon, self.currency, discounted)

    def choose(self, variant: str) -> Answer:
        """Compare the baseline with another candidate (a key of ``variants``)."""
        if variant not in self.variants:
            raise KeyError(
                f"{variant!r} is not a candidate here; choose from {list(self.variants)}"
            )
        if self.choice.value != variant:
            self.choice.value = variant  # the dropdown's callback comes back here
            return self.answer
        q = self.what.question
        self.what = WhatIf(q.with_options(q.baseline, self.variants[variant]))
        self._chart = self._new_chart()
        return self.update()

    def settings(self) -> dict[str, float]:
        """The sliders' positions, by driver key."""
        return {key: float(s.value) for key, s in self.sliders.items()}

    def set(self, **positions: float) -> Answer:
        """Move sliders (by driver key) as a user would; returns the new answer."""
        for key, value in positions.items():
            if key not in self.sliders:
                raise KeyError(f"{key!r} is not a slider here; sliders: {list(self.sliders)}")
            self.sliders[key].value = value
        return self.answer

    def reset(self) -> Answer:
        """Every slider back to its start (the inputs as given)."""
        return self.set(**{k: d.start for k, d in self.what.drivers.items()})

    def update(self) -> Answer:
        """Recompute the answer for the sliders' positions and redraw (what a move does)."""
        drivers = self.what.drivers
        kept = {
            k: v
            for k, v in self.settings().items()
            if k in drivers and drivers[k].low <= v <= drivers[k].high
        }
        self.answer = self.what.answer(kept)
        self._show()
        return self.answer

    def _changed(self, change: Mapping[str, Any]) -> None:
        self.update()

    def _show(self) -> None:
        self.image.value = self._chart.png(self.answer)
        self.text.value = f"<b>{html.escape(self.headline())}</b>"

    def headline(self) -> str:
        """The answer for the current sliders in one sentence."""
        base, cand = self.what.names
        h = self.what.comparison.horizon
        a, cur = self.answer, self.currency
        if a.months is None:
            when = f"does not break even against {base} within {h} months"
        elif a.months == 0:
            when = f"is cheaper than {base} from the start"
        else:
            when = f"breaks even against {base} in month {a.month} (after {a.months:.1f} months)"
        word = "saves" if a.savings_usd >= 0 else "costs"
        amount = format_money(cur.from_usd(abs(a.savings_usd)), cur)
        more = "" if a.savings_usd >= 0 else " more"
        npv = ""
        if self.what.comparison.discount_rate:
            npv_amount = format_money(cur.from_usd(a.npv_savings_usd), cur)
            npv = f" (NPV of the savings {npv_amount})"
        return f"{cand} {when} and {word} {amount}{more} over {h} months{npv}."

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def _slider(widgets: Any, driver: Any) -> Any:
    """A log slider for a multiplier, a linear one for a value."""
    spec = driver.spec
    style = {"description_width": "initial"}
    layout = widgets.Layout(width="380px")
    common = {"description": spec.label, "continuous_update": True, "style": style}
    if spec.scale:
        return widgets.FloatLogSlider(
            value=driver.start,
            base=10,
            min=math.log10(driver.low),
            max=math.log10(driver.high),
            step=0.01,
            readout_format=".2f",
            layout=layout,
            **common,
        )
    return widgets.FloatSlider(
        value=driver.start,
        min=driver.low,
        max=driver.high,
        step=0.01 if driver.high - driver.low <= 2 else 0.05,
        readout_format=".2f",
        layout=layout,
        **common,
    )


class _Chart:
    """The cumulative cost of both options, updated in place.

    Everything but the money axis is drawn once (the legend sits above the axes); the
    money axis (ticks, labels, grid) is drawn over that once for each range, and kept as a
    background; a move redraws only the lines, the marker and the arrow over it
    (blitting). The range comes from a ladder of round tops and changes only when the
    lines leave it or fill less than 40 % of it, so the axis does not jitter while a
    slider moves and most moves skip the costly drawing of text.
    """

    def __init__(
        self, names: tuple[str, str], horizon: int, currency: Any, discounted: bool
    ) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.names, self.horizon, self.currency = names, horizon, currency
        self.figure = Figure(figsize=(6.8, 4.0), dpi=72)
        self.canvas = FigureCanvasAgg(self.figure)
        self.figure.subplots_adjust(left=0.14, right=0.97, top=0.88, bottom=0.13)
        ax = self.figure.add_subplot()
        colors = option_colors(list(names))
        self.lines = [ax.plot([], [], lw=2, color=colors[n], label=wrap(n, 50))[0] for n in names]
        (self.marker,) = ax.plot(
            [], [], "o", ms=9, color="black", mfc="white", mew=2, zorder=5, label="break-even"
        )
        arrow = {"arrowstyle": "<->", "color": "0.2", "shrinkA": 0, "shrinkB": 0}
        self.arrow = ax.annotate("", xy=(horizon, 0), xytext=(horizon, 0), arrowprops=arrow)
        self.moving = (*self.lines, self.marker, self.arrow)
        for artist in self.moving:
            artist.set_animated(True)
        month_axis(ax, horizon, label="Months from start", first=0)
        ax.set_xlim(0, horizon * 1.02)
        ax.yaxis.set_major_formatter(money_formatter(currency))
        ax.grid(True, alpha=0.3)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.01), ncols=3, fontsize="small")
        pv = ", present value" if discounted else ""
        ax.set_ylabel(money_axis_label(f"Cumulative cost{pv} [USD]", currency))
        self.ax = ax
        self.limits: tuple[float, float] | None = None
        self.backgrounds: dict[tuple[float, float], Any] = {}
        ax.yaxis.set_animated(True)  # drawn for each range, over the rest drawn once
        self.canvas.draw()
        self.still = self.canvas.copy_from_bbox(self.figure.bbox)

    def png(self, answer: Answer) -> bytes:
        """The chart for ``answer`` as PNG bytes."""
        low, top = self._set_data(answer)
        limits = self._rescale(low, top)
        if limits not in self.backgrounds:
            self.ax.set_ylim(*limits)
            self.canvas.restore_region(self.still)
            self.ax.draw_artist(self.ax.yaxis)
            self.backgrounds[limits] = self.canvas.copy_from_bbox(self.figure.bbox)
        self.canvas.restore_region(self.backgrounds[limits])
        for artist in self.moving:
            self.ax.draw_artist(artist)
        return _png(self.canvas)

    def _set_data(self, answer: Answer) -> tuple[float, float]:
        """Lines, marker and arrow for ``answer``; the lowest and highest points of the
        lines. [currency]"""
        ends, low, top = [], 0.0, 1.0
        for line, name in zip(self.lines, self.names, strict=True):
            t, usd = answer.paths[name]
            y = self.currency.from_usd(usd)
            line.set_data(t, y)
            ends.append(float(y[-1]))
            low, top = min(low, float(y.min())), max(top, float(y.max()))
        if answer.months is None:
            self.marker.set_data([], [])
        else:
            t, usd = answer.paths[self.names[1]]
            y_star = float(self.currency.from_usd(_at(t, usd, answer.months)))
            self.marker.set_data([answer.months], [y_star])
        self.arrow.xy, self.arrow.xyann = (self.horizon, ends[1]), (self.horizon, ends[0])
        return low, top

    def _rescale(self, low: float, top: float) -> tuple[float, float]:
        """The money-axis limits: kept while the lines fit and fill 40 % of them, else the
        next round ones."""
        if self.limits is not None:
            lo, hi = self.limits
            if lo <= low and top <= hi and top - low >= 0.4 * (hi - lo):
                return self.limits
        hi = _round_up(top * 1.08)
        lo = -_round_up(-low * 1.08) if low < 0 else 0.0
        self.limits = (lo, hi)
        return self.limits


def _round_up(x: float) -> float:
    """The next round number at or above ``x`` > 0 (1, 1.5, 2, 3, 4, 5, 6, 8 x 10^k).

    Examples
    --------
    >>> _round_up(2_345.0), _round_up(0.7), _round_up(8_000.0)
    (3000.0, 0.8, 8000.0)
    """
    if x <= 0:
        return 1.0
    scale = 10.0 ** math.floor(math.log10(x))
    for step in (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if step * scale >= x * (1 - 1e-12):
            return step * scale
    return 10.0 * scale


def _png(canvas: Any) -> bytes:
    """The canvas as PNG bytes, compressed lightly (speed over size)."""
    from PIL import Image

    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buffer = io.BytesIO()
    image.save(buffer, format="png", compress_level=1)
    return buffer.getvalue()


def _at(t: Any, y: Any, when: float) -> float:
    """The cumulative cost at time ``when`` on a path (the last vertex at that time)."""
    import numpy as np

    idx = int(np.searchsorted(t, when, side="right")) - 1
    idx = max(0, min(idx, len(t) - 2))
    t0, t1, y0, y1 = float(t[idx]), float(t[idx + 1]), float(y[idx]), float(y[idx + 1])
    return y1 if t1 == t0 else y0 + (y1 - y0) * (when - t0) / (t1 - t0)
