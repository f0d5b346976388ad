"""A brute-force oracle for access questions, written independently of the access model.

It reads the raw facts (plain strings and records), and for each assignment searches for a
membership path from the principal to the assignment's holder, edge by edge, with a depth-first
search over every membership record. Scope inheritance is decided on lower-cased id strings and an
explicit management-group table; action patterns are matched by a recursive glob matcher. Nothing
is indexed, cached or shared with :mod:`imagegallery.access`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

EVERYONE = "00000000-0000-0000-0000-000000000000"
RANK = {"allowed": 0, "conditional": 1, "eligible": 2}


def glob(pattern: str, text: str) -> bool:
    """``*`` matches any run of characters (``/`` included); case is ignored."""
    p, t = pattern.lower(), text.lower()

    def match(i: int, j: int) -> bool:
        if i == len(p):
            return j == len(t)
        if p[i] == "*":
            return any(match(i + 1, k) for k in range(j, len(t) + 1))
        return j < len(t) and p[i] == t[j] and match(i + 1, j + 1)

    return match(0, 0)


@dataclass
class Block:
    actions: list[str] = field(default_factory=list)
    not_actions: list[str] = field(default_factory=list)
    data_actions: list[str] = field(default_factory=list)
    not_data_actions: list[str] = field(default_factory=list)

    def allows(self, action: str, data: bool) -> bool:
        yes, no = (
            (self.data_actions, self.not_data_actions) if data else (self.actions, self.not_actions)
        )
        return any(glob(x, action) for x in yes) and not any(glob(x, action) for x in no)


@dataclass
class Role:
    id: str
    blocks: list[Block]


@dataclass
class Grant:
    scope: str
    principal: str
    role: str
    eligible: bool = False
    start: datetime | None = None
    end: datetime | None = None
    condition: str | None = None
    principal_type: str | None = None


@dataclass
class Deny:
    scope: str
    blocks: list[Block]
    principals: list[str]
    excluded: list[str]
    here_only: bool = False
    audit: bool = False


@dataclass
class Edge:
    group: str
    member: str
    eligible: bool = False
    start: datetime | None = None
    end: datetime | None = None


@dataclass
class Facts:
    roles: list[Role]
    grants: list[Grant]
    denies: list[Deny]
    edges: list[Edge]
    mg_parent: dict[str, str]
    """lower-case subscription or management-group id → lower-case parent management-group id"""
    inventory: list[str]
    """lower-case ids of every gallery, definition and version"""
    directory: list[str] = field(default_factory=list)


def _in_window(start: datetime | None, end: datetime | None, at: datetime) -> bool:
    return (start is None or start <= at) and (end is None or at < end)


def path_exists(facts: Facts, start: str, goal: str, at: datetime, allow_eligible: bool) -> bool:
    """Depth-first search from ``start`` up to ``goal`` over every membership edge."""
    start, goal = start.lower(), goal.lower()
    seen: set[str] = set()
    stack = [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node in seen:
            continue
        seen.add(node)
        for e in facts.edges:
            if e.member.lower() != node or not _in_window(e.start, e.end, at):
                continue
            if e.eligible and not allow_eligible:
                continue
            stack.append(e.group.lower())
    return False


def _is_gallery_kind(scope: str) -> bool:
    parts = scope.split("/")
    return "microsoft.compute" in parts and "galleries" in parts


def _mg_ancestors(facts: Facts, node: str) -> list[str]:
    out = []
    seen = set()
    while node in facts.mg_parent and node not in seen:
        seen.add(node)
        node = facts.mg_parent[node]
        out.append(node)
    return out


def covers(facts: Facts, scope: str, resource: str) -> bool:
    """Whether an assignment at ``scope`` applies to ``resource`` (lower-case ids)."""
    if scope == "/":
        return True
    if resource == scope or resource.startswith(scope + "/"):
        return True
    if "/managementgroups/" in scope:
        if resource.startswith("/providers/microsoft.management/managementgroups/"):
            return scope in _mg_ancestors(facts, resource)
        parts = resource.split("/")
        if len(parts) >= 3 and parts[1] == "subscriptions":
            return scope in _mg_ancestors(facts, "/subscriptions/" + parts[2])
    return False


def _orphan(facts: Facts, g: Grant) -> bool:
    if not any(r.id == g.role.lower() for r in facts.roles):
        return True
    if (g.principal_type or "").lower() == "unknown":
        return True
    if facts.directory:
        known = {d.lower() for d in facts.directory}
        known |= {e.group.lower() for e in facts.edges} | {e.member.lower() for e in facts.edges}
        if g.principal.lower() not in known:
            return True
    return _is_gallery_kind(g.scope) and g.scope not in facts.inventory


def decide(
    facts: Facts,
    principal: str,
    action: str,
    resource: str,
    at: datetime,
    *,
    include_eligible: bool = False,
    data: bool = False,
    conditions: str = "unknown",
) -> tuple[str, bool]:
    """``(effect, allowed)`` for one question, by the documented rules, brute force."""
    resource = resource.lower()
    for d in facts.denies:
        scope = d.scope.lower()
        if d.audit or (_is_gallery_kind(scope) and scope not in facts.inventory):
            continue
        applies = resource == scope if d.here_only else covers(facts, scope, resource)
        if not applies or not any(b.allows(action, data) for b in d.blocks):
            continue
        # targets through active memberships (eligible ones too when eligible grants count);
        # exclusions through active memberships only: the answer never overstates
        targeted = any(p.lower() == EVERYONE for p in d.principals) or any(
            path_exists(facts, principal, p, at, include_eligible) for p in d.principals
        )
        exempt = any(path_exists(facts, principal, x, at, False) for x in d.excluded)
        if targeted and not exempt:
            return "denied", False
    effects: list[str] = []
    for g in facts.grants:
        if _orphan(facts, g) or not covers(facts, g.scope.lower(), resource):
            continue
        if not _in_window(g.start, g.end, at):
            continue
        role = next(r for r in facts.roles if r.id == g.role.lower())
        if not any(b.allows(action, data) for b in role.blocks):
            continue
        if g.condition and conditions == "no-grant":
            continue
        active = path_exists(facts, principal, g.principal, at, False)
        any_path = active or path_exists(facts, principal, g.principal, at, True)
        if not any_path:
            continue
        if g.eligible or not active:
            # an eligible grant with a condition stays conditional once activated
            stays_conditional = g.condition and include_eligible and conditions != "grant"
            effects.append("conditional" if stays_conditional else "eligible")
        elif g.condition:
            effects.append("conditional")
        else:
            effects.append("allowed")
    counting = [
        e
        for e in effects
        if e == "allowed"
        or (e == "eligible" and include_eligible)
        or (e == "conditional" and conditions == "grant")
    ]
    if counting:
        return min(counting, key=RANK.__getitem__), True
    if effects:
        return min(effects, key=RANK.__getitem__), False
    return "notGranted", False


def everyone_allowed(
    facts: Facts, principals: Iterable[str], action: str, resource: str, at: datetime
) -> set[str]:
    """The principals of ``principals`` for which :func:`decide` says allowed."""
    return {p.lower() for p in principals if decide(facts, p, action, resource, at)[1]}
