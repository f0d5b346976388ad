"""Changing entities the way Azure allows: updates, children added and removed.

Entities are immutable; every function here returns new objects and leaves its arguments as they
were. :func:`update` allows exactly the properties Azure lets you change after creation and raises
:class:`~imagegallery.errors.ImmutablePropertyError` for the others.

=================  ===========================================================================
entity             updatable
=================  ===========================================================================
gallery            ``description``, ``tags``, ``identity``
image definition   ``description``, ``recommended``, ``end_of_life_date``, ``release_note_uri``,
                   ``tags``; ``features`` only together with ``allow_update_image=True``
image version      ``tags``; target regions (add, remove, replica counts, regional
                   exclude-from-latest — but not an existing region's storage type or
                   encryption), ``replica_count``, ``exclude_from_latest``, ``end_of_life_date``,
                   ``target_extended_locations``; safety flags
                   ``allow_deletion_of_replicated_locations`` and
                   ``block_deletion_before_end_of_life``
=================  ===========================================================================

Example:
    >>> from imagegallery import sample_inventory, update, ImmutablePropertyError
    >>> inv = sample_inventory()
    >>> v = next(inv.versions())
    >>> update(v, exclude_from_latest=True).exclude_from_latest
    True
    >>> update(v, location="eastus")
    Traceback (most recent call last):
    ...
    imagegallery.errors.ImmutablePropertyError: location: image version property 'location' ...
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any, Final, ParamSpec, TypeVar

import attrs

from imagegallery._limits import check_json
from imagegallery._namemap import NameMap
from imagegallery._schema import structure, unstructure
from imagegallery.definition import ImageDefinition
from imagegallery.errors import (
    ConstraintViolationError,
    ImageGalleryError,
    ImmutablePropertyError,
    InvalidFieldError,
    InvalidTypeError,
    ResourceNotFoundError,
    UnknownPropertyError,
)
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId
from imagegallery.inventory import _CODECS, Entity, Inventory
from imagegallery.publishing import PublishingProfile
from imagegallery.safety import SafetyProfile
from imagegallery.storage import StorageProfile
from imagegallery.version import ImageVersion

__all__ = [
    "put",
    "remove",
    "update",
    "update_in",
    "with_definition",
    "with_used_size",
    "with_version",
    "without_definition",
    "without_version",
]

_E = TypeVar("_E", bound=Gallery | ImageDefinition | ImageVersion)

_GALLERY: Final = frozenset({"description", "tags", "identity"})
_DEFINITION: Final = frozenset(
    {"description", "recommended", "end_of_life_date", "release_note_uri", "tags", "features"}
)
_VERSION_PUBLISHING: Final = frozenset(
    {
        "target_regions",
        "replica_count",
        "exclude_from_latest",
        "end_of_life_date",
        "target_extended_locations",
    }
)
_VERSION_SAFETY: Final = frozenset(
    {"allow_deletion_of_replicated_locations", "block_deletion_before_end_of_life"}
)
_PUBLISHING_FIELDS: Final = frozenset(attrs.fields_dict(PublishingProfile))
_CHILDREN: Final = frozenset({"definitions", "versions"})
_NAMES: Final = {
    Gallery: "gallery",
    ImageDefinition: "image definition",
    ImageVersion: "image version",
}


_T = TypeVar("_T")
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _guarded(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Meet arguments of the wrong kind with an :class:`InvalidTypeError` naming them.

    The functions check what they can name precisely; anything that still fails inside with a
    builtin error (an attribute missing on a value of the wrong type ...) is reported against
    the arguments, never as a bare ``TypeError``/``AttributeError``/``KeyError``.
    """

    @functools.wraps(func)
    def call(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return func(*args, **kwargs)
        except ImageGalleryError:
            raise
        except (TypeError, ValueError, AttributeError, KeyError, LookupError) as err:
            names = ", ".join(kwargs) or "arguments"
            raise InvalidTypeError(
                f"{func.__name__}: an argument of the wrong kind ({type(err).__name__}: {err})",
                field=names,
                value=[*args[1:], *kwargs.values()] if len(args) > 1 or kwargs else args,
            ) from None

    return call


def _expect(name: str, value: object, *types: type) -> None:
    if not isinstance(value, types):
        expected = " or ".join(t.__name__ for t in types)
        raise InvalidTypeError(f"expected {expected}", field=name, value=value)


def _round_trip(entity: _E, names: Mapping[str, Any]) -> _E:
    """``entity`` if it writes to JSON that reads back as the same entity, else an error naming
    the arguments that made it (``names``)."""
    codec = _CODECS[type(entity)]
    try:
        written = unstructure(codec.spec, entity)
        check_json(written)
        text = json.dumps(written, sort_keys=True, allow_nan=False)
        reread = structure(codec.spec, json.loads(text))
        again = unstructure(codec.spec, reread)
        same = json.dumps(again, sort_keys=True) == text and all(
            getattr(reread, f.name) == getattr(entity, f.name)
            for f in attrs.fields(type(entity))
            if f.eq and f.name not in _CHILDREN
        )
    except InvalidFieldError as err:
        raise _blame(err, names) from None
    except (TypeError, ValueError) as err:  # a value JSON cannot hold
        raise InvalidTypeError(
            f"the result cannot be written as JSON ({err})",
            field=", ".join(names) or None,
            value=list(names.values()),
        ) from None
    if not same:
        raise InvalidFieldError(
            "the result would not read back as written",
            field=", ".join(names) or None,
            value=list(names.values()),
        )
    return entity


def _blame(err: InvalidFieldError, names: Mapping[str, Any]) -> InvalidFieldError:
    """``err`` reported against the arguments ``names`` (its JSON path kept in the message)."""
    return InvalidFieldError(
        f"{err.field or 'the result'}: {err.reason}",
        field=", ".join(names) or None,
        value=err.value,
    )


def _evolve(obj: _T, changes: Mapping[str, Any], blame: Mapping[str, Any] | None = None) -> _T:
    """``attrs.evolve``, with a converter's error (which names no field) put on the arguments
    ``blame`` (by default the changes)."""
    try:
        return attrs.evolve(obj, **changes)  # type: ignore[misc]
    except InvalidFieldError as err:
        names = changes if blame is None else blame
        if err.field or not names:
            raise
        raise err.at(", ".join(names)) from None


def _known(entity: Any, name: str) -> bool:
    return name in attrs.fields_dict(type(entity))


@_guarded
def update(entity: _E, **changes: Any) -> _E:
    """Return ``entity`` with ``changes`` applied, if Azure allows them after creation.

    For versions the publishing-profile and safety-profile properties can be given flat
    (``exclude_from_latest=True``, ``target_regions=[...]``,
    ``block_deletion_before_end_of_life=False``).

    Args:
        entity: A gallery, image definition or image version.
        **changes: Property names and new values.

    Returns:
        A new entity (children are kept).

    Raises:
        ImmutablePropertyError: A property Azure does not allow to change (the error names it).
        UnknownPropertyError: A name that is not a property of the entity.
        ConstraintViolationError: The change breaks a rule (removing a region while
            ``allow_deletion_of_replicated_locations`` is false, ...).
        InvalidFieldError: A value of the wrong type or shape (a subclass naming the argument),
            or a result that would not load back as written (``tags={"a": 1}``): every update
            gives an entity that :func:`~imagegallery.load_arm` reads back equal.

    Example:
        >>> from imagegallery import sample_inventory
        >>> d = next(sample_inventory().definitions())
        >>> update(d, description="Backend (Ubuntu 24.04)").description
        'Backend (Ubuntu 24.04)'
        >>> update(d, os_type="Windows")
        Traceback (most recent call last):
        ...
        imagegallery.errors.ImmutablePropertyError: os_type: image definition property ...
    """
    _expect("entity", entity, Gallery, ImageDefinition, ImageVersion)
    if isinstance(entity, ImageVersion):
        return _round_trip(_update_version(entity, changes), changes)  # type: ignore[return-value]
    allowed = _DEFINITION if isinstance(entity, ImageDefinition) else _GALLERY
    kind = _NAMES[type(entity)]
    for name, value in changes.items():
        if name == "allow_update_image" and isinstance(entity, ImageDefinition):
            continue
        if not _known(entity, name) or name.startswith("_"):
            raise UnknownPropertyError(f"{kind} has no property {name!r}", field=name, value=value)
        if name not in allowed:
            raise ImmutablePropertyError(name, entity=kind, value=value)
    if "features" in changes:
        assert isinstance(entity, ImageDefinition)
        if not changes.get("allow_update_image", entity.allow_update_image):
            raise ConstraintViolationError(
                "features can be updated only with allow_update_image=True",
                field="features",
                value=changes["features"],
            )
    return _round_trip(_evolve(entity, changes), changes)


def _update_version(version: ImageVersion, changes: dict[str, Any]) -> ImageVersion:
    publishing: dict[str, Any] = {}
    safety: dict[str, Any] = {}
    direct: dict[str, Any] = {}
    for name, value in changes.items():
        if name in _VERSION_PUBLISHING:
            publishing[name] = value
        elif name in _VERSION_SAFETY:
            safety[name] = value
        elif name in ("tags", "publishing_profile", "safety_profile"):
            direct[name] = value
        elif (_known(version, name) and not name.startswith("_")) or name in _PUBLISHING_FIELDS:
            raise ImmutablePropertyError(name, entity="image version", value=value)
        else:
            raise UnknownPropertyError(
                f"image version has no property {name!r}", field=name, value=value
            )
    new_pub = direct.pop("publishing_profile", version.publishing_profile)
    _expect("publishing_profile", new_pub, PublishingProfile)
    if "safety_profile" in direct and direct["safety_profile"] is not None:
        _expect("safety_profile", direct["safety_profile"], SafetyProfile)
    if publishing:
        new_pub = _evolve(new_pub, publishing)
    new_safety = direct.pop("safety_profile", version.safety_profile)
    if safety:
        new_safety = _evolve(new_safety or SafetyProfile(), safety)
    _check_safety(version.safety_profile, new_safety)
    _check_publishing(version, new_pub, new_safety)
    return _evolve(
        version,
        {"publishing_profile": new_pub, "safety_profile": new_safety, **direct},
        direct or changes,
    )


def _check_publishing(
    version: ImageVersion, new: PublishingProfile, safety: SafetyProfile | None
) -> None:
    """Check a new publishing profile; ``safety`` is the profile in force after the update."""
    old = version.publishing_profile
    for name in (
        "published_date",
        "storage_account_type",
        "storage_account_strategy",
        "replication_mode",
    ):
        if getattr(old, name) != getattr(new, name):
            raise ImmutablePropertyError(name, entity="image version", value=getattr(new, name))
    before = {r.name: r for r in old.target_regions or ()}
    after = {r.name: r for r in new.target_regions or ()}
    for name, region in after.items():
        previous = before.get(name)
        if previous is None:
            continue
        for prop in ("storage_account_type", "encryption"):
            if getattr(previous, prop) != getattr(region, prop):
                raise ImmutablePropertyError(
                    f"target_regions[{name}].{prop}",
                    entity="image version",
                    value=getattr(region, prop),
                )
    removed = sorted(before.keys() - after.keys())
    if removed and safety is not None and safety.allow_deletion_of_replicated_locations is False:
        raise ConstraintViolationError(
            "removing replicated regions needs allow_deletion_of_replicated_locations=True",
            field="target_regions",
            value=removed,
        )


def _check_safety(old: SafetyProfile | None, new: SafetyProfile | None) -> None:
    for name in ("reported_for_policy_violation", "policy_violations"):
        before = getattr(old, name) if old is not None else None
        after = getattr(new, name) if new is not None else None
        if before != after:
            raise ImmutablePropertyError(name, entity="image version", value=after)


@_guarded
def with_used_size(
    version: ImageVersion,
    *,
    os_disk_gb: float | None = None,
    data_disks_gb: Mapping[int, float] | None = None,
) -> ImageVersion:
    """Record measured used sizes (GB) of a version's disks (an annotation, not an Azure change).

    Example:
        >>> from imagegallery import sample_inventory
        >>> v = next(sample_inventory().versions())
        >>> with_used_size(v, os_disk_gb=12.5).storage_profile.os_disk_image.used_gb
        12.5
    """
    _expect("version", version, ImageVersion)
    if data_disks_gb is not None:
        _expect("data_disks_gb", data_disks_gb, Mapping)
    profile = version.storage_profile
    os_disk = profile.os_disk_image
    if os_disk_gb is not None:
        if os_disk is None:
            raise ConstraintViolationError(
                "the version has no OS disk image", field="os_disk_gb", value=os_disk_gb
            )
        os_disk = attrs.evolve(os_disk, used_gb=os_disk_gb)
    data = profile.data_disk_images
    if data_disks_gb:
        luns = {d.lun for d in data or ()}
        unknown = sorted(set(data_disks_gb) - luns)
        if unknown:
            raise ConstraintViolationError(
                "no data disk image at these LUNs", field="data_disks_gb", value=unknown
            )
        data = tuple(
            attrs.evolve(d, used_gb=data_disks_gb[d.lun]) if d.lun in data_disks_gb else d
            for d in data or ()
        )
    new_profile: StorageProfile = attrs.evolve(
        profile, os_disk_image=os_disk, data_disk_images=data
    )
    return attrs.evolve(version, storage_profile=new_profile)


# -- children ------------------------------------------------------------------------------------


@_guarded
def with_version(definition: ImageDefinition, version: ImageVersion) -> ImageDefinition:
    """Return ``definition`` with ``version`` added (or replacing the version of that name).

    Example:
        >>> from imagegallery import sample_inventory
        >>> d = next(sample_inventory().definitions())
        >>> v = d.versions["1.0.9"]
        >>> len(without_version(d, "1.0.9").versions), len(with_version(d, v).versions)
        (3, 4)
    """
    _expect("definition", definition, ImageDefinition)
    _expect("version", version, ImageVersion)
    children = {v.name: v for v in definition.versions.values()}
    children[version.name] = version
    return attrs.evolve(definition, versions=NameMap(children.values()))


@_guarded
def without_version(definition: ImageDefinition, name: object) -> ImageDefinition:
    """Return ``definition`` without the version ``name``.

    Raises:
        ResourceNotFoundError: No such version.

    Example:
        >>> from imagegallery import sample_inventory
        >>> image1 = next(sample_inventory().definitions())
        >>> [str(n) for n in without_version(image1, "1.0.0").versions]
        ['1.0.9', '1.0.10', '1.1.0']
    """
    _expect("definition", definition, ImageDefinition)
    target = definition.versions[name]
    return attrs.evolve(
        definition, versions=NameMap(v for v in definition.versions.values() if v is not target)
    )


@_guarded
def with_definition(gallery: Gallery, definition: ImageDefinition) -> Gallery:
    """Return ``gallery`` with ``definition`` added (or replacing the definition of that name).

    Example:
        >>> from imagegallery import sample_inventory
        >>> gallery = next(sample_inventory().galleries())
        >>> changed = update(gallery.definitions["myImage3"], description="Arm64 rig")
        >>> with_definition(gallery, changed).definitions["myImage3"].description
        'Arm64 rig'
    """
    _expect("gallery", gallery, Gallery)
    _expect("definition", definition, ImageDefinition)
    children = {d.name.lower(): d for d in gallery.definitions.values()}
    children[definition.name.lower()] = definition
    return attrs.evolve(gallery, definitions=NameMap(children.values()))


@_guarded
def without_definition(gallery: Gallery, name: str, *, cascade: bool = False) -> Gallery:
    """Return ``gallery`` without the definition ``name``.

    Azure deletes versions before definitions ("Can not delete resource before nested resources
    are deleted"); pass ``cascade=True`` to drop the versions with it.

    Raises:
        ResourceNotFoundError: No such definition.
        ConstraintViolationError: The definition still has versions and ``cascade`` is false.

    Example:
        >>> from imagegallery import sample_inventory
        >>> gallery = next(sample_inventory().galleries())
        >>> list(without_definition(gallery, "myImage3", cascade=True).definitions)
        ['myImage1', 'myImage2']
    """
    _expect("gallery", gallery, Gallery)
    target = gallery.definitions[name]
    if target.versions and not cascade:
        raise ConstraintViolationError(
            "cannot delete an image definition before its versions (pass cascade=True)",
            field="definitions",
            value=target.name,
        )
    return attrs.evolve(
        gallery, definitions=NameMap(d for d in gallery.definitions.values() if d is not target)
    )


@_guarded
def put(inventory: Inventory, entity: Entity) -> Inventory:
    """Return ``inventory`` with ``entity`` added or replaced at its id.

    A gallery replaces the gallery with its id (keeping the given gallery's own definitions); a
    definition or version is placed under its parent, which must be in the inventory.

    Raises:
        ResourceNotFoundError: The parent is not in the inventory.

    Example:
        >>> from imagegallery import sample_inventory
        >>> inv = sample_inventory()
        >>> v = next(inv.versions())
        >>> put(inv, update(v, exclude_from_latest=True))[v.id].exclude_from_latest
        True
    """
    _expect("inventory", inventory, Inventory)
    _expect("entity", entity, Gallery, ImageDefinition, ImageVersion)
    if isinstance(entity, Gallery):
        return inventory.with_gallery(entity)
    parent = inventory.get(entity.id.parent)  # type: ignore[arg-type]
    if parent is None:
        raise ResourceNotFoundError(str(entity.id.parent))
    if isinstance(entity, ImageDefinition):
        assert isinstance(parent, Gallery)
        return inventory.with_gallery(with_definition(parent, entity))
    assert isinstance(parent, ImageDefinition)
    return put(inventory, with_version(parent, entity))


@_guarded
def remove(inventory: Inventory, rid: str | ResourceId, *, cascade: bool = False) -> Inventory:
    """Return ``inventory`` without the resource ``rid`` (children first, unless ``cascade``).

    Raises:
        ResourceNotFoundError: No such resource.
        ConstraintViolationError: It still has children and ``cascade`` is false.

    Example:
        >>> from imagegallery import sample_inventory
        >>> inv = sample_inventory()
        >>> v = next(inv.versions())
        >>> len(remove(inv, v.id)), len(inv)
        (12, 13)
    """
    _expect("inventory", inventory, Inventory)
    entity = inventory[rid]
    if isinstance(entity, Gallery):
        if entity.definitions and not cascade:
            raise ConstraintViolationError(
                "cannot delete a gallery before its image definitions (pass cascade=True)",
                field="definitions",
                value=entity.name,
            )
        return inventory.without_gallery(entity.id)
    parent = inventory[entity.id.parent]  # type: ignore[index]
    if isinstance(entity, ImageDefinition):
        assert isinstance(parent, Gallery)
        return inventory.with_gallery(without_definition(parent, entity.name, cascade=cascade))
    assert isinstance(parent, ImageDefinition)
    return put(inventory, without_version(parent, entity.name))


@_guarded
def update_in(inventory: Inventory, rid: str | ResourceId, **changes: Any) -> Inventory:
    """Apply :func:`update` to the resource ``rid`` and return the new inventory.

    Example:
        >>> from imagegallery import sample_inventory
        >>> inv = sample_inventory()
        >>> g = next(inv.galleries())
        >>> update_in(inv, g.id, description="new")[g.id].description
        'new'
    """
    _expect("inventory", inventory, Inventory)
    entity = inventory[rid]
    return put(inventory, update(entity, **changes))
