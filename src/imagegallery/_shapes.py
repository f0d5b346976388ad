"""The shapes a resource comes in, mapped to and from ARM's own shape, one JSON object at a time.

* **ARM** (REST responses, Resource Graph rows, SDK models): the resource's properties are nested
  under ``properties``. This is the shape entities are read from and written to.
* **az**: what the ``az`` CLI prints. Its generated commands flatten ``properties`` into the top
  level, and its output step adds ``resourceGroup`` (parsed from ``id``) to every object that has
  an ``id`` of a resource in a resource group, nested ones included (but not below
  ``sourceVault``). Consumer views also have ``identifier.uniqueId`` flattened to ``uniqueId``.
* **consumer views**: what a consumer of a direct-shared or community gallery gets (the
  ``/locations/{region}/sharedGalleries/...`` and ``communityGalleries/...`` responses): no
  ``id`` but ``identifier.uniqueId``, a proxy id; an image version's ``publishedDate``,
  ``endOfLifeDate`` and ``excludeFromLatest`` sit directly in ``properties`` (the publisher's
  view nests them in ``publishingProfile``) and its disk images give ``diskSizeGB`` (the
  publisher's ``sizeInGB``).

Every function here returns new objects and leaves its argument as it was; objects it does not
change are shared, not copied.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = [
    "AZ_ENVELOPE",
    "CONSUMER_PUBLISHING",
    "arm_from_az",
    "arm_from_consumer",
    "az_from_arm",
    "az_resource_group",
    "consumer_from_arm",
    "plain",
    "without_az_resource_groups",
]

AZ_ENVELOPE: Final = frozenset(
    {
        "id",
        "name",
        "type",
        "location",
        "tags",
        "identity",
        "etag",
        "kind",
        "managedBy",
        "plan",
        "sku",
        "zones",
        "extendedLocation",
        "systemData",
    }
)
"""Top-level keys of a resource that ``az`` keeps at the top (everything else came from
``properties``)."""
CONSUMER_PUBLISHING: Final = ("publishedDate", "endOfLifeDate", "excludeFromLatest")
"""The keys of a consumer's image version that the publisher's view has in
``publishingProfile``."""
_RG: Final = "resourceGroup"
_AZ_TOP: Final = AZ_ENVELOPE | {_RG}
_NOT_BELOW: Final = "sourceVault"


def plain(value: Any) -> Any:
    """Any mapping (an SDK model, a ``MappingProxyType`` ...) as dicts and lists, recursively.

    Plain dicts and lists that hold only plain values are returned as they are.

    Example:
        >>> from types import MappingProxyType
        >>> plain(MappingProxyType({"a": (1, MappingProxyType({"b": None}))}))
        {'a': [1, {'b': None}]}
    """
    kind = type(value)
    if kind is dict or kind is list:
        return _rebuilt(value, plain, value if kind is dict else None)
    if isinstance(value, Mapping):
        return {key: plain(item) for key, item in value.items()}
    if kind is tuple:
        return [plain(item) for item in value]
    return value


def az_resource_group(obj: Mapping[str, Any]) -> str | None:
    """The ``resourceGroup`` that ``az`` adds to ``obj``: the segment after ``resourceGroups``
    in its ``id`` (an id of at least nine ``/`` parts), or ``None``.

    Example:
        >>> az_resource_group({"id": "/subscriptions/s/resourceGroups/rg/providers/P/t/n"})
        'rg'
        >>> az_resource_group({"id": "/subscriptions/s/resourceGroups/rg"}) is None
        True
    """
    rid = obj.get("id")
    if type(rid) is not str or not rid:
        return None
    parts = rid.split("/", 9)
    if len(parts) > 8 and parts[3].lower() == "resourcegroups":
        return parts[4]
    return None


def without_az_resource_groups(value: Any) -> Any:
    """``value`` without the ``resourceGroup`` keys ``az`` added (those equal to what ``az``
    derives from the object's ``id``); a ``resourceGroup`` of any other value stays.

    Example:
        >>> src = {"id": "/subscriptions/s/resourceGroups/rg/providers/P/images/i",
        ...        "resourceGroup": "rg"}
        >>> without_az_resource_groups({"source": src})
        {'source': {'id': '/subscriptions/s/resourceGroups/rg/providers/P/images/i'}}
    """
    if type(value) is dict:
        if _RG in value and value[_RG] == az_resource_group(value):
            value = {k: v for k, v in value.items() if k != _RG}
        return _rebuilt(value, without_az_resource_groups, value)
    if type(value) is list:
        return _rebuilt(value, without_az_resource_groups, None)
    return value


def _rebuilt(value: Any, change: Any, keys: dict[str, Any] | None) -> Any:
    """``value`` (a dict given as ``keys``, or a list) with ``change`` applied to its items;
    ``value`` itself when no item changes (``sourceVault`` items are left as they are)."""
    if keys is None:
        items = [change(item) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    out = None
    for key, item in keys.items():
        if key == _NOT_BELOW and change is without_az_resource_groups:
            continue
        new = change(item)
        if new is not item:
            if out is None:
                out = dict(keys)
            out[key] = new
    return value if out is None else out


def _with_az_resource_groups(value: Any) -> Any:
    if type(value) is dict:
        out = dict(value)
        if _RG not in out:
            group = az_resource_group(out)
            if group is not None:
                out[_RG] = group
        for key, item in value.items():
            if key != _NOT_BELOW and (type(item) is dict or type(item) is list):
                out[key] = _with_az_resource_groups(item)
        return out
    if type(value) is list:
        return [_with_az_resource_groups(item) for item in value]
    return value


def arm_from_az(resource: Mapping[str, Any]) -> dict[str, Any]:
    """The ARM form of a resource as ``az`` prints it: ``properties`` nested again. The
    ``resourceGroup`` keys ``az`` added stay; the reader drops them as it visits each object
    (:func:`without_az_resource_groups` does it for a whole value).

    Example:
        >>> arm_from_az({"id": "/subscriptions/s/resourceGroups/rg/providers/P/galleries/g",
        ...              "resourceGroup": "rg", "location": "eastus", "description": "d"})
        {'id': '/subscriptions/s/resourceGroups/rg/providers/P/galleries/g', 'resourceGroup': 'rg', 'location': 'eastus', 'properties': {'description': 'd'}}
    """  # noqa: E501
    top: dict[str, Any] = {}
    props: dict[str, Any] = {}
    envelope = _AZ_TOP
    for key, value in resource.items():
        if key in envelope:
            top[key] = value
        elif key == "uniqueId":
            top["identifier"] = {"uniqueId": value}
        else:
            props[key] = value
    top["properties"] = props
    return top


def az_from_arm(resource: Mapping[str, Any]) -> dict[str, Any]:
    """What ``az`` prints for an ARM resource: ``properties`` flattened into the top level (and
    a consumer view's ``identifier.uniqueId`` as ``uniqueId``), ``resourceGroup`` added.

    Raises:
        ValueError: A property has the name of a top-level key with another value (``az``
            could not print both).

    Example:
        >>> az_from_arm({"id": "/subscriptions/s/resourceGroups/rg/providers/P/galleries/g",
        ...              "properties": {"description": "d"}})
        {'id': '/subscriptions/s/resourceGroups/rg/providers/P/galleries/g', 'description': 'd', 'resourceGroup': 'rg'}
    """  # noqa: E501
    out: dict[str, Any] = {}
    for key, value in resource.items():
        if key == "properties":
            continue
        if key == "identifier" and type(value) is dict and list(value) == ["uniqueId"]:
            out["uniqueId"] = value["uniqueId"]
        else:
            out[key] = value
    props = resource.get("properties")
    if type(props) is dict:
        for key, value in props.items():
            if key in out and out[key] != value:
                raise ValueError(f"the property {key!r} has the name of a top-level key")
            out[key] = value
    result: dict[str, Any] = _with_az_resource_groups(out)
    return result


def _renamed_disks(profile: Any, old: str, new: str) -> Any:
    """A storage profile whose disk images have the key ``old`` renamed ``new``."""
    if type(profile) is not dict:
        return profile
    out = dict(profile)
    for key in ("osDiskImage", "dataDiskImages"):
        disks = profile.get(key)
        if type(disks) is dict:
            out[key] = _renamed(disks, old, new)
        elif type(disks) is list:
            out[key] = [_renamed(d, old, new) if type(d) is dict else d for d in disks]
    return out


def _renamed(disk: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    if old not in disk:
        return disk
    if new in disk:
        raise ValueError(f"a disk image has both {old!r} and {new!r}")
    return {(new if key == old else key): value for key, value in disk.items()}


def arm_from_consumer(resource: Mapping[str, Any], is_version: bool) -> dict[str, Any]:
    """The publisher's shape of a consumer view: ``id`` from ``identifier.uniqueId`` (an
    ``identifier`` holding only that is dropped), and for a version, the publishing keys nested
    in ``publishingProfile`` and ``diskSizeGB`` read as ``sizeInGB``.

    Raises:
        ValueError: The view holds keys of both shapes (``publishingProfile``, or a disk with
            both sizes).

    Example:
        >>> arm_from_consumer({"identifier": {"uniqueId": "/SharedGalleries/g/Images/i/Versions/1.0.0"},
        ...                    "location": "westus", "properties": {"excludeFromLatest": True}}, True)
        {'location': 'westus', 'properties': {'publishingProfile': {'excludeFromLatest': True}}, 'id': '/SharedGalleries/g/Images/i/Versions/1.0.0'}
    """  # noqa: E501
    out = {key: value for key, value in resource.items() if key != "identifier"}
    identifier = resource["identifier"]
    if list(identifier) != ["uniqueId"]:
        out["identifier"] = identifier
    out["id"] = identifier["uniqueId"]
    props = resource.get("properties")
    if is_version and type(props) is dict:
        if "publishingProfile" in props:
            raise ValueError("a consumer view has no publishingProfile")
        publishing = {key: props[key] for key in CONSUMER_PUBLISHING if key in props}
        rest = {key: value for key, value in props.items() if key not in publishing}
        if "storageProfile" in rest:
            rest["storageProfile"] = _renamed_disks(
                rest["storageProfile"], "diskSizeGB", "sizeInGB"
            )
        out["properties"] = {"publishingProfile": publishing, **rest}
    return out


def consumer_from_arm(resource: Mapping[str, Any], is_version: bool) -> dict[str, Any]:
    """The inverse of :func:`arm_from_consumer`.

    Example:
        >>> consumer_from_arm({"id": "/SharedGalleries/g", "location": "westus"}, False)
        {'location': 'westus', 'identifier': {'uniqueId': '/SharedGalleries/g'}}
    """
    out = {key: value for key, value in resource.items() if key != "id"}
    if "identifier" not in out:
        out["identifier"] = {"uniqueId": resource["id"]}
    props = resource.get("properties")
    if is_version and type(props) is dict:
        flat = dict(props.get("publishingProfile") or {})
        for key, value in props.items():
            if key == "publishingProfile":
                continue
            if key == "storageProfile":
                flat[key] = _renamed_disks(value, "sizeInGB", "diskSizeGB")
            else:
                flat[key] = value
        out["properties"] = flat
    return out
