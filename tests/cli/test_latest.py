"""``imagegallery latest``: the answer per definition and region, why none, explanations and
references, in every format."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from imagegallery import Inventory
from imagegallery.cli._latest import LatestSettings, latest_rows
from imagegallery.resolve import definition_regions
from imagegallery.strategies import inventories
from tests.cli._helpers import E2E_IMAGE, check_schema, one_line_error, run
from tests.resolve._oracle import oracle_latest

AT = "2025-07-01T00:00:00Z"
SAMPLE_IMAGE1 = (
    "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-images"
    "/providers/Microsoft.Compute/galleries/myGallery/images/myImage1"
)


def test_the_sample_table_says_why_none_and_exits_1() -> None:
    result = run("latest", "--at", AT)
    assert result.code == 1
    lines = result.out.splitlines()
    assert (
        lines[0] == "Latest image versions at 2025-07-01 (end of life: skip; replication required)"
    )
    assert lines[2].split() == ["GALLERY", "DEFINITION", "REGION", "LATEST"]
    rows = {tuple(line.split()[:3]): line.split(maxsplit=3)[3] for line in lines[3:]}
    assert rows["myGallery", "myImage1", "eastus"] == "1.0.9"
    assert rows["myGallery", "myImage1", "westeurope"] == "1.0.10"
    assert rows["myGallery", "myImage1", "swedencentral"] == (
        "none: 1.1.0 excluded from latest in swedencentral (version flag);"
        " 3 other versions not replicated to swedencentral"
    )
    assert rows["sharedGallery", "winBase", "westeurope"] == "2025.1.0"
    assert len(rows) == 11


def test_a_recorded_gallery_in_every_format(exports: dict[str, Path]) -> None:
    export = str(exports["gallery_e2e"])
    args = ("latest", "-i", export, "-d", "image1", "--region", "East US 2", "--at", AT)
    text = run(*args)
    assert text.code == 0
    assert text.out.splitlines()[-1].split() == ["gallery_000003", "image1", "eastus2", "1.1.3"]
    document = run(*args, "--format", "json")
    assert document.code == 0
    check_schema(document.json(), "latest")
    (row,) = document.json()["rows"]
    assert row["definition_id"] == E2E_IMAGE
    assert (row["region"], row["version"], row["reason"]) == ("eastus2", "1.1.3", None)
    assert row["version_id"] == f"{E2E_IMAGE}/versions/1.1.3"
    table = run(*args, "--format", "csv").csv()
    assert list(table["version"]) == ["1.1.3"]
    assert list(table["region"]) == ["eastus2"]


def test_explain_lists_every_candidate() -> None:
    args = ("latest", "-d", "myGallery/myImage1", "-r", "eastus", "--at", AT, "--explain")
    text = run(*args).out
    assert "latest myImage1 in eastus at 2025-07-01: 1.0.9" in text
    assert "  1.0.10  rejected  replication to eastus is Replicating" in text
    document = run(*args, "--format", "json").json()
    check_schema(document, "latest")
    candidates = document["rows"][0]["candidates"]
    assert [(c["version"], c["verdict"]) for c in candidates] == [
        ("1.1.0", "rejected"),
        ("1.0.10", "rejected"),
        ("1.0.9", "chosen"),
        ("1.0.0", "rejected"),
    ]
    assert candidates[3]["reason_kinds"] == ["not-in-region", "end-of-life"]
    table = run(*args, "--format", "csv").csv()
    assert list(table["candidate"]) == ["1.1.0", "1.0.10", "1.0.9", "1.0.0"]
    assert set(table["version"]) == {"1.0.9"}


def test_a_constraint_and_the_end_of_life_policy() -> None:
    constrained = run(
        "latest", "-d", "myImage1", "-r", "westeurope", "--spec", "<1.0.10", "--at", AT
    )
    assert constrained.out.splitlines()[-1].split()[-1] == "1.0.9"
    before_eol = "2025-06-01T00:00:00Z"
    allowed = run(
        "latest", "-d", "myImage1", "-r", "westeurope", "--spec", "<1.0.9", "--at", AT,
        "--end-of-life", "allow", "--format", "json",
    )  # fmt: skip
    assert allowed.json()["rows"][0]["version"] == "1.0.0"
    skipped = run(
        "latest", "-d", "myImage1", "-r", "westeurope", "--spec", "<1.0.9", "--at", AT,
        "--format", "json",
    )  # fmt: skip
    assert skipped.code == 1
    assert skipped.json()["rows"][0]["reason"] == (
        "1.0.0 end of life 2025-06-30; 3 other versions outside '<1.0.9'"
    )
    assert run("latest", "-d", "myImage1", "-r", "westeurope", "--spec", "<1.0.9",
               "--at", before_eol).code == 0  # fmt: skip


def test_references_pinned_latest_shared_and_community() -> None:
    shared = (
        "/SharedGalleries/22222222-2222-2222-2222-222222222222-SHAREDGALLERY"
        "/Images/winBase/Versions/latest"
    )
    community = (
        "/CommunityGalleries/Contoso-0c5f1a2b-7d3e-4c9a-9b1f-2e6d8a4c0f11"
        "/Images/devTools/Versions/3.2.0"
    )
    result = run(
        "latest", "--region", "eastus", "--at", AT, "--format", "json",
        "--reference", SAMPLE_IMAGE1,
        "--reference", f"{SAMPLE_IMAGE1}/versions/1.0.10",
        "--reference", shared,
        "--reference", community,
    )  # fmt: skip
    assert result.code == 1
    document = result.json()
    check_schema(document, "latest")
    answers = {row["reference"]: row for row in document["rows"]}
    assert answers[SAMPLE_IMAGE1]["version"] == "1.0.9"
    pinned = answers[f"{SAMPLE_IMAGE1}/versions/1.0.10"]
    assert pinned["version"] is None
    assert "replication there is Replicating" in pinned["reason"]
    assert answers[shared]["version"] == "2025.1.0"
    assert answers[shared]["definition"] == "winBase"
    assert answers[community]["version"] == "3.2.0"
    text = run("latest", "-r", "eastus", "--at", AT, "--reference", shared).out
    assert text.splitlines()[2].split() == [
        "GALLERY",
        "DEFINITION",
        "REFERENCE",
        "REGION",
        "LATEST",
    ]


def test_bad_arguments_are_one_line() -> None:
    one_line_error(run("latest", "--spec", "1.0", "--at", AT), "--spec", "'1.0'")
    one_line_error(run("latest", "-d", "noSuchImage"), "--definition", "noSuchImage")
    one_line_error(run("latest", "--reference", SAMPLE_IMAGE1), "--reference", "--region")
    one_line_error(run("latest", "-r", "east us!"), "--region", "east us!")
    one_line_error(run("latest", "-r", "eastus", "--reference", "/subscriptions/x"), "--reference")
    one_line_error(run("latest", "--end-of-life", "never"), "--end-of-life")


@settings(max_examples=30, deadline=None)
@given(
    inventory=inventories(max_galleries=2, max_definitions=2, max_versions=5),
    at=st.datetimes(
        min_value=datetime(2023, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(UTC)
    ),
)
def test_every_answer_is_the_oracle_s(inventory: Inventory, at: datetime) -> None:
    rows = list(latest_rows(inventory, LatestSettings(at=at)))
    expected: list[tuple[object, str | None]] = []
    for definition in inventory.definitions():
        regions = definition_regions(definition)
        expected += [(definition.id, region) for region in regions] or [(definition.id, None)]
    assert [(row.definition.id if row.definition else None, row.region) for row in rows] == expected
    for row in rows:
        assert row.definition is not None
        want = oracle_latest(row.definition, region=row.region, at=at) if row.region else None
        assert (row.version.id if row.version else None) == (want.id if want else None)
        assert (row.reason is None) == (row.version is not None)
