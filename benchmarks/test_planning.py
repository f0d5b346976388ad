"""What-if of the built-in policies on a loaded export, against ``loads_arm`` of the same export.

Full size: 100,000 image versions x 3 target regions (the export of
``benchmarks/test_arm_load.py``, 20 definitions), one version in ten past its end of life. Each
policy's ``what_if`` is timed on a freshly loaded inventory (so the per-definition indexes and
tables are built inside the timed part), right after that load is timed; the ratio of each
round is ``what_if / loads_arm``, and the medians are printed. Target: each policy <= 0.2x.
Run it with::

    IMAGEGALLERY_BENCH_FULL=1 pytest benchmarks/test_planning.py -s

The smoke run (CI) uses 2,000 versions and checks the results against a plain re-costing.
"""

from __future__ import annotations

import gc
import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from benchmarks._sizes import full_run, size
from benchmarks.test_arm_load import generate_export
from imagegallery import Inventory, loads_arm
from imagegallery.costs import estimate_cost
from imagegallery.planning import (
    DeleteEndOfLife,
    KeepLatest,
    ReplicateLatest,
    WhatIf,
    what_if,
)

AT = datetime(2025, 6, 1, tzinfo=UTC)
PAST = "2025-01-01T00:00:00+00:00"

Case = Callable[[Inventory], WhatIf]
CASES: tuple[tuple[str, Case], ...] = (
    ("KeepLatest(3)", lambda inv: what_if(inv, KeepLatest(3), at=AT)),
    ("DeleteEndOfLife()", lambda inv: what_if(inv, DeleteEndOfLife(), at=AT)),
    (
        "ReplicateLatest(keep=3) (blocked by safety)",
        lambda inv: what_if(inv, ReplicateLatest(keep=3), at=AT),
    ),
    (
        "ReplicateLatest(keep=3), respect_safety=False",
        lambda inv: what_if(inv, ReplicateLatest(keep=3), at=AT, respect_safety=False),
    ),
)


def export_with_end_of_life(versions: int) -> str:
    """The load benchmark's export, with one version in ten past its end of life at :data:`AT`."""
    resources = json.loads(generate_export(versions))
    count = 0
    for resource in resources:
        if resource["type"].endswith("/versions"):
            if count % 10 == 3:
                resource["properties"]["publishingProfile"]["endOfLifeDate"] = PAST
            count += 1
    return json.dumps(resources)


def test_what_if_against_loading(benchmark: Any) -> None:
    versions = size(100_000, 2_000)
    rounds = 3 if full_run() else 1
    text = export_with_end_of_life(versions)

    inventory = loads_arm(text)
    benchmark.pedantic(CASES[0][1], args=(inventory,), rounds=1, iterations=1)
    for _label, case in CASES:  # the results, against a plain re-costing of both states
        result = case(inventory)
        assert result.before == estimate_cost(inventory)
        assert result.after == estimate_cost(result.result)
        assert result.monthly_saving == (
            estimate_cost(inventory).monthly_storage - estimate_cost(result.result).monthly_storage
        )
    del inventory, result

    lines = [
        f"\nwhat_if: {versions:,} versions x 3 regions, {len(text) / 1e6:.1f} MB of JSON;"
        f" each policy on a fresh load, against that load; median of {rounds}; target <= 0.2x"
    ]
    for label, case in CASES:
        ours: list[float] = []
        loads: list[float] = []
        ratios: list[float] = []
        reads: list[float] = []
        for _ in range(rounds):
            gc.collect()
            start = time.perf_counter()
            fresh = loads_arm(text)
            load = time.perf_counter() - start
            gc.collect()
            start = time.perf_counter()
            answer = case(fresh)
            took = time.perf_counter() - start
            start = time.perf_counter()
            assert answer.changes is answer.changes  # built on first read, then kept
            read = time.perf_counter() - start
            loads.append(load)
            ours.append(took)
            ratios.append(took / load)
            reads.append((took + read) / load)
            del fresh, answer
        lines.append(
            f"  {label:<47} median {statistics.median(ours):6.3f} s"
            f"  (loads_arm {statistics.median(loads):6.3f} s)  {statistics.median(ratios):5.3f}x"
            f"  ({statistics.median(reads):5.3f}x with every change read)"
        )
    print("\n".join(lines))
