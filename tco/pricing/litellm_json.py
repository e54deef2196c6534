"""LiteLLM's price map (``model_prices_and_context_window.json``): reading and converting.

:func:`read_litellm_json` reads the file (numbers as exact decimals),
:func:`select_entries` picks the entries to import and :func:`convert_entry` turns one
entry into the cells of an ``api_models.csv`` row (see :mod:`tco.pricing.merge`): list
prices, cache writes (5-minute and 1-hour), the batch, flex and priority tiers, the
lowest long-context tier (``*_above_<N>k_tokens`` or ``tiered_pricing``), the regional
uplift, ``deprecation_date`` and ``successor_model``. Entries are filed under the catalog's
provider (:mod:`tco.pricing.litellm_alias`). Used by
:func:`tco.pricing.litellm.import_litellm`.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation, Overflow
from pathlib import Path
from typing import Any

from tco.pricing.cells import parse_iso_date
from tco.pricing.litellm_alias import catalog_provider, route_rank
from tco.pricing.merge import ImportedCells
from tco.pricing.problems import PricingError, PricingProblem, one_problem

__all__ = ["MODES", "RowKey", "convert_entry", "read_litellm_json", "select_entries"]

MODES = ("chat", "completion", "responses")
"""LiteLLM ``mode`` values imported; embeddings, images, audio and the rest are skipped."""

RowKey = tuple[str, str]
"""``(provider, model)``."""

_MILLION = Decimal(1_000_000)
_FLOAT_MAX = Decimal(sys.float_info.max)
"""Largest price a float (and so the catalog) can hold; beyond it a figure is invalid."""


def _reject_constant(name: str) -> Any:
    """``json`` hook for ``NaN``, ``Infinity`` and ``-Infinity``: an error."""
    raise ValueError(f"{name} is not a number allowed in a price file")


def read_litellm_json(path: Path) -> dict[str, Any]:
    """The price map: a JSON object keyed by model, with numbers read as exact decimals.

    Raises
    ------
    PricingError
        The file cannot be read, is not UTF-8 or not valid JSON (``NaN`` and
        ``Infinity`` included), or is not an object.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise one_problem(path, None, "(file)", str(path), f"a readable file ({exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise one_problem(path, line, "(json)", "", "UTF-8 text") from None
    try:
        obj = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise one_problem(path, exc.lineno, "(json)", "", f"valid JSON ({exc.msg})") from None
    except (ValueError, RecursionError) as exc:
        raise one_problem(path, None, "(json)", "", f"valid JSON ({exc})") from None
    if not isinstance(obj, dict):
        raise one_problem(path, 1, "(json)", type(obj).__name__, "a JSON object keyed by model")
    return obj


def select_entries(
    data: dict[str, Any], providers: Iterable[str] | None, json_path: Path
) -> tuple[dict[RowKey, ImportedCells], list[tuple[str, str]]]:
    """The rows to import and the JSON keys skipped with the reason.

    Entries of a vendor's own API come first, then those of Vertex AI, then Bedrock (see
    :func:`~tco.pricing.litellm_alias.route_rank`), each in file order; the first entry of
    a row wins and later ones are skipped as "same row as ...".

    Parameters
    ----------
    data : dict
        What :func:`read_litellm_json` returned.
    providers : iterable of str, optional
        Only entries of these providers, as LiteLLM names them (``litellm_provider``) or as
        the catalog files them (``google`` for ``gemini``); None: all.
    json_path : Path
        The JSON file, for messages.

    Raises
    ------
    PricingError
        A provider asked for has no chat entries in the file (one problem each, naming
        the closest providers that do).
    """
    wanted = None if providers is None else {p.strip() for p in providers}
    imported: dict[RowKey, ImportedCells] = {}
    first_key: dict[RowKey, str] = {}
    skipped: list[tuple[str, str]] = []
    seen_providers: set[str] = set()
    for key, entry in sorted(data.items(), key=lambda kv: _rank(kv[1])):
        if key == "sample_spec":
            continue
        converted = convert_entry(key, entry, data)
        if isinstance(converted, str):
            skipped.append((key, converted))
            continue
        provider, model, cells = converted
        names = {provider, str(entry.get("litellm_provider", "")).strip()}
        seen_providers |= names
        if wanted is not None and not names & wanted:
            continue
        if (provider, model) in imported:
            skipped.append((key, f"same row as {first_key[(provider, model)]!r}"))
            continue
        imported[(provider, model)] = cells
        first_key[(provider, model)] = key
    if wanted is not None:
        _check_providers(wanted, seen_providers, json_path)
    return imported, skipped


def _rank(entry: Any) -> int:
    """The route rank of an entry (0 for anything that is not a routed entry)."""
    provider = entry.get("litellm_provider") if isinstance(entry, dict) else None
    return route_rank(provider) if isinstance(provider, str) else 0


def _check_providers(wanted: set[str], seen: set[str], json_path: Path) -> None:
    """Every provider asked for must have chat entries in the file."""
    missing = sorted(wanted - seen)
    if not missing:
        return
    problems = []
    for p in missing:
        close = difflib.get_close_matches(p, sorted(seen))
        hint = f" (closest: {', '.join(close)})" if close else ""
        message = "a litellm_provider with chat models in the file" + hint
        problems.append(PricingProblem(str(json_path), None, "--provider", p, message))
    raise PricingError(problems)


def convert_entry(
    key: str, spec: Any, data: dict[str, Any] | None = None
) -> tuple[str, str, ImportedCells] | str:
    """One JSON entry -> ``(provider, model, cells)``, or the reason to skip it.

    ``cells`` holds every column of :data:`tco.pricing.merge.MANAGED`: prices in USD per
    million tokens, shares, tokens, a date, a successor id; None where the entry has no
    (valid) figure. ``data`` (the whole map) resolves ``successor_model`` to a catalog id.

    Examples
    --------
    >>> convert_entry("openai/gpt-4o", {"litellm_provider": "openai", "mode": "chat",
    ...     "input_cost_per_token": Decimal("2.5e-06"), "output_cost_per_token": 1e-05})[:2]
    ('openai', 'gpt-4o')
    >>> convert_entry("text-embedding-3-small", {"mode": "embedding"})
    "mode 'embedding' is not one of chat, completion, responses"
    """
    if not isinstance(spec, dict):
        return "not a JSON object"
    mode = spec.get("mode")
    if mode not in MODES:
        return f"mode {mode!r} is not one of {', '.join(MODES)}"
    named = _provider_and_model(key, spec.get("litellm_provider"))
    if isinstance(named, str):
        return named
    provider, model = catalog_provider(*named)
    base = _base_prices(spec)
    price_in, price_out = base.get("input_cost_per_token"), base.get("output_cost_per_token")
    if price_in is None or price_out is None:
        return "no valid input_cost_per_token / output_cost_per_token"
    window = spec.get("max_input_tokens")
    if isinstance(window, bool) or not isinstance(window, int) or window <= 0:
        window = None
    cells: ImportedCells = {
        "mode": mode,
        "input_usd_per_mtok": _fmt(price_in),
        "output_usd_per_mtok": _fmt(price_out),
        "cache_read_usd_per_mtok": _fmt(base.get("cache_read_input_token_cost")),
        "cache_write_usd_per_mtok": _fmt(_per_mtok(spec.get("cache_creation_input_token_cost"))),
        "cache_write_1h_usd_per_mtok": _fmt(
            _per_mtok(spec.get("cache_creation_input_token_cost_above_1hr"))
        ),
        "batch_discount": _fmt(_batch_discount(spec, price_in, price_out)),
        **_long_context(spec),
        **_service_tiers(spec),
        "context_window": None if window is None else str(window),
        "residency_uplift": _fmt(_residency_uplift(spec)),
        "deprecation_date": _date(spec.get("deprecation_date")),
        "successor": _successor_id(data or {}, spec.get("successor_model")),
    }
    if (provider, model) != named:
        cells["notes"] = f"LiteLLM key {key} (litellm_provider {named[0]})"
    return provider, model, cells


_PRICE_FIELDS = ("input_cost_per_token", "output_cost_per_token", "cache_read_input_token_cost")
_ABOVE = re.compile(r"^(" + "|".join(_PRICE_FIELDS) + r")_above_(\d+)k_tokens$")
_LONG_COLUMNS = {
    "input_cost_per_token": "long_context_input_usd_per_mtok",
    "output_cost_per_token": "long_context_output_usd_per_mtok",
    "cache_read_input_token_cost": "long_context_cache_read_usd_per_mtok",
}


def _tiers(spec: dict[str, Any]) -> list[tuple[int, dict[str, Decimal | None]]]:
    """``tiered_pricing`` as ``(first token, prices)`` per tier, lowest first; [] if none."""
    tiers = spec.get("tiered_pricing")
    out = []
    if isinstance(tiers, list):
        for tier in tiers:
            span = tier.get("range") if isinstance(tier, dict) else None
            if isinstance(span, list) and span and isinstance(span[0], int | Decimal):
                prices = {f: _per_mtok(tier.get(f)) for f in _PRICE_FIELDS}
                out.append((int(span[0]), prices))
    return sorted(out, key=lambda t: t[0])


def _base_prices(spec: dict[str, Any]) -> dict[str, Decimal | None]:
    """The base tier: the entry's flat prices, else the first of ``tiered_pricing``."""
    flat = {f: _per_mtok(spec.get(f)) for f in _PRICE_FIELDS}
    tiers = _tiers(spec)
    if flat["input_cost_per_token"] is None and tiers and tiers[0][0] == 0:
        tier = tiers[0][1]
        return {f: tier[f] if tier[f] is not None else flat[f] for f in _PRICE_FIELDS}
    return flat


def _long_context(spec: dict[str, Any]) -> ImportedCells:
    """The lowest long-context tier: threshold [tokens] and its prices."""
    found: dict[int, dict[str, Decimal | None]] = {}
    for name, value in spec.items():
        match = _ABOVE.match(name)
        if match:
            found.setdefault(int(match.group(2)) * 1000, {})[match.group(1)] = _per_mtok(value)
    tiers = _tiers(spec)
    if not found and len(tiers) > 1 and tiers[0][0] == 0:
        found[tiers[1][0]] = tiers[1][1]
    cells: ImportedCells = {c: None for c in _LONG_COLUMNS.values()}
    cells["long_context_threshold_tokens"] = None
    if found:
        threshold = min(found)
        cells["long_context_threshold_tokens"] = str(threshold)
        for field, column in _LONG_COLUMNS.items():
            cells[column] = _fmt(found[threshold].get(field))
    return cells


def _service_tiers(spec: dict[str, Any]) -> ImportedCells:
    """Flex and priority prices (``*_flex``, ``*_priority``)."""
    cells: ImportedCells = {}
    for tier in ("flex", "priority"):
        for side in ("input", "output"):
            value = _per_mtok(spec.get(f"{side}_cost_per_token_{tier}"))
            cells[f"{tier}_{side}_usd_per_mtok"] = _fmt(value)
    return cells


def _residency_uplift(spec: dict[str, Any]) -> Decimal | None:
    """The regional / data-residency multiplier as a share (1.1 -> 0.1), when in (0, 1)."""
    factors = [
        spec.get("regional_processing_uplift_multiplier_eu"),
        spec.get("regional_processing_uplift_multiplier_us"),
    ]
    specific = spec.get("provider_specific_entry")
    if isinstance(specific, dict):
        factors.append(specific.get("us"))
    shares = [d - 1 for f in factors if (d := _number(f)) is not None and 0 < d - 1 < 1]
    return max(shares) if shares else None


def _date(value: Any) -> str | None:
    """A YYYY-MM-DD date cell, None when absent or not a date."""
    try:
        return parse_iso_date(value).isoformat()  # type: ignore[attr-defined]
    except (ValueError, AttributeError, TypeError):
        return None


def _successor_id(data: dict[str, Any], key: Any) -> str | None:
    """``successor_model`` (a LiteLLM key) as a catalog ``provider/model`` id."""
    entry = data.get(key) if isinstance(key, str) else None
    if not isinstance(entry, dict):
        return None
    named = _provider_and_model(key, entry.get("litellm_provider"))
    if isinstance(named, str):
        return None
    return "/".join(catalog_provider(*named))


def _provider_and_model(key: str, provider: Any) -> RowKey | str:
    """The row's provider (``litellm_provider``) and model (the key without a leading
    ``provider/``), or the reason to skip the entry."""
    if not isinstance(provider, str) or not provider.strip() or "/" in provider:
        return f"litellm_provider {provider!r} is not a provider name"
    provider = provider.strip()
    model = key[len(provider) + 1 :] if key.startswith(provider + "/") else key
    model = model.strip()
    if not model or any(ch in model for ch in "\r\n"):
        return "empty or multi-line model name"
    return provider, model


def _batch_discount(spec: dict[str, Any], price_in: Decimal, price_out: Decimal) -> Decimal | None:
    """The share off list prices in the batch tier, when it is the same for input and
    output (to 4 decimals) and in [0, 1); else None."""
    b_in = _per_mtok(spec.get("input_cost_per_token_batches"))
    b_out = _per_mtok(spec.get("output_cost_per_token_batches"))
    if b_in is None or b_out is None or price_in <= 0 or price_out <= 0:
        return None
    d_in = (1 - b_in / price_in).quantize(Decimal("0.0001"))
    d_out = (1 - b_out / price_out).quantize(Decimal("0.0001"))
    return d_in if d_in == d_out and 0 <= d_in < 1 else None


def _number(value: Any) -> Decimal | None:
    """A finite number >= 0 as an exact decimal, None when absent or invalid."""
    if value is None or isinstance(value, bool):
        return None
    try:
        d = Decimal(value) if isinstance(value, int | Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite() or d < 0:
        return None
    return d


def _per_mtok(value: Any) -> Decimal | None:
    """Per-token cost -> USD per million tokens (exact decimal), None when absent, invalid or
    beyond a float."""
    d = _number(value)
    if d is None:
        return None
    try:
        per_mtok = d * _MILLION
    except Overflow:  # beyond the decimal context's exponent range (e.g. 1e999999)
        return None
    return per_mtok if per_mtok <= _FLOAT_MAX else None


def _fmt(d: Decimal | None) -> str | None:
    """A decimal as a CSV cell: plain notation, no trailing zeros."""
    if d is None:
        return None
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "0E-7") else text
