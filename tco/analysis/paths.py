"""Parameter paths: readable names for the numbers a sensitivity analysis varies.

A path names one numeric input of a comparison of two options against a usage:

* ``"baseline.<key>"`` and ``"candidate.<key>"``, where ``<key>`` is a key of the option's
  :meth:`~tco.core.costs.Option.core_params` (``"output_usd_per_mtok"``,
  ``"procurement.usd_per_gpu_hour"``, ``"fleet.decode_tokens_per_s"`` for a strategy);
* ``"usage.<field>"``, a parameter of the usage curve (``"usage.start"``,
  ``"usage.monthly_growth"``, ``"usage.tokens"``; ``"usage.scale"`` multiplies a series)
  or of its shape (``"usage.output_share"``, ``"usage.cached_input_share"``,
  ``"usage.peak_to_average"``, ``"usage.operating_hours_per_month"``).

Paths are derived from the models themselves, so a new option type or strategy needs no
registration: whatever its ``core_params()`` returns can be varied. Values are checked
against the models' own validation (a price must be >= 0, a share within [0, 1], a
replica count whole), so a draw the engine would reject as a model is rejected here too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel, ValidationError

from tco.core.costs import Option
from tco.core.usage import _SHAPE_FIELDS, SeriesCurve, Usage

ROLES = ("baseline", "candidate", "usage")


class ParameterPathError(KeyError):
    """An unknown parameter path, or one naming a field that cannot be varied."""

    def __str__(self) -> str:  # KeyError would show the message quoted, with escapes
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Parameter:
    """One numeric input addressed by a path.

    Attributes
    ----------
    path : str
        ``"role.key"``, e.g. ``"candidate.procurement.usd_per_gpu_hour"``.
    role : {"baseline", "candidate", "usage"}
    key : str
        The override key the engine takes (``core_params`` key or usage parameter).
    base : float or None
        The value in the model as given (None for an optional field left unset).
    integer : bool
        True for whole-number fields (replica counts, GPUs per replica).
    """

    path: str
    role: str
    key: str
    base: float | None
    integer: bool


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _usage_params(usage: Usage) -> dict[str, Any]:
    curve = usage.curve
    keys = [k for k in type(curve).model_fields if k not in ("kind", "months", "values")]
    out: dict[str, Any] = {k: getattr(curve, k) for k in keys}
    if isinstance(curve, SeriesCurve):
        out["scale"] = 1.0
    for k in sorted(_SHAPE_FIELDS):
        out[k] = getattr(usage, k)
    return out


def _descend(model: Any, dotted: str) -> tuple[BaseModel, str] | None:
    """The model holding the last field of ``dotted`` and that field's name, if any."""
    *heads, name = dotted.split(".")
    obj = model
    for head in heads:
        parts = obj._parts() if hasattr(obj, "_parts") else {}
        if head in parts:
            obj = parts[head]
        elif isinstance(getattr(obj, head, None), BaseModel):
            obj = getattr(obj, head)
        else:
            return None
    if isinstance(obj, BaseModel) and name in type(obj).model_fields:
        return obj, name
    return None


def _fields(model: BaseModel) -> dict[str, Any]:
    return {k: getattr(model, k) for k in type(model).model_fields}


def _with_value(model: BaseModel, name: str, value: Any) -> BaseModel:
    """``model`` re-validated with field ``name`` set to ``value`` (raises ValidationError)."""
    return type(model).model_validate({**_fields(model), name: value})


def _first_error(err: ValidationError) -> str:
    e = err.errors()[0]
    where = ".".join(str(p) for p in e.get("loc", ()))
    return f"{e['msg']}" + (f" ({where})" if where else "")


class ParameterSpace:
    """The numeric inputs of ``baseline`` vs ``candidate`` against ``usage``, by path.

    Parameters
    ----------
    baseline, candidate : Option
        Any two options (vendor API, self-hosted fleet or strategy).
    usage : Usage

    Examples
    --------
    >>> import tco
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=4.0)
    >>> fleet = tco.SelfHosted("fleet", prefill_tokens_per_s=10_000, decode_tokens_per_s=1_000,
    ...                        procurement=tco.Rent(2.0))
    >>> usage = tco.Usage.compound(start=1e9, monthly_growth=0.05, months=12, output_share=0.2)
    >>> space = ParameterSpace(api, fleet, usage)
    >>> space.resolve("candidate.procurement.usd_per_gpu_hour").base
    2.0
    >>> "usage.monthly_growth" in space.paths
    True
    """

    def __init__(self, baseline: Option, candidate: Option, usage: Usage) -> None:
        for role, opt in (("baseline", baseline), ("candidate", candidate)):
            if not isinstance(opt, Option):
                raise TypeError(
                    f"{role}: {type(opt).__name__} -> expected a VendorAPI, SelfHosted or strategy"
                )
        if not isinstance(usage, Usage):
            raise TypeError(f"usage: {type(usage).__name__} -> expected a tco.Usage")
        self.models: dict[str, Any] = {"baseline": baseline, "candidate": candidate, "usage": usage}
        self._params: dict[str, dict[str, Any]] = {
            "baseline": baseline.core_params(),
            "candidate": candidate.core_params(),
            "usage": _usage_params(usage),
        }

    @property
    def paths(self) -> list[str]:
        """Every path that can be varied, role by role."""
        return [
            f"{role}.{key}"
            for role in ROLES
            for key, value in self._params[role].items()
            if value is None or _is_number(value)
        ]

    def _valid(self, role: str | None = None) -> str:
        paths = [p for p in self.paths if role is None or p.startswith(f"{role}.")]
        return ", ".join(paths)

    def resolve(self, path: str) -> Parameter:
        """The :class:`Parameter` a path names; unknown or non-numeric paths raise.

        Raises
        ------
        ParameterPathError
            For an unknown path (the message lists the valid ones) or a field that is not
            a number the engine can vary (names, labels, flags).
        """
        if not isinstance(path, str):
            raise ParameterPathError(
                f"parameter path {path!r}: {type(path).__name__} -> a string such as "
                f"'candidate.procurement.usd_per_gpu_hour'; valid paths: {self._valid()}"
            )
        role, _, key = path.partition(".")
        if role not in ROLES or not key:
            raise ParameterPathError(
                f"unknown parameter path {path!r}: it must start with 'baseline.', "
                f"'candidate.' or 'usage.'; valid paths: {self._valid()}"
            )
        params = self._params[role]
        if key in params:
            value = params[key]
            if value is None or _is_number(value):
                base = None if value is None else float(value)
                integer = isinstance(value, int | np.integer)
                return Parameter(path=path, role=role, key=key, base=base, integer=integer)
            raise ParameterPathError(
                f"parameter path {path!r}: {type(value).__name__} value {value!r} is not "
                f"numeric and cannot be varied; numeric paths of {role}: {self._valid(role)}"
            )
        model = self.models[role]
        found = _descend(model, key)
        if found is None and role == "usage":
            found = _descend(model.curve, key)
        if found is not None:
            holder, name = found
            value = getattr(holder, name)
            what = (
                "is not among the parameters the cost engine can vary"
                if value is None or _is_number(value)
                else f"is a {type(value).__name__}, not a number, and cannot be varied"
            )
            raise ParameterPathError(
                f"parameter path {path!r}: field {name!r} (= {value!r}) {what}; "
                f"numeric paths of {role}: {self._valid(role)}"
            )
        raise ParameterPathError(
            f"unknown parameter path {path!r}; valid paths of {role}: {self._valid(role)}"
        )

    def check(self, param: Parameter, values: Any, what: str = "values") -> np.ndarray:
        """``values`` as a float array, checked against the model's own validation.

        Every value must be finite (and whole for integer fields); the smallest and the
        largest are set into a copy of the model, whose validators must accept them.

        Raises
        ------
        ValueError
            Naming the path, the offending value and what the field allows.
        """
        try:
            arr = np.asarray(values, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{param.path}: {what} {values!r} -> numbers are needed") from None
        flat = arr.ravel()
        if flat.size == 0:
            raise ValueError(f"{param.path}: {what} are empty -> at least one value is needed")
        bad = ~np.isfinite(flat)
        if bad.any():
            raise ValueError(
                f"{param.path}: {what} include {float(flat[bad][0])!r} ({int(bad.sum()):,} of "
                f"{flat.size:,}) -> every value must be a finite number"
            )
        if param.integer:
            frac = flat != np.round(flat)
            if frac.any():
                raise ValueError(
                    f"{param.path}: {what} include {float(flat[frac][0])!r} -> this field takes "
                    "whole numbers (use a discrete distribution such as scipy.stats.randint)"
                )
        lo, hi = float(flat.min()), float(flat.max())
        for bound, value in (("smallest", lo), ("largest", hi)):
            msg = self._reject(param, int(value) if param.integer else value)
            if msg is not None:
                hint = ""
                if value < 0:
                    share = float(np.mean(flat < 0))
                    hint = (
                        f"; {share:.2%} of the {what} are negative -> use a distribution bounded "
                        "below, e.g. scipy.stats.lognorm, gamma, uniform or truncnorm"
                    )
                raise ValueError(
                    f"{param.path}: the {bound} of the {what}, {value!r}, is not allowed: "
                    f"{msg}{hint}"
                )
            if lo == hi:
                break
        return arr

    def _reject(self, param: Parameter, value: float) -> str | None:
        """Why the model rejects ``value`` for ``param`` (None when it accepts it)."""
        model = self.models[param.role]
        try:
            if param.role == "usage":
                if param.key in _SHAPE_FIELDS:
                    _with_value(model, param.key, value)
                elif param.key == "scale":
                    if value < 0:
                        return "Input should be greater than or equal to 0"
                else:
                    curve = _with_value(model.curve, param.key, value)
                    _with_value(model, "curve", curve)
                return None
            found = _descend(model, param.key)
            if found is not None:
                _with_value(found[0], found[1], value)
            elif value < 0 and (param.base is None or param.base >= 0):
                return "must be >= 0 like its value in the model"
        except ValidationError as err:
            return _first_error(err)
        return None

    def split(
        self, values: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        """Overrides for the baseline, the candidate and the usage, from path -> values."""
        out: dict[str, dict[str, Any]] = {role: {} for role in ROLES}
        for path, v in values.items():
            p = self.resolve(path)
            out[p.role][p.key] = v
        return out["baseline"], out["candidate"], out["usage"]


def parameter_paths(baseline: Option, candidate: Option, usage: Usage) -> list[str]:
    """Every parameter path of a comparison that sensitivity functions can vary.

    Examples
    --------
    >>> import tco
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=4.0)
    >>> cheap = tco.VendorAPI("cheap", input_usd_per_mtok=0.5, output_usd_per_mtok=2.0)
    >>> usage = tco.Usage.constant(1e9, months=12, output_share=0.2)
    >>> [p for p in parameter_paths(api, cheap, usage) if p.startswith("usage.")]
    ['usage.tokens', 'usage.cached_input_share', 'usage.operating_hours_per_month', \
'usage.output_share', 'usage.peak_to_average']
    """
    return ParameterSpace(baseline, candidate, usage).paths


def check_paths(space: ParameterSpace, paths: Iterable[str], what: str) -> list[Parameter]:
    """Resolve ``paths`` (a mapping's keys), refusing none and duplicates."""
    params = [space.resolve(p) for p in paths]
    if not params:
        raise ValueError(f"{what}: empty -> give at least one parameter path")
    return params


def is_number(value: Any) -> bool:
    """True for an int or float (not a bool), the values a path may take."""
    return _is_number(value) and math.isfinite(float(value))
