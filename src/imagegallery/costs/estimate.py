"""Estimate what image versions cost: replica snapshot storage per month, first-copy egress once.

The billing rule of Azure Compute Gallery: the gallery itself is free; each replica is billed as a
managed-disk snapshot on the version's **used** size, per replica, per region, at that region's
price for the replica's storage type; and the **first** copy from the source region to each other
target region pays network egress (further replicas inside a region are free).

How this module applies it, where the documents are silent:

* **Size.** The used size of a version is the sum of its disks' ``used_gb`` (ARM does not report
  it; pass ``used_gb={version id: GB}`` to supply it), taken to 9 decimal places (about a byte).
  With ``size_basis="used"``, a disk without a used size counts at its provisioned ``size_gb``
  and the line is marked as an upper bound (:attr:`~imagegallery.costs.SizeSource.UPPER_BOUND`).
  ``size_basis="provisioned"`` prices provisioned sizes on purpose.
  A disk with no size at all raises :class:`~imagegallery.errors.UnknownImageSizeError`.
* **Unit.** Retail prices say ``1 GB/Month``; Azure documents snapshot sizes in GiB, and
  ``sizeInGB`` is GiB. ``unit="GiB"`` (default) reads the price as per GiB; ``unit="GB"`` reads it
  as per decimal GB and multiplies sizes by 1.073741824. Egress follows the same switch.
* **Egress** is billed on the same size as storage, once per version and non-source target region.
* **Storage type.** A region whose replicas' type the input does not state is priced as
  ``Standard_LRS`` (Azure's historical default) and the line is marked ``storage_type_assumed``.
* **No target regions.** Azure then keeps the version in its source region only: one line for the
  source region with the version's replica count (default 1), marked
  :attr:`~imagegallery.costs.LineKind.IMPLIED`.
* **Additional replica sets** (``additionalReplicaSets``) are priced as extra lines of their own
  storage type in the same region, without egress.
* **Shallow replication** makes no copy: its lines carry the unit price but zero storage and zero
  egress, are marked ``shallow``, and the report warns (the source disk is billed outside the
  gallery; unverified).
* **Edge zones** (``targetExtendedLocations``) are not priced; the report warns.

Example:
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.costs import estimate_cost
    >>> report = estimate_cost(sample_inventory())
    >>> report.monthly_storage, report.one_time_egress
    (Decimal('39.9140'), Decimal('6.100'))
    >>> line = report.lines[0]
    >>> line.region, line.replicas, line.storage_type, line.size_gb, line.monthly
    ('westeurope', 2, 'Standard_ZRS', Decimal('8.5'), Decimal('0.850'))
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from operator import attrgetter
from typing import Any, Final, Literal

from imagegallery.costs.price import PriceOrigin
from imagegallery.costs.report import (
    ASSUMED,
    EGRESS_VERIFIED,
    ESTIMATED,
    EXACT,
    STORAGE_VERIFIED,
    CostReport,
    LineKind,
    LineTable,
    SizeSource,
)
from imagegallery.costs.sheet import PriceSheet
from imagegallery.definition import ImageDefinition
from imagegallery.enums import ReplicationMode
from imagegallery.errors import InvalidFieldError, InvalidTypeError, UnknownImageSizeError
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId
from imagegallery.inventory import Inventory
from imagegallery.publishing import DEFAULT_REPLICA_COUNT
from imagegallery.speed import paused_gc
from imagegallery.storage import StorageProfile
from imagegallery.tables import PatternedRows
from imagegallery.version import ImageVersion

__all__ = [
    "GIB_PER_GB",
    "MAX_SIZE_GB",
    "SIZE_RESOLUTION",
    "PriceUnit",
    "SizeBasis",
    "estimate_cost",
]

SizeBasis = Literal["used", "provisioned"]
"""Whether replicas are priced on the used size (what Azure bills) or the provisioned size."""
PriceUnit = Literal["GiB", "GB"]
"""What a price "per GB" is read as."""

GIB_PER_GB: Final = Decimal("1.073741824")
"""Decimal GB in one GiB (2**30 / 10**9), exact."""

MAX_SIZE_GB: Final = Decimal(1_000_000)
"""The largest size accepted for a disk or a version, in GB (Azure's largest disk holds 64 TiB);
a larger, negative or non-finite size is an input error."""
_MAX_GB: Final = 1_000_000

SIZE_RESOLUTION: Final = Decimal("1e-9")
"""Used sizes are taken to 9 decimal places of a GB (about one byte), half to even, so that a
float such as ``1.8e-35`` cannot push an amount past exact decimal arithmetic."""

_SIZE_EXPONENT: Final = -9
_ZERO: Final = Decimal(0)
_ASSUMED_TYPE: Final = "Standard_LRS"
_UNSET: Final = object()
_TARGET: Final = LineKind.TARGET.value
_IMPLIED: Final = LineKind.IMPLIED.value
_ADDITIONAL: Final = LineKind.ADDITIONAL.value


Target = ImageVersion | ImageDefinition | Gallery | Inventory | Iterable[ImageVersion]


def estimate_cost(
    target: Target,
    prices: PriceSheet | None = None,
    *,
    size_basis: SizeBasis = "used",
    used_gb: Mapping[str | ResourceId, float | int | Decimal] | None = None,
    unit: PriceUnit = "GiB",
) -> CostReport:
    """Estimate the monthly snapshot storage and one-time egress of image versions.

    Args:
        target: An :class:`~imagegallery.ImageVersion`, :class:`~imagegallery.ImageDefinition`,
            :class:`~imagegallery.Gallery`, :class:`~imagegallery.Inventory`, or an iterable of
            versions.
        prices: The price sheet; ``None`` means :meth:`PriceSheet.default`.
        size_basis: ``"used"`` (what Azure bills; falls back to provisioned sizes per disk, marked
            as an upper bound) or ``"provisioned"``.
        used_gb: Used size in GB per version id (any casing), overriding the disks' ``used_gb``
            (with ``size_basis="used"`` only): a finite number from 0 to :data:`MAX_SIZE_GB`,
            taken to :data:`SIZE_RESOLUTION`. Disk sizes read from the versions obey the same
            limits.
        unit: ``"GiB"`` reads the sheet's per-GB prices as per GiB; ``"GB"`` as per decimal GB.

    Returns:
        The report: lines, totals, warnings.

    Raises:
        PriceNotFoundError: A region or storage type has no price and the sheet's fallback is off.
        UnknownImageSizeError: A version's size cannot be determined (no size, or a disk size
            that is not a finite number of GB within the limits).
        InvalidFieldError: A bad ``size_basis``, ``unit`` or ``used_gb`` value.
        InvalidTypeError: ``target`` is not one of the accepted types.

    Example:
        The product documents' example: a 127 GB OS disk holding 10 GB and an empty 32 GB data
        disk, in 3 regions with 2 replicas each.

        >>> from imagegallery import (ImageVersion, OsDiskImage, DataDiskImage, PublishingProfile,
        ...                           StorageProfile, TargetRegion)
        >>> from imagegallery.costs import estimate_cost
        >>> version = ImageVersion(
        ...     id="/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/galleries/g"
        ...        "/images/app/versions/1.0.0",
        ...     location="westeurope",
        ...     publishing_profile=PublishingProfile(replica_count=2, target_regions=[
        ...         TargetRegion(name="westeurope"), TargetRegion(name="eastus"),
        ...         TargetRegion(name="southeastasia")]),
        ...     storage_profile=StorageProfile(
        ...         os_disk_image=OsDiskImage(size_gb=127, used_gb=10),
        ...         data_disk_images=[DataDiskImage(lun=0, size_gb=32, used_gb=0)]))
        >>> report = estimate_cost(version)
        >>> report.monthly_storage, report.one_time_egress
        (Decimal('3.00'), Decimal('1.00'))
        >>> estimate_cost(version, size_basis="provisioned").monthly_storage
        Decimal('47.70')
    """
    sheet = PriceSheet.default() if prices is None else prices
    if not isinstance(sheet, PriceSheet):
        raise InvalidTypeError("expected a PriceSheet or None", field="prices", value=sheet)
    if size_basis not in ("used", "provisioned"):
        raise InvalidFieldError(
            "size_basis must be 'used' or 'provisioned'", field="size_basis", value=size_basis
        )
    if unit not in ("GiB", "GB"):
        raise InvalidFieldError("unit must be 'GiB' or 'GB'", field="unit", value=unit)
    # Many small objects, none in a reference cycle (see imagegallery.speed).
    with paused_gc():
        given = _given_sizes(used_gb, target)
        estimator = _Estimator(sheet, size_basis, given, GIB_PER_GB if unit == "GB" else None)
        with decimal.localcontext(EXACT):
            estimator.run(_versions(target))
        table = estimator.table()
    warnings = estimator.warnings()
    return CostReport(
        table=table,
        monthly_storage=estimator.monthly,
        one_time_egress=estimator.egress,
        currency=sheet.currency,
        prices=sheet,
        size_basis=size_basis,
        unit=unit,
        warnings=warnings,
    )


# -- the estimator -----------------------------------------------------------------------------


class _Layout:
    """The priced lines of one distinct layout of versions, before their size is known.

    Versions with the same source region, replication mode, version-level replica count,
    storage type and strategy, and the same target regions (name, count, type, additional
    replica sets) have the same lines at the same prices: they are laid out and priced once.
    """

    __slots__ = ("assumed", "by_size", "estimated", "implied", "lines")

    def __init__(
        self, lines: list[tuple[Any, ...]], assumed: int, estimated: int, implied: bool
    ) -> None:
        self.lines = lines
        """(region, type, replicas, unit price, egress unit price, flags, kind, first copy,
        egress verified) per line, in the order of the version's lines."""
        self.assumed = assumed
        """Lines that do not state a storage type."""
        self.estimated = estimated
        """Lines priced with a fallback estimate."""
        self.implied = implied
        """Whether the version lists no target regions (its one line is implied)."""
        self.by_size: dict[str, _Amounts] = {}
        """The amounts of these lines per size (by the size's text: exponent and sign count)."""


class _Amounts:
    """The lines of one layout at one size: where their row values are, their sums, counts.

    ``patterns`` are the positions of the lines' row values (without the version index) among
    the report's distinct row values, shared by every version of this layout and size;
    ``versions`` counts those versions, so that the totals are sums of ``versions x
    per-version amount`` (exact, like line-by-line sums).
    """

    __slots__ = ("egress", "monthly", "patterns", "unverified", "versions")

    def __init__(self, patterns: range, monthly: Decimal, egress: Decimal, unverified: int) -> None:
        self.patterns = patterns
        self.monthly = monthly
        self.egress = egress
        self.unverified = unverified
        self.versions = 0


class _Estimator:
    """One pass over the versions: sizes each one, lays out its lines (target regions, the
    implied source region, additional replica sets), prices them, and counts what the report
    warns about.

    It accumulates compact line rows (a :class:`~imagegallery.costs.report.LineTable`). The
    lines of a version depend only on its layout (:class:`_Layout`) and their amounts only on
    the layout and the size, so each distinct layout is laid out and priced once, and each
    distinct (layout, size) computed once (:class:`_Amounts`); every version then only adds
    its index and the positions of the shared row values
    (:class:`~imagegallery.tables.PatternedRows`). Price look-ups are memoized per region and
    type, and per pair of regions. All of it belongs to one call.
    """

    def __init__(
        self,
        sheet: PriceSheet,
        size_basis: str,
        given: _GivenSizes,
        factor: Decimal | None,
    ) -> None:
        self.sheet = sheet
        self.basis = size_basis
        self.given = given
        self.factor = factor
        self.version_ids: list[ResourceId] = []
        self.sources: list[str] = []
        self.sizes: list[Decimal] = []
        self.size_sources: list[SizeSource] = []
        self.shallow: list[bool] = []
        self.heads: list[int] = []
        self.patterns: list[tuple[Any, ...]] = []
        self.positions: list[int] = []
        self.monthly = _ZERO
        self.egress = _ZERO
        # (amount, flags) per key, so that laying out a layout touches no Price objects twice.
        self.snapshot_cache: dict[tuple[str, str], tuple[Decimal, int]] = {}
        self.egress_cache: dict[tuple[str, str], tuple[Decimal, int, bool]] = {}
        self.decimals: dict[float, Decimal] = {}
        self.default_counts: dict[int | None, int] = {}
        self.default_kinds: dict[tuple[Any, Any], Any] = {}
        self.counts: dict[str, int] = {}
        self.used_overrides: set[ResourceId] = set()

    def table(self) -> LineTable:
        return LineTable(
            tuple(self.version_ids),
            tuple(self.sources),
            tuple(self.sizes),
            tuple(self.size_sources),
            tuple(self.shallow),
            PatternedRows(tuple(self.heads), tuple(self.patterns), tuple(self.positions)),
        )

    def _snapshot(self, region: str, kind: str) -> tuple[Decimal, int]:
        found = self.snapshot_cache.get((region, kind))
        if found is None:
            price = self.sheet.snapshot_price(region, kind)
            flags = (ESTIMATED if price.origin is PriceOrigin.FALLBACK else 0) | (
                STORAGE_VERIFIED if price.verified else 0
            )
            found = self.snapshot_cache[(region, kind)] = (price.amount, flags)
        return found

    def _egress(self, source: str, region: str) -> tuple[Decimal, int, bool]:
        found = self.egress_cache.get((source, region))
        if found is None:
            price = self.sheet.egress_price(source, region)
            flags = (ESTIMATED if price.origin is PriceOrigin.FALLBACK else 0) | (
                EGRESS_VERIFIED if price.verified else 0
            )
            found = self.egress_cache[(source, region)] = (price.amount, flags, price.verified)
        return found

    def size(self, version: ImageVersion) -> tuple[Decimal, SizeSource]:
        """The size of a version from its disks (a given ``used_gb`` is looked up by the caller)."""
        storage = version.storage_profile
        disks = storage.disks
        if not disks:
            raise UnknownImageSizeError(
                "the version has no disk images to take a size from (pass used_gb for it)",
                field="storage_profile",
                version_id=version.id,
            )
        source = SizeSource.MEASURED if self.basis == "used" else SizeSource.PROVISIONED
        total = _ZERO
        decimals = self.decimals
        for disk in disks:
            used = disk.used_gb
            if used is not None and source is not SizeSource.PROVISIONED:
                key = "used_gb"
                size: object = used
            elif disk.size_gb is not None:
                key = "size_gb"
                size = disk.size_gb
                if source is SizeSource.MEASURED:
                    source = SizeSource.UPPER_BOUND
            else:
                raise UnknownImageSizeError(
                    "a disk image has neither a used size nor a provisioned size",
                    field=f"{_disk_path(storage, disk)}.size_gb",
                    version_id=version.id,
                )
            if type(size) is int and 0 <= size <= _MAX_GB:
                total += size
                continue
            exact = decimals.get(size) if type(size) is float else None
            if exact is None:
                exact = _size_gb(size)
                if exact is None:
                    raise UnknownImageSizeError(
                        f"a disk size must be a finite number of GB from 0 to {MAX_SIZE_GB:,}"
                        f" (got {size!r:.40})",
                        field=f"{_disk_path(storage, disk)}.{key}",
                        version_id=version.id,
                    )
                if type(size) is float:
                    decimals[size] = exact
            total += exact
        return total, source

    def _default_count(self, version: ImageVersion, region: str) -> int:
        """Replicas in a target region that does not state them (asked of the entity once per
        distinct version-level count: the answer depends on nothing else)."""
        key = version.publishing_profile.replica_count
        found = self.default_counts.get(key)
        if found is None:
            found = self.default_counts[key] = version.replicas_in(region)
        return found

    def _default_kind(self, version: ImageVersion, region: str) -> Any:
        """Storage type in a target region that does not state it (asked of the entity once per
        distinct version-level type and strategy)."""
        profile = version.publishing_profile
        key = (profile.storage_account_type, profile.storage_account_strategy)
        found = self.default_kinds.get(key, _UNSET)
        if found is _UNSET:
            found = self.default_kinds[key] = version.storage_account_type_in(region)
        return found

    def _slots(self, version: ImageVersion) -> list[tuple[str, int, Any, str, bool]]:
        """(region, replicas, storage type or None, line kind, first copy) for each line."""
        profile = version.publishing_profile
        source = version.location
        targets = profile.target_regions
        if not targets:
            replicas = profile.replica_count or DEFAULT_REPLICA_COUNT
            kind = version.storage_account_type_in(source)
            return [(source, replicas, kind, _IMPLIED, False)]
        slots: list[tuple[str, int, Any, str, bool]] = []
        for target in targets:
            region = target.name
            count = target.regional_replica_count
            kind = target.storage_account_type
            if count is None:
                count = self._default_count(version, region)
            if kind is None:
                kind = self._default_kind(version, region)
            slots.append((region, count, kind, _TARGET, region != source))
            for extra in target.additional_replica_sets or ():
                count = extra.regional_replica_count or 1
                slots.append((region, count, extra.storage_account_type, _ADDITIONAL, False))
        return slots

    def _layout(self, version: ImageVersion) -> _Layout:
        """Lay out and price the lines of a version (once per distinct layout)."""
        source = version.location
        lines: list[tuple[Any, ...]] = []
        assumed = estimated = 0
        for region, replicas, kind, line_kind, first_copy in self._slots(version):
            if kind is None:
                type_name = _ASSUMED_TYPE
                flags = ASSUMED
                assumed += 1
            else:
                type_name = kind._value_  # the plain attribute: no enum descriptor here
                flags = 0
            unit_price, snapshot_flags = self._snapshot(region, type_name)
            flags |= snapshot_flags
            if first_copy:
                egress_unit, egress_flags, copy_verified = self._egress(source, region)
                flags |= egress_flags
            else:
                egress_unit = _ZERO
                flags |= EGRESS_VERIFIED
                copy_verified = True
            if flags & ESTIMATED:
                estimated += 1
            lines.append(
                (
                    region,
                    type_name,
                    replicas,
                    unit_price,
                    egress_unit,
                    flags,
                    line_kind,
                    first_copy,
                    copy_verified,
                )
            )
        implied = not version.publishing_profile.target_regions
        return _Layout(lines, assumed, estimated, implied)

    def _amounts(self, layout: _Layout, size: Decimal, shallow: bool) -> _Amounts:
        """The row values of a layout's lines at one size (once per distinct size)."""
        quantity = size if self.factor is None else size * self.factor
        tails: list[tuple[Any, ...]] = []
        unverified = 0
        for (
            region,
            type_name,
            replicas,
            unit_price,
            egress_unit,
            flags,
            line_kind,
            first_copy,
            copy_verified,
        ) in layout.lines:
            if shallow:
                monthly = egress = egress_gb = _ZERO
            else:
                monthly = quantity * unit_price * replicas
                if first_copy:
                    egress_gb = size
                    egress = quantity * egress_unit
                    if egress and not copy_verified:
                        unverified += 1
                else:
                    egress_gb = egress = _ZERO
            tails.append(
                (
                    region,
                    type_name,
                    replicas,
                    unit_price,
                    monthly,
                    egress_gb,
                    egress_unit,
                    egress,
                    flags,
                    line_kind,
                )
            )
        # Per-version sums, each from its first line (exact, so the order does not matter, and
        # the exponent is the smallest of the lines', as in a line-by-line sum).
        monthly_sum = tails[0][4]
        egress_sum = tails[0][7]
        for tail in tails[1:]:
            monthly_sum += tail[4]
            egress_sum += tail[7]
        first = len(self.patterns)
        self.patterns.extend(tails)
        return _Amounts(range(first, len(self.patterns)), monthly_sum, egress_sum, unverified)

    def run(self, versions: Iterable[ImageVersion]) -> None:
        """Price every version (one loop, names bound once: this is the hot path)."""
        layouts: dict[tuple[Any, ...], _Layout] = {}
        used: list[_Amounts] = []
        heads_extend = self.heads.extend
        positions_extend = self.positions.extend
        add_id = self.version_ids.append
        add_source = self.sources.append
        add_size = self.sizes.append
        add_size_source = self.size_sources.append
        add_shallow = self.shallow.append
        size_of = self.size
        given_get = self.given.sizes.get if self.given.sizes and self.basis == "used" else None
        track = self.used_overrides.add if self.given.track else None
        shallow_mode = ReplicationMode.SHALLOW
        upper = SizeSource.UPPER_BOUND
        given_source = SizeSource.GIVEN
        shallow_versions = edge_versions = upper_versions = 0
        index = len(self.version_ids)
        for version in versions:
            vid = version.id
            size = given_get(vid) if given_get is not None else None
            if size is None:
                size, size_source = size_of(version)
                if size_source is upper:
                    upper_versions += 1
            else:
                size_source = given_source
                if track is not None:
                    track(vid)
            profile = version.publishing_profile
            source = version.location
            shallow = profile.replication_mode is shallow_mode
            if shallow:
                shallow_versions += 1
            if profile.target_extended_locations:
                edge_versions += 1
            key = (
                source,
                shallow,
                profile.replica_count,
                profile.storage_account_type,
                profile.storage_account_strategy,
                *[
                    (
                        t.name,
                        t.regional_replica_count,
                        t.storage_account_type,
                        t.additional_replica_sets,
                    )
                    for t in profile.target_regions or ()
                ],
            )
            layout = layouts.get(key)
            if layout is None:
                layout = layouts[key] = self._layout(version)
            amounts = layout.by_size.get(text := str(size))
            if amounts is None:
                amounts = layout.by_size[text] = self._amounts(layout, size, shallow)
                used.append(amounts)
            amounts.versions += 1
            add_id(vid)
            add_source(source)
            add_size(size)
            add_size_source(size_source)
            add_shallow(shallow)
            heads_extend((index,) * len(amounts.patterns))
            positions_extend(amounts.patterns)
            index += 1
        monthly_total = self.monthly
        egress_total = self.egress
        assumed = estimated = unverified = implied = 0
        for amounts in used:
            count = amounts.versions
            monthly_total += amounts.monthly * count
            egress_total += amounts.egress * count
            unverified += amounts.unverified * count
        for layout in layouts.values():
            count = sum(amounts.versions for amounts in layout.by_size.values())
            assumed += layout.assumed * count
            estimated += layout.estimated * count
            implied += count if layout.implied else 0
        self.monthly = monthly_total
        self.egress = egress_total
        for what, n in (
            ("shallow", shallow_versions),
            ("edge", edge_versions),
            ("upper_bound", upper_versions),
            ("implied", implied),
            ("assumed", assumed),
            ("estimated_price", estimated),
            ("unverified_egress", unverified),
        ):
            self.counts[what] = self.counts.get(what, 0) + n

    def warnings(self) -> tuple[str, ...]:
        counts = self.counts
        out = [text.format(n=counts[what]) for what, text in _WARNINGS if counts.get(what)]
        if self.basis == "used":
            unused = self.given.unused(self.used_overrides)
            if unused:
                out.append(
                    f"used_gb names {len(unused)} version(s) not in the target: {unused[:3]}"
                )
        return tuple(out)


_WARNINGS: Final = (
    (
        "upper_bound",
        "{n} version(s) lack a measured used size on some disk: priced on the provisioned size"
        " (an upper bound); pass used_gb to refine",
    ),
    ("estimated_price", "{n} line(s) use a fallback price estimate"),
    (
        "assumed",
        "{n} line(s) do not state a storage type: priced as Standard_LRS (Azure's historical"
        " default)",
    ),
    ("unverified_egress", "{n} first copies are priced with unverified egress rates"),
    ("implied", "{n} version(s) list no target regions: priced in their source region"),
    (
        "shallow",
        "{n} version(s) use shallow replication: no copy is made, priced at zero (the source disk"
        " is billed outside the gallery; unverified)",
    ),
    ("edge", "{n} version(s) target edge zones, which are not priced"),
)
"""What the report warns about, in this order: (counter, text with ``{n}`` for the count)."""


# -- helpers -----------------------------------------------------------------------------------


def _size_gb(value: object) -> Decimal | None:
    """A size in GB as an exact decimal, to :data:`SIZE_RESOLUTION` (about a byte), or ``None``
    when it is not a finite number from 0 to :data:`MAX_SIZE_GB`."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value) if 0 <= value <= _MAX_GB else None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        exact = Decimal(repr(value))
    elif isinstance(value, Decimal):
        exact = value
    else:
        return None
    if not exact.is_finite() or not 0 <= exact <= MAX_SIZE_GB:
        return None
    exponent = exact.as_tuple().exponent
    if isinstance(exponent, int) and exponent < _SIZE_EXPONENT:
        exact = exact.quantize(SIZE_RESOLUTION, rounding=decimal.ROUND_HALF_EVEN)
    return exact


def _disk_path(storage: StorageProfile, disk: object) -> str:
    if disk is storage.os_disk_image:
        return "storage_profile.os_disk_image"
    return f"storage_profile.data_disk_images[lun={getattr(disk, 'lun', '?')}]"


class _GivenSizes:
    """The ``used_gb`` argument resolved: exact sizes by version id, and which keys name no
    version of the target.

    ``track`` is set when the target can be read only once: the versions that took a given size
    are then recorded while pricing, and the keys left over are the unused ones. Otherwise
    ``unmatched`` already holds the keys that name no version of the target.
    """

    __slots__ = ("sizes", "track", "unmatched")

    def __init__(
        self, sizes: dict[ResourceId, Decimal], *, track: bool, unmatched: frozenset[ResourceId]
    ) -> None:
        self.sizes = sizes
        self.track = track
        self.unmatched = unmatched

    def unused(self, used: set[ResourceId]) -> list[str]:
        """The keys that name no priced version, as text, sorted."""
        if self.track:
            return sorted(str(key) for key in set(self.sizes) - used)
        if not self.unmatched:
            return []
        return sorted(str(key) for key in self.sizes if key in self.unmatched)


def _given_sizes(
    used_gb: Mapping[str | ResourceId, float | int | Decimal] | None, target: object
) -> _GivenSizes:
    """Resolve ``used_gb`` in bulk: keys to the target's version ids, values to exact sizes.

    A text key is matched against the text of the target's version ids (a map built once, when
    the target can be read twice): first exactly, then, for a key that differs in case, by the
    lower-cased text (ids compare case-insensitively, and a text equal to a valid id's up to
    case parses to an equal id). Only keys matched neither way are parsed, so an unknown or
    malformed key fails exactly as it would alone, naming the key. Sizes are converted once per
    distinct value.

    The common case (every key an exact id text of the target or a ``ResourceId``, every size
    a non-zero float, or every size an int, all valid) is resolved with whole-column look-ups;
    anything else is read key by key, in order, so that the first bad key or value is the one
    reported.
    """
    if used_gb is None:
        return _GivenSizes({}, track=False, unmatched=frozenset())
    if not isinstance(used_gb, Mapping):
        raise InvalidTypeError(
            "used_gb must map version ids to sizes in GB", field="used_gb", value=used_gb
        )
    ids = _TargetIds(target) if _readable(target) is not None else None
    resolved = _resolve_in_bulk(used_gb, ids) or _resolve_one_by_one(used_gb, ids)
    out, parsed = resolved
    if ids is None:
        return _GivenSizes(out, track=True, unmatched=frozenset())
    exact = ids.exact()
    unmatched = frozenset(
        rid
        for rid, found in zip(parsed, map(exact.get, map(str, parsed)), strict=True)
        if found is None and ids.find(str(rid)) is None
    )
    return _GivenSizes(out, track=False, unmatched=unmatched)


_ID: Final = attrgetter("id")

_Resolved = tuple[dict[ResourceId, Decimal], list[ResourceId]]
"""Sizes by version id, and the ids that were parsed (not matched to the target's ids)."""


def _resolve_in_bulk(used_gb: Mapping[Any, Any], ids: _TargetIds | None) -> _Resolved | None:
    """The common case of :func:`_given_sizes` in whole-column operations, or ``None`` when the
    mapping is not of that case (then nothing was decided)."""
    keys: list[Any] = list(used_gb)
    values: list[Any] = list(used_gb.values())
    if not keys or len(keys) != len(values):
        return None
    key_types = set(map(type, keys))
    if key_types == {ResourceId}:
        rids = keys
        parsed = keys
    elif key_types == {str} and ids is not None:
        rids = list(map(ids.exact().get, keys))
        if not all(rids):  # truth of an id is a C-level test; `None in` would call __eq__
            return None
        parsed = []
    else:
        return None
    value_types = set(map(type, values))
    if value_types not in ({float}, {int}):
        return None
    distinct = {value: _size_gb(value) for value in set(values)}
    if None in distinct.values() or (value_types == {float} and 0.0 in distinct):
        return None  # a bad size (reported in order), or a float zero (its sign is kept)
    return dict(zip(rids, map(distinct.__getitem__, values), strict=True)), parsed


def _resolve_one_by_one(used_gb: Mapping[Any, Any], ids: _TargetIds | None) -> _Resolved:
    """:func:`_given_sizes` key by key, in order (the first bad key or value raises)."""
    out: dict[ResourceId, Decimal] = {}
    parsed: list[ResourceId] = []
    sizes: dict[float, Decimal] = {}
    for key, value in used_gb.items():
        rid = ids.find(key) if ids is not None and type(key) is str else None
        if rid is None:
            try:
                rid = ResourceId.parse(key)
            except InvalidFieldError as err:
                raise err.at(_override_field(key)) from None
            parsed.append(rid)
        if type(value) is float and value:  # 0.0 and -0.0 keep their own spelling
            size = sizes.get(value)
            if size is None:
                size = _size_gb(value)
                if size is not None:
                    sizes[value] = size
        else:
            size = _size_gb(value)
        if size is None:
            raise InvalidFieldError(
                f"a used size must be a finite number of GB from 0 to {MAX_SIZE_GB:,}",
                field=_override_field(key),
                value=value,
            )
        out[rid] = size
    return out, parsed


class _TargetIds:
    """The version ids of a target by their text, exactly and lower-cased (each map built on
    first use)."""

    __slots__ = ("_exact", "_lower", "_target")

    def __init__(self, target: object) -> None:
        self._target = target
        self._exact: dict[str, ResourceId] | None = None
        self._lower: dict[str, ResourceId] | None = None

    def exact(self) -> dict[str, ResourceId]:
        """The target's version ids by their text."""
        exact = self._exact
        if exact is None:
            target = self._target
            versions = _readable(target) or ()
            if not isinstance(target, Sequence):  # an entity: nothing but versions
                ids = list(map(_ID, versions))
            else:
                ids = [version.id for version in versions if isinstance(version, ImageVersion)]
            exact = self._exact = dict(zip(map(str, ids), ids, strict=True))
        return exact

    def find(self, text: str) -> ResourceId | None:
        """The target's version id equal to the id ``text`` spells, if any."""
        found = self.exact().get(text)
        if found is None:
            lower = self._lower
            if lower is None:
                lower = self._lower = {key.lower(): rid for key, rid in self.exact().items()}
            found = lower.get(text.lower())
        return found


def _override_field(key: object) -> str:
    """The field path of a ``used_gb`` key, shortened to 200 characters."""
    shown = str(key) if isinstance(key, str | ResourceId) else repr(key)
    return f"used_gb[{shown if len(shown) <= 200 else shown[:197] + '...'}]"


def _readable(target: object) -> Iterable[object] | None:
    """The versions of a target that can be read twice (anything but a one-shot iterable), or
    ``None`` (then the target is read once, while pricing)."""
    if isinstance(target, ImageVersion):
        return (target,)
    if isinstance(target, ImageDefinition | Gallery | Inventory):
        return _versions(target)
    if isinstance(target, Sequence) and not isinstance(target, str | bytes):
        return target
    return None


def _versions(target: object) -> Iterator[ImageVersion]:
    if isinstance(target, ImageVersion):
        yield target
    elif isinstance(target, ImageDefinition):
        yield from target.versions.values()
    elif isinstance(target, Gallery):
        for definition in target.definitions.values():
            yield from definition.versions.values()
    elif isinstance(target, Inventory):
        yield from target.versions()
    elif isinstance(target, Iterable) and not isinstance(target, str | bytes | Mapping):
        for index, item in enumerate(target):
            if not isinstance(item, ImageVersion):
                raise InvalidTypeError(
                    "expected image versions", field=f"target[{index}]", value=type(item).__name__
                )
            yield item
    else:
        raise InvalidTypeError(
            "expected an ImageVersion, ImageDefinition, Gallery, Inventory or versions",
            field="target",
            value=type(target).__name__,
        )
