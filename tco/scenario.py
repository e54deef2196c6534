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

Files are parsed (tomllib), validated with pydantic, never executed.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tco.api import VendorAPI
from tco.breakeven import BreakEven, VolumeBreakEven, break_even, break_even_volume
from tco.costs import Option
from tco.hosting import SelfHosted
from tco.simulate import Simulation, simulate
from tco.usage import Usage

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

    def simulate(self) -> Simulation:
        """Every option costed against the usage."""
        return simulate(
            list(self.options.values()),
            self.usage,
            self.discount_rate,
            capex=self.meta.capex,
            credit_residual=self.meta.credit_residual,
        )

    def break_even(self) -> BreakEven:
        """Break-even of the candidate against the baseline."""
        return break_even(
            self.baseline,
            self.candidate,
            self.usage,
            self.discount_rate,
            capex=self.meta.capex,
            credit_residual=self.meta.credit_residual,
        )

    def break_even_volume(self) -> VolumeBreakEven:
        """Steady monthly volume from which the candidate is cheaper per month."""
        return break_even_volume(self.baseline, self.candidate, self.usage)

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
        unknown = set(data) - {"scenario", "usage", "options"}
        if unknown:
            raise ScenarioError(
                f"{where}unknown table(s) {sorted(unknown)} -> allowed: scenario, usage, options"
            )
        meta = _validated(where, "scenario", lambda: ScenarioMeta(**data.get("scenario", {})))
        if "usage" not in data:
            raise ScenarioError(f"{where}usage: missing -> add a [usage] table with a curve")
        usage = _validated(where, "usage", lambda: Usage.model_validate(data["usage"]))
        tables = data.get("options") or {}
        if not tables:
            raise ScenarioError(f"{where}options: missing -> add at least one [options.NAME]")
        prices = _lazy_prices(meta.pricing, source)
        options: dict[str, Option] = {}
        for name, table in tables.items():
            options[name] = _build_option(where, name, table, prices)
        for role in ("baseline", "candidate"):
            chosen = getattr(meta, role)
            if chosen is not None and chosen not in options:
                raise ScenarioError(
                    f"{where}scenario.{role}: {chosen!r} -> one of the options {list(options)}"
                )
        return cls(meta=meta, usage=usage, options=options, path=source)


def _build_option(where: str, name: str, table: Any, prices: Any) -> Option:
    loc = f"options.{name}"
    if not isinstance(table, Mapping):
        raise ScenarioError(f"{where}{loc}: {table!r} -> a table of option fields")
    fields = dict(table)
    kind = fields.pop("type", None)
    if kind not in OPTION_TYPES:
        raise ScenarioError(f"{where}{loc}.type: {kind!r} -> one of {sorted(OPTION_TYPES)}")
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
