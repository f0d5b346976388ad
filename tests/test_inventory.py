"""The inventory as a table: rows per target region, version, definition and gallery."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from hypothesis import given

from imagegallery import InvalidFieldError, Inventory, sample_inventory
from imagegallery.strategies import inventories


def region_rows_oracle(inventory: Inventory) -> list[dict[str, Any]]:
    """One row per version and target region, read through the public look-ups."""
    rows = []
    for gallery in inventory.galleries():
        for definition in gallery.definitions.values():
            for version in definition.versions.values():
                for region in version.region_names or (None,):
                    rid = version.id
                    rows.append(
                        {
                            "subscription_id": rid.subscription_id,
                            "resource_group": rid.resource_group,
                            "gallery": gallery.name,
                            "definition": definition.name,
                            "version": str(version.name),
                            "version_id": str(rid),
                            "region": region,
                            "source_region": version.location,
                            "replicas": 0 if region is None else version.replicas_in(region),
                            "excluded_from_latest": (
                                version.exclude_from_latest
                                if region is None
                                else version.excluded_from_latest_in(region)
                            ),
                            "exclude_from_latest": version.exclude_from_latest,
                            "published_date": version.published_date,
                            "end_of_life_date": version.end_of_life_date,
                            "provisioned_gb": version.storage_profile.provisioned_gb,
                        }
                    )
    return rows


@given(inventories(max_galleries=2, max_definitions=2, max_versions=3))
def test_region_rows_match_a_loop_over_the_public_look_ups(inventory: Inventory) -> None:
    rows = inventory.to_records()
    oracle = region_rows_oracle(inventory)
    assert [
        {k: row[k] for k in oracle_row} for row, oracle_row in zip(rows, oracle, strict=True)
    ] == oracle
    columns = inventory.to_columns()
    assert all(len(values) == len(rows) for values in columns.values())
    assert [
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ] == rows


@given(inventories(max_galleries=2, max_definitions=2, max_versions=3))
def test_coarser_levels_count_what_they_hold(inventory: Inventory) -> None:
    versions = inventory.to_records("versions")
    definitions = inventory.to_records("definitions")
    galleries = inventory.to_records("galleries")
    assert [r["version_id"] for r in versions] == [str(v.id) for v in inventory.versions()]
    assert [r["definition_id"] for r in definitions] == [str(d.id) for d in inventory.definitions()]
    assert [r["gallery_id"] for r in galleries] == [str(g.id) for g in inventory.galleries()]
    region_rows = inventory.to_records()
    total = sum(r["replicas"] for r in region_rows)
    assert sum(r["replicas"] for r in versions) == total
    assert sum(r["replicas"] for r in definitions) == total
    assert sum(r["replicas"] for r in galleries) == total
    assert sum(r["versions"] for r in galleries) == len(versions) == len(inventory)
    assert sum(r["definitions"] for r in galleries) == len(definitions)
    assert sum(r["region_count"] for r in versions) == sum(1 for r in region_rows if r["region"])


def test_sample_rows() -> None:
    inv = sample_inventory()
    rows = inv.to_records()
    assert len(rows) == sum(max(1, len(v.region_names)) for v in inv.versions()) == 24
    eastus = next(r for r in rows if r["version"] == "1.0.10" and r["region"] == "eastus")
    assert eastus["replication_state"] == "Replicating"
    assert (eastus["replicas"], eastus["storage_type"]) == (2, "Premium_LRS")
    overridden = next(r for r in rows if r["version"] == "1.1.0" and r["region"] == "northeurope")
    assert overridden["exclude_from_latest"] and not overridden["excluded_from_latest"]
    definition = inv.to_records("definitions")[1]
    assert (definition["definition"], definition["highest_version"]) == ("myImage2", "2.1.0")
    assert definition["end_of_life_date"].year == 2030
    assert (definition["publisher"], definition["os_type"]) == ("Contoso", "Windows")
    gallery = inv.to_records("galleries")[2]
    assert (gallery["gallery"], gallery["sharing"], gallery["versions"]) == (
        "sharedGallery",
        "Groups",
        4,
    )


def test_a_version_without_target_regions_keeps_one_row() -> None:
    from imagegallery import load_arm

    base = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i"
    inv = load_arm(
        [
            {
                "id": f"{base}/versions/1.0.0",
                "type": "Microsoft.Compute/galleries/images/versions",
                "location": "westeurope",
                "properties": {"storageProfile": {}},
            }
        ]
    )
    (row,) = inv.to_records()
    assert (row["region"], row["replicas"], row["source_region"]) == (None, 0, "westeurope")


def test_unknown_level_and_empty_inventory() -> None:
    with pytest.raises(InvalidFieldError, match="level"):
        sample_inventory().to_records("tenants")  # type: ignore[arg-type]
    empty = Inventory()
    levels: tuple[Literal["regions", "versions", "definitions", "galleries"], ...] = (
        "regions",
        "versions",
        "definitions",
        "galleries",
    )
    for level in levels:
        columns = empty.to_columns(level)
        assert columns and all(values == [] for values in columns.values())
        assert empty.to_records(level) == []
