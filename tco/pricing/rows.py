"""The base of the pricing row models and the columns every catalog file shares.

:class:`PricingRow` is frozen, forbids unknown fields and reads an empty cell as None;
``source``, ``as_of`` (not in the future) and ``notes`` are the last three columns of every
file. A cross-column rule (a cell that is wrong only together with another) raises
:data:`ROW_RULE`, whose message the file validator shows as the "what is allowed" text.
The row models themselves live in :mod:`tco.pricing.schema` and :mod:`tco.pricing.serving`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from tco.pricing.cells import IsoDate, Name

__all__ = ["ROW_RULE", "AsOf", "Notes", "PricingRow", "Source", "row_rule"]

ROW_RULE = "row_rule"
"""Error type of a cross-column rule; its message is shown as what the cell allows."""


def row_rule(message: str) -> PydanticCustomError:
    """The error a cross-column check raises: ``message`` says what is allowed.

    Examples
    --------
    >>> str(row_rule("empty for regime offline"))
    'empty for regime offline'
    """
    return PydanticCustomError(ROW_RULE, message.replace("{", "(").replace("}", ")"))


Source = Annotated[
    Name,
    Field(description="a public URL or document name where the figure can be checked (non-empty)"),
]
"""The ``source`` column every file has."""
AsOf = Annotated[IsoDate, Field(description="a date YYYY-MM-DD, not in the future")]
"""The ``as_of`` column every file has."""
Notes = Annotated[str | None, Field(description="free text, or empty")]
"""The ``notes`` column every file has (always last)."""


class PricingRow(BaseModel):
    """Base of the row models: frozen, no extra fields, empty cells read as None."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True
    )

    key_fields: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _empty_is_none(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {k: (v.strip() or None if isinstance(v, str) else v) for k, v in data.items()}
        return data

    @field_validator("as_of", check_fields=False)
    @classmethod
    def _not_future(cls, value: date, info: ValidationInfo) -> date:
        today = (info.context or {}).get("today") or date.today()
        # One day of slack: a row written today east of the checking machine's time zone.
        if value > today + timedelta(days=1):
            raise PydanticCustomError(
                "future_date",
                "a date YYYY-MM-DD, not in the future (today is {today})",
                {"today": today.isoformat()},
            )
        return value

    @property
    def key(self) -> tuple[Any, ...]:
        """The row's key (see ``key_fields``)."""
        return tuple(getattr(self, f) for f in self.key_fields)

    @property
    def label(self) -> str:
        """The key as one readable string."""
        return "/".join(str(k) for k in self.key if k is not None)
