"""Task classes and the routed option: each class of work served by the option it is
assigned to.

A workload is a mix of task classes (:class:`TaskClass`): each takes a share of the
tokens, may have its own token shape (output share, cache share), needs a capability, and
may require that its data stays in the environment. Options declare the capability they
meet, either as a tier (``"basic" < "strong" < "frontier"``) or as a score from a benchmark
of your choice (any number, higher is better). :class:`Routed` serves each class with its
option; :func:`tco.route` finds the cheapest assignment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny, model_validator

from tco.core.arrays import UsageArrays
from tco.core.option import Option, data_leaves
from tco.core.parts import CostContext, CostParts
from tco.core.units import Flag, Number, Share
from tco.options.composite import combine_parts

__all__ = [
    "TIERS",
    "Capability",
    "CapabilitySpec",
    "Routed",
    "TaskClass",
    "Tier",
    "capability_for",
    "check_classes",
    "class_arrays",
    "meets",
]

Tier = Literal["basic", "strong", "frontier"]
TIERS: dict[str, int] = {"basic": 1, "strong": 2, "frontier": 3}
"""Capability tiers in increasing order."""

Capability = Tier | float
CapabilitySpec = Capability | Mapping[str, Capability]


class TaskClass(BaseModel):
    """A class of work within a workload.

    Parameters
    ----------
    name : str
        Label, e.g. ``"extraction"``.
    share : float
        Share of the workload's tokens (input + output) in this class. (0-1]
    need : {"basic", "strong", "frontier"} or float
        Capability the class needs: a tier, or a minimum benchmark score.
    output_share, cached_input_share : float, optional
        The class's own token shape; defaults to the workload's. [0-1]
    data_must_stay : bool
        True when the class's data may not leave the environment (regulated data).
    description : str

    Examples
    --------
    >>> TaskClass("extraction", share=0.6, need="basic", output_share=0.1)
    TaskClass('extraction', share=0.6, need='basic')
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    name: Annotated[str, Field(strict=True)]
    share: Annotated[Number, Field(gt=0.0, le=1.0)]
    need: Tier | Number
    output_share: Share | None = None
    cached_input_share: Share | None = None
    data_must_stay: Flag = False
    description: Annotated[str, Field(strict=True)] = ""

    def __init__(self, name: str | None = None, /, **data: Any) -> None:
        if name is not None:
            data["name"] = name
        super().__init__(**data)

    def __repr__(self) -> str:
        stay = ", data_must_stay=True" if self.data_must_stay else ""
        return f"TaskClass({self.name!r}, share={self.share:g}, need={self.need!r}{stay})"

    __str__ = __repr__


def meets(capability: Capability, need: Capability) -> bool:
    """Whether a capability meets a need: tiers by rank, scores by value.

    Examples
    --------
    >>> meets("frontier", "strong"), meets("basic", "strong"), meets(82.0, 80)
    (True, False, True)
    """
    cap_tier, need_tier = isinstance(capability, str), isinstance(need, str)
    if cap_tier != need_tier:
        raise ValueError(
            f"cannot compare capability {capability!r} with need {need!r}: use tiers "
            f"({', '.join(TIERS)}) or scores on both sides"
        )
    if cap_tier:
        return TIERS[capability] >= TIERS[need]  # type: ignore[index]
    return float(capability) >= float(need)


def class_arrays(usage: UsageArrays, classes: Sequence[TaskClass]) -> list[UsageArrays]:
    """Token arrays of each class (broadcast over a batch like ``usage``).

    A class takes its share of the input and output tokens, or, with an output share of its
    own, that split of its share of the total; its cached input follows the workload's
    cache ratio unless it has its own. Requests follow the tokens.
    """
    total = usage.total
    with np.errstate(divide="ignore", invalid="ignore"):
        cache_ratio = np.where(usage.input > 0, usage.cached_input / usage.input, 0.0)
    out = []
    for c in classes:
        if c.output_share is None:
            inp, outp = usage.input * c.share, usage.output * c.share
        else:
            inp = total * c.share * (1.0 - c.output_share)
            outp = total * c.share * c.output_share
        cached = inp * (cache_ratio if c.cached_input_share is None else c.cached_input_share)
        part = replace(usage.scaled(c.share), input=inp, output=outp, cached_input=cached)
        if usage.cache_writes is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(usage.input > 0, usage.cache_writes / usage.input, 0.0)
            part = replace(part, cache_writes=inp * ratio)
        out.append(part)
    return out


def capability_for(
    spec: CapabilitySpec | None, cls: TaskClass
) -> tuple[Capability | None, str | None]:
    """An option's capability for a class from its declaration, or why there is none."""
    if spec is None:
        return None, "no capability declared for this option"
    if isinstance(spec, Mapping):
        if cls.name not in spec:
            return None, f"no capability declared for class {cls.name!r}"
        return spec[cls.name], None
    return spec, None


def check_classes(classes: Sequence[TaskClass]) -> tuple[TaskClass, ...]:
    classes = tuple(classes)
    if not classes:
        raise ValueError("classes: empty -> give at least one TaskClass")
    for i, c in enumerate(classes):
        if not isinstance(c, TaskClass):
            raise TypeError(f"classes[{i}]: {type(c).__name__} -> expected a tco.TaskClass")
    names = [c.name for c in classes]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"classes: duplicate name(s) {dupes}")
    total = sum(c.share for c in classes)
    if abs(total - 1.0) > 1e-6:
        raise ValueError(
            f"classes: shares add up to {total:.6g} -> they must add up to 1 "
            f"({', '.join(f'{c.name}={c.share:g}' for c in classes)})"
        )
    kinds = {isinstance(c.need, str) for c in classes}
    if len(kinds) > 1:
        raise ValueError("classes: needs mix tiers and scores -> use one or the other")
    return classes


# --------------------------------------------------------------------------- Routed
class Routed(Option):
    """An option that serves each task class with its assigned option.

    Classes sent to the same option are served together; every part is costed against
    its classes' tokens only. Usually built by :func:`route` (``Routing.option``).

    Parameters
    ----------
    classes : tuple of TaskClass
    options : tuple of Option
        The options in use.
    routes : tuple of tuple of str
        For each option, the names of the classes it serves.

    Notes
    -----
    :meth:`core_params` keys are ``"route1.<path>"``, ``"route2.<path>"``, ... in the order
    of ``options``.
    """

    classes: tuple[TaskClass, ...]
    options: tuple[SerializeAsAny[Option], ...]
    routes: tuple[tuple[str, ...], ...]

    @model_validator(mode="after")
    def _check_routes(self) -> Routed:
        check_classes(self.classes)
        if len(self.routes) != len(self.options):
            raise ValueError("routes: one tuple of class names per option")
        known = [c.name for c in self.classes]
        seen = [n for r in self.routes for n in r]
        unknown = sorted(set(seen) - set(known))
        if unknown:
            raise ValueError(f"routes: unknown class(es) {unknown}; classes are {known}")
        if sorted(seen) != sorted(known):
            raise ValueError("routes: every class must be routed to exactly one option")
        return self

    @property
    def data_leaves_environment(self) -> bool:
        return any(data_leaves(o) for o in self.options)

    def param_children(self) -> dict[str, BaseModel]:
        """Each option's parameters under ``route1.``, ``route2.``, ..."""
        return {f"route{i + 1}": o for i, o in enumerate(self.options)}

    def with_param_children(self, children: Mapping[str, Any]) -> Routed:
        options = tuple(children.get(f"route{i + 1}", o) for i, o in enumerate(self.options))
        return self.model_copy(update={"options": options})

    def costs(self, usage: UsageArrays, context: CostContext) -> CostParts:
        """Each option's costs for its classes' tokens."""
        names = [c.name for c in self.classes]
        by_name = dict(zip(names, class_arrays(usage, self.classes), strict=True))
        parts = []
        for i, (option, served) in enumerate(zip(self.options, self.routes, strict=True)):
            tokens = UsageArrays.combined([by_name[n] for n in served], usage)
            parts.append((f"route{i + 1}", option.costs(tokens, context)))
        return combine_parts(parts)

    def __repr__(self) -> str:
        routes = "; ".join(
            f"{o.name}: {', '.join(r)}" for o, r in zip(self.options, self.routes, strict=True)
        )
        return f"Routed({self.name!r}: {routes})"

    __str__ = __repr__
