"""The networkx façade: group membership as a directed graph, and its closures.

Membership edges point from member to group (``member → group``); node keys are principal ids in
lower case. The ``networkx.DiGraph`` is the record users see (``AccessModel.membership_graph``);
queries run on compact adjacency tuples derived from it once. Walks are breadth-first with a
visited set, so cycles terminate.

When every edge is permanent and active (a *static* graph), each group's upward walk is memoized
as a tree of parent pointers with depths; a principal's groups are the union of its direct groups'
trees, and its shortest chain to any group is read off them. Otherwise each query walks the edges
valid at its moment, active ones first.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, Final

import networkx as nx

from imagegallery.access.principals import AssignmentKind, Membership, Principal

__all__ = ["ACTIVE", "ELIGIBLE", "MembershipGraph", "frozen_view"]

ACTIVE: Final = 1
"""Reached through active edges only."""
ELIGIBLE: Final = 2
"""Reached only through at least one eligible (PIM) edge."""
_NONE: Final[tuple[str, ...]] = ()

Tree = dict[str, tuple[str | None, int]]
"""Node → (parent, depth) of a breadth-first walk."""


def frozen_view(graph: nx.DiGraph[str] | nx.MultiDiGraph[str]) -> Any:
    """A read-only view of ``graph`` (``networkx.freeze`` on a subgraph view, so the original
    stays usable by the model)."""
    return nx.freeze(graph.subgraph(graph.nodes))


class MembershipGraph:
    """Group membership, kept as a ``networkx.DiGraph`` (member → group).

    Each edge carries ``memberships``: the :class:`Membership` records behind it (several when the
    input lists the same pair with different windows or kinds).
    """

    __slots__ = (
        "_bit",
        "_closures",
        "_graph",
        "_masks",
        "_nbytes",
        "_preds",
        "_static",
        "_succs",
        "_trees",
        "canon",
        "order",
    )

    def __init__(
        self, memberships: Iterable[Membership], principals: Mapping[str, Principal]
    ) -> None:
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from((key, {"principal": p}) for key, p in principals.items())
        records: dict[tuple[str, str], list[Membership]] = {}
        static = True
        canon = self.canon = {key: key for key in principals}
        for m in memberships:
            member, group = m.member_id.lower(), m.group_id.lower()
            pair = (canon.setdefault(member, member), canon.setdefault(group, group))
            records.setdefault(pair, []).append(m)
            static = static and m.is_permanent
        graph.add_edges_from((a, b, {"memberships": ms}) for (a, b), ms in records.items())
        succs: dict[str, list[str]] = {}
        preds: dict[str, list[str]] = {}
        for member, group in records:
            succs.setdefault(member, []).append(group)
            preds.setdefault(group, []).append(member)
        self._graph = graph
        self._static = static
        self._succs = {k: tuple(v) for k, v in succs.items()}
        self._preds = {k: tuple(v) for k, v in preds.items()}
        self._trees: dict[str, Tree] = {}
        self._closures: dict[str, dict[str, int]] = {}
        self.order: list[str] = list(self._preds)
        """Groups with members, by bit position in the closure masks."""
        self._bit = {group: i for i, group in enumerate(self.order)}
        self._nbytes = len(self.order) // 8 + 1
        self._masks: dict[str, int] = {}

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

    # -- static graphs: memoized group trees ----------------------------------------------------

    def _tree(self, group: str) -> Tree:
        found = self._trees.get(group)
        if found is None:
            found = {group: (None, 0)}
            queue = deque((group,))
            succs = self._succs
            while queue:
                node = queue.popleft()
                depth = found[node][1] + 1
                for nxt in succs.get(node, _NONE):
                    if nxt not in found:
                        found[nxt] = (node, depth)
                        queue.append(nxt)
            self._trees[group] = found
        return found

    def _closure(self, group: str) -> dict[str, int]:
        found = self._closures.get(group)
        if found is None:
            found = self._closures[group] = dict.fromkeys(self._tree(group), ACTIVE)
        return found

    def static_groups_of(self, key: str) -> dict[str, int]:
        """For a static graph: ``key`` and its transitive groups, all ACTIVE (a new dict)."""
        if key in self._preds:  # a group: its own memoized closure
            return dict(self._closure(key))
        out = {key: ACTIVE}
        for group in self._succs.get(key, _NONE):
            out.update(self._closure(group))
        return out

    def _static_chain(self, key: str, holder: str) -> tuple[str, ...]:
        if key == holder:
            return (key,)
        if key in self._preds:
            starts: Iterable[tuple[tuple[str, ...], Tree]] = [((), self._tree(key))]
        else:
            starts = [((key,), self._tree(g)) for g in self._succs.get(key, _NONE)]
        best: tuple[tuple[str, ...], Tree] | None = None
        for prefix, tree in starts:
            if holder in tree and (best is None or tree[holder][1] < best[1][holder][1]):
                best = (prefix, tree)
        if best is None:
            return ()
        prefix, tree = best
        out = [holder]
        parent = tree[holder][0]
        while parent is not None:
            out.append(parent)
            parent = tree[parent][0]
        return (*prefix, *reversed(out))

    # -- static graphs: closures as bit masks over the groups that have members -----------------

    def mask_of(self, keys: Iterable[str]) -> int:
        """The bit mask of the groups among ``keys`` (other keys have no bit)."""
        buf = bytearray(self._nbytes)
        bit = self._bit
        for key in keys:
            b = bit.get(key)
            if b is not None:
                buf[b >> 3] |= 1 << (b & 7)
        return int.from_bytes(buf, "little")

    def _group_mask(self, group: str) -> int:
        found = self._masks.get(group)
        if found is None:
            found = self._masks[group] = self.mask_of(self._tree(group))
        return found

    def principal_mask(self, key: str) -> int:
        """For a static graph: the mask of every group ``key`` belongs to (``key`` itself
        included when it is a group with members)."""
        if key in self._bit:
            return self._group_mask(key)
        mask = 0
        for group in self._succs.get(key, _NONE):
            mask |= self._group_mask(group)
        return mask

    def bit(self, key: str) -> int | None:
        """The bit position of a group with members, else ``None``."""
        return self._bit.get(key)

    # -- any graph -------------------------------------------------------------------------------

    def groups_of(self, key: str, at: datetime) -> dict[str, int]:
        """Every group ``key`` belongs to, transitively, with how it is reached (ACTIVE or
        ELIGIBLE). ``key`` itself is included as ACTIVE."""
        if self._static or key not in self._succs:
            return self.static_groups_of(key)
        tree = self._walk_tree(key, at)
        return {node: how for node, (_parent, how) in tree.items()}

    def _walk_tree(self, key: str, at: datetime) -> dict[str, tuple[str | None, int]]:
        """Parent pointers of a walk from ``key`` up through the edges valid at ``at``, active
        edges first; the second element says how each node is reached (ACTIVE or ELIGIBLE)."""
        found: dict[str, tuple[str | None, int]] = {key: (None, ACTIVE)}
        succs = self._succs
        for wanted in (ACTIVE, ELIGIBLE):
            queue = deque(found)
            while queue:
                node = queue.popleft()
                for nxt in succs.get(node, _NONE):
                    if nxt in found:
                        continue
                    status = self._edge_status(node, nxt, at)
                    if status and status <= wanted:
                        found[nxt] = (node, wanted)
                        queue.append(nxt)
        return found

    def chains(self, key: str, at: datetime) -> Callable[[str], tuple[str, ...]]:
        """A function giving the shortest membership chain from ``key`` up to a group, valid at
        ``at`` (all-active when one exists); ``()`` when there is none."""
        if self._static or key not in self._succs:
            return lambda holder: self._static_chain(key, holder)
        tree = self._walk_tree(key, at)

        def chain(holder: str) -> tuple[str, ...]:
            if holder not in tree:
                return ()
            out = [holder]
            parent = tree[holder][0]
            while parent is not None:
                out.append(parent)
                parent = tree[parent][0]
            return tuple(reversed(out))

        return chain

    def chain(self, key: str, holder: str, at: datetime) -> tuple[str, ...]:
        """The shortest membership chain from ``key`` up to ``holder`` (see :meth:`chains`)."""
        return self.chains(key, at)(holder)

    def members_of_any(self, keys: Iterable[str]) -> set[str]:
        """``keys`` and every principal under any of them, over every edge (windows and kinds
        ignored): one breadth-first walk down from all of them at once."""
        seen = set(keys)
        queue = deque(seen)
        preds = self._preds
        while queue:
            node = queue.popleft()
            for nxt in preds.get(node, _NONE):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def any_groups_of(self, key: str) -> set[str]:
        """``key`` and every group reachable over any edge, ignoring windows and kinds."""
        if self._static:
            return set(self.static_groups_of(key))
        seen = {key}
        queue = deque((key,))
        while queue:
            for nxt in self._succs.get(queue.popleft(), _NONE):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def memberships(self) -> Iterable[Membership]:
        """Every membership record, edge by edge."""
        for _a, _b, data in self._graph.edges(data=True):
            yield from data["memberships"]
