"""Validation at construction and the conveniences of the entities."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from imagegallery import (
    ConstraintViolationError,
    DataDiskImage,
    Gallery,
    ImageDefinition,
    ImageIdentifier,
    ImageVersion,
    InvalidNameError,
    InvalidResourceIdError,
    MissingFieldError,
    NaiveDatetimeError,
    OsDiskImage,
    OsState,
    OsType,
    PublishingProfile,
    ResourceId,
    ResourceRange,
    StorageAccountType,
    StorageProfile,
    TargetRegion,
    sample_inventory,
)

GALLERY = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1"


def _version(
    name: str = "1.0.0", *, parent: str = f"{GALLERY}/images/img", **publishing
) -> ImageVersion:
    return ImageVersion(
        id=ResourceId.parse(f"{parent}/versions/{name}"),
        location="westeurope",
        publishing_profile=PublishingProfile(**publishing),
        storage_profile=StorageProfile(os_disk_image=OsDiskImage(size_gb=30)),
    )


def _definition(name: str = "img", sku: str = "sku", **kw) -> ImageDefinition:
    return ImageDefinition(
        id=ResourceId.parse(f"{GALLERY}/images/{name}"),
        location="westeurope",
        os_type=OsType.LINUX,
        os_state=OsState.GENERALIZED,
        identifier=ImageIdentifier(publisher="pub", offer="offer", sku=sku),
        **kw,
    )


@pytest.mark.parametrize("name", ["my-gallery", "_g", "g.", "a" * 81, "gällery"])
def test_gallery_names(name):
    with pytest.raises(InvalidNameError) as info:
        Gallery(
            id=ResourceId.parse(
                f"/subscriptions/0/resourceGroups/rg/providers/Microsoft.Compute/galleries/{name}"
            ),
            location="westeurope",
        )
    assert info.value.field == "id"


@pytest.mark.parametrize("name", ["-img", "img-", "img.", "a" * 81])
def test_definition_names(name):
    with pytest.raises(InvalidNameError):
        _definition(name)


def test_definition_name_rules_allow_dashes_inside():
    assert _definition("my-image_1.0").name == "my-image_1.0"


def test_identifier_rules():
    with pytest.raises(InvalidNameError):
        ImageIdentifier(publisher="pub.", offer="o", sku="s")
    with pytest.raises(InvalidNameError):
        ImageIdentifier(publisher="p", offer="o" * 65, sku="s")


def test_required_fields_unless_implied():
    with pytest.raises(MissingFieldError):
        ImageDefinition(
            id=f"{GALLERY}/images/img",
            location="westeurope",
            os_state="Generalized",
            identifier=ImageIdentifier(publisher="p", offer="o", sku="s"),
        )
    assert (
        ImageDefinition(
            id=ResourceId.parse(f"{GALLERY}/images/img"), location="westeurope", implied=True
        ).os_type
        is None
    )


def test_duplicate_identifier_in_a_gallery():
    with pytest.raises(ConstraintViolationError, match="identifier"):
        Gallery(
            id=ResourceId.parse(GALLERY),
            location="westeurope",
            definitions=[_definition("a"), _definition("b")],
        )
    assert (
        len(
            Gallery(
                id=ResourceId.parse(GALLERY),
                location="westeurope",
                definitions=[_definition("a"), _definition("b", sku="other")],
            ).definitions
        )
        == 2
    )


def test_children_must_be_under_their_parent():
    stranger = _version(parent=f"{GALLERY}/images/other")
    with pytest.raises(ConstraintViolationError, match="not under"):
        _definition(versions=[stranger])
    with pytest.raises(ConstraintViolationError, match="not under"):
        Gallery(
            id=GALLERY.replace("g1", "g2"),
            location="westeurope",
            definitions=[_definition()],
        )


def test_source_region_must_be_targeted_and_counts_positive():
    with pytest.raises(ConstraintViolationError, match="source region"):
        _version(target_regions=(TargetRegion(name="eastus"),))
    with pytest.raises(ValueError, match="between 1"):
        TargetRegion(name="eastus", regional_replica_count=0)
    with pytest.raises(ValueError, match="between 1"):
        _version(replica_count=0)


def test_duplicate_luns_and_min_max():
    with pytest.raises(ConstraintViolationError, match="LUN"):
        StorageProfile(data_disk_images=(DataDiskImage(lun=0), DataDiskImage(lun=0)))
    with pytest.raises(ConstraintViolationError, match="exceed"):
        ResourceRange(min=8, max=2)
    with pytest.raises(ConstraintViolationError, match="provisioned"):
        OsDiskImage(size_gb=30, used_gb=31)


def test_wrong_kind_of_id_and_naive_datetimes():
    with pytest.raises(InvalidResourceIdError):
        ImageVersion(
            id=ResourceId.parse(GALLERY), location="westeurope", storage_profile=StorageProfile()
        )
    with pytest.raises(NaiveDatetimeError):
        PublishingProfile(end_of_life_date=datetime(2030, 1, 1))
    from_text = PublishingProfile(end_of_life_date="2030-01-01T00:00:00Z")
    assert from_text.end_of_life_date == datetime(2030, 1, 1, tzinfo=UTC)


def test_effective_per_region_values():
    profile = PublishingProfile(
        target_regions=(
            TargetRegion(
                name="West Europe",
                regional_replica_count=3,
                storage_account_type="Standard_ZRS",
            ),
            TargetRegion(name="eastus", exclude_from_latest=False),
            TargetRegion(name="northeurope"),
        ),
        replica_count=2,
        exclude_from_latest=True,
        storage_account_type=StorageAccountType.PREMIUM_LRS,
    )
    assert profile.replicas_in("westeurope") == 3 and profile.replicas_in("eastus") == 2
    assert profile.replicas_in("japaneast") == 0
    assert profile.storage_account_type_in("westeurope") is StorageAccountType.STANDARD_ZRS
    assert profile.storage_account_type_in("eastus") is StorageAccountType.PREMIUM_LRS
    assert profile.excluded_from_latest_in("eastus") is False
    assert profile.excluded_from_latest_in("northeurope") is True


def test_children_lookup_is_case_insensitive_and_ordered():
    inv = sample_inventory()
    definition = next(inv.definitions())
    assert [str(v) for v in definition.versions] == ["1.0.0", "1.0.9", "1.0.10", "1.1.0"]
    assert definition.versions["1.0.10"] is definition.versions.get("1.0.10")
    gallery = next(inv.galleries())
    assert gallery.definitions["MYIMAGE2"].name == "myImage2"
    assert "myimage3" in gallery.definitions
    assert hash(gallery) == hash(next(sample_inventory().galleries()))


def test_inventories_pickle_and_copy_with_their_original_spellings():
    import copy
    import pickle

    inv = sample_inventory()
    for clone in (pickle.loads(pickle.dumps(inv)), copy.deepcopy(inv)):
        assert clone == inv
        assert clone.to_arm() == inv.to_arm()
