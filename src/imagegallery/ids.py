"""Azure resource ids: parsed, compared case-insensitively, related by whole segments.

Example:
    >>> from imagegallery import ResourceId, ResourceKind
    >>> rid = ResourceId.parse(
    ...     "/subscriptions/0000/resourceGroups/rg1/providers/Microsoft.Compute"
    ...     "/galleries/myGallery/images/myImage1/versions/1.0.0"
    ... )
    >>> rid.kind is ResourceKind.IMAGE_VERSION, rid.gallery, rid.image, rid.version
    (True, 'myGallery', 'myImage1', '1.0.0')
    >>> rid == ResourceId.parse(str(rid).upper())
    True
    >>> ResourceId.parse("/subscriptions/0000/resourceGroups/rg1").is_ancestor_of(rid)
    True
    >>> ResourceId.parse("/subscriptions/0000/resourceGroups/rg").is_ancestor_of(
    ...     ResourceId.parse("/subscriptions/0000/resourceGroups/rg1"))
    False
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import Final, final

from imagegallery._parsed import ParsedText
from imagegallery.errors import InvalidResourceIdError

__all__ = ["ResourceId", "ResourceKind", "to_resource_id"]


class ResourceKind(enum.Enum):
    """What an id names.

    Example:
        >>> ResourceId.parse("/subscriptions/0000/resourceGroups/rg").kind
        <ResourceKind.RESOURCE_GROUP: 'resourceGroup'>
        >>> ResourceKind.COMMUNITY_VERSION.is_proxy
        True
    """

    ROOT = "root"
    """The tenant root scope ``/``."""
    MANAGEMENT_GROUP = "managementGroup"
    SUBSCRIPTION = "subscription"
    RESOURCE_GROUP = "resourceGroup"
    GALLERY = "gallery"
    IMAGE_DEFINITION = "imageDefinition"
    IMAGE_VERSION = "imageVersion"
    RESOURCE = "resource"
    """Any other ARM resource (a VM, a managed image, a role definition ...)."""
    SHARED_GALLERY = "sharedGallery"
    SHARED_IMAGE = "sharedImage"
    SHARED_VERSION = "sharedVersion"
    COMMUNITY_GALLERY = "communityGallery"
    COMMUNITY_IMAGE = "communityImage"
    COMMUNITY_VERSION = "communityVersion"

    @property
    def is_proxy(self) -> bool:
        """Whether this is a consumer-side ``/SharedGalleries`` or ``/CommunityGalleries`` id."""
        return self in _PROXY_KINDS


_PROXY_KINDS: Final = frozenset(
    {
        ResourceKind.SHARED_GALLERY,
        ResourceKind.SHARED_IMAGE,
        ResourceKind.SHARED_VERSION,
        ResourceKind.COMMUNITY_GALLERY,
        ResourceKind.COMMUNITY_IMAGE,
        ResourceKind.COMMUNITY_VERSION,
    }
)
_PROXY_ROOTS: Final = {
    "sharedgalleries": (
        ResourceKind.SHARED_GALLERY,
        ResourceKind.SHARED_IMAGE,
        ResourceKind.SHARED_VERSION,
    ),
    "communitygalleries": (
        ResourceKind.COMMUNITY_GALLERY,
        ResourceKind.COMMUNITY_IMAGE,
        ResourceKind.COMMUNITY_VERSION,
    ),
}
_GALLERY_KINDS: Final = (
    ResourceKind.GALLERY,
    ResourceKind.IMAGE_DEFINITION,
    ResourceKind.IMAGE_VERSION,
)
_GALLERY_CHAIN: Final = ("galleries", "images", "versions")


_CHILD_KIND: Final = {
    ResourceKind.GALLERY: ResourceKind.IMAGE_DEFINITION,
    ResourceKind.IMAGE_DEFINITION: ResourceKind.IMAGE_VERSION,
}
_PARENT_KIND: Final = {
    ResourceKind.IMAGE_VERSION: ResourceKind.IMAGE_DEFINITION,
    ResourceKind.IMAGE_DEFINITION: ResourceKind.GALLERY,
    ResourceKind.GALLERY: ResourceKind.RESOURCE_GROUP,
    ResourceKind.RESOURCE_GROUP: ResourceKind.SUBSCRIPTION,
    ResourceKind.SHARED_VERSION: ResourceKind.SHARED_IMAGE,
    ResourceKind.SHARED_IMAGE: ResourceKind.SHARED_GALLERY,
    ResourceKind.COMMUNITY_VERSION: ResourceKind.COMMUNITY_IMAGE,
    ResourceKind.COMMUNITY_IMAGE: ResourceKind.COMMUNITY_GALLERY,
}


def _fail(text: object, why: str) -> InvalidResourceIdError:
    return InvalidResourceIdError(f"not a valid Azure resource id: {why}", value=text)


@final
class ResourceId(ParsedText[str]):
    """An Azure resource id.

    Equality and hashing ignore case, as ARM does; ``str()`` keeps the original casing. Ancestry is
    decided on whole path segments.

    Recognized shapes: the root ``/``, management groups, subscriptions, resource groups, galleries,
    image definitions and image versions, any other ARM resource (nested types included), and the
    consumer-side proxy ids ``/SharedGalleries/{uniqueName}/Images/{image}/Versions/{version}`` and
    ``/CommunityGalleries/{publicName}/Images/{image}/Versions/{version}`` (prefixes of them too).

    Example:
        >>> rid = ResourceId.parse("/SharedGalleries/0000-MYGALLERY/Images/img/Versions/latest")
        >>> rid.kind.name, rid.gallery, rid.version, rid.parent.kind.name
        ('SHARED_VERSION', '0000-MYGALLERY', 'latest', 'SHARED_IMAGE')
    """

    __slots__ = ("_kind", "_parent", "_segs")

    _kind: ResourceKind
    _segs: tuple[str, ...]
    _parent: ResourceId | bool | None

    def __init__(self, text: str) -> None:
        parsed = ResourceId.parse(text)
        self._text, self._key, self._kind, self._segs, self._parent = (
            parsed._text,
            parsed._key,
            parsed._kind,
            parsed._segs,
            False,
        )

    @classmethod
    def parse(cls, text: str | ResourceId, /) -> ResourceId:
        """Parse an id.

        Args:
            text: The id (an existing ``ResourceId`` is returned as is).

        Returns:
            The parsed id.

        Raises:
            InvalidResourceIdError: ``text`` is not a well-formed id (empty segments, a dangling
                type without a name, surrounding spaces, ...).

        Example:
            >>> ResourceId.parse("/subscriptions/0000//providers").kind
            Traceback (most recent call last):
            ...
            imagegallery.errors.InvalidResourceIdError: not a valid Azure resource id: ...
        """
        if type(text) is not str:
            if isinstance(text, ResourceId):
                return text
            raise _fail(text, "expected a string")
        if text == "/":
            return cls._make(text, (), ResourceKind.ROOT)
        if not text.startswith("/") or text.strip() != text:
            raise _fail(text, "an id starts with '/' and has no surrounding spaces")
        segs = tuple(text[1:].split("/"))
        if "" in segs:
            raise _fail(text, "empty path segment")
        key = text.lower()
        self = object.__new__(cls)
        self._text = text
        self._key = key
        self._segs = segs
        self._kind = _classify(text, segs, key[1:].split("/"))
        self._parent = False
        return self

    @classmethod
    def parse_under(cls, text: str, parents: dict[str, ResourceId], /) -> ResourceId:
        """:meth:`parse`, for many ids of few parents: the image definitions and versions of one
        load share their parents.

        ``parents`` maps the text of gallery and image definition ids already met to their parsed
        id; it belongs to one caller's loop (a load) and is filled as ids are parsed. An id whose
        parent's text is in it is parsed by checking only its last two segments, and its
        :attr:`parent` is that same object; any other text is parsed by :meth:`parse`. The result
        is the id :meth:`parse` gives.

        Example:
            >>> table: dict[str, ResourceId] = {}
            >>> base = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/galleries/g"
            >>> a = ResourceId.parse_under(f"{base}/images/i/versions/1.0.0", table)
            >>> b = ResourceId.parse_under(f"{base}/images/i/versions/1.0.1", table)
            >>> a.parent is b.parent, b == ResourceId.parse(f"{base}/images/i/versions/1.0.1")
            (True, True)
        """
        if type(text) is str:
            cut = text.rfind("/", 0, text.rfind("/"))
            parent = parents.get(text[:cut]) if cut > 0 else None
            if parent is not None:
                kind = _CHILD_KIND.get(parent._kind)
                child_type, _, name = text[cut + 1 :].partition("/")
                if (
                    kind is not None
                    and child_type.lower() == _GALLERY_CHAIN[_GALLERY_KINDS.index(kind)]
                    and name
                    and "/" not in name
                    and not name[-1].isspace()
                ):
                    self = object.__new__(cls)
                    self._text = text
                    self._key = text.lower()
                    self._segs = (*parent._segs, child_type, name)
                    self._kind = kind
                    self._parent = parent
                    if kind is not ResourceKind.IMAGE_VERSION:
                        parents[text] = self
                    return self
        made = cls.parse(text)
        if made._kind in _GALLERY_KINDS:
            above = made.parent
            if above is not None and above._kind in _GALLERY_KINDS:
                parents.setdefault(above._text, above)
            if made._kind is not ResourceKind.IMAGE_VERSION:
                parents.setdefault(text, made)
        return made

    @classmethod
    def _make(cls, text: str, segs: tuple[str, ...], kind: ResourceKind) -> ResourceId:
        self = object.__new__(cls)
        self._text = text
        self._key = text.lower()
        self._segs = segs
        self._kind = kind
        self._parent = False
        return self

    @classmethod
    def root(cls) -> ResourceId:
        """The tenant root scope ``/``."""
        return cls._make("/", (), ResourceKind.ROOT)

    @classmethod
    def for_gallery(cls, subscription_id: str, resource_group: str, gallery: str) -> ResourceId:
        """Build a gallery id.

        Example:
            >>> str(ResourceId.for_gallery("0000", "rg", "g1"))
            '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1'
        """
        rid = cls.parse(
            f"/subscriptions/{subscription_id}/resourceGroups/{resource_group}"
            f"/providers/Microsoft.Compute/galleries/{gallery}"
        )
        if rid.kind is not ResourceKind.GALLERY:
            raise _fail(str(rid), "the parts do not form a gallery id")
        return rid

    def child(self, type_name: str, name: str) -> ResourceId:
        """The id of a child resource: ``self/{type_name}/{name}``.

        Example:
            >>> g = ResourceId.for_gallery("0000", "rg", "g1")
            >>> g.child("images", "img").child("versions", "1.0.0").kind.name
            'IMAGE_VERSION'
        """
        base = "" if self._kind is ResourceKind.ROOT else self._text
        return ResourceId.parse(f"{base}/{type_name}/{name}")

    # -- properties --------------------------------------------------------------------------

    @property
    def kind(self) -> ResourceKind:
        """What the id names."""
        return self._kind

    @property
    def name(self) -> str:
        """The last segment (``""`` for the root)."""
        return self._segs[-1] if self._segs else ""

    @property
    def subscription_id(self) -> str | None:
        """The subscription id, if the id is under a subscription."""
        if len(self._segs) >= 2 and self._segs[0].lower() == "subscriptions":
            return self._segs[1]
        return None

    @property
    def resource_group(self) -> str | None:
        """The resource group name, if the id is under a resource group."""
        segs = self._segs
        if (
            self.subscription_id is not None
            and len(segs) >= 4
            and segs[2].lower() == "resourcegroups"
        ):
            return segs[3]
        return None

    @property
    def management_group(self) -> str | None:
        """The management group name of a management-group id."""
        return self._segs[3] if self._kind is ResourceKind.MANAGEMENT_GROUP else None

    @property
    def resource_type(self) -> str | None:
        """The ARM type (``Microsoft.Compute/galleries/images``) of a resource id, else ``None``."""
        try:
            start = [s.lower() for s in self._segs].index("providers")
        except ValueError:
            return None
        rest = self._segs[start + 1 :]
        if len(rest) < 3:
            return None
        return "/".join([rest[0], *rest[1::2]])

    def _gallery_part(self, index: int) -> str | None:
        if self._kind in _GALLERY_KINDS:
            pos = 7 + 2 * index
            return self._segs[pos] if pos < len(self._segs) else None
        if self._kind.is_proxy:
            pos = 1 + 2 * index
            return self._segs[pos] if pos < len(self._segs) else None
        return None

    @property
    def gallery(self) -> str | None:
        """The gallery name (for proxies: the unique or public gallery name)."""
        return self._gallery_part(0)

    @property
    def image(self) -> str | None:
        """The image definition name, for definition and version ids."""
        return self._gallery_part(1)

    @property
    def version(self) -> str | None:
        """The version segment (may be ``latest`` in a reference), for version ids."""
        return self._gallery_part(2)

    @property
    def parent(self) -> ResourceId | None:
        """The enclosing scope, or ``None`` for the root and for proxy galleries.

        A top-level resource's parent is its resource group (or subscription, or the root); a
        resource group's is its subscription; a subscription's and a management group's is the
        root (management-group membership is not part of an id).
        """
        if self._parent is not False:
            return self._parent  # type: ignore[return-value]
        self._parent = self._compute_parent()
        return self._parent

    def _compute_parent(self) -> ResourceId | None:
        kind, segs = self._kind, self._segs
        if kind is ResourceKind.ROOT or kind in (
            ResourceKind.SHARED_GALLERY,
            ResourceKind.COMMUNITY_GALLERY,
        ):
            return None
        if kind in (ResourceKind.SUBSCRIPTION, ResourceKind.MANAGEMENT_GROUP):
            return ResourceId.root()
        cuts = (4, 2) if len(segs) >= 4 and segs[-4].lower() == "providers" else (2,)
        for cut in cuts:  # a type may be named "providers": then the shorter cut is the parent
            rest = segs[:-cut]
            if not rest:
                return ResourceId.root()
            parent_kind = _PARENT_KIND.get(kind)
            if parent_kind is None:
                try:
                    parent_kind = _classify("", rest)
                except InvalidResourceIdError:
                    continue
            text = self._text
            for _ in range(cut):
                text = text[: text.rindex("/")]
            return ResourceId._make(text, rest, parent_kind)
        return ResourceId.root()

    def ancestors(self) -> Iterator[ResourceId]:
        """Yield the enclosing scopes, nearest first, ending with the root.

        Example:
            >>> rid = ResourceId.for_gallery("0000", "rg", "g1")
            >>> [a.kind.name for a in rid.ancestors()]
            ['RESOURCE_GROUP', 'SUBSCRIPTION', 'ROOT']
        """
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def is_ancestor_of(self, other: ResourceId) -> bool:
        """Whether ``other`` lies strictly inside this scope, comparing whole segments."""
        if self._kind is ResourceKind.ROOT:
            return other._kind is not ResourceKind.ROOT and not other._kind.is_proxy
        return len(other._key) > len(self._key) and other._key.startswith(self._key + "/")

    def contains(self, other: ResourceId) -> bool:
        """Whether ``other`` is this scope or lies inside it."""
        return self == other or self.is_ancestor_of(other)


def to_resource_id(value: str | ResourceId) -> ResourceId:
    """Convert an id string (or an id) to a :class:`ResourceId`; the converter of id fields.

    Example:
        >>> to_resource_id("/subscriptions/0000").kind.name
        'SUBSCRIPTION'
    """
    return ResourceId.parse(value)


def _classify(text: str, segs: tuple[str, ...], low: list[str] | None = None) -> ResourceKind:
    if low is None:
        low = "/".join(segs).lower().split("/")
    n = len(segs)
    head = low[0]
    if head in _PROXY_ROOTS:
        if n > 6 or n % 2:
            raise _fail(text, "a proxy id is /SharedGalleries/{g}[/Images/{i}[/Versions/{v}]]")
        for pos, expected in ((2, "images"), (4, "versions")):
            if n > pos and low[pos] != expected:
                raise _fail(text, f"expected {expected!r} at segment {pos + 1}")
        return _PROXY_ROOTS[head][n // 2 - 1]
    if head == "providers":
        if n < 4 or n % 2:
            raise _fail(text, "a provider id is /providers/{namespace}/{type}/{name}...")
        if n == 4 and low[1] == "microsoft.management" and low[2] == "managementgroups":
            return ResourceKind.MANAGEMENT_GROUP
        return ResourceKind.RESOURCE
    if head != "subscriptions" or n < 2:
        raise _fail(text, "an id starts with /subscriptions, /providers or a gallery proxy root")
    if n == 2:
        return ResourceKind.SUBSCRIPTION
    pos = 2
    under_rg = low[2] == "resourcegroups"
    if under_rg:
        if n < 4:
            raise _fail(text, "resourceGroups without a name")
        if n == 4:
            return ResourceKind.RESOURCE_GROUP
        pos = 4
    if low[pos] != "providers" or n - pos < 4 or (n - pos) % 2:
        raise _fail(text, "expected /providers/{namespace}/{type}/{name} after the scope")
    types = low[pos + 2 :: 2]
    gallery_chain = len(types) <= 3 and tuple(types) == _GALLERY_CHAIN[: len(types)]
    if under_rg and low[pos + 1] == "microsoft.compute" and gallery_chain:
        return _GALLERY_KINDS[len(types) - 1]
    return ResourceKind.RESOURCE
