"""Pairs of inventories for the review's property tests: an inventory and a changed copy.

The changes are what galleries see every week: versions published, deleted, excluded from latest
(by the version flag or in one region), re-replicated (regions added or dropped, replica counts,
replication states), end-of-life dates set or moved, tags edited; definitions and galleries added
and removed; and now and then an unrelated inventory altogether.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
from hypothesis import strategies as st

from imagegallery import (
    Gallery,
    ImageDefinition,
    ImageVersion,
    Inventory,
    RegionalReplicationStatus,
    ReplicationState,
    ReplicationStatus,
    TargetRegion,
    put,
    remove,
)
from imagegallery.strategies import galleries, image_versions, inventories, version_names

REGIONS = ("westeurope", "eastus", "northeurope", "swedencentral")
MOMENTS = st.integers(0, 365 * 8).map(
    lambda d: datetime(2022, 1, 1, tzinfo=UTC) + timedelta(days=d)
)
AT = datetime(2025, 6, 1, tzinfo=UTC)

base_inventories = inventories(
    max_galleries=2,
    max_definitions=3,
    max_versions=5,
    regions=st.sampled_from(REGIONS),
    max_regions=3,
    published_dates=st.none() | MOMENTS,
    end_of_life_dates=st.none() | MOMENTS,
    definition_end_of_life_dates=st.none() | MOMENTS,
)


@st.composite
def _changed_regions(draw: st.DrawFn, version: ImageVersion) -> tuple[TargetRegion, ...]:
    regions = list(version.target_regions)
    changed: list[TargetRegion] = []
    for region in regions:
        action = draw(st.sampled_from(["keep", "keep", "drop", "replicas", "exclude"]))
        if action == "drop" and region.name != version.location:
            continue
        kept = region
        if action == "replicas":
            kept = attrs.evolve(region, regional_replica_count=draw(st.none() | st.integers(1, 4)))
        elif action == "exclude":
            kept = attrs.evolve(region, exclude_from_latest=draw(st.none() | st.booleans()))
        changed.append(kept)
    taken = {r.name for r in changed}
    for name in draw(st.lists(st.sampled_from(REGIONS), max_size=2, unique=True)):
        if name not in taken:
            changed.append(
                TargetRegion(name=name, exclude_from_latest=draw(st.none() | st.booleans()))
            )
    if draw(st.booleans()):
        changed = draw(st.permutations(changed))
    return tuple(changed)


@st.composite
def _changed_version(draw: st.DrawFn, version: ImageVersion) -> ImageVersion:
    changes: dict[str, Any] = {}
    profile = version.publishing_profile
    for part in draw(
        st.lists(
            st.sampled_from(["flag", "regions", "eol", "tags", "status", "replicas"]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    ):
        if part == "flag":
            profile = attrs.evolve(profile, exclude_from_latest=not profile.exclude_from_latest)
        elif part == "regions" and profile.target_regions:
            profile = attrs.evolve(profile, target_regions=draw(_changed_regions(version)))
        elif part == "eol":
            profile = attrs.evolve(profile, end_of_life_date=draw(st.none() | MOMENTS))
        elif part == "replicas":
            profile = attrs.evolve(profile, replica_count=draw(st.none() | st.integers(1, 3)))
        elif part == "tags":
            changes["tags"] = draw(
                st.none()
                | st.dictionaries(
                    st.sampled_from(["env", "build", "owner"]),
                    st.text("abc", max_size=3),
                    max_size=2,
                )
            )
        elif part == "status":
            names = [r.name for r in (profile.target_regions or ())]
            summary = tuple(
                RegionalReplicationStatus(
                    region=name, state=draw(st.sampled_from(ReplicationState))
                )
                for name in names
            )
            changes["replication_status"] = draw(
                st.none() | st.just(ReplicationStatus(summary=summary) if summary else None)
            )
    return attrs.evolve(version, publishing_profile=profile, **changes)


def _absent_from(taken: frozenset[Any]) -> Any:
    return lambda name: name not in taken


@st.composite
def changed_copies(draw: st.DrawFn, inventory: Inventory) -> Inventory:
    """``inventory`` with a drawn set of changes applied."""
    result = inventory
    for version in list(inventory.versions()):
        action = draw(st.sampled_from(["keep", "keep", "keep", "remove", "change"]))
        if action == "remove":
            result = remove(result, version.id)
        elif action == "change":
            result = put(result, draw(_changed_version(version)))
    for definition in list(result.definitions()):
        action = draw(st.sampled_from(["keep", "keep", "publish", "remove", "eol", "tags"]))
        if action == "remove":
            result = remove(result, definition.id, cascade=True)
        elif action == "publish":
            taken = frozenset(v.name for v in definition.versions.values())
            new = draw(
                image_versions(
                    definition_ids=st.just(definition.id),
                    names=version_names(max_part=12).filter(_absent_from(taken)),
                    regions=st.sampled_from(REGIONS),
                    max_regions=3,
                    published_dates=st.none() | MOMENTS,
                    end_of_life_dates=st.none() | MOMENTS,
                )
            )
            result = put(result, new)
        elif action == "eol":
            current = _definition_or_none(result, definition)
            if current is not None:
                changed = attrs.evolve(current, end_of_life_date=draw(st.none() | MOMENTS))
                result = put(result, changed)
        elif action == "tags":
            current = _definition_or_none(result, definition)
            if current is not None:
                result = put(result, attrs.evolve(current, tags={"env": draw(st.text("xyz"))}))
    for gallery in list(result.galleries()):
        action = draw(st.sampled_from(["keep", "keep", "keep", "remove", "describe"]))
        if action == "remove":
            result = result.without_gallery(gallery.id)
        elif action == "describe":
            result = result.with_gallery(attrs.evolve(gallery, description=draw(st.text("ab"))))
    if draw(st.booleans()):
        extra: Gallery = draw(
            galleries(max_definitions=2, max_versions=3, regions=st.sampled_from(REGIONS))
        )
        if result.get(extra.id) is None:
            result = result.with_gallery(extra)
    return result


def _definition_or_none(
    inventory: Inventory, definition: ImageDefinition
) -> ImageDefinition | None:
    found = inventory.get(definition.id)
    return found if isinstance(found, ImageDefinition) else None


@st.composite
def inventory_pairs(draw: st.DrawFn) -> tuple[Inventory, Inventory]:
    """``(old, new)``: mostly an inventory and a changed copy, sometimes unrelated ones."""
    old = draw(base_inventories)
    if draw(st.integers(0, 9)) == 0:
        return old, draw(base_inventories)
    return old, draw(changed_copies(old))
