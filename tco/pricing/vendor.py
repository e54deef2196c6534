"""A catalog row as the fields of a :class:`tco.VendorAPI`: prices, tiers, lifecycle.

Every optional column the row fills becomes the field of the same name; an empty one leaves
the option's default (cache reads at the input price, no tier, no long-context price, no
uplift). A row with a ``deprecation_date`` and a ``successor`` carries the successor as a
:class:`tco.VendorAPI` built the same way, so a horizon past the retirement moves to it
(:mod:`tco.options.lifecycle`) and so on down the chain.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tco.options.api import VendorAPI
from tco.options.lifecycle import MODEL_FIELDS
from tco.pricing.api_row import ApiPrice

__all__ = ["OPTIONAL_FIELDS", "vendor_fields"]

OPTIONAL_FIELDS = tuple(
    f
    for f in MODEL_FIELDS
    if f in ApiPrice.model_fields
    and f not in ("input_usd_per_mtok", "output_usd_per_mtok", "batch_discount", "successor")
)
"""The model's own fields (:data:`tco.options.lifecycle.MODEL_FIELDS`) that are optional
columns of the row: passed to the option when filled (same name on both sides)."""


def vendor_fields(row: ApiPrice, rows: Mapping[str, ApiPrice]) -> dict[str, Any]:
    """The :class:`tco.VendorAPI` fields of ``row``; ``rows`` resolves its successor.

    Examples
    --------
    >>> old = ApiPrice(provider="p", model="old", input_usd_per_mtok=2, output_usd_per_mtok=8,
    ...                source="s", as_of="2026-01-01", deprecation_date="2027-01-01",
    ...                successor="p/new")
    >>> new = ApiPrice(provider="p", model="new", input_usd_per_mtok=1, output_usd_per_mtok=4,
    ...                source="s", as_of="2026-06-01")
    >>> fields = vendor_fields(old, {"p/old": old, "p/new": new})
    >>> fields["successor"].name, fields["successor"].input_usd_per_mtok
    ('p/new', 1.0)
    """
    return _fields(row, rows, seen=frozenset())


def _fields(row: ApiPrice, rows: Mapping[str, ApiPrice], seen: frozenset[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": row.id,
        "input_usd_per_mtok": row.input_usd_per_mtok,
        "output_usd_per_mtok": row.output_usd_per_mtok,
        "batch_discount": 0.0 if row.batch_discount is None else row.batch_discount,
        "sources": (f"API price {row.id}: {row.source} ({row.as_of.isoformat()})",),
    }
    for name in OPTIONAL_FIELDS:
        value = getattr(row, name)
        if value is not None:
            fields[name] = value
    next_id = row.successor
    if row.deprecation_date is not None and next_id is not None and next_id not in seen:
        successor = VendorAPI(**_fields(rows[next_id], rows, seen | {row.id}))
        fields["successor"] = successor
        after = f"after {row.deprecation_date.isoformat()}, "
        fields["sources"] += tuple(after + source for source in successor.sources)
    return fields
