"""The HTML report (issue 14 part 3): one self-contained page that answers, read back with
the standard library's HTML parser and checked by content against figures worked out here."""

from __future__ import annotations

import base64
import csv
import math
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tco
from tco.cli import main
from tco.report import write_report
from tco.report.tags import text as html_text

TODAY = date(2026, 1, 1)
FX = Path(__file__).resolve().parents[1] / "pricing_data" / "fx.csv"

SCENARIO = """
[scenario]
name = "Support bot: API or own GPUs?"
description = "A steady support workload."
baseline = "api"
candidate = "fleet"

[usage]
output_share = 0.25

[usage.curve]
kind = "constant"
tokens = 1e9
months = 24

[options.api]
type = "api"
input_usd_per_mtok = 2.0
output_usd_per_mtok = 8.0
sources = ["API price acme/big: acme.example/pricing (2025-06-01)"]

[options.fleet]
type = "self_hosted"
prefill_tokens_per_s = 20000
decode_tokens_per_s = 2000
procurement = { kind = "rent", usd_per_gpu_hour = 2.0 }
setup_usd = 20000
sources = ["GPU offer cloud h100 on_demand: cloud.example (2025-12-01)", "a note without a date"]

[ranges]
"candidate.procurement.usd_per_gpu_hour" = [2.0, 4.5]
"""

# api: 750 MTok x $2 + 250 MTok x $8 = $3,500 a month. fleet: 1e9 tokens need 0.06 of a
# replica, so one GPU at $p x 730 h a month, plus $20,000 setup in month 1.
API_MONTHLY = 3_500.0
HOURS = 730.0
SETUP = 20_000.0
HORIZON = 24
LOW, HIGH = 2.0, 4.5


def p_break_even_by(month: int) -> float:
    """P(t* <= month) for a GPU price uniform on [LOW, HIGH]: the payback
    SETUP / (API_MONTHLY - 730 p) is at most ``month`` when p <= (API_MONTHLY - SETUP/month)/730."""
    p_star = (API_MONTHLY - SETUP / month) / HOURS
    return min(max((p_star - LOW) / (HIGH - LOW), 0.0), 1.0)


# --------------------------------------------------------------------------- a tiny DOM
@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)

    def text(self) -> str:
        """The text inside, whitespace collapsed (a ``<br>`` is a space)."""
        return " ".join("".join(self.raw()).split())

    def raw(self) -> list[str]:
        out = [t for c in self.children for t in ([c] if isinstance(c, str) else c.raw())]
        return [" ", *out, " "] if self.tag in APART else out

    def find_all(self, tag: str) -> list[Node]:
        found = []
        for c in self.children:
            if isinstance(c, Node):
                if c.tag == tag:
                    found.append(c)
                found += c.find_all(tag)
        return found

    def by_id(self, ident: str) -> Node:
        for c in self.children:
            if isinstance(c, Node):
                if c.attrs.get("id") == ident:
                    return c
                try:
                    return c.by_id(ident)
                except KeyError:
                    pass
        raise KeyError(ident)

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


VOID = {"meta", "img", "br", "link", "input", "hr"}
APART = {"p", "div", "li", "tr", "td", "th", "b", "h1", "h2", "h3", "figcaption", "section"}
"""Elements whose text reads apart from its neighbours'."""


class Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]
        self.starts: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, dict(attrs), ["\n"] if tag == "br" else [])
        self.starts.append((tag, dict(attrs)))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(page: str) -> Tree:
    tree = Tree()
    tree.feed(page)
    tree.close()
    assert [n.tag for n in tree.stack] == ["#document"], "every element is closed"
    return tree


def table_rows(table: Node) -> list[list[str]]:
    return [
        [cell.text() for cell in tr.children if isinstance(cell, Node)]
        for tr in table.find_all("tr")
    ]


def money(text: str) -> float:
    """'-$14,840' -> -14840.0; '€75,188' -> 75188.0"""
    sign = -1.0 if text.strip().startswith("-") else 1.0
    return sign * float(re.sub(r"[^0-9.]", "", text))


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tco.Scenario, str, Tree]:
    folder = tmp_path_factory.mktemp("html")
    path = folder / "bot.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    report = write_report(path, folder / "out", today=TODAY, draws=4_000)
    page = report.html.read_text(encoding="utf-8")
    return report.html, tco.Scenario.from_toml(path), page, parse(page)


# --------------------------------------------------------------------------- tests
def test_the_page_has_every_section_in_order(written) -> None:
    html_path, _, page, tree = written
    assert page.startswith("<!DOCTYPE html>")
    sections = [n.attrs["id"] for n in tree.root.find_all("section")]
    assert sections == ["answer", "recommendation", "uncertainty", "costs", "inputs", "sources"]
    title = tree.root.find_all("h1")[0].text()
    assert title == "Support bot: API or own GPUs?"
    assert "Generated by tco" in page and "from bot.toml on 2026-01-01." in page
    # reported size: small enough to mail, charts included
    assert 50_000 < html_path.stat().st_size < 2_000_000


def test_the_answer_is_the_sentence_the_cli_prints(written, tmp_path, capsys) -> None:
    _, scenario, _, tree = written
    assert main(["report", str(scenario.path), "--out", str(tmp_path / "r")]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[1:3] == [
        f"wrote {tmp_path / 'r' / 'report.md'}",
        f"wrote {tmp_path / 'r' / 'report.html'}",
    ]
    answer = tree.root.by_id("answer")
    headline = next(p for p in answer.find_all("p") if "headline" in p.classes())
    assert headline.text() == printed[0]
    # by hand: t* = 20,000 / (3,500 - 1,460), savings 24 x 2,040 - 20,000
    t_star = SETUP / (API_MONTHLY - 2.0 * HOURS)
    savings = HORIZON * (API_MONTHLY - 2.0 * HOURS) - SETUP
    assert headline.text() == (
        f"fleet breaks even against api after {t_star:.1f} months (in month 10) and saves "
        f"${savings:,.0f} over 24 months."
    )
    assert "Break-even volume at month-1 prices: fleet is cheaper per month from" in answer.text()


def test_the_recommendation_ranks_and_names_exclusions(written) -> None:
    _, scenario, _, tree = written
    rec = scenario.recommend()
    section = tree.root.by_id("recommendation")
    assert section.find_all("p")[0].text().startswith(f"Recommended: {rec.best} (")
    rows = table_rows(section.find_all("table")[0])
    assert rows[0][:3] == ["rank", "option", "kind"]
    assert [r[1] for r in rows[1:]] == list(rec.table.index)
    best_rows = [tr for tr in section.find_all("tr") if "best" in tr.classes()]
    assert len(best_rows) == 1 and best_rows[0].text().startswith(f"1 {rec.best}")
    assert "None: every option of the scenario can serve the workload." in section.text()


def test_exclusions_are_listed_with_their_reasons(tmp_path) -> None:
    path = tmp_path / "stay.toml"
    path.write_text(
        SCENARIO.replace('candidate = "fleet"', 'candidate = "fleet"\ndata_must_stay = true')
    )
    report = write_report(path, tmp_path / "out", today=TODAY, draws=500)
    tree = parse(report.html.read_text(encoding="utf-8"))
    rec = tco.Scenario.from_toml(path).recommend()
    assert list(rec.excluded["option"]) == ["api"]
    listed = [li.text() for li in tree.root.by_id("recommendation").find_all("li")]
    assert listed == [
        f"{o}: {r}" for o, r in zip(rec.excluded["option"], rec.excluded["reason"], strict=True)
    ]
    assert "data" in listed[0]
    # the page leads with the recommendation, as the CLI does for such a scenario
    headline = next(p for p in tree.root.find_all("p") if "headline" in p.classes())
    assert headline.text() == report.headline and report.headline.startswith("Recommended: fleet")
    assert "For reference only: api cannot be used" in tree.root.by_id("answer").text()


def test_uncertainty_matches_the_probability_worked_out_by_hand(written) -> None:
    _, _, _, tree = written
    section = tree.root.by_id("uncertainty")
    assert "the scenario file's [ranges] table" in section.text()
    rows = table_rows(section.find_all("table")[0])
    assert rows[0] == ["input (path)", "low", "value", "high", "savings if low", "savings if high"]
    label, low, value, high, if_low, if_high = rows[1]
    assert (
        label
        == "candidate: GPU rental price [USD per GPU-hour] candidate.procurement.usd_per_gpu_hour"
    )
    assert (low, value, high) == ("2", "2", "4.5")
    # savings at the horizon with the GPU price at each end: 24 x (3,500 - 730 p) - 20,000
    assert money(if_low) == round(HORIZON * (API_MONTHLY - LOW * HOURS) - SETUP)
    assert money(if_high) == round(HORIZON * (API_MONTHLY - HIGH * HOURS) - SETUP)
    numbers = next(d for d in section.find_all("div") if "numbers" in d.classes())
    boxes = [div.text() for div in numbers.find_all("div")]
    share = float(re.match(r"([\d.]+)%", boxes[0]).group(1)) / 100
    assert share == pytest.approx(p_break_even_by(HORIZON), abs=0.03)  # 4,000 draws: SE 0.008
    assert boxes[0].endswith("of 4,000 draws break even within 24 months")
    # the median draw: the GPU price's median, 3.25, breaks even after 20,000 / (3,500 - 2,372.5)
    # = 17.7 months, in month 18; months 17 to 19 allow the sample median 3.18 to 3.34
    median_month = int(re.match(r"month (\d+) ", boxes[1]).group(1))
    assert 17 <= median_month <= 19
    assert math.ceil(SETUP / (API_MONTHLY - 3.25 * HOURS)) == 18
    figures = {f.attrs["id"] for f in section.find_all("figure")}
    assert figures == {"chart-break_even_probability", "chart-cost_fan"}
    caption = section.by_id("chart-break_even_probability").find_all("figcaption")[0].text()
    assert f"by month {HORIZON}" in caption


def test_the_markdown_summary_says_how_sure_the_answer_is_too(written) -> None:
    html_path, _, _, _ = written
    md = (html_path.parent / "report.md").read_text(encoding="utf-8")
    section = md.split("## How sure is the answer?\n", 1)[1].split("\n## ", 1)[0]
    share_line, month_line, savings_line = section.strip().splitlines()[:3]
    share = float(
        re.match(
            r"- \*\*([\d.]+)%\*\* of 4,000 draws break even within 24 months", share_line
        ).group(1)
    )
    assert share / 100 == pytest.approx(p_break_even_by(HORIZON), abs=0.03)
    assert (
        17 <= int(re.match(r"- \*\*month (\d+)\*\* median break-even", month_line).group(1)) <= 19
    )
    assert savings_line.startswith("- **$") and "median savings at the horizon" in savings_line
    # the range row: GPU price 2 to 4.5, savings 24 x (3,500 - 730 p) - 20,000 at each end
    row = next(line for line in section.splitlines() if "usd_per_gpu_hour" in line)
    low_savings = round(HORIZON * (API_MONTHLY - LOW * HOURS) - SETUP)
    high_savings = round(HORIZON * (API_MONTHLY - HIGH * HOURS) - SETUP)
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[1:4] == ["2", "2", "4.5"]
    assert [money(c) for c in cells[4:]] == [low_savings, high_savings]


def test_default_ranges_are_used_and_said_when_the_file_has_none(tmp_path) -> None:
    text = SCENARIO.split("[ranges]")[0]
    text = text.replace(
        'kind = "constant"\ntokens = 1e9', 'kind = "compound"\nstart = 1e9\nmonthly_growth = 0.10'
    )
    text = text.replace(
        "output_usd_per_mtok = 8.0\n", "output_usd_per_mtok = 8.0\nflex_input_usd_per_mtok = 1.0\n"
    )
    path = tmp_path / "plain.toml"
    path.write_text(text)
    report = write_report(path, tmp_path / "out", today=TODAY, draws=500)
    section = parse(report.html.read_text(encoding="utf-8")).root.by_id("uncertainty")
    assert "declares no [ranges], so the report uses its defaults" in section.text()
    ranges = {
        r[0].split()[-1]: (float(r[1]), float(r[3]))
        for r in table_rows(section.find_all("table")[0])[1:]
    }
    # +-30 % on the GPU price and the API prices that are billed, +-50 % on the growth
    expected = {
        "candidate.procurement.usd_per_gpu_hour": (2.0 * 0.7, 2.0 * 1.3),
        "baseline.input_usd_per_mtok": (2.0 * 0.7, 2.0 * 1.3),
        "baseline.output_usd_per_mtok": (8.0 * 0.7, 8.0 * 1.3),
        "usage.monthly_growth": (0.10 * 0.5, 0.10 * 1.5),
    }
    assert set(ranges) == set(expected)
    for path, (low, high) in expected.items():
        assert ranges[path] == (pytest.approx(low), pytest.approx(high)), path
    # a flex price with no flex traffic moves no cost: left out


def test_inputs_show_usage_and_each_options_key_figures(written) -> None:
    _, _, _, tree = written
    section = tree.root.by_id("inputs")
    assert "Usage: Usage(constant, 24 months" in section.text()
    assert [h.text() for h in section.find_all("h3")] == ["api (baseline)", "fleet (candidate)"]
    fleet = table_rows(section.find_all("table")[1])
    assert ["GPU rental price procurement.usd_per_gpu_hour", "2", "USD per GPU-hour"] in fleet
    assert ["setup / migration setup_usd", "20,000", "USD"] in fleet


def test_sources_carry_their_dates_and_staleness(written) -> None:
    _, _, _, tree = written
    section = tree.root.by_id("sources")
    rows = table_rows(section.find_all("table")[0])
    assert rows[0] == ["option", "source", "checked", "age [days]", "status"]
    age_api = (TODAY - date(2025, 6, 1)).days  # 214 > 180: stale
    age_gpu = (TODAY - date(2025, 12, 1)).days  # 31: current
    assert rows[1:] == [
        [
            "api",
            "API price acme/big: acme.example/pricing (2025-06-01)",
            "2025-06-01",
            str(age_api),
            "stale",
        ],
        [
            "fleet",
            "GPU offer cloud h100 on_demand: cloud.example (2025-12-01)",
            "2025-12-01",
            str(age_gpu),
            "current",
        ],
        ["fleet", "a note without a date", "no date", "", "undated"],
    ]
    stale = [tr for tr in section.find_all("tr") if "stale" in tr.classes()]
    assert len(stale) == 1 and stale[0].text().startswith("api ")
    assert "3 sources; 1 checked more than 180 days before 2026-01-01" in section.text()


def test_the_page_loads_nothing(written) -> None:
    html_path, _, page, tree = written
    tags = [t for t, _ in tree.starts]
    assert not {"script", "link", "iframe", "object", "embed", "base", "frame", "svg"} & set(tags)
    images = [a for t, a in tree.starts if t == "img"]
    key_charts = sorted(p.stem for p in html_path.parent.glob("*.png"))
    assert key_charts == ["cost_per_mtok", "cumulative_cost", "monthly_candidate"]
    assert len(images) == len(key_charts) + 2  # and the two uncertainty charts
    for attrs in images:
        src = attrs["src"] or ""
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"
    for _, attrs in tree.starts:
        for name, value in attrs.items():
            assert not name.startswith("on")
            if name in {"href", "src", "action", "srcset", "poster", "data", "formaction"}:
                assert (value or "").startswith(("#", "data:image/png;base64,")), (name, value)
    style = "".join(n.text() for n in tree.root.find_all("style"))
    assert "url(" not in style and "@import" not in style
    assert not re.search(r"<[^>]+(?:src|href)\s*=\s*[\"']?(?:https?:)?//", page)


HOSTILE = "x<script>alert(\"1\")</script> & 'q' <img src=http://evil.example/a onerror=alert(2)>"


def test_hostile_text_comes_out_escaped(tmp_path) -> None:
    text = SCENARIO.split("[ranges]")[0]
    text = text.replace('name = "Support bot: API or own GPUs?"', "name = '''" + HOSTILE + "'''")
    text = text.replace("[options.fleet]", "[options.'" + HOSTILE.replace("'", "") + "']")
    text = text.replace('candidate = "fleet"', "candidate = '" + HOSTILE.replace("'", "") + "'")
    text = text.replace('"a note without a date"', "'''" + HOSTILE + " (2025-12-01)'''")
    path = tmp_path / "evil.toml"
    path.write_text(text)
    report = write_report(path, tmp_path / "out", today=TODAY, draws=300)
    page = report.html.read_text(encoding="utf-8")
    tree = parse(page)
    assert "<script" not in page and "<img src=http" not in page
    assert html_text(HOSTILE) in page  # shown as text
    assert {t for t, _ in tree.starts} <= {
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "main",
        "header",
        "h1",
        "p",
        "nav",
        "a",
        "section",
        "h2",
        "h3",
        "ul",
        "li",
        "strong",
        "figure",
        "img",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "div",
        "b",
        "br",
        "code",
        "footer",
    }
    assert tree.root.find_all("h1")[0].text() == " ".join(HOSTILE.split())
    sources = table_rows(tree.root.by_id("sources").find_all("table")[0])
    assert any(" ".join(HOSTILE.split()) in " ".join(row) for row in sources)
    images = [a for t, a in tree.starts if t == "img"]
    assert all((a["src"] or "").startswith("data:image/png;base64,") for a in images)


@given(st.text())
def test_escaped_text_parses_back_to_itself(value: str) -> None:
    tree = parse(f'<p>{html_text(value)}</p><p title="{html_text(value)}">x</p>')
    first, second = tree.root.children[0], tree.root.children[1]
    assert isinstance(first, Node) and first.tag == "p"
    assert all(isinstance(c, str) for c in first.children)  # no element inside
    assert "".join(first.children) == value  # type: ignore[arg-type]
    assert isinstance(second, Node) and second.attrs == {"title": value}


def test_a_failed_html_page_leaves_nothing(tmp_path, monkeypatch) -> None:
    import tco.report

    path = tmp_path / "bot.toml"
    path.write_text(SCENARIO)

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("cannot draw the fan")

    out = tmp_path / "new" / "out"
    monkeypatch.setattr(tco.report.plot, "fan", broken)  # drawn after the key charts
    with pytest.raises(ValueError, match="cannot draw the fan"):
        write_report(path, out, draws=200)
    assert not (tmp_path / "new").exists()
    out.mkdir(parents=True)
    (out / "keep.txt").write_text("mine")
    assert main(["report", str(path), "--out", str(out)]) == 2
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def _rate(code: str) -> float:
    with FX.open(newline="", encoding="utf-8") as fh:
        return next(float(r["usd_per_unit"]) for r in csv.DictReader(fh) if r["currency"] == code)


def test_report_in_another_currency(tmp_path, capsys) -> None:
    path = tmp_path / "bot.toml"
    path.write_text(SCENARIO)
    out = tmp_path / "eur"
    assert main(["report", str(path), "--out", str(out), "--currency", "EUR"]) == 0
    headline = capsys.readouterr().out.splitlines()[0]
    rate = _rate("EUR")
    savings = HORIZON * (API_MONTHLY - 2.0 * HOURS) - SETUP
    assert headline.endswith(f"and saves €{savings / rate:,.0f} over 24 months.")
    tree = parse((out / "report.html").read_text(encoding="utf-8"))
    assert f"Money in EUR at {rate:.6g} USD per EUR (ECB" in tree.root.find_all("header")[0].text()
    rows = table_rows(tree.root.by_id("costs").find_all("table")[0])
    assert rows[0][-1] == "average €/MTok"
    api = next(r for r in rows if r[0] == "api (baseline)")
    assert api[1] == f"€{HORIZON * API_MONTHLY / rate:,.0f}"
    # the recommendation's summary states its money in euros too, no dollar left
    summary = tree.root.by_id("recommendation").find_all("p")[1].text()
    assert "$" not in summary
    assert f"total cost €{(SETUP + HORIZON * 2.0 * HOURS) / rate:,.0f} (€" in summary
    md = (out / "report.md").read_text(encoding="utf-8")
    assert f"| api (baseline) | €{HORIZON * API_MONTHLY / rate:,.0f} |" in md
    assert main(["report", str(path), "--out", str(tmp_path / "x"), "--currency", "XYZ"]) == 2
    err = capsys.readouterr().err
    assert "--currency: 'XYZ' is not a known currency; known: CAD, CHF, EUR, GBP, JPY, USD" in err
    assert not (tmp_path / "x").exists()
