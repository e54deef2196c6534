"""Import MLPerf Inference results (``summary.csv``) as throughput rows.

:func:`import_mlperf` reads the ``summary.csv`` of an ``mlcommons/inference_results_vX.Y``
round (:mod:`tco.pricing.mlperf_read`), keeps the closed-division datacenter LLM results
in the Offline, Server and Interactive scenarios on GPU types of the catalog's
``gpu_hardware.csv``, and turns them into ``throughput.csv`` rows:

* **per replica**: one node of the system is one replica (``gpus_per_replica`` =
  ``accelerators_per_node``, 4 for a GB200/GB300 NVL72 tray, 8 for an HGX node), because
  MLPerf systems are measured whole and their parallelism is rarely stated; the replica's
  output rate is ``Result / accelerators * accelerators_per_node`` (``Result`` is the
  output tokens per second of the whole system);
* **regime**: the scenario (``offline``, ``server``, ``interactive``), with the p99 TTFT
  and TPOT limits of the benchmark (:data:`~tco.pricing.mlperf_rules.LATENCY_LIMITS`);
* **mix**: the benchmark's mean output tokens (the result's own ``TOKENS_PER_SAMPLE``
  where it reports one on the performance dataset) and an assumed mean input length
  (:class:`~tco.pricing.mlperf_rules.Benchmark`; override with ``input_tokens``);
* **prefill / decode**: derived from the one measured rate (:mod:`tco.pricing.derive`);
* **several submissions with one key** (same model, GPU, GPUs per node, engine,
  precision and scenario): the row is the median submission by output tokens/s per GPU
  (the lower of the two middle ones for an even count); the notes name the others.

Rows go to ``DIR/throughput.csv`` (:mod:`tco.pricing.throughput_file`).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote

from tco.pricing.cells import parse_iso_date
from tco.pricing.derive import prefill_decode_ratio, split_output_rate
from tco.pricing.load import as_date, load_pricing
from tco.pricing.mlperf_read import Submission, read_summary
from tco.pricing.mlperf_rules import LATENCY_LIMITS, ROUNDS, Round
from tco.pricing.problems import PricingError, one_problem, unknown_key_error
from tco.pricing.schema import ThroughputMeasurement
from tco.pricing.throughput_file import ThroughputMerge, merge_throughput, write_merge

__all__ = [
    "MlperfImport",
    "engine_name",
    "import_mlperf",
    "precision_name",
    "refuse_package_folder",
]

_ENGINES = (
    (re.compile(r"(?:TensorRT-LLM|TRTLLM)[ -]*(?:feat/)?([0-9][\w.\-]*)?", re.I), "tensorrt-llm"),
    (re.compile(r"SGLang[ -]*([0-9][\w.\-]*)?", re.I), "sglang"),
    (re.compile(r"vLLM[ -]*([0-9][\w.\-]*)?", re.I), "vllm"),
    (re.compile(r"TensorRT[ -]*([0-9][\w.\-]*)?", re.I), "tensorrt"),
)
_PRECISIONS = ("nvfp4", "mxfp4", "fp4", "fp8", "int8", "int4", "bf16", "fp16")


def engine_name(framework: str) -> str:
    """The ``engine`` cell for an MLPerf ``framework`` text: the serving engine and version.

    Examples
    --------
    >>> engine_name("TensorRT 10.14, CUDA 13.1, cuDNN 9.17, TensorRT-LLM feat/1.2-mlpinf")
    'tensorrt-llm-1.2-mlpinf'
    >>> engine_name("vLLM 0.22.0, PyTorch 2.10.0, ROCm 7.2.2"), engine_name("PyTorch")
    ('vllm-0.22.0', 'pytorch')
    >>> engine_name("")
    'unstated'
    """
    if framework.strip().upper() in ("", "TODO", "N/A", "NONE"):
        return "unstated"
    for pattern, name in _ENGINES:
        found = pattern.search(framework)
        if found:
            return f"{name}-{found[1]}".rstrip("-.") if found[1] else name
    first = framework.split(",")[0].strip().lower()
    return re.sub(r"[^a-z0-9.]+", "-", first).strip("-") or "unstated"


def precision_name(weight_data_types: str) -> str:
    """The ``precision`` cell for MLPerf ``weight_data_types`` (``fp4+fp8`` for a mix).

    Examples
    --------
    >>> precision_name("fp8,fp4"), precision_name("MXFP4"), precision_name("NVFP4 weights")
    ('fp4+fp8', 'mxfp4', 'fp4')
    """
    found = set()
    for token in re.split(r"[^a-z0-9]+", weight_data_types.lower()):
        if token in _PRECISIONS:
            found.add("fp4" if token == "nvfp4" else token)
    return "+".join(sorted(found)) or "unstated"


@dataclass(frozen=True)
class MlperfImport:
    """What :func:`import_mlperf` did.

    Attributes
    ----------
    merge : ThroughputMerge
        The rows added, changed and already there, and the file.
    submissions : int
        Usable results read (before taking one per key).
    skipped : dict of str to int
        Rows left out, by reason (not closed, edge, not an LLM, other scenario, not
        available, CPU-only, mixed accelerators, GPU type not in the catalog, ...).
    mixed : tuple of str
        The systems mixing accelerator types (``system (platform): accelerators, lines``).
    written : bool
        False for a dry run or when nothing changed.
    """

    merge: ThroughputMerge
    submissions: int
    skipped: dict[str, int] = field(default_factory=dict)
    mixed: tuple[str, ...] = ()
    written: bool = False

    def summary(self) -> list[str]:
        """Lines to print: the file written, then what was left out and why."""
        lines = [self.merge.summary(self.written)]
        m = self.merge
        n_rows = len(m.added) + len(m.changed) + len(m.unchanged)
        lines.append(f"{self.submissions} usable results -> {n_rows} rows (median per key)")
        for reason, n in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"left out {n}: {reason}")
        lines.extend(f"mixed system left out: {m}" for m in self.mixed)
        return lines


def import_mlperf(
    summary: str | Path,
    folder: str | Path = "prices",
    *,
    round: str | None = None,
    as_of: date | str | None = None,
    input_tokens: dict[str, int] | None = None,
    gpus: list[str] | None = None,
    today: date | None = None,
    dry_run: bool = False,
) -> MlperfImport:
    """Add the LLM results of an MLPerf Inference ``summary.csv`` to ``folder/throughput.csv``.

    Parameters
    ----------
    summary : str or Path
        The round's ``summary.csv`` (31 columns, as the submission checker writes it).
    folder : str or Path
        Folder whose ``throughput.csv`` is updated (created if absent); its other files,
        over the bundled ones, decide which GPU types exist. Default ``prices``.
    round : str, optional
        ``v5.1``, ``v6.0`` or ``v6.1``; default: the file's ``version`` column.
    as_of : date or str, optional
        ``as_of`` of the rows; default: the round's publication date (required for a round
        whose date is not known, v6.1).
    input_tokens : dict of str to int, optional
        Mean input tokens per benchmark (``MlperfModel``) replacing the assumed ones.
    gpus : list of str, optional
        Only results on these GPU types (the others are counted as left out).
    today : date, optional
        Reference date for validation (default: today).
    dry_run : bool
        Work out and validate, write nothing.

    Raises
    ------
    PricingError
        Problems in the summary (unknown accelerator, zero accelerators, bad result,
        missing columns: each with file, line and column), an unknown round, no date, or
        a ``throughput.csv`` that would not validate. Nothing is written then.
    """
    today = as_date(today)
    path, target = Path(summary), Path(folder)
    refuse_package_folder(target)
    rows = read_summary(path)
    if rows.problems:
        raise PricingError(rows.problems)
    info = _round(rows.submissions, round, path)
    stamp = _as_of(as_of, info, path)
    known = set(load_pricing(target if _has_csv(target) else None, today=today).gpu_hardware["gpu"])
    for gpu in gpus or ():
        if gpu not in known:
            raise unknown_key_error("GPU", gpu, known)
    skipped = Counter(rows.skipped)
    usable = []
    for s in rows.submissions:
        if s.gpu not in known:
            skipped[f"GPU type {s.gpu} not in gpu_hardware.csv"] += 1
        elif gpus and s.gpu not in gpus:
            skipped[f"GPU type {s.gpu} not asked for (--gpu)"] += 1
        else:
            usable.append(s)
    built = [_row(group, info, stamp, input_tokens or {}) for group in _groups(usable).values()]
    merge = merge_throughput(target, built, today)
    mixed = tuple(
        f"{system}, line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}"
        for system, lines in rows.mixed.items()
    )
    result = MlperfImport(merge, len(usable), dict(skipped), mixed)
    if dry_run or not (merge.added or merge.changed):
        return result
    write_merge(merge)
    return dataclasses.replace(result, written=True)


def refuse_package_folder(target: Path) -> None:
    """Refuse to write into an installed package's ``pricing_data`` (use a folder of yours).

    A source checkout's top-level ``pricing_data/`` is allowed: that is how the bundled
    rows are made.
    """
    packaged = Path(__file__).resolve().parents[1] / "pricing_data"
    if target.resolve() == packaged:
        raise one_problem(
            target,
            None,
            "--dir",
            str(target),
            "a folder of your own (default prices/), not the installed package's data",
        )


def _has_csv(folder: Path) -> bool:
    return folder.is_dir() and any(folder.glob("*.csv"))


def _round(subs: list[Submission], asked: str | None, path: Path) -> Round:
    """The round of the results: ``asked``, else the one ``version`` of the file."""
    versions = sorted({s.version for s in subs if s.version})
    name = asked or (versions[0] if len(versions) == 1 else None)
    if name is None:
        found = ", ".join(versions) or "none"
        raise one_problem(path, None, "version", found, "one round in the file, or --round")
    if name not in ROUNDS:
        raise one_problem(path, None, "--round", name, "one of " + ", ".join(ROUNDS))
    return ROUNDS[name]


def _as_of(as_of: date | str | None, info: Round, path: Path) -> date:
    if as_of is None and info.published is None:
        raise one_problem(
            path,
            None,
            "--as-of",
            "",
            f"a date YYYY-MM-DD: round {info.name}'s publication date is not known to tco "
            "(give the date the results were published, or the day you read them)",
        )
    try:
        return parse_iso_date(as_of if as_of is not None else info.published)  # type: ignore[return-value]
    except ValueError:
        raise one_problem(path, None, "--as-of", str(as_of), "a date YYYY-MM-DD") from None


def _groups(subs: list[Submission]) -> dict[tuple[str, ...], list[Submission]]:
    """Submissions by the key of the row they become, in file order."""
    out: dict[tuple[str, ...], list[Submission]] = {}
    for s in subs:
        key = (
            s.spec.model,
            s.gpu,
            str(s.gpus_per_node),
            engine_name(s.framework),
            precision_name(s.weight_data_types),
            s.scenario,
        )
        out.setdefault(key, []).append(s)
    return out


def _row(
    group: list[Submission], info: Round, stamp: date, isl_override: dict[str, int]
) -> ThroughputMeasurement:
    """The row for one key: the median submission, its mix, limits and derived rates."""
    ranked = sorted(group, key=lambda s: s.per_gpu)
    s = ranked[(len(ranked) - 1) // 2]
    spec = s.spec
    isl = isl_override.get(s.benchmark, spec.input_tokens)
    osl = s.tokens_per_sample or spec.output_tokens
    replica = s.per_gpu * s.gpus_per_node
    ratio, basis = prefill_decode_ratio(s.gpu)
    split = split_output_rate(replica, isl, osl, ratio)
    limits = LATENCY_LIMITS.get((spec.family, s.scenario)) if s.scenario != "Offline" else None
    return ThroughputMeasurement(
        model=spec.model,
        gpu=s.gpu,
        gpus_per_replica=s.gpus_per_node,
        engine=engine_name(s.framework),
        precision=precision_name(s.weight_data_types),
        regime=s.scenario.lower(),
        ttft_p99_s=limits[0] if limits else None,
        tpot_p99_s=limits[1] if limits else None,
        prefill_tokens_per_s=split.prefill_tokens_per_s,
        decode_tokens_per_s=split.decode_tokens_per_s,
        input_tokens=round(isl),
        output_tokens=round(osl),
        output_tokens_per_s=round(replica, 2),
        estimated=False,
        source=info.results_url + quote(s.location.removeprefix("./")),
        as_of=stamp,
        notes=_notes(s, ranked, info, isl, osl, split.note(basis), isl_override),
    )


def _notes(
    s: Submission,
    ranked: list[Submission],
    info: Round,
    isl: float,
    osl: float,
    split_note: str,
    isl_override: dict[str, int],
) -> str:
    spec = s.spec
    others = [o for o in ranked if o is not s]
    other = "; ".join(f"{o.organization} {o.platform} {o.per_gpu:.0f}" for o in others)
    lines = [
        f"MLPerf Inference {info.name} closed datacenter, benchmark {s.benchmark}, "
        f"{s.scenario} scenario",
        f"MEASURED: {s.organization} '{s.system}' ({s.platform}), {s.summary} line {s.line}: "
        f"Result {s.result:g} output tokens/s over {s.accelerators} GPUs = "
        f"{s.per_gpu:.1f} per GPU; one node ({s.gpus_per_node} GPUs) taken as one replica",
        f"{len(ranked)} submission(s) with this key; this row is the median by tokens/s "
        f"per GPU" + (f"; others (per GPU): {other}" if others else ""),
        "output_tokens = "
        + (f"the result's TOKENS_PER_SAMPLE {osl:g}" if s.tokens_per_sample else spec.output_basis),
        "input_tokens = "
        + (
            f"{isl:g} given at import"
            if s.benchmark in isl_override
            else f"{isl:g}, {spec.input_basis}"
        ),
        split_note,
        f"weight_data_types '{s.weight_data_types}'; framework '{s.framework}'",
    ]
    if info.published:
        lines.append(f"as_of = the round's publication date {info.published}")
    else:
        lines.append("as_of given at import: the round's publication date is not established")
    if s.scenario != "Offline":
        lines.append(f"latency limits (p99 TTFT, TPOT) from {info.limits_source}")
        if spec.family == "gpt-oss-120b" and s.scenario == "Interactive":
            lines.append(
                "TPOT 15 ms per LoadGen and the submission checker; the rules text says 20 ms"
            )
    return "; ".join(lines)
