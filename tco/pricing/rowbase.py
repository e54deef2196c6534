"""The base of the pricing row models: frozen rows, empty cells as None, dated sources.

Every file of the catalog has a row model derived from :class:`PricingRow`; the columns
every file ends with (``source``, ``as_of``, ``notes``) are declared here once, and
:func:`row_rule` makes the error of a rule between cells of one row, reported at the
column it names.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from tco.pricing.cells import IsoDate, Name

__all__ = ["ROW_RULE", "AsOf", "Notes", "PricingRow", "Source", "row_rule"]

ROW_RULE = "row_rule"
"""Error type of a rule between cells; its message is shown as what the cell allows."""

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
    optional_columns: ClassVar[tuple[str, ...]] = ()
    """Columns added after the file's format was first published: a file may leave any of
    them out of its header (its rows then read them as empty)."""

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


def row_rule(column: str, message: str) -> PydanticCustomError:
    """A rule between cells of one row, reported at ``column`` (see :mod:`tco.pricing.parse`);
    ``message`` says what the cell allows (braces are shown as parentheses).

    Examples
    --------
    >>> err = row_rule("successor", "another model's id")
    >>> err.type, err.context, str(err)
    ('row_rule', {'column': 'successor'}, "another model's id")
    """
    text = message.replace("{", "(").replace("}", ")")
    return PydanticCustomError(ROW_RULE, text, {"column": column})
