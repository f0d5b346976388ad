"""What a change to an inventory means: :func:`diff` of an old and a new inventory.

The rules (see :doc:`/review` for a worked example):

* **Resources.** Galleries, image definitions and image versions are matched by id, without
  case. A resource only in ``new`` is added, only in ``old`` removed (a removed definition's
  versions are listed as removed too). A resource in both whose own properties differ is
  changed, with every differing property at its ARM path (see
  :class:`~imagegallery.review.PropertyChange`); its children are resources of their own.
  Galleries and definitions the loader only implied (parents of orphans) are not resources.
* **Latest.** For every definition that changed in any way (its own properties, a version
  added, removed or changed), and every region any of its versions targets on either side,
  :func:`~imagegallery.resolve.resolve_latest` is asked on both sides at the same moment; each
  (definition, region) whose answer differs is a :class:`~imagegallery.review.LatestMove`, with
  the reasons from :func:`~imagegallery.resolve.explain_latest`. Definitions that did not change
  cannot move: "latest" depends only on a definition and its versions.
* **References.** Given ``references`` (image references in use, each with its region), every
  one that :func:`~imagegallery.resolve.resolve_reference` resolved before and cannot resolve
  after is a :class:`~imagegallery.review.BrokenReference` (a pinned version removed or no
  longer replicated in the region, a definition with nothing eligible left ...).
* **Cost.** Both inventories are priced with :func:`~imagegallery.costs.estimate_cost` and one
  price sheet (by default the embedded one, with fallback estimates for unpriced regions, which
  are flagged): monthly snapshot storage before and after, per region for the changed versions,
  and the one-time egress of the first copies the change creates.
* **Access.** Given access data for both sides, every principal who gains or loses read on the
  version "latest" gives, per definition and region.

Example:
    >>> from datetime import UTC, datetime
    >>> from imagegallery import put, remove, sample_inventory, update
    >>> from imagegallery.review import diff
    >>> old = sample_inventory()
    >>> v1010 = old["/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups"
    ...             "/rg-images/providers/Microsoft.Compute/galleries/myGallery/images/myImage1"
    ...             "/versions/1.0.10"]
    >>> new = put(old, update(v1010, exclude_from_latest=True))
    >>> result = diff(old, new, at=datetime(2025, 3, 1, tzinfo=UTC))
    >>> for part in result.summary().split("; "):
    ...     print(part)
    1 changed (1 property)
    latest moves in 1 (definition, region) pair
    monthly storage 39.91 -> 39.91 USD (+0.00)
    >>> print(result.latest_moves[0].region, result.latest_moves[0].reason)
    westeurope 1.0.10 -> 1.0.9: 1.0.10: excluded from latest in westeurope (version flag)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

from imagegallery.arm import dump_arm
from imagegallery.costs import PriceSheet, estimate_cost
from imagegallery.definition import ImageDefinition
from imagegallery.errors import (
    InvalidFieldError,
    InvalidTypeError,
    NoEligibleVersionError,
    ResourceNotFoundError,
)
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId
from imagegallery.inventory import Entity, Inventory
from imagegallery.regions import normalize_region
from imagegallery.resolve import (
    ImageReference,
    Resolution,
    Verdict,
    explain_latest,
    resolve_latest,
    resolve_reference,
)
from imagegallery.review._properties import property_changes, render_path
from imagegallery.review.changes import (
    AccessChange,
    AccessChangeKind,
    BrokenReference,
    CostDelta,
    DiffKind,
    InventoryDiff,
    LatestMove,
    PropertyChange,
    RegionCost,
    ResourceChange,
)
from imagegallery.timestamps import moment
from imagegallery.version import ImageVersion
from imagegallery.version_name import ImageVersionName

if TYPE_CHECKING:
    from imagegallery.access import AccessModel

__all__ = ["diff"]

_ZERO: Final = Decimal(0)

# -- the comparison ----------------------------------------------------------------------------


def _inventory(value: object, name: str) -> Inventory:
    if not isinstance(value, Inventory):
        raise InvalidTypeError(
            "expected an Inventory (load one with load_arm)", field=name, value=type(value).__name__
        )
    return value


_E = TypeVar("_E", Gallery, ImageDefinition)


def _own_fields(cls: type, children: str) -> tuple[str, ...]:
    """The fields that make a gallery's or definition's own state (not its children)."""
    return tuple(f.name for f in attrs.fields(cls) if f.eq and f.name not in (children, "implied"))


_OWN_FIELDS: Final[dict[type, tuple[str, ...]]] = {
    Gallery: _own_fields(Gallery, "definitions"),
    ImageDefinition: _own_fields(ImageDefinition, "versions"),
}


def _same_own(old: _E, new: _E) -> bool:
    return all(getattr(old, name) == getattr(new, name) for name in _OWN_FIELDS[type(old)])


def _real(entity: _E | None) -> _E | None:
    """The entity if it is a resource of its own (not implied by its children)."""
    return None if entity is None or entity.implied else entity


_Pruned = dict[ResourceId, tuple[Gallery, dict[str, tuple[ImageDefinition, list[ImageVersion]]]]]


class _Walk:
    """One pass over both inventories: the resources that differ, and what to compare next."""

    def __init__(self) -> None:
        self.entries: list[tuple[ResourceId, DiffKind, Entity | None, Entity | None]] = []
        self.touched: list[tuple[ImageDefinition | None, ImageDefinition | None]] = []
        self.old_versions: list[ImageVersion] = []
        self.new_versions: list[ImageVersion] = []
        self.added_versions: set[ResourceId] = set()
        self.old_regions: dict[ResourceId, frozenset[str]] = {}
        # Per side: the changed resources and their parents, to write as ARM and compare.
        self.pruned: tuple[_Pruned, _Pruned] = ({}, {})
        self._galleries: tuple[Gallery | None, Gallery | None] = (None, None)
        self._definitions: tuple[ImageDefinition | None, ImageDefinition | None] = (None, None)

    def _note(
        self, rid: ResourceId, kind: DiffKind, before: Entity | None, after: Entity | None
    ) -> None:
        self.entries.append((rid, kind, before, after))

    def _keep(self, version: tuple[ImageVersion, ImageVersion] | None = None) -> None:
        """Keep the current gallery (and definition, and ``version``) for the ARM comparison."""
        for side in (0, 1):
            gallery = self._galleries[side]
            assert gallery is not None
            _, definitions = self.pruned[side].setdefault(gallery.id, (gallery, {}))
            definition = self._definitions[side]
            if definition is None:
                continue
            _, versions = definitions.setdefault(definition.name.lower(), (definition, []))
            if version is not None:
                versions.append(version[side])

    def _own(self, old: _E | None, new: _E | None) -> bool:
        """Record the resource's own change; whether its children must be compared."""
        real_old, real_new = _real(old), _real(new)
        if real_old is None and real_new is not None:
            self._note(real_new.id, DiffKind.ADDED, None, real_new)
        elif real_new is None and real_old is not None:
            self._note(real_old.id, DiffKind.REMOVED, real_old, None)
        elif (
            real_old is not None
            and real_new is not None
            and real_old is not real_new
            and not _same_own(real_old, real_new)
        ):
            self._note(real_new.id, DiffKind.CHANGED, real_old, real_new)
            self._keep()
        return old is not new

    def gallery(self, old: Gallery | None, new: Gallery | None) -> None:
        self._galleries = (old, new)
        self._definitions = (None, None)
        if not self._own(old, new):
            return
        olds = old.definitions if old is not None else {}
        news = new.definitions if new is not None else {}
        keys = sorted({name.lower() for name in (*olds, *news)})
        for key in keys:
            self.definition(olds.get(key), news.get(key))

    def definition(self, old: ImageDefinition | None, new: ImageDefinition | None) -> None:
        self._definitions = (old, new)
        before = len(self.entries)
        if not self._own(old, new):
            return
        olds = old.versions if old is not None else {}
        news = new.versions if new is not None else {}
        names: dict[ImageVersionName, str] = {}
        for version in (*olds.values(), *news.values()):
            names.setdefault(version.name, str(version.name))
        for name in sorted(names):
            text = names[name]
            self.version(olds.get(text), news.get(text))
        if len(self.entries) > before or (old is None) != (new is None):
            self.touched.append((old, new))

    def version(self, old: ImageVersion | None, new: ImageVersion | None) -> None:
        if old is new:
            return
        if old is None:
            assert new is not None
            self._note(new.id, DiffKind.ADDED, None, new)
            self.new_versions.append(new)
            self.added_versions.add(new.id)
        elif new is None:
            self._note(old.id, DiffKind.REMOVED, old, None)
            self.old_versions.append(old)
        elif old != new:
            self._note(new.id, DiffKind.CHANGED, old, new)
            self.old_versions.append(old)
            self.new_versions.append(new)
            self.old_regions[old.id] = frozenset(_regions_of(old))
            self._keep((old, new))


def _walk(old: Inventory, new: Inventory) -> _Walk:
    walk = _Walk()
    olds = {g.id: g for g in old.galleries()}
    news = {g.id: g for g in new.galleries()}
    for rid in sorted({*olds, *news}):
        walk.gallery(olds.get(rid), news.get(rid))
    return walk


def _regions_of(version: ImageVersion) -> tuple[str, ...]:
    return version.region_names or (version.location,)


def _definition_regions(definition: ImageDefinition | None) -> set[str]:
    if definition is None:
        return set()
    return {r for v in definition.versions.values() for r in _regions_of(v)}


def _arm(pruned: _Pruned) -> dict[ResourceId, dict[str, Any]]:
    """The ARM dicts of the kept resources, written by :func:`~imagegallery.arm.dump_arm` from an
    inventory holding only them and their parents."""
    if not pruned:
        return {}
    galleries = [
        attrs.evolve(
            gallery,
            definitions=[attrs.evolve(d, versions=vs) for d, vs in definitions.values()],
        )
        for gallery, definitions in pruned.values()
    ]
    return {ResourceId.parse(r["id"]): r for r in dump_arm(Inventory(galleries))}


def _resources(walk: _Walk) -> tuple[ResourceChange, ...]:
    old_arm = _arm(walk.pruned[0])
    new_arm = _arm(walk.pruned[1])
    out: list[ResourceChange] = []
    for rid, kind, before, after in walk.entries:
        if kind is not DiffKind.CHANGED:
            out.append(ResourceChange(resource_id=rid, change=kind, before=before, after=after))
            continue
        properties = tuple(
            PropertyChange(
                resource_id=rid,
                path=render_path(segments),
                segments=segments,
                change=DiffKind(change),
                before=was,
                after=now,
            )
            for segments, change, was, now in property_changes(old_arm[rid], new_arm[rid])
        )
        if properties:
            out.append(
                ResourceChange(
                    resource_id=rid,
                    change=kind,
                    properties=properties,
                    before=before,
                    after=after,
                )
            )
    return tuple(out)


# -- latest ------------------------------------------------------------------------------------


class _Latest:
    """What "latest" gives, per (definition object, region), asked once."""

    def __init__(self, at: datetime) -> None:
        self.at = at
        self._memo: dict[tuple[int, str], ImageVersion | None] = {}
        self._keep: list[ImageDefinition] = []

    def __call__(self, definition: ImageDefinition | None, region: str) -> ImageVersion | None:
        if definition is None:
            return None
        key = (id(definition), region)
        if key in self._memo:
            return self._memo[key]
        self._keep.append(definition)  # keeps id() unique while the memo lives
        try:
            found: ImageVersion | None = resolve_latest(definition, region=region, at=self.at)
        except NoEligibleVersionError:
            found = None
        self._memo[key] = found
        return found


def _name(version: ImageVersion | None) -> ImageVersionName | None:
    return None if version is None else version.name


def _candidate_remarks(resolution: Resolution | None, name: ImageVersionName) -> str | None:
    """The verdict on ``name`` in ``resolution``: its reasons if rejected, ``""`` if eligible,
    ``None`` if the version is not there."""
    if resolution is None:
        return None
    for candidate in resolution.candidates:
        if candidate.name == name:
            return candidate.remarks if candidate.verdict is Verdict.REJECTED else ""
    return None


def _reasons(
    old: ImageDefinition | None,
    *,
    new: ImageDefinition | None,
    region: str,
    before: ImageVersionName | None,
    after: ImageVersionName | None,
    at: datetime,
) -> tuple[str, ...]:
    if old is None:
        return ("definition added",)
    if new is None:
        return ("definition removed",)
    was = explain_latest(old, region=region, at=at)
    now = explain_latest(new, region=region, at=at)
    parts: list[str] = []
    if before is not None:
        remarks = _candidate_remarks(now, before)
        if remarks is None:
            parts.append(f"{before} removed")
        elif remarks:
            parts.append(f"{before}: {remarks}")
    if after is not None:
        remarks = _candidate_remarks(was, after)
        if remarks is None:
            parts.append(f"{after} added")
        elif remarks:
            parts.append(f"{after} was not eligible before: {remarks}")
    else:
        parts.append(f"no version is eligible in {region} now")
    return tuple(parts)


def _latest_moves(walk: _Walk, latest: _Latest) -> tuple[LatestMove, ...]:
    moves: list[LatestMove] = []
    for old, new in walk.touched:
        for region in sorted(_definition_regions(old) | _definition_regions(new)):
            before = _name(latest(old, region))
            after = _name(latest(new, region))
            if before != after:
                rid = (new or old).id  # type: ignore[union-attr]
                moves.append(
                    LatestMove(
                        definition_id=rid,
                        region=region,
                        before=before,
                        after=after,
                        reasons=_reasons(
                            old,
                            new=new,
                            region=region,
                            before=before,
                            after=after,
                            at=latest.at,
                        ),
                    )
                )
    moves.sort(key=lambda m: (str(m.definition_id).lower(), m.region))
    return tuple(moves)


# -- references --------------------------------------------------------------------------------

_REFERENCE_KEYS: Final = ("id", "sharedGalleryImageId", "communityGalleryImageId")


def _reference_text(reference: object) -> str:
    if isinstance(reference, Mapping):
        for key in _REFERENCE_KEYS:
            value = reference.get(key)
            if isinstance(value, str):
                return value
    return str(reference)


def _reference_pairs(references: object) -> list[tuple[ImageReference, str]]:
    if isinstance(references, str | bytes | Mapping) or not isinstance(references, Iterable):
        raise InvalidTypeError(
            "references must be (image reference, region) pairs",
            field="references",
            value=type(references).__name__,
        )
    pairs: list[tuple[ImageReference, str]] = []
    for index, item in enumerate(references):
        if not (isinstance(item, tuple | list) and len(item) == 2 and isinstance(item[1], str)):
            raise InvalidTypeError(
                "expected an (image reference, region) pair",
                field=f"references[{index}]",
                value=item,
            )
        try:
            region = normalize_region(item[1])
        except InvalidFieldError as err:
            raise err.at(f"references[{index}][1]") from None
        pairs.append((item[0], region))
    return pairs


def _broken_references(
    old: Inventory, new: Inventory, references: object, at: datetime
) -> tuple[BrokenReference, ...]:
    if references is None:
        return ()
    out: list[BrokenReference] = []
    for index, (reference, region) in enumerate(_reference_pairs(references)):
        try:
            before = resolve_reference(old, reference, region=region, at=at)
        except (ResourceNotFoundError, NoEligibleVersionError):
            continue  # already broken: not this change's doing
        except InvalidFieldError as err:
            raise err.at(f"references[{index}]") from None
        try:
            resolve_reference(new, reference, region=region, at=at)
        except (ResourceNotFoundError, NoEligibleVersionError) as err:
            out.append(
                BrokenReference(
                    reference=_reference_text(reference),
                    region=region,
                    before=before.name,
                    error=str(err),
                    error_type=type(err).__name__,
                )
            )
    return tuple(out)


# -- cost --------------------------------------------------------------------------------------


def _cost(old: Inventory, new: Inventory, walk: _Walk, prices: object) -> CostDelta:
    if prices is None:
        sheet = PriceSheet.default().with_fallback()
    elif isinstance(prices, PriceSheet):
        sheet = prices
    else:
        raise InvalidTypeError("expected a PriceSheet or None", field="prices", value=prices)
    before = estimate_cost(old, sheet)
    after = estimate_cost(new, sheet)
    if not walk.old_versions and not walk.new_versions:
        return CostDelta(
            currency=sheet.currency,
            monthly_before=before.monthly_storage,
            monthly_after=after.monthly_storage,
            new_copy_egress=_ZERO,
            estimated=before.estimated or after.estimated,
        )
    changed_before = estimate_cost(walk.old_versions, sheet)
    changed_after = estimate_cost(walk.new_versions, sheet)
    egress: dict[str, Decimal] = {}
    for line in changed_after.lines:
        vid = line.version_id
        if vid in walk.added_versions or line.region not in walk.old_regions.get(vid, ()):
            egress[line.region] = egress.get(line.region, _ZERO) + line.egress
    old_regions = changed_before.by_region()
    new_regions = changed_after.by_region()
    rows = []
    for region in sorted({*old_regions, *new_regions, *egress}):
        was, now = old_regions.get(region), new_regions.get(region)
        rows.append(
            RegionCost(
                region=region,
                monthly_before=was.monthly_storage if was is not None else _ZERO,
                monthly_after=now.monthly_storage if now is not None else _ZERO,
                new_copy_egress=egress.get(region, _ZERO),
                estimated=(was is not None and was.estimated)
                or (now is not None and now.estimated),
            )
        )
    return CostDelta(
        currency=sheet.currency,
        monthly_before=before.monthly_storage,
        monthly_after=after.monthly_storage,
        new_copy_egress=sum(egress.values(), _ZERO),
        regions=tuple(rows),
        estimated=before.estimated or after.estimated,
        warnings=changed_after.warnings if walk.new_versions else changed_before.warnings,
    )


# -- access ------------------------------------------------------------------------------------


def _access_models(access: object, old: Inventory, new: Inventory) -> tuple[Any, Any]:
    from imagegallery.access import AccessModel  # noqa: PLC0415 - networkx only when asked

    if isinstance(access, tuple) and len(access) == 2:
        models = access
    elif callable(access):
        models = (access(old), access(new))
    else:
        raise InvalidTypeError(
            "access must be a pair of AccessModel (old, new) or a function building one from an"
            " inventory",
            field="access",
            value=type(access).__name__,
        )
    for index, model in enumerate(models):
        if not isinstance(model, AccessModel):
            raise InvalidTypeError(
                "expected an AccessModel", field=f"access[{index}]", value=type(model).__name__
            )
    return models[0], models[1]


def _access_changes(
    old: Inventory, new: Inventory, access: object, latest: _Latest
) -> tuple[AccessChange, ...]:
    from imagegallery.access import VERSION_READ  # noqa: PLC0415 - networkx only when asked

    models = _access_models(access, old, new)
    memo: dict[tuple[int, ResourceId], frozenset[str]] = {}

    def readers(side: int, version: ImageVersion | None) -> frozenset[str]:
        if version is None:
            return frozenset()
        key = (side, version.id)
        found = memo.get(key)
        if found is None:
            who = models[side].who_can(VERSION_READ, version.id, at=latest.at)
            found = memo[key] = frozenset(who)
        return found

    olds = {d.id: d for d in old.definitions()}
    news = {d.id: d for d in new.definitions()}
    out: list[AccessChange] = []
    for rid in sorted({*olds, *news}, key=lambda r: str(r).lower()):
        was, now = olds.get(rid), news.get(rid)
        for region in sorted(_definition_regions(was) | _definition_regions(now)):
            before, after = latest(was, region), latest(now, region)
            readers_before, readers_after = readers(0, before), readers(1, after)
            for principal in sorted(readers_before ^ readers_after, key=str.lower):
                out.append(
                    AccessChange(
                        definition_id=rid,
                        region=region,
                        principal=principal,
                        change=AccessChangeKind.GAINED
                        if principal in readers_after
                        else AccessChangeKind.LOST,
                        before=_name(before),
                        after=_name(after),
                    )
                )
    return tuple(out)


# -- entry point -------------------------------------------------------------------------------


def diff(
    old: Inventory,
    new: Inventory,
    *,
    at: datetime | None = None,
    prices: PriceSheet | None = None,
    access: tuple[AccessModel, AccessModel] | Callable[[Inventory], AccessModel] | None = None,
    references: Iterable[tuple[ImageReference, str]] | None = None,
) -> InventoryDiff:
    """Compare two inventories: what changed, where "latest" moves, what breaks, what it costs.

    Args:
        old: The inventory before the change (an export of today's state, say).
        new: The inventory after it (the state a pipeline is about to create).
        at: The moment to resolve "latest", references and access at (timezone-aware);
            defaults to now. The same moment is used on both sides.
        prices: The price sheet for both sides; ``None`` means the embedded sheet with fallback
            estimates (flagged) for regions it does not price.
        access: Access data for both sides: a pair ``(old_model, new_model)`` of
            :class:`~imagegallery.access.AccessModel`, or a function that builds a model for an
            inventory. ``None`` skips the access comparison.
        references: Image references in use, each with its deployment region:
            ``[(reference, region), ...]`` where a reference is what
            :func:`~imagegallery.resolve.resolve_reference` takes (a definition id, a pinned
            version id, a proxy id, or an ``imageReference`` dict).

    Returns:
        The :class:`InventoryDiff`.

    Raises:
        InvalidTypeError: ``old``/``new`` are not inventories, or another argument has the wrong
            type.
        NaiveDatetimeError: ``at`` has no time zone.
        InvalidImageReferenceError: A reference is malformed.
        PriceNotFoundError: A strict price sheet lacks a price (see
            :func:`~imagegallery.costs.estimate_cost`).

    Example:
        >>> from datetime import UTC, datetime
        >>> from imagegallery import remove, sample_inventory
        >>> from imagegallery.review import diff
        >>> old = sample_inventory()
        >>> image1 = next(old.definitions())
        >>> new = remove(old, image1.versions["1.0.9"].id)
        >>> result = diff(old, new, at=datetime(2025, 3, 1, tzinfo=UTC),
        ...               references=[(image1.versions["1.0.9"].id, "eastus")])
        >>> [(m.region, str(m.before), m.after) for m in result.latest_moves]
        [('eastus', '1.0.9', None)]
        >>> result.latest_moves[0].reasons
        ('1.0.9 removed', 'no version is eligible in eastus now')
        >>> result.broken_references[0].error_type
        'ImageVersionNotFoundError'
    """
    old = _inventory(old, "old")
    new = _inventory(new, "new")
    when = moment(at)
    walk = _walk(old, new)
    latest = _Latest(when)
    return InventoryDiff(
        at=when,
        resources=_resources(walk),
        latest_moves=_latest_moves(walk, latest),
        broken_references=_broken_references(old, new, references, when),
        cost=_cost(old, new, walk, prices),
        access=None if access is None else _access_changes(old, new, access, latest),
    )
