"""Import vendor API prices from LiteLLM's ``model_prices_and_context_window.json``.

The importer reads a local copy of the file (there is no network access), converts
per-token prices to USD per million tokens and adds or updates rows of an
``api_models.csv``. It edits the CSV at line level (:mod:`tco.pricing.merge`): every row
it does not touch keeps its exact bytes (quoting, spacing, line endings). The result is
validated before it replaces the file, through a temporary file in the same folder and an
atomic rename, so on any error the original file is left as it was.

The steps of :func:`import_litellm`, in order: read and convert the JSON
(:mod:`tco.pricing.litellm_json`), read the current file (:func:`read_api_file`), merge
(:func:`tco.pricing.merge.merge_api_rows`), validate the result, write it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from tco.core.files import write_atomically
from tco.pricing.cells import parse_iso_date
from tco.pricing.litellm_json import read_litellm_json, select_entries
from tco.pricing.load import as_date, bundled_pricing_dir, read_pricing_text
from tco.pricing.merge import merge_api_rows
from tco.pricing.parse import parse_file
from tco.pricing.problems import PricingError, one_problem
from tco.pricing.schema import FILES, SPECS

__all__ = ["LiteLLMImport", "import_litellm", "read_api_file"]


@dataclass(frozen=True)
class LiteLLMImport:
    """What :func:`import_litellm` did.

    Attributes
    ----------
    path : Path
        The ``api_models.csv`` written (or that would be, with ``dry_run``).
    added, updated, confirmed : tuple of str
        Ids (``provider/model``) of new rows; of rows whose prices changed; of rows whose
        prices were already right (only ``source`` and ``as_of`` refreshed).
    skipped : tuple of (str, str)
        JSON keys not imported, with the reason.
    written : bool
        False for a dry run or when nothing changed.
    """

    path: Path
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    confirmed: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = field(default=())
    written: bool = False

    def summary(self) -> str:
        """One line: counts of added, updated, confirmed and skipped entries."""
        verb = "wrote" if self.written else "would write" if self._changes else "no change to"
        return (
            f"{verb} {self.path}: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.confirmed)} unchanged prices (as_of refreshed), "
            f"{len(self.skipped)} JSON entries skipped"
        )

    @property
    def _changes(self) -> bool:
        return bool(self.added or self.updated or self.confirmed)


def import_litellm(
    json_path: str | Path,
    folder: str | Path | None = None,
    *,
    providers: list[str] | tuple[str, ...] | None = None,
    source: str | None = None,
    as_of: date | str | None = None,
    today: date | None = None,
    dry_run: bool = False,
) -> LiteLLMImport:
    """Add or update ``api_models.csv`` rows from LiteLLM's price map.

    Parameters
    ----------
    json_path : str or Path
        A local ``model_prices_and_context_window.json``.
    folder : str or Path, optional
        Folder whose ``api_models.csv`` is updated (created with a header if absent).
        Default: the bundled ``pricing_data/``.
    providers : list of str, optional
        Only entries whose ``litellm_provider`` is one of these. A provider with no chat
        entries in the file is an error (a typo would otherwise import nothing).
    source : str, optional
        ``source`` for the rows written. Default:
        ``"LiteLLM model_prices_and_context_window.json (<file name>)"``.
    as_of : date or str, optional
        ``as_of`` for the rows written (YYYY-MM-DD). Default: ``today``.
    today : date, optional
        Reference date for validation (default: today).
    dry_run : bool
        Work out and validate the changes without writing.

    Returns
    -------
    LiteLLMImport

    Raises
    ------
    PricingError
        The JSON cannot be read, a provider is unknown, or the resulting file would not
        validate (including problems already in it). The file is then left untouched.

    Notes
    -----
    Only ``mode`` ``chat`` and ``completion`` entries are read; ``sample_spec`` and
    entries without both input and output prices are skipped (and listed). A row's
    ``provider`` is the entry's ``litellm_provider`` and its ``model`` the key without a
    leading ``provider/``. Prices are per-token figures times 10^6, computed in decimal.
    ``batch_discount`` is set when the entry's batch prices take the same share off
    input and output. An updated row takes from the entry every price column and
    ``context_window`` (``max_input_tokens``) for which the entry has a figure, plus
    ``source`` and ``as_of``; a column the entry has no figure for (a batch tier or cache
    price LiteLLM does not list, say) keeps its current value, and ``open_weights``,
    ``data_residency`` and ``notes`` are always kept. If the entry's figures match the row,
    only ``source`` and ``as_of`` change. New rows go after the last row of their
    provider, or at the end; their columns without a figure are left empty.

    Examples
    --------
    >>> import json, tempfile, datetime
    >>> from pathlib import Path
    >>> tmp = Path(tempfile.mkdtemp())
    >>> _ = (tmp / "prices.json").write_text(json.dumps({"gpt-4o": {
    ...     "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2.5e-06,
    ...     "output_cost_per_token": 1e-05, "max_input_tokens": 128000}}))
    >>> result = import_litellm(tmp / "prices.json", tmp, as_of="2026-07-24")
    >>> result.added
    ('openai/gpt-4o',)
    >>> print((tmp / "api_models.csv").read_text().splitlines()[1].replace(",", " , "))
    openai , gpt-4o , 2.5 , 10 , , , , 128000 , , ,
    LiteLLM model_prices_and_context_window.json (prices.json) , 2026-07-24 ,
    """
    json_path = Path(json_path)
    today = as_date(today)
    target = Path(folder if folder is not None else bundled_pricing_dir()) / FILES["api"]
    as_of_text = _as_of_text(as_of, today, json_path)
    source_text = source or f"LiteLLM model_prices_and_context_window.json ({json_path.name})"

    imported, skipped = select_entries(read_litellm_json(json_path), providers, json_path)
    text = read_api_file(target, today)
    merged = merge_api_rows(text, imported, source=source_text, as_of=as_of_text)
    result = LiteLLMImport(
        path=target,
        added=merged.added,
        updated=merged.updated,
        confirmed=merged.confirmed,
        skipped=tuple(skipped),
        written=False,
    )
    if merged.text == text and target.exists():
        return result
    _validate_api_text(merged.text, target, today)
    if dry_run:
        return result
    target.parent.mkdir(parents=True, exist_ok=True)
    data = merged.text.encode("utf-8", errors="surrogateescape")
    write_atomically(target, lambda fh: fh.write(data))
    return dataclasses.replace(result, written=True)


def _as_of_text(as_of: date | str | None, today: date, json_path: Path) -> str:
    """The ``as_of`` cell of the rows written: ``as_of`` (a date or YYYY-MM-DD), or today."""
    if as_of is None:
        return today.isoformat()
    try:
        return parse_iso_date(as_of).isoformat()  # type: ignore[attr-defined]
    except (ValueError, AttributeError):
        raise one_problem(json_path, None, "--as-of", str(as_of), "a date YYYY-MM-DD") from None


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
    _validate_api_text(text, target, today)
    return text


def _validate_api_text(text: str, target: Path, today: date) -> None:
    """Validate ``text`` as ``target``'s; raise a PricingError listing its problems."""
    checked = parse_file(SPECS["api"], text, str(target), today)
    if checked.problems:
        raise PricingError(checked.problems)
