"""The embedded sample inventory: small, realistic, and exercising every rule.

Two subscriptions and three galleries:

* ``myGallery`` (subscription ``1111...``, West Europe, private): the product documents' example
  definitions ``myImage1`` (Contoso/Finance/Backend), ``myImage2`` (Contoso/Finance/Frontend) and
  ``myImage3`` (Testing/Finance/Frontend). ``myImage1`` holds ``1.0.9`` and ``1.0.10`` (the pair
  that string order gets wrong), ``1.0.0`` past its end of life, ``1.0.10`` still replicating to
  East US, and ``1.1.0`` excluded from latest everywhere but North Europe (a canary region); in
  Sweden Central, where only ``1.1.0`` is replicated, there is no "latest" at all.
  ``myImage2`` has a version excluded from latest in one region only.
* ``sharedGallery`` (subscription ``2222...``, East US): directly shared with subscription
  ``1111...`` and one tenant; a Windows Trusted Launch definition and a Linux one.
* ``communityGallery`` (subscription ``2222...``, East US): shared with everyone.

Generalized and specialized, Windows and Linux, V1 and V2, x64 and Arm64, LRS, ZRS and Premium
replicas, and measured used sizes on disks are all represented.

Example:
    >>> from imagegallery import sample_inventory
    >>> inv = sample_inventory()
    >>> [g.name for g in inv.galleries()]
    ['myGallery', 'communityGallery', 'sharedGallery']
    >>> [d.name for d in inv.definitions()][:3]
    ['myImage1', 'myImage2', 'myImage3']
"""

from __future__ import annotations

from functools import cache
from typing import Any

from imagegallery.arm import load_arm
from imagegallery.inventory import Inventory

__all__ = ["SAMPLE_SUBSCRIPTIONS", "sample_arm", "sample_inventory"]

SAMPLE_SUBSCRIPTIONS = (
    "11111111-1111-1111-1111-111111111111",
    "22222222-2222-2222-2222-222222222222",
)
_TENANT = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"
_PARTNER_TENANT = "bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb"
_PROVIDER = "providers/Microsoft.Compute/galleries"


def _gallery(sub: str, rg: str, name: str, location: str, **props: Any) -> dict[str, Any]:
    return {
        "id": f"/subscriptions/{sub}/resourceGroups/{rg}/{_PROVIDER}/{name}",
        "name": name,
        "type": "Microsoft.Compute/galleries",
        "location": location,
        "tags": {"owner": "platform-team"},
        "properties": {
            "identifier": {"uniqueName": f"{sub}-{name.upper()}"},
            "provisioningState": "Succeeded",
            **props,
        },
    }


def _definition(gallery: dict[str, Any], name: str, triple: str, **props: Any) -> dict[str, Any]:
    publisher, offer, sku = triple.split("/")
    return {
        "id": f"{gallery['id']}/images/{name}",
        "name": name,
        "type": "Microsoft.Compute/galleries/images",
        "location": gallery["location"],
        "properties": {
            "identifier": {"publisher": publisher, "offer": offer, "sku": sku},
            "provisioningState": "Succeeded",
            **props,
        },
    }


def _region(name: str, replicas: int, storage: str, **more: Any) -> dict[str, Any]:
    return {"name": name, "regionalReplicaCount": replicas, "storageAccountType": storage, **more}


def _version(
    definition: dict[str, Any],
    name: str,
    published: str,
    regions: list[dict[str, Any]],
    *,
    os_disk: tuple[int, float] = (30, 8.5),
    data_disks: tuple[tuple[int, int, float], ...] = (),
    status: dict[str, str] | None = None,
    **publishing: Any,
) -> dict[str, Any]:
    size, used = os_disk
    storage: dict[str, Any] = {
        "source": {
            "id": definition["id"].split("/providers/")[0]
            + f"/providers/Microsoft.Compute/images/{definition['name']}-{name}"
        },
        "osDiskImage": {
            "sizeInGB": size,
            "hostCaching": "ReadWrite",
            "x-imagegallery-usedSizeInGB": used,
        },
    }
    if data_disks:
        storage["dataDiskImages"] = [
            {"lun": lun, "sizeInGB": gb, "hostCaching": "None", "x-imagegallery-usedSizeInGB": u}
            for lun, gb, u in data_disks
        ]
    props: dict[str, Any] = {
        "publishingProfile": {
            "targetRegions": regions,
            "replicaCount": 1,
            "excludeFromLatest": False,
            "publishedDate": published,
            "storageAccountType": "Standard_LRS",
            **publishing,
        },
        "storageProfile": storage,
        "safetyProfile": {
            "allowDeletionOfReplicatedLocations": False,
            "reportedForPolicyViolation": False,
        },
        "provisioningState": "Succeeded",
    }
    if status is not None:
        props["replicationStatus"] = {
            "aggregatedState": "Completed"
            if all(s == "Completed" for s in status.values())
            else "InProgress",
            "summary": [
                {"region": r, "state": s, "progress": 100 if s == "Completed" else 40}
                for r, s in status.items()
            ],
        }
    return {
        "id": f"{definition['id']}/versions/{name}",
        "name": name,
        "type": "Microsoft.Compute/galleries/images/versions",
        "location": definition["location"],
        "properties": props,
    }


def sample_arm() -> list[dict[str, Any]]:
    """The sample inventory as ARM resource dicts (what ``az`` would print for it).

    Example:
        >>> len(sample_arm())
        22
    """
    sub_a, sub_b = SAMPLE_SUBSCRIPTIONS
    my_gallery = _gallery(
        sub_a,
        "rg-images",
        "myGallery",
        "westeurope",
        description="Golden images of the finance platform",
        sharingProfile={"permissions": "Private"},
        softDeletePolicy={"isSoftDeleteEnabled": True},
    )
    image1 = _definition(
        my_gallery,
        "myImage1",
        "Contoso/Finance/Backend",
        osType="Linux",
        osState="Generalized",
        hyperVGeneration="V2",
        architecture="x64",
        description="Backend services (Ubuntu)",
        recommended={"vCPUs": {"min": 2, "max": 16}, "memory": {"min": 4, "max": 64}},
    )
    image2 = _definition(
        my_gallery,
        "myImage2",
        "Contoso/Finance/Frontend",
        osType="Windows",
        osState="Generalized",
        hyperVGeneration="V1",
        description="Frontend web servers (Windows Server)",
        endOfLifeDate="2030-12-31T00:00:00+00:00",
    )
    image3 = _definition(
        my_gallery,
        "myImage3",
        "Testing/Finance/Frontend",
        osType="Linux",
        osState="Specialized",
        hyperVGeneration="V2",
        architecture="Arm64",
        description="Frontend test rig (specialized snapshot)",
    )
    eu3 = [
        _region("West Europe", 2, "Standard_ZRS"),
        _region("North Europe", 1, "Standard_LRS"),
        _region("East US", 1, "Standard_LRS"),
    ]
    shared_gallery = _gallery(
        sub_b,
        "rg-shared",
        "sharedGallery",
        "eastus",
        description="Base images shared with application subscriptions",
        sharingProfile={
            "permissions": "Groups",
            "groups": [
                {"type": "Subscriptions", "ids": [sub_a]},
                {"type": "AADTenants", "ids": [_PARTNER_TENANT]},
            ],
        },
    )
    win_base = _definition(
        shared_gallery,
        "winBase",
        "Contoso/Base/WindowsServer2022",
        osType="Windows",
        osState="Generalized",
        hyperVGeneration="V2",
        features=[{"name": "SecurityType", "value": "TrustedLaunch"}],
    )
    linux_base = _definition(
        shared_gallery,
        "linuxBase",
        "Contoso/Base/Ubuntu2404",
        osType="Linux",
        osState="Generalized",
        hyperVGeneration="V2",
    )
    community_gallery = _gallery(
        sub_b,
        "rg-shared",
        "communityGallery",
        "eastus",
        description="Open-source tooling images",
        sharingProfile={
            "permissions": "Community",
            "communityGalleryInfo": {
                "publisherUri": "https://contoso.example/images",
                "publisherContact": "images@contoso.example",
                "eula": "https://contoso.example/eula",
                "publicNamePrefix": "Contoso",
                "communityGalleryEnabled": True,
                "publicNames": ["Contoso-0c5f1a2b-7d3e-4c9a-9b1f-2e6d8a4c0f11"],
            },
        },
    )
    tools = _definition(
        community_gallery,
        "devTools",
        "Contoso/Tools/DevBox",
        osType="Linux",
        osState="Generalized",
        hyperVGeneration="V2",
    )
    return [
        my_gallery,
        image1,
        _version(
            image1,
            "1.0.0",
            "2024-01-15T10:00:00+00:00",
            eu3[:2],
            endOfLifeDate="2025-06-30T00:00:00+00:00",
        ),
        _version(image1, "1.0.9", "2024-09-02T08:30:00.1234567+00:00", eu3),
        _version(
            image1,
            "1.0.10",
            "2024-10-14T16:45:00+00:00",
            [
                _region("West Europe", 3, "Standard_ZRS"),
                _region("North Europe", 1, "Standard_LRS"),
                _region("East US", 2, "Premium_LRS"),
            ],
            data_disks=((0, 32, 0.0),),
            status={"westeurope": "Completed", "northeurope": "Completed", "eastus": "Replicating"},
        ),
        _version(
            image1,
            "1.1.0",
            "2025-02-03T09:00:00+00:00",
            [
                _region("West Europe", 1, "Standard_LRS"),
                _region("North Europe", 1, "Standard_LRS", excludeFromLatest=False),
                _region("Sweden Central", 1, "Standard_LRS"),
            ],
            excludeFromLatest=True,
        ),
        image2,
        _version(
            image2,
            "2.0.0",
            "2024-05-20T12:00:00Z",
            [_region("West Europe", 2, "Premium_LRS"), _region("East US", 1, "Standard_LRS")],
            os_disk=(127, 24.0),
        ),
        _version(
            image2,
            "2.1.0",
            "2024-11-05T12:00:00Z",
            [
                _region("West Europe", 2, "Premium_LRS"),
                _region("East US", 1, "Standard_LRS", excludeFromLatest=True),
            ],
            os_disk=(127, 26.5),
        ),
        image3,
        _version(
            image3,
            "0.1.0",
            "2024-03-01T00:00:00Z",
            [_region("West Europe", 1, "Standard_LRS")],
            os_disk=(64, 20.0),
            data_disks=((0, 128, 40.0), (1, 128, 0.0)),
        ),
        _version(
            image3,
            "0.2.0",
            "2024-12-01T00:00:00Z",
            [_region("West Europe", 1, "Standard_LRS")],
            os_disk=(64, 21.0),
            data_disks=((0, 128, 44.0), (1, 128, 0.0)),
            endOfLifeDate="2030-06-30T00:00:00+00:00",
        ),
        shared_gallery,
        win_base,
        _version(
            win_base,
            "2024.10.1",
            "2024-10-09T03:00:00Z",
            [_region("East US", 2, "Standard_LRS"), _region("West Europe", 2, "Standard_LRS")],
            os_disk=(127, 18.0),
        ),
        _version(
            win_base,
            "2025.1.0",
            "2025-01-15T03:00:00Z",
            [_region("East US", 2, "Standard_ZRS"), _region("West Europe", 2, "Standard_ZRS")],
            os_disk=(127, 19.5),
        ),
        linux_base,
        _version(
            linux_base,
            "24.4.1",
            "2024-06-01T00:00:00Z",
            [_region("East US", 1, "Standard_LRS")],
            os_disk=(30, 4.0),
        ),
        _version(
            linux_base,
            "24.4.2",
            "2024-12-01T00:00:00Z",
            [_region("East US", 1, "Standard_LRS")],
            os_disk=(30, 4.2),
            replicationMode="Shallow",
        ),
        community_gallery,
        tools,
        _version(
            tools,
            "3.2.0",
            "2025-03-10T00:00:00Z",
            [_region("East US", 1, "Standard_LRS")],
            os_disk=(64, 12.0),
        ),
    ]


@cache
def sample_inventory() -> Inventory:
    """The embedded sample inventory (see the module documentation for what it holds).

    Example:
        >>> inv = sample_inventory()
        >>> len(inv), inv.subscriptions()[0]
        (13, '11111111-1111-1111-1111-111111111111')
    """
    return load_arm(sample_arm())
