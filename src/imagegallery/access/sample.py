"""Sample access facts over :func:`imagegallery.sample_inventory`, in the shapes Azure prints.

The sample tenant (``aaaaaaaa-...``) holds both sample subscriptions under the management group
``mg-platform``. People and identities:

* **Alice** (in *Platform devs*, nested in *Platform*) and **Dave** (in *Contractors*, nested in
  *Platform devs*): *Platform* has Reader on ``myGallery`` (a gallery-level share).
* **Bob** and the **deploy-pipeline** service principal (in *Finance app*): Compute Gallery Image
  Reader on ``myImage1`` (a definition-level share).
* **Carol**: Reader on ``myImage3/0.2.0`` only (a version-level share).
* **Erin**: an *eligible* (PIM) Reader assignment on ``myGallery``.
* **Sam** (security auditor): Reader on the management group.
* The **image-builder** managed identity: Compute Gallery Artifacts Publisher on ``rg-images``.
* *App deployers* (Alice, Bob, Carol, Dave, deploy-pipeline), and Erin directly: Virtual Machine
  Contributor on ``rg-apps`` (subscription ``1111...``), where VMs are created.
* One **deny assignment** on ``myGallery``: *Contractors* may not read image versions there.
* One orphan: a Reader assignment left behind by a deleted principal.

Example:
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.access import sample_access_model
    >>> model = sample_access_model(sample_inventory())
    >>> model
    AccessModel(roles=9, role_assignments=9, deny_assignments=1, memberships=11, orphans=1)
"""

from __future__ import annotations

from typing import Any, Final

from imagegallery.access.model import AccessModel
from imagegallery.access.records import BUILTIN_ROLE_IDS
from imagegallery.inventory import Inventory

__all__ = ["SAMPLE_DEPLOY_TARGET", "SAMPLE_PRINCIPALS", "sample_access_model"]

_SUB_A: Final = "11111111-1111-1111-1111-111111111111"
_SUB_B: Final = "22222222-2222-2222-2222-222222222222"
_TENANT: Final = "aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa"
_GALLERIES: Final = f"/subscriptions/{_SUB_A}/resourceGroups/rg-images/providers/Microsoft.Compute"
_GALLERY: Final = f"{_GALLERIES}/galleries/myGallery"
_AUTH: Final = "providers/Microsoft.Authorization"
SAMPLE_DEPLOY_TARGET: Final = f"/subscriptions/{_SUB_A}/resourceGroups/rg-apps"
"""The resource group where the sample's VMs are deployed."""


def _user(n: int) -> str:
    return f"a1c3e5f7-0000-4000-8000-{n:012d}"


def _group(n: int) -> str:
    return f"b2d4f6a8-0000-4000-8000-{n:012d}"


def _sp(n: int) -> str:
    return f"c3e5a7b9-0000-4000-8000-{n:012d}"


SAMPLE_PRINCIPALS: Final = {
    "alice": _user(1),
    "bob": _user(2),
    "carol": _user(3),
    "dave": _user(4),
    "erin": _user(5),
    "sam": _user(6),
    "platform": _group(1),
    "platform-devs": _group(2),
    "contractors": _group(3),
    "finance-app": _group(4),
    "app-deployers": _group(5),
    "image-builder": _sp(1),
    "deploy-pipeline": _sp(2),
}
"""Short names of the sample's principals → their object ids."""

_P = SAMPLE_PRINCIPALS


def _directory() -> list[dict[str, Any]]:
    users = [
        ("alice", "Alice"),
        ("bob", "Bob"),
        ("carol", "Carol"),
        ("dave", "Dave"),
        ("erin", "Erin"),
        ("sam", "Sam (security)"),
    ]
    groups = [
        ("platform", "Platform"),
        ("platform-devs", "Platform devs"),
        ("contractors", "Contractors"),
        ("finance-app", "Finance app"),
        ("app-deployers", "App deployers"),
    ]
    out: list[dict[str, Any]] = [
        {
            "@odata.type": "#microsoft.graph.user",
            "id": _P[k],
            "displayName": name,
            "userType": "Member",
            "tenantId": _TENANT,
        }
        for k, name in users
    ]
    out += [
        {
            "@odata.type": "#microsoft.graph.group",
            "id": _P[k],
            "displayName": name,
            "securityEnabled": True,
            "tenantId": _TENANT,
        }
        for k, name in groups
    ]
    out += [
        {
            "@odata.type": "#microsoft.graph.servicePrincipal",
            "id": _P["image-builder"],
            "displayName": "image-builder",
            "servicePrincipalType": "ManagedIdentity",
            "appId": "d4f6b8c0-0000-4000-8000-000000000001",
            "tenantId": _TENANT,
        },
        {
            "@odata.type": "#microsoft.graph.servicePrincipal",
            "id": _P["deploy-pipeline"],
            "displayName": "deploy-pipeline",
            "servicePrincipalType": "Application",
            "appId": "d4f6b8c0-0000-4000-8000-000000000002",
            "tenantId": _TENANT,
        },
    ]
    return out


def _memberships() -> list[dict[str, Any]]:
    edges = [
        ("platform", "platform-devs"),
        ("platform-devs", "alice"),
        ("platform-devs", "contractors"),
        ("contractors", "dave"),
        ("finance-app", "bob"),
        ("finance-app", "deploy-pipeline"),
    ]
    records: list[dict[str, Any]] = [{"groupId": _P[g], "memberId": _P[m]} for g, m in edges]
    records.append(
        {
            "groupId": _P["app-deployers"],
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects",
            "value": [
                {"@odata.type": "#microsoft.graph.user", "id": _P[k]}
                for k in ("alice", "bob", "carol", "dave")
            ]
            + [{"@odata.type": "#microsoft.graph.servicePrincipal", "id": _P["deploy-pipeline"]}],
        }
    )
    return records


def _assignment(n: int, who: str, ptype: str, role: str, scope: str, **more: Any) -> dict[str, Any]:
    guid = BUILTIN_ROLE_IDS[role]
    return {
        "id": f"{scope}/{_AUTH}/roleAssignments/e5a7c9d1-0000-4000-8000-{n:012d}",
        "name": f"e5a7c9d1-0000-4000-8000-{n:012d}",
        "principalId": who,
        "principalType": ptype,
        "roleDefinitionId": f"/subscriptions/{_SUB_A}/{_AUTH}/roleDefinitions/{guid}",
        "roleDefinitionName": role,
        "scope": scope,
        "type": "Microsoft.Authorization/roleAssignments",
        "condition": None,
        "conditionVersion": None,
        **more,
    }


def _role_assignments() -> list[dict[str, Any]]:
    image1 = f"{_GALLERY}/images/myImage1"
    return [
        _assignment(1, _P["platform"], "Group", "Reader", _GALLERY),
        _assignment(2, _P["finance-app"], "Group", "Compute Gallery Image Reader", image1),
        _assignment(3, _P["carol"], "User", "Reader", f"{_GALLERY}/images/myImage3/versions/0.2.0"),
        _assignment(
            4,
            _P["image-builder"],
            "ServicePrincipal",
            "Compute Gallery Artifacts Publisher",
            f"/subscriptions/{_SUB_A}/resourceGroups/rg-images",
        ),
        _assignment(
            5, _P["app-deployers"], "Group", "Virtual Machine Contributor", SAMPLE_DEPLOY_TARGET
        ),
        _assignment(
            6,
            _P["sam"],
            "User",
            "Reader",
            "/providers/Microsoft.Management/managementGroups/mg-platform",
        ),
        _assignment(
            7,
            _P["erin"],
            "User",
            "Reader",
            _GALLERY,
            type="Microsoft.Authorization/roleEligibilityScheduleInstances",
        ),
        _assignment(8, _P["erin"], "User", "Virtual Machine Contributor", SAMPLE_DEPLOY_TARGET),
        _assignment(9, "f0f0f0f0-dead-4000-8000-000000000009", "Unknown", "Reader", _GALLERY),
    ]


def _deny_assignments() -> list[dict[str, Any]]:
    return [
        {
            "id": f"{_GALLERY}/{_AUTH}/denyAssignments/f1a3c5e7-0000-4000-8000-000000000001",
            "name": "f1a3c5e7-0000-4000-8000-000000000001",
            "type": "Microsoft.Authorization/denyAssignments",
            "properties": {
                "denyAssignmentName": "No contractor reads of golden images",
                "description": "Contractors may not read versions in myGallery.",
                "permissions": [
                    {
                        "actions": ["Microsoft.Compute/galleries/images/versions/read"],
                        "notActions": [],
                        "dataActions": [],
                        "notDataActions": [],
                    }
                ],
                "scope": _GALLERY,
                "doNotApplyToChildScopes": False,
                "principals": [{"id": _P["contractors"], "type": "Group"}],
                "excludePrincipals": [],
                "isSystemProtected": False,
            },
        }
    ]


def sample_access_model(inventory: Inventory) -> AccessModel:
    """The sample access facts (see the module documentation) over ``inventory``.

    Meant for :func:`imagegallery.sample_inventory`; ids that the inventory lacks make their
    assignments orphans.

    Example:
        >>> from imagegallery import sample_inventory
        >>> model = sample_access_model(sample_inventory())
        >>> gallery = next(sample_inventory().galleries())
        >>> version = gallery.definitions["myImage1"].versions["1.0.9"].id
        >>> model.can(SAMPLE_PRINCIPALS["dave"], "Microsoft.Compute/galleries/images/versions/read",
        ...           version).effect.value
        'denied'
    """
    return AccessModel.from_azure(
        inventory,
        role_assignments=_role_assignments(),
        deny_assignments=_deny_assignments(),
        memberships=_memberships(),
        directory=_directory(),
        management_groups={_SUB_A: "mg-platform", _SUB_B: "mg-platform"},
        subscriptions=[
            {"id": _SUB_A, "tenantId": _TENANT, "name": "platform-prod"},
            {"id": _SUB_B, "tenantId": _TENANT, "name": "shared-images"},
        ],
    )
