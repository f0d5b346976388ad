"""resolve_reference and scale_out_image: every reference form, every failure."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from imagegallery import (
    Gallery,
    GalleryIdentifier,
    ImageVersion,
    InvalidFieldError,
    InvalidResourceIdError,
    InvalidTypeError,
    InvalidVersionNameError,
    Inventory,
    NaiveDatetimeError,
    NoEligibleVersionError,
    ReplicationState,
    ResourceId,
    ResourceNotFoundError,
    sample_inventory,
)
from imagegallery.errors import (
    ImageVersionNotFoundError,
    ImageVersionUnavailableError,
    InvalidImageReferenceError,
    VersionEndOfLifeError,
    VersionNotInRegionError,
    VersionNotReplicatedError,
)
from imagegallery.resolve import resolve_reference, scale_out_image
from imagegallery.updates import put, remove
from tests.resolve._oracle import GALLERY, definition, version

AT = datetime(2025, 3, 1, tzinfo=UTC)
SUB_A = "11111111-1111-1111-1111-111111111111"
SUB_B = "22222222-2222-2222-2222-222222222222"
IMAGE1 = (
    f"/subscriptions/{SUB_A}/resourceGroups/rg-images/providers/Microsoft.Compute"
    "/galleries/myGallery/images/myImage1"
)
SHARED = f"/SharedGalleries/{SUB_B}-SHAREDGALLERY/Images/winBase/Versions"
COMMUNITY = (
    "/CommunityGalleries/Contoso-0c5f1a2b-7d3e-4c9a-9b1f-2e6d8a4c0f11/Images/devTools/Versions"
)


def resolved(reference: Any, region: str, **kwargs: Any) -> str:
    found = resolve_reference(sample_inventory(), reference, region=region, at=AT, **kwargs)
    assert isinstance(found, ImageVersion)
    return str(found.name)


# -- "latest" ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reference",
    [
        IMAGE1,
        IMAGE1.upper(),
        ResourceId.parse(IMAGE1),
        {"id": IMAGE1},
        {"id": IMAGE1, "sharedGalleryImageId": None, "exactVersion": "1.0.9"},
        IMAGE1 + "/versions/latest",
        IMAGE1 + "/versions/LATEST",
    ],
)
def test_latest_of_a_private_definition(reference: Any) -> None:
    assert resolved(reference, "eastus") == "1.0.9"
    assert resolved(reference, "West Europe") == "1.0.10"


def test_latest_with_nothing_eligible() -> None:
    with pytest.raises(NoEligibleVersionError, match="not available in swedencentral region"):
        resolved(IMAGE1, "swedencentral")


def test_latest_of_a_missing_definition() -> None:
    with pytest.raises(ResourceNotFoundError) as caught:
        resolved(IMAGE1 + "x", "eastus")
    assert not isinstance(caught.value, ImageVersionUnavailableError)


def test_latest_through_a_direct_share() -> None:
    assert resolved(SHARED + "/latest", "westeurope") == "2025.1.0"
    assert resolved({"sharedGalleryImageId": SHARED + "/latest"}, "eastus") == "2025.1.0"
    assert resolved(SHARED.lower() + "/latest", "eastus") == "2025.1.0"


def test_latest_through_a_community_gallery() -> None:
    assert resolved({"communityGalleryImageId": COMMUNITY + "/latest"}, "eastus") == "3.2.0"
    with pytest.raises(NoEligibleVersionError):
        resolved(COMMUNITY + "/latest", "westeurope")


def test_proxy_latest_applies_regional_flags() -> None:
    """Consumers' views show only version-level flags; the deployment still honours regional ones."""
    d = definition(
        version("1.0.0", {"westeurope": None, "eastus": None}),
        version("2.0.0", {"westeurope": None, "eastus": True}),
    )
    gallery = Gallery(
        id=GALLERY,
        location="westeurope",
        identifier=GalleryIdentifier(unique_name="0000-GALLERY"),
        definitions=[d],
    )
    inventory = Inventory([gallery])
    reference = "/SharedGalleries/0000-GALLERY/Images/image/Versions/latest"
    found = resolve_reference(inventory, reference, region="eastus", at=AT)
    assert str(found.name) == "1.0.0"
    found = resolve_reference(inventory, reference, region="westeurope", at=AT)
    assert str(found.name) == "2.0.0"


@pytest.mark.parametrize(
    "reference",
    [
        "/SharedGalleries/nobody/Images/winBase/Versions/latest",
        SHARED.replace("winBase", "other") + "/latest",
        "/CommunityGalleries/Contoso-unknown/Images/devTools/Versions/latest",
        # A shared gallery's unique name is not a community public name.
        f"/CommunityGalleries/{SUB_B}-SHAREDGALLERY/Images/winBase/Versions/latest",
    ],
)
def test_unknown_proxies(reference: str) -> None:
    with pytest.raises(ResourceNotFoundError):
        resolved(reference, "eastus")


def test_unknown_proxies_say_what_was_looked_for() -> None:
    with pytest.raises(ResourceNotFoundError) as caught:
        resolved("/SharedGalleries/nobody/Images/winBase/Versions/latest", "eastus")
    assert str(caught.value).endswith("(no gallery has the unique name 'nobody')")
    with pytest.raises(ResourceNotFoundError) as caught:
        resolved(COMMUNITY.replace("devTools", "other") + "/latest", "eastus")
    assert str(caught.value).endswith("(its gallery has no image definition 'other')")
    with pytest.raises(ResourceNotFoundError) as caught:
        resolved("/CommunityGalleries/x/Images/y/Versions/latest", "eastus")
    assert "community public name 'x'" in str(caught.value)


# -- pinned versions ---------------------------------------------------------------------------


def test_pinned_version() -> None:
    assert resolved(IMAGE1 + "/versions/1.0.10", "westeurope") == "1.0.10"
    assert resolved({"id": IMAGE1 + "/versions/1.0.9"}, "eastus") == "1.0.9"
    assert resolved(SHARED + "/2024.10.1", "eastus") == "2024.10.1"
    assert resolved(COMMUNITY + "/3.2.0", "eastus") == "3.2.0"


def test_pinned_version_ignores_exclude_from_latest() -> None:
    assert resolved(IMAGE1 + "/versions/1.1.0", "westeurope") == "1.1.0"


def test_pinned_version_that_does_not_exist() -> None:
    reference = IMAGE1 + "/versions/1.0.8"
    with pytest.raises(ImageVersionNotFoundError) as caught:
        resolved(reference, "eastus")
    assert caught.value.version_id == reference
    assert caught.value.region == "eastus"
    assert str(caught.value) == f"The gallery image version {reference} does not exist"
    assert isinstance(caught.value, ResourceNotFoundError)
    assert isinstance(caught.value, LookupError)


def test_pinned_version_of_a_missing_definition() -> None:
    with pytest.raises(ImageVersionNotFoundError, match="nor does its image definition"):
        resolved(IMAGE1 + "x/versions/1.0.0", "eastus")
    with pytest.raises(ImageVersionNotFoundError):
        resolved("/SharedGalleries/nobody/Images/winBase/Versions/1.0.0", "eastus")


def test_pinned_version_not_in_region() -> None:
    reference = IMAGE1 + "/versions/1.0.0"
    with pytest.raises(VersionNotInRegionError) as caught:
        resolved(reference, "eastus")
    assert str(caught.value) == (
        f"The gallery image {reference} is not available in eastus region. Please contact image"
        " owner to replicate to this region, or change your requested region."
    )


def test_pinned_version_still_replicating() -> None:
    with pytest.raises(VersionNotReplicatedError) as caught:
        resolved(IMAGE1 + "/versions/1.0.10", "eastus")
    assert caught.value.state is ReplicationState.REPLICATING
    assert resolved(IMAGE1 + "/versions/1.0.10", "eastus", require_replicated=False) == "1.0.10"


def test_pinned_version_past_end_of_life() -> None:
    reference = IMAGE1 + "/versions/1.0.0"
    later = datetime(2025, 7, 1, tzinfo=UTC)
    inventory = sample_inventory()
    with pytest.raises(
        VersionEndOfLifeError, match="image version reached end of life on 2025-06-30"
    ):
        resolve_reference(inventory, reference, region="westeurope", at=later)
    found = resolve_reference(
        inventory, reference, region="westeurope", at=later, end_of_life="allow"
    )
    assert str(found.name) == "1.0.0"


def test_pinned_version_of_a_definition_past_end_of_life() -> None:
    d = definition(version("1.0.0"), end_of_life="2025-01-01T00:00:00Z")
    inventory = Inventory([Gallery(id=GALLERY, location="westeurope", definitions=[d])])
    with pytest.raises(VersionEndOfLifeError) as caught:
        resolve_reference(inventory, str(d.id) + "/versions/1.0.0", region="westeurope", at=AT)
    assert "image definition reached end of life" in str(caught.value)
    assert caught.value.end_of_life_date == d.end_of_life_date


def test_pinned_version_with_a_bad_name() -> None:
    with pytest.raises(InvalidVersionNameError):
        resolved(IMAGE1 + "/versions/1.0", "eastus")


# -- bad references ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reference", "field"),
    [
        (
            {
                "publisher": "Canonical",
                "offer": "UbuntuServer",
                "sku": "22_04",
                "version": "latest",
            },
            "imageReference",
        ),
        ({}, "imageReference"),
        ({"id": IMAGE1, "sharedGalleryImageId": SHARED + "/latest"}, "imageReference"),
        ({"id": SHARED + "/latest"}, "imageReference.id"),
        ({"sharedGalleryImageId": COMMUNITY + "/latest"}, "imageReference.sharedGalleryImageId"),
        ({"communityGalleryImageId": IMAGE1}, "imageReference.communityGalleryImageId"),
        (SHARED.rsplit("/", 1)[0], None),
        (f"/subscriptions/{SUB_A}/resourceGroups/rg/providers/Microsoft.Compute/images/img", None),
        (
            f"/subscriptions/{SUB_A}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/myGallery",
            None,
        ),
    ],
)
def test_references_that_name_no_gallery_image(reference: Any, field: str | None) -> None:
    with pytest.raises(InvalidImageReferenceError) as caught:
        resolved(reference, "eastus")
    assert caught.value.field == field


def test_malformed_ids_name_the_field() -> None:
    with pytest.raises(InvalidResourceIdError) as caught:
        resolved({"id": "not an id"}, "eastus")
    assert caught.value.field == "imageReference.id"
    with pytest.raises(InvalidResourceIdError):
        resolved("galleries/x", "eastus")


def test_wrong_argument_types() -> None:
    with pytest.raises(InvalidTypeError):
        resolved(42, "eastus")
    with pytest.raises(InvalidTypeError):
        resolve_reference([], IMAGE1, region="eastus", at=AT)  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError):
        resolve_reference(sample_inventory(), IMAGE1, region="eastus", at=datetime(2025, 1, 1))


@pytest.mark.parametrize("region", [None, 5, ["eastus"]])
def test_the_region_of_the_deployment_is_required(region: Any) -> None:
    for entry_point in (resolve_reference, scale_out_image):
        with pytest.raises(InvalidFieldError) as caught:
            entry_point(sample_inventory(), IMAGE1, region=region, at=AT)
        assert caught.value.field == "region"


def test_hostile_references_are_short_clear_errors() -> None:
    huge_version = IMAGE1 + "/versions/" + "1" * 5000 + ".0.0"
    with pytest.raises(InvalidImageReferenceError, match="at most 64 characters") as caught:
        resolved(huge_version, "eastus")
    assert len(str(caught.value)) < 600
    with pytest.raises(InvalidImageReferenceError):
        scale_out_image(sample_inventory(), huge_version, region="eastus", at=AT)
    huge_gallery = "/SharedGalleries/" + "g" * 100_000 + "/Images/x/Versions/latest"
    with pytest.raises(ResourceNotFoundError) as missing:
        resolved({"sharedGalleryImageId": huge_gallery}, "eastus")
    assert len(str(missing.value)) < 1_000


# -- scale-out ---------------------------------------------------------------------------------


def test_scale_out_with_latest() -> None:
    answer = scale_out_image(sample_inventory(), IMAGE1, region="eastus", at=AT)
    assert not answer.blocked
    assert answer.floating
    assert answer.version is not None
    assert str(answer.version.name) == "1.0.9"
    assert answer.error is None
    assert (
        str(answer) == "scale-out in eastus uses 1.0.9 (latest: the newest version available there)"
    )


def test_scale_out_with_latest_and_nothing_available() -> None:
    answer = scale_out_image(sample_inventory(), IMAGE1, region="swedencentral", at=AT)
    assert answer.blocked
    assert isinstance(answer.error, NoEligibleVersionError)
    assert answer.reason.startswith("scale-out in swedencentral is blocked: The gallery image")
    assert "pinned" not in answer.reason


def test_scale_out_with_a_pinned_version() -> None:
    answer = scale_out_image(sample_inventory(), IMAGE1 + "/versions/1.0.9", region="eastus", at=AT)
    assert not answer.floating
    assert str(answer) == "scale-out in eastus uses the pinned version 1.0.9"


def test_scale_out_blocked_for_a_pinned_version_elsewhere() -> None:
    answer = scale_out_image(sample_inventory(), IMAGE1 + "/versions/1.0.0", region="eastus", at=AT)
    assert answer.blocked
    assert isinstance(answer.error, VersionNotInRegionError)
    assert answer.reason.endswith("point the scale set's model at another version, or at latest")


def test_scale_out_needs_a_moment() -> None:
    with pytest.raises(InvalidTypeError):
        scale_out_image(sample_inventory(), IMAGE1, region="eastus", at=None)  # type: ignore[arg-type]


def test_scale_set_scenario_of_the_product_documents() -> None:
    """A newer version arrives, then the pinned one is removed: latest scales, pinned is stuck."""
    d = definition(version("1.0.0", {"westeurope": None}))
    inventory = Inventory([Gallery(id=GALLERY, location="westeurope", definitions=[d])])
    latest, pinned = str(d.id), str(d.id) + "/versions/1.0.0"

    def image(inv: Inventory, reference: str) -> str | None:
        answer = scale_out_image(inv, reference, region="westeurope", at=AT)
        return None if answer.version is None else str(answer.version.name)

    assert (image(inventory, latest), image(inventory, pinned)) == ("1.0.0", "1.0.0")

    newer = version("1.1.0", {"westeurope": None}, states={"westeurope": "Replicating"})
    inventory = put(inventory, newer)
    assert (image(inventory, latest), image(inventory, pinned)) == ("1.0.0", "1.0.0")

    inventory = put(
        inventory, version("1.1.0", {"westeurope": None}, states={"westeurope": "Completed"})
    )
    assert (image(inventory, latest), image(inventory, pinned)) == ("1.1.0", "1.0.0")

    inventory = remove(inventory, pinned)
    assert (image(inventory, latest), image(inventory, pinned)) == ("1.1.0", None)
    blocked = scale_out_image(inventory, pinned, region="westeurope", at=AT)
    assert isinstance(blocked.error, ImageVersionNotFoundError)
