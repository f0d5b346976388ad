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

from imagegallery import _validators as v
from imagegallery._schema import (
    BOOL,
    INT,
    REGION,
    STR,
    TIME,
    ArmObject,
    arm,
    enum_codec,
    list_of,
    obj,
)
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

__all__ = [
    "DEFAULT_REPLICA_COUNT",
    "AdditionalReplicaSet",
    "DataDiskImageEncryption",
    "EncryptionImages",
    "ExtendedLocation",
    "OsDiskImageEncryption",
    "OsDiskImageSecurityProfile",
    "PublishingProfile",
    "TargetExtendedLocation",
    "TargetRegion",
]

DEFAULT_REPLICA_COUNT: Final = 1
"""Replicas per region when neither the region nor the version says (Azure's default)."""

_COUNT = v.int_range(1)


def _unique_luns(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    seen: set[int] = set()
    for i, item in enumerate(value):
        if item.lun in seen:
            raise ConstraintViolationError(
                "duplicate LUN", field=f"{attribute.name}[{i}].lun", value=item.lun
            )
        seen.add(item.lun)


@attrs.frozen(kw_only=True)
class AdditionalReplicaSet(ArmObject):
    """An extra set of replicas of another storage type in a region ("direct drive replicas")."""

    storage_account_type: StorageAccountType | None = attrs.field(
        metadata=arm("storageAccountType", enum_codec(StorageAccountType)),
        default=None,
        converter=attrs.converters.optional(StorageAccountType),
    )
    regional_replica_count: int | None = attrs.field(
        metadata=arm("regionalReplicaCount", INT), default=None, validator=_COUNT
    )


@attrs.frozen(kw_only=True)
class DataDiskImageEncryption(ArmObject):
    """The disk encryption set of one data disk image in a region."""

    lun: int = attrs.field(metadata=arm("lun", INT, required=True), validator=v.int_range(0))
    disk_encryption_set_id: str | None = attrs.field(
        metadata=arm("diskEncryptionSetId", STR), default=None, validator=v.optional_str
    )


@attrs.frozen(kw_only=True)
class OsDiskImageSecurityProfile(ArmObject):
    """Confidential-VM encryption of the OS disk image."""

    confidential_vm_encryption_type: ConfidentialVMEncryptionType | None = attrs.field(
        metadata=arm("confidentialVMEncryptionType", enum_codec(ConfidentialVMEncryptionType)),
        default=None,
        converter=attrs.converters.optional(ConfidentialVMEncryptionType),
    )
    secure_vm_disk_encryption_set_id: str | None = attrs.field(
        metadata=arm("secureVMDiskEncryptionSetId", STR), default=None, validator=v.optional_str
    )


@attrs.frozen(kw_only=True)
class OsDiskImageEncryption(ArmObject):
    """The encryption of the OS disk image in a region."""

    disk_encryption_set_id: str | None = attrs.field(
        metadata=arm("diskEncryptionSetId", STR), default=None, validator=v.optional_str
    )
    security_profile: OsDiskImageSecurityProfile | None = attrs.field(
        metadata=arm("securityProfile", obj(OsDiskImageSecurityProfile)),
        default=None,
        validator=v.optional_instance_of(OsDiskImageSecurityProfile),
    )


@attrs.frozen(kw_only=True)
class EncryptionImages(ArmObject):
    """Customer-managed encryption of the disk images in one region."""

    os_disk_image: OsDiskImageEncryption | None = attrs.field(
        metadata=arm("osDiskImage", obj(OsDiskImageEncryption)),
        default=None,
        validator=v.optional_instance_of(OsDiskImageEncryption),
    )
    data_disk_images: tuple[DataDiskImageEncryption, ...] | None = attrs.field(
        metadata=arm("dataDiskImages", list_of(obj(DataDiskImageEncryption))),
        default=None,
        converter=v.optional_tuple,
        validator=[v.items_of(DataDiskImageEncryption), _unique_luns],
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
    regional_replica_count: int | None = attrs.field(
        metadata=arm("regionalReplicaCount", INT), default=None, validator=_COUNT
    )
    storage_account_type: StorageAccountType | None = attrs.field(
        metadata=arm("storageAccountType", enum_codec(StorageAccountType)),
        default=None,
        converter=attrs.converters.optional(StorageAccountType),
    )
    encryption: EncryptionImages | None = attrs.field(
        metadata=arm("encryption", obj(EncryptionImages)),
        default=None,
        validator=v.optional_instance_of(EncryptionImages),
    )
    exclude_from_latest: bool | None = attrs.field(
        metadata=arm("excludeFromLatest", BOOL), default=None, validator=v.optional_bool
    )
    additional_replica_sets: tuple[AdditionalReplicaSet, ...] | None = attrs.field(
        metadata=arm("additionalReplicaSets", list_of(obj(AdditionalReplicaSet))),
        default=None,
        converter=v.optional_tuple,
        validator=v.items_of(AdditionalReplicaSet),
    )


@attrs.frozen(kw_only=True)
class ExtendedLocation(ArmObject):
    """An edge zone."""

    name: str | None = attrs.field(
        metadata=arm("name", STR), default=None, validator=v.optional_str
    )
    type: ExtendedLocationType | None = attrs.field(
        metadata=arm("type", enum_codec(ExtendedLocationType)),
        default=None,
        converter=attrs.converters.optional(ExtendedLocationType),
    )


@attrs.frozen(kw_only=True)
class TargetExtendedLocation(ArmObject):
    """A target edge zone of a version."""

    name: str | None = attrs.field(
        metadata=arm("name", REGION), default=None, converter=v.optional_region
    )
    extended_location: ExtendedLocation | None = attrs.field(
        metadata=arm("extendedLocation", obj(ExtendedLocation)),
        default=None,
        validator=v.optional_instance_of(ExtendedLocation),
    )
    extended_location_replica_count: int | None = attrs.field(
        metadata=arm("extendedLocationReplicaCount", INT), default=None, validator=_COUNT
    )
    storage_account_type: EdgeZoneStorageAccountType | None = attrs.field(
        metadata=arm("storageAccountType", enum_codec(EdgeZoneStorageAccountType)),
        default=None,
        converter=attrs.converters.optional(EdgeZoneStorageAccountType),
    )
    encryption: EncryptionImages | None = attrs.field(
        metadata=arm("encryption", obj(EncryptionImages)),
        default=None,
        validator=v.optional_instance_of(EncryptionImages),
    )


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
    """

    target_regions: tuple[TargetRegion, ...] | None = attrs.field(
        metadata=arm("targetRegions", list_of(obj(TargetRegion))),
        default=None,
        converter=v.optional_tuple,
        validator=_unique_regions,
    )
    replica_count: int | None = attrs.field(
        metadata=arm("replicaCount", INT), default=None, validator=_COUNT
    )
    exclude_from_latest: bool = attrs.field(
        metadata=arm("excludeFromLatest", BOOL, absent_default=False),
        default=False,
        validator=v.optional_bool,
    )
    published_date: datetime | None = attrs.field(
        metadata=arm("publishedDate", TIME), default=None, converter=v.optional_datetime
    )
    end_of_life_date: datetime | None = attrs.field(
        metadata=arm("endOfLifeDate", TIME), default=None, converter=v.optional_datetime
    )
    storage_account_type: StorageAccountType | None = attrs.field(
        metadata=arm("storageAccountType", enum_codec(StorageAccountType)),
        default=None,
        converter=attrs.converters.optional(StorageAccountType),
    )
    storage_account_strategy: StorageAccountStrategy | None = attrs.field(
        metadata=arm("storageAccountStrategy", enum_codec(StorageAccountStrategy)),
        default=None,
        converter=attrs.converters.optional(StorageAccountStrategy),
    )
    replication_mode: ReplicationMode | None = attrs.field(
        metadata=arm("replicationMode", enum_codec(ReplicationMode)),
        default=None,
        converter=attrs.converters.optional(ReplicationMode),
    )
    target_extended_locations: tuple[TargetExtendedLocation, ...] | None = attrs.field(
        metadata=arm("targetExtendedLocations", list_of(obj(TargetExtendedLocation))),
        default=None,
        converter=v.optional_tuple,
        validator=v.items_of(TargetExtendedLocation),
    )

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
