"""Every payload of the external corpus loads and is written back exactly, or is rejected with a
specific, documented error (and then loads once the documented cause is removed).

The corpus (``tests/data/corpus``, built from ``../shared/fixtures/corpus`` by ``build.py``) holds
the distinct response bodies of gallery requests in public recordings and REST examples, 13 API
versions from 2018-06-01 to 2025-03-03: publisher resources, consumer views of shared and
community galleries, and bodies that are no gallery resource.
"""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from imagegallery import (
    ConstraintViolationError,
    ImageGalleryError,
    InvalidResourceIdError,
    InvalidTypeError,
    InvalidVersionNameError,
    MissingFieldError,
    UnsupportedResourceTypeError,
    iter_arm_resources,
    load_arm,
)

CORPUS = Path(__file__).parent / "data" / "corpus"
with gzip.open(CORPUS / "bodies.json.gz", "rt", encoding="utf-8") as _stream:
    BODIES: list[dict[str, Any]] = json.load(_stream)

# Payloads that break a rule the library states (DESIGN: validation at construction). Each is the
# payload's own inconsistency, not a shape the loader fails to read.
# Payloads that break their API version's schema are the payload's fault.
INCONSISTENT: dict[tuple[str, str], type[ImageGalleryError]] = {
    # the version's location (canadacentral) is not one of its target regions (Central US EUAP)
    (
        "azure-cli-extensions/devcenter-latest/test_gallery_scenario.yaml",
        "interaction 60",
    ): ConstraintViolationError,
    (
        "azure-cli-extensions/devcenter-latest/test_gallery_scenario.yaml",
        "interaction 69",
    ): ConstraintViolationError,
    # osDiskImage.source is a string; the schema makes it an object {"id": ...}
    (
        "rest-api-specs/2019-07-01/GetAGalleryImageVersionWithSnapshotsAsSource.json",
        "response 200",
    ): InvalidTypeError,
    (
        "rest-api-specs/2019-12-01/GetAGalleryImageVersionWithSnapshotsAsSource.json",
        "response 200",
    ): InvalidTypeError,
}


def _resources(body: Any) -> list[dict[str, Any]]:
    return [resource for _, resource in iter_arm_resources(body)]


def _canonical(resources: list[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True) for r in resources)


def _assert_round_trip(body: Any) -> None:
    inventory = load_arm(body)
    assert _canonical(inventory.to_arm()) == _canonical(_resources(body))
    assert load_arm(inventory.to_arm()) == inventory


def _kind(entry: dict[str, Any]) -> str:
    name = entry["file"].rsplit("/", 1)[-1].lower()
    if "imageversion" in name:
        return "version"
    return "image" if "image" in name else "gallery"


def _real_id(entry: dict[str, Any], name: str | None) -> str:
    """The id an example is about, from its ``parameters`` (and the item's ``name``)."""
    p = entry["parameters"]
    rid = (
        f"/subscriptions/{p['subscriptionId']}/resourceGroups/{p['resourceGroupName']}"
        f"/providers/Microsoft.Compute/galleries/{p['galleryName']}"
    )
    kind = _kind(entry)
    if kind == "gallery":
        return rid.rsplit("/", 1)[0] + f"/{name or p['galleryName']}"
    rid += (
        f"/images/{p['galleryImageName'] if kind == 'version' else name or p['galleryImageName']}"
    )
    if kind == "version":
        rid += f"/versions/{name or p['galleryImageVersionName']}"
    return rid


def _with_real_ids(entry: dict[str, Any]) -> Any:
    body = copy.deepcopy(entry["body"])
    for resource in _resources(body):
        resource["id"] = _real_id(entry, resource.get("name"))
    return body


def _name(entry: dict[str, Any]) -> str:
    return f"{entry['file']}:{entry['at']}"


@pytest.mark.parametrize("entry", BODIES, ids=_name)
def test_each_payload_round_trips_or_is_rejected_as_documented(entry: dict[str, Any]) -> None:
    body = entry["body"]
    try:
        _assert_round_trip(body)
    except ImageGalleryError as err:
        _assert_documented_rejection(entry, err)


def _assert_documented_rejection(entry: dict[str, Any], err: ImageGalleryError) -> None:
    body, field = entry["body"], str(getattr(err, "field", ""))
    if not isinstance(body, dict | list):
        assert isinstance(err, InvalidTypeError)  # an empty (DELETE) response: no resource
    elif isinstance(err, UnsupportedResourceTypeError):
        types = {str(r.get("type", "")).lower() for r in _resources(body)}
        assert types and not types <= {
            "microsoft.compute/galleries",
            "microsoft.compute/galleries/images",
            "microsoft.compute/galleries/images/versions",
        }, types
    elif isinstance(err, MissingFieldError | InvalidResourceIdError) and field.endswith("id"):
        # REST examples without an id (nothing places them) or with an illustrative one
        # (/providers/Microsoft.Compute/locations/westus/Galleries/..., {subscription-id}//...).
        assert "parameters" in entry, "a recorded response without a usable id"
        _assert_round_trip_except_ids(_with_real_ids(entry), entry)
    elif isinstance(err, InvalidVersionNameError | ConstraintViolationError) and (
        "parameters" in entry and field.endswith("name")
    ):
        # illustrative names: a version named "myGalleryImageVersionName", a gallery named
        # "myGalleryName" whose id (or proxy id) ends in "galleryUniqueName".
        assert any("my" in str(r.get("name", "")) for r in _resources(body))
    else:
        assert isinstance(err, INCONSISTENT[entry["file"], entry["at"]]), repr(err)


def _assert_round_trip_except_ids(body: Any, entry: dict[str, Any]) -> None:
    try:
        _assert_round_trip(body)
        return
    except ImageGalleryError as caught:
        err = caught
    if isinstance(err, InvalidVersionNameError | ConstraintViolationError):
        assert "my" in str(err.value) or "name" in str(err.field)  # illustrative names as above
    elif isinstance(err, MissingFieldError):
        # a sharing update ({"operationType": ..., "groups": [...]}) is no resource at all
        assert err.field == "location" and "operationType" in body, repr(err)
    else:
        assert isinstance(err, INCONSISTENT[entry["file"], entry["at"]]), repr(err)


def test_the_corpus_is_what_the_readme_says() -> None:
    assert len(BODIES) == 452
    assert sum(entry["copies"] for entry in BODIES) == 936
    versions = {
        entry["file"].split("/")[1] for entry in BODIES if "rest-api-specs" in entry["file"]
    }
    assert {"2018-06-01", "2019-03-01", "2020-09-30-preview", "2025-03-03"} <= versions
    assert len(versions) == 13  # 12 stable API versions and one preview


def test_versions_of_2018_and_2019_load_with_their_source_and_without_storage_profile() -> None:
    older = [
        e
        for e in BODIES
        if e["file"].startswith(("rest-api-specs/2018-06-01/", "rest-api-specs/2019-03-01/"))
        and _kind(e) == "version"
    ]
    without_storage = 0
    for entry in older:
        inventory = load_arm(_with_real_ids(entry))
        for version in inventory.versions():
            source = version.publishing_profile.source
            assert source is not None and source.managed_image is not None
            without_storage += version.storage_profile.os_disk_image is None
    assert without_storage >= 4
