"""The access facts as graphs: the networkx façade, and the compact indexes queries run on.

Two hierarchies carry RBAC inheritance, and one index joins them with the assignments:

* **Group membership** (:class:`MembershipGraph`): edges from member to group, node keys the
  principal ids in lower case, kept as compact adjacency tuples that queries run on; the
  ``networkx.DiGraph`` users see (``AccessModel.membership_graph``) is built from them on first
  use. Walks are breadth-first with a visited set, so cycles terminate. When every edge is
  permanent and active (a *static* graph), each group's upward walk is memoized as a tree of
  parent pointers with depths, and as a bit mask over the groups that have members; otherwise
  each question walks the edges valid at its moment, active ones first.
* **Scopes** (:class:`ScopeTree`): ``/`` → management groups → subscription → resource group →
  gallery → definition → version, with management-group membership supplied as input (ids do not
  carry it).
* **The facts indexed** (:class:`AccessGraph`): roles by id and name, principals and their display
  names, assignments by scope and by principal, the orphans, denies by scope, the galleries'
  sharing and their proxies; memoized, what a role or deny matches, each resource's scope chain
  with what applies along it (a :class:`Plan`), and per action the compiled :class:`Holders`
  tables (who holds a grant of it at a scope, and along the scopes above a resource: groups as a
  mask, other principals as keys). :meth:`AccessGraph.to_networkx` gives the whole model as one
  ``networkx.MultiDiGraph`` for users' own algorithms.

Nothing here decides access: :mod:`imagegallery.access._rules` does, over these indexes. Every memo
belongs to one model's :class:`AccessGraph` and lives as long as the model.
"""

from __future__ import annotations

import itertools
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, Final, Protocol

import attrs
import networkx as nx

from imagegallery.access.decision import Orphan
from imagegallery.access.records import (
    ALL_PRINCIPALS,
    AssignmentKind,
    DenyAssignment,
    Membership,
    Principal,
    PrincipalType,
    RoleAssignment,
    RoleDefinition,
)
from imagegallery.access.sharing import GallerySharing
from imagegallery.errors import InvalidAccessRecordError, InvalidTypeError
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.inventory import Inventory

__all__ = [
    "ACTIVE",
    "ELIGIBLE",
    "GALLERY_KINDS",
    "MAX_MANAGEMENT_GROUP_DEPTH",
    "AccessGraph",
    "Closure",
    "DictClosure",
    "Facts",
    "Holders",
    "MaskClosure",
    "MembershipGraph",
    "Plan",
    "ScopeTree",
    "frozen_view",
    "is_permanent_grant",
]

ACTIVE: Final = 1
"""Reached through active edges only."""
ELIGIBLE: Final = 2
"""Reached only through at least one eligible (PIM) edge."""
GALLERY_KINDS: Final = frozenset(
    {ResourceKind.GALLERY, ResourceKind.IMAGE_DEFINITION, ResourceKind.IMAGE_VERSION}
)
MAX_MANAGEMENT_GROUP_DEPTH: Final = 7
"""Management groups above any subscription or management group, at most: Azure allows six
levels below the tenant root group."""
_COMMUNITY_KINDS: Final = (
    ResourceKind.COMMUNITY_GALLERY,
    ResourceKind.COMMUNITY_IMAGE,
    ResourceKind.COMMUNITY_VERSION,
)
_NONE: Final[tuple[str, ...]] = ()
_SMALL: Final = 4
"""Scopes with at most this many holders are probed one by one rather than by mask."""
_MEMO_LIMIT: Final = 250_000
"""Per-resource memos (scope chains, plans) are emptied when they reach this size."""
_TABLE_LIMIT: Final = 20_000
"""Per-(scope, action) holder tables (which hold masks) are emptied when they reach this size."""
_ACTIONS_LIMIT: Final = 64
"""A parent scope's holder tables (one per action asked) are emptied when they reach this size."""

Tree = dict[str, tuple[str | None, int]]
"""Node → (parent, depth) of a breadth-first walk."""


def frozen_view(graph: nx.DiGraph[str] | nx.MultiDiGraph[str]) -> Any:
    """A read-only view of ``graph`` (``networkx.freeze`` on a subgraph view, so the original
    stays usable by the model)."""
    return nx.freeze(graph.subgraph(graph.nodes))


# -- group membership ------------------------------------------------------------------------------


class MembershipGraph:
    """Group membership (member → group), as adjacency tuples and, on first use of
    :attr:`graph`, a ``networkx.DiGraph``.

    Each edge of the graph carries ``memberships``: the :class:`Membership` records behind it
    (several when the input lists the same pair with different windows or kinds).
    """

    __slots__ = (
        "_bit",
        "_closures",
        "_graph",
        "_masks",
        "_nbytes",
        "_nodes",
        "_preds",
        "_principals",
        "_records",
        "_static",
        "_succs",
        "_trees",
        "canon",
        "order",
    )

    def __init__(
        self, memberships: Iterable[Membership], principals: Mapping[str, Principal]
    ) -> None:
        records: dict[tuple[str, str], list[Membership]] = {}
        static = True
        canon = self.canon = {key: key for key in principals}
        for m in memberships:
            member, group = m.member_id.lower(), m.group_id.lower()
            pair = (canon.setdefault(member, member), canon.setdefault(group, group))
            records.setdefault(pair, []).append(m)
            static = static and m.is_permanent
        succs: dict[str, list[str]] = {}
        preds: dict[str, list[str]] = {}
        for member, group in records:
            succs.setdefault(member, []).append(group)
            preds.setdefault(group, []).append(member)
        self._records = records
        self._principals = principals
        self._nodes = len(canon)
        """The first ``_nodes`` keys of ``canon`` are the graph's nodes, in networkx order."""
        self._graph: nx.DiGraph[str] | None = None
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
        """The membership graph as a ``networkx.DiGraph``, built on first use (queries run on
        the compact adjacency tuples; the model never changes the graph once built)."""
        if self._graph is None:
            graph: nx.DiGraph[str] = nx.DiGraph()
            principals = self._principals
            graph.add_nodes_from((key, {"principal": p}) for key, p in principals.items())
            graph.add_nodes_from(itertools.islice(self.canon, len(principals), self._nodes))
            graph.add_edges_from(
                (a, b, {"memberships": ms}) for (a, b), ms in self._records.items()
            )
            self._graph = graph
        return self._graph

    def nodes(self) -> list[str]:
        """The principal keys of the graph (directory entries and every membership end)."""
        return list(itertools.islice(self.canon, self._nodes))

    @property
    def number_of_edges(self) -> int:
        """How many (member, group) pairs the graph has."""
        return len(self._records)

    @property
    def is_static(self) -> bool:
        """Whether every membership is active and permanent."""
        return self._static

    def __contains__(self, key: str) -> bool:
        return key in self._principals or key in self._succs or key in self._preds

    def _edge_status(self, member: str, group: str, at: datetime) -> int:
        """ACTIVE, ELIGIBLE, or 0 when the edge does not hold at ``at``."""
        best = 0
        for m in self._records[(member, group)]:
            if not m.active_at(at):
                continue
            if m.kind is AssignmentKind.ACTIVE:
                return ACTIVE
            best = ELIGIBLE
        return best

    # static graphs: memoized group trees, closures and masks

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

    def _static_groups_of(self, key: str) -> dict[str, int]:
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
            tree = self._tree(key)
            return _walk_back(tree, holder) if holder in tree else ()
        trees = self._trees
        best: Tree | None = None
        depth = 0
        for group in self._succs.get(key, _NONE):
            tree = trees.get(group) or self._tree(group)
            found = tree.get(holder)
            if found is not None and (best is None or found[1] < depth):
                best, depth = tree, found[1]
        if best is None:
            return ()
        return (key, *_walk_back(best, holder))

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

    # any graph

    def groups_of(self, key: str, at: datetime) -> dict[str, int]:
        """Every group ``key`` belongs to, transitively, with how it is reached (ACTIVE or
        ELIGIBLE). ``key`` itself is included as ACTIVE."""
        if self._static or key not in self._succs:
            return self._static_groups_of(key)
        tree = self._walk_tree(key, at)
        return {node: how for node, (_parent, how) in tree.items()}

    def _walk_tree(self, key: str, at: datetime) -> Tree:
        """Parent pointers of a walk from ``key`` up through the edges valid at ``at``, active
        edges first; the second element says how each node is reached (ACTIVE or ELIGIBLE)."""
        found: Tree = {key: (None, ACTIVE)}
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
        return lambda holder: _walk_back(tree, holder) if holder in tree else ()

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

    def memberships(self) -> Iterator[Membership]:
        """Every membership record, edge by edge (in the order of the networkx graph's edges:
        by member node, then by first appearance)."""
        records, succs = self._records, self._succs
        for member in itertools.islice(self.canon, self._nodes):
            for group in succs.get(member, _NONE):
                yield from records[(member, group)]


def _walk_back(tree: Tree, node: str) -> tuple[str, ...]:
    """The path from the root of ``tree`` to ``node``."""
    out = [node]
    parent = tree[node][0]
    while parent is not None:
        out.append(parent)
        parent = tree[parent][0]
    return tuple(reversed(out))


class Closure(Protocol):
    """A principal (``key``) and the groups it belongs to, as the rules see them."""

    key: str

    def how(self, member: str) -> int:
        """ACTIVE or ELIGIBLE when ``member`` is the principal or one of its groups, else 0."""
        ...

    def among(self, holders: Mapping[str, Any], mask: int | None) -> list[tuple[str, int]]:
        """The keys of ``holders`` in the closure, with how each is reached; ``mask`` is the
        mask of ``holders`` (or ``None``)."""
        ...

    def along(self, plan: Plan) -> Iterator[tuple[int, ResourceId, Any, str, int]]:
        """``(depth, scope, holders, key, how)`` for each holder in the closure at each scope of
        ``plan`` with assignments, nearest scope first, in the order :meth:`among` gives."""
        ...


class DictClosure:
    """A closure as a dictionary of key → how it is reached (any membership graph, keys valid at
    the moment of the question)."""

    __slots__ = ("key", "members")

    def __init__(self, key: str, members: dict[str, int]) -> None:
        self.key = key
        self.members = members

    def how(self, member: str) -> int:
        return self.members.get(member, 0)

    def among(self, holders: Mapping[str, Any], mask: int | None) -> list[tuple[str, int]]:
        members = self.members
        return [(k, members[k]) for k in holders.keys() & members.keys()]

    def along(self, plan: Plan) -> Iterator[tuple[int, ResourceId, Any, str, int]]:
        for depth, scope, at_scope, mask in plan.assignments:
            for key, how in self.among(at_scope, mask):
                yield depth, scope, at_scope, key, how


class MaskClosure:
    """A closure over a static graph as a bit mask over the groups that have members (every
    member is ACTIVE): intersecting it with the holders at a scope is one big-integer ``&``."""

    __slots__ = ("graph", "is_group", "key", "mask")

    def __init__(self, key: str, graph: MembershipGraph, mask: int | None = None) -> None:
        """``mask`` is ``graph.principal_mask(key)`` when the caller has it already."""
        self.key = key
        self.graph = graph
        self.mask = graph.principal_mask(key) if mask is None else mask
        self.is_group = graph.bit(key) is not None

    def how(self, member: str) -> int:
        if member == self.key:
            return ACTIVE
        b = self.graph.bit(member)
        return ACTIVE if b is not None and (self.mask >> b) & 1 else 0

    def among(self, holders: Mapping[str, Any], mask: int | None) -> list[tuple[str, int]]:
        if mask is None or len(holders) <= _SMALL:  # :meth:`how`, inlined
            key, bits, mine = self.key, self.graph._bit, self.mask
            return [
                (k, ACTIVE)
                for k in holders
                if k == key or ((b := bits.get(k)) is not None and (mine >> b) & 1)
            ]
        out = [] if self.is_group or self.key not in holders else [(self.key, ACTIVE)]
        hits = mask & self.mask
        order = self.graph.order
        while hits:
            low = hits & -hits
            out.append((order[low.bit_length() - 1], ACTIVE))
            hits ^= low
        return out

    def along(self, plan: Plan) -> Iterator[tuple[int, ResourceId, Any, str, int]]:
        # One big-integer ``&`` for every busy scope above the resource (``plan.above`` is the
        # union of their masks): the groups found are then looked up scope by scope, in bit
        # order, which is the order :meth:`among` gives.
        found: list[str] | None = None
        key, lead = self.key, not self.is_group
        for depth, scope, at_scope, mask in plan.assignments:
            if depth == 0 or mask is None or plan.above is None:
                for k, how in self.among(at_scope, mask):
                    yield depth, scope, at_scope, k, how
                continue
            if found is None:
                found = []
                hits = plan.above & self.mask
                order = self.graph.order
                while hits:
                    low = hits & -hits
                    found.append(order[low.bit_length() - 1])
                    hits ^= low
            if lead and key in at_scope:
                yield depth, scope, at_scope, key, ACTIVE
            for k in found:
                if k in at_scope:
                    yield depth, scope, at_scope, k, ACTIVE


# -- scopes ----------------------------------------------------------------------------------------


class ScopeTree:
    """Ancestor chains and subtrees over ids, the management-group tree and an inventory."""

    __slots__ = ("_chains", "_inventory", "_mg_parent", "_order", "_spans", "_under")

    def __init__(self, inventory: Inventory, mg_parent: Mapping[ResourceId, ResourceId]) -> None:
        self._inventory = inventory
        self._mg_parent = dict(mg_parent)
        for start in self._mg_parent:
            seen = [start]
            node = self._mg_parent.get(start)
            while node is not None:
                if node in seen:
                    raise InvalidAccessRecordError(
                        "the management-group hierarchy has a cycle",
                        field="management_groups",
                        value=str(start),
                    )
                seen.append(node)
                if len(seen) > MAX_MANAGEMENT_GROUP_DEPTH + 1:
                    raise InvalidAccessRecordError(
                        f"at most {MAX_MANAGEMENT_GROUP_DEPTH} management groups stand above a"
                        " subscription or management group",
                        field="management_groups",
                        value=str(start),
                    )
                node = self._mg_parent.get(node)
        self._chains: dict[ResourceId, tuple[ResourceId, ...]] = {}
        self._under: dict[ResourceId, tuple[ResourceId, ...]] = {}
        self._order: tuple[ResourceId, ...] | None = None
        self._spans: dict[ResourceId, tuple[int, int]] = {}

    def parent(self, rid: ResourceId) -> ResourceId | None:
        """The enclosing scope, with management groups inserted above subscriptions."""
        if rid.kind in (ResourceKind.SUBSCRIPTION, ResourceKind.MANAGEMENT_GROUP):
            found = self._mg_parent.get(rid)
            return found if found is not None else ResourceId.root()
        return rid.parent

    def chain(self, rid: ResourceId) -> tuple[ResourceId, ...]:
        """``rid`` and its ancestors, nearest first, ending with ``/`` (proxies: themselves)."""
        found = self._chains.get(rid)
        if found is None:
            out = [rid]
            node = self.parent(rid)
            while node is not None:
                out.append(node)
                node = self.parent(node)
            found = tuple(out)
            if len(self._chains) >= _MEMO_LIMIT:
                self._chains.clear()
            self._chains[rid] = found
        return found

    def is_missing(self, rid: ResourceId) -> bool:
        """Whether ``rid`` is a gallery-hierarchy id that the inventory does not hold."""
        if rid.kind not in GALLERY_KINDS:
            return False
        self.resources()
        return rid not in self._spans

    def resources(self) -> tuple[ResourceId, ...]:
        """Every gallery, definition and version id of the inventory, in inventory order
        (each gallery, then each of its definitions followed by its versions)."""
        if self._order is None:
            order: list[ResourceId] = []
            spans: dict[ResourceId, tuple[int, int]] = {}
            for gallery in self._inventory.galleries():
                g_start = len(order)
                order.append(gallery.id)
                for definition in gallery.definitions.values():
                    d_start = len(order)
                    order.append(definition.id)
                    for version in definition.versions.values():
                        spans[version.id] = (len(order), len(order) + 1)
                        order.append(version.id)
                    spans[definition.id] = (d_start, len(order))
                spans[gallery.id] = (g_start, len(order))
            self._order = tuple(order)
            self._spans = spans
        return self._order

    def under(self, scope: ResourceId) -> tuple[ResourceId, ...]:
        """The inventory resources at ``scope`` or below it, in inventory order."""
        found = self._under.get(scope)
        if found is None:
            found = tuple(self._collect(scope))
            if scope.kind not in GALLERY_KINDS:
                self._under[scope] = found
        return found

    def _collect(self, scope: ResourceId) -> Iterator[ResourceId]:
        order = self.resources()
        kind = scope.kind
        if kind is ResourceKind.ROOT:
            yield from order
        elif kind is ResourceKind.MANAGEMENT_GROUP:
            for sub in self._inventory.subscriptions():
                sid = ResourceId.parse(f"/subscriptions/{sub}")
                if scope in self.chain(sid):
                    yield from self.under(sid)
        elif kind in (ResourceKind.SUBSCRIPTION, ResourceKind.RESOURCE_GROUP):
            for gallery in self._inventory.galleries():
                if scope.is_ancestor_of(gallery.id):
                    start, end = self._spans[gallery.id]
                    yield from order[start:end]
        elif kind in GALLERY_KINDS:
            span = self._spans.get(scope)
            if span is not None:
                yield from order[span[0] : span[1]]


# -- the facts, indexed ----------------------------------------------------------------------------


def _tuple(value: Any) -> Any:
    """Any iterable but text and mappings as a tuple; anything else as is, for the validator to
    refuse."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def _dict(value: Any) -> Any:
    """A mapping (``None`` is empty) as a dictionary; anything else as is."""
    if value is None:
        return {}
    return dict(value) if isinstance(value, Mapping) else value


def _each(kind: type[Any]) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """A validator: a tuple of ``kind`` objects."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, tuple):
            raise InvalidTypeError(
                f"expected {kind.__name__} objects", field=attribute.name, value=value
            )
        for i, item in enumerate(value):
            if not isinstance(item, kind):
                raise InvalidTypeError(
                    f"expected a {kind.__name__}", field=f"{attribute.name}[{i}]", value=item
                )

    return check


def _pairs(key: type[Any], value: type[Any]) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """A validator: a dictionary of ``key`` → ``value`` objects."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], given: Any) -> None:
        if not isinstance(given, dict):
            raise InvalidTypeError("expected a mapping", field=attribute.name, value=given)
        for k, v in given.items():
            if not isinstance(k, key) or not isinstance(v, value):
                raise InvalidTypeError(
                    f"expected {key.__name__} → {value.__name__}",
                    field=attribute.name,
                    value=(k, v),
                )

    return check


@attrs.frozen(eq=False)
class Facts:
    """What one access model is built from (library objects, checked here)."""

    inventory: Inventory
    role_definitions: tuple[RoleDefinition, ...] = attrs.field(
        converter=_tuple, validator=_each(RoleDefinition)
    )
    role_assignments: tuple[RoleAssignment, ...] = attrs.field(
        converter=_tuple, validator=_each(RoleAssignment)
    )
    deny_assignments: tuple[DenyAssignment, ...] = attrs.field(
        converter=_tuple, validator=_each(DenyAssignment)
    )
    memberships: tuple[Membership, ...] = attrs.field(converter=_tuple, validator=_each(Membership))
    principals: tuple[Principal, ...] = attrs.field(converter=_tuple, validator=_each(Principal))
    management_groups: Mapping[ResourceId, ResourceId] = attrs.field(
        converter=_dict, validator=_pairs(ResourceId, ResourceId)
    )
    """Child (subscription or management group) → parent management group."""
    tenants: Mapping[str, str] = attrs.field(converter=_dict, validator=_pairs(str, str))
    """Subscription id → tenant id."""
    directory_listed: bool = attrs.field(default=True, kw_only=True)
    """Whether ``principals`` lists the directory: then an assignment to a principal that is
    neither there nor in a membership is an orphan. Members read from Graph pages are
    principals too, but they do not list the directory."""


def is_permanent_grant(ra: RoleAssignment) -> bool:
    """Whether ``ra`` is active (not PIM-eligible), has no time window and no condition: what it
    grants, it grants at every moment and under every option of a question."""
    return (
        ra.kind is AssignmentKind.ACTIVE
        and not ra.condition
        and ra.start is None
        and ra.end is None
    )


@attrs.frozen
class Holders:
    """Who holds a role assignment whose role grants one action, at one scope or along the
    scopes above a resource (compiled per action from the assignments; static membership graphs).

    Groups with members are bits of a mask over :attr:`MembershipGraph.order` (a principal's
    closure meets a mask in one big-integer ``&``); other holders are keys. A holder is *sure*
    when one of its assignments there is a permanent grant (:func:`is_permanent_grant`), else
    *other* when only assignments with a window, an eligibility or a condition grant it.
    """

    sure_keys: frozenset[str]
    sure_mask: int
    other_keys: frozenset[str]
    other_mask: int

    def sure(self, key: str, mask: int) -> bool:
        """Whether the principal ``key`` (whose closure mask is ``mask``) reaches a sure holder."""
        return key in self.sure_keys or bool(self.sure_mask & mask)

    def other(self, key: str, mask: int) -> bool:
        """Whether the principal ``key`` reaches an *other* holder."""
        return key in self.other_keys or bool(self.other_mask & mask)


@attrs.frozen
class Plan:
    """A resource's scope chain, and the assignments and denies along it."""

    chain: tuple[ResourceId, ...]
    assignments: tuple[tuple[int, ResourceId, dict[str, list[RoleAssignment]], int | None], ...]
    """``(depth, scope, holder → assignments, mask of the holders or None)``"""
    denies: tuple[tuple[int, DenyAssignment], ...]
    """``(depth, deny)`` for the denies on the chain's scopes (whether each reaches the resource
    is for the rules to say)."""
    above: int | None = None
    """The union of the masks of the busy scopes above the resource (static graphs), or
    ``None``."""
    tables: dict[tuple[str, bool], Holders] = attrs.field(factory=dict, eq=False)
    """The :class:`Holders` above the resource per (action in lower case, data-plane flag),
    filled as actions are asked: one dictionary shared by the plans of the resources with the
    same parent scope (the scopes above a resource are those of its parent)."""


_Match = Callable[..., str | None]


def _memoized(
    memo: dict[tuple[object, str, bool], str | None],
    owner: object,
    match: _Match,
    action: str,
    data: bool,
) -> str | None:
    key = (owner, action, data)
    try:
        return memo[key]
    except KeyError:
        found = memo[key] = match(action, data=data)
        return found


class AccessGraph:
    """One model's facts, indexed for the rules, with memoized lookups."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.scopes = ScopeTree(facts.inventory, facts.management_groups)
        self.roles: dict[str, RoleDefinition] = {}
        self.roles_by_name: dict[str, RoleDefinition] = {}
        for role in facts.role_definitions:
            self.roles[role.id] = role
            self.roles_by_name.setdefault(role.name.lower(), role)
        self.principals: dict[str, Principal] = {}
        for principal in facts.principals:
            self.principals.setdefault(principal.key, principal)
        self.members = MembershipGraph(facts.memberships, self.principals)
        self.display: dict[str, str] = {k: p.id for k, p in self.principals.items()}
        """Principal key → the id as first spelled in the input."""
        for m in self.members.memberships():
            self.display.setdefault(m.group_id.lower(), m.group_id)
            self.display.setdefault(m.member_id.lower(), m.member_id)
        self.tenants = {k.lower(): v.lower() for k, v in facts.tenants.items()}
        self.orphans: list[Orphan] = []
        self.ra_at: dict[ResourceId, dict[str, list[RoleAssignment]]] = {}
        self.ra_by_principal: dict[str, list[RoleAssignment]] = defaultdict(list)
        self.orphans_by_principal: dict[str, list[Orphan]] = {}
        self.deny_by_scope: dict[ResourceId, list[DenyAssignment]] = defaultdict(list)
        self._index_assignments()
        self.orphan_mask = (
            self.members.mask_of(self.orphans_by_principal) if self.members.is_static else None
        )
        self.names = self._names()
        self.sharing: dict[ResourceId, GallerySharing] = {}
        self.proxies: dict[tuple[bool, str], GallerySharing] = {}
        for gallery in facts.inventory.galleries():
            shared = GallerySharing.from_gallery(gallery)
            self.sharing[gallery.id] = shared
            if shared.is_community:
                for name in shared.public_names:
                    self.proxies[(True, name.lower())] = shared
            elif shared.is_direct and shared.unique_name:
                self.proxies[(False, shared.unique_name.lower())] = shared
        self.identities: dict[str, list[str]] = defaultdict(list)
        for key, principal in self.principals.items():
            self.identities[principal.identity_key].append(key)
        self._plans: dict[ResourceId, Plan] = {}
        self._scope_masks: dict[ResourceId, int] = {}
        self._above_masks: dict[ResourceId, int] = {}
        self._hits: dict[tuple[object, str, bool], str | None] = {}
        self._removed: dict[tuple[object, str, bool], str | None] = {}
        self._deny_hits: dict[tuple[object, str, bool], str | None] = {}
        self._holders_at: dict[tuple[ResourceId, str, bool], Holders] = {}
        self._tables_above: dict[ResourceId, dict[tuple[str, bool], Holders]] = {}
        self._actions: dict[str, str] = {}

    def _index_assignments(self) -> None:
        directory = set(self.principals) | set(self.members.nodes())
        check_principals = self.facts.directory_listed and bool(self.facts.principals)
        canon = self.members.canon
        ra_at: dict[ResourceId, dict[str, list[RoleAssignment]]] = defaultdict(dict)
        for ra in self.facts.role_assignments:
            key = canon.setdefault(ra.principal_key, ra.principal_key)
            self.display.setdefault(key, ra.principal_id)
            reason = None
            if self.role_of(ra) is None:
                reason = f"role definition {ra.role_definition_id} not found"
            elif ra.principal_type is PrincipalType.UNKNOWN:
                reason = "principal not found (principalType Unknown: deleted principal)"
            elif check_principals and key not in directory:
                reason = f"principal {ra.principal_id} is not in the directory"
            elif self.scopes.is_missing(ra.scope):
                reason = f"scope {ra.scope} is not in the inventory (deleted or moved resource)"
            if reason is not None:
                orphan = Orphan(ra, reason)
                self.orphans.append(orphan)
                self.orphans_by_principal.setdefault(key, []).append(orphan)
                continue
            ra_at[ra.scope].setdefault(key, []).append(ra)
            self.ra_by_principal[key].append(ra)
        self.ra_at = dict(ra_at)
        for deny in self.facts.deny_assignments:
            if self.scopes.is_missing(deny.scope):
                self.orphans.append(Orphan(deny, f"scope {deny.scope} is not in the inventory"))
                continue
            self.deny_by_scope[deny.scope].append(deny)

    def _names(self) -> dict[str, tuple[str, str]]:
        names = {k: (shown, shown) for k, shown in self.display.items()}
        names.update((k, (p.id, p.label)) for k, p in self.principals.items())
        names[ALL_PRINCIPALS] = (ALL_PRINCIPALS, "Everyone")
        return names

    # lookups

    def role_of(self, ra: RoleAssignment) -> RoleDefinition | None:
        """The role definition of an assignment (by GUID, or by role name)."""
        key = ra.role_definition_id
        return self.roles.get(key) or self.roles_by_name.get(key)

    def hit(self, role: RoleDefinition, action: str, data: bool) -> str | None:
        """Memoized :meth:`RoleDefinition.grants` (``action`` in lower case)."""
        try:  # the lookup every question makes: no call on the way
            return self._hits[(role.id, action, data)]
        except KeyError:
            return _memoized(self._hits, role.id, role.grants, action, data)

    def removed(self, role: RoleDefinition, action: str, data: bool) -> str | None:
        """Memoized :meth:`RoleDefinition.subtracted_by` (``action`` in lower case)."""
        return _memoized(self._removed, role.id, role.subtracted_by, action, data)

    def deny_hit(self, deny: DenyAssignment, action: str, data: bool) -> str | None:
        """Memoized :meth:`DenyAssignment.match` (``action`` in lower case)."""
        try:
            return self._deny_hits[(id(deny), action, data)]
        except KeyError:
            return _memoized(self._deny_hits, id(deny), deny.match, action, data)

    def label(self, key: str) -> str:
        """Display name of a principal key."""
        found = self.names.get(key)
        return found[1] if found is not None else key

    def shown(self, key: str) -> str:
        """A principal key as first spelled in the input."""
        return self.display.get(key, key)

    def view(self, key: str, at: datetime) -> Closure:
        """The closure of ``key`` at ``at``, in the fastest form the graph allows."""
        if self.members.is_static:
            return MaskClosure(key, self.members)
        return DictClosure(key, self.members.groups_of(key, at))

    def plan(self, rid: ResourceId) -> Plan:
        """The scope chain of ``rid`` with the role assignments and denies that apply along it
        (memoized per resource, bounded)."""
        found = self._plans.get(rid)
        if found is None:
            chain = self.scopes.chain(rid)
            ra_at = self.ra_at
            found = Plan(
                chain=chain,
                assignments=tuple(
                    (d, s, ra_at[s], self._scope_mask(s)) for d, s in enumerate(chain) if s in ra_at
                ),
                denies=tuple(
                    (d, deny) for d, s in enumerate(chain) for deny in self.deny_by_scope.get(s, ())
                ),
            )
            if len(chain) > 1 and self.members.is_static:
                found = attrs.evolve(
                    found, above=self._above(chain[1], found), tables=self._tables(chain[1])
                )
            if len(self._plans) >= _MEMO_LIMIT:
                self._plans.clear()
            self._plans[rid] = found
        return found

    def _above(self, parent: ResourceId, plan: Plan) -> int | None:
        """The union of the masks of the busy scopes from ``parent`` up (memoized per parent:
        the scopes above a resource are those of its parent, whatever the resource)."""
        found = self._above_masks.get(parent)
        if found is None:
            masks = [m for d, _s, _h, m in plan.assignments if d and m is not None]
            found = 0
            for m in masks:
                found |= m
            if len(self._above_masks) >= _MEMO_LIMIT:
                self._above_masks.clear()
            self._above_masks[parent] = found
        return found or None

    def _scope_mask(self, scope: ResourceId) -> int | None:
        """The mask of the group holders at ``scope`` (static graphs, busy scopes only)."""
        if not self.members.is_static or len(self.ra_at[scope]) <= _SMALL:
            return None
        found = self._scope_masks.get(scope)
        if found is None:
            found = self._scope_masks[scope] = self.members.mask_of(self.ra_at[scope])
        return found

    def checked_action(self, action: str) -> str | None:
        """The lower-case form of ``action`` when :meth:`check_action` has seen it, else
        ``None``."""
        return self._actions.get(action)

    def check_action(self, action: str) -> str:
        """Remember ``action`` (validated by the caller) and return its lower-case form
        (bounded)."""
        if len(self._actions) >= _TABLE_LIMIT:
            self._actions.clear()
        low = self._actions[action] = action.lower()
        return low

    # compiled holder tables (static membership graphs)

    def grant_kind(self, ra: RoleAssignment, action: str, data: bool) -> int:
        """0 when the role of ``ra`` does not grant ``action`` (lower case), 1 when ``ra`` is a
        permanent grant of it (:func:`is_permanent_grant`), 2 when it grants it otherwise."""
        role = self.role_of(ra)
        assert role is not None  # assignments without a role are orphans, never indexed
        if self.hit(role, action, data) is None:
            return 0
        return 1 if is_permanent_grant(ra) else 2

    def holders_at(self, scope: ResourceId, action: str, data: bool) -> Holders:
        """The :class:`Holders` of ``action`` (lower case) at ``scope`` (memoized, bounded)."""
        memo_key = (scope, action, data)
        found = self._holders_at.get(memo_key)
        if found is None:
            sure: list[str] = []
            other: list[str] = []
            for holder, ras in self.ra_at.get(scope, {}).items():
                kinds = {self.grant_kind(ra, action, data) for ra in ras}
                if 1 in kinds:
                    sure.append(holder)
                elif 2 in kinds:
                    other.append(holder)
            found = self._table(sure, other)
            if len(self._holders_at) >= _TABLE_LIMIT:
                self._holders_at.clear()
            self._holders_at[memo_key] = found
        return found

    def _tables(self, parent: ResourceId) -> dict[tuple[str, bool], Holders]:
        """The holder tables above the children of ``parent`` (shared by their plans)."""
        found = self._tables_above.get(parent)
        if found is None:
            if len(self._tables_above) >= _MEMO_LIMIT:
                self._tables_above.clear()
            found = self._tables_above[parent] = {}
        return found

    def holders_above(self, plan: Plan, action: str, data: bool) -> Holders:
        """The :class:`Holders` of ``action`` (lower case) at every scope above the resource of
        ``plan`` (memoized in the plan's tables, which its siblings share; bounded)."""
        tables = plan.tables
        found = tables.get((action, data))
        if found is None:
            ra_at = self.ra_at
            parts = [self.holders_at(s, action, data) for s in plan.chain[1:] if s in ra_at]
            sure_mask = other_mask = 0
            for part in parts:
                sure_mask |= part.sure_mask
                other_mask |= part.other_mask
            found = Holders(
                frozenset().union(*(p.sure_keys for p in parts)),
                sure_mask,
                frozenset().union(*(p.other_keys for p in parts)),
                other_mask,
            )
            if len(tables) >= _ACTIONS_LIMIT:
                tables.clear()
            tables[(action, data)] = found
        return found

    def _table(self, sure: list[str], other: list[str]) -> Holders:
        bit = self.members.bit
        return Holders(
            frozenset(k for k in sure if bit(k) is None),
            self.members.mask_of(sure),
            frozenset(k for k in other if bit(k) is None),
            self.members.mask_of(other),
        )

    def proxy_target(self, rid: ResourceId) -> GallerySharing | None:
        """The shared or community gallery a proxy id names, if it is in the inventory."""
        community = rid.kind in _COMMUNITY_KINDS
        return self.proxies.get((community, (rid.gallery or "").lower()))

    def subscriptions_reached(self, shared: GallerySharing) -> list[str]:
        """Subscriptions a direct share covers: listed ones, and known ones of listed tenants."""
        subs = list(shared.subscriptions)
        subs += sorted(s for s, t in self.tenants.items() if t in shared.tenants and s not in subs)
        return subs

    def tenant_of(self, rid: ResourceId) -> str | None:
        """The tenant of ``rid``'s subscription, when known."""
        sub = rid.subscription_id
        return self.tenants.get(sub.lower()) if sub else None

    # the whole model as one networkx graph

    def to_networkx(self) -> nx.MultiDiGraph[str]:
        """The whole model as one ``networkx.MultiDiGraph``.

        Nodes carry ``kind`` (``principal``, ``roleAssignment``, ``roleDefinition``,
        ``denyAssignment``, ``scope``, ``tenant``) and edges carry ``rel``:

        * ``MEMBER_OF`` principal → group (with ``kind``, ``start``, ``end``)
        * ``HOLDS`` principal → role assignment; ``AT`` assignment → scope; ``OF_ROLE``
          assignment → role
        * ``DENY_AT`` deny → scope; ``DENIES`` / ``EXEMPTS`` deny → principal
        * ``CONTAINS`` parent scope → child scope (management groups, subscriptions, resource
          groups, galleries, definitions, versions)
        * ``SHARED_WITH`` gallery → subscription or tenant; ``PUBLIC`` gallery → everyone
        * ``SAME_APP`` between service principals of one application in different tenants

        Principal nodes are keyed by lower-case object id, scopes by their lower-case id, and
        the other nodes by ``{kind}:{id}``.
        """
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        seen: set[str] = set()

        def scope(rid: ResourceId) -> str:
            """Add ``rid`` and its ancestors with CONTAINS edges; return the node key."""
            for child, parent in itertools.pairwise(self.scopes.chain(rid)):
                ckey, pkey = str(child).lower(), str(parent).lower()
                if ckey in seen:
                    break
                seen.add(ckey)
                graph.add_node(ckey, kind="scope", id=str(child), scope_kind=child.kind.value)
                graph.add_node(pkey, kind="scope", id=str(parent), scope_kind=parent.kind.value)
                graph.add_edge(pkey, ckey, rel="CONTAINS")
            key = str(rid).lower()
            if key not in graph:
                graph.add_node(key, kind="scope", id=str(rid), scope_kind=rid.kind.value)
            return key

        for key, shown in self.display.items():
            principal = self.principals.get(key)
            graph.add_node(
                key,
                kind="principal",
                id=shown,
                label=self.label(key),
                type=principal.type.value if principal else None,
                tenant_id=principal.tenant_id if principal else None,
            )
        for member, group, data in self.members.graph.edges(data=True):
            for m in data["memberships"]:
                graph.add_edge(
                    member, group, rel="MEMBER_OF", kind=m.kind.value, start=m.start, end=m.end
                )
        for rid in self.scopes.resources():
            scope(rid)
        for role in self.roles.values():
            graph.add_node(
                f"roleDefinition:{role.id}", kind="roleDefinition", id=role.id, name=role.name
            )
        orphaned = {id(o.assignment) for o in self.orphans}
        for i, ra in enumerate(self.facts.role_assignments):
            node = f"roleAssignment:{ra.id or i}"
            graph.add_node(node, kind="roleAssignment", assignment=ra, orphan=id(ra) in orphaned)
            graph.add_node(ra.principal_key, kind="principal", id=ra.principal_id)
            graph.add_edge(ra.principal_key, node, rel="HOLDS")
            graph.add_edge(node, scope(ra.scope), rel="AT")
            found = self.role_of(ra)
            if found is not None:
                graph.add_edge(node, f"roleDefinition:{found.id}", rel="OF_ROLE")
        for deny in self.facts.deny_assignments:
            node = f"denyAssignment:{deny.id}"
            graph.add_node(node, kind="denyAssignment", assignment=deny)
            graph.add_edge(node, scope(deny.scope), rel="DENY_AT")
            for rel, whom in (("DENIES", deny.principals), ("EXEMPTS", deny.exclude_principals)):
                for p in whom:
                    graph.add_node(p.lower(), kind="principal", id=p)
                    graph.add_edge(node, p.lower(), rel=rel)
        for gallery_id, shared in self.sharing.items():
            gkey = str(gallery_id).lower()
            for sub in shared.subscriptions:
                graph.add_edge(
                    gkey, scope(ResourceId.parse(f"/subscriptions/{sub}")), rel="SHARED_WITH"
                )
            for tenant in shared.tenants:
                graph.add_node(f"tenant:{tenant}", kind="tenant", id=tenant)
                graph.add_edge(gkey, f"tenant:{tenant}", rel="SHARED_WITH")
            if shared.is_community:
                graph.add_node(
                    ALL_PRINCIPALS, kind="principal", id=ALL_PRINCIPALS, label="Everyone"
                )
                graph.add_edge(gkey, ALL_PRINCIPALS, rel="PUBLIC")
        for keys in self.identities.values():
            for a in keys:
                for b in keys:
                    if a != b and self.principals[a].app_id:
                        graph.add_edge(a, b, rel="SAME_APP")
        return graph
