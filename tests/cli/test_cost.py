"""The command line's cost summary."""

from __future__ import annotations

from imagegallery import Inventory, sample_inventory
from imagegallery.cli._cost import render_cost_report
from tests.costs import _build as b


def test_sample_summary_is_deterministic_and_short() -> None:
    text = render_cost_report(sample_inventory())
    assert text == render_cost_report(sample_inventory())
    lines = text.splitlines()
    assert len(lines) <= 30
    assert lines[0] == (
        "Gallery replica costs: 13 versions, 24 region lines (USD, prices as of 2026-07-14)"
    )
    assert lines[1] == "Monthly snapshot storage:  39.91 USD"
    assert lines[2] == "One-time egress of first copies:  6.10 USD (egress rates unverified)"
    assert "  westeurope                                      28.05       1.88" in lines
    assert any(line.startswith("  Premium_LRS") for line in lines)


def test_large_inventories_stay_under_thirty_lines() -> None:
    regions = [
        "northeurope",
        "eastus",
        "southeastasia",
        "japaneast",
        "uksouth",
        "brazilsouth",
        "australiaeast",
        "norwayeast",
    ]
    galleries = []
    for g in range(8):
        gid = b.gallery_id(f"g{g}", sub=f"0000000{g % 3}-0000-0000-0000-000000000000")
        versions = [
            b.version(
                f"1.0.{i}",
                gallery=gid,
                regions=["westeurope", regions[(g + i) % 8]],
                os_disk=(30, None if i % 2 else 5.5),
            )
            for i in range(3)
        ]
        galleries.append(b.gallery([b.definition(versions, gallery=gid)], gid=gid))
    text = render_cost_report(Inventory(galleries))
    lines = text.splitlines()
    assert len(lines) <= 30
    assert "  ... and 3 more" in lines  # galleries
    assert "  ... and 4 more" in lines  # regions
    # norwayeast has no default price: estimated (fallback), marked and noted.
    assert "  - 3 line(s) use a fallback price estimate" in lines
    assert "* includes estimates (unmeasured used size or an unpriced region)" in lines


def test_an_empty_inventory() -> None:
    assert render_cost_report(Inventory()) == (
        "Gallery replica costs: no image versions, nothing to price."
    )
