"""Resolving "latest" on a large definition, against a naive resolver measured in the same run.

Full size (issue: "latest" done right): a definition with 10,000 versions (the per-subscription,
per-region quota), 5 target regions each, about 10% excluded from latest (version-level or
regional flags), 10% past end of life, 5% still replicating in one region. Queries with and
without a region; the naive baseline filters every version with the entity helpers and takes
``max(key=packaging.version.Version)``. Target: >= 200x faster per query. Index build for
100,000 versions: target < 1 s. Run it with::

    IMAGEGALLERY_BENCH_FULL=1 pytest benchmarks/test_resolve.py -s

The smoke run (CI) uses small sizes and checks that the fast and naive answers agree.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from packaging.version import Version

from benchmarks._sizes import full_run, size
from benchmarks.test_arm_load import generate_export
from imagegallery import (
    ImageDefinition,
    ImageIdentifier,
    ImageVersion,
    Inventory,
    PublishingProfile,
    RegionalReplicationStatus,
    ReplicationState,
    ReplicationStatus,
    ResourceId,
    StorageProfile,
    TargetRegion,
    loads_arm,
)
from imagegallery.resolve import Resolution, definition_regions, explain_latest, resolve_latest
from imagegallery.resolve._index import VersionIndex

REGIONS = ("westeurope", "northeurope", "eastus", "eastus2", "westus2")
AT = datetime(2025, 6, 1, tzinfo=UTC)
PAST = datetime(2025, 1, 1, tzinfo=UTC)
FUTURE = datetime(2030, 1, 1, tzinfo=UTC)
DEFINITION_ID = ResourceId.for_gallery("0000", "rg", "bench").child("images", "big")


def build_definition(count: int) -> ImageDefinition:
    """``count`` versions; immutable parts are shared between versions to keep setup quick.

    Version ``i`` is excluded from latest when ``i % 10 == 8`` (by the version-level flag on odd
    hundreds, else by a regional flag in ``eastus``), past end of life when ``i % 10 == 7``, and
    replicating in ``westus2`` when ``i % 20 == 19``; so the newest version is still replicating
    in ``westus2`` and the next two are excluded and past end of life.
    """
    plain = tuple(TargetRegion(name=r) for r in REGIONS)
    regional = tuple(
        TargetRegion(name=r, exclude_from_latest=True if r == "eastus" else None) for r in REGIONS
    )
    storage = StorageProfile()
    replicating = ReplicationStatus(
        summary=tuple(
            RegionalReplicationStatus(
                region=r,
                state=ReplicationState.REPLICATING
                if r == "westus2"
                else ReplicationState.COMPLETED,
            )
            for r in REGIONS
        )
    )
    profiles: dict[tuple[bool, bool, bool], PublishingProfile] = {}
    versions = []
    for i in range(count):
        excluded = i % 10 == 8
        version_flag = excluded and (i // 100) % 2 == 1
        key = (excluded, version_flag, i % 10 == 7)
        profile = profiles.get(key)
        if profile is None:
            profile = profiles[key] = PublishingProfile(
                target_regions=regional if excluded and not version_flag else plain,
                exclude_from_latest=version_flag,
                end_of_life_date=PAST if i % 10 == 7 else FUTURE,
            )
        name = f"{i // 10000}.{(i // 100) % 100}.{i % 100}"
        versions.append(
            ImageVersion(
                id=DEFINITION_ID.child("versions", name),
                location="westeurope",
                publishing_profile=profile,
                storage_profile=storage,
                replication_status=replicating if i % 20 == 19 else None,
            )
        )
    return ImageDefinition(
        id=DEFINITION_ID,
        location="westeurope",
        os_type="Linux",
        os_state="Generalized",
        identifier=ImageIdentifier(publisher="p", offer="o", sku="s"),
        versions=versions,
    )


def naive_latest(definition: ImageDefinition, region: str | None, at: datetime) -> ImageVersion:
    """Filter every version with the entity helpers, then take the maximum by PEP 440 order."""

    def eligible_in(v: ImageVersion, r: str) -> bool:
        state = v.replication_state_in(r)
        return (
            r in (v.region_names or (v.location,))
            and not v.excluded_from_latest_in(r)
            and (state is None or state is ReplicationState.COMPLETED)
        )

    candidates = [
        v
        for v in definition.versions.values()
        if (v.end_of_life_date is None or v.end_of_life_date > at)
        and (
            eligible_in(v, region)
            if region is not None
            else any(eligible_in(v, r) for r in (v.region_names or (v.location,)))
        )
    ]
    return max(candidates, key=lambda v: Version(str(v.name)))


def _median_per_call(func: Callable[[], object], calls: int, rounds: int) -> float:
    """Median over ``rounds`` of the mean time of ``calls`` calls, in seconds."""
    times = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        for _ in range(calls):
            func()
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times)


def _fmt(seconds: float) -> str:
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.2f} us"


def test_latest_against_naive(benchmark: Any) -> None:
    count = size(10_000, 1_000)
    definition = build_definition(count)
    queries: list[str | None] = [*REGIONS, None]
    for region in queries:
        fast = resolve_latest(definition, region=region, at=AT)
        assert fast is naive_latest(definition, region, at=AT), region
    top = [str(v.name) for v in reversed(list(definition.versions.values()))][:4]
    answers = {r: str(resolve_latest(definition, region=r, at=AT).name) for r in REGIONS}
    assert answers["westeurope"] == top[0]
    assert answers["westus2"] == top[3]

    benchmark(resolve_latest, definition, region="eastus", at=AT)

    rounds = 7 if full_run() else 3
    lines = [f"\nresolve_latest: {count:,} versions x {len(REGIONS)} regions"]
    ratios = []
    for region in queries:
        ours = _median_per_call(
            partial(resolve_latest, definition, region=region, at=AT), 2_000, rounds
        )
        naive = _median_per_call(partial(naive_latest, definition, region, AT), 1, rounds)
        ratios.append(naive / ours)
        lines.append(
            f"  region {region or '(any)':<12} median {_fmt(ours)} per query,"
            f" naive {_fmt(naive)} -> {naive / ours:,.0f}x faster (target >= 200x)"
        )
    middle = count // 2
    spec = f"<{middle // 10000}.{(middle // 100) % 100}.{middle % 100}"
    found = resolve_latest(definition, region="eastus", at=AT, spec=spec)
    assert found.name < definition.versions[spec[1:]].name
    spec_ours = _median_per_call(
        lambda: resolve_latest(definition, region="eastus", at=AT, spec=spec), 20, rounds
    )
    lines.append(
        f"  region eastus with spec {spec!r} (checks the ~{count - middle:,} versions above"
        f" the bound): median {_fmt(spec_ours)} per query"
    )
    lines.append(f"  smallest ratio {min(ratios):,.0f}x")
    print("\n".join(lines))


def test_index_build(benchmark: Any) -> None:
    count = size(100_000, 2_000)
    definition = build_definition(count)
    index = benchmark.pedantic(VersionIndex, args=(definition,), rounds=1, iterations=1)
    assert len(index.versions) == count
    assert index.versions[0].name > index.versions[-1].name
    rounds = 5 if full_run() else 1
    build = _median_per_call(lambda: VersionIndex(definition), 1, rounds)
    tracemalloc.start()
    kept = VersionIndex(definition)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    naive = _median_per_call(partial(naive_latest, definition, "eastus", AT), 1, rounds)
    print(
        f"\nindex build: {count:,} versions x {len(REGIONS)} regions,"
        f" median {build:.3f} s (target < 1 s), peak traced memory {peak / 2**20:.1f} MiB"
        f"\n  one naive query on the same definition: median {naive:.3f} s"
        f" -> the build costs {build / naive:.1f} naive queries"
    )


def test_explain_every_pair_against_loading(benchmark: Any) -> None:
    """``explain_latest`` for every (definition, region) of a loaded export, against
    ``loads_arm`` of the same export (target: <= 0.1x). Each round explains a freshly loaded
    inventory, so the per-definition tables are built inside the timed part; the collector runs
    as usual (a full collection is forced before each timed part, as for the baseline).
    """
    versions = size(100_000, 2_000)
    rounds = 3 if full_run() else 1
    text = generate_export(versions, definitions=max(1, versions // 500))
    at = datetime(2025, 6, 1, tzinfo=UTC)

    def explain_all(inventory: Inventory) -> list[Resolution]:
        return [
            explain_latest(definition, region=region, at=at)
            for definition in inventory.definitions()
            for region in definition_regions(definition)
        ]

    loads: list[float] = []
    explains: list[float] = []
    pairs = 0
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        inventory = loads_arm(text)
        loads.append(time.perf_counter() - start)
        gc.collect()
        start = time.perf_counter()
        answers = explain_all(inventory)
        explains.append(time.perf_counter() - start)
        pairs = len(answers)
        del answers, inventory
    inventory = loads_arm(text)
    answers = benchmark.pedantic(explain_all, args=(inventory,), rounds=1, iterations=1)
    assert len(answers) == pairs
    assert all(a.chosen is not None for a in answers)
    load = statistics.median(loads)
    ours = statistics.median(explains)
    print(
        f"\nexplain_latest for all {pairs:,} (definition, region) pairs of {versions:,} versions:"
        f" median {ours:.3f} s ({ours / pairs * 1e3:.2f} ms a pair); loads_arm median"
        f" {load:.3f} s -> {ours / load:.3f}x (target: <= 0.1x)"
    )
