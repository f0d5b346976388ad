"""Reading and writing ARM JSON: resources, list envelopes, Resource Graph results, files.

``load_arm`` accepts what Azure tools print and assembles the hierarchy by id; ``dump_arm`` (and
:meth:`Inventory.to_arm`) writes ARM resource dicts back. The round trip is lossless: properties the
library does not model are kept verbatim, and values it normalizes (display-form regions, 7-digit
fractional seconds, explicit ``null``) are written back exactly as they came.

Example:
    >>> from imagegallery import load_arm, sample_inventory
    >>> inv = sample_inventory()
    >>> load_arm(inv.to_arm()) == inv
    True
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Final

import attrs

from imagegallery._namemap import NameMap
from imagegallery._schema import ObjectCodec
from imagegallery._speed import Interner, paused_gc
from imagegallery.definition import ImageDefinition
from imagegallery.errors import (
    DuplicateResourceError,
    InvalidFieldError,
    InvalidResourceIdError,
    InvalidTypeError,
    MalformedJsonError,
    MissingFieldError,
    UnsupportedResourceTypeError,
)
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.inventory import _CODECS, Entity, Inventory
from imagegallery.version import ImageVersion

__all__ = ["dump_arm", "iter_arm_resources", "load_arm", "loads_arm"]

_BY_TYPE: Final[dict[str, ObjectCodec]] = {
    "microsoft.compute/galleries": _CODECS[Gallery],
    "microsoft.compute/galleries/images": _CODECS[ImageDefinition],
    "microsoft.compute/galleries/images/versions": _CODECS[ImageVersion],
}
_BY_KIND: Final[dict[ResourceKind, ObjectCodec]] = {
    ResourceKind.GALLERY: _CODECS[Gallery],
    ResourceKind.IMAGE_DEFINITION: _CODECS[ImageDefinition],
    ResourceKind.IMAGE_VERSION: _CODECS[ImageVersion],
}

Source = Mapping[str, Any] | Sequence[Any] | str | os.PathLike[str] | IO[str] | IO[bytes]
"""What :func:`load_arm` reads: parsed JSON, a path, or a readable stream."""


def iter_arm_resources(source: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(path, resource dict)`` for every resource in a parsed JSON document.

    Unwraps lists, ARM list envelopes (``{"value": [...]}``) and Azure Resource Graph results
    (``{"data": [...]}``), recursively.

    Example:
        >>> [p for p, _ in iter_arm_resources({"value": [{"id": "/x"}, {"id": "/y"}]})]
        ['value[0]', 'value[1]']
    """
    if isinstance(source, list):
        for i, item in enumerate(source):
            yield from iter_arm_resources(item, f"{path}[{i}]")
        return
    if not isinstance(source, dict):
        raise InvalidTypeError(
            "expected a resource object, a list, or a {'value': [...]} / {'data': [...]} envelope",
            field=path or None,
            value=source,
        )
    for key in ("value", "data"):
        items = source.get(key)
        if key in source and "id" not in source and "properties" not in source:
            if isinstance(items, dict) and "rows" in items:
                raise InvalidTypeError(
                    "Resource Graph results in table format are not supported;"
                    " ask for the objectArray result format",
                    field=f"{path}.{key}" if path else key,
                    value="table",
                )
            if not isinstance(items, list):
                raise InvalidTypeError(
                    "expected an array", field=f"{path}.{key}" if path else key, value=items
                )
            for i, item in enumerate(items):
                yield from iter_arm_resources(item, f"{path}.{key}[{i}]" if path else f"{key}[{i}]")
            return
    yield path, source


def _resource_codec(resource: dict[str, Any], path: str) -> ObjectCodec:
    rtype = resource.get("type")
    if isinstance(rtype, str):
        codec = _BY_TYPE.get(rtype.lower())
        if codec is None:
            raise UnsupportedResourceTypeError(
                "not a gallery, image definition or image version"
                + (
                    " (consumer views of shared and community galleries are not inventory"
                    " resources; load the publisher's gallery instead)"
                    if "communitygallery" in rtype.lower() or "sharedgallery" in rtype.lower()
                    else ""
                ),
                field=f"{path}.type" if path else "type",
                value=rtype,
            )
        return codec
    if rtype is not None:
        raise InvalidTypeError(
            "expected a string", field=f"{path}.type" if path else "type", value=rtype
        )
    rid = resource.get("id")
    if rid is None:
        unique = resource.get("identifier", {})
        if isinstance(unique, dict) and "uniqueId" in unique:
            raise UnsupportedResourceTypeError(
                "a consumer view of a shared or community gallery (it has identifier.uniqueId"
                " and no id) is not an inventory resource",
                field=f"{path}.identifier.uniqueId" if path else "identifier.uniqueId",
                value=unique["uniqueId"],
            )
        raise MissingFieldError("required field is missing", field=f"{path}.id" if path else "id")
    try:
        kind = ResourceId.parse(rid).kind
    except InvalidFieldError as err:
        raise err.at(f"{path}.id" if path else "id") from None
    codec = _BY_KIND.get(kind)
    if codec is None:
        raise InvalidResourceIdError(
            "the resource has no type and its id is not that of a gallery, image definition or"
            " image version (/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute"
            "/galleries/{gallery}[/images/{image}[/versions/{version}]])",
            field=f"{path}.id" if path else "id",
            value=rid,
        )
    return codec


def _read_source(source: Any, where: str) -> Any:
    if isinstance(source, dict | list):
        return source
    if isinstance(source, str | os.PathLike):
        try:
            text: str | bytes = Path(source).read_bytes()
        except OSError as err:
            raise InvalidFieldError(
                f"cannot read the file: {err.strerror}", value=str(source)
            ) from None
        return _parse_json(text, str(source))
    if hasattr(source, "read"):
        return _parse_json(source.read(), where)
    raise InvalidTypeError(
        "expected a dict, a list, a path or a readable stream", field=where or None, value=source
    )


def _parse_json(text: str | bytes, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise MalformedJsonError(
            f"not valid JSON: {err.msg} at line {err.lineno} column {err.colno}",
            field=where or None,
            value=err.doc[max(0, err.pos - 20) : err.pos + 20],
        ) from None
    except UnicodeDecodeError as err:
        raise MalformedJsonError(
            f"not valid UTF-8 JSON: {err.reason}", field=where or None
        ) from None


def load_arm(*sources: Source, ignore_unknown_types: bool = False) -> Inventory:
    """Load galleries, image definitions and image versions into an :class:`Inventory`.

    Each source may be a resource dict, a list of resources of mixed types in any order, an ARM
    list envelope ``{"value": [...], "nextLink": ...}`` (pass each page, or a list of pages), an
    Azure Resource Graph result ``{"data": [...]}``, a path to a JSON file, or a readable stream.
    All are merged. A resource without ``type`` is typed by its id.

    Definitions and versions whose parent is not in the input get an *implied* parent (its id,
    and the location of its first child; ``implied=True``) which :meth:`Inventory.to_arm` does not
    write.

    Args:
        *sources: What to load.
        ignore_unknown_types: Skip resources of other types (VMs, disks ...) instead of failing.

    Returns:
        The inventory.

    Raises:
        InvalidFieldError: A subclass naming the path of the offending value, for example
            ``[3].properties.publishingProfile.targetRegions[2].regionalReplicaCount``.
        UnsupportedResourceTypeError: A resource of another type (unless ignored).
        DuplicateResourceError: The same id twice with different content.

    Example:
        >>> inv = load_arm({
        ...     "id": "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute"
        ...           "/galleries/g1/images/img/versions/1.0.0",
        ...     "location": "West Europe",
        ...     "properties": {"storageProfile": {}, "publishingProfile": {"targetRegions": [
        ...         {"name": "West Europe", "regionalReplicaCount": 0}]}},
        ... })
        Traceback (most recent call last):
        ...
        imagegallery.errors.InvalidFieldError: properties.publishingProfile.targetRegions[0]...
    """
    with paused_gc():
        return _load(sources, ignore_unknown_types)


def _load(sources: tuple[Source, ...], ignore_unknown_types: bool) -> Inventory:
    entities: dict[ResourceId, Entity] = {}
    interner = Interner()  # this load's own: dropped when the load returns
    for number, source in enumerate(sources):
        where = f"<source {number + 1}>" if len(sources) > 1 else ""
        document = _read_source(source, where)
        for path, resource in iter_arm_resources(document):
            try:
                codec = _resource_codec(resource, path)
            except UnsupportedResourceTypeError:
                if ignore_unknown_types:
                    continue
                raise
            try:
                entity = codec.load(resource, interner)
            except InvalidFieldError as err:
                raise (err.at(path) if path else err) from None
            known = entities.get(entity.id)
            if known is not None and known != entity:
                raise DuplicateResourceError(
                    "the same resource id occurs twice with different content",
                    field=f"{path}.id" if path else "id",
                    value=str(entity.id),
                )
            entities[entity.id] = entity
    return assemble(entities.values())


def loads_arm(text: str | bytes, *, ignore_unknown_types: bool = False) -> Inventory:
    """Like :func:`load_arm`, from JSON text.

    Example:
        >>> loads_arm("[]")
        Inventory(galleries=0, definitions=0, versions=0)
    """
    with paused_gc():
        return _load((_parse_json(text, ""),), ignore_unknown_types)


def assemble(entities: Iterable[Entity]) -> Inventory:
    """Nest loose galleries, definitions and versions by id into an :class:`Inventory`.

    Children already nested in a given gallery or definition are kept; loose children are
    added, and missing parents are implied.
    """
    galleries: dict[ResourceId, Gallery] = {}
    definitions: dict[ResourceId, ImageDefinition] = {}
    versions: dict[ResourceId, list[ImageVersion]] = {}
    for entity in entities:
        if isinstance(entity, Gallery):
            galleries[entity.id] = entity
        elif isinstance(entity, ImageDefinition):
            definitions[entity.id] = entity
        else:
            versions.setdefault(entity.definition_id, []).append(entity)
    by_gallery: dict[ResourceId, list[ImageDefinition]] = {}
    for def_id in definitions.keys() | versions.keys():
        children = versions.get(def_id, [])
        definition = definitions.get(def_id)
        if definition is None:
            children.sort(key=lambda v: v.name)
            definition = ImageDefinition(id=def_id, location=children[0].location, implied=True)
        if children:
            merged = {v.name: v for v in definition.versions.values()}
            merged.update((v.name, v) for v in children)
            definition = attrs.evolve(definition, versions=NameMap(merged.values()))
        by_gallery.setdefault(definition.gallery_id, []).append(definition)
    for gallery_id, defs in by_gallery.items():
        gallery = galleries.get(gallery_id)
        if gallery is None:
            defs.sort(key=lambda d: d.name.lower())
            gallery = Gallery(id=gallery_id, location=defs[0].location, implied=True)
        merged_defs = {d.name.lower(): d for d in gallery.definitions.values()}
        merged_defs.update((d.name.lower(), d) for d in defs)
        galleries[gallery_id] = attrs.evolve(gallery, definitions=NameMap(merged_defs.values()))
    return Inventory(galleries.values())


def dump_arm(inventory: Inventory, *, annotations: bool = True) -> list[dict[str, Any]]:
    """Write an inventory as ARM resource dicts (galleries, then their definitions and versions).

    The same as :meth:`Inventory.to_arm`.

    Args:
        inventory: What to write.
        annotations: Keep ``x-imagegallery-*`` annotation keys (measured used sizes).

    Example:
        >>> from imagegallery import sample_inventory
        >>> for resource in dump_arm(sample_inventory())[:3]:
        ...     print(resource["type"])
        Microsoft.Compute/galleries
        Microsoft.Compute/galleries/images
        Microsoft.Compute/galleries/images/versions
    """
    return inventory.to_arm(annotations=annotations)
