"""The evaluation core behind :class:`~imagegallery.access.AccessModel`: indexes, the deny pass,
the grant pass, explanation paths, and the bulk forms used by ``who_can`` and ``what_can``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Final, Literal

import attrs

from imagegallery.access._closure import Closure, DictClosure, MaskClosure
from imagegallery.access._graph import ACTIVE, MembershipGraph
from imagegallery.access._scopes import ScopeTree
from imagegallery.access.assignments import DenyAssignment, RoleAssignment
from imagegallery.access.decision import AccessPath, Decision, DenyPath, Effect
from imagegallery.access.principals import (
    ALL_PRINCIPALS,
    AssignmentKind,
    Membership,
    Principal,
    PrincipalType,
)
from imagegallery.access.roles import RoleDefinition
from imagegallery.access.sharing import GallerySharing
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.inventory import Inventory

__all__ = ["Conditions", "Engine", "Grant", "Orphan", "combine", "counts", "path_effect"]

Conditions = Literal["unknown", "grant", "no-grant"]
_PLANS: Final = 250_000
_RANK: Final = {Effect.ALLOWED: 0, Effect.CONDITIONAL: 1, Effect.ELIGIBLE: 2}
_COMMUNITY_KINDS: Final = (
    ResourceKind.COMMUNITY_GALLERY,
    ResourceKind.COMMUNITY_IMAGE,
    ResourceKind.COMMUNITY_VERSION,
)


@attrs.frozen
class Orphan:
    """An assignment that grants nothing because something it names does not exist.

    Attributes:
        assignment: The role or deny assignment.
        reason: What is missing.

    Example:
        >>> from imagegallery.access import RoleAssignment
        >>> ra = RoleAssignment(scope="/", principal_id="p", role_definition_id="x", id="ra-1")
        >>> str(Orphan(ra, "role definition x not found"))
        'ra-1: role definition x not found'
    """

    assignment: RoleAssignment | DenyAssignment
    reason: str

    def __str__(self) -> str:
        return f"{self.assignment.label}: {self.reason}"


@attrs.frozen
class Plan:
    """A resource's scope chain, and the assignments and denies along it (internal)."""

    chain: tuple[ResourceId, ...]
    assignments: tuple[tuple[int, ResourceId, dict[str, list[RoleAssignment]], int | None], ...]
    """``(depth, scope, holder → assignments, mask of the holders or None)``"""
    denies: tuple[tuple[int, DenyAssignment], ...]


@attrs.frozen
class Grant:
    """One applicable grant found by the grant pass (internal)."""

    assignment: RoleAssignment
    role: RoleDefinition
    holder: str
    depth: int
    pattern: str
    effect: Effect


def path_effect(ra: RoleAssignment, how: int, conditions: Conditions) -> Effect | None:
    """The effect of a grant through ``ra`` reached ``how`` (ACTIVE or ELIGIBLE membership);
    ``None`` when a conditional grant is to be ignored."""
    if ra.condition and conditions == "no-grant":
        return None
    if ra.kind is AssignmentKind.ELIGIBLE or how != ACTIVE:
        return Effect.ELIGIBLE
    return Effect.CONDITIONAL if ra.condition else Effect.ALLOWED


def counts(effect: Effect, include_eligible: bool, conditions: Conditions) -> bool:
    """Whether a path with ``effect`` makes the answer "allowed" under the query's options."""
    if effect is Effect.ALLOWED:
        return True
    if effect is Effect.ELIGIBLE:
        return include_eligible
    return effect is Effect.CONDITIONAL and conditions == "grant"


def combine(
    effects: Iterable[Effect], include_eligible: bool, conditions: Conditions
) -> tuple[Effect, bool]:
    """The overall effect and allowed flag of a set of path effects (no deny)."""
    present = sorted(set(effects), key=_RANK.__getitem__)
    if not present:
        return Effect.NOT_GRANTED, False
    counting = [e for e in present if counts(e, include_eligible, conditions)]
    if counting:
        return counting[0], True
    return present[0], False


class Engine:
    """Indexes over one set of access facts, and the evaluation rules."""

    def __init__(
        self,
        *,
        inventory: Inventory,
        roles: Iterable[RoleDefinition],
        role_assignments: Iterable[RoleAssignment],
        deny_assignments: Iterable[DenyAssignment],
        memberships: Iterable[Membership],
        principals: Iterable[Principal],
        mg_parent: Mapping[ResourceId, ResourceId],
        tenants: Mapping[str, str],
    ) -> None:
        self.inventory = inventory
        self.scopes = ScopeTree(inventory, mg_parent)
        self.roles: dict[str, RoleDefinition] = {}
        self.roles_by_name: dict[str, RoleDefinition] = {}
        for role in roles:
            self.roles[role.id] = role
            self.roles_by_name.setdefault(role.name.lower(), role)
        self.principals: dict[str, Principal] = {}
        for principal in principals:
            self.principals.setdefault(principal.key, principal)
        self.graph = MembershipGraph(memberships, self.principals)
        self.display: dict[str, str] = {k: p.id for k, p in self.principals.items()}
        for m in self.graph.memberships():
            self.display.setdefault(m.group_id.lower(), m.group_id)
            self.display.setdefault(m.member_id.lower(), m.member_id)
        self.tenants = {k.lower(): v.lower() for k, v in tenants.items()}
        self.role_assignments = tuple(role_assignments)
        self.deny_assignments = tuple(deny_assignments)
        self.orphans: list[Orphan] = []
        self.ra_at: dict[ResourceId, dict[str, list[RoleAssignment]]] = defaultdict(dict)
        self.ra_by_principal: dict[str, list[RoleAssignment]] = defaultdict(list)
        self.orphans_by_principal: dict[str, list[Orphan]] = {}
        self.deny_by_scope: dict[ResourceId, list[DenyAssignment]] = defaultdict(list)
        self._index_assignments()
        self.ra_at = dict(self.ra_at)
        self._plans: dict[ResourceId, Plan] = {}
        self._scope_masks: dict[ResourceId, int] = {}
        self._orphan_mask = (
            self.graph.mask_of(self.orphans_by_principal) if self.graph.is_static else None
        )
        self.names = self._names()
        self.sharing: dict[ResourceId, GallerySharing] = {}
        self.proxies: dict[tuple[bool, str], GallerySharing] = {}
        for gallery in inventory.galleries():
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
        self._hits: dict[tuple[str, str, bool], str | None] = {}
        self._deny_hits: dict[tuple[int, str, bool], str | None] = {}
        self._removed: dict[tuple[str, str, bool], str | None] = {}

    # -- construction ------------------------------------------------------------------------------

    def _index_assignments(self) -> None:
        directory = set(self.principals) | set(self.graph.graph.nodes)
        check_principals = bool(self.principals)
        canon = self.graph.canon
        for ra in self.role_assignments:
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
            self.ra_at[ra.scope].setdefault(key, []).append(ra)
            self.ra_by_principal[key].append(ra)
        for deny in self.deny_assignments:
            if self.scopes.is_missing(deny.scope):
                self.orphans.append(Orphan(deny, f"scope {deny.scope} is not in the inventory"))
                continue
            self.deny_by_scope[deny.scope].append(deny)

    def role_of(self, ra: RoleAssignment) -> RoleDefinition | None:
        """The role definition of an assignment (by GUID, or by role name)."""
        key = ra.role_definition_id
        return self.roles.get(key) or self.roles_by_name.get(key)

    def hit(self, role: RoleDefinition, action: str, data: bool) -> str | None:
        """Memoized :meth:`RoleDefinition.grants` (``action`` in lower case)."""
        key = (role.id, action, data)
        try:
            return self._hits[key]
        except KeyError:
            found = self._hits[key] = role.grants(action, data=data)
            return found

    def removed(self, role: RoleDefinition, action: str, data: bool) -> str | None:
        """Memoized :meth:`RoleDefinition.subtracted_by` (``action`` in lower case)."""
        key = (role.id, action, data)
        try:
            return self._removed[key]
        except KeyError:
            found = self._removed[key] = role.subtracted_by(action, data=data)
            return found

    def deny_hit(self, deny: DenyAssignment, action: str, data: bool) -> str | None:
        """Memoized :meth:`DenyAssignment.match` (``action`` in lower case)."""
        key = (id(deny), action, data)
        try:
            return self._deny_hits[key]
        except KeyError:
            found = self._deny_hits[key] = deny.match(action, data=data)
            return found

    def label(self, key: str) -> str:
        """Display name of a principal key."""
        found = self.names.get(key)
        return found[1] if found is not None else key

    def _names(self) -> dict[str, tuple[str, str]]:
        names = {k: (shown, shown) for k, shown in self.display.items()}
        names.update((k, (p.id, p.label)) for k, p in self.principals.items())
        names[ALL_PRINCIPALS] = (ALL_PRINCIPALS, "Everyone")
        return names

    # -- the two passes ----------------------------------------------------------------------------

    def closure(self, key: str, at: datetime) -> dict[str, int]:
        """The principal and its transitive groups valid at ``at`` (ACTIVE or ELIGIBLE)."""
        return self.graph.groups_of(key, at)

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
                    (d, deny)
                    for d, s in enumerate(chain)
                    for deny in self.deny_by_scope.get(s, ())
                    if not (deny.do_not_apply_to_child_scopes and d)
                ),
            )
            if len(self._plans) >= _PLANS:
                self._plans.clear()
            self._plans[rid] = found
        return found

    def _scope_mask(self, scope: ResourceId) -> int | None:
        """The mask of the group holders at ``scope`` (static graphs, busy scopes only)."""
        if not self.graph.is_static or len(self.ra_at[scope]) <= 4:
            return None
        found = self._scope_masks.get(scope)
        if found is None:
            found = self._scope_masks[scope] = self.graph.mask_of(self.ra_at[scope])
        return found

    def view(self, key: str, at: datetime) -> Closure:
        """The closure of ``key`` at ``at``, in the fastest form the graph allows."""
        if self.graph.is_static:
            return MaskClosure(key, self.graph)
        return DictClosure(key, self.closure(key, at))

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

    def proxy_target(self, rid: ResourceId) -> GallerySharing | None:
        """The shared or community gallery a proxy id names, if it is in the inventory."""
        community = rid.kind in _COMMUNITY_KINDS
        return self.proxies.get((community, (rid.gallery or "").lower()))

    def subscriptions_reached(self, shared: GallerySharing) -> list[str]:
        """Subscriptions a direct share covers: listed ones, and known ones of listed tenants."""
        subs = list(shared.subscriptions)
        subs += sorted(s for s, t in self.tenants.items() if t in shared.tenants and s not in subs)
        return subs


def _iso(value: datetime | None) -> str:
    return value.isoformat() if value is not None else "-"
