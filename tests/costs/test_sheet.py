"""The price sheet: the embedded table, look-ups, fallback, adjustments, provenance."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from imagegallery import InvalidRegionError, StorageAccountType
from imagegallery.costs import Continent, Price, PriceOrigin, PriceSheet
from imagegallery.costs.sheet import _read_data, _sheet_from_data
from imagegallery.errors import (
    InvalidFieldError,
    InvalidPriceDataError,
    InvalidTypeError,
    PriceNotFoundError,
)

# The reference's recommended default table (pricing.md section 6), typed in independently.
REFERENCE_SNAPSHOT = {
    "eastus": ("0.05", "0.05", "0.132"),
    "eastus2": ("0.05", "0.05", "0.12"),
    "westus2": ("0.05", "0.05", "0.12"),
    "centralus": ("0.05", "0.05", "0.132"),
    "canadacentral": ("0.055", "0.055", "0.132"),
    "mexicocentral": ("0.055", "0.055", "0.1452"),
    "westeurope": ("0.05", "0.05", "0.145"),
    "northeurope": ("0.05", "0.05", "0.132"),
    "uksouth": ("0.053", "0.053", "0.16"),
    "swedencentral": ("0.05", "0.05", "0.145"),
    "southeastasia": ("0.05", "0.05", "0.132"),
    "japaneast": ("0.05", "0.05", "0.152"),
    "centralindia": ("0.05", "0.05", "0.132"),
    "australiaeast": ("0.055", "0.055", "0.132"),
    "brazilsouth": ("0.068", "0.068", "0.228"),
}
TYPES = ("Standard_LRS", "Standard_ZRS", "Premium_LRS")
# (source continent) -> (same continent, other continent)
REFERENCE_EGRESS = {
    "north_america": ("0.02", "0.05"),
    "europe": ("0.02", "0.05"),
    "asia": ("0.08", "0.08"),
    "oceania": ("0.08", "0.08"),
    "middle_east_africa": ("0.08", "0.08"),
    "south_america": ("0.16", "0.16"),
}
# One region per continent, to exercise the whole egress matrix.
REPRESENTATIVE = {
    "north_america": "eastus",
    "europe": "westeurope",
    "asia": "japaneast",
    "oceania": "australiaeast",
    "middle_east_africa": "uaenorth",
    "south_america": "brazilsouth",
}
SECOND = {
    "north_america": "westus2",
    "europe": "uksouth",
    "asia": "southeastasia",
    "oceania": "australiasoutheast",
    "middle_east_africa": "southafricanorth",
    "south_america": "brazilsoutheast",
}


@pytest.fixture(scope="module")
def prices() -> PriceSheet:
    return PriceSheet.default()


def test_default_sheet_is_dated_in_usd_and_cached(prices: PriceSheet) -> None:
    assert prices.currency == "USD"
    assert prices.as_of == date(2026, 7, 14)
    assert PriceSheet.default() is prices
    assert prices.allow_fallback is False
    assert prices.regions == tuple(sorted(REFERENCE_SNAPSHOT))


@pytest.mark.parametrize("region", sorted(REFERENCE_SNAPSHOT))
def test_default_snapshot_prices_match_the_reference_table(prices: PriceSheet, region: str) -> None:
    for kind, expected in zip(TYPES, REFERENCE_SNAPSHOT[region], strict=True):
        price = prices.snapshot_price(region, kind)
        assert price.amount == Decimal(expected)
        assert str(price.amount) == expected  # exact decimal text, no float noise
        assert price.origin is PriceOrigin.DEFAULT
        assert price.unit == "1 GB/Month"
        assert price.as_of == "2026-07-14"
        assert price.source  # every number has a source


def test_only_east_us_snapshot_prices_are_marked_unverified(prices: PriceSheet) -> None:
    unverified = {r for (r, _), p in prices.snapshot_prices.items() if not p.verified}
    assert unverified == {"eastus"}
    assert "84663" in prices.snapshot_price("eastus", "Standard_LRS").source


@pytest.mark.parametrize("source", sorted(REFERENCE_EGRESS))
@pytest.mark.parametrize("destination", sorted(REFERENCE_EGRESS))
def test_egress_matrix_follows_the_continent_table(
    prices: PriceSheet, source: str, destination: str
) -> None:
    same, other = REFERENCE_EGRESS[source]
    expected = same if source == destination else other
    dst_region = SECOND[destination] if source == destination else REPRESENTATIVE[destination]
    price = prices.egress_price(REPRESENTATIVE[source], dst_region)
    assert price.amount == Decimal(expected)
    assert price.verified is False  # the flag stays visible
    assert price.unit == "1 GB"
    assert "UNVERIFIED" in price.source
    assert prices.egress_per_gb(REPRESENTATIVE[source], dst_region) == Decimal(expected)


def test_egress_within_a_region_is_free_and_not_an_estimate(prices: PriceSheet) -> None:
    price = prices.with_fallback().egress_price("West Europe", "westeurope")
    assert price.amount == 0
    assert price.origin is PriceOrigin.RULE
    assert not price.estimate
    assert prices.egress_per_gb("mars", "Mars") == 0  # same region, even unknown


def test_lookups_accept_any_region_spelling_and_type_casing(prices: PriceSheet) -> None:
    assert prices.snapshot_per_gb_month("Brazil South", "premium_lrs") == Decimal("0.228")
    assert prices.snapshot_per_gb_month("uksouth", StorageAccountType.STANDARD_ZRS) == Decimal(
        "0.053"
    )
    assert prices.continent_of("Australia East") is Continent.OCEANIA
    assert prices.continent_of("mars") is None


def test_unknown_region_is_an_error_naming_it(prices: PriceSheet) -> None:
    with pytest.raises(PriceNotFoundError) as info:
        prices.snapshot_per_gb_month("norwayeast", "Standard_LRS")
    err = info.value
    assert err.field == "region"
    assert err.value == "norwayeast"
    assert err.region == "norwayeast"
    assert err.storage_type == "Standard_LRS"
    assert isinstance(err, LookupError)
    assert isinstance(err, ValueError)


def test_unpriced_storage_type_is_an_error(prices: PriceSheet) -> None:
    with pytest.raises(PriceNotFoundError) as info:
        prices.snapshot_price("eastus", "PremiumV2_LRS")
    assert info.value.field == "storage_type"
    assert info.value.value == "PremiumV2_LRS"


def test_bad_region_name_and_bad_type_argument(prices: PriceSheet) -> None:
    with pytest.raises(InvalidRegionError):
        prices.snapshot_price("east-us", "Standard_LRS")
    with pytest.raises(InvalidFieldError):
        prices.snapshot_price("eastus", 3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("source", "destination", "field"),
    [("westeurope", "mars", "destination_region"), ("mars", "westeurope", "source_region")],
)
def test_egress_with_an_unknown_continent_is_an_error(
    prices: PriceSheet, source: str, destination: str, field: str
) -> None:
    with pytest.raises(PriceNotFoundError) as info:
        prices.egress_price(source, destination)
    assert info.value.field == field
    assert info.value.value == "mars"


def test_fallback_estimates_are_flagged(prices: PriceSheet) -> None:
    loose = prices.with_fallback()
    assert loose.allow_fallback and not prices.allow_fallback
    unknown = loose.snapshot_price("norwayeast", "Premium_LRS")
    assert (unknown.amount, unknown.estimate, unknown.verified) == (Decimal("0.132"), True, False)
    assert unknown.origin is PriceOrigin.FALLBACK
    assert "norwayeast" in unknown.source
    v2 = loose.snapshot_price("brazilsouth", "PremiumV2_LRS")
    assert (v2.amount, v2.estimate) == (Decimal("0.228"), True)
    known = loose.snapshot_price("brazilsouth", "Premium_LRS")
    assert not known.estimate
    to_unknown = loose.egress_price("westeurope", "mars")
    assert (to_unknown.amount, to_unknown.estimate) == (Decimal("0.05"), True)
    from_unknown = loose.egress_price("mars", "westeurope")
    assert (from_unknown.amount, from_unknown.estimate) == (Decimal("0.16"), True)
    assert loose.with_fallback(False) == prices


def test_user_prices_layer_over_the_defaults(prices: PriceSheet) -> None:
    custom = prices.with_snapshot_price("Norway East", "Standard_LRS", Decimal("0.06"))
    price = custom.snapshot_price("norwayeast", "Standard_LRS")
    assert (price.amount, price.origin) == (Decimal("0.06"), PriceOrigin.USER)
    assert prices.snapshot_prices.get(("norwayeast", "Standard_LRS")) is None  # unchanged
    eu = prices.with_egress_price(Continent.EUROPE, "inter", Decimal("0.04"))
    assert eu.egress_per_gb("westeurope", "eastus") == Decimal("0.04")
    assert eu.egress_per_gb("eastus", "westeurope") == Decimal("0.05")
    one = prices.with_egress_price("westeurope", "intra", "0.01")  # type: ignore[arg-type]
    assert one.egress_per_gb("westeurope", "northeurope") == Decimal("0.01")
    assert one.egress_per_gb("northeurope", "westeurope") == Decimal("0.02")
    assert not one.egress_verified
    with pytest.raises(InvalidFieldError):
        prices.with_egress_price(Continent.ASIA, "global", Decimal(1))  # type: ignore[arg-type]
    with pytest.raises(InvalidFieldError):
        prices.with_snapshot_price("eastus", "Standard_LRS", Decimal("-1"))
    with pytest.raises(InvalidFieldError):
        prices.with_snapshot_price("eastus", "Standard_LRS", 0.05)  # type: ignore[arg-type]


def test_a_price_must_be_a_non_negative_decimal() -> None:
    with pytest.raises(InvalidFieldError):
        Price(amount=0.05, currency="USD", unit="1 GB", source="x", origin=PriceOrigin.USER)  # type: ignore[arg-type]
    with pytest.raises(InvalidFieldError):
        Price(
            amount=Decimal("NaN"), currency="USD", unit="1 GB", source="x", origin=PriceOrigin.USER
        )


def test_sheets_compare_and_hash_by_value(prices: PriceSheet) -> None:
    again = prices.with_fallback().with_fallback(False)
    assert again == prices and hash(again) == hash(prices)
    assert prices.with_snapshot_price("eastus", "Standard_LRS", Decimal("0.05")) != prices


def test_records_list_every_price_with_provenance(prices: PriceSheet) -> None:
    rows = prices.to_records()
    assert len(rows) == 15 * 3 + 6 * 2
    snapshot = [r for r in rows if r["kind"] == "snapshot"]
    assert {(r["region"], r["storage_type"]) for r in snapshot} == {
        (region, kind) for region in REFERENCE_SNAPSHOT for kind in TYPES
    }
    egress = [r for r in rows if r["kind"] == "egress"]
    assert all(r["verified"] is False and r["origin"] == "default" for r in egress)
    assert all(isinstance(r["amount"], Decimal) for r in rows)


def test_the_continent_map_covers_the_reference_regions(prices: PriceSheet) -> None:
    regions = json.loads(json.dumps(_read_data("regions.json")))
    listed = {
        region
        for groups in regions["continents"].values()
        for region in (*groups["verified"], *groups["unverified"])
    }
    assert listed == set(prices.continents)
    assert set(REFERENCE_SNAPSHOT) <= listed
    assert prices.continent_of("uaenorth") is Continent.MIDDLE_EAST_AFRICA
    assert prices.continent_of("chilecentral") is Continent.SOUTH_AMERICA


def _broken(mutate: Any) -> dict[str, Any]:
    data = copy.deepcopy(_read_data("default_prices.json"))
    mutate(data)
    return data  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("currency"),
        lambda d: d.__setitem__("as_of", "July 2026"),
        lambda d: d["snapshot"]["regions"]["eastus"].__setitem__(0, "cheap"),
        lambda d: d["snapshot"]["regions"]["eastus"].__setitem__(0, "-0.05"),
        lambda d: d["snapshot"]["regions"]["eastus"].pop(),
        lambda d: d["egress"]["continents"].__setitem__("atlantis", ["0.1", "0.1", "B"]),
        lambda d: d["snapshot"]["regions"]["eastus"].__setitem__(3, "nowhere"),
    ],
)
def test_a_malformed_embedded_table_is_a_clear_error(mutate: Any) -> None:
    with pytest.raises(InvalidPriceDataError):
        _sheet_from_data(_broken(mutate), _read_data("regions.json"))


def test_a_malformed_region_map_is_a_clear_error() -> None:
    with pytest.raises(InvalidPriceDataError):
        _sheet_from_data(_read_data("default_prices.json"), {"continents": {"atlantis": {}}})


# -- hostile input -----------------------------------------------------------------------------


def test_arguments_are_checked_and_named(prices: PriceSheet) -> None:
    with pytest.raises(InvalidTypeError) as info:
        prices.with_fallback("yes")  # type: ignore[arg-type]
    assert info.value.field == "enabled"
    with pytest.raises(InvalidTypeError) as info:
        prices.with_snapshot_price("eastus", "Standard_LRS", Decimal(1), source=5)  # type: ignore[arg-type]
    assert info.value.field == "source"
    with pytest.raises(InvalidTypeError) as info:
        prices.with_egress_price(Continent.EUROPE, "intra", Decimal(1), description=None)  # type: ignore[arg-type]
    assert info.value.field == "description"
    calls: list[tuple[Callable[[], object], str]] = [
        (lambda: prices.snapshot_price(5, "Standard_LRS"), "region"),  # type: ignore[arg-type]
        (lambda: prices.continent_of("x" * 100_000), "region"),
        (lambda: prices.egress_price("westeurope", None), "destination_region"),  # type: ignore[arg-type]
        (lambda: prices.with_egress_price("not a region!", "intra", Decimal(1)), "source"),
        (lambda: prices.snapshot_price("eastus", "x" * 1000), "storage_type"),
        (lambda: prices.snapshot_price("eastus", ""), "storage_type"),
    ]
    for call, field in calls:
        with pytest.raises(InvalidFieldError) as caught:
            call()
        assert caught.value.field == field
        assert len(str(caught.value)) < 500


@pytest.mark.parametrize(
    "amount",
    [
        Decimal("1e999999"),
        Decimal("1000000.5"),
        Decimal("1e-21"),
        Decimal("sNaN"),
        Decimal("-0.01"),
    ],
)
def test_a_price_stays_in_its_documented_range(prices: PriceSheet, amount: Decimal) -> None:
    with pytest.raises(InvalidFieldError) as info:
        prices.with_snapshot_price("eastus", "Standard_LRS", amount)
    assert info.value.field == "amount"
    with pytest.raises(InvalidFieldError):
        Price(amount=amount, currency="USD", unit="1 GB", source="x", origin=PriceOrigin.USER)
    trailing = Decimal("0.05000000000000000000000000")
    assert prices.with_snapshot_price("eastus", "Standard_LRS", trailing).snapshot_per_gb_month(
        "eastus", "Standard_LRS"
    ) == Decimal("0.05")


def test_a_sheet_cannot_be_changed_in_place(prices: PriceSheet) -> None:
    key = ("eastus", "Standard_LRS")
    snapshot: Any = prices.snapshot_prices
    continents: Any = prices.continents
    changes: list[Callable[[], object]] = [
        lambda: snapshot.__setitem__(key, snapshot[key]),
        lambda: snapshot.pop(key),
        continents.clear,
    ]
    for change in changes:
        with pytest.raises(TypeError, match="immutable"):
            change()
    assert PriceSheet.default() == prices
