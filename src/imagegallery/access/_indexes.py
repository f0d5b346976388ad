"""What the evaluation rules look up, indexed once per set of access facts: roles by id and name,
principals and their display names, the membership graph, assignments by scope and by principal,
the orphans, denies by scope, the galleries' sharing and their proxies; and, memoized, what a role
or deny matches and each resource's scope chain with what applies along it.

:class:`~imagegallery.access._engine.Engine` adds the evaluation rules on top.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Final

import attrs

from imagegallery.access._closure import Closure, DictClosure, MaskClosure
from imagegallery.access._graph import MembershipGraph
from imagegallery.access._scopes import ScopeTree
from imagegallery.access.assignments import DenyAssignment, RoleAssignment
from imagegallery.access.principals import ALL_PRINCIPALS, Membership, Principal, PrincipalType
from imagegallery.access.roles import RoleDefinition
from imagegallery.access.sharing import GallerySharing
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.inventory import Inventory

__all__ = ["Indexes", "Orphan", "Plan"]

_PLANS: Final = 250_000
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


class Indexes:
    """Indexes over one set of access facts, and memoized lookups in them."""

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

    # -- lookups along scopes and groups -----------------------------------------------------------

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

    def proxy_target(self, rid: ResourceId) -> GallerySharing | None:
        """The shared or community gallery a proxy id names, if it is in the inventory."""
        community = rid.kind in _COMMUNITY_KINDS
        return self.proxies.get((community, (rid.gallery or "").lower()))

    def subscriptions_reached(self, shared: GallerySharing) -> list[str]:
        """Subscriptions a direct share covers: listed ones, and known ones of listed tenants."""
        subs = list(shared.subscriptions)
        subs += sorted(s for s, t in self.tenants.items() if t in shared.tenants and s not in subs)
        return subs
