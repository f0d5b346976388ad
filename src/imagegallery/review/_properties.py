"""Property-level differences between two ARM resource dicts, with their paths.

The review compares resources in the form Azure tools export them (``Inventory.to_arm()``), so
every change has the ARM path a reader can find in the JSON. The comparison rules:

* objects are compared key by key (a key only on one side is ``added`` or ``removed``);
* a list whose items are all objects carrying a key field (``name``, ``lun``, ``region`` or
  ``type``, in that order of preference) with distinct values is compared item by item, the
  items matched by that key (names and regions compared as regions are: without case and
  spaces); its path segment is ``[field=value]``. An item only on one side is ``added`` or
  ``removed``. Items keep their order; an added item goes at the end. When the common items
  are in another order, or an added item is not at the end, the whole list is one change;
* anything else (scalars, other lists) is one value: ``changed`` when the two differ in value
  or in JSON type (``1`` and ``true`` are different values).

Applying the changes of :func:`property_changes` to ``before`` with those same rules gives
``after``: the property tests check this with an independent implementation of "apply".
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

__all__ = ["KEY_FIELDS", "Segment", "property_changes", "render_path"]

KEY_FIELDS: Final = ("name", "lun", "region", "type")
"""Fields that identify the items of a list of objects, in order of preference."""

_NORMALIZED: Final = frozenset({"name", "region"})

Segment = str | tuple[str, str | int]
"""One step of a path: an object key, or ``(key field, key value)`` for a list item."""

RawChange = tuple[tuple[Segment, ...], str, Any, Any]
"""``(segments, "added" | "removed" | "changed", before, after)``."""


def _key_value(field: str, value: Any) -> str | int | None:
    if type(value) is int:
        return value
    if type(value) is not str:
        return None
    return value.replace(" ", "").lower() if field in _NORMALIZED else value


def _keyed(items: Sequence[Any]) -> tuple[str, list[str | int]] | None:
    """The key field and the items' keys, if every item is an object with a distinct key."""
    if not items or not all(isinstance(item, Mapping) for item in items):
        return None
    for field in KEY_FIELDS:
        keys = [_key_value(field, item.get(field)) for item in items]
        if all(k is not None for k in keys) and len(set(keys)) == len(keys):
            return field, [k for k in keys if k is not None]
    return None


def _same(before: Any, after: Any) -> bool:
    """Equal as JSON values: equal, and of the same JSON type all the way down."""
    if type(before) is not type(after):
        if isinstance(before, Mapping) and isinstance(after, Mapping):
            return _same_mappings(before, after)
        if isinstance(before, list | tuple) and isinstance(after, list | tuple):
            return len(before) == len(after) and all(map(_same, before, after))
        return False
    if isinstance(before, Mapping):
        return _same_mappings(before, after)
    if isinstance(before, list | tuple):
        return len(before) == len(after) and all(map(_same, before, after))
    return bool(before == after)


def _same_mappings(before: Mapping[Any, Any], after: Mapping[Any, Any]) -> bool:
    if before.keys() != after.keys():
        return False
    return all(_same(value, after[key]) for key, value in before.items())


def _ordered(before_keys: list[Any], after_keys: list[Any]) -> bool:
    """Whether ``after`` keeps ``before``'s common items in order, with new items at the end."""
    old = set(before_keys)
    common_after = [k for k in after_keys if k in old]
    new = set(after_keys)
    if [k for k in before_keys if k in new] != common_after:
        return False
    seen_new = False
    for key in after_keys:
        if key not in old:
            seen_new = True
        elif seen_new:
            return False
    return True


def property_changes(
    before: Any, after: Any, path: tuple[Segment, ...] = ()
) -> Iterator[RawChange]:
    """Every difference between two JSON values, as ``(segments, kind, before, after)``.

    Example:
        >>> old = {"tags": {"a": "1"}, "properties": {"targetRegions": [
        ...     {"name": "West Europe", "regionalReplicaCount": 1}]}}
        >>> new = {"tags": {"b": "2"}, "properties": {"targetRegions": [
        ...     {"name": "westeurope", "regionalReplicaCount": 2}, {"name": "eastus"}]}}
        >>> for segments, kind, was, now in property_changes(old, new):
        ...     print(render_path(segments), kind, was, now)
        tags.a removed 1 None
        tags.b added None 2
        properties.targetRegions[name=westeurope].name changed West Europe westeurope
        properties.targetRegions[name=westeurope].regionalReplicaCount changed 1 2
        properties.targetRegions[name=eastus] added None {'name': 'eastus'}
    """
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        for key, value in before.items():
            if key not in after:
                yield (*path, key), "removed", value, None
            else:
                yield from property_changes(value, after[key], (*path, key))
        for key, value in after.items():
            if key not in before:
                yield (*path, key), "added", None, value
        return
    if isinstance(before, list | tuple) and isinstance(after, list | tuple):
        old = _keyed(before)
        new = _keyed(after)
        if old is not None and new is not None and old[0] == new[0]:
            field, old_keys = old
            new_keys = new[1]
            if _ordered(old_keys, new_keys):
                by_key = dict(zip(new_keys, after, strict=True))
                for key, item in zip(old_keys, before, strict=True):
                    step = (*path, (field, key))
                    if key not in by_key:
                        yield step, "removed", item, None
                    else:
                        yield from property_changes(item, by_key[key], step)
                known = set(old_keys)
                for key, item in zip(new_keys, after, strict=True):
                    if key not in known:
                        yield (*path, (field, key)), "added", None, item
                return
    if not _same(before, after):
        yield path, "changed", before, after


def render_path(segments: Sequence[Segment]) -> str:
    """The path as text: keys joined by dots, list items as ``[field=value]``.

    Example:
        >>> render_path(("properties", "publishingProfile", "targetRegions",
        ...              ("name", "eastus"), "excludeFromLatest"))
        'properties.publishingProfile.targetRegions[name=eastus].excludeFromLatest'
    """
    out: list[str] = []
    for segment in segments:
        if isinstance(segment, tuple):
            out.append(f"[{segment[0]}={segment[1]}]")
        else:
            out.append(f".{segment}" if out else segment)
    return "".join(out)
