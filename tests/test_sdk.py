"""Objects of the Azure SDK (``azure-mgmt-compute``), in and out; the package is real, the data
recorded; nothing calls Azure."""

from __future__ import annotations

import json
import sys

import pytest

from imagegallery import (
    Gallery,
    ImageVersion,
    MissingExtraError,
    load_arm,
    sample_arm,
    sample_inventory,
    to_sdk,
)
from tests.conftest import RECORDINGS, recorded_final_states

models = pytest.importorskip("azure.mgmt.compute.models")

_MODELS = {
    "microsoft.compute/galleries": models.Gallery,
    "microsoft.compute/galleries/images": models.GalleryImage,
    "microsoft.compute/galleries/images/versions": models.GalleryImageVersion,
}


@pytest.mark.parametrize("recording", RECORDINGS)
def test_sdk_models_built_from_recorded_responses_load_like_the_responses(recording):
    bodies = recorded_final_states(recording)
    objects = [_MODELS[body["type"].lower()](body) for body in bodies]
    assert load_arm(objects) == load_arm(bodies)
    assert load_arm({"value": objects}) == load_arm(bodies)


def test_to_sdk_gives_the_models_of_the_installed_sdk_and_they_load_back():
    inventory = sample_inventory()
    objects = to_sdk(inventory)
    names = [type(o).__name__ for o in objects]
    assert names[:3] == ["Gallery", "GalleryImage", "GalleryImageVersion"]
    assert len(objects) == len(sample_arm())
    assert load_arm(objects) == inventory
    version = objects[2]
    assert version.publishing_profile.target_regions[0].name == "West Europe"
    assert version.storage_profile.os_disk_image.size_in_gb == 30


def test_to_sdk_of_one_entity_and_of_consumer_views():
    inventory = sample_inventory()
    gallery = next(inventory.galleries())
    assert isinstance(gallery, Gallery)
    assert isinstance(to_sdk(gallery), models.Gallery)
    view = {
        "location": "westus",
        "name": "1.1.2",
        "identifier": {"uniqueId": "/SharedGalleries/u-G/Images/img/Versions/1.1.2"},
        "properties": {
            "publishedDate": "2024-08-26T09:40:36.2900259+00:00",
            "excludeFromLatest": False,
            "storageProfile": {"osDiskImage": {"diskSizeGB": 30, "hostCaching": "ReadWrite"}},
        },
    }
    shared = next(load_arm(view).versions())
    assert isinstance(shared, ImageVersion)
    model = to_sdk(shared)
    assert isinstance(model, models.SharedGalleryImageVersion)
    assert model.identifier.unique_id == view["identifier"]["uniqueId"]  # type: ignore[index]
    assert json.loads(json.dumps(model.as_dict())) == view
    assert load_arm(model) == load_arm(view)


def test_without_the_sdk_to_sdk_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "azure.mgmt.compute.models", None)
    with pytest.raises(MissingExtraError, match=r"imagegallery\[azure\]") as info:
        to_sdk(sample_inventory())
    assert isinstance(info.value, ImportError)
