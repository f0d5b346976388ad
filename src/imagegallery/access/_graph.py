"""The networkx façade: group membership as a directed graph, and the whole model as one graph.

Membership edges point from member to group (``member → group``); node keys are principal ids in
lower case. Closures are breadth-first with a visited set, so cycles terminate. When every edge is
permanent and active, upward closures are memoized per group and a principal's closure is the
union of its direct groups' closures; otherwise each query walks the edges valid at its moment.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Final

import networkx as nx

from imagegallery.access.principals import AssignmentKind, Membership, Principal

__all__ = ["ACTIVE", "ELIGIBLE", "MembershipGraph", "frozen_view"]

ACTIVE: Final = 1
"""Reached through active edges only."""
ELIGIBLE: Final = 2
"""Reached only through at least one eligible (PIM) edge."""
_DOWN_CACHE: Final = 256


def frozen_view(graph: nx.DiGraph[str] | nx.MultiDiGraph[str]) -> Any:
    """A read-only view of ``graph`` (``networkx.freeze`` on a shallow view, so the original
    stays usable by the model)."""
    view = graph.subgraph(graph.nodes)
    return nx.freeze(view)


class MembershipGraph:
    """Group membership, kept as a ``networkx.DiGraph`` (member → group).

    Each edge carries ``memberships``: the :class:`Membership` records behind it (several when the
    input lists the same pair with different windows or kinds).
    """

    __slots__ = ("_down", "_graph", "_static", "_up")

    def __init__(
        self, memberships: Iterable[Membership], principals: Mapping[str, Principal]
    ) -> None:
        graph: nx.DiGraph[str] = nx.DiGraph()
        for key, principal in principals.items():
            graph.add_node(key, principal=principal)
        static = True
        for m in memberships:
            member, group = m.member_id.lower(), m.group_id.lower()
            data = graph.get_edge_data(member, group)
            if data is None:
                graph.add_edge(member, group, memberships=[m])
            else:
                data["memberships"].append(m)
            static = static and m.is_permanent
        self._graph = graph
        self._static = static
        self._up: dict[str, frozenset[str]] = {}
        self._down: OrderedDict[str, frozenset[str]] = OrderedDict()

    @property
    def graph(self) -> nx.DiGraph[str]:
        """The underlying graph (the model never changes it after construction)."""
        return self._graph

    @property
    def is_static(self) -> bool:
        """Whether every membership is active and permanent."""
        return self._static

    def __contains__(self, key: str) -> bool:
        return key in self._graph

    # -- edge validity -----------------------------------------------------------------------------

    def _edge_status(self, member: str, group: str, at: datetime) -> int:
        """ACTIVE, ELIGIBLE, or 0 when the edge does not hold at ``at``."""
        best = 0
        for m in self._graph[member][group]["memberships"]:
            if not m.active_at(at):
                continue
            if m.kind is AssignmentKind.ACTIVE:
                return ACTIVE
            best = ELIGIBLE
        return best

    # -- closures ----------------------------------------------------------------------------------

    def _static_up(self, group: str) -> frozenset[str]:
        found = self._up.get(group)
        if found is None:
            seen = {group}
            queue = deque((group,))
            succ = self._graph.succ
            while queue:
                for nxt in succ[queue.popleft()]:
                    if nxt not in seen:
                        seen.add(nxt)
                        queue.append(nxt)
            found = self._up[group] = frozenset(seen)
        return found

    def groups_of(self, key: str, at: datetime) -> dict[str, int]:
        """Every group ``key`` belongs to, transitively, with how it is reached (ACTIVE or
        ELIGIBLE). ``key`` itself is included as ACTIVE."""
        if key not in self._graph:
            return {key: ACTIVE}
        if self._static:
            return dict.fromkeys(self.static_groups_of(key), ACTIVE)
        return self._walk(key, at, self._graph.succ, upward=True)

    def static_groups_of(self, key: str) -> frozenset[str]:
        """For a static graph: ``key`` and its transitive groups (memoized)."""
        if key not in self._graph:
            return frozenset((key,))
        succ = self._graph.succ[key]
        if len(succ) == 0:
            return frozenset((key,))
        if self._graph.pred[key]:  # a group: memoize its own closure
            return self._static_up(key)
        out: set[str] = {key}
        for group in succ:
            out |= self._static_up(group)
        return frozenset(out)

    def members_of(self, key: str, at: datetime) -> dict[str, int]:
        """Every principal that belongs to ``key`` transitively (``key`` included), with how."""
        if key not in self._graph:
            return {key: ACTIVE}
        if self._static:
            return dict.fromkeys(self.static_members_of(key), ACTIVE)
        return self._walk(key, at, self._graph.pred, upward=False)

    def static_members_of(self, key: str) -> frozenset[str]:
        """``key`` and every principal under it, ignoring windows and kinds (memoized, bounded)."""
        found = self._down.get(key)
        if found is not None:
            self._down.move_to_end(key)
            return found
        if key not in self._graph:
            return frozenset((key,))
        seen = {key}
        queue = deque((key,))
        pred = self._graph.pred
        while queue:
            for nxt in pred[queue.popleft()]:
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        found = frozenset(seen)
        self._down[key] = found
        if len(self._down) > _DOWN_CACHE:
            self._down.popitem(last=False)
        return found

    def any_groups_of(self, key: str) -> frozenset[str]:
        """``key`` and every group reachable over any edge, ignoring windows and kinds."""
        if self._static:
            return self.static_groups_of(key)
        if key not in self._graph:
            return frozenset((key,))
        return frozenset(nx.descendants(self._graph, key) | {key})

    def _walk(self, key: str, at: datetime, adj: Any, *, upward: bool) -> dict[str, int]:
        def status(a: str, b: str) -> int:
            return self._edge_status(a, b, at) if upward else self._edge_status(b, a, at)

        active = {key}
        queue = deque((key,))
        while queue:
            node = queue.popleft()
            for nxt in adj[node]:
                if nxt not in active and status(node, nxt) == ACTIVE:
                    active.add(nxt)
                    queue.append(nxt)
        reach = set(active)
        queue = deque(active)
        while queue:
            node = queue.popleft()
            for nxt in adj[node]:
                if nxt not in reach and status(node, nxt):
                    reach.add(nxt)
                    queue.append(nxt)
        return {n: ACTIVE if n in active else ELIGIBLE for n in reach}

    # -- explanations ------------------------------------------------------------------------------

    def chain(self, key: str, holder: str, at: datetime) -> tuple[str, ...]:
        """The shortest membership chain from ``key`` up to ``holder`` valid at ``at``: over
        active edges if one exists, else also over eligible ones. ``()`` when there is none."""
        if key == holder:
            return (key,)
        if key not in self._graph or holder not in self._graph:
            return ()
        for wanted in (ACTIVE, ELIGIBLE):
            if self._static:
                view: Any = self._graph
            else:

                def keep(a: str, b: str, wanted: int = wanted) -> bool:
                    found = self._edge_status(a, b, at)
                    return bool(found) and found <= wanted

                view = nx.subgraph_view(self._graph, filter_edge=keep)
            try:
                return tuple(nx.shortest_path(view, key, holder))
            except nx.NetworkXNoPath:
                if self._static:
                    return ()
        return ()

    def memberships(self) -> Iterable[Membership]:
        """Every membership record, edge by edge."""
        for _a, _b, data in self._graph.edges(data=True):
            yield from data["memberships"]
