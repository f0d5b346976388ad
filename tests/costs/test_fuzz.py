"""Fuzzing the costs entry points: Retail Prices pages mutated from real captures, hostile
arguments to the price sheet and to ``estimate_cost``, and inventories loaded from mutated ARM.

The property is the same everywhere: a result, or an ``ImageGalleryError`` with a short message;
and a result never holds a non-finite, negative or out-of-range amount. Bounded in CI; the long
campaign runs with ``IMAGEGALLERY_FUZZ=1`` (see ``tests/_fuzz.py``).
"""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from hypothesis import given, reject
from hypothesis import strategies as st

from imagegallery import Inventory, load_arm, sample_inventory
from imagegallery.costs import (
    MAX_PRICE,
    CostReport,
    PriceSheet,
    RetailPrices,
    estimate_cost,
    read_retail_prices,
)
from imagegallery.strategies import inventories
from tests._fuzz import HOSTILE, budget, mutated, mutated_text, outcome

PRICING = Path(__file__).parents[1] / "data" / "pricing"
DEFAULT = PriceSheet.default()


def _seeds() -> list[Any]:
    seeds: list[Any] = [
        json.loads((PRICING / name).read_text("utf-8"))
        for name in ("retail-prices-recorded.json", "retail-prices-gallery-recorded.json")
    ]
    for path in sorted(PRICING.glob("regions/*/storage.json.gz")):
        page = json.loads(gzip.decompress(path.read_bytes()))
        # The gallery meters and a few others, so that mutations hit the rows that matter.
        items = page["Items"]
        gallery = [i for i in items if "Snapshots" in str(i.get("meterName"))]
        page["Items"] = gallery[:12] + items[:8]
        page["Count"] = len(page["Items"])
        seeds.append(page)
    return seeds


SEEDS = _seeds()


def _check_prices(prices: Any) -> None:
    for price in [*prices.snapshot_prices.values(), *prices.region_egress_prices.values()]:
        assert price.amount.is_finite()
        assert 0 <= price.amount <= MAX_PRICE


def _check_report(report: CostReport) -> None:
    assert report.monthly_storage.is_finite() and report.monthly_storage >= 0
    assert report.one_time_egress.is_finite() and report.one_time_egress >= 0


@budget()
@given(st.sampled_from(SEEDS).flatmap(mutated))
def test_fuzz_retail_pages(pages: Any) -> None:
    read = outcome(lambda: read_retail_prices(pages))
    sheet = outcome(lambda: PriceSheet.from_retail_prices(pages))
    if isinstance(read, RetailPrices):
        _check_prices(read)
    if isinstance(sheet, PriceSheet):
        _check_prices(sheet)
        report = outcome(lambda: estimate_cost(sample_inventory(), sheet.with_fallback()))
        assert isinstance(report, CostReport)
        _check_report(report)


@budget()
@given(st.sampled_from(SEEDS).flatmap(mutated_text))
def test_fuzz_retail_text(text: str | bytes) -> None:
    sheet = outcome(lambda: PriceSheet.from_retail_prices(text))
    if isinstance(sheet, PriceSheet):
        _check_prices(sheet)


_REGIONS = st.sampled_from(["westeurope", "East US", "mars"]) | HOSTILE
_TYPES = st.sampled_from(["Standard_LRS", "premium_lrs", "PremiumV2_LRS"]) | HOSTILE
_AMOUNTS = st.decimals(0, 10, places=4) | HOSTILE
_SHEET_CALLS = st.one_of(
    st.tuples(st.just("snapshot_price"), st.tuples(_REGIONS, _TYPES)),
    st.tuples(st.just("snapshot_per_gb_month"), st.tuples(_REGIONS, _TYPES)),
    st.tuples(st.just("egress_price"), st.tuples(_REGIONS, _REGIONS)),
    st.tuples(st.just("egress_per_gb"), st.tuples(_REGIONS, _REGIONS)),
    st.tuples(st.just("continent_of"), st.tuples(_REGIONS)),
    st.tuples(st.just("with_fallback"), st.tuples(st.booleans() | HOSTILE)),
    st.tuples(st.just("with_snapshot_price"), st.tuples(_REGIONS, _TYPES, _AMOUNTS)),
    st.tuples(
        st.just("with_egress_price"),
        st.tuples(_REGIONS, st.sampled_from(["intra", "inter"]) | HOSTILE, _AMOUNTS),
    ),
)


@budget()
@given(st.booleans(), st.lists(_SHEET_CALLS, min_size=1, max_size=3))
def test_fuzz_price_sheet_methods(fallback: bool, calls: list[tuple[str, tuple[Any, ...]]]) -> None:
    sheet: Any = DEFAULT.with_fallback(fallback)
    for name, args in calls:
        result: Any = outcome(partial(getattr(sheet, name), *args))
        if isinstance(result, PriceSheet):
            _check_prices(result)
            sheet = result
        elif isinstance(result, Decimal):
            assert result.is_finite() and 0 <= result <= MAX_PRICE


@budget(examples=25, long_examples=2_000)
@given(
    inventories(max_galleries=2, max_definitions=2, max_versions=3),
    st.data(),
)
def test_fuzz_estimate_cost_arguments(inventory: Inventory, data: st.DataObject) -> None:
    ids = [str(v.id) for v in inventory.versions()] or ["/subscriptions/x"]
    used: Any = data.draw(
        st.none()
        | HOSTILE
        | st.dictionaries(
            st.sampled_from(ids) | st.text(max_size=20) | st.integers() | st.none(),
            HOSTILE | st.floats(0, 4096),
            max_size=3,
        )
    )
    basis: Any = data.draw(st.sampled_from(["used", "provisioned"]) | HOSTILE)
    unit: Any = data.draw(st.sampled_from(["GiB", "GB"]) | HOSTILE)
    prices: Any = data.draw(st.sampled_from([None, DEFAULT, DEFAULT.with_fallback()]) | HOSTILE)
    target: Any = data.draw(
        st.sampled_from([inventory, list(inventory.versions()), *inventory.galleries()]) | HOSTILE
    )
    report = outcome(
        lambda: estimate_cost(target, prices, size_basis=basis, used_gb=used, unit=unit)
    )
    if isinstance(report, CostReport):
        _check_report(report)
        outcome(lambda: report.totals(data.draw(st.sampled_from(["region", "gallery"]) | HOSTILE)))


_ARM = sample_inventory().to_arm()


@budget()
@given(mutated(_ARM, max_mutations=3))
def test_fuzz_estimate_cost_on_loaded_inventories(resources: Any) -> None:
    # Loading is not what this test is about (its own fuzz suite covers it): whatever loads is
    # priced.
    try:
        inventory = load_arm(resources)
    except Exception:
        reject()
    report = outcome(lambda: estimate_cost(inventory, DEFAULT.with_fallback()))
    if isinstance(report, CostReport):
        _check_report(report)
