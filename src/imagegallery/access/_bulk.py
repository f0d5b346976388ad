"""Set-at-a-time forms of the evaluation rules, for ``who_can`` and ``what_can``.

Both return exactly the keys for which :meth:`Engine.decide` says "allowed": with a static
membership graph (no windows, no eligible memberships) by set algebra over memoized closures,
otherwise by evaluating each candidate of a superset.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime

from imagegallery.access._closure import DictClosure
from imagegallery.access._effects import Conditions, counts, path_effect
from imagegallery.access._engine import Engine
from imagegallery.access._graph import ACTIVE
from imagegallery.access.assignments import RoleAssignment
from imagegallery.access.principals import ALL_PRINCIPALS
from imagegallery.ids import ResourceId

__all__ = ["what", "who"]


def who(
    engine: Engine,
    action: str,
    rid: ResourceId,
    *,
    at: datetime,
    include_eligible: bool,
    data: bool,
    conditions: Conditions,
) -> set[str]:
    """Principal keys allowed to perform ``action`` on ``rid``."""
    action = action.lower()
    if rid.kind.is_proxy:
        return _who_proxy(
            engine,
            action,
            rid,
            at=at,
            include_eligible=include_eligible,
            data=data,
            conditions=conditions,
        )
    graph = engine.graph
    chain = engine.scopes.chain(rid)
    static = graph.is_static
    holders: set[str] = set()
    for scope in chain:
        for holder, ra in _pairs(engine.ra_at.get(scope)):
            role = engine.role_of(ra)
            assert role is not None
            if holder in holders or engine.hit(role, action, data) is None:
                continue
            if static:
                if not ra.active_at(at):
                    continue
                effect = path_effect(ra, ACTIVE, conditions)
                if effect is None or not counts(effect, include_eligible, conditions):
                    continue
            holders.add(holder)
    allowed = graph.members_of_any(holders)
    if not static:
        return {
            key
            for key in allowed
            if engine.decide(
                key,
                action,
                rid,
                at=at,
                include_eligible=include_eligible,
                data=data,
                conditions=conditions,
                details=False,
            ).allowed
        }
    for depth, scope in enumerate(chain):
        for deny in engine.deny_by_scope.get(scope, ()):
            if (deny.do_not_apply_to_child_scopes and depth) or not deny.enforced:
                continue
            if engine.deny_hit(deny, action, data) is None:
                continue
            exempt = graph.members_of_any(p.lower() for p in deny.exclude_principals)
            if deny.targets_everyone:
                allowed &= exempt
            else:
                targeted = graph.members_of_any(p.lower() for p in deny.principals)
                allowed -= targeted - exempt
    return allowed


def _who_proxy(
    engine: Engine,
    action: str,
    rid: ResourceId,
    *,
    at: datetime,
    include_eligible: bool,
    data: bool,
    conditions: Conditions,
) -> set[str]:
    known = set(engine.display) | set(engine.principals) | {ALL_PRINCIPALS}
    return {
        key
        for key in known
        if engine.decide(
            key,
            action,
            rid,
            at=at,
            include_eligible=include_eligible,
            data=data,
            conditions=conditions,
            details=False,
        ).allowed
    }


def what(
    engine: Engine,
    principal: str,
    action: str,
    *,
    at: datetime,
    include_eligible: bool,
    data: bool,
    conditions: Conditions,
) -> list[ResourceId]:
    """Inventory resources (galleries, definitions, versions) ``principal`` may act on."""
    action = action.lower()
    closure = engine.closure(principal.lower(), at)
    view = DictClosure(principal.lower(), closure)
    scopes = engine.scopes
    granted: set[ResourceId] = set()
    for key, how in closure.items():
        for ra in engine.ra_by_principal.get(key, ()):
            role = engine.role_of(ra)
            assert role is not None
            if engine.hit(role, action, data) is None or not ra.active_at(at):
                continue
            effect = path_effect(ra, how, conditions)
            if effect is not None and counts(effect, include_eligible, conditions):
                granted.update(scopes.under(ra.scope))
    if not granted:
        return []
    for scope, denies in engine.deny_by_scope.items():
        for deny in denies:
            if not deny.enforced or engine.deny_hit(deny, action, data) is None:
                continue
            if engine.targeted(deny, view) is None:
                continue
            if deny.do_not_apply_to_child_scopes:
                granted.discard(scope)
            else:
                granted.difference_update(scopes.under(scope))
    return [rid for rid in scopes.resources() if rid in granted]


def _pairs(
    at_scope: Mapping[str, list[RoleAssignment]] | None,
) -> Iterator[tuple[str, RoleAssignment]]:
    if at_scope:
        for holder, ras in at_scope.items():
            for ra in ras:
                yield holder, ra
