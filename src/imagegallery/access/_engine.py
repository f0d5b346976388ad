"""The evaluation core behind :class:`~imagegallery.access.AccessModel`: the deny pass, the grant
pass, decisions and their explanation paths, over the indexes of
:class:`~imagegallery.access._indexes.Indexes`. The bulk forms used by ``who_can`` and ``what_can``
are in :mod:`imagegallery.access._bulk`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import attrs

from imagegallery.access._closure import Closure
from imagegallery.access._effects import Conditions, combine, path_effect
from imagegallery.access._graph import ACTIVE
from imagegallery.access._indexes import Indexes, Plan
from imagegallery.access.assignments import DenyAssignment, RoleAssignment
from imagegallery.access.decision import AccessPath, Decision, DenyPath, Effect
from imagegallery.access.principals import ALL_PRINCIPALS, AssignmentKind
from imagegallery.access.roles import RoleDefinition
from imagegallery.ids import ResourceId

__all__ = ["Engine", "Grant"]


@attrs.frozen
class Grant:
    """One applicable grant found by the grant pass (internal)."""

    assignment: RoleAssignment
    role: RoleDefinition
    holder: str
    depth: int
    pattern: str
    effect: Effect


class Engine(Indexes):
    """Indexes over one set of access facts, and the evaluation rules."""

    # -- the two passes ----------------------------------------------------------------------------

    def denies(
        self,
        closure: Closure,
        action: str,
        plan: Plan,
        *,
        data: bool,
        audit: list[str] | None = None,
    ) -> list[tuple[DenyAssignment, str, int, str]]:
        """Applicable enforced denies: ``(deny, pattern, depth, targeted principal)``;
        ``action`` in lower case."""
        found: list[tuple[DenyAssignment, str, int, str]] = []
        for depth, deny in plan.denies:
            pattern = self.deny_hit(deny, action, data)
            if pattern is None:
                continue
            target = self.targeted(deny, closure)
            if target is None:
                continue
            if not deny.enforced:
                if audit is not None:
                    audit.append(f"audit-only deny {deny.label!r} at {deny.scope} would block this")
                continue
            found.append((deny, pattern, depth, target))
        return found

    @staticmethod
    def targeted(deny: DenyAssignment, closure: Closure) -> str | None:
        """Whom a deny targets in ``closure`` (active memberships only), unless it exempts it."""
        if any(closure.how(x.lower()) == ACTIVE for x in deny.exclude_principals):
            return None
        if deny.targets_everyone:
            return ALL_PRINCIPALS
        for principal in deny.principals:
            if closure.how(principal.lower()) == ACTIVE:
                return principal.lower()
        return None

    def grants(
        self,
        closure: Closure,
        action: str,
        plan: Plan,
        *,
        at: datetime,
        data: bool,
        conditions: Conditions,
        misses: list[str] | None = None,
    ) -> list[Grant]:
        """Applicable grants, one per (assignment, holder); ``action`` in lower case."""
        found: list[Grant] = []
        for depth, scope, at_scope, mask in plan.assignments:
            for key, how in closure.among(at_scope, mask):
                for ra in at_scope[key]:
                    role = self.role_of(ra)
                    assert role is not None
                    pattern = self.hit(role, action, data)
                    if pattern is None:
                        if misses is not None:
                            removed = self.removed(role, action, data)
                            if removed is not None:
                                misses.append(
                                    f"{role.name} @ {scope} lists it in NotActions ({removed!r});"
                                    " NotActions subtract, they do not deny"
                                )
                        continue
                    if not ra.active_at(at):
                        if misses is not None:
                            misses.append(
                                f"{role.name} @ {scope} for {self.label(key)} is outside its window"
                                f" [{_iso(ra.start)}, {_iso(ra.end)}) at {at.isoformat()}"
                            )
                        continue
                    effect = path_effect(ra, how, conditions)
                    if effect is not None:
                        found.append(Grant(ra, role, key, depth, pattern, effect))
        return found

    # -- decisions ---------------------------------------------------------------------------------

    def decide(
        self,
        principal: str,
        action: str,
        rid: ResourceId,
        *,
        at: datetime,
        include_eligible: bool,
        data: bool,
        conditions: Conditions,
        details: bool = True,
    ) -> Decision:
        """Evaluate one question (see :meth:`AccessModel.can`)."""
        key = principal.lower()
        shown = self.display.get(key, principal)
        if rid.kind.is_proxy:
            from imagegallery.access._proxy import decide_proxy  # noqa: PLC0415 - it imports us

            return decide_proxy(
                self,
                shown,
                action,
                rid,
                at=at,
                include_eligible=include_eligible,
                data=data,
                conditions=conditions,
            )
        plan = self.plan(rid)
        chain = plan.chain
        closure = self.view(key, at)
        notes: list[str] | None = [] if details else None
        low = action.lower()
        denials = self.denies(closure, low, plan, data=data, audit=notes)
        misses: list[str] | None = [] if details else None
        found = self.grants(
            closure, low, plan, at=at, data=data, conditions=conditions, misses=misses
        )
        effect, allowed = combine((g.effect for g in found), include_eligible, conditions)
        if denials:
            effect, allowed = Effect.DENIED, False
        if not details:
            return Decision(
                principal=shown, action=action, resource=rid, at=at, effect=effect, allowed=allowed
            )
        assert notes is not None
        assert misses is not None
        if self.scopes.is_missing(rid):
            notes.append(f"{rid} is not in the inventory")
        for member, _how in closure.among(self.orphans_by_principal, self._orphan_mask):
            for orphan in self.orphans_by_principal[member]:
                scope = orphan.assignment.scope
                if scope in chain or self.scopes.is_missing(scope):
                    notes.append(f"ignored assignment {orphan}")
        if effect is not Effect.ALLOWED:
            notes.extend(dict.fromkeys(misses))
        chain_of = self.graph.chains(key, at)
        paths = tuple(self._path(key, g, chain, chain_of) for g in found)
        deny_paths = tuple(
            self._deny_path(
                key, d, pattern=p, depth=depth, target=t, chain=chain, chain_of=chain_of
            )
            for d, p, depth, t in denials
        )
        return Decision(
            principal=shown,
            action=action,
            resource=rid,
            at=at,
            effect=effect,
            allowed=allowed,
            paths=paths,
            denials=deny_paths,
            warnings=tuple(dict.fromkeys(notes)),
            label=self.label(key),
        )

    def _chain_labels(
        self, key: str, holder: str, chain_of: Callable[[str], tuple[str, ...]]
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        keys = chain_of(holder) or (key, holder)
        names = self.names
        pairs = [names.get(k) or (k, k) for k in keys]
        return tuple(p[0] for p in pairs), tuple(p[1] for p in pairs)

    def _path(
        self,
        key: str,
        grant: Grant,
        chain: tuple[ResourceId, ...],
        chain_of: Callable[[str], tuple[str, ...]],
    ) -> AccessPath:
        ids, labels = self._chain_labels(key, grant.holder, chain_of)
        note = None
        if grant.effect is Effect.ELIGIBLE:
            note = (
                "eligible assignment: activate it in PIM"
                if grant.assignment.kind is AssignmentKind.ELIGIBLE
                else "eligible group membership: activate it in PIM"
            )
        elif grant.effect is Effect.CONDITIONAL:
            note = f"condition not evaluated: {grant.assignment.condition}"
        return AccessPath(
            chain=ids,
            labels=labels,
            via="rbac",
            scopes=tuple(reversed(chain[: grant.depth + 1])),
            effect=grant.effect,
            assignment=grant.assignment,
            role=grant.role,
            pattern=grant.pattern,
            note=note,
        )

    def _deny_path(
        self,
        key: str,
        deny: DenyAssignment,
        *,
        pattern: str,
        depth: int,
        target: str,
        chain: tuple[ResourceId, ...],
        chain_of: Callable[[str], tuple[str, ...]],
    ) -> DenyPath:
        if target == ALL_PRINCIPALS:
            ids: tuple[str, ...] = (self.display.get(key, key), ALL_PRINCIPALS)
            labels: tuple[str, ...] = (self.label(key), "Everyone")
        else:
            ids, labels = self._chain_labels(key, target, chain_of)
        return DenyPath(
            deny=deny,
            chain=ids,
            labels=labels,
            pattern=pattern,
            scopes=tuple(reversed(chain[: depth + 1])),
        )


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else "-"
