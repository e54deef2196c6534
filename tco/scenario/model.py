"""A scenario: a usage curve and named options, what to compare, and how sure to be."""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tco.analysis.breakeven import BreakEven, break_even
from tco.analysis.paths import ParameterSpace, is_number
from tco.analysis.question import Question
from tco.analysis.simulate import Simulation, simulate
from tco.analysis.volume import VolumeBreakEven, break_even_volume
from tco.core.option import Option
from tco.core.usage import Usage
from tco.options.routed import TaskClass
from tco.scenario.build import (
    ScenarioError,
    ScenarioMeta,
    build_options,
    check_roles,
    lazy_prices,
    task_classes,
    validated,
)

if TYPE_CHECKING:
    from tco.analysis.montecarlo import MonteCarloResult
    from tco.analysis.recommend import Recommendation
    from tco.analysis.tornado import TornadoResult
    from tco.core.money import Currency
    from tco.scenario.lifecycle import Retirement

__all__ = ["Scenario"]


@dataclass(frozen=True)
class Scenario:
    """A usage curve and named options, with what to compare.

    Examples
    --------
    >>> import tco
    >>> s = tco.Scenario.from_dict({
    ...     "scenario": {"baseline": "api", "candidate": "cheap"},
    ...     "usage": {"output_share": 0.5, "curve": {"kind": "constant", "tokens": 1e9,
    ...                                                "months": 12}},
    ...     "options": {
    ...         "api": {"type": "api", "input_usd_per_mtok": 3, "output_usd_per_mtok": 15},
    ...         "cheap": {"type": "api", "input_usd_per_mtok": 1, "output_usd_per_mtok": 5,
    ...                   "setup_usd": 18000}}})
    >>> s.break_even().months
    3.0
    """

    meta: ScenarioMeta
    usage: Usage
    options: dict[str, Option]
    path: Path | None = field(default=None, compare=False)
    task_classes: tuple[TaskClass, ...] = ()
    capabilities: dict[str, Any] = field(default_factory=dict)
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Uncertainty ranges by parameter path (``[ranges]``): (low, high)."""
    prices: Callable[[], Any] | None = field(default=None, compare=False, repr=False)
    """The scenario's pricing catalog, loaded on first call (None: the bundled one)."""

    @property
    def name(self) -> str:
        return self.meta.name

    @property
    def discount_rate(self) -> float:
        return self.meta.discount_rate

    @property
    def baseline(self) -> Option:
        """The baseline option (``scenario.baseline``, else the first option)."""
        return self.options[self.meta.baseline or next(iter(self.options))]

    @property
    def candidate(self) -> Option:
        """The candidate option (``scenario.candidate``, else the second option)."""
        if self.meta.candidate:
            return self.options[self.meta.candidate]
        names = list(self.options)
        if len(names) < 2:
            raise ScenarioError("scenario.candidate: needs at least two options to compare")
        return self.options[names[1]]

    @property
    def question(self) -> Question:
        """The candidate against the baseline, counted as the ``[scenario]`` table says."""
        return Question(
            self.baseline, self.candidate, self.usage, self.discount_rate, **self._accounting
        )

    def tornado(self, metric: str = "months") -> TornadoResult:
        """Each ``[ranges]`` input at its low and high value (see :func:`tco.tornado`)."""
        from tco.analysis.tornado import tornado

        if not self.ranges:
            raise ScenarioError("ranges: none given -> add a [ranges] table to the scenario")
        return tornado(self.question, self.ranges, metric)

    def monte_carlo(self, n: int = 10_000, seed: int | None = 0) -> MonteCarloResult:
        """Draws of the ``[ranges]`` inputs, each uniform between its low and high value
        and independent of the others (see :func:`tco.monte_carlo`)."""
        if not self.ranges:
            raise ScenarioError("ranges: none given -> add a [ranges] table to the scenario")
        from scipy import stats  # imported here: scipy.stats takes a while to load

        from tco.analysis.montecarlo import monte_carlo

        dists = {p: stats.uniform(lo, hi - lo) for p, (lo, hi) in self.ranges.items()}
        return monte_carlo(self.question, dists, n=n, seed=seed)

    def currency(self, code: str | None = None, *, field: str = "currency") -> Currency:
        """The currency money is shown in: ``code`` (a ``--currency`` option), else the
        ``[scenario]`` table's ``currency``, else US dollars. Rates come from the
        scenario's catalog (``fx.csv`` of its ``pricing`` folder, or the bundled one).

        Raises
        ------
        ValueError
            For an unknown code: the message names ``field``, the value and the known ones.

        Examples
        --------
        >>> import tco
        >>> s = tco.Scenario.from_toml(tco.scenario.example_path("demo"))
        >>> s.currency().code, s.currency("eur").code
        ('USD', 'EUR')
        """
        from tco.pricing.currency import currency

        value = self.meta.currency if code is None else code
        return currency(value, None if self.prices is None else self.prices(), field=field)

    def retirements(self) -> list[Retirement]:
        """Vendor API options whose model retires within the horizon, one entry per move
        to a successor (see :func:`tco.scenario.lifecycle.retirements`)."""
        from tco.scenario.lifecycle import retirements

        return retirements(self.options, self.usage)

    @property
    def _accounting(self) -> dict[str, Any]:
        """The ``[scenario]`` choices every costing takes: capex view, residual credit."""
        return {"capex": self.meta.capex, "credit_residual": self.meta.credit_residual}

    def simulate(self) -> Simulation:
        """Every option costed against the usage."""
        return simulate(
            list(self.options.values()), self.usage, self.discount_rate, **self._accounting
        )

    def break_even(self) -> BreakEven:
        """Break-even of the candidate against the baseline."""
        return break_even(
            self.baseline, self.candidate, self.usage, self.discount_rate, **self._accounting
        )

    def break_even_volume(self) -> VolumeBreakEven:
        """Steady monthly volume from which the candidate is cheaper per month."""
        return break_even_volume(self.baseline, self.candidate, self.usage)

    def recommend(self, **kwargs: Any) -> Recommendation:
        """Every option and the best strategies ranked (see :func:`tco.recommend`)."""
        from tco.analysis.recommend import recommend  # the ranking: loaded when asked

        kwargs = {"data_must_stay": self.meta.data_must_stay, **self._accounting, **kwargs}
        if self.task_classes:
            kwargs.setdefault("task_classes", self.task_classes)
            kwargs.setdefault("capabilities", self.capabilities)
        return recommend(
            self.usage,
            list(self.options.values()),
            discount_rate=kwargs.pop("discount_rate", self.discount_rate),
            **kwargs,
        )

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Load and validate a scenario file."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ScenarioError(f"{path}: no such scenario file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioError(f"{path}: cannot read ({exc})") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ScenarioError(f"{path}: not valid TOML ({exc})") from None
        return cls.from_dict(data, source=path)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: Path | None = None) -> Scenario:
        """Build from a mapping shaped like the TOML file."""
        where = f"{source}: " if source else ""
        unknown = set(data) - {"scenario", "usage", "options", "task_classes", "ranges"}
        if unknown:
            raise ScenarioError(
                f"{where}unknown table(s) {sorted(unknown)} -> allowed: scenario, usage, "
                "options, task_classes, ranges"
            )
        for name in ("scenario", "usage", "options", "task_classes", "ranges"):
            if name in data and not isinstance(data[name], Mapping):
                raise ScenarioError(
                    f"{where}{name}: {data[name]!r} -> a table: [{name}] with its fields"
                )
        meta = validated(where, "scenario", lambda: ScenarioMeta(**data.get("scenario", {})))
        if "usage" not in data:
            raise ScenarioError(f"{where}usage: missing -> add a [usage] table with a curve")
        usage = validated(where, "usage", lambda: Usage.model_validate(data["usage"]))
        tables = data.get("options") or {}
        if not tables:
            raise ScenarioError(f"{where}options: missing -> add at least one [options.NAME]")
        prices = lazy_prices(meta.pricing, source)
        options, capabilities = build_options(where, tables, prices)
        classes = task_classes(where, data.get("task_classes") or {})
        check_roles(where, meta, options)
        scenario = cls(
            meta=meta,
            usage=usage,
            options=options,
            path=source,
            task_classes=classes,
            capabilities=capabilities,
            prices=prices,
        )
        if meta.currency is not None:
            _check_currency(scenario, f"{where}scenario.currency")
        if "ranges" not in data:
            return scenario
        ranges = validated(where, "ranges", lambda: _ranges(data["ranges"], scenario.question))
        return replace(scenario, ranges=ranges)


def _check_currency(scenario: Scenario, field: str) -> None:
    """``[scenario] currency`` names a currency of the scenario's catalog."""
    from tco.pricing.problems import PricingError

    try:
        scenario.currency(field=field)
    except PricingError:  # the pricing folder itself has problems: reported as such
        raise
    except ValueError as exc:
        raise ScenarioError(str(exc)) from None


def _ranges(table: Any, question: Question) -> dict[str, tuple[float, float]]:
    """``[ranges]``: declared parameter paths of the question, each with (low, high) values
    the models accept."""
    if not isinstance(table, Mapping):
        raise ScenarioError(f"{table!r} -> a table of parameter path = [low, high]")
    space = ParameterSpace(question.baseline, question.candidate, question.usage)
    out: dict[str, tuple[float, float]] = {}
    for path, pair in table.items():
        param = space.resolve(path)
        if not (isinstance(pair, list) and len(pair) == 2) or not all(map(is_number, pair)):
            raise ScenarioError(f"{path}: {pair!r} -> [low, high], two numbers")
        low, high = (float(v) for v in space.check(param, pair, "range"))
        if low > high:
            raise ScenarioError(f"{path}: {pair!r} -> low first, then high")
        out[path] = (low, high)
    return out
