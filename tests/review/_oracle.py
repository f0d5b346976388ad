"""Independent reference implementations for the review's property tests.

``apply_diff`` replays a diff on the ARM form of the old inventory, following the documented
path rules literally (objects by key; lists of objects by ``name``/``lun``/``region``/``type``,
names and regions without case and spaces; added items at the end), then loads the result.
It lives here, not in the library: the library's promise is that a diff is complete, and this
is the simplest way to check it without the diff code checking itself.
"""

from __future__ import annotations

import copy
from typing import Any

import attrs

from imagegallery import (
    Entity,
    Gallery,
    ImageDefinition,
    ImageVersion,
    Inventory,
    NoEligibleVersionError,
    ResourceId,
    load_arm,
)
from imagegallery.arm import assemble
from imagegallery.resolve import resolve_latest
from imagegallery.review import DiffKind, InventoryDiff

_NORMALIZED = ("name", "region")


def _matches(item: Any, field: str, key: Any) -> bool:
    if not isinstance(item, dict) or field not in item:
        return False
    value = item[field]
    if field in _NORMALIZED and isinstance(value, str):
        value = value.replace(" ", "").lower()
    return bool(value == key) and type(value) is type(key)


def _step(container: Any, segment: Any) -> Any:
    if isinstance(segment, tuple):
        field, key = segment
        return next(item for item in container if _matches(item, field, key))
    return container[segment]


def _apply(document: dict[str, Any], segments: tuple[Any, ...], kind: str, value: Any) -> None:
    parent: Any = document
    for segment in segments[:-1]:
        parent = _step(parent, segment)
    last = segments[-1]
    if isinstance(last, tuple):
        field, key = last
        if kind == "added":
            parent.append(copy.deepcopy(value))
            return
        index = next(i for i, item in enumerate(parent) if _matches(item, field, key))
        if kind == "removed":
            del parent[index]
        else:
            parent[index] = copy.deepcopy(value)
        return
    if kind == "removed":
        del parent[last]
    else:
        parent[last] = copy.deepcopy(value)


def arm_of(entity: Entity) -> dict[str, Any]:
    """The ARM dict of one resource, without its children."""
    if isinstance(entity, Gallery):
        entity = attrs.evolve(entity, definitions=[])
    elif isinstance(entity, ImageDefinition):
        entity = attrs.evolve(entity, versions=[])
    (document,) = [r for r in assemble([entity]).to_arm() if ResourceId.parse(r["id"]) == entity.id]
    return document


def apply_diff(old: Inventory, diff: InventoryDiff) -> Inventory:
    """``old`` with every change of ``diff`` applied (through the ARM form)."""
    resources = {ResourceId.parse(r["id"]): r for r in copy.deepcopy(old.to_arm())}
    for change in diff.resources:
        rid = change.resource_id
        if change.change is DiffKind.REMOVED:
            del resources[rid]
        elif change.change is DiffKind.ADDED:
            assert change.after is not None
            resources[rid] = arm_of(change.after)
        else:
            document = resources[rid]
            for p in change.properties:
                if not p.segments:
                    resources[rid] = copy.deepcopy(p.after)
                    continue
                _apply(document, p.segments, p.change.value, p.after)
    return load_arm(list(resources.values()))


def latest_name(definition: Any, region: str, at: Any) -> Any:
    """What :func:`resolve_latest` answers, or ``None``."""
    if definition is None:
        return None
    try:
        found: ImageVersion = resolve_latest(definition, region=region, at=at)
    except NoEligibleVersionError:
        return None
    return found.name
