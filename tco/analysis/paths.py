"""Parameter paths: readable names for the numbers a sensitivity analysis varies.

A path names one declared parameter (:mod:`tco.core.params`) of a comparison of two options
against a usage:

* ``"baseline.<key>"`` and ``"candidate.<key>"``, where ``<key>`` is a path of the option's
  declared parameters (``"output_usd_per_mtok"``, ``"procurement.usd_per_gpu_hour"``,
  ``"fleet.decode_tokens_per_s"`` for a strategy);
* ``"usage.<field>"``, a parameter of the usage curve (``"usage.start"``,
  ``"usage.monthly_growth"``, ``"usage.tokens"``; ``"usage.scale"`` multiplies a series)
  or of its shape (``"usage.output_share"``, ``"usage.peak_to_average"``, ...).

Paths come from the models' declarations, so a new option type or strategy needs no
registration. Values are checked against the models' own validation (a price must be >= 0,
a share within [0, 1], a replica count whole), so a draw the engine would reject as a model
is rejected here too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel

from tco.core.checks import check_option, check_usage, refuse_flags
from tco.core.option import Option
from tco.core.params import Declared, ParamError, children, declared, rejection
from tco.core.usage import Usage

__all__ = [
    "ROLES",
    "Parameter",
    "ParameterPathError",
    "ParameterSpace",
    "check_paths",
    "is_number",
    "parameter_paths",
]

ROLES = ("baseline", "candidate", "usage")

ParameterPathError = ParamError
"""An unknown parameter path, or one naming a field that cannot be varied."""


@dataclass(frozen=True)
class Parameter:
    """One declared parameter addressed by a path.

    Attributes
    ----------
    path : str
        ``"role.key"``, e.g. ``"candidate.procurement.usd_per_gpu_hour"``.
    role : {"baseline", "candidate", "usage"}
    key : str
        The path within the role's model.
    base : float or None
        The value in the model as given (None for an optional field left unset).
    integer : bool
        True for whole-number fields (replica counts, GPUs per replica).
    declared : Declared
        The declaration: label, unit and the model holding the field.
    """

    path: str
    role: str
    key: str
    base: float | None
    integer: bool
    declared: Declared

    @property
    def label(self) -> str:
        """``"candidate: GPU rental price [USD/GPU-hour]"``, for tables and chart axes."""
        return f"{self.role}: {self.declared.axis_label}"


def is_number(value: Any) -> bool:
    """True for a finite int or float (not a bool), the values a path may take."""
    return (
        isinstance(value, int | float | np.integer | np.floating)
        and not isinstance(value, bool | np.bool_)
        and math.isfinite(float(value))
    )


def _find_field(model: BaseModel, dotted: str) -> tuple[str, Any] | None:
    """The field a dotted path names in ``model`` (declared or not): (name, value)."""
    head, _, rest = dotted.partition(".")
    if rest:
        subs = children(model)
        if head in subs:
            return _find_field(subs[head], rest)
        return None
    if head in type(model).model_fields:
        return head, getattr(model, head)
    lifted = children(model).get("")
    return None if lifted is None else _find_field(lifted, dotted)


def _not_variable(name: str, value: Any) -> str:
    if value is None or is_number(value):
        return f"field {name!r} (= {value!r}) is not among the parameters the cost engine can vary"
    kind = type(value).__name__
    return (
        f"field {name!r} (= {value!r}) is a {kind}, not a number ({kind} value {value!r} is "
        "not numeric) and cannot be varied"
    )


class ParameterSpace:
    """The declared parameters of ``baseline`` vs ``candidate`` against ``usage``, by path.

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
        check_option(baseline, "baseline")
        check_option(candidate, "candidate")
        check_usage(usage)
        self.models: dict[str, BaseModel] = {
            "baseline": baseline,
            "candidate": candidate,
            "usage": usage,
        }
        self.declared = {role: declared(model) for role, model in self.models.items()}

    @property
    def paths(self) -> list[str]:
        """Every path that can be varied, role by role."""
        return [f"{role}.{key}" for role in ROLES for key in self.declared[role]]

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
        item = self.declared[role].get(key)
        if item is not None:
            base = None if item.value is None else float(item.value)
            return Parameter(path, role, key, base, item.integer, item)
        found = _find_field(self.models[role], key)
        if found is not None:
            raise ParameterPathError(
                f"parameter path {path!r}: {_not_variable(*found)}; "
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
        flat = self._finite(param, values, what)
        lo, hi = float(flat.min()), float(flat.max())
        for bound, value in (("smallest", lo), ("largest", hi)):
            msg = rejection(param.declared, value, self.models[param.role])
            if msg is not None:
                raise ValueError(
                    f"{param.path}: the {bound} of the {what}, {value!r}, is not allowed: "
                    f"{msg}{_negative_hint(flat, value, what)}"
                )
            if lo == hi:
                break
        return np.asarray(values, dtype=float)

    @staticmethod
    def _finite(param: Parameter, values: Any, what: str) -> np.ndarray:
        refuse_flags(values, f"{param.path}: {what}")
        if isinstance(values, str | bytes):
            raise ValueError(f"{param.path}: {what} {values!r} -> numbers are needed, not text")
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
        return flat

    def split(
        self, values: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        """Values for the baseline, the candidate and the usage, from path -> values."""
        out: dict[str, dict[str, Any]] = {role: {} for role in ROLES}
        for path, v in values.items():
            p = self.resolve(path)
            out[p.role][p.key] = v
        return out["baseline"], out["candidate"], out["usage"]


def _negative_hint(flat: np.ndarray, value: float, what: str) -> str:
    if value >= 0:
        return ""
    share = float(np.mean(flat < 0))
    return (
        f"; {share:.2%} of the {what} are negative -> use a distribution bounded "
        "below, e.g. scipy.stats.lognorm, gamma, uniform or truncnorm"
    )


def parameter_paths(baseline: Option, candidate: Option, usage: Usage) -> list[str]:
    """Every parameter path of a comparison that sensitivity functions can vary.

    Examples
    --------
    >>> import tco
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=1.0, output_usd_per_mtok=4.0)
    >>> cheap = tco.VendorAPI("cheap", input_usd_per_mtok=0.5, output_usd_per_mtok=2.0)
    >>> usage = tco.Usage.constant(1e9, months=12, output_share=0.2)
    >>> [p for p in parameter_paths(api, cheap, usage) if p.startswith("usage.")]
    ['usage.output_share', 'usage.cached_input_share', 'usage.peak_to_average', \
'usage.operating_hours_per_month', 'usage.tokens_per_request', 'usage.bytes_per_request', \
'usage.cache_write_share', 'usage.reasoning_per_output', 'usage.tokens']
    """
    return ParameterSpace(baseline, candidate, usage).paths


def check_paths(space: ParameterSpace, paths: Iterable[str], what: str) -> list[Parameter]:
    """Resolve ``paths`` (a mapping's keys), refusing none."""
    params = [space.resolve(p) for p in paths]
    if not params:
        raise ValueError(f"{what}: empty -> give at least one parameter path")
    return params
