"""Loaders for what Azure prints about access, and their errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from imagegallery import (
    ImageGalleryError,
    InvalidFieldError,
    MalformedJsonError,
    NaiveDatetimeError,
    ResourceKind,
)
from imagegallery.access import (
    AccessModel,
    AssignmentKind,
    PrincipalType,
    RoleAssignment,
    load_deny_assignments,
    load_directory,
    load_management_groups,
    load_memberships,
    load_role_assignments,
    load_role_definitions,
    load_subscriptions,
)
from imagegallery.access.graph import MAX_MANAGEMENT_GROUP_DEPTH
from imagegallery.access.loaders import MAX_NESTING
from imagegallery.errors import InvalidAccessRecordError, InvalidTypeError
from tests.access._fixture import reference_inventory

READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
AUTH = "providers/Microsoft.Authorization"
CLI_RECORD = {
    "condition": None,
    "conditionVersion": None,
    "createdBy": "4a3b2c1d-0000-0000-0000-000000000000",
    "createdOn": "2024-05-01T10:00:00.000000+00:00",
    "delegatedManagedIdentityResourceId": None,
    "description": None,
    "id": f"/subscriptions/s1/resourceGroups/rg-images/{AUTH}/roleAssignments/0b1c2d3e",
    "name": "0b1c2d3e",
    "principalId": "5f6e7d8c-0000-0000-0000-000000000001",
    "principalName": "alice@contoso.com",
    "principalType": "User",
    "resourceGroup": "rg-images",
    "roleDefinitionId": f"/subscriptions/s1/{AUTH}/roleDefinitions/{READER}",
    "roleDefinitionName": "Reader",
    "scope": "/subscriptions/s1/resourceGroups/rg-images",
    "type": "Microsoft.Authorization/roleAssignments",
    "updatedBy": "4a3b2c1d-0000-0000-0000-000000000000",
    "updatedOn": "2024-05-01T10:00:00.000000+00:00",
}


def test_role_assignments_in_every_shape() -> None:
    rest = {
        "id": f"/subscriptions/s1/{AUTH}/roleAssignments/r2",
        "name": "r2",
        "type": "Microsoft.Authorization/roleAssignments",
        "properties": {
            "roleDefinitionId": f"/{AUTH}/roleDefinitions/{READER}",
            "principalId": "bob",
            "principalType": "Group",
            "scope": "/subscriptions/s1",
            "condition": "@Resource[x] StringEquals 'y'",
            "conditionVersion": "2.0",
        },
    }
    pim = {
        "type": "Microsoft.Authorization/roleEligibilityScheduleInstances",
        "properties": {
            "scope": "/",
            "principalId": "carol",
            "roleDefinitionId": READER,
            "startDateTime": "2025-01-01T00:00:00Z",
            "endDateTime": "2026-01-01T00:00:00Z",
        },
    }
    cli, rest_ra, pim_ra = load_role_assignments({"value": [CLI_RECORD, rest, pim]})
    assert (cli.principal_type, cli.label, str(cli.scope)) == (
        PrincipalType.USER,
        "0b1c2d3e",
        "/subscriptions/s1/resourceGroups/rg-images",
    )
    assert rest_ra.condition_version == "2.0"
    assert rest_ra.kind is AssignmentKind.ACTIVE
    assert pim_ra.kind is AssignmentKind.ELIGIBLE
    assert pim_ra.scope.kind is ResourceKind.ROOT
    assert pim_ra.start is not None and pim_ra.end is not None and pim_ra.start.year == 2025


def test_scope_is_taken_from_the_id_when_absent() -> None:
    record = {k: v for k, v in CLI_RECORD.items() if k != "scope"}
    (ra,) = load_role_assignments([record])
    assert str(ra.scope) == "/subscriptions/s1/resourceGroups/rg-images"


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"principalId": None}, InvalidAccessRecordError, "role_assignments[1].principalId"),
        ({"scope": "/subscriptions/s1//rg"}, InvalidAccessRecordError, "role_assignments[1].scope"),
        ({"scope": "/SharedGalleries/x"}, InvalidAccessRecordError, "role_assignments[1].scope"),
        (
            {"roleDefinitionId": 5, "roleDefinitionName": None},
            InvalidAccessRecordError,
            "role_assignments[1].roleDefinitionId",
        ),
        ({"startDateTime": "2025-01-01T00:00:00"}, NaiveDatetimeError, "role_assignments[1]"),
        (
            {"startDateTime": "2025-02-01T00:00:00Z", "endDateTime": "2025-01-01T00:00:00Z"},
            InvalidAccessRecordError,
            "role_assignments[1].end",
        ),
        ({"kind": "sometimes"}, ValueError, "role_assignments[1]"),
    ],
)
def test_a_bad_record_is_named(change: dict[str, Any], error: type[Exception], field: str) -> None:
    with pytest.raises(error) as err:
        load_role_assignments([CLI_RECORD, {**CLI_RECORD, "id": None, **change}])
    assert str(err.value).startswith(field)


def test_non_object_records_and_conflicting_duplicates() -> None:
    with pytest.raises(InvalidTypeError) as err:
        load_role_assignments([CLI_RECORD, "oops"])
    assert err.value.field == "role_assignments[1]"
    assert len(load_role_assignments([CLI_RECORD, CLI_RECORD])) == 1
    with pytest.raises(InvalidAccessRecordError) as err2:
        load_role_assignments([CLI_RECORD, {**CLI_RECORD, "principalId": "someone-else"}])
    assert err2.value.field == "role_assignments[1]"


def test_files_are_read(tmp_path: Path) -> None:
    path = tmp_path / "assignments.json"
    path.write_text(json.dumps([CLI_RECORD]))
    assert len(load_role_assignments(path)) == 1
    assert len(load_role_assignments(str(path))) == 1
    bad = tmp_path / "bad.json"
    bad.write_text("[{")
    with pytest.raises(MalformedJsonError) as err:
        load_role_assignments(bad)
    assert err.value.field == "role_assignments"
    with pytest.raises(InvalidAccessRecordError):
        load_role_assignments(tmp_path / "missing.json")


def test_role_definitions_conflicts() -> None:
    record = {"name": "x1", "roleName": "Custom", "permissions": [{"actions": ["*/read"]}]}
    assert len(load_role_definitions([record, record])) == 1
    with pytest.raises(InvalidAccessRecordError) as err:
        load_role_definitions([record, {**record, "roleName": "Other"}])
    assert err.value.field == "role_definitions[1]"


def test_deny_assignments_rest_shape() -> None:
    (deny,) = load_deny_assignments(
        {
            "value": [
                {
                    "id": f"/subscriptions/s1/resourcegroups/rg/{AUTH}/denyAssignments/d1",
                    "name": "d1",
                    "type": "Microsoft.Authorization/denyAssignments",
                    "properties": {
                        "denyAssignmentName": "Deny assignment name",
                        "description": "Deny assignment description",
                        "permissions": [
                            {
                                "actions": ["action"],
                                "notActions": [],
                                "dataActions": [],
                                "notDataActions": [],
                            }
                        ],
                        "scope": "subscriptions/s1",
                        "doNotApplyToChildScopes": False,
                        "principals": [{"id": "principalId1", "type": "Group"}],
                        "excludePrincipals": [{"id": "principalId2", "type": "Group"}],
                        "isSystemProtected": True,
                    },
                }
            ]
        }
    )
    assert str(deny.scope) == "/subscriptions/s1"
    assert deny.principals == ("principalId1",)
    assert deny.exclude_principals == ("principalId2",)
    assert deny.is_system_protected
    assert not deny.targets_everyone


def test_all_principals_cannot_be_excluded() -> None:
    record = {
        "id": "/subscriptions/s1/providers/Microsoft.Authorization/denyAssignments/d",
        "properties": {
            "scope": "/subscriptions/s1",
            "permissions": [{"actions": ["*"]}],
            "principals": [{"id": "00000000-0000-0000-0000-000000000000"}],
            "excludePrincipals": [{"id": "00000000-0000-0000-0000-000000000000"}],
        },
    }
    with pytest.raises(InvalidAccessRecordError) as err:
        load_deny_assignments([record])
    assert err.value.field == "deny_assignments[0].properties.excludePrincipals[0].id"


def test_memberships_edges_pages_and_mappings() -> None:
    page = {
        "groupId": "g1",
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#directoryObjects",
        "value": [
            {"@odata.type": "#microsoft.graph.user", "id": "u1", "displayName": "U One"},
            {"@odata.type": "#microsoft.graph.group", "id": "g2"},
        ],
    }
    next_page = {
        "@odata.nextLink": "https://graph.microsoft.com/v1.0/groups/g3/members?$skiptoken=X",
        "value": [{"@odata.type": "#microsoft.graph.servicePrincipal", "id": "sp1", "appId": "a1"}],
    }
    eligible = {
        "@odata.type": "#microsoft.graph.privilegedAccessGroupEligibilityScheduleInstance",
        "groupId": "g4",
        "principalId": "u2",
        "accessId": "member",
        "startDateTime": "2025-01-01T00:00:00Z",
        "endDateTime": "2025-12-31T00:00:00Z",
    }
    memberships, members = load_memberships(
        [{"groupId": "g0", "memberId": "g1"}, page, next_page, eligible, {"g5": [[{"id": "u3"}]]}]
    )
    pairs = [(m.member_id, m.group_id) for m in memberships]
    assert pairs == [
        ("g1", "g0"),
        ("u1", "g1"),
        ("g2", "g1"),
        ("sp1", "g3"),
        ("u2", "g4"),
        ("u3", "g5"),
    ]
    assert memberships[4].kind is AssignmentKind.ELIGIBLE
    assert memberships[4].end is not None
    assert [p.type for p in members] == [
        PrincipalType.USER,
        PrincipalType.GROUP,
        PrincipalType.SERVICE_PRINCIPAL,
        PrincipalType.USER,
    ]


def test_membership_page_without_a_group() -> None:
    with pytest.raises(InvalidAccessRecordError) as err:
        load_memberships([{"value": [{"id": "u1"}]}])
    assert err.value.field == "memberships[0]"
    with pytest.raises(InvalidTypeError):
        load_memberships([{"g1": 5}])
    with pytest.raises(InvalidAccessRecordError) as err2:
        load_memberships([{"groupId": "g", "memberId": ""}])
    assert err2.value.field == "memberships[0].memberId"


def test_directory() -> None:
    principals = load_directory(
        {
            "value": [
                {
                    "@odata.type": "#microsoft.graph.user",
                    "id": "u1",
                    "userPrincipalName": "u1@contoso.com",
                    "userType": "Guest",
                    "homeId": "h1",
                },
                {
                    "@odata.type": "#microsoft.graph.servicePrincipal",
                    "id": "mi",
                    "appId": "A",
                    "servicePrincipalType": "ManagedIdentity",
                },
                {"id": "g", "principalType": "Group", "tenantId": "t"},
                {"id": "d", "principalType": "Device"},
            ]
        }
    )
    user, mi, group, device = principals
    assert (user.label, user.identity_key) == ("u1@contoso.com", "obj:h1")
    assert mi.is_managed_identity and mi.identity_key == "app:a"
    assert group.is_group and group.tenant_id == "t"
    assert device.type is PrincipalType.DEVICE


def test_management_groups_mapping_entities_and_tree() -> None:
    parents, tenants = load_management_groups(
        {"S1": "mg-plat", "mg-plat": "mg-root"}, subscriptions=("S1",)
    )
    assert {k.name: v.name for k, v in parents.items()} == {"S1": "mg-plat", "mg-plat": "mg-root"}
    assert tenants == {}
    entities = [
        {
            "id": "/providers/Microsoft.Management/managementGroups/mg-plat",
            "type": "Microsoft.Management/managementGroups",
            "name": "mg-plat",
            "properties": {
                "tenantId": "T",
                "displayName": "Platform",
                "parent": {"id": "/providers/Microsoft.Management/managementGroups/mg-root"},
            },
        },
        {
            "id": "/subscriptions/3f2e1d0c-0000-4000-8000-000000000000",
            "type": "/subscriptions",
            "name": "3f2e1d0c-0000-4000-8000-000000000000",
            "properties": {
                "tenantId": "T",
                "parent": {"id": "/providers/Microsoft.Management/managementGroups/mg-plat"},
            },
        },
    ]
    parents, tenants = load_management_groups(entities)
    assert {k.name: v.name for k, v in parents.items()} == {
        "mg-plat": "mg-root",
        "3f2e1d0c-0000-4000-8000-000000000000": "mg-plat",
    }
    assert tenants == {"3f2e1d0c-0000-4000-8000-000000000000": "t"}
    tree = {
        "id": "/providers/Microsoft.Management/managementGroups/root",
        "type": "Microsoft.Management/managementGroups",
        "children": [
            {
                "id": "/providers/Microsoft.Management/managementGroups/child",
                "children": [{"id": "/subscriptions/S9"}],
            }
        ],
    }
    parents, _ = load_management_groups(tree)
    assert {k.name: v.name for k, v in parents.items()} == {"child": "root", "S9": "child"}


def test_management_group_errors() -> None:
    with pytest.raises(InvalidAccessRecordError):
        load_management_groups({"/subscriptions/S1": "mg-a", "/SUBSCRIPTIONS/s1": "mg-b"})
    with pytest.raises(InvalidAccessRecordError):
        load_management_groups({"/subscriptions/S1": "/subscriptions/S2"})
    with pytest.raises(InvalidAccessRecordError):
        load_management_groups({"/subscriptions/S1/resourceGroups/rg": "mg-a"})
    with pytest.raises(InvalidAccessRecordError) as err:
        AccessModel.from_azure(
            reference_inventory(), management_groups={"mg-a": "mg-b", "mg-b": "mg-a"}
        )
    assert "cycle" in str(err.value)


def test_subscriptions() -> None:
    assert load_subscriptions(
        [{"id": "S1", "tenantId": "T1", "name": "prod", "isDefault": True}]
    ) == {"s1": "t1"}
    assert load_subscriptions({"S2": "T2"}) == {"s2": "t2"}
    assert load_subscriptions(
        {"value": [{"subscriptionId": "/subscriptions/S3", "homeTenantId": "T3"}]}
    ) == {"s3": "t3"}
    with pytest.raises(InvalidAccessRecordError) as err:
        load_subscriptions([{"id": "S1"}])
    assert err.value.field == "subscriptions[0]"


# -- hostile and broken input --------------------------------------------------------------------

_RA = {
    "principalId": "alice",
    "roleDefinitionName": "Reader",
    "scope": "/subscriptions/S1",
}
_DENY: dict[str, Any] = {
    "id": "/subscriptions/S1/providers/Microsoft.Authorization/denyAssignments/d",
    "properties": {
        "scope": "/subscriptions/S1",
        "permissions": [{"actions": ["*/write"]}],
        "principals": [{"id": "00000000-0000-0000-0000-000000000000"}],
    },
}


@pytest.mark.parametrize(
    ("load", "record", "field"),
    [
        (load_role_assignments, {**_RA, "condition": ["x"]}, "role_assignments[0].condition"),
        (load_role_assignments, {**_RA, "kind": 5}, "role_assignments[0].kind"),
        (load_role_assignments, {**_RA, "id": 5}, "role_assignments[0].id"),
        (
            load_role_assignments,
            {"properties": {**_RA, "endDateTime": 7}},
            "role_assignments[0].properties.endDateTime",
        ),
        (
            load_deny_assignments,
            {**_DENY, "properties": {**_DENY["properties"], "doNotApplyToChildScopes": "false"}},
            "deny_assignments[0].properties.doNotApplyToChildScopes",
        ),
        (
            load_deny_assignments,
            {**_DENY, "properties": {**_DENY["properties"], "isSystemProtected": 1}},
            "deny_assignments[0].properties.isSystemProtected",
        ),
        (load_deny_assignments, {**_DENY, "properties": [1]}, "deny_assignments[0].properties"),
        (load_directory, {"id": "u", "displayName": 5}, "directory[0].displayName"),
        (load_directory, {"id": "u", "appId": 1.5}, "directory[0].appId"),
        (load_directory, {"id": "u", "tenantId": 5}, "directory[0].tenantId"),
        (load_directory, {"id": "u", "@odata.type": ["x"]}, "directory[0].@odata.type"),
        (
            load_role_definitions,
            {"name": "x", "roleName": "X", "roleType": 5, "permissions": []},
            "role_definitions[0].roleType",
        ),
        (
            load_role_definitions,
            {"name": "x", "roleName": "X", "permissions": [{"actions": ["*"]}, 5]},
            "role_definitions[0].permissions[1]",
        ),
        (
            load_role_definitions,
            {"name": "x", "roleName": "X", "permissions": [{"notActions": ["a b"]}]},
            "role_definitions[0].permissions[0].notActions[0]",
        ),
        (
            load_role_definitions,
            {"name": "x", "roleName": "X", "permissions": [], "assignableScopes": [1]},
            "role_definitions[0].assignableScopes[0]",
        ),
    ],
)
def test_fields_of_the_wrong_type_are_named(load: Any, record: Any, field: str) -> None:
    with pytest.raises(ImageGalleryError) as err:
        load([record])
    assert isinstance(err.value, InvalidFieldError)
    assert err.value.field == field


def test_booleans_are_json_booleans() -> None:
    here_only = {**_DENY, "properties": {**_DENY["properties"], "doNotApplyToChildScopes": True}}
    (deny,) = load_deny_assignments([here_only])
    assert deny.do_not_apply_to_child_scopes is True
    absent = {**_DENY, "properties": {**_DENY["properties"], "doNotApplyToChildScopes": None}}
    assert load_deny_assignments([absent])[0].do_not_apply_to_child_scopes is False


def test_management_group_records_of_the_wrong_shape() -> None:
    mg = "/providers/Microsoft.Management/managementGroups/mg"
    cases = [
        ({"id": mg, "properties": [1]}, "management_groups[0].properties"),
        ({"id": mg, "properties": {"details": 5}}, "management_groups[0].properties.details"),
        ({"id": mg, "children": 5}, "management_groups[0].children"),
        ({"id": mg, "children": [7]}, "management_groups[0].children[0]"),
        (
            {"id": "/subscriptions/S1", "tenantId": 5, "parentId": mg},
            "management_groups[0].tenantId",
        ),
    ]
    for record, field in cases:
        with pytest.raises(ImageGalleryError) as err:
            load_management_groups([record])
        assert isinstance(err.value, InvalidFieldError)
        assert err.value.field == field, record
    with pytest.raises(InvalidTypeError):
        load_subscriptions({"S1": 5})


def _tree(levels: int) -> dict[str, Any]:
    """A management-group tree with ``levels`` management groups above one subscription."""
    node: dict[str, Any] = {"id": "/subscriptions/S1"}
    for n in range(levels):
        node = {"id": f"/providers/Microsoft.Management/managementGroups/m{n}", "children": [node]}
    return node


def test_management_group_trees_have_at_most_seven_levels() -> None:
    parents, _ = load_management_groups([_tree(MAX_MANAGEMENT_GROUP_DEPTH)])
    assert len(parents) == MAX_MANAGEMENT_GROUP_DEPTH
    with pytest.raises(InvalidAccessRecordError, match="at most 7 levels") as err:
        load_management_groups([_tree(MAX_MANAGEMENT_GROUP_DEPTH + 1)])
    assert err.value.field is not None and err.value.field.count("children") == 8
    chain = {"S1": "m0", **{f"m{n}": f"m{n + 1}" for n in range(MAX_MANAGEMENT_GROUP_DEPTH)}}
    with pytest.raises(InvalidAccessRecordError, match="at most 7 management groups"):
        AccessModel.from_azure(reference_inventory(), management_groups=chain)
    del chain[f"m{MAX_MANAGEMENT_GROUP_DEPTH - 1}"]
    AccessModel.from_azure(reference_inventory(), management_groups=chain)


def test_sources_nest_at_most_sixteen_levels() -> None:
    edge: Any = {"groupId": "g", "memberId": "u"}
    for _ in range(MAX_NESTING):
        edge = [edge]
    assert len(load_memberships(edge)[0]) == 1
    assert len(load_role_assignments([[_RA]])) == 1
    with pytest.raises(InvalidAccessRecordError, match="16 levels"):
        load_memberships([edge])
    page: Any = [{"id": "u"}]
    for _ in range(MAX_NESTING):
        page = [page]
    with pytest.raises(InvalidAccessRecordError, match="16 levels"):
        load_memberships([{"groupId": "g", "value": page}])
    deep: Any = _RA
    for _ in range(MAX_NESTING + 1):
        deep = {"value": [deep]}
    with pytest.raises(InvalidAccessRecordError, match="16 levels"):
        load_role_assignments(deep)


def test_files_that_are_not_utf8_json(tmp_path: Path) -> None:
    cases = {
        "latin1.json": b'[{"principalId": "\xe9"}]',
        "deep.json": b"[" * 100_000 + b"]" * 100_000,
        "digits.json": b"[" + b"1" * 5000 + b"]",
        "nan.json": b"[NaN]",
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(MalformedJsonError) as err:
            AccessModel.from_azure(reference_inventory(), role_assignments=path)
        assert err.value.field == "role_assignments", name
    with pytest.raises(InvalidAccessRecordError, match="regular file"):
        load_memberships(tmp_path)


def test_members_pages_name_their_group_in_a_link() -> None:
    link = "https://graph.microsoft.com/v1.0/groups/G-7/transitiveMembers?$skiptoken=x"
    memberships, _ = load_memberships([{"@odata.nextLink": link, "value": [{"id": "u"}]}])
    assert memberships[0].group_id == "G-7"
    for bad in ("https://graph.microsoft.com/v1.0/groups//members", "/groups/G-7/owners", 5):
        with pytest.raises(InvalidAccessRecordError, match="say its group"):
            load_memberships([{"@odata.nextLink": bad, "value": [{"id": "u"}]}])


def test_one_load_shares_scope_ids_without_changing_any_record() -> None:
    """Assignments read in one load share one id object per scope spelling; each record equals
    the one read alone, a scope spelled differently keeps its own text, and loading other
    records first changes nothing."""

    def record(n: int, scope: str) -> dict[str, Any]:
        return {
            "name": f"ra{n}",
            "principalId": f"p{n}",
            "roleDefinitionId": "Reader",
            "scope": scope,
        }

    scopes = ["/subscriptions/s1/resourceGroups/RG", "/subscriptions/s1/resourceGroups/rg"]
    records = [record(n, scopes[n % 2]) for n in range(6)]
    loaded = load_role_assignments(records)
    assert loaded == tuple(RoleAssignment.from_arm(r) for r in records)
    assert loaded[0].scope is loaded[2].scope and loaded[1].scope is loaded[3].scope
    assert [str(ra.scope) for ra in loaded] == [scopes[n % 2] for n in range(6)]
    before = load_role_assignments([record(9, scopes[1]), *records[:1]])
    assert before[1] == loaded[0]
    assert load_role_assignments(records[2:]) == loaded[2:]
