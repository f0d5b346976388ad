"""What :func:`~imagegallery.review.diff` reports, piece by piece.

* :class:`ResourceChange`: a gallery, image definition or image version added, removed or
  changed, with its :class:`PropertyChange` list (ARM path, value before, value after);
* :class:`LatestMove`: a (definition, region) whose "latest" gives another version, or none;
* :class:`BrokenReference`: an image reference in use that resolved before and fails after;
* :class:`CostDelta` (with :class:`RegionCost` rows): monthly snapshot storage before and after,
  and the one-time egress of the new first copies;
* :class:`AccessChange`: a principal who gains or loses read on what "latest" gives;
* :class:`InventoryDiff`: all of them, with a summary line, flat records, a JSON-ready dict and
  the exit-status predicate :meth:`InventoryDiff.fails_on`.

Each has ``to_record()``: one flat dict with stable snake_case keys (documented on the class).

Example:
    >>> from imagegallery.review import DiffKind
    >>> [kind.value for kind in DiffKind]
    ['added', 'removed', 'changed']
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

import attrs

from imagegallery.errors import InvalidFieldError
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.inventory import Entity
from imagegallery.regions import normalize_region
from imagegallery.review._json import cell, json_ready, name_or_none
from imagegallery.review._properties import Segment
from imagegallery.version_name import ImageVersionName

__all__ = [
    "DIFF_FAIL_CONDITIONS",
    "DIFF_RECORD_COLUMNS",
    "DIFF_SCHEMA",
    "RESOURCE_TYPES",
    "AccessChange",
    "AccessChangeKind",
    "BrokenReference",
    "CostDelta",
    "DiffKind",
    "InventoryDiff",
    "LatestMove",
    "PropertyChange",
    "RegionCost",
    "ResourceChange",
    "resource_type_of",
]

RESOURCE_TYPES: Final = {
    ResourceKind.GALLERY: "gallery",
    ResourceKind.IMAGE_DEFINITION: "definition",
    ResourceKind.IMAGE_VERSION: "version",
}
"""The ``resource_type`` text of each kind of resource a diff reports."""


def _to_id(value: str | ResourceId) -> ResourceId:
    return ResourceId.parse(value)


def _to_name(value: str | ImageVersionName | None) -> ImageVersionName | None:
    return None if value is None else ImageVersionName.parse(value)


def resource_type_of(rid: ResourceId) -> str:
    """``"gallery"``, ``"definition"`` or ``"version"`` (the id's kind otherwise).

    Example:
        >>> from imagegallery import sample_inventory
        >>> resource_type_of(next(sample_inventory().versions()).id)
        'version'
    """
    return RESOURCE_TYPES.get(rid.kind, rid.kind.value)


class DiffKind(enum.StrEnum):
    """How a resource or a property differs between the old and the new inventory.

    Example:
        >>> from imagegallery.review import DiffKind
        >>> DiffKind("removed") is DiffKind.REMOVED
        True
    """

    ADDED = "added"
    """Only in the new inventory."""
    REMOVED = "removed"
    """Only in the old inventory."""
    CHANGED = "changed"
    """In both, with another value."""


@attrs.frozen(kw_only=True)
class PropertyChange:
    """One property of a resource, before and after, at its path in the ARM JSON.

    Attributes:
        resource_id: The gallery, definition or version.
        path: The ARM path, such as
            ``properties.publishingProfile.targetRegions[name=eastus].excludeFromLatest``
            (list items are matched by ``name``, ``lun``, ``region`` or ``type``; names and
            regions without case and spaces).
        segments: The same path as steps: keys, and ``(field, value)`` for list items.
        change: Added, removed or changed.
        before: The old value as JSON (``None`` when added).
        after: The new value as JSON (``None`` when removed).

    Example:
        >>> from imagegallery.review import DiffKind, PropertyChange
        >>> change = PropertyChange(
        ...     resource_id="/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute"
        ...                 "/galleries/g/images/app/versions/1.0.0",
        ...     path="properties.publishingProfile.replicaCount",
        ...     segments=("properties", "publishingProfile", "replicaCount"),
        ...     change=DiffKind.CHANGED, before=1, after=2)
        >>> str(change)
        'properties.publishingProfile.replicaCount: 1 -> 2'
    """

    resource_id: ResourceId = attrs.field(converter=_to_id)
    path: str
    segments: tuple[Segment, ...]
    change: DiffKind
    before: Any = None
    after: Any = None

    def to_record(self) -> dict[str, Any]:
        """Keys: ``resource_id``, ``resource_type``, ``path``, ``change``, ``before``,
        ``after`` (scalars as they are, objects and lists as compact JSON text)."""
        return {
            "resource_id": str(self.resource_id),
            "resource_type": resource_type_of(self.resource_id),
            "path": self.path,
            "change": self.change.value,
            "before": cell(self.before),
            "after": cell(self.after),
        }

    def __str__(self) -> str:
        if self.change is DiffKind.ADDED:
            return f"{self.path}: added {cell(self.after)}"
        if self.change is DiffKind.REMOVED:
            return f"{self.path}: removed (was {cell(self.before)})"
        return f"{self.path}: {cell(self.before)} -> {cell(self.after)}"


@attrs.frozen(kw_only=True)
class ResourceChange:
    """A gallery, image definition or image version that was added, removed or changed.

    Removing a definition lists its versions as removed too (each is a resource of its own);
    likewise for additions.

    Attributes:
        resource_id: The resource (ids are compared without case).
        change: Added, removed or changed.
        properties: For a changed resource, every property that differs (its own properties:
            a definition's versions are resources of their own).
        before: The old entity (``None`` when added).
        after: The new entity (``None`` when removed).

    Example:
        >>> from imagegallery import remove, sample_inventory
        >>> from imagegallery.review import diff
        >>> old = sample_inventory()
        >>> version = next(old.versions())
        >>> change = diff(old, remove(old, version.id)).resources[0]
        >>> change.change.value, change.resource_type, change.after is None
        ('removed', 'version', True)
    """

    resource_id: ResourceId
    change: DiffKind
    properties: tuple[PropertyChange, ...] = ()
    before: Entity | None = attrs.field(default=None, eq=False, repr=False)
    after: Entity | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def resource_type(self) -> str:
        """``"gallery"``, ``"definition"`` or ``"version"``."""
        return resource_type_of(self.resource_id)

    def to_record(self) -> dict[str, Any]:
        """Keys: ``resource_id``, ``resource_type``, ``change``, ``properties`` (how many)."""
        return {
            "resource_id": str(self.resource_id),
            "resource_type": self.resource_type,
            "change": self.change.value,
            "properties": len(self.properties),
        }


@attrs.frozen(kw_only=True)
class LatestMove:
    """A (definition, region) whose "latest" gives another version (or none) after the change.

    Both answers come from :func:`~imagegallery.resolve.resolve_latest` at the diff's moment;
    the reasons from :func:`~imagegallery.resolve.explain_latest` on each side.

    Attributes:
        definition_id: The image definition.
        region: The region (ARM form).
        before: What "latest" gave before (``None``: nothing was eligible, or the definition
            did not exist).
        after: What it gives after (``None``: nothing is eligible, or the definition is gone).
        reasons: Why, each part in words (``"1.0.10: excluded from latest in westeurope
            (regional flag)"``, ``"1.1.1 added"`` ...).

    Example:
        >>> from imagegallery.review import LatestMove
        >>> move = LatestMove(
        ...     definition_id="/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute"
        ...                   "/galleries/g/images/app",
        ...     region="eastus", before="1.0.10", after="1.0.9",
        ...     reasons=("1.0.10: excluded from latest in eastus (regional flag)",))
        >>> print(move.reason)
        1.0.10 -> 1.0.9: 1.0.10: excluded from latest in eastus (regional flag)
    """

    definition_id: ResourceId = attrs.field(converter=_to_id)
    region: str
    before: ImageVersionName | None = attrs.field(converter=_to_name)
    after: ImageVersionName | None = attrs.field(converter=_to_name)
    reasons: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        """``"<before> -> <after>: <reasons>"`` (``none`` for a missing answer)."""
        head = f"{self.before or 'none'} -> {self.after or 'none'}"
        return f"{head}: {'; '.join(self.reasons)}" if self.reasons else head

    def to_record(self) -> dict[str, Any]:
        """Keys: ``definition_id``, ``definition``, ``region``, ``before``, ``after``,
        ``reason``."""
        return {
            "definition_id": str(self.definition_id),
            "definition": self.definition_id.name,
            "region": self.region,
            "before": name_or_none(self.before),
            "after": name_or_none(self.after),
            "reason": self.reason,
        }


@attrs.frozen(kw_only=True)
class BrokenReference:
    """An image reference in use that resolved before the change and fails after it.

    Attributes:
        reference: The reference as given (an id; an ``imageReference`` dict shown as its id).
        region: The deployment region.
        before: The version it resolved to before.
        error: Why it fails now (the message of the error
            :func:`~imagegallery.resolve.resolve_reference` raises).
        error_type: The error's class name (``ImageVersionNotFoundError``,
            ``VersionNotInRegionError``, ``NoEligibleVersionError`` ...).

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import remove, sample_inventory
        >>> from imagegallery.review import diff
        >>> old = sample_inventory()
        >>> pinned = next(old.versions()).id
        >>> broken = diff(old, remove(old, pinned), references=[(pinned, "westeurope")],
        ...               at=datetime(2025, 3, 1, tzinfo=UTC)).broken_references[0]
        >>> broken.error_type, str(broken.before)
        ('ImageVersionNotFoundError', '1.0.0')
    """

    reference: str
    region: str
    before: ImageVersionName
    error: str
    error_type: str

    def to_record(self) -> dict[str, Any]:
        """Keys: ``reference``, ``region``, ``before``, ``error_type``, ``error``."""
        return {
            "reference": self.reference,
            "region": self.region,
            "before": str(self.before),
            "error_type": self.error_type,
            "error": self.error,
        }


@attrs.frozen(kw_only=True)
class RegionCost:
    """The cost of the changed versions in one region, before and after.

    Attributes:
        region: The region of the replicas.
        monthly_before: Monthly snapshot storage of the changed versions' replicas there, before.
        monthly_after: The same, after.
        new_copy_egress: One-time egress of first copies into the region (versions that were
            not there before).
        estimated: Whether an amount rests on an estimate (an unmeasured used size or a
            fallback price).
    """

    region: str
    monthly_before: Decimal
    monthly_after: Decimal
    new_copy_egress: Decimal
    estimated: bool = False

    @property
    def monthly_delta(self) -> Decimal:
        """``monthly_after - monthly_before``."""
        return self.monthly_after - self.monthly_before

    def to_record(self) -> dict[str, Any]:
        """Keys: ``region``, ``monthly_before``, ``monthly_after``, ``monthly_delta``,
        ``new_copy_egress``, ``estimated`` (amounts as :class:`~decimal.Decimal`)."""
        return {
            "region": self.region,
            "monthly_before": self.monthly_before,
            "monthly_after": self.monthly_after,
            "monthly_delta": self.monthly_delta,
            "new_copy_egress": self.new_copy_egress,
            "estimated": self.estimated,
        }


@attrs.frozen(kw_only=True)
class CostDelta:
    """What the change does to the gallery bill, from :func:`~imagegallery.costs.estimate_cost`
    with one price sheet on both sides.

    Attributes:
        currency: The currency of every amount.
        monthly_before: Monthly snapshot storage of the whole old inventory.
        monthly_after: The same for the new inventory.
        new_copy_egress: One-time egress of the first copies the change creates: every
            non-source region of an added version, and every region added to a version.
        regions: Per region, the changed versions' storage before and after and their new-copy
            egress (regions the change does not touch are left out), sorted by region.
        estimated: Whether any amount rests on an estimate (unmeasured used size, fallback
            price).
        warnings: What the price sheet and the estimate noted about the changed versions.

    Example:
        >>> from imagegallery import remove, sample_inventory
        >>> from imagegallery.review import diff
        >>> old = sample_inventory()
        >>> cost = diff(old, remove(old, next(old.versions()).id)).cost
        >>> cost.monthly_before, cost.monthly_after, cost.monthly_delta
        (Decimal('39.9140'), Decimal('38.6390'), Decimal('-1.2750'))
    """

    currency: str
    monthly_before: Decimal
    monthly_after: Decimal
    new_copy_egress: Decimal
    regions: tuple[RegionCost, ...] = ()
    estimated: bool = False
    warnings: tuple[str, ...] = ()

    @property
    def monthly_delta(self) -> Decimal:
        """``monthly_after - monthly_before``."""
        return self.monthly_after - self.monthly_before

    def __iter__(self) -> Iterator[RegionCost]:
        return iter(self.regions)

    def to_records(self) -> list[dict[str, Any]]:
        """One :meth:`RegionCost.to_record` row per region, each with ``currency``."""
        return [{**r.to_record(), "currency": self.currency} for r in self.regions]


class AccessChangeKind(enum.StrEnum):
    """Whether a principal gains or loses read on what "latest" gives."""

    GAINED = "gained"
    LOST = "lost"


@attrs.frozen(kw_only=True)
class AccessChange:
    """A principal who gains or loses the ability to deploy what "latest" gives in a region.

    Deploying from a gallery image needs read on the image version
    (``Microsoft.Compute/galleries/images/versions/read``); this compares who holds it on the
    version "latest" gives before and after, so a change of role assignments, of sharing, or a
    move of "latest" to a version with other grants all show.

    Attributes:
        definition_id: The image definition.
        region: The region.
        principal: The principal (as the access model shows it).
        change: ``gained`` or ``lost``.
        before: What "latest" gave before (``None``: nothing).
        after: What it gives after (``None``: nothing).
    """

    definition_id: ResourceId
    region: str
    principal: str
    change: AccessChangeKind
    before: ImageVersionName | None
    after: ImageVersionName | None

    def to_record(self) -> dict[str, Any]:
        """Keys: ``definition_id``, ``definition``, ``region``, ``principal``, ``change``,
        ``before``, ``after``."""
        return {
            "definition_id": str(self.definition_id),
            "definition": self.definition_id.name,
            "region": self.region,
            "principal": self.principal,
            "change": self.change.value,
            "before": name_or_none(self.before),
            "after": name_or_none(self.after),
        }


def _regions_arg(regions: Iterable[str]) -> frozenset[str]:
    if isinstance(regions, str):
        regions = [regions]
    return frozenset(normalize_region(r) for r in regions)


DIFF_SCHEMA: Final = "imagegallery.diff/1"
"""The ``schema`` of :meth:`InventoryDiff.to_json_dict`; the number changes only when a key is
removed or changes meaning (new keys may appear within a version)."""

DIFF_FAIL_CONDITIONS: Final = ("changed", "latest-moved", "reference-broken")
"""The conditions :meth:`InventoryDiff.fails_on` knows."""

DIFF_RECORD_COLUMNS: Final = (
    "section",
    "change",
    "resource_type",
    "resource_id",
    "region",
    "path",
    "principal",
    "before",
    "after",
    "detail",
)
"""The keys of every row of :meth:`InventoryDiff.to_records`, in order."""

_CENT: Final = Decimal("0.01")
_ZERO: Final = Decimal(0)


def _money(amount: Decimal, *, sign: bool = False) -> str:
    text = f"{amount.quantize(_CENT, rounding=ROUND_HALF_UP):,}"
    return f"+{text}" if sign and not text.startswith("-") else text


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


@attrs.frozen(kw_only=True)
class InventoryDiff:
    """What changed between two inventories, and what it means.

    ``bool(diff)`` is ``False`` exactly when nothing changed (no resource, and no access when
    access data was given).

    Attributes:
        at: The moment "latest", references and access were evaluated at.
        resources: Every resource added, removed or changed, gallery by gallery (each
            gallery, then its definitions, each followed by its versions in version order).
        latest_moves: Every (definition, region) whose "latest" gives another version, by
            definition id, then region.
        broken_references: References in use that resolved before and fail after.
        cost: The cost delta.
        access: Principals gaining or losing read on "latest", or ``None`` when no access
            data was given.

    Example:
        >>> from imagegallery import sample_inventory
        >>> from imagegallery.review import diff
        >>> same = diff(sample_inventory(), sample_inventory())
        >>> bool(same), same.summary()
        (False, 'no changes')
    """

    at: datetime
    resources: tuple[ResourceChange, ...] = ()
    latest_moves: tuple[LatestMove, ...] = ()
    broken_references: tuple[BrokenReference, ...] = ()
    cost: CostDelta
    access: tuple[AccessChange, ...] | None = None

    # -- views -------------------------------------------------------------------------------

    def _of(self, kind: DiffKind) -> tuple[ResourceChange, ...]:
        return tuple(r for r in self.resources if r.change is kind)

    @property
    def added(self) -> tuple[ResourceChange, ...]:
        """The resources only in the new inventory."""
        return self._of(DiffKind.ADDED)

    @property
    def removed(self) -> tuple[ResourceChange, ...]:
        """The resources only in the old inventory."""
        return self._of(DiffKind.REMOVED)

    @property
    def changed(self) -> tuple[ResourceChange, ...]:
        """The resources in both whose own properties differ."""
        return self._of(DiffKind.CHANGED)

    @property
    def properties(self) -> tuple[PropertyChange, ...]:
        """Every property change of every changed resource."""
        return tuple(p for r in self.resources for p in r.properties)

    def __bool__(self) -> bool:
        return bool(self.resources) or bool(self.access)

    def latest_moved_in(self, regions: Iterable[str] | None = None) -> tuple[LatestMove, ...]:
        """The latest moves in ``regions`` (any spelling), or all of them.

        Example:
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.review import diff
            >>> diff(sample_inventory(), sample_inventory()).latest_moved_in(["West Europe"])
            ()
        """
        if regions is None:
            return self.latest_moves
        wanted = _regions_arg(regions)
        return tuple(m for m in self.latest_moves if m.region in wanted)

    def fails_on(self, condition: str, *, regions: Iterable[str] | None = None) -> bool:
        """Whether the diff meets ``condition`` (for a CI job's exit status).

        Args:
            condition: ``"changed"`` (anything changed), ``"latest-moved"`` ("latest" moved in
                one of ``regions``) or ``"reference-broken"`` (a reference in use broke in one
                of ``regions``).
            regions: The regions that count (any spelling); ``None`` means every region.

        Raises:
            InvalidFieldError: An unknown condition.

        Example:
            >>> from datetime import UTC, datetime
            >>> from imagegallery import put, sample_inventory, update
            >>> from imagegallery.review import diff
            >>> old = sample_inventory()
            >>> v = old.get("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups"
            ...             "/rg-images/providers/Microsoft.Compute/galleries/myGallery/images"
            ...             "/myImage1/versions/1.0.10")
            >>> result = diff(old, put(old, update(v, exclude_from_latest=True)),
            ...               at=datetime(2025, 3, 1, tzinfo=UTC))
            >>> result.fails_on("latest-moved", regions=["eastus"])
            False
            >>> result.fails_on("latest-moved", regions=["eastus", "westeurope"])
            True
        """
        if condition not in DIFF_FAIL_CONDITIONS:
            raise InvalidFieldError(
                f"unknown condition; use one of {', '.join(DIFF_FAIL_CONDITIONS)}",
                field="condition",
                value=condition,
            )
        if condition == "changed":
            return bool(self)
        if condition == "latest-moved":
            return bool(self.latest_moved_in(regions))
        wanted = None if regions is None else _regions_arg(regions)
        return any(wanted is None or b.region in wanted for b in self.broken_references)

    # -- output ------------------------------------------------------------------------------

    def summary(self) -> str:
        """One line: resources, latest moves, broken references, cost and access deltas.

        Example:
            >>> from imagegallery import remove, sample_inventory
            >>> from imagegallery.review import diff
            >>> old = sample_inventory()
            >>> print(diff(old, remove(old, next(old.versions()).id)).summary())
            1 removed; monthly storage 39.91 -> 38.64 USD (-1.28)
        """
        if not self:
            return "no changes"
        counts = [
            f"{len(items)} {label}"
            for items, label in (
                (self.added, "added"),
                (self.removed, "removed"),
                (self.changed, "changed"),
            )
            if items
        ]
        head = ", ".join(counts)
        properties = len(self.properties)
        if self.changed:
            head += f" ({_plural(properties, 'property', 'properties')})"
        parts = [head] if head else []
        if self.latest_moves:
            parts.append(
                f"latest moves in {_plural(len(self.latest_moves), '(definition, region) pair')}"
            )
        if self.broken_references:
            parts.append(_plural(len(self.broken_references), "broken reference"))
        cost = self.cost
        if self.resources:
            money = (
                f"monthly storage {_money(cost.monthly_before)} -> {_money(cost.monthly_after)}"
                f" {cost.currency} ({_money(cost.monthly_delta, sign=True)}"
                + (", estimated)" if cost.estimated else ")")
            )
            parts.append(money)
            if cost.new_copy_egress:
                parts.append(
                    f"one-time egress of new copies {_money(cost.new_copy_egress)} {cost.currency}"
                )
        if self.access:
            gained = sum(1 for a in self.access if a.change is AccessChangeKind.GAINED)
            parts.append(f"access: {gained} gained, {len(self.access) - gained} lost")
        return "; ".join(parts)

    def to_records(self) -> list[dict[str, Any]]:
        """Every reported item as one flat row with the columns :data:`DIFF_RECORD_COLUMNS`.

        ``section`` says what a row is:

        * ``resource`` (``change`` added/removed/changed, ``resource_type``, ``resource_id``);
        * ``property`` (also ``path``, ``before``, ``after``: scalars as they are, objects and
          lists as compact JSON text);
        * ``latest`` (``change`` ``moved``, the definition as ``resource_id``, ``region``,
          ``before``/``after`` version names or ``None``, ``detail`` the reason);
        * ``reference`` (``change`` ``broken``, the reference as ``resource_id``, ``region``,
          ``before`` the version it gave, ``detail`` the error);
        * ``access`` (``change`` gained/lost, ``principal``, the definition, ``region``,
          ``before``/``after`` what "latest" gives);
        * ``cost`` (``path`` ``monthly_storage`` or ``new_copy_egress``, ``region`` or ``None``
          for the whole inventory, ``before``/``after`` as :class:`~decimal.Decimal`,
          ``detail`` the currency, with ``, estimated`` when an amount is an estimate).

        Example:
            >>> from imagegallery import remove, sample_inventory
            >>> from imagegallery.review import diff
            >>> old = sample_inventory()
            >>> rows = diff(old, remove(old, next(old.versions()).id)).to_records()
            >>> [(r["section"], r["change"], r["region"], r["path"]) for r in rows]
            ... # doctest: +NORMALIZE_WHITESPACE
            [('resource', 'removed', None, None), ('cost', 'changed', None, 'monthly_storage'),
             ('cost', 'changed', 'northeurope', 'monthly_storage'),
             ('cost', 'changed', 'westeurope', 'monthly_storage')]
        """
        rows: list[dict[str, Any]] = []

        def row(section: str, change: str, **values: Any) -> None:
            out = dict.fromkeys(DIFF_RECORD_COLUMNS)
            out.update(section=section, change=change, **values)
            rows.append(out)

        for resource in self.resources:
            row(
                "resource",
                resource.change.value,
                resource_type=resource.resource_type,
                resource_id=str(resource.resource_id),
            )
            for p in resource.properties:
                row(
                    "property",
                    p.change.value,
                    resource_type=resource.resource_type,
                    resource_id=str(p.resource_id),
                    path=p.path,
                    before=cell(p.before),
                    after=cell(p.after),
                )
        for move in self.latest_moves:
            row(
                "latest",
                "moved",
                resource_type="definition",
                resource_id=str(move.definition_id),
                region=move.region,
                before=None if move.before is None else str(move.before),
                after=None if move.after is None else str(move.after),
                detail=move.reason,
            )
        for broken in self.broken_references:
            row(
                "reference",
                "broken",
                resource_id=broken.reference,
                region=broken.region,
                before=str(broken.before),
                detail=f"{broken.error_type}: {broken.error}",
            )
        for access in self.access or ():
            row(
                "access",
                access.change.value,
                resource_type="definition",
                resource_id=str(access.definition_id),
                region=access.region,
                principal=access.principal,
                before=None if access.before is None else str(access.before),
                after=None if access.after is None else str(access.after),
            )
        if self.resources:
            cost = self.cost
            note = cost.currency + (", estimated" if cost.estimated else "")
            row(
                "cost",
                "changed",
                path="monthly_storage",
                before=cost.monthly_before,
                after=cost.monthly_after,
                detail=note,
            )
            if cost.new_copy_egress:
                row(
                    "cost",
                    "changed",
                    path="new_copy_egress",
                    before=_ZERO,
                    after=cost.new_copy_egress,
                    detail=note,
                )
            for region in cost.regions:
                detail = cost.currency + (", estimated" if region.estimated else "")
                row(
                    "cost",
                    "changed",
                    region=region.region,
                    path="monthly_storage",
                    before=region.monthly_before,
                    after=region.monthly_after,
                    detail=detail,
                )
                if region.new_copy_egress:
                    row(
                        "cost",
                        "changed",
                        region=region.region,
                        path="new_copy_egress",
                        before=_ZERO,
                        after=region.new_copy_egress,
                        detail=detail,
                    )
        return rows

    def to_json_dict(self) -> dict[str, Any]:
        """The diff as a JSON-ready dict (``json.dumps`` it as is), schema :data:`DIFF_SCHEMA`.

        Keys: ``schema``, ``at``, ``summary``, ``changed`` (``bool(diff)``), ``counts``,
        ``resources`` (each with its ``properties``), ``latest_moves``,
        ``broken_references``, ``cost`` (amounts as decimal strings, ``regions``) and
        ``access`` (``None`` without access data). Items are the classes' ``to_record()``.

        Example:
            >>> import json
            >>> from imagegallery import sample_inventory
            >>> from imagegallery.review import diff
            >>> data = diff(sample_inventory(), sample_inventory()).to_json_dict()
            >>> data["schema"], data["changed"], data["counts"]["latest_moves"]
            ('imagegallery.diff/1', False, 0)
            >>> json.loads(json.dumps(data)) == data
            True
        """
        cost = self.cost
        return {
            "schema": DIFF_SCHEMA,
            "at": self.at.isoformat(),
            "summary": self.summary(),
            "changed": bool(self),
            "counts": {
                "added": len(self.added),
                "removed": len(self.removed),
                "changed": len(self.changed),
                "properties": len(self.properties),
                "latest_moves": len(self.latest_moves),
                "broken_references": len(self.broken_references),
                "access_changes": None if self.access is None else len(self.access),
            },
            "resources": [
                {
                    **r.to_record(),
                    "properties": [
                        {k: json_ready(v) for k, v in p.to_record().items()}
                        | {"before": json_ready(p.before), "after": json_ready(p.after)}
                        for p in r.properties
                    ],
                }
                for r in self.resources
            ],
            "latest_moves": [m.to_record() for m in self.latest_moves],
            "broken_references": [b.to_record() for b in self.broken_references],
            "cost": json_ready(
                {
                    "currency": cost.currency,
                    "monthly_before": cost.monthly_before,
                    "monthly_after": cost.monthly_after,
                    "monthly_delta": cost.monthly_delta,
                    "new_copy_egress": cost.new_copy_egress,
                    "estimated": cost.estimated,
                    "warnings": list(cost.warnings),
                    "regions": [r.to_record() for r in cost.regions],
                }
            ),
            "access": None if self.access is None else [a.to_record() for a in self.access],
        }
