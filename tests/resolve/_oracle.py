"""Obviously-correct, slow reference answers, written independently of the fast resolvers.

Each rule is applied literally, version by version, through the entity helpers; then the
maximum is taken. No index, no caching, no early exit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from imagegallery import (
    DataDiskImage,
    ImageDefinition,
    ImageIdentifier,
    ImageVersion,
    OsDiskImage,
    PublishingProfile,
    RegionalReplicationStatus,
    ReplicationState,
    ReplicationStatus,
    ResourceId,
    StorageProfile,
    TargetRegion,
    normalize_region,
)


def regions_of(version: ImageVersion) -> tuple[str, ...]:
    """Target regions; a version listing none lives in its source region."""
    if version.publishing_profile.target_regions:
        return tuple(t.name for t in version.publishing_profile.target_regions)
    return (version.location,)


def eligible_in(version: ImageVersion, region: str, require_replicated: bool) -> bool:
    if region not in regions_of(version):
        return False
    if version.excluded_from_latest_in(region):
        return False
    if require_replicated:
        state = version.replication_state_in(region)
        if state is not None and state != ReplicationState.COMPLETED:
            return False
    return True


def is_eligible(
    definition: ImageDefinition,
    version: ImageVersion,
    *,
    region: str | None,
    at: datetime,
    spec: str | SpecifierSet | None = None,
    end_of_life: str = "skip",
    require_replicated: bool = True,
) -> bool:
    if spec is not None:
        wanted = SpecifierSet(spec) if isinstance(spec, str) else spec
        name = version.name
        if Version(f"{name.major}.{name.minor}.{name.patch}") not in wanted:
            return False
    if region is None:
        if not any(eligible_in(version, r, require_replicated) for r in regions_of(version)):
            return False
    elif not eligible_in(version, normalize_region(region), require_replicated):
        return False
    if end_of_life == "skip":
        if definition.end_of_life_date is not None and definition.end_of_life_date <= at:
            return False
        if version.end_of_life_date is not None and version.end_of_life_date <= at:
            return False
    return True


def eligible_versions(definition: ImageDefinition, **query: Any) -> list[ImageVersion]:
    return [v for v in definition.versions.values() if is_eligible(definition, v, **query)]


def oracle_latest(definition: ImageDefinition, **query: Any) -> ImageVersion | None:
    """The eligible version with the greatest (major, minor, patch)."""
    return max(
        eligible_versions(definition, **query),
        key=lambda v: (v.name.major, v.name.minor, v.name.patch),
        default=None,
    )


def oracle_recent(definition: ImageDefinition, **query: Any) -> ImageVersion | None:
    """The eligible version published last (undated last; ties: higher version)."""

    def order(v: ImageVersion) -> tuple[Any, ...]:
        dated = v.published_date is not None
        return (dated, v.published_date.timestamp() if v.published_date else 0, v.name.key)

    return max(eligible_versions(definition, **query), key=order, default=None)


# -- builders for example tests ----------------------------------------------------------------

GALLERY = ResourceId.for_gallery("0000", "rg", "gallery")
DEFINITION_ID = GALLERY.child("images", "image")


def version(
    name: str,
    regions: dict[str, bool | None] | None = None,
    *,
    exclude: bool = False,
    states: dict[str, str] | None = None,
    published: str | None = None,
    end_of_life: str | None = None,
    location: str | None = None,
    definition_id: ResourceId = DEFINITION_ID,
) -> ImageVersion:
    """A version; ``regions`` maps region → regional exclude flag (tri-state)."""
    regions = {"westeurope": None} if regions is None else regions
    targets = tuple(TargetRegion(name=r, exclude_from_latest=flag) for r, flag in regions.items())
    summary = tuple(RegionalReplicationStatus(region=r, state=s) for r, s in (states or {}).items())
    return ImageVersion(
        id=definition_id.child("versions", name),
        location=location or (next(iter(regions)) if regions else "westeurope"),
        publishing_profile=PublishingProfile(
            target_regions=targets or None,
            exclude_from_latest=exclude,
            published_date=published,
            end_of_life_date=end_of_life,
        ),
        storage_profile=StorageProfile(
            os_disk_image=OsDiskImage(size_gb=30),
            data_disk_images=(DataDiskImage(lun=0, size_gb=8),),
        ),
        replication_status=ReplicationStatus(summary=summary) if summary else None,
    )


def definition(
    *versions: ImageVersion,
    end_of_life: str | None = None,
    definition_id: ResourceId = DEFINITION_ID,
) -> ImageDefinition:
    return ImageDefinition(
        id=definition_id,
        location="westeurope",
        os_type="Linux",
        os_state="Generalized",
        identifier=ImageIdentifier(publisher="p", offer="o", sku="s"),
        end_of_life_date=end_of_life,
        versions=versions,
    )
