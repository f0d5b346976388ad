"""Replication and retention policies: rules that turn an image definition into a cheaper one.

Each policy decides, per image definition, which versions to delete and which target regions to
drop or add. Versions are ranked by version number (never by publish date), highest first.

* :class:`ReplicateLatest`: keep the latest N versions in every target region (optionally making
  sure they are in given regions), and older versions only in their source region — the product
  documents' own cost-saving example ("always replicate the latest image to multiple regions
  while all older versions are only available in 1 region").
* :class:`DeleteEndOfLife`: delete versions at or past their end-of-life date.
* :class:`KeepLatest`: keep the latest N versions, delete the rest.

A policy never breaks an Azure rule silently. A change that the version's safety profile forbids
(removing replicated regions while ``allow_deletion_of_replicated_locations`` is false — Azure's
default — or deleting before end of life while ``block_deletion_before_end_of_life`` is set) is
returned as *blocked* and the version is left as it was. With ``respect_safety=False`` the change
is made as Azure would accept it (the flag changed in the same update) and recorded as
*overridden*, naming the flag.

Example:
    >>> from datetime import UTC, datetime
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.planning import KeepLatest
    >>> image1 = next(sample_inventory().definitions())
    >>> plan = KeepLatest(2).plan(image1, at=datetime(2025, 3, 1, tzinfo=UTC))
    >>> [str(v.name) for v in plan.definition.versions.values()], sorted(plan.deleted)
    (['1.0.10', '1.1.0'], ['1.0.0', '1.0.9'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

import attrs

from imagegallery.definition import ImageDefinition
from imagegallery.enums import ReplicationMode
from imagegallery.errors import InvalidFieldError, InvalidTypeError
from imagegallery.planning.replicas import _check_count
from imagegallery.publishing import TargetRegion
from imagegallery.regions import normalize_region
from imagegallery.safety import SafetyProfile
from imagegallery.version import ImageVersion

__all__ = [
    "DefinitionPlan",
    "DeleteEndOfLife",
    "KeepLatest",
    "ReplicateLatest",
    "RetentionPolicy",
]


@attrs.frozen(kw_only=True)
class DefinitionPlan:
    """What a policy does to one image definition.

    Attributes:
        definition: The definition after the policy.
        deleted: Names of the versions deleted.
        changed: Names of the versions whose target regions changed.
        blocked: ``(version name, why)`` for changes the safety profile forbids (the version is
            kept as it was).
        overridden: ``(version name, which safety flag)`` for changes made with
            ``respect_safety=False`` that need a safety flag changed.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.planning import KeepLatest
        >>> image2 = list(sample_inventory().definitions())[1]
        >>> plan = KeepLatest(1).plan(image2, at=datetime(2025, 3, 1, tzinfo=UTC))
        >>> plan.deleted, list(plan.definition.versions)
        (('2.0.0',), ['2.1.0'])
    """

    definition: ImageDefinition
    deleted: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    blocked: tuple[tuple[str, str], ...] = ()
    overridden: tuple[tuple[str, str], ...] = ()


@runtime_checkable
class RetentionPolicy(Protocol):
    """A replication/retention rule applied to each image definition.

    Any object with these two methods works with :func:`~imagegallery.planning.what_if`.

    Example:
        >>> from imagegallery.planning import DeleteEndOfLife, RetentionPolicy
        >>> isinstance(DeleteEndOfLife(), RetentionPolicy)
        True
    """

    def plan(
        self, definition: ImageDefinition, *, at: datetime, respect_safety: bool = True
    ) -> DefinitionPlan:
        """What the policy does to ``definition`` at the moment ``at``.

        With ``respect_safety`` (the default), changes the versions' safety profiles forbid are
        blocked; without, they are made and recorded as overridden.
        """
        ...

    def describe(self) -> str:
        """The policy in words."""
        ...


def _positive(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _check_count(attribute.name, value, 1)


def _optional_positive(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _positive(inst, attribute, value)


def _regions(value: Iterable[str]) -> tuple[str, ...]:
    given: object = value
    if isinstance(given, str):
        given = (given,)
    elif not isinstance(given, Iterable) or isinstance(given, Mapping | bytes):
        raise InvalidTypeError("expected region names", field="regions", value=given)
    out: dict[str, None] = {}
    for index, region in enumerate(given):
        try:
            out[normalize_region(region)] = None
        except InvalidFieldError as err:
            raise err.at(f"regions[{index}]") from None
    return tuple(out)


def _ranked(definition: ImageDefinition) -> list[ImageVersion]:
    """The versions, highest version number first (a definition keeps its versions in
    ascending numeric order, so no sort is needed)."""
    ranked = list(definition.versions.values())
    ranked.reverse()
    return ranked


def _deletion_blocked(version: ImageVersion, at: datetime) -> str | None:
    safety = version.safety_profile
    if safety is None or not safety.block_deletion_before_end_of_life:
        return None
    end = version.end_of_life_date
    if end is not None and end <= at:
        return None
    when = "it has no end-of-life date" if end is None else f"its end of life is {end:%Y-%m-%d}"
    return f"deletion is blocked before end of life (block_deletion_before_end_of_life; {when})"


_REMOVAL_BLOCKED = "removing replicated regions needs allow_deletion_of_replicated_locations=True"
"""Why Azure refuses to drop a region while the safety flag is false (as :func:`update` says)."""


def _removal_blocked(version: ImageVersion, targets: list[TargetRegion]) -> bool:
    """Whether :func:`update` refuses ``targets``: a region is removed while the version's
    ``allow_deletion_of_replicated_locations`` is false."""
    safety = version.safety_profile
    if safety is None or safety.allow_deletion_of_replicated_locations is not False:
        return False
    kept = {t.name for t in targets}
    return any(t.name not in kept for t in version.target_regions)


def _with_targets(
    version: ImageVersion, targets: list[TargetRegion], *, allow_removal: bool = False
) -> ImageVersion:
    """``version`` replicated to exactly ``targets``, as :func:`update` makes it.

    The caller has checked the one update rule a policy's change can break
    (:func:`_removal_blocked`); with ``allow_removal``, ``allow_deletion_of_replicated_locations``
    is set in the same change. Only target regions (and that flag) change, so the version is
    built with the entities' own ``evolve`` (their validators run) instead of a full
    :func:`update` per version; a test checks both give equal versions.
    """
    safety = version.safety_profile
    if allow_removal:
        safety = attrs.evolve(
            safety or SafetyProfile(), allow_deletion_of_replicated_locations=True
        )
    profile = attrs.evolve(version.publishing_profile, target_regions=targets)
    status = version.replication_status
    if status is not None and status.summary:
        kept = {t.name for t in targets}
        summary = tuple(s for s in status.summary if s.region is None or s.region in kept)
        if len(summary) != len(status.summary):
            status = attrs.evolve(status, summary=summary)
    return attrs.evolve(
        version, publishing_profile=profile, safety_profile=safety, replication_status=status
    )


def _rebuild(
    definition: ImageDefinition,
    *,
    keep: list[ImageVersion],
    deleted: list[str],
    changed: list[str],
    blocked: list[tuple[str, str]],
    overridden: list[tuple[str, str]],
) -> DefinitionPlan:
    if not deleted and not changed:
        return DefinitionPlan(definition=definition, blocked=tuple(blocked))
    return DefinitionPlan(
        definition=attrs.evolve(definition, versions=keep),
        deleted=tuple(deleted),
        changed=tuple(changed),
        blocked=tuple(blocked),
        overridden=tuple(overridden),
    )


def _delete(
    definition: ImageDefinition, doomed: set[str], at: datetime, respect_safety: bool
) -> DefinitionPlan:
    keep: list[ImageVersion] = []
    deleted: list[str] = []
    blocked: list[tuple[str, str]] = []
    overridden: list[tuple[str, str]] = []
    for version in definition.versions.values():
        name = str(version.name)
        if name not in doomed:
            keep.append(version)
            continue
        why = _deletion_blocked(version, at)
        if why is None or not respect_safety:
            deleted.append(name)
            if why is not None:
                overridden.append((name, "needs block_deletion_before_end_of_life=False"))
        else:
            blocked.append((name, why))
            keep.append(version)
    return _rebuild(
        definition, keep=keep, deleted=deleted, changed=[], blocked=blocked, overridden=overridden
    )


@attrs.frozen
class KeepLatest:
    """Keep the latest ``keep`` versions of each definition (by version number); delete the rest.

    Example:
        >>> from imagegallery.planning import KeepLatest
        >>> KeepLatest(3).describe()
        'keep the latest 3 versions of each image definition, delete older ones'
    """

    keep: int = attrs.field(validator=_positive)

    def plan(
        self, definition: ImageDefinition, *, at: datetime, respect_safety: bool = True
    ) -> DefinitionPlan:
        """Delete all but the ``keep`` highest versions."""
        doomed = {str(v.name) for v in _ranked(definition)[self.keep :]}
        return _delete(definition, doomed, at, respect_safety)

    def describe(self) -> str:
        """The policy in words."""
        noun = "version" if self.keep == 1 else f"{self.keep} versions"
        return f"keep the latest {noun} of each image definition, delete older ones"


@attrs.frozen
class DeleteEndOfLife:
    """Delete versions at or past their end-of-life date.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.planning import DeleteEndOfLife
        >>> image1 = next(sample_inventory().definitions())
        >>> DeleteEndOfLife().plan(image1, at=datetime(2025, 7, 1, tzinfo=UTC)).deleted
        ('1.0.0',)
    """

    def plan(
        self, definition: ImageDefinition, *, at: datetime, respect_safety: bool = True
    ) -> DefinitionPlan:
        """Delete the versions whose end of life is at or before ``at``."""
        doomed = {
            str(v.name)
            for v in definition.versions.values()
            if v.end_of_life_date is not None and v.end_of_life_date <= at
        }
        return _delete(definition, doomed, at, respect_safety)

    def describe(self) -> str:
        """The policy in words."""
        return "delete image versions past their end of life"


@attrs.frozen(kw_only=True)
class ReplicateLatest:
    """Keep the latest ``keep`` versions in every target region, older ones only at the source.

    Attributes:
        keep: How many of the highest versions keep (or get) their regions.
        regions: Regions each of the latest versions must be in; missing ones are added (each
            addition is a new copy that pays egress). Existing regions are kept.
        older_replicas: Replicas older versions keep in the source region (``None``: as now).

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.planning import ReplicateLatest
        >>> image1 = next(sample_inventory().definitions())
        >>> at = datetime(2025, 3, 1, tzinfo=UTC)
        >>> plan = ReplicateLatest(keep=1).plan(image1, at=at)
        >>> plan.changed, plan.blocked[0][0]
        ((), '1.0.0')
        >>> plan.blocked[0][1]
        'removing replicated regions needs allow_deletion_of_replicated_locations=True'
        >>> plan = ReplicateLatest(keep=1).plan(image1, at=at, respect_safety=False)
        >>> plan.changed, plan.definition.versions["1.0.9"].region_names
        (('1.0.0', '1.0.9', '1.0.10'), ('westeurope',))
    """

    keep: int = attrs.field(default=1, validator=_positive)
    regions: tuple[str, ...] = attrs.field(default=(), converter=_regions)
    older_replicas: int | None = attrs.field(default=None, validator=_optional_positive)

    def plan(
        self, definition: ImageDefinition, *, at: datetime, respect_safety: bool = True
    ) -> DefinitionPlan:
        """Strip older versions to their source region; extend the latest to ``regions``."""
        latest = {str(v.name) for v in _ranked(definition)[: self.keep]}
        keep: list[ImageVersion] = []
        changed: list[str] = []
        blocked: list[tuple[str, str]] = []
        overridden: list[tuple[str, str]] = []
        for version in definition.versions.values():
            name = str(version.name)
            targets = list(version.target_regions)
            if name in latest:
                # No target regions means "in the source region only".
                present = {t.name for t in targets} or {version.location}
                missing = [TargetRegion(name=r) for r in self.regions if r not in present]
                if missing and not targets:
                    missing.insert(0, TargetRegion(name=version.location))
                if (
                    missing
                    and version.publishing_profile.replication_mode is ReplicationMode.SHALLOW
                ):
                    blocked.append(
                        (name, "a shallow-replicated version stays in its source region")
                    )
                    keep.append(version)
                    continue
                new = targets + missing
            else:
                new = self._older(version, targets)
            if new == targets:
                keep.append(version)
                continue
            if not _removal_blocked(version, new):
                keep.append(_with_targets(version, new))
            elif respect_safety:
                blocked.append((name, _REMOVAL_BLOCKED))
                keep.append(version)
                continue
            else:
                keep.append(_with_targets(version, new, allow_removal=True))
                overridden.append((name, "needs allow_deletion_of_replicated_locations=True"))
            changed.append(name)
        return _rebuild(
            definition,
            keep=keep,
            deleted=[],
            changed=changed,
            blocked=blocked,
            overridden=overridden,
        )

    def _older(self, version: ImageVersion, targets: list[TargetRegion]) -> list[TargetRegion]:
        source = [t for t in targets if t.name == version.location]
        if not source:  # no target regions at all: the version is only at its source already
            return targets
        entry = source[0]
        if self.older_replicas is not None and version.replicas_in(entry.name) != (
            self.older_replicas
        ):
            entry = attrs.evolve(entry, regional_replica_count=self.older_replicas)
        return [entry]

    def describe(self) -> str:
        """The policy in words."""
        noun = "version" if self.keep == 1 else f"{self.keep} versions"
        where = "in every target region"
        if self.regions:
            where += f" (and in {', '.join(self.regions)})"
        older = "older versions only in their source region"
        if self.older_replicas is not None:
            older += f" with {self.older_replicas} replica{'s' if self.older_replicas != 1 else ''}"
        return f"keep the latest {noun} {where}, {older}"
