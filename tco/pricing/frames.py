"""The catalog's tables as pandas DataFrames: one column per CSV column, typed.

Whole-number columns become nullable ``Int64``, numbers ``float64``, flags ``boolean``
(an empty cell is ``<NA>``), dates (``as_of``, ``deprecation_date``, ``effective_from``)
datetimes; ``origin`` (``file:line``) is added, and
the API table starts with ``id`` (``provider/model``).
"""

from __future__ import annotations

import typing
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

from tco.pricing.schema import CatalogEntry, TableSpec

if TYPE_CHECKING:
    import pandas as pd
else:
    from tco.core.lazy import pandas as pd

__all__ = ["table_frame"]


def table_frame(spec: TableSpec, entries: Sequence[CatalogEntry]) -> pd.DataFrame:
    """The rows of one kind of table as a typed DataFrame (see the module docstring)."""
    columns = list(spec.columns)
    records = [{**e.row.model_dump(), "origin": e.origin} for e in entries]
    df = pd.DataFrame.from_records(records, columns=[*columns, "origin"])
    for name, field in spec.row.model_fields.items():
        types = {
            typing.get_args(t)[0] if typing.get_origin(t) is Annotated else t
            for t in (typing.get_args(field.annotation) or (field.annotation,))
        }
        if int in types:
            df[name] = df[name].astype("Int64")
        elif float in types:
            df[name] = df[name].astype("float64")
        elif bool in types:
            df[name] = df[name].astype("boolean")
    for name in ("as_of", "deprecation_date", "effective_from"):
        if name in df:
            df[name] = pd.to_datetime(df[name])
    if spec.kind == "api":
        df.insert(0, "id", df["provider"] + "/" + df["model"])
    return df
