"""Import vendor API prices from LiteLLM's ``model_prices_and_context_window.json``.

The importer reads a local copy of the file (there is no network access), converts
per-token prices to USD per million tokens and adds or updates rows of an
``api_models.csv``. It edits the CSV at line level (:mod:`tco.pricing.merge`): every row
it does not touch keeps its exact bytes (quoting, spacing, line endings). The result is
validated before it replaces the file, through a temporary file in the same folder and an
atomic rename, so on any error the original file is left as it was.

The steps of :func:`import_litellm`, in order: read and convert the JSON
(:mod:`tco.pricing.litellm_json`), then :func:`tco.pricing.importing.write_import`: read
the current file, merge (:func:`tco.pricing.merge.merge_api_rows`), validate the result,
write it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tco.pricing.importing import (
    ImportResult,
    as_of_text,
    import_target,
    read_api_file,
    write_import,
)
from tco.pricing.litellm_json import read_litellm_json, select_entries
from tco.pricing.load import as_date

__all__ = ["LiteLLMImport", "import_litellm", "read_api_file"]

LiteLLMImport = ImportResult
"""What :func:`import_litellm` did (an :class:`~tco.pricing.importing.ImportResult`)."""


def import_litellm(
    json_path: str | Path,
    folder: str | Path | None = None,
    *,
    providers: list[str] | tuple[str, ...] | None = None,
    source: str | None = None,
    as_of: date | str | None = None,
    today: date | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Add or update ``api_models.csv`` rows from LiteLLM's price map.

    Parameters
    ----------
    json_path : str or Path
        A local ``model_prices_and_context_window.json``.
    folder : str or Path, optional
        Folder whose ``api_models.csv`` is updated (created, with a header, if absent).
        Default: ``prices/`` in the working directory. A folder inside the installed
        ``tco`` package is refused; the repository's ``pricing_data/`` is written only
        when named here.
    providers : list of str, optional
        Only entries of these providers (``litellm_provider`` values, or the catalog's
        names such as ``google``). A provider with no chat entries in the file is an
        error (a typo would otherwise import nothing).
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
    ImportResult

    Raises
    ------
    PricingError
        The JSON cannot be read, a provider is unknown, or the resulting file would not
        validate (including problems already in it). The file is then left untouched.

    Notes
    -----
    Only ``mode`` ``chat``, ``completion`` and ``responses`` entries are read;
    ``sample_spec`` and entries without both input and output prices are skipped (and
    listed). A row's ``provider`` is the entry's ``litellm_provider`` mapped to the
    catalog's (``gemini`` -> ``google``; Vertex AI and Bedrock entries of a vendor's own
    model -> the vendor, see :mod:`tco.pricing.litellm_alias`) and its ``model`` the key
    without the route's decoration. Prices are per-token figures times 10^6, computed in
    decimal. ``batch_discount`` is set when the entry's batch prices take the same share
    off input and output; the lowest ``*_above_<N>k_tokens`` tier (or the second tier of
    ``tiered_pricing``) gives the long-context columns; ``*_flex`` / ``*_priority`` the
    service tiers; the regional uplift multiplier (1.1) becomes ``residency_uplift``
    (0.1); ``successor_model`` becomes ``successor`` when the catalog has that model.
    An updated row takes every such column for which the entry has a figure, plus
    ``source`` and ``as_of``; a column without a figure keeps its current value, and
    ``open_weights``, ``data_residency`` and ``notes`` are always kept. If the entry's
    figures match the row, only ``source`` and ``as_of`` change. New rows go after the
    last row of their provider, or at the end. A file with the older 13-column header is
    rewritten with every current column first.

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
    >>> row = (tmp / "api_models.csv").read_text().splitlines()[1]
    >>> row.startswith("openai,gpt-4o,chat,2.5,10,"), row.endswith(",2026-07-24,")
    (True, True)
    """
    json_path = Path(json_path)
    today = as_date(today)
    target = import_target(folder)
    as_of_cell = as_of_text(as_of, today, json_path)
    source_text = source or f"LiteLLM model_prices_and_context_window.json ({json_path.name})"
    imported, skipped = select_entries(read_litellm_json(json_path), providers, json_path)
    return write_import(
        imported,
        skipped,
        target,
        source=source_text,
        as_of=as_of_cell,
        today=today,
        dry_run=dry_run,
    )
