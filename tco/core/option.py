"""What every option is: something that turns usage into cost parts.

Vendor APIs, self-hosted fleets and strategies (:mod:`tco.options`) all subclass
:class:`Option`. An option declares its variable inputs as parameters
(:mod:`tco.core.params`) and its cost components with their labels (``COMPONENTS``); its
:meth:`~Option.costs` reads its own fields, which in a batch hold one value per scenario.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field

from tco.core.arrays import UsageArrays
from tco.core.params import Declared, children, declared, vary
from tco.core.parts import CostContext, CostParts

__all__ = ["Option", "component_label", "component_labels", "data_leaves"]


class Option(BaseModel, ABC):
    """An alternative for serving a workload: a vendor API, a fleet, or a strategy."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    COMPONENTS: ClassVar[Mapping[str, str]] = {}
    """Cost components this option type adds, name -> label (for tables and legends)."""

    name: Annotated[str, Field(min_length=1, strict=True)]
    sources: tuple[str, ...] = ()
    """Where the option's figures come from (catalog rows: source and date)."""

    @abstractmethod
    def costs(self, usage: UsageArrays, context: CostContext) -> CostParts:
        """Costs of serving ``usage`` in ``context``, read from the option's own fields."""

    def cost_parts(
        self, usage: UsageArrays, context: CostContext | None = None, **values: Any
    ) -> CostParts:
        """Costs by component and timing; ``values`` set parameters by path (numbers, or
        arrays of shape ``(n,)`` for a batch; see :meth:`parameters`)."""
        return self.vary(values).costs(usage, context or CostContext())

    def vary(self, values: Mapping[str, Any]) -> Self:
        """A copy with parameters set by path (see :func:`tco.core.params.vary`)."""
        return vary(self, values)  # type: ignore[no-any-return]

    def parameters(self) -> dict[str, Declared]:
        """Every declared parameter of the option, by path."""
        return declared(self)

    def core_params(self) -> dict[str, Any]:
        """The value of every declared parameter, by path."""
        return {path: item.value for path, item in self.parameters().items()}

    def uses_gpus(self) -> bool:
        """Whether the option runs a fleet of its own (alone or as part of a strategy)."""
        return any(
            child.uses_gpus() for child in children(self).values() if isinstance(child, Option)
        )


def data_leaves(option: Option) -> bool:
    """Whether ``option`` sends data outside the organisation's environment.

    Options that do not say (no ``data_leaves_environment`` attribute) are assumed to.
    """
    return bool(getattr(option, "data_leaves_environment", True))


def component_labels() -> dict[str, str]:
    """Labels of the cost components every option type declares, by component name."""
    labels: dict[str, str] = {}
    stack: list[type] = [Option]
    while stack:
        cls = stack.pop()
        labels.update(getattr(cls, "COMPONENTS", {}))
        stack.extend(cls.__subclasses__())
    return labels


def component_label(name: str) -> str:
    """The label of a component (``"then.setup"`` reads as its last part's label).

    Examples
    --------
    >>> component_label("no_such_component")
    'No such component'
    """
    base = name.rsplit(".", 1)[-1]
    label = component_labels().get(base) or base.replace("_", " ").capitalize()
    prefix = name[: -len(base) - 1] if base != name else ""
    return f"{label} ({prefix})" if prefix else label
