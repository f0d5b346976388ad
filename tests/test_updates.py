"""Update rules and child changes."""

from __future__ import annotations

import pytest

from imagegallery import (
    ConstraintViolationError,
    ImageDefinition,
    ImageVersion,
    ImmutablePropertyError,
    ResourceNotFoundError,
    TargetRegion,
    UnknownPropertyError,
    put,
    remove,
    sample_inventory,
    update,
    update_in,
    with_used_size,
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
