"""How the command line reports a failure: the exit code, one line per problem, and the
traceback only when ``--debug`` asks for it.

A mistake in the input (an option, a scenario file, a pricing folder, a figure that makes a
cost overflow) is not a bug: ``tco`` says what is wrong in one line per problem and exits
with the code :data:`EXIT_CODES` gives. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

import traceback
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from tco.cli.args import CliError

__all__ = [
    "EXIT_CODES",
    "EXIT_DATA",
    "EXIT_USAGE",
    "exit_code",
    "message_lines",
    "report",
    "warnings_as_lines",
]

EXIT_DATA = 1
"""The pricing data has problems."""

EXIT_USAGE = 2
"""A usage error: a bad option or argument, a missing file, an invalid scenario, or inputs
for which no answer can be given."""

EXIT_CODES = """\
exit codes:
  0    success
  1    the pricing data has problems, each printed as file:line: column: value -> allowed
  2    a usage error: a bad option or argument, a missing or unreadable file, an invalid
       scenario file, or inputs for which no answer can be given (a cost that overflows);
       one line per problem on stderr: "tco: error: ..."
  130  interrupted (Ctrl-C)

Add --debug (before or after the command) to see the Python traceback of an error."""
"""The epilog of ``tco --help``."""

_INPUT_ERRORS = (ValueError, TypeError, ArithmeticError, LookupError, OSError)
"""What tco raises for bad input (FloatingPointError and decimal errors are
ArithmeticErrors; KeyError is a LookupError; pydantic's ValidationError a ValueError)."""


def exit_code(err: BaseException) -> int | None:
    """The exit code of an error in the input, or None for a bug.

    Examples
    --------
    >>> exit_code(ValueError("x")), exit_code(FloatingPointError("x")), exit_code(NameError())
    (2, 2, None)
    """
    from tco.pricing.problems import PricingError

    if isinstance(err, PricingError):
        return EXIT_DATA
    if isinstance(err, (CliError, *_INPUT_ERRORS)):
        return EXIT_USAGE
    return None


def _validation_lines(err: Any) -> list[str]:
    """One line per problem of a pydantic ValidationError: ``field: value -> what``."""
    lines = []
    for problem in err.errors():
        where = ".".join(str(p) for p in problem["loc"]) or err.title
        value = problem.get("input")
        shown = "" if isinstance(value, dict) else f" {value!r} ->"
        msg = str(problem["msg"]).removeprefix("Value error, ")
        lines.append(f"{where}:{shown} {msg}")
    return lines


def message_lines(err: BaseException) -> list[str]:
    """What went wrong, one line per problem (never empty).

    Examples
    --------
    >>> message_lines(KeyError("no option 'x'"))
    ["no option 'x'"]
    >>> message_lines(ValueError("a\\nb"))
    ['a', 'b']
    """
    from pydantic import ValidationError

    from tco.pricing.problems import PricingError

    if isinstance(err, ValidationError):
        return _validation_lines(err)
    if isinstance(err, PricingError):
        return [str(p) for p in err.problems]
    text = str(err.args[0]) if isinstance(err, KeyError) and err.args else str(err)
    lines = [line for line in text.splitlines() if line.strip()]
    return lines or [type(err).__name__]


def report(err: BaseException, stream: TextIO, *, debug: bool = False) -> int | None:
    """Print ``err`` for the user and return its exit code; None (nothing printed) for a
    bug. With ``debug``, the traceback comes first."""
    code = exit_code(err)
    if code is None:
        return None
    if debug:
        traceback.print_exception(err, file=stream)
    from tco.pricing.problems import PricingError

    if isinstance(err, PricingError):
        from tco.cli.output import print_problems

        print_problems(err, stream)
        return code
    for line in message_lines(err):
        print(f"tco: error: {line}", file=stream)
    return code


@contextmanager
def warnings_as_lines(stream: TextIO) -> Iterator[None]:
    """Warnings raised inside the block printed as ``tco: warning: ...`` lines (each once),
    whatever the warning filters outside say; other warnings (library deprecation notices,
    numpy's overflow notes before the error that follows them) are dropped."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            seen: set[str] = set()
            for w in caught:
                if not issubclass(w.category, UserWarning):
                    continue
                text = " ".join(str(w.message).split())
                if text not in seen:
                    seen.add(text)
                    print(f"tco: warning: {text}", file=stream)
