"""The command line's "latest" report."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from imagegallery import Gallery, InvalidTypeError, Inventory, NaiveDatetimeError, sample_inventory
from imagegallery.cli._latest import render_latest_report
from tests.resolve._oracle import GALLERY, definition, version

AT = datetime(2025, 7, 1, tzinfo=UTC)


def test_sample_report_after_an_end_of_life() -> None:
    report = render_latest_report(sample_inventory(), at=AT)
    lines = report.splitlines()
    assert (
        lines[0] == "Latest image versions at 2025-07-01 (end of life: skip; replication required)"
    )
    assert lines[1] == ""
    block = lines[lines.index("  myImage1  Contoso/Finance/Backend") + 1 :][:4]
    assert block == [
        "    eastus         1.0.9",
        "    northeurope    1.1.0",
        "    swedencentral  none: 1.1.0 excluded from latest in swedencentral (version flag);"
        " 3 other versions not replicated to swedencentral",
        "    westeurope     1.0.10",
    ]
    assert not report.endswith("\n")


def test_report_is_deterministic() -> None:
    assert render_latest_report(sample_inventory(), at=AT) == render_latest_report(
        sample_inventory(), at=AT
    )


def test_reason_when_there_is_none() -> None:
    d = definition(
        version("1.0.0", {"westeurope": None, "eastus": None}, end_of_life="2025-01-01T00:00:00Z"),
        version("1.0.1", {"westeurope": None, "eastus": True}),
        version("1.0.2", {"westeurope": None, "eastus": None}, states={"eastus": "Failed"}),
        version("1.0.3", {"westeurope": None, "eastus": None}, exclude=True),
        version("1.0.4", {"westeurope": None}),
    )
    inventory = Inventory([Gallery(id=GALLERY, location="westeurope", definitions=[d])])
    lines = render_latest_report(inventory, at=AT).splitlines()
    assert lines[2] == "gallery  (0000/rg)"
    assert lines[3] == "  image  p/o/s"
    assert lines[4] == (
        "    eastus      none: 1.0.3 excluded from latest in eastus (version flag);"
        " 1.0.2 replication to eastus is Failed;"
        " 1.0.1 excluded from latest in eastus (regional flag); +1 more;"
        " 1 other version not replicated to eastus"
    )
    assert lines[5] == "    westeurope  1.0.4"


def test_allow_end_of_life() -> None:
    d = definition(version("1.0.0", end_of_life="2025-01-01T00:00:00Z"))
    inventory = Inventory([Gallery(id=GALLERY, location="westeurope", definitions=[d])])
    assert render_latest_report(inventory, at=AT).splitlines()[-1] == (
        "    westeurope  none: 1.0.0 end of life 2025-01-01"
    )
    allowed = render_latest_report(inventory, at=AT, end_of_life="allow").splitlines()
    assert allowed[0].endswith("(end of life: allow; replication required)")
    assert allowed[-1] == "    westeurope  1.0.0"


def test_empty_parts() -> None:
    empty_gallery = Gallery(id=GALLERY, location="westeurope")
    assert render_latest_report(Inventory([empty_gallery]), at=AT).splitlines()[2:] == [
        "gallery  (0000/rg)",
        "  (no image definitions)",
    ]
    no_versions = Gallery(id=GALLERY, location="westeurope", definitions=[definition()])
    assert render_latest_report(Inventory([no_versions]), at=AT).splitlines()[-1] == (
        "    (no versions)"
    )
    assert render_latest_report(Inventory(), at=AT).splitlines() == [
        "Latest image versions at 2025-07-01 (end of life: skip; replication required)",
        "",
        "(no galleries)",
    ]


def test_bad_arguments() -> None:
    with pytest.raises(NaiveDatetimeError):
        render_latest_report(sample_inventory(), at=datetime(2025, 1, 1))
    with pytest.raises(InvalidTypeError):
        render_latest_report(sample_inventory(), at=None)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        render_latest_report([], at=AT)  # type: ignore[arg-type]
