"""Fuzz (issue 13): hypothesis-made scenario files and argument lists never give a traceback.

``tco.cli.main`` runs in-process on each example; whatever it is given it must end with
exit code 0 (an answer), 1 (pricing data problems) or 2 (a usage error, one line per
problem), never with an exception and never with "Traceback" in its output.

Settings: ``deadline=None`` (a costing takes tens of milliseconds, a report a second),
``max_examples=200`` for the scenario files and ``200`` for the argument lists, no example
database; together about 10 s.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import shutil
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pricing_helpers import FIXTURE

import tco.pricing.load
from tco.cli import main
from tco.scenario import example_path

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

BASE: dict[str, Any] = {
    "scenario": {"name": "fuzz", "baseline": "api", "candidate": "fleet", "discount_rate": 0.05},
    "usage": {
        "output_share": 0.3,
        "peak_to_average": 2.0,
        "curve": {"kind": "constant", "tokens": 1e9, "months": 12},
    },
    "options": {
        "api": {
            "type": "api",
            "input_usd_per_mtok": 2.0,
            "output_usd_per_mtok": 8.0,
            "capability": "frontier",
        },
        "fleet": {
            "type": "self_hosted",
            "prefill_tokens_per_s": 10_000,
            "decode_tokens_per_s": 1_000,
            "procurement": {"kind": "rent", "usd_per_gpu_hour": 2.0},
            "capability": "strong",
        },
        "move": {"type": "switch", "first": "api", "then": "fleet", "month": 6},
    },
    "task_classes": {
        "easy": {"share": 0.7, "need": "basic"},
        "hard": {"share": 0.3, "need": "strong"},
    },
    "ranges": {"candidate.procurement.usd_per_gpu_hour": [1.0, 3.0]},
}
"""A valid scenario, mutated by the fuzz into invalid and odd ones."""

WORDS = [
    "api",
    "fleet",
    "move",
    "36",
    "off",
    "",
    "openai/gpt-4o",
    "nope/none",
    "constant",
    "compound",
    "series",
    "rent",
    "buy",
    "switch",
    "overflow",
    "self_hosted",
    "frontier",
    "basic",
    "=HYPERLINK(1)",
    "<img src=x onerror=alert(1)>",
    "usage.tokens",
    "candidate.setup_usd",
]
FIELDS = [
    "type",
    "kind",
    "months",
    "tokens",
    "start",
    "monthly_growth",
    "output_share",
    "cached_input_share",
    "peak_to_average",
    "discount_rate",
    "baseline",
    "candidate",
    "catalog",
    "input_usd_per_mtok",
    "output_usd_per_mtok",
    "staff_fte",
    "staff_usd_per_year",
    "setup_usd",
    "procurement",
    "usd_per_gpu_hour",
    "decode_tokens_per_s",
    "prefill_tokens_per_s",
    "fixed_replicas",
    "first",
    "then",
    "month",
    "fleet",
    "share",
    "need",
    "capability",
    "data_leaves_environment",
    "data_must_stay",
    "values",
    "seasonality",
]
NUMBERS = [0, 1, -1, 2, 12, 1200, 10**6, 0.5, -0.5, 1e308, -1e308, 1e-308, 1e18, 20.0]

scalars = st.one_of(
    st.booleans(),
    st.sampled_from(NUMBERS),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(WORDS),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.dates(date(1900, 1, 1), date(2200, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(FIELDS), inner, max_size=4),
    ),
    max_leaves=8,
)


def toml_key(key: str) -> str:
    return toml_value(key)


def toml_value(v: Any) -> str:
    """``v`` written as TOML (inline tables for mappings)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        return ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, str):  # TOML escapes: no surrogate pairs, DEL escaped
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list):
        if len({type(x) for x in v}) > 1:  # TOML 1.0 arrays may mix, keep them simple
            v = [str(x) for x in v]
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + " }"


def toml_document(data: dict[str, Any]) -> str:
    """A TOML document: top-level scalars first, then one [table] per mapping."""
    lines = [f"{toml_key(k)} = {toml_value(v)}" for k, v in data.items() if not isinstance(v, dict)]
    for name, table in data.items():
        if isinstance(table, dict):
            lines.append(f"[{toml_key(name)}]")
            lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


@st.composite
def scenario_texts(draw: st.DrawFn) -> str:
    """The base scenario with 0-4 random edits: a table or field removed, replaced by a
    value of any type, or added; sometimes a cut or garbled file."""
    data = json.loads(json.dumps(BASE))
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 1, 2, 3]))):
        table = draw(st.sampled_from([*data, "unknown"]))
        action = draw(st.sampled_from(["drop", "replace", "add", "edit", "edit", "edit"]))
        if action == "drop" and table in data:
            del data[table]
        elif action == "replace":
            data[table] = draw(values)
        elif isinstance(data.get(table), dict) and data[table]:
            node = data[table]
            key = draw(st.sampled_from(list(node)))
            if action == "edit" and isinstance(node[key], dict) and node[key]:
                node, key = node[key], draw(st.sampled_from(list(node[key])))
            node[key if action == "edit" else draw(st.sampled_from(FIELDS))] = draw(values)
    text = toml_document(data)
    if draw(st.integers(0, 19)) == 0:
        text = text[: draw(st.integers(0, len(text)))]  # a cut file
    return text


def run(argv: list[str]) -> tuple[int, str, str]:
    """``tco.main(argv)`` in-process: exit code, stdout and stderr; SystemExit caught."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder; the bundled catalog replaced by a copy of the test fixture, so no
    command can write into the repository."""
    catalog = shutil.copytree(FIXTURE, tmp_path / "catalog")
    monkeypatch.setattr(tco.pricing.load, "bundled_pricing_dir", lambda: catalog)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@FUZZ
@given(
    text=scenario_texts(),
    command=st.sampled_from(["break-even", "break-even", "simulate", "simulate", "recommend"]),
)
def test_scenario_files_never_give_a_traceback(sandbox: Path, text: str, command: str) -> None:
    path = sandbox / "fuzz.toml"
    path.write_text(text, encoding="utf-8")
    try:
        tomllib.loads(text)
        event("valid TOML")
    except tomllib.TOMLDecodeError:
        event("invalid TOML")
    argv = [command, str(path)]
    if command == "recommend":
        argv.append("--no-strategies")
    code, out, err = run(argv)
    event(f"exit {code}")
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in out + err
    if code == 2:
        assert err.startswith(("tco: error: ", "usage: ")), err
        assert "tco: error: \n" not in err


ARGUMENTS = [
    "break-even",
    "simulate",
    "recommend",
    "report",
    "prices",
    "check",
    "list",
    "stale",
    "columns",
    "import-litellm",
    "--json",
    "--csv",
    "--every",
    "--horizon",
    "--discount-rate",
    "--candidate",
    "--baseline",
    "--data-must-stay",
    "--no-strategies",
    "--out",
    "--dir",
    "--kind",
    "--days",
    "--no-bundled",
    "--provider",
    "--as-of",
    "--source",
    "-v",
    "--debug",
    "--help",
    "--version",
    "api",
    "gpu",
    "fleet",
    "move",
    "0",
    "-1",
    "3",
    "nan",
    "1e308",
    "20",
    "2026-01-01",
    "soon",
    "-",
    "",
    "out.csv",
    "report-dir",
    "missing.toml",
    "scenario.toml",
    "bad.toml",
    "demo",
    "prices.json",
    "catalog",
]


@st.composite
def argument_lists(draw: st.DrawFn) -> list[str]:
    """A command (most of the time) followed by random arguments and values."""
    head = draw(st.sampled_from([[], ["break-even"], ["simulate"], ["recommend"], ["prices"]]))
    rest = draw(
        st.lists(
            st.one_of(st.sampled_from(ARGUMENTS), st.text(max_size=6)),
            max_size=6,
        )
    )
    argv = head + rest
    if "import-litellm" in argv:
        argv.append("--dry-run")  # never write a catalog, even a copy
    return argv


@FUZZ
@given(argv=argument_lists())
def test_argument_lists_never_give_a_traceback(sandbox: Path, argv: list[str]) -> None:
    (sandbox / "scenario.toml").write_text(toml_document(BASE), encoding="utf-8")
    (sandbox / "bad.toml").write_text("[scenario\n", encoding="utf-8")
    (sandbox / "prices.json").write_text('{"m": {"mode": "chat"}}', encoding="utf-8")
    argv = [str(example_path("demo")) if a == "demo" else a for a in argv]
    if any(a in ("report", "recommend") for a in argv) and "demo" not in argv:
        event("slow command")
    code, out, err = run(argv)
    event(f"exit {code}")
    assert code in (0, 1, 2), (code, err)
    assert "Traceback" not in out + err or "--debug" in argv


def test_the_writer_makes_valid_toml() -> None:
    assert tomllib.loads(toml_document(BASE)) == BASE
