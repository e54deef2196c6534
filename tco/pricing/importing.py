"""Writing imported API prices into a folder's ``api_models.csv``, safely.

The importers (:mod:`tco.pricing.litellm`, :mod:`tco.pricing.genai_prices`) turn a price
source into cells per ``(provider, model)``; :func:`write_import` does the rest, the same
way for both: it picks the folder (by default ``prices/`` in the working directory,
created; never inside an installed package), reads the current file (which must be valid),
merges line by line (:mod:`tco.pricing.merge`), drops a successor the catalog would not
know, validates the result (each row, and the successors against the bundled catalog
underneath), and replaces the file atomically. On any error the file is left as it was.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tco.core.files import write_atomically
from tco.pricing.cells import parse_iso_date
from tco.pricing.lifecycle import successor_problems
from tco.pricing.load import bundled_pricing_dir, read_pricing_text
from tco.pricing.merge import ImportedCells, merge_api_rows
from tco.pricing.parse import parse_file
from tco.pricing.problems import PricingError, one_problem
from tco.pricing.schema import FILES, SPECS, CatalogEntry

__all__ = [
    "DEFAULT_FOLDER",
    "ImportResult",
    "as_of_text",
    "import_target",
    "read_api_file",
    "write_import",
]

DEFAULT_FOLDER = "prices"
"""Where importers write by default: this folder of the working directory."""


@dataclass(frozen=True)
class ImportResult:
    """What an import did.

    Attributes
    ----------
    path : Path
        The ``api_models.csv`` written (or that would be, with ``dry_run``).
    added, updated, confirmed : tuple of str
        Ids (``provider/model``) of new rows; of rows whose prices changed; of rows whose
        prices were already right (only ``source`` and ``as_of`` refreshed).
    skipped : tuple of (str, str)
        Source entries not imported, with the reason.
    written : bool
        False for a dry run or when nothing changed.
    left : tuple of str
        Ids of the file's rows the source has no entry for (left as they were).
    notes : tuple of str
        Figures of the source not written, with the reason (a successor the catalog does
        not have, ...), and whether the file's header was upgraded.
    """

    path: Path
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    confirmed: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = field(default=())
    written: bool = False
    left: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    entries_word: str = "JSON entries"

    def summary(self) -> str:
        """One line: counts of added, updated, confirmed and skipped entries."""
        verb = "wrote" if self.written else "would write" if self._changes else "no change to"
        return (
            f"{verb} {self.path}: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.confirmed)} unchanged prices (as_of refreshed), "
            f"{len(self.skipped)} {self.entries_word} skipped"
        )

    def details(self) -> list[str]:
        """The lines to print after :meth:`summary`: every id by what happened to it."""
        lines = [
            f"{label}: {', '.join(ids)}"
            for label, ids in (
                ("added", self.added),
                ("updated", self.updated),
                ("unchanged", self.confirmed),
                ("left as they were", self.left),
            )
            if ids
        ]
        lines += [f"note: {note}" for note in self.notes]
        lines += [f"skipped {key}: {reason}" for key, reason in self.skipped]
        return lines

    @property
    def _changes(self) -> bool:
        return bool(self.added or self.updated or self.confirmed or self.notes)


def import_target(folder: str | Path | None) -> Path:
    """The ``api_models.csv`` an import writes: in ``folder``, or in ``prices/`` here.

    Raises
    ------
    PricingError
        ``folder`` lies inside the installed ``tco`` package (its bundled data is not to
        be edited there; give a folder of your own).
    """
    chosen = Path(folder) if folder is not None else Path.cwd() / DEFAULT_FOLDER
    package = Path(__file__).resolve().parents[1]  # the tco package
    if chosen.resolve().is_relative_to(package):
        raise one_problem(
            chosen,
            None,
            "--dir",
            str(chosen),
            "a folder outside the installed tco package (e.g. prices/ in your project)",
        )
    return chosen / FILES["api"]


def as_of_text(as_of: date | str | None, today: date, source_path: Path | str) -> str:
    """The ``as_of`` cell of the rows written: ``as_of`` (a date or YYYY-MM-DD), or today."""
    if as_of is None:
        return today.isoformat()
    try:
        return parse_iso_date(as_of).isoformat()  # type: ignore[attr-defined]
    except (ValueError, AttributeError):
        raise one_problem(source_path, None, "--as-of", str(as_of), "a date YYYY-MM-DD") from None


def read_api_file(target: Path, today: date) -> str:
    """The text of the ``api_models.csv`` to update, which must be valid to begin with.

    A missing file reads as its header line alone.

    Raises
    ------
    PricingError
        The file cannot be read, or has problems (every one of them).
    """
    if not target.exists():
        return ",".join(SPECS["api"].columns) + "\n"
    text = read_pricing_text(target)
    _validate(text, target, today)
    return text


def write_import(
    imported: Mapping[tuple[str, str], ImportedCells],
    skipped: list[tuple[str, str]],
    target: Path,
    *,
    source: str,
    as_of: str,
    today: date,
    dry_run: bool,
) -> ImportResult:
    """Merge ``imported`` into ``target``, validate, and write it (unless ``dry_run``)."""
    text = read_api_file(target, today)
    notes = _drop_unknown_successors(imported, text, target, today)
    merged = merge_api_rows(text, imported, source=source, as_of=as_of)
    if merged.upgraded:
        notes.append("the file's header lacked the tier and lifecycle columns: added (empty)")
    result = ImportResult(
        path=target,
        added=merged.added,
        updated=merged.updated,
        confirmed=merged.confirmed,
        skipped=tuple(skipped),
        left=merged.left,
        notes=tuple(notes),
    )
    if merged.text == text and target.exists():
        return result
    _validate(merged.text, target, today)
    if dry_run:
        return result
    target.parent.mkdir(parents=True, exist_ok=True)
    data = merged.text.encode("utf-8", errors="surrogateescape")
    write_atomically(target, lambda fh: fh.write(data))
    return dataclasses.replace(result, written=True)


def _bundled_entries(target: Path, today: date) -> list[CatalogEntry]:
    """The bundled API rows (the layer a user's folder sits on); none when ``target`` is
    the bundled file itself."""
    bundled = bundled_pricing_dir() / FILES["api"]
    if target.resolve() == bundled.resolve() or not bundled.is_file():
        return []
    return parse_file(SPECS["api"], read_pricing_text(bundled), str(bundled), today).entries


def _drop_unknown_successors(
    imported: Mapping[tuple[str, str], ImportedCells], text: str, target: Path, today: date
) -> list[str]:
    """Clear (and list) successors that are neither imported, in the file, nor bundled."""
    known = {f"{p}/{m}" for p, m in imported}
    known |= {e.row.label for e in parse_file(SPECS["api"], text, str(target), today).entries}
    known |= {e.row.label for e in _bundled_entries(target, today)}
    notes = []
    for (provider, model), cells in imported.items():
        successor = cells.get("successor")
        if successor and successor not in known:
            cells["successor"] = None
            notes.append(
                f"{provider}/{model}: successor {successor} is not in the catalog; left empty"
            )
    return notes


def _validate(text: str, target: Path, today: date) -> None:
    """Validate ``text`` as ``target``'s, rows and successors (over the bundled rows)."""
    checked = parse_file(SPECS["api"], text, str(target), today)
    problems = list(checked.problems)
    if not problems:
        ours = {e.row.label for e in checked.entries}
        below = [e for e in _bundled_entries(target, today) if e.row.label not in ours]
        problems = successor_problems([*below, *checked.entries])
    if problems:
        raise PricingError(problems)
