"""The inventory: galleries across subscriptions, the unit loaders return and reports take.

Example:
    >>> from imagegallery import sample_inventory
    >>> inv = sample_inventory()
    >>> len(inv), len(list(inv.galleries())), inv.subscriptions()
    (13, 3, ('11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222'))
    >>> gid = next(inv.galleries()).id
    >>> inv[str(gid).upper()].name
    'myGallery'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final, Literal

import attrs

from imagegallery._schema import ObjectCodec, unstructure
from imagegallery._shapes import az_from_arm, consumer_from_arm
from imagegallery.definition import ImageDefinition
from imagegallery.errors import (
    ConstraintViolationError,
    DuplicateResourceError,
    InvalidFieldError,
    InvalidResourceIdError,
    ResourceNotFoundError,
)
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.version import ImageVersion

__all__ = ["ArmShape", "Entity", "Inventory"]

Entity = Gallery | ImageDefinition | ImageVersion
"""Any of the three resource types."""

_CODECS: Final[Mapping[type, ObjectCodec]] = {
    cls: ObjectCodec(cls) for cls in (Gallery, ImageDefinition, ImageVersion)
}
"""How each resource type is read from and written to ARM JSON."""
_ANNOTATION_PREFIX: Final = "x-imagegallery-"
_DEPTH: Final = {
    ResourceKind.GALLERY: 0,
    ResourceKind.IMAGE_DEFINITION: 1,
    ResourceKind.IMAGE_VERSION: 2,
    ResourceKind.SHARED_GALLERY: 0,
    ResourceKind.SHARED_IMAGE: 1,
    ResourceKind.SHARED_VERSION: 2,
    ResourceKind.COMMUNITY_GALLERY: 0,
    ResourceKind.COMMUNITY_IMAGE: 1,
    ResourceKind.COMMUNITY_VERSION: 2,
}
"""How far below its gallery each kind of id is (publisher ids and consumer proxy ids)."""
ArmShape = Literal["arm", "az"]
"""The shape :meth:`Inventory.to_arm` writes."""


def _galleries(value: Iterable[Gallery] | Mapping[Any, Gallery]) -> Mapping[ResourceId, Gallery]:
    values = value.values() if isinstance(value, Mapping) else value
    out: dict[ResourceId, Gallery] = {}
    for gallery in values:
        if not isinstance(gallery, Gallery):
            raise ConstraintViolationError("expected a Gallery", field="galleries", value=gallery)
        if gallery.id in out:
            raise DuplicateResourceError(
                "gallery listed twice", field="galleries", value=str(gallery.id)
            )
        out[gallery.id] = gallery
    return _FrozenGalleries(sorted(out.items()))


class _FrozenGalleries(dict[ResourceId, Gallery]):
    """A hashable dict that the inventory never mutates after construction."""

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))


@attrs.frozen(cache_hash=True)
class Inventory:
    """Galleries across subscriptions, with their definitions and versions.

    Look-ups take an id string or :class:`ResourceId` in any casing. Iteration helpers yield in a
    stable order: galleries by id, definitions by name, versions by version number.

    Args:
        galleries: The galleries (an iterable, or a mapping whose values are galleries).

    Example:
        >>> from imagegallery import sample_inventory
        >>> inv = sample_inventory()
        >>> small = Inventory(g for g in inv.galleries() if g.name == "myGallery")
        >>> len(small), [d.name for d in small.definitions()]
        (8, ['myImage1', 'myImage2', 'myImage3'])
        >>> small.get("/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/galleries/x")
    """

    _galleries: Mapping[ResourceId, Gallery] = attrs.field(
        factory=dict, converter=_galleries, alias="galleries"
    )

    # -- look-ups ----------------------------------------------------------------------------------

    def __getitem__(self, rid: str | ResourceId) -> Entity:
        found = self.get(rid)
        if found is None:
            raise ResourceNotFoundError(str(rid))
        return found

    def get(self, rid: str | ResourceId) -> Entity | None:
        """The gallery, definition or version with id ``rid``, or ``None``.

        Raises:
            InvalidResourceIdError: ``rid`` is not a well-formed id.
        """
        rid = ResourceId.parse(rid)
        depth = _DEPTH.get(rid.kind)
        if depth is None:
            return None
        gallery_id = rid
        for _ in range(depth):
            parent = gallery_id.parent
            assert parent is not None
            gallery_id = parent
        gallery = self._galleries.get(gallery_id)
        if gallery is None or depth == 0:
            return gallery
        definition = gallery.definitions.get(rid.image or "")
        if definition is None or depth == 1:
            return definition
        return definition.versions.get(rid.version or "")

    def __contains__(self, rid: object) -> bool:
        if not isinstance(rid, str | ResourceId):
            return False
        try:
            return self.get(rid) is not None
        except InvalidResourceIdError:
            return False

    def __len__(self) -> int:
        """The number of image versions."""
        return sum(len(d.versions) for d in self.definitions())

    def galleries(self) -> Iterator[Gallery]:
        """The galleries, ordered by id."""
        return iter(self._galleries.values())

    def definitions(self) -> Iterator[ImageDefinition]:
        """Every image definition, gallery by gallery."""
        for gallery in self._galleries.values():
            yield from gallery.definitions.values()

    def versions(self) -> Iterator[ImageVersion]:
        """Every image version, definition by definition, in version order."""
        for gallery in self._galleries.values():
            for definition in gallery.definitions.values():
                yield from definition.versions.values()

    def subscriptions(self) -> tuple[str, ...]:
        """The subscription ids the inventory spans, sorted (consumer views have none)."""
        return tuple(
            sorted(
                {
                    g.subscription_id.lower(): g.subscription_id
                    for g in self.galleries()
                    if g.subscription_id
                }.values()
            )
        )

    def __repr__(self) -> str:
        return (
            f"Inventory(galleries={len(self._galleries)},"
            f" definitions={sum(1 for _ in self.definitions())}, versions={len(self)})"
        )

    # -- changes -------------------------------------------------------------------------------

    def with_gallery(self, gallery: Gallery) -> Inventory:
        """A new inventory with ``gallery`` added, or replacing the gallery with its id."""
        galleries = dict(self._galleries)
        galleries[gallery.id] = gallery
        return Inventory(galleries)

    def without_gallery(self, rid: str | ResourceId) -> Inventory:
        """A new inventory without the gallery ``rid``.

        Raises:
            ResourceNotFoundError: No such gallery.
        """
        rid = ResourceId.parse(rid)
        if rid not in self._galleries:
            raise ResourceNotFoundError(str(rid))
        return Inventory(g for key, g in self._galleries.items() if key != rid)

    # -- I/O -----------------------------------------------------------------------------------

    def _written(self) -> Iterator[Entity]:
        """The entities :meth:`to_arm` writes, in its order (implied parents are not)."""
        for gallery in self._galleries.values():
            if not gallery.implied:
                yield gallery
            for definition in gallery.definitions.values():
                if not definition.implied:
                    yield definition
                yield from definition.versions.values()

    def to_arm(self, *, annotations: bool = True, shape: ArmShape = "arm") -> list[dict[str, Any]]:
        """Write the inventory as a list of resource dicts: galleries, definitions, versions.

        Implied galleries and definitions (created by the loader to hold orphans) are not
        written. Consumer views (proxy ids) are written as the shared and community gallery APIs
        give them. :func:`imagegallery.arm.dump_arm` does the same.

        Args:
            annotations: Keep the library's own annotations (``x-imagegallery-*`` keys, such
                as measured used sizes). Pass ``False`` for bodies meant for Azure.
            shape: ``"arm"`` (``properties`` nested, as ARM returns them) or ``"az"`` (what the
                ``az`` CLI prints: ``properties`` flattened, ``resourceGroup`` added).

        Example:
            >>> from imagegallery import sample_inventory
            >>> [r["type"] for r in sample_inventory().to_arm()[:2]]
            ['Microsoft.Compute/galleries', 'Microsoft.Compute/galleries/images']
            >>> sorted(sample_inventory().to_arm(shape="az")[0])[:6]
            ['description', 'id', 'identifier', 'location', 'name', 'provisioningState']
        """
        if shape not in ("arm", "az"):
            raise InvalidFieldError("must be 'arm' or 'az'", field="shape", value=shape)
        out = [_write(entity) for entity in self._written()]
        if not annotations:
            out = [_strip_annotations(r) for r in out]
        if shape == "az":
            try:
                out = [az_from_arm(r) for r in out]
            except ValueError as err:
                raise InvalidFieldError(str(err), field="shape", value=shape) from None
        return out


def _write(entity: Entity) -> dict[str, Any]:
    """An entity as JSON: ARM shape, or a consumer view's shape for a proxy id."""
    written = unstructure(_CODECS[type(entity)].spec, entity)
    if entity.id.kind.is_proxy:
        return consumer_from_arm(written, isinstance(entity, ImageVersion))
    return written


def _strip_annotations(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: _strip_annotations(v)
            for k, v in value.items()
            if not k.startswith(_ANNOTATION_PREFIX)
        }
    if isinstance(value, list):
        return [_strip_annotations(v) for v in value]
    return value
