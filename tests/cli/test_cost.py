"""``imagegallery cost``: totals by any grouping, Retail Prices pages, measured used sizes."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from imagegallery import load_arm, sample_inventory
from imagegallery.cli._cost import BY
from imagegallery.costs import PriceSheet, estimate_cost
from tests.cli._helpers import PRICES, check_schema, one_line_error, run, write


def test_the_sample_summary_lists_every_group() -> None:
    result = run("cost")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[:3] == [
        "Gallery replica costs: 13 versions, 24 region lines (USD, prices as of 2026-07-14)",
        "Monthly snapshot storage:  39.91 USD",
        "One-time egress of first copies:  6.10 USD (egress rates unverified)",
    ]
    assert "westeurope       28.05    1.88        18" in lines
    assert "swedencentral     0.43    0.17         1" in lines
    assert "... and" not in result.out


@pytest.mark.parametrize("by", list(BY))
def test_every_grouping_adds_up_in_every_format(by: str) -> None:
    document = run("cost", "--by", by, "--format", "json").json()
    check_schema(document, "cost")
    groups = document["groupings"][by]
    assert sum(Decimal(g["monthly_storage"]) for g in groups) == Decimal(
        document["monthly_storage"]
    )
    assert sum(Decimal(g["one_time_egress"]) for g in groups) == Decimal(
        document["one_time_egress"]
    )
    assert sum(g["lines"] for g in groups) == document["lines"] == 24
    table = run("cost", "--by", by, "--format", "csv").csv()
    assert list(table["key"]) == [g["key"] for g in groups]
    assert set(table["by"]) == {by}
    assert len(run("cost", "--by", by).out.splitlines()) >= len(groups) + 5


def test_retail_prices_pages_are_layered_over_the_sheet() -> None:
    base = run("cost", "--by", "region", "--format", "json").json()
    priced = run("cost", "--by", "region", "--prices", str(PRICES), "--format", "json").json()
    check_schema(priced, "cost")
    sheet = PriceSheet.from_retail_prices(json.loads(PRICES.read_text(), parse_float=Decimal))
    expected = estimate_cost(sample_inventory(), sheet.with_fallback())
    assert Decimal(priced["monthly_storage"]) == expected.monthly_storage
    assert base["price_notes"] == []
    assert any("read from 3 Retail Prices API page" in n for n in priced["price_notes"])
    assert "Prices:" in run("cost", "--prices", str(PRICES)).out


def test_measured_used_sizes_from_json_or_csv(tmp_path: Path) -> None:
    inventory = sample_inventory()
    version = next(inventory.versions())
    as_json = write(tmp_path / "used.json", {str(version.id).upper(): 2.5})
    as_csv = tmp_path / "used.csv"
    as_csv.write_text(f"version_id,used_gb\n{version.id},2.5\n")
    expected = estimate_cost(inventory, used_gb={str(version.id): Decimal("2.5")})
    for path in (as_json, str(as_csv)):
        document = run("cost", "--used-sizes", path, "--format", "json").json()
        assert Decimal(document["monthly_storage"]) == expected.monthly_storage
    listed = write(tmp_path / "listed.json", [{"id": str(version.id), "used_gb": 2.5}])
    assert run("cost", "--used-sizes", listed, "--format", "json").json() == document


def test_bad_used_sizes_and_prices_name_the_file(tmp_path: Path) -> None:
    unknown = write(tmp_path / "unknown.json", {"/subscriptions/0/resourceGroups/rg": 1})
    one_line_error(run("cost", "--used-sizes", unknown), "unknown.json", "not an image version")
    version = str(next(sample_inventory().versions()).id)
    negative = write(tmp_path / "negative.json", {version: -1})
    one_line_error(run("cost", "--used-sizes", negative), "negative.json", "non-negative")
    text = write(tmp_path / "text.json", {version: True})
    one_line_error(run("cost", "--used-sizes", text), "text.json", "a number of GB")
    csv = tmp_path / "bad.csv"
    csv.write_text("id,size\n")
    one_line_error(run("cost", "--used-sizes", str(csv)), "bad.csv", "version_id and used_gb")
    pages = write(tmp_path / "pages.json", {"Count": 0})
    one_line_error(run("cost", "--prices", pages), "pages.json", "not a Retail Prices API page")
    one_line_error(run("cost", "--top", "0"), "--top")


def test_a_recorded_export_and_an_empty_one(tmp_path: Path, exports: dict[str, Path]) -> None:
    export = exports["image_version_end_of_life_date"]
    document = run("cost", "-i", str(export), "--by", "version", "--format", "json").json()
    check_schema(document, "cost")
    expected = estimate_cost(
        load_arm(json.loads(export.read_text())), PriceSheet.default().with_fallback()
    )
    assert Decimal(document["monthly_storage"]) == expected.monthly_storage
    assert document["versions"] == 1
    empty = write(tmp_path / "empty.json", [])
    assert (
        run("cost", "-i", empty).out
        == "Gallery replica costs: no image versions, nothing to price.\n"
    )
    check_schema(run("cost", "-i", empty, "--format", "json").json(), "cost")


def test_top_cuts_only_the_text() -> None:
    lines = run("cost", "--by", "region", "--top", "2").out.splitlines()
    assert "  ... and 2 more (--top)" in lines
    assert (
        len(
            run("cost", "--by", "region", "--top", "2", "--format", "json").json()["groupings"][
                "region"
            ]
        )
        == 4
    )
