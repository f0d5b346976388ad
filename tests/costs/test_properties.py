"""Property tests of the cost estimate against an independent oracle, and its invariants."""

from __future__ import annotations

import decimal
from collections import Counter
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from imagegallery import (
    ImageVersion,
    TargetRegion,
)
from imagegallery.costs import CostReport, PriceSheet, SizeSource, estimate_cost
from imagegallery.errors import ImageGalleryError, InvalidFieldError
from imagegallery.ids import ResourceId
from imagegallery.strategies import inventories
from tests.costs import _oracle as oracle
from tests.costs._strategies import shared_layouts, version_lists, versions

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


def _line_by_line(amounts: list[Decimal]) -> Decimal:
    """A plain sum in order, from zero, without rounding."""
    with decimal.localcontext() as context:
        context.prec = 200
        return sum(amounts, Decimal(0))


def _warning_counts(report: CostReport) -> Counter[str]:
    """What each warning counts, by its text without the number."""
    counts: Counter[str] = Counter()
    for text in report.warnings:
        number, _, rest = text.partition(" ")
        if number.isdigit():
            counts[rest] += int(number)
    return counts


@settings(max_examples=150, deadline=None)
@given(
    shared_layouts(),
    st.sampled_from(["used", "provisioned"]),
    st.sampled_from(["GiB", "GB"]),
)
def test_shared_layouts_are_priced_as_each_version_alone(
    items: list[ImageVersion], basis: str, unit: str
) -> None:
    """Rows computed once per layout and size are, digit for digit, the rows of each version
    priced alone (where nothing is shared); the totals are the line-by-line sums, exponent
    included, and the warnings count what the versions' own warnings count."""
    whole = estimate_cost(items, size_basis=basis, unit=unit)  # type: ignore[arg-type]
    alone = [estimate_cost(v, size_basis=basis, unit=unit) for v in items]  # type: ignore[arg-type]
    rows = tuple((i, *row[1:]) for i, part in enumerate(alone) for row in part.table.rows)
    assert whole.table.rows == rows
    assert repr(tuple(whole.table.rows)) == repr(rows)
    assert repr(whole.monthly_storage) == repr(_line_by_line([row[5] for row in rows]))
    assert repr(whole.one_time_egress) == repr(_line_by_line([row[8] for row in rows]))
    assert _warning_counts(whole) == sum((_warning_counts(p) for p in alone), Counter())
    again = CostReport.from_lines(whole.lines, prices=DEFAULT, size_basis=basis, unit=unit)
    assert again.table == whole.table and whole.table == again.table
    for by in ("region", "storage_type", "version", "gallery"):
        assert repr(whole.totals(by)) == repr(again.totals(by))
    assert whole.estimated == again.estimated


_FOREIGN = (
    "/subscriptions/00000000-0000-0000-0000-00000000000f/resourceGroups/rg/providers"
    "/Microsoft.Compute/galleries/elsewhere/images/none/versions/9.9.9"
)
_SIZES = st.sampled_from([0, 3, 0.0, -0.0, 12.5, 2.5, 1e-12, Decimal("2.50"), Decimal("1e-10")])
_BAD_SIZES = st.sampled_from([-1.0, float("nan"), True, "4"])
_BAD_KEYS = st.sampled_from(["not an id", " /subscriptions/x", 7, None])


def _size_one_by_one(value: object) -> Decimal | None:
    """A used size as the documents state it: a finite number from 0 to 1,000,000 GB, taken
    to a billionth of a GB, half to even."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not exact.is_finite() or not 0 <= exact <= 1_000_000:
        return None
    exponent = exact.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -9:
        exact = exact.quantize(Decimal("1e-9"), rounding=decimal.ROUND_HALF_EVEN)
    return exact


def _given_one_by_one(used: dict[Any, Any]) -> dict[ResourceId, Decimal] | str:
    """The ``used_gb`` mapping read key by key, each key parsed on its own; the field of the
    first bad key or value instead, if there is one."""
    out: dict[ResourceId, Decimal] = {}
    for key, value in used.items():
        try:
            rid = ResourceId.parse(key)
        except ImageGalleryError:
            return f"used_gb[{key!s}]" if isinstance(key, str) else f"used_gb[{key!r}]"
        size = _size_one_by_one(value)
        if size is None:
            return f"used_gb[{key!s}]"
        out[rid] = size
    return out


@settings(max_examples=200, deadline=None)
@given(shared_layouts(), st.data())
def test_used_gb_resolved_in_bulk_as_key_by_key(
    items: list[ImageVersion], data: st.DataObject
) -> None:
    """``used_gb`` matched in bulk against the target's ids gives what reading it key by key
    gives (each key parsed alone, ids equal regardless of case, the last of equal keys wins):
    the same sizes, the same unused keys, the same first error; for any kind of target."""
    ids = [v.id for v in items]
    spellings: list[Any] = [_FOREIGN, _FOREIGN.upper()]
    for rid in ids:
        spellings += [str(rid), str(rid).upper(), rid]
    keys = st.sampled_from(spellings)
    if data.draw(st.integers(0, 9)) == 0:
        keys = keys | _BAD_KEYS
    sizes = _SIZES | _BAD_SIZES if data.draw(st.integers(0, 9)) == 0 else _SIZES
    whole = data.draw(st.booleans())
    if whole and ids:  # every version named, as measured sizes usually are
        used: dict[Any, Any] = {str(rid): data.draw(sizes) for rid in ids}
    else:
        used = dict(data.draw(st.lists(st.tuples(keys, sizes), max_size=8)))
    expected = _given_one_by_one(used)
    plain = estimate_cost(items)
    for target in (items, iter(items)):
        if isinstance(expected, str):
            with pytest.raises(InvalidFieldError) as info:
                estimate_cost(target, used_gb=used)
            assert info.value.field == expected
            continue
        report = estimate_cost(target, used_gb=used)
        table = report.table
        for i, rid in enumerate(table.version_ids):
            if rid in expected:
                assert repr(table.sizes[i]) == repr(expected[rid])
                assert table.size_sources[i] is SizeSource.GIVEN
            else:
                assert repr(table.sizes[i]) == repr(plain.table.sizes[i])
        unused = sorted(str(key) for key in expected if key not in set(ids))
        notes = [w for w in report.warnings if w.startswith("used_gb names")]
        assert notes == (
            [f"used_gb names {len(unused)} version(s) not in the target: {unused[:3]}"]
            if unused
            else []
        )
