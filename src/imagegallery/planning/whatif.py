"""What-if: apply a replication/retention policy and compare cost and resolution before and after.

:func:`what_if` applies a :class:`~imagegallery.planning.RetentionPolicy` to an inventory (or a
gallery, or one image definition), prices both states with
:func:`~imagegallery.costs.estimate_cost`, and reports:

* the versions and replicas that change (deleted, regions removed or added, blocked changes);
* the monthly saving, and the one-time egress of any new copies;
* the resolution impact: every (definition, region) whose ``latest`` would give another version,
  or none at all, afterwards — resolved with :func:`imagegallery.resolve.resolve_latest` at the
  same moment, so exclusions, end of life and replication state count.

The result (:class:`WhatIf`) sums up the change records: :class:`VersionChange` per version
(with :class:`ReplicaChange` per region and storage type) and :class:`LatestChange` per
(definition, region) whose ``latest`` moves.

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

import decimal
import enum
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, cast

import attrs

from imagegallery.costs import (
    CostReport,
    LineKind,
    PriceSheet,
    PriceUnit,
    SizeBasis,
    estimate_cost,
)
from imagegallery.costs.report import EXACT
from imagegallery.definition import ImageDefinition
from imagegallery.errors import InvalidFieldError, InvalidTypeError
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId
from imagegallery.inventory import Inventory
from imagegallery.planning.policies import DefinitionPlan, RetentionPolicy
from imagegallery.resolve import definition_regions, latest_by_region, latest_without
from imagegallery.speed import paused_gc
from imagegallery.tables import (
    column_dataframe,
    column_lists,
    column_records,
    html_block,
    html_count,
    html_fields,
    html_table,
)
from imagegallery.timestamps import moment
from imagegallery.version import ImageVersion
from imagegallery.version_name import ImageVersionName

if TYPE_CHECKING:
    import pandas

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
_ADDITIONAL: Final = LineKind.ADDITIONAL.value
_T = TypeVar("_T", Inventory, Gallery, ImageDefinition)
_Table = Literal["changes", "latest"]


# -- the result --------------------------------------------------------------------------------


class ChangeKind(enum.StrEnum):
    """What a policy does to one version.

    Example:
        >>> from imagegallery.planning import ChangeKind
        >>> [kind.value for kind in ChangeKind]
        ['deleted', 'regions_changed', 'blocked']
    """

    DELETED = "deleted"
    REGIONS_CHANGED = "regions_changed"
    BLOCKED = "blocked"
    """The policy's change is not allowed by the version's safety profile; nothing changes."""


@attrs.frozen(kw_only=True)
class ReplicaChange:
    """The replicas of one version in one region (and storage type), before and after.

    Attributes:
        region: The region.
        storage_type: The replicas' storage type.
        replicas_before: Replicas before (0 if the region is new).
        replicas_after: Replicas after (0 if the region is dropped).
        monthly_before: Monthly storage before.
        monthly_after: Monthly storage after.
        new_copy_egress: Egress of the first copy into a region the version was not in.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.planning import ReplicateLatest, what_if
        >>> result = what_if(sample_inventory(), ReplicateLatest(keep=1, regions=["japaneast"]),
        ...                  at=datetime(2025, 3, 1, tzinfo=UTC))
        >>> added = [r for c in result.changes for r in c.replicas][0]
        >>> added.region, added.replicas_before, added.replicas_after, added.new_copy_egress
        ('japaneast', 0, 1, Decimal('0.425'))
    """

    region: str
    storage_type: str
    replicas_before: int
    replicas_after: int
    monthly_before: Decimal
    monthly_after: Decimal
    new_copy_egress: Decimal


@attrs.frozen(kw_only=True)
class VersionChange:
    """What the policy does to one version.

    Attributes:
        version_id: The version.
        kind: Deleted, regions changed, or blocked.
        replicas: The per-region changes (empty when blocked).
        reason: Why a change is blocked, or which safety flag a change made with
            ``respect_safety=False`` needs (empty otherwise).

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.planning import KeepLatest, what_if
        >>> change = what_if(sample_inventory(), KeepLatest(3),
        ...                  at=datetime(2025, 3, 1, tzinfo=UTC)).changes[0]
        >>> change.version_id.version, change.kind.value, change.monthly_saving
        ('1.0.0', 'deleted', Decimal('1.275'))
    """

    version_id: ResourceId
    kind: ChangeKind
    replicas: tuple[ReplicaChange, ...] = ()
    reason: str = ""

    @property
    def monthly_saving(self) -> Decimal:
        """Monthly storage saved (negative when the change adds replicas)."""
        with decimal.localcontext(EXACT):
            return sum((r.monthly_before - r.monthly_after for r in self.replicas), _ZERO)

    @property
    def new_copy_egress(self) -> Decimal:
        """Egress of the new copies."""
        return sum((r.new_copy_egress for r in self.replicas), _ZERO)


@attrs.frozen(kw_only=True)
class LatestChange:
    """A definition whose ``latest`` gives another version in a region after the policy.

    Attributes:
        definition_id: The image definition.
        region: The region.
        before: What ``latest`` gave before (``None``: nothing eligible).
        after: What it gives after (``None``: nothing eligible — deployments there would fail).

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.planning import KeepLatest, what_if
        >>> change = what_if(sample_inventory(), KeepLatest(2),
        ...                  at=datetime(2025, 3, 1, tzinfo=UTC)).latest_changes[0]
        >>> change.definition_id.name, change.region, str(change.before), change.after
        ('myImage1', 'eastus', '1.0.9', None)
    """

    definition_id: ResourceId
    region: str
    before: ImageVersionName | None
    after: ImageVersionName | None


_WHATIF_SLOTS: Final = (
    "policy",
    "at",
    "result",
    "before",
    "after",
    "latest_changes",
    "_changes",
    "_pending",
)


class WhatIf:
    """The result of :func:`what_if`.

    A what-if is immutable and compares equal to another with the same attributes. The one
    :func:`what_if` returns builds its :class:`VersionChange` records the first time
    ``changes`` (or anything that reads them: the totals, the summary, the tables) is asked for,
    from the plans and the two cost reports it keeps (see :mod:`imagegallery._speed`); they are
    the same either way.

    Attributes:
        policy: The policy, in words.
        at: The moment the policy and the resolution were evaluated at.
        result: The inventory (gallery, definition) after the policy.
        before: The cost report before.
        after: The cost report after.
        latest_changes: The resolution impact, by definition and region.

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.planning import KeepLatest, what_if
        >>> result = what_if(sample_inventory(), KeepLatest(2), at=datetime(2025, 3, 1, tzinfo=UTC))
        >>> result.monthly_saving, result.replicas_removed
        (Decimal('2.9750'), 7)
        >>> [definition.name for definition in result.flagged_definitions]
        ['myImage1']
    """

    __slots__ = (
        "_changes",
        "_pending",
        "after",
        "at",
        "before",
        "latest_changes",
        "policy",
        "result",
    )

    policy: str
    at: datetime
    result: Inventory | Gallery | ImageDefinition
    before: CostReport
    after: CostReport
    latest_changes: tuple[LatestChange, ...]
    _changes: tuple[VersionChange, ...] | None
    _pending: tuple[Plans, CostReport, CostReport] | None

    def __init__(
        self,
        *,
        policy: str,
        at: datetime,
        result: Inventory | Gallery | ImageDefinition,
        before: CostReport,
        after: CostReport,
        changes: tuple[VersionChange, ...],
        latest_changes: tuple[LatestChange, ...],
    ) -> None:
        self._set(policy, at, result, before, after, latest_changes, changes, None)

    def _set(self, *values: Any) -> None:
        for name, value in zip(_WHATIF_SLOTS, values, strict=True):
            object.__setattr__(self, name, value)

    @classmethod
    def _deferred(
        cls,
        *,
        policy: str,
        at: datetime,
        result: Inventory | Gallery | ImageDefinition,
        before: CostReport,
        after: CostReport,
        latest_changes: tuple[LatestChange, ...],
        plans: Plans,
    ) -> WhatIf:
        """A what-if whose ``changes`` are built from ``plans`` when first read."""
        made = cls.__new__(cls)
        made._set(policy, at, result, before, after, latest_changes, None, (plans, before, after))
        return made

    @property
    def changes(self) -> tuple[VersionChange, ...]:
        """Per changed (or blocked) version, in inventory order (one :class:`VersionChange`
        each)."""
        found = self._changes
        if found is None:
            pending = self._pending
            assert pending is not None
            with paused_gc():  # records of plain values, acyclic: see imagegallery.speed
                found = tuple(_changes(*pending))
            object.__setattr__(self, "_changes", found)
            object.__setattr__(self, "_pending", None)
        return found

    def __setattr__(self, name: str, value: object) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def __delattr__(self, name: str) -> None:
        raise attrs.exceptions.FrozenInstanceError()

    def _key(self) -> tuple[Any, ...]:
        return (
            self.policy,
            self.at,
            self.result,
            self.before,
            self.after,
            self.changes,
            self.latest_changes,
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, WhatIf)
        return self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __hash__(self) -> int:
        return hash((WhatIf, *self._key()))

    def __repr__(self) -> str:
        return f"WhatIf(policy={self.policy!r}, at={self.at!r})"

    @property
    def monthly_saving(self) -> Decimal:
        """Monthly storage before minus after (negative when the policy adds replicas)."""
        with decimal.localcontext(EXACT):
            return self.before.monthly_storage - self.after.monthly_storage

    @property
    def new_copy_egress(self) -> Decimal:
        """One-time egress of the copies the policy adds."""
        with decimal.localcontext(EXACT):
            return sum((c.new_copy_egress for c in self.changes), _ZERO)

    @property
    def replicas_removed(self) -> int:
        """Replicas the policy removes (deleted versions included)."""
        return sum(
            max(r.replicas_before - r.replicas_after, 0) for c in self.changes for r in c.replicas
        )

    @property
    def replicas_added(self) -> int:
        """Replicas the policy adds."""
        return sum(
            max(r.replicas_after - r.replicas_before, 0) for c in self.changes for r in c.replicas
        )

    @property
    def flagged_definitions(self) -> tuple[ResourceId, ...]:
        """Definitions whose ``latest`` would change in some region."""
        return tuple(dict.fromkeys(c.definition_id for c in self.latest_changes))

    def summary(self) -> str:
        """The what-if in a few lines of text.

        Example:
            >>> from datetime import UTC, datetime
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.planning import KeepLatest, what_if
            >>> print(what_if(sample_inventory(), KeepLatest(1),
            ...               at=datetime(2025, 3, 1, tzinfo=UTC)).summary())
            policy: keep the latest version of each image definition, delete older ones
            versions: 7 deleted, 0 changed, 0 blocked; replicas: 22 removed, 0 added
            monthly storage: 39.91 -> 18.04 USD (saves 21.88 USD)
            egress of new copies: 0.00 USD (once)
            latest changes in 3 (definition, region) pairs:
              myImage1 in eastus: 1.0.9 -> none
              myImage1 in westeurope: 1.0.10 -> none
              myImage2 in eastus: 2.0.0 -> none
        """
        currency = self.before.currency
        counts = {kind: sum(1 for c in self.changes if c.kind is kind) for kind in ChangeKind}
        lines = [
            f"policy: {self.policy}",
            f"versions: {counts[ChangeKind.DELETED]} deleted,"
            f" {counts[ChangeKind.REGIONS_CHANGED]} changed, {counts[ChangeKind.BLOCKED]} blocked;"
            f" replicas: {self.replicas_removed} removed, {self.replicas_added} added",
            f"monthly storage: {_money(self.before.monthly_storage)} ->"
            f" {_money(self.after.monthly_storage)} {currency}"
            f" (saves {_money(self.monthly_saving)} {currency})",
            f"egress of new copies: {_money(self.new_copy_egress)} {currency} (once)",
        ]
        if not self.latest_changes:
            lines.append("latest changes: none")
        else:
            lines.append(
                f"latest changes in {len(self.latest_changes)} (definition, region) pairs:"
            )
            for change in self.latest_changes:
                before = str(change.before) if change.before is not None else "none"
                after = str(change.after) if change.after is not None else "none"
                lines.append(
                    f"  {change.definition_id.name} in {change.region}: {before} -> {after}"
                )
        return "\n".join(lines)

    def to_columns(self, table: _Table = "changes") -> dict[str, list[Any]]:
        """A table of the what-if, column by column: name → list of plain values.

        Args:
            table: ``"changes"``: one row per version and region whose replicas change (a
                blocked version has one row with no region); ``"latest"``: one row per
                (definition, region) whose ``latest`` changes. The columns are listed in
                :doc:`/notebooks`.

        Raises:
            InvalidFieldError: ``table`` is not one of those.

        Example:
            >>> from datetime import UTC, datetime
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.planning import KeepLatest, what_if
            >>> result = what_if(sample_inventory(), KeepLatest(2),
            ...                  at=datetime(2025, 3, 1, tzinfo=UTC))
            >>> columns = result.to_columns()
            >>> columns["version"][:2], columns["change"][:2], columns["region"][:2]
            (['1.0.0', '1.0.0'], ['deleted', 'deleted'], ['westeurope', 'northeurope'])
            >>> result.to_columns("latest")["latest_before"]
            ['1.0.9']
        """
        return column_lists(_columns(self, table))

    def to_records(self, table: _Table = "changes") -> list[dict[str, Any]]:
        """The rows of :meth:`to_columns` as dicts.

        Example:
            >>> from datetime import UTC, datetime
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.planning import KeepLatest, what_if
            >>> row = what_if(sample_inventory(), KeepLatest(3),
            ...               at=datetime(2025, 3, 1, tzinfo=UTC)).to_records()[0]
            >>> row["region"], row["replicas_before"], row["replicas_after"], row["monthly_before"]
            ('westeurope', 2, 0, Decimal('0.850'))
        """
        return column_records(_columns(self, table))

    def to_dataframe(self, table: _Table = "changes", *, exact: bool = False) -> pandas.DataFrame:
        """The rows of :meth:`to_columns` as a typed ``pandas.DataFrame`` (``pandas`` extra).

        Raises:
            MissingExtraError: pandas is not installed.
        """
        return column_dataframe(_columns(self, table), exact=exact)

    def _repr_html_(self) -> str:
        return _whatif_html(self)


# -- applying and comparing --------------------------------------------------------------------


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
    when = moment(at)
    rule = _policy(policy)
    with paused_gc():  # the changed versions are acyclic: see imagegallery.speed
        result, _plans = _apply(target, rule, when, respect_safety)
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
    when = moment(at)
    rule = _policy(policy)
    # Every object built here (versions, reports, changes) is acyclic: see imagegallery.speed.
    with paused_gc():
        result, plans = _apply(target, rule, when, respect_safety)
        options: dict[str, Any] = {"size_basis": size_basis, "used_gb": used_gb, "unit": unit}
        before = estimate_cost(target, prices, **options)
        after = estimate_cost(result, prices, **options) if result is not target else before
        latest = tuple(_latest_changes(plans, when))
    return WhatIf._deferred(
        policy=rule.describe(),
        at=when,
        result=result,
        before=before,
        after=after,
        latest_changes=latest,
        plans=[p for p in plans if p[1].deleted or p[1].changed or p[1].blocked],
    )


# -- internals ---------------------------------------------------------------------------------


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


def _rows_by_version(report: CostReport) -> dict[ResourceId, list[tuple[Any, ...]]]:
    """The report's line rows (its compact table, no :class:`CostLine` built) by version id."""
    table = report.table
    ids = table.version_ids
    out: dict[ResourceId, list[tuple[Any, ...]]] = {}
    for index, rows in groupby(table.rows, itemgetter(0)):
        out.setdefault(ids[index], []).extend(rows)
    return out


def _changes(plans: Plans, before: CostReport, after: CostReport) -> Iterator[VersionChange]:
    touched = [p for p in plans if p[1].deleted or p[1].changed or p[1].blocked]
    if not touched:
        return
    old_rows = _rows_by_version(before)
    new_rows = _rows_by_version(after) if after is not before else old_rows
    no_rows: list[tuple[Any, ...]] = []
    deleted_kind = ChangeKind.DELETED
    changed_kind = ChangeKind.REGIONS_CHANGED
    blocked_kind = ChangeKind.BLOCKED
    for definition, plan in touched:
        deleted = set(plan.deleted)
        changed = set(plan.changed)
        blocked = dict(plan.blocked)
        overridden = dict(plan.overridden)
        for version in definition.versions.values():
            name = str(version.name)
            if name in blocked:
                yield VersionChange(version_id=version.id, kind=blocked_kind, reason=blocked[name])
            elif name in deleted:
                yield VersionChange(
                    version_id=version.id,
                    kind=deleted_kind,
                    replicas=_replica_changes(old_rows.get(version.id, no_rows), no_rows),
                    reason=overridden.get(name, ""),
                )
            elif name in changed:
                yield VersionChange(
                    version_id=version.id,
                    kind=changed_kind,
                    replicas=_replica_changes(
                        old_rows.get(version.id, no_rows), new_rows.get(version.id, no_rows)
                    ),
                    reason=overridden.get(name, ""),
                )


def _replica_changes(
    old: list[tuple[Any, ...]], new: list[tuple[Any, ...]]
) -> tuple[ReplicaChange, ...]:
    """The per-region changes between two versions' line rows (see
    :class:`~imagegallery.costs.report.LineTable`: region, storage type, replicas, monthly,
    egress and kind at 1, 2, 3, 5, 8 and 10)."""
    # A region listed explicitly and the implied source region are the same replicas.
    before = {(row[1], row[2], row[10] == _ADDITIONAL): row for row in old}
    if not new:  # deleted: every line goes
        return tuple(
            ReplicaChange(
                region=k[0],
                storage_type=k[1],
                replicas_before=row[3],
                replicas_after=0,
                monthly_before=row[5],
                monthly_after=_ZERO,
                new_copy_egress=_ZERO,
            )
            for k, row in before.items()
            if (row[3], row[5]) != (0, _ZERO)
        )
    after = {(row[1], row[2], row[10] == _ADDITIONAL): row for row in new}
    old_regions = {row[1] for row in old}
    out: list[ReplicaChange] = []
    for k in dict.fromkeys([*before, *after]):
        b, a = before.get(k), after.get(k)
        replicas_before = b[3] if b else 0
        replicas_after = a[3] if a else 0
        monthly_before = b[5] if b else _ZERO
        monthly_after = a[5] if a else _ZERO
        if (replicas_before, monthly_before) == (replicas_after, monthly_after):
            continue
        new_copy = a[8] if a is not None and k[0] not in old_regions else _ZERO
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


def _only_deleted(definition: ImageDefinition, plan: DefinitionPlan) -> bool:
    """Whether the plan's definition holds exactly the definition's own versions but the
    deleted ones (checked by identity, whatever the policy says it did)."""
    if plan.changed:
        return False
    deleted = {name.lower() for name in plan.deleted}
    kept = [v for v in definition.versions.values() if v.id.name.lower() not in deleted]
    after = plan.definition.versions.values()
    return len(kept) == len(after) and all(old is new for old, new in zip(kept, after, strict=True))


def _latest_changes(plans: Plans, at: datetime) -> Iterator[LatestChange]:
    for definition, plan in plans:
        if plan.definition is definition:
            continue
        if _only_deleted(definition, plan):
            # The regions after are among those before; the definition's own index answers.
            regions = definition_regions(definition)
            before = latest_by_region(definition, regions=regions, at=at)[definition.id]
            after = latest_without(definition, plan.deleted, regions=regions, at=at)
        else:
            regions = sorted(
                {*definition_regions(definition), *definition_regions(plan.definition)}
            )
            before = latest_by_region(definition, regions=regions, at=at)[definition.id]
            after = latest_by_region(plan.definition, regions=regions, at=at)[definition.id]
        for region in regions:
            old, new = _name(before[region]), _name(after[region])
            if old != new:
                yield LatestChange(
                    definition_id=definition.id, region=region, before=old, after=new
                )


def _name(version: ImageVersion | None) -> ImageVersionName | None:
    return None if version is None else version.name


def _money(amount: Decimal) -> str:
    return f"{amount.quantize(Decimal('0.01')):,}"


def _owner(rid: ResourceId) -> tuple[str, str, str, str]:
    return (rid.subscription_id or "", rid.resource_group or "", rid.gallery or "", rid.image or "")


_CHANGE_COLUMNS: Final = (
    "subscription_id",
    "resource_group",
    "gallery",
    "definition",
    "version",
    "version_id",
    "change",
    "reason",
    "region",
    "storage_type",
    "replicas_before",
    "replicas_after",
    "monthly_before",
    "monthly_after",
    "new_copy_egress",
    "currency",
)
_LATEST_COLUMNS: Final = (
    "subscription_id",
    "resource_group",
    "gallery",
    "definition",
    "definition_id",
    "region",
    "latest_before",
    "latest_after",
)


def _change_rows(result: WhatIf) -> list[tuple[Any, ...]]:
    currency = result.before.currency
    rows: list[tuple[Any, ...]] = []
    for change in result.changes:
        head = (
            *_owner(change.version_id),
            change.version_id.version,
            str(change.version_id),
            change.kind.value,
            change.reason or None,
        )
        if not change.replicas:
            rows.append((*head, None, None, 0, 0, _ZERO, _ZERO, _ZERO, currency))
        rows.extend(
            (
                *head,
                r.region,
                r.storage_type,
                r.replicas_before,
                r.replicas_after,
                r.monthly_before,
                r.monthly_after,
                r.new_copy_egress,
                currency,
            )
            for r in change.replicas
        )
    return rows


def _latest_rows(result: WhatIf) -> list[tuple[Any, ...]]:
    return [
        (
            *_owner(c.definition_id),
            str(c.definition_id),
            c.region,
            None if c.before is None else str(c.before),
            None if c.after is None else str(c.after),
        )
        for c in result.latest_changes
    ]


def _columns(result: WhatIf, table: str) -> dict[str, Sequence[Any]]:
    names: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    if table == "changes":
        names, rows = _CHANGE_COLUMNS, _change_rows(result)
    elif table == "latest":
        names, rows = _LATEST_COLUMNS, _latest_rows(result)
    else:
        raise InvalidFieldError(
            "unknown table; use 'changes' or 'latest'", field="table", value=table
        )
    return {name: [row[i] for row in rows] for i, name in enumerate(names)}


def _whatif_html(result: WhatIf) -> str:
    currency = result.before.currency
    counts = {kind: sum(1 for c in result.changes if c.kind is kind) for kind in ChangeKind}
    head = html_fields(
        [
            ("policy", result.policy),
            ("at", result.at),
            (
                "versions",
                f"{counts[ChangeKind.DELETED]} deleted, {counts[ChangeKind.REGIONS_CHANGED]}"
                f" changed, {counts[ChangeKind.BLOCKED]} blocked",
            ),
            ("replicas", f"{result.replicas_removed} removed, {result.replicas_added} added"),
            (
                f"monthly storage ({currency})",
                f"{_money(result.before.monthly_storage)} → {_money(result.after.monthly_storage)}"
                f" (saves {_money(result.monthly_saving)})",
            ),
            (f"egress of new copies ({currency}, once)", _money(result.new_copy_egress)),
        ],
        caption="What-if",
    )
    latest = html_table(
        ("definition", "region", "latest before", "latest after"),
        (
            (c.definition_id.name, c.region, c.before or "none", c.after or "none")
            for c in result.latest_changes
        ),
        caption=f"Latest changes in {len(result.latest_changes)} (definition, region) pairs",
        total=len(result.latest_changes),
    )
    changes = html_table(
        ("definition", "version", "change", "regions", f"monthly saving ({currency})", "reason"),
        (
            (
                c.version_id.image,
                c.version_id.version,
                c.kind,
                ", ".join(f"{r.region} {r.replicas_before}→{r.replicas_after}" for r in c.replicas),
                c.monthly_saving,
                c.reason,
            )
            for c in result.changes
        ),
        caption=f"{html_count(len(result.changes), 'version')} changed or blocked",
        total=len(result.changes),
    )
    return html_block(head, latest, changes)
