"""The question every comparison asks: is ``candidate`` cheaper than ``baseline`` for
``usage``, counted how (discount rate, capex view, residual credit)?

:class:`Question` validates the arguments once; every analysis function that compares two
options (break-even, sensitivity, Monte Carlo, Sobol, the best switch month) accepts one in
place of its first three arguments and the counting settings (:func:`takes_question`).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from tco.core.checks import check_capex, check_option, check_rate, check_usage
from tco.core.option import Option
from tco.core.parts import CapexView, CostContext
from tco.core.usage import Usage

__all__ = ["SETTINGS", "Question", "takes_question"]

SETTINGS = ("discount_rate", "capex", "credit_residual")
"""How costs are counted: the settings a Question carries besides the options and usage."""

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Question:
    """Baseline vs candidate against a usage, and how costs are counted.

    Parameters
    ----------
    baseline, candidate : Option
        Any two options (vendor API, self-hosted fleet or strategy), distinctly named.
    usage : Usage
    discount_rate : float
        Annual rate; with a rate, break-even is the discounted payback. [-]
    capex : {"cash", "amortized"}
        Cash view (hardware cost when paid) or accounting view (straight-line depreciation).
    credit_residual : bool
        Credit the book value of owned hardware at the end of the horizon (cash view).

    Examples
    --------
    >>> import tco
    >>> usage = tco.Usage.constant(1e9, months=24, output_share=0.5)
    >>> api = tco.VendorAPI("api", input_usd_per_mtok=3.0, output_usd_per_mtok=15.0)
    >>> cheap = tco.VendorAPI("cheap", input_usd_per_mtok=1.0, output_usd_per_mtok=5.0,
    ...                       setup_usd=18_000)
    >>> q = tco.Question(api, cheap, usage)
    >>> tco.break_even(q).months  # 18,000 / (9,000 - 3,000)
    3.0
    """

    baseline: Option
    candidate: Option
    usage: Usage
    discount_rate: float = 0.0
    capex: CapexView = "cash"
    credit_residual: bool = False

    def __post_init__(self) -> None:
        check_option(self.baseline, "baseline")
        check_option(self.candidate, "candidate")
        check_usage(self.usage)
        if self.baseline.name == self.candidate.name:
            raise ValueError(
                f"baseline and candidate are both named {self.baseline.name!r}; "
                "give them distinct names"
            )
        object.__setattr__(self, "discount_rate", check_rate(self.discount_rate))
        check_capex(self.capex)
        if not isinstance(self.credit_residual, bool):
            raise TypeError(f"credit_residual: {self.credit_residual!r} -> True or False")

    @property
    def horizon(self) -> int:
        """H. [months]"""
        return self.usage.horizon

    @property
    def context(self) -> CostContext:
        """The cost context of the whole horizon."""
        return CostContext(capex=self.capex, credit_residual=self.credit_residual)

    def settings(self) -> dict[str, Any]:
        """``discount_rate``, ``capex`` and ``credit_residual`` as keyword arguments."""
        return {k: getattr(self, k) for k in SETTINGS}

    def with_options(self, baseline: Option, candidate: Option) -> Question:
        """The same question about two other options."""
        return replace(self, baseline=baseline, candidate=candidate)

    def __repr__(self) -> str:
        rate = f", discount rate {self.discount_rate:.1%}" if self.discount_rate else ""
        return (
            f"Question({self.candidate.name!r} vs {self.baseline.name!r}, "
            f"{self.horizon} months{rate}, capex {self.capex})"
        )


def takes_question(func: F | None = None, *, as_options: bool = False) -> Any:
    """Let ``func(baseline, candidate, usage, ..., discount_rate=..., capex=...,
    credit_residual=...)`` also be called as ``func(question, ...)``; with ``as_options``,
    ``func(options, usage, ...)`` gets ``[baseline, candidate]`` as its options.

    The question's settings are passed to the parameters ``func`` has; giving one again as
    an argument is an error (the question is the one place it is said).
    """
    if func is None:
        return functools.partial(takes_question, as_options=as_options)
    signature = inspect.signature(func)
    accepted = [k for k in SETTINGS if k in signature.parameters]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not (args and isinstance(args[0], Question)):
            return func(*args, **kwargs)
        q, rest = args[0], args[1:]
        lead: tuple[Any, ...] = (q.baseline, q.candidate, q.usage)
        if as_options:
            lead = ([q.baseline, q.candidate], q.usage)
        given = signature.bind_partial(*lead, *rest, **kwargs)
        twice = [k for k in accepted if k in given.arguments]
        if twice:
            raise TypeError(
                f"{', '.join(twice)}: set by the Question ({q!r}); do not pass it again"
            )
        settings = {k: getattr(q, k) for k in accepted}
        return func(*lead, *rest, **kwargs, **settings)

    return wrapper  # type: ignore[return-value]
