"""MLPerf Inference facts the importer needs: benchmarks, latency limits, rounds, GPU names.

Every figure here comes from MLCommons' public repositories (commits below); what MLCommons
does not publish (the mean input length of a benchmark's dataset) is an **assumption**,
marked as such in :class:`Benchmark` and in every row written from it.

* Latency limits (p99 TTFT / TPOT of the Server and Interactive scenarios): LoadGen
  ``loadgen/mlperf.conf`` (``<model>.Server.ttft_latency`` / ``tpot_latency``; the
  Interactive scenario runs as LoadGen Server with the ``<model>-interactive`` block),
  which is what the submission checker (``LLM_LATENCY_LIMITS``) validates, and the rules
  ``inference_rules.adoc`` (Benchmarks > Constraints for the Closed division, column
  "Server latency constraint"). They agree except for gpt-oss-120b Interactive TPOT: 15 ms
  in LoadGen and the checker, 20 ms in the rules text; 15 ms is used.
* Mean output tokens: the reference ``tokens_per_sample`` of each benchmark's accuracy
  target (rules) or README; a result's own ``TOKENS_PER_SAMPLE`` (its ``Accuracy`` column)
  is preferred when it is reported on the performance dataset.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ACCELERATORS",
    "BENCHMARKS",
    "LATENCY_LIMITS",
    "ROUNDS",
    "Benchmark",
    "Round",
]

_INFERENCE = "https://github.com/mlcommons/inference/blob"
_POLICIES = "https://github.com/mlcommons/inference_policies/blob"


@dataclass(frozen=True)
class Round:
    """One MLPerf Inference round: results repository, publication date, rules commits."""

    name: str
    published: str | None  # YYYY-MM-DD, None when not established
    conf_commit: str
    rules_commit: str

    @property
    def results_url(self) -> str:
        """Base URL of the round's results tree."""
        return f"https://github.com/mlcommons/inference_results_{self.name}/tree/main/"

    @property
    def limits_source(self) -> str:
        """Where this round's latency limits can be checked."""
        return (
            f"{_INFERENCE}/{self.conf_commit}/loadgen/mlperf.conf and "
            f"{_POLICIES}/{self.rules_commit}/inference_rules.adoc"
        )


ROUNDS: dict[str, Round] = {
    "v5.1": Round(
        "v5.1",
        "2025-09-09",
        "e05fda54b31c6859361f5d91660f1c11e6fa847d",
        "8adac3167fe03a55007fac7a804b9bf20b9957ae",
    ),
    "v6.0": Round(
        "v6.0",
        "2026-04-01",
        "80aaa82a63a8d4a798f8ebb55abc4aefe6cd5fd6",
        "96edf999d5691a15e92a9e7c0af74e72c01ab403",
    ),
    "v6.1": Round(
        "v6.1",
        None,
        "b0662794362bc2c22c33c3e4a0c66ef83411ecf0",
        "ac93e89c0c9a8819eb0ad987768c2f6e22896714",
    ),
}
"""Rounds whose limits are known. v5.1 published 2025-09-09 (results commit 965182b0,
"Added results summary"); v6.0 published 2026-04-01 (MLCommons release; results commit
ab33b214 "Publishing Results" 2026-03-26); v6.1: publication date not established (pass
``--as-of``). Commits: the last rules / mlperf.conf commit before each round."""


@dataclass(frozen=True)
class Benchmark:
    """An MLPerf LLM benchmark: its model and the request mix of its dataset.

    ``input_tokens`` is an assumption (MLCommons publishes no mean input length; see
    ``basis``); ``output_tokens`` is the published reference mean, used when a result does
    not report its own ``TOKENS_PER_SAMPLE``.
    """

    model: str
    family: str
    input_tokens: int
    input_basis: str
    output_tokens: float
    output_basis: str
    own_tokens_per_sample: bool = True


_HALF_CAP = (
    "ASSUMED: half the dataset's published {cap}-token input cap ({where}); "
    "MLCommons publishes no mean input length"
)
_LLAMA2 = Benchmark(
    "meta-llama/Llama-2-70b-chat-hf",
    "llama2-70b",
    512,
    _HALF_CAP.format(cap=1024, where="processorca.py --seqlen_limit=1024"),
    294.45,
    "reference tokens_per_sample 294.45 (rules, accuracy target)",
)
BENCHMARKS: dict[str, Benchmark] = {
    "llama2-70b-99": _LLAMA2,
    "llama2-70b-99.9": _LLAMA2,
    "llama3.1-8b": Benchmark(
        "meta-llama/Llama-3.1-8B-Instruct",
        "llama3.1-8b",
        1000,
        "ESTIMATED: CNN/DailyMail articles average 781 tokens (See et al. 2017, "
        "arXiv:1704.04368) plus the summarisation instruction, below the 2048-token cap; "
        "MLCommons publishes no mean input length",
        128.0,
        "ASSUMED: the reference max_tokens=128 cap (the published gen_len counts characters, "
        "611 per summary, about 130 tokens, so outputs mostly reach the cap)",
        own_tokens_per_sample=False,
    ),
    "llama3.1-405b": Benchmark(
        "meta-llama/Llama-3.1-405B-Instruct",
        "llama3.1-405b",
        10000,
        _HALF_CAP.format(cap=20000, where="rules ingress table"),
        684.68,
        "reference tokens_per_sample 684.68 (rules)",
    ),
    "mixtral-8x7b": Benchmark(
        "mistralai/Mixtral-8x7B-Instruct-v0.1",
        "mixtral-8x7b",
        1024,
        _HALF_CAP.format(cap=2048, where="max_seq_len 2048"),
        144.84,
        "reference tokens_per_sample 144.84 (rules)",
    ),
    "deepseek-r1": Benchmark(
        "deepseek-ai/DeepSeek-R1",
        "deepseek-r1",
        1568,
        _HALF_CAP.format(cap=3136, where="rules ingress table"),
        3886.2274,
        "reference mean-output-tok-len 3886.2274 (language/deepseek-r1/README.md)",
    ),
    "gpt-oss-120b": Benchmark(
        "openai/gpt-oss-120b",
        "gpt-oss-120b",
        7665,
        _HALF_CAP.format(cap=15330, where="rules ingress table"),
        1278.2,
        "reference mean output 1278.20 tokens of the performance dataset "
        "(compliance/TEST09/README.md); the Accuracy column is from a different dataset",
        own_tokens_per_sample=False,
    ),
}
"""LLM benchmarks by ``MlperfModel`` (``llama3.1-8b-edge`` is an edge benchmark: left out)."""

LATENCY_LIMITS: dict[tuple[str, str], tuple[float, float]] = {
    ("llama2-70b", "Server"): (2.0, 0.2),
    ("llama2-70b", "Interactive"): (0.45, 0.04),
    ("llama3.1-8b", "Server"): (2.0, 0.1),
    ("llama3.1-8b", "Interactive"): (0.5, 0.03),
    ("llama3.1-405b", "Server"): (6.0, 0.175),
    ("llama3.1-405b", "Interactive"): (4.5, 0.08),
    ("mixtral-8x7b", "Server"): (2.0, 0.2),
    ("deepseek-r1", "Server"): (2.0, 0.08),
    ("deepseek-r1", "Interactive"): (1.5, 0.015),
    ("gpt-oss-120b", "Server"): (3.0, 0.08),
    ("gpt-oss-120b", "Interactive"): (2.0, 0.015),
}
"""p99 (TTFT, TPOT) limits in seconds by benchmark family and scenario; the same in v5.1,
v6.0 and v6.1 where the scenario exists (Offline has none)."""

ACCELERATORS: dict[str, str] = {
    "nvidia b200-sxm-180gb": "B200",
    "nvidia b300-sxm-270gb": "B300",
    "nvidia gb200": "GB200",
    "nvidia gb300": "GB300",
    "nvidia gh200 grace hopper superchip 144gb": "GH200",
    "nvidia h100-nvl-94gb": "H100-NVL",
    "nvidia h100-sxm-80gb": "H100-SXM",
    "nvidia h200-sxm-141gb": "H200",
    "virtualized nvidia h200-sxm-141gb": "H200",
    "nvidia h200-nvl-141gb": "H200-NVL",
    "nvidia l4-pcie-24gb": "L4",
    "nvidia l40s": "L40S",
    "nvidia rtx pro 6000 blackwell": "RTX-PRO-6000",
    "nvidia rtx pro 6000 blackwell server edition": "RTX-PRO-6000",
    "nvidia rtx pro 4500 blackwell": "RTX-PRO-4500",
    "nvidia rtx pro 4500 blackwell server edition": "RTX-PRO-4500",
    "nvidia rtx pro 4500 blackwell-pcie-32gb": "RTX-PRO-4500",
    "nvidia rtx-2000e-ada-16gb": "RTX-2000E-ADA",
    "nvidia rtx 4000 ada-pcie-20gb": "RTX-4000-ADA",
    "nvidia geforce rtx 4090": "RTX-4090",
    "nvidia vr200": "VR200",
    "nvidia vera rubin": "VR200",
    "nvidia verarubin": "VR200",
    "amd instinct mi300x 192gb hbm3": "MI300X",
    "amd instinct mi325x 256gb hbm3e": "MI325X",
    "amd instinct mi350p": "MI350P",
    "amd instinct mi350x": "MI350X",
    "amd instinct mi350x 288gb hbm3e": "MI350X",
    "amd instinct mi355x": "MI355X",
    "amd instinct mi355x 288gb hbm3e": "MI355X",
    "amd instinct mi355x 288gb hbm3e (power cap 1000 w)": "MI355X",
    "intel(r) arc pro(r) b50": "ARC-PRO-B50",
    "intel(r) arc pro(r) b60": "ARC-PRO-B60",
    "intel(r) arc pro(r) b70": "ARC-PRO-B70",
    "intel(r) arc(tm) pro b70": "ARC-PRO-B70",
    "ms-intel arc pro b60 dual 48g turbo": "ARC-PRO-B60-DUAL",
    "[maxsun] ms-intel arc pro b60 dual 48g turbo": "ARC-PRO-B60-DUAL",
}
"""``accelerator_model_name`` (lower case) -> canonical GPU name, for every spelling in
v5.1, v6.0 and v6.1 (``/work/scratch/mlperf/accelerator_names.csv`` of the data gathering;
RTX PRO 6000 Blackwell without "Server Edition" is assumed to be the Server Edition).
Names not in ``gpu_hardware.csv`` are reported and left out; a name not here is an error."""
