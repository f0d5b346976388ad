"""The evaluation rules: the 27 worked cases of the RBAC reference with their stated results, the
sharing proxies and the query options, and property tests against the brute-force oracle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imagegallery import (
    Gallery,
    InvalidEnumValueError,
    InvalidResourceIdError,
    ResourceId,
    ResourceKind,
    SharingProfile,
    SharingProfileGroup,
    load_arm,
)
from imagegallery.access import (
    ALL_PRINCIPALS,
    AccessModel,
    DenyAssignment,
    Effect,
    Permission,
    RoleAssignment,
    extension_scope,
)
from tests.access import _oracle as oracle
from tests.access._fixture import (
    DELETE,
    GAL1,
    GAL10_V,
    GAL_DIRECT,
    GAL_DIRECT_V,
    GAL_OLD,
    GAL_PUBLIC_V,
    GALLERY_READ,
    IMAGE_READ,
    MEMBERSHIPS,
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
    reference_inventory,
)
from tests.access._scenarios import (
    ACTIONS,
    BUILTINS,
    GALLERIES,
    GHOST,
    OTHER_SCOPES,
    PATTERNS,
    PRINCIPALS,
    RESOURCES,
    SCOPES,
    Scenario,
    inventory,
    scenarios,
    swap_case,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def allowed(m: AccessModel, who: str, action: str, resource: str, **kw: object) -> bool:
    return m.can(who, action, resource, at=NOW, **kw).allowed  # type: ignore[arg-type]


def _gallery(gid: str) -> Gallery:
    found = reference_inventory()[gid]
    assert isinstance(found, Gallery)
    return found


SHARED_V = "/SharedGalleries/S1-GALDIRECT/Images/img/Versions/1.0.0"


COMMUNITY_V = "/CommunityGalleries/pub-1/Images/img/Versions/1.0.0"


CONDITION = "@Resource[Microsoft.Storage/x] StringEquals 'y'"


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


def test_shared_gallery_proxy_needs_the_proxy_read_on_a_shared_subscription() -> None:
    m = model(
        [
            ra("ivan", "Reader", S2),
            ra("vmc", "Virtual Machine Contributor", S2),
            ra("ola", "Reader", "/subscriptions/S3"),
        ]
    )
    ivan = m.can("ivan", READ, SHARED_V, at=NOW)
    assert ivan.allowed
    assert ivan.paths[0].via == "direct-share"
    assert m.can("vmc", READ, SHARED_V, at=NOW).allowed  # Microsoft.Compute/locations/*
    ola = m.can("ola", READ, SHARED_V, at=NOW)
    assert not ola.allowed
    assert "directly shared" in ola.warnings[0]
    assert not m.can("ivan", WRITE, SHARED_V, at=NOW).allowed
    assert not m.can(
        "ivan", READ, "/SharedGalleries/nope/Images/img/Versions/1.0.0", at=NOW
    ).allowed
    assert set(m.who_can(READ, SHARED_V, at=NOW)) == {"ivan", "vmc"}


def test_shared_gallery_reaches_subscriptions_of_shared_tenants() -> None:
    inv = reference_inventory()
    gallery = _gallery(GAL_DIRECT)
    profile = SharingProfile(
        permissions="Groups", groups=[SharingProfileGroup(type="AADTenants", ids=["T9"])]
    )
    inv2 = inv.with_gallery(attrs.evolve(gallery, sharing_profile=profile))
    m = AccessModel.from_azure(
        inv2,
        role_assignments=[ra("t9-user", "Reader", "/subscriptions/S9")],
        subscriptions={"S9": "T9"},
    )
    assert m.can("t9-user", READ, SHARED_V, at=NOW).allowed
    assert (
        m.can_deploy(
            "t9-user",
            V100.replace("gal1", "galDirect").replace("img-ubuntu", "img"),
            "/subscriptions/S9/resourceGroups/r",
            at=NOW,
        ).effect
        is Effect.NOT_GRANTED
    )


def test_community_proxies_are_open_to_everyone() -> None:
    m = model([ra("alice", "Reader", GAL1)])
    decision = m.can("stranger", READ, COMMUNITY_V, at=NOW)
    assert decision.allowed
    assert decision.paths[0].chain == ("stranger", ALL_PRINCIPALS)
    who = m.who_can(READ, COMMUNITY_V, at=NOW)
    assert ALL_PRINCIPALS in who
    assert "alice" in who


def test_conditions_are_reported_and_configurable() -> None:
    m = model([ra("cond", "Reader", GAL1, condition=CONDITION)])
    unknown = m.can("cond", READ, V100, at=NOW)
    assert (unknown.effect, unknown.allowed) == (Effect.CONDITIONAL, False)
    assert CONDITION in (unknown.paths[0].note or "")
    granted = m.can("cond", READ, V100, at=NOW, conditions="grant")
    assert (granted.effect, granted.allowed) == (Effect.CONDITIONAL, True)
    ignored = m.can("cond", READ, V100, at=NOW, conditions="no-grant")
    assert (ignored.effect, ignored.allowed) == (Effect.NOT_GRANTED, False)
    with pytest.raises(InvalidEnumValueError):
        m.can("cond", READ, V100, conditions="maybe")


def test_audit_denies_warn_but_do_not_block() -> None:
    m = model(
        [ra("gina", "Owner", GAL1)],
        deny_assignments=[deny(GAL1, ["*/write"], denyAssignmentEffect="Audit")],
    )
    decision = m.can("gina", WRITE, V100, at=NOW)
    assert decision.allowed
    assert any("audit-only" in w for w in decision.warnings)


def test_memberships_with_windows_and_eligibility() -> None:
    later = NOW + timedelta(days=30)
    m = model(
        [ra("G-eng", "Reader", GAL1, principalType="Group")],
        memberships=[
            *MEMBERSHIPS,
            {"groupId": "G-eng", "memberId": "temp", "end": later.isoformat()},
            {"groupId": "G-eng", "memberId": "pim-user", "kind": "eligible"},
        ],
        deny_assignments=[deny(GAL1, [WRITE], principals=[{"id": "G-eng"}])],
    )
    assert m.can("temp", READ, V100, at=NOW).allowed
    assert not m.can("temp", READ, V100, at=later).allowed
    pim = m.can("pim-user", READ, V100, at=NOW)
    assert (pim.effect, pim.allowed) == (Effect.ELIGIBLE, False)
    assert "eligible group membership" in (pim.paths[0].note or "")
    assert m.can("pim-user", READ, V100, at=NOW, include_eligible=True).allowed
    assert m.transitive_groups("pim-user", at=NOW) == frozenset()
    assert m.transitive_groups("pim-user", at=NOW, include_eligible=True) == {"G-eng"}
    # a deny reaches only through active memberships
    assert m.can("temp", WRITE, V100, at=NOW).effect is Effect.DENIED
    assert m.can("pim-user", WRITE, V100, at=NOW).effect is Effect.NOT_GRANTED
    assert set(m.who_can(READ, V100, at=NOW)) == {"erin", "G-devs", "G-eng", "temp"}
    assert set(m.who_can(READ, V100, at=NOW, include_eligible=True)) == {
        "erin",
        "G-devs",
        "G-eng",
        "temp",
        "pim-user",
    }


def test_near_misses_are_explained() -> None:
    yesterday = NOW - timedelta(days=1)
    m = model(
        [
            ra("kim", "Reader", GAL1, endDateTime=yesterday.isoformat()),
            ra("kim", "Contributor", GAL1),
        ]
    )
    share = m.can("kim", "Microsoft.Compute/galleries/share/action", GAL1, at=NOW)
    assert any("NotActions" in w for w in share.warnings)
    assert m.can("kim", READ, V100, at=NOW).allowed  # Contributor still reads
    m2 = model([ra("kim", "Reader", GAL1, endDateTime=yesterday.isoformat())])
    assert any("outside its window" in w for w in m2.can("kim", READ, V100, at=NOW).warnings)


def test_orphan_warnings_name_the_ignored_assignment() -> None:
    m = model(
        [
            ra("paul", "Reader", f"{GAL1}/images/gone"),
            ra("paul", "Virtual Machine Contributor", RG_APP),
        ]
    )
    decision = m.can("paul", READ, f"{GAL1}/images/gone/versions/1.0.0", at=NOW)
    assert any("ignored assignment" in w for w in decision.warnings)
    assert any("is not in the inventory" in w for w in decision.warnings)


def test_guest_objects_link_people_across_tenants() -> None:
    directory = [
        {"id": "ann-home", "principalType": "User", "tenantId": "T2"},
        {
            "id": "ann-guest",
            "principalType": "User",
            "tenantId": "T1",
            "userType": "Guest",
            "homeId": "ann-home",
        },
    ]
    m = model(
        [
            ra("ann-guest", "Reader", GAL1),
            ra("ann-home", "Virtual Machine Contributor", "/subscriptions/ST2"),
        ],
        directory=directory,
        subscriptions={"S1": "T1", "ST2": "T2"},
    )
    assert m.can_deploy("ann-home", V100, "/subscriptions/ST2/resourceGroups/rg", at=NOW).allowed
    assert "ann-home" in m.who_can_deploy(V100, "/subscriptions/ST2/resourceGroups/rg", at=NOW)


def test_who_can_deploy_matches_can_deploy() -> None:
    m = model(
        [
            ra("ivan", "Virtual Machine Contributor", S2),
            ra("ivan", "Reader", GAL1),
            ra("olga", "Virtual Machine Contributor", S2),
            ra("G-eng", "Owner", RG_IMAGES, principalType="Group"),
            ra("G-eng", "Virtual Machine Contributor", RG_APP, principalType="Group"),
        ]
    )
    who = m.who_can_deploy(V100, RG_APP, at=NOW)
    assert set(who) == {"ivan", "erin", "G-devs", "G-eng"}
    for p in ("ivan", "olga", "erin", "G-eng", "G-devs", "stranger"):
        assert (p in who) == m.can_deploy(p, V100, RG_APP, at=NOW).allowed
    assert set(m.who_can_deploy(COMMUNITY_V, RG_APP, at=NOW)) == {
        "ivan",
        "olga",
        "erin",
        "G-devs",
        "G-eng",
    }


UNIVERSE = [*PRINCIPALS, GHOST, "stranger"]


OPTIONS = st.fixed_dictionaries(
    {
        "include_eligible": st.booleans(),
        "conditions": st.sampled_from(["unknown", "grant", "no-grant"]),
    }
)


ANY_SCENARIO = st.tuples(st.booleans(), st.booleans()).flatmap(
    lambda flags: scenarios(static=flags[0], busy=flags[1])
)


@settings(max_examples=150)
@given(
    sc=ANY_SCENARIO,
    actions=st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=2, unique=True),
    options=OPTIONS,
)
def test_can_agrees_with_the_oracle(
    sc: Scenario, actions: list[str], options: dict[str, Any]
) -> None:
    model = sc.model()
    for action in actions:
        for resource in RESOURCES + OTHER_SCOPES:
            for principal in UNIVERSE:
                decision = model.can(principal, action, resource, at=NOW, **options)
                expected = oracle.decide(sc.facts, principal, action, resource, NOW, **options)
                assert (decision.effect.value, decision.allowed) == expected, (
                    principal,
                    action,
                    resource,
                )
                assert bool(decision.denials) == (decision.effect.value == "denied")


@settings(max_examples=100)
@given(sc=ANY_SCENARIO, action=st.sampled_from(ACTIONS), options=OPTIONS)
def test_who_can_what_can_and_can_agree(sc: Scenario, action: str, options: dict[str, Any]) -> None:
    model = sc.model()
    what = {p: set(model.what_can(p, action, at=NOW, **options)) for p in UNIVERSE}
    for resource in RESOURCES + OTHER_SCOPES:
        who = {k.lower() for k in model.who_can(action, resource, at=NOW, **options)}
        rid = ResourceId.parse(resource)
        for p in UNIVERSE:
            allowed = model.can(p, action, resource, at=NOW, **options).allowed
            assert (p.lower() in who) == allowed, (p, resource)
            if resource in RESOURCES:
                assert (rid in what[p]) == allowed, (p, resource)
        assert who <= {p.lower() for p in UNIVERSE}


@settings(max_examples=60)
@given(
    sc=scenarios(),
    principal=st.sampled_from([*PRINCIPALS, GHOST]),
    role=st.sampled_from(list(BUILTINS.values())),
    scope=st.sampled_from(SCOPES),
    action=st.sampled_from(ACTIONS),
)
def test_adding_a_role_assignment_never_removes_access(
    sc: Scenario, principal: str, role: str, scope: str, action: str
) -> None:
    before = sc.model()
    after = before.with_role_assignments(
        RoleAssignment(scope=scope, principal_id=principal, role_definition_id=role)
    )
    for resource in RESOURCES:
        assert set(before.who_can(action, resource, at=NOW)) <= set(
            after.who_can(action, resource, at=NOW)
        )
        for p in UNIVERSE:
            if before.can(p, action, resource, at=NOW).allowed:
                assert after.can(p, action, resource, at=NOW).allowed


@settings(max_examples=100)
@given(
    sc=ANY_SCENARIO,
    scope=st.sampled_from(SCOPES),
    patterns=st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=2),
    targets=st.lists(st.sampled_from([*PRINCIPALS, oracle.EVERYONE]), min_size=1, max_size=2),
    excluded=st.lists(st.sampled_from(PRINCIPALS), max_size=2),
    here_only=st.booleans(),
    action=st.sampled_from(ACTIONS),
)
def test_adding_a_deny_never_adds_access(
    *,
    sc: Scenario,
    scope: str,
    patterns: list[str],
    targets: list[str],
    excluded: list[str],
    here_only: bool,
    action: str,
) -> None:
    before = sc.model()
    after = before.with_deny_assignments(
        DenyAssignment(
            id="extra",
            scope=scope,
            permissions=[Permission(actions=patterns)],
            principals=targets,
            exclude_principals=excluded,
            do_not_apply_to_child_scopes=here_only,
        )
    )
    what = {p: {str(r) for r in after.what_can(p, action, at=NOW)} for p in UNIVERSE}
    for resource in RESOURCES:
        who = {k.lower() for k in after.who_can(action, resource, at=NOW)}
        for p in UNIVERSE:
            allowed = after.can(p, action, resource, at=NOW).allowed
            assert (p.lower() in who) == allowed
            assert (resource in what[p]) == allowed
            if allowed:
                assert before.can(p, action, resource, at=NOW).allowed


def _permute(value: Any, flips: list[bool]) -> Any:
    if isinstance(value, str) and (value.startswith("/") or value in UNIVERSE or "-" in value):
        return swap_case(value, flips)
    if isinstance(value, dict):
        return {
            k: v
            if k
            in (
                "type",
                "kind",
                "start",
                "end",
                "startDateTime",
                "endDateTime",
                "denyAssignmentEffect",
                "condition",
                "principalType",
            )
            else _permute(v, flips)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_permute(v, flips) for v in value]
    return value


@settings(max_examples=40)
@given(
    sc=scenarios(),
    flips=st.lists(st.booleans(), min_size=1, max_size=7),
    action=st.sampled_from(ACTIONS),
)
def test_results_do_not_depend_on_id_case(sc: Scenario, flips: list[bool], action: str) -> None:
    plain = sc.model()
    arm = [_permute(r, flips) for r in inventory().to_arm()]
    permuted = Scenario(
        role_definitions=_permute(sc.role_definitions, flips),
        role_assignments=_permute(sc.role_assignments, flips),
        deny_assignments=_permute(sc.deny_assignments, flips),
        memberships=_permute(sc.memberships, flips),
        directory=_permute(sc.directory, flips),
    ).model(load_arm(arm))
    for resource in RESOURCES:
        swapped = swap_case(resource, flips)
        assert {k.lower() for k in plain.who_can(action, resource, at=NOW)} == {
            k.lower() for k in permuted.who_can(swap_case(action, flips), swapped, at=NOW)
        }
        for p in UNIVERSE:
            a = plain.can(p, action, resource, at=NOW)
            b = permuted.can(swap_case(p, flips), swap_case(action, flips), swapped, at=NOW)
            assert (a.effect, a.allowed) == (b.effect, b.allowed)


@given(
    gallery=st.sampled_from(GALLERIES),
    principal=st.sampled_from(PRINCIPALS),
    role=st.sampled_from([BUILTINS["reader"], BUILTINS["owner"], BUILTINS["image-reader"]]),
)
def test_a_grant_at_a_gallery_reaches_everything_under_it_and_nothing_else(
    gallery: str, principal: str, role: str
) -> None:
    model = AccessModel(
        inventory(),
        role_assignments=[
            RoleAssignment(scope=gallery, principal_id=principal, role_definition_id=role)
        ],
    )
    action = "Microsoft.Compute/galleries/images/versions/read"
    under = {r for r in RESOURCES if r == gallery or r.startswith(gallery + "/")}
    reached = {str(r) for r in model.what_can(principal, action, at=NOW)}
    assert reached == under
    versions = {
        str(r)
        for r in model.what_can(principal, action, at=NOW, kinds=[ResourceKind.IMAGE_VERSION])
    }
    assert versions == {r for r in under if "/versions/" in r}
    for resource in RESOURCES:
        assert model.can(principal, action, resource, at=NOW).allowed == (resource in under)
    read_any = {
        "Microsoft.Compute/galleries/images/versions/read",
        "Microsoft.Compute/galleries/images/read",
    }
    for act in read_any:
        for resource in RESOURCES:
            if resource not in under:
                assert not model.can(principal, act, resource, at=NOW).allowed


@given(sc=scenarios(static=True), action=st.sampled_from(ACTIONS))
def test_static_and_general_membership_evaluation_agree(sc: Scenario, action: str) -> None:
    """With only permanent memberships, the set-algebra path of who_can is taken; it must give
    what evaluating every principal gives."""
    model = sc.model()
    for resource in RESOURCES:
        expected = {p for p in UNIVERSE if oracle.decide(sc.facts, p, action, resource, NOW)[1]}
        assert {k.lower() for k in model.who_can(action, resource, at=NOW)} == expected


@settings(max_examples=40)
@given(sc=scenarios(denies=False), principal=st.sampled_from(PRINCIPALS))
def test_reader_within_contributor_within_owner(sc: Scenario, principal: str) -> None:
    """For reads and writes (not share/action), Reader ⊆ Contributor ⊆ Owner at any scope."""
    base = sc.model()
    models = {
        name: base.with_role_assignments(
            RoleAssignment(
                scope=GALLERIES[0], principal_id=principal, role_definition_id=BUILTINS[name]
            )
        )
        for name in ("reader", "contributor", "owner")
    }
    for action in ACTIONS[:4]:
        for resource in RESOURCES:
            r, c, o = (
                models[n].can(principal, action, resource, at=NOW).allowed
                for n in ("reader", "contributor", "owner")
            )
            assert (not r or c) and (not c or o)


# -- hostile patterns, and the decisions revisited -----------------------------------------------


def _custom_role(*actions: str) -> dict[str, Any]:
    return {
        "name": "c0c0c0c0-0000-4000-8000-00000000000f",
        "roleName": "wild",
        "permissions": [{"actions": list(actions)}],
    }


def test_patterns_with_many_stars_are_decided_like_any_other() -> None:
    role = _custom_role("*********X", "*" * 100 + "/read")
    m = model(
        [ra("ann", role["name"], GAL1)],
        role_definitions=[role],
        deny_assignments=[deny(GAL1, ["*" * 12 + "X", "*" * 100 + "/delete"])],
    )
    assert m.can("ann", READ, V100, at=NOW).allowed
    assert not m.can("ann", WRITE, V100, at=NOW).allowed
    assert m.can("ann", DELETE, V100, at=NOW).effect is Effect.DENIED
    assert set(m.who_can(READ, V100, at=NOW)) == {"ann"}
    assert V100 in m.what_can("ann", READ, at=NOW)


def test_members_pages_do_not_make_a_directory() -> None:
    """Members read from a Graph page are principals, but no directory was given: a grant to an
    id mentioned nowhere else still counts (as it does with an edge record)."""
    grant = [{"principalId": "bob", "roleDefinitionName": "Reader", "scope": GAL1}]
    page = [{"groupId": "team", "value": [{"@odata.type": "#microsoft.graph.user", "id": "alice"}]}]
    edge = [{"groupId": "team", "memberId": "alice"}]
    for memberships in (page, edge):
        m = model(grant, memberships=memberships)
        assert m.can("bob", GALLERY_READ, GAL1, at=NOW).allowed
        assert m.orphans() == ()
    listed = model(grant, memberships=page, directory=[{"id": "carl"}])
    assert not listed.can("bob", GALLERY_READ, GAL1, at=NOW).allowed
    assert "not in the directory" in listed.orphans()[0].reason


def test_with_eligible_grants_a_deny_reaches_through_eligible_memberships() -> None:
    m = model(
        [ra("G-pim", "Owner", GAL1, principalType="Group")],
        memberships=[
            {"groupId": "G-pim", "memberId": "pat"},
            {"groupId": "G-blocked", "memberId": "pat", "kind": "eligible"},
            {"groupId": "G-spared", "memberId": "pat", "kind": "eligible"},
        ],
        deny_assignments=[
            deny(GAL1, [WRITE], principals=[{"id": "G-blocked"}]),
            deny(GAL1, [DELETE], name="d2", excludePrincipals=[{"id": "G-spared"}]),
        ],
    )
    assert m.can("pat", WRITE, V100, at=NOW).allowed  # as things stand: not targeted
    eligible = m.can("pat", WRITE, V100, at=NOW, include_eligible=True)
    assert eligible.effect is Effect.DENIED
    assert eligible.denials[0].chain == ("pat", "G-blocked")
    assert "pat" not in m.who_can(WRITE, V100, at=NOW, include_eligible=True)
    assert V100 not in m.what_can("pat", WRITE, at=NOW, include_eligible=True)
    # an exclusion through an eligible membership spares nobody: it would overstate
    assert m.can("pat", DELETE, V100, at=NOW, include_eligible=True).effect is Effect.DENIED


def test_an_eligible_grant_with_a_condition_stays_conditional() -> None:
    m = model(
        [
            ra("cara", "Reader", GAL1, condition=CONDITION, type=ELIGIBLE_TYPE),
            ra("G-c", "Reader", GAL1, condition=CONDITION, principalType="Group"),
        ],
        memberships=[{"groupId": "G-c", "memberId": "cole", "kind": "eligible"}],
    )
    for who in ("cara", "cole"):
        plain = m.can(who, READ, V100, at=NOW)
        assert (plain.effect, plain.allowed) == (Effect.ELIGIBLE, False)
        asked = m.can(who, READ, V100, at=NOW, include_eligible=True)
        assert (asked.effect, asked.allowed) == (Effect.CONDITIONAL, False)
        note = asked.paths[0].note or ""
        assert "activate it in PIM" in note and CONDITION in note
        both = m.can(who, READ, V100, at=NOW, include_eligible=True, conditions="grant")
        assert (both.effect, both.allowed) == (Effect.ELIGIBLE, True)
        assert not m.can(who, READ, V100, at=NOW, include_eligible=True, conditions="no-grant")
        assert who not in m.who_can(READ, V100, at=NOW, include_eligible=True)


ELIGIBLE_TYPE = "Microsoft.Authorization/roleEligibilityScheduleInstances"


def test_who_can_on_a_community_proxy_holds_everyone() -> None:
    who = model([]).who_can(READ, COMMUNITY_V, at=NOW)
    assert "someone-new" in who and who["someone-new"].allowed
    assert "someone-new" not in list(who)
    shared = model([ra("ivan", "Reader", S2)]).who_can(READ, SHARED_V, at=NOW)
    assert "someone-new" not in shared
