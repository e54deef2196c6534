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
import math
import re
import typing
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

import pandas as pd
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tco import _csv

if TYPE_CHECKING:
    from tco.api import VendorAPI

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

PLANS = ("on_demand", "reserved_1y", "reserved_3y", "spot")
"""GPU rental plans a ``gpu_offers.csv`` row may name."""

Plan = Literal["on_demand", "reserved_1y", "reserved_3y", "spot"]

# ---------------------------------------------------------------------------------------
# Problems and exceptions


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
        return f"{where}: {self.column}: {_show(self.value)} -> {self.message}"


def _show(value: str, limit: int = 80) -> str:
    """A cell as shown in messages: quoted, undecodable bytes as ``b'...'``, shortened."""
    if _csv.bad_bytes(value):
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


class StalePriceWarning(UserWarning):
    """Pricing rows whose ``as_of`` date is older than the staleness threshold."""


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


class AmbiguousPriceError(LookupError):
    """Several catalog rows match a look-up that must pick one; the message lists them."""


# ---------------------------------------------------------------------------------------
# Cell parsers (used by the row models; strings come from CSV cells, numbers from Python)

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_INTEGER = re.compile(r"\+?\d{1,18}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _number(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, str):
        if not _NUMBER.fullmatch(value):
            raise ValueError("not a number")
        value = float(value)
    if isinstance(value, int | float) and not math.isfinite(value):
        raise ValueError("not a finite number")
    return value


def _integer(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("not a whole number")
    if isinstance(value, str):
        if not _INTEGER.fullmatch(value):
            raise ValueError("not a whole number")
        return int(value)
    if isinstance(value, float):
        raise ValueError("not a whole number")
    return value


def _boolean(value: object) -> object:
    if isinstance(value, str):
        low = value.lower()
        if low not in ("true", "false"):
            raise ValueError("not true/false")
        return low == "true"
    if not isinstance(value, bool):
        raise ValueError("not true/false")
    return value


def _iso_date(value: object) -> object:
    if isinstance(value, str):
        if not _DATE.fullmatch(value):
            raise ValueError("not YYYY-MM-DD")
        return date.fromisoformat(value)
    return value


Price = Annotated[float, BeforeValidator(_number), Field(ge=0)]
Positive = Annotated[float, BeforeValidator(_number), Field(gt=0)]
Share = Annotated[float, BeforeValidator(_number), Field(ge=0, lt=1)]
PositiveInt = Annotated[int, BeforeValidator(_integer), Field(gt=0, strict=True)]
Flag = Annotated[bool, BeforeValidator(_boolean)]
Name = Annotated[str, StringConstraints(min_length=1, pattern=r"^[^\r\n]+$")]
Provider = Annotated[str, StringConstraints(min_length=1, pattern=r"^[^/\r\n]+$")]
AsOf = Annotated[date, BeforeValidator(_iso_date)]

_AS_OF = "a date YYYY-MM-DD, not in the future"
_SOURCE = "a public URL or document name where the figure can be checked (non-empty)"
_NOTES = "free text, or empty"


class _Row(BaseModel):
    """Base of the row models: frozen, no extra fields, empty cells read as None."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    key_fields: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _empty_is_none(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = {k: (v.strip() or None if isinstance(v, str) else v) for k, v in data.items()}
        return data

    @field_validator("as_of", check_fields=False)
    @classmethod
    def _not_future(cls, value: date, info: ValidationInfo) -> date:
        today = (info.context or {}).get("today") or date.today()
        # One day of slack: a row written today east of the checking machine's time zone.
        if value > today + timedelta(days=1):
            raise PydanticCustomError(
                "future_date",
                "a date YYYY-MM-DD, not in the future (today is {today})",
                {"today": today.isoformat()},
            )
        return value

    @property
    def key(self) -> tuple[Any, ...]:
        """The row's key (see ``key_fields``)."""
        return tuple(getattr(self, f) for f in self.key_fields)

    @property
    def label(self) -> str:
        """The key as one readable string."""
        return "/".join(str(k) for k in self.key if k is not None)


class ApiPrice(_Row):
    """A row of ``api_models.csv``: one model's per-token prices at one provider.

    Examples
    --------
    >>> row = ApiPrice(provider="openai", model="gpt-4o", input_usd_per_mtok="2.5",
    ...                output_usd_per_mtok="10", source="https://openai.com/api/pricing",
    ...                as_of="2026-07-24")
    >>> row.id, row.input_usd_per_mtok, row.cache_read_usd_per_mtok
    ('openai/gpt-4o', 2.5, None)
    """

    key_fields: ClassVar[tuple[str, ...]] = ("provider", "model")

    provider: Provider = Field(description="provider name, non-empty, without '/'")
    model: Name = Field(description="model name as the provider spells it (non-empty)")
    input_usd_per_mtok: Price = Field(description="a number >= 0 [USD per million input tokens]")
    output_usd_per_mtok: Price = Field(description="a number >= 0 [USD per million output tokens]")
    cache_read_usd_per_mtok: Price | None = Field(
        None,
        description="a number >= 0 [USD per million cached input tokens], "
        "or empty (the input price applies)",
    )
    cache_write_usd_per_mtok: Price | None = Field(
        None,
        description="a number >= 0 [USD per million tokens written to the cache], "
        "or empty (not published)",
    )
    batch_discount: Share | None = Field(
        None,
        description="a number in [0, 1): share off list prices in the batch tier, "
        "or empty (no batch tier)",
    )
    context_window: PositiveInt | None = Field(
        None, description="a whole number > 0 [tokens], or empty (not published)"
    )
    open_weights: Flag | None = Field(
        None, description="true or false (any case), or empty (not known)"
    )
    data_residency: str | None = Field(None, description="free text, or empty")
    source: Name = Field(description=_SOURCE)
    as_of: AsOf = Field(description=_AS_OF)
    notes: str | None = Field(None, description=_NOTES)

    @property
    def id(self) -> str:
        """``provider/model``, the id used by :meth:`PricingCatalog.vendor_api`."""
        return f"{self.provider}/{self.model}"

    @property
    def label(self) -> str:
        return self.id


class GpuHardware(_Row):
    """A row of ``gpu_hardware.csv``: one GPU type.

    Examples
    --------
    >>> hw = GpuHardware(gpu="H100-SXM", memory_gb=80, tdp_watts=700,
    ...                  source="https://www.nvidia.com/en-us/data-center/h100/",
    ...                  as_of="2026-11-01")
    >>> hw.kw_per_gpu, hw.purchase_usd_per_gpu
    (0.7, None)
    """

    key_fields: ClassVar[tuple[str, ...]] = ("gpu",)

    gpu: Name = Field(description="GPU name, non-empty (the key other files refer to)")
    memory_gb: Positive = Field(description="a number > 0 [GB of GPU memory]")
    tdp_watts: Positive = Field(description="a number > 0 [W, thermal design power]")
    purchase_usd_per_gpu: Positive | None = Field(
        None, description="a number > 0 [USD per GPU], or empty (no public price)"
    )
    source: Name = Field(description=_SOURCE)
    as_of: AsOf = Field(description=_AS_OF)
    notes: str | None = Field(None, description=_NOTES)

    @property
    def kw_per_gpu(self) -> float:
        """Power at TDP. [kW]"""
        return self.tdp_watts / 1000.0


class GpuOffer(_Row):
    """A row of ``gpu_offers.csv``: one rental offer.

    Examples
    --------
    >>> offer = GpuOffer(provider="aws", instance="p5.48xlarge", gpu="H100-SXM",
    ...                  gpus_per_instance=8, plan="on_demand", usd_per_gpu_hour=6.88,
    ...                  region="us-east-1", source="https://aws.amazon.com/ec2/pricing/",
    ...                  as_of="2026-11-01")
    >>> round(offer.usd_per_instance_hour, 2)
    55.04
    """

    key_fields: ClassVar[tuple[str, ...]] = ("provider", "instance", "plan", "region")

    provider: Name = Field(description="provider name, non-empty")
    instance: Name = Field(description="instance type as the provider names it (non-empty)")
    gpu: Name = Field(description="a gpu listed in gpu_hardware.csv")
    gpus_per_instance: PositiveInt = Field(description="a whole number > 0 [GPUs]")
    plan: Plan = Field(description="one of " + ", ".join(PLANS))
    usd_per_gpu_hour: Positive = Field(description="a number > 0 [USD per GPU-hour]")
    region: str | None = Field(None, description="region name, or empty (any / not stated)")
    source: Name = Field(description=_SOURCE)
    as_of: AsOf = Field(description=_AS_OF)
    notes: str | None = Field(None, description=_NOTES)

    @property
    def label(self) -> str:
        return f"{self.provider} {self.instance} {self.plan} {self.region or '(any region)'}"

    @property
    def usd_per_instance_hour(self) -> float:
        """Price of the whole instance. [USD per hour]"""
        return self.usd_per_gpu_hour * self.gpus_per_instance


class ThroughputMeasurement(_Row):
    """A row of ``throughput.csv``: one measured serving configuration.

    Throughputs are aggregate over the replica's concurrent requests.

    Examples
    --------
    >>> t = ThroughputMeasurement(model="meta-llama/Llama-3.1-8B-Instruct", gpu="H100-SXM",
    ...     gpus_per_replica=1, engine="vllm", precision="bf16", prefill_tokens_per_s=40000,
    ...     decode_tokens_per_s=5000, source="https://example.org/bench", as_of="2026-10-01")
    >>> t.decode_tokens_per_s, t.concurrency
    (5000.0, None)
    """

    key_fields: ClassVar[tuple[str, ...]] = (
        "model",
        "gpu",
        "gpus_per_replica",
        "engine",
        "precision",
    )

    model: Name = Field(description="model name, non-empty")
    gpu: Name = Field(description="a gpu listed in gpu_hardware.csv")
    gpus_per_replica: PositiveInt = Field(description="a whole number > 0 [GPUs]")
    engine: Name = Field(description="serving engine, non-empty (e.g. vllm, trt-llm)")
    precision: Name = Field(description="weight precision, non-empty (e.g. bf16, fp8)")
    prefill_tokens_per_s: Positive = Field(
        description="a number > 0 [input tokens per second per replica]"
    )
    decode_tokens_per_s: Positive = Field(
        description="a number > 0 [output tokens per second per replica]"
    )
    concurrency: PositiveInt | None = Field(
        None, description="a whole number > 0 [concurrent requests], or empty"
    )
    input_tokens: PositiveInt | None = Field(
        None, description="a whole number > 0 [tokens per request], or empty"
    )
    output_tokens: PositiveInt | None = Field(
        None, description="a whole number > 0 [tokens per request], or empty"
    )
    source: Name = Field(description=_SOURCE)
    as_of: AsOf = Field(description=_AS_OF)
    notes: str | None = Field(None, description=_NOTES)

    @property
    def label(self) -> str:
        return f"{self.model} on {self.gpus_per_replica}x{self.gpu} {self.engine} {self.precision}"


# ---------------------------------------------------------------------------------------
# Table specs

Kind = Literal["api", "hardware", "gpu", "throughput"]


@dataclass(frozen=True)
class _Spec:
    kind: Kind
    file: str
    row: type[_Row]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.row.model_fields)


_SPECS: dict[str, _Spec] = {
    "api": _Spec("api", "api_models.csv", ApiPrice),
    "hardware": _Spec("hardware", "gpu_hardware.csv", GpuHardware),
    "gpu": _Spec("gpu", "gpu_offers.csv", GpuOffer),
    "throughput": _Spec("throughput", "throughput.csv", ThroughputMeasurement),
}

FILES: dict[str, str] = {kind: spec.file for kind, spec in _SPECS.items()}
"""The catalog's files by kind: ``api``, ``hardware``, ``gpu`` (offers), ``throughput``."""

_BY_FILE = {spec.file: spec for spec in _SPECS.values()}


@dataclass(frozen=True)
class _Entry:
    row: _Row
    file: str
    line: int

    @property
    def origin(self) -> str:
        return f"{self.file}:{self.line}"


# ---------------------------------------------------------------------------------------
# Reading one file


@dataclass
class _FileResult:
    entries: list[_Entry]
    problems: list[PricingProblem]
    gpu_refs: list[tuple[int, str]]  # (line, gpu) of every row naming a GPU
    names: set[str]  # hardware: every GPU named by a row, valid or not
    rows_read: bool = True  # False when a broken header stopped row checks


def _parse_file(spec: _Spec, text: str, file: str, today: date) -> _FileResult:
    """Validate one file's text: the good rows and every problem."""
    result = _FileResult([], [], [], set())
    problems = result.problems

    def problem(line: int | None, column: str, value: str, message: str) -> None:
        problems.append(PricingProblem(file, line, column, value, message))

    expected = spec.columns
    try:
        recs = _csv.records(text)
    except _csv.CsvSyntaxError as exc:
        problem(exc.line, "(row)", "", f"readable CSV ({exc.message})")
        result.rows_read = False
        return result
    recs = [r for r in recs if any(c.strip() for c in r.cells)]
    if not recs:
        problem(1, "(header)", "", "a header line: " + ",".join(expected))
        result.rows_read = False
        return result
    header_rec, body = recs[0], recs[1:]
    if header_rec.line != 1:
        problem(1, "(header)", "", "the header on line 1: " + ",".join(expected))
        result.rows_read = False
        return result
    header = [c.strip() for c in header_rec.cells]
    if header != list(expected):
        missing = [c for c in expected if c not in header]
        extra = [c for c in header if c not in expected]
        dupes = sorted({c for c in header if header.count(c) > 1})
        details = []
        if missing:
            details.append("missing " + ", ".join(missing))
        if extra:
            details.append("unexpected " + ", ".join(_show(c) for c in extra))
        if dupes:
            details.append("repeated " + ", ".join(dupes))
        if not details:
            details.append("columns in the wrong order")
        problem(
            1,
            "(header)",
            ",".join(header_rec.cells),
            f"exactly these columns in this order: {','.join(expected)} ({'; '.join(details)})",
        )
        if missing or dupes:
            result.rows_read = False
            return result
    # Rows are read by column name, so a header with extra or reordered columns (already
    # reported) still gets its rows checked.
    positions = {c: header.index(c) for c in expected}
    required_keys = [k for k in spec.row.key_fields if spec.row.model_fields[k].is_required()]

    seen: dict[tuple[str, ...], int] = {}
    normalised: dict[tuple[Any, ...], int] = {}
    for rec in body:
        if len(rec.cells) != len(header):
            problem(
                rec.line,
                "(row)",
                f"{len(rec.cells)} cells",
                f"{len(header)} cells, one per header column",
            )
            continue
        cells = {c: rec.cells[i] for c, i in positions.items()}
        if "gpu" in cells and cells["gpu"].strip():
            if spec.kind == "hardware":
                result.names.add(cells["gpu"].strip())
            else:
                result.gpu_refs.append((rec.line, cells["gpu"].strip()))
        ok = True
        unreadable = set()
        for column, value in cells.items():
            if _csv.bad_bytes(value):
                problem(rec.line, column, value, "UTF-8 text (save the file as UTF-8)")
                unreadable.add(column)
            elif _CONTROL.search(value):
                problem(rec.line, column, value, "text without control characters")
                unreadable.add(column)
        row = None
        try:
            row = spec.row.model_validate(cells, context={"today": today})
        except ValidationError as exc:
            ok = False
            reported = set(unreadable)
            for err in exc.errors():
                column = str(err["loc"][0]) if err["loc"] else "(row)"
                if column in reported:
                    continue
                reported.add(column)
                raw = cells.get(column, "")
                field = spec.row.model_fields.get(column)
                allowed = (field.description if field else None) or err["msg"]
                if err["type"] == "future_date":
                    allowed = err["msg"]
                elif not raw.strip():
                    allowed = f"required: {allowed}"
                problem(rec.line, column, raw, allowed)
        key = tuple(cells[k].strip() for k in spec.row.key_fields)
        if all(cells[k].strip() for k in required_keys):
            if key in seen:
                ok = False
                label = row.label if row is not None else "/".join(k for k in key if k)
                problem(
                    rec.line,
                    ",".join(spec.row.key_fields),
                    label,
                    f"a key used once per file; also on line {seen[key]}",
                )
            else:
                seen[key] = rec.line
        if ok and not unreadable and row is not None:
            if row.key in normalised:  # e.g. "4" and "+4": same key once parsed
                problem(
                    rec.line,
                    ",".join(spec.row.key_fields),
                    row.label,
                    f"a key used once per file; also on line {normalised[row.key]}",
                )
                continue
            normalised[row.key] = rec.line
            result.entries.append(_Entry(row, file, rec.line))
    return result


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
    return Path(__file__).resolve().parent.parent / "pricing_data"


def _find_files(folder: Path, *, required: bool) -> tuple[dict[str, Path], list[PricingProblem]]:
    """Pricing files in ``folder`` (or ``folder`` itself when it is one such file)."""
    problems: list[PricingProblem] = []
    names = ", ".join(FILES.values())
    if folder.is_file():
        spec = _BY_FILE.get(folder.name)
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
    for spec in _SPECS.values():
        path = folder / spec.file
        if path.is_file():
            found[spec.kind] = path
        elif required:
            problems.append(
                PricingProblem(str(path), None, "(file)", spec.file, "this file must exist")
            )
    for path in sorted(folder.glob("*.csv")):
        if path.name not in _BY_FILE:
            close = difflib.get_close_matches(path.name, list(_BY_FILE), n=1)
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
    today = today or date.today()
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
    tables: dict[str, dict[tuple[Any, ...], _Entry]] = {kind: {} for kind in _SPECS}
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
            result = _parse_file(_SPECS[kind], text, str(file_path), today)
            problems.extend(result.problems)
            gpu_refs.extend((str(file_path), line, gpu) for line, gpu in result.gpu_refs)
            gpu_names |= result.names
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
        entries: dict[str, list[_Entry]],
        *,
        today: date,
        folders: tuple[str, ...] = (),
    ) -> None:
        self._entries = {kind: tuple(entries.get(kind, ())) for kind in _SPECS}
        self._today = today
        self._folders = folders
        self._api = {e.row.id: e.row for e in self._entries["api"]}  # type: ignore[attr-defined]
        self._hardware = {e.row.gpu: e.row for e in self._entries["hardware"]}  # type: ignore[attr-defined]
        self._frames: dict[str, pd.DataFrame] = {}

    # -- tables ---------------------------------------------------------------------------

    def table(self, kind: str) -> pd.DataFrame:
        """The table of one kind: ``api``, ``hardware``, ``gpu`` (offers) or ``throughput``."""
        if kind not in _SPECS:
            raise ValueError(f"kind: {kind!r} -> one of {', '.join(_SPECS)}")
        if kind not in self._frames:
            self._frames[kind] = self._frame(kind)
        return self._frames[kind].copy()

    def _frame(self, kind: str) -> pd.DataFrame:
        spec = _SPECS[kind]
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
        from tco.api import VendorAPI

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
                            "file": _SPECS[kind].file,
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
        """One line per file with stale rows: how many, and the oldest few."""
        df = self.stale(days)
        lines = []
        for file_path, group in df.groupby(df["origin"].str.rsplit(":", n=1).str[0], sort=True):
            total = sum(
                1 for entries in self._entries.values() for e in entries if e.file == file_path
            )
            oldest = ", ".join(
                f"{r.key} ({r.as_of.date().isoformat()}, line {r.origin.rsplit(':', 1)[1]})"
                for r in group.head(3).itertuples()
            )
            lines.append(
                f"{file_path}: {len(group)} of {total} rows older than {days} days; "
                f"oldest: {oldest}"
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
