"""Galleries (``Microsoft.Compute/galleries``) and their sharing settings.

Example:
    >>> from imagegallery import sample_inventory
    >>> g = next(sample_inventory().galleries())
    >>> g.name, g.location, g.sharing_permission.value, len(g.definitions)
    ('myGallery', 'westeurope', 'Private', 3)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Final

import attrs
from attrs.converters import optional

from imagegallery import _fields as f
from imagegallery import _html
from imagegallery import _validators as v
from imagegallery._codecs import ID, REGION
from imagegallery._namemap import NameMap, children_of, name_map
from imagegallery._schema import ArmObject, ArmResource, arm
from imagegallery.definition import ImageDefinition
from imagegallery.enums import (
    GalleryIdentityType,
    ProvisioningState,
    SharingPermission,
    SharingProfileGroupType,
    SharingState,
)
from imagegallery.errors import ConstraintViolationError
from imagegallery.ids import ResourceId, ResourceKind, to_resource_id

__all__ = [
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
]

_GALLERY_NAME: Final = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._]{0,78}[A-Za-z0-9])?", re.ASCII)


def validate_gallery_name(name: str) -> str:
    """Check a gallery name: 1-80 letters, digits, ``.`` and ``_``, no ``-``, alphanumeric ends.

    Azure's swagger pattern admits ``-`` but the service rejects it ("Gallery name is invalid ...
    including dashes, are disallowed"); the library follows the service.

    Example:
        >>> validate_gallery_name("my_gallery.1")
        'my_gallery.1'
        >>> validate_gallery_name("my-gallery")
        Traceback (most recent call last):
        ...
        imagegallery.errors.InvalidNameError: ... (got 'my-gallery')
    """
    return v.check_name(
        name,
        _GALLERY_NAME,
        "a gallery name has 1-80 letters, digits, '.' or '_' (no dashes),"
        " and starts and ends with a letter or digit",
    )


@attrs.frozen(kw_only=True)
class GalleryIdentifier(ArmObject):
    """``properties.identifier``: the generated unique name used by direct sharing."""

    unique_name: str | None = f.text("uniqueName")


@attrs.frozen(kw_only=True)
class SharingProfileGroup(ArmObject):
    """Subscriptions or tenants a gallery is directly shared with."""

    type: SharingProfileGroupType | None = attrs.field(
        default=None,
        converter=optional(SharingProfileGroupType),
        metadata=arm("type", SharingProfileGroupType),
    )
    ids: tuple[str, ...] | None = attrs.field(
        default=None, converter=v.optional_tuple, **f.items("ids", str)
    )


@attrs.frozen(kw_only=True)
class CommunityGalleryInfo(ArmObject):
    """``sharingProfile.communityGalleryInfo`` of a community gallery."""

    publisher_uri: str | None = f.text("publisherUri")
    publisher_contact: str | None = f.text("publisherContact")
    eula: str | None = f.text("eula")
    public_name_prefix: str | None = f.text("publicNamePrefix")
    community_gallery_enabled: bool | None = f.flag("communityGalleryEnabled")
    public_names: tuple[str, ...] | None = attrs.field(
        default=None, converter=v.optional_tuple, **f.items("publicNames", str)
    )


@attrs.frozen(kw_only=True)
class SharingProfile(ArmObject):
    """``properties.sharingProfile``: Private, Groups (direct sharing) or Community."""

    permissions: SharingPermission | None = attrs.field(
        default=None,
        converter=optional(SharingPermission),
        metadata=arm("permissions", SharingPermission),
    )
    groups: tuple[SharingProfileGroup, ...] | None = attrs.field(
        default=None, converter=v.optional_tuple, **f.items("groups", SharingProfileGroup)
    )
    community_gallery_info: CommunityGalleryInfo | None = f.part(
        "communityGalleryInfo", CommunityGalleryInfo
    )

    def shared_with(self, group_type: SharingProfileGroupType | str) -> tuple[str, ...]:
        """The ids shared with, of one group type (``Subscriptions`` or ``AADTenants``)."""
        wanted = SharingProfileGroupType.coerce(group_type)
        return tuple(i for g in self.groups or () if g.type is wanted for i in (g.ids or ()))


@attrs.frozen(kw_only=True)
class SoftDeletePolicy(ArmObject):
    """``properties.softDeletePolicy``."""

    is_soft_delete_enabled: bool | None = f.flag("isSoftDeleteEnabled")


@attrs.frozen(kw_only=True)
class RegionalSharingStatus(ArmObject):
    """Sharing state of a gallery in one region."""

    region: str | None = f.region("region")
    state: SharingState | None = attrs.field(
        default=None, converter=optional(SharingState), metadata=arm("state", SharingState)
    )
    details: str | None = f.text("details")


@attrs.frozen(kw_only=True)
class SharingStatus(ArmObject):
    """``properties.sharingStatus`` (read-only)."""

    aggregated_state: SharingState | None = attrs.field(
        default=None,
        converter=optional(SharingState),
        metadata=arm("aggregatedState", SharingState),
    )
    summary: tuple[RegionalSharingStatus, ...] | None = attrs.field(
        default=None, converter=v.optional_tuple, **f.items("summary", RegionalSharingStatus)
    )


@attrs.frozen(kw_only=True)
class GalleryIdentity(ArmObject):
    """The managed identity of a gallery (the top-level ``identity``)."""

    type: GalleryIdentityType | None = attrs.field(
        default=None,
        converter=optional(GalleryIdentityType),
        metadata=arm("type", GalleryIdentityType),
    )
    principal_id: str | None = f.text("principalId")
    tenant_id: str | None = f.text("tenantId")
    user_assigned_identities: Any = f.raw("userAssignedIdentities")


def _definitions(
    value: Iterable[ImageDefinition] | Mapping[str, ImageDefinition],
) -> NameMap[ImageDefinition]:
    return name_map(value)  # typed for the attrs plugin, which does not solve generic converters


def _unique_identifiers(_inst: Gallery, attribute: object, value: NameMap[Any]) -> None:
    seen: dict[tuple[str, str, str], str] = {}
    for child in value.values():
        if child.identifier is None or child.identifier.undisclosed:
            continue
        key = child.identifier.key
        if key in seen:
            raise ConstraintViolationError(
                f"image definitions {seen[key]!r} and {child.name!r} share the identifier"
                f" {child.identifier} (publisher/offer/sku must be unique in a gallery)",
                field="definitions",
                value=str(child.identifier),
            )
        seen[key] = child.name


@attrs.frozen(kw_only=True, cache_hash=True)
class Gallery(ArmResource):
    """A gallery: the top of the hierarchy, holding image definitions.

    Example:
        >>> g = Gallery(
        ...     id="/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1",
        ...     location="West Europe",
        ...     description="Golden images",
        ... )
        >>> g.name, g.location, g.sharing_permission.value, len(g.definitions)
        ('g1', 'westeurope', 'Private', 0)

    Attributes:
        definitions: The image definitions, by name (case-insensitive).
        implied: ``True`` when the loader created the gallery because definitions or versions
            referred to it while the input held no gallery body (not written back by ``to_arm``).
    """

    ARM_TYPE: ClassVar[str] = "Microsoft.Compute/galleries"

    id: ResourceId = attrs.field(
        metadata=arm("id", ID, required=True),
        converter=to_resource_id,
        validator=v.id_of_kind(
            ResourceKind.GALLERY,
            validate_gallery_name,
            proxies=(ResourceKind.SHARED_GALLERY, ResourceKind.COMMUNITY_GALLERY),
        ),
    )
    location: str = attrs.field(metadata=arm("location", REGION, required=True), converter=v.region)
    tags: Any = f.tags()
    identity: GalleryIdentity | None = f.part("identity", GalleryIdentity)
    description: str | None = f.text("properties.description")
    identifier: GalleryIdentifier | None = f.part("properties.identifier", GalleryIdentifier)
    provisioning_state: ProvisioningState | None = attrs.field(
        default=None,
        converter=optional(ProvisioningState),
        metadata=arm("properties.provisioningState", ProvisioningState),
    )
    sharing_profile: SharingProfile | None = f.part("properties.sharingProfile", SharingProfile)
    soft_delete_policy: SoftDeletePolicy | None = f.part(
        "properties.softDeletePolicy", SoftDeletePolicy
    )
    sharing_status: SharingStatus | None = f.part("properties.sharingStatus", SharingStatus)
    implied: bool = attrs.field(default=False, validator=v.optional_bool)
    definitions: NameMap[ImageDefinition] = attrs.field(
        factory=NameMap,
        converter=_definitions,
        validator=[
            children_of(ImageDefinition, "image definition", "gallery"),
            _unique_identifiers,
        ],
    )

    def __repr__(self) -> str:
        return f"Gallery(id={str(self.id)!r}, definitions={len(self.definitions)})"

    @property
    def name(self) -> str:
        """The gallery's name."""
        return self.id.name

    @property
    def subscription_id(self) -> str:
        """The subscription the gallery is in (``""`` for a consumer view, whose proxy id does
        not tell)."""
        return self.id.subscription_id or ""

    @property
    def sharing_permission(self) -> SharingPermission:
        """``Private`` unless the sharing profile says ``Groups`` or ``Community``.

        A consumer view says it by its id: ``Groups`` for ``/SharedGalleries/...``,
        ``Community`` for ``/CommunityGalleries/...``.
        """
        if self.id.kind is ResourceKind.SHARED_GALLERY:
            return SharingPermission.GROUPS
        if self.id.kind is ResourceKind.COMMUNITY_GALLERY:
            return SharingPermission.COMMUNITY
        if self.sharing_profile is None or self.sharing_profile.permissions is None:
            return SharingPermission.PRIVATE
        return self.sharing_profile.permissions

    @property
    def soft_delete_enabled(self) -> bool:
        """Whether soft delete of image versions is on."""
        policy = self.soft_delete_policy
        return bool(policy and policy.is_soft_delete_enabled)

    @property
    def unique_name(self) -> str | None:
        """The generated unique name (``{subscription}-{NAME}``) used by direct sharing."""
        return self.identifier.unique_name if self.identifier else None

    def _repr_html_(self) -> str:
        return _gallery_html(self)


def _gallery_html(gallery: Gallery) -> str:
    head = _html.fields(
        [
            ("id", gallery.id),
            ("location", gallery.location),
            ("sharing", gallery.sharing_permission),
            ("soft delete", gallery.soft_delete_enabled),
            ("description", gallery.description),
            ("tags", gallery.tags or None),
        ],
        caption=f"Gallery {gallery.name}",
    )
    definitions = _html.table(
        ("definition", "identifier", "OS type", "OS state", "versions", "highest version"),
        (
            (
                d.name,
                d.identifier,
                d.os_type,
                d.os_state,
                len(d.versions),
                next((v.name for v in list(d.versions.values())[::-1]), None),
            )
            for d in gallery.definitions.values()
        ),
        caption=_html.count(len(gallery.definitions), "image definition"),
        total=len(gallery.definitions),
    )
    return _html.block(head, definitions)
