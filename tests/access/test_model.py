"""The access model façade: arguments, derived models, the sharing matrix, its parts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from imagegallery import (
    InvalidResourceIdError,
    InvalidTypeError,
    NaiveDatetimeError,
    ResourceId,
    ResourceNotFoundError,
)
from imagegallery.access import (
    AccessModel,
    Membership,
    Principal,
    RoleAssignment,
)
from imagegallery.errors import InvalidActionError
from tests.access._fixture import (
    GAL1,
    READ,
    RG_APP,
    UBUNTU,
    V100,
    deny,
    model,
    ra,
    reference_inventory,
)

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


SHARED_V = "/SharedGalleries/S1-GALDIRECT/Images/img/Versions/1.0.0"


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


def test_with_memberships_returns_a_new_model() -> None:
    m = model([ra("G-eng", "Reader", GAL1, principalType="Group")])
    assert not m.can("zed", READ, V100, at=NOW).allowed
    m2 = m.with_memberships(Membership(group_id="G-devs", member_id="zed"))
    assert m2.can("zed", READ, V100, at=NOW).allowed
    assert not m.can("zed", READ, V100, at=NOW).allowed
    assert len(m2.memberships) == len(m.memberships) + 1


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
