"""Deletion safety and UEFI security settings of an image version.

Example:
    >>> from imagegallery import SafetyProfile
    >>> SafetyProfile(block_deletion_before_end_of_life=True).block_deletion_before_end_of_life
    True
"""

from __future__ import annotations

import attrs

from imagegallery import _validators as v
from imagegallery._schema import BOOL, STR, ArmObject, arm_field, enum_codec, list_of, obj
from imagegallery.enums import PolicyViolationCategory, UefiSignatureTemplateName

__all__ = [
    "ImageVersionSecurityProfile",
    "PolicyViolation",
    "SafetyProfile",
    "UefiKey",
    "UefiKeySignatures",
    "UefiSettings",
]


@attrs.frozen(kw_only=True)
class PolicyViolation(ArmObject):
    """A policy violation Azure reported on a version."""

    category: PolicyViolationCategory | None = arm_field(
        "category",
        enum_codec(PolicyViolationCategory),
        converter=v.optional_enum_of(PolicyViolationCategory),
    )
    details: str | None = arm_field("details", STR, validator=v.optional_str)


@attrs.frozen(kw_only=True)
class SafetyProfile(ArmObject):
    """``properties.safetyProfile``: what protects a version from deletion."""

    allow_deletion_of_replicated_locations: bool | None = arm_field(
        "allowDeletionOfReplicatedLocations", BOOL, validator=v.optional_bool
    )
    reported_for_policy_violation: bool | None = arm_field(
        "reportedForPolicyViolation", BOOL, validator=v.optional_bool
    )
    policy_violations: tuple[PolicyViolation, ...] | None = arm_field(
        "policyViolations",
        list_of(obj(PolicyViolation)),
        converter=v.optional_tuple,
        validator=v.items_of(PolicyViolation),
    )
    block_deletion_before_end_of_life: bool | None = arm_field(
        "blockDeletionBeforeEndOfLife", BOOL, validator=v.optional_bool
    )


@attrs.frozen(kw_only=True)
class UefiKey(ArmObject):
    """A UEFI key (``sha256`` or ``x509``) and its values."""

    type: str | None = arm_field("type", STR, validator=v.optional_str)
    value: tuple[str, ...] | None = arm_field(
        "value", list_of(STR), converter=v.optional_tuple, validator=v.items_of(str)
    )


@attrs.frozen(kw_only=True)
class UefiKeySignatures(ArmObject):
    """Additional UEFI signatures: pk, kek, db, dbx."""

    pk: UefiKey | None = arm_field("pk", obj(UefiKey), validator=v.optional_instance_of(UefiKey))
    kek: tuple[UefiKey, ...] | None = arm_field(
        "kek", list_of(obj(UefiKey)), converter=v.optional_tuple, validator=v.items_of(UefiKey)
    )
    db: tuple[UefiKey, ...] | None = arm_field(
        "db", list_of(obj(UefiKey)), converter=v.optional_tuple, validator=v.items_of(UefiKey)
    )
    dbx: tuple[UefiKey, ...] | None = arm_field(
        "dbx", list_of(obj(UefiKey)), converter=v.optional_tuple, validator=v.items_of(UefiKey)
    )


@attrs.frozen(kw_only=True)
class UefiSettings(ArmObject):
    """``securityProfile.uefiSettings``."""

    signature_template_names: tuple[UefiSignatureTemplateName, ...] | None = arm_field(
        "signatureTemplateNames",
        list_of(enum_codec(UefiSignatureTemplateName)),
        converter=v.optional_tuple,
        validator=v.items_of(UefiSignatureTemplateName),
    )
    additional_signatures: UefiKeySignatures | None = arm_field(
        "additionalSignatures",
        obj(UefiKeySignatures),
        validator=v.optional_instance_of(UefiKeySignatures),
    )


@attrs.frozen(kw_only=True)
class ImageVersionSecurityProfile(ArmObject):
    """``properties.securityProfile`` of an image version."""

    uefi_settings: UefiSettings | None = arm_field(
        "uefiSettings", obj(UefiSettings), validator=v.optional_instance_of(UefiSettings)
    )
