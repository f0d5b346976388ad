"""Loading a generated ARM export into an Inventory, against plain ``json.loads`` of the text.

Targets, each a ratio measured in the same run (median of paired rounds):

* ``loads_arm`` of 100,000 image versions with 3 target regions each: at most 1.5x ``json.loads``
  of the same text with the garbage collector as it normally runs, and at most 3x ``json.loads``
  with the collector paused for both;
* at least 15x faster than the Azure SDK's models (``azure-mgmt-compute``) reading the fields a
  resolver needs from the same text;
* ``to_arm()`` then ``json.dumps``: at most 2x ``json.dumps`` of the same list.

Run the full size with::

    IMAGEGALLERY_BENCH_FULL=1 pytest benchmarks/test_arm_load.py -s

The smoke run (CI) uses 2,000 versions and only checks that the code path works.

The same inventory as the ``az`` CLI prints it (``properties`` flattened, ``resourceGroup`` added
to every object with an id) must load in at most 1.2x the time of the ARM shape (target, issue:
load what Azure users have).
"""

from __future__ import annotations

import gc
import json
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest

from benchmarks._sizes import full_run, size
from imagegallery import load_arm, loads_arm

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images"
REGIONS = ("West Europe", "North Europe", "East US")


def generate_export(versions: int, definitions: int = 20) -> str:
    """An ARM export as ``az`` prints it: one gallery, ``definitions`` images, versions spread."""
    gallery_id = f"{SUB}/providers/Microsoft.Compute/galleries/bench"
    out: list[dict[str, Any]] = [
        {
            "id": gallery_id,
            "name": "bench",
            "type": "Microsoft.Compute/galleries",
            "location": "westeurope",
            "tags": {},
            "properties": {
                "identifier": {"uniqueName": "0000-BENCH"},
                "provisioningState": "Succeeded",
            },
        }
    ]
    per_definition = versions // definitions
    for d in range(definitions):
        image_id = f"{gallery_id}/images/image{d}"
        out.append(
            {
                "id": image_id,
                "name": f"image{d}",
                "type": "Microsoft.Compute/galleries/images",
                "location": "westeurope",
                "tags": {},
                "properties": {
                    "hyperVGeneration": "V2",
                    "architecture": "x64",
                    "osType": "Linux",
                    "osState": "Generalized",
                    "identifier": {"publisher": "Contoso", "offer": "Bench", "sku": f"sku{d}"},
                    "provisioningState": "Succeeded",
                },
            }
        )
        for i in range(per_definition):
            name = f"{i // 10000}.{(i // 100) % 100}.{i % 100}"
            out.append(
                {
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
                                    "regionalReplicaCount": 2 if r == 0 else 1,
                                    "storageAccountType": "Standard_ZRS"
                                    if r == 0
                                    else "Standard_LRS",
                                    **(
                                        {"excludeFromLatest": True}
                                        if r == 2 and i % 10 == 0
                                        else {}
                                    ),
                                }
                                for r, region in enumerate(REGIONS)
                            ],
                            "replicaCount": 1,
                            "excludeFromLatest": False,
                            "publishedDate": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
                            f"T09:05:29.{i % 10_000_000:07d}+00:00",
                            "storageAccountType": "Standard_LRS",
                        },
                        "storageProfile": {
                            "source": {"id": f"{SUB}/providers/Microsoft.Compute/images/build-{i}"},
                            "osDiskImage": {
                                "sizeInGB": 30,
                                "hostCaching": "ReadWrite",
                                "source": {},
                            },
                        },
                        "safetyProfile": {
                            "reportedForPolicyViolation": False,
                            "allowDeletionOfReplicatedLocations": False,
                        },
                        "provisioningState": "Succeeded",
                    },
                }
            )
    return json.dumps(out)


def _median_seconds(func: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _without_gc(func: Callable[[], object]) -> None:
    gc.disable()
    try:
        func()
    finally:
        gc.enable()


def _paired(rounds: int, *calls: Callable[[], object]) -> list[list[float]]:
    """Per call, its time in each round; the calls of a round run one after the other, so that
    each ratio compares calls that saw the same machine."""
    times: list[list[float]] = [[] for _ in calls]
    for _ in range(rounds):
        for slot, call in zip(times, calls, strict=True):
            slot.append(_median_seconds(call, 1))
    return times


def _ratio(ours: list[float], base: list[float]) -> float:
    return statistics.median(o / b for o, b in zip(ours, base, strict=True))


def test_load_against_json_loads(benchmark: Any) -> None:
    versions = size(100_000, 2_000)
    rounds = 5 if full_run() else 1
    text = generate_export(versions)
    inventory = benchmark.pedantic(loads_arm, args=(text,), rounds=1, iterations=1)
    assert len(inventory) == versions
    baseline, ours, strict, ours_strict = _paired(
        rounds,
        lambda: json.loads(text),
        lambda: loads_arm(text),
        lambda: _without_gc(lambda: json.loads(text)),
        lambda: _without_gc(lambda: loads_arm(text)),
    )
    tracemalloc.start()
    loads_arm(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"\nload_arm: {versions:,} versions x {len(REGIONS)} regions,"
        f" {len(text) / 1e6:.1f} MB of JSON"
        f"\n  json.loads median {statistics.median(baseline):.3f} s, load_arm median"
        f" {statistics.median(ours):.3f} s -> ratio {_ratio(ours, baseline):.2f}x (target <= 1.5x)"
        f"\n  both with the garbage collector paused: json.loads {statistics.median(strict):.3f} s,"
        f" load_arm {statistics.median(ours_strict):.3f} s"
        f" -> ratio {_ratio(ours_strict, strict):.2f}x (target <= 3x)"
        f"\n  peak traced memory of one load_arm: {peak / 2**20:.0f} MiB"
    )


def _sdk_read(text: str) -> int:
    """What a resolver reads of each version through the Azure SDK's models: the text parsed,
    each version a ``GalleryImageVersion``, its regions, flags and dates read."""
    from azure.mgmt.compute.models import GalleryImageVersion

    seen = 0
    for item in json.loads(text):
        if not item["type"].endswith("/versions"):
            continue
        version = GalleryImageVersion(item)
        properties = version.properties
        assert properties is not None
        profile = properties.publishing_profile
        assert profile is not None
        for region in profile.target_regions or ():
            seen += bool(region.name) + bool(region.regional_replica_count)
            seen += bool(region.exclude_from_latest) + bool(region.storage_account_type)
        seen += bool(profile.exclude_from_latest) + bool(profile.published_date)
        seen += bool(profile.end_of_life_date) + bool(version.location) + bool(version.name)
    return seen


def test_load_against_the_azure_sdk_models(benchmark: Any) -> None:
    pytest.importorskip("azure.mgmt.compute")
    versions = size(100_000, 2_000)
    rounds = 3 if full_run() else 1
    text = generate_export(versions)
    benchmark.pedantic(_sdk_read, args=(text,), rounds=1, iterations=1)
    ours, sdk = _paired(rounds, lambda: loads_arm(text), lambda: _sdk_read(text))
    print(
        f"\nthe Azure SDK's models (azure-mgmt-compute) reading the resolver's fields of"
        f" {versions:,} versions: median {statistics.median(sdk):.3f} s, load_arm"
        f" {statistics.median(ours):.3f} s -> load_arm is {1 / _ratio(ours, sdk):.1f}x faster"
        " (target >= 15x)"
    )


def test_to_arm_and_dumps_against_dumps(benchmark: Any) -> None:
    versions = size(100_000, 2_000)
    rounds = 5 if full_run() else 1
    inventory = loads_arm(generate_export(versions))
    written = inventory.to_arm()
    assert loads_arm(json.dumps(written)) == inventory
    benchmark.pedantic(inventory.to_arm, rounds=1, iterations=1)
    ours, base = _paired(
        rounds, lambda: json.dumps(inventory.to_arm()), lambda: json.dumps(written)
    )
    print(
        f"\nto_arm() + json.dumps of {versions:,} versions: median {statistics.median(ours):.3f} s,"
        f" json.dumps of the same list {statistics.median(base):.3f} s"
        f" -> ratio {_ratio(ours, base):.2f}x (target <= 2x)"
    )


def test_az_output_against_arm(benchmark: Any) -> None:
    versions = size(100_000, 2_000)
    rounds = 3 if full_run() else 1
    arm_text = generate_export(versions)
    az_text = json.dumps(load_arm(json.loads(arm_text)).to_arm(shape="az"))
    inventory = benchmark.pedantic(loads_arm, args=(az_text,), rounds=1, iterations=1)
    assert inventory == loads_arm(arm_text)
    arm: list[float] = []
    az: list[float] = []
    for _ in range(rounds):  # alternating, so that both see the same machine
        arm.append(_median_seconds(lambda: loads_arm(arm_text), 1))
        az.append(_median_seconds(lambda: loads_arm(az_text), 1))
    ratio = statistics.median(b / a for a, b in zip(arm, az, strict=True))
    print(
        f"\nload_arm of az output: {versions:,} versions, {len(az_text) / 1e6:.1f} MB of JSON"
        f"\n  ARM shape median {statistics.median(arm):.3f} s,"
        f" az shape median {statistics.median(az):.3f} s"
        f" -> ratio {ratio:.2f}x (median of paired rounds; target <= 1.2x)"
    )
