"""Import vendor API prices from LiteLLM's ``model_prices_and_context_window.json``.

The importer reads a local copy of the file (there is no network access), converts
per-token prices to USD per million tokens and adds or updates rows of an
``api_models.csv``. It edits the CSV at line level: every row it does not touch keeps its
exact bytes (quoting, spacing, line endings). The result is validated before it replaces
the file, through a temporary file in the same folder and an atomic rename, so on any
error the original file is left as it was.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from tco.core.files import write_atomically
from tco.pricing import csvtext as _csv
from tco.pricing.cells import parse_iso_date
from tco.pricing.load import as_date, bundled_pricing_dir
from tco.pricing.parse import parse_file
from tco.pricing.problems import PricingError, PricingProblem
from tco.pricing.schema import FILES, SPECS

__all__ = ["LiteLLMImport", "import_litellm"]

MODES = ("chat", "completion")
"""LiteLLM ``mode`` values imported; embeddings, images, audio and the rest are skipped."""

_MANAGED = (
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "cache_read_usd_per_mtok",
    "cache_write_usd_per_mtok",
    "batch_discount",
    "context_window",
)
_MILLION = Decimal(1_000_000)


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


def _problem(file: Path, line: int | None, column: str, value: str, message: str) -> PricingError:
    return PricingError([PricingProblem(str(file), line, column, value, message)])


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number allowed in a price file")


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _problem(path, None, "(file)", str(path), f"a readable file ({exc})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _problem(path, line, "(json)", "", "UTF-8 text") from None
    try:
        obj = json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise _problem(path, exc.lineno, "(json)", "", f"valid JSON ({exc.msg})") from None
    except (ValueError, RecursionError) as exc:
        raise _problem(path, None, "(json)", "", f"valid JSON ({exc})") from None
    if not isinstance(obj, dict):
        raise _problem(path, 1, "(json)", type(obj).__name__, "a JSON object keyed by model")
    return obj


def _per_mtok(value: Any) -> Decimal | None:
    """Per-token cost -> USD per million tokens (exact decimal), None when absent/invalid."""
    if value is None or isinstance(value, bool):
        return None
    try:
        d = Decimal(value) if isinstance(value, int | Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not d.is_finite() or d < 0:
        return None
    return d * _MILLION


def _fmt(d: Decimal | None) -> str | None:
    if d is None:
        return None
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "0E-7") else text


def _convert(key: str, spec: Any) -> tuple[str, str, dict[str, str | None]] | str:
    """One JSON entry -> (provider, model, managed cells: None where the entry has no
    figure), or the reason to skip it."""
    if not isinstance(spec, dict):
        return "not a JSON object"
    mode = spec.get("mode")
    if mode not in MODES:
        return f"mode {mode!r} is not one of {', '.join(MODES)}"
    provider = spec.get("litellm_provider")
    if not isinstance(provider, str) or not provider.strip() or "/" in provider:
        return f"litellm_provider {provider!r} is not a provider name"
    provider = provider.strip()
    model = key[len(provider) + 1 :] if key.startswith(provider + "/") else key
    model = model.strip()
    if not model or any(ch in model for ch in "\r\n"):
        return "empty or multi-line model name"
    price_in = _per_mtok(spec.get("input_cost_per_token"))
    price_out = _per_mtok(spec.get("output_cost_per_token"))
    if price_in is None or price_out is None:
        return "no valid input_cost_per_token / output_cost_per_token"
    batch = None
    b_in = _per_mtok(spec.get("input_cost_per_token_batches"))
    b_out = _per_mtok(spec.get("output_cost_per_token_batches"))
    if b_in is not None and b_out is not None and price_in > 0 and price_out > 0:
        d_in = (1 - b_in / price_in).quantize(Decimal("0.0001"))
        d_out = (1 - b_out / price_out).quantize(Decimal("0.0001"))
        if d_in == d_out and 0 <= d_in < 1:
            batch = d_in
    window = spec.get("max_input_tokens")
    if isinstance(window, bool) or not isinstance(window, int) or window <= 0:
        window = None
    cells: dict[str, str | None] = {
        "input_usd_per_mtok": _fmt(price_in),
        "output_usd_per_mtok": _fmt(price_out),
        "cache_read_usd_per_mtok": _fmt(_per_mtok(spec.get("cache_read_input_token_cost"))),
        "cache_write_usd_per_mtok": _fmt(_per_mtok(spec.get("cache_creation_input_token_cost"))),
        "batch_discount": _fmt(batch),
        "context_window": None if window is None else str(window),
    }
    return provider, model, cells


def _same_number(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    if not a or not b:
        return a == b
    try:
        return Decimal(a) == Decimal(b)
    except InvalidOperation:
        return False


def _serialise(cells: list[str], newline: str) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerow(cells)
    return buf.getvalue()


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
    spec = SPECS["api"]
    columns = list(spec.columns)
    if as_of is None:
        as_of_text = today.isoformat()
    else:
        try:
            as_of_text = parse_iso_date(as_of).isoformat()  # type: ignore[attr-defined]
        except (ValueError, AttributeError):
            raise _problem(json_path, None, "--as-of", str(as_of), "a date YYYY-MM-DD") from None
    source_text = source or f"LiteLLM model_prices_and_context_window.json ({json_path.name})"

    # 1. The JSON entries to import.
    data = _read_json(json_path)
    wanted = None if providers is None else {p.strip() for p in providers}
    imported: dict[tuple[str, str], dict[str, str | None]] = {}
    first_key: dict[tuple[str, str], str] = {}
    skipped: list[tuple[str, str]] = []
    seen_providers: set[str] = set()
    for key, entry in data.items():
        if key == "sample_spec":
            continue
        converted = _convert(key, entry)
        if isinstance(converted, str):
            skipped.append((key, converted))
            continue
        provider, model, cells = converted
        seen_providers.add(provider)
        if wanted is not None and provider not in wanted:
            continue
        if (provider, model) in imported:
            skipped.append((key, f"same row as {first_key[(provider, model)]!r}"))
            continue
        imported[(provider, model)] = cells
        first_key[(provider, model)] = key
    if wanted is not None:
        missing = sorted(wanted - seen_providers)
        if missing:
            raise PricingError(
                [
                    PricingProblem(
                        str(json_path),
                        None,
                        "--provider",
                        p,
                        "a litellm_provider with chat models in the file"
                        + (
                            f" (closest: {', '.join(close)})"
                            if (close := difflib.get_close_matches(p, sorted(seen_providers)))
                            else ""
                        ),
                    )
                    for p in missing
                ]
            )

    # 2. The existing file, which must be valid to begin with.
    if target.exists():
        try:
            text = _csv.decode(target.read_bytes())
        except OSError as exc:
            raise _problem(target, None, "(file)", "", f"a readable file ({exc})") from None
        existing = parse_file(spec, text, str(target), today)
        if existing.problems:
            raise PricingError(existing.problems)
    else:
        text = ",".join(columns) + "\n"
    lines = _csv.physical_lines(text)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    records = [r for r in _csv.records(text) if any(c.strip() for c in r.cells)][1:]
    header = [c.strip() for c in _csv.records(text)[0].cells]
    by_key = {(r.cells[0].strip(), r.cells[1].strip()): r for r in records}

    # 3. Line-level edits.
    replace: dict[int, tuple[int, str]] = {}  # first line index -> (last line index, text)
    added: list[str] = []
    updated: list[str] = []
    confirmed: list[str] = []
    for (provider, model), cells in imported.items():
        old = by_key.get((provider, model))
        if old is None:
            continue
        old_cells = dict(zip(header, old.cells, strict=True))
        row = [old_cells[c] for c in columns]
        given = [c for c in _MANAGED if cells[c] is not None]  # absent: keep the cell
        same = all(_same_number(old_cells[c], cells[c] or "") for c in given)
        if not same:
            for c in given:
                row[columns.index(c)] = cells[c] or ""
        row[columns.index("source")] = source_text
        row[columns.index("as_of")] = as_of_text
        if row == [old_cells[c] for c in columns]:
            continue  # nothing at all changes: keep the line's bytes
        ident = f"{provider}/{model}"
        (confirmed if same else updated).append(ident)
        replace[old.line - 1] = (old.end_line - 1, _serialise(row, newline))

    new_rows = sorted(k for k in imported if k not in by_key)
    insert: dict[int, list[str]] = {}  # after line index -> new lines
    last_of_provider = {}
    for r in records:
        last_of_provider[r.cells[0].strip()] = r.end_line - 1
    for provider, model in new_rows:
        cells = imported[(provider, model)]
        fresh = {c: "" for c in columns} | {c: v or "" for c, v in cells.items()}
        fresh |= {"provider": provider, "model": model, "source": source_text, "as_of": as_of_text}
        where = last_of_provider.get(provider, len(lines) - 1)
        insert.setdefault(where, []).append(_serialise([fresh[c] for c in columns], newline))
        added.append(f"{provider}/{model}")

    out: list[str] = []
    i = 0
    while i < len(lines):
        if i in replace:
            end, new_line = replace[i]
            out.append(new_line)
            last = end
        else:
            out.append(lines[i])
            last = i
        for j in range(i, last + 1):
            if insert.get(j) and not out[-1].endswith(("\n", "\r")):
                out[-1] += newline  # the file did not end with a line break
            out.extend(insert.get(j, []))
        i = last + 1
    new_text = "".join(out)

    result = LiteLLMImport(
        path=target,
        added=tuple(added),
        updated=tuple(updated),
        confirmed=tuple(confirmed),
        skipped=tuple(skipped),
        written=False,
    )
    if new_text == text and target.exists():
        return result

    # 4. Validate, then replace atomically.
    checked = parse_file(spec, new_text, str(target), today)
    if checked.problems:
        raise PricingError(checked.problems)
    if dry_run:
        return result
    _atomic_write(target, new_text.encode("utf-8", errors="surrogateescape"))
    return LiteLLMImport(
        path=target,
        added=result.added,
        updated=result.updated,
        confirmed=result.confirmed,
        skipped=result.skipped,
        written=True,
    )


def _atomic_write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, lambda fh: fh.write(data))
