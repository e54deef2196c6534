"""Declared parameters: the numeric fields that analyses may vary, each declared once.

A model field becomes a parameter by carrying a :class:`Param` in its annotation, with a
human label and a unit::

    usd_per_gpu_hour: Annotated[float, Field(gt=0), Param("GPU rental price", "USD/GPU-hour")]

Everything that varies inputs derives from these declarations: the parameter paths of
sensitivity analyses and Monte Carlo (:func:`declared`), the values a batch runs with
(:func:`vary`), the check of each value against the model's own validation
(:func:`rejection`), axis labels (:attr:`Declared.axis_label`) and the drivers of a
recommendation (:attr:`Param.driver`). No list of parameters is kept by hand.

Paths are dotted: a field of a sub-model is ``"procurement.usd_per_gpu_hour"``. A model
names its sub-models by defining ``param_children()`` (a mapping prefix -> sub-model,
default: its fields that hold models; prefix ``""`` lifts the sub-model's parameters to its
own level) and, when it overrides that, ``with_param_children(children)`` to rebuild itself
with varied sub-models.

A varied copy is made with ``model_copy(update=...)``: no validation runs, so a field may
hold an array of shape ``(n,)`` (one value per scenario of a batch) where the model declares
a float. The cost engine broadcasts such arrays; values are checked beforehand with
:func:`rejection`.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

__all__ = [
    "Declared",
    "Param",
    "ParamError",
    "children",
    "declared",
    "rejection",
    "values_in",
    "vary",
]


class ParamError(KeyError):
    """An unknown parameter path, or one naming a field that cannot be varied."""

    def __str__(self) -> str:  # KeyError would show the message quoted, with escapes
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Param:
    """Marks a numeric model field as a parameter analyses may vary.

    Attributes
    ----------
    label : str
        What the number is, in words (``"GPU rental price"``).
    unit : str
        Its unit (``"USD/GPU-hour"``, ``"share"``, ``"tokens/month"``).
    driver : str, optional
        The recommendation driver it belongs to (``"gpu_price"``, ``"api_price"``,
        ``"api_price_decline"``, ``"utilisation"``), if any.
    """

    label: str
    unit: str
    driver: str | None = None


@dataclass(frozen=True)
class Declared:
    """One declared parameter of a model, found by :func:`declared`.

    Attributes
    ----------
    path : str
        Dotted path from the model (``"procurement.usd_per_gpu_hour"``).
    param : Param
        The declaration (label, unit, driver).
    value : float, int or None
        The value in the model (None for an optional field left unset).
    integer : bool
        True for whole-number fields (replica counts).
    holder : BaseModel
        The model that holds the field.
    field : str
        The field's name in ``holder``.
    """

    path: str
    param: Param
    value: float | int | None
    integer: bool
    holder: BaseModel
    field: str

    @property
    def axis_label(self) -> str:
        """``"label [unit]"`` for a chart axis."""
        return f"{self.param.label} [{self.param.unit}]"


def _param_of(info: Any) -> Param | None:
    """The field's :class:`Param`, also when it sits in one arm of ``X | None``."""
    found = next((m for m in info.metadata if isinstance(m, Param)), None)
    if found is not None:
        return found
    for arm in typing.get_args(info.annotation):
        if typing.get_origin(arm) is typing.Annotated:
            found = next((m for m in arm.__metadata__ if isinstance(m, Param)), None)
            if found is not None:
                return found
    return None


def _is_integer(annotation: Any) -> bool:
    """Whether a field annotation is ``int`` or ``int | None``."""
    if annotation is int:
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        return _is_integer(typing.get_args(annotation)[0])
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        return any(_is_integer(a) for a in typing.get_args(annotation) if a is not type(None))
    return False


def children(model: BaseModel) -> dict[str, BaseModel]:
    """The sub-models whose parameters belong to ``model``, by path prefix."""
    own = getattr(model, "param_children", None)
    if callable(own):
        return dict(own())
    return {
        name: value
        for name in type(model).model_fields
        if isinstance(value := getattr(model, name), BaseModel)
    }


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


@functools.cache
def _declarations(cls: type[BaseModel]) -> tuple[tuple[str, Param, bool], ...]:
    """A model class's declared fields: (name, declaration, whole number), in field order."""
    out = []
    for name, info in cls.model_fields.items():
        param = _param_of(info)
        if param is not None:
            out.append((name, param, _is_integer(info.annotation)))
    return tuple(out)


def declared(model: BaseModel, prefix: str = "") -> dict[str, Declared]:
    """Every declared parameter of ``model`` and its sub-models, by dotted path.

    Examples
    --------
    >>> from typing import Annotated
    >>> class Fee(BaseModel):
    ...     usd: Annotated[float, Param("fee", "USD")] = 5.0
    >>> declared(Fee())["usd"].axis_label
    'fee [USD]'
    """
    out: dict[str, Declared] = {}
    for name, param, integer in _declarations(type(model)):
        path = _join(prefix, name)
        out[path] = Declared(path, param, getattr(model, name), integer, model, name)
    for sub_prefix, child in children(model).items():
        out.update(declared(child, _join(prefix, sub_prefix)))
    return out


def values_in(model: BaseModel, unit: str, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(path, value) of every declared parameter of ``model`` and its sub-models in
    ``unit``: what :func:`declared` finds of that unit, read without building a
    :class:`Declared` for each (a check on every costing).

    Examples
    --------
    >>> from typing import Annotated
    >>> class Fee(BaseModel):
    ...     usd: Annotated[float, Param("fee", "USD")] = 5.0
    ...     share: Annotated[float, Param("share", "share")] = 0.5
    >>> list(values_in(Fee(), "USD"))
    [('usd', 5.0)]
    """
    for name, param, _ in _declarations(type(model)):
        if param.unit == unit:
            yield _join(prefix, name), getattr(model, name)
    for sub_prefix, child in children(model).items():
        yield from values_in(child, unit, _join(prefix, sub_prefix))


def _split(values: Mapping[str, Any], model: BaseModel) -> tuple[dict, dict[str, dict]]:
    """Values for ``model``'s own fields, and values for each child prefix."""
    own: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    prefixes = sorted(children(model), key=len, reverse=True)
    for path, value in values.items():
        if "." not in path and path in type(model).model_fields:
            own[path] = value
            continue
        for pre in prefixes:
            if pre == "" or path.startswith(f"{pre}."):
                rest = path if pre == "" else path[len(pre) + 1 :]
                nested.setdefault(pre, {})[rest] = value
                break
        else:
            own[path] = value
    return own, nested


def vary(model: BaseModel, values: Mapping[str, Any]) -> Any:
    """A copy of ``model`` with the parameters at ``values``' paths set (no validation).

    Values may be arrays of shape ``(n,)`` for a batch. A model may adjust the update with
    ``param_update(changes) -> changes`` (e.g. a price that follows another unless set).

    Raises
    ------
    ParamError
        For a path that names no declared parameter (the message lists the valid ones).

    Examples
    --------
    >>> from typing import Annotated
    >>> class Fee(BaseModel):
    ...     usd: Annotated[float, Param("fee", "USD")] = 5.0
    >>> vary(Fee(), {"usd": 7.0}).usd
    7.0
    """
    if not values:
        return model
    known = declared(model)
    unknown = [p for p in values if p not in known]
    if unknown:
        raise ParamError(f"unknown parameter(s) {sorted(unknown)}; valid ones are {sorted(known)}")
    return _vary_checked(model, values)


def _vary_checked(model: BaseModel, values: Mapping[str, Any]) -> Any:
    own, nested = _split(values, model)
    hook = getattr(model, "param_update", None)
    if callable(hook):
        own = hook(own)
    copy = model.model_copy(update=own) if own else model
    if not nested:
        return copy
    subs = children(copy)
    varied = {pre: _vary_checked(subs[pre], v) for pre, v in nested.items()}
    rebuild = getattr(copy, "with_param_children", None)
    if callable(rebuild):
        return rebuild(varied)
    return copy.model_copy(update=varied)


def _first_error(err: ValidationError) -> str:
    e = err.errors()[0]
    where = ".".join(str(p) for p in e.get("loc", ()))
    return f"{e['msg']}" + (f" ({where})" if where else "")


def _validate(model: BaseModel, changes: Mapping[str, Any]) -> None:
    """Run ``model``'s validation with ``changes`` to its own fields (sub-models as given)."""
    data = {k: getattr(model, k) for k in type(model).model_fields}
    type(model).model_validate({**data, **changes})


def rejection(item: Declared, value: Any, root: BaseModel | None = None) -> str | None:
    """Why the model would reject ``value`` for the parameter (None when it accepts it).

    The holding model is validated with the field set to ``value``, so every bound it
    declares (a price >= 0, a share in [0, 1]) and every validator applies; then ``root``,
    the model the path starts from, with the parameter varied (its own validators, e.g. a
    usage curve that must stay finite).
    """
    value = int(value) if item.integer else value
    try:
        _validate(item.holder, {item.field: value})
        if root is not None and root is not item.holder:
            varied = vary(root, {item.path: value})
            _validate(varied, {})
    except ValidationError as err:
        return _first_error(err)
    return None
