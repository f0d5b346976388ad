"""The speed techniques the library relies on, in one place.

Each technique here is invisible in results: it changes how long a call takes, never what it
returns, and it leaves no state behind between calls.

* :func:`paused_gc`: the cyclic garbage collector is paused while a call builds many acyclic
  objects (loading an inventory, building the access model's indexes). Python's collector scans
  the growing heap again and again while millions of small containers are allocated; none of
  them can be in a reference cycle, so those scans find nothing and cost as much as the building
  itself. The collector is re-enabled on exit (if it was enabled on entry), also on error.
* :class:`Interner`: within one load, equal small JSON objects (the same target region, safety
  profile or disk source in thousands of versions) are read once and the immutable result is
  shared. The interner belongs to one call of ``load_arm``: it is created when the call starts and
  dropped when it returns, so nothing read by one load can stand in for a value of another. Two
  objects are shared only when their keys, their values *and the JSON types of their values* are
  the same, and objects holding a number with a fraction are never shared: ``1``, ``1.0`` and
  ``true`` are equal in Python but not in JSON, and ``0.0 == -0.0`` although they are written
  differently. Objects with nested objects or arrays are not shared (their values are not
  hashable), and a class whose objects rarely repeat is no longer tried after a trial.
* :func:`parse_once`: within one load, a value parsed from text (the scope id of a role assignment,
  repeated across thousands of assignments) is parsed once per distinct spelling and the
  immutable result is shared. The table belongs to one call of the loader, and only the exact
  same text maps to the same object, so sharing changes no result.

Example:
    >>> import gc
    >>> with paused_gc():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    >>> interner = Interner()
    >>> key, hit = interner.find(dict, {"name": "eastus", "count": 1})
    >>> hit is None, interner.find(dict, {"name": "eastus", "count": True})[0] == key
    (True, False)
    >>> interner.find(dict, {"size": -0.0})
    (None, None)
    >>> table: dict[str, float] = {}
    >>> parse_once(table, "1.5", float) is parse_once(table, "1.5", float), len(table)
    (True, 1)
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Any, Final, TypeVar

__all__ = ["Interner", "parse_once", "paused_gc"]

_TRIAL: Final = 2048
"""Attempts per class before sharing is given up for a class with few hits (one in four)."""
_LIMIT: Final = 65536
"""Shared objects kept at most in one load (further objects are built, not shared)."""
_NOTHING: Final[tuple[None, None]] = (None, None)
_T = TypeVar("_T")


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the duration of the block.

    Use it only around code that builds acyclic objects: anything it allocates in a cycle is
    collected later, not lost, but the point of pausing is that nothing needs collecting.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Interner:
    """Shares equal small objects read during one load (see the module documentation).

    Use one instance per load and drop it afterwards: :meth:`find` asks for an object read from
    ``data`` as ``cls``; :meth:`share` records what was built for a key :meth:`find` returned.
    """

    __slots__ = ("_shared", "_tally")

    def __init__(self) -> None:
        self._shared: dict[Hashable, Any] = {}
        self._tally: dict[type, list[int]] = {}

    def find(self, cls: type, data: Mapping[str, Any]) -> tuple[Hashable | None, Any]:
        """``(key, object)``: the object already built for equal ``data``, or ``None``.

        The key is ``None`` when ``data`` must not or need not be shared; otherwise pass it to
        :meth:`share` with the object built from ``data``.
        """
        tally = self._tally.get(cls)
        if tally is None:
            tally = self._tally[cls] = [0, 0]
        elif tally[0] >= _TRIAL and tally[1] * 4 <= tally[0]:
            return _NOTHING
        tally[0] += 1
        types = tuple(map(type, data.values()))
        if float in types:
            return _NOTHING
        key = (cls, tuple(data.items()), types)
        try:
            hit = self._shared.get(key)
        except TypeError:  # a nested object or array: not hashable, not shared
            return _NOTHING
        if hit is not None:
            tally[1] += 1
        return key, hit

    def share(self, key: Hashable, made: Any) -> None:
        """Record ``made`` as the object for ``key``."""
        if len(self._shared) < _LIMIT:
            self._shared[key] = made


def parse_once(table: dict[str, _T], text: str, make: Callable[[str], _T]) -> _T:
    """``make(text)``, made once per distinct ``text`` of one call's ``table`` (see the module
    documentation); ``make`` must return an immutable value and may raise for bad text (nothing
    is recorded then)."""
    found = table.get(text)
    if found is None:
        found = table[text] = make(text)
    return found
