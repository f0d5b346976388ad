"""The access model's queries beyond the reference cases: proxies, options, answers, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import networkx as nx
import pytest

from imagegallery import (
    Gallery,
    InvalidEnumValueError,
    InvalidResourceIdError,
    InvalidTypeError,
    NaiveDatetimeError,
    ResourceId,
    ResourceKind,
    ResourceNotFoundError,
    SharingProfile,
    SharingProfileGroup,
)
from imagegallery.access import (
    ALL_PRINCIPALS,
    AccessModel,
    Effect,
    GallerySharing,
    Membership,
    Principal,
    RoleAssignment,
)
from imagegallery.errors import InvalidActionError, SharingLimitError
from tests.access._fixture import (
    GAL1,
    GAL_DIRECT,
    GAL_PUBLIC,
    MEMBERSHIPS,
    READ,
    RG_APP,
    RG_IMAGES,
    S2,
    UBUNTU,
    V100,
    V200,
    WRITE,
    deny,
    model,
    ra,
    reference_inventory,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def _gallery(gid: str) -> Gallery:
    found = reference_inventory()[gid]
    assert isinstance(found, Gallery)
    return found


SHARED_V = "/SharedGalleries/S1-GALDIRECT/Images/img/Versions/1.0.0"
COMMUNITY_V = "/CommunityGalleries/pub-1/Images/img/Versions/1.0.0"
CONDITION = "@Resource[Microsoft.Storage/x] StringEquals 'y'"


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


def test_decision_explain_and_bool() -> None:
    m = model(
        [ra("G-eng", "Reader", RG_IMAGES, principalType="Group")],
        directory=[{"id": "erin", "displayName": "Erin E."}],
    )
    decision = m.can("ERIN", READ, V200, at=NOW)
    assert decision
    assert decision.principal == "erin"
    assert decision.label == "Erin E."
    text = decision.explain()
    assert text.splitlines()[0].startswith(
        "Erin E. (erin): Microsoft.Compute/galleries/images/versions/read on "
    )
    assert "grant: Erin E. → G-devs → G-eng ⇒ Reader [*/read]" in text
    assert not m.can("nobody", READ, V200, at=NOW)
    assert m.principals["ERIN"].label == "Erin E."
    assert "Erin" in m.principals and 5 not in m.principals  # type: ignore[comparison-overlap]
    assert list(m.principals) == ["erin"]


def test_access_maps() -> None:
    m = model(
        [ra("G-eng", "Reader", RG_IMAGES, principalType="Group"), ra("alice", "Reader", UBUNTU)]
    )
    who = m.who_can(READ, V100, at=NOW)
    assert list(who) == ["alice", "erin", "G-devs", "G-eng"]
    assert "ALICE" in who and "G-DEVS" in who
    assert who["Alice"].allowed
    number: object = 5
    assert number not in who
    with pytest.raises(ResourceNotFoundError):
        who["bob"]
    assert repr(who) == "AccessMap([alice, erin, G-devs, G-eng])"
    what = m.what_can("alice", READ, at=NOW)
    assert [str(r) for r in what] == [UBUNTU, V100, f"{UBUNTU}/versions/1.1.0"]
    assert V100.upper() in what
    assert what[V100.lower()].allowed
    versions = m.what_can("alice", READ, at=NOW, kinds=[ResourceKind.IMAGE_VERSION])
    assert len(versions) == 2


def test_bad_arguments() -> None:
    m = model()
    with pytest.raises(InvalidTypeError):
        m.can(5, READ, V100)  # type: ignore[arg-type]
    with pytest.raises(InvalidActionError):
        m.can("x", "not an action", V100)
    with pytest.raises(InvalidResourceIdError):
        m.can("x", READ, "subscriptions/S1")
    with pytest.raises(NaiveDatetimeError):
        m.can("x", READ, V100, at=datetime(2025, 1, 1))
    with pytest.raises(InvalidResourceIdError):
        m.can_deploy("x", GAL1, RG_APP)
    with pytest.raises(InvalidResourceIdError):
        m.can_deploy("x", V100, SHARED_V)
    with pytest.raises(InvalidTypeError):
        AccessModel([])  # type: ignore[arg-type]


def test_principal_objects_are_accepted() -> None:
    m = model([ra("alice", "Reader", GAL1)])
    assert m.can(Principal(id="Alice"), READ, V100, at=NOW).allowed
    assert "alice" in {p.lower() for p in m.who_can(READ, ResourceId.parse(V100), at=NOW)}


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


def test_with_memberships_returns_a_new_model() -> None:
    m = model([ra("G-eng", "Reader", GAL1, principalType="Group")])
    assert not m.can("zed", READ, V100, at=NOW).allowed
    m2 = m.with_memberships(Membership(group_id="G-devs", member_id="zed"))
    assert m2.can("zed", READ, V100, at=NOW).allowed
    assert not m.can("zed", READ, V100, at=NOW).allowed
    assert len(m2.memberships) == len(m.memberships) + 1


def test_graphs_are_networkx_and_read_only() -> None:
    m = model(
        [ra("G-eng", "Reader", GAL1, principalType="Group"), ra("sp1", "Reader", GAL1)],
        deny_assignments=[deny(GAL1, ["*/delete"], excludePrincipals=[{"id": "G-eng"}])],
        directory=[
            {"id": "sp1", "principalType": "ServicePrincipal", "appId": "A", "tenantId": "T1"},
            {"id": "sp2", "principalType": "ServicePrincipal", "appId": "A", "tenantId": "T2"},
        ],
    )
    members = m.membership_graph
    assert nx.has_path(members, "erin", "g-eng")
    with pytest.raises(nx.NetworkXError):
        members.add_edge("x", "y")
    g = m.graph
    edges: Any = g.edges(data="rel")
    rels = {rel for _, _, rel in edges}
    assert {
        "MEMBER_OF",
        "HOLDS",
        "AT",
        "OF_ROLE",
        "CONTAINS",
        "DENY_AT",
        "DENIES",
        "EXEMPTS",
        "SHARED_WITH",
        "PUBLIC",
        "SAME_APP",
    } <= rels
    assert nx.has_path(g, "/", V100.lower())
    with pytest.raises(nx.NetworkXError):
        g.add_node("x")


def test_sharing_profiles_and_caps() -> None:
    shared = GallerySharing.from_gallery(_gallery(GAL_DIRECT))
    assert shared.is_direct and shared.reaches("s2", None) and not shared.reaches("s3", "t")
    assert str(shared.proxy_id(ResourceId.parse(GAL_DIRECT))) == "/SharedGalleries/S1-GALDIRECT"
    proxy = ResourceId.parse(SHARED_V)
    assert shared.names_proxy(proxy)
    assert str(shared.real_id(proxy)) == f"{GAL_DIRECT}/images/img/versions/1.0.0"
    with pytest.raises(InvalidResourceIdError):
        shared.real_id(ResourceId.parse(COMMUNITY_V))
    public = GallerySharing.from_gallery(_gallery(GAL_PUBLIC))
    assert public.is_community and public.names_proxy(ResourceId.parse(COMMUNITY_V))
    private = GallerySharing.from_gallery(_gallery(GAL1))
    assert private.proxy_id(ResourceId.parse(GAL1)) is None
    too_many = SharingProfile(
        permissions="Groups",
        groups=[SharingProfileGroup(type="Subscriptions", ids=[f"s{i}" for i in range(31)])],
    )
    with pytest.raises(SharingLimitError) as err:
        GallerySharing.from_gallery(attrs.evolve(_gallery(GAL_DIRECT), sharing_profile=too_many))
    assert (err.value.limit, err.value.value) == (30, 31)
    tenants = SharingProfile(
        permissions="Groups",
        groups=[SharingProfileGroup(type="AADTenants", ids=[f"t{i}" for i in range(6)])],
    )
    with pytest.raises(SharingLimitError):
        GallerySharing.from_gallery(attrs.evolve(_gallery(GAL_DIRECT), sharing_profile=tenants))


def test_sharing_matrix_for_a_principal_and_other_roles() -> None:
    m = model(
        [
            ra("bob", "Reader", UBUNTU),
            ra("G-eng", "Compute Gallery Image Reader", GAL1, principalType="Group"),
        ]
    )
    text = str(m.sharing_matrix("erin", at=NOW))
    assert text.splitlines()[1].split() == [
        "Compute",
        "Gallery",
        "Image",
        "Reader",
        "@",
        "gal1",
        "via",
        "G-eng",
        "No",
        "Yes",
        "Yes",
    ]
    rows = m.sharing_matrix(role="Compute Gallery Image Reader", at=NOW).rows
    assert [r.cells for r in rows] == [
        (False, True, True),
        (False, True, True),
        (False, False, True),
    ]
    with pytest.raises(ResourceNotFoundError):
        m.sharing_matrix(role="Nope")


def test_sharing_matrix_on_an_empty_inventory() -> None:
    from imagegallery import Inventory

    rows = AccessModel(Inventory()).sharing_matrix(at=NOW).rows
    assert [r.cells for r in rows] == [
        (True, True, True),
        (False, True, True),
        (False, False, True),
    ]


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


def test_repr_and_parts() -> None:
    m = model([ra("a", "Reader", GAL1)], deny_assignments=[deny(GAL1, ["*"])])
    assert (
        repr(m)
        == "AccessModel(roles=9, role_assignments=1, deny_assignments=1, memberships=5, orphans=0)"
    )
    assert len(m.role_definitions) == 9
    assert m.role_assignments[0].principal_id == "a"
    assert m.deny_assignments[0].label == "deny-1"
    assert m.inventory is reference_inventory()
    assert isinstance(
        m.with_role_assignments(
            RoleAssignment(scope="/", principal_id="x", role_definition_id="x")
        ),
        AccessModel,
    )
