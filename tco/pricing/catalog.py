"""Pricing catalog: CSV schemas, loading, validation, look-ups and staleness.

The catalog is four CSV files (``pricing_data/`` in the repository, shipped inside the
package as ``tco/pricing_data/``):

============================  ==========================================================
``api_models.csv``            vendor API prices per model, key ``provider/model``
``gpu_hardware.csv``          GPU types: memory, TDP, purchase price; key ``gpu``
``gpu_offers.csv``            GPU rental offers; key ``(provider, instance, plan, region)``
``throughput.csv``            measured serving throughput; key
                              ``(model, gpu, gpus_per_replica, engine, precision)``
============================  ==========================================================

Every row carries ``source`` and ``as_of``. An empty cell means "not published" or "not
offered", never zero. :func:`load_pricing` reads the bundled files and, optionally, a
folder of the user's that overrides or extends them row by row (same key: the user's row
wins). Every problem in every file is collected and raised at once as one
:class:`PricingError`; a catalog is never partly loaded.

The row models and the per-file validator live in :mod:`tco.pricing.schema` and are
re-exported here; the LiteLLM importer is :mod:`tco.pricing.litellm`.

Staleness: :meth:`PricingCatalog.stale` lists rows whose ``as_of`` is older than N days
(default 180); ``load_pricing(warn_stale_days=180)`` also emits one
:class:`StalePriceWarning` per file with stale rows. The warning is opt-in at load so that
scripts and test suites that run with warnings as errors keep working as the bundled data
ages; ``tco prices check`` and ``tco prices stale`` always report stale rows, and the
catalog's ``repr`` shows how many there are.
"""

from __future__ import annotations

import difflib
import importlib.resources
import typing
import warnings
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import pandas as pd

from tco.pricing import csvtext as _csv
from tco.pricing.parse import parse_file
from tco.pricing.problems import (
    AmbiguousPriceError,
    PricingError,
    PricingProblem,
    StalePriceWarning,
    UnknownPriceError,
)
from tco.pricing.schema import (
    FILES,
    PLANS,
    SPECS,
    SPECS_BY_FILE,
    ApiPrice,
    CatalogEntry,
    GpuHardware,
    GpuOffer,
    ThroughputMeasurement,
)

if TYPE_CHECKING:
    from tco.options.api import VendorAPI

__all__ = [
    "FILES",
    "PLANS",
    "STALE_AFTER_DAYS",
    "AmbiguousPriceError",
    "ApiPrice",
    "GpuHardware",
    "GpuOffer",
    "PricingCatalog",
    "PricingError",
    "PricingProblem",
    "StalePriceWarning",
    "ThroughputMeasurement",
    "UnknownPriceError",
    "bundled_pricing_dir",
    "load_pricing",
]

STALE_AFTER_DAYS = 180
"""Rows whose ``as_of`` is more than this many days before today count as stale. [days]"""

# ---------------------------------------------------------------------------------------
# Finding files


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


def _find_files(folder: Path, *, required: bool) -> tuple[dict[str, Path], list[PricingProblem]]:
    """Pricing files in ``folder`` (or ``folder`` itself when it is one such file)."""
    problems: list[PricingProblem] = []
    names = ", ".join(FILES.values())
    if folder.is_file():
        spec = SPECS_BY_FILE.get(folder.name)
        if spec is None:
            problems.append(
                PricingProblem(str(folder), None, "(file)", folder.name, f"one of {names}")
            )
            return {}, problems
        return {spec.kind: folder}, problems
    if not folder.is_dir():
        problems.append(
            PricingProblem(
                str(folder), None, "(path)", str(folder), f"an existing folder holding {names}"
            )
        )
        return {}, problems
    found: dict[str, Path] = {}
    for spec in SPECS.values():
        path = folder / spec.file
        if path.is_file():
            found[spec.kind] = path
        elif required:
            problems.append(
                PricingProblem(str(path), None, "(file)", spec.file, "this file must exist")
            )
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
    if not required and not found and not problems:
        problems.append(
            PricingProblem(str(folder), None, "(path)", str(folder), f"a folder holding {names}")
        )
    return found, problems


def _read_text(path: Path) -> str:
    return _csv.decode(path.read_bytes())


# ---------------------------------------------------------------------------------------
# Loading


def _as_date(today: date | None) -> date:
    """``today`` as a plain date (a datetime is cut to its date); None -> today."""
    if today is None:
        return date.today()
    if isinstance(today, datetime):
        return today.date()
    if not isinstance(today, date):
        raise TypeError(f"today: {today!r} -> a datetime.date")
    return today


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
    today = _as_date(today)
    layers: list[tuple[Path, bool]] = []
    if bundled:
        layers.append((bundled_pricing_dir(), True))
    if path is not None:
        layers.append((Path(path), False))
    if not layers:
        raise PricingError(
            [PricingProblem("(none)", None, "(path)", "", "a folder, or bundled=True")]
        )

    problems: list[PricingProblem] = []
    tables: dict[str, dict[tuple[Any, ...], CatalogEntry]] = {kind: {} for kind in SPECS}
    gpu_refs: list[tuple[str, int, str]] = []
    gpu_names: set[str] = set()
    hardware_known = True
    for folder, required in layers:
        found, found_problems = _find_files(folder, required=required)
        problems.extend(found_problems)
        for kind, file_path in found.items():
            try:
                text = _read_text(file_path)
            except OSError as exc:
                problems.append(
                    PricingProblem(str(file_path), None, "(file)", "", f"a readable file ({exc})")
                )
                continue
            result = parse_file(SPECS[kind], text, str(file_path), today)
            problems.extend(result.problems)
            gpu_refs.extend((str(file_path), line, gpu) for line, gpu in result.gpu_refs)
            gpu_names |= result.gpu_names
            hardware_known &= kind != "hardware" or result.rows_read
            for entry in result.entries:
                tables[kind][entry.row.key] = entry  # same key: the later layer wins

    if hardware_known:  # else every reference would be reported as unknown
        problems.extend(_check_references(gpu_refs, gpu_names))
    if problems:
        raise PricingError(_sorted(problems))
    catalog = PricingCatalog(
        {kind: list(t.values()) for kind, t in tables.items()},
        today=today,
        folders=tuple(str(f) for f, _ in layers),
    )
    if warn_stale_days is not None:
        catalog._warn_stale(warn_stale_days, stacklevel=3)
    return catalog


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


# ---------------------------------------------------------------------------------------
# The catalog


def _suggest(key: str, known: Iterable[str], n: int = 5) -> list[str]:
    """Closest known keys to ``key``, ignoring case."""
    by_fold: dict[str, str] = {}
    for k in known:
        by_fold.setdefault(k.casefold(), k)
    close = difflib.get_close_matches(key.casefold(), list(by_fold), n=n, cutoff=0.4)
    return [by_fold[c] for c in close]


def _unknown(what: str, key: str, known: Iterable[str]) -> UnknownPriceError:
    known = sorted(set(known))
    close = _suggest(key, known)
    if close:
        hint = "closest: " + ", ".join(close)
    elif known:
        hint = f"{len(known)} known, e.g. " + ", ".join(known[:5])
    else:
        hint = "the catalog has none"
    return UnknownPriceError(f"unknown {what} {key!r}; {hint}", key, close)


class PricingCatalog:
    """Validated pricing tables with look-ups; made by :func:`load_pricing`.

    Tables are pandas DataFrames (fresh copies on each access): :attr:`api_models`,
    :attr:`gpu_hardware`, :attr:`gpu_offers`, :attr:`throughputs`. Each has the file's
    columns (``as_of`` as a datetime) plus ``origin`` (``file:line`` of the row used);
    :attr:`api_models` starts with ``id`` (``provider/model``).

    Look-ups return typed, frozen rows (:class:`ApiPrice`, :class:`GpuHardware`,
    :class:`GpuOffer`, :class:`ThroughputMeasurement`) or, for :meth:`vendor_api`, a
    :class:`tco.VendorAPI`. An unknown key raises :class:`UnknownPriceError` (a
    ``KeyError``) naming the closest known keys.
    """

    def __init__(
        self,
        entries: dict[str, list[CatalogEntry]],
        *,
        today: date,
        folders: tuple[str, ...] = (),
    ) -> None:
        self._entries = {kind: tuple(entries.get(kind, ())) for kind in SPECS}
        self._today = today
        self._folders = folders
        self._api: dict[str, ApiPrice] = {
            typing.cast(ApiPrice, e.row).id: typing.cast(ApiPrice, e.row)
            for e in self._entries["api"]
        }
        self._hardware: dict[str, GpuHardware] = {
            typing.cast(GpuHardware, e.row).gpu: typing.cast(GpuHardware, e.row)
            for e in self._entries["hardware"]
        }
        self._frames: dict[str, pd.DataFrame] = {}

    # -- tables ---------------------------------------------------------------------------

    def table(self, kind: str) -> pd.DataFrame:
        """The table of one kind: ``api``, ``hardware``, ``gpu`` (offers) or ``throughput``."""
        if kind not in SPECS:
            raise ValueError(f"kind: {kind!r} -> one of {', '.join(SPECS)}")
        if kind not in self._frames:
            self._frames[kind] = self._frame(kind)
        return self._frames[kind].copy()

    def _frame(self, kind: str) -> pd.DataFrame:
        spec = SPECS[kind]
        columns = list(spec.columns)
        records = [{**e.row.model_dump(), "origin": e.origin} for e in self._entries[kind]]
        df = pd.DataFrame.from_records(records, columns=[*columns, "origin"])
        for name, field in spec.row.model_fields.items():
            types = {
                typing.get_args(t)[0] if typing.get_origin(t) is Annotated else t
                for t in (typing.get_args(field.annotation) or (field.annotation,))
            }
            if int in types:
                df[name] = df[name].astype("Int64")
            elif float in types:
                df[name] = df[name].astype("float64")
            elif bool in types:
                df[name] = df[name].astype("boolean")
        df["as_of"] = pd.to_datetime(df["as_of"])
        if kind == "api":
            df.insert(0, "id", df["provider"] + "/" + df["model"])
        return df

    @property
    def api_models(self) -> pd.DataFrame:
        """Vendor API prices, one row per ``provider/model``."""
        return self.table("api")

    @property
    def gpu_hardware(self) -> pd.DataFrame:
        """GPU types: memory, TDP, purchase price."""
        return self.table("hardware")

    @property
    def gpu_offers(self) -> pd.DataFrame:
        """GPU rental offers."""
        return self.table("gpu")

    @property
    def throughputs(self) -> pd.DataFrame:
        """Measured serving throughput (the table behind :meth:`throughput`)."""
        return self.table("throughput")

    # -- look-ups -------------------------------------------------------------------------

    def api_price(self, id: str) -> ApiPrice:
        """The ``api_models.csv`` row for ``provider/model``.

        Examples
        --------
        >>> import tco
        >>> tco.load_pricing().api_price("openai/gpt-4o").provider
        'openai'
        """
        try:
            return self._api[id]
        except (KeyError, TypeError):
            raise _unknown("API model", str(id), self._api) from None

    def vendor_api(self, id: str, **overrides: Any) -> VendorAPI:
        """A :class:`tco.VendorAPI` priced from the catalog row ``id`` (``provider/model``).

        Parameters
        ----------
        id : str
            ``provider/model`` as in ``api_models.csv`` (the ``id`` column).
        **overrides
            Any :class:`tco.VendorAPI` field: ``batch_share``, ``annual_price_decline``,
            ``staff_fte``, a negotiated ``input_usd_per_mtok``, ``name``, ...

        Notes
        -----
        An empty ``cache_read_usd_per_mtok`` means the input price applies. A model whose
        row has no batch tier gets ``batch_discount=0``; asking for ``batch_share > 0``
        on it without giving ``batch_discount`` is an error rather than a silent no-op.

        Examples
        --------
        >>> import tco
        >>> api = tco.load_pricing().vendor_api("openai/gpt-4o", staff_fte=0.25)
        >>> api.name, api.staff_fte
        ('openai/gpt-4o', 0.25)
        """
        from tco.options.api import VendorAPI

        row = self.api_price(id)
        fields: dict[str, Any] = {
            "name": row.id,
            "input_usd_per_mtok": row.input_usd_per_mtok,
            "output_usd_per_mtok": row.output_usd_per_mtok,
            "batch_discount": 0.0 if row.batch_discount is None else row.batch_discount,
            "sources": (f"API price {row.id}: {row.source} ({row.as_of.isoformat()})",),
        }
        if row.cache_read_usd_per_mtok is not None:
            fields["cache_read_usd_per_mtok"] = row.cache_read_usd_per_mtok
        if row.cache_write_usd_per_mtok is not None:
            fields["cache_write_usd_per_mtok"] = row.cache_write_usd_per_mtok
        if (
            row.batch_discount is None
            and "batch_discount" not in overrides
            and (overrides.get("batch_share") or 0) > 0
        ):
            raise ValueError(
                f"batch_share: {overrides['batch_share']!r} -> 0 for {row.id}, which has no "
                "batch tier in the catalog; pass batch_discount=... to assume one"
            )
        return VendorAPI(**{**fields, **overrides})

    def hardware(self, gpu: str) -> GpuHardware:
        """The ``gpu_hardware.csv`` row for ``gpu``.

        Examples
        --------
        >>> import tco
        >>> prices = tco.load_pricing()
        >>> gpu = prices.gpu_hardware["gpu"].iloc[0]
        >>> prices.hardware(gpu).tdp_watts > 0
        True
        """
        try:
            return self._hardware[gpu]
        except (KeyError, TypeError):
            raise _unknown("GPU", str(gpu), self._hardware) from None

    def gpu_offer(
        self,
        gpu: str,
        provider: str | None = None,
        plan: str = "on_demand",
        region: str | None = None,
        instance: str | None = None,
    ) -> GpuOffer:
        """The cheapest rental offer for ``gpu`` matching the given filters.

        Parameters
        ----------
        gpu : str
            A GPU of ``gpu_hardware.csv``.
        provider, region, instance : str, optional
            Restrict to one provider / region / instance type (None: any).
        plan : str
            One of ``on_demand`` (default), ``reserved_1y``, ``reserved_3y``, ``spot``.

        Returns
        -------
        GpuOffer
            The lowest ``usd_per_gpu_hour`` among matching rows; ties go to the row that
            comes first in the file.

        Examples
        --------
        >>> import tco
        >>> prices = tco.load_pricing()
        >>> gpu = prices.gpu_offers.query("plan == 'on_demand'")["gpu"].iloc[0]
        >>> offer = prices.gpu_offer(gpu)
        >>> offer.plan, offer.usd_per_gpu_hour > 0
        ('on_demand', True)
        """
        if plan not in PLANS:
            raise ValueError(f"plan: {plan!r} -> one of {', '.join(PLANS)}")
        offers: list[GpuOffer] = [e.row for e in self._entries["gpu"]]  # type: ignore[misc]
        for_gpu = [o for o in offers if o.gpu == gpu]
        if not for_gpu:
            known = {o.gpu for o in offers} | set(self._hardware)
            err = _unknown("GPU", str(gpu), known)
            if gpu in self._hardware:
                err = UnknownPriceError(f"no rental offer for GPU {gpu!r} in the catalog", gpu)
            raise err
        wanted = {"provider": provider, "plan": plan, "region": region, "instance": instance}
        match = [
            o for o in for_gpu if all(v is None or getattr(o, k) == v for k, v in wanted.items())
        ]
        if not match:
            asked = ", ".join(f"{k}={v!r}" for k, v in wanted.items() if v is not None)
            listing = "; ".join(
                f"{o.provider} {o.instance} {o.plan} {o.region or '-'}" for o in for_gpu[:12]
            )
            more = f" (+{len(for_gpu) - 12} more)" if len(for_gpu) > 12 else ""
            raise UnknownPriceError(
                f"no offer for GPU {gpu!r} with {asked}; offers for {gpu}: {listing}{more}", gpu
            )
        return min(match, key=lambda o: o.usd_per_gpu_hour)

    def throughput(
        self,
        model: str,
        gpu: str | None = None,
        gpus_per_replica: int | None = None,
        engine: str | None = None,
        precision: str | None = None,
    ) -> ThroughputMeasurement:
        """The one ``throughput.csv`` row matching ``model`` and the given filters.

        Raises
        ------
        UnknownPriceError
            No row matches (the message lists the closest models, or the rows for the
            model).
        AmbiguousPriceError
            Several rows match: a per-replica throughput is only meaningful with its
            GPU count, engine and precision, so the catalog does not pick one for you.
            The message lists the candidates; narrow with ``gpu``, ``gpus_per_replica``,
            ``engine`` or ``precision``.

        Examples
        --------
        >>> import tco
        >>> prices = tco.load_pricing()
        >>> first = prices.throughputs.iloc[0]
        >>> t = prices.throughput(first["model"], gpu=first["gpu"],
        ...                       gpus_per_replica=int(first["gpus_per_replica"]),
        ...                       engine=first["engine"], precision=first["precision"])
        >>> t.decode_tokens_per_s > 0
        True
        """
        rows: list[ThroughputMeasurement] = [
            e.row  # type: ignore[misc]
            for e in self._entries["throughput"]
        ]
        for_model = [r for r in rows if r.model == model]
        if not for_model:
            raise _unknown("model", str(model), {r.model for r in rows})
        wanted = {
            "gpu": gpu,
            "gpus_per_replica": gpus_per_replica,
            "engine": engine,
            "precision": precision,
        }
        match = [
            r for r in for_model if all(v is None or getattr(r, k) == v for k, v in wanted.items())
        ]

        def describe(r: ThroughputMeasurement) -> str:
            return (
                f"gpu={r.gpu!r}, gpus_per_replica={r.gpus_per_replica}, "
                f"engine={r.engine!r}, precision={r.precision!r}"
            )

        if not match:
            asked = ", ".join(f"{k}={v!r}" for k, v in wanted.items() if v is not None)
            raise UnknownPriceError(
                f"no throughput row for {model!r} with {asked}; rows for it: "
                + "; ".join(describe(r) for r in for_model),
                model,
            )
        if len(match) > 1:
            raise AmbiguousPriceError(
                f"{len(match)} throughput rows match {model!r}; narrow the look-up to one of: "
                + "; ".join(describe(r) for r in match)
            )
        return match[0]

    # -- staleness ------------------------------------------------------------------------

    def stale(self, days: int = STALE_AFTER_DAYS, today: date | None = None) -> pd.DataFrame:
        """Rows whose ``as_of`` is more than ``days`` days before ``today``, oldest first.

        Parameters
        ----------
        days : int
            Age threshold. [days]
        today : datetime.date, optional
            Reference date (default: the catalog's, i.e. the load date).

        Returns
        -------
        pandas.DataFrame
            Columns ``file``, ``key``, ``as_of``, ``age_days``, ``origin``, ``source``.

        Examples
        --------
        >>> import tco
        >>> list(tco.load_pricing().stale(days=100_000).columns)
        ['file', 'key', 'as_of', 'age_days', 'origin', 'source']
        """
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise ValueError(f"days: {days!r} -> a whole number >= 0")
        today = today or self._today
        out = []
        for kind, entries in self._entries.items():
            for e in entries:
                age = (today - e.row.as_of).days  # type: ignore[attr-defined]
                if age > days:
                    out.append(
                        {
                            "file": SPECS[kind].file,
                            "key": e.row.label,
                            "as_of": pd.Timestamp(e.row.as_of),  # type: ignore[attr-defined]
                            "age_days": age,
                            "origin": e.origin,
                            "source": e.row.source,  # type: ignore[attr-defined]
                            "_file": e.file,
                            "_line": e.line,
                        }
                    )
        columns = ["file", "key", "as_of", "age_days", "origin", "source"]
        df = pd.DataFrame.from_records(out, columns=[*columns, "_file", "_line"])
        df["as_of"] = pd.to_datetime(df["as_of"])
        df["age_days"] = df["age_days"].astype("int64")
        df = df.sort_values(["as_of", "_file", "_line"], kind="stable")
        return df[columns].reset_index(drop=True)

    def stale_summary(self, days: int = STALE_AFTER_DAYS) -> list[str]:
        """One line per file with stale rows: how many of how many, and the oldest three."""
        df = self.stale(days)
        by_file: dict[str, list[tuple[str, str, str]]] = {}
        for key, as_of, origin in zip(df["key"], df["as_of"], df["origin"], strict=True):
            file, line = str(origin).rsplit(":", 1)
            by_file.setdefault(file, []).append((str(key), str(as_of)[:10], line))
        lines = []
        for file in sorted(by_file):
            rows = by_file[file]
            total = sum(1 for entries in self._entries.values() for e in entries if e.file == file)
            oldest = ", ".join(f"{key} ({as_of}, line {line})" for key, as_of, line in rows[:3])
            lines.append(
                f"{file}: {len(rows)} of {total} rows older than {days} days; oldest: {oldest}"
            )
        return lines

    def _warn_stale(self, days: int, stacklevel: int = 2) -> None:
        for line in self.stale_summary(days):
            warnings.warn(
                f"{line} (list them with catalog.stale() or `tco prices stale`)",
                StalePriceWarning,
                stacklevel=stacklevel + 1,
            )

    # -- misc -----------------------------------------------------------------------------

    @property
    def today(self) -> date:
        """Reference date used at load (staleness, future dates)."""
        return self._today

    @property
    def folders(self) -> tuple[str, ...]:
        """Folders the catalog was read from, bundled first."""
        return self._folders

    def counts(self) -> dict[str, int]:
        """Number of rows per kind."""
        return {kind: len(entries) for kind, entries in self._entries.items()}

    def __repr__(self) -> str:
        c = self.counts()
        stale = len(self.stale())
        extra = f"; {stale} rows older than {STALE_AFTER_DAYS} days" if stale else ""
        return (
            f"PricingCatalog({c['api']} API models, {c['gpu']} GPU offers, "
            f"{c['hardware']} GPU types, {c['throughput']} throughput rows{extra})"
        )
