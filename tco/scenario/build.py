"""Building a scenario from its tables: options (from the catalog or by hand), strategies,
task classes, and the errors that name the file and the dotted field."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError

from tco.core.option import Option
from tco.core.units import Flag, Number, is_real
from tco.options.api import VendorAPI
from tco.options.hosting import SelfHosted
from tco.options.overflow import Overflow
from tco.options.routed import TaskClass, check_classes
from tco.options.serverless import Serverless
from tco.options.switch import Switch, SwitchOnVolume

__all__ = [
    "EXAMPLES_DIR",
    "OPTION_TYPES",
    "STRATEGY_TYPES",
    "ScenarioError",
    "ScenarioMeta",
    "build_options",
    "check_roles",
    "example_path",
    "lazy_prices",
    "pricing_folder",
    "task_classes",
    "validated",
]

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
"""Bundled example scenarios."""


class ScenarioError(ValueError):
    """A scenario file or mapping is invalid; the message names the file and the field."""


class ScenarioMeta(BaseModel):
    """The ``[scenario]`` table."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: StrictStr = "Scenario"
    description: StrictStr = ""
    baseline: StrictStr | None = None
    candidate: StrictStr | None = None
    discount_rate: Annotated[Number, Field(gt=-1.0, le=10.0)] = 0.0
    capex: Literal["cash", "amortized"] = "cash"
    credit_residual: Flag = False
    pricing: StrictStr | None = None
    data_must_stay: Flag = False
    currency: StrictStr | None = None
    """ISO code money is shown in (``"EUR"``), from the catalog's ``fx.csv``; None: USD."""


OptionBuilder = Callable[[str, dict[str, Any], Any], Option]
"""Builds an option from its name, its table (without ``type``) and the pricing catalog."""


def _api(name: str, table: dict[str, Any], prices: Any) -> Option:
    catalog_id = table.pop("catalog", None)
    if catalog_id is None:
        return VendorAPI(name=name, **table)
    return prices().vendor_api(catalog_id, name=name, **table)


def _served(kind: str, cls: type[SelfHosted] | type[Serverless]) -> OptionBuilder:
    """The builder of a ``kind`` option served from throughput rows (``cls``): its fields
    as given, or ``catalog = { model = ..., gpu = ... }`` and fields on top."""

    def build(name: str, table: dict[str, Any], prices: Any) -> Option:
        ref = table.pop("catalog", None)
        if ref is None:
            return cls(name=name, **table)
        if not isinstance(ref, Mapping):
            raise ScenarioError(
                f"catalog: {ref!r} -> a table such as {{ model = ..., gpu = ... }} for {kind}"
            )
        return cls.from_catalog(prices(), name=name, **dict(ref), **table)

    return build


OPTION_TYPES: dict[str, OptionBuilder] = {
    "api": _api,
    "self_hosted": _served("self_hosted", SelfHosted),
    "serverless": _served("serverless", Serverless),
}
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


def build_options(
    where: str, tables: Mapping[str, Any], prices: Callable[[], Any]
) -> tuple[dict[str, Option], dict[str, Any]]:
    """Every ``[options.NAME]`` built in file order, and the ``capability`` each gives."""
    options: dict[str, Option] = {}
    capabilities: dict[str, Any] = {}
    for name, table in tables.items():
        if isinstance(table, Mapping) and "capability" in table:
            table = dict(table)
            capabilities[name] = _capability(where, name, table.pop("capability"))
        options[name] = _build_option(where, name, table, prices, options)
    return options, capabilities


def _capability(where: str, name: str, value: Any) -> Any:
    """An option's ``capability``: a tier or a score, or a table of task class -> either."""

    def one(v: Any) -> bool:
        return isinstance(v, str) or is_real(v)

    if one(value) or (isinstance(value, Mapping) and value and all(map(one, value.values()))):
        return value
    raise ScenarioError(
        f"{where}options.{name}.capability: {value!r} -> a tier (basic, strong, frontier), "
        "a benchmark score, or a table of task class = tier or score"
    )


def task_classes(where: str, tables: Mapping[str, Any]) -> tuple[TaskClass, ...]:
    """The ``[task_classes.NAME]`` tables, checked together."""
    classes = tuple(
        validated(
            where,
            f"task_classes.{name}",
            lambda name=name, t=t: TaskClass(name=name, **t),  # type: ignore[misc]
        )
        for name, t in tables.items()
    )
    if classes:
        validated(where, "task_classes", lambda: check_classes(classes))
    return classes


def check_roles(where: str, meta: ScenarioMeta, options: Mapping[str, Option]) -> None:
    """``scenario.baseline`` and ``scenario.candidate``, when given, name options."""
    for role in ("baseline", "candidate"):
        chosen = getattr(meta, role)
        if chosen is not None and chosen not in options:
            raise ScenarioError(
                f"{where}scenario.{role}: {chosen!r} -> one of the options {list(options)}"
            )
    names = list(options)
    baseline = meta.baseline or names[0]
    candidate = meta.candidate or (names[1] if len(names) > 1 else None)
    if candidate == baseline:
        others = [n for n in names if n != baseline]
        raise ScenarioError(
            f"{where}scenario.candidate: {candidate!r} is also the baseline -> another option"
            + (f": one of {others}" if others else " (define a second option)")
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
        return validated(where, loc, lambda: strategy(name, fields, dict(options or {})))
    if kind not in OPTION_TYPES:
        kinds = sorted(OPTION_TYPES) + sorted(STRATEGY_TYPES)
        raise ScenarioError(f"{where}{loc}.type: {kind!r} -> one of {kinds}")
    builder = OPTION_TYPES[kind]
    return validated(where, loc, lambda: builder(name, fields, prices))


def validated(where: str, loc: str, build: Callable[[], Any]) -> Any:
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
            msg = str(err["msg"]).removeprefix("Value error, ")
            problems.append(f"{where}{path}:{shown} {msg}")
        raise ScenarioError("\n".join(problems)) from None
    except (KeyError, LookupError, ValueError, TypeError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        raise ScenarioError(f"{where}{loc}: {message}") from None


def pricing_folder(pricing: str | None, source: Path | None) -> Path | None:
    """The ``pricing`` folder of a scenario (relative to its file), or None (bundled)."""
    if pricing is None:
        return None
    folder = Path(pricing)
    if not folder.is_absolute() and source is not None:
        folder = source.parent / folder
    return folder


def lazy_prices(pricing: str | None, source: Path | None) -> Callable[[], Any]:
    """Load the catalog on first use only (scenarios without catalog rows never read it)."""
    cache: dict[str, Any] = {}

    def get() -> Any:
        if "catalog" not in cache:
            from tco.pricing import load_pricing

            cache["catalog"] = load_pricing(pricing_folder(pricing, source))
        return cache["catalog"]

    return get


def example_path(name: str = "demo") -> Path:
    """Path of a bundled example scenario (``tco/examples/NAME.toml``)."""
    path = EXAMPLES_DIR / f"{name}.toml"
    if not path.exists():
        known = sorted(p.stem for p in EXAMPLES_DIR.glob("*.toml"))
        raise ScenarioError(f"example {name!r} not found; bundled examples: {known}")
    return path
