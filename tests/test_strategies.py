"""The public Hypothesis strategies: valid values, honoured knobs, registered types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from imagegallery import (
    Gallery,
    ImageDefinition,
    ImageVersion,
    ImageVersionName,
    Inventory,
    ReplicationState,
    ResourceId,
    SharingPermission,
    TargetRegion,
    load_arm,
)
from imagegallery.strategies import (
    REGIONS,
    galleries,
    image_definitions,
    image_versions,
    inventories,
    target_regions,
    version_names,
)
from imagegallery.version_name import MAX_VERSION_PART

_T = TypeVar("_T")


def draw_many(strategy: st.SearchStrategy[_T], count: int = 100) -> list[_T]:
    """Draw ``count`` values with a fixed seed (so that coverage checks are deterministic)."""
    drawn: list[_T] = []

    @settings(max_examples=count, derandomize=True, database=None)
    @given(strategy)
    def collect(value: _T) -> None:
        drawn.append(value)

    collect()
    return drawn


def check_version(version: ImageVersion) -> None:
    assert version.location in version.region_names
    assert len(set(version.region_names)) == len(version.region_names)
    for disk in version.storage_profile.disks:
        assert disk.used_gb is None or disk.size_gb is None or 0 <= disk.used_gb <= disk.size_gb
    status = version.replication_status
    if status is not None:
        assert status.summary
        for entry in status.summary:
            assert entry.region in version.region_names
            assert entry.state is not None
            if entry.state is ReplicationState.COMPLETED:
                assert entry.progress == 100


def check_definition(definition: ImageDefinition) -> None:
    assert definition.identifier is not None
    assert not definition.implied
    for version in definition.versions.values():
        assert version.definition_id == definition.id
        check_version(version)


def check_gallery(gallery: Gallery) -> None:
    assert not gallery.implied
    names = [d.name.lower() for d in gallery.definitions.values()]
    assert len(set(names)) == len(names)
    for definition in gallery.definitions.values():
        assert definition.gallery_id == gallery.id
        check_definition(definition)
    if gallery.unique_name is not None:
        assert gallery.unique_name == f"{gallery.subscription_id}-{gallery.name.upper()}"


# -- drawn values are valid --------------------------------------------------------------------


@given(version_names())
def test_version_names_round_trip(name: ImageVersionName) -> None:
    assert ImageVersionName.parse(str(name)) == name
    assert all(0 <= part <= MAX_VERSION_PART for part in name.key)


@given(target_regions())
def test_target_regions(region: TargetRegion) -> None:
    assert region.name in REGIONS
    assert region.regional_replica_count is None or 1 <= region.regional_replica_count <= 5


@given(image_versions())
def test_image_versions(version: ImageVersion) -> None:
    check_version(version)


@given(image_definitions())
def test_image_definitions(definition: ImageDefinition) -> None:
    check_definition(definition)
    assert 0 <= len(definition.versions) <= 6


@given(galleries())
def test_galleries(gallery: Gallery) -> None:
    check_gallery(gallery)
    assert len(gallery.definitions) <= 3
    profile = gallery.sharing_profile
    if profile is not None and profile.permissions is SharingPermission.COMMUNITY:
        assert profile.community_gallery_info is not None
        assert profile.community_gallery_info.public_names


@given(inventories())
def test_inventories(inventory: Inventory) -> None:
    keys = [(g.subscription_id.lower(), g.name.lower()) for g in inventory.galleries()]
    assert len(set(keys)) == len(keys)
    for gallery in inventory.galleries():
        check_gallery(gallery)


# -- knobs -------------------------------------------------------------------------------------


@given(
    image_definitions(
        min_versions=2,
        max_versions=3,
        regions=st.sampled_from(["eastus", "westus2"]),
        max_regions=1,
        exclude_from_latest=st.just(False),
        regional_exclude_from_latest=st.none(),
        replication_states=st.none(),
        published_dates=st.none(),
        end_of_life_dates=st.none(),
        definition_end_of_life_dates=st.none(),
    )
)
def test_definition_knobs(definition: ImageDefinition) -> None:
    assert 2 <= len(definition.versions) <= 3
    assert definition.location in ("eastus", "westus2")
    assert definition.end_of_life_date is None
    for version in definition.versions.values():
        assert len(version.region_names) == 1
        assert version.region_names[0] in ("eastus", "westus2")
        assert not version.exclude_from_latest
        assert all(t.exclude_from_latest is None for t in version.target_regions)
        assert version.replication_status is None
        assert version.published_date is None
        assert version.end_of_life_date is None


def test_ids_can_be_given() -> None:
    gallery_id = ResourceId.for_gallery("0000", "rg", "g1")
    definition_id = gallery_id.child("images", "img")
    for version in draw_many(image_versions(definition_ids=st.just(definition_id)), 10):
        assert version.definition_id == definition_id
    for definition in draw_many(image_definitions(definition_ids=st.just(definition_id)), 10):
        assert definition.id == definition_id
    for gallery in draw_many(galleries(gallery_ids=st.just(gallery_id)), 10):
        assert gallery.id == gallery_id
    for inventory in draw_many(inventories(subscriptions=st.just("0000"), min_galleries=1), 10):
        assert inventory.subscriptions() == ("0000",)


def test_version_names_max_part() -> None:
    assert all(max(n.key) <= 3 for n in draw_many(version_names(max_part=3)))


@given(galleries(min_definitions=3, max_definitions=3, min_versions=1, max_versions=1))
def test_gallery_sizes(gallery: Gallery) -> None:
    assert len(gallery.definitions) == 3
    assert all(len(d.versions) == 1 for d in gallery.definitions.values())


@given(inventories(min_galleries=3, max_galleries=3, subscriptions=st.just("0000")))
def test_gallery_names_unique_within_a_subscription(inventory: Inventory) -> None:
    assert len(list(inventory.galleries())) == 3


# -- coverage of what matters ------------------------------------------------------------------


def test_definitions_exercise_the_resolution_rules() -> None:
    seen: set[str] = set()
    for definition in draw_many(image_definitions(min_versions=2), 200):
        names = [str(v.name) for v in definition.versions.values()]
        if sorted(names) != sorted(names, key=ImageVersionName.parse):
            seen.add("string order differs from numeric order")
        if definition.end_of_life_date is not None:
            seen.add("definition end of life")
        for version in definition.versions.values():
            flags = {t.exclude_from_latest for t in version.target_regions}
            seen.update(f"regional flag {flag}" for flag in flags)
            if version.exclude_from_latest:
                seen.add("version flag")
            if version.replication_status is None:
                seen.add("no replication status")
            else:
                seen.update(f"state {e.state}" for e in version.replication_status.summary or ())
            if version.end_of_life_date is not None:
                seen.add("version end of life")
            if version.published_date is None:
                seen.add("undated")
            if len(version.region_names) > 1:
                seen.add("several regions")
    assert seen >= {
        "string order differs from numeric order",
        "definition end of life",
        "regional flag None",
        "regional flag True",
        "regional flag False",
        "version flag",
        "no replication status",
        "state Completed",
        "state Replicating",
        "state Failed",
        "version end of life",
        "undated",
        "several regions",
    }


def test_largest_part_is_reachable() -> None:
    assert any(MAX_VERSION_PART in name.key for name in draw_many(version_names(), 300))


# -- argument validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: version_names(max_part=-1),
        lambda: version_names(max_part=MAX_VERSION_PART + 1),
        lambda: target_regions(regions=["eastus"]),  # type: ignore[arg-type]
        lambda: image_versions(max_regions=0),
        lambda: image_versions(exclude_from_latest=True),  # type: ignore[arg-type]
        lambda: image_definitions(min_versions=3, max_versions=2),
        lambda: image_definitions(min_versions=-1),
        lambda: image_definitions(definition_end_of_life_dates="2025-01-01"),  # type: ignore[arg-type]
        lambda: galleries(max_definitions=1.5),  # type: ignore[arg-type]
        lambda: inventories(min_galleries=2, max_galleries=1),
        lambda: inventories(subscriptions="0000"),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments(make: Callable[[], st.SearchStrategy[Any]]) -> None:
    with pytest.raises(InvalidArgument):
        draw_many(make(), 1)


# -- registration ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cls", "check"),
    [
        (ImageVersionName, lambda v: str(v).count(".") == 2),
        (TargetRegion, lambda v: v.name in REGIONS),
        (ImageVersion, lambda v: v.location in v.region_names),
        (ImageDefinition, lambda v: v.identifier is not None),
        (Gallery, lambda v: not v.implied),
        (Inventory, lambda v: load_arm(v.to_arm()) == v),
    ],
)
def test_from_type(cls: type[Any], check: Callable[[Any], bool]) -> None:
    values = draw_many(st.from_type(cls), 5)
    assert all(isinstance(v, cls) and check(v) for v in values)


def test_strategies_have_readable_reprs() -> None:
    assert repr(image_definitions(min_versions=1)) == "image_definitions(min_versions=1)"
    assert repr(inventories()) == "inventories()"
