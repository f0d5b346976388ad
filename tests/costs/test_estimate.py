"""Cost estimates with exact figures: the documents' example, ZRS and Premium, edge cases."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest

from imagegallery import (
    AdditionalReplicaSet,
    ImageVersion,
    ResourceId,
    TargetExtendedLocation,
    TargetRegion,
    sample_inventory,
)
from imagegallery.costs import (
    GIB_PER_GB,
    CostReport,
    LineKind,
    PriceSheet,
    SizeSource,
    estimate_cost,
)
from imagegallery.errors import (
    InvalidFieldError,
    InvalidTypeError,
    PriceNotFoundError,
    UnknownImageSizeError,
)
from tests.costs import _build as b

D = Decimal


def test_the_documents_worked_example_exactly() -> None:
    version = b.worked_example()
    report = estimate_cost(version)
    # 6 snapshots of 10 GB at 0.05 (Standard_LRS in westeurope, eastus, southeastasia).
    assert report.monthly_storage == D("3.00")
    # The first copy to each of the 2 non-source regions: 10 GB x 0.05 (Europe to elsewhere).
    assert report.one_time_egress == D("1.00")
    assert [
        (x.region, x.replicas, x.size_gb, x.monthly, x.egress_gb, x.egress) for x in report.lines
    ] == [
        ("westeurope", 2, D(10), D("1.00"), D(0), D(0)),
        ("eastus", 2, D(10), D("1.00"), D(10), D("0.50")),
        ("southeastasia", 2, D(10), D("1.00"), D(10), D("0.50")),
    ]
    assert sum(line.replicas for line in report.lines) == 6
    assert all(line.size_source is SizeSource.MEASURED for line in report.lines)
    assert not report.estimated
    assert report.currency == "USD"
    assert report.warnings == ("2 first copies are priced with unverified egress rates",)


def test_pricing_the_provisioned_size_is_16_times_too_high() -> None:
    version = b.worked_example()
    used = estimate_cost(version)
    provisioned = estimate_cost(version, size_basis="provisioned")
    assert provisioned.monthly_storage == D("47.70")  # 159 GB x 0.05 x 6
    assert provisioned.one_time_egress == D("15.90")
    assert provisioned.monthly_storage / used.monthly_storage == D("15.9")
    assert {line.size_source for line in provisioned.lines} == {SizeSource.PROVISIONED}


def test_multi_region_zrs_and_premium_example() -> None:
    version = b.version(
        source="westeurope",
        regions=[
            ("westeurope", 3, "Standard_ZRS"),
            ("uksouth", 2, "Premium_LRS"),
            ("brazilsouth", 1, "Premium_LRS"),
            ("japaneast", 2, "Standard_ZRS"),
        ],
        os_disk=(64, 20),
        data_disks=[(128, 10), (32, 0)],
    )
    report = estimate_cost(version)
    lines = {line.region: line for line in report.lines}
    # 30 GB used: 30 x (3 x 0.05 + 2 x 0.16 + 1 x 0.228 + 2 x 0.05)
    assert lines["westeurope"].monthly == D("4.50")
    assert lines["uksouth"].monthly == D("9.60")
    assert lines["brazilsouth"].monthly == D("6.840")
    assert lines["japaneast"].monthly == D("3.00")
    assert report.monthly_storage == D("23.94")
    # Egress: uksouth within Europe 0.02; Brazil and Japan leave Europe at 0.05.
    assert (lines["uksouth"].egress, lines["brazilsouth"].egress, lines["japaneast"].egress) == (
        D("0.60"),
        D("1.50"),
        D("1.50"),
    )
    assert report.one_time_egress == D("3.60")
    by_type = report.by_storage_type()
    assert {k: v.monthly_storage for k, v in by_type.items()} == {
        "Premium_LRS": D("16.44"),
        "Standard_ZRS": D("7.50"),
    }
    assert {k: v.replicas for k, v in by_type.items()} == {"Premium_LRS": 3, "Standard_ZRS": 5}
    assert [line.storage_type for line in report.lines] == [
        "Standard_ZRS",
        "Premium_LRS",
        "Premium_LRS",
        "Standard_ZRS",
    ]


def test_price_unit_switch_converts_gib_to_decimal_gb_exactly() -> None:
    version = b.worked_example()
    per_gb = estimate_cost(version, unit="GB")
    assert D(2**30) / D(10**9) == GIB_PER_GB
    assert per_gb.monthly_storage == D("3.00") * GIB_PER_GB
    assert per_gb.one_time_egress == D("1.00") * GIB_PER_GB
    assert per_gb.unit == "GB"
    assert per_gb.lines[0].size_gb == D(10)  # the size stays as Azure reports it


def test_unmeasured_disks_fall_back_to_provisioned_size_as_an_upper_bound() -> None:
    version = b.version(regions=["westeurope"], os_disk=(127, 10), data_disks=[(32, None)])
    report = estimate_cost(version)
    line = report.lines[0]
    assert (line.size_gb, line.size_source) == (D(42), SizeSource.UPPER_BOUND)
    assert line.is_estimate and report.estimated
    assert report.monthly_storage == D("2.10")
    assert "upper bound" in report.warnings[0]
    assert report.by_region()["westeurope"].estimated


def test_used_gb_argument_overrides_the_disks() -> None:
    version = b.version(regions=["westeurope"], os_disk=(127, None))
    key = str(version.id).upper()
    report = estimate_cost(version, used_gb={key: 12.5})
    line = report.lines[0]
    assert (line.size_gb, line.size_source) == (D("12.5"), SizeSource.GIVEN)
    assert report.monthly_storage == D("0.625")
    assert not report.estimated
    ignored = estimate_cost(version, used_gb={key: 12.5}, size_basis="provisioned")
    assert ignored.lines[0].size_gb == D(127)
    other = str(version.id).replace("1.0.0", "9.9.9")
    assert "not in the target" in estimate_cost(version, used_gb={other: 1}).warnings[-1]


@pytest.mark.parametrize(
    "bad",
    [
        -1,
        float("nan"),
        float("inf"),
        D("NaN"),
        D("sNaN"),
        D("Infinity"),
        D("1e999999"),
        1_000_001,
        10**5000,
        "10",
        True,
        None,
    ],
    ids=lambda bad: type(bad).__name__ if isinstance(bad, int) and abs(bad) > 10**9 else None,
)
def test_bad_used_gb_values_are_rejected(bad: object) -> None:
    version = b.version()
    with pytest.raises(InvalidFieldError) as info:
        estimate_cost(version, used_gb={str(version.id): bad})  # type: ignore[dict-item]
    assert info.value.field is not None and info.value.field.startswith("used_gb[")


def test_used_gb_names_the_key_it_cannot_read() -> None:
    with pytest.raises(InvalidFieldError) as info:
        estimate_cost(b.version(), used_gb={"x" * 100_000: 1})
    assert info.value.field is not None and info.value.field.startswith("used_gb[xxx")
    assert len(str(info.value)) < 1_000


def test_a_disk_size_that_is_not_a_finite_number_is_never_priced() -> None:
    nan = b.version(os_disk=(30, float("nan")))
    with pytest.raises(UnknownImageSizeError) as info:
        estimate_cost(nan)
    assert info.value.field == "storage_profile.os_disk_image.used_gb"
    assert info.value.version_id == nan.id
    tiny = estimate_cost(b.version(os_disk=(30, 1e-300)))
    assert tiny.monthly_storage == 0 and tiny.lines[0].size_gb == 0


def test_a_version_without_any_size_cannot_be_priced() -> None:
    no_disks = b.version(os_disk=None)
    with pytest.raises(UnknownImageSizeError) as info:
        estimate_cost(no_disks)
    assert info.value.version_id == no_disks.id
    assert estimate_cost(no_disks, used_gb={str(no_disks.id): 4}).monthly_storage == D("0.20")
    sizeless = b.version(os_disk=(None, None))
    with pytest.raises(UnknownImageSizeError) as info:
        estimate_cost(sizeless)
    assert info.value.field == "storage_profile.os_disk_image.size_gb"
    data = b.version(data_disks=[(None, None)])
    with pytest.raises(UnknownImageSizeError) as info:
        estimate_cost(data)
    assert info.value.field == "storage_profile.data_disk_images[lun=0].size_gb"


def test_missing_storage_type_is_priced_as_standard_lrs_and_flagged() -> None:
    version = b.version(regions=[("westeurope", 1, None), ("eastus", 1, "Premium_LRS")])
    report = estimate_cost(version)
    assumed, premium = report.lines
    assert (assumed.storage_type, assumed.storage_type_assumed) == ("Standard_LRS", True)
    assert (premium.storage_type, premium.storage_type_assumed) == ("Premium_LRS", False)
    assert any("Standard_LRS" in w and "historical default" in w for w in report.warnings)


def test_version_level_type_and_strategy_apply_where_regions_say_nothing() -> None:
    version = b.version(
        regions=[("westeurope", None, None), ("eastus", None, "Premium_LRS")],
        storage_type="Standard_ZRS",
        replica_count=3,
    )
    lines = estimate_cost(version).lines
    assert [(x.storage_type, x.replicas, x.storage_type_assumed) for x in lines] == [
        ("Standard_ZRS", 3, False),
        ("Premium_LRS", 3, False),
    ]
    zrs = attrs.evolve(
        version,
        publishing_profile=attrs.evolve(
            version.publishing_profile,
            storage_account_type=None,
            storage_account_strategy="PreferStandard_ZRS",
        ),
    )
    assert estimate_cost(zrs).lines[0].storage_type == "Standard_ZRS"


def test_no_egress_when_every_target_is_the_source() -> None:
    version = b.version(source="eastus", regions=[("eastus", 5, "Premium_LRS")])
    report = estimate_cost(version)
    assert report.one_time_egress == 0
    assert report.monthly_storage == D("6.600")  # 10 GB x 5 x 0.132


def test_a_version_without_target_regions_is_priced_in_its_source_region() -> None:
    version = b.version(source="uksouth", regions=[], replica_count=2, storage_type="Premium_LRS")
    report = estimate_cost(version)
    (line,) = report.lines
    assert (line.region, line.replicas, line.kind, line.egress) == (
        "uksouth",
        2,
        LineKind.IMPLIED,
        D(0),
    )
    assert line.monthly == D("3.20")
    assert any("no target regions" in w for w in report.warnings)
    default_count = b.version(source="uksouth", regions=[])
    assert estimate_cost(default_count).lines[0].replicas == 1


def test_shallow_replication_is_priced_at_zero_and_flagged() -> None:
    version = b.version(
        regions=["westeurope"], replication_mode="Shallow", replica_count=1, os_disk=(30, 4)
    )
    report = estimate_cost(version)
    (line,) = report.lines
    assert line.shallow and line.monthly == 0 and line.egress == 0
    assert line.unit_price == D("0.05")
    assert any("shallow" in w for w in report.warnings)


def test_additional_replica_sets_are_extra_lines_without_egress() -> None:
    version = b.version(regions=[("westeurope", 1, "Standard_LRS"), ("eastus", 1, "Standard_LRS")])
    east = TargetRegion(
        name="eastus",
        regional_replica_count=1,
        storage_account_type="Standard_LRS",
        additional_replica_sets=[
            AdditionalReplicaSet(storage_account_type="Premium_LRS", regional_replica_count=2)
        ],
    )
    profile = attrs.evolve(
        version.publishing_profile,
        target_regions=(*(version.publishing_profile.target_regions or ())[:1], east),
    )
    report = estimate_cost(attrs.evolve(version, publishing_profile=profile))
    extra = report.lines[-1]
    assert (extra.region, extra.storage_type, extra.replicas, extra.kind) == (
        "eastus",
        "Premium_LRS",
        2,
        LineKind.ADDITIONAL,
    )
    assert (extra.monthly, extra.egress) == (D("2.640"), D(0))
    assert report.one_time_egress == D("0.50")  # one first copy into eastus, not two


def test_edge_zones_are_not_priced_but_warned_about() -> None:
    version = b.version(regions=["westeurope"])
    profile = attrs.evolve(
        version.publishing_profile,
        target_extended_locations=[TargetExtendedLocation(name="westeurope")],
    )
    report = estimate_cost(attrs.evolve(version, publishing_profile=profile))
    assert any("edge zones" in w for w in report.warnings)


def test_unknown_region_raises_unless_fallback_is_enabled() -> None:
    version = b.version(source="westeurope", regions=["westeurope", "norwayeast"])
    with pytest.raises(PriceNotFoundError) as info:
        estimate_cost(version)
    assert info.value.region == "norwayeast"
    report = estimate_cost(version, PriceSheet.default().with_fallback())
    known, guessed = report.lines
    assert not known.price_estimated and guessed.price_estimated
    assert guessed.unit_price == D("0.05")
    assert guessed.egress_unit_price == D("0.02")  # norwayeast is in Europe: a real rate
    assert report.estimated and report.by_region()["norwayeast"].estimated
    assert not report.by_region()["westeurope"].estimated
    assert any("fallback" in w for w in report.warnings)


def test_totals_by_every_grouping_on_the_sample() -> None:
    report = estimate_cost(sample_inventory())
    # The sample's 24 lines; 1.1.0's replica in swedencentral is 8.5 GB x 0.05 = 0.425 a month,
    # and its first copy there 8.5 GB x 0.02 (within Europe) = 0.17.
    assert report.monthly_storage == D("39.9140")
    assert report.one_time_egress == D("6.100")
    for by in (
        "version",
        "definition",
        "gallery",
        "subscription",
        "region",
        "source_region",
        "storage_type",
    ):
        totals = report.totals(by)
        assert sum((t.monthly_storage for t in totals.values()), D(0)) == report.monthly_storage
        assert sum((t.one_time_egress for t in totals.values()), D(0)) == report.one_time_egress
        assert sum(t.lines for t in totals.values()) == len(report.lines)
    assert list(report.by_subscription()) == [
        "11111111-1111-1111-1111-111111111111",
        "22222222-2222-2222-2222-222222222222",
    ]
    gallery_ids = list(report.by_gallery())
    assert all(isinstance(g, ResourceId) for g in gallery_ids)
    assert [g.name for g in gallery_ids] == ["myGallery", "communityGallery", "sharedGallery"]
    assert len(report.by_version()) == 13
    assert len(report.by_definition()) == 6
    with pytest.raises(InvalidFieldError):
        report.totals("tenant")


def test_records_are_flat_and_complete() -> None:
    report = estimate_cost(sample_inventory())
    records = report.to_records()
    assert len(records) == len(report.lines) == 24
    first = records[0]
    assert first["version_id"].endswith("/myImage1/versions/1.0.0")
    assert first["subscription_id"] == "11111111-1111-1111-1111-111111111111"
    assert (first["gallery"], first["definition"], first["version"]) == (
        "myGallery",
        "myImage1",
        "1.0.0",
    )
    assert first["currency"] == "USD"
    assert isinstance(first["monthly"], Decimal)
    assert {r["kind"] for r in records} == {"target"}
    assert sum((r["monthly"] for r in records), D(0)) == report.monthly_storage


def test_targets_of_every_kind_give_the_same_totals() -> None:
    inv = sample_inventory()
    whole = estimate_cost(inv)
    galleries = [estimate_cost(g) for g in inv.galleries()]
    definitions = [estimate_cost(d) for d in inv.definitions()]
    versions = [estimate_cost(v) for v in inv.versions()]
    for parts in (galleries, definitions, versions):
        assert sum((r.monthly_storage for r in parts), D(0)) == whole.monthly_storage
        assert sum((r.one_time_egress for r in parts), D(0)) == whole.one_time_egress
    listed = estimate_cost(list(inv.versions()))
    assert listed == whole
    assert listed.lines == whole.lines


def test_from_lines_rebuilds_a_report() -> None:
    whole = estimate_cost(sample_inventory())
    again = CostReport.from_lines(whole.lines, prices=whole.prices)
    assert again.lines == whole.lines
    assert again.monthly_storage == whole.monthly_storage
    east = CostReport.from_lines(
        [x for x in whole.lines if x.region == "eastus"], prices=whole.prices
    )
    assert east.monthly_storage == whole.by_region()["eastus"].monthly_storage
    with pytest.raises(InvalidTypeError):
        CostReport.from_lines([("not", "a", "line")], prices=whole.prices)  # type: ignore[list-item]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"size_basis": "allocated"}, InvalidFieldError),
        ({"unit": "TB"}, InvalidFieldError),
        ({"used_gb": [("x", 1)]}, InvalidTypeError),
        ({"prices": {"eastus": 0.05}}, InvalidTypeError),
    ],
)
def test_bad_arguments_are_clear_errors(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        estimate_cost(b.version(), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("target", ["westeurope", {"id": "x"}, 42, [b"x"]])
def test_targets_of_the_wrong_type_are_rejected(target: object) -> None:
    with pytest.raises(InvalidTypeError):
        estimate_cost(target)  # type: ignore[arg-type]


def test_report_repr_and_equality() -> None:
    version = b.worked_example()
    report = estimate_cost(version)
    assert repr(report) == (
        "CostReport(lines=3, monthly_storage=3.00, one_time_egress=1.00, currency='USD')"
    )
    assert report == estimate_cost(version)
    assert report != estimate_cost(version, size_basis="provisioned")
    line = report.lines[1]
    assert line.definition_id == ResourceId.parse(b.definition_id())
    assert line.gallery_id == ResourceId.parse(b.GALLERY)
    assert line.subscription_id == b.SUB
    assert isinstance(version, ImageVersion)
