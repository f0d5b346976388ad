"""The whole access model as one ``networkx.MultiDiGraph``, for users' own graph algorithms.

Nodes carry ``kind`` (``principal``, ``roleAssignment``, ``roleDefinition``, ``denyAssignment``,
``scope``, ``tenant``, ``subscription``) and edges carry ``rel``:

* ``MEMBER_OF`` principal → group (with ``kind``, ``start``, ``end``)
* ``HOLDS`` principal → role assignment; ``AT`` assignment → scope; ``OF_ROLE`` assignment → role
* ``DENY_AT`` deny → scope; ``DENIES`` / ``EXEMPTS`` deny → principal
* ``CONTAINS`` parent scope → child scope (management groups, subscriptions, resource groups,
  galleries, definitions, versions)
* ``SHARED_WITH`` gallery → subscription or tenant; ``PUBLIC`` gallery → everyone
* ``SAME_APP`` between service principals of one application in different tenants

Principal nodes are keyed by lower-case object id, scopes by their lower-case id, and the other
nodes by ``{kind}:{id}``.
"""

from __future__ import annotations

import itertools

import networkx as nx

from imagegallery.access._engine import Engine
from imagegallery.access.principals import ALL_PRINCIPALS
from imagegallery.ids import ResourceId

__all__ = ["build_graph"]


def _scope(graph: nx.MultiDiGraph[str], engine: Engine, rid: ResourceId, seen: set[str]) -> str:
    """Add ``rid`` and its ancestors with CONTAINS edges; return the node key."""
    key = str(rid).lower()
    chain = engine.scopes.chain(rid)
    for child, parent in itertools.pairwise(chain):
        ckey, pkey = str(child).lower(), str(parent).lower()
        if ckey in seen:
            break
        seen.add(ckey)
        graph.add_node(ckey, kind="scope", id=str(child), scope_kind=child.kind.value)
        graph.add_node(pkey, kind="scope", id=str(parent), scope_kind=parent.kind.value)
        graph.add_edge(pkey, ckey, rel="CONTAINS")
    if key not in graph:
        graph.add_node(key, kind="scope", id=str(rid), scope_kind=rid.kind.value)
    return key


def build_graph(engine: Engine) -> nx.MultiDiGraph[str]:
    """Build the full graph of an engine's facts."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    seen: set[str] = set()
    for key, label in engine.display.items():
        principal = engine.principals.get(key)
        graph.add_node(
            key,
            kind="principal",
            id=label,
            label=engine.label(key),
            type=principal.type.value if principal else None,
            tenant_id=principal.tenant_id if principal else None,
        )
    for member, group, data in engine.graph.graph.edges(data=True):
        for m in data["memberships"]:
            graph.add_edge(
                member, group, rel="MEMBER_OF", kind=m.kind.value, start=m.start, end=m.end
            )
    for rid in engine.scopes.resources():
        _scope(graph, engine, rid, seen)
    for role in engine.roles.values():
        graph.add_node(
            f"roleDefinition:{role.id}", kind="roleDefinition", id=role.id, name=role.name
        )
    for i, ra in enumerate(engine.role_assignments):
        node = f"roleAssignment:{ra.id or i}"
        graph.add_node(
            node,
            kind="roleAssignment",
            assignment=ra,
            orphan=any(
                o.assignment is ra for o in engine.orphans_by_principal.get(ra.principal_key, ())
            ),
        )
        graph.add_node(ra.principal_key, kind="principal", id=ra.principal_id)
        graph.add_edge(ra.principal_key, node, rel="HOLDS")
        graph.add_edge(node, _scope(graph, engine, ra.scope, seen), rel="AT")
        found = engine.role_of(ra)
        if found is not None:
            graph.add_edge(node, f"roleDefinition:{found.id}", rel="OF_ROLE")
    for deny in engine.deny_assignments:
        node = f"denyAssignment:{deny.id}"
        graph.add_node(node, kind="denyAssignment", assignment=deny)
        graph.add_edge(node, _scope(graph, engine, deny.scope, seen), rel="DENY_AT")
        for p in deny.principals:
            graph.add_node(p.lower(), kind="principal", id=p)
            graph.add_edge(node, p.lower(), rel="DENIES")
        for p in deny.exclude_principals:
            graph.add_node(p.lower(), kind="principal", id=p)
            graph.add_edge(node, p.lower(), rel="EXEMPTS")
    for gallery_id, shared in engine.sharing.items():
        gkey = str(gallery_id).lower()
        for sub in shared.subscriptions:
            target = _scope(graph, engine, ResourceId.parse(f"/subscriptions/{sub}"), seen)
            graph.add_edge(gkey, target, rel="SHARED_WITH")
        for tenant in shared.tenants:
            graph.add_node(f"tenant:{tenant}", kind="tenant", id=tenant)
            graph.add_edge(gkey, f"tenant:{tenant}", rel="SHARED_WITH")
        if shared.is_community:
            graph.add_node(ALL_PRINCIPALS, kind="principal", id=ALL_PRINCIPALS, label="Everyone")
            graph.add_edge(gkey, ALL_PRINCIPALS, rel="PUBLIC")
    for keys in engine.identities.values():
        for a in keys:
            for b in keys:
                if a != b and engine.principals[a].app_id:
                    graph.add_edge(a, b, rel="SAME_APP")
    return graph
