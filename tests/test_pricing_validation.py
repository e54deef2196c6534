"""Every class of bad pricing row is reported as file:line: column, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from pricing_helpers import (
    HARDWARE_HEADER,
    OFFERS_HEADER,
    THROUGHPUT_HEADER,
    copy_fixture,
    error_with,
    load,
    problems_with,
)
from pricing_helpers import LEGACY_API_HEADER as API_HEADER
from pricing_helpers import LEGACY_API_ROW as API_ROW

from tco import PricingError, PricingProblem


def api(*rows: str) -> str:
    return "\n".join([API_HEADER, *rows]) + "\n"


def row(**cells: str) -> str:
    """API_ROW with some cells replaced."""
    names = API_HEADER.split(",")
    values = API_ROW.split(",")
    for name, value in cells.items():
        values[names.index(name)] = value
    return ",".join(values)


# -- prices --------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["-1", "-0.01", "abc", "nan", "NaN", "inf", "-inf", "1e400"])
def test_bad_price_is_reported_with_line_and_column(tmp_path: Path, value: str) -> None:
    err = error_with(
        tmp_path, "api_models.csv", api(row(), row(model="b", input_usd_per_mtok=value))
    )
    assert [(Path(p.file).name, p.line, p.column, p.value) for p in err.problems] == [
        ("api_models.csv", 3, "input_usd_per_mtok", value)
    ]
    assert f"api_models.csv:3: input_usd_per_mtok: '{value}' -> a number >= 0" in str(err)


def test_missing_required_price_says_required(tmp_path: Path) -> None:
    err = error_with(tmp_path, "api_models.csv", api(row(output_usd_per_mtok="")))
    assert str(err.problems[0]).endswith(
        "api_models.csv:2: output_usd_per_mtok: '' -> required: a number >= 0 "
        "[USD per million output tokens]"
    )


def test_zero_price_is_allowed_but_not_for_gpu_hours(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "api_models.csv").write_text(api(row(input_usd_per_mtok="0")))
    assert load(folder).api_price("openai/gpt-4o").input_usd_per_mtok == 0.0
    offers = OFFERS_HEADER + "\naws,p5,H100-SXM,8,on_demand,0,,s,2026-01-01,\n"
    assert problems_with(tmp_path / "x", "gpu_offers.csv", offers) == [
        ("gpu_offers.csv", 2, "usd_per_gpu_hour")
    ]


def test_huge_but_finite_numbers_are_accepted(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "api_models.csv").write_text(api(row(input_usd_per_mtok="1e300")))
    assert load(folder).api_price("openai/gpt-4o").input_usd_per_mtok == 1e300


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("batch_discount", "1"),
        ("batch_discount", "-0.1"),
        ("batch_discount", "50%"),
        ("context_window", "0"),
        ("context_window", "1.5"),
        ("context_window", "128k"),
        ("context_window", "9" * 30),
        ("open_weights", "yes"),
        ("open_weights", "1"),
        ("provider", "open/ai"),
        ("source", ""),
        ("model", ""),
    ],
)
def test_bad_optional_and_text_cells(tmp_path: Path, column: str, value: str) -> None:
    assert problems_with(tmp_path, "api_models.csv", api(row(**{column: value}))) == [
        ("api_models.csv", 2, column)
    ]


def test_friendly_spellings_are_accepted(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "api_models.csv").write_text(
        api(
            row(open_weights="TRUE", input_usd_per_mtok=" 2.5 ", batch_discount="0"),
            row(model="b", open_weights="False", context_window="+8192"),
            row(model="c", open_weights=""),
        )
    )
    cat = load(folder)
    a, b, c = (cat.api_price(f"openai/{m}") for m in ("gpt-4o", "b", "c"))
    assert (a.open_weights, a.input_usd_per_mtok, a.batch_discount) == (True, 2.5, 0.0)
    assert (b.open_weights, b.context_window) == (False, 8192)
    assert c.open_weights is None


# -- plans, dates ----------------------------------------------------------------------------


def test_unknown_plan(tmp_path: Path) -> None:
    offers = OFFERS_HEADER + "\naws,p5,H100-SXM,8,weekly,2.0,,s,2026-01-01,\n"
    err = error_with(tmp_path, "gpu_offers.csv", offers)
    assert [str(p).split("/")[-1] for p in err.problems] == [
        "gpu_offers.csv:2: plan: 'weekly' -> one of on_demand, reserved_1y, reserved_3y, spot"
    ]


@pytest.mark.parametrize("value", ["2026/07/24", "24.07.2026", "2026-02-30", "2026-7-4", "today"])
def test_bad_date(tmp_path: Path, value: str) -> None:
    err = error_with(tmp_path, "api_models.csv", api(row(as_of=value)))
    assert [(p.line, p.column, p.message) for p in err.problems] == [
        (2, "as_of", "a date YYYY-MM-DD, not in the future")
    ]


def test_future_date_is_rejected_with_one_day_of_slack(tmp_path: Path) -> None:
    # TODAY is 2026-11-28: the 29th may be today somewhere east; the 30th is the future.
    err = error_with(
        tmp_path,
        "api_models.csv",
        api(row(as_of="2026-11-29"), row(model="b", as_of="2026-11-30")),
    )
    assert [(p.line, p.column, p.value) for p in err.problems] == [(3, "as_of", "2026-11-30")]
    assert err.problems[0].message == "a date YYYY-MM-DD, not in the future (today is 2026-11-28)"


def test_missing_date(tmp_path: Path) -> None:
    assert problems_with(tmp_path, "api_models.csv", api(row(as_of=""))) == [
        ("api_models.csv", 2, "as_of")
    ]


# -- keys and references ---------------------------------------------------------------------


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    err = error_with(
        tmp_path,
        "api_models.csv",
        api(row(), row(model="other"), row(input_usd_per_mtok="3")),
    )
    assert len(err.problems) == 1
    assert str(err.problems[0]).endswith(
        "api_models.csv:4: provider,model: 'openai/gpt-4o' -> a key used once per file; "
        "also on line 2"
    )


def test_duplicate_is_found_even_when_the_first_row_is_invalid(tmp_path: Path) -> None:
    assert problems_with(tmp_path, "api_models.csv", api(row(input_usd_per_mtok="-1"), row())) == [
        ("api_models.csv", 2, "input_usd_per_mtok"),
        ("api_models.csv", 3, "provider,model"),
    ]


def test_offer_key_includes_plan_and_region(tmp_path: Path) -> None:
    offers = (
        OFFERS_HEADER
        + "\naws,p5,H100-SXM,8,on_demand,6.9,us-east-1,s,2026-01-01,"
        + "\naws,p5,H100-SXM,8,spot,3.1,us-east-1,s,2026-01-01,"
        + "\naws,p5,H100-SXM,8,on_demand,7.9,eu-west-1,s,2026-01-01,"
        + "\naws,p5,H100-SXM,8,on_demand,6.0,us-east-1,s,2026-02-01,\n"
    )
    assert problems_with(tmp_path, "gpu_offers.csv", offers) == [
        ("gpu_offers.csv", 5, "provider,instance,plan,region")
    ]


def test_throughput_duplicate_key(tmp_path: Path) -> None:
    body = "m,H100-SXM,1,vllm,bf16,offline,,,,100,10,,,,9,false,s,2026-01-01,"
    text = f"{THROUGHPUT_HEADER}\n{body}\n{body.replace(',100,', ',200,')}\n"
    assert problems_with(tmp_path, "throughput.csv", text) == [
        ("throughput.csv", 3, "model,gpu,gpus_per_replica,engine,precision,regime,concurrency")
    ]


def test_unknown_gpu_in_offer_and_throughput_with_closest(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "gpu_offers.csv").write_text(
        OFFERS_HEADER + "\naws,p5,H100,8,on_demand,6.9,,s,2026-01-01,\n"
    )
    (folder / "throughput.csv").write_text(
        THROUGHPUT_HEADER + "\nm,B200,8,vllm,fp8,offline,,,,100,10,,,,9,false,s,2026-01-01,\n"
    )
    with pytest.raises(PricingError) as info:
        load(folder)
    got = [(Path(p.file).name, p.line, p.column, p.value, p.message) for p in info.value.problems]
    assert got == [
        (
            "gpu_offers.csv",
            2,
            "gpu",
            "H100",
            "a gpu listed in gpu_hardware.csv (closest: H100-SXM)",
        ),
        ("throughput.csv", 2, "gpu", "B200", "a gpu listed in gpu_hardware.csv"),
    ]


def test_reference_to_an_invalid_hardware_row_is_not_called_unknown(tmp_path: Path) -> None:
    hardware = HARDWARE_HEADER + (
        "\nH100-SXM,80,-700,,,,,,s,2026-01-01,\nA100-80GB,80,400,,,,,,s,2026-01-01,"
        "\nL4,24,72,,,,,,s,2026-01-01,\n"
    )
    assert problems_with(tmp_path, "gpu_hardware.csv", hardware) == [
        ("gpu_hardware.csv", 2, "tdp_watts")
    ]


# -- structure ---------------------------------------------------------------------------------


def test_header_missing_column(tmp_path: Path) -> None:
    header = API_HEADER.replace("notes", "").rstrip(",")
    err = error_with(tmp_path, "api_models.csv", f"{header}\n{API_ROW[:-1]}\n")
    assert [(p.line, p.column) for p in err.problems] == [(1, "(header)")]
    assert "missing notes" in err.problems[0].message


def test_header_extra_column_still_checks_rows(tmp_path: Path) -> None:
    err = error_with(
        tmp_path,
        "api_models.csv",
        f"{API_HEADER},comment\n{row(input_usd_per_mtok='x')},hi\n",
    )
    assert [(p.line, p.column) for p in err.problems] == [
        (1, "(header)"),
        (2, "input_usd_per_mtok"),
    ]
    assert "unexpected 'comment'" in err.problems[0].message


def test_header_misordered(tmp_path: Path) -> None:
    names = HARDWARE_HEADER.split(",")
    names[1], names[2] = names[2], names[1]
    err = error_with(
        tmp_path,
        "gpu_hardware.csv",
        ",".join(names)
        + "\nH100-SXM,700,80,,,,,,s,2026-01-01,\nA100-80GB,400,80,,,,,,s,2026-01-01,"
        + "\nL4,72,24,,,,,,s,2026-01-01,\n",
    )
    assert [(p.line, p.column) for p in err.problems] == [(1, "(header)")]
    assert err.problems[0].message.endswith("(columns in the wrong order)")


def test_header_repeated_column(tmp_path: Path) -> None:
    assert problems_with(tmp_path, "gpu_hardware.csv", HARDWARE_HEADER + ",gpu\n") == [
        ("gpu_hardware.csv", 1, "(header)")
    ]


@pytest.mark.parametrize("content", ["", "\n", "   \n\n", ",,,\n"])
def test_empty_file(tmp_path: Path, content: str) -> None:
    assert problems_with(tmp_path, "throughput.csv", content) == [("throughput.csv", 1, "(header)")]


def test_header_not_on_line_one(tmp_path: Path) -> None:
    assert problems_with(tmp_path, "api_models.csv", "\n" + api(row())) == [
        ("api_models.csv", 1, "(header)")
    ]


def test_header_only_is_an_empty_table(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "api_models.csv").write_text(API_HEADER + "\n")
    assert len(load(folder).api_models) == 0


@pytest.mark.parametrize(("cells", "count"), [(API_ROW + ",x", 14), ("openai,gpt-4o,1,1", 4)])
def test_wrong_number_of_cells(tmp_path: Path, cells: str, count: int) -> None:
    err = error_with(tmp_path, "api_models.csv", api(row(model="ok"), cells))
    assert [str(p).split("/")[-1] for p in err.problems] == [
        f"api_models.csv:3: (row): '{count} cells' -> 13 cells, one per header column"
    ]


def test_non_utf8_bytes_are_reported_per_cell(tmp_path: Path) -> None:
    content = api(row(), row(model="b", notes="caf\udce9")).encode("utf-8", "surrogateescape")
    err = error_with(tmp_path, "api_models.csv", content)
    assert [(p.line, p.column) for p in err.problems] == [(3, "notes")]
    assert str(err.problems[0]).endswith(
        "notes: b'caf\\xe9' -> UTF-8 text (save the file as UTF-8)"
    )


def test_non_utf8_bytes_in_a_price_are_reported_once(tmp_path: Path) -> None:
    content = api(row(input_usd_per_mtok="\udcff")).encode("utf-8", "surrogateescape")
    assert problems_with(tmp_path, "api_models.csv", content) == [
        ("api_models.csv", 2, "input_usd_per_mtok")
    ]


def test_control_characters_are_rejected(tmp_path: Path) -> None:
    assert problems_with(tmp_path, "api_models.csv", api(row(model="gpt\x00"))) == [
        ("api_models.csv", 2, "model")
    ]


def test_bom_crlf_quotes_and_blank_lines_are_fine(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    text = api(row(notes='"a note, with a comma"'), "", row(model="b"))
    (folder / "api_models.csv").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    cat = load(folder)
    assert cat.api_price("openai/gpt-4o").notes == "a note, with a comma"
    assert list(cat.api_models["origin"].str.rsplit(":", n=1).str[1]) == ["2", "4"]


def test_line_numbers_count_physical_lines_of_multiline_cells(tmp_path: Path) -> None:
    text = api(row(notes='"line one\nline two"'), row(model="b", output_usd_per_mtok="x"))
    assert problems_with(tmp_path, "api_models.csv", text) == [
        ("api_models.csv", 4, "output_usd_per_mtok")
    ]


def test_multiline_key_cell_is_rejected(tmp_path: Path) -> None:
    assert problems_with(tmp_path, "api_models.csv", api(row(model='"gpt\n4o"'))) == [
        ("api_models.csv", 2, "model")
    ]


# -- all at once ---------------------------------------------------------------------------------


def test_every_problem_in_every_file_is_reported_at_once(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "api_models.csv").write_text(
        api(row(input_usd_per_mtok="-1", as_of="2026-13-01"), row(model="b"), row(model="b"))
    )
    (folder / "gpu_offers.csv").write_text(
        OFFERS_HEADER + "\naws,p5,H100-SXM,eight,spot,2,,s,2026-01-01,\n"
    )
    with pytest.raises(PricingError) as info:
        load(folder)
    err = info.value
    assert [(Path(p.file).name, p.line, p.column) for p in err.problems] == [
        ("api_models.csv", 2, "input_usd_per_mtok"),
        ("api_models.csv", 2, "as_of"),
        ("api_models.csv", 4, "provider,model"),
        ("gpu_offers.csv", 2, "gpus_per_instance"),
    ]
    text = str(err)
    assert text.startswith("4 problems in the pricing data:\n  ")
    assert text.count("\n") == 4
    assert isinstance(err, ValueError)
    assert all(isinstance(p, PricingProblem) for p in err.problems)


def test_problem_str_without_line() -> None:
    p = PricingProblem("x/api_model.csv", None, "(file)", "api_model.csv", "one of ...")
    assert str(p) == "x/api_model.csv: (file): 'api_model.csv' -> one of ..."


def test_long_values_are_shortened_in_messages(tmp_path: Path) -> None:
    err = error_with(tmp_path, "api_models.csv", api(row(input_usd_per_mtok="x" * 500)))
    assert len(str(err.problems[0])) < 250
    assert err.problems[0].value == "x" * 500
