"""Hypothesis strategies for cost and planning tests: versions with every pricing knob."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
from hypothesis import strategies as st

from imagegallery import (
    AdditionalReplicaSet,
    DataDiskImage,
    ImageDefinition,
    ImageVersion,
    ImageVersionName,
    OsDiskImage,
    PublishingProfile,
    SafetyProfile,
    StorageProfile,
    TargetRegion,
)
from imagegallery.costs import PriceSheet
from tests.costs import _build as b

PRICED = PriceSheet.default().regions
TYPES = ("Standard_LRS", "Standard_ZRS", "Premium_LRS")
MOMENTS = (
    datetime(2024, 1, 1, tzinfo=UTC),
    datetime(2025, 3, 1, tzinfo=UTC),
    datetime(2026, 1, 1, tzinfo=UTC),
)
"""End-of-life dates drawn from (the tests ask at 2025-03-01)."""


def _used(size: int) -> st.SearchStrategy[float | int | None]:
    return st.none() | st.integers(0, size) | st.floats(0, size, allow_nan=False)


@st.composite
def versions(
    draw: st.DrawFn, name: str = "1.0.0", image: str = "app", lifecycle: bool = False
) -> ImageVersion:
    """A version in priced regions; with ``lifecycle``, also exclusions, end of life and
    safety flags."""
    regions = draw(st.lists(st.sampled_from(PRICED), min_size=0, max_size=4, unique=True))
    source = draw(st.sampled_from(regions)) if regions else draw(st.sampled_from(PRICED))
    targets = []
    for region in regions:
        extras = draw(
            st.lists(
                st.builds(
                    AdditionalReplicaSet,
                    storage_account_type=st.sampled_from(TYPES),
                    regional_replica_count=st.none() | st.integers(1, 3),
                ),
                max_size=1,
            )
            if draw(st.integers(0, 9)) == 0
            else st.just([])
        )
        targets.append(
            TargetRegion(
                name=region,
                regional_replica_count=draw(st.none() | st.integers(1, 6)),
                storage_account_type=draw(st.none() | st.sampled_from(TYPES)),
                additional_replica_sets=extras or None,
                exclude_from_latest=draw(st.none() | st.booleans()) if lifecycle else None,
            )
        )
    os_size = draw(st.integers(1, 2048))
    data = [
        DataDiskImage(lun=lun, size_gb=size, used_gb=draw(_used(size)))
        for lun, size in enumerate(draw(st.lists(st.integers(1, 4096), max_size=2)))
    ]
    return ImageVersion(
        id=f"{b.definition_id(image)}/versions/{name}",
        location=source,
        publishing_profile=PublishingProfile(
            target_regions=targets or None,
            replica_count=draw(st.none() | st.integers(1, 4)),
            storage_account_type=draw(st.none() | st.sampled_from(TYPES)),
            replication_mode=draw(st.sampled_from([None, None, None, "Full", "Shallow"])),
            exclude_from_latest=draw(st.booleans()) if lifecycle else False,
            end_of_life_date=draw(st.none() | st.sampled_from(MOMENTS)) if lifecycle else None,
        ),
        safety_profile=draw(
            st.none()
            | st.builds(
                SafetyProfile,
                allow_deletion_of_replicated_locations=st.none() | st.booleans(),
                block_deletion_before_end_of_life=st.none() | st.booleans(),
            )
        )
        if lifecycle
        else None,
        storage_profile=StorageProfile(
            os_disk_image=OsDiskImage(size_gb=os_size, used_gb=draw(_used(os_size))),
            data_disk_images=data or None,
        ),
    )


@st.composite
def version_lists(draw: st.DrawFn, max_size: int = 6) -> list[ImageVersion]:
    """Versions of up to three definitions."""
    count = draw(st.integers(0, max_size))
    return [draw(versions(name=f"1.0.{i}", image=f"img{i % 3}")) for i in range(count)]


@st.composite
def definitions(draw: st.DrawFn, max_versions: int = 6) -> ImageDefinition:
    """One definition whose versions have every lifecycle knob (names drawn, so 1.0.9 and
    1.0.10 meet)."""
    names = draw(
        st.lists(
            st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 12)),
            max_size=max_versions,
            unique=True,
        )
    )
    return b.definition([draw(versions(name=".".join(map(str, n)), lifecycle=True)) for n in names])


@st.composite
def shared_layouts(draw: st.DrawFn, max_size: int = 8) -> list[ImageVersion]:
    """Versions many of which share a layout (the same regions, counts, types and mode) and
    often a size too: copies of a few drawn versions under other names, some with another
    measured size, in a drawn order."""
    originals = draw(version_lists(max_size=3))
    if not originals:
        return []
    count = draw(st.integers(0, max_size))
    out = list(originals)
    for i in range(count):
        version = originals[draw(st.integers(0, len(originals) - 1))]
        storage = version.storage_profile
        if draw(st.booleans()):
            assert storage.os_disk_image is not None
            os_disk = attrs.evolve(
                storage.os_disk_image,
                size_gb=8,
                used_gb=draw(st.sampled_from([None, 0.0, 1, 1.0, 2.5, 7.25])),
            )
            storage = attrs.evolve(storage, os_disk_image=os_disk)
        out.append(
            attrs.evolve(
                version,
                id=f"{b.definition_id(f'copy{i % 2}')}/versions/2.0.{i}",
                name=ImageVersionName.parse(f"2.0.{i}"),
                storage_profile=storage,
            )
        )
    return draw(st.permutations(out))
