"""``imagegallery inventory``: versions, definitions and galleries, with filters, in every format."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from imagegallery import ImageDefinition, ImageVersion, Inventory, ReplicationState
from imagegallery.cli._inventory import VersionFilter
from imagegallery.strategies import inventories
from tests.cli._helpers import check_schema, run

AT = "2025-07-01T00:00:00Z"


def _versions(*args: str) -> list[str]:
    document = run("inventory", "--format", "json", *args).json()
    check_schema(document, "inventory")
    return [f"{r['definition']}/{r['version']}" for r in document["rows"]]


def test_one_line_per_version_with_flags() -> None:
    result = run("inventory", "--at", AT)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == [
        "GALLERY", "DEFINITION", "VERSION", "REGIONS", "PUBLISHED", "END", "OF", "LIFE", "FLAGS",
    ]  # fmt: skip
    assert len(lines) == 14
    by_version = {" ".join(line.split()[1:3]): line for line in lines[1:]}
    assert by_version["myImage1 1.0.0"].endswith("2025-06-30   past end of life")
    assert by_version["myImage1 1.0.10"].endswith("Replicating in eastus")
    assert by_version["myImage1 1.1.0"].endswith("excluded (northeurope overrides)")
    assert by_version["myImage2 2.1.0"].endswith("excluded in eastus")
    assert all(line == line.rstrip() for line in lines)


def test_filters_combine() -> None:
    assert _versions("--past-eol", "--at", AT) == ["myImage1/1.0.0"]
    assert _versions("--past-eol", "--at", "2025-06-01") == []
    assert _versions("--excluded") == ["myImage1/1.1.0", "myImage2/2.1.0"]
    assert _versions("--excluded", "--region", "northeurope") == []
    assert _versions("--excluded", "--region", "East US") == ["myImage2/2.1.0"]
    assert _versions("--not-replicated") == ["myImage1/1.0.10"]
    assert _versions("--not-replicated", "-r", "westeurope") == []
    assert _versions("-d", "myGallery/myImage3") == ["myImage3/0.1.0", "myImage3/0.2.0"]
    assert _versions("-d", "myImage3", "-d", "devTools", "-r", "eastus") == ["devTools/3.2.0"]


def test_definitions_and_galleries_count_what_passes(exports: dict[str, Path]) -> None:
    definitions = run("inventory", "--level", "definitions", "--excluded", "--format", "json")
    check_schema(definitions.json(), "inventory")
    assert [(r["definition"], r["versions"]) for r in definitions.json()["rows"]] == [
        ("myImage1", 1),
        ("myImage2", 1),
    ]
    galleries = run("inventory", "--level", "galleries", "-i", str(exports["gallery_e2e"]))
    lines = galleries.out.splitlines()
    assert len(lines) == 3
    assert [line.split()[0] for line in lines[1:]] == ["gallery_000003", "gallery_000003"]
    assert sorted(line.split()[-1] for line in lines[1:]) == ["0", "2"]
    document = run(
        "inventory", "--level", "galleries", "-i", str(exports["gallery_e2e"]), "--format", "json"
    ).json()
    check_schema(document, "inventory")
    assert {r["resource_group"] for r in document["rows"]} == {
        "clitest.rg000001",
        "CLITEST.RGYU75MIFXKRIOPWRQSW6JFG3GD55HXYZUKXLYYFM2JX7MSE4JQK4J5WTFBUG2HISPL",
    }


def test_csv_has_one_row_per_version_and_region(exports: dict[str, Path]) -> None:
    every = [str(path) for path in exports.values()]
    table = run("inventory", *every, "--format", "csv").csv()
    versions = run("inventory", *every, "--format", "json").json()["rows"]
    assert len(table) == sum(len(v["regions"]) for v in versions)
    assert set(table.columns) >= {"version", "region", "replicas", "replication_state"}
    e2e = table[table["definition"] == "image1"]
    assert sorted(zip(e2e["version"], e2e["region"], e2e["replicas"], strict=True)) == [
        ("1.0.0", "eastus2", 1),
        ("1.1.2", "eastus2", 2),
        ("1.1.2", "westus2", 1),
        ("1.1.3", "eastus2", 1),
    ]
    for level in ("definitions", "galleries"):
        frame = run("inventory", *every, "--level", level, "--format", "csv").csv()
        assert len(frame) == len(
            run("inventory", *every, "--level", level, "--format", "json").json()["rows"]
        )


def _oracle(definition: ImageDefinition, version: ImageVersion, keep: VersionFilter) -> bool:
    own = [t.name for t in version.publishing_profile.target_regions or ()] or [version.location]
    regions = [r for r in own if not keep.regions or r in keep.regions]
    if not regions:
        return False
    if keep.past_eol:
        dates = [version.publishing_profile.end_of_life_date, definition.end_of_life_date]
        if not any(d is not None and d <= keep.at for d in dates):
            return False
    if keep.excluded:
        flags = []
        for region in regions:
            entry = (
                next(t for t in version.publishing_profile.target_regions or () if t.name == region)
                if version.publishing_profile.target_regions
                else None
            )
            regional = entry.exclude_from_latest if entry is not None else None
            flags.append(
                version.publishing_profile.exclude_from_latest if regional is None else regional
            )
        if not any(flags):
            return False
    if keep.not_replicated:
        states = (
            {s.region: s.state for s in (version.replication_status.summary or ())}
            if version.replication_status
            else {}
        )
        if not any(states.get(r) not in (None, ReplicationState.COMPLETED) for r in regions):
            return False
    return True


@settings(max_examples=40, deadline=None)
@given(
    inventory=inventories(max_galleries=2, max_definitions=2, max_versions=4),
    regions=st.lists(st.sampled_from(["westeurope", "eastus", "northeurope"]), max_size=2),
    past_eol=st.booleans(),
    excluded=st.booleans(),
    not_replicated=st.booleans(),
)
def test_the_filter_keeps_exactly_what_the_rules_say(
    inventory: Inventory, regions: list[str], past_eol: bool, excluded: bool, not_replicated: bool
) -> None:
    keep = VersionFilter(
        at=datetime(2025, 7, 1, tzinfo=UTC),
        regions=tuple(regions),
        past_eol=past_eol,
        excluded=excluded,
        not_replicated=not_replicated,
    )
    for definition in inventory.definitions():
        for version in definition.versions.values():
            assert keep.keeps(definition, version) == _oracle(definition, version, keep)
