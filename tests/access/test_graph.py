"""The networkx graphs a model exposes."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from tests.access._fixture import (
    GAL1,
    V100,
    deny,
    model,
    ra,
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
