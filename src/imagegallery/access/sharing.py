"""Sharing outside RBAC (direct-shared and community galleries) and the sharing matrix.

* **Direct shared gallery** (``sharingProfile.permissions = Groups``): shared with whole
  subscriptions (at most 30) and tenants (at most 5). "Creating VMs from a direct shared gallery is
  open to all Azure users in the target subscription or tenant", through read-only proxies
  ``/SharedGalleries/{uniqueName}/Images/{image}/Versions/{version}``.
* **Community gallery** (``permissions = Community``): public; anyone may read and deploy through
  ``/CommunityGalleries/{publicName}/Images/{image}/Versions/{version}``.

The sharing matrix of the product documents: access granted at the gallery reaches the gallery,
its definitions and versions; at a definition, that definition and its versions; at a version,
that version only.

Example:
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.access import GallerySharing
    >>> shared = [GallerySharing.from_gallery(g) for g in sample_inventory().galleries()]
    >>> [(s.gallery_id.name, s.mode) for s in shared]
    [('myGallery', 'Private'), ('communityGallery', 'Community'), ('sharedGallery', 'Groups')]
    >>> shared[2].subscriptions
    ('11111111-1111-1111-1111-111111111111',)
"""

from __future__ import annotations

from typing import Final, final

import attrs

from imagegallery.enums import SharingPermission, SharingProfileGroupType
from imagegallery.errors import InvalidResourceIdError, SharingLimitError
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId, ResourceKind

__all__ = [
    "DIRECT_SHARE_MAX_SUBSCRIPTIONS",
    "DIRECT_SHARE_MAX_TENANTS",
    "GallerySharing",
    "SharingMatrix",
    "SharingRow",
]

DIRECT_SHARE_MAX_SUBSCRIPTIONS: Final = 30
"""Direct sharing (preview) reaches at most 30 subscriptions."""
DIRECT_SHARE_MAX_TENANTS: Final = 5
"""Direct sharing (preview) reaches at most 5 tenants."""


@final
@attrs.frozen
class GallerySharing:
    """How one gallery is shared outside RBAC.

    Attributes:
        gallery_id: The gallery.
        mode: ``Private``, ``Groups`` (direct sharing) or ``Community``.
        subscriptions: Subscriptions it is directly shared with (lower case).
        tenants: Tenants it is directly shared with (lower case).
        unique_name: The name in ``/SharedGalleries/...`` proxy ids.
        public_names: The names in ``/CommunityGalleries/...`` proxy ids.

    Example:
        >>> s = GallerySharing(gallery_id=ResourceId.for_gallery("s", "rg", "g"), mode="Groups",
        ...                    subscriptions=("s2",), unique_name="s-G")
        >>> s.is_direct, s.reaches("S2", None), s.reaches("s3", None)
        (True, True, False)
        >>> str(s.real_id(ResourceId.parse("/SharedGalleries/s-G/Images/i")))
        '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i'
    """

    gallery_id: ResourceId
    mode: str
    subscriptions: tuple[str, ...] = ()
    tenants: tuple[str, ...] = ()
    unique_name: str | None = None
    public_names: tuple[str, ...] = ()

    @classmethod
    def from_gallery(cls, gallery: Gallery) -> GallerySharing:
        """Read a gallery's sharing profile.

        The unique name falls back to ``{subscription}-{NAME}`` (the form Azure generates) when
        the gallery body has no identifier.

        Raises:
            SharingLimitError: The profile lists more than 30 subscriptions or 5 tenants.
        """
        profile = gallery.sharing_profile
        subs: tuple[str, ...] = ()
        tenants: tuple[str, ...] = ()
        public: tuple[str, ...] = ()
        if profile is not None:
            subs = _unique(profile.shared_with(SharingProfileGroupType.SUBSCRIPTIONS))
            tenants = _unique(profile.shared_with(SharingProfileGroupType.AAD_TENANTS))
            info = profile.community_gallery_info
            if info is not None:
                public = tuple(info.public_names or ())
        where = f"{gallery.id}.properties.sharingProfile.groups"
        if len(subs) > DIRECT_SHARE_MAX_SUBSCRIPTIONS:
            raise SharingLimitError(
                f"a gallery can be directly shared with at most {DIRECT_SHARE_MAX_SUBSCRIPTIONS}"
                " subscriptions",
                field=where,
                value=len(subs),
                limit=DIRECT_SHARE_MAX_SUBSCRIPTIONS,
            )
        if len(tenants) > DIRECT_SHARE_MAX_TENANTS:
            raise SharingLimitError(
                f"a gallery can be directly shared with at most {DIRECT_SHARE_MAX_TENANTS} tenants",
                field=where,
                value=len(tenants),
                limit=DIRECT_SHARE_MAX_TENANTS,
            )
        unique = gallery.unique_name or f"{gallery.subscription_id}-{gallery.name.upper()}"
        return cls(
            gallery_id=gallery.id,
            mode=gallery.sharing_permission.value,
            subscriptions=subs,
            tenants=tenants,
            unique_name=unique,
            public_names=public,
        )

    @property
    def is_direct(self) -> bool:
        """Directly shared with subscriptions or tenants."""
        return self.mode.lower() == SharingPermission.GROUPS.value.lower()

    @property
    def is_community(self) -> bool:
        """Public (community gallery)."""
        return self.mode.lower() == SharingPermission.COMMUNITY.value.lower()

    def reaches(self, subscription_id: str | None, tenant_id: str | None) -> bool:
        """Whether a direct share covers deployments into this subscription or tenant."""
        if not self.is_direct:
            return False
        sub = (subscription_id or "").lower()
        tenant = (tenant_id or "").lower()
        return bool(sub and sub in self.subscriptions) or bool(tenant and tenant in self.tenants)

    def proxy_id(self, rid: ResourceId) -> ResourceId | None:
        """The consumer-side proxy id of a gallery, definition or version of this gallery
        (community name for a community gallery, unique name for a direct-shared one).

        Example:
            >>> s = GallerySharing(gallery_id=ResourceId.for_gallery("s", "rg", "g"),
            ...                    mode="Community", public_names=("Contoso-1",))
            >>> str(s.proxy_id(s.gallery_id.child("images", "i").child("versions", "1.0.0")))
            '/CommunityGalleries/Contoso-1/Images/i/Versions/1.0.0'
        """
        if self.is_community and self.public_names:
            root, name = "CommunityGalleries", self.public_names[0]
        elif self.is_direct and self.unique_name:
            root, name = "SharedGalleries", self.unique_name
        else:
            return None
        parts = [f"/{root}/{name}"]
        if rid.image is not None:
            parts.append(f"/Images/{rid.image}")
        if rid.version is not None:
            parts.append(f"/Versions/{rid.version}")
        return ResourceId.parse("".join(parts))

    def names_proxy(self, proxy: ResourceId) -> bool:
        """Whether a ``/SharedGalleries`` or ``/CommunityGalleries`` id names this gallery."""
        name = (proxy.gallery or "").lower()
        if proxy.kind in _COMMUNITY:
            return any(p.lower() == name for p in self.public_names)
        if proxy.kind in _SHARED:
            return (self.unique_name or "").lower() == name
        return False

    def real_id(self, proxy: ResourceId) -> ResourceId:
        """The gallery, definition or version id a proxy id stands for.

        Raises:
            InvalidResourceIdError: ``proxy`` does not name this gallery.
        """
        if not self.names_proxy(proxy):
            raise InvalidResourceIdError(
                "the proxy id does not name this gallery", value=str(proxy)
            )
        rid = self.gallery_id
        if proxy.image is not None:
            rid = rid.child("images", proxy.image)
        if proxy.version is not None:
            rid = rid.child("versions", proxy.version)
        return rid


_SHARED: Final = (
    ResourceKind.SHARED_GALLERY,
    ResourceKind.SHARED_IMAGE,
    ResourceKind.SHARED_VERSION,
)
_COMMUNITY: Final = (
    ResourceKind.COMMUNITY_GALLERY,
    ResourceKind.COMMUNITY_IMAGE,
    ResourceKind.COMMUNITY_VERSION,
)


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.lower() for v in values))


@final
@attrs.frozen
class SharingRow:
    """One row of a sharing matrix: what access granted at ``scope`` reaches.

    Attributes:
        label: What the row stands for (``gallery``, or the grant that produced it).
        scope: Where the access was granted.
        gallery: Whether the gallery can be read.
        definition: Whether the image definition can be read.
        version: Whether the image version can be read.

    Example:
        >>> SharingRow("gallery", ResourceId.root(), True, True, False).cells
        (True, True, False)
    """

    label: str
    scope: ResourceId
    gallery: bool
    definition: bool
    version: bool

    @property
    def cells(self) -> tuple[bool, bool, bool]:
        """``(gallery, definition, version)``."""
        return (self.gallery, self.definition, self.version)


@final
@attrs.frozen
class SharingMatrix:
    """The seed documents' sharing matrix, computed from an access model.

    ``str()`` renders the table.

    Example:
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.access import AccessModel
        >>> print(AccessModel.from_azure(sample_inventory()).sharing_matrix())
        Shared with user at   Gallery  Image definition  Image version
        gallery               Yes      Yes               Yes
        image definition      No       Yes               Yes
        image version         No       No                Yes
    """

    rows: tuple[SharingRow, ...]
    heading: str = "Shared with user at"

    def __str__(self) -> str:
        width = max([len(self.heading), *(len(r.label) for r in self.rows)]) + 3
        head = f"{self.heading:<{width}}Gallery  Image definition  Image version"
        lines = [head]
        for row in self.rows:
            g, d, v = ("Yes" if c else "No" for c in row.cells)
            lines.append(f"{row.label:<{width}}{g:<9}{d:<18}{v}")
        return "\n".join(line.rstrip() for line in lines)
