"""Progress of long batches (Monte Carlo, Sobol, sweeps): a line on stderr or a notebook bar.

Optional and dependency-free: ``progress=True`` always shows it, ``False`` never does, and
the default (None) shows it only when it helps, that is when the batch is expected to take
more than about a second (:data:`AUTO_SECONDS`), someone is watching (a terminal on stderr,
or a Jupyter kernel) and no test is running. In a notebook with ipywidgets installed the
progress is a bar; anywhere else one line on stderr, rewritten in place
(``"Monte Carlo: 45% (45,000 of 100,000 draws)"``).
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any, TextIO

__all__ = ["AUTO_SECONDS", "CELLS_PER_SECOND", "Progress", "progress_for"]

AUTO_SECONDS = 1.0
"""Expected run time above which progress shows by default. [s]"""

CELLS_PER_SECOND = 5e6
"""Draw-months costed per second, a conservative figure for the estimate (the README's
100,000 draws x 60 months take about a second). [1/s]"""


class Progress:
    """Reports how much of a batch is done.

    Parameters
    ----------
    label : str
        What runs (``"Monte Carlo"``).
    total : int
        Items in the batch.
    unit : str
        What an item is (``"draws"``).
    stream : text file, optional
        Where the line goes (default ``sys.stderr``); ignored when a notebook bar is used.
    bar : bool
        Use an ipywidgets bar when one can be shown (a Jupyter kernel with ipywidgets).

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> p = Progress("Sweep", 200, "points", stream=out, bar=False)
    >>> p.update(100); p.update(200)
    >>> out.getvalue().split("\\r")[-1]
    'Sweep: 100% (200 of 200 points)\\n'
    """

    def __init__(
        self,
        label: str,
        total: int,
        unit: str,
        *,
        stream: TextIO | None = None,
        bar: bool = True,
    ) -> None:
        self.label, self.total, self.unit = label, max(int(total), 1), unit
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.offset = 0
        """Items done before the current part (a batch run in several calls adds it)."""
        self.closed = False
        self._last = 0.0
        self._bar = _notebook_bar(label, self.total) if bar else None

    def update(self, done: int) -> None:
        """``done`` items (after :attr:`offset`) are finished; closes at the total."""
        if self.closed:
            return
        self.done = min(self.offset + int(done), self.total)
        finished = self.done >= self.total
        now = time.monotonic()
        if not finished and now - self._last < 0.1:  # at most ten updates a second
            return
        self._last = now
        if self._bar is not None:
            self._bar.value = self.done
            self._bar.description = f"{self.label} {self.done / self.total:.0%}"
        else:
            self.stream.write(f"\r{self.text()}")
            self.stream.flush()
        if finished:
            self.close()

    def text(self) -> str:
        """``"Monte Carlo: 45% (45,000 of 100,000 draws)"``."""
        share = self.done / self.total
        return f"{self.label}: {share:.0%} ({self.done:,} of {self.total:,} {self.unit})"

    def close(self) -> None:
        """End the report (a newline on the stream; the bar stays at its last value)."""
        if self.closed:
            return
        self.closed = True
        if self._bar is None:
            self.stream.write("\n")
            self.stream.flush()


def _in_kernel() -> bool:
    """Whether this runs in a Jupyter kernel (not merely with ipykernel imported)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and getattr(shell, "kernel", None) is not None


def _notebook_bar(label: str, total: int) -> Any:
    """An ipywidgets bar shown in the notebook, or None outside one or without ipywidgets."""
    if not _in_kernel():
        return None
    try:
        import ipywidgets
        from IPython.display import display
    except ImportError:
        return None
    bar = ipywidgets.IntProgress(value=0, min=0, max=total, description=label)
    display(bar)
    return bar


def _watched() -> bool:
    """Someone can see progress: a terminal on stderr or a notebook, and no test running."""
    if "PYTEST_CURRENT_TEST" in os.environ:
        return False
    isatty = getattr(sys.stderr, "isatty", None)
    return _in_kernel() or bool(isatty and isatty())


def progress_for(
    progress: bool | None, label: str, total: int, cells: float, unit: str = "draws"
) -> Progress | None:
    """The progress report a batch asked for, or None.

    Parameters
    ----------
    progress : bool or None
        True: always; False: never; None: when the batch is expected to take more than
        :data:`AUTO_SECONDS` and someone is watching (see the module's docstring).
    label, total, unit
        As in :class:`Progress`.
    cells : float
        Draw-months the batch costs (items x months), for the time estimate.

    Raises
    ------
    ValueError
        For a ``progress`` that is not True, False or None.
    """
    if progress is not None and not isinstance(progress, bool):
        raise ValueError(f"progress: {progress!r} -> True, False or None (when it helps)")
    if progress is None:
        progress = cells / CELLS_PER_SECOND > AUTO_SECONDS and _watched()
    return Progress(label, total, unit) if progress else None
