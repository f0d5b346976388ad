"""Small builders for cost and planning tests: versions, definitions, inventories."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from imagegallery import (
    DataDiskImage,
    Gallery,
    ImageDefinition,
    ImageIdentifier,
    ImageVersion,
    Inventory,
    OsDiskImage,
    PublishingProfile,
    StorageProfile,
    TargetRegion,
)

SUB = "00000000-0000-0000-0000-000000000001"
GALLERY = f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1"


def gallery_id(name: str = "g1", sub: str = SUB) -> str:
    return f"/subscriptions/{sub}/resourceGroups/rg/providers/Microsoft.Compute/galleries/{name}"


def definition_id(image: str = "app", gallery: str = GALLERY) -> str:
    return f"{gallery}/images/{image}"


def version(
    name: str = "1.0.0",
    *,
    image: str = "app",
    gallery: str = GALLERY,
    source: str = "westeurope",
    regions: Sequence[tuple[str, int | None, str | None] | str] = ("westeurope",),
    replica_count: int | None = None,
    storage_type: str | None = None,
    os_disk: tuple[int | None, float | None] | None = (30, 10),
    data_disks: Sequence[tuple[int | None, float | None]] = (),
    replication_mode: str | None = None,
    end_of_life: datetime | None = None,
    exclude_from_latest: bool = False,
    **extra: Any,
) -> ImageVersion:
    """A version; ``regions`` items are names or ``(name, replicas, storage type)``."""
    targets = []
    for item in regions:
        region, count, kind = (item, None, None) if isinstance(item, str) else item
        targets.append(
            TargetRegion(name=region, regional_replica_count=count, storage_account_type=kind)
        )
    return ImageVersion(
        id=f"{definition_id(image, gallery)}/versions/{name}",
        location=source,
        publishing_profile=PublishingProfile(
            target_regions=targets or None,
            replica_count=replica_count,
            storage_account_type=storage_type,
            replication_mode=replication_mode,
            end_of_life_date=end_of_life,
            exclude_from_latest=exclude_from_latest,
        ),
        storage_profile=StorageProfile(
            os_disk_image=None
            if os_disk is None
            else OsDiskImage(size_gb=os_disk[0], used_gb=os_disk[1]),
            data_disk_images=[
                DataDiskImage(lun=lun, size_gb=size, used_gb=used)
                for lun, (size, used) in enumerate(data_disks)
            ]
            or None,
        ),
        **extra,
    )


def definition(
    versions: Sequence[ImageVersion] = (),
    *,
    image: str = "app",
    gallery: str = GALLERY,
    sku: str | None = None,
) -> ImageDefinition:
    return ImageDefinition(
        id=definition_id(image, gallery),
        location="westeurope",
        os_type="Linux",
        os_state="Generalized",
        identifier=ImageIdentifier(publisher="contoso", offer="apps", sku=sku or image),
        versions=list(versions),
    )


def gallery(definitions: Sequence[ImageDefinition] = (), *, gid: str = GALLERY) -> Gallery:
    return Gallery(id=gid, location="westeurope", definitions=list(definitions))


def inventory(*galleries: Gallery) -> Inventory:
    return Inventory(galleries)


def worked_example() -> ImageVersion:
    """The documents' example: 127 GB OS disk holding 10 GB, an empty 32 GB data disk, three
    regions with two replicas each, Standard_LRS."""
    return version(
        source="westeurope",
        regions=("westeurope", "eastus", "southeastasia"),
        replica_count=2,
        storage_type="Standard_LRS",
        os_disk=(127, 10),
        data_disks=[(32, 0)],
    )
