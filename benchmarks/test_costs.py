"""Costing an inventory, against a straightforward per-line computation of the same rule.

Targets: an inventory of 100,000 image versions x 3 target regions is costed in at most 0.5 s;
with a measured size for every version (``used_gb``), in at most 1.2x the call without. Run the
full size with::

    IMAGEGALLERY_BENCH_FULL=1 pytest benchmarks/test_costs.py -s

The smoke run (CI) uses 2,000 versions and only checks that the code path works and that both
computations agree.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from benchmarks._sizes import full_run, size
from imagegallery import (
    DataDiskImage,
    Gallery,
    ImageDefinition,
    ImageIdentifier,
    ImageVersion,
    Inventory,
    OsDiskImage,
    PublishingProfile,
    StorageAccountType,
    StorageProfile,
    TargetRegion,
)
from imagegallery.costs import PriceSheet, estimate_cost
from imagegallery.ids import ResourceId

VERSIONS_PER_DEFINITION = 100
DEFINITIONS_PER_GALLERY = 100
TARGETS = (
    ("westeurope", 2, "Standard_ZRS"),
    ("eastus", None, None),
    ("southeastasia", 1, "Premium_LRS"),
)


def generate_inventory(versions: int) -> Inventory:
    """``versions`` versions (3 target regions each) in galleries of two subscriptions."""
    definitions = max(1, versions // VERSIONS_PER_DEFINITION)
    per_definition = versions // definitions
    galleries = []
    for g in range(max(1, definitions // DEFINITIONS_PER_GALLERY)):
        sub = f"0000000{g % 2}-0000-0000-0000-000000000000"
        gallery_id = (
            f"/subscriptions/{sub}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g{g}"
        )
        images = []
        for d in range(min(definitions, DEFINITIONS_PER_GALLERY)):
            image_id = f"{gallery_id}/images/img{d}"
            items = [
                ImageVersion(
                    id=f"{image_id}/versions/1.{i // 100}.{i % 100}",
                    location="westeurope",
                    publishing_profile=PublishingProfile(
                        replica_count=2,
                        target_regions=[
                            TargetRegion(
                                name=name, regional_replica_count=count, storage_account_type=kind
                            )
                            for name, count, kind in TARGETS
                        ],
                    ),
                    storage_profile=StorageProfile(
                        os_disk_image=OsDiskImage(size_gb=127, used_gb=10 + (i % 7) / 4),
                        data_disk_images=[DataDiskImage(lun=0, size_gb=32, used_gb=i % 3)],
                    ),
                )
                for i in range(per_definition)
            ]
            images.append(
                ImageDefinition(
                    id=image_id,
                    location="westeurope",
                    os_type="Linux",
                    os_state="Generalized",
                    identifier=ImageIdentifier(publisher="p", offer="o", sku=f"s{d}"),
                    versions=items,
                )
            )
        galleries.append(Gallery(id=gallery_id, location="westeurope", definitions=images))
    return Inventory(galleries)


def naive_cost(inventory: Inventory, prices: PriceSheet) -> tuple[Decimal, Decimal, list[Any]]:
    """The rule line by line through the public look-ups: no memoization, one dict per line."""
    monthly = Decimal(0)
    egress = Decimal(0)
    lines: list[dict[str, Any]] = []
    for version in inventory.versions():
        for region in version.region_names:
            used = Decimal(0)
            for disk in version.storage_profile.disks:
                used += Decimal(repr(disk.used_gb)) if disk.used_gb is not None else Decimal(0)
            replicas = version.replicas_in(region)
            kind = version.storage_account_type_in(region) or StorageAccountType.STANDARD_LRS
            amount = used * replicas * prices.snapshot_per_gb_month(region, kind)
            copy = Decimal(0)
            if region != version.location:
                copy = used * prices.egress_per_gb(version.location, region)
            monthly += amount
            egress += copy
            lines.append(
                {
                    "version_id": version.id,
                    "region": region,
                    "storage_type": kind.value,
                    "replicas": replicas,
                    "monthly": amount,
                    "egress": copy,
                }
            )
    return monthly, egress, lines


def _median_seconds(func: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _median_cpu_seconds(func: Callable[[], object], rounds: int) -> float:
    """Like :func:`_median_seconds`, in CPU time of this process (steadier on a busy machine)."""
    times = []
    for _ in range(rounds):
        gc.collect()
        start = time.process_time()
        func()
        times.append(time.process_time() - start)
    return statistics.median(times)


def test_costing_against_a_per_line_baseline(benchmark: Any) -> None:
    versions = size(100_000, 2_000)
    rounds = 5 if full_run() else 1
    build_start = time.perf_counter()
    inventory = generate_inventory(versions)
    build = time.perf_counter() - build_start
    prices = PriceSheet.default()
    report = benchmark.pedantic(estimate_cost, args=(inventory,), rounds=rounds, iterations=1)
    monthly, egress, naive_lines = naive_cost(inventory, prices)
    assert len(naive_lines) == len(report.table.rows) == 3 * len(inventory)
    assert (report.monthly_storage, report.one_time_egress) == (monthly, egress)

    ours = _median_seconds(lambda: estimate_cost(inventory), rounds)
    ours_cpu = _median_cpu_seconds(lambda: estimate_cost(inventory), rounds)
    baseline = _median_seconds(lambda: naive_cost(inventory, prices), rounds)

    def with_totals() -> object:
        costed = estimate_cost(inventory)
        return [costed.totals(by) for by in ("region", "gallery")]

    totals = _median_seconds(with_totals, rounds)
    lines = _median_seconds(lambda: estimate_cost(inventory).lines, rounds)
    tracemalloc.start()
    kept = estimate_cost(inventory)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    print(
        f"\nestimate_cost: {len(inventory):,} versions x {len(TARGETS)} regions"
        f" = {len(naive_lines):,} lines (inventory built in {build:.1f} s)"
        f"\n  per-line baseline median {baseline:.3f} s, estimate_cost median {ours:.3f} s"
        f" -> {baseline / ours:.1f}x faster (target: <= 0.5 s at 100,000 versions);"
        f" in CPU time {ours_cpu:.3f} s"
        f"\n  estimate_cost + totals by region and gallery: median {totals:.3f} s"
        f"\n  estimate_cost + every CostLine built: median {lines:.3f} s"
        f"\n  peak traced memory of one estimate_cost: {peak / 2**20:.0f} MiB"
    )


def test_costing_with_given_sizes_against_the_same_call_without(benchmark: Any) -> None:
    """``used_gb`` naming every version (how measured sizes are given) against no overrides.

    Target: at most 1.2x the call without overrides, and at most 0.5 s per 100,000 versions x 3
    regions.
    """
    versions = size(100_000, 2_000)
    rounds = 5 if full_run() else 1
    inventory = generate_inventory(versions)
    given: dict[str | ResourceId, float] = {
        str(v.id): 12.5 + (i % 5) / 8 for i, v in enumerate(inventory.versions())
    }
    report = benchmark.pedantic(
        estimate_cost, args=(inventory,), kwargs={"used_gb": given}, rounds=rounds, iterations=1
    )
    assert len(report.table.rows) == 3 * len(inventory)
    assert not any("used_gb names" in warning for warning in report.warnings)
    assert report.lines[0].size_gb == Decimal(repr(given[str(report.lines[0].version_id)]))

    baseline = _median_seconds(lambda: estimate_cost(inventory), rounds)
    ours = _median_seconds(lambda: estimate_cost(inventory, used_gb=given), rounds)
    baseline_cpu = _median_cpu_seconds(lambda: estimate_cost(inventory), rounds)
    ours_cpu = _median_cpu_seconds(lambda: estimate_cost(inventory, used_gb=given), rounds)
    print(
        f"\nestimate_cost with used_gb for all {len(inventory):,} versions x {len(TARGETS)}"
        f" regions: median {ours:.3f} s ({ours * 100_000 / len(inventory):.3f} s per 100k);"
        f" without overrides median {baseline:.3f} s -> {ours / baseline:.2f}x"
        f" (target: <= 1.2x, <= 0.5 s per 100k)"
        f"\n  in CPU time: {ours_cpu:.3f} s with used_gb, {baseline_cpu:.3f} s without"
        f" -> {ours_cpu / baseline_cpu:.2f}x"
    )
