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
from typing import Any, Final

import attrs

from imagegallery._schema import ObjectCodec, unstructure
from imagegallery.definition import ImageDefinition
from imagegallery.errors import (
    ConstraintViolationError,
    DuplicateResourceError,
    InvalidResourceIdError,
    ResourceNotFoundError,
)
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.version import ImageVersion

__all__ = ["Entity", "Inventory"]

Entity = Gallery | ImageDefinition | ImageVersion
"""Any of the three resource types."""

_CODECS: Final[Mapping[type, ObjectCodec]] = {
    cls: ObjectCodec(cls) for cls in (Gallery, ImageDefinition, ImageVersion)
}
"""How each resource type is read from and written to ARM JSON."""
_ANNOTATION_PREFIX: Final = "x-imagegallery-"


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
        kind = rid.kind
        if kind not in (
            ResourceKind.GALLERY,
            ResourceKind.IMAGE_DEFINITION,
            ResourceKind.IMAGE_VERSION,
        ):
            return None
        gallery_id = rid
        while gallery_id.kind is not ResourceKind.GALLERY:
            parent = gallery_id.parent
            assert parent is not None
            gallery_id = parent
        gallery = self._galleries.get(gallery_id)
        if gallery is None or kind is ResourceKind.GALLERY:
            return gallery
        definition = gallery.definitions.get(rid.image or "")
        if definition is None or kind is ResourceKind.IMAGE_DEFINITION:
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
        """The subscription ids the inventory spans, sorted."""
        return tuple(
            sorted(
                {g.subscription_id.lower(): g.subscription_id for g in self.galleries()}.values()
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

    def to_arm(self, *, annotations: bool = True) -> list[dict[str, Any]]:
        """Write the inventory as a list of ARM resource dicts: galleries, definitions, versions.

        Implied galleries and definitions (created by the loader to hold orphans) are not
        written. :func:`imagegallery.arm.dump_arm` does the same.

        Args:
            annotations: Keep the library's own annotations (``x-imagegallery-*`` keys, such
                as measured used sizes). Pass ``False`` for bodies meant for Azure.

        Example:
            >>> from imagegallery import sample_inventory
            >>> [r["type"] for r in sample_inventory().to_arm()[:2]]
            ['Microsoft.Compute/galleries', 'Microsoft.Compute/galleries/images']
        """
        gallery_spec = _CODECS[Gallery].spec
        definition_spec = _CODECS[ImageDefinition].spec
        version_spec = _CODECS[ImageVersion].spec
        out: list[dict[str, Any]] = []
        for gallery in self._galleries.values():
            if not gallery.implied:
                out.append(unstructure(gallery_spec, gallery))
            for definition in gallery.definitions.values():
                if not definition.implied:
                    out.append(unstructure(definition_spec, definition))
                out.extend(unstructure(version_spec, v) for v in definition.versions.values())
        if not annotations:
            out = [_strip_annotations(r) for r in out]
        return out


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
