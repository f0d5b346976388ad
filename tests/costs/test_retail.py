"""Reading Azure Retail Prices API pages: the recorded captures, selection rules and quirks."""

from __future__ import annotations

import gzip
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from imagegallery.costs import PriceOrigin, PriceSheet, estimate_cost, read_retail_prices
from imagegallery.errors import (
    CurrencyMismatchError,
    InvalidPriceDataError,
    MalformedJsonError,
)
from tests.costs import _build as b

D = Decimal
DATA = Path(__file__).resolve().parents[1] / "data" / "pricing"
GALLERY_FILE = DATA / "retail-prices-gallery-recorded.json"
MIXED_FILE = DATA / "retail-prices-recorded.json"
# The whole-region captures (about 800 KB of JSON each), kept gzip-compressed, verbatim.
CAPTURES = DATA / "regions"
REGIONS = (
    "westeurope",
    "eastus2",
    "southeastasia",
    "brazilsouth",
    "australiaeast",
    "uksouth",
    "japaneast",
)
# The snapshot prices of the regional captures (fixtures README), typed in independently:
# Standard HDD LRS, Standard HDD ZRS, Premium SSD LRS.
CAPTURED = {
    "westeurope": ("0.05", "0.05", "0.145"),
    "eastus2": ("0.05", "0.05", "0.12"),
    "southeastasia": ("0.05", "0.05", "0.132"),
    "brazilsouth": ("0.068", "0.068", "0.228"),
    "australiaeast": ("0.055", "0.055", "0.132"),
    "uksouth": ("0.053", "0.053", "0.16"),
    "japaneast": ("0.05", "0.05", "0.152"),
}
TYPES = ("Standard_LRS", "Standard_ZRS", "Premium_LRS")


def _region_file(region: str) -> Any:
    """The recorded capture of one region, parsed."""
    return json.loads(gzip.decompress((CAPTURES / region / "storage.json.gz").read_bytes()))


def _item(**changes: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "currencyCode": "USD",
        "tierMinimumUnits": 0.0,
        "retailPrice": 0.05,
        "unitPrice": 0.05,
        "armRegionName": "westeurope",
        "location": "EU West",
        "effectiveStartDate": "2018-02-01T00:00:00Z",
        "meterId": "78dd126f-f855-4670-8038-fd66cf0f43b9",
        "meterName": "LRS Snapshots",
        "productName": "Standard HDD Managed Disks",
        "skuName": "Snapshots LRS",
        "serviceName": "Storage",
        "unitOfMeasure": "1 GB/Month",
        "type": "Consumption",
        "isPrimaryMeterRegion": True,
        "armSkuName": "",
    }
    item.update(changes)
    return item


def _page(*items: dict[str, Any], **envelope: Any) -> dict[str, Any]:
    page: dict[str, Any] = {
        "BillingCurrency": "USD",
        "CustomerEntityId": "Default",
        "CustomerEntityType": "Retail",
        "Items": list(items),
        "NextPageLink": None,
        "Count": len(items),
    }
    page.update(envelope)
    return page


def test_the_recorded_gallery_responses() -> None:
    read = read_retail_prices(GALLERY_FILE)
    assert read.pages == 3 and read.items == 3
    assert read.currency == "USD"
    # The Standard SSD row (same sku name, 0.145) is not taken for any type.
    assert set(read.snapshot_prices) == {
        ("westeurope", "Standard_LRS"),
        ("westeurope", "Premium_LRS"),
    }
    hdd = read.snapshot_prices["westeurope", "Standard_LRS"]
    premium = read.snapshot_prices["westeurope", "Premium_LRS"]
    assert (hdd.amount, hdd.meter_id) == (D("0.05"), "78dd126f-f855-4670-8038-fd66cf0f43b9")
    assert (premium.amount, premium.meter_id) == (
        D("0.145"),
        "3fb306e5-aab3-4ca2-8074-f4ef7d0963b4",
    )
    assert premium.origin is PriceOrigin.RETAIL and premium.verified
    assert premium.effective_from == "2019-09-30"
    assert "gallery_image_storage_premium_lrs_westeurope" in premium.source
    assert read.notes == ()


def test_the_mixed_recording_keeps_only_snapshot_meters() -> None:
    read = read_retail_prices(MIXED_FILE)
    assert read.pages == 6
    assert {k: str(p.amount) for k, p in read.snapshot_prices.items()} == {
        ("swedencentral", "Standard_LRS"): "0.05",
        ("westeurope", "Standard_LRS"): "0.05",
    }
    assert read.region_egress_prices == {}


@pytest.mark.parametrize("region", REGIONS)
def test_whole_regional_captures(region: str) -> None:
    read = read_retail_prices(_region_file(region))
    assert read.items > 1400
    assert {k: str(p.amount) for k, p in read.snapshot_prices.items()} == {
        (region, kind): price for kind, price in zip(TYPES, CAPTURED[region], strict=True)
    }
    assert read.notes == ()


def test_westeurope_capture_picks_the_premium_ssd_meter_not_standard_ssd_or_page_blob() -> None:
    read = read_retail_prices(_region_file("westeurope"))
    assert read.snapshot_prices["westeurope", "Premium_LRS"].meter_id == (
        "3fb306e5-aab3-4ca2-8074-f4ef7d0963b4"
    )
    assert read.snapshot_prices["westeurope", "Standard_ZRS"].meter_id == (
        "6c0e8a96-2c8e-48c1-b7f3-8e80f89ba34e"
    )


def test_estimate_with_the_recorded_gallery_responses_exactly() -> None:
    prices = PriceSheet.from_retail_prices([GALLERY_FILE, MIXED_FILE])
    version = b.version(
        source="westeurope",
        regions=[("westeurope", 2, "Premium_LRS"), ("swedencentral", 1, "Standard_LRS")],
        os_disk=(127, 30),
        data_disks=[(64, 10)],
    )
    report = estimate_cost(version, prices)
    # 40 GB x (2 x 0.145 + 1 x 0.05), both prices read from the recorded responses.
    assert [line.monthly for line in report.lines] == [D("11.600"), D("2.00")]
    assert report.monthly_storage == D("13.600")
    assert report.one_time_egress == D("0.80")  # 40 GB within Europe at 0.02 (default table)
    used = [prices.snapshot_price(line.region, line.storage_type) for line in report.lines]
    assert [p.origin for p in used] == [PriceOrigin.RETAIL, PriceOrigin.RETAIL]
    assert [p.meter_id for p in used] == [
        "3fb306e5-aab3-4ca2-8074-f4ef7d0963b4",
        "36860fe5-4647-55fd-a095-a563cd05e27c",
    ]
    assert prices.notes == (
        "3 snapshot and 0 bandwidth price(s) read from 9 Retail Prices API page(s); the rest"
        " are the base sheet's (as of 2026-07-14)",
    )


def test_estimate_with_the_recorded_pages_exactly() -> None:
    sources = [GALLERY_FILE, *(_region_file(r) for r in ("brazilsouth", "uksouth", "japaneast"))]
    prices = PriceSheet.from_retail_prices(sources)
    assert prices.snapshot_price("brazilsouth", "Premium_LRS").origin is PriceOrigin.RETAIL
    assert prices.snapshot_price("eastus", "Standard_LRS").origin is PriceOrigin.DEFAULT
    assert prices.notes == (
        "11 snapshot and 0 bandwidth price(s) read from 6 Retail Prices API page(s); the rest"
        " are the base sheet's (as of 2026-07-14)",
    )
    version = b.version(
        source="westeurope",
        regions=[
            ("westeurope", 2, "Premium_LRS"),
            ("brazilsouth", 1, "Premium_LRS"),
            ("uksouth", 2, "Standard_ZRS"),
            ("japaneast", 1, "Standard_LRS"),
        ],
        os_disk=(127, 24),
        data_disks=[(64, 16)],
    )
    report = estimate_cost(version, prices)
    # 40 GB x (2 x 0.145 + 1 x 0.228 + 2 x 0.053 + 1 x 0.05)
    assert [line.monthly for line in report.lines] == [
        D("11.600"),
        D("9.120"),
        D("4.240"),
        D("2.00"),
    ]
    assert report.monthly_storage == D("26.960")
    # Egress stays the embedded (unverified) table: no bandwidth rows were given.
    assert report.one_time_egress == D("2.00") + D("0.80") + D("2.00")
    assert all(line.storage_verified for line in report.lines)
    assert not any(line.egress_verified for line in report.lines[1:])


def test_recorded_pairs_json_text_bytes_and_nested_lists_are_accepted() -> None:
    text = GALLERY_FILE.read_text()
    pairs = json.loads(text)
    for source in (text, text.encode(), bytearray(text.encode()), pairs, [pairs], pairs[0]["body"]):
        read = read_retail_prices(source)
        assert ("westeurope", "Standard_LRS") in read.snapshot_prices
    items = pairs[0]["body"]["Items"]
    assert ("westeurope", "Standard_LRS") in read_retail_prices(items).snapshot_prices


def test_meter_name_drift_is_tolerated() -> None:
    old = _item(meterName="Snapshots LRS Snapshots")
    zrs = _item(meterName="Snapshots ZRS Snapshots", skuName="Snapshots ZRS", retailPrice="0.05")
    read = read_retail_prices(_page(old, zrs))
    assert set(read.snapshot_prices) == {
        ("westeurope", "Standard_LRS"),
        ("westeurope", "Standard_ZRS"),
    }


@pytest.mark.parametrize(
    ("changes", "note"),
    [
        ({"type": "Reservation"}, "type 'Reservation'"),
        ({"type": "DevTestConsumption"}, "type 'DevTestConsumption'"),
        ({"isPrimaryMeterRegion": False}, "primary meter region"),
        ({"tierMinimumUnits": 100.0}, "first price tier"),
        ({"unitOfMeasure": "1/Month"}, "unit '1/Month'"),
        ({"armRegionName": ""}, "without an armRegionName"),
    ],
)
def test_rows_outside_the_selection_are_skipped_and_noted(
    changes: dict[str, Any], note: str
) -> None:
    read = read_retail_prices(_page(_item(**changes)))
    assert read.snapshot_prices == {}
    assert any(note in n for n in read.notes)


@pytest.mark.parametrize(
    "changes",
    [
        {"productName": "Standard SSD Managed Disks", "meterName": "Snapshots LRS Snapshots"},
        {"productName": "Premium Page Blob"},
        {"meterName": "LRS Snapshots Restore"},
        {"skuName": "P10 LRS"},
        {"serviceName": "Virtual Network"},
    ],
)
def test_look_alike_rows_are_not_selected(changes: dict[str, Any]) -> None:
    assert read_retail_prices(_page(_item(**changes))).snapshot_prices == {}


def test_duplicates_prefer_open_ended_then_latest_effective_date() -> None:
    old = _item(retailPrice=0.04, effectiveStartDate="2018-02-01T00:00:00Z")
    new = _item(retailPrice=0.06, effectiveStartDate="2026-06-01T00:00:00Z")
    ended = _item(
        retailPrice=0.07, effectiveStartDate="2027-01-01T00:00:00Z", effectiveEndDate="2027-02-01"
    )
    read = read_retail_prices(_page(new, ended, old))
    assert read.snapshot_prices["westeurope", "Standard_LRS"].amount == D("0.06")
    assert sum("two rows price Standard_LRS in westeurope" in n for n in read.notes) == 2
    same = read_retail_prices(_page(_item(), _item()))
    assert same.notes == ()


def test_missing_next_pages_and_wrong_counts_are_noted() -> None:
    page = _page(
        _item(), NextPageLink="https://prices.azure.com/api/retail/prices?$skip=100", Count=7
    )
    notes = read_retail_prices(page).notes
    assert any("NextPageLink" in n and "incomplete" in n for n in notes)
    assert any("Count=7" in n for n in notes)
    following = {
        "name": "p2",
        "url": "https://prices.azure.com/api/retail/prices?$skip=100",
        "body": _page(_item(armRegionName="northeurope")),
    }
    complete = read_retail_prices(
        [
            {"name": "p1", "url": "u1", "body": _page(_item(), NextPageLink=following["url"])},
            following,
        ]
    )
    assert not any("NextPageLink" in n for n in complete.notes)
    assert len(complete.snapshot_prices) == 2


def test_odd_prices_are_noted() -> None:
    cheap_premium = _item(
        productName="Premium SSD Managed Disks",
        retailPrice=0.01,
        meterId="p",
        armRegionName="eastus",
    )
    standard = _item(armRegionName="eastus", retailPrice=0.05)
    zero = _item(armRegionName="westus2", retailPrice=0)
    notes = read_retail_prices(_page(cheap_premium, standard, zero)).notes
    assert any("below the Standard_LRS price" in n for n in notes)
    assert any("is zero" in n for n in notes)


def test_bandwidth_rows_override_egress_with_provenance() -> None:
    # Synthetic rows in the documented shape (no real inter-region row has been recorded).
    intra = _item(
        serviceName="Bandwidth",
        productName="Bandwidth Inter-Region",
        skuName="Intra Continent",
        meterName="Intra Continent Data Transfer Out",
        unitOfMeasure="1 GB",
        retailPrice=0.02,
        armRegionName="westeurope",
    )
    inter = _item(
        serviceName="Bandwidth",
        productName="Bandwidth Inter-Region",
        skuName="Inter Continent",
        meterName="Inter Continent Data Transfer Out - NAM or EU To Any",
        unitOfMeasure="1 GB",
        retailPrice=0.045,
        armRegionName="",
    )
    asia = _item(
        serviceName="Bandwidth",
        productName="Bandwidth Inter-Region",
        skuName="Inter Continent",
        meterName="Inter Continent Data Transfer Out - ASIA To Any",
        unitOfMeasure="1 GB",
        retailPrice=0.07,
        armRegionName="",
    )
    peering = _item(
        serviceName="Virtual Network",
        productName="Global Virtual Network Peering",
        meterName="Inter-Region Egress",
        unitOfMeasure="1 GB",
        retailPrice=0.035,
    )
    prices = PriceSheet.from_retail_prices(_page(intra, inter, asia, peering))
    within = prices.egress_price("westeurope", "northeurope")
    assert (within.amount, within.origin, within.verified) == (D("0.02"), PriceOrigin.RETAIL, True)
    assert prices.egress_per_gb("westeurope", "japaneast") == D("0.05")  # NAM-or-EU is ambiguous
    assert prices.egress_per_gb("japaneast", "westeurope") == D("0.07")
    assert prices.egress_per_gb("northeurope", "westeurope") == D("0.02")
    read = read_retail_prices(_page(intra))
    assert read.region_egress_prices["westeurope", "intra"].unit == "1 GB"


def test_no_matching_row_keeps_the_defaults_and_says_so() -> None:
    prices = PriceSheet.from_retail_prices(MIXED_FILE.read_text().replace("Snapshots", "Backups"))
    assert prices.snapshot_prices == PriceSheet.default().snapshot_prices
    assert "every price is the base sheet's" in prices.notes[-1]


def test_currency_must_match_the_base_sheet() -> None:
    eur = _page(_item(currencyCode="EUR", retailPrice=0.046), BillingCurrency="EUR")
    with pytest.raises(CurrencyMismatchError) as info:
        PriceSheet.from_retail_prices(eur)
    assert info.value.value == "EUR"
    euro_base = attrs.evolve(PriceSheet.default(), currency="EUR")
    layered = PriceSheet.from_retail_prices(eur, base=euro_base)
    assert layered.snapshot_per_gb_month("westeurope", "Standard_LRS") == D("0.046")
    with pytest.raises(CurrencyMismatchError):
        read_retail_prices(_page(_item(), _item(currencyCode="EUR", armRegionName="eastus")))


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ({"value": []}, InvalidPriceDataError),
        ({"Items": "none"}, InvalidPriceDataError),
        ({"Items": ["row"]}, InvalidPriceDataError),
        (42, InvalidPriceDataError),
        ("{not json", MalformedJsonError),
        (_page(_item(retailPrice="cheap")), InvalidPriceDataError),
        (_page(_item(retailPrice=-0.05)), InvalidPriceDataError),
        (_page(_item(retailPrice=None, unitPrice=None)), InvalidPriceDataError),
        (_page(_item(retailPrice=True)), InvalidPriceDataError),
        (Path("/nonexistent/prices.json"), InvalidPriceDataError),
    ],
)
def test_malformed_input_is_a_clear_error(source: object, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        read_retail_prices(source)
    assert getattr(info.value, "field", None)


def test_bad_price_error_names_the_item() -> None:
    with pytest.raises(InvalidPriceDataError) as info:
        read_retail_prices(
            {"name": "rec", "url": "u", "body": _page(_item(), _item(retailPrice="x"))}
        )
    assert info.value.field == "rec.Items[1].retailPrice"


# -- hostile input -----------------------------------------------------------------------------


def test_wrong_typed_page_fields_name_their_path() -> None:
    with pytest.raises(InvalidPriceDataError) as info:
        PriceSheet.from_retail_prices([{"Items": [], "NextPageLink": ["x"]}])
    assert info.value.field == "pages[0].NextPageLink"
    assert info.value.value == ["x"]
    envelopes: list[tuple[dict[str, Any], str]] = [
        ({"Count": [1]}, "pages.Count"),
        ({"Count": 10**5000}, "pages.Count"),
        ({"BillingCurrency": 5}, "pages.BillingCurrency"),
        ({"BillingCurrency": "US Dollar"}, "pages.BillingCurrency"),
    ]
    for envelope, field in envelopes:
        with pytest.raises(InvalidPriceDataError) as info:
            read_retail_prices(_page(**envelope))
        assert info.value.field == field
        assert len(str(info.value)) < 500


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("productName", 5),
        ("meterName", ["LRS Snapshots"]),
        ("armRegionName", {"name": "westeurope"}),
        ("type", 1),
        ("isPrimaryMeterRegion", "true"),
        ("tierMinimumUnits", [0]),
        ("tierMinimumUnits", float("nan")),
        ("effectiveStartDate", 20180201),
        ("effectiveEndDate", {"a": 1}),
        ("currencyCode", ["USD"]),
        ("currencyCode", "dollars"),
        ("meterId", 7),
    ],
)
def test_wrong_typed_item_fields_name_their_path(key: str, value: object) -> None:
    with pytest.raises(InvalidPriceDataError) as info:
        read_retail_prices({"name": "rec", "body": _page(_item(), _item(**{key: value}))})
    assert info.value.field == f"rec.Items[1].{key}"


@pytest.mark.parametrize(
    "price",
    ["1e999999", "Infinity", "NaN", float("inf"), float("nan"), 10**5000, "1000000.01", 1.8e-35],
    ids=["1e999999", "Infinity", "NaN", "inf", "nan", "10**5000", "over the maximum", "1.8e-35"],
)
def test_a_price_is_never_infinite_nan_or_out_of_range(price: object) -> None:
    with pytest.raises(InvalidPriceDataError) as info:
        PriceSheet.from_retail_prices(_page(_item(retailPrice=price)))
    assert info.value.field == "pages.Items[0].retailPrice"
    assert len(str(info.value)) < 500


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_text_with_non_finite_constants_is_not_json(constant: str) -> None:
    text = json.dumps(_page(_item(retailPrice=0.125))).replace("0.125", constant)
    with pytest.raises(MalformedJsonError):
        read_retail_prices(text)


def test_long_numbers_in_json_text_are_judged_as_prices() -> None:
    text = json.dumps(_page(_item(retailPrice=0.125))).replace("0.125", "1" * 5000)
    with pytest.raises(InvalidPriceDataError) as info:
        read_retail_prices(text)
    assert info.value.field == "pages.Items[0].retailPrice"


def test_nesting_is_limited() -> None:
    with pytest.raises(MalformedJsonError, match="nested"):
        read_retail_prices("[" * 10_000 + "]" * 10_000)
    with pytest.raises(InvalidPriceDataError, match="nested more than 32 levels"):
        read_retail_prices("[" * 40 + json.dumps(_page()) + "]" * 40)
    deep: Any = _page()
    for _ in range(5_000):
        deep = [deep]
    with pytest.raises(InvalidPriceDataError, match="nested"):
        read_retail_prices(deep)
    assert read_retail_prices("[" * 20 + json.dumps(_page(_item())) + "]" * 20).snapshot_prices


def test_text_is_never_a_path_and_a_path_must_be_a_regular_file(tmp_path: Path) -> None:
    with pytest.raises(MalformedJsonError):
        read_retail_prices("/etc/passwd")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(InvalidPriceDataError, match="not a regular file"):
        read_retail_prices(fifo)
    with pytest.raises(MalformedJsonError):
        read_retail_prices(b"\xff\xfe\xfd")


def test_recorded_response_names_and_urls_are_text() -> None:
    with pytest.raises(InvalidPriceDataError) as info:
        read_retail_prices({"name": {"a": 1}, "body": _page()})
    assert info.value.field == "pages.name"
    with pytest.raises(InvalidPriceDataError) as info:
        read_retail_prices({"url": [1], "body": _page()})
    assert info.value.field == "pages.url"
