"""The per-definition index that makes "latest" cost a few steps instead of a scan, and its memo.

An :class:`ImageDefinition` is immutable, so everything a query needs that does not depend on the
query's moment or constraint is computed once per definition: the versions in descending numeric
order, and for each region (and for "any region") the positions of the versions that target it,
are not excluded from latest there, and (in the strict list) whose replication there has not been
reported as anything but ``Completed``.

A query walks one such list from the top and stops at the first version that also passes the
time-dependent end-of-life check and the constraint, so its cost is proportional to the number of
statically eligible versions above the answer that fail those two checks; versions that are
excluded, elsewhere or still replicating are never looked at.

The index belongs to this package, not to the definition: :func:`index_of` keeps it in an
:class:`IdentityMemo`, which holds each definition weakly and by identity. Nothing is written into
the definition; an entry goes when its definition goes; two equal but distinct definitions each
get their own index, so a resolution always returns the definition's own version objects and
never depends on what was asked before. The rules in words, which tests check this index against,
are in :mod:`imagegallery.resolve.latest`.

Example:
    >>> from imagegallery import sample_inventory
    >>> image1 = next(sample_inventory().definitions())
    >>> index = index_of(image1)
    >>> index is index_of(image1), [str(v.name) for v in index.versions]
    (True, ['1.1.0', '1.0.10', '1.0.9', '1.0.0'])
    >>> [str(index.versions[p].name) for p in index.positions("eastus", True)]
    ['1.0.9']
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Collection
from datetime import UTC, datetime, timedelta
from typing import Final, Generic, TypeVar

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from imagegallery.definition import ImageDefinition
from imagegallery.enums import ReplicationState
from imagegallery.speed import paused_gc
from imagegallery.version import ImageVersion
from imagegallery.version_name import ImageVersionName

__all__ = ["IdentityMemo", "VersionIndex", "index_of", "pep440", "to_microseconds"]

_COMPLETED: Final = ReplicationState.COMPLETED
_NO_POSITIONS: Final[list[int]] = []
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)

_K = TypeVar("_K")
_V = TypeVar("_V")


def to_microseconds(moment: datetime) -> int:
    """An aware datetime as exact integer microseconds since the Unix epoch.

    Example:
        >>> to_microseconds(datetime(1970, 1, 1, 0, 0, 1, tzinfo=UTC))
        1000000
    """
    return (moment - _EPOCH) // _MICROSECOND


def pep440(name: ImageVersionName) -> Version:
    """The version name as a PEP 440 :class:`~packaging.version.Version`, for constraints.

    Example:
        >>> pep440(ImageVersionName.parse("01.0.10"))
        <Version('1.0.10')>
    """
    return Version(f"{name.major}.{name.minor}.{name.patch}")


class IdentityMemo(Generic[_K, _V]):
    """Values derived from immutable objects, kept while the object lives, keyed by identity.

    ``memo.get(key)`` returns ``build(key)``, computed on the first call for that very object. The
    object is held weakly: its entry is dropped when it is garbage collected. Keys are compared by
    identity, never by equality, so an equal copy gets its own value.

    Example:
        >>> from imagegallery import Inventory, sample_inventory
        >>> sizes = IdentityMemo(lambda inventory: len(inventory))
        >>> inventory = Inventory(sample_inventory().galleries())
        >>> sizes.get(inventory), sizes.get(inventory), len(sizes)
        (13, 13, 1)
        >>> copy = Inventory(sample_inventory().galleries())
        >>> copy == inventory, sizes.get(copy), len(sizes)
        (True, 13, 2)
        >>> del inventory, copy
        >>> len(sizes)
        0
    """

    __slots__ = ("_build", "_entries")

    def __init__(self, build: Callable[[_K], _V]) -> None:
        self._build = build
        self._entries: dict[int, tuple[weakref.ref[_K], _V]] = {}

    def get(self, key: _K) -> _V:
        """The value derived from ``key``: built on the first call for this very object."""
        entry = self._entries.get(id(key))
        if entry is not None:
            ref, value = entry
            if ref() is key:
                return value
        value = self._build(key)
        ident = id(key)
        entries = self._entries

        def forget(ref: weakref.ref[_K]) -> None:
            held = entries.get(ident)
            if held is not None and held[0] is ref:
                entries.pop(ident, None)

        entries[ident] = (weakref.ref(key, forget), value)
        return value

    def __len__(self) -> int:
        return len(self._entries)


class VersionIndex:
    """Derived, query-independent data of one image definition.

    Attributes:
        versions: The versions, highest version number first.
        end_of_life: Per position, the version's end of life in epoch microseconds, or ``None``.
        strict: Per region, positions eligible when replication is required.
        loose: Per region, positions eligible when replication is not required.
        anywhere_strict: Positions eligible (replication required) in at least one region.
        anywhere_loose: Positions eligible (replication not required) in at least one region.
        regions: Every region some version is in (its target regions, else its source region),
            sorted.
    """

    __slots__ = (
        "_pep440",
        "_recent",
        "anywhere_loose",
        "anywhere_strict",
        "end_of_life",
        "loose",
        "regions",
        "strict",
        "versions",
    )

    def __init__(self, definition: ImageDefinition) -> None:
        versions = list(definition.versions.values())
        versions.reverse()
        end_of_life: list[int | None] = []
        strict: dict[str, list[int]] = {}
        loose: dict[str, list[int]] = {}
        anywhere_strict: list[int] = []
        anywhere_loose: list[int] = []
        regions: set[str] = set()
        for position, version in enumerate(versions):
            profile = version.publishing_profile
            eol = profile.end_of_life_date
            end_of_life.append(None if eol is None else to_microseconds(eol))
            version_flag = profile.exclude_from_latest
            status = version.replication_status
            states: dict[str | None, ReplicationState | None] = {}
            if status is not None and status.summary:
                for entry in status.summary:
                    states.setdefault(entry.region, entry.state)
            any_strict = any_loose = False
            targets = profile.target_regions
            pairs = (
                [
                    (
                        t.name,
                        version_flag if t.exclude_from_latest is None else t.exclude_from_latest,
                    )
                    for t in targets
                ]
                if targets
                else [(version.location, version_flag)]
            )
            regions.update(pair[0] for pair in pairs)
            for name, excluded in pairs:
                if excluded:
                    continue
                loose.setdefault(name, []).append(position)
                any_loose = True
                state = states.get(name)
                if state is None or state is _COMPLETED:
                    strict.setdefault(name, []).append(position)
                    any_strict = True
            if any_loose:
                anywhere_loose.append(position)
            if any_strict:
                anywhere_strict.append(position)
        self.versions: tuple[ImageVersion, ...] = tuple(versions)
        self.end_of_life: tuple[int | None, ...] = tuple(end_of_life)
        self.strict = strict
        self.loose = loose
        self.anywhere_strict = anywhere_strict
        self.anywhere_loose = anywhere_loose
        self.regions: tuple[str, ...] = tuple(sorted(regions))
        self._pep440: dict[int, Version] = {}
        self._recent: dict[tuple[str | None, bool], list[int]] = {}

    def positions(self, region: str | None, require_replicated: bool) -> list[int]:
        """The statically eligible positions for a region (or any region), highest first."""
        if region is None:
            return self.anywhere_strict if require_replicated else self.anywhere_loose
        table = self.strict if require_replicated else self.loose
        return table.get(region, _NO_POSITIONS)

    def by_publication(self, region: str | None, require_replicated: bool) -> list[int]:
        """Like :meth:`positions`, ordered by published date, newest first.

        Versions without a published date come last; equal dates are ordered by version number,
        highest first. Computed once per region and kept.
        """
        key = (region, require_replicated)
        found = self._recent.get(key)
        if found is None:
            versions = self.versions

            def order(position: int) -> tuple[bool, int, int]:
                published = versions[position].published_date
                if published is None:
                    return (False, 0, -position)
                return (True, to_microseconds(published), -position)

            found = sorted(self.positions(region, require_replicated), key=order, reverse=True)
            self._recent[key] = found
        return found

    def first(
        self,
        region: str | None,
        require_replicated: bool,
        alive_after: int | None,
        spec: SpecifierSet | None,
        recent: bool = False,
        *,
        dropped: Collection[int] = (),
    ) -> ImageVersion | None:
        """The highest (or, with ``recent``, most recently published) eligible version, or None.

        Args:
            region: The region (ARM form), or ``None`` for "in at least one region".
            require_replicated: Whether replication there must have completed.
            alive_after: With the ``"skip"`` policy, the moment of the question in epoch
                microseconds: a version whose end of life is at or before it is passed over.
                ``None`` ignores end-of-life dates.
            spec: The version constraint, or ``None``.
            recent: Walk the versions by published date (:meth:`by_publication`) instead of by
                version number.
            dropped: Positions to pass over, as if their versions were not in the definition.
        """
        if recent:
            positions = self.by_publication(region, require_replicated)
        elif region is None:
            positions = self.anywhere_strict if require_replicated else self.anywhere_loose
        else:
            table = self.strict if require_replicated else self.loose
            positions = table.get(region, _NO_POSITIONS)
        end_of_life = self.end_of_life
        for position in positions:
            if dropped and position in dropped:
                continue
            if alive_after is not None:
                eol = end_of_life[position]
                if eol is not None and eol <= alive_after:
                    continue
            if spec is not None:
                parsed = self._pep440.get(position)
                if parsed is None:
                    parsed = self._pep440[position] = pep440(self.versions[position].name)
                if not spec.contains(parsed):
                    continue
            return self.versions[position]
        return None


def _build(definition: ImageDefinition) -> VersionIndex:
    with paused_gc():  # lists and tuples of plain values, acyclic: see imagegallery.speed
        return VersionIndex(definition)


_INDEXES: Final[IdentityMemo[ImageDefinition, VersionIndex]] = IdentityMemo(_build)

index_of: Final = _INDEXES.get
"""The index of a definition, built on first use and kept while the definition lives."""
