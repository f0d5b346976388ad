"""Loading and dumping ARM JSON: real payloads, envelopes, sources and errors."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any, cast

import pytest

from imagegallery import (
    ConstraintViolationError,
    DuplicateResourceError,
    Gallery,
    ImageDefinition,
    ImageVersion,
    InvalidEnumValueError,
    InvalidFieldError,
    InvalidResourceIdError,
    InvalidTypeError,
    InvalidVersionNameError,
    LimitExceededError,
    MalformedJsonError,
    MissingFieldError,
    NaiveDatetimeError,
    ReplicationState,
    StorageAccountType,
    UnsupportedResourceTypeError,
    load_arm,
    loads_arm,
    sample_arm,
    sample_inventory,
)
from tests.conftest import RECORDINGS, arm_example_bodies, recorded_final_states

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
GALLERY = f"{SUB}/providers/Microsoft.Compute/galleries/g1"
DEFINITION = f"{GALLERY}/images/img"
VERSION = f"{DEFINITION}/versions/1.0.0"

# How each official example loads. Illustrative ids and non-resource bodies fail with a
# specific, documented error; everything else loads and round-trips.
EXPECTED_FAILURE: dict[str, type[Exception]] = {
    "CommunityGalleryImageVersion_Get.json": InvalidVersionNameError,
    "SharedGalleryImageVersions_List.json": InvalidVersionNameError,
    "GalleryImageVersion_Create_WithShallowReplicationMode.json": InvalidResourceIdError,
    "GalleryImageVersion_Get_WithReplicationStatus.json": InvalidResourceIdError,
    "GalleryImageVersion_ListByGalleryImage.json": InvalidResourceIdError,
    "GalleryImage_Get.json": InvalidResourceIdError,
    "GalleryImageVersion_Update.json": MissingFieldError,
    "GalleryImage_Update.json": MissingFieldError,
    "GalleryImage_UpdateFeatures.json": MissingFieldError,
    "Gallery_AddToSharingProfile.json": MissingFieldError,
}
CANONICAL_IDS = {
    "microsoft.compute/galleries": GALLERY,
    "microsoft.compute/galleries/images": DEFINITION,
    "microsoft.compute/galleries/images/versions": VERSION,
}


def _resources(body: Any) -> list[dict[str, Any]]:
    return list(body["value"]) if "value" in body else [body]


@pytest.mark.parametrize(("name", "status", "body"), list(arm_example_bodies()))
def test_official_examples_load_or_fail_as_documented(name, status, body, canonical):
    expected = EXPECTED_FAILURE.get(name)
    if expected is not None:
        with pytest.raises(expected):
            load_arm(body)
        return
    inventory = load_arm(body)
    assert canonical(inventory.to_arm()) == canonical(_resources(body))
    assert load_arm(inventory.to_arm()) == inventory


def _with_canonical_id(resource: dict[str, Any], kind: str) -> dict[str, Any]:
    fixed = copy.deepcopy(resource)
    fixed["id"] = CANONICAL_IDS[kind]
    fixed["name"] = CANONICAL_IDS[kind].rsplit("/", 1)[1]
    return fixed


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        (
            "GalleryImageVersion_Get_WithReplicationStatus.json",
            "microsoft.compute/galleries/images/versions",
        ),
        (
            "GalleryImageVersion_Create_WithShallowReplicationMode.json",
            "microsoft.compute/galleries/images/versions",
        ),
        ("GalleryImageVersion_Update.json", "microsoft.compute/galleries/images/versions"),
        ("GalleryImage_Get.json", "microsoft.compute/galleries/images"),
        ("GalleryImage_UpdateFeatures.json", "microsoft.compute/galleries/images"),
    ],
)
def test_examples_with_illustrative_ids_round_trip_once_the_id_is_real(name, kind, canonical):
    for file_name, _status, body in arm_example_bodies():
        if file_name != name:
            continue
        resources = [_with_canonical_id(r, kind) for r in _resources(body)]
        inventory = load_arm(resources)
        assert canonical(inventory.to_arm()) == canonical(resources)


def test_replication_status_example_is_modelled():
    body = next(
        b
        for n, _, b in arm_example_bodies()
        if n == "GalleryImageVersion_Get_WithReplicationStatus.json"
    )
    version = load_arm(_with_canonical_id(body, "microsoft.compute/galleries/images/versions"))[
        VERSION
    ]
    assert isinstance(version, ImageVersion)
    assert version.region_names == ("westus", "eastus")
    assert version.replicas_in("eastus") == 2
    assert version.replication_status is not None
    assert version.replication_state_in("westus") is ReplicationState.COMPLETED
    encryption = version.target_regions[0].encryption
    assert encryption is not None and encryption.data_disk_images is not None
    assert [d.lun for d in encryption.data_disk_images] == [0, 1]


@pytest.mark.parametrize("recording", RECORDINGS)
def test_recorded_azure_responses_round_trip_exactly(recording, canonical):
    resources = recorded_final_states(recording)
    assert resources
    inventory = load_arm(resources)
    assert canonical(inventory.to_arm()) == canonical(resources)
    assert load_arm(inventory.to_arm()) == inventory


def test_recorded_display_regions_and_seven_digit_seconds_come_back_verbatim():
    resources = recorded_final_states("test_gallery_e2e.yaml")
    version_body = next(r for r in resources if r["name"] == "1.1.2")
    inventory = load_arm(resources)
    version = inventory[version_body["id"]]
    assert isinstance(version, ImageVersion)
    assert version.region_names == ("westus2", "eastus2")
    assert version.published_date is not None and version.published_date.microsecond == 258921
    dumped = next(r for r in inventory.to_arm() if r["id"] == version_body["id"])
    assert dumped["properties"]["publishingProfile"]["targetRegions"][1]["name"] == "East US 2"
    assert (
        dumped["properties"]["publishingProfile"]["publishedDate"]
        == "2023-12-19T09:12:25.2589211+00:00"
    )


def test_end_of_life_recording_keeps_safety_and_validation_profiles():
    resources = recorded_final_states("test_image_version_end_of_life_date.yaml")
    inventory = load_arm(resources)
    version = next(inventory.versions())
    assert version.end_of_life_date is not None and version.end_of_life_date.year == 2026
    assert version.safety_profile is not None
    assert version.safety_profile.block_deletion_before_end_of_life is False
    assert dict(version.extra_properties) == {
        "validationsProfile": {"validationOperationStatus": "NotExecuted"}
    } or (
        version.validations_profile is not None
        and version.validations_profile.extra == {"validationOperationStatus": "NotExecuted"}
    )


# -- sources and envelopes -------------------------------------------------------------------------


def test_sources_of_every_shape_merge_into_one_inventory(tmp_path: Path):
    resources = sample_arm()
    expected = sample_inventory()
    half = len(resources) // 2
    pages: list[dict[str, Any]] = [
        {"value": resources[:half], "nextLink": "https://next"},
        {"value": resources[half:]},
    ]
    graph = {"totalRecords": len(resources), "count": len(resources), "data": resources}
    path = tmp_path / "export.json"
    path.write_text(json.dumps(resources))
    assert load_arm(*pages) == expected
    assert load_arm(pages) == expected
    assert load_arm(graph) == expected
    assert load_arm(path) == expected
    assert load_arm(str(path)) == expected
    assert load_arm(io.StringIO(json.dumps(resources))) == expected
    assert load_arm(io.BytesIO(json.dumps(resources).encode())) == expected
    assert loads_arm(json.dumps(list(reversed(resources)))) == expected
    assert load_arm(resources[:3], resources[3:]) == expected


def test_resource_graph_rows_keep_their_extra_columns(canonical):
    row = {
        "id": GALLERY,
        "name": "g1",
        "type": "microsoft.compute/galleries",
        "tenantId": "t",
        "kind": "",
        "location": "westeurope",
        "resourceGroup": "rg",
        "subscriptionId": "00000000-0000-0000-0000-000000000000",
        "managedBy": "",
        "sku": None,
        "plan": None,
        "properties": {"identifier": {"uniqueName": "x"}},
        "tags": None,
        "identity": None,
        "zones": None,
        "extendedLocation": None,
    }
    inventory = load_arm({"data": [row]})
    gallery = inventory[GALLERY]
    assert isinstance(gallery, Gallery)
    assert gallery.extra["resourceGroup"] == "rg"
    assert canonical(inventory.to_arm()) == canonical([row])


def test_orphans_get_implied_parents_that_are_not_written_back(canonical):
    version = sample_arm()[3]
    inventory = load_arm(version)
    definition = inventory[version["id"].rsplit("/versions/", 1)[0]]
    assert isinstance(definition, ImageDefinition) and definition.implied
    assert definition.os_type is None
    assert next(inventory.galleries()).implied
    assert canonical(inventory.to_arm()) == canonical([version])
    assert load_arm(inventory.to_arm()) == inventory


def test_identical_duplicates_are_merged_and_conflicting_ones_rejected():
    resources = sample_arm()
    assert load_arm(resources, resources) == sample_inventory()
    changed = copy.deepcopy(resources[0])
    changed["properties"]["description"] = "something else"
    with pytest.raises(DuplicateResourceError, match=r"\[1\]\.id"):
        load_arm([resources[0], changed])


def test_other_resource_types_fail_unless_ignored():
    vm = {
        "id": f"{SUB}/providers/Microsoft.Compute/virtualMachines/vm1",
        "type": "Microsoft.Compute/virtualMachines",
        "location": "westeurope",
    }
    with pytest.raises(UnsupportedResourceTypeError) as info:
        load_arm([sample_arm()[0], vm])
    assert info.value.field == "[1].type"
    assert len(list(load_arm([sample_arm()[0], vm], ignore_unknown_types=True).galleries())) == 1


# -- errors name the field -------------------------------------------------------------------------


def _version_body(**publishing: Any) -> dict[str, Any]:
    return {
        "id": VERSION,
        "name": "1.0.0",
        "type": "Microsoft.Compute/galleries/images/versions",
        "location": "westeurope",
        "properties": {
            "publishingProfile": {
                "targetRegions": [
                    {"name": "westeurope"},
                    {"name": "eastus"},
                    {"name": "northeurope"},
                ],
                **publishing,
            },
            "storageProfile": {"osDiskImage": {"sizeInGB": 30}},
        },
    }


def test_error_names_the_full_field_path():
    body = _version_body()
    body["properties"]["publishingProfile"]["targetRegions"][2]["regionalReplicaCount"] = 0
    with pytest.raises(InvalidFieldError, match="must be between") as info:
        load_arm(body)
    assert info.value.field == "properties.publishingProfile.targetRegions[2].regionalReplicaCount"
    assert info.value.value == 0
    with pytest.raises(InvalidFieldError) as in_list:
        load_arm([sample_arm()[0], body])
    assert (
        in_list.value.field
        == "[1].properties.publishingProfile.targetRegions[2].regionalReplicaCount"
    )


@pytest.mark.parametrize(
    ("mutate", "error", "field"),
    [
        (
            lambda b: b["properties"]["publishingProfile"].update(replicaCount="2"),
            InvalidTypeError,
            "properties.publishingProfile.replicaCount",
        ),
        (
            lambda b: b["properties"]["publishingProfile"].update(
                publishedDate="2024-01-01T00:00:00"
            ),
            NaiveDatetimeError,
            "properties.publishingProfile.publishedDate",
        ),
        (lambda b: b.pop("location"), MissingFieldError, "location"),
        (lambda b: b.update(id=b["id"].replace("1.0.0", "1.0")), InvalidVersionNameError, "name"),
        (lambda b: b.update(id="/subscriptions//x"), InvalidResourceIdError, "id"),
        (
            lambda b: b["properties"]["publishingProfile"]["targetRegions"].append(
                {"name": "westeurope"}
            ),
            ValueError,
            "properties.publishingProfile.targetRegions[3].name",
        ),
        (
            lambda b: b["properties"]["storageProfile"].update(
                dataDiskImages=[{"lun": 1}, {"lun": 1}]
            ),
            ValueError,
            "properties.storageProfile.dataDiskImages[1].lun",
        ),
        (
            lambda b: b["properties"]["publishingProfile"].update(
                targetRegions=[{"name": "eastus"}]
            ),
            ValueError,
            "properties.publishingProfile.targetRegions",
        ),
        (lambda b: b.update(name="2.0.0"), ValueError, "name"),
        (
            lambda b: b["properties"].update(storageProfile=[]),
            InvalidTypeError,
            "properties.storageProfile",
        ),
    ],
)
def test_bad_versions_raise_specific_errors(mutate, error, field):
    body = _version_body()
    mutate(body)
    with pytest.raises(error) as info:
        load_arm(body)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("prop", "value", "field"),
    [
        ("osType", "Solaris", "properties.osType"),
        ("osState", "Frozen", "properties.osState"),
        ("hyperVGeneration", "V3", "properties.hyperVGeneration"),
    ],
)
def test_closed_enums_reject_unknown_values(prop, value, field):
    body = next(r for r in sample_arm() if r["type"].endswith("/images"))
    body = copy.deepcopy(body)
    body["properties"][prop] = value
    with pytest.raises(InvalidEnumValueError) as info:
        load_arm(body)
    assert info.value.field == field and info.value.value == value


def test_open_enums_accept_new_azure_values_and_keep_them(canonical):
    body = _version_body(storageAccountType="UltraSSD_LRS")
    inventory = load_arm(body)
    version = inventory[VERSION]
    assert isinstance(version, ImageVersion)
    sat = version.publishing_profile.storage_account_type
    assert sat is not None
    assert sat == StorageAccountType("UltraSSD_LRS") and not sat.is_known
    assert canonical(inventory.to_arm())[0] == canonical([body])[0]


def test_malformed_json_is_a_clear_error(tmp_path: Path):
    with pytest.raises(MalformedJsonError, match="line 1"):
        loads_arm('{"id": ')
    broken = tmp_path / "broken.json"
    broken.write_text("[1,")
    with pytest.raises(MalformedJsonError):
        load_arm(broken)
    with pytest.raises(InvalidTypeError):
        load_arm(42)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="expected a resource object"):
        load_arm([1])


def test_explicit_nulls_and_absent_defaults_round_trip(canonical):
    body = _version_body(excludeFromLatest=None)
    body["properties"]["publishingProfile"]["targetRegions"][0]["excludeFromLatest"] = None
    inventory = load_arm(body)
    version = inventory[VERSION]
    assert isinstance(version, ImageVersion)
    assert version.exclude_from_latest is False
    assert version.target_regions[0].exclude_from_latest is None
    assert canonical(inventory.to_arm()) == canonical([body])


def test_annotations_can_be_stripped_for_azure():
    dumped = sample_inventory().to_arm(annotations=False)
    assert "x-imagegallery-usedSizeInGB" not in json.dumps(dumped)
    assert "x-imagegallery-usedSizeInGB" in json.dumps(sample_inventory().to_arm())


# -- nothing read by one load stands in for a value of another ----------------------------------


def _version_with(os_disk: dict[str, Any], region: dict[str, Any]) -> dict[str, Any]:
    body = _version_body(targetRegions=[{"name": "westeurope"}, region])
    body["properties"]["storageProfile"] = {"osDiskImage": os_disk}
    return body


# Pairs of small objects that are equal in Python but written differently in JSON.
LOOKALIKES = [
    pytest.param(
        {"sizeInGB": 30, "x-imagegallery-usedSizeInGB": 0.0}, {"name": "eastus"}, id="0.0"
    ),
    pytest.param(
        {"sizeInGB": 30, "x-imagegallery-usedSizeInGB": -0.0}, {"name": "eastus"}, id="-0.0"
    ),
    pytest.param({"sizeInGB": 30}, {"name": "eastus", "future": 1}, id="1"),
    pytest.param({"sizeInGB": 30}, {"name": "eastus", "future": 1.0}, id="1.0"),
    pytest.param({"sizeInGB": 30}, {"name": "eastus", "future": True}, id="true"),
    pytest.param({"sizeInGB": 30}, {"name": "eastus", "future": -0.0}, id="-0.0-extra"),
]


@pytest.mark.parametrize(("earlier_disk", "earlier_region"), LOOKALIKES)
@pytest.mark.parametrize(("disk", "region"), LOOKALIKES)
def test_an_earlier_load_does_not_change_what_a_later_one_reads(
    earlier_disk, earlier_region, disk, region
):
    text = json.dumps([_version_with(disk, region)], sort_keys=True)
    alone = json.dumps(loads_arm(text).to_arm(), sort_keys=True)
    assert alone == text
    load_arm([_version_with(earlier_disk, earlier_region)])
    after = loads_arm(text)
    assert json.dumps(after.to_arm(), sort_keys=True) == alone
    assert after == loads_arm(text)


def test_lookalikes_in_one_load_are_each_written_back_as_they_came():
    versions = []
    for i, param in enumerate(LOOKALIKES):
        disk, region = param.values
        body = _version_with(cast(dict[str, Any], disk), cast(dict[str, Any], region))
        body["id"] = body["id"].replace("1.0.0", f"1.0.{i}")
        body["name"] = f"1.0.{i}"
        versions.append(body)
    text = json.dumps(versions, sort_keys=True)
    assert json.dumps(loads_arm(text).to_arm(), sort_keys=True) == text


# -- hostile and broken input ----------------------------------------------------------------------


def test_json_text_is_never_read_as_a_path(tmp_path: Path):
    secret = tmp_path / "secret.json"
    secret.write_text("top secret line\n")
    for text in (json.dumps(str(secret)), '"/etc/passwd"', '"\\u0000"', json.dumps([str(secret)])):
        with pytest.raises(InvalidTypeError) as info:
            loads_arm(text)
        assert "top secret" not in str(info.value)
    with pytest.raises(InvalidTypeError):
        load_arm([str(secret)])  # only a top-level source is a path


def test_load_arm_opens_only_regular_files_and_never_blocks(tmp_path: Path):
    import os

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (fifo, str(fifo), tmp_path):
        with pytest.raises(InvalidFieldError, match="not a regular file"):
            load_arm(path)
    with pytest.raises(InvalidFieldError, match="not a usable path"):
        load_arm("bad\0path")
    with pytest.raises(InvalidFieldError, match="cannot read"):
        load_arm(tmp_path / "missing.json")


def test_deep_values_hit_the_depth_limit_in_text_and_in_mappings():
    with pytest.raises(LimitExceededError) as info:
        loads_arm("[" * 10000 + "]" * 10000)
    assert info.value.limit == "depth"
    deep: Any = 1
    for _ in range(2000):
        deep = [deep]
    body = {"id": GALLERY, "location": "westeurope", "properties": {"x": deep}}
    with pytest.raises(LimitExceededError) as info:
        load_arm(body)
    assert str(info.value.field).startswith("properties.x[0][0]")
    assert len(str(info.value)) < 1000
    with pytest.raises(LimitExceededError):
        loads_arm("[" * 70 + "]" * 70)


def test_huge_numbers_and_version_names_name_their_limit():
    with pytest.raises(LimitExceededError, match="1000 digits"):
        loads_arm("[" + "1" * 5000 + "]")
    body = _version_body()
    body["id"] = f"{DEFINITION}/versions/{'1' * 5000}.0.0"
    body.pop("name")
    with pytest.raises(InvalidVersionNameError, match="at most 64 characters") as info:
        load_arm(body)
    assert info.value.field == "name" and len(str(info.value)) < 1000


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e999999"])
def test_non_finite_numbers_are_refused(literal: str):
    text = json.dumps(_version_body()).replace('"sizeInGB": 30', f'"sizeInGB": 30, "x": {literal}')
    with pytest.raises(InvalidFieldError) as info:
        loads_arm(text)
    assert info.value.field == "properties.storageProfile.osDiskImage.x"
    body = _version_body()
    body["properties"]["storageProfile"]["osDiskImage"]["x-imagegallery-usedSizeInGB"] = float(
        "nan"
    )
    with pytest.raises(InvalidFieldError, match="finite"):
        load_arm(body)


def test_numerically_equal_version_ids_are_not_merged():
    first = _version_body()
    first["id"] = first["id"].replace("1.0.0", "1.1.2")
    first["name"] = "1.1.2"
    second = copy.deepcopy(first)
    second["id"] = second["id"].replace("1.1.2", "1.0001.2")
    second["name"] = "1.0001.2"
    with pytest.raises(DuplicateResourceError) as info:
        load_arm([first, second])
    assert info.value.field == "[1].id" and "[0].id" in str(info.value)


def test_values_equal_in_python_but_not_in_json_are_different_content():
    one = {"id": GALLERY, "location": "westeurope", "properties": {"x": 1}}
    true = {"id": GALLERY, "location": "westeurope", "properties": {"x": True}}
    with pytest.raises(DuplicateResourceError) as info:
        load_arm([one, true])
    assert info.value.field == "[1].id" and "[0].id" in str(info.value)
    with pytest.raises(DuplicateResourceError, match="<source 1>"):
        load_arm(one, {**one, "properties": {"x": 1.0}})
    assert len(list(load_arm([one, copy.deepcopy(one)]).galleries())) == 1


@pytest.mark.parametrize("shape", ["arm", "az"])
def test_shared_identifiers_are_reported_at_their_input_paths(shape: str):
    gallery = {"id": GALLERY, "location": "westeurope"}
    definitions: list[dict[str, Any]] = [
        {
            "id": f"{GALLERY}/images/{name}",
            "location": "westeurope",
            "properties": {
                "osType": "Linux",
                "osState": "Generalized",
                "identifier": {"publisher": "p", "offer": "o", "sku": "s"},
            },
        }
        for name in ("a", "b")
    ]
    resources: list[dict[str, Any]] = [gallery, *definitions]
    if shape == "az":  # properties flattened into the top level
        resources[1:] = [
            {**{k: v for k, v in d.items() if k != "properties"}, **d["properties"]}
            for d in definitions
        ]
    with pytest.raises(ConstraintViolationError) as info:
        load_arm(resources)
    where = "" if shape == "az" else "properties."
    assert info.value.field == f"[2].{where}identifier"
    assert f"[1].{where}identifier" in str(info.value)


def test_messages_stay_short_whatever_the_input_holds():
    body = {
        "id": f"{SUB}{'1' * 4000}/providers/Microsoft.Compute/galleries/g1",
        "name": "",
        "location": "westeurope",
    }
    with pytest.raises(InvalidFieldError) as info:
        load_arm(body)
    assert len(str(info.value)) <= 2000


def test_loading_never_changes_the_documents_it_is_given() -> None:
    document = sample_inventory().to_arm()
    pages = [{"value": document[:3], "nextLink": "x"}, {"value": document[3:]}]
    before = copy.deepcopy((document, pages))
    assert load_arm(document) == load_arm(pages) == load_arm(tuple(document))
    assert (document, pages) == before


def test_documents_the_loader_parses_itself_load_alike(tmp_path: Path) -> None:
    text = json.dumps({"value": sample_inventory().to_arm()})
    (tmp_path / "export.json").write_text(text)
    expected = load_arm(json.loads(text))
    assert loads_arm(text) == loads_arm(text.encode("utf-16")) == expected
    assert load_arm(tmp_path / "export.json") == load_arm(io.StringIO(text)) == expected
