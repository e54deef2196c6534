"""Loading, the override mechanism, tables, look-ups and staleness."""

from __future__ import annotations

import warnings
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from pricing_helpers import (
    API_HEADER,
    FIXTURE,
    HARDWARE_HEADER,
    LEGACY_API_HEADER,
    OFFERS_HEADER,
    THROUGHPUT_HEADER,
    TODAY,
    copy_fixture,
    load,
    use_fixture_as_bundled,
)

import tco
from tco.pricing import (
    AmbiguousPriceError,
    GpuOffer,
    PricingError,
    StalePriceWarning,
    ThroughputMeasurement,
    UnknownPriceError,
    bundled_pricing_dir,
    load_pricing,
)

# -- loading and tables ----------------------------------------------------------------------


def test_fixture_loads_with_tables_as_dataframes() -> None:
    cat = load(FIXTURE)
    assert cat.counts() == {"api": 4, "hardware": 3, "gpu": 5, "throughput": 4, "models": 2}
    api = cat.api_models
    assert list(api.columns) == ["id", *API_HEADER.split(","), "origin"]
    assert list(api["id"]) == [
        "openai/gpt-4o",
        "openai/gpt-4o-mini",
        "anthropic/claude-sonnet-4",
        "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
    ]
    assert api["input_usd_per_mtok"].tolist() == [2.5, 0.15, 3.0, 0.88]
    assert api["cache_write_usd_per_mtok"].isna().tolist() == [True, True, False, True]
    assert str(api["context_window"].dtype) == "Int64"
    assert api["as_of"].iloc[0] == pd.Timestamp("2026-07-24")
    assert api["origin"].iloc[2] == f"{FIXTURE / 'api_models.csv'}:4"
    assert list(cat.gpu_hardware.columns) == [*HARDWARE_HEADER.split(","), "origin"]
    assert list(cat.gpu_offers.columns) == [*OFFERS_HEADER.split(","), "origin"]
    assert list(cat.throughputs.columns) == [*THROUGHPUT_HEADER.split(","), "origin"]
    assert cat.table("gpu").equals(cat.gpu_offers)


def test_tables_are_copies() -> None:
    cat = load(FIXTURE)
    df = cat.api_models
    df.loc[0, "input_usd_per_mtok"] = 99.0
    assert cat.api_models.loc[0, "input_usd_per_mtok"] == 2.5


def test_unknown_table_kind() -> None:
    with pytest.raises(ValueError, match="kind: 'gpus' -> one of api, hardware, gpu, throughput"):
        load(FIXTURE).table("gpus")


def test_repr_counts_rows_and_stale_rows() -> None:
    assert repr(load(FIXTURE)) == (
        "PricingCatalog(4 API models, 5 GPU offers, 3 GPU types, 4 throughput rows; "
        "3 rows older than 180 days)"
    )


def test_missing_folder_and_no_source_raise_pricing_error(tmp_path: Path) -> None:
    with pytest.raises(PricingError, match="an existing folder"):
        load(tmp_path / "nope")
    with pytest.raises(PricingError, match="a folder, or bundled=True"):
        load_pricing(None, bundled=False)


def test_folder_without_pricing_files(tmp_path: Path) -> None:
    with pytest.raises(PricingError) as info:
        load(tmp_path)
    assert [p.column for p in info.value.problems] == ["(path)"]


def test_misspelt_file_is_reported_not_ignored(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "api_model.csv").write_text(API_HEADER + "\n")
    with pytest.raises(PricingError) as info:
        load(folder)
    (problem,) = info.value.problems
    assert (Path(problem.file).name, problem.line, problem.column) == (
        "api_model.csv",
        None,
        "(file)",
    )
    assert problem.message.endswith("(did you mean api_models.csv?)")


def test_bundled_folder_must_hold_all_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "throughput.csv").unlink()
    monkeypatch.setattr(tco.pricing.load, "bundled_pricing_dir", lambda: folder)
    with pytest.raises(PricingError) as info:
        load_pricing(today=TODAY)
    assert [(Path(p.file).name, p.message) for p in info.value.problems] == [
        ("throughput.csv", "this file must exist")
    ]


# -- override mechanism ---------------------------------------------------------------------------


def test_user_folder_overrides_and_extends_row_by_row(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_fixture_as_bundled(monkeypatch)
    user = tmp_path / "mine"
    user.mkdir()
    (user / "api_models.csv").write_text(
        LEGACY_API_HEADER
        + "\nopenai,gpt-4o,2.0,8.0,,,,,false,,negotiated contract,2026-11-01,"
        + "\nacme,acme-1,1,2,,,,,true,EU,acme price sheet,2026-11-01,\n"
    )
    cat = load_pricing(user, today=TODAY)
    api = cat.api_models
    assert list(api["id"]) == [
        "openai/gpt-4o",
        "openai/gpt-4o-mini",
        "anthropic/claude-sonnet-4",
        "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo",
        "acme/acme-1",
    ]
    gpt = cat.api_price("openai/gpt-4o")
    # The user's row replaces the bundled one whole: no cache price inherited.
    assert (gpt.input_usd_per_mtok, gpt.cache_read_usd_per_mtok, gpt.source) == (
        2.0,
        None,
        "negotiated contract",
    )
    assert api["origin"].iloc[0] == f"{user / 'api_models.csv'}:2"
    assert api["origin"].iloc[1] == f"{FIXTURE / 'api_models.csv'}:3"
    # Files the user did not provide come from the bundled data.
    assert cat.counts()["gpu"] == 5
    assert cat.folders == (str(FIXTURE), str(user))


def test_user_offer_may_reference_user_hardware_and_throughput_bundled_hardware(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_fixture_as_bundled(monkeypatch)
    user = tmp_path / "mine"
    user.mkdir()
    (user / "gpu_hardware.csv").write_text(
        HARDWARE_HEADER + "\nMI300X,192,750,15000,,,,,amd sheet,2026-10-01,\n"
    )
    (user / "gpu_offers.csv").write_text(
        OFFERS_HEADER + "\nacme,mi300x-1,MI300X,1,on_demand,2.1,,acme,2026-10-01,\n"
    )
    (user / "throughput.csv").write_text(
        THROUGHPUT_HEADER
        + "\nm,L4,1,vllm,fp8,offline,,,,5000,500,,,,454.5,false,bench,2026-10-01,\n"
    )
    cat = load_pricing(user, today=TODAY)
    assert cat.gpu_offer("MI300X").usd_per_gpu_hour == 2.1
    assert cat.hardware("MI300X").memory_gb == 192
    assert cat.throughput("m").gpu == "L4"
    assert cat.counts() == {"api": 4, "hardware": 4, "gpu": 6, "throughput": 5, "models": 2}


def test_errors_in_user_folder_name_the_user_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_fixture_as_bundled(monkeypatch)
    user = tmp_path / "mine"
    user.mkdir()
    (user / "gpu_offers.csv").write_text(
        OFFERS_HEADER + "\nacme,x,NOPE,1,on_demand,2.1,,acme,2026-10-01,\n"
    )
    with pytest.raises(PricingError) as info:
        load_pricing(user, today=TODAY)
    assert [(p.file, p.line, p.column) for p in info.value.problems] == [
        (str(user / "gpu_offers.csv"), 2, "gpu")
    ]


def test_single_file_as_user_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_fixture_as_bundled(monkeypatch)
    path = tmp_path / "api_models.csv"
    path.write_text(LEGACY_API_HEADER + "\nacme,acme-1,1,2,,,,,,,s,2026-11-01,\n")
    assert load_pricing(path, today=TODAY).counts()["api"] == 5
    other = tmp_path / "prices.csv"
    other.write_text("x\n")
    with pytest.raises(PricingError, match=r"one of api_models\.csv"):
        load_pricing(other, today=TODAY)


def test_bundled_false_reads_only_the_folder(tmp_path: Path) -> None:
    user = tmp_path / "mine"
    user.mkdir()
    (user / "gpu_hardware.csv").write_text(HARDWARE_HEADER + "\nL4,24,72,,,,,,s,2026-01-01,\n")
    cat = load(user)
    assert cat.counts() == {"api": 0, "hardware": 1, "gpu": 0, "throughput": 0, "models": 0}
    assert list(cat.api_models.columns)[:2] == ["id", "provider"]


# -- look-ups -----------------------------------------------------------------------------------


def test_api_price_and_unknown_id_suggests_closest() -> None:
    cat = load(FIXTURE)
    assert cat.api_price("anthropic/claude-sonnet-4").cache_write_usd_per_mtok == 3.75
    with pytest.raises(UnknownPriceError) as info:
        cat.api_price("openai/gpt4o")
    assert str(info.value) == (
        "unknown API model 'openai/gpt4o'; closest: openai/gpt-4o, openai/gpt-4o-mini"
    )
    assert info.value.suggestions == ["openai/gpt-4o", "openai/gpt-4o-mini"]
    assert isinstance(info.value, KeyError)
    assert isinstance(info.value, LookupError)


def test_unknown_id_far_from_everything_lists_some_ids() -> None:
    with pytest.raises(UnknownPriceError, match=r"4 known, e\.g\. anthropic/claude-sonnet-4"):
        load(FIXTURE).api_price("zzzzzzzzzzzzzzzzzzzz")


def test_vendor_api_from_catalog() -> None:
    cat = load(FIXTURE)
    api = cat.vendor_api("anthropic/claude-sonnet-4")
    assert isinstance(api, tco.VendorAPI)
    assert (api.name, api.input_usd_per_mtok, api.output_usd_per_mtok) == (
        "anthropic/claude-sonnet-4",
        3.0,
        15.0,
    )
    assert (api.cache_read_usd_per_mtok, api.cache_write_usd_per_mtok) == (0.3, 3.75)
    assert api.batch_discount == 0.5
    assert api.sources == (
        "API price anthropic/claude-sonnet-4: https://www.anthropic.com/pricing (2026-07-24)",
    )


def test_vendor_api_defaults_and_overrides() -> None:
    cat = load(FIXTURE)
    hosted = cat.vendor_api("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo")
    assert hosted.cache_read_usd_per_mtok == 0.88  # empty cell: the input price applies
    assert hosted.cache_write_usd_per_mtok is None
    assert hosted.batch_discount == 0.0  # no batch tier
    api = cat.vendor_api(
        "openai/gpt-4o", batch_share=0.4, staff_fte=0.5, input_usd_per_mtok=2.0, name="mine"
    )
    assert (api.name, api.batch_share, api.staff_fte, api.input_usd_per_mtok) == (
        "mine",
        0.4,
        0.5,
        2.0,
    )


def test_vendor_api_batch_share_without_batch_tier_is_an_error() -> None:
    cat = load(FIXTURE)
    model = "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo"
    with pytest.raises(ValueError, match="no batch tier in the catalog"):
        cat.vendor_api(model, batch_share=0.5)
    assert cat.vendor_api(model, batch_share=0.5, batch_discount=0.3).batch_discount == 0.3


def test_vendor_api_unknown_id() -> None:
    with pytest.raises(KeyError, match="closest: openai/gpt-4o-mini"):
        load(FIXTURE).vendor_api("openai/gpt-4o-min")


def test_hardware() -> None:
    cat = load(FIXTURE)
    h100 = cat.hardware("H100-SXM")
    assert (h100.memory_gb, h100.tdp_watts, h100.purchase_usd_per_gpu, h100.kw_per_gpu) == (
        80.0,
        700.0,
        30000.0,
        0.7,
    )
    assert cat.hardware("A100-80GB").purchase_usd_per_gpu is None
    with pytest.raises(UnknownPriceError, match="unknown GPU 'h100-sxm'; closest: H100-SXM"):
        cat.hardware("h100-sxm")


def test_gpu_offer_cheapest_matching() -> None:
    cat = load(FIXTURE)
    # on_demand H100-SXM: aws 6.88 and lambda 2.99 -> lambda
    best = cat.gpu_offer("H100-SXM")
    assert isinstance(best, GpuOffer)
    assert (best.provider, best.instance, best.usd_per_gpu_hour) == (
        "lambda",
        "gpu_1x_h100_sxm5",
        2.99,
    )
    assert cat.gpu_offer("H100-SXM", provider="aws").usd_per_gpu_hour == 6.88
    assert cat.gpu_offer("H100-SXM", plan="spot").usd_per_gpu_hour == 3.10
    assert cat.gpu_offer("H100-SXM", region="us-east-1").provider == "aws"
    offer = cat.gpu_offer("L4", plan="reserved_1y")
    assert (offer.gpus_per_instance, offer.region, offer.as_of) == (
        1,
        "us-central1",
        date(2026, 7, 30),
    )


def test_gpu_offer_ties_go_to_the_first_row(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "gpu_offers.csv").write_text(
        OFFERS_HEADER
        + "\nb,x,L4,1,on_demand,1.0,,s,2026-01-01,\na,y,L4,1,on_demand,1.0,,s,2026-01-01,\n"
    )
    assert load(folder).gpu_offer("L4").provider == "b"


def test_gpu_offer_no_match_lists_offers() -> None:
    cat = load(FIXTURE)
    with pytest.raises(UnknownPriceError) as info:
        cat.gpu_offer("H100-SXM", provider="gcp")
    assert str(info.value) == (
        "no offer for GPU 'H100-SXM' with provider='gcp', plan='on_demand'; offers for "
        "H100-SXM: aws p5.48xlarge on_demand us-east-1; aws p5.48xlarge spot us-east-1; "
        "lambda gpu_1x_h100_sxm5 on_demand -"
    )
    with pytest.raises(UnknownPriceError, match="unknown GPU 'H100'; closest: H100-SXM"):
        cat.gpu_offer("H100")
    with pytest.raises(ValueError, match="plan: 'ondemand' -> one of on_demand, reserved_1y"):
        cat.gpu_offer("H100-SXM", plan="ondemand")


def test_gpu_offer_for_hardware_without_offers(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "gpu_offers.csv").write_text(OFFERS_HEADER + "\n")
    with pytest.raises(UnknownPriceError, match="no rental offer for GPU 'L4' in the catalog"):
        load(folder).gpu_offer("L4")


def test_throughput_unique_match() -> None:
    cat = load(FIXTURE)
    row = cat.throughput("meta-llama/Llama-3.1-8B-Instruct")
    assert isinstance(row, ThroughputMeasurement)
    assert (row.gpus_per_replica, row.prefill_tokens_per_s, row.decode_tokens_per_s) == (
        1,
        40000.0,
        5000.0,
    )
    narrowed = cat.throughput("meta-llama/Llama-3.1-70B-Instruct", gpu="A100-80GB")
    assert narrowed.decode_tokens_per_s == 1100.0
    by_engine = cat.throughput("meta-llama/Llama-3.1-70B-Instruct", engine="trt-llm")
    assert (by_engine.gpus_per_replica, by_engine.precision) == (8, "fp8")


def test_throughput_ambiguous_lists_candidates() -> None:
    cat = load(FIXTURE)
    with pytest.raises(AmbiguousPriceError) as info:
        cat.throughput("meta-llama/Llama-3.1-70B-Instruct", gpu="H100-SXM")
    assert str(info.value) == (
        "2 throughput rows match 'meta-llama/Llama-3.1-70B-Instruct'; narrow the look-up to "
        "one of: gpu='H100-SXM', gpus_per_replica=4, engine='vllm', precision='bf16'; "
        "gpu='H100-SXM', gpus_per_replica=8, engine='trt-llm', precision='fp8'"
    )
    assert isinstance(info.value, LookupError)


def test_throughput_unknown_model_and_no_match() -> None:
    cat = load(FIXTURE)
    with pytest.raises(UnknownPriceError, match=r"closest: meta-llama/Llama-3\.1-8B-Instruct"):
        cat.throughput("meta-llama/Llama-3.1-8B")
    with pytest.raises(UnknownPriceError, match=r"no throughput row for .* with gpu=.L4."):
        cat.throughput("meta-llama/Llama-3.1-8B-Instruct", gpu="L4")


def test_self_hosted_from_catalog_reads_the_records() -> None:
    cat = load(FIXTURE)
    fleet = tco.SelfHosted.from_catalog(
        cat, model="meta-llama/Llama-3.1-8B-Instruct", gpu="H100-SXM"
    )
    assert (fleet.prefill_tokens_per_s, fleet.decode_tokens_per_s, fleet.gpus_per_replica) == (
        40000.0,
        5000.0,
        1,
    )
    assert fleet.procurement.usd_per_gpu_hour == 2.99


# -- staleness -----------------------------------------------------------------------------------


def test_stale_rows_oldest_first() -> None:
    df = load(FIXTURE).stale(days=180)
    assert list(df.columns) == ["file", "key", "as_of", "age_days", "origin", "source"]
    assert df[["file", "key", "age_days"]].values.tolist() == [
        # 2024-09-01 -> 2026-11-28: 365 + 365 + 30 + 31 + 27
        ["throughput.csv", "meta-llama/Llama-3.1-70B-Instruct on 4xA100-80GB vllm bf16", 818],
        # 2025-03-01 -> 2026-11-28: 365 + 245 (Mar..Oct) + 27
        ["gpu_hardware.csv", "L4", 637],
        # 2026-01-15 -> 2026-11-28: 304 (Jan 15..Nov 15) + 13
        ["api_models.csv", "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", 317],
    ]
    assert df["origin"].iloc[1] == f"{FIXTURE / 'gpu_hardware.csv'}:4"


def test_stale_threshold_is_strictly_older() -> None:
    cat = load(FIXTURE)
    assert "api_models.csv" not in set(cat.stale(days=317)["file"])
    assert "api_models.csv" in set(cat.stale(days=316)["file"])
    assert cat.stale(days=10_000).empty
    # Relative to another day: on 2026-06-01 only the 2024 and 2025 rows are > 180 days old.
    assert len(cat.stale(days=180, today=date(2026, 6, 1))) == 2


def test_stale_days_must_be_a_whole_number() -> None:
    with pytest.raises(ValueError, match="days: -1 -> a whole number >= 0"):
        load(FIXTURE).stale(days=-1)


def test_no_staleness_warning_unless_asked() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load(FIXTURE)


def test_staleness_warning_one_per_file() -> None:
    with pytest.warns(StalePriceWarning) as record:
        load(FIXTURE, warn_stale_days=180)
    messages = sorted(str(w.message) for w in record)
    assert len(messages) == 3
    assert messages[0].startswith(
        f"{FIXTURE / 'api_models.csv'}: 1 of 4 rows older than 180 days; oldest: "
        "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo (2026-01-15, line 5)"
    )
    assert all(w.filename == __file__ for w in record)  # points at the caller


def test_many_stale_rows_give_one_summarised_warning(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    rows = [f"acme,m{i:03},1,2,,,,,,,s,2020-01-{1 + i % 28:02},x" for i in range(200)]
    (folder / "api_models.csv").write_text("\n".join([LEGACY_API_HEADER, *rows]) + "\n")
    with pytest.warns(StalePriceWarning) as record:
        load(folder, warn_stale_days=400)
    (only,) = [w for w in record if "api_models.csv" in str(w.message)]
    text = str(only.message)
    assert "200 of 200 rows older than 400 days" in text
    assert text.count("line ") == 3
    assert "acme/m000 (2020-01-01, line 2)" in text


# -- bundled data ---------------------------------------------------------------------------------


def test_bundled_folder_is_found() -> None:
    folder = bundled_pricing_dir()
    assert folder.name == "pricing_data"
    assert (folder / "api_models.csv").is_file()


def test_bundled_catalog_loads_clean() -> None:
    cat = load_pricing()
    counts = cat.counts()
    # The floor for the real data.
    assert counts["api"] >= 30
    assert counts["gpu"] >= 15
    assert counts["hardware"] >= 6
    assert counts["throughput"] >= 6
    assert cat.api_models["provider"].nunique() >= 5
    assert set(cat.gpu_offers["plan"]) == {"on_demand", "reserved_1y", "reserved_3y", "spot"}
    assert cat.throughputs["gpu"].nunique() >= 2
    assert cat.throughputs["model"].nunique() >= 3


def test_today_may_be_a_datetime() -> None:
    from datetime import datetime

    cat = load(FIXTURE, today=datetime(2026, 11, 28, 23, 59))
    assert cat.today == TODAY
    assert cat.stale(days=180)["age_days"].tolist() == [818, 637, 317]
