"""The estimator behind :func:`~imagegallery.costs.estimate_cost`: one pass over the versions
that sizes each one, lays out its lines (target regions, the implied source region, additional
replica sets), prices them with memoized look-ups in the price sheet, and counts what the report
warns about.

See :mod:`imagegallery.costs.estimate` for the billing rule and the choices it makes.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Final

from imagegallery.costs.line import (
    ASSUMED,
    EGRESS_VERIFIED,
    ESTIMATED,
    STORAGE_VERIFIED,
    LineKind,
    LineTable,
    SizeSource,
)
from imagegallery.costs.price import PriceOrigin
from imagegallery.costs.prices import PriceSheet
from imagegallery.enums import ReplicationMode
from imagegallery.errors import UnknownImageSizeError
from imagegallery.ids import ResourceId
from imagegallery.publishing import DEFAULT_REPLICA_COUNT
from imagegallery.version import ImageVersion

__all__ = ["SIZE_RESOLUTION"]

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


class _Estimator:
    """Accumulates compact line rows; memoizes price look-ups per region and type, and per pair
    of regions."""

    def __init__(
        self,
        sheet: PriceSheet,
        size_basis: str,
        overrides: dict[ResourceId, Decimal],
        factor: Decimal | None,
    ) -> None:
        self.sheet = sheet
        self.basis = size_basis
        self.overrides = overrides
        self.factor = factor
        self.version_ids: list[ResourceId] = []
        self.sources: list[str] = []
        self.sizes: list[Decimal] = []
        self.size_sources: list[SizeSource] = []
        self.shallow: list[bool] = []
        self.rows: list[tuple[Any, ...]] = []
        self.monthly = _ZERO
        self.egress = _ZERO
        # (amount, flags) per key, so the hot loop touches no Price objects.
        self.snapshot_cache: dict[tuple[str, str], tuple[Decimal, int]] = {}
        self.egress_cache: dict[tuple[str, str], tuple[Decimal, int, bool]] = {}
        self.decimals: dict[float, Decimal] = {}
        self.default_counts: dict[int | None, int] = {}
        self.default_kinds: dict[tuple[Any, Any], Any] = {}
        self.counts: dict[str, int] = {}
        self.implied = self.assumed = self.estimated = self.unverified = 0
        self.used_overrides: set[ResourceId] = set()

    def table(self) -> LineTable:
        return LineTable(
            tuple(self.version_ids),
            tuple(self.sources),
            tuple(self.sizes),
            tuple(self.size_sources),
            tuple(self.shallow),
            tuple(self.rows),
        )

    def _count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def _snapshot(self, region: str, kind: str) -> tuple[Decimal, int]:
        price = self.sheet.snapshot_price(region, kind)
        flags = (ESTIMATED if price.origin is PriceOrigin.FALLBACK else 0) | (
            STORAGE_VERIFIED if price.verified else 0
        )
        found = self.snapshot_cache[(region, kind)] = (price.amount, flags)
        return found

    def _egress(self, source: str, region: str) -> tuple[Decimal, int, bool]:
        price = self.sheet.egress_price(source, region)
        flags = (ESTIMATED if price.origin is PriceOrigin.FALLBACK else 0) | (
            EGRESS_VERIFIED if price.verified else 0
        )
        found = self.egress_cache[(source, region)] = (price.amount, flags, price.verified)
        return found

    def size(self, version: ImageVersion) -> tuple[Decimal, SizeSource]:
        if self.overrides and self.basis == "used":
            given = self.overrides.get(version.id)
            if given is not None:
                self.used_overrides.add(version.id)
                return given, SizeSource.GIVEN
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
        for disk in disks:
            used = disk.used_gb
            if used is not None and source is not SizeSource.PROVISIONED:
                if type(used) is int:
                    total += used
                else:
                    exact = self.decimals.get(used)
                    if exact is None:
                        exact = self.decimals[used] = _decimal(used)
                    total += exact
            elif disk.size_gb is not None:
                total += disk.size_gb
                if source is SizeSource.MEASURED:
                    source = SizeSource.UPPER_BOUND
            else:
                where = (
                    "storage_profile.os_disk_image"
                    if disk is storage.os_disk_image
                    else f"storage_profile.data_disk_images[lun={getattr(disk, 'lun', '?')}]"
                )
                raise UnknownImageSizeError(
                    "a disk image has neither a used size nor a provisioned size",
                    field=f"{where}.size_gb",
                    version_id=version.id,
                )
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
            self.implied += 1
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

    def run(self, versions: Iterable[ImageVersion]) -> None:
        """Price every version (one loop, names bound once: this is the hot path)."""
        snapshot_cache = self.snapshot_cache
        egress_cache = self.egress_cache
        append = self.rows.append
        add_id = self.version_ids.append
        add_source = self.sources.append
        add_size = self.sizes.append
        add_size_source = self.size_sources.append
        add_shallow = self.shallow.append
        size_of = self.size
        slots_of = self._slots
        factor = self.factor
        shallow_mode = ReplicationMode.SHALLOW
        upper = SizeSource.UPPER_BOUND
        monthly_total = self.monthly
        egress_total = self.egress
        assumed_lines = estimated_lines = unverified_copies = 0
        index = len(self.version_ids)
        for version in versions:
            size, size_source = size_of(version)
            quantity = size if factor is None else size * factor
            profile = version.publishing_profile
            source = version.location
            shallow = profile.replication_mode is shallow_mode
            if shallow:
                self._count("shallow")
            if profile.target_extended_locations:
                self._count("edge")
            if size_source is upper:
                self._count("upper_bound")
            add_id(version.id)
            add_source(source)
            add_size(size)
            add_size_source(size_source)
            add_shallow(shallow)
            for region, replicas, kind, line_kind, first_copy in slots_of(version):
                if kind is None:
                    type_name = _ASSUMED_TYPE
                    flags = ASSUMED
                    assumed_lines += 1
                else:
                    type_name = kind._value_  # the plain attribute: no enum descriptor here
                    flags = 0
                snap = snapshot_cache.get((region, type_name))
                if snap is None:
                    snap = self._snapshot(region, type_name)
                unit_price = snap[0]
                flags |= snap[1]
                if first_copy:
                    copy = egress_cache.get((source, region))
                    if copy is None:
                        copy = self._egress(source, region)
                    egress_unit = copy[0]
                    flags |= copy[1]
                    copy_verified = copy[2]
                else:
                    egress_unit = _ZERO
                    flags |= EGRESS_VERIFIED
                    copy_verified = True
                if shallow:
                    monthly = egress = egress_gb = _ZERO
                else:
                    monthly = quantity * unit_price * replicas
                    if first_copy:
                        egress_gb = size
                        egress = quantity * egress_unit
                        if egress and not copy_verified:
                            unverified_copies += 1
                    else:
                        egress_gb = egress = _ZERO
                if flags & ESTIMATED:
                    estimated_lines += 1
                monthly_total += monthly
                egress_total += egress
                append(
                    (
                        index,
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
            index += 1
        self.monthly = monthly_total
        self.egress = egress_total
        self.assumed += assumed_lines
        self.estimated += estimated_lines
        self.unverified += unverified_copies

    def warnings(self) -> tuple[str, ...]:
        c = self.counts
        c.update(
            implied=self.implied,
            assumed=self.assumed,
            estimated_price=self.estimated,
            unverified_egress=self.unverified,
        )
        out: list[str] = []
        if c.get("upper_bound"):
            out.append(
                f"{c['upper_bound']} version(s) lack a measured used size on some disk: priced on"
                " the provisioned size (an upper bound); pass used_gb to refine"
            )
        if c.get("estimated_price"):
            out.append(f"{c['estimated_price']} line(s) use a fallback price estimate")
        if c.get("assumed"):
            out.append(
                f"{c['assumed']} line(s) do not state a storage type: priced as Standard_LRS"
                " (Azure's historical default)"
            )
        if c.get("unverified_egress"):
            out.append(
                f"{c['unverified_egress']} first copies are priced with unverified egress rates"
            )
        if c.get("implied"):
            out.append(
                f"{c['implied']} version(s) list no target regions: priced in their source region"
            )
        if c.get("shallow"):
            out.append(
                f"{c['shallow']} version(s) use shallow replication: no copy is made, priced at"
                " zero (the source disk is billed outside the gallery; unverified)"
            )
        if c.get("edge"):
            out.append(f"{c['edge']} version(s) target edge zones, which are not priced")
        unused = sorted(str(key) for key in set(self.overrides) - self.used_overrides)
        if unused and self.basis == "used":
            out.append(f"used_gb names {len(unused)} version(s) not in the target: {unused[:3]}")
        return tuple(out)


# -- helpers -----------------------------------------------------------------------------------


def _decimal(value: float | int | Decimal) -> Decimal:
    """A size in GB as an exact decimal, to :data:`SIZE_RESOLUTION` (about a byte)."""
    if isinstance(value, int):
        return Decimal(value)
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))
    exponent = exact.as_tuple().exponent
    if isinstance(exponent, int) and exponent < _SIZE_EXPONENT:
        exact = exact.quantize(SIZE_RESOLUTION, rounding=decimal.ROUND_HALF_EVEN)
    return exact
