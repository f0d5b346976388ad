"""Deletion safety and UEFI security settings of an image version.

Example:
    >>> from imagegallery import SafetyProfile
    >>> SafetyProfile(block_deletion_before_end_of_life=True).block_deletion_before_end_of_life
    True
"""

from __future__ import annotations

import attrs
from attrs.converters import optional

from imagegallery import _fields as f
from imagegallery import _validators as v
from imagegallery._schema import ArmObject, arm
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

    category: PolicyViolationCategory | None = attrs.field(
        default=None,
        converter=optional(PolicyViolationCategory),
        metadata=arm("category", PolicyViolationCategory),
    )
    details: str | None = f.text("details")


@attrs.frozen(kw_only=True)
class SafetyProfile(ArmObject):
    """``properties.safetyProfile``: what protects a version from deletion."""

    allow_deletion_of_replicated_locations: bool | None = f.flag(
        "allowDeletionOfReplicatedLocations"
    )
    reported_for_policy_violation: bool | None = f.flag("reportedForPolicyViolation")
    policy_violations: tuple[PolicyViolation, ...] | None = attrs.field(
        default=None, converter=v.optional_tuple, **f.items("policyViolations", PolicyViolation)
    )
    block_deletion_before_end_of_life: bool | None = f.flag("blockDeletionBeforeEndOfLife")


@attrs.frozen(kw_only=True)
class UefiKey(ArmObject):
    """A UEFI key (``sha256`` or ``x509``) and its values."""

    type: str | None = f.text("type")
    value: tuple[str, ...] | None = attrs.field(
        default=None, converter=v.optional_tuple, **f.items("value", str)
    )


@attrs.frozen(kw_only=True)
class UefiKeySignatures(ArmObject):
    """Additional UEFI signatures: pk, kek, db, dbx."""

    pk: UefiKey | None = f.part("pk", UefiKey)
    kek: tuple[UefiKey, ...] | None = attrs.field(
        default=None, converter=v.optional_tuple, **f.items("kek", UefiKey)
    )
    db: tuple[UefiKey, ...] | None = attrs.field(
        default=None, converter=v.optional_tuple, **f.items("db", UefiKey)
    )
    dbx: tuple[UefiKey, ...] | None = attrs.field(
        default=None, converter=v.optional_tuple, **f.items("dbx", UefiKey)
    )


@attrs.frozen(kw_only=True)
class UefiSettings(ArmObject):
    """``securityProfile.uefiSettings``."""

    signature_template_names: tuple[UefiSignatureTemplateName, ...] | None = attrs.field(
        default=None,
        converter=v.optional_tuple,
        **f.items("signatureTemplateNames", UefiSignatureTemplateName),
    )
    additional_signatures: UefiKeySignatures | None = f.part(
        "additionalSignatures", UefiKeySignatures
    )


@attrs.frozen(kw_only=True)
class ImageVersionSecurityProfile(ArmObject):
    """``properties.securityProfile`` of an image version."""

    uefi_settings: UefiSettings | None = f.part("uefiSettings", UefiSettings)
