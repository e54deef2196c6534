"""Tier and lifecycle columns of api_models.csv: rules within a row and between rows,
retirement status and warnings, and what the CLI lists."""

from __future__ import annotations

import warnings
from datetime import date, timedelta
from pathlib import Path

import pytest
from pricing_helpers import (
    API_HEADER,
    API_ROW,
    LEGACY_API_HEADER,
    LEGACY_API_ROW,
    copy_fixture,
    load,
    use_fixture_as_bundled,
)

import tco
from tco import PricingError, RetiredModelWarning
from tco.cli import main

NAMES = API_HEADER.split(",")


def row(**cells: str) -> str:
    """API_ROW (openai/gpt-4o, current columns) with some cells replaced."""
    values = API_ROW.split(",")
    assert len(values) == len(NAMES) == 26
    for name, value in cells.items():
        values[NAMES.index(name)] = value
    return ",".join(values)


def problems(tmp_path: Path, *rows: str) -> list[tuple[int | None, str, str]]:
    folder = copy_fixture(tmp_path / "p")
    (folder / "api_models.csv").write_text("\n".join([API_HEADER, *rows]) + "\n")
    with pytest.raises(PricingError) as info:
        load(folder)
    return [(p.line, p.column, p.message) for p in info.value.problems]


def catalog(tmp_path: Path, *rows: str, today: date = date(2026, 11, 30)) -> tco.PricingCatalog:
    folder = copy_fixture(tmp_path / "p")
    (folder / "api_models.csv").write_text("\n".join([API_HEADER, *rows]) + "\n")
    return load(folder, today=today)


# -- rules within a row ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"long_context_input_usd_per_mtok": "5"}, "long_context_threshold_tokens", "required"),
        (
            {"long_context_threshold_tokens": "200000", "long_context_output_usd_per_mtok": "20"},
            "long_context_input_usd_per_mtok",
            "required",
        ),
        (
            {
                "long_context_threshold_tokens": "128000",
                "long_context_input_usd_per_mtok": "5",
                "long_context_output_usd_per_mtok": "20",
            },
            "long_context_threshold_tokens",
            "below context_window (128000)",
        ),
        (
            {
                "long_context_threshold_tokens": "100000",
                "long_context_input_usd_per_mtok": "2",
                "long_context_output_usd_per_mtok": "20",
            },
            "long_context_input_usd_per_mtok",
            ">= input_usd_per_mtok (2.5)",
        ),
        ({"flex_input_usd_per_mtok": "1.25"}, "flex_output_usd_per_mtok", "required"),
        ({"priority_output_usd_per_mtok": ""}, "priority_output_usd_per_mtok", "required"),
        ({"successor": "openai/gpt-4o"}, "successor", "not the row's own"),
        ({"successor": "gpt-5"}, "successor", "provider/model id"),
        ({"residency_uplift": "1.1"}, "residency_uplift", "0.1 = +10 %"),
        ({"mode": "embedding"}, "mode", "one of chat, responses, completion"),
        ({"deprecation_date": "2027-1-14"}, "deprecation_date", "YYYY-MM-DD"),
    ],
)
def test_row_rules_name_line_and_column(
    tmp_path: Path, cells: dict[str, str], column: str, message: str
) -> None:
    ((line, col, msg),) = problems(tmp_path, row(**cells))
    assert (line, col) == (2, column)
    assert message in msg


def test_a_full_tier_row_loads(tmp_path: Path) -> None:
    cat = catalog(
        tmp_path,
        row(
            model="gpt-5.4",
            context_window="1050000",
            long_context_threshold_tokens="272000",
            long_context_input_usd_per_mtok="5",
            long_context_output_usd_per_mtok="22.5",
            long_context_cache_read_usd_per_mtok="2.5",
            flex_input_usd_per_mtok="1.25",
            flex_output_usd_per_mtok="7.5",
            residency_uplift="0.1",
            cache_write_1h_usd_per_mtok="5",
            deprecation_date="",
        ),
    )
    r = cat.api_price("openai/gpt-5.4")
    assert (r.long_context_threshold_tokens, r.long_context_output_usd_per_mtok) == (272000, 22.5)
    assert (r.flex_input_usd_per_mtok, r.residency_uplift, r.mode) == (1.25, 0.1, "chat")


def test_older_header_still_loads_with_the_new_columns_empty(tmp_path: Path) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "api_models.csv").write_text(f"{LEGACY_API_HEADER}\n{LEGACY_API_ROW}\n")
    r = load(folder).api_price("openai/gpt-4o")
    assert (r.input_usd_per_mtok, r.mode, r.deprecation_date, r.successor) == (
        2.5,
        None,
        None,
        None,
    )


# -- rules between rows ----------------------------------------------------------------------


def test_unknown_successor_names_the_closest(tmp_path: Path) -> None:
    found = problems(tmp_path, row(successor="openai/gpt-4oo", deprecation_date="2027-01-14"))
    assert found == [
        (2, "successor", "a provider/model id of api_models.csv (closest: openai/gpt-4o)")
    ]


def test_successor_cycle_is_reported_once(tmp_path: Path) -> None:
    found = problems(
        tmp_path,
        row(model="a", successor="openai/b", deprecation_date=""),
        row(model="b", successor="openai/c", deprecation_date=""),
        row(model="c", successor="openai/a", deprecation_date=""),
    )
    assert found == [
        (
            2,
            "successor",
            "a successor chain without a cycle (openai/a -> openai/b -> openai/c -> openai/a)",
        )
    ]


@pytest.mark.parametrize("later", ["2027-01-14", "2026-12-01"])
def test_successor_must_retire_after_its_predecessor(tmp_path: Path, later: str) -> None:
    found = problems(
        tmp_path,
        row(successor="openai/new", deprecation_date="2027-01-14"),
        row(model="new", deprecation_date=later),
    )
    assert [(line, col) for line, col, _ in found] == [(2, "successor")]
    assert f"retires on {later}" in found[0][2]


def test_successor_retiring_later_or_never_is_fine(tmp_path: Path) -> None:
    cat = catalog(
        tmp_path,
        row(successor="openai/new", deprecation_date="2027-01-14"),
        row(model="new", deprecation_date="2027-06-01", successor="openai/newer"),
        row(model="newer", deprecation_date=""),
    )
    assert cat.successor_chain("openai/gpt-4o") == ["openai/new", "openai/newer"]


def test_user_row_may_name_a_bundled_successor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_fixture_as_bundled(monkeypatch)
    user = tmp_path / "mine"
    user.mkdir()
    old = row(model="old", deprecation_date="2026-01-01", successor="openai/gpt-4o-mini")
    (user / "api_models.csv").write_text(f"{API_HEADER}\n{old}\n")
    with pytest.warns(RetiredModelWarning, match="openai/old was retired on 2026-01-01"):
        tco.load_pricing(user, today=date(2026, 11, 30)).api_price("openai/old")


# -- status and warnings ---------------------------------------------------------------------


def test_status_boundaries_and_table(tmp_path: Path) -> None:
    today = date(2026, 11, 30)
    cat = catalog(
        tmp_path,
        row(model="gone", deprecation_date="2026-11-30", successor="openai/gpt-4o"),
        row(model="soon", deprecation_date="2027-02-28", successor="openai/gpt-4o"),  # 90 days
        row(model="later", deprecation_date="2027-03-01", successor="openai/gpt-4o"),  # 91 days
        row(deprecation_date=""),
        today=today,
    )
    life = cat.lifecycle().set_index("id")
    assert list(life.columns[:3]) == ["deprecation_date", "successor", "status"]
    assert life["status"].to_dict() == {
        "openai/gone": "retired",
        "openai/soon": "retiring",
        "openai/later": "current",
        "openai/gpt-4o": "current",
    }
    assert life.loc["openai/soon", "days_left"] == (date(2027, 2, 28) - today).days


def test_retired_lookup_warns_with_date_and_successor(tmp_path: Path) -> None:
    cat = catalog(
        tmp_path,
        row(model="gone", deprecation_date="2026-10-23", successor="openai/gpt-4o"),
        row(deprecation_date=""),
    )
    with pytest.warns(RetiredModelWarning) as record:
        api = cat.vendor_api("openai/gone")
    (w,) = record
    assert str(w.message) == (
        "openai/gone was retired on 2026-10-23 (38 days before 2026-11-30); "
        "successor: openai/gpt-4o"
    )
    assert w.filename == __file__
    assert api.input_usd_per_mtok == 2.5
    with pytest.warns(RetiredModelWarning, match="openai/gone"):
        cat.api_price("openai/gone")


def test_retiring_and_current_lookups_do_not_warn(tmp_path: Path) -> None:
    cat = catalog(
        tmp_path,
        row(deprecation_date="2027-01-14", successor="openai/new"),
        row(model="new", deprecation_date=""),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cat.vendor_api("openai/gpt-4o")
        cat.api_price("openai/new")
    assert issubclass(RetiredModelWarning, UserWarning)


def test_bundled_gpt4o_is_retiring_not_retired_and_the_demo_resolves() -> None:
    prices = tco.load_pricing(today=date(2026, 11, 30))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        api = prices.vendor_api("openai/gpt-4o")
    assert (api.input_usd_per_mtok, api.output_usd_per_mtok, api.cache_read_usd_per_mtok) == (
        2.5,
        10.0,
        1.25,
    )
    life = prices.lifecycle().set_index("id")
    assert life.loc["openai/gpt-4o", "status"] == "retiring"
    assert str(life.loc["openai/gpt-4o", "deprecation_date"])[:10] == "2027-01-14"
    assert life.loc["openai/o1", "status"] == "retired"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scenario = tco.Scenario.from_toml(Path(tco.__file__).parent / "examples" / "demo.toml")
    assert scenario is not None


def test_check_lists_a_retirement_without_successor_in_a_large_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 5,000 plain rows (read by the fast path, a chunk at a time), one retiring on row 4,000
    soon = (date.today() + timedelta(days=20)).isoformat()
    rows = [row(model=f"m{i}", deprecation_date="", successor="") for i in range(5000)]
    rows[3999] = row(model="m3999", deprecation_date=soon)
    folder = copy_fixture(tmp_path / "p")
    (folder / "api_models.csv").write_text("\n".join([API_HEADER, *rows]) + "\n")
    assert main(["prices", "check", str(folder), "--no-bundled", "--days", "100000"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == [
        f"note: openai/m3999 retires on {soon} (in 20 days); no successor named "
        f"({folder / 'api_models.csv'}:4001)"
    ]


def test_cli_check_and_stale_list_retired_and_retiring(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = copy_fixture(tmp_path / "p")
    (folder / "api_models.csv").write_text(
        "\n".join(
            [
                API_HEADER,
                row(model="gone", deprecation_date="2020-01-01", successor="openai/gpt-4o"),
                row(
                    model="soon",
                    deprecation_date=(date.today() + timedelta(days=10)).isoformat(),
                    successor="openai/gpt-4o",
                ),
                row(deprecation_date=""),
            ]
        )
        + "\n"
    )
    assert main(["prices", "check", str(folder), "--no-bundled", "--days", "100000"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith(
        "warning: openai/gone retired on 2020-01-01; successor openai/gpt-4o ("
    )
    assert out[2].startswith("note: openai/soon retires on ") and "(in 10 days)" in out[2]
    assert main(["prices", "stale", "--dir", str(folder), "--no-bundled", "--days", "100000"]) == 0
    out = capsys.readouterr().out
    assert (
        "openai/gone" in out
        and "openai/soon" in out
        and "1 API models retired and 1 retiring" in out
    )
