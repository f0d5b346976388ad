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

import importlib
import json
import os
import stat
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, Final, Literal, Protocol

import attrs

from imagegallery._codecs import Reading
from imagegallery._limits import MAX_DEPTH, check_json, parse_json_text
from imagegallery._namemap import NameMap
from imagegallery._schema import ObjectCodec
from imagegallery._shapes import CONSUMER_PUBLISHING, arm_from_az, arm_from_consumer, plain
from imagegallery._speed import paused_gc
from imagegallery.definition import ImageDefinition
from imagegallery.errors import (
    ConstraintViolationError,
    DuplicateResourceError,
    InvalidFieldError,
    InvalidResourceIdError,
    InvalidTypeError,
    LimitExceededError,
    MissingExtraError,
    MissingFieldError,
    UnknownShapeError,
    UnsupportedResourceTypeError,
)
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.inventory import _CODECS, Entity, Inventory, _strip_annotations, _write
from imagegallery.version import ImageVersion

__all__ = [
    "SerializableModel",
    "Shape",
    "dump_arm",
    "iter_arm_resources",
    "load_arm",
    "loads_arm",
    "to_sdk",
]

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


class SerializableModel(Protocol):
    """An msrest model of ``azure-mgmt-compute`` 33 and earlier (later models are mappings)."""

    def serialize(self, keep_readonly: bool = ...) -> Any:
        """The model as ARM JSON."""
        ...


Source = (
    Mapping[str, Any]
    | Sequence[Any]
    | str
    | os.PathLike[str]
    | IO[str]
    | IO[bytes]
    | SerializableModel
)
"""What :func:`load_arm` reads: parsed JSON, mappings or SDK models, a path, or a stream."""
Shape = Literal["auto", "arm", "az", "graph"]
"""The shape of the resources: detected per resource (``"auto"``), or forced."""


def iter_arm_resources(source: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(path, resource dict)`` for every resource in a parsed JSON document.

    Unwraps lists, ARM list envelopes (``{"value": [...]}``) and Azure Resource Graph results
    (``{"data": [...]}``), recursively.

    Raises:
        LimitExceededError: ``source`` nests deeper than the input limit (see
            ``docs/validation.md``), or holds an integer of too many digits.

    Example:
        >>> [p for p, _ in iter_arm_resources({"value": [{"id": "/x"}, {"id": "/y"}]})]
        ['value[0]', 'value[1]']
    """
    check_json(source, path)
    return _resources(source, path)


def _resources(source: Any, path: str, depth: int = 1) -> Iterator[tuple[str, dict[str, Any]]]:
    """:func:`iter_arm_resources` without the check of the whole document: lists and envelopes
    nest at most :data:`~imagegallery._limits.MAX_DEPTH` levels."""
    if depth > MAX_DEPTH:
        raise LimitExceededError(
            f"nested deeper than {MAX_DEPTH} arrays and objects",
            field=path or None,
            limit="depth",
            maximum=MAX_DEPTH,
        )
    if isinstance(source, list | tuple):
        for i, item in enumerate(source):
            yield from _resources(item, f"{path}[{i}]", depth + 1)
        return
    if type(source) is not dict:
        source = _json_of(source, path)
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
                where = f"{path}.{key}[{i}]" if path else f"{key}[{i}]"
                yield from _resources(item, where, depth + 2)
            return
    yield path, source


def _json_of(source: Any, path: str) -> Any:
    """An SDK model or any mapping as plain JSON values (anything else as it is)."""
    if isinstance(source, Mapping):
        check_json(source, path)
        return plain(source)  # azure-mgmt-compute >= 34: models are mappings in ARM shape
    serialize = getattr(source, "serialize", None)
    if callable(serialize) and hasattr(source, "_attribute_map"):  # msrest models (<= 33)
        try:
            data = serialize(keep_readonly=True)
        except Exception as err:  # the SDK raises its own errors for invalid models
            raise InvalidTypeError(
                f"the SDK model cannot be serialized: {err}", field=path or None, value=source
            ) from None
        check_json(data, path)
        return plain(data)
    return source


def _resource_codec(resource: dict[str, Any], path: str) -> ObjectCodec:
    rtype = resource.get("type")
    if isinstance(rtype, str):
        codec = _BY_TYPE.get(rtype.lower())
        if codec is None:
            raise UnsupportedResourceTypeError(
                "not a gallery, image definition or image version"
                + (
                    " (of shared and community galleries, the loader reads the consumer views"
                    " the locations/sharedGalleries and locations/communityGalleries APIs and"
                    " `az sig ... show-shared / show-community` give, not Resource Graph rows)"
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


_CONSUMER_CODECS: Final[dict[ResourceKind, tuple[ObjectCodec, str]]] = {
    ResourceKind.SHARED_GALLERY: (_CODECS[Gallery], "sharedgallery"),
    ResourceKind.SHARED_IMAGE: (_CODECS[ImageDefinition], "sharedgalleryimage"),
    ResourceKind.SHARED_VERSION: (_CODECS[ImageVersion], "sharedgalleryimageversion"),
    ResourceKind.COMMUNITY_GALLERY: (_CODECS[Gallery], "communitygallery"),
    ResourceKind.COMMUNITY_IMAGE: (_CODECS[ImageDefinition], "communitygalleryimage"),
    ResourceKind.COMMUNITY_VERSION: (_CODECS[ImageVersion], "communitygalleryimageversion"),
}
_CONSUMER_TYPE_PREFIX: Final = "microsoft.compute/locations/"
_SHAPES: Final = ("arm", "az", "graph")


def _unknown_shape(reason: str, resource: dict[str, Any], path: str) -> UnknownShapeError:
    rid = resource.get("id") or resource.get("uniqueId") or resource.get("name")
    return UnknownShapeError(
        reason, field=path or None, value=str(rid), keys=sorted(resource), shapes=_SHAPES
    )


def _consumer_id(resource: dict[str, Any]) -> tuple[str, Any] | None:
    """``(key, proxy id)`` of a consumer view (no ``id``, a ``uniqueId``), else ``None``."""
    if "id" in resource:
        return None
    if "uniqueId" in resource:
        return "uniqueId", resource["uniqueId"]
    identifier = resource.get("identifier")
    if type(identifier) is dict and "uniqueId" in identifier:
        return "identifier.uniqueId", identifier["uniqueId"]
    return None


def _read_consumer(
    resource: dict[str, Any], path: str, shape: str, key: str, text: Any
) -> tuple[ObjectCodec, dict[str, Any], bool]:
    try:
        rid = ResourceId.parse(text)
    except InvalidFieldError as err:
        raise err.at(f"{path}.{key}" if path else key) from None
    found = _CONSUMER_CODECS.get(rid.kind)
    if found is None:
        raise InvalidResourceIdError(
            "a consumer view's uniqueId is a /SharedGalleries/... or /CommunityGalleries/... id",
            field=f"{path}.{key}" if path else key,
            value=text,
        )
    codec, type_name = found
    rtype = resource.get("type")
    if rtype is not None and (
        type(rtype) is not str or rtype.lower() != _CONSUMER_TYPE_PREFIX + type_name
    ):
        raise UnsupportedResourceTypeError(
            f"the type of a consumer view whose uniqueId is a {rid.kind.value} id",
            field=f"{path}.type" if path else "type",
            value=rtype,
        )
    az = key == "uniqueId"
    if (shape == "az") != az and shape != "auto":
        raise _unknown_shape(f"a consumer view not in {shape} shape", resource, path)
    if az:
        if "properties" in resource:
            raise _unknown_shape("az prints no properties object", resource, path)
        resource = arm_from_az(resource)
    is_version = codec.cls is ImageVersion
    flat = [k for k in resource if k in codec.spec.prop_keys and k != "identifier"]
    if is_version:
        flat += [k for k in resource if k in CONSUMER_PUBLISHING]
    if flat:
        raise _unknown_shape(
            f"properties ({', '.join(flat)}) next to the properties object", resource, path
        )
    try:
        return codec, arm_from_consumer(resource, is_version), az
    except ValueError as err:
        raise _unknown_shape(str(err), resource, path) from None


def _read_resource(
    resource: dict[str, Any], path: str, shape: str
) -> tuple[ObjectCodec, dict[str, Any], bool]:
    """The codec of ``resource`` and its ARM form; whether it came flattened (``az``)."""
    consumer = _consumer_id(resource)
    if consumer is not None:
        return _read_consumer(resource, path, shape, *consumer)
    codec = _resource_codec(resource, path)
    props = "properties" in resource
    prop_keys = codec.spec.prop_keys
    if shape in {"arm", "graph"} or (shape == "auto" and props):
        if not prop_keys.isdisjoint(resource):
            flat = ", ".join(k for k in resource if k in prop_keys)
            where = "next to the properties object" if props else f"of a resource read as {shape}"
            raise _unknown_shape(f"properties ({flat}) at the top level {where}", resource, path)
        return codec, resource, False
    if props:
        raise _unknown_shape("az prints no properties object", resource, path)
    if shape == "auto" and prop_keys.isdisjoint(resource) and "resourceGroup" not in resource:
        return codec, resource, False  # nothing flattened, nothing added: ARM as it is
    return codec, arm_from_az(resource), True


def _input_path(field: str | None, az: bool, consumer_version: bool) -> str | None:
    """The path of a field of the ARM form in the input it was read from."""
    if field is None:
        return None
    if consumer_version:
        for key in CONSUMER_PUBLISHING:
            field = field.replace(f"properties.publishingProfile.{key}", f"properties.{key}")
        if ".storageProfile." in field:
            field = field.replace(".sizeInGB", ".diskSizeGB")
    if az and field.startswith("properties."):
        field = field[len("properties.") :]
    return field


def _read_source(source: Any, where: str) -> Any:
    """The parsed JSON document of one source of :func:`load_arm`, checked against the limits."""
    if isinstance(source, dict | list | tuple):
        return source  # checked as it is read (docs/validation.md)
    if isinstance(source, Mapping) or hasattr(source, "_attribute_map"):
        return _json_of(source, where)
    if isinstance(source, str | os.PathLike):
        return parse_json_text(_read_file(source), str(source))
    if hasattr(source, "read"):
        return parse_json_text(source.read(), where)
    raise InvalidTypeError(
        "expected a dict, a mapping, an SDK model, a list, a path or a readable stream",
        field=where or None,
        value=source,
    )


def _read_file(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a regular file; anything else (a FIFO, a device, a directory) is refused
    without blocking: the file is opened non-blocking and checked before it is read."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise InvalidFieldError(
            f"cannot read the file: {err.strerror}", value=os.fspath(path)
        ) from None
    except (ValueError, TypeError) as err:  # an embedded NUL, a path of the wrong type
        raise InvalidFieldError(f"not a usable path: {err}", value=path) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InvalidFieldError(
                "not a regular file (load_arm reads files; pass streams as streams)",
                value=os.fspath(path),
            )
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return stream.read()
    except OSError as err:
        raise InvalidFieldError(
            f"cannot read the file: {err.strerror}", value=os.fspath(path)
        ) from None
    finally:
        os.close(fd)


def load_arm(
    *sources: Source, shape: Shape = "auto", ignore_unknown_types: bool = False
) -> Inventory:
    """Load galleries, image definitions and image versions into an :class:`Inventory`.

    Each source may be a resource (a dict, any mapping, an ``azure-mgmt-compute`` model object),
    a list of resources of mixed types in any order, an ARM list envelope
    ``{"value": [...], "nextLink": ...}`` (pass each page, or a list of pages), an Azure Resource
    Graph result ``{"data": [...]}``, a path to a JSON file, or a readable stream. All are
    merged. A resource without ``type`` is typed by its id.

    Only a source given as a ``str`` or an ``os.PathLike`` is a path, and only at the top level
    (a string inside a list or a document is never opened); JSON text goes to :func:`loads_arm`,
    which never touches the file system. A path must name a regular file: FIFOs, devices and
    directories are refused without blocking.

    Input limits apply as values are read (see ``docs/validation.md``): values kept verbatim
    and the lists around resources nest at most 64 arrays and objects deep, integers have at
    most 1,000 digits, numbers are finite (``NaN`` and ``Infinity`` are refused, in text and in
    mappings).

    The shape of each resource is told by its own keys (see ``docs/loading.md``): ARM
    (``properties`` nested; REST responses, Resource Graph rows, SDK models), ``az`` output
    (``properties`` flattened into the top level, ``resourceGroup`` added), and consumer views of
    shared and community galleries (no ``id``, an ``identifier.uniqueId`` proxy id; loaded under
    that id). Keys that fit no shape, or two shapes that disagree, raise
    :class:`~imagegallery.errors.UnknownShapeError`.

    Definitions and versions whose parent is not in the input get an *implied* parent (its id,
    and the location of its first child; ``implied=True``) which :meth:`Inventory.to_arm` does not
    write.

    Args:
        *sources: What to load.
        shape: ``"auto"`` (per resource), or ``"arm"``, ``"az"``, ``"graph"`` to insist on one
            (``"graph"`` reads as ARM and keeps the extra columns).
        ignore_unknown_types: Skip resources of other types (VMs, disks ...) instead of failing.

    Returns:
        The inventory.

    Raises:
        InvalidFieldError: A subclass naming the path of the offending value, for example
            ``[3].properties.publishingProfile.targetRegions[2].regionalReplicaCount``.
        UnsupportedResourceTypeError: A resource of another type (unless ignored).
        UnknownShapeError: A resource in no shape the loader reads, or in two at once.
        DuplicateResourceError: The same id twice with different content (different JSON, even
            where Python calls the values equal: ``1`` and ``true``), or two distinct ids that
            name the same resource (version names that are numerically equal, ``1.1.2`` and
            ``1.01.2``); the message names both input paths.
        LimitExceededError: A document beyond an input limit.

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
        return _load(sources, _check_shape(shape), ignore_unknown_types)


def _check_shape(shape: object) -> str:
    if shape != "auto" and shape not in _SHAPES:
        raise InvalidFieldError(
            "must be 'auto', 'arm', 'az' or 'graph'", field="shape", value=shape
        )
    return str(shape)


def _load(
    sources: tuple[Any, ...], shape: str, ignore_unknown_types: bool, *, parsed: bool = False
) -> Inventory:
    """Load ``sources`` (documents already parsed and checked when ``parsed``)."""
    entities: dict[ResourceId, Entity] = {}
    origins: dict[ResourceId, tuple[str, bool]] = {}  # input path, whether read as az output
    definitions: list[ImageDefinition] = []
    reading = Reading()  # this load's own: dropped when the load returns
    for number, source in enumerate(sources):
        where = f"<source {number + 1}>" if len(sources) > 1 else ""
        document = source if parsed else _read_source(source, where)
        for inner, resource in _resources(document, ""):
            path = inner
            if where:
                path = (
                    f"{where}{inner}" if inner.startswith("[") or not inner else f"{where}.{inner}"
                )
            try:
                codec, arm_form, az = _read_resource(resource, path, shape)
            except UnsupportedResourceTypeError:
                if ignore_unknown_types:
                    continue
                raise
            try:
                reading.az = az
                entity = codec.load(arm_form, reading)
            except InvalidFieldError as err:
                if az or arm_form is not resource:
                    err = err.at("")
                    err.field = _input_path(err.field, az, "publishingProfile" in str(err.field))
                    err.args = (str(err),)
                raise (err.at(path) if path else err) from None
            rid = entity.id
            known = entities.get(rid)
            if known is not None and (known != entity or _json_text(known) != _json_text(entity)):
                raise _duplicate(
                    "the same resource id occurs twice with different content",
                    path,
                    origins[rid][0],
                    str(rid),
                )
            entities[rid] = entity
            origins[rid] = (path, az)
            if type(entity) is ImageDefinition:
                definitions.append(entity)
    _check_identifiers(definitions, origins)
    return assemble(entities.values(), origins)


def _json_text(entity: Entity) -> str:
    """The JSON an entity is written back as, canonical (``1`` and ``true`` differ here)."""
    return json.dumps(_write(entity), sort_keys=True, default=str)


def _duplicate(reason: str, path: str, first: str, value: str) -> DuplicateResourceError:
    where = f"{path}.id" if path else "id"
    before = f"{first}.id" if first else "id"
    return DuplicateResourceError(f"{reason}; first at {before}", field=where, value=value)


def _check_identifiers(
    definitions: Iterable[ImageDefinition], origins: Mapping[ResourceId, tuple[str, bool]]
) -> None:
    """Publisher/offer/SKU triples are unique in a gallery; the error names both input paths."""
    seen: dict[tuple[ResourceId, tuple[str, str, str]], ResourceId] = {}
    for entity in definitions:
        identifier = entity.identifier
        if identifier is None or identifier.undisclosed:
            continue
        first = seen.setdefault((entity.gallery_id, identifier.key), entity.id)
        if first != entity.id:
            path, az = origins[entity.id]
            first_path, first_az = origins[first]
            field = _input_path("properties.identifier", az, False) or ""
            first_field = _input_path("properties.identifier", first_az, False) or ""
            raise ConstraintViolationError(
                f"image definitions {first.name!r} and {entity.name!r} share the identifier"
                f" {identifier} (publisher/offer/sku must be unique in a gallery); the first at"
                f" {f'{first_path}.{first_field}' if first_path else first_field}",
                field=f"{path}.{field}" if path else field,
                value=str(identifier),
            )


def loads_arm(
    text: str | bytes, *, shape: Shape = "auto", ignore_unknown_types: bool = False
) -> Inventory:
    """Like :func:`load_arm`, from JSON text.

    The text is only ever parsed: a JSON string (``'"/etc/passwd"'``) is a string, never a path,
    and no file is opened. The input limits of :func:`load_arm` apply.

    Example:
        >>> loads_arm("[]")
        Inventory(galleries=0, definitions=0, versions=0)
        >>> loads_arm('"/etc/passwd"')
        Traceback (most recent call last):
        ...
        imagegallery.errors.InvalidTypeError: expected a resource object, ... (got '/etc/passwd')
    """
    if not isinstance(text, str | bytes | bytearray):
        raise InvalidTypeError("expected JSON text (str or bytes)", field="text", value=text)
    checked = _check_shape(shape)
    with paused_gc():  # the parse too: JSON documents are acyclic (see imagegallery._speed)
        document = parse_json_text(text, "")
        return _load((document,), checked, ignore_unknown_types, parsed=True)


def assemble(
    entities: Iterable[Entity], origins: Mapping[ResourceId, tuple[str, bool]] | None = None
) -> Inventory:
    """Nest loose galleries, definitions and versions by id into an :class:`Inventory`.

    Children already nested in a given gallery or definition are kept; loose children are
    added, and missing parents are implied. Two loose versions whose names are numerically
    equal (``1.1.2`` and ``1.0001.2``: one version to Azure) raise
    :class:`~imagegallery.errors.DuplicateResourceError` naming both (at their input paths, from
    ``origins``).
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
            if len(merged) < len(definition.versions) + len(children):
                _numeric_clash(children, origins or {})
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


def _numeric_clash(
    children: Iterable[ImageVersion], origins: Mapping[ResourceId, tuple[str, bool]]
) -> None:
    seen: dict[tuple[int, int, int], ResourceId] = {}
    for version in children:
        rid = version.id
        other = seen.setdefault(version.name.key, rid)
        if other != rid:
            first, second = sorted((other, rid), key=lambda r: origins.get(r, ("", False))[0])
            raise _duplicate(
                f"the version names {first.name!r} and {second.name!r} are numerically equal"
                " (Azure compares version names as numbers): they name one version",
                origins.get(second, ("", False))[0],
                origins.get(first, ("", False))[0],
                str(second),
            )


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


_SDK_MODELS: Final[dict[type, tuple[str, str, str]]] = {
    Gallery: ("Gallery", "SharedGallery", "CommunityGallery"),
    ImageDefinition: ("GalleryImage", "SharedGalleryImage", "CommunityGalleryImage"),
    ImageVersion: (
        "GalleryImageVersion",
        "SharedGalleryImageVersion",
        "CommunityGalleryImageVersion",
    ),
}


def to_sdk(target: Inventory | Entity, *, annotations: bool = True) -> Any:
    """The ``azure.mgmt.compute.models`` objects of an inventory (a list, in the order of
    :meth:`Inventory.to_arm`) or of one gallery, definition or version.

    Publisher resources become ``Gallery``, ``GalleryImage`` and ``GalleryImageVersion``;
    consumer views ``SharedGallery...`` or ``CommunityGallery...`` objects. Works with the
    installed SDK of either generation (models that are mappings, from 34.0; msrest models
    before). Needs the ``azure`` extra.

    Args:
        target: What to convert.
        annotations: Keep ``x-imagegallery-*`` keys (models that are mappings keep them; msrest
            models drop keys they do not know).

    Raises:
        MissingExtraError: ``azure-mgmt-compute`` is not installed.

    Example:
        >>> from imagegallery import sample_inventory
        >>> [type(m).__name__ for m in to_sdk(sample_inventory())[:3]]  # doctest: +SKIP
        ['Gallery', 'GalleryImage', 'GalleryImageVersion']
    """
    try:
        models = importlib.import_module("azure.mgmt.compute.models")
    except ImportError:
        raise MissingExtraError(
            "to_sdk needs the Azure SDK: pip install 'imagegallery[azure]'"
        ) from None
    if isinstance(target, Inventory):
        return [_sdk_model(models, entity, annotations) for entity in target._written()]
    if not isinstance(target, Gallery | ImageDefinition | ImageVersion):
        raise InvalidTypeError(
            "expected an Inventory, Gallery, ImageDefinition or ImageVersion",
            field="target",
            value=target,
        )
    return _sdk_model(models, target, annotations)


def _sdk_model(models: Any, entity: Entity, annotations: bool) -> Any:
    kind = entity.id.kind
    names = _SDK_MODELS[type(entity)]
    name = names[0] if not kind.is_proxy else names[1 if "SHARED" in kind.name else 2]
    cls: Any = getattr(models, name)
    data = _write(entity)
    if not annotations:
        data = _strip_annotations(data)
    is_mapping = isinstance(cls, type) and issubclass(cls, Mapping)
    if is_mapping:
        return cls(data)
    return cls.deserialize(data)  # msrest models (azure-mgmt-compute <= 33)
