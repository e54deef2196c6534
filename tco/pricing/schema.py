"""Pricing CSV schemas: the four row models, their columns and the per-file validator.

Each file of the catalog has a frozen pydantic row model whose fields are the file's
columns, in order; a field's ``description`` is the "what is allowed" text of error
messages. :func:`tco.load_pricing` (in :mod:`tco.pricing`) reads files through
:func:`_parse_file`, which reports every problem as a :class:`PricingProblem`
(``file:line: column: value -> allowed``). Everything here is re-exported by
:mod:`tco.pricing`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any, ClassVar, Literal

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

from tco.pricing import csvtext as _csv

__all__ = [
    "FILES",
    "PLANS",
    "AmbiguousPriceError",
    "ApiPrice",
    "GpuHardware",
    "GpuOffer",
    "PricingError",
    "PricingProblem",
    "StalePriceWarning",
    "ThroughputMeasurement",
    "UnknownPriceError",
]

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
