"""The speed techniques the library relies on, in one place.

Each technique here is invisible in results: it changes how long a call takes, never what it
returns, and it leaves no state behind between calls.

* :func:`paused_gc`: the cyclic garbage collector is paused while a call builds many acyclic
  objects (parsing JSON text, loading an inventory and writing it back, building the access
  model's indexes). Python's collector scans the growing heap again and again while millions of
  small containers are allocated; none of them can be in a reference cycle, so those scans find
  nothing and cost as much as the building itself. The collector is re-enabled on exit (if it was enabled on entry), also on error.
* :class:`Interner`: within one load, equal small JSON objects (the same target region, safety
  profile or disk source in thousands of versions) are read once and the immutable result is
  shared. The interner belongs to one call of ``load_arm``: it is created when the call starts and
  dropped when it returns, so nothing read by one load can stand in for a value of another. Two
  objects are shared only when their keys, their values *and the JSON types of their values* are
  the same, and objects holding a number with a fraction are never shared: ``1``, ``1.0`` and
  ``true`` are equal in Python but not in JSON, and ``0.0 == -0.0`` although they are written
  differently. Objects with nested objects or arrays are not shared (their values are not
  hashable), and a class whose objects rarely repeat is no longer tried after a trial.
* Compiled readers and writers: how entities are read from and written to JSON is compiled per
  class into straight-line code by :mod:`imagegallery._schema` (it is the schema's own rule, so it
  lives there; see ``docs/design.md``), checked against the generic reading in the tests.
* :func:`parse_once`: within one load, a value parsed from text (the scope id of a role assignment,
  repeated across thousands of assignments) is parsed once per distinct spelling and the
  immutable result is shared. The table belongs to one call of the loader, and only the exact
  same text maps to the same object, so sharing changes no result.
* Columnar results: tables (records of an inventory, a cost report ...) are built column by
  column, not row by row. A value shared by many rows (the gallery of every line of a version,
  the region of every line of a price) is stored once, in a :class:`Repeated` column that
  reads it through a row → value index; a field of compact row tuples is read in place through a
  :class:`Field` column; a flag packed in a bit of an integer through a :class:`Bits` column.
  Rows that repeat the same values after their first field (the cost lines of every version of
  one layout and size) are kept as :class:`Patterned` rows: per row only the first field and the
  position of the shared rest, so that building a large table allocates no tuple per row (and
  the garbage collector has nothing to scan); the row tuples are built when read.
  These columns are read-only sequences, so :func:`records` and :func:`as_lists` turn them into
  plain rows and lists with loops that run in C (``map``, ``zip``), and a data-frame builder
  converts the stored values once and gathers them by index, instead of once per row.
* Results built when read: a result with one object per item (the candidates of a
  :class:`~imagegallery.resolve.Resolution`) keeps, until they are first read, only what it needs
  to build them (the definition's kept reason table and the question), and answers its headline
  (the chosen version) at once. Asking for every (definition, region) of a large inventory then
  allocates a few objects per answer instead of one per version, and the cyclic collector has
  nothing to scan. The objects are built on first read, the same as they would have been built
  up front (equal, same ``repr``), and kept by that result only.
* Bulk changes from compact rows: a what-if reads the cost reports' compact line rows, grouped
  by version once, instead of building a :class:`~imagegallery.costs.CostLine` per line, and a
  policy builds a changed version with the entities' ``attrs.evolve`` (validators run) after
  checking the one update rule its change can break, instead of a full
  :func:`~imagegallery.update` (which writes and re-reads the version as JSON) per version.

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
    >>> columns = {"region": Repeated(("westeurope", "eastus"), [0, 1, 1]), "replicas": [1, 2, 3]}
    >>> records(columns)
    [{'region': 'westeurope', 'replicas': 1}, {'region': 'eastus', 'replicas': 2}, {'region': 'eastus', 'replicas': 3}]
    >>> as_lists(columns)["region"]
    ['westeurope', 'eastus', 'eastus']
"""  # noqa: E501

from __future__ import annotations

import contextlib
import gc
import operator
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from operator import itemgetter
from typing import Any, Final, Generic, TypeVar, overload

__all__ = [
    "Bits",
    "Field",
    "Interner",
    "Patterned",
    "Repeated",
    "as_lists",
    "parse_once",
    "paused_gc",
    "records",
]

_T = TypeVar("_T")

_TRIAL: Final = 2048
"""Attempts per class before sharing is given up for a class with few hits (one in four)."""
_LIMIT: Final = 65536
"""Shared objects kept at most in one load (further objects are built, not shared)."""
_NOTHING: Final[tuple[None, None]] = (None, None)


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

    __slots__ = ("_shared", "_tally", "given_up")

    def __init__(self) -> None:
        self._shared: dict[Hashable, Any] = {}
        self._tally: dict[type, list[int]] = {}
        self.given_up: set[type] = set()
        """The classes no longer tried (few hits in their trial): callers may skip :meth:`find`
        for them, which would return ``(None, None)``."""

    def find(self, cls: type, data: Mapping[str, Any]) -> tuple[Hashable | None, Any]:
        """``(key, object)``: the object already built for equal ``data``, or ``None``.

        The key is ``None`` when ``data`` must not or need not be shared; otherwise pass it to
        :meth:`share` with the object built from ``data``.
        """
        tally = self._tally.get(cls)
        if tally is None:
            tally = self._tally[cls] = [0, 0]
        elif tally[0] >= _TRIAL and tally[1] * 4 <= tally[0]:
            self.given_up.add(cls)
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


# -- columnar tables ------------------------------------------------------------------------------


class _Column(Sequence[_T]):
    """A read-only column: ``len``, indexing, iteration; slices give lists."""

    __slots__ = ()

    @overload
    def __getitem__(self, index: int) -> _T: ...
    @overload
    def __getitem__(self, index: slice) -> list[_T]: ...
    def __getitem__(self, index: int | slice) -> _T | list[_T]:
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._at(index)

    def _at(self, index: int) -> _T:
        raise NotImplementedError

    def __repr__(self) -> str:
        shown = ", ".join(repr(v) for v in self[:3])
        more = ", ..." if len(self) > 3 else ""
        return f"{type(self).__name__}([{shown}{more}], rows={len(self)})"


class Repeated(_Column[_T], Generic[_T]):
    """A column whose row ``i`` is ``values[index[i]]``: each distinct value stored once.

    Example:
        >>> column = Repeated(["a", "b"], [1, 1, 0])
        >>> list(column), column[-1], len(column)
        (['b', 'b', 'a'], 'a', 3)
    """

    __slots__ = ("positions", "values")

    def __init__(self, values: Sequence[_T], positions: Sequence[int]) -> None:
        self.values = values
        """The stored values."""
        self.positions = positions
        """Per row, the position of its value in :attr:`values`."""

    def __len__(self) -> int:
        return len(self.positions)

    def __iter__(self) -> Iterator[_T]:
        return map(self.values.__getitem__, self.positions)

    def _at(self, index: int) -> _T:
        return self.values[self.positions[index]]


class Field(_Column[Any]):
    """A column that reads field ``position`` of each row tuple, in place.

    Example:
        >>> list(Field([(0, "a"), (1, "b")], 1))
        ['a', 'b']
    """

    __slots__ = ("position", "rows")

    def __init__(self, rows: Sequence[Sequence[Any]], position: int) -> None:
        self.rows = rows
        """The row tuples."""
        self.position = position
        """The field read."""

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Any]:
        return map(itemgetter(self.position), self.rows)

    def _at(self, index: int) -> Any:
        return self.rows[index][self.position]


class Bits(_Column[bool]):
    """A column of flags: whether ``mask`` is set in the integer at ``position`` of each row.

    Example:
        >>> list(Bits([(0, 5), (1, 2)], 1, 4))
        [True, False]
    """

    __slots__ = ("mask", "position", "rows")

    def __init__(self, rows: Sequence[Sequence[Any]], position: int, mask: int) -> None:
        self.rows = rows
        """The row tuples."""
        self.position = position
        """The field holding the flags."""
        self.mask = mask
        """The bit (or bits) tested."""

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[bool]:
        return map(bool, map(self.mask.__and__, map(itemgetter(self.position), self.rows)))

    def _at(self, index: int) -> bool:
        return bool(self.rows[index][self.position] & self.mask)


def records(columns: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """The rows of equally long ``columns`` as dicts (keys in column order).

    Each row starts as a copy of a dict that already holds every key (a copy is one block
    copy, and the updates that follow never resize it), then takes its values.
    """
    keys = tuple(columns)
    if not keys:
        return []
    template = dict.fromkeys(keys)
    copy = template.copy
    out: list[dict[str, Any]] = []
    append = out.append
    with paused_gc():
        for values in zip(*columns.values(), strict=True):
            row = copy()
            row.update(zip(keys, values, strict=True))
            append(row)
    return out


def as_lists(columns: Mapping[str, Sequence[Any]]) -> dict[str, list[Any]]:
    """``columns`` with every column as a plain list."""
    return {name: list(values) for name, values in columns.items()}


class Patterned(_Column[tuple[Any, ...]]):
    """Row tuples kept as a first field per row and a shared rest: row ``i`` is
    ``(heads[i], *patterns[positions[i]])``, built when read.

    A table whose rows repeat the same values after their first field (the lines of every
    version of the same layout and size) stores each distinct rest once, and per row only two
    integers, which the garbage collector does not track. It compares equal to a tuple of the
    same rows (and hashes like it).

    Example:
        >>> rows = Patterned([0, 0, 1], [("eastus", 2), ("westus", 1)], [0, 1, 0])
        >>> list(rows), rows[-1], len(rows)
        ([(0, 'eastus', 2), (0, 'westus', 1), (1, 'eastus', 2)], (1, 'eastus', 2), 3)
        >>> rows == ((0, 'eastus', 2), (0, 'westus', 1), (1, 'eastus', 2))
        True
    """

    __slots__ = ("heads", "patterns", "positions")

    def __init__(
        self,
        heads: Sequence[Any],
        patterns: Sequence[tuple[Any, ...]],
        positions: Sequence[int],
    ) -> None:
        self.heads = heads
        """The first field of each row."""
        self.patterns = patterns
        """The distinct rests of the rows."""
        self.positions = positions
        """Per row, the position of its rest in :attr:`patterns`."""

    def __len__(self) -> int:
        return len(self.heads)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return map(tuple.__add__, zip(self.heads), map(self.patterns.__getitem__, self.positions))

    def _at(self, index: int) -> tuple[Any, ...]:
        return (self.heads[index], *self.patterns[self.positions[index]])

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Patterned | tuple):
            return len(self) == len(other) and all(map(operator.eq, self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))
