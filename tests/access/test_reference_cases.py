"""The 27 worked cases of the RBAC reference, with their stated results."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from imagegallery import InvalidResourceIdError, ResourceId, ResourceKind
from imagegallery.access import AccessModel, Effect, extension_scope
from tests.access._fixture import (
    DELETE,
    GAL1,
    GAL10_V,
    GAL_DIRECT_V,
    GAL_OLD,
    GAL_PUBLIC_V,
    GALLERY_READ,
    IMAGE_READ,
    MG_PLAT,
    RA_WRITE,
    READ,
    RG_APP,
    RG_IMAGES,
    S1,
    S2,
    S3_RG,
    SHARE,
    ST2_RG,
    UBUNTU,
    V100,
    V110,
    V200,
    VM_WRITE,
    WIN,
    WRITE,
    deny,
    model,
    ra,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def allowed(m: AccessModel, who: str, action: str, resource: str, **kw: object) -> bool:
    return m.can(who, action, resource, at=NOW, **kw).allowed  # type: ignore[arg-type]


def test_01_reader_at_gallery_reaches_versions_but_does_not_write() -> None:
    m = model([ra("alice", "Reader", GAL1)])
    assert allowed(m, "alice", READ, V200)
    assert allowed(m, "alice", GALLERY_READ, GAL1)
    assert not allowed(m, "alice", WRITE, V100)


def test_02_reader_at_definition_reaches_its_versions_only() -> None:
    m = model([ra("bob", "Reader", UBUNTU)])
    assert allowed(m, "bob", READ, V110)
    assert not allowed(m, "bob", IMAGE_READ, WIN)
    assert not allowed(m, "bob", GALLERY_READ, GAL1)


def test_03_reader_at_version_reaches_that_version_only_and_flags_cli() -> None:
    m = model([ra("carol", "Reader", V100), ra("carol", "Virtual Machine Contributor", RG_APP)])
    assert allowed(m, "carol", READ, V100)
    assert not allowed(m, "carol", READ, V110)
    assert not allowed(m, "carol", IMAGE_READ, UBUNTU)
    deploy = m.can_deploy("carol", V100, RG_APP, at=NOW)
    assert deploy.allowed
    assert any("az vmss create" in w for w in deploy.warnings)


def test_04_nested_group_grant_with_its_path() -> None:
    m = model([ra("G-eng", "Reader", RG_IMAGES, principalType="Group")])
    decision = m.can("erin", READ, V200, at=NOW)
    assert decision.allowed
    (path,) = decision.paths
    assert path.chain == ("erin", "G-devs", "G-eng")
    assert path.role is not None and path.role.name == "Reader"
    assert [str(s) for s in path.scopes] == [RG_IMAGES, GAL1, WIN, V200]
    assert (
        str(path)
        == f"erin → G-devs → G-eng ⇒ Reader [*/read] @ {RG_IMAGES} → gal1 → img-win → 2.0.0"
    )


def test_05_group_cycle_terminates_and_grants() -> None:
    m = model([ra("G-b", "Reader", GAL1, principalType="Group")])
    assert allowed(m, "dave", READ, V100)
    assert m.transitive_groups("dave", at=NOW) == {"G-a", "G-b"}


def test_06_contributor_lacks_share_and_role_assignment_writes() -> None:
    m = model([ra("frank", "Contributor", S1)])
    assert allowed(m, "frank", WRITE, V100)
    share = m.can("frank", SHARE, GAL1, at=NOW)
    assert not share.allowed
    assert any("NotActions" in w for w in share.warnings)
    assert not allowed(m, "frank", RA_WRITE, GAL1)


def test_07_notactions_do_not_deny() -> None:
    m = model([ra("frank", "Contributor", S1), ra("frank", "Compute Gallery Sharing Admin", GAL1)])
    assert allowed(m, "frank", SHARE, GAL1)


def test_08_owner_at_gallery() -> None:
    m = model([ra("gina", "Owner", GAL1)])
    assert allowed(m, "gina", SHARE, GAL1)
    assert allowed(m, "gina", RA_WRITE, V100)
    assert not allowed(m, "gina", READ, GAL10_V)


def test_09_artifacts_publisher() -> None:
    m = model(
        [
            ra(
                "pipeline-sp",
                "Compute Gallery Artifacts Publisher",
                RG_IMAGES,
                principalType="ServicePrincipal",
            )
        ]
    )
    assert allowed(m, "pipeline-sp", WRITE, V100)
    assert allowed(m, "pipeline-sp", DELETE, V100)
    assert not allowed(m, "pipeline-sp", SHARE, GAL1)
    assert allowed(m, "pipeline-sp", VM_WRITE, RG_IMAGES)


def test_10_image_reader_has_no_gallery_read() -> None:
    m = model([ra("henry", "Compute Gallery Image Reader", GAL1)])
    assert allowed(m, "henry", READ, V100)
    assert allowed(m, "henry", IMAGE_READ, UBUNTU)
    assert not allowed(m, "henry", GALLERY_READ, GAL1)


def test_11_deploy_needs_read_on_the_version() -> None:
    m = model([ra("ivan", "Virtual Machine Contributor", S2)])
    before = m.can_deploy("ivan", V100, RG_APP, at=NOW)
    assert not before.allowed
    assert before.effect is Effect.NOT_GRANTED
    assert before.requirements[1].allowed  # the VM write is there
    after = model([ra("ivan", "Virtual Machine Contributor", S2), ra("ivan", "Reader", GAL1)])
    assert after.can_deploy("ivan", V100, RG_APP, at=NOW).allowed


def test_12_deny_for_everyone_with_nested_group_exemption() -> None:
    m = model(
        [ra("alice", "Reader", GAL1), ra("G-eng", "Reader", RG_IMAGES, principalType="Group")],
        deny_assignments=[deny(S1, [READ], excludePrincipals=[{"id": "G-eng", "type": "Group"}])],
    )
    alice = m.can("alice", READ, V100, at=NOW)
    assert alice.effect is Effect.DENIED
    assert not alice.allowed
    assert [d.deny.label for d in alice.denials] == ["deny-1"]
    assert alice.paths  # the grant is still reported
    assert allowed(m, "erin", READ, V100)


def test_13_deny_not_applying_to_child_scopes() -> None:
    spec = {"actions": ["*"], "doNotApplyToChildScopes": True}
    high = model([ra("gina", "Owner", GAL1)], deny_assignments=[deny(MG_PLAT, **spec)])  # type: ignore[arg-type]
    assert allowed(high, "gina", READ, V100)
    low = model([ra("gina", "Owner", GAL1)], deny_assignments=[deny(V100, **spec)])  # type: ignore[arg-type]
    assert not allowed(low, "gina", READ, V100)


def test_14_deny_notactions_carve_out_reads() -> None:
    m = model(
        [ra("gina", "Owner", GAL1)], deny_assignments=[deny(GAL1, ["*"], notActions=["*/read"])]
    )
    assert allowed(m, "gina", READ, V100)
    assert not allowed(m, "gina", WRITE, V100)


def test_15_ids_and_actions_ignore_case() -> None:
    scope = "/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG-IMAGES/PROVIDERS/MICROSOFT.COMPUTE/GALLERIES/GAL1"
    m = model([ra("alice", "Reader", scope)])
    assert allowed(m, "alice", "microsoft.compute/GALLERIES/images/versions/READ", V100)


def test_16_scope_prefix_respects_segment_boundaries() -> None:
    m = model([ra("alice", "Reader", RG_IMAGES)])
    assert not allowed(m, "alice", READ, GAL10_V)


def test_17_custom_role_wildcards() -> None:
    roles = [
        {
            "name": "custom-a",
            "roleName": "A",
            "permissions": [{"actions": ["Microsoft.Compute/*/read"]}],
        },
        {
            "name": "custom-b",
            "roleName": "B",
            "permissions": [{"actions": ["Microsoft.Compute/galleries/images/*"]}],
        },
        {
            "name": "custom-c",
            "roleName": "C",
            "permissions": [{"actions": ["Microsoft.Compute/galleries/*"]}],
        },
    ]
    m = model(
        [ra("a", "custom-a", GAL1), ra("b", "custom-b", GAL1), ra("c", "custom-c", GAL1)],
        role_definitions=roles,
    )
    assert (allowed(m, "a", READ, V100), allowed(m, "a", WRITE, V100)) == (True, False)
    assert (allowed(m, "b", READ, V100), allowed(m, "b", GALLERY_READ, GAL1)) == (True, False)
    assert allowed(m, "c", SHARE, GAL1)


def test_18_owner_has_no_data_actions() -> None:
    m = model([ra("gina", "Owner", S1)])
    assert not allowed(
        m, "gina", "Microsoft.Compute/disks/download/action", RG_IMAGES, data_action=True
    )
    assert allowed(m, "gina", "Microsoft.Compute/disks/download/action", RG_IMAGES)


def test_19_eligible_and_time_windows() -> None:
    yesterday, tomorrow = NOW - timedelta(days=1), NOW + timedelta(days=1)
    m = model(
        [
            ra("jack", "Reader", GAL1, kind="eligible"),
            ra("kim", "Reader", GAL1, endDateTime=yesterday.isoformat()),
            ra("lee", "Reader", GAL1, startDateTime=tomorrow.isoformat()),
        ]
    )
    jack = m.can("jack", READ, V100, at=NOW)
    assert (jack.allowed, jack.effect) == (False, Effect.ELIGIBLE)
    jack = m.can("jack", READ, V100, at=NOW, include_eligible=True)
    assert (jack.allowed, jack.effect) == (True, Effect.ELIGIBLE)
    assert not allowed(m, "kim", READ, V100)
    assert not allowed(m, "lee", READ, V100)
    assert m.can("lee", READ, V100, at=tomorrow).allowed


def test_20_orphans_grant_nothing_and_are_reported() -> None:
    m = model(
        [
            ra("deleted-guy", "Reader", GAL1, principalType="Unknown"),
            ra("olga", "Reader", GAL_OLD),
        ]
    )
    assert "deleted-guy" not in m.who_can(READ, V100, at=NOW)
    assert "olga" not in m.who_can(READ, V100, at=NOW)
    assert len(m.who_can(READ, V100, at=NOW)) == 0
    assert sorted(o.assignment.principal_id for o in m.orphans()) == ["deleted-guy", "olga"]  # type: ignore[union-attr]


def test_21_user_access_administrator_at_root() -> None:
    m = model([ra("root-admin", "User Access Administrator", "/")])
    assert allowed(m, "root-admin", RA_WRITE, V100)
    assert allowed(m, "root-admin", READ, V100)


def test_22_cross_tenant_needs_an_object_in_the_gallery_tenant() -> None:
    directory = [
        {"id": "sp-a-t1", "principalType": "ServicePrincipal", "appId": "app-A", "tenantId": "T1"},
        {"id": "sp-a-t2", "principalType": "ServicePrincipal", "appId": "app-A", "tenantId": "T2"},
        {"id": "user-t2", "principalType": "User", "tenantId": "T2"},
    ]
    m = model(
        [
            ra("sp-a-t1", "Reader", GAL1, principalType="ServicePrincipal"),
            ra("sp-a-t2", "Virtual Machine Contributor", ST2_RG, principalType="ServicePrincipal"),
            ra("user-t2", "Virtual Machine Contributor", ST2_RG),
        ],
        directory=directory,
        subscriptions={"S1": "T1", "ST2": "T2"},
    )
    for caller in ("sp-a-t2", "sp-a-t1"):
        assert m.can_deploy(caller, V100, ST2_RG, at=NOW).allowed
    user = m.can_deploy("user-t2", V100, ST2_RG, at=NOW)
    assert not user.allowed
    assert any("LinkedAuthorizationFailed" in w for w in user.requirements[0].warnings)


def test_23_direct_share_opens_the_target_subscription_only() -> None:
    m = model(
        [
            ra("ivan", "Virtual Machine Contributor", S2),
            ra("mia", "Virtual Machine Contributor", "/subscriptions/S3"),
        ]
    )
    ivan = m.can_deploy("ivan", GAL_DIRECT_V, RG_APP, at=NOW)
    assert ivan.allowed
    assert ivan.requirements[0].paths[0].via == "direct-share"
    assert not m.can_deploy("mia", GAL_DIRECT_V, S3_RG, at=NOW).allowed


def test_24_community_gallery_is_open_to_anyone_with_vm_write() -> None:
    m = model([ra("mia", "Virtual Machine Contributor", "/subscriptions/S3")])
    assert m.can_deploy("mia", GAL_PUBLIC_V, S3_RG, at=NOW).allowed
    assert m.can_deploy(
        "mia", "/CommunityGalleries/pub-1/Images/img/Versions/1.0.0", S3_RG, at=NOW
    ).allowed
    assert m.can(
        "anyone", READ, "/CommunityGalleries/pub-1/Images/img/Versions/1.0.0", at=NOW
    ).allowed


def test_25_resource_id_parsing() -> None:
    version = ResourceId.parse(V100)
    assert version.resource_type == "Microsoft.Compute/galleries/images/versions"
    assert len([a for a in version.ancestors() if a.kind is not ResourceKind.ROOT]) == 4
    assert (
        str(extension_scope(f"{RG_IMAGES}/providers/Microsoft.Authorization/roleAssignments/0f1e"))
        == RG_IMAGES
    )
    proxy = ResourceId.parse("/CommunityGalleries/p/Images/i/Versions/1.0.0")
    assert proxy.kind is ResourceKind.COMMUNITY_VERSION
    dotted = ResourceId.parse(
        f"{S1}/resourceGroups/rg/providers/Microsoft.Compute/galleries/my.gallery/images/img-1/versions/10.2.3"
    )
    assert (dotted.gallery, dotted.image, dotted.version) == ("my.gallery", "img-1", "10.2.3")
    with pytest.raises(InvalidResourceIdError) as err:
        ResourceId.parse(f"{S1}//resourceGroups/rg")
    assert isinstance(err.value, ValueError)


def test_26_principal_in_thousands_of_groups() -> None:
    memberships = [{"groupId": f"G-{i}", "memberId": "nora"} for i in range(5000)]
    m = model([ra("G-4321", "Reader", GAL1, principalType="Group")], memberships=memberships)
    decision = m.can("nora", READ, V100, at=NOW)
    assert decision.allowed
    assert decision.paths[0].chain == ("nora", "G-4321")
    assert "nora" in m.who_can(READ, V100, at=NOW)
    assert len(m.transitive_groups("nora", at=NOW)) == 5000


def test_27_missing_role_definition_never_crashes() -> None:
    m = model([ra("paul", "11111111-2222-3333-4444-555555555555", GAL1)])
    decision = m.can("paul", READ, V100, at=NOW)
    assert decision.effect is Effect.NOT_GRANTED
    assert any("role definition" in w for w in decision.warnings)
    assert [o.reason for o in m.orphans()] == [
        "role definition 11111111-2222-3333-4444-555555555555 not found"
    ]
