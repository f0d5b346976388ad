"""imagegallery: a domain model of Azure Compute Gallery.

Galleries hold image definitions, definitions hold image versions. The library loads what Azure
tools export (ARM JSON, ``az`` output, Resource Graph rows), validates it, writes it back without
loss, and answers the questions asked of it every day.

Example:
    >>> import imagegallery
    >>> inv = imagegallery.sample_inventory()
    >>> inv == imagegallery.load_arm(inv.to_arm())
    True
"""

from __future__ import annotations

from imagegallery.arm import dump_arm, iter_arm_resources, load_arm, loads_arm
from imagegallery.definition import (
    Disallowed,
    GalleryImageFeature,
    ImageDefinition,
    ImageIdentifier,
    ImagePurchasePlan,
    RecommendedMachineConfiguration,
    ResourceRange,
)
from imagegallery.enums import (
    AggregatedReplicationState,
    Architecture,
    ConfidentialVMEncryptionType,
    EdgeZoneStorageAccountType,
    ExtendedLocationType,
    FeatureName,
    GalleryIdentityType,
    HostCaching,
    HyperVGeneration,
    OsState,
    OsType,
    PolicyViolationCategory,
    ProvisioningState,
    ReplicationMode,
    ReplicationState,
    SecurityType,
    SharingPermission,
    SharingProfileGroupType,
    SharingState,
    StorageAccountStrategy,
    StorageAccountType,
    UefiSignatureTemplateName,
    ValidationStatus,
)
from imagegallery.errors import (
    ConstraintViolationError,
    DuplicateResourceError,
    ImageGalleryError,
    ImmutablePropertyError,
    InvalidDatetimeError,
    InvalidEnumValueError,
    InvalidFieldError,
    InvalidNameError,
    InvalidRegionError,
    InvalidResourceIdError,
    InvalidTypeError,
    InvalidVersionNameError,
    MalformedJsonError,
    MissingFieldError,
    NaiveDatetimeError,
    NoEligibleVersionError,
    ResourceNotFoundError,
    UnknownPropertyError,
    UnsupportedResourceTypeError,
)
from imagegallery.gallery import (
    CommunityGalleryInfo,
    Gallery,
    GalleryIdentifier,
    GalleryIdentity,
    RegionalSharingStatus,
    SharingProfile,
    SharingProfileGroup,
    SharingStatus,
    SoftDeletePolicy,
)
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.inventory import Entity, Inventory
from imagegallery.publishing import (
    AdditionalReplicaSet,
    DataDiskImageEncryption,
    EncryptionImages,
    ExtendedLocation,
    OsDiskImageEncryption,
    OsDiskImageSecurityProfile,
    PublishingProfile,
    TargetExtendedLocation,
    TargetRegion,
)
from imagegallery.quotas import (
    CURRENT_LIMITS,
    LEGACY_LIMITS,
    QuotaFinding,
    QuotaLimits,
    check_quotas,
)
from imagegallery.regions import normalize_region
from imagegallery.safety import (
    ImageVersionSecurityProfile,
    PolicyViolation,
    SafetyProfile,
    UefiKey,
    UefiKeySignatures,
    UefiSettings,
)
from imagegallery.sample import sample_arm, sample_inventory
from imagegallery.status import (
    ExecutedValidation,
    PlatformAttribute,
    RegionalReplicationStatus,
    ReplicationStatus,
    ValidationsProfile,
)
from imagegallery.storage import (
    DataDiskImage,
    DiskImageSource,
    OsDiskImage,
    StorageProfile,
    VersionSource,
)
from imagegallery.updates import (
    put,
    remove,
    update,
    update_in,
    with_definition,
    with_used_size,
    with_version,
    without_definition,
    without_version,
)
from imagegallery.version import ImageVersion
from imagegallery.versions import ImageVersionName

__version__ = "0.1.0"

__all__ = [
    "CURRENT_LIMITS",
    "LEGACY_LIMITS",
    "AdditionalReplicaSet",
    "AggregatedReplicationState",
    "Architecture",
    "CommunityGalleryInfo",
    "ConfidentialVMEncryptionType",
    "ConstraintViolationError",
    "DataDiskImage",
    "DataDiskImageEncryption",
    "Disallowed",
    "DiskImageSource",
    "DuplicateResourceError",
    "EdgeZoneStorageAccountType",
    "EncryptionImages",
    "Entity",
    "ExecutedValidation",
    "ExtendedLocation",
    "ExtendedLocationType",
    "FeatureName",
    "Gallery",
    "GalleryIdentifier",
    "GalleryIdentity",
    "GalleryIdentityType",
    "GalleryImageFeature",
    "HostCaching",
    "HyperVGeneration",
    "ImageDefinition",
    "ImageGalleryError",
    "ImageIdentifier",
    "ImagePurchasePlan",
    "ImageVersion",
    "ImageVersionName",
    "ImageVersionSecurityProfile",
    "ImmutablePropertyError",
    "InvalidDatetimeError",
    "InvalidEnumValueError",
    "InvalidFieldError",
    "InvalidNameError",
    "InvalidRegionError",
    "InvalidResourceIdError",
    "InvalidTypeError",
    "InvalidVersionNameError",
    "Inventory",
    "MalformedJsonError",
    "MissingFieldError",
    "NaiveDatetimeError",
    "NoEligibleVersionError",
    "OsDiskImage",
    "OsDiskImageEncryption",
    "OsDiskImageSecurityProfile",
    "OsState",
    "OsType",
    "PlatformAttribute",
    "PolicyViolation",
    "PolicyViolationCategory",
    "ProvisioningState",
    "PublishingProfile",
    "QuotaFinding",
    "QuotaLimits",
    "RecommendedMachineConfiguration",
    "RegionalReplicationStatus",
    "RegionalSharingStatus",
    "ReplicationMode",
    "ReplicationState",
    "ReplicationStatus",
    "ResourceId",
    "ResourceKind",
    "ResourceNotFoundError",
    "ResourceRange",
    "SafetyProfile",
    "SecurityType",
    "SharingPermission",
    "SharingProfile",
    "SharingProfileGroup",
    "SharingProfileGroupType",
    "SharingState",
    "SharingStatus",
    "SoftDeletePolicy",
    "StorageAccountStrategy",
    "StorageAccountType",
    "StorageProfile",
    "TargetExtendedLocation",
    "TargetRegion",
    "UefiKey",
    "UefiKeySignatures",
    "UefiSettings",
    "UefiSignatureTemplateName",
    "UnknownPropertyError",
    "UnsupportedResourceTypeError",
    "ValidationStatus",
    "ValidationsProfile",
    "VersionSource",
    "check_quotas",
    "dump_arm",
    "iter_arm_resources",
    "load_arm",
    "loads_arm",
    "normalize_region",
    "put",
    "remove",
    "sample_arm",
    "sample_inventory",
    "update",
    "update_in",
    "with_definition",
    "with_used_size",
    "with_version",
    "without_definition",
    "without_version",
]


def __dir__() -> list[str]:
    return list(__all__)
