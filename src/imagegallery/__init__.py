"""imagegallery: a domain model of Azure Compute Gallery.

Galleries hold image definitions, definitions hold image versions. The library loads what Azure
tools export (ARM JSON, ``az`` output, Resource Graph rows), validates it, writes it back without
loss, and answers the questions asked of it every day.

Every public name is importable from here and from the module that defines it. The table
``_EXPORTS`` below is the one list of them: it drives ``__all__``, ``dir()`` and the lazy
attribute access that keeps ``import imagegallery`` light (a name's module is imported the first
time the name is used).

Example:
    >>> import imagegallery
    >>> inv = imagegallery.sample_inventory()
    >>> inv == imagegallery.load_arm(inv.to_arm())
    True
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

__version__ = "0.1.0"

_EXPORTS: Final[Mapping[str, tuple[str, ...]]] = {
    "imagegallery.errors": (
        "ConstraintViolationError",
        "CurrencyMismatchError",
        "DuplicateResourceError",
        "ImageGalleryError",
        "ImageVersionNotFoundError",
        "ImageVersionUnavailableError",
        "ImmutablePropertyError",
        "InvalidAccessRecordError",
        "InvalidActionError",
        "InvalidDatetimeError",
        "InvalidEnumValueError",
        "InvalidFieldError",
        "InvalidImageReferenceError",
        "InvalidNameError",
        "InvalidPriceDataError",
        "InvalidRegionError",
        "InvalidResourceIdError",
        "InvalidSpecifierError",
        "InvalidTypeError",
        "InvalidVersionNameError",
        "MalformedJsonError",
        "MissingFieldError",
        "NaiveDatetimeError",
        "NoEligibleVersionError",
        "PriceNotFoundError",
        "ResourceNotFoundError",
        "SharingLimitError",
        "UnknownImageSizeError",
        "UnknownPropertyError",
        "UnsupportedResourceTypeError",
        "VersionEndOfLifeError",
        "VersionNotInRegionError",
        "VersionNotReplicatedError",
    ),
    "imagegallery.ids": (
        "ResourceId",
        "ResourceKind",
        "to_resource_id",
    ),
    "imagegallery.version_name": (
        "MAX_VERSION_PART",
        "ImageVersionName",
    ),
    "imagegallery.regions": ("normalize_region",),
    "imagegallery.enums": (
        "AggregatedReplicationState",
        "Architecture",
        "ClosedEnum",
        "ConfidentialVMEncryptionType",
        "EdgeZoneStorageAccountType",
        "ExtendedLocationType",
        "FeatureName",
        "GalleryIdentityType",
        "HostCaching",
        "HyperVGeneration",
        "OpenEnum",
        "OsState",
        "OsType",
        "PolicyViolationCategory",
        "ProvisioningState",
        "ReplicationMode",
        "ReplicationState",
        "SecurityType",
        "SharingPermission",
        "SharingProfileGroupType",
        "SharingState",
        "StorageAccountStrategy",
        "StorageAccountType",
        "UefiSignatureTemplateName",
        "ValidationStatus",
    ),
    "imagegallery.publishing": (
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
    ),
    "imagegallery.storage": (
        "USED_SIZE_KEY",
        "DataDiskImage",
        "DiskImage",
        "DiskImageSource",
        "OsDiskImage",
        "StorageProfile",
        "VersionSource",
    ),
    "imagegallery.status": (
        "ExecutedValidation",
        "PlatformAttribute",
        "RegionalReplicationStatus",
        "ReplicationStatus",
        "ValidationsProfile",
    ),
    "imagegallery.safety": (
        "ImageVersionSecurityProfile",
        "PolicyViolation",
        "SafetyProfile",
        "UefiKey",
        "UefiKeySignatures",
        "UefiSettings",
    ),
    "imagegallery.version": ("ImageVersion",),
    "imagegallery.definition": (
        "Disallowed",
        "GalleryImageFeature",
        "ImageDefinition",
        "ImageIdentifier",
        "ImagePurchasePlan",
        "RecommendedMachineConfiguration",
        "ResourceRange",
        "validate_definition_name",
    ),
    "imagegallery.gallery": (
        "CommunityGalleryInfo",
        "Gallery",
        "GalleryIdentifier",
        "GalleryIdentity",
        "RegionalSharingStatus",
        "SharingProfile",
        "SharingProfileGroup",
        "SharingStatus",
        "SoftDeletePolicy",
        "validate_gallery_name",
    ),
    "imagegallery.inventory": (
        "Entity",
        "Inventory",
    ),
    "imagegallery.arm": (
        "dump_arm",
        "iter_arm_resources",
        "load_arm",
        "loads_arm",
    ),
    "imagegallery.updates": (
        "put",
        "remove",
        "update",
        "update_in",
        "with_definition",
        "with_used_size",
        "with_version",
        "without_definition",
        "without_version",
    ),
    "imagegallery.quotas": (
        "CURRENT_LIMITS",
        "LEGACY_LIMITS",
        "QuotaFinding",
        "QuotaLimits",
        "check_quotas",
    ),
    "imagegallery.sample": (
        "SAMPLE_SUBSCRIPTIONS",
        "sample_arm",
        "sample_inventory",
    ),
    "imagegallery.resolve": (
        "MAX_SPEC_DIGITS",
        "MAX_SPEC_LENGTH",
        "Candidate",
        "EndOfLifePolicy",
        "ImageReference",
        "Reason",
        "ReasonKind",
        "Resolution",
        "ScaleOutImage",
        "Verdict",
        "definition_regions",
        "explain_latest",
        "latest_by_region",
        "resolve_latest",
        "resolve_recent",
        "resolve_reference",
        "scale_out_image",
    ),
    "imagegallery.access": (
        "ALL_PRINCIPALS",
        "BUILTIN_ROLE_IDS",
        "DEFINITION_READ",
        "DIRECT_SHARE_MAX_SUBSCRIPTIONS",
        "DIRECT_SHARE_MAX_TENANTS",
        "GALLERY_READ",
        "GALLERY_SHARE",
        "ROLE_ASSIGNMENT_WRITE",
        "VERSION_READ",
        "VERSION_WRITE",
        "VM_WRITE",
        "AccessMap",
        "AccessModel",
        "AccessPath",
        "AssignmentKind",
        "Decision",
        "DenyAssignment",
        "DenyPath",
        "Effect",
        "GallerySharing",
        "Membership",
        "Orphan",
        "Permission",
        "Principal",
        "PrincipalType",
        "RoleAssignment",
        "RoleDefinition",
        "SharingMatrix",
        "SharingRow",
        "action_matches",
        "builtin_role",
        "builtin_roles",
        "extension_scope",
        "load_deny_assignments",
        "load_directory",
        "load_management_groups",
        "load_memberships",
        "load_role_assignments",
        "load_role_definitions",
        "load_subscriptions",
        "sample_access_model",
    ),
    "imagegallery.costs": (
        "GIB_PER_GB",
        "MAX_PRICE",
        "MAX_PRICE_PLACES",
        "MAX_SIZE_GB",
        "PRICED_STORAGE_TYPES",
        "Continent",
        "CostLine",
        "CostReport",
        "CostTotal",
        "EgressScope",
        "LineKind",
        "Price",
        "PriceOrigin",
        "PriceSheet",
        "PriceUnit",
        "RetailPrices",
        "SizeBasis",
        "SizeSource",
        "estimate_cost",
        "read_retail_prices",
    ),
    "imagegallery.planning": (
        "MAX_REPLICAS_PER_REGION",
        "MAX_REPLICAS_PER_VERSION",
        "MAX_SCALE_SET_INSTANCES",
        "PRODUCTION_MIN_REPLICAS",
        "SCALE_SET_INSTANCES_PER_REPLICA",
        "VMS_PER_REPLICA",
        "ChangeKind",
        "DefinitionPlan",
        "DeleteEndOfLife",
        "ExpectedLoad",
        "KeepLatest",
        "LatestChange",
        "ReplicaChange",
        "ReplicaFinding",
        "ReplicaRecommendation",
        "ReplicaStatus",
        "ReplicateLatest",
        "RetentionPolicy",
        "VersionChange",
        "WhatIf",
        "apply_policy",
        "check_replicas",
        "recommend_replicas",
        "what_if",
    ),
}

_MODULE_OF: Final[Mapping[str, str]] = {
    name: module for module, names in _EXPORTS.items() for name in names
}

__all__ = [name for names in _EXPORTS.values() for name in names]

if TYPE_CHECKING:
    from imagegallery.access import *  # noqa: F403
    from imagegallery.arm import *  # noqa: F403
    from imagegallery.costs import *  # noqa: F403
    from imagegallery.definition import *  # noqa: F403
    from imagegallery.enums import *  # noqa: F403
    from imagegallery.errors import *  # noqa: F403
    from imagegallery.gallery import *  # noqa: F403
    from imagegallery.ids import *  # noqa: F403
    from imagegallery.inventory import *  # noqa: F403
    from imagegallery.planning import *  # noqa: F403
    from imagegallery.publishing import *  # noqa: F403
    from imagegallery.quotas import *  # noqa: F403
    from imagegallery.regions import *  # noqa: F403
    from imagegallery.resolve import *  # noqa: F403
    from imagegallery.safety import *  # noqa: F403
    from imagegallery.sample import *  # noqa: F403
    from imagegallery.status import *  # noqa: F403
    from imagegallery.storage import *  # noqa: F403
    from imagegallery.updates import *  # noqa: F403
    from imagegallery.version import *  # noqa: F403
    from imagegallery.version_name import *  # noqa: F403


if not TYPE_CHECKING:  # type checkers see the star imports above instead

    def __getattr__(name: str) -> Any:
        module = _MODULE_OF.get(name)
        if module is None:
            raise AttributeError(f"module 'imagegallery' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return [*__all__, "__version__"]
