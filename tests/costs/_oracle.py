"""An independent, deliberately plain statement of the billing rule, for property tests.

Written from the documents, not from :mod:`imagegallery.costs.estimate`: for every version, every
region it is in (its target regions, or its source region when it lists none), replicas x used size
x the region's price for the replica's storage type; plus, for every region other than the source,
one copy of the used size at the egress price between the two. Shallow replication costs nothing.
It uses the entity API and the sheet's public look-ups only, and exact decimal arithmetic.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable
from decimal import Decimal

from imagegallery import ImageVersion, ReplicationMode, StorageAccountType
from imagegallery.costs import PriceSheet

GB_PER_GIB = Decimal(1073741824) / Decimal(1000000000)


def size_of(version: ImageVersion, basis: str = "used") -> Decimal:
    total = Decimal(0)
    for disk in version.storage_profile.disks:
        if basis == "used" and disk.used_gb is not None:
            # Sizes are taken to a billionth of a GB (about a byte), half to even.
            used = Decimal(str(disk.used_gb))
            if not isinstance(disk.used_gb, int):
                used = used.quantize(Decimal("0.000000001"), rounding=decimal.ROUND_HALF_EVEN)
            total += used
        else:
            assert disk.size_gb is not None
            total += Decimal(disk.size_gb)
    return total


def cost(
    versions: Iterable[ImageVersion],
    prices: PriceSheet,
    *,
    basis: str = "used",
    unit: str = "GiB",
) -> tuple[Decimal, Decimal]:
    """``(monthly storage, one-time egress)``."""
    monthly = Decimal(0)
    egress = Decimal(0)
    with decimal.localcontext() as ctx:
        ctx.prec = 100
        for version in versions:
            if version.publishing_profile.replication_mode is ReplicationMode.SHALLOW:
                continue
            size = size_of(version, basis)
            if unit == "GB":
                size = size * GB_PER_GIB
            listed = version.region_names
            for region in listed or (version.location,):
                if listed:
                    replicas = version.replicas_in(region)
                else:
                    replicas = version.publishing_profile.replica_count or 1
                kind = version.storage_account_type_in(region) or StorageAccountType.STANDARD_LRS
                monthly += replicas * size * prices.snapshot_per_gb_month(region, kind)
                entry = version.publishing_profile.target_region(region)
                for extra in (entry.additional_replica_sets or ()) if entry else ():
                    extra_kind = extra.storage_account_type or StorageAccountType.STANDARD_LRS
                    count = extra.regional_replica_count or 1
                    monthly += count * size * prices.snapshot_per_gb_month(region, extra_kind)
                if region != version.location:
                    egress += size * prices.egress_per_gb(version.location, region)
    return monthly, egress
