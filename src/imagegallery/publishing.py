"""Where an image version is replicated: the publishing profile and its target regions.

Example:
    >>> from imagegallery import PublishingProfile, TargetRegion
    >>> profile = PublishingProfile(
    ...     target_regions=[TargetRegion(name="West Europe", regional_replica_count=2),
    ...                     TargetRegion(name="eastus", exclude_from_latest=True)],
    ...     replica_count=1,
    ... )
    >>> profile.region_names
    ('westeurope', 'eastus')
    >>> profile.replicas_in("westeurope"), profile.replicas_in("eastus")
    (2, 1)
    >>> profile.excluded_from_latest_in("eastus"), profile.excluded_from_latest_in("westeurope")
    (True, False)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

import attrs
from attrs.converters import optional

from imagegallery import _fields as f
from imagegallery import _validators as v
from imagegallery._codecs import BOOL, INT, REGION, TIME
from imagegallery._schema import ArmObject, arm
from imagegallery.enums import (
    ConfidentialVMEncryptionType,
    EdgeZoneStorageAccountType,
    ExtendedLocationType,
    ReplicationMode,
    StorageAccountStrategy,
    StorageAccountType,
)
from imagegallery.errors import ConstraintViolationError
from imagegallery.regions import normalize_region
from imagegallery.timestamps import optional_datetime

__all__ = [
    "DEFAULT_REPLICA_COUNT",
    "AdditionalReplicaSet",
    "DataDiskImageEncryption",
    "EncryptionImages",
    "ExtendedLocation",
    "GalleryArtifactSource",
    "ManagedArtifact",
    "OsDiskImageEncryption",
    "OsDiskImageSecurityProfile",
    "PublishingProfile",
    "TargetExtendedLocation",
    "TargetRegion",
]

DEFAULT_REPLICA_COUNT: Final = 1
"""Replicas per region when neither the region nor the version says (Azure's default)."""


@attrs.frozen(kw_only=True)
class AdditionalReplicaSet(ArmObject):
    """An extra set of replicas of another storage type in a region ("direct drive replicas")."""

    storage_account_type: StorageAccountType | None = attrs.field(
        default=None,
        converter=optional(StorageAccountType),
        metadata=arm("storageAccountType", StorageAccountType),
    )
    regional_replica_count: int | None = f.whole("regionalReplicaCount", 1)


@attrs.frozen(kw_only=True)
class DataDiskImageEncryption(ArmObject):
    """The disk encryption set of one data disk image in a region."""

    lun: int = attrs.field(metadata=arm("lun", INT, required=True), validator=v.int_range(0))
    disk_encryption_set_id: str | None = f.text("diskEncryptionSetId")


@attrs.frozen(kw_only=True)
class OsDiskImageSecurityProfile(ArmObject):
    """Confidential-VM encryption of the OS disk image."""

    confidential_vm_encryption_type: ConfidentialVMEncryptionType | None = attrs.field(
        default=None,
        converter=optional(ConfidentialVMEncryptionType),
        metadata=arm("confidentialVMEncryptionType", ConfidentialVMEncryptionType),
    )
    secure_vm_disk_encryption_set_id: str | None = f.text("secureVMDiskEncryptionSetId")


@attrs.frozen(kw_only=True)
class OsDiskImageEncryption(ArmObject):
    """The encryption of the OS disk image in a region."""

    disk_encryption_set_id: str | None = f.text("diskEncryptionSetId")
    security_profile: OsDiskImageSecurityProfile | None = f.part(
        "securityProfile", OsDiskImageSecurityProfile
    )


@attrs.frozen(kw_only=True)
class EncryptionImages(ArmObject):
    """Customer-managed encryption of the disk images in one region."""

    os_disk_image: OsDiskImageEncryption | None = f.part("osDiskImage", OsDiskImageEncryption)
    data_disk_images: tuple[DataDiskImageEncryption, ...] | None = attrs.field(
        default=None,
        converter=v.optional_tuple,
        **f.items("dataDiskImages", DataDiskImageEncryption, v.unique_luns),
    )


@attrs.frozen(kw_only=True)
class TargetRegion(ArmObject):
    """One region a version is replicated to.

    Example:
        >>> region = TargetRegion(name="West US 2", storage_account_type="Standard_ZRS")
        >>> region.name, region.storage_account_type.value, region.exclude_from_latest
        ('westus2', 'Standard_ZRS', None)

    Attributes:
        name: The region, in ARM form (``West US 2`` is stored as ``westus2``).
        regional_replica_count: Replicas in this region; ``None`` means the version's
            ``replica_count``.
        storage_account_type: Storage of the replicas here; ``None`` means the version's.
        exclude_from_latest: Tri-state: ``None`` inherits the version-level flag, ``True`` or
            ``False`` overrides it in this region.
    """

    name: str = attrs.field(metadata=arm("name", REGION, required=True), converter=v.region)
    regional_replica_count: int | None = f.whole("regionalReplicaCount", 1)
    storage_account_type: StorageAccountType | None = attrs.field(
        default=None,
        converter=optional(StorageAccountType),
        metadata=arm("storageAccountType", StorageAccountType),
    )
    encryption: EncryptionImages | None = f.part("encryption", EncryptionImages)
    exclude_from_latest: bool | None = f.flag("excludeFromLatest")
    additional_replica_sets: tuple[AdditionalReplicaSet, ...] | None = attrs.field(
        default=None,
        converter=v.optional_tuple,
        **f.items("additionalReplicaSets", AdditionalReplicaSet),
    )


@attrs.frozen(kw_only=True)
class ExtendedLocation(ArmObject):
    """An edge zone."""

    name: str | None = f.text("name")
    type: ExtendedLocationType | None = attrs.field(
        default=None,
        converter=optional(ExtendedLocationType),
        metadata=arm("type", ExtendedLocationType),
    )


@attrs.frozen(kw_only=True)
class TargetExtendedLocation(ArmObject):
    """A target edge zone of a version."""

    name: str | None = f.region("name")
    extended_location: ExtendedLocation | None = f.part("extendedLocation", ExtendedLocation)
    extended_location_replica_count: int | None = f.whole("extendedLocationReplicaCount", 1)
    storage_account_type: EdgeZoneStorageAccountType | None = attrs.field(
        default=None,
        converter=optional(EdgeZoneStorageAccountType),
        metadata=arm("storageAccountType", EdgeZoneStorageAccountType),
    )
    encryption: EncryptionImages | None = f.part("encryption", EncryptionImages)


@attrs.frozen(kw_only=True)
class ManagedArtifact(ArmObject):
    """A managed image used as a source (``publishingProfile.source.managedImage``)."""

    id: str | None = f.text("id")


@attrs.frozen(kw_only=True)
class GalleryArtifactSource(ArmObject):
    """``publishingProfile.source`` of API versions 2018-06-01 and 2019-03-01: the managed image
    a version was made from (later API versions give ``storageProfile.source``)."""

    managed_image: ManagedArtifact | None = f.part("managedImage", ManagedArtifact)


def _unique_regions(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    seen: set[str] = set()
    for i, region in enumerate(value):
        if not isinstance(region, TargetRegion):
            raise ConstraintViolationError(
                "expected a TargetRegion", field=f"{attribute.name}[{i}]", value=region
            )
        if region.name in seen:
            raise ConstraintViolationError(
                "region listed twice", field=f"{attribute.name}[{i}].name", value=region.name
            )
        seen.add(region.name)


@attrs.frozen(kw_only=True)
class PublishingProfile(ArmObject):
    """``properties.publishingProfile`` of an image version.

    Example:
        >>> PublishingProfile(replica_count=2, exclude_from_latest=True).replicas_in("eastus")
        0

    Attributes:
        target_regions: The regions replicated to (``None`` when the input had none).
        replica_count: Default replicas per region (``None`` means 1).
        exclude_from_latest: The version-level flag (absent in the input means ``False``).
        published_date: When the version was published (read-only in Azure).
        end_of_life_date: Informational end of life.
        storage_account_type: Default storage of the replicas.
        storage_account_strategy: API 2025-03-03 storage strategy.
        replication_mode: ``Full`` or ``Shallow``.
        target_extended_locations: Edge zones replicated to.
        source: The source of API versions before 2019-07-01 (later: the storage profile's).
    """

    target_regions: tuple[TargetRegion, ...] | None = attrs.field(
        default=None,
        converter=v.optional_tuple,
        metadata=arm("targetRegions", [TargetRegion]),
        validator=_unique_regions,
    )
    replica_count: int | None = f.whole("replicaCount", 1)
    exclude_from_latest: bool = attrs.field(
        metadata=arm("excludeFromLatest", BOOL, absent_default=False),
        default=False,
        validator=v.optional_bool,
    )
    published_date: datetime | None = attrs.field(
        default=None, converter=optional_datetime, metadata=arm("publishedDate", TIME)
    )
    end_of_life_date: datetime | None = attrs.field(
        default=None, converter=optional_datetime, metadata=arm("endOfLifeDate", TIME)
    )
    storage_account_type: StorageAccountType | None = attrs.field(
        default=None,
        converter=optional(StorageAccountType),
        metadata=arm("storageAccountType", StorageAccountType),
    )
    storage_account_strategy: StorageAccountStrategy | None = attrs.field(
        default=None,
        converter=optional(StorageAccountStrategy),
        metadata=arm("storageAccountStrategy", StorageAccountStrategy),
    )
    replication_mode: ReplicationMode | None = attrs.field(
        default=None,
        converter=optional(ReplicationMode),
        metadata=arm("replicationMode", ReplicationMode),
    )
    target_extended_locations: tuple[TargetExtendedLocation, ...] | None = attrs.field(
        default=None,
        converter=v.optional_tuple,
        **f.items("targetExtendedLocations", TargetExtendedLocation),
    )
    source: GalleryArtifactSource | None = f.part("source", GalleryArtifactSource)

    @property
    def region_names(self) -> tuple[str, ...]:
        """The target regions' names, in ARM form, in the order given."""
        return tuple(r.name for r in self.target_regions or ())

    def target_region(self, region: str) -> TargetRegion | None:
        """The target region entry for ``region`` (any spelling), or ``None``."""
        name = normalize_region(region)
        for entry in self.target_regions or ():
            if entry.name == name:
                return entry
        return None

    def replicas_in(self, region: str) -> int:
        """Replicas in ``region``: the regional count, else the version default, else 1.

        Returns 0 when ``region`` is not a target region.
        """
        entry = self.target_region(region)
        if entry is None:
            return 0
        if entry.regional_replica_count is not None:
            return entry.regional_replica_count
        return self.replica_count if self.replica_count is not None else DEFAULT_REPLICA_COUNT

    def storage_account_type_in(self, region: str) -> StorageAccountType | None:
        """The storage type of the replicas in ``region``.

        The regional type, else the version's ``storage_account_type``, else what the storage
        strategy implies (``PreferStandard_ZRS`` gives ZRS, ``DefaultStandard_LRS`` LRS), else
        ``None`` (the input does not say; Azure's historical default is ``Standard_LRS``).
        """
        entry = self.target_region(region)
        if entry is not None and entry.storage_account_type is not None:
            return entry.storage_account_type
        if self.storage_account_type is not None:
            return self.storage_account_type
        if self.storage_account_strategy is StorageAccountStrategy.PREFER_STANDARD_ZRS:
            return StorageAccountType.STANDARD_ZRS
        if self.storage_account_strategy is StorageAccountStrategy.DEFAULT_STANDARD_LRS:
            return StorageAccountType.STANDARD_LRS
        return None

    def excluded_from_latest_in(self, region: str) -> bool:
        """The effective exclude-from-latest flag in ``region``.

        The regional flag when set (not ``None``), otherwise the version-level flag.
        """
        entry = self.target_region(region)
        if entry is not None and entry.exclude_from_latest is not None:
            return entry.exclude_from_latest
        return self.exclude_from_latest
