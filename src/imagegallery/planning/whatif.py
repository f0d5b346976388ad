"""What-if: apply a replication/retention policy and compare cost and resolution before and after.

:func:`what_if` applies a :class:`~imagegallery.planning.RetentionPolicy` to an inventory (or a
gallery, or one image definition), prices both states with
:func:`~imagegallery.costs.estimate_cost`, and reports:

* the versions and replicas that change (deleted, regions removed or added, blocked changes);
* the monthly saving, and the one-time egress of any new copies;
* the resolution impact: every (definition, region) whose ``latest`` would give another version,
  or none at all, afterwards — resolved with :func:`imagegallery.resolve.resolve_latest` at the
  same moment, so exclusions, end of life and replication state count.

The result types (:class:`WhatIf` and the change records) are defined in
:mod:`imagegallery.planning._whatif_results` and importable from here.

Example:
    >>> from datetime import UTC, datetime
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.planning import ReplicateLatest, what_if
    >>> at = datetime(2025, 3, 1, tzinfo=UTC)
    >>> blocked = what_if(sample_inventory(), ReplicateLatest(keep=1), at=at)
    >>> blocked.monthly_saving, {c.kind.value for c in blocked.changes}
    (Decimal('0.0000'), {'blocked'})
    >>> result = what_if(sample_inventory(), ReplicateLatest(keep=1), at=at, respect_safety=False)
    >>> result.monthly_saving, result.new_copy_egress
    (Decimal('6.9440'), Decimal('0'))
    >>> [(c.definition_id.name, c.region, str(c.before), c.after) for c in result.latest_changes]
    [('myImage1', 'eastus', '1.0.9', None), ('myImage2', 'eastus', '2.0.0', None)]
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final, TypeVar, cast

import attrs

from imagegallery.costs import CostLine, CostReport, LineKind, PriceSheet, estimate_cost
from imagegallery.costs.estimate import PriceUnit, SizeBasis
from imagegallery.definition import ImageDefinition
from imagegallery.errors import InvalidTypeError, NaiveDatetimeError, NoEligibleVersionError
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId
from imagegallery.inventory import Inventory
from imagegallery.planning._whatif_results import (
    ChangeKind,
    LatestChange,
    ReplicaChange,
    VersionChange,
    WhatIf,
)
from imagegallery.planning.policies import DefinitionPlan, RetentionPolicy
from imagegallery.version_name import ImageVersionName

__all__ = [
    "ChangeKind",
    "LatestChange",
    "ReplicaChange",
    "VersionChange",
    "WhatIf",
    "apply_policy",
    "what_if",
]

_ZERO: Final = Decimal(0)
_T = TypeVar("_T", Inventory, Gallery, ImageDefinition)


def apply_policy(
    target: _T, policy: RetentionPolicy, *, at: datetime | None = None, respect_safety: bool = True
) -> _T:
    """Apply ``policy`` to every image definition of ``target``; return the changed copy.

    See :func:`what_if` for ``at`` and ``respect_safety``.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.planning import DeleteEndOfLife, apply_policy
        >>> inv = sample_inventory()
        >>> len(inv), len(apply_policy(inv, DeleteEndOfLife(), at=datetime(2025, 7, 1, tzinfo=UTC)))
        (13, 12)
    """
    result, _plans = _apply(target, _policy(policy), _moment(at), respect_safety)
    return cast(_T, result)


def what_if(
    target: Inventory | Gallery | ImageDefinition,
    policy: RetentionPolicy,
    prices: PriceSheet | None = None,
    *,
    at: datetime | None = None,
    respect_safety: bool = True,
    size_basis: SizeBasis = "used",
    used_gb: Mapping[str | ResourceId, float | int | Decimal] | None = None,
    unit: PriceUnit = "GiB",
) -> WhatIf:
    """Apply a policy and compare cost and ``latest`` resolution before and after.

    Args:
        target: An inventory, gallery or image definition.
        policy: :class:`ReplicateLatest`, :class:`DeleteEndOfLife`, :class:`KeepLatest`, or any
            object with the :class:`RetentionPolicy` methods.
        prices: The price sheet (``None``: the default one).
        at: The moment for end-of-life decisions and ``latest`` resolution (defaults to now).
        respect_safety: Block the changes the versions' safety profiles forbid (the default),
            or make them as Azure would accept them, with the flag changed in the same update
            (each such change names the flag in its ``reason``).
        size_basis: See :func:`~imagegallery.costs.estimate_cost`.
        used_gb: See :func:`~imagegallery.costs.estimate_cost`.
        unit: See :func:`~imagegallery.costs.estimate_cost`.

    Returns:
        The comparison.

    Raises:
        NaiveDatetimeError: ``at`` has no time zone.
        InvalidTypeError: ``target`` or ``policy`` is of the wrong type.
        PriceNotFoundError: A price is missing (see :func:`~imagegallery.costs.estimate_cost`).

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.planning import DeleteEndOfLife, what_if
        >>> result = what_if(sample_inventory(), DeleteEndOfLife(),
        ...                  at=datetime(2025, 7, 1, tzinfo=UTC))
        >>> [(c.version_id.version, c.kind.value, str(c.monthly_saving)) for c in result.changes]
        [('1.0.0', 'deleted', '1.275')]
        >>> result.latest_changes
        ()
    """
    moment = _moment(at)
    rule = _policy(policy)
    result, plans = _apply(target, rule, moment, respect_safety)
    options: dict[str, Any] = {"size_basis": size_basis, "used_gb": used_gb, "unit": unit}
    before = estimate_cost(target, prices, **options)
    after = estimate_cost(result, prices, **options) if result is not target else before
    changes = tuple(_changes(plans, before, after))
    latest = tuple(_latest_changes(plans, moment))
    return WhatIf(
        policy=rule.describe(),
        at=moment,
        result=result,
        before=before,
        after=after,
        changes=changes,
        latest_changes=latest,
    )


# -- internals ---------------------------------------------------------------------------------


def _moment(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    if not isinstance(at, datetime):
        raise InvalidTypeError("expected a datetime", field="at", value=at)
    if at.tzinfo is None or at.utcoffset() is None:
        raise NaiveDatetimeError("the moment needs a time zone", field="at", value=at)
    return at


def _policy(policy: object) -> RetentionPolicy:
    if not isinstance(policy, RetentionPolicy):
        raise InvalidTypeError(
            "expected a retention policy (ReplicateLatest, DeleteEndOfLife, KeepLatest ...)",
            field="policy",
            value=type(policy).__name__,
        )
    return policy


Plans = list[tuple[ImageDefinition, DefinitionPlan]]


Target = Inventory | Gallery | ImageDefinition


def _apply(
    target: Target, policy: RetentionPolicy, at: datetime, respect_safety: bool
) -> tuple[Target, Plans]:
    if type(respect_safety) is not bool:
        raise InvalidTypeError(
            "expected True or False", field="respect_safety", value=respect_safety
        )
    plans: Plans = []

    def run(definition: ImageDefinition) -> ImageDefinition:
        plan = policy.plan(definition, at=at, respect_safety=respect_safety)
        plans.append((definition, plan))
        return plan.definition

    if isinstance(target, ImageDefinition):
        return run(target), plans
    if isinstance(target, Gallery):
        return _gallery(target, run), plans
    if isinstance(target, Inventory):
        galleries = [_gallery(g, run) for g in target.galleries()]
        if all(new is old for new, old in zip(galleries, target.galleries(), strict=True)):
            return target, plans
        return Inventory(galleries), plans
    raise InvalidTypeError(
        "expected an Inventory, Gallery or ImageDefinition",
        field="target",
        value=type(target).__name__,
    )


def _gallery(gallery: Gallery, run: Any) -> Gallery:
    new = [run(d) for d in gallery.definitions.values()]
    if all(n is o for n, o in zip(new, gallery.definitions.values(), strict=True)):
        return gallery
    return attrs.evolve(gallery, definitions=new)


def _lines_by_version(report: CostReport) -> dict[ResourceId, list[CostLine]]:
    out: dict[ResourceId, list[CostLine]] = {}
    for line in report.lines:
        out.setdefault(line.version_id, []).append(line)
    return out


def _changes(plans: Plans, before: CostReport, after: CostReport) -> Iterator[VersionChange]:
    touched = [p for p in plans if p[1].deleted or p[1].changed or p[1].blocked]
    if not touched:
        return
    old_lines = _lines_by_version(before)
    new_lines = _lines_by_version(after) if after is not before else old_lines
    for definition, plan in touched:
        deleted = set(plan.deleted)
        changed = set(plan.changed)
        blocked = dict(plan.blocked)
        overridden = dict(plan.overridden)
        for version in definition.versions.values():
            name = str(version.name)
            if name in blocked:
                yield VersionChange(
                    version_id=version.id, kind=ChangeKind.BLOCKED, reason=blocked[name]
                )
            elif name in deleted or name in changed:
                kind = ChangeKind.DELETED if name in deleted else ChangeKind.REGIONS_CHANGED
                old = old_lines.get(version.id, [])
                new = [] if name in deleted else new_lines.get(version.id, [])
                yield VersionChange(
                    version_id=version.id,
                    kind=kind,
                    replicas=_replica_changes(old, new),
                    reason=overridden.get(name, ""),
                )


def _replica_changes(old: list[CostLine], new: list[CostLine]) -> tuple[ReplicaChange, ...]:
    def key(line: CostLine) -> tuple[str, str, bool]:
        # A region listed explicitly and the implied source region are the same replicas.
        return (line.region, line.storage_type, line.kind is LineKind.ADDITIONAL)

    before = {key(line): line for line in old}
    after = {key(line): line for line in new}
    old_regions = {line.region for line in old}
    out: list[ReplicaChange] = []
    for k in dict.fromkeys([*before, *after]):
        b, a = before.get(k), after.get(k)
        replicas_before = b.replicas if b else 0
        replicas_after = a.replicas if a else 0
        monthly_before = b.monthly if b else _ZERO
        monthly_after = a.monthly if a else _ZERO
        if (replicas_before, monthly_before) == (replicas_after, monthly_after):
            continue
        new_copy = a.egress if a is not None and k[0] not in old_regions else _ZERO
        out.append(
            ReplicaChange(
                region=k[0],
                storage_type=k[1],
                replicas_before=replicas_before,
                replicas_after=replicas_after,
                monthly_before=monthly_before,
                monthly_after=monthly_after,
                new_copy_egress=new_copy,
            )
        )
    return tuple(out)


def _regions(definition: ImageDefinition) -> set[str]:
    regions: set[str] = set()
    for version in definition.versions.values():
        regions.update(version.region_names or (version.location,))
    return regions


def _latest(definition: ImageDefinition, region: str, at: datetime) -> ImageVersionName | None:
    from imagegallery.resolve import resolve_latest  # noqa: PLC0415 - sibling capability

    try:
        return resolve_latest(definition, region=region, at=at).name
    except NoEligibleVersionError:
        return None


def _latest_changes(plans: Plans, at: datetime) -> Iterator[LatestChange]:
    for definition, plan in plans:
        if plan.definition is definition:
            continue
        for region in sorted(_regions(definition) | _regions(plan.definition)):
            before = _latest(definition, region, at)
            after = _latest(plan.definition, region, at)
            if before != after:
                yield LatestChange(
                    definition_id=definition.id, region=region, before=before, after=after
                )
