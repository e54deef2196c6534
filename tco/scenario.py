"""Scenario files (TOML): a usage curve and the options to compare, by name.

A scenario file has three parts::

    [scenario]                       # what to compare and how
    name = "Support bot: API or Llama?"
    baseline = "gpt-4o"              # option names below
    candidate = "llama-70b"
    discount_rate = 0.08             # annual; optional
    pricing = "my_prices/"           # optional folder overriding the bundled catalog

    [usage]                          # any tco.Usage field
    output_share = 0.25
    [usage.curve]                    # kind: constant | linear | compound | logistic | series
    kind = "compound"
    start = 2e9
    monthly_growth = 0.08
    months = 36

    [options.gpt-4o]                 # type: api | self_hosted
    type = "api"
    catalog = "openai/gpt-4o"        # optional: start from a catalog row
    batch_share = 0.2                # any VendorAPI field overrides it

    [options.llama-70b]
    type = "self_hosted"
    catalog = { model = "meta-llama/Llama-3.3-70B-Instruct", gpu = "H100-SXM" }
    staff_fte = 1.0                  # any SelfHosted field

Strategies refer to options defined above them by name (``tco recommend`` adds the best
switch and overflow by itself)::

    [options.move-at-8]              # type: switch | switch_on_volume | overflow
    type = "switch"
    first = "gpt-4o"
    then = "llama-70b"
    month = 8                        # switch_on_volume: threshold_tokens_per_month = 5e9
                                     # overflow: fleet = ..., api = ..., max_replicas = 4

For task-class routing (``tco recommend``), give each option a ``capability`` (a tier
``basic | strong | frontier`` or a benchmark score, or a table class -> capability) and
describe the classes (``data_must_stay = true`` in ``[scenario]`` applies to all)::

    [task_classes.extraction]        # any tco.TaskClass field
    share = 0.7
    need = "basic"
    output_share = 0.1

Files are parsed (tomllib), validated with pydantic, never executed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tco.analysis.breakeven import BreakEven, break_even
from tco.analysis.recommend import Recommendation, recommend
from tco.analysis.simulate import Simulation, simulate
from tco.analysis.volume import VolumeBreakEven, break_even_volume
from tco.core.option import Option
from tco.core.usage import Usage
from tco.options.api import VendorAPI
from tco.options.hosting import SelfHosted
from tco.options.overflow import Overflow
from tco.options.routed import TaskClass, check_classes
from tco.options.switch import Switch, SwitchOnVolume

EXAMPLES_DIR = Path(__file__).parent / "examples"
"""Bundled example scenarios."""


class ScenarioError(ValueError):
    """A scenario file or mapping is invalid; the message names the file and the field."""


class ScenarioMeta(BaseModel):
    """The ``[scenario]`` table."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = "Scenario"
    description: str = ""
    baseline: str | None = None
    candidate: str | None = None
    discount_rate: float = Field(default=0.0, gt=-1.0, le=10.0, allow_inf_nan=False)
    capex: Literal["cash", "amortized"] = "cash"
    credit_residual: bool = False
    pricing: str | None = None
    data_must_stay: bool = False


OptionBuilder = Callable[[str, dict[str, Any], Any], Option]
"""Builds an option from its name, its table (without ``type``) and the pricing catalog."""


def _api(name: str, table: dict[str, Any], prices: Any) -> Option:
    catalog_id = table.pop("catalog", None)
    if catalog_id is None:
        return VendorAPI(name=name, **table)
    return prices().vendor_api(catalog_id, name=name, **table)


def _self_hosted(name: str, table: dict[str, Any], prices: Any) -> Option:
    ref = table.pop("catalog", None)
    if ref is None:
        return SelfHosted(name=name, **table)
    if not isinstance(ref, Mapping):
        raise ScenarioError(
            f"catalog: {ref!r} -> a table such as {{ model = ..., gpu = ... }} for self_hosted"
        )
    return SelfHosted.from_catalog(prices(), name=name, **dict(ref), **table)


OPTION_TYPES: dict[str, OptionBuilder] = {"api": _api, "self_hosted": _self_hosted}
"""Option ``type`` values a scenario file may use; strategies register theirs here."""


def _ref(table: dict[str, Any], key: str, options: Mapping[str, Option]) -> Option:
    ref = table.pop(key, None)
    if ref not in options:
        raise ScenarioError(f"{key}: {ref!r} -> the name of an option above: {list(options)}")
    return options[ref]


def _switch(name: str, table: dict[str, Any], options: Mapping[str, Option]) -> Option:
    first, then = _ref(table, "first", options), _ref(table, "then", options)
    return Switch(name=name, first=first, then=then, **table)


def _switch_on_volume(name: str, table: dict[str, Any], options: Mapping[str, Option]) -> Option:
    first, then = _ref(table, "first", options), _ref(table, "then", options)
    return SwitchOnVolume(name=name, first=first, then=then, **table)


def _overflow(name: str, table: dict[str, Any], options: Mapping[str, Option]) -> Option:
    fleet, api = _ref(table, "fleet", options), _ref(table, "api", options)
    return Overflow(name=name, fleet=fleet, api=api, **table)


STRATEGY_TYPES: dict[str, Callable[[str, dict[str, Any], Mapping[str, Option]], Option]] = {
    "switch": _switch,
    "switch_on_volume": _switch_on_volume,
    "overflow": _overflow,
}
"""Strategy ``type`` values: built from their table and the options defined above them."""


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
        unknown = set(data) - {"scenario", "usage", "options", "task_classes"}
        if unknown:
            raise ScenarioError(
                f"{where}unknown table(s) {sorted(unknown)} -> allowed: scenario, usage, "
                "options, task_classes"
            )
        meta = _validated(where, "scenario", lambda: ScenarioMeta(**data.get("scenario", {})))
        if "usage" not in data:
            raise ScenarioError(f"{where}usage: missing -> add a [usage] table with a curve")
        usage = _validated(where, "usage", lambda: Usage.model_validate(data["usage"]))
        tables = data.get("options") or {}
        if not tables:
            raise ScenarioError(f"{where}options: missing -> add at least one [options.NAME]")
        options, capabilities = _build_options(where, tables, _lazy_prices(meta.pricing, source))
        classes = _task_classes(where, data.get("task_classes") or {})
        _check_roles(where, meta, options)
        return cls(
            meta=meta,
            usage=usage,
            options=options,
            path=source,
            task_classes=classes,
            capabilities=capabilities,
        )


def _build_options(
    where: str, tables: Mapping[str, Any], prices: Callable[[], Any]
) -> tuple[dict[str, Option], dict[str, Any]]:
    """Every ``[options.NAME]`` built in file order, and the ``capability`` each gives."""
    options: dict[str, Option] = {}
    capabilities: dict[str, Any] = {}
    for name, table in tables.items():
        if isinstance(table, Mapping) and "capability" in table:
            table = dict(table)
            capabilities[name] = table.pop("capability")
        options[name] = _build_option(where, name, table, prices, options)
    return options, capabilities


def _task_classes(where: str, tables: Mapping[str, Any]) -> tuple[TaskClass, ...]:
    """The ``[task_classes.NAME]`` tables, checked together."""
    classes = tuple(
        _validated(
            where,
            f"task_classes.{name}",
            lambda name=name, t=t: TaskClass(name=name, **t),  # type: ignore[misc]
        )
        for name, t in tables.items()
    )
    if classes:
        _validated(where, "task_classes", lambda: check_classes(classes))
    return classes


def _check_roles(where: str, meta: ScenarioMeta, options: Mapping[str, Option]) -> None:
    """``scenario.baseline`` and ``scenario.candidate``, when given, name options."""
    for role in ("baseline", "candidate"):
        chosen = getattr(meta, role)
        if chosen is not None and chosen not in options:
            raise ScenarioError(
                f"{where}scenario.{role}: {chosen!r} -> one of the options {list(options)}"
            )


def _build_option(
    where: str, name: str, table: Any, prices: Any, options: Mapping[str, Option] | None = None
) -> Option:
    loc = f"options.{name}"
    if not isinstance(table, Mapping):
        raise ScenarioError(f"{where}{loc}: {table!r} -> a table of option fields")
    fields = dict(table)
    kind = fields.pop("type", None)
    if kind in STRATEGY_TYPES:
        strategy = STRATEGY_TYPES[kind]
        return _validated(where, loc, lambda: strategy(name, fields, dict(options or {})))
    if kind not in OPTION_TYPES:
        kinds = sorted(OPTION_TYPES) + sorted(STRATEGY_TYPES)
        raise ScenarioError(f"{where}{loc}.type: {kind!r} -> one of {kinds}")
    builder = OPTION_TYPES[kind]
    return _validated(where, loc, lambda: builder(name, fields, prices))


def _validated(where: str, loc: str, build: Callable[[], Any]) -> Any:
    try:
        return build()
    except ScenarioError as exc:
        raise ScenarioError(f"{where}{loc}: {exc}") from None
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            path = ".".join(str(p) for p in (loc, *err["loc"]))
            value = err.get("input")
            shown = "" if isinstance(value, dict) else f" {value!r} ->"
            problems.append(f"{where}{path}:{shown} {err['msg']}")
        raise ScenarioError("\n".join(problems)) from None
    except (KeyError, LookupError, ValueError, TypeError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        raise ScenarioError(f"{where}{loc}: {message}") from None


def _lazy_prices(pricing: str | None, source: Path | None) -> Callable[[], Any]:
    """Load the catalog on first use only (scenarios without catalog rows never read it)."""
    cache: dict[str, Any] = {}

    def get() -> Any:
        if "catalog" not in cache:
            from tco.pricing import load_pricing

            folder = None
            if pricing is not None:
                folder = Path(pricing)
                if not folder.is_absolute() and source is not None:
                    folder = source.parent / folder
            cache["catalog"] = load_pricing(folder)
        return cache["catalog"]

    return get


def example_path(name: str = "demo") -> Path:
    """Path of a bundled example scenario (``tco/examples/NAME.toml``)."""
    path = EXAMPLES_DIR / f"{name}.toml"
    if not path.exists():
        known = sorted(p.stem for p in EXAMPLES_DIR.glob("*.toml"))
        raise ScenarioError(f"example {name!r} not found; bundled examples: {known}")
    return path
