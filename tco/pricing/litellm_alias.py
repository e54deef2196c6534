"""LiteLLM provider aliases: which catalog provider a LiteLLM entry is filed under.

LiteLLM names a provider by the route it is called through (``litellm_provider``). The
catalog files a vendor's own model under the vendor, whichever route lists it:

* ``gemini`` (the Gemini Developer API) -> ``google``;
* Vertex AI (``vertex_ai``, ``vertex_ai-<vendor>_models``, ``vertex_ai-language-models``)
  and Amazon Bedrock (``bedrock``, ``bedrock_converse``, ...) -> the model's vendor, when
  the model is one its vendor sells through its own API: Claude -> ``anthropic``, Gemini ->
  ``google``, Mistral's models -> ``mistral``, GPT and o-series (not gpt-oss) -> ``openai``,
  Grok -> ``xai``. The model name loses the route's decoration (``vertex_ai/``,
  ``us.anthropic.`` ... ``-v1:0``; Vertex's ``@20251101`` becomes ``-20251101`` for Claude
  and is dropped otherwise). Open-weights models a cloud hosts (Llama, gpt-oss, Qwen,
  DeepSeek, ...) stay under the route (``vertex_ai``, ``bedrock``), like any other host.

A route's entry ranks below the vendor's own (:func:`route_rank`), so it only adds a row
the vendor's own entries do not have.
"""

from __future__ import annotations

import re

__all__ = ["VENDOR_FAMILIES", "catalog_provider", "route_rank"]

VENDOR_FAMILIES: dict[str, re.Pattern[str]] = {
    "anthropic": re.compile(r"^claude"),
    "google": re.compile(r"^gemini"),
    "mistral": re.compile(r"^(mistral|codestral|ministral|magistral|devstral|pixtral|mixtral)"),
    "openai": re.compile(r"^(gpt-(?!oss)|o[1-9]\b|o[1-9]-|chatgpt)"),
    "xai": re.compile(r"^grok"),
}
"""Vendors whose models a cloud route resells, by the start of the model name."""

_BEDROCK_REGION = re.compile(r"^(us|eu|apac|global|jp|au|us-gov|ca|in)\.")
_BEDROCK_VERSION = re.compile(r"-v\d+(:\d+)?$")
_VENDOR_PREFIX = re.compile(r"^(anthropic|mistral|mistralai|openai|google|xai)[./]")


def route_rank(provider: str) -> int:
    """0 for a vendor's own API (and ``gemini``), 1 for Vertex AI, 2 for Bedrock routes.

    Examples
    --------
    >>> [route_rank(p) for p in ("openai", "gemini", "vertex_ai-anthropic_models", "bedrock")]
    [0, 0, 1, 2]
    """
    if provider.startswith("vertex_ai"):
        return 1
    if provider.startswith("bedrock"):
        return 2
    return 0


def catalog_provider(provider: str, model: str) -> tuple[str, str]:
    """The catalog's ``(provider, model)`` for a LiteLLM provider and model name.

    ``model`` is the LiteLLM key without a leading ``provider/``.

    Examples
    --------
    >>> catalog_provider("gemini", "gemini-3.1-pro-preview")
    ('google', 'gemini-3.1-pro-preview')
    >>> catalog_provider("vertex_ai-anthropic_models", "vertex_ai/claude-opus-4-5@20251101")
    ('anthropic', 'claude-opus-4-5-20251101')
    >>> catalog_provider("bedrock_converse", "us.anthropic.claude-sonnet-4-6-v1:0")
    ('anthropic', 'claude-sonnet-4-6')
    >>> catalog_provider("vertex_ai-openai_models", "vertex_ai/openai/gpt-oss-120b-maas")
    ('vertex_ai', 'openai/gpt-oss-120b-maas')
    >>> catalog_provider("together_ai", "openai/gpt-oss-120b")
    ('together_ai', 'openai/gpt-oss-120b')
    """
    if provider == "gemini":
        return "google", model
    rank = route_rank(provider)
    if rank == 0:
        return provider, model
    route = "vertex_ai" if rank == 1 else "bedrock"
    bare = model.split("/", 1)[1] if model.startswith(("vertex_ai/", "bedrock/")) else model
    if rank == 2:
        bare = bare.rsplit("/", 1)[-1]  # bedrock/<region>/<model> and bedrock/invoke/...
        bare = _BEDROCK_VERSION.sub("", _BEDROCK_REGION.sub("", bare))
    name = _VENDOR_PREFIX.sub("", bare)
    for vendor, family in VENDOR_FAMILIES.items():
        if family.search(name):
            return vendor, _without_version(vendor, name)
    return route, bare


def _without_version(vendor: str, name: str) -> str:
    """Vertex's ``@version``: a Claude date joins the name, anything else is dropped."""
    if "@" not in name:
        return name
    base, version = name.split("@", 1)
    return f"{base}-{version}" if vendor == "anthropic" and version.isdigit() else base
