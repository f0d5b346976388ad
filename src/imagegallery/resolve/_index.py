"""The per-definition index that makes "latest" cost a few steps instead of a scan.

An :class:`ImageDefinition` is immutable, so everything a query needs that does not depend on the
query's moment or constraint is computed once, on first use, and kept in the definition's private
``_cache``: the versions in descending numeric order, and for each region (and for "any region")
the positions of the versions that target it, are not excluded from latest there, and (in the
strict list) whose replication there has not been reported as anything but ``Completed``.

A query walks one such list from the top and stops at the first version that also passes the
time-dependent end-of-life check and the constraint, so its cost is proportional to the number of
statically eligible versions above the answer that fail those two checks; versions that are
excluded, elsewhere or still replicating are never looked at.
"""

from __future__ import annotations

from typing import Final

from packaging.version import Version

from imagegallery.definition import ImageDefinition
from imagegallery.enums import ReplicationState
from imagegallery.version import ImageVersion

from ._query import Query, pep440, to_microseconds

__all__ = ["VersionIndex", "first_eligible", "index_of", "most_recent_eligible"]

_CACHE_KEY: Final = "imagegallery.resolve.index"
_COMPLETED: Final = ReplicationState.COMPLETED
_NO_POSITIONS: Final[list[int]] = []


class VersionIndex:
    """Derived, query-independent data of one image definition.

    Attributes:
        versions: The versions, highest version number first.
        end_of_life: Per position, the version's end of life in epoch microseconds, or ``None``.
        strict: Per region, positions eligible when replication is required.
        loose: Per region, positions eligible when replication is not required.
        anywhere_strict: Positions eligible (replication required) in at least one region.
        anywhere_loose: Positions eligible (replication not required) in at least one region.
    """

    __slots__ = (
        "_pep440",
        "_recent",
        "anywhere_loose",
        "anywhere_strict",
        "end_of_life",
        "loose",
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
        self._pep440: dict[int, Version] = {}
        self._recent: dict[tuple[str | None, bool], list[int]] = {}

    def positions(self, region: str | None, require_replicated: bool) -> list[int]:
        """The statically eligible positions for a region (or any region), highest first."""
        if region is None:
            return self.anywhere_strict if require_replicated else self.anywhere_loose
        table = self.strict if require_replicated else self.loose
        return table.get(region, _NO_POSITIONS)

    def pep440_at(self, position: int) -> Version:
        """The PEP 440 form of the version at ``position`` (computed once, on demand)."""
        found = self._pep440.get(position)
        if found is None:
            found = self._pep440[position] = pep440(self.versions[position].name)
        return found

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


def index_of(definition: ImageDefinition) -> VersionIndex:
    """The index of ``definition``, built on first use and kept on the definition.

    Example:
        >>> from imagegallery import sample_inventory
        >>> image1 = next(sample_inventory().definitions())
        >>> index = index_of(image1)
        >>> index is index_of(image1), [str(v.name) for v in index.versions]
        (True, ['1.1.0', '1.0.10', '1.0.9', '1.0.0'])
        >>> [str(index.versions[p].name) for p in index.positions("eastus", True)]
        ['1.0.9']
    """
    cache = definition._cache
    found = cache.get(_CACHE_KEY)
    if found is None:
        found = cache.setdefault(_CACHE_KEY, VersionIndex(definition))
    assert isinstance(found, VersionIndex)
    return found


def _passes(index: VersionIndex, position: int, query: Query) -> bool:
    if query.skip_end_of_life:
        eol = index.end_of_life[position]
        if eol is not None and eol <= query.at_us:
            return False
    spec = query.spec
    return spec is None or spec.contains(index.pep440_at(position))


def _definition_alive(definition: ImageDefinition, query: Query) -> bool:
    if not query.skip_end_of_life:
        return True
    eol = definition.end_of_life_date
    return eol is None or eol > query.at


def first_eligible(definition: ImageDefinition, query: Query) -> ImageVersion | None:
    """The highest eligible version, or ``None`` (fast path of "latest")."""
    if not _definition_alive(definition, query):
        return None
    index = index_of(definition)
    skip = query.skip_end_of_life
    at_us = query.at_us
    spec = query.spec
    end_of_life = index.end_of_life
    for position in index.positions(query.region, query.require_replicated):
        if skip:
            eol = end_of_life[position]
            if eol is not None and eol <= at_us:
                continue
        if spec is not None and not spec.contains(index.pep440_at(position)):
            continue
        return index.versions[position]
    return None


def most_recent_eligible(definition: ImageDefinition, query: Query) -> ImageVersion | None:
    """The most recently published eligible version, or ``None`` (fast path of "recent")."""
    if not _definition_alive(definition, query):
        return None
    index = index_of(definition)
    for position in index.by_publication(query.region, query.require_replicated):
        if _passes(index, position, query):
            return index.versions[position]
    return None
