"""Reading an MLPerf Inference ``summary.csv``: which rows are usable, and what they say.

:func:`read_summary` walks the file row by row and sorts every row into one of three
outcomes: a :class:`Submission` (a closed-division datacenter LLM result in the Offline,
Server or Interactive scenario, on one known GPU type), a skip with its reason (counted,
and for systems that mix accelerator types listed by name), or a problem (an unknown
accelerator name, zero or unreadable accelerator counts, a result that is not a positive
number: ``file:line: column: value -> allowed``). The caller decides what to do with GPU
types the catalog does not have.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tco.pricing import csvtext
from tco.pricing.cells import parse_integer, parse_number
from tco.pricing.mlperf_rules import ACCELERATORS, BENCHMARKS, Benchmark
from tco.pricing.problems import PricingProblem

__all__ = ["REQUIRED_COLUMNS", "Submission", "SummaryRows", "read_summary"]

REQUIRED_COLUMNS = (
    "Organization",
    "Availability",
    "Division",
    "SystemType",
    "SystemName",
    "Platform",
    "MlperfModel",
    "Scenario",
    "Result",
    "Accuracy",
    "number_of_nodes",
    "accelerator_model_name",
    "accelerators_per_node",
    "Location",
    "framework",
    "version",
    "Units",
    "weight_data_types",
)
"""Columns of ``summary.csv`` the importer reads (the file has 31; others are ignored)."""

_SCENARIOS = {"offline": "Offline", "server": "Server", "interactive": "Interactive"}
_MIXED = re.compile(r"\s\+\s|\sand\s|,\s|\(x\d+x\d+\)", re.IGNORECASE)
_PARTIAL = re.compile(r"^(?P<name>.*?)\s*\(x(?P<count>\d+)\)$")
_TOKENS = re.compile(r"TOKENS_PER_SAMPLE:\s*([0-9.eE+-]+)")


@dataclass(frozen=True)
class Submission:
    """One usable result row of a summary file."""

    line: int
    benchmark: str
    spec: Benchmark
    scenario: str
    gpu: str
    gpus_per_node: int
    accelerators: int
    result: float
    tokens_per_sample: float | None
    organization: str
    system: str
    platform: str
    location: str
    framework: str
    weight_data_types: str
    version: str
    summary: str = "summary.csv"

    @property
    def per_gpu(self) -> float:
        """Output tokens per second per GPU. [tokens/s]"""
        return self.result / self.accelerators


@dataclass
class SummaryRows:
    """What :func:`read_summary` found."""

    file: str
    submissions: list[Submission] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    mixed: dict[str, list[int]] = field(default_factory=dict)
    problems: list[PricingProblem] = field(default_factory=list)

    def problem(self, line: int | None, column: str, value: str, allowed: str) -> None:
        """Record one problem in the file."""
        self.problems.append(PricingProblem(self.file, line, column, value, allowed))


def read_summary(path: Path) -> SummaryRows:
    """Sort every row of an MLPerf ``summary.csv`` (see the module docstring)."""
    out = SummaryRows(str(path))
    try:
        records = [r for r in csvtext.records(csvtext.decode(path.read_bytes())) if not r.blank]
    except OSError as exc:
        out.problem(None, "(file)", "", f"a readable file ({exc})")
        return out
    except csvtext.CsvSyntaxError as exc:
        out.problem(exc.line, "(row)", "", f"readable CSV ({exc.message})")
        return out
    if not records:
        out.problem(1, "(header)", "", "the summary.csv header line")
        return out
    header = [c.strip() for c in records[0].cells]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        out.problem(
            1, "(header)", ",".join(header)[:80], "a summary.csv header with " + ", ".join(missing)
        )
        return out
    for record in records[1:]:
        if len(record.cells) != len(header):
            out.problem(record.line, "(row)", f"{len(record.cells)} cells", f"{len(header)} cells")
            continue
        _classify(
            dict(zip(header, (c.strip() for c in record.cells), strict=True)), record.line, out
        )
    return out


def _classify(cells: dict[str, str], line: int, out: SummaryRows) -> None:
    """Sort one row: a submission, a skip (counted) or a problem."""
    bench = cells["MlperfModel"]
    scenario = _SCENARIOS.get(cells["Scenario"].lower())
    if cells["Division"].lower() != "closed":
        out.skipped["not closed division"] += 1
    elif "datacenter" not in cells["SystemType"].lower().split(","):
        out.skipped["not datacenter (edge)"] += 1
    elif bench not in BENCHMARKS:
        out.skipped[f"not an imported LLM benchmark ({bench or 'empty'})"] += 1
    elif scenario is None:
        out.skipped[f"scenario {cells['Scenario']} (not Offline/Server/Interactive)"] += 1
    elif cells["Availability"].lower() != "available":
        out.skipped[f"availability {cells['Availability']} (not available)"] += 1
    else:
        _accelerated(cells, line, bench, scenario, out)


def _accelerated(
    cells: dict[str, str], line: int, bench: str, scenario: str, out: SummaryRows
) -> None:
    """An LLM row in scope: check its accelerators and result, then keep it."""
    name = cells["accelerator_model_name"]
    per_node_text = cells["accelerators_per_node"]
    if name.lower() in ("", "n/a") and per_node_text in ("", "0"):
        out.skipped["CPU-only system (no accelerator)"] += 1
        return
    if _MIXED.search(name):
        out.skipped["system mixing accelerator types"] += 1
        system = f"{cells['SystemName']} ({cells['Platform']}): {name}"
        out.mixed.setdefault(system, []).append(line)
        return
    partial = _PARTIAL.match(name)
    base = partial["name"] if partial else name
    gpu = ACCELERATORS.get(base.lower())
    if gpu is None:
        known = "known accelerator names: those of tco.pricing.mlperf_rules.ACCELERATORS"
        out.problem(line, "accelerator_model_name", name, f"one of the {known}")
        return
    counts = _counts(cells, line, out)
    result = _positive(cells, "Result", line, out)
    if counts is None or result is None:
        return
    nodes, per_node = counts
    accelerators = int(partial["count"]) if partial else nodes * per_node
    if cells["Units"] != "Tokens/s":
        out.problem(line, "Units", cells["Units"], "Tokens/s (LLM results are output tokens/s)")
        return
    spec = BENCHMARKS[bench]
    found = _TOKENS.search(cells["Accuracy"])
    tokens = float(found[1]) if found and spec.own_tokens_per_sample else None
    out.submissions.append(
        Submission(
            line,
            bench,
            spec,
            scenario,
            gpu,
            per_node,
            accelerators,
            result,
            tokens,
            cells["Organization"],
            cells["SystemName"],
            cells["Platform"],
            cells["Location"],
            cells["framework"],
            cells["weight_data_types"],
            cells["version"],
            Path(out.file).name,
        )
    )


def _counts(cells: dict[str, str], line: int, out: SummaryRows) -> tuple[int, int] | None:
    """(nodes, accelerators per node), both whole numbers > 0, or None (reported)."""
    values = []
    for column in ("number_of_nodes", "accelerators_per_node"):
        try:
            value = parse_integer(cells[column])
        except ValueError:
            value = None
        if not isinstance(value, int) or value <= 0:
            out.problem(line, column, cells[column], "a whole number > 0 (a GPU system has GPUs)")
            return None
        values.append(value)
    return values[0], values[1]


def _positive(cells: dict[str, str], column: str, line: int, out: SummaryRows) -> float | None:
    """A number > 0 from ``column``, or None (reported)."""
    try:
        value = parse_number(cells[column])
    except ValueError:
        value = None
    if not isinstance(value, int | float) or value <= 0:
        out.problem(line, column, cells[column], "a number > 0 [output tokens per second]")
        return None
    return float(value)
