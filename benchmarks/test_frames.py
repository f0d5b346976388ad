"""Tables of large results: typed data frames and records, against baselines in the same run.

Targets (issue: notebook analysis), at full size:

* ``Inventory.to_dataframe()`` of 100,000 versions (3 target regions each, so 300,000 rows)
  takes at most the time ``loads_arm`` takes to read them (ratio <= 1);
* ``CostReport.to_dataframe()`` of 300,000 lines takes at most 0.5 s. The baselines are what an
  analyst wrote before: ``pandas.DataFrame(report.to_records())`` with the amounts cast to float,
  and records built line by line from the ``CostLine`` views.

Run the full size with::

    IMAGEGALLERY_BENCH_FULL=1 pytest benchmarks/test_frames.py -s

The smoke run (CI) uses 2,000 versions and checks that the frames hold the records' values.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any

import pandas as pd

from benchmarks._sizes import full_run, size
from benchmarks.test_arm_load import generate_export
from benchmarks.test_costs import generate_inventory
from imagegallery import loads_arm
from imagegallery.costs import CostLine, CostReport, SizeSource, estimate_cost

AMOUNTS = ("size_gb", "unit_price", "monthly", "egress_gb", "egress_unit_price", "egress")


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


def _line_record(line: CostLine, currency: str) -> dict[str, Any]:
    """One record from one line view, as records were built before (the baseline)."""
    rid = line.version_id
    return {
        "subscription_id": line.subscription_id,
        "resource_group": rid.resource_group,
        "gallery": rid.gallery,
        "definition": rid.image,
        "version": rid.version,
        "version_id": str(rid),
        "region": line.region,
        "source_region": line.source_region,
        "storage_type": line.storage_type,
        "replicas": line.replicas,
        "size_gb": line.size_gb,
        "size_source": line.size_source.value,
        "unit_price": line.unit_price,
        "monthly": line.monthly,
        "egress_gb": line.egress_gb,
        "egress_unit_price": line.egress_unit_price,
        "egress": line.egress,
        "currency": currency,
        "storage_type_assumed": line.storage_type_assumed,
        "price_estimated": line.price_estimated,
        "size_estimated": line.size_source is SizeSource.UPPER_BOUND,
        "storage_verified": line.storage_verified,
        "egress_verified": line.egress_verified,
        "shallow": line.shallow,
        "kind": line.kind.value,
    }


def _baseline_records(report: CostReport) -> list[dict[str, Any]]:
    fresh = CostReport.from_lines(report.lines, prices=report.prices)  # no cached line views
    return [_line_record(line, fresh.currency) for line in fresh.lines]


def _baseline_frame(report: CostReport) -> pd.DataFrame:
    frame = pd.DataFrame(report.to_records())
    return frame.astype(dict.fromkeys(AMOUNTS, "float64"))


def test_inventory_frame_against_loading(benchmark: Any) -> None:
    versions = size(100_000, 2_000)
    rounds = 5 if full_run() else 1
    text = generate_export(versions)
    inventory = loads_arm(text)
    frame = benchmark.pedantic(inventory.to_dataframe, rounds=1, iterations=1)
    assert len(frame) == 3 * versions
    if not full_run():
        records = inventory.to_records()
        assert frame["replicas"].tolist() == [r["replicas"] for r in records]
        assert frame["region"].astype(str).tolist() == [r["region"] for r in records]
    load = _median_seconds(lambda: loads_arm(text), rounds)
    ours = _median_seconds(inventory.to_dataframe, rounds)
    load_cpu = _median_cpu_seconds(lambda: loads_arm(text), rounds)
    ours_cpu = _median_cpu_seconds(inventory.to_dataframe, rounds)
    per_version = _median_seconds(lambda: inventory.to_dataframe("versions"), rounds)
    as_records = _median_seconds(inventory.to_records, rounds)
    print(
        f"\nInventory.to_dataframe: {versions:,} versions, {len(frame):,} rows"
        f"\n  loads_arm median {load:.3f} s, to_dataframe median {ours:.3f} s"
        f" -> ratio {ours / load:.2f}x (target <= 1x)"
        f"\n  in CPU time: loads_arm {load_cpu:.3f} s, to_dataframe {ours_cpu:.3f} s"
        f" -> ratio {ours_cpu / load_cpu:.2f}x"
        f"\n  to_dataframe('versions') median {per_version:.3f} s,"
        f" to_records median {as_records:.3f} s"
    )


def test_cost_frame_against_the_records_route(benchmark: Any) -> None:
    versions = size(100_000, 2_000)
    rounds = 5 if full_run() else 1
    report = estimate_cost(generate_inventory(versions))
    lines = len(report.table.rows)
    frame = benchmark.pedantic(report.to_dataframe, rounds=1, iterations=1)
    assert len(frame) == lines == 3 * versions
    baseline_frame = _baseline_frame(report)
    assert frame["monthly"].tolist() == baseline_frame["monthly"].tolist()
    assert frame["region"].astype(str).tolist() == baseline_frame["region"].tolist()
    if not full_run():
        assert report.to_records() == _baseline_records(report)
    ours = _median_seconds(report.to_dataframe, rounds)
    ours_cpu = _median_cpu_seconds(report.to_dataframe, rounds)
    exact = _median_seconds(lambda: report.to_dataframe(exact=True), rounds)
    via_records = _median_seconds(lambda: _baseline_frame(report), rounds)
    records = _median_seconds(report.to_records, rounds)
    old_records = _median_seconds(lambda: _baseline_records(report), max(1, rounds // 2))
    print(
        f"\nCostReport.to_dataframe: {lines:,} lines"
        f"\n  to_dataframe median {ours:.3f} s (target <= 0.5 s at 300,000 lines),"
        f" in CPU time {ours_cpu:.3f} s; exact=True median {exact:.3f} s"
        f"\n  pandas.DataFrame(to_records()) with float amounts: median {via_records:.3f} s"
        f" -> {via_records / ours:.1f}x slower"
        f"\n  to_records median {records:.3f} s; line by line from CostLine views: median"
        f" {old_records:.3f} s -> {old_records / records:.1f}x faster"
    )
