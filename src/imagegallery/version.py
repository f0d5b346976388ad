"""Image versions (``Microsoft.Compute/galleries/images/versions``).

Example:
    >>> from imagegallery import sample_inventory
    >>> inv = sample_inventory()
    >>> v = inv["/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-images"
    ...         "/providers/Microsoft.Compute/galleries/myGallery/images/myImage1/versions/1.0.10"]
    >>> str(v.name), v.location, v.region_names
    ('1.0.10', 'westeurope', ('westeurope', 'northeurope', 'eastus'))
    >>> v.replicas_in("westeurope"), v.storage_account_type_in("westeurope").value
    (3, 'Standard_ZRS')
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar, Final

import attrs
from attrs.converters import optional

from imagegallery import _fields as f
from imagegallery import _html
from imagegallery import _validators as v
from imagegallery._codecs import ID, REGION
from imagegallery._schema import ArmResource, arm
from imagegallery.enums import ProvisioningState, ReplicationState, StorageAccountType
from imagegallery.errors import ConstraintViolationError, InvalidFieldError
from imagegallery.ids import ResourceId, ResourceKind, to_resource_id
from imagegallery.publishing import PublishingProfile, TargetRegion
from imagegallery.safety import ImageVersionSecurityProfile, SafetyProfile
from imagegallery.status import ReplicationStatus, ValidationsProfile
from imagegallery.storage import StorageProfile
from imagegallery.version_name import ImageVersionName

__all__ = ["ImageVersion"]

_EMPTY_PUBLISHING: Final = PublishingProfile()
_EMPTY_STORAGE: Final = StorageProfile()
_KINDS: Final = (
    ResourceKind.IMAGE_VERSION,
    ResourceKind.SHARED_VERSION,
    ResourceKind.COMMUNITY_VERSION,
)
_VERSION_ID: Final = v.id_of_kind(ResourceKind.IMAGE_VERSION, proxies=_KINDS[1:])


def _version_name(self: ImageVersion) -> ImageVersionName:
    if getattr(self.id, "kind", None) not in _KINDS:
        _VERSION_ID(self, attrs.fields(ImageVersion).id, self.id)
    try:
        return ImageVersionName.parse(self.id.version or "")
    except InvalidFieldError as err:
        raise err.at("name") from None


def _source_in_targets(inst: ImageVersion, _attribute: object, value: PublishingProfile) -> None:
    if value.target_regions and inst.location not in value.region_names:
        raise ConstraintViolationError(
            f"the source region {inst.location!r} must be one of the target regions",
            field="publishing_profile.target_regions",
            value=list(value.region_names),
        )


@attrs.frozen(kw_only=True, cache_hash=True)
class ImageVersion(ArmResource):
    """An image version: a replicated, immutable disk image of an image definition.

    Example:
        >>> from imagegallery import OsDiskImage, PublishingProfile, StorageProfile, TargetRegion
        >>> v = ImageVersion(
        ...     id="/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute"
        ...     "/galleries/g1/images/ubuntu/versions/1.2.3",
        ...     location="West Europe",
        ...     publishing_profile=PublishingProfile(
        ...         target_regions=[TargetRegion(name="West Europe", regional_replica_count=2)]
        ...     ),
        ...     storage_profile=StorageProfile(os_disk_image=OsDiskImage(size_gb=30)),
        ... )
        >>> str(v.name), v.location, v.replicas_in("westeurope")
        ('1.2.3', 'westeurope', 2)

    Attributes:
        id: The version's id.
        name: The version name, parsed from the id.
        location: The source region (ARM form); for a consumer view, the region it was listed
            in.
        publishing_profile: Target regions, replica counts, exclude-from-latest, dates.
        storage_profile: The source and the disk images (empty when the input has none, as
            API versions before 2019-07-01 may give).
        safety_profile: Deletion protection.
        replication_status: Per-region replication (only when Azure was asked to expand it).
    """

    ARM_TYPE: ClassVar[str] = "Microsoft.Compute/galleries/images/versions"

    id: ResourceId = attrs.field(
        metadata=arm("id", ID, required=True), converter=to_resource_id, validator=_VERSION_ID
    )
    name: ImageVersionName = attrs.field(
        default=attrs.Factory(_version_name, takes_self=True), eq=False
    )
    location: str = attrs.field(metadata=arm("location", REGION, required=True), converter=v.region)
    tags: Any = f.tags()
    publishing_profile: PublishingProfile = attrs.field(
        metadata=arm(
            "properties.publishingProfile", PublishingProfile, absent_default=_EMPTY_PUBLISHING
        ),
        default=_EMPTY_PUBLISHING,
        validator=[v.instance_of(PublishingProfile), _source_in_targets],
    )
    storage_profile: StorageProfile = attrs.field(
        metadata=arm("properties.storageProfile", StorageProfile, absent_default=_EMPTY_STORAGE),
        default=_EMPTY_STORAGE,
        validator=v.instance_of(StorageProfile),
    )
    safety_profile: SafetyProfile | None = f.part("properties.safetyProfile", SafetyProfile)
    replication_status: ReplicationStatus | None = f.part(
        "properties.replicationStatus", ReplicationStatus
    )
    security_profile: ImageVersionSecurityProfile | None = f.part(
        "properties.securityProfile", ImageVersionSecurityProfile
    )
    validations_profile: ValidationsProfile | None = f.part(
        "properties.validationsProfile", ValidationsProfile
    )
    restore: bool | None = f.flag("properties.restore")
    provisioning_state: ProvisioningState | None = attrs.field(
        default=None,
        converter=optional(ProvisioningState),
        metadata=arm("properties.provisioningState", ProvisioningState),
    )

    def __attrs_post_init__(self) -> None:
        text = str(self.name)
        segment = self.id.version or ""
        if text is not segment and text.lower() != segment.lower():
            raise ConstraintViolationError(
                "the version name must be the last segment of its id",
                field="name",
                value=str(self.name),
            )

    def __repr__(self) -> str:
        """A compact form with what decides resolution: regions, flags, dates, replication.

        Example:
            >>> from imagegallery import sample_inventory
            >>> next(sample_inventory().versions())  # doctest: +ELLIPSIS
            ImageVersion(id='/subscriptions/.../versions/1.0.0', regions=['westeurope', 'northeurope'], exclude_from_latest=False, published='2024-01-15T10:00:00+00:00', end_of_life='2025-06-30T00:00:00+00:00')
        """  # noqa: E501
        regions = []
        for region in self.target_regions:
            flag = region.exclude_from_latest
            state = self.replication_state_in(region.name)
            notes = [f"exclude={flag}"] if flag is not None else []
            if state is not None:
                notes.append(state.value)
            regions.append(f"{region.name}({', '.join(notes)})" if notes else region.name)
        parts = [f"id={str(self.id)!r}", f"regions={regions!r}"]
        parts.append(f"exclude_from_latest={self.exclude_from_latest}")
        for label, moment in (
            ("published", self.published_date),
            ("end_of_life", self.end_of_life_date),
        ):
            if moment is not None:
                parts.append(f"{label}={moment.isoformat()!r}")
        return f"ImageVersion({', '.join(parts)})"

    # -- conveniences over the publishing profile ------------------------------------------------

    @property
    def definition_id(self) -> ResourceId:
        """The id of the image definition the version belongs to."""
        parent = self.id.parent
        assert parent is not None
        return parent

    @property
    def target_regions(self) -> tuple[TargetRegion, ...]:
        """The target regions (empty when the input listed none)."""
        return self.publishing_profile.target_regions or ()

    @property
    def region_names(self) -> tuple[str, ...]:
        """The target regions' names in ARM form."""
        return self.publishing_profile.region_names

    @property
    def exclude_from_latest(self) -> bool:
        """The version-level exclude-from-latest flag."""
        return self.publishing_profile.exclude_from_latest

    @property
    def published_date(self) -> datetime | None:
        """When the version was published."""
        return self.publishing_profile.published_date

    @property
    def end_of_life_date(self) -> datetime | None:
        """The version's end-of-life date."""
        return self.publishing_profile.end_of_life_date

    def replicas_in(self, region: str) -> int:
        """Replicas in ``region`` (0 if it is not a target region)."""
        return self.publishing_profile.replicas_in(region)

    def storage_account_type_in(self, region: str) -> StorageAccountType | None:
        """Storage type of the replicas in ``region``; see :class:`PublishingProfile`."""
        return self.publishing_profile.storage_account_type_in(region)

    def excluded_from_latest_in(self, region: str) -> bool:
        """Effective exclude-from-latest flag in ``region`` (regional flag wins when set)."""
        return self.publishing_profile.excluded_from_latest_in(region)

    def replication_state_in(self, region: str) -> ReplicationState | None:
        """The reported replication state in ``region``, or ``None`` when not reported."""
        if self.replication_status is None:
            return None
        return self.replication_status.state_in(region)

    def _repr_html_(self) -> str:
        return _version_html(self)


def _version_html(version: ImageVersion) -> str:
    profile = version.publishing_profile
    storage = version.storage_profile
    parent = version.id.parent
    where = f"{parent.parent.name}/{parent.name}" if parent and parent.parent else ""
    head = _html.fields(
        [
            ("id", version.id),
            ("source region", version.location),
            ("published", version.published_date),
            ("end of life", version.end_of_life_date),
            ("exclude from latest", version.exclude_from_latest),
            ("replicas per region", profile.replica_count),
            ("storage type", profile.storage_account_type),
            ("replication mode", profile.replication_mode),
            ("provisioned GB", storage.provisioned_gb),
            ("used GB", storage.used_gb),
            ("tags", version.tags or None),
        ],
        caption=f"Image version {version.name} ({where})",
    )
    regions = _html.table(
        ("region", "replicas", "storage type", "excluded from latest", "replication"),
        (
            (
                name,
                version.replicas_in(name),
                version.storage_account_type_in(name),
                version.excluded_from_latest_in(name),
                version.replication_state_in(name),
            )
            for name in version.region_names
        ),
        caption="Target regions",
    )
    return _html.block(head, regions)
