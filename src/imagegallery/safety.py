"""Deletion safety and UEFI security settings of an image version.

Example:
    >>> from imagegallery import SafetyProfile
    >>> SafetyProfile(block_deletion_before_end_of_life=True).block_deletion_before_end_of_life
    True
"""

from __future__ import annotations

import attrs

from imagegallery import _validators as v
from imagegallery._schema import BOOL, STR, ArmObject, arm, enum_codec, list_of, obj
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
        metadata=arm("category", enum_codec(PolicyViolationCategory)),
        default=None,
        converter=attrs.converters.optional(PolicyViolationCategory),
    )
    details: str | None = attrs.field(
        metadata=arm("details", STR), default=None, validator=v.optional_str
    )


@attrs.frozen(kw_only=True)
class SafetyProfile(ArmObject):
    """``properties.safetyProfile``: what protects a version from deletion."""

    allow_deletion_of_replicated_locations: bool | None = attrs.field(
        metadata=arm("allowDeletionOfReplicatedLocations", BOOL),
        default=None,
        validator=v.optional_bool,
    )
    reported_for_policy_violation: bool | None = attrs.field(
        metadata=arm("reportedForPolicyViolation", BOOL), default=None, validator=v.optional_bool
    )
    policy_violations: tuple[PolicyViolation, ...] | None = attrs.field(
        metadata=arm("policyViolations", list_of(obj(PolicyViolation))),
        default=None,
        converter=v.optional_tuple,
        validator=v.items_of(PolicyViolation),
    )
    block_deletion_before_end_of_life: bool | None = attrs.field(
        metadata=arm("blockDeletionBeforeEndOfLife", BOOL), default=None, validator=v.optional_bool
    )


@attrs.frozen(kw_only=True)
class UefiKey(ArmObject):
    """A UEFI key (``sha256`` or ``x509``) and its values."""

    type: str | None = attrs.field(
        metadata=arm("type", STR), default=None, validator=v.optional_str
    )
    value: tuple[str, ...] | None = attrs.field(
        metadata=arm("value", list_of(STR)),
        default=None,
        converter=v.optional_tuple,
        validator=v.items_of(str),
    )


@attrs.frozen(kw_only=True)
class UefiKeySignatures(ArmObject):
    """Additional UEFI signatures: pk, kek, db, dbx."""

    pk: UefiKey | None = attrs.field(
        metadata=arm("pk", obj(UefiKey)), default=None, validator=v.optional_instance_of(UefiKey)
    )
    kek: tuple[UefiKey, ...] | None = attrs.field(
        metadata=arm("kek", list_of(obj(UefiKey))),
        default=None,
        converter=v.optional_tuple,
        validator=v.items_of(UefiKey),
    )
    db: tuple[UefiKey, ...] | None = attrs.field(
        metadata=arm("db", list_of(obj(UefiKey))),
        default=None,
        converter=v.optional_tuple,
        validator=v.items_of(UefiKey),
    )
    dbx: tuple[UefiKey, ...] | None = attrs.field(
        metadata=arm("dbx", list_of(obj(UefiKey))),
        default=None,
        converter=v.optional_tuple,
        validator=v.items_of(UefiKey),
    )


@attrs.frozen(kw_only=True)
class UefiSettings(ArmObject):
    """``securityProfile.uefiSettings``."""

    signature_template_names: tuple[UefiSignatureTemplateName, ...] | None = attrs.field(
        metadata=arm("signatureTemplateNames", list_of(enum_codec(UefiSignatureTemplateName))),
        default=None,
        converter=v.optional_tuple,
        validator=v.items_of(UefiSignatureTemplateName),
    )
    additional_signatures: UefiKeySignatures | None = attrs.field(
        metadata=arm("additionalSignatures", obj(UefiKeySignatures)),
        default=None,
        validator=v.optional_instance_of(UefiKeySignatures),
    )


@attrs.frozen(kw_only=True)
class ImageVersionSecurityProfile(ArmObject):
    """``properties.securityProfile`` of an image version."""

    uefi_settings: UefiSettings | None = attrs.field(
        metadata=arm("uefiSettings", obj(UefiSettings)),
        default=None,
        validator=v.optional_instance_of(UefiSettings),
    )
