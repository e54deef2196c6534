"""Heavy libraries imported on first use, so that ``tco --help`` and a break-even from the
command line start quickly.

``pandas`` here is a stand-in for the module: the first attribute read from it imports
pandas (``pd.DataFrame``), and every later read is a dictionary look-up. Modules write::

    if TYPE_CHECKING:
        import pandas as pd
    else:
        from tco.core.lazy import pandas as pd

so that type checkers see the real module.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["LazyModule", "pandas"]


class LazyModule:
    """A module imported when one of its attributes is first read.

    Examples
    --------
    >>> json = LazyModule("json")
    >>> json.dumps([1])
    '[1]'
    """

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"LazyModule({self._name!r})"


pandas = LazyModule("pandas")
