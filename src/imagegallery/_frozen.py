"""Deeply immutable JSON values, for ARM properties that are kept verbatim."""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any, TypeVar

from imagegallery._limits import check_json

__all__ = ["FrozenDict", "StringMap", "freeze_json", "thaw_json"]

_V = TypeVar("_V")


class FrozenDict(Mapping[str, _V]):
    """An immutable, hashable mapping with string keys that keeps insertion order.

    Example:
        >>> d = FrozenDict({"env": "prod"})
        >>> d["env"], hash(d) == hash(FrozenDict({"env": "prod"})), d == {"env": "prod"}
        ('prod', True, True)
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[str, _V] | None = None) -> None:
        self._data: dict[str, _V] = dict(data) if data else {}
        self._hash: int | None = None

    def __getitem__(self, key: str) -> _V:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def keys(self) -> KeysView[str]:
        return self._data.keys()

    def items(self) -> ItemsView[str, _V]:
        return self._data.items()

    def values(self) -> ValuesView[_V]:
        return self._data.values()

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenDict):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenDict({self._data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenDict, (self._data,))


class StringMap(FrozenDict[str]):
    """A :class:`FrozenDict` whose keys and values were checked to be strings (tags read from
    JSON), so that the entity's validator need not look at them again."""

    __slots__ = ()


EMPTY: FrozenDict[Any] = FrozenDict()


def freeze_json(value: Any, *, checked: bool = False) -> Any:
    """Turn parsed JSON into hashable values: objects become ``FrozenDict``, arrays tuples.

    ``value`` is first checked against the input limits (nesting depth, finite numbers, integer
    digits: :func:`imagegallery._limits.check_json`), unless ``checked`` says the loader already
    did, so the recursion here is never deeper than the depth limit.

    Example:
        >>> freeze_json({"a": [1, {"b": None}]})
        FrozenDict({'a': (1, FrozenDict({'b': None}))})
    """
    if not checked:
        check_json(value)
    return _freeze(value)


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return FrozenDict({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def thaw_json(value: Any) -> Any:
    """Undo :func:`freeze_json`: mappings become dicts, tuples lists.

    Example:
        >>> thaw_json(freeze_json({"a": [1, {"b": None}]}))
        {'a': [1, {'b': None}]}
    """
    if isinstance(value, Mapping):
        return {k: thaw_json(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [thaw_json(v) for v in value]
    return value
