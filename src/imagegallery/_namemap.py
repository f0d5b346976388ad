"""Immutable child mappings with case-insensitive lookup by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, ValuesView
from typing import Any, Generic, Protocol, TypeVar

import attrs

from imagegallery.errors import (
    ConstraintViolationError,
    DuplicateResourceError,
    ResourceNotFoundError,
)
from imagegallery.ids import ResourceId
from imagegallery.version_name import ImageVersionName

__all__ = ["NameMap", "children_of", "name_map"]


class _Named(Protocol):
    @property
    def id(self) -> ResourceId: ...


_V = TypeVar("_V", bound=_Named)


class NameMap(Mapping[str, _V], Generic[_V]):
    """An immutable mapping of child name to child entity.

    Lookup ignores case (``versions["1.0.0"]``, ``definitions["MYIMAGE1"]``); iteration yields the
    names as spelled in the children's ids, in a stable order (by version number for versions, by
    case-folded name otherwise). Equal when the same children are present; hashable.

    Example:
        >>> from imagegallery import sample_inventory
        >>> gallery = next(sample_inventory().galleries())
        >>> list(gallery.definitions)
        ['myImage1', 'myImage2', 'myImage3']
        >>> gallery.definitions["MYIMAGE1"].name
        'myImage1'
    """

    __slots__ = ("_hash", "_items")

    def __init__(self, children: Iterable[_V] | Mapping[str, _V] = ()) -> None:
        values = children.values() if isinstance(children, Mapping) else children
        items: dict[str, _V] = {}
        for child in values:
            key = child.id.name.lower()
            if key in items:
                raise DuplicateResourceError(
                    "two children with the same name", field="name", value=child.id.name
                )
            items[key] = child
        self._items = dict(sorted(items.items(), key=_sort_key))
        self._hash: int | None = None

    def __getitem__(self, name: object) -> _V:
        try:
            return self._items[str(name).lower()]
        except KeyError:
            raise ResourceNotFoundError(name, where="this mapping") from None

    def __contains__(self, name: object) -> bool:
        return str(name).lower() in self._items

    def __iter__(self) -> Iterator[str]:
        return (child.id.name for child in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def values(self) -> ValuesView[_V]:
        """The children, in the mapping's order."""
        return self._items.values()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, NameMap):
            return self._items == other._items
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._items.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"NameMap({list(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (NameMap, (list(self._items.values()),))


def _sort_key(item: tuple[str, Any]) -> tuple[Any, ...]:
    """Versions by their (already parsed) number, other children by case-folded name."""
    key, child = item
    name = getattr(child, "name", None)
    if isinstance(name, ImageVersionName):
        return (0, name.key, key)
    return (1, (), key)


def name_map(value: Iterable[_V] | Mapping[str, _V]) -> NameMap[_V]:
    """attrs converter of child fields: a :class:`NameMap` (given one, as is)."""
    if isinstance(value, NameMap):
        return value
    return NameMap(value)


def children_of(
    cls: type[_Named], child: str, parent: str
) -> Callable[[Any, attrs.Attribute[Any], NameMap[Any]], None]:
    """attrs validator of child fields: every child is a ``cls`` whose id is directly under the
    parent's id (``child`` and ``parent`` name them in messages)."""
    article = "an" if cls.__name__[0] in "AEIOU" else "a"

    def check(inst: Any, attribute: attrs.Attribute[Any], value: NameMap[Any]) -> None:
        for item in value.values():
            if not isinstance(item, cls):
                raise ConstraintViolationError(
                    f"expected {article} {cls.__name__}", field=attribute.name, value=item
                )
            rid = item.id
            if rid.parent != inst.id:
                raise ConstraintViolationError(
                    f"{child} {rid} is not under the {parent} {inst.id}",
                    field=attribute.name,
                    value=str(rid),
                )

    return check
