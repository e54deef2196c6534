"""Importers (LiteLLM aliases and tiers, genai-prices), price history and exchange rates."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from pricing_helpers import copy_fixture, load

import tco
from tco import PricingError, UnknownPriceError, import_litellm
from tco.pricing.genai_prices import import_genai_prices
from tco.pricing.history import fit_decline, observed_decline

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 11, 30)


def rows(folder: Path) -> dict[str, dict[str, str]]:
    text = (folder / "api_models.csv").read_text()
    return {f"{r['provider']}/{r['model']}": r for r in csv.DictReader(io.StringIO(text))}


# -- LiteLLM ---------------------------------------------------------------------------------


def test_litellm_aliases_tiers_and_lifecycle(tmp_path: Path) -> None:
    result = import_litellm(
        DATA / "litellm_excerpt.json", tmp_path, as_of="2026-11-20", today=TODAY
    )
    got = rows(tmp_path)
    # gemini -> google; Vertex AI Claude -> anthropic with the @date joined; Bedrock -> vendor
    assert {"google/gemini-2.5-pro", "anthropic/claude-opus-4-5-20251101"} <= set(got)
    assert "anthropic/claude-sonnet-4-6" in got
    assert "LiteLLM key anthropic.claude-sonnet-4-6" in got["anthropic/claude-sonnet-4-6"]["notes"]
    # gpt-5.4: 2.5e-06 -> 2.5; above 272k: 5e-06 / 2.25e-05 / 5e-07 -> 5 / 22.5 / 0.5
    g = got["openai/gpt-5.4"]
    assert (g["mode"], g["input_usd_per_mtok"], g["long_context_threshold_tokens"]) == (
        "chat",
        "2.5",
        "272000",
    )
    assert (g["long_context_input_usd_per_mtok"], g["long_context_output_usd_per_mtok"]) == (
        "5",
        "22.5",
    )
    assert (g["flex_input_usd_per_mtok"], g["priority_output_usd_per_mtok"]) == ("1.25", "30")
    assert g["residency_uplift"] == "0.1"  # regional_processing_uplift_multiplier 1.1
    assert got["openai/gpt-5-pro"]["mode"] == "responses"
    o3 = got["openai/o3"]
    assert (o3["deprecation_date"], o3["successor"]) == ("2026-12-11", "openai/gpt-5.6-sol")
    assert got["anthropic/claude-opus-4-6"]["residency_uplift"] == "0.1"  # provider_specific us 1.1
    # DashScope tiered_pricing: first tier base, second tier long context
    q = got["dashscope/qwen3-max"]
    assert (q["input_usd_per_mtok"], q["long_context_threshold_tokens"]) == ("1.2", "32000")
    assert (
        "text-embedding-3-small",
        "mode 'embedding' is not one of chat, completion, responses",
    ) in result.skipped
    load(tmp_path)  # the result validates, successors included


def test_vendor_entry_wins_over_a_cloud_route(tmp_path: Path) -> None:
    data = json.loads((DATA / "litellm_excerpt.json").read_text())
    route = dict(data["claude-opus-4-6"], litellm_provider="vertex_ai-anthropic_models")
    route["input_cost_per_token"] = 9e-06
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps({"vertex_ai/claude-opus-4-6": route, "claude-opus-4-6": data["claude-opus-4-6"]})
    )
    result = import_litellm(path, tmp_path / "out", as_of="2026-11-20", today=TODAY)
    assert rows(tmp_path / "out")["anthropic/claude-opus-4-6"]["input_usd_per_mtok"] == "5"
    assert result.skipped == (("vertex_ai/claude-opus-4-6", "same row as 'claude-opus-4-6'"),)


def test_default_folder_is_prices_here_and_never_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = import_litellm(DATA / "litellm_excerpt.json", as_of="2026-11-20", today=TODAY)
    assert result.path == tmp_path / "prices" / "api_models.csv" and result.path.is_file()
    inside = Path(tco.__file__).parent / "pricing_data"
    with pytest.raises(PricingError, match="outside the installed tco package"):
        import_litellm(DATA / "litellm_excerpt.json", inside, today=TODAY)


def test_unknown_successor_is_left_empty_and_noted(tmp_path: Path) -> None:
    data = json.loads((DATA / "litellm_excerpt.json").read_text())
    path = tmp_path / "p.json"
    # a successor LiteLLM names but the catalog will not have (an embedding model, skipped)
    o3 = dict(data["o3"], successor_model="text-embedding-3-small")
    path.write_text(
        json.dumps({"o3": o3, "text-embedding-3-small": data["text-embedding-3-small"]})
    )
    result = import_litellm(path, tmp_path / "out", as_of="2026-11-20", today=TODAY)
    assert rows(tmp_path / "out")["openai/o3"]["successor"] == ""
    assert result.notes == (
        "openai/o3: successor openai/text-embedding-3-small is not in the catalog; left empty",
    )


# -- genai-prices ----------------------------------------------------------------------------


def test_genai_prices_file(tmp_path: Path) -> None:
    result = import_genai_prices(
        DATA / "genai_prices_excerpt.json", tmp_path, as_of="2026-11-10", today=TODAY
    )
    got = rows(tmp_path)
    assert result.summary().endswith("0 models skipped")
    opus = got["anthropic/claude-opus-4-6"]  # the 2026-03-13 entry: no long-context tier
    assert (
        opus["input_usd_per_mtok"],
        opus["cache_write_usd_per_mtok"],
        opus["cache_write_1h_usd_per_mtok"],
    ) == ("5", "6.25", "10")
    assert opus["long_context_threshold_tokens"] == ""
    deep = got["deepseek/deepseek-v4-pro"]  # the peak window, off-peak in the notes
    assert (deep["input_usd_per_mtok"], deep["output_usd_per_mtok"]) == ("1.32", "3.96")
    assert "0.66 in / 1.98 out" in deep["notes"]
    gpt = got["openai/gpt-5.4"]
    assert (gpt["long_context_threshold_tokens"], gpt["long_context_input_usd_per_mtok"]) == (
        "272000",
        "5",
    )
    assert "xai/grok-4.5" in got
    assert got["openai/o3"]["input_usd_per_mtok"] == "2"  # start_date 2025-06-10 has come


def test_genai_prices_as_of_picks_the_dated_price_and_matches_existing_rows(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    import_genai_prices(
        DATA / "genai_prices_excerpt.json",
        folder,
        providers=["openai"],
        as_of="2025-06-01",
        today=TODAY,
    )
    got = rows(folder)
    assert got["openai/o3"]["input_usd_per_mtok"] == "10"  # before the 2025-06-10 cut
    assert got["openai/gpt-4o"]["source"].startswith("genai-prices data file")  # matched, updated


def test_genai_prices_without_file_or_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(PricingError, match="or the genai-prices package installed"):
        import_genai_prices(None, tmp_path)


def test_genai_prices_deprecated_models_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "g.json"
    path.write_text(
        json.dumps(
            [
                {
                    "id": "openai",
                    "models": [
                        {
                            "id": "old",
                            "match": {"equals": "old"},
                            "deprecated": True,
                            "prices": {"input_mtok": 1, "output_mtok": 2},
                        }
                    ],
                }
            ]
        )
    )
    result = import_genai_prices(path, tmp_path / "out", as_of="2026-11-10", today=TODAY)
    assert result.skipped == (("openai/old", "marked deprecated in genai-prices (no date given)"),)


# -- price history -----------------------------------------------------------------------------

HISTORY = (
    "provider,model,tier,effective_from,input_usd_per_mtok,output_usd_per_mtok,"
    "cache_read_usd_per_mtok,deprecation_date,source,as_of,notes\n"
)


def history_problems(tmp_path: Path, *lines: str) -> list[tuple[int | None, str]]:
    folder = copy_fixture(tmp_path / "p")
    (folder / "api_price_history.csv").write_text(HISTORY + "\n".join(lines) + "\n")
    with pytest.raises(PricingError) as info:
        load(folder)
    return [(p.line, p.column) for p in info.value.problems]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            [
                "openai,gpt-4o,flagship,2025-01-01,5,15,,,s,2026-01-01,",
                "openai,gpt-4o,flagship,2024-06-01,2.5,10,,,s,2026-01-01,",
            ],
            [(3, "effective_from")],
        ),
        (
            [
                "openai,gpt-4o,flagship,2025-01-01,5,15,,,s,2026-01-01,",
                "openai,gpt-4o,flagship,2025-01-01,2.5,10,,,s,2026-01-01,",
            ],
            [(3, "provider,model,effective_from")],
        ),
        (
            [
                "openai,gpt-4o,flagship,2025-01-01,5,15,,,s,2026-01-01,",
                "openai,gpt-4o,mid,2025-06-01,2.5,10,,,s,2026-01-01,",
            ],
            [(3, "tier")],
        ),
        (["openai,gpt-4,flagship,2023-03-14,30,60,,,s,2026-01-01,"], [(2, "deprecation_date")]),
        (
            ["openai,gpt-4,flagship,2023-03-14,30,60,,2099-01-01,s,2026-01-01,"],
            [(2, "deprecation_date")],
        ),
        (
            ["openai,gpt-4,flagship,2025-03-14,30,60,,2024-06-06,s,2026-01-01,"],
            [(2, "effective_from")],
        ),
        (["openai,gpt-4o,huge,2025-01-01,5,15,,,s,2026-01-01,"], [(2, "tier")]),
    ],
)
def test_history_rules(tmp_path: Path, lines: list[str], expected: list[tuple[int, str]]) -> None:
    assert history_problems(tmp_path, *lines) == expected


def test_retired_model_not_in_the_catalog_is_accepted(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "api_price_history.csv").write_text(
        HISTORY + "openai,gpt-4,flagship,2023-03-14,30,60,,2024-06-06,s,2026-01-01,\n"
    )
    assert len(load(folder).price_history) == 1


def test_fit_recovers_a_known_decline() -> None:
    # 10 -> 5 -> 2.5 a year apart (halving), and a second tier 1 -> 0.5: decline 0.5.
    import pandas as pd

    history = pd.DataFrame(
        {
            "provider": ["p"] * 5,
            "model": ["a", "b", "c", "x", "y"],
            "tier": ["flagship"] * 3 + ["small"] * 2,
            "effective_from": pd.to_datetime(
                ["2024-01-01", "2025-01-01", "2026-01-01", "2024-01-01", "2025-01-01"]
            ),
            "input_usd_per_mtok": [10.0, 5.0, 2.5, 1.0, 0.5],
            "output_usd_per_mtok": [10.0, 5.0, 2.5, 1.0, 0.5],
        }
    )
    table = observed_decline(history, today=TODAY).set_index("tier")
    # 366 + 365 days: 2024 is a leap year, so the fitted year is 365.25 days long.
    assert table.loc["flagship", "annual_decline"] == pytest.approx(0.5, abs=2e-3)
    assert table.loc["all", "points"] == 5
    assert fit_decline([0, 1, 2], [0.0, -1.0, -2.0], ["a"] * 3) == pytest.approx(
        1 - 2.718281828459045**-1
    )


def test_observed_trend_of_the_bundled_history() -> None:
    prices = tco.load_pricing(today=TODAY)
    decline = prices.observed_trend("anthropic")
    assert 0 <= decline < 1
    tco.VendorAPI("x", input_usd_per_mtok=1, output_usd_per_mtok=1, annual_price_decline=decline)
    with pytest.raises(ValueError, match="rose"):
        prices.observed_trend("openai")
    with pytest.raises(ValueError, match="too few price-history points"):
        prices.observed_trend("mistral")


# -- exchange rates ----------------------------------------------------------------------------


def test_fx_rates() -> None:
    prices = tco.load_pricing(today=TODAY)
    assert prices.fx("EUR").usd_per_unit == 1.1172
    assert prices.fx("gbp").usd_per_unit == pytest.approx(1.1172 / 0.83380, rel=1e-6)
    assert prices.fx("USD").usd_per_unit == 1.0
    with pytest.raises(
        UnknownPriceError, match="unknown currency 'XYZ'; known: CAD, CHF, EUR, GBP, JPY, USD"
    ):
        prices.fx("XYZ")


@pytest.mark.parametrize(
    ("line", "column"),
    [("eur,1.1,s,2026-01-01,", "currency"), ("EUR,0,s,2026-01-01,", "usd_per_unit")],
)
def test_fx_bad_rows(tmp_path: Path, line: str, column: str) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "fx.csv").write_text("currency,usd_per_unit,source,as_of,notes\n" + line + "\n")
    with pytest.raises(PricingError) as info:
        load(folder)
    assert [(p.line, p.column) for p in info.value.problems] == [(2, column)]
