"""The networkx graphs a model exposes."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imagegallery.access.graph import is_permanent_grant
from imagegallery.ids import ResourceId
from tests.access._fixture import (
    GAL1,
    V100,
    deny,
    model,
    ra,
)
from tests.access._scenarios import (
    ACTIONS,
    GHOST,
    OTHER_SCOPES,
    PRINCIPALS,
    RESOURCES,
    Scenario,
    scenarios,
)


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


# -- the compiled holder tables, against the networkx membership graph -----------------------------


def _reachers(members: Any, key: str) -> set[str]:
    """``key`` and every group it belongs to, transitively, by networkx."""
    return {key} | (nx.descendants(members, key) if key in members else set())


@settings(max_examples=80, deadline=None)
@given(
    sc=st.booleans().flatmap(lambda busy: scenarios(static=True, busy=busy)),
    action=st.sampled_from(ACTIONS),
)
def test_holder_tables_agree_with_networkx(sc: Scenario, action: str) -> None:
    """For every principal and scope chain, the compiled tables meet the principal's closure
    mask exactly when networkx finds a membership path to a holder of a permanent (sure) or only
    of another (windowed, eligible, conditional) grant of the action."""
    model = sc.model()
    g = model._graph
    members = model.membership_graph
    low = action.lower()

    def holders(scope: ResourceId) -> tuple[set[str], set[str]]:
        sure, other = set(), set()
        for holder, ras in g.ra_at.get(scope, {}).items():
            roles = [g.role_of(ra) for ra in ras]
            granting = [
                ra for ra, role in zip(ras, roles, strict=True) if role and role.grants(low)
            ]
            if any(is_permanent_grant(ra) for ra in granting):
                sure.add(holder)
            elif granting:
                other.add(holder)
        return sure, other

    for resource in RESOURCES + OTHER_SCOPES:
        rid = ResourceId.parse(resource)
        above = g.holders_above(g.plan(rid), low, False)
        here = g.holders_at(rid, low, False)
        own_sure, own_other = holders(rid)
        sure_above: set[str] = set()
        other_above: set[str] = set()
        for scope in g.scopes.chain(rid)[1:]:
            sure, other = holders(scope)
            sure_above |= sure
            other_above |= other
        for principal in [*PRINCIPALS, GHOST, "stranger"]:
            key = principal.lower()
            mask = g.members.principal_mask(key)
            reach = _reachers(members, key)
            assert above.sure(key, mask) == bool(reach & sure_above), (principal, resource)
            assert above.other(key, mask) == bool(reach & other_above), (principal, resource)
            assert here.sure(key, mask) == bool(reach & own_sure), (principal, resource)
            assert here.other(key, mask) == bool(reach & own_other), (principal, resource)
