"""Update rules and child changes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from imagegallery import (
    ConstraintViolationError,
    DuplicateResourceError,
    ImageDefinition,
    ImageVersion,
    ImmutablePropertyError,
    InvalidFieldError,
    Inventory,
    ResourceNotFoundError,
    TargetRegion,
    UnknownPropertyError,
    load_arm,
    put,
    remove,
    sample_inventory,
    update,
    update_in,
    with_definition,
    with_used_size,
    with_version,
    without_definition,
    without_version,
)

INV = sample_inventory()
IMAGE1 = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/myGallery/images/myImage1"


def _v(name: str) -> ImageVersion:
    version = INV[f"{IMAGE1}/versions/{name}"]
    assert isinstance(version, ImageVersion)
    return version


@pytest.mark.parametrize(
    "prop",
    [
        "location",
        "storage_profile",
        "published_date",
        "storage_account_type",
        "replication_mode",
        "id",
    ],
)
def test_version_immutables(prop):
    v = _v("1.0.9")
    with pytest.raises((ImmutablePropertyError, UnknownPropertyError)) as info:
        update(v, **{prop: getattr(v, prop, None) or getattr(v.publishing_profile, prop, None)})
    assert prop in str(info.value)


def test_version_updatables():
    v = _v("1.0.9")
    changed = update(
        v,
        exclude_from_latest=True,
        replica_count=2,
        end_of_life_date="2031-01-01T00:00:00Z",
        target_regions=[
            *v.target_regions,
            TargetRegion(name="japaneast", storage_account_type="Premium_LRS"),
        ],
        block_deletion_before_end_of_life=True,
        tags={"stage": "retired"},
    )
    assert changed.exclude_from_latest and changed.replicas_in("northeurope") == 1
    assert "japaneast" in changed.region_names
    assert (
        changed.safety_profile is not None
        and changed.safety_profile.block_deletion_before_end_of_life
    )
    assert v.exclude_from_latest is False  # the original is untouched


def test_existing_region_storage_type_is_immutable_and_removal_needs_permission():
    v = _v("1.0.9")
    regions = list(v.target_regions)
    regions[1] = TargetRegion(name=regions[1].name, storage_account_type="Premium_LRS")
    with pytest.raises(ImmutablePropertyError, match="storage_account_type"):
        update(v, target_regions=regions)
    with pytest.raises(ConstraintViolationError, match="allow_deletion"):
        update(v, target_regions=v.target_regions[:2])
    allowed = update(v, allow_deletion_of_replicated_locations=True)
    assert update(allowed, target_regions=allowed.target_regions[:2]).region_names == (
        "westeurope",
        "northeurope",
    )


def test_definition_and_gallery_rules():
    d = INV[IMAGE1]
    assert isinstance(d, ImageDefinition)
    assert update(d, description="x").description == "x"
    for prop, value in [
        ("os_type", "Windows"),
        ("os_state", "Specialized"),
        ("hyper_v_generation", "V1"),
        ("identifier", None),
    ]:
        with pytest.raises(ImmutablePropertyError, match=prop):
            update(d, **{prop: value})
    with pytest.raises(ConstraintViolationError, match="allow_update_image"):
        update(d, features=[])
    assert update(d, features=[], allow_update_image=True).features == ()
    with pytest.raises(UnknownPropertyError):
        update(d, colour="blue")
    g = next(INV.galleries())
    assert update(g, description="y").description == "y"
    with pytest.raises(ImmutablePropertyError, match="sharing_profile"):
        update(g, sharing_profile=None)


def test_inventory_level_changes_return_new_inventories():
    v = _v("1.0.10")
    assert put(INV, update(v, exclude_from_latest=True))[v.id].exclude_from_latest  # type: ignore[union-attr]
    assert update_in(INV, v.id, exclude_from_latest=True) == put(
        INV, update(v, exclude_from_latest=True)
    )
    assert len(remove(INV, v.id)) == len(INV) - 1
    with pytest.raises(ConstraintViolationError):
        remove(INV, IMAGE1)
    assert len(remove(INV, IMAGE1, cascade=True)) == len(INV) - 4
    with pytest.raises(ResourceNotFoundError):
        remove(INV, f"{IMAGE1}/versions/9.9.9")
    assert len(INV) == 13


def test_used_size_annotation():
    v = _v("1.0.10")
    changed = with_used_size(v, os_disk_gb=9, data_disks_gb={0: 1.5})
    assert changed.storage_profile.used_gb == 10.5
    with pytest.raises(ConstraintViolationError):
        with_used_size(v, data_disks_gb={7: 1})


def test_allowing_deletion_and_removing_a_region_in_one_update():
    v = _v("1.0.9")
    changed = update(
        v, allow_deletion_of_replicated_locations=True, target_regions=v.target_regions[:2]
    )
    assert changed.region_names == ("westeurope", "northeurope")


# -- arguments of the wrong kind, results that would not reload -----------------------------------


def _reloads(inventory: Inventory) -> bool:
    return load_arm(json.loads(json.dumps(inventory.to_arm()))) == inventory


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: update(None, description="x"), "entity"),  # type: ignore[type-var]
        (lambda: update(_v("1.0.0"), publishing_profile=0), "publishing_profile"),
        (lambda: update(_v("1.0.0"), safety_profile="x"), "safety_profile"),
        (lambda: update(_v("1.0.0"), target_regions=1.5), "target_regions"),
        (lambda: update(_v("1.0.0"), target_regions=[1]), "target_regions"),
        (lambda: update(_v("1.0.0"), tags={"a": 1}), "tags.a"),
        (lambda: update(_v("1.0.0"), tags=[1]), "tags"),
        (lambda: update(_v("1.0.0"), exclude_from_latest="yes"), "exclude_from_latest"),
        (lambda: update(_v("1.0.0"), replica_count=1.5), "replica_count"),
        (lambda: update(_v("1.0.0"), exclude_from_latest=None), "exclude_from_latest"),
        (lambda: update(INV[IMAGE1], description=float("nan")), "description"),
        (lambda: with_used_size(_v("1.0.0"), os_disk_gb=float("nan")), "used_gb"),
        (lambda: with_used_size(_v("1.0.0"), data_disks_gb=[1]), "data_disks_gb"),  # type: ignore[arg-type]
        (lambda: with_version(INV[IMAGE1], None), "version"),  # type: ignore[arg-type]
        (lambda: with_version(None, _v("1.0.0")), "definition"),  # type: ignore[arg-type]
        (lambda: without_version(None, "1.0.0"), "definition"),  # type: ignore[arg-type]
        (lambda: with_definition(None, INV[IMAGE1]), "gallery"),  # type: ignore[arg-type]
        (lambda: without_definition(INV[IMAGE1], "x"), "gallery"),  # type: ignore[arg-type]
        (lambda: put(INV, 5), "entity"),  # type: ignore[arg-type]
        (lambda: put(None, _v("1.0.0")), "inventory"),  # type: ignore[arg-type]
        (lambda: remove(None, IMAGE1), "inventory"),  # type: ignore[arg-type]
        (lambda: update_in(INV, IMAGE1, description=5), "description"),
    ],
)
def test_bad_arguments_are_library_errors_naming_the_argument(call: Any, field: str):
    with pytest.raises(InvalidFieldError) as info:
        call()
    assert info.value.field is not None and info.value.field.startswith(field), info.value
    assert len(str(info.value)) < 2000


def test_every_accepted_update_reloads_equal():
    version = _v("1.0.0")
    for changes in (
        {"tags": {"a": "1"}},
        {"exclude_from_latest": True},
        {"replica_count": 2},
        {"target_regions": [*version.target_regions, TargetRegion(name="eastus")]},
    ):
        assert _reloads(put(INV, update(version, **changes)))
    assert _reloads(update_in(INV, IMAGE1, description="new", tags={"x": "y"}))


def test_numerically_equal_version_names_cannot_share_a_definition():
    version = _v("1.0.0")
    lookalike = ImageVersion(
        id=str(version.id).replace("1.0.0", "1.00.0"),
        location=version.location,
        publishing_profile=version.publishing_profile,
    )
    definition = INV[IMAGE1]
    assert isinstance(definition, ImageDefinition)
    replaced = with_version(definition, lookalike)  # replaces the version of that number
    assert [str(v) for v in replaced.versions if v.startswith("1.0")] == [
        "1.00.0",
        "1.0.9",
        "1.0.10",
    ]
    with pytest.raises(DuplicateResourceError):
        ImageDefinition(
            id=IMAGE1,
            location="westeurope",
            os_type="Linux",
            os_state="Generalized",
            versions=[version, lookalike],
        )
