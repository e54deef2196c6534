"""What can go wrong with pricing data: problems, errors and warnings.

A :class:`PricingProblem` is one bad cell, row, header or file, shown as
``file:line: column: value -> allowed``; a :class:`PricingError` carries every problem found
at once. Look-ups raise :class:`UnknownPriceError` or :class:`AmbiguousPriceError`; stale
rows may raise :class:`StalePriceWarning`, a look-up of a retired model
:class:`RetiredModelWarning`. Everything here is re-exported by
:mod:`tco.pricing`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tco.pricing import csvtext

__all__ = [
    "AmbiguousPriceError",
    "PricingError",
    "PricingProblem",
    "RetiredModelWarning",
    "StalePriceWarning",
    "UnknownPriceError",
    "closest_keys",
    "one_problem",
    "show_value",
    "unknown_key_error",
]


@dataclass(frozen=True)
class PricingProblem:
    """One problem found in the pricing data.

    Attributes
    ----------
    file : str
        Path of the file (or folder) as it was given.
    line : int or None
        Physical line number, the header being line 1; None for a whole-file problem.
    column : str
        Column name, or ``(header)``, ``(row)``, ``(file)`` for structural problems.
    value : str
        The offending text as found.
    message : str
        What is allowed instead.

    Examples
    --------
    >>> str(PricingProblem("api_models.csv", 3, "input_usd_per_mtok", "-1", "a number >= 0"))
    "api_models.csv:3: input_usd_per_mtok: '-1' -> a number >= 0"
    """

    file: str
    line: int | None
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.column}: {show_value(self.value)} -> {self.message}"


def show_value(value: str, limit: int = 80) -> str:
    """A cell as shown in messages: quoted, undecodable bytes as ``b'...'``, shortened.

    Parameters
    ----------
    value : str
        The cell's text (undecodable bytes kept as surrogates, see :func:`csvtext.decode`).
    limit : int
        Longest text returned. [characters]

    Examples
    --------
    >>> show_value("gpt-4o")
    "'gpt-4o'"
    >>> show_value(csvtext.decode(b"caf\\xe9"))
    "b'caf\\\\xe9'"
    """
    if csvtext.bad_bytes(value):
        shown = repr(value.encode("utf-8", errors="surrogateescape"))
    else:
        shown = repr(value)
    return shown if len(shown) <= limit else shown[: limit - 4] + "...'"


class PricingError(ValueError):
    """The pricing data has problems; ``problems`` lists every one of them.

    Examples
    --------
    >>> err = PricingError([PricingProblem("gpu_offers.csv", 4, "plan", "weekly",
    ...                                    "one of on_demand, reserved_1y, reserved_3y, spot")])
    >>> print(err)
    1 problem in the pricing data:
      gpu_offers.csv:4: plan: 'weekly' -> one of on_demand, reserved_1y, reserved_3y, spot
    >>> isinstance(err, ValueError), len(err.problems)
    (True, 1)
    """

    def __init__(self, problems: Iterable[PricingProblem]) -> None:
        self.problems: list[PricingProblem] = list(problems)
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in the pricing data:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


def one_problem(
    file: str | Path, line: int | None, column: str, value: str, message: str
) -> PricingError:
    """A :class:`PricingError` holding one problem (arguments as for PricingProblem).

    Examples
    --------
    >>> print(one_problem("prices.json", None, "--as-of", "soon", "a date YYYY-MM-DD"))
    1 problem in the pricing data:
      prices.json: --as-of: 'soon' -> a date YYYY-MM-DD
    """
    return PricingError([PricingProblem(str(file), line, column, value, message)])


class StalePriceWarning(UserWarning):
    """Pricing rows whose ``as_of`` date is older than the staleness threshold."""


class RetiredModelWarning(UserWarning):
    """A look-up of a vendor model whose ``deprecation_date`` has passed: the message names
    the date and the successor (prices of a retired model may no longer be on offer)."""


class UnknownPriceError(KeyError):
    """No catalog row matches a look-up; the message names the closest known keys.

    Attributes
    ----------
    key : str
        What was looked up.
    suggestions : list of str
        Closest known keys (may be empty).
    """

    def __init__(self, message: str, key: str = "", suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.key = key
        self.suggestions = list(suggestions)

    def __str__(self) -> str:
        return self.message


def closest_keys(key: str, known: Iterable[str], n: int = 5) -> list[str]:
    """The known keys closest to ``key``, ignoring case, best first (at most ``n``).

    Examples
    --------
    >>> closest_keys("OpenAI/GPT-4o", ["openai/gpt-4o", "openai/gpt-4o-mini", "x/y"])
    ['openai/gpt-4o', 'openai/gpt-4o-mini']
    """
    by_fold: dict[str, str] = {}
    for k in known:
        by_fold.setdefault(k.casefold(), k)
    close = difflib.get_close_matches(key.casefold(), list(by_fold), n=n, cutoff=0.4)
    return [by_fold[c] for c in close]


def unknown_key_error(what: str, key: str, known: Iterable[str]) -> UnknownPriceError:
    """The error for a look-up of ``key`` among ``known``: the closest keys, or some known.

    Examples
    --------
    >>> print(unknown_key_error("GPU", "H100", ["H100-SXM", "A100-80GB", "L4"]))
    unknown GPU 'H100'; closest: H100-SXM, A100-80GB
    >>> print(unknown_key_error("GPU", "Z", ["H100-SXM", "L4"]))
    unknown GPU 'Z'; 2 known, e.g. H100-SXM, L4
    >>> print(unknown_key_error("GPU", "H100", []))
    unknown GPU 'H100'; the catalog has none
    """
    known = sorted(set(known))
    close = closest_keys(key, known)
    if close:
        hint = "closest: " + ", ".join(close)
    elif known:
        hint = f"{len(known)} known, e.g. " + ", ".join(known[:5])
    else:
        hint = "the catalog has none"
    return UnknownPriceError(f"unknown {what} {key!r}; {hint}", key, close)


class AmbiguousPriceError(LookupError):
    """Several catalog rows match a look-up that must pick one; the message lists them."""
