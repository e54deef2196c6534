"""LiteLLM's price map (``model_prices_and_context_window.json``): reading and converting.

:func:`read_litellm_json` reads the file (numbers as exact decimals),
:func:`select_entries` picks the entries to import and :func:`convert_entry` turns one
entry into the cells of an ``api_models.csv`` row (see :mod:`tco.pricing.merge`). Used by
:func:`tco.pricing.litellm.import_litellm`.
"""

from __future__ import annotations

import difflib
import json
import sys
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation, Overflow
from pathlib import Path
from typing import Any

from tco.pricing.merge import ImportedCells
from tco.pricing.problems import PricingError, PricingProblem, one_problem

__all__ = ["MODES", "RowKey", "convert_entry", "read_litellm_json", "select_entries"]

MODES = ("chat", "completion")
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
    """The rows to import, in file order, and the JSON keys skipped with the reason.

    Parameters
    ----------
    data : dict
        What :func:`read_litellm_json` returned.
    providers : iterable of str, optional
        Only entries of these ``litellm_provider`` values (None: all).
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
    for key, entry in data.items():
        if key == "sample_spec":
            continue
        converted = convert_entry(key, entry)
        if isinstance(converted, str):
            skipped.append((key, converted))
            continue
        provider, model, cells = converted
        seen_providers.add(provider)
        if wanted is not None and provider not in wanted:
            continue
        if (provider, model) in imported:
            skipped.append((key, f"same row as {first_key[(provider, model)]!r}"))
            continue
        imported[(provider, model)] = cells
        first_key[(provider, model)] = key
    if wanted is not None:
        _check_providers(wanted, seen_providers, json_path)
    return imported, skipped


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


def convert_entry(key: str, spec: Any) -> tuple[str, str, ImportedCells] | str:
    """One JSON entry -> ``(provider, model, cells)``, or the reason to skip it.

    ``cells`` holds every column of :data:`tco.pricing.merge.MANAGED`: prices in USD per
    million tokens, ``batch_discount`` as a share, ``context_window`` in tokens; None where
    the entry has no (valid) figure.

    Examples
    --------
    >>> convert_entry("openai/gpt-4o", {"litellm_provider": "openai", "mode": "chat",
    ...     "input_cost_per_token": Decimal("2.5e-06"), "output_cost_per_token": 1e-05})[:2]
    ('openai', 'gpt-4o')
    >>> convert_entry("text-embedding-3-small", {"mode": "embedding"})
    "mode 'embedding' is not one of chat, completion"
    """
    if not isinstance(spec, dict):
        return "not a JSON object"
    mode = spec.get("mode")
    if mode not in MODES:
        return f"mode {mode!r} is not one of {', '.join(MODES)}"
    named = _provider_and_model(key, spec.get("litellm_provider"))
    if isinstance(named, str):
        return named
    price_in = _per_mtok(spec.get("input_cost_per_token"))
    price_out = _per_mtok(spec.get("output_cost_per_token"))
    if price_in is None or price_out is None:
        return "no valid input_cost_per_token / output_cost_per_token"
    window = spec.get("max_input_tokens")
    if isinstance(window, bool) or not isinstance(window, int) or window <= 0:
        window = None
    cells: ImportedCells = {
        "input_usd_per_mtok": _fmt(price_in),
        "output_usd_per_mtok": _fmt(price_out),
        "cache_read_usd_per_mtok": _fmt(_per_mtok(spec.get("cache_read_input_token_cost"))),
        "cache_write_usd_per_mtok": _fmt(_per_mtok(spec.get("cache_creation_input_token_cost"))),
        "batch_discount": _fmt(_batch_discount(spec, price_in, price_out)),
        "context_window": None if window is None else str(window),
    }
    return *named, cells


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


def _per_mtok(value: Any) -> Decimal | None:
    """Per-token cost -> USD per million tokens (exact decimal), None when absent/invalid."""
    if value is None or isinstance(value, bool):
        return None
    try:
        d = Decimal(value) if isinstance(value, int | Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite() or d < 0:
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
