"""Loading the pricing catalog: finding the files, reading them, merging the layers.

:func:`load_pricing` reads the bundled files and, optionally, a folder of the user's that
overrides or extends them row by row (same key: the user's row wins). Every problem in
every file is collected and raised at once as one :class:`PricingError`; a catalog is
never partly loaded. Offers and throughput rows must name a GPU of the merged hardware
files. :mod:`tco.pricing.check` runs the same reading without keeping the rows.
"""

from __future__ import annotations

import difflib
import importlib.resources
import itertools
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tco.pricing import csvtext
from tco.pricing.catalog import PricingCatalog
from tco.pricing.history_rules import history_problems
from tco.pricing.lifecycle import successor_problems
from tco.pricing.parse import ParsedFile, no_cycle_collection, parse_file
from tco.pricing.problems import PricingError, PricingProblem, one_problem
from tco.pricing.schema import ALL_SPECS, FILES, SPECS, SPECS_BY_FILE, CatalogEntry
from tco.pricing.staleness import warn_stale

__all__ = [
    "Layers",
    "as_date",
    "bundled_pricing_dir",
    "load_pricing",
    "pricing_folders",
    "read_pricing_text",
]


def bundled_pricing_dir() -> Path:
    """The folder holding the bundled pricing CSVs.

    Inside an installed package this is ``tco/pricing_data/``; in a source checkout
    (editable install) it is the repository's top-level ``pricing_data/``.

    Examples
    --------
    >>> (bundled_pricing_dir() / "api_models.csv").is_file()
    True
    """
    try:
        packaged = importlib.resources.files("tco") / "pricing_data"
        if isinstance(packaged, Path) and packaged.is_dir():
            return packaged
    except (ModuleNotFoundError, OSError):  # pragma: no cover - unusual importers
        pass
    return Path(__file__).resolve().parents[2] / "pricing_data"


def as_date(today: date | None) -> date:
    """``today`` as a plain date (a datetime is cut to its date); None -> today.

    Examples
    --------
    >>> as_date(datetime(2026, 7, 24, 13, 5))
    datetime.date(2026, 7, 24)
    """
    if today is None:
        return date.today()
    if isinstance(today, datetime):
        return today.date()
    if not isinstance(today, date):
        raise TypeError(f"today: {today!r} -> a datetime.date")
    return today


def read_pricing_text(path: Path) -> str:
    """A pricing CSV's text (see :func:`tco.pricing.csvtext.decode`).

    Raises
    ------
    PricingError
        The file cannot be read (one problem, column ``(file)``).
    """
    try:
        return csvtext.decode(path.read_bytes())
    except OSError as exc:
        raise one_problem(path, None, "(file)", "", f"a readable file ({exc})") from None


# ---------------------------------------------------------------------------------------
# Finding files


def _find_files(folder: Path, *, required: bool) -> tuple[dict[str, Path], list[PricingProblem]]:
    """Pricing files in ``folder`` (or ``folder`` itself when it is one such file)."""
    names = ", ".join(FILES.values())
    if folder.is_file():
        spec = SPECS_BY_FILE.get(folder.name)
        if spec is None:
            return {}, [PricingProblem(str(folder), None, "(file)", folder.name, f"one of {names}")]
        return {spec.kind: folder}, []
    if not folder.is_dir():
        message = f"an existing folder holding {names}"
        return {}, [PricingProblem(str(folder), None, "(path)", str(folder), message)]
    found: dict[str, Path] = {}
    problems: list[PricingProblem] = []
    for spec in ALL_SPECS.values():
        path = folder / spec.file
        if path.is_file():
            found[spec.kind] = path
        elif required and spec.kind in SPECS:  # reference tables are optional
            problems.append(
                PricingProblem(str(path), None, "(file)", spec.file, "this file must exist")
            )
    problems.extend(_stray_csv_files(folder, names))
    if not required and not found and not problems:
        problems.append(
            PricingProblem(str(folder), None, "(path)", str(folder), f"a folder holding {names}")
        )
    return found, problems


def _stray_csv_files(folder: Path, names: str) -> list[PricingProblem]:
    """Every ``*.csv`` in ``folder`` that is not a catalog file (a misspelt name, say)."""
    problems = []
    for path in sorted(folder.glob("*.csv")):
        if path.name not in SPECS_BY_FILE:
            close = difflib.get_close_matches(path.name, list(SPECS_BY_FILE), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            problems.append(
                PricingProblem(
                    str(path),
                    None,
                    "(file)",
                    path.name,
                    f"one of {names}; rename the file or move it out of the folder{hint}",
                )
            )
    return problems


# ---------------------------------------------------------------------------------------
# Loading


@dataclass
class Layers:
    """The catalog being merged from folders, later folders winning, and its problems."""

    today: date
    problems: list[PricingProblem] = field(default_factory=list)
    tables: dict[str, dict[tuple[Any, ...], CatalogEntry]] = field(
        default_factory=lambda: {kind: {} for kind in ALL_SPECS}
    )
    gpu_refs: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, gpu)
    gpu_names: set[str] = field(default_factory=set)
    hardware_known: bool = True  # False when a hardware file's rows could not be read
    api_clean: bool = True  # False when an API file has problems (successors unchecked)
    keep_rows: bool = True  # False: only each row's file, line and as_of (a check)
    summaries: dict[str, dict[tuple[Any, ...], tuple[str, int, date]]] = field(
        default_factory=lambda: {kind: {} for kind in ALL_SPECS}
    )

    def add_folder(self, folder: Path, *, required: bool) -> None:
        """Read every pricing file of ``folder`` (or the one file ``folder`` names)."""
        found, problems = _find_files(folder, required=required)
        self.problems.extend(problems)
        with no_cycle_collection():  # rows and their keys: many objects, no cycle
            for kind, path in found.items():
                self._add_path(kind, path)

    def _add_path(self, kind: str, path: Path) -> None:
        """Read one pricing file."""
        try:
            text = read_pricing_text(path)
        except PricingError as err:
            self.problems.extend(err.problems)
            return
        spec = ALL_SPECS[kind]
        parsed = parse_file(spec, text, str(path), self.today, keep_rows=self.keep_rows)
        del text  # the rows are read: the file's text can go before the next one
        self.add_file(kind, parsed)

    def add_file(self, kind: str, parsed: ParsedFile) -> None:
        """Merge one parsed file: its rows replace earlier rows with the same key."""
        self.problems.extend(parsed.problems)
        self.gpu_refs.extend((parsed.file, line, gpu) for line, gpu in parsed.gpu_refs)
        self.gpu_names |= parsed.gpu_names
        self.hardware_known &= kind != "hardware" or parsed.rows_read
        self.api_clean &= kind != "api" or not parsed.problems
        for entry in parsed.entries:
            self.tables[kind][entry.row.key] = entry
        if parsed.summaries:
            keys, lines, dates = zip(*parsed.summaries, strict=True)
            where = zip(itertools.repeat(parsed.file), lines, dates, strict=False)
            self.summaries[kind].update(zip(keys, where, strict=True))
            table = self.tables[kind]  # rows an earlier folder kept for the rules between rows
            if table:
                read, kept = set(keys), {e.row.key for e in parsed.entries}
                for key in [k for k in table if k in read and k not in kept]:
                    del table[key]  # overridden by a row without a lifecycle

    def all_problems(self) -> list[PricingProblem]:
        """Every problem, by file (in load order) then line, references checked last."""
        problems = list(self.problems)
        if self.hardware_known:  # else every reference would be reported as unknown
            problems.extend(_check_references(self.gpu_refs, self.gpu_names))
        if self.api_clean:  # else a row that failed would be reported as unknown too
            api = self.tables["api"].values()
            known = _KnownIds(self.tables["api"].keys() | self.summaries["api"].keys())
            problems.extend(successor_problems(api, known))
            history = self.tables["history"].values()
            problems.extend(history_problems(history, api, self.today, known))
        return _sorted(problems)

    def entries(self) -> dict[str, list[CatalogEntry]]:
        """The merged rows by kind."""
        return {kind: list(t.values()) for kind, t in self.tables.items()}


class _KnownIds:
    """``provider/model`` ids of the API table, looked up by their key (no id strings
    are built for every row)."""

    def __init__(self, keys: Collection[tuple[Any, ...]]) -> None:
        self.keys = keys

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and tuple(id.split("/", 1)) in self.keys


def load_pricing(
    path: str | Path | None = None,
    *,
    bundled: bool = True,
    warn_stale_days: int | None = None,
    today: date | None = None,
) -> PricingCatalog:
    """Load the pricing catalog: the bundled CSVs, optionally overridden by a folder.

    Parameters
    ----------
    path : str or Path, optional
        A folder holding any subset of ``api_models.csv``, ``gpu_hardware.csv``,
        ``gpu_offers.csv`` and ``throughput.csv`` (or one such file). Its rows replace
        bundled rows with the same key and add the others. Any other ``*.csv`` in the
        folder is reported as a problem (a misspelt file name would otherwise be ignored).
    bundled : bool
        Start from the bundled data (default). With False only ``path`` is read.
    warn_stale_days : int, optional
        When given, emit one :class:`StalePriceWarning` per file that has rows whose
        ``as_of`` is more than this many days before ``today``. Off by default; see
        :meth:`PricingCatalog.stale` to list them at any time. [days]
    today : datetime.date, optional
        Reference date for staleness and for rejecting future dates (default: today).

    Returns
    -------
    PricingCatalog

    Raises
    ------
    PricingError
        Listing every problem in every file (``file:line: column: value -> allowed``).
        Nothing else is raised for bad data, and no partial catalog is returned.

    Examples
    --------
    >>> import tco
    >>> prices = tco.load_pricing()
    >>> prices.vendor_api("openai/gpt-4o").name
    'openai/gpt-4o'
    >>> set(prices.api_models.columns) >= {"id", "input_usd_per_mtok", "source", "as_of"}
    True
    """
    today = as_date(today)
    folders = pricing_folders(path, bundled)
    layers = Layers(today)
    for folder, required in folders:
        layers.add_folder(folder, required=required)
    problems = layers.all_problems()
    if problems:
        raise PricingError(problems)
    catalog = PricingCatalog(
        layers.entries(), today=today, folders=tuple(str(f) for f, _ in folders)
    )
    if warn_stale_days is not None:
        warn_stale(catalog.stale_summary(warn_stale_days), stacklevel=3)
    return catalog


def pricing_folders(path: str | Path | None, bundled: bool) -> list[tuple[Path, bool]]:
    """The folders to read, bundled first: (folder, every file required)."""
    folders: list[tuple[Path, bool]] = []
    if bundled:
        folders.append((bundled_pricing_dir(), True))
    if path is not None:
        folders.append((Path(path), False))
    if not folders:
        raise one_problem("(none)", None, "(path)", "", "a folder, or bundled=True")
    return folders


def _check_references(refs: list[tuple[str, int, str]], gpus: set[str]) -> list[PricingProblem]:
    """Offers and throughput rows must name a GPU of the (merged) hardware files."""
    known = sorted(gpus)
    problems = []
    for file, line, gpu in refs:
        if gpu not in gpus:
            close = difflib.get_close_matches(gpu, known, n=3, cutoff=0.5)
            hint = f" (closest: {', '.join(close)})" if close else ""
            problems.append(
                PricingProblem(file, line, "gpu", gpu, f"a gpu listed in {FILES['hardware']}{hint}")
            )
    return problems


def _sorted(problems: list[PricingProblem]) -> list[PricingProblem]:
    """Problems by file (in load order), then line; file-level problems first."""
    order: dict[str, int] = {}
    for p in problems:
        order.setdefault(p.file, len(order))
    return sorted(problems, key=lambda p: (order[p.file], p.line or 0))
