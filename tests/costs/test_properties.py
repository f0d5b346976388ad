"""Property tests of the cost estimate against an independent oracle, and its invariants."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from imagegallery import (
    ImageVersion,
    TargetRegion,
)
from imagegallery.costs import CostReport, PriceSheet, estimate_cost
from imagegallery.strategies import inventories
from tests.costs import _oracle as oracle
from tests.costs._strategies import version_lists, versions

DEFAULT = PriceSheet.default()


@settings(max_examples=200)
@given(
    version_lists(),
    st.sampled_from(["used", "provisioned"]),
    st.sampled_from(["GiB", "GB"]),
)
def test_estimate_matches_the_oracle(items: list[ImageVersion], basis: str, unit: str) -> None:
    report = estimate_cost(items, size_basis=basis, unit=unit)  # type: ignore[arg-type]
    assert (report.monthly_storage, report.one_time_egress) == oracle.cost(
        items, DEFAULT, basis=basis, unit=unit
    )
    assert sum((x.monthly for x in report.lines), Decimal(0)) == report.monthly_storage


@settings(max_examples=50, deadline=None)
@given(inventories(max_galleries=2, max_definitions=2, max_versions=3))
def test_estimate_matches_the_oracle_on_drawn_inventories(inventory: Any) -> None:
    prices = DEFAULT.with_fallback()
    report = estimate_cost(inventory, prices)
    assert (report.monthly_storage, report.one_time_egress) == oracle.cost(
        inventory.versions(), prices
    )


@given(version_lists())
def test_cost_is_additive_over_versions(items: list[ImageVersion]) -> None:
    whole = estimate_cost(items)
    parts = [estimate_cost(v) for v in items]
    assert whole.monthly_storage == sum((p.monthly_storage for p in parts), Decimal(0))
    assert whole.one_time_egress == sum((p.one_time_egress for p in parts), Decimal(0))
    assert whole.lines == tuple(line for p in parts for line in p.lines)


@given(version_lists())
def test_cost_is_additive_over_regions(items: list[ImageVersion]) -> None:
    whole = estimate_cost(items)
    by_region = whole.by_region()
    assert whole.monthly_storage == sum((t.monthly_storage for t in by_region.values()), Decimal(0))
    assert whole.one_time_egress == sum((t.one_time_egress for t in by_region.values()), Decimal(0))
    for region, total in by_region.items():
        alone = CostReport.from_lines(
            [x for x in whole.lines if x.region == region], prices=DEFAULT
        )
        assert (alone.monthly_storage, alone.one_time_egress) == (
            total.monthly_storage,
            total.one_time_egress,
        )


@given(versions(), st.integers(0, 3), st.integers(1, 5), st.data())
def test_cost_is_monotone_in_replicas(
    version: ImageVersion, index: int, more: int, data: st.DataObject
) -> None:
    targets = list(version.target_regions)
    assume(targets)
    target = targets[index % len(targets)]
    count = version.replicas_in(target.name)
    targets[index % len(targets)] = attrs.evolve(target, regional_replica_count=count + more)
    bigger = attrs.evolve(
        version, publishing_profile=attrs.evolve(version.publishing_profile, target_regions=targets)
    )
    before, after = estimate_cost(version), estimate_cost(bigger)
    assert after.monthly_storage >= before.monthly_storage
    assert after.one_time_egress == before.one_time_egress
    if not before.lines[0].shallow and before.lines[0].size_gb > 0:
        assert after.monthly_storage > before.monthly_storage


@given(versions(), st.decimals(0, 5000, places=3), st.decimals(0, 5000, places=3))
def test_cost_is_monotone_in_size(version: ImageVersion, a: Decimal, c: Decimal) -> None:
    small, large = sorted((a, c))
    key = str(version.id)
    low = estimate_cost(version, used_gb={key: small})
    high = estimate_cost(version, used_gb={key: large})
    assert high.monthly_storage >= low.monthly_storage
    assert high.one_time_egress >= low.one_time_egress


@given(versions())
def test_zero_egress_when_every_target_is_the_source(version: ImageVersion) -> None:
    source = version.location
    only = [t for t in version.target_regions if t.name == source] or [TargetRegion(name=source)]
    local = attrs.evolve(
        version, publishing_profile=attrs.evolve(version.publishing_profile, target_regions=only)
    )
    report = estimate_cost(local)
    assert report.one_time_egress == 0
    assert all(line.egress_gb == 0 for line in report.lines)


@given(version_lists())
def test_records_and_from_lines_round_trip(items: list[ImageVersion]) -> None:
    report = estimate_cost(items)
    again = CostReport.from_lines(report.lines, prices=DEFAULT)
    assert again.lines == report.lines
    assert (again.monthly_storage, again.one_time_egress) == (
        report.monthly_storage,
        report.one_time_egress,
    )
    records = report.to_records()
    assert [r["monthly"] for r in records] == [x.monthly for x in report.lines]
    assert {r["version_id"] for r in records} == {str(x.version_id) for x in report.lines}
