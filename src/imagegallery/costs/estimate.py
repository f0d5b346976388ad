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
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Final, Literal

from imagegallery.costs._estimator import SIZE_RESOLUTION, _decimal, _Estimator
from imagegallery.costs.line import EXACT
from imagegallery.costs.prices import PriceSheet
from imagegallery.costs.report import CostReport
from imagegallery.definition import ImageDefinition
from imagegallery.errors import InvalidFieldError, InvalidTypeError
from imagegallery.gallery import Gallery
from imagegallery.ids import ResourceId
from imagegallery.inventory import Inventory
from imagegallery.version import ImageVersion

__all__ = ["GIB_PER_GB", "SIZE_RESOLUTION", "PriceUnit", "SizeBasis", "estimate_cost"]

SizeBasis = Literal["used", "provisioned"]
"""Whether replicas are priced on the used size (what Azure bills) or the provisioned size."""
PriceUnit = Literal["GiB", "GB"]
"""What a price "per GB" is read as."""

GIB_PER_GB: Final = Decimal("1.073741824")
"""Decimal GB in one GiB (2**30 / 10**9), exact."""


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
            (with ``size_basis="used"`` only).
        unit: ``"GiB"`` reads the sheet's per-GB prices as per GiB; ``"GB"`` as per decimal GB.

    Returns:
        The report: lines, totals, warnings.

    Raises:
        PriceNotFoundError: A region or storage type has no price and the sheet's fallback is off.
        UnknownImageSizeError: A version's size cannot be determined.
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
    overrides = _overrides(used_gb)
    estimator = _Estimator(sheet, size_basis, overrides, GIB_PER_GB if unit == "GB" else None)
    with decimal.localcontext(EXACT):
        estimator.run(_versions(target))
    warnings = estimator.warnings()
    return CostReport(
        table=estimator.table(),
        monthly_storage=estimator.monthly,
        one_time_egress=estimator.egress,
        currency=sheet.currency,
        prices=sheet,
        size_basis=size_basis,
        unit=unit,
        warnings=warnings,
    )


# -- helpers -----------------------------------------------------------------------------------


def _overrides(
    used_gb: Mapping[str | ResourceId, float | int | Decimal] | None,
) -> dict[ResourceId, Decimal]:
    if used_gb is None:
        return {}
    if not isinstance(used_gb, Mapping):
        raise InvalidTypeError(
            "used_gb must map version ids to sizes in GB", field="used_gb", value=used_gb
        )
    out: dict[ResourceId, Decimal] = {}
    for key, value in used_gb.items():
        rid = ResourceId.parse(key)
        raw: object = value
        ok = isinstance(raw, int | float | Decimal) and not isinstance(raw, bool)
        size = _decimal(value) if ok else None
        if size is None or not size.is_finite() or size < 0:
            raise InvalidFieldError(
                "a used size must be a finite, non-negative number of GB",
                field=f"used_gb[{key!s}]",
                value=value,
            )
        out[rid] = size
    return out


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
