"""Permission blocks, role definitions and the shipped built-in roles."""

from __future__ import annotations

import pytest

from imagegallery import ResourceNotFoundError
from imagegallery.access import (
    BUILTIN_ROLE_IDS,
    Permission,
    RoleDefinition,
    builtin_role,
    builtin_roles,
)
from imagegallery.access.actions import (
    DEFINITION_READ,
    GALLERY_SHARE,
    VERSION_READ,
)
from imagegallery.access.records import role_definition_guid
from imagegallery.errors import InvalidAccessRecordError


def test_notactions_subtract_within_their_block_only() -> None:
    role = RoleDefinition(
        id="r1",
        name="two blocks",
        permissions=[
            Permission(actions=["*"], not_actions=["*/write"]),
            Permission(actions=["Microsoft.Compute/galleries/images/versions/write"]),
        ],
    )
    assert role.grants("Microsoft.Compute/galleries/images/versions/write") is not None
    assert role.grants("Microsoft.Compute/galleries/write") is None
    assert role.subtracted_by("Microsoft.Compute/galleries/write") == "*/write"
    assert role.subtracted_by("Microsoft.Compute/galleries/read") is None


def test_data_actions_are_a_separate_plane() -> None:
    block = Permission(
        actions=["*"],
        data_actions=["Microsoft.Compute/disks/*"],
        not_data_actions=["*/upload/action"],
    )
    assert (
        block.match("Microsoft.Compute/disks/download/action", data=True)
        == "Microsoft.Compute/disks/*"
    )
    assert block.match("Microsoft.Compute/disks/upload/action", data=True) is None
    assert (
        Permission(actions=["*"]).match("Microsoft.Compute/disks/download/action", data=True)
        is None
    )


def test_role_definitions_from_cli_and_rest_shapes() -> None:
    cli = RoleDefinition.from_arm(
        {
            "name": "ACDD72A7-3385-48EF-BD42-F606FBA81AE7",
            "roleName": "Reader",
            "roleType": "BuiltInRole",
            "assignableScopes": ["/"],
            "permissions": [
                {"actions": ["*/read"], "notActions": [], "dataActions": [], "notDataActions": []}
            ],
        }
    )
    rest = RoleDefinition.from_arm(
        {
            "id": "/subscriptions/s1/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7",
            "name": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
            "properties": {
                "roleName": "Reader",
                "type": "BuiltInRole",
                "assignableScopes": ["/"],
                "permissions": [{"actions": ["*/read"]}],
            },
        }
    )
    assert cli == rest
    assert cli.id == "acdd72a7-3385-48ef-bd42-f606fba81ae7"
    assert cli.is_builtin


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"name": "x", "permissions": []}, "roleName"),
        ({"name": "x", "roleName": "X", "permissions": "*"}, "permissions"),
        ({"roleName": "X", "permissions": []}, "name"),
        ({"name": "x", "roleName": "X", "permissions": [{"actions": "*"}]}, None),
    ],
)
def test_unreadable_role_definitions(record: dict[str, object], field: str | None) -> None:
    with pytest.raises(InvalidAccessRecordError) as err:
        RoleDefinition.from_arm(record)
    if field:
        assert err.value.field == field


def test_custom_role_problems() -> None:
    role = RoleDefinition(
        id="x",
        name="x",
        assignable_scopes=[
            "/providers/Microsoft.Management/managementGroups/a",
            "/providers/Microsoft.Management/managementGroups/b",
            "/subscriptions/*",
        ],
        permissions=[Permission(data_actions=["Microsoft.Storage/*"])],
    )
    problems = role.problems()
    assert "at most one management group may be an assignable scope" in problems
    assert "assignable scope '/subscriptions/*' has a wildcard" in problems
    assert "a role with data actions cannot be assignable at management-group scope" in problems
    assert builtin_role("Owner").problems() == ()


def test_role_definition_guid() -> None:
    assert role_definition_guid("/providers/Microsoft.Authorization/roleDefinitions/ABC/") == "abc"
    with pytest.raises(InvalidAccessRecordError):
        role_definition_guid("  ")


def test_builtin_roles_ship_their_exact_lists() -> None:
    roles = {r.name: r for r in builtin_roles()}
    assert {name: r.id for name, r in roles.items()} == dict(BUILTIN_ROLE_IDS)
    assert all(r.assignable_scopes == ("/",) and r.is_builtin for r in roles.values())
    assert all(not b.data_actions for r in roles.values() for b in r.permissions)
    contributor = roles["Contributor"].permissions[0]
    assert contributor.actions == ("*",)
    assert len(contributor.not_actions) == 11
    assert GALLERY_SHARE in contributor.not_actions
    vm = roles["Virtual Machine Contributor"].permissions[0]
    assert not any(a.lower().startswith("microsoft.compute/galleries") for a in vm.actions)
    assert "Microsoft.Compute/virtualMachines/*" in vm.actions
    assert len(vm.actions) == 45
    publisher = roles["Compute Gallery Artifacts Publisher"].permissions[0]
    assert publisher.not_actions == (GALLERY_SHARE,)
    assert roles["Compute Gallery Image Reader"].permissions[0].actions == (
        DEFINITION_READ,
        VERSION_READ,
    )
    assert roles["Compute Gallery Sharing Admin"].permissions[0].actions == (GALLERY_SHARE,)
    assert roles["User Access Administrator"].permissions[0].actions == (
        "*/read",
        "Microsoft.Authorization/*",
        "Microsoft.Support/*",
    )
    assert roles["Role Based Access Control Administrator"].grants(
        "Microsoft.Authorization/roleAssignments/delete"
    )


def test_builtin_role_lookup() -> None:
    assert builtin_role("reader") is builtin_role("ACDD72A7-3385-48EF-BD42-F606FBA81AE7")
    with pytest.raises(ResourceNotFoundError):
        builtin_role("Gallery Overlord")
