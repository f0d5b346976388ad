"""Small builders for review tests: versions, definitions, galleries, inventories."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from imagegallery import (
    Gallery,
    ImageDefinition,
    ImageIdentifier,
    ImageVersion,
    Inventory,
    OsDiskImage,
    PublishingProfile,
    RegionalReplicationStatus,
    ReplicationStatus,
    SafetyProfile,
    StorageProfile,
    TargetRegion,
)

SUB = "00000000-0000-0000-0000-000000000001"
GALLERY = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1"
AT = datetime(2025, 6, 1, tzinfo=UTC)
PAST = AT - timedelta(days=30)
FUTURE = AT + timedelta(days=365)

Region = str | tuple[str, int | None, str | None, bool | None]
"""A region name, or ``(name, replicas, storage type, regional exclude flag)``."""


def target(item: Region) -> TargetRegion:
    if isinstance(item, str):
        return TargetRegion(name=item)
    name, replicas, storage, exclude = item
    return TargetRegion(
        name=name,
        regional_replica_count=replicas,
        storage_account_type=storage,
        exclude_from_latest=exclude,
    )


def version(
    name: str = "1.0.0",
    regions: Sequence[Region] = ("westeurope",),
    *,
    image: str = "app",
    gallery: str = GALLERY,
    source: str | None = None,
    exclude: bool = False,
    states: Mapping[str, str] | None = None,
    published: datetime | None = None,
    end_of_life: datetime | None = None,
    mode: str | None = None,
    allow_region_deletion: bool | None = False,
    replica_count: int | None = None,
    used_gb: float = 10,
    **extra: Any,
) -> ImageVersion:
    targets = tuple(target(r) for r in regions)
    summary = tuple(RegionalReplicationStatus(region=r, state=s) for r, s in (states or {}).items())
    return ImageVersion(
        id=f"{gallery}/images/{image}/versions/{name}",
        location=source or targets[0].name,
        publishing_profile=PublishingProfile(
            target_regions=targets,
            replica_count=replica_count,
            exclude_from_latest=exclude,
            published_date=published,
            end_of_life_date=end_of_life,
            replication_mode=mode,
        ),
        storage_profile=StorageProfile(os_disk_image=OsDiskImage(size_gb=30, used_gb=used_gb)),
        replication_status=ReplicationStatus(summary=summary) if summary else None,
        safety_profile=None
        if allow_region_deletion is None
        else SafetyProfile(allow_deletion_of_replicated_locations=allow_region_deletion),
        **extra,
    )


def definition(
    versions: Sequence[ImageVersion] = (),
    *,
    image: str = "app",
    gallery: str = GALLERY,
    location: str = "westeurope",
    tags: Mapping[str, str] | None = None,
    end_of_life: datetime | None = None,
) -> ImageDefinition:
    return ImageDefinition(
        id=f"{gallery}/images/{image}",
        location=location,
        os_type="Linux",
        os_state="Generalized",
        identifier=ImageIdentifier(publisher="contoso", offer="apps", sku=image),
        tags=tags,
        end_of_life_date=end_of_life,
        versions=list(versions),
    )


def gallery(
    definitions: Sequence[ImageDefinition] = (),
    *,
    gid: str = GALLERY,
    location: str = "westeurope",
    tags: Mapping[str, str] | None = None,
) -> Gallery:
    return Gallery(id=gid, location=location, tags=tags, definitions=list(definitions))


def inventory(*definitions: ImageDefinition, **gallery_options: Any) -> Inventory:
    """One gallery holding ``definitions``."""
    return Inventory([gallery(definitions, **gallery_options)])


PROD = {"environment": "production"}
