"""Reading the result files of serving benchmarks: one :class:`Run` per measured load.

Supported tools and the fields read (units converted to seconds and tokens):

============  ================================================================================
``vllm``      ``vllm bench serve --save-result``: one JSON object per file, or JSON Lines with
              ``--append-result``. ``max_concurrency``, ``completed``, ``total_input_tokens``,
              ``total_output_tokens``, ``output_throughput``, ``p99_ttft_ms``, ``p99_tpot_ms``
              (``mean_tpot_ms``, ``model_id``, ``date`` when present).
``sglang``    ``bench_serving --output-file``: JSON Lines, one run per line (``Infinity`` is
              accepted). As vLLM, with ``total_input``/``total_output`` in the refactored
              shape; no model or date is recorded.
``aiperf``    ``profile_export_aiperf.json``: ``output_token_throughput.avg``,
              ``time_to_first_token.p99``, ``inter_token_latency.p99`` (ms, the per-request
              TPOT), ``input_sequence_length.avg``, ``output_sequence_length.avg``; the
              concurrency of the ``profiling`` phase (``input_config.phases``) or
              ``input_config.loadgen.concurrency`` (older files).
``genai-perf``  ``profile_export_genai_perf.json``: the same metric objects; concurrency
              ``input_config.perf_analyzer.stimulus.concurrency`` (or the older flat
              ``input_config.concurrency``).
``guidellm``  ``benchmarks.json``: every ``benchmarks[i]`` with a concurrent or synchronous
              strategy (``config.strategy.streams``, 1 for synchronous):
              ``metrics.output_tokens_per_second``, ``time_to_first_token_ms``,
              ``time_per_output_token_ms`` (p99 of successful requests),
              ``prompt_token_count`` and ``output_token_count`` (means). Rate-based
              strategies (throughput, constant, poisson) have no fixed concurrency: listed as
              left out.
============  ================================================================================

A missing or non-numeric field raises :class:`~tco.pricing.PricingError` naming the file,
the run (JSON Lines: the line) and the field.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from tco.pricing.problems import one_problem

__all__ = ["TOOLS", "Run", "read_runs"]


@dataclass(frozen=True)
class Run:
    """One load level of a benchmark: what the row for it needs."""

    file: str
    where: str  # "" for a whole-file run, "line 3", "benchmarks[2]"
    concurrency: int
    ttft_p99_s: float
    tpot_p99_s: float
    input_tokens: float
    output_tokens: float
    output_tokens_per_s: float
    tokens_per_s_per_user: float | None = None
    model: str | None = None
    day: date | None = None

    @property
    def label(self) -> str:
        """``file`` or ``file (line 3)``, for messages and notes."""
        return f"{self.file} ({self.where})" if self.where else self.file


class _Doc:
    """A parsed JSON document and where it came from, with checked field access."""

    def __init__(self, data: Any, file: str, where: str) -> None:
        self.data, self.file, self.where = data, file, where

    def get(self, path: str, *, required: bool = True) -> Any:
        value = self.data
        for part in path.split("."):
            if isinstance(value, dict) and part in value:
                value = value[part]
            elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
                value = value[int(part)]
            elif required:
                raise one_problem(self.file, None, self._field(path), "(missing)", "present")
            else:
                return None
        return value

    def number(self, path: str, *, positive: bool = True) -> float:
        value = self.get(path)
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or (positive and value <= 0):
            shown = json.dumps(value)[:40]
            raise one_problem(self.file, None, self._field(path), shown, "a finite number > 0")
        return float(value)

    def whole(self, path: str, hint: str) -> int:
        value = self.get(path, required=False)
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            shown = json.dumps(value)[:40]
            raise one_problem(
                self.file, None, self._field(path), shown, f"a whole number > 0 ({hint})"
            )
        return value

    def _field(self, path: str) -> str:
        return f"{self.where}: {path}" if self.where else path


def _json_docs(path: Path) -> list[_Doc]:
    """The JSON objects of a file: one object, or one per line (JSON Lines)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise one_problem(path, None, "(file)", "", f"a readable UTF-8 file ({exc})") from None
    try:
        return [_Doc(json.loads(text), str(path), "")]
    except json.JSONDecodeError:
        pass
    docs = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            try:
                docs.append(_Doc(json.loads(line), str(path), f"line {n}"))
            except json.JSONDecodeError as exc:
                raise one_problem(
                    path, n, "(json)", line[:40], f"a JSON object ({exc.msg})"
                ) from None
    return docs


def _per_user(mean_tpot_ms: Any) -> float | None:
    ok = isinstance(mean_tpot_ms, int | float) and math.isfinite(mean_tpot_ms)
    return 1000.0 / mean_tpot_ms if ok and mean_tpot_ms > 0 else None


def _vllm_like(doc: _Doc) -> Run:
    """vLLM and SGLang: flat keys, totals over the completed requests."""
    completed = doc.number("completed")
    total_in = doc.get("total_input_tokens", required=False)
    total_out = doc.get("total_output_tokens", required=False)
    in_key = "total_input_tokens" if total_in is not None else "total_input"
    out_key = "total_output_tokens" if total_out is not None else "total_output"
    day = doc.get("date", required=False)
    return Run(
        doc.file,
        doc.where,
        concurrency=doc.whole("max_concurrency", "run with --max-concurrency N"),
        ttft_p99_s=doc.number("p99_ttft_ms") / 1000.0,
        tpot_p99_s=doc.number("p99_tpot_ms") / 1000.0,
        input_tokens=doc.number(in_key) / completed,
        output_tokens=doc.number(out_key) / completed,
        output_tokens_per_s=doc.number("output_throughput"),
        tokens_per_s_per_user=_per_user(doc.get("mean_tpot_ms", required=False)),
        model=doc.get("model_id", required=False),
        day=datetime.strptime(day, "%Y%m%d-%H%M%S").date() if isinstance(day, str) else None,
    )


def _ms(doc: _Doc, metric: str, stat: str) -> float:
    unit = doc.get(f"{metric}.unit", required=False)
    if unit not in (None, "ms"):
        raise one_problem(doc.file, None, f"{metric}.unit", str(unit), "ms")
    return doc.number(f"{metric}.{stat}") / 1000.0


def _nvidia(doc: _Doc, concurrency: int, model: Any, day: date | None) -> Run:
    """AIPerf and GenAI-Perf metric objects (``{unit, avg, p99, ...}``)."""
    per_user = doc.get("output_token_throughput_per_user.avg", required=False)
    return Run(
        doc.file,
        doc.where,
        concurrency,
        ttft_p99_s=_ms(doc, "time_to_first_token", "p99"),
        tpot_p99_s=_ms(doc, "inter_token_latency", "p99"),
        input_tokens=doc.number("input_sequence_length.avg"),
        output_tokens=doc.number("output_sequence_length.avg"),
        output_tokens_per_s=doc.number("output_token_throughput.avg"),
        tokens_per_s_per_user=per_user if isinstance(per_user, int | float) else None,
        model=model if isinstance(model, str) else None,
        day=day,
    )


def _aiperf(doc: _Doc) -> Run:
    phases = doc.get("input_config.phases", required=False) or []
    found = [
        i for i, p in enumerate(phases) if isinstance(p, dict) and p.get("kind") == "profiling"
    ]
    path = (
        f"input_config.phases.{found[0]}.concurrency"
        if found
        else "input_config.loadgen.concurrency"
    )
    model = doc.get("input_config.models.items.0.name", required=False) or doc.get(
        "input_config.endpoint.model_names.0", required=False
    )
    start = doc.get("start_time", required=False)
    day = datetime.fromisoformat(start).date() if isinstance(start, str) else None
    return _nvidia(doc, doc.whole(path, "a concurrency-mode run"), model, day)


def _genai_perf(doc: _Doc) -> Run:
    path = "input_config.perf_analyzer.stimulus.concurrency"
    if doc.get(path, required=False) is None and doc.get(
        "input_config.concurrency", required=False
    ):
        path = "input_config.concurrency"
    model = doc.get("input_config.model_names.0", required=False) or doc.get(
        "input_config.model", required=False
    )
    return _nvidia(doc, doc.whole(path, "a concurrency-mode run"), model, None)


def _guidellm(doc: _Doc) -> list[Run | str]:
    """Every benchmark of a GuideLLM report: a Run, or why it is left out."""
    out: list[Run | str] = []
    for i, _ in enumerate(doc.get("benchmarks") or []):
        b = _Doc(doc.data["benchmarks"][i], doc.file, f"benchmarks[{i}]")
        kind = b.get("config.strategy.type_")
        if kind not in ("concurrent", "synchronous"):
            out.append(f"{b.file} benchmarks[{i}]: strategy {kind} has no fixed concurrency")
            continue
        m = "metrics."
        streams = 1 if kind == "synchronous" else b.whole("config.strategy.streams", "streams")
        start = b.get("start_time", required=False)
        out.append(
            Run(
                b.file,
                b.where,
                streams,
                ttft_p99_s=b.number(m + "time_to_first_token_ms.successful.percentiles.p99")
                / 1000.0,
                tpot_p99_s=b.number(m + "time_per_output_token_ms.successful.percentiles.p99")
                / 1000.0,
                input_tokens=b.number(m + "prompt_token_count.successful.mean"),
                output_tokens=b.number(m + "output_token_count.successful.mean"),
                output_tokens_per_s=b.number(m + "output_tokens_per_second.successful.mean"),
                tokens_per_s_per_user=_per_user(
                    b.get(m + "time_per_output_token_ms.successful.mean", required=False)
                ),
                model=b.get("config.backend.model", required=False),
                day=datetime.fromtimestamp(start, UTC).date()
                if isinstance(start, int | float)
                else None,
            )
        )
    if not out:
        raise one_problem(doc.file, None, "benchmarks", "[]", "at least one benchmark")
    return out


_READERS: dict[str, Callable[[_Doc], list[Run | str]]] = {
    "vllm": lambda d: [_vllm_like(d)],
    "sglang": lambda d: [_vllm_like(d)],
    "aiperf": lambda d: [_aiperf(d)],
    "genai-perf": lambda d: [_genai_perf(d)],
    "guidellm": _guidellm,
}
TOOLS = tuple(_READERS)
"""The ``--tool`` names: vllm, sglang, aiperf, genai-perf, guidellm."""


def read_runs(paths: list[Path], tool: str) -> tuple[list[Run], list[str]]:
    """Every run in the files of one tool, and what was left out (with the reason).

    Raises
    ------
    PricingError
        An unknown tool, an unreadable file, or a run missing a field (file and field).
    """
    if tool not in _READERS:
        raise one_problem("(command line)", None, "--tool", tool, "one of " + ", ".join(TOOLS))
    runs: list[Run] = []
    left: list[str] = []
    for path in paths:
        for doc in _json_docs(path):
            for item in _READERS[tool](doc):
                (runs.append(item) if isinstance(item, Run) else left.append(item))
    return runs, left
