"""The command line in another currency (issue 11 item 6) and a vendor model's retirement
(issue 11 item 3): amounts worked out here from the prices and ``fx.csv``."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

import tco
from tco.cli import main
from tco.scenario import example_path
from tco.scenario.lifecycle import retirements

FX = Path(__file__).resolve().parents[1] / "pricing_data" / "fx.csv"

SCENARIO = """
[scenario]
baseline = "api"
candidate = "fleet"

[usage]
output_share = 0.25
calendar_start = 2026-12-01

[usage.curve]
kind = "constant"
tokens = 1e9
months = 12

[options.api]
type = "api"
input_usd_per_mtok = 2.0
output_usd_per_mtok = 8.0
deprecation_date = 2027-01-14
migration_usd = 20000
successor = { name = "acme/next", input_usd_per_mtok = 1.0, output_usd_per_mtok = 4.0 }

[options.fleet]
type = "self_hosted"
prefill_tokens_per_s = 20000
decode_tokens_per_s = 2000
procurement = { kind = "rent", usd_per_gpu_hour = 2.0 }
setup_usd = 20000
"""

# api: months 1-2 (Dec 2026, Jan 2027: retires on the 14th, serves to the month's end) at
# 750 x $2 + 250 x $8 = $3,500; months 3-12 at the successor's 750 x $1 + 250 x $4 = $1,750;
# $20,000 migration at the start of month 3. fleet: one GPU, $2 x 730 h = $1,460 a month.
API_TOTAL = 2 * 3_500 + 10 * 1_750 + 20_000
FLEET_TOTAL = 20_000 + 12 * 1_460


def _rate(code: str) -> float:
    with FX.open(newline="", encoding="utf-8") as fh:
        return next(float(r["usd_per_unit"]) for r in csv.DictReader(fh) if r["currency"] == code)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "retiring.toml"
    p.write_text(SCENARIO, encoding="utf-8")
    return p


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- lifecycle
def test_retirements_list_each_move_with_its_months_and_migration(path: Path) -> None:
    scenario = tco.Scenario.from_toml(path)
    (move,) = scenario.retirements()
    assert (move.option, move.model, move.retires) == ("api", "api", date(2027, 1, 14))
    assert (move.last_month, move.first_month, move.successor) == (2, 3, "acme/next")
    assert move.migration_usd == 20_000 and move.first_calendar_month == date(2027, 2, 1)
    # the same move as the costing makes: the `migration` component in month 3 only
    costs = scenario.simulate().costs
    migration = costs[(costs.option == "api") & (costs.component == "migration")]
    assert migration.set_index("month")["usd"].to_dict() == {
        m: 20_000.0 * (m == 3) for m in range(1, 13)
    }
    assert scenario.simulate().total()["api"] == pytest.approx(API_TOTAL)


def test_retirements_follow_a_chain_and_skip_what_the_horizon_does_not_reach() -> None:
    last = tco.VendorAPI("c", input_usd_per_mtok=0.5, output_usd_per_mtok=1.0)
    middle = tco.VendorAPI(
        "b", input_usd_per_mtok=1.0, output_usd_per_mtok=2.0,
        deprecation_date=date(2027, 6, 30), successor=last, migration_usd=5_000,
    )  # fmt: skip
    first = tco.VendorAPI(
        "a", input_usd_per_mtok=2.0, output_usd_per_mtok=4.0,
        deprecation_date=date(2026, 5, 31), successor=middle, migration_usd=9_000,
    )  # fmt: skip
    usage = tco.Usage.constant(1e9, months=12, output_share=0.25, calendar_start=date(2026, 12, 1))
    moves = retirements({"api": first}, usage)
    # a retired before month 1: b serves from the start, no migration; b retires in June
    # 2027 = month 7, c from month 8 with b's migration cost
    assert [
        (m.model, m.last_month, m.first_month, m.successor, m.migration_usd) for m in moves
    ] == [
        ("api", 0, 1, "b", 0.0),
        ("b", 7, 8, "c", 5_000.0),
    ]
    assert moves[0].before_start
    short = tco.Usage.constant(1e9, months=7, output_share=0.25, calendar_start=date(2026, 12, 1))
    assert len(retirements({"api": first}, short)) == 1  # b retires in the last month: no move


def test_break_even_prints_the_retirement(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "break-even", str(path))
    assert code == 0
    lines = out.splitlines()
    assert (
        "Lifecycle: api retires on 2027-01-14 (month 2): acme/next's prices apply from month 3 "
        "(2027-02), with a one-time migration cost of $20,000 in month 3 (cost component "
        "'migration')."
    ) in lines
    assert any(line.startswith(f"api    ${API_TOTAL:,.0f}") for line in lines)
    assert any(line.startswith("Break-even volume at month-1 prices: ") for line in lines)


def test_the_demo_shows_gpt_4o_retiring(capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tco.Scenario.from_toml(example_path("demo"))
    successor = scenario.baseline.successor
    assert successor is not None
    code, out, _ = _run(capsys, "break-even", str(example_path("demo")))
    assert code == 0
    (line,) = [x for x in out.splitlines() if x.startswith("Lifecycle: ")]
    assert line.startswith(
        f"Lifecycle: gpt-4o retires on 2027-01-14 (month 2): {successor.name}'s prices apply "
        "from month 3 (2027-02), with a one-time migration cost of $"
    )


def test_json_lists_the_retirement(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "break-even", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["lifecycle"] == [
        {
            "option": "api",
            "model": "api",
            "retires": "2027-01-14",
            "last_month": 2,
            "successor_from_month": 3,
            "successor": "acme/next",
            "migration_usd": 20_000.0,
        }
    ]
    assert data["break_even_volume"]["prices_of_month"] == 1


# --------------------------------------------------------------------------- currency
def test_break_even_in_euros(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rate = _rate("EUR")
    code, out, _ = _run(capsys, "break-even", str(path), "--currency", "eur")
    assert code == 0
    assert f"  money in EUR at {rate:.6g} USD per EUR (ECB" in out
    assert out.count("USD per EUR") == 1  # the rate stated once
    lines = out.splitlines()
    head = next(line for line in lines if "total" in line)
    assert head.split() == ["total", "NPV", "peak", "GPUs", "avg", "€/MTok"]
    api = next(line for line in lines if line.startswith("api "))
    assert api.split()[1] == f"€{API_TOTAL / rate:,.0f}"
    per_mtok = API_TOTAL / 12_000 / rate  # 12 months of 1e9 tokens = 12,000 MTok
    assert api.split()[-1] == f"€{per_mtok:,.3f}"
    savings = API_TOTAL - FLEET_TOTAL
    assert f"and saves €{savings / rate:,.0f} over 12 months." in out
    assert f"migration cost of €{20_000 / rate:,.0f} in month 3" in out


def test_break_even_json_in_pounds(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rate = _rate("GBP")
    code, out, _ = _run(capsys, "break-even", str(path), "--currency", "GBP", "--json")
    assert code == 0
    data = json.loads(out)
    assert "savings_usd" not in data and data["savings_gbp"] == pytest.approx(
        (API_TOTAL - FLEET_TOTAL) / rate
    )
    assert data["npv_gbp"]["api"] == pytest.approx(API_TOTAL / rate)
    assert data["lifecycle"][0]["migration_gbp"] == pytest.approx(20_000 / rate)
    assert data["currency"]["currency"] == "GBP" and data["currency"]["fx_as_of"]
    row = next(r for r in data["summary"] if r["option"] == "api")
    assert row["total_gbp"] == pytest.approx(API_TOTAL / rate) and row["peak_gpus"] == 0


def test_simulate_csv_in_yen(
    path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rate = _rate("JPY")
    out_csv = tmp_path / "costs.csv"
    code, out, _ = _run(capsys, "simulate", str(path), "--currency", "JPY", "--csv", str(out_csv))
    assert code == 0
    assert out.splitlines()[0].endswith(": cumulative cost (JPY)")
    assert f"money in JPY at {rate:.6g} USD per JPY" in out
    with out_csv.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["option", "month", "component", "timing", "jpy", "jpy_pv"]
    total = sum(float(r["jpy"]) for r in rows if r["option"] == "api")
    assert total == pytest.approx(API_TOTAL / rate)
    # to stdout: the CSV alone, the rate on stderr
    buffer = io.BytesIO()
    stdout = io.TextIOWrapper(buffer, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdout", stdout)
        assert main(["simulate", str(path), "--currency", "JPY", "--csv", "-"]) == 0
        stdout.flush()
    assert buffer.getvalue().decode().splitlines()[0] == "option,month,component,timing,jpy,jpy_pv"
    assert "tco: note: money in JPY" in capsys.readouterr().err


def test_the_scenario_file_may_name_its_currency(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path.write_text(
        SCENARIO.replace('candidate = "fleet"', 'candidate = "fleet"\ncurrency = "GBP"')
    )
    code, out, _ = _run(capsys, "break-even", str(path))
    assert code == 0 and "money in GBP" in out and "£" in out
    code, out, _ = _run(capsys, "break-even", str(path), "--currency", "USD")  # the flag wins
    assert code == 0 and "£" not in out and f"${API_TOTAL:,.0f}" in out


@pytest.mark.parametrize("command", ["break-even", "simulate"])
def test_an_unknown_currency_is_a_usage_error(
    path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code, out, err = _run(capsys, command, str(path), "--currency", "ZZZ")
    assert code == 2 and out == ""
    assert err.splitlines() == [
        "tco: error: --currency: 'ZZZ' is not a known currency; known: CAD, CHF, EUR, GBP, JPY, "
        "USD (fx.csv)"
    ]
    path.write_text(
        SCENARIO.replace('candidate = "fleet"', 'candidate = "fleet"\ncurrency = "ZZZ"')
    )
    code, _, err = _run(capsys, command, str(path))
    assert code == 2
    assert err.startswith(f"tco: error: {path}: scenario.currency: 'ZZZ' is not a known currency")
    path.write_text(SCENARIO.replace('candidate = "fleet"', 'candidate = "fleet"\ncurrency = 12'))
    code, _, err = _run(capsys, command, str(path))
    assert code == 2 and "scenario.currency: 12 ->" in err


def test_recommend_in_euros(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    eur = _rate("EUR")
    code, out, _ = _run(capsys, "recommend", str(path), "--no-strategies", "--currency", "EUR")
    assert code == 0 and "$" not in out
    assert f"money in EUR at {eur:g} USD per EUR" in out
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith(("api", "fleet"))}
    assert f"€{API_TOTAL / eur:,.0f}" in rows["api"]
    assert f"€{FLEET_TOTAL / eur:,.0f}" in rows["fleet"]
    gap = (API_TOTAL - FLEET_TOTAL) / eur
    assert f"That is €{gap:,.0f} ({gap * eur / API_TOTAL:.0%}) less than api." in out
    # the GPU price at which the fleet stops being cheaper: 20,000 + 12 x 730 x p = API_TOTAL
    flip = (API_TOTAL - 20_000) / (12 * 730)
    assert f"GPU price stays below €{flip / eur:,.2f}/GPU-hour (now €{2 / eur:,.2f}" in out
    code, out, _ = _run(
        capsys, "recommend", str(path), "--no-strategies", "--currency", "eur", "--json"
    )
    data = json.loads(out)
    totals = {r["option"]: r["total_eur"] for r in data["ranking"]}
    assert totals == {
        "api": pytest.approx(API_TOTAL / eur),
        "fleet": pytest.approx(FLEET_TOTAL / eur),
    }
    assert data["currency"]["currency"] == "EUR"
    gpu = next(d for d in data["drivers"] if d["driver"] == "GPU price")
    assert gpu["unit"] == "USD per GPU-hour" and gpu["current"] == 2.0  # values keep their unit
    assert _run(capsys, "recommend", str(path), "--currency", "XYZ")[0] == 2
