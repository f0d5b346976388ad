"""The fixture of the reference's worked cases, and helpers to build access models over it.

Hierarchy: ``/`` → ``mg-root`` → ``mg-plat`` → subscription ``S1`` → ``rg-images`` → ``gal1`` →
{``img-ubuntu`` → ``1.0.0``, ``1.1.0``; ``img-win`` → ``2.0.0``}; also
``S1/rg-images10/gal10/img/1.0.0``, the shared galleries ``galDirect`` (to ``S2``) and
``galPublic`` (community), and subscriptions ``S2`` (``rg-app``), ``S3`` (``rg``) and ``ST2`` (in
tenant ``T2``, ``rg``). Groups: ``G-devs`` ∈ ``G-eng``; ``G-a`` ∈ ``G-b`` and ``G-b`` ∈ ``G-a``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from imagegallery import Inventory, load_arm
from imagegallery.access import AccessModel, builtin_role

GALLERIES = "/subscriptions/S1/resourceGroups/rg-images/providers/Microsoft.Compute/galleries"
GAL1 = f"{GALLERIES}/gal1"
UBUNTU = f"{GAL1}/images/img-ubuntu"
WIN = f"{GAL1}/images/img-win"
V100 = f"{UBUNTU}/versions/1.0.0"
V110 = f"{UBUNTU}/versions/1.1.0"
V200 = f"{WIN}/versions/2.0.0"
GAL10 = "/subscriptions/S1/resourceGroups/rg-images10/providers/Microsoft.Compute/galleries/gal10"
GAL10_V = f"{GAL10}/images/img/versions/1.0.0"
GAL_DIRECT = f"{GALLERIES}/galDirect"
GAL_DIRECT_V = f"{GAL_DIRECT}/images/img/versions/1.0.0"
GAL_PUBLIC = f"{GALLERIES}/galPublic"
GAL_PUBLIC_V = f"{GAL_PUBLIC}/images/img/versions/1.0.0"
GAL_OLD = f"{GALLERIES}/galOld"
S1 = "/subscriptions/S1"
S2 = "/subscriptions/S2"
RG_IMAGES = f"{S1}/resourceGroups/rg-images"
RG_APP = f"{S2}/resourceGroups/rg-app"
S3_RG = "/subscriptions/S3/resourceGroups/rg"
ST2_RG = "/subscriptions/ST2/resourceGroups/rg"
MG_ROOT = "/providers/Microsoft.Management/managementGroups/mg-root"
MG_PLAT = "/providers/Microsoft.Management/managementGroups/mg-plat"

READ = "Microsoft.Compute/galleries/images/versions/read"
WRITE = "Microsoft.Compute/galleries/images/versions/write"
DELETE = "Microsoft.Compute/galleries/images/versions/delete"
IMAGE_READ = "Microsoft.Compute/galleries/images/read"
GALLERY_READ = "Microsoft.Compute/galleries/read"
SHARE = "Microsoft.Compute/galleries/share/action"
RA_WRITE = "Microsoft.Authorization/roleAssignments/write"
VM_WRITE = "Microsoft.Compute/virtualMachines/write"


def _gallery(gid: str, **props: Any) -> dict[str, Any]:
    return {
        "id": gid,
        "type": "Microsoft.Compute/galleries",
        "location": "westeurope",
        "properties": props,
    }


def _image(iid: str, n: int) -> dict[str, Any]:
    return {
        "id": iid,
        "type": "Microsoft.Compute/galleries/images",
        "location": "westeurope",
        "properties": {
            "osType": "Linux",
            "osState": "Generalized",
            "identifier": {"publisher": "p", "offer": "o", "sku": f"s{n}"},
        },
    }


def _version(vid: str) -> dict[str, Any]:
    return {
        "id": vid,
        "type": "Microsoft.Compute/galleries/images/versions",
        "location": "westeurope",
        "properties": {"storageProfile": {}},
    }


@cache
def reference_inventory() -> Inventory:
    """The galleries of the fixture."""
    return load_arm(
        [
            _gallery(GAL1),
            _image(UBUNTU, 1),
            _version(V100),
            _version(V110),
            _image(WIN, 2),
            _version(V200),
            _gallery(GAL10),
            _image(f"{GAL10}/images/img", 3),
            _version(GAL10_V),
            _gallery(
                GAL_DIRECT,
                sharingProfile={
                    "permissions": "Groups",
                    "groups": [{"type": "Subscriptions", "ids": ["S2"]}],
                },
            ),
            _image(f"{GAL_DIRECT}/images/img", 4),
            _version(GAL_DIRECT_V),
            _gallery(
                GAL_PUBLIC,
                sharingProfile={
                    "permissions": "Community",
                    "communityGalleryInfo": {
                        "communityGalleryEnabled": True,
                        "publicNames": ["pub-1"],
                    },
                },
            ),
            _image(f"{GAL_PUBLIC}/images/img", 5),
            _version(GAL_PUBLIC_V),
        ]
    )


MEMBERSHIPS = [
    {"groupId": "G-eng", "memberId": "G-devs"},
    {"groupId": "G-devs", "memberId": "erin"},
    {"groupId": "G-a", "memberId": "G-b"},
    {"groupId": "G-b", "memberId": "G-a"},
    {"groupId": "G-a", "memberId": "dave"},
]
MANAGEMENT_GROUPS = {S1: "mg-plat", "mg-plat": "mg-root"}


def ra(principal: str, role: str, scope: str, **more: Any) -> dict[str, Any]:
    """An ``az role assignment list`` record for a built-in role (by name) or a role GUID."""
    try:
        guid = builtin_role(role).id
    except LookupError:
        guid = role
    return {
        "principalId": principal,
        "principalType": more.pop("principalType", "User"),
        "roleDefinitionId": f"/subscriptions/S1/providers/Microsoft.Authorization/roleDefinitions/{guid}",
        "scope": scope,
        **more,
    }


def deny(scope: str, actions: list[str], **more: Any) -> dict[str, Any]:
    """A deny assignment record (REST shape)."""
    name = more.pop("name", "deny-1")
    return {
        "id": f"{scope}/providers/Microsoft.Authorization/denyAssignments/{name}",
        "properties": {
            "denyAssignmentName": name,
            "scope": scope,
            "permissions": [{"actions": actions, "notActions": more.pop("notActions", [])}],
            "principals": more.pop(
                "principals",
                [{"id": "00000000-0000-0000-0000-000000000000", "type": "SystemDefined"}],
            ),
            "excludePrincipals": more.pop("excludePrincipals", []),
            "doNotApplyToChildScopes": more.pop("doNotApplyToChildScopes", False),
            **more,
        },
    }


def model(
    role_assignments: list[dict[str, Any]] = (),  # type: ignore[assignment]
    **more: Any,
) -> AccessModel:
    """An access model over the fixture."""
    more.setdefault("memberships", MEMBERSHIPS)
    more.setdefault("management_groups", MANAGEMENT_GROUPS)
    return AccessModel.from_azure(
        reference_inventory(), role_assignments=list(role_assignments), **more
    )
