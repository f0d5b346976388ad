"""diff(): resources and property paths, latest moves, references, cost, access, output."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import attrs
import pytest

from imagegallery import (
    ImageDefinition,
    ImageVersion,
    InvalidFieldError,
    InvalidImageReferenceError,
    InvalidTypeError,
    Inventory,
    NaiveDatetimeError,
    PriceNotFoundError,
    TargetRegion,
    load_arm,
    put,
    remove,
    sample_inventory,
    update,
)
from imagegallery.access import sample_access_model
from imagegallery.access.sample import SAMPLE_PRINCIPALS
from imagegallery.costs import PriceSheet
from imagegallery.review import DIFF_RECORD_COLUMNS, AccessChangeKind, DiffKind, diff
from imagegallery.review._json import cell
from imagegallery.review._properties import property_changes, render_path
from tests.review import _build as b

AT = datetime(2025, 7, 1, tzinfo=UTC)
IMAGES = (
    "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-images/providers"
    "/Microsoft.Compute/galleries/myGallery/images"
)


def _sample_version(path: str) -> ImageVersion:
    found = sample_inventory()[f"{IMAGES}/{path}"]
    assert isinstance(found, ImageVersion)
    return found


def _sample_definition(name: str) -> ImageDefinition:
    found = sample_inventory()[f"{IMAGES}/{name}"]
    assert isinstance(found, ImageDefinition)
    return found


def worked_example() -> Inventory:
    """Publish 1.1.1 (excluded from latest in East US), delete 1.0.0, add Sweden Central to
    1.0.10: the example of the docs page."""
    new = put(
        sample_inventory(),
        b.version(
            "1.1.1",
            [("westeurope", 2, "Standard_ZRS", None), "northeurope", ("eastus", None, None, True)],
            gallery=IMAGES.rsplit("/images", 1)[0],
            image="myImage1",
            used_gb=9,
        ),
    )
    new = remove(new, f"{IMAGES}/myImage1/versions/1.0.0")
    grown = _sample_version("myImage1/versions/1.0.10")
    grown = update(
        grown, target_regions=[*grown.target_regions, TargetRegion(name="swedencentral")]
    )
    return put(new, grown)


def test_the_worked_example() -> None:
    result = diff(sample_inventory(), worked_example(), at=AT)
    assert [(r.change.value, r.resource_id.version) for r in result.resources] == [
        ("removed", "1.0.0"),
        ("changed", "1.0.10"),
        ("added", "1.1.1"),
    ]
    (grown,) = result.changed[0].properties
    assert grown.path == "properties.publishingProfile.targetRegions[name=swedencentral]"
    assert grown.change is DiffKind.ADDED and grown.after == {"name": "swedencentral"}
    assert [(m.region, str(m.before), str(m.after), m.reasons) for m in result.latest_moves] == [
        ("northeurope", "1.1.0", "1.1.1", ("1.1.1 added",)),
        (
            "swedencentral",
            "None",
            "1.0.10",
            (
                "1.0.10 was not eligible before: not replicated to swedencentral (regions:"
                " westeurope, northeurope, eastus)",
            ),
        ),
        ("westeurope", "1.0.10", "1.1.1", ("1.1.1 added",)),
    ]
    cost = result.cost
    assert (cost.monthly_before, cost.monthly_after) == (Decimal("39.9140"), Decimal("40.8640"))
    assert cost.new_copy_egress == Decimal("0.800")
    by_region = {r.region: r for r in cost.regions}
    assert by_region["swedencentral"].monthly_before == 0
    assert by_region["swedencentral"].new_copy_egress == Decimal("0.170")
    assert by_region["westeurope"].new_copy_egress == 0  # the source region: no copy
    assert sum(r.monthly_delta for r in cost.regions) == cost.monthly_delta
    assert result.summary() == (
        "1 added, 1 removed, 1 changed (1 property); latest moves in 3 (definition, region)"
        " pairs; monthly storage 39.91 -> 40.86 USD (+0.95); one-time egress of new copies"
        " 0.80 USD"
    )


def test_property_paths_for_flags_tags_dates_and_sharing() -> None:
    old = sample_inventory()
    version = _sample_version("myImage2/versions/2.1.0")
    regions = [
        attrs.evolve(r, exclude_from_latest=None) if r.name == "eastus" else r
        for r in version.target_regions
    ]
    changed = update(
        version,
        target_regions=regions,
        end_of_life_date=datetime(2026, 1, 1, tzinfo=UTC),
        tags={"team": "web"},
    )
    gallery = next(old.galleries())
    assert gallery.sharing_profile is not None
    shared = attrs.evolve(
        gallery, sharing_profile=attrs.evolve(gallery.sharing_profile, permissions="Groups")
    )
    new = put(put(old, shared), changed)
    paths = sorted(
        (p.path, p.change.value, cell(p.before), cell(p.after))
        for p in diff(old, new, at=AT).properties
    )
    assert paths == sorted(
        [
            ("properties.sharingProfile.permissions", "changed", "Private", "Groups"),
            ("tags", "added", None, '{"team":"web"}'),
            (
                "properties.publishingProfile.targetRegions[name=eastus].excludeFromLatest",
                "removed",
                True,
                None,
            ),
            (
                "properties.publishingProfile.endOfLifeDate",
                "added",
                None,
                "2026-01-01T00:00:00+00:00",
            ),
        ]
    )


def test_removing_a_definition_lists_its_versions() -> None:
    old = sample_inventory()
    new = remove(old, f"{IMAGES}/myImage3", cascade=True)
    result = diff(old, new, at=AT)
    assert [(r.resource_type, r.change.value) for r in result.resources] == [
        ("definition", "removed"),
        ("version", "removed"),
        ("version", "removed"),
    ]
    assert [(m.region, m.reasons) for m in result.latest_moves] == [
        ("westeurope", ("definition removed",))
    ]
    back = diff(new, old, at=AT)
    assert [m.reasons for m in back.latest_moves] == [("definition added",)]


def test_ids_are_compared_without_case() -> None:
    old = sample_inventory()
    shouting = [
        {
            **r,
            "id": r["id"]
            .upper()
            .replace("/PROVIDERS/MICROSOFT.COMPUTE", "/providers/Microsoft.Compute"),
        }
        for r in old.to_arm()
    ]
    assert not diff(old, load_arm(shouting), at=AT)


def test_implied_parents_are_not_resources() -> None:
    old = load_arm([r for r in sample_inventory().to_arm() if "versions" in r["type"]])
    assert all(g.implied for g in old.galleries())
    new = remove(old, f"{IMAGES}/myImage1/versions/1.0.0")
    result = diff(old, new, at=AT)
    assert [r.resource_type for r in result.resources] == ["version"]
    real = diff(old, sample_inventory(), at=AT)
    assert {r.resource_type for r in real.added} == {"gallery", "definition"}
    assert not real.removed and not real.changed


def test_references_that_break() -> None:
    old = sample_inventory()
    pinned = f"{IMAGES}/myImage1/versions/1.0.9"
    new = remove(old, pinned)
    at = datetime(2025, 3, 1, tzinfo=UTC)
    result = diff(
        old,
        new,
        at=at,
        references=[
            (pinned, "westeurope"),  # removed: breaks
            ({"id": f"{IMAGES}/myImage1"}, "eastus"),  # latest: 1.0.9 was the only one there
            (f"{IMAGES}/myImage1", "West Europe"),  # latest: still 1.0.10
            (f"{IMAGES}/myImage1/versions/1.0.10", "eastus"),  # broken before: not listed
        ],
    )
    assert [
        (r.reference, r.region, str(r.before), r.error_type) for r in result.broken_references
    ] == [
        (pinned, "westeurope", "1.0.9", "ImageVersionNotFoundError"),
        (f"{IMAGES}/myImage1", "eastus", "1.0.9", "NoEligibleVersionError"),
    ]
    assert result.fails_on("reference-broken", regions=["eastus"])
    assert not result.fails_on("reference-broken", regions=["northeurope"])
    assert not diff(old, old, at=at, references=[(pinned, "eastus")]).broken_references


def test_bad_references() -> None:
    old = sample_inventory()
    with pytest.raises(InvalidTypeError, match="references"):
        diff(old, old, references="x")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"references\[0\]"):
        diff(old, old, references=[("x",)])  # type: ignore[list-item]
    with pytest.raises(InvalidFieldError, match=r"references\[0\]\[1\]"):
        diff(old, old, references=[("x", "east-us")])
    with pytest.raises(InvalidFieldError, match=r"references\[0\].imageReference.id"):
        diff(old, old, references=[({"id": 3}, "eastus")])
    with pytest.raises(InvalidImageReferenceError):
        diff(old, old, references=[({}, "eastus")])


def test_cost_of_a_region_the_sheet_does_not_price_is_flagged() -> None:
    old = b.inventory(b.definition([b.version()]))
    new = put(old, b.version("1.0.1", ["westeurope", "norwayeast"]))
    result = diff(old, new, at=AT)
    assert result.cost.estimated
    assert {r.region: r.estimated for r in result.cost.regions} == {
        "norwayeast": True,
        "westeurope": False,
    }
    assert "estimated" in result.summary()
    with pytest.raises(PriceNotFoundError):
        diff(old, new, at=AT, prices=PriceSheet.default())
    with pytest.raises(InvalidTypeError, match="prices"):
        diff(old, new, prices="default")  # type: ignore[arg-type]


def test_access_changes_with_a_model_factory_and_with_a_pair() -> None:
    old = sample_inventory()
    image3 = _sample_definition("myImage3")
    newer = b.version("0.3.0", gallery=IMAGES.rsplit("/images", 1)[0], image="myImage3", used_gb=20)
    new = put(old, newer)
    result = diff(old, new, at=AT, access=sample_access_model)
    lost = [a for a in result.access or () if a.change is AccessChangeKind.LOST]
    assert [
        (a.definition_id, a.region, a.principal, str(a.before), str(a.after)) for a in lost
    ] == [(image3.id, "westeurope", SAMPLE_PRINCIPALS["carol"], "0.2.0", "0.3.0")]
    assert "access: 0 gained, 1 lost" in result.summary()
    pair = (sample_access_model(old), sample_access_model(new))
    assert diff(old, new, at=AT, access=pair).access == result.access
    same = diff(old, old, at=AT, access=sample_access_model)
    assert same.access == () and not same
    with pytest.raises(InvalidTypeError, match="access"):
        diff(old, old, access="model")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"access\[1\]"):
        diff(old, old, access=(pair[0], "model"))  # type: ignore[arg-type]


def test_records_and_json() -> None:
    result = diff(sample_inventory(), worked_example(), at=AT)
    rows = result.to_records()
    assert all(tuple(row) == DIFF_RECORD_COLUMNS for row in rows)
    latest = [r for r in rows if r["section"] == "latest"]
    assert latest[0]["before"] == "1.1.0" and latest[0]["detail"] == "1.1.0 -> 1.1.1: 1.1.1 added"
    cost = [r for r in rows if r["section"] == "cost" and r["region"] is None]
    assert [(r["path"], r["before"], r["after"]) for r in cost] == [
        ("monthly_storage", Decimal("39.9140"), Decimal("40.8640")),
        ("new_copy_egress", Decimal(0), Decimal("0.800")),
    ]
    prop = next(r for r in rows if r["section"] == "property")
    assert prop["after"] == '{"name":"swedencentral"}'
    data = result.to_json_dict()
    assert data["schema"] == "imagegallery.diff/1"
    assert data["cost"]["monthly_delta"] == "0.9500"
    assert data["resources"][1]["properties"][0]["after"] == {"name": "swedencentral"}
    assert data["access"] is None and data["counts"]["latest_moves"] == 3
    assert [r.to_record()["change"] for r in result.resources] == ["removed", "changed", "added"]


def test_fail_conditions() -> None:
    result = diff(sample_inventory(), worked_example(), at=AT)
    assert result.fails_on("changed")
    assert result.fails_on("latest-moved", regions=["West Europe"])
    assert not result.fails_on("latest-moved", regions=["eastus"])
    assert result.latest_moved_in("swedencentral")[0].after is not None
    assert not result.fails_on("reference-broken")
    with pytest.raises(InvalidFieldError, match="condition"):
        result.fails_on("cost-increased")


def test_bad_arguments() -> None:
    with pytest.raises(InvalidTypeError, match="old"):
        diff([], Inventory())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="new"):
        diff(Inventory(), None)  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError, match="at"):
        diff(Inventory(), Inventory(), at=datetime(2025, 1, 1))


# -- the property comparison -------------------------------------------------------------------


def _changes(before: object, after: object) -> list[tuple[str, str]]:
    return [(render_path(s), kind) for s, kind, _, _ in property_changes(before, after)]


def test_lists_are_matched_by_their_key_field() -> None:
    disks = [{"lun": 0, "sizeInGB": 8}, {"lun": 1, "sizeInGB": 8}]
    assert _changes(disks, [{"lun": 0, "sizeInGB": 8}, {"lun": 1, "sizeInGB": 9}]) == [
        ("[lun=1].sizeInGB", "changed")
    ]
    groups = [{"type": "Subscriptions", "ids": ["a"]}]
    assert _changes(groups, [{"type": "Subscriptions", "ids": ["a", "b"]}]) == [
        ("[type=Subscriptions].ids", "changed")
    ]
    assert _changes(
        [{"region": "East US", "state": "Replicating"}],
        [{"region": "eastus", "state": "Completed"}],
    ) == [
        ("[region=eastus].region", "changed"),
        ("[region=eastus].state", "changed"),
    ]


def test_a_reordered_or_inserted_list_is_one_change() -> None:
    a, b_, c = {"name": "a"}, {"name": "b"}, {"name": "c"}
    assert _changes([a, b_], [b_, a]) == [("", "changed")]
    assert _changes([a, b_], [c, a, b_]) == [("", "changed")]
    assert _changes([a, b_], [a, b_, c]) == [("[name=c]", "added")]
    assert _changes([a, b_, c], [a, c]) == [("[name=b]", "removed")]
    assert _changes([a, a], [a]) == [("", "changed")]  # duplicate keys: no matching


def test_values_differ_by_json_type_too() -> None:
    assert _changes({"x": 1}, {"x": True}) == [("x", "changed")]
    assert _changes({"x": 1}, {"x": 1.0}) == [("x", "changed")]
    assert _changes({"x": [1, {"y": 2}]}, {"x": (1, {"y": 2})}) == []
    assert _changes({"x": {"y": 1}}, {"x": {"y": 1, "z": None}}) == [("x.z", "added")]
