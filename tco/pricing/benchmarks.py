"""Bring your own benchmark: serving-benchmark results as a measured throughput curve.

:func:`import_bench` reads the result files of one tool (:mod:`tco.pricing.bench_formats`),
one run per concurrency level, and writes one ``throughput.csv`` row per level with regime
``measured``: the p99 TTFT and TPOT the run achieved, its concurrency, mean input and
output tokens, the output tokens/s of the replica, and prefill/decode rates derived from
that one figure (:mod:`tco.pricing.derive`). The rows of one import differ only by
concurrency, so they form a throughput-vs-latency curve.

**Monotone sweep.** Sorted by concurrency, each step to a higher concurrency must raise
the output throughput or the p99 time per output token (or both): a step that lowers both
by more than :data:`SWEEP_TOLERANCE` is refused, because giving a server more requests at
once cannot make it both slower in aggregate and faster per token; such a sweep mixes runs
of different servers, models or settings, or a run failed. Two runs at one concurrency are
refused too (they would be one row).
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tco.pricing.bench_formats import Run, read_runs
from tco.pricing.cells import parse_iso_date
from tco.pricing.derive import prefill_decode_ratio, split_output_rate
from tco.pricing.load import as_date, load_pricing
from tco.pricing.mlperf import refuse_package_folder
from tco.pricing.problems import PricingError, PricingProblem, one_problem, unknown_key_error
from tco.pricing.schema import ThroughputMeasurement
from tco.pricing.throughput_file import ThroughputMerge, merge_throughput, write_merge

__all__ = ["SWEEP_TOLERANCE", "BenchImport", "check_sweep", "import_bench"]

SWEEP_TOLERANCE = 0.02
"""A drop smaller than this share (in throughput or TPOT) counts as noise in the sweep check."""


@dataclass(frozen=True)
class BenchImport:
    """What :func:`import_bench` did: the merge, the runs, what was left out."""

    merge: ThroughputMerge
    runs: tuple[Run, ...]
    left_out: tuple[str, ...] = ()
    written: bool = False

    def summary(self) -> list[str]:
        """Lines to print: the file written, one line per concurrency, what was left out."""
        lines = [self.merge.summary(self.written)]
        for r in self.runs:
            lines.append(
                f"concurrency {r.concurrency}: {r.output_tokens_per_s:.1f} output tokens/s, "
                f"p99 TTFT {r.ttft_p99_s:.3g} s, p99 TPOT {r.tpot_p99_s:.3g} s, "
                f"mean {r.input_tokens:.0f} in / {r.output_tokens:.0f} out ({r.label})"
            )
        lines.extend(f"left out: {reason}" for reason in self.left_out)
        return lines


def check_sweep(runs: list[Run]) -> list[Run]:
    """The runs sorted by concurrency, after the checks of the module docstring.

    Raises
    ------
    PricingError
        One problem per offending step, naming both files (or runs) and the fields.
    """
    ordered = sorted(runs, key=lambda r: r.concurrency)
    problems = []
    for a, b in itertools.pairwise(ordered):
        if a.concurrency == b.concurrency:
            problems.append(
                PricingProblem(
                    b.label,
                    None,
                    "concurrency",
                    str(b.concurrency),
                    f"one run per concurrency (also in {a.label})",
                )
            )
        elif b.output_tokens_per_s < a.output_tokens_per_s * (
            1 - SWEEP_TOLERANCE
        ) and b.tpot_p99_s < a.tpot_p99_s * (1 - SWEEP_TOLERANCE):
            problems.append(
                PricingProblem(
                    b.label,
                    None,
                    "output tokens/s and p99 TPOT",
                    f"{b.output_tokens_per_s:.1f} tok/s, {b.tpot_p99_s:.4g} s "
                    f"at concurrency {b.concurrency}",
                    f"a monotone sweep: from concurrency {a.concurrency} ({a.label}: "
                    f"{a.output_tokens_per_s:.1f} tok/s, {a.tpot_p99_s:.4g} s) throughput and "
                    "latency may not both fall",
                )
            )
    if problems:
        raise PricingError(problems)
    return ordered


def import_bench(
    files: list[Path],
    folder: str | Path = "prices",
    *,
    tool: str,
    model: str,
    gpu: str,
    gpus_per_replica: int,
    engine: str,
    precision: str,
    source: str | None = None,
    as_of: date | str | None = None,
    today: date | None = None,
    dry_run: bool = False,
) -> BenchImport:
    """Add the runs of benchmark result files to ``folder/throughput.csv`` as a curve.

    Parameters
    ----------
    files : list of Path
        Result files of one tool: one per concurrency level, or a sweep in one file.
    folder : str or Path
        Folder whose ``throughput.csv`` is updated (created). Default ``prices``.
    tool : str
        ``vllm``, ``sglang``, ``aiperf``, ``genai-perf`` or ``guidellm``.
    model, gpu, gpus_per_replica, engine, precision
        What the tools do not record: the served model (Hugging Face id), the GPU type (of
        ``gpu_hardware.csv``), GPUs of the replica, engine and version, weight precision.
    source : str, optional
        ``source`` of the rows (default: the tool and the file names).
    as_of : date or str, optional
        Default: the latest run date in the files, else today.
    today : date, optional
        Reference date for validation.
    dry_run : bool
        Work out and validate; write nothing.

    Raises
    ------
    PricingError
        Unknown tool or GPU, a file missing a field, a non-monotone sweep, or a
        ``throughput.csv`` that would not validate; nothing is written then.
    """
    today = as_date(today)
    target = Path(folder)
    refuse_package_folder(target)
    runs, left = read_runs(list(files), tool)
    if not runs:
        raise one_problem(files[0], None, "(runs)", "", "at least one run with a concurrency")
    ordered = check_sweep(runs)
    catalog = load_pricing(
        target if target.is_dir() and any(target.glob("*.csv")) else None, today=today
    )
    if gpu not in set(catalog.gpu_hardware["gpu"]):
        raise unknown_key_error("GPU", gpu, set(catalog.gpu_hardware["gpu"]))
    stamp = _as_of(as_of, ordered, today)
    src = source or f"{tool} results: " + ", ".join(sorted({Path(r.file).name for r in ordered}))
    rows = [
        _row(r, tool, model, gpu, gpus_per_replica, engine, precision, src, stamp) for r in ordered
    ]
    merge = merge_throughput(target, rows, today)
    result = BenchImport(merge, tuple(ordered), tuple(left))
    if dry_run or not (merge.added or merge.changed):
        return result
    write_merge(merge)
    return dataclasses.replace(result, written=True)


def _as_of(as_of: date | str | None, runs: list[Run], today: date) -> date:
    if as_of is not None:
        try:
            return parse_iso_date(as_of)  # type: ignore[return-value]
        except ValueError:
            raise one_problem(
                "(command line)", None, "--as-of", str(as_of), "a date YYYY-MM-DD"
            ) from None
    days = [r.day for r in runs if r.day is not None]
    return max(days) if days else today


def _row(
    run: Run,
    tool: str,
    model: str,
    gpu: str,
    gpus: int,
    engine: str,
    precision: str,
    source: str,
    stamp: date,
) -> ThroughputMeasurement:
    ratio, basis = prefill_decode_ratio(gpu)
    split = split_output_rate(run.output_tokens_per_s, run.input_tokens, run.output_tokens, ratio)
    dated = "run date from the file" if run.day else "the file has no run date: as_of = import day"
    label = f"; the file's model label {run.model!r}" if run.model and run.model != model else ""
    notes = (
        f"MEASURED with {tool} ({run.label}): output_tokens_per_s {run.output_tokens_per_s:.2f} "
        f"of the replica at concurrency {run.concurrency}, p99 TTFT {run.ttft_p99_s:.4g} s and "
        f"p99 TPOT {run.tpot_p99_s:.4g} s achieved, mean {run.input_tokens:.1f} input / "
        f"{run.output_tokens:.1f} output tokens per request (rounded in the row); "
        f"{split.note(basis)}; {dated}{label}"
    )
    return ThroughputMeasurement(
        model=model,
        gpu=gpu,
        gpus_per_replica=gpus,
        engine=engine,
        precision=precision,
        regime="measured",
        ttft_p99_s=round(run.ttft_p99_s, 6),
        tpot_p99_s=round(run.tpot_p99_s, 6),
        tokens_per_s_per_user=round(run.tokens_per_s_per_user, 2)
        if run.tokens_per_s_per_user
        else None,
        prefill_tokens_per_s=split.prefill_tokens_per_s,
        decode_tokens_per_s=split.decode_tokens_per_s,
        concurrency=run.concurrency,
        input_tokens=max(1, round(run.input_tokens)),
        output_tokens=max(1, round(run.output_tokens)),
        output_tokens_per_s=round(run.output_tokens_per_s, 2),
        estimated=False,
        source=source,
        as_of=stamp,
        notes=notes,
    )
