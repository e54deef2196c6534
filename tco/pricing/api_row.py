"""The row model of ``api_models.csv``: one model's per-token prices at one provider.

Besides the list prices a row may carry the provider's other price tiers and the model's
lifecycle; the rules between those cells (a long-context tier needs its threshold, a flex
or priority tier both its prices, ...) are checked here, row by row. Rules between rows
(successors) are :mod:`tco.pricing.lifecycle`'s.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, StringConstraints, model_validator

from tco.pricing.cells import Flag, IsoDate, Name, PositiveInt, Price, Provider, Share
from tco.pricing.rowbase import AsOf, Notes, PricingRow, Source, row_rule

__all__ = ["API_MODES", "ApiMode", "ApiPrice", "ModelId"]

API_MODES = ("chat", "responses", "completion")
"""The API a model is called through (LiteLLM's ``mode``): ``api_models.csv`` ``mode``."""

ApiMode = Literal["chat", "responses", "completion"]
ModelId = Annotated[str, StringConstraints(pattern=r"^[^/\r\n]+/[^\r\n]+$")]
"""``provider/model``."""


def _per_mtok(what: str, empty: str) -> Any:
    """A price column that may be empty: ``Price | None`` with its description."""
    return Field(None, description=f"a number >= 0 [USD per million {what}], or empty ({empty})")


class ApiPrice(PricingRow):
    """A row of ``api_models.csv``: one model's per-token prices at one provider.

    Besides the list prices a row may carry the provider's other price tiers (a cache write
    kept for one hour, long-context prices above a threshold, flex and priority service
    tiers, a data-residency uplift) and the model's lifecycle (``deprecation_date`` and
    ``successor``). Empty means not published or not offered, never zero.

    Examples
    --------
    >>> row = ApiPrice(provider="openai", model="gpt-4o", input_usd_per_mtok="2.5",
    ...                output_usd_per_mtok="10", source="https://openai.com/api/pricing",
    ...                as_of="2026-07-24", deprecation_date="2027-01-14",
    ...                successor="openai/gpt-6-luna")
    >>> row.id, row.input_usd_per_mtok, row.cache_read_usd_per_mtok, row.successor
    ('openai/gpt-4o', 2.5, None, 'openai/gpt-6-luna')
    """

    key_fields: ClassVar[tuple[str, ...]] = ("provider", "model")
    optional_columns: ClassVar[tuple[str, ...]] = (
        "mode",
        "cache_write_1h_usd_per_mtok",
        "long_context_threshold_tokens",
        "long_context_input_usd_per_mtok",
        "long_context_output_usd_per_mtok",
        "long_context_cache_read_usd_per_mtok",
        "flex_input_usd_per_mtok",
        "flex_output_usd_per_mtok",
        "priority_input_usd_per_mtok",
        "priority_output_usd_per_mtok",
        "residency_uplift",
        "deprecation_date",
        "successor",
    )

    provider: Provider = Field(description="provider name, non-empty, without '/'")
    model: Name = Field(description="model name as the provider spells it (non-empty)")
    mode: ApiMode | None = Field(
        None,
        description="one of " + ", ".join(API_MODES) + " (the API the model is called "
        "through), or empty (not known)",
    )
    input_usd_per_mtok: Price = Field(description="a number >= 0 [USD per million input tokens]")
    output_usd_per_mtok: Price = Field(description="a number >= 0 [USD per million output tokens]")
    cache_read_usd_per_mtok: Price | None = _per_mtok(
        "cached input tokens", "the input price applies"
    )
    cache_write_usd_per_mtok: Price | None = _per_mtok(
        "tokens written to the cache", "not published"
    )
    cache_write_1h_usd_per_mtok: Price | None = _per_mtok(
        "tokens written to the cache kept for one hour", "not offered"
    )
    batch_discount: Share | None = Field(
        None,
        description="a number in [0, 1): share off list prices in the batch tier, "
        "or empty (no batch tier)",
    )
    long_context_threshold_tokens: PositiveInt | None = Field(
        None,
        description="a whole number > 0 [input tokens]: a request with more input tokens "
        "than this is billed at the long-context prices, or empty (no long-context tier)",
    )
    long_context_input_usd_per_mtok: Price | None = _per_mtok(
        "input tokens of a long-context request", "no long-context tier"
    )
    long_context_output_usd_per_mtok: Price | None = _per_mtok(
        "output tokens of a long-context request", "no long-context tier"
    )
    long_context_cache_read_usd_per_mtok: Price | None = _per_mtok(
        "cached input tokens of a long-context request", "not published"
    )
    flex_input_usd_per_mtok: Price | None = _per_mtok("input tokens, flex tier", "no flex tier")
    flex_output_usd_per_mtok: Price | None = _per_mtok("output tokens, flex tier", "no flex tier")
    priority_input_usd_per_mtok: Price | None = _per_mtok(
        "input tokens, priority tier", "no priority tier"
    )
    priority_output_usd_per_mtok: Price | None = _per_mtok(
        "output tokens, priority tier", "no priority tier"
    )
    context_window: PositiveInt | None = Field(
        None, description="a whole number > 0 [tokens], or empty (not published)"
    )
    open_weights: Flag | None = Field(
        None, description="true or false (any case), or empty (not known)"
    )
    data_residency: str | None = Field(None, description="free text, or empty")
    residency_uplift: Share | None = Field(
        None,
        description="a number in [0, 1): share added to every price when data residency "
        "is chosen (0.1 = +10 %), or empty (none documented)",
    )
    deprecation_date: IsoDate | None = Field(
        None,
        description="a date YYYY-MM-DD on which the provider retires the model (past or "
        "future), or empty (none announced)",
    )
    successor: ModelId | None = Field(
        None,
        description="a provider/model id of api_models.csv: the model to move to when this "
        "one retires, or empty (none named)",
    )
    source: Source
    as_of: AsOf
    notes: Notes = None

    RULES_READ_WHEN: ClassVar[tuple[str, ...]] = (
        "long_context_threshold_tokens",
        "long_context_input_usd_per_mtok",
        "long_context_output_usd_per_mtok",
        "long_context_cache_read_usd_per_mtok",
        "flex_input_usd_per_mtok",
        "flex_output_usd_per_mtok",
        "priority_input_usd_per_mtok",
        "priority_output_usd_per_mtok",
        "successor",
    )
    """The rules between cells (:meth:`_tiers_consistent`) hold for any row whose cells of
    these columns are all empty (the fast path skips them there)."""

    @model_validator(mode="after")
    def _tiers_consistent(self) -> ApiPrice:
        _check_long_context(self)
        _check_pairs(self)
        if self.successor is not None and self.successor == self.id:
            raise row_rule("successor", "another model's provider/model id (not the row's own)")
        return self

    @property
    def id(self) -> str:
        """``provider/model``, the id used by :meth:`PricingCatalog.vendor_api`."""
        return f"{self.provider}/{self.model}"

    @property
    def label(self) -> str:
        return self.id


_LONG_CONTEXT = {
    "long_context_input_usd_per_mtok": "input_usd_per_mtok",
    "long_context_output_usd_per_mtok": "output_usd_per_mtok",
    "long_context_cache_read_usd_per_mtok": "cache_read_usd_per_mtok",
}


def _check_long_context(row: ApiPrice) -> None:
    """A long-context tier has a threshold below the context window, input and output
    prices, and prices no lower than the base tier's."""
    threshold = row.long_context_threshold_tokens
    given = [c for c in _LONG_CONTEXT if getattr(row, c) is not None]
    if threshold is None:
        if given:
            raise row_rule(
                "long_context_threshold_tokens",
                f"required with {given[0]}: a whole number > 0 [input tokens above which "
                "the long-context prices apply]",
            )
        return
    for column in ("long_context_input_usd_per_mtok", "long_context_output_usd_per_mtok"):
        if getattr(row, column) is None:
            raise row_rule(
                column, "required with long_context_threshold_tokens: a number >= 0 [USD/MTok]"
            )
    if row.context_window is not None and threshold >= row.context_window:
        raise row_rule(
            "long_context_threshold_tokens",
            f"a whole number below context_window ({row.context_window}) [tokens]",
        )
    for column in given:
        base_column = _LONG_CONTEXT[column]
        base = getattr(row, base_column)
        if base is not None and getattr(row, column) < base:
            raise row_rule(
                column, f"a number >= {base_column} ({base:g}): the long-context tier costs more"
            )


def _check_pairs(row: ApiPrice) -> None:
    """A flex or priority tier gives both its input and its output price."""
    for tier in ("flex", "priority"):
        cells = (f"{tier}_input_usd_per_mtok", f"{tier}_output_usd_per_mtok")
        given = [getattr(row, c) is not None for c in cells]
        if given[0] != given[1]:
            missing, other = (cells[1], cells[0]) if given[0] else cells
            raise row_rule(missing, f"required with {other}: a number >= 0 [USD/MTok]")
