"""Loading what Azure users have: ``az`` output, mappings, consumer views; refusing what is not
read right; writing each shape back as it came."""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

import pytest
import yaml
from hypothesis import given

from imagegallery import (
    ArmShape,
    ImageDefinition,
    ImageVersion,
    InvalidFieldError,
    Inventory,
    PriceSheet,
    ResourceKind,
    SharingPermission,
    UnknownShapeError,
    estimate_cost,
    explain_latest,
    load_arm,
    loads_arm,
    resolve_latest,
    resolve_recent,
    resolve_reference,
    sample_arm,
    sample_inventory,
)
from imagegallery.strategies import inventories
from tests.conftest import DATA, RECORDINGS, recorded_final_states

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
GALLERY = f"{SUB}/providers/Microsoft.Compute/galleries/g1"


# -- what az prints, written here from the CLI's own rules (an oracle independent of the loader) --


def _add_resource_group(obj: Any) -> None:
    """azure-cli's output step: ``resourceGroup`` from ``id`` on every object (not below
    ``sourceVault``), when the id has at least nine parts with ``resourceGroups`` fourth."""
    if isinstance(obj, list):
        for item in obj:
            _add_resource_group(item)
    elif isinstance(obj, dict):
        try:
            if "resourceGroup" not in obj and obj["id"]:
                parts = re.split("/", obj["id"])
                if parts[3].lower() != "resourcegroups":
                    raise KeyError
                _ = parts[8]
                obj["resourceGroup"] = parts[4]
        except (KeyError, IndexError, TypeError):
            pass
        for key in obj:
            if key != "sourceVault":
                _add_resource_group(obj[key])


def az_print(resource: dict[str, Any]) -> dict[str, Any]:
    """What ``az sig ... show`` prints for an ARM response: the generated commands flatten
    ``properties`` (and a consumer view's ``identifier``) into the top level."""
    out = {k: copy.deepcopy(v) for k, v in resource.items() if k != "properties"}
    if "id" not in out and isinstance(out.get("identifier"), dict):
        out.update(out.pop("identifier"))
    out.update(copy.deepcopy(resource.get("properties") or {}))
    _add_resource_group(out)
    return out


def _canonical(resources: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in resources)


@pytest.mark.parametrize("recording", RECORDINGS)
def test_az_output_of_each_recording_loads_as_its_arm_responses_and_prints_back(recording):
    arm = recorded_final_states(recording)
    az = [az_print(r) for r in arm]
    inventory = load_arm(az)
    assert inventory == load_arm(arm)
    assert _canonical(inventory.to_arm(shape="az")) == _canonical(az)
    assert _canonical(inventory.to_arm()) == _canonical(arm)
    assert load_arm(az, shape="az") == inventory


def test_each_az_sig_command_output_loads():
    arm = sample_arm()
    galleries = [az_print(r) for r in arm if r["type"] == "Microsoft.Compute/galleries"]
    images = [az_print(r) for r in arm if r["type"].endswith("/images")]
    versions = [az_print(r) for r in arm if r["type"].endswith("/versions")]
    expected = sample_inventory()
    shown = load_arm(galleries[0])  # az sig show
    assert shown.to_arm(shape="az") == [galleries[0]]
    assert shown.to_arm() == expected.to_arm()[:1]
    assert [g.name for g in load_arm(galleries).galleries()] == [
        g.name for g in expected.galleries()
    ]  # az sig list
    listed = load_arm(galleries, images, versions)  # image-definition list, image-version list
    assert listed == expected
    assert json.dumps(listed.to_arm(shape="az"), sort_keys=True) == json.dumps(
        expected.to_arm(shape="az"), sort_keys=True
    )


def test_az_image_version_show_with_expanded_replication_status():
    body = json.loads(
        (DATA / "arm" / "GalleryImageVersion_Get_WithReplicationStatus.json").read_text()
    )
    resource = body["responses"]["200"]["body"]
    resource["id"] = f"{GALLERY}/images/img/versions/1.0.0"
    resource["name"] = "1.0.0"
    printed = az_print(resource)
    assert "replicationStatus" in printed and "properties" not in printed
    version = next(load_arm(printed).versions())
    assert version.replication_status is not None
    assert version.replication_state_in("westus") is not None
    assert load_arm(printed).to_arm(shape="az") == [printed]


def _many_versions(count: int) -> list[dict[str, Any]]:
    image = f"{GALLERY}/images/img"
    return [
        {
            "id": f"{image}/versions/1.{i // 100}.{i % 100}",
            "name": f"1.{i // 100}.{i % 100}",
            "type": "Microsoft.Compute/galleries/images/versions",
            "location": "westeurope",
            "tags": {},
            "properties": {
                "publishingProfile": {
                    "targetRegions": [
                        {"name": "West Europe", "regionalReplicaCount": 1},
                        {
                            "name": "East US",
                            "regionalReplicaCount": 2,
                            "excludeFromLatest": i % 7 == 0,
                        },
                    ],
                    "excludeFromLatest": False,
                    "publishedDate": "2024-08-26T09:05:29.0464492+00:00",
                },
                "storageProfile": {
                    "source": {"id": f"{SUB}/providers/Microsoft.Compute/images/build-{i}"},
                    "osDiskImage": {"sizeInGB": 30, "hostCaching": "ReadWrite"},
                },
            },
        }
        for i in range(count)
    ]


def test_a_large_az_listing_loads_resolves_prices_and_prints_back():
    arm = _many_versions(1500)
    az = [az_print(r) for r in arm]
    assert az[0]["storageProfile"]["source"]["resourceGroup"] == "rg"
    inventory = loads_arm(json.dumps(az))
    assert inventory == load_arm(arm) and len(inventory) == 1500
    definition = next(inventory.definitions())
    assert str(resolve_latest(definition, region="eastus").name) == "1.14.99"
    prices = PriceSheet.default()
    assert estimate_cost(inventory, prices) == estimate_cost(load_arm(arm), prices)
    assert _canonical(inventory.to_arm(shape="az")) == _canonical(az)


def test_a_flattened_community_gallery_loads_as_community():
    flattened = {
        "id": GALLERY,
        "type": "Microsoft.Compute/galleries",
        "location": "eastus",
        "resourceGroup": "rg",
        "sharingProfile": {"permissions": "Community"},
    }
    gallery = next(load_arm(flattened).galleries())
    assert gallery.sharing_permission is SharingPermission.COMMUNITY
    assert not gallery.extra and not gallery.extra_properties
    assert load_arm(flattened).to_arm(shape="az") == [flattened]


def test_an_az_error_names_the_path_in_the_az_output():
    printed = az_print(_many_versions(1)[0])
    printed["publishingProfile"]["targetRegions"][1]["regionalReplicaCount"] = 0
    with pytest.raises(InvalidFieldError) as info:
        load_arm([printed])
    assert info.value.field == "[0].publishingProfile.targetRegions[1].regionalReplicaCount"


def test_a_resource_group_other_than_the_ids_is_kept():
    printed = az_print(_many_versions(1)[0])
    printed["storageProfile"]["source"]["resourceGroup"] = "elsewhere"
    version = next(load_arm(printed).versions())
    assert version.storage_profile.source is not None
    assert version.storage_profile.source.extra == {"resourceGroup": "elsewhere"}
    assert _canonical(load_arm(printed).to_arm(shape="az")) == _canonical([printed])


# -- refusing what cannot be read right ---------------------------------------------------------


@pytest.mark.parametrize(
    ("resource", "shape", "keys"),
    [
        (  # flattened gallery keys next to a properties object
            {
                "id": GALLERY,
                "location": "eastus",
                "sharingProfile": {"permissions": "Community"},
                "properties": {"sharingProfile": {"permissions": "Private"}},
            },
            "auto",
            "sharingProfile",
        ),
        ({"id": GALLERY, "location": "eastus", "description": "d"}, "arm", "description"),
        ({"id": GALLERY, "location": "eastus", "properties": {}}, "az", "properties"),
    ],
)
def test_keys_of_no_shape_or_of_two_are_refused(resource, shape, keys):
    with pytest.raises(UnknownShapeError) as info:
        load_arm(resource, shape=shape)
    assert keys in info.value.keys and info.value.shapes == ("arm", "az", "graph")
    assert isinstance(info.value, ValueError)
    assert str(info.value.value) == GALLERY


def test_an_unknown_shape_name_is_an_error():
    with pytest.raises(InvalidFieldError, match="shape"):
        load_arm(sample_arm(), shape="yaml")  # type: ignore[arg-type]
    with pytest.raises(InvalidFieldError, match="shape"):
        sample_inventory().to_arm(shape="graph")  # type: ignore[arg-type]


# -- mappings --------------------------------------------------------------------------------------


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def test_any_mapping_loads():
    assert load_arm([_frozen(r) for r in sample_arm()]) == sample_inventory()
    assert load_arm(_frozen({"value": sample_arm()})) == sample_inventory()


# -- consumer views ----------------------------------------------------------------------------


def _consumer_bodies(recording: str) -> list[Any]:
    document = yaml.safe_load((DATA / "azure-cli" / recording).read_text())
    return [
        json.loads(i["response"]["body"]["string"])
        for i in document["interactions"]
        if re.search(r"/(sharedGalleries|communityGalleries)/", i["request"]["uri"])
        and i["request"]["method"] == "GET"
    ]


COMMUNITY = "/CommunityGalleries/pubname-6594c636-b433-4c08-a74f-cc8691a045fc"
AT = datetime(2025, 1, 1, tzinfo=UTC)


def test_a_community_consumer_loads_az_list_community_and_resolves_latest():
    bodies = _consumer_bodies("test_community_gallery_operations.yaml")
    listed = next(b for b in bodies if "value" in b and "/Versions/" in json.dumps(b))
    printed = [az_print(v) for v in listed["value"]]  # az sig image-version list-community
    assert "uniqueId" in printed[0] and "storageProfile" in printed[0]
    inventory = load_arm(printed)
    definition = inventory[f"{COMMUNITY}/Images/image000004"]
    assert isinstance(definition, ImageDefinition) and definition.implied
    version = resolve_latest(definition, region="centraluseuap", at=AT)
    assert str(version.name) == "1.1.2" and version.id.kind is ResourceKind.COMMUNITY_VERSION
    assert inventory[f"{COMMUNITY}/Images/image000004/Versions/1.1.2"] is version
    assert version.storage_profile.os_disk_image is not None
    assert version.storage_profile.os_disk_image.size_gb == 30
    elsewhere = explain_latest(definition, region="westus", at=AT)
    assert elsewhere.chosen is None
    assert "not replicated to westus" in str(elsewhere.candidates[0].reasons[0])
    assert resolve_recent(definition, region="centraluseuap", at=AT) is version
    reference = f"{COMMUNITY}/Images/image000004/Versions/latest"
    assert (
        resolve_reference(
            inventory, {"communityGalleryImageId": reference}, region="centraluseuap", at=AT
        )
        is version
    )
    assert _canonical(inventory.to_arm(shape="az")) == _canonical(printed)
    assert _canonical(inventory.to_arm()) == _canonical(listed["value"])


@pytest.mark.parametrize(
    "recording",
    ["test_community_gallery_operations.yaml", "test_create_vm_with_shared_gallery_image.yaml"],
)
def test_every_consumer_view_of_a_recording_loads_and_is_written_back(recording):
    for body in _consumer_bodies(recording):
        inventory = load_arm(body)
        resources = body.get("value", [body])
        assert _canonical(inventory.to_arm()) == _canonical(resources)
        printed = [az_print(r) for r in resources]
        assert _canonical(inventory.to_arm(shape="az")) == _canonical(printed)
        assert _canonical(load_arm(printed).to_arm(shape="az")) == _canonical(printed)


def test_consumer_galleries_say_how_they_are_shared_and_have_no_subscription():
    bodies = _consumer_bodies("test_community_gallery_operations.yaml")
    gallery_body = next(b for b in bodies if b.get("identifier", {}).get("uniqueId") == COMMUNITY)
    gallery = next(load_arm(gallery_body).galleries())
    assert gallery.id.kind is ResourceKind.COMMUNITY_GALLERY
    assert gallery.sharing_permission is SharingPermission.COMMUNITY
    assert gallery.subscription_id == "" and load_arm(gallery_body).subscriptions() == ()
    image_body = next(b for b in bodies if b.get("name") == "image000004" and "value" not in b)
    image = next(load_arm(image_body).definitions())
    assert image.identifier is not None and image.identifier.undisclosed  # shown as "", "", ""


def test_a_consumer_view_with_both_disk_sizes_is_refused():
    view = {
        "location": "westus",
        "name": "1.0.0",
        "identifier": {"uniqueId": "/SharedGalleries/u/Images/i/Versions/1.0.0"},
        "properties": {"storageProfile": {"osDiskImage": {"diskSizeGB": 30, "sizeInGB": 30}}},
    }
    with pytest.raises(UnknownShapeError):
        load_arm(view)


def test_only_consumer_views_may_hide_their_identifier():
    image = json.loads(json.dumps(sample_arm()[1]))
    image["properties"]["identifier"] = {"publisher": "", "offer": "", "sku": ""}
    with pytest.raises(InvalidFieldError) as info:
        load_arm(image)
    assert info.value.field == "properties.identifier.publisher"


# -- older API versions ----------------------------------------------------------------------------


def test_a_2019_version_without_storage_profile_loads_and_round_trips():
    body = {
        "id": f"{GALLERY}/images/img/versions/1.0.0",
        "name": "1.0.0",
        "location": "West US",
        "properties": {
            "publishingProfile": {
                "targetRegions": [{"name": "West US", "regionalReplicaCount": 1}],
                "source": {"managedImage": {"id": f"{SUB}/providers/Microsoft.Compute/images/i"}},
            },
            "provisioningState": "Creating",
        },
    }
    version = next(load_arm(body).versions())
    assert version.storage_profile.disks == ()
    assert version.publishing_profile.source is not None
    assert version.publishing_profile.source.managed_image is not None
    assert load_arm(body).to_arm() == [body]


# -- every shape, both ways ---------------------------------------------------------------------


SHAPES: tuple[ArmShape, ...] = ("arm", "az")


@given(inventories())
def test_load_of_each_shape_written_is_the_inventory(inventory: Inventory) -> None:
    for shape in SHAPES:
        written = inventory.to_arm(shape=shape)
        again = load_arm(written)
        assert again == inventory
        assert again.to_arm(shape=shape) == written
        assert load_arm(written, shape=shape) == inventory


def test_versions_keep_their_type() -> None:
    assert isinstance(
        next(load_arm(sample_inventory().to_arm(shape="az")).versions()), ImageVersion
    )
