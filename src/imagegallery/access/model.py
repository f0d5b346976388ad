"""The access model: who can see and deploy which gallery, image definition and image version.

Built from an :class:`~imagegallery.Inventory` plus what Azure exports about access (role
definitions, role assignments, deny assignments, group memberships, the directory, the
management-group tree), it answers with Azure's rules: grants inherit down scopes, groups nest
(transitively, cycles included), action patterns match with wildcards and without case, NotActions
subtract but never deny, deny assignments win, PIM-eligible and time-bound assignments count only
when and as asked, and direct-shared and community galleries open their proxies.

Example:
    >>> from imagegallery import sample_inventory
    >>> from imagegallery.access import AccessModel
    >>> gallery = next(sample_inventory().galleries())
    >>> model = AccessModel.from_azure(
    ...     sample_inventory(),
    ...     role_assignments=[{"principalId": "alice", "scope": str(gallery.id),
    ...                        "roleDefinitionId": "acdd72a7-3385-48ef-bd42-f606fba81ae7"}],
    ... )
    >>> version = gallery.definitions["myImage1"].versions["1.0.9"].id
    >>> decision = model.can("alice", "Microsoft.Compute/galleries/images/versions/read", version)
    >>> decision.allowed, decision.effect.value
    (True, 'allowed')
    >>> print(decision.paths[0])
    alice ⇒ Reader [*/read] @ /subscriptions/.../galleries/myGallery → myImage1 → 1.0.9
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any, Final, final

import networkx as nx

from imagegallery._validators import parse_datetime
from imagegallery.access import _bulk
from imagegallery.access._deploy import can_deploy as _can_deploy
from imagegallery.access._deploy import sharing_matrix as _sharing_matrix
from imagegallery.access._engine import Conditions, Engine, Orphan
from imagegallery.access._fullgraph import build_graph
from imagegallery.access._graph import frozen_view
from imagegallery.access.actions import VM_WRITE, validate_action
from imagegallery.access.assignments import DenyAssignment, RoleAssignment
from imagegallery.access.decision import AccessMap, Decision
from imagegallery.access.loaders import (
    load_deny_assignments,
    load_directory,
    load_management_groups,
    load_memberships,
    load_role_assignments,
    load_role_definitions,
    load_subscriptions,
)
from imagegallery.access.principals import Membership, Principal
from imagegallery.access.roles import RoleDefinition, builtin_roles
from imagegallery.access.sharing import SharingMatrix
from imagegallery.errors import InvalidEnumValueError, InvalidTypeError
from imagegallery.ids import ResourceId, ResourceKind
from imagegallery.inventory import Inventory

__all__ = ["AccessModel"]

_CONDITIONS: Final = ("unknown", "grant", "no-grant")


def _principal(value: object) -> str:
    if isinstance(value, Principal):
        return value.id
    if type(value) is not str or not value:
        raise InvalidTypeError(
            "a principal is an object id string or a Principal", field="principal", value=value
        )
    return value


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while building (acyclic) indexes: its repeated scans
    of a growing heap would otherwise cost as much as the building itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _at(value: datetime | None) -> datetime:
    return datetime.now(UTC) if value is None else parse_datetime(value)


def _conditions(value: str) -> Conditions:
    if value not in _CONDITIONS:
        raise InvalidEnumValueError(
            "conditions must be 'unknown', 'grant' or 'no-grant'", field="conditions", value=value
        )
    return value  # type: ignore[return-value]


@final
class AccessModel:
    """Role definitions, assignments, denies and memberships over an inventory, ready to query.

    Build it with :meth:`from_azure` (parsed ``az``/REST/Graph JSON, or paths) or with this
    constructor (library objects). The model never changes; ``with_*`` methods return new ones.

    Args:
        inventory: The galleries, definitions and versions.
        role_definitions: Role definitions; ``None`` means the built-in roles.
        role_assignments: Role assignments (active or eligible, with windows and conditions).
        deny_assignments: Deny assignments.
        memberships: Group memberships (member → group).
        principals: Directory objects (names, types, tenants, app ids). When given, an
            assignment to a principal that is neither here nor in a membership is an orphan.
        management_groups: Child (subscription or management group id) → parent management
            group id. Ids do not carry it; without it a subscription sits right under ``/``.
        tenants: Subscription id → tenant id, for the cross-tenant deployment rule and for
            direct shares to tenants.
    """

    __slots__ = ("_engine", "_full", "_parts")

    def __init__(
        self,
        inventory: Inventory,
        *,
        role_definitions: Iterable[RoleDefinition] | None = None,
        role_assignments: Iterable[RoleAssignment] = (),
        deny_assignments: Iterable[DenyAssignment] = (),
        memberships: Iterable[Membership] = (),
        principals: Iterable[Principal] = (),
        management_groups: Mapping[ResourceId, ResourceId] | None = None,
        tenants: Mapping[str, str] | None = None,
    ) -> None:
        if not isinstance(inventory, Inventory):
            raise InvalidTypeError("expected an Inventory", field="inventory", value=inventory)
        parts: dict[str, Any] = {
            "inventory": inventory,
            "role_definitions": tuple(
                builtin_roles() if role_definitions is None else role_definitions
            ),
            "role_assignments": tuple(role_assignments),
            "deny_assignments": tuple(deny_assignments),
            "memberships": tuple(memberships),
            "principals": tuple(principals),
            "management_groups": dict(management_groups or {}),
            "tenants": dict(tenants or {}),
        }
        self._parts = parts
        with _no_gc():
            self._engine = Engine(
                inventory=inventory,
                roles=parts["role_definitions"],
                role_assignments=parts["role_assignments"],
                deny_assignments=parts["deny_assignments"],
                memberships=parts["memberships"],
                principals=parts["principals"],
                mg_parent=parts["management_groups"],
                tenants=parts["tenants"],
            )
        self._full: Any = None

    @classmethod
    def from_azure(
        cls,
        inventory: Inventory,
        *,
        role_definitions: Any = None,
        role_assignments: Any = (),
        deny_assignments: Any = (),
        memberships: Any = (),
        directory: Any = (),
        management_groups: Any = (),
        subscriptions: Any = (),
    ) -> AccessModel:
        """Build a model from what Azure tools print, or from paths to such JSON files.

        Args:
            inventory: The galleries, definitions and versions.
            role_definitions: ``az role definition list`` output; ``None`` means the built-ins.
            role_assignments: ``az role assignment list --all --include-inherited`` output (or
                REST, or PIM schedule instances).
            deny_assignments: Deny assignments (REST shape).
            memberships: ``{"groupId", "memberId"}`` records or Graph ``members`` pages.
            directory: Graph users, groups and service principals.
            management_groups: ``{child: parent}`` or management-group entity records.
            subscriptions: ``az account list`` output or ``{subscription: tenant}``.

        Raises:
            InvalidAccessRecordError: A record is unreadable; the error names it.

        Example:
            >>> from imagegallery import sample_inventory
            >>> model = AccessModel.from_azure(sample_inventory(), memberships=[
            ...     {"groupId": "G-a", "memberId": "G-b"}, {"groupId": "G-b", "memberId": "G-a"},
            ...     {"groupId": "G-a", "memberId": "dave"}])
            >>> sorted(model.transitive_groups("dave"))
            ['G-a', 'G-b']
        """
        with _no_gc():
            edges, members = load_memberships(memberships)
            principals = (*load_directory(directory), *members)
            assignments = load_role_assignments(role_assignments)
        subscription_ids = tuple(inventory.subscriptions())
        tenants = load_subscriptions(subscriptions)
        subscription_ids += tuple(tenants)
        parents, mg_tenants = load_management_groups(
            management_groups, subscriptions=subscription_ids
        )
        roles = None if role_definitions is None else load_role_definitions(role_definitions)
        return cls(
            inventory,
            role_definitions=roles,
            role_assignments=assignments,
            deny_assignments=load_deny_assignments(deny_assignments),
            memberships=edges,
            principals=principals,
            management_groups=parents,
            tenants={**mg_tenants, **tenants},
        )

    # -- the facts -------------------------------------------------------------------------------

    @property
    def inventory(self) -> Inventory:
        """The inventory the model covers."""
        return self._engine.inventory

    @property
    def role_definitions(self) -> tuple[RoleDefinition, ...]:
        """The role definitions."""
        return tuple(self._parts["role_definitions"])

    @property
    def role_assignments(self) -> tuple[RoleAssignment, ...]:
        """Every role assignment given, orphans included."""
        return tuple(self._parts["role_assignments"])

    @property
    def deny_assignments(self) -> tuple[DenyAssignment, ...]:
        """Every deny assignment given."""
        return tuple(self._parts["deny_assignments"])

    @property
    def memberships(self) -> tuple[Membership, ...]:
        """Every membership given."""
        return tuple(self._parts["memberships"])

    @property
    def principals(self) -> Mapping[str, Principal]:
        """Known directory objects, by lower-case id."""
        return dict(self._engine.principals)

    @property
    def membership_graph(self) -> nx.DiGraph[str]:
        """The membership graph (member → group, lower-case ids), read-only."""
        return frozen_view(self._engine.graph.graph)  # type: ignore[no-any-return]

    @property
    def graph(self) -> nx.MultiDiGraph[str]:
        """The whole model as one read-only ``networkx.MultiDiGraph`` (built on first use); see
        :mod:`imagegallery.access._fullgraph` for its node and edge vocabulary.

        Example:
            >>> from imagegallery import sample_inventory
            >>> g = AccessModel.from_azure(sample_inventory()).graph
            >>> sorted({rel for _, _, rel in g.edges(data="rel")})
            ['CONTAINS', 'PUBLIC', 'SHARED_WITH']
        """
        if self._full is None:
            self._full = build_graph(self._engine)
        return frozen_view(self._full)  # type: ignore[no-any-return]

    def orphans(self) -> tuple[Orphan, ...]:
        """Assignments that grant nothing: unknown principal, role definition or scope."""
        return tuple(self._engine.orphans)

    def transitive_groups(
        self,
        principal: str | Principal,
        *,
        at: datetime | None = None,
        include_eligible: bool = False,
    ) -> frozenset[str]:
        """The groups ``principal`` belongs to, directly or through nested groups (cycle-safe).

        Args:
            principal: The principal.
            at: The moment (memberships have windows); defaults to now.
            include_eligible: Count eligible (PIM for Groups) memberships too.
        """
        key = _principal(principal).lower()
        closure = self._engine.closure(key, _at(at))
        return frozenset(
            self._engine.display.get(k, k)
            for k, how in closure.items()
            if k != key and (how == 1 or include_eligible)
        )

    def with_role_assignments(self, *assignments: RoleAssignment) -> AccessModel:
        """A new model with more role assignments."""
        return self._evolve(role_assignments=(*self.role_assignments, *assignments))

    def with_deny_assignments(self, *denies: DenyAssignment) -> AccessModel:
        """A new model with more deny assignments."""
        return self._evolve(deny_assignments=(*self.deny_assignments, *denies))

    def with_memberships(self, *memberships: Membership) -> AccessModel:
        """A new model with more memberships."""
        return self._evolve(memberships=(*self.memberships, *memberships))

    def _evolve(self, **changes: Any) -> AccessModel:
        parts = {**self._parts, **changes}
        return AccessModel(parts.pop("inventory"), **parts)

    # -- questions -------------------------------------------------------------------------------

    def can(
        self,
        principal: str | Principal,
        action: str,
        resource: str | ResourceId,
        *,
        at: datetime | None = None,
        include_eligible: bool = False,
        data_action: bool = False,
        conditions: str = "unknown",
    ) -> Decision:
        """May ``principal`` perform ``action`` on ``resource``, and why?

        Args:
            principal: The object id (any case) or :class:`Principal`.
            action: The action, such as ``Microsoft.Compute/galleries/images/versions/read``.
            resource: Any scope id (``/``, a management group, subscription, resource group,
                gallery, definition, version, other resource) or a ``/SharedGalleries`` or
                ``/CommunityGalleries`` proxy id.
            at: The moment (windows of assignments and memberships); defaults to now.
            include_eligible: Let PIM-eligible grants count as allowed (effect ``ELIGIBLE``).
            data_action: ``action`` is a data-plane action (matched against DataActions).
            conditions: How to treat grants with an ABAC condition: ``unknown`` (reported as
                ``CONDITIONAL``, not allowed), ``grant`` or ``no-grant``.

        Returns:
            The :class:`Decision`, with every grant path and the blocking denies.
        """
        return self._engine.decide(
            _principal(principal),
            validate_action(action),
            ResourceId.parse(resource),
            at=_at(at),
            include_eligible=include_eligible,
            data=data_action,
            conditions=_conditions(conditions),
        )

    def who_can(
        self,
        action: str,
        resource: str | ResourceId,
        *,
        at: datetime | None = None,
        include_eligible: bool = False,
        data_action: bool = False,
        conditions: str = "unknown",
    ) -> AccessMap[str]:
        """Every principal allowed ``action`` on ``resource`` (groups included, expanded to their
        transitive members), each with its :class:`Decision`. Same options as :meth:`can`;
        ``p in who_can(a, r)`` exactly when ``can(p, a, r).allowed``."""
        when, cond = _at(at), _conditions(conditions)
        rid, act = ResourceId.parse(resource), validate_action(action)
        keys = _bulk.who(
            self._engine,
            act,
            rid,
            at=when,
            include_eligible=include_eligible,
            data=data_action,
            conditions=cond,
        )
        return AccessMap(
            keys,
            lambda p: self._engine.decide(
                p,
                act,
                rid,
                at=when,
                include_eligible=include_eligible,
                data=data_action,
                conditions=cond,
            ),
            show=self._show,
        )

    def _show(self, key: str) -> str:
        return self._engine.display.get(key, key)

    def what_can(
        self,
        principal: str | Principal,
        action: str,
        *,
        at: datetime | None = None,
        include_eligible: bool = False,
        data_action: bool = False,
        conditions: str = "unknown",
        kinds: Iterable[ResourceKind] | None = None,
    ) -> AccessMap[ResourceId]:
        """Every gallery, definition and version of the inventory on which ``principal`` is
        allowed ``action``, in inventory order, each with its :class:`Decision`.

        A grant of ``.../versions/read`` at a gallery allows that action at the gallery scope
        too (it is how listing works), so the gallery and its definitions are included; pass
        ``kinds=[ResourceKind.IMAGE_VERSION]`` to keep only versions. Same options as
        :meth:`can`; ``r in what_can(p, a)`` exactly when ``can(p, a, r).allowed``.
        """
        when, cond = _at(at), _conditions(conditions)
        who, act = _principal(principal), validate_action(action)
        wanted = None if kinds is None else frozenset(kinds)
        found = _bulk.what(
            self._engine,
            who,
            act,
            at=when,
            include_eligible=include_eligible,
            data=data_action,
            conditions=cond,
        )
        return AccessMap(
            [rid for rid in found if wanted is None or rid.kind in wanted],
            lambda rid: self._engine.decide(
                who,
                act,
                rid,
                at=when,
                include_eligible=include_eligible,
                data=data_action,
                conditions=cond,
            ),
        )

    def can_deploy(
        self,
        principal: str | Principal,
        version: str | ResourceId,
        target_scope: str | ResourceId,
        *,
        at: datetime | None = None,
        include_eligible: bool = False,
        conditions: str = "unknown",
    ) -> Decision:
        """May ``principal`` create a VM from ``version`` in ``target_scope``?

        Needs read on the version (``.../images/versions/read``), or a sharing mode that opens
        it (community; direct share to the target's subscription or tenant), plus
        ``Microsoft.Compute/virtualMachines/write`` on the target. Across tenants, the caller
        needs an object in the gallery's tenant (a guest, or a service principal of the same
        app); otherwise ARM fails with ``LinkedAuthorizationFailed``.

        Args:
            principal: The caller.
            version: An image version id, or a ``/SharedGalleries/.../Versions/...`` or
                ``/CommunityGalleries/.../Versions/...`` proxy id.
            target_scope: Where the VM goes (a resource group, typically).
            at: The moment; defaults to now.
            include_eligible: Let eligible grants count.
            conditions: See :meth:`can`.

        Returns:
            A :class:`Decision` whose ``requirements`` hold the read and the write decisions.
        """
        return _can_deploy(
            self._engine,
            _principal(principal),
            ResourceId.parse(version),
            ResourceId.parse(target_scope),
            at=_at(at),
            include_eligible=include_eligible,
            conditions=_conditions(conditions),
        )

    def who_can_deploy(
        self,
        version: str | ResourceId,
        target_scope: str | ResourceId,
        *,
        at: datetime | None = None,
        include_eligible: bool = False,
        conditions: str = "unknown",
    ) -> AccessMap[str]:
        """Every principal for whom :meth:`can_deploy` is allowed, with its decision."""
        when, cond = _at(at), _conditions(conditions)
        vid, target = ResourceId.parse(version), ResourceId.parse(target_scope)
        engine = self._engine
        writers = _bulk.who(
            engine,
            VM_WRITE,
            target,
            at=when,
            include_eligible=include_eligible,
            data=False,
            conditions=cond,
        )
        candidates: set[str] = set(writers)
        for key in writers:
            principal = engine.principals.get(key)
            if principal is not None:
                candidates.update(engine.identities.get(principal.identity_key, ()))

        def decide(key: str) -> Decision:
            return _can_deploy(
                engine,
                key,
                vid,
                target,
                at=when,
                include_eligible=include_eligible,
                conditions=cond,
            )

        return AccessMap({k for k in candidates if decide(k).allowed}, decide, show=self._show)

    def sharing_matrix(
        self,
        principal: str | Principal | None = None,
        *,
        role: str = "Reader",
        at: datetime | None = None,
    ) -> SharingMatrix:
        """The sharing matrix, computed by the model.

        Without ``principal``: for a grant of ``role`` at a gallery, at a definition and at a
        version of the inventory (a fresh model holding only that grant), whether the gallery,
        the definition and the version can be read. With ``principal``: one row per grant the
        principal holds (directly or through groups) that reaches the inventory, evaluated with
        everything the model knows (other grants, denies).
        """
        who = None if principal is None else _principal(principal)
        return _sharing_matrix(self, self._engine, who, role=role, at=_at(at))

    def __repr__(self) -> str:
        e = self._engine
        return (
            f"AccessModel(roles={len(e.roles)}, role_assignments={len(e.role_assignments)},"
            f" deny_assignments={len(e.deny_assignments)},"
            f" memberships={e.graph.graph.number_of_edges()}, orphans={len(e.orphans)})"
        )
