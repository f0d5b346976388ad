"""Reviewing large inventories: ``diff`` and ``lint`` against one ``load_arm`` of the same data.

Full size (the issue's targets): two ARM exports of 100,000 image versions each (1,000 image
definitions of 100 versions, 3 target regions), differing in 1% of the versions (a quarter of
those deleted, a quarter newly published, a quarter excluded from latest in one region, a quarter
with another replica count). ``diff`` with latest moves and the cost delta must take at most 2x
one ``load_arm`` of one export; ``lint`` with every rule at most 1x. Run it with::

    IMAGEGALLERY_BENCH_FULL=1 pytest benchmarks/test_review.py -s

The smoke run (CI) uses 2,000 versions and checks that the counts come out as generated.
"""

from __future__ import annotations

import copy
import gc
import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from benchmarks._sizes import full_run, size
from imagegallery import loads_arm
from imagegallery.review import diff, lint

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images"
REGIONS = ("West Europe", "North Europe", "East US")
AT = datetime(2025, 6, 1, tzinfo=UTC)
PER_DEFINITION = 100


def _name(i: int) -> str:
    return f"1.{i // 100}.{i % 100}"


def _version(image_id: str, i: int, *, replicas: int = 1, excluded: str | None = None) -> Any:
    name = _name(i)
    return {
        "id": f"{image_id}/versions/{name}",
        "name": name,
        "type": "Microsoft.Compute/galleries/images/versions",
        "location": "westeurope",
        "tags": {"build": str(i)},
        "properties": {
            "publishingProfile": {
                "targetRegions": [
                    {
                        "name": region,
                        "regionalReplicaCount": replicas if r else 2,
                        "storageAccountType": "Standard_ZRS" if r == 0 else "Standard_LRS",
                        **({"excludeFromLatest": True} if region == excluded else {}),
                    }
                    for r, region in enumerate(REGIONS)
                ],
                "replicaCount": 1,
                "excludeFromLatest": False,
                "publishedDate": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T09:05:29+00:00",
                "storageAccountType": "Standard_LRS",
            },
            "storageProfile": {
                "source": {"id": f"{SUB}/providers/Microsoft.Compute/images/build-{i}"},
                "osDiskImage": {
                    "sizeInGB": 30,
                    "hostCaching": "ReadWrite",
                    "x-imagegallery-usedSizeInGB": 6 + i % 5,
                },
            },
            "safetyProfile": {"allowDeletionOfReplicatedLocations": False},
            "provisioningState": "Succeeded",
        },
    }


def generate_pair(versions: int) -> tuple[str, str, dict[str, int]]:
    """Two exports differing in 1% of the versions, and what differs (counts)."""
    gallery_id = f"{SUB}/providers/Microsoft.Compute/galleries/bench"
    old: list[dict[str, Any]] = [
        {
            "id": gallery_id,
            "name": "bench",
            "type": "Microsoft.Compute/galleries",
            "location": "westeurope",
            "properties": {"identifier": {"uniqueName": "0000-BENCH"}},
        }
    ]
    new: list[dict[str, Any]] = copy.deepcopy(old)
    counts = {"removed": 0, "added": 0, "changed": 0}
    for d in range(max(1, versions // PER_DEFINITION)):
        image_id = f"{gallery_id}/images/image{d}"
        definition = {
            "id": image_id,
            "name": f"image{d}",
            "type": "Microsoft.Compute/galleries/images",
            "location": "westeurope",
            "properties": {
                "osType": "Linux",
                "osState": "Generalized",
                "hyperVGeneration": "V2",
                "identifier": {"publisher": "Contoso", "offer": "Bench", "sku": f"sku{d}"},
                "endOfLifeDate": "2030-01-01T00:00:00+00:00",
            },
        }
        old.append(definition)
        new.append(copy.deepcopy(definition))
        for i in range(PER_DEFINITION):
            old.append(_version(image_id, i))
            number = d * PER_DEFINITION + i
            if number % 100 != 37:
                new.append(_version(image_id, i))
                continue
            kind = (number // 100) % 4
            if kind == 0:
                counts["removed"] += 1
            elif kind == 1:
                new.append(_version(image_id, i))
                new.append(_version(image_id, 10_000 + i))
                counts["added"] += 1
            elif kind == 2:
                new.append(_version(image_id, i, excluded="East US"))
                counts["changed"] += 1
            else:
                new.append(_version(image_id, i, replicas=3))
                counts["changed"] += 1
    return json.dumps(old), json.dumps(new), counts


def _median_seconds(func: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def test_diff_and_lint_against_load_arm(benchmark: Any) -> None:
    versions = size(100_000, 2_000)
    rounds = 5 if full_run() else 1
    old_text, new_text, counts = generate_pair(versions)
    old, new = loads_arm(old_text), loads_arm(new_text)
    result = benchmark.pedantic(diff, args=(old, new), kwargs={"at": AT}, rounds=1, iterations=1)
    assert (len(result.removed), len(result.added), len(result.changed)) == (
        counts["removed"],
        counts["added"],
        counts["changed"],
    )
    assert result.latest_moves
    assert result.cost.monthly_delta != 0
    report = lint(old, at=AT)
    assert "no-eligible-latest" in report.rules

    load = _median_seconds(lambda: loads_arm(old_text), rounds)
    compare = _median_seconds(lambda: diff(old, new, at=AT), rounds)
    check = _median_seconds(lambda: lint(old, at=AT), rounds)
    print(
        f"\nreview: {len(old):,} and {len(new):,} versions x {len(REGIONS)} regions;"
        f" {counts['removed']:,} removed, {counts['added']:,} added, {counts['changed']:,} changed"
        f" -> {len(result.latest_moves):,} latest moves, monthly storage"
        f" {result.cost.monthly_delta:+} {result.cost.currency}"
        f"\n  load_arm of one export: median {load:.3f} s"
        f"\n  diff (latest moves, cost delta): median {compare:.3f} s"
        f" -> {compare / load:.2f}x load_arm (target <= 2x)"
        f"\n  lint (every rule, {len(report)} findings): median {check:.3f} s"
        f" -> {check / load:.2f}x load_arm (target <= 1x)"
    )
