"""The enumerations of the gallery schema, spelled as Azure spells them.

Two kinds:

* **Closed** enums (:class:`OsType`, :class:`OsState`, :class:`HyperVGeneration`) admit only their
  members; anything else is an :class:`~imagegallery.errors.InvalidEnumValueError`.
* **Open** enums (storage account types, replication states, features, security types ...) are
  lists Azure keeps extending. A value the library does not know yet is accepted and kept exactly as
  given, as a member whose :attr:`~OpenEnum.is_known` is ``False``: a new Azure value never makes a
  real inventory unloadable.

Lookup by value ignores case (ARM does); the original spelling of loaded data is written back as it
came.

Example:
    >>> from imagegallery import StorageAccountType
    >>> StorageAccountType("standard_zrs") is StorageAccountType.STANDARD_ZRS
    True
    >>> new = StorageAccountType("UltraSSD_LRS")
    >>> new.value, new.is_known
    ('UltraSSD_LRS', False)
"""

from __future__ import annotations

import enum
from typing import Any, Self

from imagegallery.errors import InvalidEnumValueError

__all__ = [
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
]


class _AzureEnum(str, enum.Enum):
    """What closed and open enums share: lookup ignoring case, ``coerce``, ``str()``."""

    @classmethod
    def _by_casefold(cls, value: str) -> Any:
        folded = value.casefold()
        for member in cls.__members__.values():
            if member.value.casefold() == folded:
                return member
        return None

    @classmethod
    def coerce(cls, value: Self | str) -> Self:
        """Return the member (or, for an open enum, the pseudo-member) for ``value``."""
        if type(value) is cls:
            return value
        return cls(value)

    def __str__(self) -> str:
        return str(self.value)


class ClosedEnum(_AzureEnum):
    """A string enumeration that admits only its members (case-insensitive lookup).

    Example:
        >>> OsState("specialized") is OsState.SPECIALIZED
        True
        >>> OsState("Frozen")
        Traceback (most recent call last):
        ...
        imagegallery.errors.InvalidEnumValueError: OsState must be one of ... (got 'Frozen')
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        found = cls._by_casefold(value) if isinstance(value, str) else None
        if found is not None:
            return found
        allowed = ", ".join(m.value for m in cls.__members__.values())
        raise InvalidEnumValueError(f"{cls.__name__} must be one of {allowed}", value=value)

    @property
    def is_known(self) -> bool:
        """Always ``True``: a closed enum has no unknown values."""
        return True


class OpenEnum(_AzureEnum):
    """A string enumeration that also accepts values Azure added after this library was written.

    Unknown values become pseudo-members: instances of the enum whose ``value`` is the text as
    given and whose :attr:`is_known` is ``False``. They compare, hash and pickle like members.

    Example:
        >>> ReplicationState("Completed") is ReplicationState.COMPLETED
        True
        >>> paused = ReplicationState("Paused")
        >>> paused.value, paused.is_known, paused is ReplicationState("Paused")
        ('Paused', False, True)
    """

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            raise InvalidEnumValueError(f"{cls.__name__} must be a string", value=value)
        found = cls._by_casefold(value)
        if found is not None:
            return found
        if not value or value.strip() != value:
            raise InvalidEnumValueError(
                f"{cls.__name__} must be a non-empty name without surrounding spaces", value=value
            )
        pseudo = str.__new__(cls, value)
        pseudo._name_ = value
        pseudo._value_ = value
        if len(cls._value2member_map_) < 4096:
            cls._value2member_map_[value] = pseudo
        return pseudo

    @property
    def is_known(self) -> bool:
        """Whether the value is one this library knows (``False`` for newer Azure values)."""
        return self._name_ in type(self).__members__


# -- closed -----------------------------------------------------------------------------------


class OsType(ClosedEnum):
    """``properties.osType`` of an image definition."""

    WINDOWS = "Windows"
    LINUX = "Linux"


class OsState(ClosedEnum):
    """``properties.osState``: whether VMs from the image need provisioning (generalized)."""

    GENERALIZED = "Generalized"
    SPECIALIZED = "Specialized"


class HyperVGeneration(ClosedEnum):
    """``properties.hyperVGeneration``: the VM generation the image supports."""

    V1 = "V1"
    V2 = "V2"


# -- open -------------------------------------------------------------------------------------


class Architecture(OpenEnum):
    """``properties.architecture`` of an image definition."""

    X64 = "x64"
    ARM64 = "Arm64"


class StorageAccountType(OpenEnum):
    """Storage of replicas: ``storageAccountType`` (version default and per target region)."""

    STANDARD_LRS = "Standard_LRS"
    STANDARD_ZRS = "Standard_ZRS"
    PREMIUM_LRS = "Premium_LRS"
    PREMIUMV2_LRS = "PremiumV2_LRS"


class EdgeZoneStorageAccountType(OpenEnum):
    """Storage of replicas in an edge zone (``targetExtendedLocations[].storageAccountType``)."""

    STANDARD_LRS = "Standard_LRS"
    STANDARD_ZRS = "Standard_ZRS"
    STANDARDSSD_LRS = "StandardSSD_LRS"
    PREMIUM_LRS = "Premium_LRS"


class StorageAccountStrategy(OpenEnum):
    """``publishingProfile.storageAccountStrategy`` (API 2025-03-03 and later)."""

    PREFER_STANDARD_ZRS = "PreferStandard_ZRS"
    DEFAULT_STANDARD_LRS = "DefaultStandard_LRS"


class ReplicationMode(OpenEnum):
    """``publishingProfile.replicationMode``."""

    FULL = "Full"
    SHALLOW = "Shallow"


class ReplicationState(OpenEnum):
    """The replication state of a version in one region."""

    UNKNOWN = "Unknown"
    REPLICATING = "Replicating"
    COMPLETED = "Completed"
    FAILED = "Failed"


class AggregatedReplicationState(OpenEnum):
    """``replicationStatus.aggregatedState``."""

    UNKNOWN = "Unknown"
    IN_PROGRESS = "InProgress"
    COMPLETED = "Completed"
    FAILED = "Failed"


class SharingPermission(OpenEnum):
    """``sharingProfile.permissions`` of a gallery."""

    PRIVATE = "Private"
    GROUPS = "Groups"
    COMMUNITY = "Community"


class SharingProfileGroupType(OpenEnum):
    """``sharingProfile.groups[].type``."""

    SUBSCRIPTIONS = "Subscriptions"
    AAD_TENANTS = "AADTenants"


class SharingState(OpenEnum):
    """``sharingStatus.aggregatedState`` and per-region sharing states."""

    SUCCEEDED = "Succeeded"
    IN_PROGRESS = "InProgress"
    FAILED = "Failed"
    UNKNOWN = "Unknown"


class ProvisioningState(OpenEnum):
    """``properties.provisioningState`` (read-only)."""

    CREATING = "Creating"
    UPDATING = "Updating"
    FAILED = "Failed"
    SUCCEEDED = "Succeeded"
    DELETING = "Deleting"
    MIGRATING = "Migrating"


class HostCaching(OpenEnum):
    """``hostCaching`` of a disk image."""

    NONE = "None"
    READ_ONLY = "ReadOnly"
    READ_WRITE = "ReadWrite"


class FeatureName(OpenEnum):
    """Names of image definition ``features``."""

    SECURITY_TYPE = "SecurityType"
    IS_HIBERNATE_SUPPORTED = "IsHibernateSupported"
    IS_ACCELERATED_NETWORK_SUPPORTED = "IsAcceleratedNetworkSupported"
    DISK_CONTROLLER_TYPES = "DiskControllerTypes"


class SecurityType(OpenEnum):
    """Values of the ``SecurityType`` feature."""

    STANDARD = "Standard"
    TRUSTED_LAUNCH = "TrustedLaunch"
    TRUSTED_LAUNCH_SUPPORTED = "TrustedLaunchSupported"
    CONFIDENTIAL_VM = "ConfidentialVM"
    CONFIDENTIAL_VM_SUPPORTED = "ConfidentialVMSupported"
    TRUSTED_LAUNCH_AND_CONFIDENTIAL_VM_SUPPORTED = "TrustedLaunchAndConfidentialVmSupported"


class ConfidentialVMEncryptionType(OpenEnum):
    """``encryption.osDiskImage.securityProfile.confidentialVMEncryptionType``."""

    ENCRYPTED_VM_GUEST_STATE_ONLY_WITH_PMK = "EncryptedVMGuestStateOnlyWithPmk"
    ENCRYPTED_WITH_PMK = "EncryptedWithPmk"
    ENCRYPTED_WITH_CMK = "EncryptedWithCmk"
    NON_PERSISTED_TPM = "NonPersistedTPM"


class ExtendedLocationType(OpenEnum):
    """``targetExtendedLocations[].extendedLocation.type``."""

    EDGE_ZONE = "EdgeZone"
    UNKNOWN = "Unknown"


class PolicyViolationCategory(OpenEnum):
    """``safetyProfile.policyViolations[].category``."""

    OTHER = "Other"
    IMAGE_FLAGGED_UNSAFE = "ImageFlaggedUnsafe"
    COPYRIGHT_VALIDATION = "CopyrightValidation"
    IP_THEFT = "IpTheft"


class UefiSignatureTemplateName(OpenEnum):
    """``securityProfile.uefiSettings.signatureTemplateNames[]``."""

    NO_SIGNATURE_TEMPLATE = "NoSignatureTemplate"
    MICROSOFT_UEFI_CERTIFICATE_AUTHORITY_TEMPLATE = "MicrosoftUefiCertificateAuthorityTemplate"
    MICROSOFT_WINDOWS_TEMPLATE = "MicrosoftWindowsTemplate"


class ValidationStatus(OpenEnum):
    """``validationsProfile.executedValidations[].status``."""

    UNKNOWN = "Unknown"
    FAILED = "Failed"
    SUCCEEDED = "Succeeded"


class GalleryIdentityType(OpenEnum):
    """``identity.type`` of a gallery."""

    SYSTEM_ASSIGNED = "SystemAssigned"
    USER_ASSIGNED = "UserAssigned"
    SYSTEM_ASSIGNED_USER_ASSIGNED = "SystemAssigned, UserAssigned"
    NONE = "None"
