"""Import vendor API prices from genai-prices (pydantic/genai-prices).

genai-prices publishes its data as one JSON feed (``prices/new_data/v2/data.json`` of the
repository: a list of providers, each with models) and ships the same data inside its
Python package. :func:`import_genai_prices` reads either the feed file or, when none is
given, the installed package (imported here only, and only if installed: it is not a
dependency of ``tco``), and writes rows through :func:`tco.pricing.importing.write_import`.

How a model becomes a row:

* provider ids ``x-ai``, ``together``, ``fireworks`` become ``xai``, ``together_ai``,
  ``fireworks_ai`` (the catalog follows LiteLLM's names); other ids are kept;
* a model updates the file's rows its ``match`` clause matches (the first model of the
  provider that matches a row wins, as in genai-prices); a model matching no row is added
  under its ``id``; models marked ``deprecated`` are skipped (genai-prices gives no date);
* prices are those in force on ``as_of``: the last entry whose ``start_date`` has come;
  prices that depend on the time of day (DeepSeek's peak windows) take the highest window
  (the peak, the list price most of a working day) and the notes give the others;
* a tiered price (``{"base": ..., "tiers": [{"start": n, "price": ...}]}``) gives the base
  price and the lowest tier as the long-context columns (threshold ``n``);
* variants ``processing=batch`` give ``batch_discount`` (same share off input and output),
  ``service_tier=flex`` / ``priority`` the flex and priority prices;
* ``context_window`` is not imported: genai-prices gives the total context, the catalog the
  longest input.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import importlib.util
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from tco.pricing import csvtext
from tco.pricing.importing import ImportResult, as_of_text, import_target, write_import
from tco.pricing.load import as_date
from tco.pricing.merge import ImportedCells
from tco.pricing.problems import PricingError, PricingProblem, one_problem

__all__ = ["PROVIDER_NAMES", "import_genai_prices", "read_genai_prices", "select_models"]

PROVIDER_NAMES = {"x-ai": "xai", "together": "together_ai", "fireworks": "fireworks_ai"}
"""genai-prices provider ids the catalog spells differently."""

_KEYS = {
    "input_mtok": "input_usd_per_mtok",
    "output_mtok": "output_usd_per_mtok",
    "cache_read_mtok": "cache_read_usd_per_mtok",
    "cache_write_mtok": "cache_write_usd_per_mtok",
    "cache_write_1h_mtok": "cache_write_1h_usd_per_mtok",
}
_LONG = {
    "input_mtok": "long_context_input_usd_per_mtok",
    "output_mtok": "long_context_output_usd_per_mtok",
    "cache_read_mtok": "long_context_cache_read_usd_per_mtok",
}


def _plain(obj: Any) -> Any:
    """The package's objects as the feed's JSON values (dataclasses as dicts, no Nones)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if not f.name.startswith("_") and value is not None:
                out[f.name.rstrip("_")] = _plain(value)  # or_ / and_ -> or / and
        return out
    if isinstance(obj, dt.date | dt.time):
        return obj.isoformat()
    if isinstance(obj, list | tuple):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if hasattr(obj, "__dict__") and not isinstance(obj, str | int | float | Decimal):
        return {
            k: _plain(v) for k, v in vars(obj).items() if not k.startswith("_") and v is not None
        }
    return obj


def read_genai_prices(path: Path | None) -> tuple[list[Any], str]:
    """The providers (feed JSON values) and a label naming where they came from.

    Raises
    ------
    PricingError
        The file cannot be read or is not a list of providers; or no file is given and the
        ``genai_prices`` package is not installed.
    """
    if path is None:
        if importlib.util.find_spec("genai_prices") is None:
            raise one_problem(
                "genai_prices",
                None,
                "FILE",
                "",
                "a genai-prices data file (prices/new_data/v2/data.json of "
                "pydantic/genai-prices), or the genai-prices package installed",
            )
        package = importlib.import_module("genai_prices")
        data = importlib.import_module("genai_prices.data")
        version = getattr(package, "__version__", "unknown version")
        return _plain(list(data.providers)), f"genai-prices {version} (installed package)"
    try:
        text = csvtext.decode(path.read_bytes())
        providers = json.loads(text, parse_float=Decimal)
    except OSError as exc:
        raise one_problem(path, None, "(file)", str(path), f"a readable file ({exc})") from None
    except json.JSONDecodeError as exc:
        raise one_problem(path, exc.lineno, "(json)", "", f"valid JSON ({exc.msg})") from None
    if not isinstance(providers, list) or not all(isinstance(p, dict) for p in providers):
        raise one_problem(path, 1, "(json)", type(providers).__name__, "a JSON list of providers")
    return providers, f"genai-prices data file {path.name}"


def matches(clause: Any, name: str) -> bool:
    """Whether a genai-prices ``match`` clause matches a model name (lower-cased).

    Examples
    --------
    >>> matches({"or": [{"starts_with": "claude-opus-4-6"}, {"equals": "x"}]},
    ...         "claude-opus-4-6-20260205")
    True
    """
    if not isinstance(clause, dict):
        return False
    name = name.lower()
    tests = {
        "equals": lambda v: name == str(v).lower(),
        "starts_with": lambda v: name.startswith(str(v).lower()),
        "ends_with": lambda v: name.endswith(str(v).lower()),
        "contains": lambda v: str(v).lower() in name,
        "regex": lambda v: re.search(str(v), name) is not None,
        "or": lambda v: any(matches(c, name) for c in v),
        "and": lambda v: all(matches(c, name) for c in v),
    }
    return any(key in clause and tests[key](clause[key]) for key in tests)


def _active(constraint: Any, on: dt.date) -> bool:
    """A ``start_date`` constraint that has come (time windows are handled apart)."""
    if not isinstance(constraint, dict) or "start_date" not in constraint:
        return True
    return str(constraint["start_date"]) <= on.isoformat()


def _price_set(prices: Any, on: dt.date) -> tuple[dict[str, Any], list[str]]:
    """The price set in force on ``on``, and notes (peak windows)."""
    if isinstance(prices, dict):
        return prices, []
    entries = [e for e in prices if isinstance(e, dict)] if isinstance(prices, list) else []
    dated = [e for e in entries if "start_time" not in (e.get("constraint") or {})]
    windows = [e for e in entries if "start_time" in (e.get("constraint") or {})]
    active = [e for e in dated if _active(e.get("constraint"), on)]
    base = dict(active[-1]["prices"]) if active else {}
    if not windows:
        return base, []
    peak = max(windows, key=lambda e: _number(e["prices"].get("input_mtok")) or Decimal(0))
    note = (
        "time-of-day prices: the peak window (UTC "
        + ", ".join(
            f"{w['constraint']['start_time'][:5]}-{w['constraint']['end_time'][:5]}"
            for w in windows
        )
        + f") is imported; otherwise {_show(base.get('input_mtok'))} in / "
        f"{_show(base.get('output_mtok'))} out"
    )
    return {**base, **peak["prices"]}, [note]


def _number(value: Any) -> Decimal | None:
    """A price value's base number (a tier object's ``base``), None when absent/invalid."""
    if isinstance(value, dict):
        value = value.get("base")
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    d = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return d if d.is_finite() and d >= 0 else None


def _show(value: Any) -> str:
    d = _number(value)
    return "-" if d is None else format(d.normalize(), "f")


def _cells(prices: dict[str, Any], variants: list[Any], on: dt.date) -> ImportedCells:
    """The catalog cells of one model's price set and its variants."""
    cells: ImportedCells = {c: _cell(_number(prices.get(k))) for k, c in _KEYS.items()}
    tiers = {k: prices[k]["tiers"] for k in _LONG if isinstance(prices.get(k), dict)}
    starts = {min(int(t["start"]) for t in ts) for ts in tiers.values() if ts}
    if len(starts) == 1:
        start = starts.pop()
        cells["long_context_threshold_tokens"] = str(start)
        for key, column in _LONG.items():
            tier = [t for t in tiers.get(key, []) if int(t["start"]) == start]
            cells[column] = _cell(_number(tier[0]["price"])) if tier else None
    for variant in variants:
        if not isinstance(variant, dict) or not _active(variant.get("constraint"), on):
            continue
        when, alt = variant.get("when") or {}, {**prices, **(variant.get("prices") or {})}
        if when == {"processing": "batch"}:
            cells["batch_discount"] = _cell(_discount(prices, alt))
        for service in ("flex", "priority"):
            if when == {"service_tier": service}:
                cells[f"{service}_input_usd_per_mtok"] = _cell(_number(alt.get("input_mtok")))
                cells[f"{service}_output_usd_per_mtok"] = _cell(_number(alt.get("output_mtok")))
    return cells


def _discount(prices: dict[str, Any], batch: dict[str, Any]) -> Decimal | None:
    """The share a batch variant takes off, when the same on input and output."""
    shares = set()
    for key in ("input_mtok", "output_mtok"):
        full, cut = _number(prices.get(key)), _number(batch.get(key))
        if not full or cut is None:
            return None
        shares.add((1 - cut / full).quantize(Decimal("0.0001")))
    share = shares.pop() if len(shares) == 1 else None
    return share if share is not None and 0 <= share < 1 else None


def _cell(d: Decimal | None) -> str | None:
    return None if d is None else format(d.normalize(), "f")


def select_models(
    providers: list[Any], existing: list[tuple[str, str]], wanted: set[str] | None, on: dt.date
) -> tuple[dict[tuple[str, str], ImportedCells], list[tuple[str, str]]]:
    """The rows to import (by catalog key) and the models skipped with the reason."""
    imported: dict[tuple[str, str], ImportedCells] = {}
    skipped: list[tuple[str, str]] = []
    for provider in providers:
        name = PROVIDER_NAMES.get(str(provider.get("id")), str(provider.get("id")))
        if wanted is not None and name not in wanted and provider.get("id") not in wanted:
            continue
        rows = [m for p, m in existing if p == name]
        for model in provider.get("models") or []:
            key = f"{provider.get('id')}/{model.get('id')}"
            if model.get("deprecated"):
                skipped.append((key, "marked deprecated in genai-prices (no date given)"))
                continue
            prices, notes = _price_set(model.get("prices"), on)
            cells = _cells(prices, model.get("price_variants") or [], on)
            if cells["input_usd_per_mtok"] is None or cells["output_usd_per_mtok"] is None:
                skipped.append((key, "no input_mtok / output_mtok price"))
                continue
            cells["notes"] = "; ".join([f"genai-prices model {model.get('id')}", *notes])
            targets = [r for r in rows if matches(model.get("match"), r)]
            targets = [r for r in targets if (name, r) not in imported] or [str(model.get("id"))]
            for row in targets:
                if (name, row) in imported:
                    skipped.append((key, f"same row as an earlier model ({name}/{row})"))
                    continue
                imported[(name, row)] = dict(cells)
    return imported, skipped


def import_genai_prices(
    path: str | Path | None = None,
    folder: str | Path | None = None,
    *,
    providers: list[str] | tuple[str, ...] | None = None,
    source: str | None = None,
    as_of: dt.date | str | None = None,
    today: dt.date | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Add or update ``api_models.csv`` rows from genai-prices.

    Parameters
    ----------
    path : str or Path, optional
        A genai-prices data file (the v2 JSON feed). None: the installed ``genai_prices``
        package's bundled data (an error when it is not installed).
    folder : str or Path, optional
        Folder whose ``api_models.csv`` is updated (default ``prices/`` here; see
        :func:`tco.pricing.importing.import_target`).
    providers : list of str, optional
        Only these providers (genai-prices ids or the catalog's names).
    source, as_of, today, dry_run
        As for :func:`tco.pricing.litellm.import_litellm`; ``as_of`` is also the date whose
        prices are taken (default today).

    Returns
    -------
    ImportResult
    """
    today = as_date(today)
    target = import_target(folder)
    given = Path(path) if path is not None else None
    data, label = read_genai_prices(given)
    as_of_cell = as_of_text(as_of, today, given or "genai_prices")
    wanted = None if providers is None else {p.strip() for p in providers}
    existing = _existing_keys(target)
    imported, skipped = select_models(data, existing, wanted, dt.date.fromisoformat(as_of_cell))
    if wanted is not None:
        seen = {PROVIDER_NAMES.get(str(p.get("id")), str(p.get("id"))) for p in data}
        seen |= {str(p.get("id")) for p in data}
        missing = sorted(wanted - seen)
        if missing:
            raise PricingError(
                PricingProblem(label, None, "--provider", p, "a provider of the genai-prices data")
                for p in missing
            )
    result = write_import(
        imported,
        skipped,
        target,
        source=source or label,
        as_of=as_of_cell,
        today=today,
        dry_run=dry_run,
    )
    return dataclasses.replace(result, entries_word="models")


def _existing_keys(target: Path) -> list[tuple[str, str]]:
    """``(provider, model)`` of the rows already in ``target`` (none when it is absent)."""
    if not target.is_file():
        return []
    records = [r for r in csvtext.records(csvtext.decode(target.read_bytes())) if not r.blank]
    return [(r.cells[0].strip(), r.cells[1].strip()) for r in records[1:] if len(r.cells) > 1]
